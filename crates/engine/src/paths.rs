//! Where Greenroom keeps its data. The app and the CLI must agree, so both call this.

use std::path::PathBuf;

/// Tauri identifier; the platform data dir is named after it.
pub const APP_IDENTIFIER: &str = "dev.greenroom.app";
/// Overrides the data dir (tests, portable use).
pub const HOME_ENV: &str = "GREENROOM_HOME";

/// The data directory: `$GREENROOM_HOME`, else the platform data dir for the app identifier
/// (`$XDG_DATA_HOME/dev.greenroom.app` on Linux). Not created here.
pub fn data_dir() -> PathBuf {
    match std::env::var_os(HOME_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => dirs::data_dir()
            .unwrap_or_else(|| std::env::temp_dir().join("greenroom-data"))
            .join(APP_IDENTIFIER),
    }
}

/// Where exported take folders go: the user's Downloads folder, or the data dir's
/// `exports/` where the OS names none.
pub fn export_dir() -> PathBuf {
    dirs::download_dir().unwrap_or_else(|| data_dir().join("exports"))
}
