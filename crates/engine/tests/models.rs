//! Real Whisper models: the importer's output of the pinned PyPI wheels (docs/testing.md, "Test models"), loaded
//! in whisper-rs and checked on synthetic English speech; damaged models are refused.
//!
//! Needs `GREENROOM_TEST_MODELS` (set by `setup_models` in `scripts/models.sh`): a folder
//! with `ct2/tiny.en/`, `ct2/base/` (the unpacked faster-whisper models) and
//! `tiny.en.ggml`, `base.ggml` (converted by the same importer). Without it each test
//! prints why it is skipped and passes. Also needs `espeak-ng` and `sox`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use greenroom_engine::models::ModelError;
use greenroom_engine::models::{inspect, ModelSize, ModelStore, Quant, WeightType};
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

const TINY_EN_F16_BYTES: u64 = 77_704_698;
const BASE_F16_BYTES: u64 = 147_951_465;
/// Same size as the official `ggml-base-q8_0.bin` (the multilingual vocabulary is
/// identical; English-only files differ from the official ones by 17 vocabulary bytes).
const BASE_Q8_0_BYTES: u64 = 81_768_585;
const TINY_EN_Q8_0_BYTES: u64 = 43_550_778;

const SPEECH: &str = "I think the most important part of my last project was the way our team \
    handled a difficult migration. We moved every customer to the new storage system without \
    losing any data, and we kept the old service running until the very end. Looking back, I \
    would write the plan down earlier and ask the support engineers for feedback.";

fn models_dir() -> Option<PathBuf> {
    common::test_models(&[
        "ct2/tiny.en/model.bin",
        "ct2/base/model.bin",
        "tiny.en.ggml",
        "base.ggml",
    ])
}

#[test]
fn converted_wheels_have_the_reference_sizes() {
    let Some(dir) = models_dir() else { return };
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();

    let tiny = store
        .import_ct2(&dir.join("ct2/tiny.en"), None, None)
        .unwrap();
    assert_eq!(tiny.name, "tiny.en");
    assert_eq!(tiny.size, TINY_EN_F16_BYTES);
    assert_eq!(
        (tiny.kind, tiny.multilingual, tiny.weight_type),
        (ModelSize::Tiny, false, WeightType::F16)
    );
    let base = store.import_ct2(&dir.join("ct2/base"), None, None).unwrap();
    assert_eq!(base.name, "base");
    assert_eq!(base.size, BASE_F16_BYTES);
    assert_eq!((base.kind, base.multilingual), (ModelSize::Base, true));
    let base_q8 = store
        .import_ct2(&dir.join("ct2/base"), None, Some(Quant::Q8_0))
        .unwrap();
    assert_eq!(base_q8.name, "base-q8_0");
    assert_eq!(base_q8.size, BASE_Q8_0_BYTES);
    assert_eq!(base_q8.weight_type, WeightType::Q8_0);
    assert_eq!(store.default_name().unwrap().as_deref(), Some("tiny.en"));

    // The cache holds the same bytes (the setup script uses this importer): conversion is
    // deterministic.
    for (model, cached) in [(&tiny, "tiny.en.ggml"), (&base, "base.ggml")] {
        let info = inspect(&dir.join(cached)).unwrap();
        assert_eq!(info.bytes, model.size, "{cached}");
        assert_eq!(
            greenroom_engine::models::store::sha256_file(&dir.join(cached)).unwrap(),
            model.sha256,
            "{cached}"
        );
    }
    println!(
        "tiny.en {} B, base {} B, base-q8_0 {} B; sha256 base {}",
        tiny.size, base.size, base_q8.size, base.sha256
    );
}

