//! Transcription with the real test models (docs/testing.md, "Test models"): English accuracy and word timings,
//! fillers kept by the prompt, nothing invented for silence or noise, the Korean path with
//! the English switch, fitted encoder windows, resampled input, cancellation.
//!
//! Needs `GREENROOM_TEST_MODELS` (set by `setup_models` in `scripts/models.sh`) with
//! `tiny.en.ggml` and `base.ggml`, and `espeak-ng` and `sox` for the speech. Without the
//! models each test prints why it is skipped and passes. Whisper runs one at a time here
//! (a lock), with the machine-chosen thread count, so tests do not fight over the cores.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use greenroom_engine::core::bank::Track;
use greenroom_engine::core::transcript::Transcript;
use greenroom_engine::core::{Lang, Localized};
use greenroom_engine::models::{ModelError, ModelStore};
use greenroom_engine::store::{MarkerKind, NewTake, Store, TakeId, TakeStatus, TRANSCRIPT_FILE};
use greenroom_engine::transcribe::{
    read_transcript, transcribe_file, transcribe_take, transcript_file_name, EncoderWindow,
    LanguagePlan, RunTuning, TranscribeOptions, Transcriber,
};
use greenroom_engine::EngineError;

use common::{run_tool, whisper_lock};

/// An answer with fillers where people put them. Spoken by espeak-ng; `um` and `uh` come
/// out as the sounds, not spelled.
const ANSWER: &str = "Um, I think the most important part of my last project was the \
    migration. Uh, we moved every customer to the new storage system without losing any \
    data. Um, we kept the old service running until the very end. Uh, looking back, I would \
    write the plan down earlier. Um, and I would ask the support engineers for feedback.";
const SHORT: &str = "Looking back, I would write the plan down earlier and ask for feedback.";
const KOREAN: &str = "안녕하세요. 저는 클라우드 엔지니어가 되고 싶습니다.";
const ENGLISH_AFTER_SWITCH: &str =
    "I would monitor the system and fix the problem quickly for the customer.";

const UM: &[&str] = &["um", "umm", "uhm", "hmm", "mm"];
const UH: &[&str] = &["uh", "uhh", "er", "ah", "eh"];

fn models() -> Option<PathBuf> {
    common::test_models(&["tiny.en.ggml", "base.ggml"])
}

fn tiny() -> &'static Transcriber {
    static T: OnceLock<Transcriber> = OnceLock::new();
    T.get_or_init(|| load("tiny.en.ggml"))
}

fn base() -> &'static Transcriber {
    static T: OnceLock<Transcriber> = OnceLock::new();
    T.get_or_init(|| load("base.ggml"))
}

fn load(file: &str) -> Transcriber {
    let dir = models().expect("models checked by the caller");
    Transcriber::new(&dir.join(file), TranscribeOptions::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Speech as docs/testing.md, "Spoken test audio" makes it: espeak-ng, then 16 kHz mono 16-bit, -2 dB, 0.6 s tail.
fn speech(dir: &Path, name: &str, voice: &str, text: &str) -> PathBuf {
    common::espeak_wav(dir, name, voice, text, 16_000, 0.6)
}

fn read16k(path: &Path) -> Vec<f32> {
    let (rate, samples) = common::read_wav(path);
    assert_eq!(rate, 16_000);
    samples
}

fn write16k(path: &Path, samples: &[f32]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

/// White noise, `dbfs` RMS.
fn noise(n: usize, dbfs: f32) -> Vec<f32> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let amp = 10f32.powf(dbfs / 20.0) * 3f32.sqrt();
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32 * amp
        })
        .collect()
}

