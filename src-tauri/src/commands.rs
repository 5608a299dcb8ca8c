//! Tauri commands: each one validates its input, calls one engine use case and maps errors.
//! Device work runs on a blocking thread so the webview never waits on ALSA or PulseAudio.

use greenroom_core::Lang;
use greenroom_engine::audio::meter::LevelMonitor;
use greenroom_engine::audio::{audio_inventory, saved_or_default, AudioDevice};
use greenroom_engine::camera::preview::CameraPreview;
use greenroom_engine::camera::{list_cameras, CameraInfo};
use greenroom_engine::inventory::{
    device_inventory as engine_inventory, DeviceInventory, InventorySummary,
};
use greenroom_engine::preflight::audio::{
    check_audio, play_clip as engine_play_clip, play_test_tone as engine_play_test_tone,
    record_clip as engine_record_clip, AudioCheckOptions, AudioProgress, AudioReport,
};
use greenroom_engine::preflight::camera::{
    check_camera, check_source, CameraCheckOptions, CameraReport,
};
use greenroom_engine::settings::Settings;
use greenroom_engine::EngineError;
use std::sync::atomic::Ordering;

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
    // Requests can overlap (the user switches devices while one opens): only the newest
    // one may install its meter, or a stale device would keep reporting.
    let generation = shell.meter_generation.fetch_add(1, Ordering::SeqCst) + 1;
    drop(shell.meter.lock().expect("meter lock").take());
    let errors = on_level.clone();
    let monitor = blocking(move || {
        LevelMonitor::start(
            input.as_deref(),
            move |peak_dbfs| {
                let _ = on_level.send(MeterEvent::Level { peak_dbfs });
            },
            move |e| {
                let _ = errors.send(MeterEvent::Stopped { error: e });
            },
        )
    })
    .await??;
    let mut slot = shell.meter.lock().expect("meter lock");
    if shell.meter_generation.load(Ordering::SeqCst) == generation {
        *slot = Some(monitor);
    }
    Ok(())
}

#[tauri::command]
pub fn stop_level_meter(shell: State<'_, Shell>) -> Result<(), AppError> {
    shell.meter_generation.fetch_add(1, Ordering::SeqCst);
    drop(shell.meter.lock().expect("meter lock").take());
    Ok(())
}

/// What was recorded for "record 5 s and play it back".
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ClipInfo {
    pub device_name: String,
    pub seconds: f64,
    pub peak_dbfs: f64,
}

#[tauri::command]
pub async fn record_clip(
    shell: State<'_, Shell>,
    input: Option<String>,
    seconds: f64,
    on_level: Channel<MeterEvent>,
) -> Result<ClipInfo, AppError> {
    if !(1.0..=30.0).contains(&seconds) {
        return Err(AppError::InvalidArgument {
            name: "seconds".into(),
            detail: format!("{seconds} is not between 1 and 30"),
        });
    }
    // The meter holds the same device; recording and metering at once would double the load.
    drop(shell.meter.lock().expect("meter lock").take());
    let clip = blocking(move || {
        engine_record_clip(input.as_deref(), seconds, |peak_dbfs| {
            let _ = on_level.send(MeterEvent::Level { peak_dbfs });
        })
    })
    .await??;
    let peak = clip.samples.iter().fold(0f32, |m, s| m.max(s.abs()));
    let info = ClipInfo {
        device_name: clip.device_name.clone(),
        seconds: clip.samples.len() as f64 / clip.sample_rate as f64,
        peak_dbfs: greenroom_core::signal::dbfs(peak as f64),
    };
    *shell.clip.lock().expect("clip lock") = Some(clip);
    Ok(info)
}

#[tauri::command]
pub async fn play_clip(shell: State<'_, Shell>, output: Option<String>) -> Result<(), AppError> {
    let clip = shell
        .clip
        .lock()
        .expect("clip lock")
        .clone()
        .ok_or_else(|| AppError::InvalidArgument {
            name: "clip".into(),
            detail: "nothing has been recorded yet".into(),
        })?;
    blocking(move || engine_play_clip(output.as_deref(), &clip)).await??;
    Ok(())
}

