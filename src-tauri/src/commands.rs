//! Tauri commands: each one validates its input, calls one engine use case and maps errors.
//! Device work runs on a blocking thread so the webview never waits on ALSA or PulseAudio.

use greenroom_core::Lang;
use greenroom_engine::audio::meter::LevelMonitor;
use greenroom_engine::audio::{audio_inventory, AudioDevice};
use greenroom_engine::inventory::{
    device_inventory as engine_inventory, DeviceInventory, InventorySummary,
};
use greenroom_engine::preflight::audio::{
    check_audio, play_clip as engine_play_clip, play_test_tone as engine_play_test_tone,
    record_clip as engine_record_clip, AudioCheckOptions, AudioProgress, AudioReport,
};
use greenroom_engine::settings::Settings;
use tauri::ipc::Channel;
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
    let settings = shell.settings.lock().expect("settings lock").load()?;
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
        let inputs: Vec<AudioDevice> = host.microphones().cloned().collect();
        let outputs = host.outputs.clone();
        let pick = |saved: Option<String>, list: &[AudioDevice]| {
            saved
                .filter(|id| list.iter().any(|d| &d.id == id))
                .or_else(|| list.iter().find(|d| d.is_default).map(|d| d.id.clone()))
                .or_else(|| list.first().map(|d| d.id.clone()))
        };
        AudioChoices {
            host: Some(host.name.clone()),
            selected_input: pick(settings.input_device, &inputs),
            selected_output: pick(settings.output_device, &outputs),
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
    let store = shell.settings.lock().expect("settings lock");
    Ok(store.update(|s| {
        s.input_device = input;
        s.output_device = output;
    })?)
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
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
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
    // Close the old meter before opening the device again.
    drop(shell.meter.lock().expect("meter lock").take());
    let errors = on_level.clone();
    let monitor = blocking(move || {
        LevelMonitor::start(
            input.as_deref(),
            move |peak_dbfs| {
                let _ = on_level.send(MeterEvent::Level { peak_dbfs });
            },
            move |e| {
                let _ = errors.send(MeterEvent::Stopped { error: e.into() });
            },
        )
    })
    .await??;
    *shell.meter.lock().expect("meter lock") = Some(monitor);
    Ok(())
}

#[tauri::command]
pub fn stop_level_meter(shell: State<'_, Shell>) -> Result<(), AppError> {
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
