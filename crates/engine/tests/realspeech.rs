//! Transcripts of real people, scored against their human transcripts, side by side with
//! faster-whisper on the same base weights: English WER on the shared clips, Korean CER
//! on the shared sentence and, when cached, the KsponSpeech development clips
//! (`scripts/realspeech.sh`), and the text each engine invented (loops, tails nobody said,
//! a foreign script). Greenroom runs what `greenroom transcribe` runs; faster-whisper runs
//! with its own defaults (`scripts/fw_transcribe.py`). Print the whole report with
//! `cargo test -p greenroom-engine --test realspeech -- --nocapture`.
//!
//! The floors below are Greenroom's measured numbers with a small margin: a change that
//! makes real speech worse fails here, whatever the synthetic suites say.

mod common;

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;

use greenroom_core::Lang;
use greenroom_engine::transcribe::{read_wav_16k, LanguagePlan, TranscribeOptions, Transcriber};
use greenroom_testbed::realspeech::{kspon_dir, read_manifest, shared_dir, Clip};
use greenroom_testbed::score::{error_rate, inventions, ErrorRate, Invention};

/// Greenroom's pooled error rates may not rise above these: measured 7.5 % (8 errors in
/// 106 words; a ninth is 8.5 %) and 32.3 %, base, one thread, 2026-12-07.
const FLOOR_EN_WER: f64 = 0.085;
const FLOOR_KSPON_CER: f64 = 0.34;
/// Clips with invented text, at most: measured 11 (1 English, 10 KsponSpeech).
const FLOOR_INVENTIONS: usize = 12;

struct Scored {
    clip: Clip,
    text: String,
    rate: ErrorRate,
    invented: Vec<Invention>,
}

fn score(clip: &Clip, text: String) -> Scored {
    Scored {
        rate: error_rate(clip.lang, &clip.reference, &text),
        invented: inventions(clip.lang, &clip.reference, &text),
        clip: clip.clone(),
        text,
    }
}

fn greenroom(models: &Path, clips: &[Clip]) -> Vec<Scored> {
    let t = Transcriber::new(&models.join("base.ggml"), TranscribeOptions::default())
        .expect("base loads");
    clips
        .iter()
        .map(|c| {
            let audio = read_wav_16k(&c.path).expect("the clip reads");
            let transcript = t
                .transcribe(
                    &audio.samples,
                    &LanguagePlan::only(c.lang),
                    &mut |_| {},
                    &AtomicBool::new(false),
                )
                .expect("Greenroom transcribes the clip");
            score(c, transcript.text())
        })
        .collect()
}

