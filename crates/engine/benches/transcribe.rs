//! Transcription benchmark: the same ~60 s English answer (espeak-ng, DESIGN §5), the same
//! model and threads, measured side by side in one run:
//!
//! (a) our pipeline (gating, forced language, filler prompt, word timings) against a bare
//!     whisper-rs `full()` call with the same decoding parameters on the same 16 kHz
//!     samples: the overhead (goal <= 5 %);
//! (b) whisper threads, 1 against 2, on an idle machine and with one busy-loop thread as
//!     "other load" (DESIGN §6: threads spin-wait);
//! plus the cost of resampling 48 kHz to 16 kHz and of the silence gate.
//!
//! Later: (c) faster-whisper on the original CT2 weights, (d) stop-to-transcript latency
//! with streaming.
//!
//! `GREENROOM_TEST_MODELS` (scripts/models.sh) must point at the test models; the model is
//! `tiny.en` unless `GREENROOM_BENCH_MODEL=base`. Needs espeak-ng and sox.
//! Run: `cargo bench -p greenroom-engine --bench transcribe`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use greenroom_engine::core::Lang;
use greenroom_engine::transcribe::gate::{GateParams, VoiceMap};
use greenroom_engine::transcribe::pcm::resample_to_16k;
use greenroom_engine::transcribe::{LanguagePlan, TranscribeOptions, Transcriber};
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

const ANSWER: &str = "Um, I think the most important part of my last project was the migration \
    of our storage layer. We had about two hundred customers on the old system, and every one \
    of them had to move without losing any data. Uh, first we wrote down the plan and shared it \
    with the support engineers, because they knew which customers were sensitive to downtime. \
    Then we built a small tool that copied the data in the background and compared checksums. \
    We kept the old service running until the very end, so we could roll back at any moment. \
    The hardest part was a customer whose database was much larger than we expected. Um, we \
    split their migration into ten smaller steps and ran them at night. In the end, nobody lost \
    any data, and the new system was about three times faster. Looking back, I would involve the \
    support team even earlier, and I would measure the performance before and after each step.";