fn normalize(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn is_filler(w: &str) -> bool {
    UM.contains(&w) || UH.contains(&w)
}

/// Word error rate of `hyp` against `reference`, fillers left out of both (they are
/// counted separately).
fn wer(reference: &str, hyp: &str) -> f64 {
    let keep =
        |t: &str| -> Vec<String> { normalize(t).into_iter().filter(|w| !is_filler(w)).collect() };
    common::edit_rate(&keep(reference), &keep(hyp))
}

/// (um, uh) counts.
fn fillers(text: &str) -> (usize, usize) {
    let words = normalize(text);
    (
        words.iter().filter(|w| UM.contains(&w.as_str())).count(),
        words.iter().filter(|w| UH.contains(&w.as_str())).count(),
    )
}

fn transcribe(t: &Transcriber, audio: &[f32], plan: LanguagePlan) -> (Transcript, Vec<f32>) {
    let _lock = whisper_lock();
    let mut seen = Vec::new();
    let started = Instant::now();
    let tr = t
        .transcribe(audio, &plan, &mut |p| seen.push(p), &AtomicBool::new(false))
        .unwrap();
    println!(
        "{} ({} threads): {:.1} s of audio in {:.2} s",
        t.name(),
        t.threads(),
        audio.len() as f64 / 16_000.0,
        started.elapsed().as_secs_f64()
    );
    (tr, seen)
}

fn check_words(tr: &Transcript, audio_ms: u64) {
    assert!(!tr.words.is_empty());
    let mut last = 0;
    for w in &tr.words {
        assert!(w.start_ms >= last, "not monotonic at {w:?}");
        assert!(w.end_ms >= w.start_ms, "{w:?}");
        assert!(w.end_ms <= audio_ms, "{w:?} past the end ({audio_ms} ms)");
        assert!((0.0..=1.0).contains(&w.prob), "{w:?}");
        last = w.start_ms;
    }
    for s in &tr.segments {
        assert!(s.start_ms <= s.end_ms && s.end_ms <= audio_ms, "{s:?}");
    }
}

#[test]
fn english_answers_are_accurate_with_timings_and_fillers() {
    let Some(_) = models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let audio = read16k(&speech(dir.path(), "answer", "en-us", ANSWER));
    let audio_ms = audio.len() as u64 * 1000 / 16_000;
    let (spoken_um, spoken_uh) = fillers(ANSWER);
    assert_eq!((spoken_um, spoken_uh), (3, 2));

    for t in [tiny(), base()] {
        let (tr, seen) = transcribe(t, &audio, LanguagePlan::only(Lang::En));
        let text = tr.text();
        let w = wer(ANSWER, &text);
        let (um, uh) = fillers(&text);
        let kept = (um.min(spoken_um) + uh.min(spoken_uh)) as f64 / (spoken_um + spoken_uh) as f64;
        println!(
            "{}: WER {:.1} %, fillers kept {um}/{spoken_um} um, {uh}/{spoken_uh} uh: {text}",
            t.name(),
            w * 100.0
        );
        assert!(w <= 0.10, "{}: WER {:.1} %: {text}", t.name(), w * 100.0);
        assert!(
            kept >= 0.8,
            "{}: only {:.0} % of fillers kept: {text}",
            t.name(),
            kept * 100.0
        );
        assert_eq!(tr.model, t.name());
        assert_eq!(tr.duration_ms, audio_ms);
        assert!(tr.words.iter().all(|w| w.lang == Lang::En));
        check_words(&tr, audio_ms);
        // The words are the text.
        let joined: Vec<String> = tr.words.iter().map(|w| w.text.clone()).collect();
        assert_eq!(normalize(&joined.join(" ")), normalize(&text));
        // Progress: from 0 to 1, never backwards.
        assert_eq!(seen.first(), Some(&0.0));
        assert_eq!(seen.last(), Some(&1.0));
        assert!(seen.windows(2).all(|p| p[0] <= p[1]), "{seen:?}");
    }
}

#[test]
fn without_the_prompt_fillers_are_mostly_lost() {
    // Shows what the prompt is for (docs/practice-and-transcription.md, "Whisper settings"); informative, it asserts only that the
    // prompt does not make things worse.
    let Some(dir) = models() else { return };
    let work = tempfile::tempdir().unwrap();
    let audio = read16k(&speech(work.path(), "answer", "en-us", ANSWER));
    let bare = Transcriber::new(
        &dir.join("tiny.en.ggml"),
        TranscribeOptions {
            no_filler_prompt: true,
            ..TranscribeOptions::default()
        },
    )
    .unwrap();
    let (plain, _) = transcribe(&bare, &audio, LanguagePlan::only(Lang::En));
    let (prompted, _) = transcribe(tiny(), &audio, LanguagePlan::only(Lang::En));
    let (a, b) = (fillers(&plain.text()), fillers(&prompted.text()));
    println!(
        "tiny.en fillers without prompt: {a:?} (WER {:.1} %), with: {b:?} (WER {:.1} %)",
        wer(ANSWER, &plain.text()) * 100.0,
        wer(ANSWER, &prompted.text()) * 100.0
    );
    assert!(b.0 + b.1 >= a.0 + a.1);
}

#[test]
fn silence_and_noise_give_an_empty_transcript() {
    let Some(_) = models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let silence = dir.path().join("silence.wav");
    write16k(&silence, &vec![0.0; 16_000 * 8]);
    let hiss = dir.path().join("noise.wav");
    write16k(&hiss, &noise(16_000 * 8, -30.0));
    let cancel = AtomicBool::new(false);
    for (path, lang, t) in [
        (&silence, Lang::En, tiny()),
        (&hiss, Lang::En, tiny()),
        (&silence, Lang::Ko, base()),
        (&hiss, Lang::Ko, base()),
    ] {
        let _lock = whisper_lock();
        let tr = transcribe_file(path, t, lang, None, &mut |_| {}, &cancel).unwrap();
        assert!(
            tr.segments.is_empty() && tr.words.is_empty(),
            "{} ({lang:?}) invented: {}",
            path.display(),
            tr.text()
        );
        assert_eq!(tr.duration_ms, 8_000);
    }
}

#[test]
fn nothing_is_invented_in_a_long_quiet_tail() {
    let Some(_) = models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut audio = read16k(&speech(dir.path(), "short", "en-us", SHORT));
    // 25 s of room noise at -65 dBFS after the sentence.
    audio.extend(noise(16_000 * 25, -65.0));
    let (tr, _) = transcribe(tiny(), &audio, LanguagePlan::only(Lang::En));
    let w = wer(SHORT, &tr.text());
    println!("speech + quiet tail: WER {:.1} %: {}", w * 100.0, tr.text());
    // The sentence is there (what this test asks; accuracy is spoken.rs' and
    // realspeech.rs'): tiny.en's full pass on this one espeak sentence writes 2 of its 13
    // words differently ("down" -> "that", "a feedback"), 15.4 %; the quick pass wrote 1.
    assert!(w <= 0.20, "{}", tr.text());
    let speech_end = tr.words.last().unwrap().end_ms;
    assert!(
        speech_end < 8_000,
        "words in the tail: {:?}",
        tr.words.last()
    );
}

#[test]
fn korean_is_forced_and_english_follows_the_switch() {
    let Some(_) = models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ko = read16k(&speech(dir.path(), "ko", "ko", KOREAN));
    let en = read16k(&speech(dir.path(), "en", "en-us", ENGLISH_AFTER_SWITCH));

    // Korean alone: forced `ko` gives Hangul (espeak's Korean is not intelligible enough to
    // judge accuracy, docs/testing.md, "Spoken test audio").
    let (tr, _) = transcribe(base(), &ko, LanguagePlan::only(Lang::Ko));
    println!("ko: {}", tr.text());
    assert!(tr.text().chars().any(is_hangul), "no Hangul: {}", tr.text());
    assert!(tr.words.iter().all(|w| w.lang == Lang::Ko));

    // An English-only model cannot do Korean: a clear error, before any work.
    let err = tiny()
        .transcribe(
            &ko,
            &LanguagePlan::only(Lang::Ko),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert!(
        matches!(&err, EngineError::InvalidArgument { detail, .. } if detail.contains("English-only")),
        "{err}"
    );

    // A take: Korean, 0.4 s pause, English; the marker in the pause. Recorded at 48 kHz.
    let mut both = ko.clone();
    both.extend(vec![0.0; 6_400]);
    let switch_ms = (ko.len() as u64 + 3_200) * 1000 / 16_000;
    both.extend(&en);
    let home = tempfile::tempdir().unwrap();
    let store = Store::open(home.path()).unwrap();
    let take = store
        .begin_take(&NewTake {
            question_id: "personal-why-cloud".into(),
            track: Track::Personal,
            prompt: Localized::new("Why cloud?", "왜 클라우드인가요?"),
            follow_up: None,
            session_id: None,
            sample_rate: 48_000,
            channels: 1,
            input_device: "test".into(),
            language: Lang::Ko,
            retake_of: None,
        })
        .unwrap();
    let tmp = dir.path().join("both16k.wav");
    write16k(&tmp, &both);
    run_tool(
        Command::new("sox")
            .arg(&tmp)
            .args(["-r", "48000"])
            .arg(&take.audio_path),
    );
    store
        .add_marker(&take.id, MarkerKind::EnglishSwitch, switch_ms)
        .unwrap();
    let duration_ms = both.len() as u64 * 1000 / 16_000;
    store
        .finish_take(&take.id, duration_ms, TakeStatus::Complete, None)
        .unwrap();

    let result = {
        let _lock = whisper_lock();
        transcribe_take(
            &store,
            &take.id,
            base(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap()
    };
    let tr = &result.transcript;
    println!("ko+en: {}", tr.text());
    for w in &tr.words {
        println!(
            "  {:>6} {:>6} {:?} {:.2} {}",
            w.start_ms, w.end_ms, w.lang, w.prob, w.text
        );
    }
    assert_eq!(tr.switch_at_ms, Some(switch_ms));
    check_words(tr, duration_ms);
    let (before, after): (Vec<_>, Vec<_>) = tr.words.iter().partition(|w| w.start_ms < switch_ms);
    assert!(before.iter().all(|w| w.lang == Lang::Ko), "{before:?}");
    assert!(
        before.iter().any(|w| w.text.chars().any(is_hangul)),
        "{before:?}"
    );
    assert!(after.iter().all(|w| w.lang == Lang::En), "{after:?}");
    let after_text: Vec<String> = after.iter().map(|w| w.text.clone()).collect();
    let after_text = after_text.join(" ");
    assert!(
        after_text.chars().filter(char::is_ascii_alphabetic).count() > 20
            && !after_text.chars().any(is_hangul),
        "after the switch: {after_text}"
    );
    let w = wer(ENGLISH_AFTER_SWITCH, &after_text);
    println!("English after the switch: WER {:.1} %", w * 100.0);
    assert!(w <= 0.25, "{after_text}");

    // Stored with the take.
    assert_eq!(result.saved.model, "base");
    assert_eq!(result.saved.language, Lang::Ko);
    assert_eq!(result.saved.word_count as usize, tr.words.len());
    assert_eq!(
        result.saved.path,
        take.dir.join(transcript_file_name("base"))
    );
    assert_eq!(read_transcript(&result.saved.path).unwrap(), *tr);
    assert_eq!(
        read_transcript(&take.dir.join(TRANSCRIPT_FILE)).unwrap(),
        *tr
    );
    assert_eq!(
        store.transcripts(&take.id).unwrap(),
        vec![result.saved.clone()]
    );
}

/// Streamed stretches use an encoder window fitted to their length (the latency at stop):
/// on stretches cut as the streamer cuts them — at a pause, 2 to 28 s long — it gives the
/// full window's words, in English and in Korean, with timings inside the stretch.
#[test]
fn fitted_encoder_windows_transcribe_stretches_as_the_full_window_does() {
    let Some(_) = models() else { return };
    let dir = tempfile::tempdir().unwrap();
    // espeak's speech and its 0.6 s of padding (the pause the streamer cuts in).
    let short = read16k(&speech(dir.path(), "short", "en-us", SHORT));
    let long = read16k(&speech(dir.path(), "long", "en-us", ANSWER));
    let ko = read16k(&speech(dir.path(), "ko", "ko", KOREAN));
    // Near the longest fitted window (29 s).
    let near_limit: Vec<f32> = long.iter().chain(&short).copied().collect();
    assert!(near_limit.len() > 16_000 * 26 && near_limit.len() < 16_000 * 29);
    let two_secs = read16k(&speech(
        dir.path(),
        "two",
        "en-us",
        "Thank you for the question.",
    ));
    let run = |t: &Transcriber, audio: &[f32], lang: Lang, window: EncoderWindow| {
        let _lock = whisper_lock();
        let tuning = RunTuning {
            threads: t.threads(),
            window,
            timestamps: false,
        };
        let started = Instant::now();
        let tr = t
            .transcribe_with(
                audio,
                &LanguagePlan::only(lang),
                &mut |_| {},
                &AtomicBool::new(false),
                tuning,
            )
            .unwrap();
        (tr, started.elapsed())
    };
    for (name, audio, lang) in [
        ("2 s", &two_secs[..], Lang::En),
        ("short", &short[..], Lang::En),
        ("long", &long[..], Lang::En),
        ("near the limit", &near_limit[..], Lang::En),
        ("korean", &ko[..], Lang::Ko),
    ] {
        let (full, full_time) = run(base(), audio, lang, EncoderWindow::Full);
        let (fitted, fitted_time) = run(base(), audio, lang, EncoderWindow::Fitted);
        let (a, b) = (full.text(), fitted.text());
        println!(
            "{name} ({:.1} s): full {:.2} s, fitted {:.2} s\n  full:   {a}\n  fitted: {b}",
            audio.len() as f64 / 16_000.0,
            full_time.as_secs_f64(),
            fitted_time.as_secs_f64()
        );
        check_words(&fitted, (audio.len() / 16) as u64);
        if lang == Lang::Ko {
            // espeak's Korean is not intelligible enough for a WER (docs/testing.md, "Spoken test audio"): Hangul, and
            // about as much text as the full window finds.
            assert!(b.chars().any(is_hangul), "no Hangul: {b}");
            let (na, nb) = (a.chars().count() as f64, b.chars().count() as f64);
            assert!(nb >= 0.7 * na && nb <= 1.3 * na, "{a} | {b}");
        } else {
            let w = wer(&a, &b);
            assert!(w <= 0.10, "{name}: fitted vs full WER {:.1} %", w * 100.0);
        }
    }
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

#[test]
fn a_44k_stereo_file_transcribes_like_the_16k_one() {
    let Some(_) = models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let wav16 = speech(dir.path(), "answer", "en-us", ANSWER);
    let wav44 = dir.path().join("answer44.wav");
    run_tool(
        Command::new("sox")
            .arg(&wav16)
            .args(["-r", "44100", "-c", "2", "-b", "24"])
            .arg(&wav44),
    );
    let cancel = AtomicBool::new(false);
    let _lock = whisper_lock();
    let t16 = transcribe_file(&wav16, tiny(), Lang::En, None, &mut |_| {}, &cancel).unwrap();
    let t44 = transcribe_file(&wav44, tiny(), Lang::En, None, &mut |_| {}, &cancel).unwrap();
    let (w16, w44) = (wer(ANSWER, &t16.text()), wer(ANSWER, &t44.text()));
    println!(
        "16 kHz mono: WER {:.1} %; 44.1 kHz stereo 24-bit: WER {:.1} %: {}",
        w16 * 100.0,
        w44 * 100.0,
        t44.text()
    );
    assert!(w44 <= 0.10, "{}", t44.text());
    assert!(t44.duration_ms.abs_diff(t16.duration_ms) <= 1);
}

#[test]
fn cancel_stops_a_long_transcription_within_a_second_even_under_load() {
    let Some(_) = models() else { return };
    let dir = tempfile::tempdir().unwrap();
    let one = read16k(&speech(dir.path(), "answer", "en-us", ANSWER));
    let audio: Vec<f32> = one.iter().copied().cycle().take(one.len() * 4).collect(); // ~90 s
    let _lock = whisper_lock();
    // Cancelled at moments that fall in an encoder pass and in decoding, on an idle
    // machine and with a busy thread on the other core (as when other tests run beside
    // it). whisper.cpp asks the flag between the encoder's graph nodes (vendored patch)
    // and after every decoder step; measured here over two runs (2 cores, base, one
    // thread): 4-105 ms idle, 14-120 ms busy, against 1-2 s (one encoder pass) before the
    // patch. The bound is the goal, 1 s: eight times the worst lag seen.
    let mut lags = Vec::new();
    for (delay_ms, busy) in [(400, false), (1_300, false), (700, true), (2_500, true)] {
        let stop_load = Arc::new(AtomicBool::new(false));
        let load = busy.then(|| {
            let stop = stop_load.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            })
        });
        let cancel = Arc::new(AtomicBool::new(false));
        let setter = {
            let cancel = cancel.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(delay_ms));
                cancel.store(true, Ordering::Relaxed);
                Instant::now()
            })
        };
        let result = base().transcribe(&audio, &LanguagePlan::only(Lang::En), &mut |_| {}, &cancel);
        let returned = Instant::now();
        let cancelled_at = setter.join().unwrap();
        stop_load.store(true, Ordering::Relaxed);
        if let Some(h) = load {
            h.join().unwrap();
        }
        assert!(matches!(result, Err(EngineError::Cancelled)), "{result:?}");
        let lag = returned.saturating_duration_since(cancelled_at);
        println!(
            "cancelled at {delay_ms} ms ({}): returned {:.0} ms after the flag",
            if busy { "busy" } else { "idle" },
            lag.as_secs_f64() * 1000.0
        );
        lags.push(lag);
    }
    for lag in lags {
        assert!(lag < Duration::from_millis(1_000), "took {lag:?} to stop");
    }

    // Cancelled before starting: nothing runs.
    let early = tiny().transcribe(
        &audio,
        &LanguagePlan::only(Lang::En),
        &mut |_| {},
        &AtomicBool::new(true),
    );
    assert!(matches!(early, Err(EngineError::Cancelled)), "{early:?}");
}

