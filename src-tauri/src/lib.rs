//! Greenroom's desktop shell: thin Tauri commands over the engine's use cases.

pub mod commands;
pub mod error;
pub mod ipc;

use std::sync::Mutex;

use greenroom_engine::settings::SettingsStore;

pub use error::AppError;

/// State shared by the commands.
pub struct Shell {
    pub settings: Mutex<SettingsStore>,
    /// The live level meter, while the Check screen shows it.
    pub meter: Mutex<Option<greenroom_engine::audio::meter::LevelMonitor>>,
    /// The last "record 5 s" clip, kept in memory only.
    pub clip: Mutex<Option<greenroom_engine::preflight::audio::Clip>>,
}

ipc::ipc_commands! {
    device_summary() -> greenroom_engine::inventory::InventorySummary;
    device_inventory() -> greenroom_engine::inventory::DeviceInventory;
    get_settings() -> greenroom_engine::settings::Settings;
    set_language(language: greenroom_core::Lang) -> greenroom_engine::settings::Settings;
    audio_choices() -> commands::AudioChoices;
    choose_audio_devices(input: Option<String>, output: Option<String>) -> greenroom_engine::settings::Settings;
    run_audio_check(input: Option<String>, output: Option<String>, speaker: bool; on_progress: Channel<greenroom_engine::preflight::audio::AudioProgress>) -> greenroom_engine::preflight::audio::AudioReport;
    start_level_meter(input: Option<String>; on_level: Channel<commands::MeterEvent>) -> ();
    stop_level_meter() -> ();
    record_clip(input: Option<String>, seconds: f64; on_level: Channel<commands::MeterEvent>) -> commands::ClipInfo;
    play_clip(output: Option<String>) -> ();
    play_test_tone(output: Option<String>) -> ();
}

/// Types the UI uses that no command returns directly.
pub fn extra_types() -> Vec<fn(&mut ipc::Collector)> {
    use ts_rs::TypeVisitor;
    vec![|c| c.visit::<AppError>()]
}

/// The TypeScript bindings as they should be on disk.
pub fn bindings() -> String {
    ipc::render_bindings(&command_signatures(), &extra_types())
}

pub fn run() {
    let data_dir = greenroom_engine::paths::data_dir();
    tauri::Builder::default()
        .manage(Shell {
            settings: Mutex::new(SettingsStore::new(&data_dir)),
            meter: Mutex::new(None),
            clip: Mutex::new(None),
        })
        .invoke_handler(invoke_handler())
        .run(tauri::generate_context!())
        .expect("error while running Greenroom");
}
