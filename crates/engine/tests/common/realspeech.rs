//! The real-speech evaluation's parts, shared by its test (`tests/realspeech.rs`) and its
//! benchmark (`benches/realspeech.rs`): Greenroom and faster-whisper over the same clips,
//! each transcript scored against its human reference.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use greenroom_core::Lang;
use greenroom_engine::transcribe::{read_wav_16k, LanguagePlan, Transcriber};
use greenroom_testbed::realspeech::Clip;
use greenroom_testbed::score::{error_rate, inventions, ErrorRate, Invention};

/// One clip transcribed and scored.
pub struct Scored {
    pub clip: Clip,
    pub text: String,
    pub rate: ErrorRate,
    pub invented: Vec<Invention>,
    /// Transcription time (model loading excluded).
    pub time: Duration,
}

pub fn score(clip: &Clip, text: String, time: Duration) -> Scored {
    Scored {
        rate: error_rate(clip.lang, &clip.reference, &text),
        invented: inventions(clip.lang, &clip.reference, &text),
        clip: clip.clone(),
        text,
        time,
    }
}

/// Greenroom over `clips` as `greenroom transcribe` runs it (the language forced).
pub fn greenroom(t: &Transcriber, clips: &[Clip]) -> Vec<Scored> {
    clips
        .iter()
        .map(|c| {
            let audio = read_wav_16k(&c.path).expect("the clip reads");
            let started = Instant::now();
            let transcript = t
                .transcribe(
                    &audio.samples,
                    &LanguagePlan::only(c.lang),
                    &mut |_| {},
                    &AtomicBool::new(false),
                )
                .expect("Greenroom transcribes the clip");
            score(c, transcript.text(), started.elapsed())
        })
        .collect()
}

/// faster-whisper through its own virtualenv (`$GREENROOM_FW_PYTHON`, set by ./x test) on
/// the CTranslate2 base weights, one thread, with its defaults but for `beam_size`.
/// `None` when the virtualenv is not set (an error under ./x test).
pub fn faster_whisper(models: &Path, clips: &[Clip], beam_size: u32) -> Option<Vec<Scored>> {
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
        .args(["--threads", "1", "--beam-size", &beam_size.to_string()])
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
                let secs = v["seconds"].as_f64().unwrap_or_default();
                score(
                    c,
                    v["text"].as_str().unwrap_or_default().to_owned(),
                    Duration::from_secs_f64(secs),
                )
            })
            .collect(),
    )
}

/// The pooled error rate of a set.
pub fn pooled(s: &[Scored]) -> f64 {
    ErrorRate::pooled(s.iter().map(|x| x.rate)).rate()
}

/// Clips with invented text.
pub fn invented(s: &[Scored]) -> usize {
    s.iter().filter(|x| !x.invented.is_empty()).count()
}

/// Transcription time over audio time.
pub fn real_time_factor(s: &[Scored]) -> f64 {
    let time: f64 = s.iter().map(|x| x.time.as_secs_f64()).sum();
    let audio: f64 = s.iter().map(|x| x.clip.seconds).sum();
    time / audio.max(1e-9)
}

/// Writes one set's numbers for both engines into `out`, with its worst clips.
pub fn report(out: &mut String, set: &str, ours: &[Scored], theirs: Option<&[Scored]>) {
    let unit = match ours.first().map(|s| s.clip.lang) {
        Some(Lang::Ko) => "CER",
        _ => "WER",
    };
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
}
