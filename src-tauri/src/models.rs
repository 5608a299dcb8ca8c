//! Models screen: installed Whisper models, the official catalog, download (resumable),
//! import of a ggml file or a faster-whisper folder, default and removal.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use greenroom_engine::models::{catalog, CatalogModel, ImportProgress, InstalledModel, Quant};
use greenroom_engine::EngineError;
use greenroom_models::download::{
    download_model as engine_download, partial_size, spec_for_catalog, DownloadOptions,
    DownloadProgress,
};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::commands::blocking;
use crate::{AppError, Shell};

#[derive(Debug, Clone, Serialize, TS)]
pub struct CatalogEntry {
    pub model: CatalogModel,
    pub installed: bool,
    /// Bytes of an interrupted download kept for resuming.
    #[ts(type = "number | null")]
    pub partial: Option<u64>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ModelsOverview {
    pub installed: Vec<InstalledModel>,
    pub default: Option<String>,
    pub catalog: Vec<CatalogEntry>,
    pub dir: String,
}

#[tauri::command]
pub async fn models_overview(shell: State<'_, Shell>) -> Result<ModelsOverview, AppError> {
    let engine = shell.engine.clone();
    blocking(move || {
        let store = engine.models()?;
        let installed = store.list()?;
        let catalog = catalog()
            .into_iter()
            .map(|m| CatalogEntry {
                installed: installed.iter().any(|i| i.name == m.name),
                partial: partial_size(&store, &m.name),
                model: m,
            })
            .collect();
        Ok::<_, EngineError>(ModelsOverview {
            default: store.default_name()?,
            dir: store.dir().display().to_string(),
            installed,
            catalog,
        })
    })
    .await?
}

/// Progress of a download or import, for the progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelJobEvent {
    Download(DownloadProgress),
    Import(ImportProgress),
}

/// Downloads an official model (resuming a kept partial), verifies it and installs it.
#[tauri::command]
pub async fn download_model(
    shell: State<'_, Shell>,
    name: String,
    on_progress: Channel<ModelJobEvent>,
) -> Result<InstalledModel, AppError> {
    let spec = spec_for_catalog(&name).ok_or_else(|| AppError::InvalidArgument {
        name: "model".into(),
        detail: format!("'{name}' is not in the catalog"),
    })?;
    let cancel = shell.engine.begin_model_job()?;
    let engine = shell.engine.clone();
    blocking(move || {
        let store = engine.models()?;
        Ok(engine_download(
            &store,
            &spec,
            &DownloadOptions::default(),
            |p| {
                let _ = on_progress.send(ModelJobEvent::Download(p));
            },
            &cancel,
        )?)
    })
    .await?
}

/// Imports a ggml file, or converts a faster-whisper (CTranslate2) model folder.
#[tauri::command]
pub async fn import_model(
    shell: State<'_, Shell>,
    path: String,
    name: Option<String>,
    quantize: bool,
    on_progress: Channel<ModelJobEvent>,
) -> Result<InstalledModel, AppError> {
    let path = PathBuf::from(path.trim());
    let cancel = shell.engine.begin_model_job()?;
    let engine = shell.engine.clone();
    blocking(move || {
        let store = engine.models()?;
        let mut progress = |p: ImportProgress| {
            let _ = on_progress.send(ModelJobEvent::Import(p));
            if cancel.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        Ok(store.import(
            &path,
            name.as_deref(),
            quantize.then_some(Quant::Q8_0),
            &mut progress,
        )?)
    })
    .await?
}

/// Cancels the running download or import; a download keeps what arrived.
#[tauri::command]
pub fn cancel_model_job(shell: State<'_, Shell>) -> Result<(), AppError> {
    shell.engine.cancel_model_job();
    Ok(())
}

#[tauri::command]
pub async fn remove_model(
    shell: State<'_, Shell>,
    name: String,
) -> Result<InstalledModel, AppError> {
    let engine = shell.engine.clone();
    blocking(move || Ok(engine.models()?.remove(&name)?)).await?
}

#[tauri::command]
pub async fn set_default_model(shell: State<'_, Shell>, name: String) -> Result<(), AppError> {
    let engine = shell.engine.clone();
    blocking(move || Ok(engine.models()?.set_default(&name)?)).await?
}