#[test]
fn converted_models_transcribe_english_speech() {
    let Some(dir) = models_dir() else { return };
    whisper_rs::install_logging_hooks();
    let work = tempfile::tempdir().unwrap();
    let audio = speech(work.path(), SPEECH);

    // q8_0 variants, converted here.
    let tiny_q8 = work.path().join("tiny.en-q8_0.ggml");
    let info = greenroom_engine::models::convert_ct2_folder(
        &dir.join("ct2/tiny.en"),
        &tiny_q8,
        Some(Quant::Q8_0),
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();
    assert_eq!(info.bytes, TINY_EN_Q8_0_BYTES);
    let base_q8 = work.path().join("base-q8_0.ggml");
    let info = greenroom_engine::models::convert_ct2_folder(
        &dir.join("ct2/base"),
        &base_q8,
        Some(Quant::Q8_0),
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();
    assert_eq!(info.bytes, BASE_Q8_0_BYTES);

    let mut report = Vec::new();
    for (name, path) in [
        ("tiny.en f16", dir.join("tiny.en.ggml")),
        ("base f16", dir.join("base.ggml")),
        ("tiny.en q8_0", tiny_q8),
        ("base q8_0", base_q8),
    ] {
        let text = transcribe(&path, &audio);
        let wer = word_error_rate(SPEECH, &text);
        println!("{name}: WER {:.1} %: {text}", wer * 100.0);
        report.push((name, wer, text));
    }
    for (name, wer, text) in &report {
        assert!(
            *wer <= 0.10,
            "{name}: WER {:.1} % > 10 %: {text}",
            wer * 100.0
        );
    }
}

#[test]
fn damaged_models_are_refused_and_the_store_is_unchanged() {
    let Some(dir) = models_dir() else { return };
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let good = std::fs::read(dir.join("tiny.en.ggml")).unwrap();
    store
        .import_ggml(&write(home.path(), "ggml-tiny.en.bin", &good), None)
        .unwrap();
    let before = snapshot(&store);

    let truncated = write(home.path(), "truncated.bin", &good[..good.len() * 2 / 3]);
    let mut corrupt = good.clone();
    corrupt[4 * 3..4 * 4].copy_from_slice(&7i32.to_le_bytes()); // n_audio_state = 7
    let corrupt = write(home.path(), "corrupt.bin", &corrupt);
    let mut bad_magic = good.clone();
    bad_magic[..4].copy_from_slice(b"GGUF");
    let bad_magic = write(home.path(), "gguf.bin", &bad_magic);

    for (path, expect) in [
        (&truncated, "truncated"),
        (&corrupt, "not a Whisper size"),
        (&bad_magic, "GGUF"),
    ] {
        let err = store.import_ggml(path, Some("broken")).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(&err, ModelError::InvalidModel { path: p, .. } if p == path),
            "{msg}"
        );
        assert!(msg.contains(expect), "{}: {msg}", path.display());
        println!("{}: {msg}", path.file_name().unwrap().to_string_lossy());
        assert_eq!(
            snapshot(&store),
            before,
            "the store changed after {}",
            path.display()
        );
    }

    // A truncated faster-whisper folder fails the same way.
    let ct2 = home.path().join("ct2-truncated");
    std::fs::create_dir(&ct2).unwrap();
    for f in ["config.json", "vocabulary.txt"] {
        std::fs::copy(dir.join("ct2/tiny.en").join(f), ct2.join(f)).unwrap();
    }
    let bin = std::fs::read(dir.join("ct2/tiny.en/model.bin")).unwrap();
    std::fs::write(ct2.join("model.bin"), &bin[..bin.len() - 4096]).unwrap();
    let err = store.import_ct2(&ct2, Some("broken"), None).unwrap_err();
    assert!(matches!(err, ModelError::InvalidModel { .. }), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");
    assert_eq!(snapshot(&store), before);

    // The good model still loads.
    let ok = store.path("tiny.en").unwrap();
    whisper_rs::install_logging_hooks();
    WhisperContext::new_with_params(&ok, WhisperContextParameters::default()).unwrap();
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The manifest and the names and sizes of every file in the models dir.
fn snapshot(store: &ModelStore) -> (String, Vec<(String, u64)>) {
    let manifest = std::fs::read_to_string(store.dir().join("manifest.json")).unwrap();
    let mut files: Vec<(String, u64)> = std::fs::read_dir(store.dir())
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    files.sort();
    (manifest, files)
}

/// English speech from espeak-ng, as docs/testing.md, "Spoken test audio" makes it: 16 kHz mono, -2 dB, 0.6 s tail.
fn speech(dir: &Path, text: &str) -> Vec<f32> {
    let raw = dir.join("raw.wav");
    let out = dir.join("speech.wav");
    let run = |cmd: &mut Command| {
        let status = cmd
            .status()
            .unwrap_or_else(|e| panic!("cannot run {cmd:?} ({e}): install espeak-ng and sox"));
        assert!(status.success(), "{cmd:?} failed");
    };
    run(Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "150", "-w"])
        .arg(&raw)
        .arg(text));
    run(Command::new("sox")
        .arg(&raw)
        .args(["-r", "16000", "-c", "1", "-b", "16"])
        .arg(&out)
        .args(["gain", "-2", "pad", "0", "0.6"]));
    let mut reader = hound::WavReader::open(&out).unwrap();
    assert_eq!(reader.spec().sample_rate, 16_000);
    reader
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect()
}

fn transcribe(model: &Path, audio: &[f32]) -> String {
    let ctx = WhisperContext::new_with_params(model, WhisperContextParameters::default())
        .unwrap_or_else(|e| panic!("{} does not load in whisper.cpp: {e}", model.display()));
    let mut state = ctx.create_state().unwrap();
    let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
    params.set_n_threads(2);
    params.set_language(Some("en"));
    params.set_print_progress(false);
    params.set_print_realtime(false);
    params.set_print_special(false);
    params.set_print_timestamps(false);
    state.full(params, audio).unwrap();
    state
        .as_iter()
        .map(|seg| seg.to_str_lossy().unwrap().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower-case words without punctuation (apostrophes inside words kept).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word error rate: word-level edit distance over the reference length.
fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    common::edit_rate(&words(reference), &words(hypothesis))
}

#[test]
fn word_error_rate_counts_edits() {
    assert_eq!(word_error_rate("Hello, world!", "hello world"), 0.0);
    assert_eq!(word_error_rate("a b c d", "a x c d"), 0.25);
    assert_eq!(word_error_rate("a b c d", "a c d"), 0.25);
    assert_eq!(word_error_rate("a b", "a b c d"), 1.0);
    assert_eq!(word_error_rate("Don't stop.", "don't stop"), 0.0);
}
