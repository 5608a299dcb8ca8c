//! What the engine's tests share: the PulseAudio of `./x harness`, where the test models
//! are, spoken test audio (DESIGN §5), one Whisper user at a time, and word error rate.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

/// Under `./x harness` (GREENROOM_HARNESS=1) a PulseAudio with virtual devices is running.
/// Without it a test prints why it is skipped; under `./x test`
/// (GREENROOM_REQUIRE_TEST_BED) a missing test bed is a failure, not a skip.
pub fn harness() -> bool {
    if std::env::var_os("GREENROOM_HARNESS").is_none() {
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "the test bed (PulseAudio harness, Whisper models) is required but missing"
        );
        eprintln!("skipped: needs the PulseAudio of ./x harness");
        return false;
    }
    true
}

/// `pactl ARGS` on the harness's server; its trimmed output.
pub fn pactl(args: &[&str]) -> String {
    let out = Command::new("pactl")
        .args(args)
        .output()
        .expect("pactl runs");
    assert!(
        out.status.success(),
        "pactl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// One whisper run at a time: two runs on two cores slow each other down many times over.
pub fn whisper_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs a tool the tests need (espeak-ng, sox); a missing one says so.
pub fn run_tool(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?} ({e}): install espeak-ng and sox"));
    assert!(status.success(), "{cmd:?} failed");
}

/// Speech as DESIGN §5 makes it: espeak-ng at 150 wpm, then mono 16-bit at `rate`, -2 dB,
/// with `pad_secs` of silence after it. Returns the WAV file (`dir/name.wav`).
pub fn espeak_wav(
    dir: &Path,
    name: &str,
    voice: &str,
    text: &str,
    rate: u32,
    pad_secs: f32,
) -> PathBuf {
    let raw = dir.join(format!("{name}.raw.wav"));
    let out = dir.join(format!("{name}.wav"));
    run_tool(
        Command::new("espeak-ng")
            .args(["-v", voice, "-s", "150", "-w"])
            .arg(&raw)
            .arg(text),
    );
    run_tool(
        Command::new("sox")
            .arg(&raw)
            .args(["-r", &rate.to_string(), "-c", "1", "-b", "16"])
            .arg(&out)
            .args(["gain", "-2", "pad", "0", &pad_secs.to_string()]),
    );
    out
}

/// The samples of a mono 16-bit WAV file, as f32.
pub fn read_wav(path: &Path) -> (u32, Vec<f32>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let rate = r.spec().sample_rate;
    let samples = r
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    (rate, samples)
}

/// `$GREENROOM_TEST_MODELS` with the files `need` checked, or `None` (and a printed
/// reason) when it is not set. Under `./x test` (GREENROOM_REQUIRE_TEST_BED) a missing
/// test bed is a failure, not a skip.
pub fn test_models(need: &[&str]) -> Option<PathBuf> {
    match std::env::var_os("GREENROOM_TEST_MODELS") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            for n in need {
                assert!(
                    dir.join(n).is_file(),
                    "GREENROOM_TEST_MODELS={} lacks {n}: run setup_models (scripts/models.sh)",
                    dir.display()
                );
            }
            Some(dir)
        }
        _ => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
                "the test bed (Whisper models) is required but GREENROOM_TEST_MODELS is not set"
            );
            eprintln!(
                "skipped: GREENROOM_TEST_MODELS is not set (source scripts/models.sh and run \
                 setup_models to fetch and convert the test models)"
            );
            None
        }
    }
}

/// Word-level edit distance of `hyp` against `reference`, over the reference length.
pub fn edit_rate(reference: &[String], hyp: &[String]) -> f64 {
    let mut prev: Vec<usize> = (0..=hyp.len()).collect();
    for (i, rw) in reference.iter().enumerate() {
        let mut cur = vec![i + 1; hyp.len() + 1];
        for (j, hw) in hyp.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(rw != hw))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[hyp.len()] as f64 / reference.len().max(1) as f64
}
