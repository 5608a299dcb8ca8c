// Declaring the app's commands makes Tauri generate one permission per command, so the
// capability file can grant exactly the commands the UI uses and nothing else.
const COMMANDS: &[&str] = &[
    "device_summary",
    "device_inventory",
    "about",
    "get_settings",
    "set_language",
    "audio_choices",
    "choose_audio_devices",
    "run_audio_check",
    "start_level_meter",
    "stop_level_meter",
    "record_clip",
    "play_clip",
    "play_test_tone",
    "camera_choices",
    "start_camera_preview",
    "stop_camera_preview",
    "run_camera_check",
    "practice_catalog",
    "practice_plan",
    "start_answer",
    "stop_answer",
    "list_takes",
    "delete_take",
    "models_overview",
    "download_model",
    "import_model",
    "cancel_model_job",
    "remove_model",
    "set_default_model",
    "review_take",
    "export_take",
    "export_take_folder",
    "transcribe_take",
    "cancel_transcription",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
