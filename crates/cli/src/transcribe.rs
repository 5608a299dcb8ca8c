//! `greenroom transcribe` and `greenroom models`: local Whisper transcription of takes and
//! WAV files, and the installed models.

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use clap::{Args, Subcommand};
use greenroom_core::transcript::Transcript;
use greenroom_core::Lang;
use greenroom_engine::models::{ImportProgress, ImportStage, InstalledModel, ModelError, Quant};
use greenroom_engine::store::TakeId;
use greenroom_engine::transcribe::{
    transcribe_file, transcribe_take, TranscribeOptions, Transcriber,
};
use greenroom_engine::{Engine, EngineError};
use serde::Serialize;

use crate::{fail, open_store};

#[derive(Args, Debug)]
pub struct TranscribeArgs {
    /// A take id (see `greenroom takes list`) or a WAV file (any rate, channels and sample
    /// format).
    #[arg(value_name = "FILE|TAKE")]
    pub target: String,
    /// Installed model to use (default: the default model; see `greenroom models list`).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// For a FILE: the language the answer starts in (default: --lang). A take knows its
    /// own language.
    #[arg(long, value_name = "ko|en")]
    pub answer_lang: Option<Lang>,
    /// For a FILE: seconds from the start where the answer switched to English (English is
    /// transcribed from there). A take uses its own marker.
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub switch_at: Option<u64>,
    /// Whisper threads (default: chosen for this machine, or $GREENROOM_WHISPER_THREADS).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub threads: Option<u32>,
    /// Beam search width (default: greedy decoding, faster).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=16))]
    pub beam_size: Option<u32>,
    /// Print the transcript as JSON (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,
}

/// Seconds (decimals allowed) to milliseconds.
fn parse_seconds(s: &str) -> Result<u64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| (v * 1000.0).round() as u64)
        .ok_or_else(|| format!("'{s}' is not a number of seconds"))
}

