//! Practice commands: the bank, plans, recording an answer with live events, takes. The
//! answer itself is the engine's `AnswerSession`.

use greenroom_core::bank::{Question, Track};
use greenroom_core::plan::{build_plan, PlanItem, PlanKind, SwitchMode};
use greenroom_core::{Lang, Localized};
use greenroom_engine::practice::{AnswerEvent, AnswerOptions, SessionEvent};
use greenroom_engine::store::{Take, TakeFilter, TakeId};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::{AppError, Shell};

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

#[tauri::command]
pub async fn practice_catalog(shell: State<'_, Shell>) -> Result<PracticeCatalog, AppError> {
    let engine = shell.engine.clone();
    crate::commands::blocking(move || {
        let (bank, issues) = engine.bank();
        let issues: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
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
pub fn practice_plan(
    shell: State<'_, Shell>,
    kind: PlanKind,
    seed: u64,
) -> Result<Vec<PlanItem>, AppError> {
    let (bank, _) = shell.engine.bank();
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
    shell.devices.stop_meter();
    if shell
        .answer
        .lock()
        .expect("answer lock")
        .as_ref()
        .is_some_and(|a| a.is_running())
    {
        return Err(AppError::InvalidArgument {
            name: "answer".into(),
            detail: "an answer is already being recorded".into(),
        });
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
    let engine = shell.engine.clone();
    let devices = shell.devices.clone();
    let camera = request.camera;
    let session = crate::commands::blocking(move || {
        // A camera opens once: while the self-view shows it, the recording taps its frames.
        let camera = camera
            .map(|id| devices.camera_for_answer(&id))
            .transpose()?;
        let mut opts = opts;
        opts.transcriber = engine.transcriber();
        engine.start_answer(opts, camera, move |ev| {
            let _ = on_event.send(match ev {
                SessionEvent::Answer(ev) => ev.into(),
                SessionEvent::Finished(done) => PracticeEvent::Finished {
                    take: Box::new(done.take.clone()),
                    error: done.recorded.error.clone(),
                    transcript_words: done.transcript.as_ref().map(|t| t.words.len() as u32),
                    transcript_error: done.transcript_error.clone(),
                },
            });
        })
    })
    .await??;
    let take = session.take().clone();
    *shell.answer.lock().expect("answer lock") = Some(session);
    Ok(take)
}

/// Stops the running answer and returns the saved take.
#[tauri::command]
pub async fn stop_answer(shell: State<'_, Shell>) -> Result<Take, AppError> {
    let session = shell
        .answer
        .lock()
        .expect("answer lock")
        .take()
        .ok_or_else(|| AppError::InvalidArgument {
            name: "answer".into(),
            detail: "no answer is being recorded".into(),
        })?;
    Ok(crate::commands::blocking(move || session.stop())
        .await??
        .take)
}

#[tauri::command]
pub async fn list_takes(
    shell: State<'_, Shell>,
    filter: TakeFilter,
) -> Result<Vec<Take>, AppError> {
    let engine = shell.engine.clone();
    crate::commands::blocking(move || engine.store()?.takes(&filter)).await?
}

#[tauri::command]
pub async fn delete_take(shell: State<'_, Shell>, id: String) -> Result<bool, AppError> {
    let id = TakeId::parse(&id)?;
    let engine = shell.engine.clone();
    crate::commands::blocking(move || engine.store()?.delete_take(&id)).await?
}
