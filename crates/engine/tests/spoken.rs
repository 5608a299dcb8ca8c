//! Interview answers spoken by a neural voice (Piper), with thinking pauses of 2.5-4 s,
//! transcribed on both paths: imported and transcribed as a take (batch), and streamed
//! while "recorded". Every sentence, pause and word onset is known by construction
//! (`scripts/speech.py`), and the transcripts are held against that truth:
//!
//! - every sentence is there (WER against the script <= 10 % per answer): nothing after a
//!   pause of digital silence is dropped;
//! - every pause of 2.5 s or more is found by the review with its length within 0.3 s;
//! - word onsets are within 100 ms (median) and 250 ms (95th percentile) of the truth.
//!
//! Needs `GREENROOM_TEST_MODELS` (base), `GREENROOM_TEST_VOICE` (scripts/voice.sh) and sox;
//! without them each test prints why it is skipped and passes (under `./x test` it fails).
//! The margins were measured on several renderings of the voice (it varies from run to
//! run; a machine speaks each fixture once and caches it) and with both of whisper.cpp's
//! x86 code paths, AVX-512 (native here) and AVX2 (`GREENROOM_WHISPER_CPU=x86-64-v3`), as
//! docs/practice-and-transcription.md, "Word timings", says.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use greenroom_engine::core::bank::Track;
use greenroom_engine::core::coach::{coach, AnswerContext, Envelope};
use greenroom_engine::core::transcript::Transcript;
use greenroom_engine::core::Lang;
use greenroom_engine::practice::{import_take, load_bank, ImportTake};
use greenroom_engine::review::envelope_of;
use greenroom_engine::store::Store;
use greenroom_engine::transcribe::streaming::StreamingTranscriber;
use greenroom_engine::transcribe::{transcribe_take, LanguagePlan, TranscribeOptions, Transcriber};

use common::answers::{Answer, ANSWERS};
use common::{align, plain_word, quantile, spoken, whisper_lock, SpokenTruth};

/// A pause of at least this much is a thinking pause the review must report.
const LONG_PAUSE_MS: u64 = 2_500;

fn base() -> Option<Arc<Transcriber>> {
    let dir = common::test_models(&["base.ggml"])?;
    static T: OnceLock<Arc<Transcriber>> = OnceLock::new();
    Some(
        T.get_or_init(|| {
            Arc::new(
                Transcriber::new(&dir.join("base.ggml"), TranscribeOptions::default())
                    .expect("base loads"),
            )
        })
        .clone(),
    )
}

/// The fixtures, spoken once per test binary.
fn fixtures(dir: &Path) -> Option<Vec<(&'static Answer, std::path::PathBuf, SpokenTruth)>> {
    let voice = common::test_voice()?;
    Some(
        ANSWERS
            .iter()
            .map(|a| {
                let (parts, extra) = a.spec(common::voice_take());
                let (wav, truth) = spoken(&voice, dir, a.name, &parts, extra);
                (a, wav, truth)
            })
            .collect(),
    )
}

/// Words without fillers, for WER (Whisper keeps some fillers and not others).
fn content_words(text: &str) -> Vec<String> {
    const FILLERS: &[&str] = &["um", "umm", "uh", "uhh", "hmm", "mm", "er", "ah"];
    text.split_whitespace()
        .map(plain_word)
        .filter(|w| !w.is_empty() && !FILLERS.contains(&w.as_str()))
        .collect()
}

fn wer(reference: &str, hyp: &str) -> f64 {
    common::edit_rate(&content_words(reference), &content_words(hyp))
}

/// What one path produced for one answer, judged against its truth.
struct Judged {
    wer: f64,
    onset_errors: Vec<u64>,
    /// (truth pause, the review's pause there, if any), for pauses >= 2.5 s.
    pauses: Vec<(u64, Option<u64>)>,
    /// Sentences with fewer than half of their words recognised in their time span.
    missing_sentences: Vec<String>,
    /// The words with their times, for the record.
    words: String,
}

fn judge(a: &Answer, truth: &SpokenTruth, tr: &Transcript, envelope: &Envelope) -> Judged {
    let hyp: Vec<String> = tr.words.iter().map(|w| plain_word(&w.text)).collect();
    let reference: Vec<String> = truth.words.iter().map(|w| plain_word(&w.text)).collect();
    let pairs = align(&reference, &hyp);
    let onset_errors = pairs
        .iter()
        .map(|&(r, h)| tr.words[h].start_ms.abs_diff(truth.words[r].start_ms))
        .collect();
    let missing_sentences = truth
        .sentences
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let total = truth.words.iter().filter(|w| w.sentence == *i).count();
            let heard = pairs
                .iter()
                .filter(|&&(r, _)| truth.words[r].sentence == *i)
                .count();
            heard * 2 < total
        })
        .map(|(_, s)| s.text.clone())
        .collect();
    let ctx = AnswerContext::of(tr, Lang::En, Some(Track::CsOs));
    let review = coach(tr, envelope, &ctx);
    let pauses = truth
        .pauses
        .iter()
        .filter(|p| p.length_ms() >= LONG_PAUSE_MS)
        .map(|p| {
            // The gap between the words on either side, as the review measures pauses.
            let found = tr
                .words
                .windows(2)
                .map(|w| (w[0].end_ms, w[1].start_ms.max(w[0].end_ms)))
                .filter(|&(s, e)| s < p.end_ms && e > p.start_ms)
                .map(|(s, e)| e - s)
                .max();
            // And the review lists it (clearly over its 2.5 s threshold).
            if found.is_some_and(|f| f >= LONG_PAUSE_MS + 100) {
                assert!(
                    review
                        .pauses
                        .pauses
                        .iter()
                        .any(|q| q.start_ms < p.end_ms && q.end_ms > p.start_ms),
                    "the review does not list the pause at {} ms: {:?}",
                    p.start_ms,
                    review.pauses
                );
            }
            (p.length_ms(), found)
        })
        .collect();
    let words = tr
        .words
        .iter()
        .map(|w| format!("{}@{}-{}", w.text, w.start_ms, w.end_ms))
        .collect::<Vec<_>>()
        .join(" ");
    Judged {
        wer: wer(&a.script(), &tr.text()),
        onset_errors,
        pauses,
        missing_sentences,
        words,
    }
}

