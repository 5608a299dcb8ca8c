//! `greenroom practice` and `greenroom takes`: timed answers from the terminal.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use greenroom_core::bank::Track;
use greenroom_core::plan::SwitchMode;
use greenroom_core::Lang;
use greenroom_engine::practice::{question, AnswerEvent, AnswerOptions, SessionEvent};
use greenroom_engine::store::{TakeFilter, TakeId};
use greenroom_engine::{Engine, EngineError};

use crate::{exit, fail, open_store};

/// `off`, `random[=P]` or `at=S`.
fn parse_switch(s: &str) -> Result<SwitchMode, String> {
    match s {
        "off" => Ok(SwitchMode::Off),
        "random" => Ok(SwitchMode::Random { probability: 0.5 }),
        _ => {
            if let Some(p) = s.strip_prefix("random=") {
                let probability: f64 = p
                    .parse()
                    .ok()
                    .filter(|p: &f64| (0.0..=1.0).contains(p))
                    .ok_or(format!("'{p}' is not a probability between 0 and 1"))?;
                Ok(SwitchMode::Random { probability })
            } else if let Some(sec) = s.strip_prefix("at=") {
                let secs: f64 = sec
                    .parse()
                    .ok()
                    .filter(|v: &f64| *v >= 0.0)
                    .ok_or(format!("'{sec}' is not a number of seconds"))?;
                Ok(SwitchMode::At {
                    ms: (secs * 1000.0) as u64,
                })
            } else {
                Err(format!(
                    "'{s}': expected off, random, random=P or at=SECONDS"
                ))
            }
        }
    }
}

#[derive(Args, Debug)]
pub struct PracticeArgs {
    /// Pick a random question from a track: cs-os, cs-network, cs-storage, cs-db, scale,
    /// behavioral, personal.
    #[arg(long, conflicts_with = "question")]
    pub track: Option<Track>,
    /// Answer this question (ids: `greenroom questions`).
    #[arg(long)]
    pub question: Option<String>,
    /// Answer the question's Nth follow-up (1-based) instead.
    #[arg(long, value_name = "N")]
    pub follow_up: Option<u32>,
    /// Preparation seconds before recording (default: the question's suggestion).
    #[arg(long, value_name = "S")]
    pub prep: Option<u32>,
    /// Answer time limit in seconds (default: the question's suggestion).
    #[arg(long, value_name = "S")]
    pub limit: Option<u32>,
    /// The surprise "continue in English": off, random (50 %), random=P, or at=SECONDS
    /// (forced). Random moments fall in the middle of the answer time and are never shown
    /// in advance.
    #[arg(long, default_value = "random", value_parser = parse_switch)]
    pub english_switch: SwitchMode,
    /// Seed for the question and switch draws (default: the clock).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The language you start answering in.
    #[arg(long, default_value = "ko")]
    pub answer_lang: Lang,
    /// Input device id (see `greenroom devices`).
    #[arg(long, value_name = "ID")]
    pub input: Option<String>,
    /// Record video from this camera beside the audio (ids: `greenroom devices`); the
    /// face detector's presence metrics go with the take.
    #[arg(long, value_name = "ID")]
    pub camera: Option<String>,
    /// Record video from a Y4M file or a pattern (e.g. `pattern:scene`) instead of a
    /// camera, to try the video path without one.
    #[arg(long, value_name = "SPEC", conflicts_with = "camera")]
    pub camera_source: Option<String>,
    /// Print the finished take as JSON (no prompts on stdout).
    #[arg(long)]
    pub json: bool,
    /// Do not transcribe while recording (by default the default model, if one is
    /// installed, transcribes finished stretches so the transcript is ready at stop).
    #[arg(long)]
    pub no_transcribe: bool,
    /// Keep the quick transcript made while recording (by default the full pass, the
    /// accurate one, replaces it right after the answer).
    #[arg(long)]
    pub quick_only: bool,
}

