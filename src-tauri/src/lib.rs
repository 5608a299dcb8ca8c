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
}

ipc::ipc_commands! {
    device_summary() -> greenroom_engine::inventory::InventorySummary;
    device_inventory() -> greenroom_engine::inventory::DeviceInventory;
    get_settings() -> greenroom_engine::settings::Settings;
    set_language(language: greenroom_core::Lang) -> greenroom_engine::settings::Settings;
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
        })
        .invoke_handler(invoke_handler())
        .run(tauri::generate_context!())
        .expect("error while running Greenroom");
}
