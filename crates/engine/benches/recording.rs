//! CPU time and memory of a long recording, per minute, and dropped samples, on the sine
//! mic of `./x harness` (`./x harness cargo bench -p greenroom-engine --bench recording`).
//! `GREENROOM_BENCH_MINUTES` sets the length (default 10, as the practice issue asks).
//! Memory must stay flat: the recorder streams to disk and holds only a ring buffer.

use std::time::{Duration, Instant};

use greenroom_engine::recording::Recorder;

/// (CPU seconds of this process, resident set size in KiB) from /proc.
fn usage() -> (f64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let rss = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0);
    (cpu, rss)
}

fn main() {
    if std::process::Command::new("pactl")
        .arg("info")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        println!("recording: skipped (no PulseAudio; run under ./x harness)");
        return;
    }
    let minutes: u64 = std::env::var("GREENROOM_BENCH_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audio.wav");
    let rec = Recorder::start(
        Some("pulseaudio:sinemic"),
        &path,
        Duration::from_secs(minutes * 60),
    )
    .expect("start recording");
    let start = Instant::now();
    let (cpu0, rss0) = usage();
    println!("recording {minutes} min of 48 kHz mono from SineMic");
    println!(
        "{:>6} {:>12} {:>14} {:>12}",
        "minute", "cpu s/min", "cpu % of core", "rss KiB"
    );
    let mut last_cpu = cpu0;
    let mut rss_seen = vec![];
    for minute in 1..=minutes {
        while start.elapsed() < Duration::from_secs(minute * 60) && !rec.is_finished() {
            std::thread::sleep(Duration::from_millis(250));
        }
        let (cpu, rss) = usage();
        println!(
            "{minute:>6} {:>12.3} {:>13.2}% {rss:>12}",
            cpu - last_cpu,
            (cpu - last_cpu) / 60.0 * 100.0
        );
        rss_seen.push(rss);
        last_cpu = cpu;
    }
    let r = rec.stop();
    let expected = minutes * 60 * 48_000;
    println!(
        "stopped by {}; frames {} of {} expected ({:+.3} %), dropped samples {}, file {} MiB",
        r.stop_reason.as_str(),
        r.frames,
        expected,
        (r.frames as f64 - expected as f64) / expected as f64 * 100.0,
        r.dropped_samples,
        std::fs::metadata(&path)
            .map(|m| m.len() / (1 << 20))
            .unwrap_or(0)
    );
    let max = rss_seen.iter().copied().max().unwrap_or(rss0);
    let min = rss_seen.iter().copied().min().unwrap_or(rss0);
    println!(
        "memory: start {rss0} KiB, per-minute min {min} / max {max} KiB (growth {:+} KiB over the run: flat means < 1 MiB)",
        max as i64 - rss_seen.first().copied().unwrap_or(rss0) as i64
    );
}
