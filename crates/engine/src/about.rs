//! What the About box and `greenroom about` show: version, where data lives, the default
//! model, the CPU the speech engine needs, and the licences of what ships or is downloaded.

use serde::Serialize;
use ts_rs::TS;

use crate::models::ModelStore;
use crate::paths::data_dir;
use crate::transcribe::cpu::{speech_cpu, SpeechCpu};

/// A component and the licence it is used under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Licence {
    pub component: String,
    pub licence: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct About {
    pub version: String,
    /// `linux`, `windows` or `macos`, as Rust names it.
    pub os: String,
    pub arch: String,
    pub data_dir: String,
    /// The default model's name, if any model is installed.
    pub default_model: Option<String>,
    pub models_installed: usize,
    pub speech_cpu: SpeechCpu,
    pub licences: Vec<Licence>,
}

/// Greenroom ships no model: the catalog downloads whisper.cpp's conversions of OpenAI's
/// Whisper weights, and imports accept the same weights converted by others. These are
/// the licences a user agrees to by using them, and those of the code in every build.
fn licences() -> Vec<Licence> {
    let l = |component: &str, licence: &str, url: &str| Licence {
        component: component.to_owned(),
        licence: licence.to_owned(),
        url: url.to_owned(),
    };
    vec![
        l("Greenroom", "MIT", "LICENSE"),
        l(
            "Whisper models (OpenAI)",
            "MIT",
            "https://github.com/openai/whisper/blob/main/LICENSE",
        ),
        l(
            "ggml conversions (whisper.cpp)",
            "MIT",
            "https://huggingface.co/ggerganov/whisper.cpp",
        ),
        l(
            "faster-whisper conversions (Systran)",
            "MIT",
            "https://github.com/SYSTRAN/faster-whisper/blob/master/LICENSE",
        ),
        l(
            "whisper.cpp and ggml",
            "MIT",
            "https://github.com/ggml-org/whisper.cpp/blob/master/LICENSE",
        ),
        l(
            "Tauri",
            "MIT or Apache-2.0",
            "https://github.com/tauri-apps/tauri",
        ),
        l(
            "SQLite",
            "Public domain",
            "https://sqlite.org/copyright.html",
        ),
        l(
            "Rust crates (full list)",
            "see THIRD-PARTY-LICENSES.txt",
            "THIRD-PARTY-LICENSES.txt",
        ),
    ]
}

pub fn about() -> About {
    about_in(&data_dir())
}

/// [`about`] for a given data folder.
pub fn about_in(dir: &std::path::Path) -> About {
    // A missing or unreadable model folder is "no model", not an error: About must open.
    let (default_model, models_installed) = match ModelStore::open(dir) {
        Ok(store) => (
            store.default_name().ok().flatten(),
            store.list().map(|l| l.len()).unwrap_or(0),
        ),
        Err(_) => (None, 0),
    };
    About {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        os: std::env::consts::OS.to_owned(),
        arch: std::env::consts::ARCH.to_owned(),
        data_dir: dir.display().to_string(),
        default_model,
        models_installed,
        speech_cpu: speech_cpu(),
        licences: licences(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_names_the_data_dir_and_every_model_licence() {
        let home = tempfile::tempdir().unwrap();
        let about = about_in(home.path());
        assert_eq!(about.data_dir, home.path().display().to_string());
        assert_eq!(about.default_model, None);
        assert_eq!(about.models_installed, 0);
        assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
        assert!(about
            .licences
            .iter()
            .any(|l| l.component.contains("Whisper models") && l.licence == "MIT"));
    }
}
