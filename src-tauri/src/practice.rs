//! Practice commands: the bank, plans, recording an answer with live events, takes.
//! The answer runs on its own thread with its own store connection (SQLite WAL), so the
//! webview never waits on the recorder.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use greenroom_core::bank::{Bank, Question, Track};
use greenroom_core::plan::{build_plan, PlanItem, PlanKind, SwitchMode};
use greenroom_core::{Lang, Localized};
use greenroom_engine::paths::data_dir;
use greenroom_engine::practice::{load_bank, Answer, AnswerEvent, AnswerOptions};
use greenroom_engine::store::{Store, Take, TakeFilter, TakeId};
use greenroom_engine::EngineError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::{AppError, Shell};

/// An answer being recorded, owned by its thread.
pub struct ActiveAnswer {
    stop: Arc<AtomicBool>,
    worker: JoinHandle<Result<Take, AppError>>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TrackInfo {
    pub id: Track,
    pub name: Localized,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PracticeCatalog {
    pub tracks: Vec<TrackInfo>,
    pub questions: Vec<Question>,
    /// Problems in the user's question files, one sentence each.
    pub issues: Vec<String>,
}

fn bank() -> (Bank, Vec<String>) {
    let (bank, issues) = load_bank(&data_dir());
    (bank, issues.iter().map(|i| i.to_string()).collect())
}

#[tauri::command]
pub async fn practice_catalog() -> Result<PracticeCatalog, AppError> {
    crate::commands::blocking(|| {
        let (bank, issues) = bank();
        PracticeCatalog {
            tracks: Track::ALL
                .iter()
                .map(|&t| TrackInfo {
                    id: t,
                    name: t.name(),
                    count: bank.count(t) as u32,
                })
                .collect(),
            questions: bank.questions().to_vec(),
            issues,
        }
    })
    .await
}

#[tauri::command]
pub fn practice_plan(kind: PlanKind, seed: u64) -> Result<Vec<PlanItem>, AppError> {
    let (bank, _) = bank();
    build_plan(&bank, &kind, seed).map_err(|e| AppError::InvalidArgument {
        name: "plan".into(),
        detail: e.to_string(),
    })
}

/// Events of a running answer.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PracticeEvent {
    Progress {
        #[ts(type = "number")]
        elapsed_ms: u64,
        #[ts(type = "number")]
        remaining_ms: u64,
        peak_dbfs: f64,
    },
    Warning {
        #[ts(type = "number")]
        remaining_ms: u64,
    },
    EnglishSwitch {
        #[ts(type = "number")]
        at_ms: u64,
    },
    /// The microphone stalled; `length_ms` of audio is missing at `at_ms`.
    DeliveryGap {
        #[ts(type = "number")]
        at_ms: u64,
        #[ts(type = "number")]
        length_ms: u64,
    },
    /// The answer ended (time up, stopped, or a failure that kept the audio).
    Finished {
        take: Box<Take>,
        error: Option<String>,
        /// Words of the transcript made while recording (`None`: no model installed, or
        /// streaming failed — see `transcript_error`).
        transcript_words: Option<u32>,
        transcript_error: Option<String>,
    },
}

impl From<AnswerEvent> for PracticeEvent {
    fn from(e: AnswerEvent) -> Self {
        match e {
            AnswerEvent::Progress {
                elapsed_ms,
                remaining_ms,
                peak_dbfs,
            } => PracticeEvent::Progress {
                elapsed_ms,
                remaining_ms,
                peak_dbfs,
            },
            AnswerEvent::Warning { remaining_ms } => PracticeEvent::Warning { remaining_ms },
            AnswerEvent::EnglishSwitch { at_ms } => PracticeEvent::EnglishSwitch { at_ms },
            AnswerEvent::DeliveryGap { at_ms, length_ms } => {
                PracticeEvent::DeliveryGap { at_ms, length_ms }
            }
        }
    }
}

/// What the UI asks for when an answer starts.
#[derive(Debug, Clone, serde::Deserialize, TS)]
pub struct StartAnswer {
    pub question_id: String,
    pub follow_up: Option<u32>,
    pub input: Option<String>,
    pub limit_s: Option<u32>,
    pub switch: SwitchMode,
    #[ts(type = "number")]
    pub seed: u64,
    pub language: Lang,
    pub session_id: Option<String>,
    pub retake_of: Option<String>,
    /// Record video from this camera (an id from `camera_choices`); audio only when `None`.
    /// While the self-view shows this camera, the recording reads the same frames.
    #[serde(default)]
    pub camera: Option<String>,
}

/// Starts recording an answer; events (progress ~10/s, warning, English switch, finished)
/// arrive on `on_event`. One answer at a time.
#[tauri::command]
pub async fn start_answer(
    shell: State<'_, Shell>,
    request: StartAnswer,
    on_event: Channel<PracticeEvent>,
) -> Result<Take, AppError> {
    // Any level meter holds the mic; an answer needs it alone.
    drop(shell.meter.lock().expect("meter lock").take());
    if shell
        .answer
        .lock()
        .expect("answer lock")
        .as_ref()
        .is_some_and(|a| !a.worker.is_finished())
    {
        return Err(AppError::InvalidArgument {
            name: "answer".into(),
            detail: "an answer is already being recorded".into(),
        });
    }
    // A full transcription pass still running (the review refining the last answer) would
    // take the CPU the answer's own transcription needs: it stops, and the review offers
    // it again.
    if let Some(cancel) = shell
        .transcription
        .lock()
        .expect("transcription lock")
        .take()
    {
        cancel.store(true, Ordering::Relaxed);
    }
    let retake_of = request
        .retake_of
        .as_deref()
        .map(TakeId::parse)
        .transpose()?;
    let opts = AnswerOptions {
        question_id: request.question_id,
        follow_up: request.follow_up,
        input: request.input,
        limit_s: request.limit_s,
        switch: request.switch,
        seed: request.seed,
        language: request.language,
        session_id: request.session_id,
        retake_of,
        transcriber: None,
        video: Default::default(),
    };
    // A camera opens once: while the self-view runs, the recording taps its frames.
    let camera: Option<Box<dyn greenroom_engine::camera::FrameSource>> = match &request.camera {
        None => None,
        Some(id) => {
            let tap = shell
                .preview
                .lock()
                .expect("preview lock")
                .as_ref()
                .filter(|p| p.is_running())
                .map(|p| Box::new(p.tap()) as Box<dyn greenroom_engine::camera::FrameSource>);
            match tap {
                Some(t) => Some(t),
                None => {
                    let (device, source) = crate::commands::camera_target(&shell, Some(id.clone()));
                    Some(
                        crate::commands::blocking(move || {
                            greenroom_engine::camera::open_source(
                                device.as_deref(),
                                source.as_deref(),
                            )
                        })
                        .await?
                        .map_err(EngineError::from)?,
                    )
                }
            }
        }
    };
    let cache = shell.transcriber.clone();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let worker = std::thread::Builder::new()
        .name("greenroom-answer".into())
        .spawn(move || -> Result<Take, AppError> {
            let started = (|| {
                let store = Store::open(&data_dir())?;
                let (bank, _) = load_bank(&data_dir());
                let mut opts = opts;
                opts.transcriber = cache.default_model(&data_dir());
                let answer = Answer::start_with_camera(&store, &bank, &opts, camera)?;
                Ok::<_, EngineError>((store, answer))
            })();
            let (store, answer) = match started {
                Ok(s) => s,
                Err(e) => {
                    let e: AppError = e.into();
                    let _ = ready_tx.send(Err(e.clone()));
                    return Err(e);
                }
            };
            let _ = ready_tx.send(Ok(answer.take().clone()));
            let done = answer.run(&store, &stop2, |ev| {
                let _ = on_event.send(ev.into());
            })?;
            let _ = on_event.send(PracticeEvent::Finished {
                take: Box::new(done.take.clone()),
                error: done.recorded.error.clone(),
                transcript_words: done.transcript.as_ref().map(|t| t.words.len() as u32),
                transcript_error: done.transcript_error.clone(),
            });
            Ok(done.take)
        })
        .map_err(|e| AppError::Internal {
            detail: format!("cannot start the answer thread: {e}"),
        })?;
    *shell.answer.lock().expect("answer lock") = Some(ActiveAnswer { stop, worker });
    crate::commands::blocking(move || {
        ready_rx.recv().unwrap_or_else(|_| {
            Err(AppError::Internal {
                detail: "the answer thread ended before starting".into(),
            })
        })
    })
    .await?
}

/// Stops the running answer and returns the saved take.
#[tauri::command]
pub async fn stop_answer(shell: State<'_, Shell>) -> Result<Take, AppError> {
    let active = shell
        .answer
        .lock()
        .expect("answer lock")
        .take()
        .ok_or_else(|| AppError::InvalidArgument {
            name: "answer".into(),
            detail: "no answer is being recorded".into(),
        })?;
    active.stop.store(true, Ordering::Relaxed);
    crate::commands::blocking(move || {
        active.worker.join().unwrap_or_else(|_| {
            Err(AppError::Internal {
                detail: "the answer thread panicked".into(),
            })
        })
    })
    .await?
}

#[tauri::command]
pub async fn list_takes(filter: TakeFilter) -> Result<Vec<Take>, AppError> {
    crate::commands::blocking(move || Store::open(&data_dir())?.takes(&filter))
        .await?
        .map_err(Into::into)
}

#[tauri::command]
pub async fn delete_take(id: String) -> Result<bool, AppError> {
    let id = TakeId::parse(&id)?;
    crate::commands::blocking(move || Store::open(&data_dir())?.delete_take(&id))
        .await?
        .map_err(Into::into)
}