#[derive(Subcommand, Debug)]
pub enum ModelsCommand {
    /// List the installed Whisper models; the default one is marked with '*'.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Install a whisper.cpp ggml file, or convert a faster-whisper (CTranslate2) model
    /// folder (model.bin, config.json, vocabulary) to one.
    Import {
        /// A ggml file or a CTranslate2 model folder.
        path: PathBuf,
        /// Name to install it under (default: from the file name or the model's shape).
        #[arg(long)]
        name: Option<String>,
        /// Quantize while converting a CTranslate2 folder: q8_0 (about half the size).
        #[arg(long, value_name = "q8_0")]
        quantize: Option<Quant>,
        #[arg(long)]
        json: bool,
    },
    /// Uninstall a model and delete its file.
    Remove {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Make an installed model the default for transcription.
    Default {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

fn print_json<T: Serialize>(value: &T) {
    println!("{}", serde_json::to_string_pretty(value).expect("json"));
}

/// A one-line progress display on stderr, only when stderr is a terminal.
struct Progress {
    on: bool,
    last: Option<u32>,
}

impl Progress {
    fn new() -> Self {
        Progress {
            on: std::io::stderr().is_terminal(),
            last: None,
        }
    }

    fn show(&mut self, label: &str, fraction: f32) {
        let pct = (fraction.clamp(0.0, 1.0) * 100.0) as u32;
        if self.on && self.last != Some(pct) {
            self.last = Some(pct);
            eprint!("\r  {label} {pct:>3} %  ");
            let _ = std::io::stderr().flush();
        }
    }

    fn done(&mut self) {
        if self.on && self.last.is_some() {
            eprint!("\r{:40}\r", "");
            let _ = std::io::stderr().flush();
        }
        self.last = None;
    }
}

pub fn transcribe(args: TranscribeArgs, lang: Lang) -> ExitCode {
    match run_transcribe(args, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn run_transcribe(args: TranscribeArgs, lang: Lang) -> Result<(), EngineError> {
    let engine = Engine::open_default();
    // A path that exists is a file; otherwise the argument must be a take id.
    let path = Path::new(&args.target);
    let target = if path.exists() {
        Target::File(path.to_path_buf())
    } else {
        match TakeId::parse(&args.target) {
            Ok(id) => Target::Take(id),
            Err(_) => {
                return Err(EngineError::InvalidArgument {
                    name: "FILE|TAKE".into(),
                    detail: format!(
                        "'{}' is neither a file nor a take id (see `greenroom takes list`)",
                        args.target
                    ),
                })
            }
        }
    };
    if matches!(target, Target::Take(_)) && (args.switch_at.is_some() || args.answer_lang.is_some())
    {
        return Err(EngineError::InvalidArgument {
            name: "option".into(),
            detail: "--switch-at and --answer-lang are for files: a take uses its own language \
                     and English-switch marker"
                .into(),
        });
    }
    let models = engine.models()?;
    let opts = TranscribeOptions {
        threads: args.threads,
        beam_size: args.beam_size,
        no_filler_prompt: false,
    };
    let transcriber = Transcriber::installed(&models, args.model.as_deref(), opts)?;
    let cancel = AtomicBool::new(false);
    let mut bar = Progress::new();
    let started = Instant::now();
    let mut on_progress = |p: f32| bar.show("Transcribing", p);
    let (transcript, saved) = match &target {
        Target::File(path) => {
            let lang = args.answer_lang.unwrap_or(lang);
            let t = transcribe_file(
                path,
                &transcriber,
                lang,
                args.switch_at,
                &mut on_progress,
                &cancel,
            );
            bar.done();
            (t?, None)
        }
        Target::Take(id) => {
            let store = open_store(&engine)?;
            let r = transcribe_take(&store, id, &transcriber, &mut on_progress, &cancel);
            bar.done();
            let r = r?;
            (r.transcript.clone(), Some(r))
        }
    };
    let took = started.elapsed().as_secs_f64();
    if args.json {
        match &saved {
            Some(r) => print_json(r),
            None => print_json(&transcript),
        }
        return Ok(());
    }
    eprintln!(
        "{}: model {}, {} thread{}, {:.1} s of audio in {took:.1} s",
        match &target {
            Target::File(p) => p.display().to_string(),
            Target::Take(id) => format!("take {id}"),
        },
        transcriber.name(),
        transcriber.threads(),
        if transcriber.threads() == 1 { "" } else { "s" },
        transcript.duration_ms as f64 / 1000.0,
    );
    print_transcript(&transcript);
    if let Some(r) = saved {
        eprintln!("Saved to {}", r.saved.path.display());
    }
    Ok(())
}

enum Target {
    File(PathBuf),
    Take(TakeId),
}

fn clock(ms: u64) -> String {
    format!("{:02}:{:04.1}", ms / 60_000, (ms % 60_000) as f64 / 1000.0)
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Ko => "ko",
    }
}

fn print_transcript(t: &Transcript) {
    if t.segments.is_empty() {
        println!("(no speech)");
        return;
    }
    let mut switch_shown = t.switch_at_ms.is_none();
    for s in &t.segments {
        if !switch_shown && s.lang == Lang::En {
            if let Some(at) = t.switch_at_ms {
                println!("-- English from {} --", clock(at));
            }
            switch_shown = true;
        }
        println!(
            "[{} -> {}] {}  {}",
            clock(s.start_ms),
            clock(s.end_ms),
            lang_code(s.lang),
            s.text
        );
    }
}

pub fn models(cmd: ModelsCommand) -> ExitCode {
    match run_models(cmd) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn describe(m: &InstalledModel) -> String {
    format!(
        "{}, {}, {}, {}",
        m.label,
        megabytes(m.size),
        m.weight_type.as_str(),
        if m.multilingual {
            "multilingual (Korean and English)"
        } else {
            "English only"
        }
    )
}

#[derive(Serialize)]
struct ModelList {
    default: Option<String>,
    models: Vec<InstalledModel>,
}

#[derive(Serialize)]
struct ModelChange {
    model: InstalledModel,
    default: Option<String>,
}

fn run_models(cmd: ModelsCommand) -> Result<(), EngineError> {
    let store = Engine::open_default().models()?;
    match cmd {
        ModelsCommand::List { json } => {
            let models = store.list()?;
            let default = store.default_model()?.map(|m| m.name);
            if json {
                print_json(&ModelList { default, models });
            } else if models.is_empty() {
                println!(
                    "No Whisper model is installed. Import one with `greenroom models import \
                     PATH` (a ggml file or a faster-whisper model folder)."
                );
            } else {
                let width = models
                    .iter()
                    .map(|m| m.name.len())
                    .max()
                    .unwrap_or(4)
                    .max(4);
                for m in &models {
                    let mark = if default.as_deref() == Some(m.name.as_str()) {
                        '*'
                    } else {
                        ' '
                    };
                    println!("{mark} {:width$}  {}", m.name, describe(m));
                    println!("  {:width$}  {}", "", m.source);
                }
            }
        }
        ModelsCommand::Import {
            path,
            name,
            quantize,
            json,
        } => {
            let mut bar = Progress::new();
            let mut on_progress = |p: ImportProgress| {
                let label = match p.stage {
                    ImportStage::Copying => "Copying",
                    ImportStage::Converting => "Converting",
                    ImportStage::Verifying => "Verifying",
                };
                let fraction = if p.total == 0 {
                    0.0
                } else {
                    p.done as f32 / p.total as f32
                };
                bar.show(label, fraction);
                ControlFlow::Continue(())
            };
            let result = store.import(&path, name.as_deref(), quantize, &mut on_progress);
            bar.done();
            let model = result?;
            let default = store.default_name()?;
            if json {
                print_json(&ModelChange { model, default });
            } else {
                println!("Installed {} ({}).", model.name, describe(&model));
                if default.as_deref() == Some(model.name.as_str()) {
                    println!("It is the default model.");
                }
            }
        }
        ModelsCommand::Remove { name, json } => {
            let model = store.remove(&name)?;
            let default = store.default_name()?;
            if json {
                print_json(&ModelChange { model, default });
            } else {
                println!("Removed {name}.");
                match default {
                    Some(d) => println!("The default model is {d}."),
                    None => println!("No model is installed now."),
                }
            }
        }
        ModelsCommand::Default { name, json } => {
            store.set_default(&name)?;
            let model = store
                .get(&name)?
                .ok_or_else(|| ModelError::UnknownModel { name: name.clone() })?;
            if json {
                print_json(&ModelChange {
                    model,
                    default: Some(name),
                });
            } else {
                println!("{name} is now the default model.");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_clock() {
        assert_eq!(parse_seconds("4"), Ok(4000));
        assert_eq!(parse_seconds("2.25"), Ok(2250));
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
        assert_eq!(clock(0), "00:00.0");
        assert_eq!(clock(61_300), "01:01.3");
    }
}
