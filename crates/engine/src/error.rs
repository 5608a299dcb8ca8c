//! The engine's error type. Each variant is a situation a user can act on. It crosses to the
//! UI as a stable `code` with its parameters (the UI owns one localized sentence per code,
//! so nothing matches on text), and to the terminal as its message and [`EngineError::fault`]
//! (the CLI's exit code).

use std::fmt::Display;
use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};
use ts_rs::TS;

#[derive(Debug, thiserror::Error, Serialize, TS)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
#[ts(rename = "AppError")]
pub enum EngineError {
    #[error("no audio server is running (PulseAudio / PipeWire): {detail}")]
    NoAudioServer { detail: String },
    #[error("no {direction} audio device found")]
    NoAudioDevice { direction: String },
    #[error("audio device '{device}' was not found")]
    UnknownAudioDevice { device: String },
    #[error("permission to use '{device}' was denied")]
    PermissionDenied { device: String },
    #[error("'{device}' is busy: another application is using it")]
    DeviceBusy { device: String },
    #[error("'{device}' disappeared while in use")]
    DeviceGone { device: String },
    #[error("'{device}' does not support the requested format: {detail}")]
    UnsupportedConfig { device: String, detail: String },
    #[error("audio error on '{device}': {detail}")]
    Audio { device: String, detail: String },
    #[error("camera error: {detail}")]
    Camera { detail: String },
    #[error("cannot {action} '{path}': {source}")]
    Io {
        action: &'static str,
        #[serde(serialize_with = "lossy_path")]
        #[ts(type = "string")]
        path: PathBuf,
        #[source]
        #[serde(rename = "detail", serialize_with = "display")]
        #[ts(rename = "detail", type = "string")]
        source: std::io::Error,
    },
    #[error("invalid {name}: {detail}")]
    InvalidArgument { name: String, detail: String },
    #[error("database error while trying to {action} ('{path}'): {detail}")]
    Database {
        action: &'static str,
        #[serde(serialize_with = "lossy_path")]
        #[ts(type = "string")]
        path: PathBuf,
        detail: String,
    },
    /// The take index is not a readable SQLite database. The caller may move it aside
    /// (`store::Store::move_aside`) and start a new one; take folders are not touched.
    #[error("'{path}' is damaged or is not a Greenroom database: {detail}")]
    DatabaseCorrupt {
        #[serde(serialize_with = "lossy_path")]
        #[ts(type = "string")]
        path: PathBuf,
        detail: String,
    },
    /// The take index was written by a newer Greenroom; it is left untouched.
    #[error(
        "'{path}' was written by a newer Greenroom (schema version {found}; this version \
         knows up to {supported}): update Greenroom to open it"
    )]
    DatabaseTooNew {
        #[serde(serialize_with = "lossy_path")]
        #[ts(type = "string")]
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// A model file or folder that is damaged, truncated or not a Whisper model; `detail`
    /// says what is wrong. Nothing was installed.
    #[error("'{path}' is not a usable Whisper model: {detail}")]
    InvalidModel {
        #[serde(serialize_with = "lossy_path")]
        #[ts(type = "string")]
        path: PathBuf,
        detail: String,
    },
    /// This CPU lacks instructions the speech engine was compiled for (`built_for`, e.g.
    /// x86-64-v3); transcription is refused before whisper.cpp runs. Nothing else needs them.
    #[error(
        "this computer's processor lacks {}, which the speech engine was built for \
         ({built_for}); checks, practice and review work here, transcription does not",
        missing.join(", ")
    )]
    CpuUnsupported {
        built_for: String,
        missing: Vec<String>,
    },
    #[error("no installed model is named '{name}'")]
    UnknownModel { name: String },
    #[error("a model named '{name}' is already installed: remove it first or choose another name")]
    ModelExists { name: String },
    /// Something that should not happen did (a thread could not start or panicked).
    #[error("internal error: {detail}")]
    Internal { detail: String },
    /// The user (or caller) cancelled a long operation; nothing was left half-done.
    #[error("cancelled")]
    Cancelled,
    /// A download could not reach its server or broke off, also after its retries. What
    /// arrived is kept: downloading the same model again resumes.
    #[error("could not download '{url}': {detail}")]
    Download { url: String, detail: String },
    /// The server sent nothing for the stall timeout, on every try. The `downloaded` bytes
    /// are kept: downloading the same model again resumes.
    #[error(
        "the download of '{url}' stalled (no data for {:.1} s; tries: {attempts}): {downloaded} \
         bytes are kept and downloading again resumes",
        *.stall_ms as f64 / 1000.0
    )]
    DownloadStalled {
        url: String,
        #[ts(type = "number")]
        stall_ms: u64,
        attempts: u32,
        #[ts(type = "number")]
        downloaded: u64,
    },
    /// The server answered with an error status (e.g. 404: wrong address or removed file).
    #[error("the server answered HTTP {status} {reason} for '{url}'")]
    DownloadHttp {
        url: String,
        status: u16,
        reason: String,
    },
    /// A downloaded file is not the expected one (`algorithm`: "sha256", "sha1" or
    /// "size"). It was deleted and nothing was installed.
    #[error(
        "the download of '{name}' is not the expected file ({algorithm} is {actual}, expected \
         {expected}): it was deleted and nothing was installed"
    )]
    ChecksumMismatch {
        name: String,
        algorithm: String,
        expected: String,
        actual: String,
    },
}