/// The bounds, over all answers of one path.
fn check(path: &str, judged: &[(&str, Judged)]) {
    let mut onsets = Vec::new();
    for (name, j) in judged {
        println!(
            "{path} {name}: WER {:.1} %, onsets median {} ms p95 {} ms, pauses (truth, \
             found) {:?}",
            j.wer * 100.0,
            quantile(&j.onset_errors, 0.5),
            quantile(&j.onset_errors, 0.95),
            j.pauses
        );
        onsets.extend(&j.onset_errors);
    }
    for (name, j) in judged {
        if j.wer > 0.10 || !j.missing_sentences.is_empty() {
            println!("{path} {name}: {}", j.words);
        }
        assert!(
            j.missing_sentences.is_empty(),
            "{path} {name}: dropped {:?}",
            j.missing_sentences
        );
        assert!(j.wer <= 0.10, "{path} {name}: WER {:.1} %", j.wer * 100.0);
        for &(truth, found) in &j.pauses {
            let found = found
                .unwrap_or_else(|| panic!("{path} {name}: the {truth} ms pause was not found"));
            assert!(
                found.abs_diff(truth) <= 300,
                "{path} {name}: a {truth} ms pause was reported as {found} ms"
            );
        }
    }
    let (median, p95) = (quantile(&onsets, 0.5), quantile(&onsets, 0.95));
    println!(
        "{path}: {} word onsets, median error {median} ms, p95 {p95} ms",
        onsets.len()
    );
    assert!(median <= 100, "{path}: median onset error {median} ms");
    assert!(p95 <= 250, "{path}: p95 onset error {p95} ms");
}

#[test]
fn imported_answers_keep_every_sentence_and_true_timings() {
    let Some(t) = base() else { return };
    let dir = tempfile::tempdir().unwrap();
    let Some(fixtures) = fixtures(dir.path()) else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let store = Store::open(home.path()).unwrap();
    let (bank, _) = load_bank(home.path());
    let question = bank.questions()[0].id.clone();
    let _lock = whisper_lock();
    let mut judged = Vec::new();
    for (a, wav, truth) in &fixtures {
        // As a user would: import the recording as a take, transcribe it, review it.
        let take = import_take(
            &store,
            &bank,
            wav,
            &ImportTake {
                question_id: question.clone(),
                follow_up: None,
                language: Lang::En,
                switch_at_ms: None,
            },
        )
        .unwrap();
        let tr = transcribe_take(&store, &take.id, &t, &mut |_| {}, &AtomicBool::new(false))
            .unwrap()
            .transcript;
        assert!(
            tr.duration_ms.abs_diff(truth.duration_ms) <= 5,
            "{}",
            a.name
        );
        judged.push((a.name, judge(a, truth, &tr, &envelope_of(&take.audio_path))));
    }
    check("batch", &judged);
}

#[test]
fn streamed_answers_match_the_truth_and_are_ready_at_stop() {
    let Some(t) = base() else { return };
    let dir = tempfile::tempdir().unwrap();
    let Some(fixtures) = fixtures(dir.path()) else {
        return;
    };
    let _lock = whisper_lock();
    let mut judged = Vec::new();
    for (a, wav, truth) in &fixtures {
        let (rate, audio) = common::read_wav(wav);
        assert_eq!(rate, 48_000);
        let s = StreamingTranscriber::start(t.clone(), LanguagePlan::only(Lang::En), rate);
        // Twice real time: the worker keeps up on a quiet machine and lags when busy,
        // as while recording; the cuts (and so the text) depend on which.
        let chunk = rate as usize / 10;
        let started = Instant::now();
        for (i, c) in audio.chunks(chunk).enumerate() {
            let due = started + Duration::from_millis(50 * i as u64);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            s.push(c);
        }
        let tr = s.finish().unwrap();
        assert!(
            tr.duration_ms.abs_diff(truth.duration_ms) <= 5,
            "{}",
            a.name
        );
        judged.push((a.name, judge(a, truth, &tr, &envelope_of(wav))));
    }
    check("streaming", &judged);
}
