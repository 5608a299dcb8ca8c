//! Review commands: a take with transcript, coaching and history; exports.

use greenroom_core::Lang;
use greenroom_engine::review::{
    export_folder, review_take as engine_review, write_export, ExportFormat, Review,
};
use greenroom_engine::store::TakeId;
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
    let engine = shell.engine.clone();
    blocking(move || {
        let mut last = -1.0f32;
        engine.transcribe_take(&id, model.as_deref(), &mut |p| {
            // A few updates a second are enough for a progress bar.
            if p - last >= 0.02 || p >= 1.0 {
                last = p;
                let _ = on_progress.send(p);
            }
        })?;
        engine_review(&engine.store()?, &id)
    })
    .await?
}

#[tauri::command]
pub fn cancel_transcription(shell: State<'_, Shell>) -> Result<(), AppError> {
    shell.engine.cancel_transcription();
    Ok(())
}