/// What kind of failure an error is, for the CLI's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// What was asked for is wrong: a bad argument, a name that does not exist or is taken.
    Request,
    /// Something failed while doing what was asked (a device, the disk, the network).
    Failure,
}

impl EngineError {
    pub fn fault(&self) -> Fault {
        match self {
            EngineError::InvalidArgument { .. }
            | EngineError::UnknownAudioDevice { .. }
            | EngineError::UnknownModel { .. }
            | EngineError::ModelExists { .. } => Fault::Request,
            _ => Fault::Failure,
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EngineError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// A model error is the engine error of the same name: the faces map one type.
impl From<greenroom_models::ModelError> for EngineError {
    fn from(e: greenroom_models::ModelError) -> Self {
        use greenroom_models::ModelError as M;
        match e {
            M::Io {
                action,
                path,
                source,
            } => EngineError::Io {
                action,
                path,
                source,
            },
            M::InvalidArgument { name, detail } => EngineError::InvalidArgument { name, detail },
            M::InvalidModel { path, detail } => EngineError::InvalidModel { path, detail },
            M::UnknownModel { name } => EngineError::UnknownModel { name },
            M::ModelExists { name } => EngineError::ModelExists { name },
            M::Cancelled => EngineError::Cancelled,
            M::Download { url, detail } => EngineError::Download { url, detail },
            M::DownloadStalled {
                url,
                stall_ms,
                attempts,
                downloaded,
            } => EngineError::DownloadStalled {
                url,
                stall_ms,
                attempts,
                downloaded,
            },
            M::DownloadHttp {
                url,
                status,
                reason,
            } => EngineError::DownloadHttp {
                url,
                status,
                reason,
            },
            M::ChecksumMismatch {
                name,
                algorithm,
                expected,
                actual,
            } => EngineError::ChecksumMismatch {
                name,
                algorithm,
                expected,
                actual,
            },
        }
    }
}

fn display<S: Serializer>(v: &impl Display, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A path as the user reads it (lossy where the OS name is not UTF-8), never a failure.
fn lossy_path<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&p.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_to_the_ui_as_a_code_with_parameters() {
        let e = EngineError::io(
            "read",
            "/takes/a.wav",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "io");
        assert_eq!(v["params"]["action"], "read");
        assert_eq!(v["params"]["path"], "/takes/a.wav");
        assert_eq!(
            v["params"]["detail"],
            e.to_string().rsplit(": ").next().unwrap()
        );
        let v = serde_json::to_value(EngineError::DownloadStalled {
            url: "https://x".into(),
            stall_ms: 1500,
            attempts: 3,
            downloaded: 7,
        })
        .unwrap();
        assert_eq!(v["code"], "download_stalled");
        assert_eq!(v["params"]["stall_ms"], 1500);
        assert_eq!(
            serde_json::to_value(EngineError::Cancelled).unwrap()["code"],
            "cancelled"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_still_serializes() {
        use std::os::unix::ffi::OsStrExt;
        let path = PathBuf::from(std::ffi::OsStr::from_bytes(b"/takes/\xff.wav"));
        let v = serde_json::to_value(EngineError::InvalidModel {
            path,
            detail: "truncated".into(),
        })
        .unwrap();
        assert_eq!(v["params"]["path"], "/takes/\u{fffd}.wav");
    }

    #[test]
    fn requests_and_failures_are_told_apart() {
        let bad = EngineError::InvalidArgument {
            name: "take".into(),
            detail: "no take x".into(),
        };
        assert_eq!(bad.fault(), Fault::Request);
        assert_eq!(
            EngineError::UnknownModel { name: "x".into() }.fault(),
            Fault::Request
        );
        assert_eq!(EngineError::Cancelled.fault(), Fault::Failure);
        assert_eq!(
            EngineError::DeviceBusy {
                device: "mic".into()
            }
            .fault(),
            Fault::Failure
        );
    }
}