fn main() {
    let Some(models) = std::env::var_os("GREENROOM_TEST_MODELS").filter(|d| !d.is_empty()) else {
        println!("transcribe bench skipped: GREENROOM_TEST_MODELS is not set (scripts/models.sh)");
        return;
    };
    let model_name = std::env::var("GREENROOM_BENCH_MODEL").unwrap_or_else(|_| "tiny.en".into());
    let model = PathBuf::from(models).join(format!("{model_name}.ggml"));
    let work = tempfile::tempdir().expect("temp dir");
    let (audio, audio48) = speech(work.path(), ANSWER);
    let secs = audio.len() as f64 / 16_000.0;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let default_threads = greenroom_engine::transcribe::default_threads();
    println!(
        "transcribe bench: {model_name}, {secs:.1} s espeak answer, {cores} cores, default \
         threads here: {default_threads}"
    );

    // Preprocessing.
    let t = Instant::now();
    let resampled = resample_to_16k(&audio48, 48_000).expect("resample");
    let resample_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(resampled.len().abs_diff(audio.len()) <= 2);
    let t = Instant::now();
    let voice = VoiceMap::detect(&audio, &GateParams::default());
    let gate_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(voice.any_voiced());
    println!(
        "  resample 48 kHz -> 16 kHz: {resample_ms:.0} ms; silence gate: {gate_ms:.1} ms \
         (for {secs:.0} s of audio)"
    );

    // (a) Overhead, at 2 threads (as in DESIGN §6) unless the machine has one core.
    let threads = cores.min(2);
    let ours = load(&model, threads);
    let bare_ctx =
        WhisperContext::new_with_params(&model, WhisperContextParameters::default()).expect("load");
    let prompt = bare_ctx
        .tokenize(greenroom_engine::transcribe::whisper::FILLER_PROMPT_EN, 512)
        .expect("tokenize");
    let mut bare_state = bare_ctx.create_state().expect("state");
    let mut bare_run = |threads: usize| -> (Duration, usize) {
        let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        p.set_n_threads(threads as i32);
        p.set_language(Some("en"));
        p.set_no_context(true);
        p.set_token_timestamps(true);
        p.set_suppress_nst(true);
        p.set_print_progress(false);
        p.set_print_realtime(false);
        p.set_tokens(&prompt);
        let t = Instant::now();
        bare_state.full(p, &audio).expect("full");
        let words: usize = bare_state
            .as_iter()
            .map(|s| s.to_str_lossy().map_or(0, |t| t.split_whitespace().count()))
            .sum();
        (t.elapsed(), words)
    };
    let ours_run = |t: &Transcriber| -> (Duration, usize) {
        let start = Instant::now();
        let tr = t
            .transcribe(
                &audio,
                &LanguagePlan::only(Lang::En),
                &mut |_| {},
                &AtomicBool::new(false),
            )
            .expect("transcribe");
        (start.elapsed(), tr.words.len())
    };
    // Warm up both (first-run allocation), then alternate and keep the best of 3.
    bare_run(threads);
    ours_run(&ours);
    let (mut best_bare, mut best_ours) = (Duration::MAX, Duration::MAX);
    let (mut bare_words, mut our_words) = (0, 0);
    for _ in 0..3 {
        let (d, w) = bare_run(threads);
        best_bare = best_bare.min(d);
        bare_words = w;
        let (d, w) = ours_run(&ours);
        best_ours = best_ours.min(d);
        our_words = w;
    }
    println!(
        "(a) {threads} threads, best of 3: bare full() {:.2} s ({bare_words} words) | our \
         pipeline {:.2} s ({our_words} words) | overhead {:+.1} % | {:.1}x real time",
        best_bare.as_secs_f64(),
        best_ours.as_secs_f64(),
        (best_ours.as_secs_f64() / best_bare.as_secs_f64() - 1.0) * 100.0,
        secs / best_ours.as_secs_f64()
    );

    // (b) Threads, idle and with one busy thread.
    let one = load(&model, 1);
    let two = load(&model, 2);
    for busy in [false, true] {
        let stop = Arc::new(AtomicBool::new(false));
        let load_thread = busy.then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            })
        });
        let (d1, _) = ours_run(&one);
        let (d2, _) = ours_run(&two);
        stop.store(true, Ordering::Relaxed);
        if let Some(h) = load_thread {
            h.join().expect("load thread");
        }
        println!(
            "(b) {}: 1 thread {:.2} s | 2 threads {:.2} s | 2 threads are {:.2}x as fast",
            if busy {
                "with a busy thread"
            } else {
                "idle machine      "
            },
            d1.as_secs_f64(),
            d2.as_secs_f64(),
            d1.as_secs_f64() / d2.as_secs_f64()
        );
    }
}

fn load(model: &Path, threads: usize) -> Transcriber {
    Transcriber::new(
        model,
        TranscribeOptions {
            threads: Some(threads as u32),
            ..TranscribeOptions::default()
        },
    )
    .expect("model loads")
}

/// The answer at 16 kHz (DESIGN §5 recipe) and the same at 48 kHz.
fn speech(dir: &Path, text: &str) -> (Vec<f32>, Vec<f32>) {
    let raw = dir.join("raw.wav");
    let run = |cmd: &mut Command| {
        let ok = cmd.status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "{cmd:?} failed: install espeak-ng and sox");
    };
    run(Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "150", "-w"])
        .arg(&raw)
        .arg(text));
    let mut out = Vec::new();
    for rate in ["16000", "48000"] {
        let wav = dir.join(format!("speech{rate}.wav"));
        run(Command::new("sox")
            .arg(&raw)
            .args(["-r", rate, "-c", "1", "-b", "16"])
            .arg(&wav)
            .args(["gain", "-2", "pad", "0", "0.6"]));
        let mut r = hound::WavReader::open(&wav).expect("wav");
        out.push(
            r.samples::<i16>()
                .map(|s| f32::from(s.expect("sample")) / 32768.0)
                .collect::<Vec<f32>>(),
        );
    }
    let audio48 = out.pop().expect("48k");
    (out.pop().expect("16k"), audio48)
}
