//! Tauri commands: each one validates its input, calls one engine use case and maps errors.
//! Device work runs on a blocking thread so the webview never waits on ALSA or PulseAudio.

use greenroom_core::Lang;
use greenroom_engine::inventory::{
    device_inventory as engine_inventory, DeviceInventory, InventorySummary,
};
use greenroom_engine::settings::Settings;
use tauri::State;

use crate::{AppError, Shell};

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal {
            detail: e.to_string(),
        })
}

#[tauri::command]
pub async fn device_summary() -> Result<InventorySummary, AppError> {
    blocking(|| engine_inventory().summary()).await
}

#[tauri::command]
pub async fn device_inventory() -> Result<DeviceInventory, AppError> {
    blocking(engine_inventory).await
}

#[tauri::command]
pub fn get_settings(shell: State<'_, Shell>) -> Result<Settings, AppError> {
    let store = shell.settings.lock().expect("settings lock");
    Ok(store.load()?)
}

#[tauri::command]
pub fn set_language(shell: State<'_, Shell>, language: Lang) -> Result<Settings, AppError> {
    let store = shell.settings.lock().expect("settings lock");
    Ok(store.update(|s| s.language = language)?)
}
