//! Review commands: a take with transcript, coaching and history; exports.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use greenroom_core::Lang;
use greenroom_engine::review::{
    export_folder, review_take as engine_review, write_export, ExportFormat, Review,
};
use greenroom_engine::store::TakeId;
use greenroom_engine::transcribe::{transcribe_take as engine_transcribe, Transcriber};
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::blocking;
use crate::{AppError, Shell};

#[tauri::command]
pub async fn review_take(shell: State<'_, Shell>, id: String) -> Result<Review, AppError> {
    let id = TakeId::parse(&id)?;
    let engine = shell.engine.clone();
    blocking(move || engine_review(&engine.store()?, &id)).await?
}

/// Writes `export.<ext>` into the take's folder and returns its path.
#[tauri::command]
pub async fn export_take(
    shell: State<'_, Shell>,
    id: String,
    format: ExportFormat,
    lang: Lang,
) -> Result<String, AppError> {
    let id = TakeId::parse(&id)?;
    let engine = shell.engine.clone();
    blocking(move || {
        let review = engine_review(&engine.store()?, &id)?;
        Ok(write_export(&review, format, lang)?.display().to_string())
    })
    .await?
}

/// Exports a take as a folder in the user's Downloads (report, audio, video, subtitles)
/// and returns its path; without a Downloads folder, into the data dir's `exports/`.
#[tauri::command]
pub async fn export_take_folder(
    shell: State<'_, Shell>,
    id: String,
    lang: Lang,
) -> Result<String, AppError> {
    let id = TakeId::parse(&id)?;
    let engine = shell.engine.clone();
    blocking(move || {
        let review = engine_review(&engine.store()?, &id)?;
        let parent = greenroom_engine::paths::export_dir();
        Ok(export_folder(&review, &parent, lang)?.display().to_string())
    })
    .await?
}

/// Transcribes a take with an installed model (the default when `model` is `None`) and
/// returns its review. Progress 0..1 arrives on `on_progress`.
#[tauri::command]
pub async fn transcribe_take(
    shell: State<'_, Shell>,
    id: String,
    model: Option<String>,
    on_progress: Channel<f32>,
) -> Result<Review, AppError> {
    let id = TakeId::parse(&id)?;
    let cancel = Arc::new(AtomicBool::new(false));
    *shell.transcription.lock().expect("transcription lock") = Some(cancel.clone());
    let engine = shell.engine.clone();
    blocking(move || {
        let store = engine.store()?;
        let transcriber =
            Transcriber::installed(&engine.models()?, model.as_deref(), Default::default())?;
        let mut last = -1.0f32;
        engine_transcribe(
            &store,
            &id,
            &transcriber,
            &mut |p| {
                // A few updates a second are enough for a progress bar.
                if p - last >= 0.02 || p >= 1.0 {
                    last = p;
                    let _ = on_progress.send(p);
                }
            },
            &cancel,
        )?;
        engine_review(&store, &id)
    })
    .await?
}

#[tauri::command]
pub fn cancel_transcription(shell: State<'_, Shell>) -> Result<(), AppError> {
    if let Some(c) = shell
        .transcription
        .lock()
        .expect("transcription lock")
        .as_ref()
    {
        c.store(true, Ordering::Relaxed);
    }
    Ok(())
}
