//! `greenroom check [audio|camera]`: the preflight from the terminal.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use greenroom_core::{Lang, Status};
use greenroom_engine::camera::source_from_env;
use greenroom_engine::preflight::audio::{check_audio, AudioCheckOptions, AudioProgress};
use greenroom_engine::preflight::camera::{check_camera, CameraCheckOptions};

use crate::{exit, report::render_checks};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// Microphone and speakers.
    Audio,
    /// Camera.
    Camera,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// What to check; both when left out.
    #[arg(value_enum)]
    pub what: Option<What>,
    /// Input device id as listed by `greenroom devices` (default input when left out).
    #[arg(long, value_name = "ID")]
    pub input: Option<String>,
    /// Output device id for the speaker test (default output when left out).
    #[arg(long, value_name = "ID")]
    pub output: Option<String>,
    /// Seconds to record. Non-interactive: the noise floor is taken from the quietest
    /// moments and the speech level from the loudest, so speak for part of it.
    #[arg(long, default_value_t = 2.5, value_name = "N")]
    pub seconds: f64,
    /// Skip the speaker-to-mic test tone (e.g. in a quiet office with headphones).
    #[arg(long)]
    pub no_speaker: bool,
    /// Camera id as listed by `greenroom devices`.
    #[arg(long, value_name = "ID")]
    pub device: Option<String>,
    /// Read frames from a Y4M file or a pattern (e.g. `pattern:black`) instead of a camera,
    /// to check a capture pipeline.
    #[arg(long, value_name = "FILE|pattern:NAME")]
    pub camera_source: Option<String>,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: CheckArgs, lang: Lang) -> ExitCode {
    if !(0.5..=60.0).contains(&args.seconds) {
        eprintln!(
            "greenroom: --seconds must be between 0.5 and 60 (got {})",
            args.seconds
        );
        return ExitCode::from(exit::USAGE);
    }
    let audio = matches!(args.what, None | Some(What::Audio));
    let camera = matches!(args.what, None | Some(What::Camera));
    let mut worst = Status::Pass;
    let mut json = serde_json::Map::new();
    if audio {
        let opts = AudioCheckOptions {
            input: args.input.clone(),
            output: args.output.clone(),
            seconds: args.seconds,
            speaker: !args.no_speaker,
        };
        if !args.json {
            eprintln!(
                "Recording {:.1} s{}…",
                args.seconds,
                if opts.speaker {
                    " and playing a test tone"
                } else {
                    ""
                }
            );
        }
        let report = check_audio(&opts, |p: AudioProgress| {
            let _ = p;
        });
        worst = worst.max(report.overall);
        if args.json {
            json.insert("audio".into(), serde_json::to_value(&report).expect("json"));
        } else {
            let heading = format!(
                "Audio ({}){}",
                report.host.as_deref().unwrap_or("no audio host"),
                report
                    .input
                    .as_ref()
                    .map(|i| format!(" — {}", i.name))
                    .unwrap_or_default()
            );
            print!("{}", render_checks(&heading, &report.checks, lang));
        }
    }
    if camera {
        let opts = CameraCheckOptions {
            device: args.device.clone(),
            source: args.camera_source.clone().or_else(source_from_env),
            seconds: args.seconds.min(5.0),
        };
        let report = match check_camera(&opts) {
            Ok(r) => r,
            Err(e) => {
                // A bad --camera-source is a usage problem, not a camera verdict.
                eprintln!("greenroom: {e}");
                return ExitCode::from(exit::USAGE);
            }
        };
        worst = worst.max(report.overall());
        if args.json {
            json.insert(
                "camera".into(),
                serde_json::to_value(&report).expect("json"),
            );
        } else {
            let heading = format!(
                "Camera{}",
                report
                    .device_name
                    .as_ref()
                    .map(|n| format!(" — {n}"))
                    .unwrap_or_default()
            );
            print!("{}", render_checks(&heading, &report.checks, lang));
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::Value::Object(json)).expect("json")
        );
    }
    if worst == Status::Fail {
        ExitCode::from(exit::PROBLEM)
    } else {
        ExitCode::SUCCESS
    }
}
