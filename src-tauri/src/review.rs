//! Review commands: a take with transcript, coaching and history; exports.

use greenroom_core::Lang;
use greenroom_engine::paths::data_dir;
use greenroom_engine::review::{export, review_take as engine_review, ExportFormat, Review};
use greenroom_engine::store::{Store, TakeId};
use serde::Deserialize;
use ts_rs::TS;

use crate::commands::blocking;
use crate::AppError;

#[tauri::command]
pub async fn review_take(id: String) -> Result<Review, AppError> {
    let id = TakeId::parse(&id)?;
    blocking(move || engine_review(&Store::open(&data_dir())?, &id))
        .await?
        .map_err(Into::into)
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    Md,
    Json,
    Srt,
}

/// Writes `export.<ext>` into the take's folder and returns its path.
#[tauri::command]
pub async fn export_take(id: String, format: ExportKind, lang: Lang) -> Result<String, AppError> {
    let id = TakeId::parse(&id)?;
    blocking(move || {
        let store = Store::open(&data_dir())?;
        let review = engine_review(&store, &id)?;
        let (f, ext) = match format {
            ExportKind::Md => (ExportFormat::Markdown, "md"),
            ExportKind::Json => (ExportFormat::Json, "json"),
            ExportKind::Srt => (ExportFormat::Srt, "srt"),
        };
        let text = export(&review, f, lang)?;
        let path = review.take.dir.join(format!("export.{ext}"));
        std::fs::write(&path, text)
            .map_err(|e| greenroom_engine::EngineError::io("write", &path, e))?;
        Ok::<_, greenroom_engine::EngineError>(path.display().to_string())
    })
    .await?
    .map_err(Into::into)
}

/// Exports a take as a folder in the user's Downloads (report, audio, video, subtitles)
/// and returns its path; without a Downloads folder, into the data dir's `exports/`.
#[tauri::command]
pub async fn export_take_folder(id: String, lang: Lang) -> Result<String, AppError> {
    let id = TakeId::parse(&id)?;
    blocking(move || {
        let store = Store::open(&data_dir())?;
        let review = engine_review(&store, &id)?;
        let parent = greenroom_engine::paths::export_dir();
        let dir = greenroom_engine::review::export_folder(&review, &parent, lang)?;
        Ok::<_, greenroom_engine::EngineError>(dir.display().to_string())
    })
    .await?
    .map_err(Into::into)
}

/// Transcribes a take with an installed model (the default when `model` is `None`) and
/// returns its review. Progress 0..1 arrives on `on_progress`.
#[tauri::command]
pub async fn transcribe_take(
    shell: tauri::State<'_, crate::Shell>,
    id: String,
    model: Option<String>,
    on_progress: tauri::ipc::Channel<f32>,
) -> Result<Review, AppError> {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let id = TakeId::parse(&id)?;
    let cancel = Arc::new(AtomicBool::new(false));
    *shell.transcription.lock().expect("transcription lock") = Some(cancel.clone());
    blocking(move || {
        let store = Store::open(&data_dir())?;
        let models = greenroom_engine::models::ModelStore::open(&data_dir())?;
        let transcriber = greenroom_engine::transcribe::Transcriber::installed(
            &models,
            model.as_deref(),
            Default::default(),
        )?;
        let mut last = -1.0f32;
        greenroom_engine::transcribe::transcribe_take(
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
    .map_err(Into::into)
}

#[tauri::command]
pub fn cancel_transcription(shell: tauri::State<'_, crate::Shell>) -> Result<(), AppError> {
    if let Some(c) = shell
        .transcription
        .lock()
        .expect("transcription lock")
        .as_ref()
    {
        c.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(())
}
