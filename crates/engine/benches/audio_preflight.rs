//! Wall time and CPU time of a full audio preflight (mic + speaker loopback), on the
//! PulseAudio of `./x harness` (`./x harness cargo bench -p greenroom-engine --bench
//! audio_preflight`). Prints each phase next to the goal (3 s total on real hardware).
//!
//! The virtual speaker is routed into a virtual mic with module-loopback, as a laptop's mic
//! hears its speakers. Null sinks have no hardware period, so the numbers here are the
//! software's own cost plus the test server's scheduling, not a sound card's latency.

use std::process::Command;
use std::time::Instant;

use greenroom_core::signal::{analyze, find_tone, speech_like};
use greenroom_engine::preflight::audio::{check_audio, AudioCheckOptions};

/// utime + stime of this process, in seconds, from /proc (no unsafe getrusage).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn pactl(args: &[&str]) -> Option<String> {
    let out = Command::new("pactl").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn main() {
    if pactl(&["info"]).is_none() {
        println!("audio_preflight: skipped (no PulseAudio; run under ./x harness)");
        return;
    }
    let loopback = pactl(&[
        "load-module",
        "module-loopback",
        "source=vspk.monitor",
        "sink=vmic_feed",
        "latency_msec=20",
    ])
    .expect("load module-loopback");

    // Analysis alone, on 2.5 s of 48 kHz speech-like audio.
    let audio = speech_like(48_000, 2.5, -9.0, 1);
    let reps = 20;
    let (t, c) = (Instant::now(), cpu_seconds());
    for _ in 0..reps {
        std::hint::black_box(analyze(&audio, 48_000));
        std::hint::black_box(find_tone(&audio, 48_000, 1000.0));
    }
    let analysis_ms = t.elapsed().as_secs_f64() * 1000.0 / reps as f64;
    let analysis_cpu_ms = (cpu_seconds() - c) * 1000.0 / reps as f64;

    println!("audio preflight (mic vmic + speaker vspk, looped back), 2.5 s window");
    println!(
        "{:>4} {:>9} {:>9} {:>10} {:>12} {:>9}",
        "run", "wall s", "cpu s", "cpu/wall", "tone delay", "vs 3 s"
    );
    let mut walls = vec![];
    for run in 1..=3 {
        let (t, c) = (Instant::now(), cpu_seconds());
        let report = check_audio(
            &AudioCheckOptions {
                input: Some("pulseaudio:vmic".into()),
                output: Some("pulseaudio:vspk".into()),
                seconds: 2.5,
                speaker: true,
            },
            |_| {},
        );
        let wall = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c;
        let delay = report
            .checks
            .iter()
            .find(|c| c.id == "speaker.loopback")
            .and_then(|c| c.measured)
            .map(|m| format!("{:.0} ms", m.value))
            .unwrap_or_else(|| "not heard".into());
        walls.push(wall);
        println!(
            "{run:>4} {wall:>9.2} {cpu:>9.2} {:>10.3} {delay:>12} {:>8.2}x",
            cpu / wall,
            wall / 3.0
        );
    }
    let _ = pactl(&["unload-module", &loopback]);
    walls.sort_by(f64::total_cmp);
    println!(
        "median wall {:.2} s = 2.5 s window + {:.2} s overhead (open, first sample, tone, analysis)",
        walls[1],
        walls[1] - 2.5
    );
    println!(
        "analysis of the window: {analysis_ms:.1} ms wall, {analysis_cpu_ms:.1} ms CPU ({:.2} % of the window)",
        analysis_ms / 2500.0 * 100.0
    );
}
