//! Greenroom's desktop shell: thin Tauri commands over the engine's use cases.

pub mod commands;
pub mod error;
pub mod ipc;
pub mod media;
pub mod models;
pub mod practice;
pub mod review;

use std::sync::Mutex;

pub use error::AppError;

/// State shared by the commands.
pub struct Shell {
    /// The data dir, settings, the loaded model, takes, model and transcription jobs.
    pub engine: greenroom_engine::Engine,
    /// The meter, the clip, the camera preview and its readers (the Check screen).
    pub devices: std::sync::Arc<greenroom_engine::devices::DeviceHub>,
    /// The answer being recorded on the Practice screen.
    pub answer: Mutex<Option<greenroom_engine::practice::AnswerSession>>,
}

ipc::ipc_commands! {
    commands::device_summary() -> greenroom_engine::inventory::InventorySummary;
    commands::device_inventory() -> greenroom_engine::inventory::DeviceInventory;
    commands::about() -> greenroom_engine::about::About;
    commands::get_settings() -> greenroom_engine::settings::Settings;
    commands::set_language(language: greenroom_core::Lang) -> greenroom_engine::settings::Settings;
    commands::audio_choices() -> commands::AudioChoices;
    commands::choose_audio_devices(input: Option<String>, output: Option<String>) -> greenroom_engine::settings::Settings;
    commands::run_audio_check(input: Option<String>, output: Option<String>, speaker: bool; on_progress: Channel<greenroom_engine::preflight::audio::AudioProgress>) -> greenroom_engine::preflight::audio::AudioReport;
    commands::start_level_meter(input: Option<String>; on_level: Channel<commands::MeterEvent>) -> ();
    commands::stop_level_meter() -> ();
    commands::record_clip(input: Option<String>, seconds: f64; on_level: Channel<commands::MeterEvent>) -> greenroom_engine::devices::ClipInfo;
    commands::play_clip(output: Option<String>) -> ();
    commands::play_test_tone(output: Option<String>) -> ();
    commands::camera_choices() -> greenroom_engine::devices::CameraChoices;
    commands::start_camera_preview(camera: Option<String>) -> greenroom_engine::devices::PreviewInfo;
    commands::stop_camera_preview() -> ();
    commands::run_camera_check(camera: Option<String>) -> greenroom_engine::preflight::camera::CameraReport;
    practice::practice_catalog() -> practice::PracticeCatalog;
    practice::practice_plan(kind: greenroom_core::plan::PlanKind, seed: u64) -> Vec<greenroom_core::plan::PlanItem>;
    practice::start_answer(request: practice::StartAnswer; on_event: Channel<practice::PracticeEvent>) -> greenroom_engine::store::Take;
    practice::stop_answer() -> greenroom_engine::store::Take;
    practice::list_takes(filter: greenroom_engine::store::TakeFilter) -> Vec<greenroom_engine::store::Take>;
    practice::delete_take(id: String) -> bool;
    models::models_overview() -> models::ModelsOverview;
    models::download_model(name: String; on_progress: Channel<models::ModelJobEvent>) -> greenroom_engine::models::InstalledModel;
    models::import_model(path: String, name: Option<String>, quantize: bool; on_progress: Channel<models::ModelJobEvent>) -> greenroom_engine::models::InstalledModel;
    models::cancel_model_job() -> ();
    models::remove_model(name: String) -> greenroom_engine::models::InstalledModel;
    models::set_default_model(name: String) -> ();
    review::review_take(id: String) -> greenroom_engine::review::Review;
    review::export_take(id: String, format: greenroom_engine::review::ExportFormat, lang: greenroom_core::Lang) -> String;
    review::export_take_folder(id: String, lang: greenroom_core::Lang) -> String;
    review::transcribe_take(id: String, model: Option<String>; on_progress: Channel<f32>) -> greenroom_engine::review::Review;
    review::cancel_transcription() -> ();
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

/// Serves the newest preview JPEG: the webview asks for it at its own pace, so frames it
/// cannot keep up with are simply never sent.
fn preview_response<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
) -> tauri::http::Response<Vec<u8>> {
    use tauri::Manager;
    let frame = app.state::<Shell>().devices.preview_frame();
    let builder = tauri::http::Response::builder().header("Cache-Control", "no-store");
    match frame {
        Some((seq, jpeg)) => builder
            .header("Content-Type", "image/jpeg")
            .header("X-Frame-Seq", seq.to_string())
            .body(jpeg.as_ref().clone()),
        None => builder.status(404).body(Vec::new()),
    }
    .expect("valid response")
}

/// `--camera-source SPEC` (or `--camera-source=SPEC`) on the command line: a Y4M file or a
/// pattern shown as a camera, to diagnose a capture pipeline (same as the CLI's flag).
pub fn camera_source_arg(args: impl IntoIterator<Item = String>) -> Option<String> {
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--camera-source" {
            return args.next();
        }
        if let Some(v) = a.strip_prefix("--camera-source=") {
            return Some(v.to_owned());
        }
    }
    None
}

pub fn run() {
    let engine = greenroom_engine::Engine::open_default();
    tauri::Builder::default()
        .manage(Shell {
            engine: engine.clone(),
            devices: std::sync::Arc::new(greenroom_engine::devices::DeviceHub::new(
                camera_source_arg(std::env::args())
                    .or_else(greenroom_engine::camera::source_from_env),
            )),
            answer: Mutex::new(None),
        })
        .setup(move |app| {
            use tauri::Manager;
            let shell = app.state::<Shell>();
            let lang = shell.engine.settings();
            if let (Ok(settings), Some(window)) = (lang, app.get_webview_window("main")) {
                let _ = window.set_title(commands::window_title(settings.language));
            }
            // "On the next start": the first store repairs takes a crash left behind, before
            // anything records.
            let _ = engine.store();
            Ok(())
        })
        .register_uri_scheme_protocol("preview", |ctx, _request| {
            preview_response(ctx.app_handle())
        })
        .register_uri_scheme_protocol("take", |ctx, request| {
            use tauri::Manager;
            let shell = ctx.app_handle().state::<Shell>();
            media::take_file_response(shell.engine.data_dir(), &request)
        })
        .invoke_handler(invoke_handler())
        .run(tauri::generate_context!())
        .expect("error while running Greenroom");
}

#[cfg(test)]
mod tests {
    use super::camera_source_arg;

    #[test]
    fn camera_source_is_read_from_either_form() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            camera_source_arg(args(&["app", "--camera-source", "pattern:black"])),
            Some("pattern:black".into())
        );
        assert_eq!(
            camera_source_arg(args(&["app", "--camera-source=x.y4m"])),
            Some("x.y4m".into())
        );
        assert_eq!(camera_source_arg(args(&["app", "--other"])), None);
    }
}