/// faster-whisper through its own virtualenv (`$GREENROOM_FW_PYTHON`, set by ./x test).
fn faster_whisper(models: &Path, clips: &[Clip]) -> Option<Vec<Scored>> {
    let Some(python) = std::env::var_os("GREENROOM_FW_PYTHON") else {
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "GREENROOM_FW_PYTHON is required under ./x test (scripts/bench-faster-whisper.sh)"
        );
        eprintln!("skipped: the faster-whisper side (GREENROOM_FW_PYTHON is not set)");
        return None;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/fw_transcribe.py");
    let mut child = Command::new(python)
        .arg(script)
        .arg("--model")
        .arg(models.join("ct2/base"))
        .args(["--threads", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("faster-whisper starts");
    let mut input = String::new();
    for c in clips {
        let lang = match c.lang {
            Lang::En => "en",
            Lang::Ko => "ko",
        };
        input.push_str(&format!("{}\t{lang}\t{}\n", c.name, c.path.display()));
    }
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("clip list written");
    let out = child.wait_with_output().expect("faster-whisper runs");
    assert!(out.status.success(), "faster-whisper failed");
    let texts: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(texts.len(), clips.len(), "one transcript a clip");
    Some(
        clips
            .iter()
            .zip(texts)
            .map(|(c, v)| {
                assert_eq!(v["name"], c.name.as_str());
                score(c, v["text"].as_str().unwrap_or_default().to_owned())
            })
            .collect(),
    )
}

/// Writes one set's numbers for both engines into `out`; returns Greenroom's pooled rate
/// and the number of its clips with invented text.
fn report(
    out: &mut String,
    set: &str,
    unit: &str,
    ours: &[Scored],
    theirs: Option<&[Scored]>,
) -> (f64, usize) {
    let pooled = |s: &[Scored]| ErrorRate::pooled(s.iter().map(|x| x.rate)).rate();
    let invented = |s: &[Scored]| s.iter().filter(|x| !x.invented.is_empty()).count();
    let (rate, inv) = (pooled(ours), invented(ours));
    match theirs {
        Some(t) => {
            let better = ours
                .iter()
                .zip(t)
                .filter(|(a, b)| a.rate.errors < b.rate.errors)
                .count();
            let worse = ours
                .iter()
                .zip(t)
                .filter(|(a, b)| a.rate.errors > b.rate.errors)
                .count();
            writeln!(
                out,
                "{set}: {} clips, {unit}: Greenroom {:.1} %, faster-whisper {:.1} % (same base weights); \
                 clips with invented text: Greenroom {inv}, faster-whisper {}; Greenroom better on {better}, worse on {worse}",
                ours.len(),
                rate * 100.0,
                pooled(t) * 100.0,
                invented(t)
            )
        }
        None => writeln!(
            out,
            "{set}: {} clips, {unit}: Greenroom {:.1} %; clips with invented text: {inv}",
            ours.len(),
            rate * 100.0
        ),
    }
    .expect("a string");
    let mut worst: Vec<usize> = (0..ours.len()).collect();
    worst.sort_by_key(|&i| std::cmp::Reverse(ours[i].rate.errors));
    for &i in worst.iter().take(5) {
        let s = &ours[i];
        writeln!(
            out,
            "  {:<22} {:>3} errors / {:<3} | reference: {}\n  {:<22} Greenroom:      {}{}",
            s.clip.name,
            s.rate.errors,
            s.rate.length,
            s.clip.reference,
            "",
            s.text,
            if s.invented.is_empty() {
                String::new()
            } else {
                format!("  [invented: {:?}]", s.invented)
            }
        )
        .expect("a string");
        if let Some(t) = theirs {
            writeln!(out, "  {:<22} faster-whisper: {}", "", t[i].text).expect("a string");
        }
    }
    (rate, inv)
}

#[test]
fn real_speech_is_transcribed_at_least_as_well_as_measured() {
    let Some(models) = common::test_models(&["base.ggml", "ct2/base/model.bin"]) else {
        return;
    };
    let shared = match read_manifest(&shared_dir()) {
        Ok(c) => c,
        Err(e) => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
                "the shared real-speech clips are required: {e}"
            );
            eprintln!("skipped: the shared real-speech clips ({e})");
            return;
        }
    };
    let mut out = String::new();
    let kspon = read_manifest(&kspon_dir()).unwrap_or_else(|e| {
        writeln!(
            out,
            "skipped: the KsponSpeech development clips ({e}); scripts/realspeech.sh says how to cache them"
        )
        .expect("a string");
        vec![]
    });
    let _whisper = common::whisper_lock();
    // Each set with the most its pooled error rate may reach (none for one sentence).
    let sets: Vec<(&str, Vec<Clip>, Option<f64>)> = vec![
        (
            "English (shared clips)",
            shared
                .iter()
                .filter(|c| c.lang == Lang::En)
                .cloned()
                .collect(),
            Some(FLOOR_EN_WER),
        ),
        (
            "Korean (shared sentence)",
            shared
                .iter()
                .filter(|c| c.lang == Lang::Ko)
                .cloned()
                .collect(),
            None,
        ),
        ("Korean (KsponSpeech 1-50)", kspon, Some(FLOOR_KSPON_CER)),
    ];
    let mut total_inventions = 0;
    let mut rates = vec![];
    for (set, clips, floor) in &sets {
        if clips.is_empty() {
            continue;
        }
        let unit = if clips[0].lang == Lang::En {
            "WER"
        } else {
            "CER"
        };
        let ours = greenroom(&models, clips);
        let theirs = faster_whisper(&models, clips);
        let (rate, invented) = report(&mut out, set, unit, &ours, theirs.as_deref());
        total_inventions += invented;
        rates.push((*set, rate, *floor));
    }
    // The report goes to the test's output and, under ./x test, to artifacts/ (./x prints
    // it: a passing test's output is not shown).
    eprint!("{out}");
    if let Some(dir) = std::env::var_os("GREENROOM_ARTIFACTS") {
        std::fs::create_dir_all(&dir).expect("artifacts folder");
        std::fs::write(Path::new(&dir).join("realspeech.txt"), &out).expect("report written");
    }
    for (set, rate, floor) in rates {
        if let Some(floor) = floor {
            assert!(rate <= floor, "{set}: {rate:.3}, above the floor {floor}");
        }
    }
    assert!(
        total_inventions <= FLOOR_INVENTIONS,
        "{total_inventions} clips with invented text"
    );
}
