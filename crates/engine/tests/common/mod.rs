//! What the engine's tests share: the PulseAudio of `./x harness`, where the test models
//! are, spoken test audio (docs/testing.md, "Spoken test audio"), one Whisper user at a time, and word error rate.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

pub mod answers;
pub mod realspeech;

#[allow(unused_imports)] // each test file uses a part
pub use greenroom_testbed::{harness, pactl};

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

/// Speech as docs/testing.md, "Spoken test audio" makes it: espeak-ng at 150 wpm, then mono 16-bit at `rate`, -2 dB,
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
    greenroom_testbed::score::edit_distance(reference, hyp) as f64 / reference.len().max(1) as f64
}

/// `$GREENROOM_TEST_VOICE` (the Piper virtualenv of `scripts/voice.sh`), or `None` (and a
/// printed reason) when it is not set; under `./x test` a missing voice is a failure.
pub fn test_voice() -> Option<PathBuf> {
    match std::env::var_os("GREENROOM_TEST_VOICE") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("venv/bin/python").is_file(),
                "GREENROOM_TEST_VOICE={} has no venv: run setup_voice (scripts/voice.sh)",
                dir.display()
            );
            Some(dir)
        }
        _ => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
                "the test bed (the Piper test voice) is required but GREENROOM_TEST_VOICE is not set"
            );
            eprintln!("skipped: GREENROOM_TEST_VOICE is not set (scripts/voice.sh)");
            None
        }
    }
}

/// Which rendering of the spoken fixtures to use: `GREENROOM_TEST_VOICE_TAKE` (default 1).
/// Piper varies from run to run; another take re-measures the margins on new audio.
pub fn voice_take() -> u32 {
    std::env::var("GREENROOM_TEST_VOICE_TAKE")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(1)
}

/// What a spoken fixture holds, by construction (`scripts/speech.py`).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SpokenTruth {
    pub rate: u32,
    pub duration_ms: u64,
    pub sentences: Vec<TruthSentence>,
    pub words: Vec<TruthWord>,
    pub pauses: Vec<TruthPause>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct TruthSentence {
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct TruthWord {
    pub text: String,
    pub start_ms: u64,
    pub sentence: usize,
}

#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct TruthPause {
    pub start_ms: u64,
    pub end_ms: u64,
}

impl TruthPause {
    pub fn length_ms(&self) -> u64 {
        self.end_ms - self.start_ms
    }
}

/// An answer spoken by the neural test voice: `parts` are sentences and pauses (seconds),
/// as `scripts/speech.py` takes them; `extra` adds to its spec (e.g. a noise floor).
/// Returns the WAV (in `dir`) and its truth. Fixtures are cached in the voice folder, so a
/// machine speaks each one once and its tests see the same audio every run.
pub fn spoken(
    voice: &Path,
    dir: &Path,
    name: &str,
    parts: &[serde_json::Value],
    extra: serde_json::Value,
) -> (PathBuf, SpokenTruth) {
    let mut spec = serde_json::json!({ "rate": 48_000, "parts": parts, "lead": 0.5, "tail": 0.6 });
    if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    let spec_path = dir.join(format!("{name}.spec.json"));
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let out = dir.join(name);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/speech.py");
    run_tool(
        Command::new(voice.join("venv/bin/python"))
            .arg(script)
            .arg(&spec_path)
            .arg(&out)
            .arg("--cache")
            .arg(voice.join("fixtures")),
    );
    let truth: SpokenTruth =
        serde_json::from_str(&std::fs::read_to_string(out.with_extension("json")).unwrap())
            .unwrap();
    (out.with_extension("wav"), truth)
}

/// Lower case, letters, digits and apostrophes only.
pub fn plain_word(w: &str) -> String {
    w.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .collect()
}

/// The pairs `(i, j)` of a longest common subsequence of `a` and `b`: which reference
/// word each recognised word is (where the two agree).
pub fn align(a: &[String], b: &[String]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut len = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if a[i] == b[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if len[i + 1][j] >= len[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The `q` quantile (0..1) of `values` (sorted here).
pub fn quantile(values: &[u64], q: f64) -> u64 {
    let mut v = values.to_vec();
    v.sort_unstable();
    if v.is_empty() {
        return 0;
    }
    v[((v.len() - 1) as f64 * q).round() as usize]
}
