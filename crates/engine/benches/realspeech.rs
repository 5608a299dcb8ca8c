//! Real-speech ablation: each decoding setting Greenroom considered, over the same real
//! recordings (the shared English clips and, when cached, the KsponSpeech development
//! clips 1-50; `scripts/realspeech.sh`), printed as accuracy (WER / CER against the human
//! transcripts), clips with invented text and speed (real-time factor, one thread) side by
//! side with faster-whisper on the same base weights, beam 5 (its default) and beam 1.
//!
//! Knobs: `GREENROOM_BENCH_SETTINGS` (comma-separated names from the table below; default
//! all), `GREENROOM_BENCH_VERBOSE` (print each set's worst clips), `GREENROOM_BENCH_DUMP`
//! (a folder: each setting's transcripts and errors per clip, `<setting>.tsv`). Needs
//! `GREENROOM_TEST_MODELS` (scripts/models.sh) and `GREENROOM_FW_PYTHON`
//! (`scripts/bench-faster-whisper.sh python`).
//! Run: `cargo bench -p greenroom-engine --bench realspeech`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use common::realspeech::{
    faster_whisper, greenroom, invented, pooled, real_time_factor, report, Scored,
};
use greenroom_engine::core::Lang;
use greenroom_engine::transcribe::{Decoding, EncoderWindow, TranscribeOptions, Transcriber};
use greenroom_testbed::realspeech::{kspon_dir, read_manifest, shared_dir, Clip};

/// A setting: its name, what it changes from the app's default, and how.
struct Setting {
    name: &'static str,
    what: &'static str,
    opts: TranscribeOptions,
    decoding: Decoding,
}

fn settings() -> Vec<Setting> {
    let app = Decoding::default();
    let opts = TranscribeOptions {
        threads: Some(1),
        ..TranscribeOptions::default()
    };
    let with = |name, what, f: &dyn Fn(&mut TranscribeOptions, &mut Decoding)| {
        let (mut o, mut d) = (opts.clone(), app);
        f(&mut o, &mut d);
        Setting {
            name,
            what,
            opts: o,
            decoding: d,
        }
    };
    vec![
        with("app", "the app's full pass", &|_, _| {}),
        with(
            "quick",
            "the quick pass: fitted encoder window, cut at pauses",
            &|_, d| d.window = EncoderWindow::Fitted,
        ),
        with("no-prompt", "no filler prompt", &|o, _| {
            o.no_filler_prompt = true
        }),
        with("timestamps", "timestamp tokens", &|_, d| {
            d.timestamps = true
        }),
        with("no-fallback", "no temperature fallback", &|_, d| {
            d.fallback = false
        }),
        with(
            "best-of-1",
            "1 candidate per fallback temperature",
            &|_, d| d.best_of = 1,
        ),
        with("no-budget", "no token budget", &|_, d| {
            d.token_budget = false
        }),
        with("beam-5", "beam search, 5 beams", &|o, _| {
            o.beam_size = Some(5)
        }),
        with("quick+beam-5", "the quick pass, beam 5", &|o, d| {
            d.window = EncoderWindow::Fitted;
            o.beam_size = Some(5);
        }),
    ]
}

fn main() {
    let Some(models) = std::env::var_os("GREENROOM_TEST_MODELS").filter(|d| !d.is_empty()) else {
        println!("realspeech bench skipped: GREENROOM_TEST_MODELS is not set (scripts/models.sh)");
        return;
    };
    let models = PathBuf::from(models);
    let shared = match read_manifest(&shared_dir()) {
        Ok(c) => c,
        Err(e) => {
            println!("realspeech bench skipped: the shared clips ({e})");
            return;
        }
    };
    let mut sets: Vec<(&str, Vec<Clip>)> = vec![
        (
            "en",
            shared
                .iter()
                .filter(|c| c.lang == Lang::En)
                .cloned()
                .collect(),
        ),
        (
            "ko-shared",
            shared
                .iter()
                .filter(|c| c.lang == Lang::Ko)
                .cloned()
                .collect(),
        ),
    ];
    match read_manifest(&kspon_dir()) {
        Ok(k) => sets.push(("kspon", k)),
        Err(e) => println!("skipped: the KsponSpeech development clips ({e})"),
    }
    let wanted: Option<Vec<String>> = std::env::var("GREENROOM_BENCH_SETTINGS")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let verbose = std::env::var_os("GREENROOM_BENCH_VERBOSE").is_some();
    let dump = std::env::var_os("GREENROOM_BENCH_DUMP").map(PathBuf::from);

    println!(
        "{:<14} {:>7} {:>7} {:>7} {:>9} {:>6}  what",
        "setting", "en WER", "ko CER", "kspon", "invented", "RTF"
    );
    let row = |name: &str, what: &str, results: &[(&str, Vec<Scored>)]| {
        let rate = |set: &str| {
            results
                .iter()
                .find(|(s, _)| *s == set)
                .map_or("-".to_owned(), |(_, r)| format!("{:.1}", pooled(r) * 100.0))
        };
        let all: Vec<&Scored> = results.iter().flat_map(|(_, r)| r).collect();
        let inv: usize = results.iter().map(|(_, r)| invented(r)).sum();
        let time: f64 = all.iter().map(|s| s.time.as_secs_f64()).sum();
        let audio: f64 = all.iter().map(|s| s.clip.seconds).sum();
        println!(
            "{name:<14} {:>7} {:>7} {:>7} {inv:>9} {:>6.3}  {what}",
            rate("en"),
            rate("ko-shared"),
            rate("kspon"),
            time / audio.max(1e-9)
        );
        if let Some(dir) = &dump {
            let mut tsv = String::from("clip\terrors\tlength\tinvented\ttext\n");
            for s in &all {
                tsv.push_str(&format!(
                    "{}\t{}\t{}\t{:?}\t{}\n",
                    s.clip.name, s.rate.errors, s.rate.length, s.invented, s.text
                ));
            }
            std::fs::create_dir_all(dir).expect("dump folder");
            std::fs::write(dir.join(format!("{name}.tsv")), tsv).expect("dump written");
        }
        if verbose {
            for (set, r) in results {
                let mut out = String::new();
                report(&mut out, set, r, None);
                print!("{out}");
                println!("  RTF {:.3}", real_time_factor(r));
            }
        }
    };
    for beam in [5, 1] {
        let name = format!("fw-beam-{beam}");
        if wanted.as_ref().is_some_and(|w| !w.contains(&name)) {
            continue;
        }
        let results: Option<Vec<(&str, Vec<Scored>)>> = sets
            .iter()
            .map(|(set, clips)| faster_whisper(&models, clips, beam).map(|r| (*set, r)))
            .collect();
        match results {
            Some(r) => row(
                &name,
                if beam == 5 {
                    "faster-whisper, same weights, its defaults"
                } else {
                    "faster-whisper, same weights, greedy"
                },
                &r,
            ),
            None => println!("{name}: skipped (GREENROOM_FW_PYTHON is not set)"),
        }
    }
    for s in settings() {
        if wanted
            .as_ref()
            .is_some_and(|w| !w.iter().any(|n| n == s.name))
        {
            continue;
        }
        let t = Transcriber::new(&models.join("base.ggml"), s.opts.clone())
            .expect("base loads")
            .with_decoding(s.decoding);
        let results: Vec<(&str, Vec<Scored>)> = sets
            .iter()
            .map(|(set, clips)| (*set, greenroom(&t, clips)))
            .collect();
        row(s.name, s.what, &results);
    }
}
