//! `greenroom`: the command-line face of the engine. Prints human text, or JSON with
//! `--json`; all logic lives in `greenroom-engine`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use greenroom_engine::error::Fault;
use greenroom_engine::store::Store;
use greenroom_engine::{Engine, EngineError};

mod check;
mod devices;
mod practice;
mod questions;
mod report;
mod review;
mod transcribe;

/// Exit codes scripts can rely on.
pub mod exit {
    /// A check or listing found a problem the user must fix (e.g. no audio server).
    pub const PROBLEM: u8 = 1;
    /// Bad arguments or input (clap uses 2 as well).
    pub const USAGE: u8 = 2;
    /// An error that stopped the command (I/O, device failure).
    pub const ERROR: u8 = 3;
}

#[derive(Parser, Debug)]
#[command(
    name = "greenroom",
    version,
    about = "Rehearse video interviews locally: measure your mic, speakers and camera, \
             practise timed answers, review how you spoke.",
    after_help = "Data lives in $GREENROOM_HOME, or the platform data dir \
                  (~/.local/share/dev.greenroom.app on Linux)."
)]
struct Cli {
    /// Language of verdicts and advice (default: the app's saved choice).
    #[arg(long, global = true, value_name = "en|ko")]
    lang: Option<greenroom_core::Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List audio hosts, input and output devices, and cameras as the app sees them.
    ///
    /// Exits 1 when the app can use no audio host (no audio server or no device).
    Devices {
        /// Print machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Measure mic, speakers and camera; print each verdict with the value and a fix.
    ///
    /// Exits 1 when any check fails, 0 when all pass or only warn.
    Check(check::CheckArgs),
    /// Answer an interview question against the clock; the answer is recorded as a take.
    ///
    /// Prep countdown, then recording until the limit (or Enter). With the English switch
    /// on, at an unannounced moment you are asked to continue in English; the moment is
    /// stored with the take.
    Practice(practice::PracticeArgs),
    /// List the question bank: id, track, the prompt in both languages, answer time
    /// (your own files in the data folder's questions/ included).
    Questions(questions::QuestionsArgs),
    /// List, show or delete recorded takes.
    Takes {
        #[command(subcommand)]
        command: practice::TakesCommand,
    },
    /// Transcribe a take or a WAV file with a local Whisper model.
    ///
    /// A take is transcribed in its language up to its English-switch marker and in English
    /// after it; for a file give the language (--answer-lang, else --lang) and --switch-at.
    Transcribe(transcribe::TranscribeArgs),
    /// List, import, remove Whisper models, or choose the default one.
    Models {
        #[command(subcommand)]
        command: transcribe::ModelsCommand,
    },
    /// What the coach saw in a transcribed take: fillers, pace, pauses, hedges, repeats,
    /// the English switch, STAR cues — each with the range considered good.
    Review {
        /// Take id (see `greenroom takes list`).
        take: String,
        #[arg(long)]
        json: bool,
    },
    /// Version, data folder, default model, the CPU level the speech engine needs (and
    /// whether this CPU has it), and the licences of the code and the models.
    About {
        #[arg(long)]
        json: bool,
    },
    /// Export a take's review as Markdown, JSON, or SRT subtitles of its transcript; with
    /// --folder, a folder with the report, the audio, the video and the subtitles.
    Export {
        take: String,
        #[arg(long, value_enum, default_value = "md")]
        format: review::Format,
        /// Write `greenroom-<take>/` into DIR (report.md, audio.wav, video.mp4,
        /// transcript.srt) instead of printing one format.
        #[arg(long, value_name = "DIR")]
        folder: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.unwrap_or_else(saved_language);
    match cli.command {
        Command::Devices { json } => devices::run(json),
        Command::Check(args) => check::run(args, lang),
        Command::Practice(args) => practice::practice(args, lang),
        Command::Questions(args) => questions::run(args, lang),
        Command::Takes { command } => practice::takes(command, lang),
        Command::Transcribe(args) => transcribe::transcribe(args, lang),
        Command::Models { command } => transcribe::models(command),
        Command::Review { take, json } => review::review(&take, json, lang),
        Command::About { json } => about(json),
        Command::Export {
            take,
            format,
            folder,
        } => review::export_take(&take, format, folder.as_deref(), lang),
    }
}

fn about(json: bool) -> ExitCode {
    let a = greenroom_engine::about::about();
    if json {
        println!("{}", serde_json::to_string_pretty(&a).expect("json"));
        return ExitCode::SUCCESS;
    }
    println!("Greenroom {} ({} {})", a.version, a.os, a.arch);
    println!("data folder:   {}", a.data_dir);
    match &a.default_model {
        Some(m) => println!("default model: {m} ({} installed)", a.models_installed),
        None => println!("default model: none installed (greenroom models --help)"),
    }
    let cpu = &a.speech_cpu;
    if cpu.missing.is_empty() {
        println!(
            "speech engine: built for {}; this CPU has it",
            cpu.built_for
        );
    } else {
        println!(
            "speech engine: built for {}; this CPU lacks {}: transcription will not run",
            cpu.built_for,
            cpu.missing.join(", ")
        );
    }
    println!("licences:");
    for l in &a.licences {
        println!("  {:<38} {:<28} {}", l.component, l.licence, l.url);
    }
    ExitCode::SUCCESS
}

/// The language chosen in the app, so the CLI speaks like the app does.
fn saved_language() -> greenroom_core::Lang {
    Engine::open_default()
        .settings()
        .map(|s| s.language)
        .unwrap_or_default()
}

/// The take index; the first open repairs takes a crash left behind ("on the next start"),
/// and says so on stderr, so the note never mixes with --json output.
pub fn open_store(engine: &Engine) -> Result<Store, EngineError> {
    let store = engine.store()?;
    for t in engine.take_recovered() {
        eprintln!(
            "Recovered take {} ({:.1} s) that was interrupted.",
            t.id,
            t.duration_ms as f64 / 1000.0
        );
    }
    Ok(store)
}

/// Prints an error and turns it into the exit code: 2 when what was asked for is wrong,
/// 3 when something failed doing it.
pub fn fail(e: EngineError) -> ExitCode {
    eprintln!("greenroom: {e}");
    ExitCode::from(match e.fault() {
        Fault::Request => exit::USAGE,
        Fault::Failure => exit::ERROR,
    })
}