#[derive(Subcommand, Debug)]
pub enum TakesCommand {
    /// List recorded takes, newest first.
    List {
        #[arg(long)]
        question: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Show one take with its markers.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a take and its files.
    Delete { id: String },
    /// Make a take from an existing WAV recording, to transcribe and review it.
    Import {
        file: std::path::PathBuf,
        /// The question it answers (ids: see the question bank).
        #[arg(long)]
        question: String,
        /// The language the answer starts in.
        #[arg(long, default_value = "ko")]
        answer_lang: Lang,
        /// Seconds from the start where the answer switched to English.
        #[arg(long, value_name = "S")]
        switch_at: Option<f64>,
        #[arg(long)]
        json: bool,
    },
}

pub fn practice(args: PracticeArgs, lang: Lang) -> ExitCode {
    match run_practice(args, lang) {
        Ok(code) => code,
        Err(e) => fail(e),
    }
}

fn run_practice(args: PracticeArgs, lang: Lang) -> Result<ExitCode, EngineError> {
    let engine = Engine::open_default();
    let store = open_store(&engine)?;
    let (bank, issues) = engine.bank();
    for i in &issues {
        eprintln!("greenroom: question bank: {i}");
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    let question = match (&args.question, args.track) {
        (Some(id), _) => question(&bank, id)?,
        (None, track) => {
            let track = track.unwrap_or(Track::Personal);
            let pool: Vec<_> = bank.by_track(track).collect();
            if pool.is_empty() {
                return Err(EngineError::InvalidArgument {
                    name: "track".into(),
                    detail: format!("no questions in track '{track}'"),
                });
            }
            pool[(seed % pool.len() as u64) as usize]
        }
    };
    let follow_up = match args.follow_up {
        Some(0) => {
            return Err(EngineError::InvalidArgument {
                name: "follow-up".into(),
                detail: "follow-ups are numbered from 1".into(),
            })
        }
        other => other.map(|n| n - 1),
    };
    let prompt = greenroom_engine::practice::prompt_of(question, follow_up)?;
    let json = args.json;
    let say = move |s: String| {
        if !json {
            eprintln!("{s}");
        }
    };
    say(format!(
        "\n  {}\n  {}\n",
        prompt.get(lang),
        prompt.get(other(lang))
    ));
    let prep = args.prep.unwrap_or(question.prep_s);
    for left in (1..=prep).rev() {
        if !args.json {
            eprint!("\r  Prepare: {left:>3} s ");
            let _ = std::io::stderr().flush();
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    let transcriber = if args.no_transcribe {
        None
    } else {
        engine.transcriber()
    };
    let opts = AnswerOptions {
        question_id: question.id.clone(),
        follow_up,
        input: args.input.clone(),
        limit_s: args.limit,
        switch: args.english_switch,
        seed,
        language: args.answer_lang,
        session_id: None,
        retake_of: None,
        transcriber: transcriber.clone(),
        video: Default::default(),
    };
    let camera = match (&args.camera, &args.camera_source) {
        (None, None) => None,
        (device, source) => Some(greenroom_engine::camera::open_source(
            device.as_deref(),
            source.as_deref(),
        )?),
    };
    let mut last_print = Instant::now();
    let session = engine.start_answer(opts, camera, move |ev| match ev {
        SessionEvent::Answer(AnswerEvent::EnglishSwitch { .. }) => say(
            "\x07\n  >>> Continue your answer in English <<<\n      지금부터 영어로 이어서 답하세요\n"
                .into(),
        ),
        SessionEvent::Answer(AnswerEvent::DeliveryGap { at_ms, length_ms }) => say(format!(
            "\n  The microphone stopped delivering sound for {:.1} s at {:.1} s; recording \
             goes on. / 마이크 소리가 {:.1}초 동안 끊겼어요. 녹음은 계속됩니다.",
            length_ms as f64 / 1000.0,
            at_ms as f64 / 1000.0,
            length_ms as f64 / 1000.0
        )),
        SessionEvent::Answer(AnswerEvent::Warning { remaining_ms }) => say(format!(
            "\n  {:.0} s left — wrap up.",
            remaining_ms as f64 / 1000.0
        )),
        SessionEvent::Answer(AnswerEvent::Progress { remaining_ms, .. }) => {
            if !json && last_print.elapsed() >= Duration::from_secs(1) {
                last_print = Instant::now();
                eprint!("\r  {:>4.0} s left ", remaining_ms as f64 / 1000.0);
                let _ = std::io::stderr().flush();
            }
        }
        SessionEvent::Finished(_) => {}
    })?;
    let interactive = std::io::stdin().is_terminal() && !args.json;
    say(format!(
        "\n  Recording take {} — answer now{}",
        session.take().id,
        if interactive { " (Enter stops)" } else { "" }
    ));
    if interactive {
        let stop = session.stop_flag();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::stdin().lock().read_line(&mut line);
            stop.store(true, Ordering::Relaxed);
        });
    }
    let done = session.join()?;
    let (take, recorded) = (done.take, done.recorded);
    if let Some(t) = &done.transcript {
        say(format!(
            "  Transcript ready {:.1} s after stop ({} words): greenroom review {}",
            done.transcript_wait_ms.unwrap_or(0.0) / 1000.0,
            t.words.len(),
            take.id
        ));
    }
    if let Some(e) = &done.transcript_error {
        say(format!("  Transcription while recording failed: {e}"));
    }
    if let Some(t) = transcriber.filter(|_| !args.quick_only) {
        let started = Instant::now();
        let full = greenroom_engine::transcribe::transcribe_take(
            &store,
            &take.id,
            &t,
            &mut |p| {
                if !args.json {
                    eprint!("\r  Full transcript: {:>3.0} % ", p * 100.0);
                    let _ = std::io::stderr().flush();
                }
            },
            &AtomicBool::new(false),
        )?;
        say(format!(
            "\r  Full transcript in {:.1} s ({} words), replacing the quick one",
            started.elapsed().as_secs_f64(),
            full.transcript.words.len()
        ));
    }
    if let Some(v) = &done.video {
        say(format!(
            "  Video: {} pictures ({}x{}, {:.1} s){}",
            v.frames,
            v.width,
            v.height,
            v.duration_ms / 1000.0,
            take.video_path
                .as_ref()
                .map(|p| format!(" in {}", p.display()))
                .unwrap_or_default()
        ));
    }
    if let Some(e) = &done.video_error {
        say(format!(
            "  The camera stopped: {e}. The video is kept up to there."
        ));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&take).expect("json"));
    } else {
        eprintln!(
            "\n  Saved take {}: {:.1} s, stopped by {}{}.",
            take.id,
            take.duration_ms as f64 / 1000.0,
            recorded.stop_reason.as_str(),
            take.english_switch_ms
                .map(|ms| format!(", English from {:.1} s", ms as f64 / 1000.0))
                .unwrap_or_default()
        );
        if let Some(err) = &recorded.error {
            eprintln!("  {err}. What was recorded is kept.");
        }
    }
    Ok(if recorded.error.is_some() {
        ExitCode::from(exit::ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::En => Lang::Ko,
        Lang::Ko => Lang::En,
    }
}

pub fn takes(cmd: TakesCommand, lang: Lang) -> ExitCode {
    let run = || -> Result<(), EngineError> {
        match cmd {
            TakesCommand::List {
                question,
                limit,
                json,
            } => {
                let store = open_store(&Engine::open_default())?;
                let takes = store.takes(&TakeFilter {
                    question_id: question,
                    track: None,
                    limit,
                })?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&takes).expect("json"));
                } else if takes.is_empty() {
                    println!("No takes yet. Record one with `greenroom practice`.");
                } else {
                    for t in takes {
                        println!(
                            "{}  {:>6.1} s  {:<11} {}  {}",
                            t.id,
                            t.duration_ms as f64 / 1000.0,
                            t.status.as_str(),
                            t.question_id,
                            t.prompt.get(lang)
                        );
                    }
                }
            }
            TakesCommand::Show { id, json } => {
                let id = TakeId::parse(&id)?;
                let store = open_store(&Engine::open_default())?;
                let take = store
                    .take(&id)?
                    .ok_or_else(|| EngineError::InvalidArgument {
                        name: "take".into(),
                        detail: format!("no take {id}"),
                    })?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&take).expect("json"));
                } else {
                    println!("Take {}  ({})", take.id, take.status.as_str());
                    println!("  {}", take.prompt.get(lang));
                    println!(
                        "  {:.1} s, {} Hz, from {}",
                        take.duration_ms as f64 / 1000.0,
                        take.sample_rate,
                        take.input_device
                    );
                    for m in &take.markers {
                        println!(
                            "  marker {} at {:.1} s",
                            m.kind.as_str(),
                            m.at_ms as f64 / 1000.0
                        );
                    }
                    println!("  audio: {}", take.audio_path.display());
                    if let Some(video) = &take.video_path {
                        println!(
                            "  video: {} (camera {}, starts {} ms into the audio)",
                            video.display(),
                            take.camera.as_deref().unwrap_or("?"),
                            take.video_offset_ms.unwrap_or(0)
                        );
                    }
                }
            }
            TakesCommand::Import {
                file,
                question,
                answer_lang,
                switch_at,
                json,
            } => {
                let engine = Engine::open_default();
                let store = open_store(&engine)?;
                let (bank, _) = engine.bank();
                let take = greenroom_engine::practice::import_take(
                    &store,
                    &bank,
                    &file,
                    &greenroom_engine::practice::ImportTake {
                        question_id: question,
                        follow_up: None,
                        language: answer_lang,
                        switch_at_ms: switch_at.map(|s| (s * 1000.0) as u64),
                    },
                )?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&take).expect("json"));
                } else {
                    println!(
                        "Imported take {} ({:.1} s).",
                        take.id,
                        take.duration_ms as f64 / 1000.0
                    );
                }
            }
            TakesCommand::Delete { id } => {
                let id = TakeId::parse(&id)?;
                let store = open_store(&Engine::open_default())?;
                if !store.delete_take(&id)? {
                    return Err(EngineError::InvalidArgument {
                        name: "take".into(),
                        detail: format!("no take {id}"),
                    });
                }
                println!("Deleted take {id}.");
            }
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_switch;
    use greenroom_core::plan::SwitchMode;

    #[test]
    fn switch_modes_parse() {
        assert_eq!(parse_switch("off"), Ok(SwitchMode::Off));
        assert_eq!(parse_switch("at=4"), Ok(SwitchMode::At { ms: 4000 }));
        assert_eq!(
            parse_switch("random=0.25"),
            Ok(SwitchMode::Random { probability: 0.25 })
        );
        assert!(parse_switch("random=2")
            .unwrap_err()
            .contains("probability"));
        assert!(parse_switch("sometimes").is_err());
    }
}
