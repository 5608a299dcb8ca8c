//! Tauri commands: each one validates its input, calls one engine use case and maps errors.
//! Device work runs on a blocking thread so the webview never waits on ALSA or PulseAudio.

use greenroom_core::Lang;
use greenroom_engine::audio::{audio_inventory, saved_or_default, AudioDevice};
use greenroom_engine::devices::{CameraChoices, ClipInfo, PreviewInfo};
use greenroom_engine::inventory::{
    device_inventory as engine_inventory, DeviceInventory, InventorySummary,
};
use greenroom_engine::preflight::audio::{
    check_audio, play_test_tone as engine_play_test_tone, AudioCheckOptions, AudioProgress,
    AudioReport,
};
use greenroom_engine::preflight::camera::CameraReport;
use greenroom_engine::settings::Settings;
use tauri::ipc::Channel;
use tauri::State;

use crate::{AppError, Shell};

pub(crate) async fn blocking<T: Send + 'static>(
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

/// The About box: version, data folder, model, speech-engine CPU level, licences.
#[tauri::command]
pub async fn about() -> Result<greenroom_engine::about::About, AppError> {
    blocking(greenroom_engine::about::about).await
}

#[tauri::command]
pub fn get_settings(shell: State<'_, Shell>) -> Result<Settings, AppError> {
    shell.engine.settings()
}

#[tauri::command]
pub fn set_language(
    window: tauri::WebviewWindow,
    shell: State<'_, Shell>,
    language: Lang,
) -> Result<Settings, AppError> {
    let settings = shell.engine.update_settings(|s| s.language = language)?;
    window
        .set_title(window_title(language))
        .map_err(|e| AppError::Internal {
            detail: e.to_string(),
        })?;
    Ok(settings)
}

/// The window's title (taskbar, Alt-Tab) in the UI's language.
pub fn window_title(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Greenroom",
        Lang::Ko => "Greenroom · 화상 면접 연습",
    }
}

/// The inputs and outputs the user can pick on the Check screen.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct AudioChoices {
    pub host: Option<String>,
    pub inputs: Vec<AudioDevice>,
    pub outputs: Vec<AudioDevice>,
    /// The saved choice when it is still connected, else the system default.
    pub selected_input: Option<String>,
    pub selected_output: Option<String>,
}

#[tauri::command]
pub async fn audio_choices(shell: State<'_, Shell>) -> Result<AudioChoices, AppError> {
    let settings = shell.engine.settings()?;
    blocking(move || {
        let inv = audio_inventory();
        let Some(host) = inv.preferred() else {
            return AudioChoices {
                host: None,
                inputs: vec![],
                outputs: vec![],
                selected_input: None,
                selected_output: None,
            };
        };
        let inputs = host.pickable_microphones();
        let outputs = host.pickable_outputs();
        AudioChoices {
            host: Some(host.name.clone()),
            selected_input: saved_or_default(settings.input_device, &inputs),
            selected_output: saved_or_default(settings.output_device, &outputs),
            inputs,
            outputs,
        }
    })
    .await
}

/// Remembers the devices picked, by stable id.
#[tauri::command]
pub fn choose_audio_devices(
    shell: State<'_, Shell>,
    input: Option<String>,
    output: Option<String>,
) -> Result<Settings, AppError> {
    shell.engine.update_settings(|s| {
        s.input_device = input;
        s.output_device = output;
    })
}

#[tauri::command]
pub async fn run_audio_check(
    input: Option<String>,
    output: Option<String>,
    speaker: bool,
    on_progress: Channel<AudioProgress>,
) -> Result<AudioReport, AppError> {
    let opts = AudioCheckOptions {
        input,
        output,
        seconds: 4.0,
        speaker,
    };
    blocking(move || {
        check_audio(&opts, |p| {
            let _ = on_progress.send(p);
        })
    })
    .await
}

/// One level reading for the meter.
#[derive(Debug, serde::Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeterEvent {
    Level {
        peak_dbfs: f64,
    },
    /// The device stopped; the meter is off.
    Stopped {
        error: AppError,
    },
}

/// Starts the live level meter on `input` (replacing any running one). Levels arrive ~20
/// times a second on `on_level`, only to the window that asked.
#[tauri::command]
pub async fn start_level_meter(
    shell: State<'_, Shell>,
    input: Option<String>,
    on_level: Channel<MeterEvent>,
) -> Result<(), AppError> {
    let devices = shell.devices.clone();
    let errors = on_level.clone();
    blocking(move || {
        devices.start_meter(
            input.as_deref(),
            move |peak_dbfs| {
                let _ = on_level.send(MeterEvent::Level { peak_dbfs });
            },
            move |e| {
                let _ = errors.send(MeterEvent::Stopped { error: e });
            },
        )
    })
    .await?
}

#[tauri::command]
pub fn stop_level_meter(shell: State<'_, Shell>) -> Result<(), AppError> {
    shell.devices.stop_meter();
    Ok(())
}

#[tauri::command]
pub async fn record_clip(
    shell: State<'_, Shell>,
    input: Option<String>,
    seconds: f64,
    on_level: Channel<MeterEvent>,
) -> Result<ClipInfo, AppError> {
    let devices = shell.devices.clone();
    blocking(move || {
        devices.record_clip(input.as_deref(), seconds, |peak_dbfs| {
            let _ = on_level.send(MeterEvent::Level { peak_dbfs });
        })
    })
    .await?
}

#[tauri::command]
pub async fn play_clip(shell: State<'_, Shell>, output: Option<String>) -> Result<(), AppError> {
    let devices = shell.devices.clone();
    blocking(move || devices.play_clip(output.as_deref())).await?
}

#[tauri::command]
pub async fn play_test_tone(output: Option<String>) -> Result<(), AppError> {
    blocking(move || engine_play_test_tone(output.as_deref())).await?
}

#[tauri::command]
pub async fn camera_choices(shell: State<'_, Shell>) -> Result<CameraChoices, AppError> {
    let saved = shell.engine.settings()?.camera;
    let devices = shell.devices.clone();
    blocking(move || devices.cameras(saved)).await
}

/// Starts the preview (replacing a running one) and remembers the camera. Frames are
/// fetched by the webview from `preview://localhost/frame.jpg` (latest frame only).
#[tauri::command]
pub async fn start_camera_preview(
    shell: State<'_, Shell>,
    camera: Option<String>,
) -> Result<PreviewInfo, AppError> {
    shell
        .engine
        .update_settings(|s| s.camera = camera.clone())?;
    let devices = shell.devices.clone();
    blocking(move || devices.start_preview(camera)).await?
}

#[tauri::command]
pub fn stop_camera_preview(shell: State<'_, Shell>) -> Result<(), AppError> {
    shell.devices.stop_preview();
    Ok(())
}

/// Measures the camera for ~2 s. While the preview runs, the check reads the preview's
/// frames: a camera cannot be opened twice.
#[tauri::command]
pub async fn run_camera_check(
    shell: State<'_, Shell>,
    camera: Option<String>,
) -> Result<CameraReport, AppError> {
    let devices = shell.devices.clone();
    blocking(move || devices.check_camera(camera)).await?
}
