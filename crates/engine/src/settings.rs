//! User settings, stored as JSON in the data dir. Every field has a serde default so an
//! older or hand-edited file still loads; a broken file is kept aside, never silently lost.

use std::path::{Path, PathBuf};

use greenroom_core::Lang;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::EngineError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Settings {
    /// UI and advice language.
    pub language: Lang,
    /// Preferred input device id (`host:device`), if the user picked one.
    pub input_device: Option<String>,
    /// Preferred output device id.
    pub output_device: Option<String>,
    /// Preferred camera id.
    pub camera: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: Lang::En,
            input_device: None,
            output_device: None,
            camera: None,
        }
    }
}

/// Reads and writes `settings.json` in one data dir.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    path: PathBuf,
}

impl SettingsStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("settings.json"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads settings; a missing file gives defaults. An unreadable JSON file is renamed to
    /// `settings.json.broken` so the user's edits survive for inspection, and defaults load.
    pub fn load(&self) -> Result<Settings, EngineError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => return Err(EngineError::io("read", &self.path, e)),
        };
        match serde_json::from_str(&text) {
            Ok(s) => Ok(s),
            Err(_) => {
                let aside = self.path.with_extension("json.broken");
                std::fs::rename(&self.path, &aside)
                    .map_err(|e| EngineError::io("move aside", &self.path, e))?;
                Ok(Settings::default())
            }
        }
    }

    /// Writes atomically (temp file + rename) so a crash never leaves half a file.
    pub fn save(&self, settings: &Settings) -> Result<(), EngineError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| EngineError::io("create", dir, e))?;
        let tmp = self.path.with_extension("json.tmp");
        let json = serde_json::to_vec_pretty(settings).expect("settings serialize");
        std::fs::write(&tmp, json).map_err(|e| EngineError::io("write", &tmp, e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| EngineError::io("replace", &self.path, e))
    }

    pub fn update(&self, f: impl FnOnce(&mut Settings)) -> Result<Settings, EngineError> {
        let mut s = self.load()?;
        f(&mut s);
        self.save(&s)?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_roundtrips() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::new(dir.path());
        assert_eq!(store.load().unwrap(), Settings::default());
        store.update(|s| s.language = Lang::Ko).unwrap();
        assert_eq!(store.load().unwrap().language, Lang::Ko);
    }

    #[test]
    fn partial_file_fills_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::new(dir.path());
        std::fs::write(store.path(), r#"{"language":"ko","future_field":1}"#).unwrap();
        let s = store.load().unwrap();
        assert_eq!(s.language, Lang::Ko);
        assert_eq!(s.input_device, None);
    }

    #[test]
    fn broken_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::new(dir.path());
        std::fs::write(store.path(), "{not json").unwrap();
        assert_eq!(store.load().unwrap(), Settings::default());
        let aside = dir.path().join("settings.json.broken");
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{not json");
    }
}