#[test]
fn models_and_takes_fail_clearly() {
    let Some(dir) = models() else { return };
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let err = Transcriber::installed(&store, None, TranscribeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("greenroom models import"), "{err}");
    let err =
        Transcriber::installed(&store, Some("nope"), TranscribeOptions::default()).unwrap_err();
    assert!(
        matches!(err, EngineError::Model(ModelError::UnknownModel { .. })),
        "{err}"
    );

    // A damaged file is refused before whisper.cpp sees it.
    let bytes = std::fs::read(dir.join("tiny.en.ggml")).unwrap();
    let broken = home.path().join("broken.bin");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    let err = Transcriber::new(&broken, TranscribeOptions::default()).unwrap_err();
    assert!(
        matches!(err, EngineError::Model(ModelError::InvalidModel { .. })),
        "{err}"
    );

    // Installed: the transcriber carries the installed name.
    store
        .import_ggml(&dir.join("tiny.en.ggml"), Some("tiny-test"))
        .unwrap();
    let t = Transcriber::installed(
        &store,
        None,
        TranscribeOptions {
            threads: Some(1),
            ..TranscribeOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        (t.name(), t.threads(), t.multilingual()),
        ("tiny-test", 1, false)
    );

    let takes = Store::open(home.path()).unwrap();
    let err = transcribe_take(
        &takes,
        &TakeId::new(),
        &t,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(matches!(err, EngineError::InvalidArgument { .. }), "{err}");
}