#[tauri::command]
pub async fn play_test_tone(output: Option<String>) -> Result<(), AppError> {
    blocking(move || engine_play_test_tone(output.as_deref())).await??;
    Ok(())
}

/// The cameras the user can pick. With `GREENROOM_CAMERA_SOURCE` set (diagnostics, tests) a
/// synthetic camera is offered first under the id `synthetic`.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct CameraChoices {
    pub cameras: Vec<CameraInfo>,
    pub selected: Option<String>,
    /// Why listing failed (as opposed to finding none).
    pub error: Option<String>,
}

pub const SYNTHETIC_CAMERA_ID: &str = "synthetic";

#[tauri::command]
pub async fn camera_choices(shell: State<'_, Shell>) -> Result<CameraChoices, AppError> {
    let saved = shell.engine.settings()?.camera;
    let synthetic = shell.camera_source.clone();
    blocking(move || {
        let (mut cameras, error) = match list_cameras() {
            Ok(c) => (c, None),
            Err(e) => (vec![], Some(e.to_string())),
        };
        if let Some(spec) = synthetic {
            cameras.insert(
                0,
                CameraInfo {
                    id: SYNTHETIC_CAMERA_ID.into(),
                    name: format!("Synthetic camera ({spec})"),
                    description: spec,
                },
            );
        }
        let selected = saved
            .filter(|id| cameras.iter().any(|c| &c.id == id))
            .or_else(|| cameras.first().map(|c| c.id.clone()));
        CameraChoices {
            cameras,
            selected,
            error,
        }
    })
    .await
}

/// (device, synthetic spec) for a camera id from the UI.
pub(crate) fn camera_target(
    shell: &Shell,
    camera: Option<String>,
) -> (Option<String>, Option<String>) {
    match camera {
        Some(id) if id == SYNTHETIC_CAMERA_ID => (None, shell.camera_source.clone()),
        other => (other, None),
    }
}

/// What the preview shows.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct PreviewInfo {
    pub name: String,
    pub width: u32,
    pub height: u32,
}

/// Starts the preview (replacing a running one) and remembers the camera. Frames are
/// fetched by the webview from `preview://localhost/frame.jpg` (latest frame only).
#[tauri::command]
pub async fn start_camera_preview(
    shell: State<'_, Shell>,
    camera: Option<String>,
) -> Result<PreviewInfo, AppError> {
    let generation = shell.preview_generation.fetch_add(1, Ordering::SeqCst) + 1;
    drop(shell.preview.lock().expect("preview lock").take());
    shell
        .engine
        .update_settings(|s| s.camera = camera.clone())?;
    let (device, source) = camera_target(&shell, camera);
    let preview = blocking(move || CameraPreview::open(device.as_deref(), source.as_deref()))
        .await?
        .map_err(EngineError::from)?;
    let info = preview.info();
    let out = PreviewInfo {
        name: info.name.clone(),
        width: info.width,
        height: info.height,
    };
    let mut slot = shell.preview.lock().expect("preview lock");
    if shell.preview_generation.load(Ordering::SeqCst) == generation {
        *slot = Some(preview);
    }
    Ok(out)
}

#[tauri::command]
pub fn stop_camera_preview(shell: State<'_, Shell>) -> Result<(), AppError> {
    shell.preview_generation.fetch_add(1, Ordering::SeqCst);
    drop(shell.preview.lock().expect("preview lock").take());
    Ok(())
}

/// Measures the camera for ~2 s. While the preview runs, the check reads the preview's
/// frames: a camera cannot be opened twice.
#[tauri::command]
pub async fn run_camera_check(
    shell: State<'_, Shell>,
    camera: Option<String>,
) -> Result<CameraReport, AppError> {
    let tap = shell
        .preview
        .lock()
        .expect("preview lock")
        .as_ref()
        .filter(|p| p.is_running())
        .map(|p| p.tap());
    let (device, source) = camera_target(&shell, camera);
    let report = blocking(move || match tap {
        Some(mut tap) => Ok(check_source(&mut tap, std::time::Instant::now(), 2.0)),
        None => check_camera(&CameraCheckOptions {
            device,
            source,
            seconds: 2.0,
        }),
    })
    .await??;
    Ok(report)
}
