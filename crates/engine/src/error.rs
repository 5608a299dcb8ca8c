//! The engine's error type. Each variant is a situation a user can act on. It crosses to the
//! UI as a stable `code` with its parameters (the UI owns one localized sentence per code,
//! so nothing matches on text), and to the terminal as its message and [`EngineError::fault`]
//! (the CLI's exit code).

use std::path::PathBuf;

use greenroom_models::wire::{display, lossy_path};
use greenroom_models::ModelError;
use serde::Serialize;
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
    /// Something that should not happen did (a thread could not start or panicked).
    #[error("internal error: {detail}")]
    Internal { detail: String },
    /// The user (or caller) cancelled a long operation; nothing was left half-done.
    #[error("cancelled")]
    Cancelled,
    /// What went wrong with a model file, a download or the installed models (its own
    /// codes: `invalid_model`, `unknown_model`, `model_exists`, `download...`,
    /// `checksum_mismatch`). I/O, bad arguments and cancelling are the variants above.
    #[error(transparent)]
    #[serde(untagged)]
    #[ts(untagged)]
    Model(ModelError),
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
            | EngineError::Model(ModelError::UnknownModel { .. })
            | EngineError::Model(ModelError::ModelExists { .. }) => Fault::Request,
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

/// A model error stays one, but for what every use case shares: I/O, a bad argument,
/// cancelling.
impl From<ModelError> for EngineError {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::Io {
                action,
                path,
                source,
            } => EngineError::Io {
                action,
                path,
                source,
            },
            ModelError::InvalidArgument { name, detail } => {
                EngineError::InvalidArgument { name, detail }
            }
            ModelError::Cancelled => EngineError::Cancelled,
            other => EngineError::Model(other),
        }
    }
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
        let v = serde_json::to_value(EngineError::from(ModelError::DownloadStalled {
            url: "https://x".into(),
            stall_ms: 1500,
            attempts: 3,
            downloaded: 7,
        }))
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
        let v = serde_json::to_value(EngineError::from(ModelError::InvalidModel {
            path,
            detail: "truncated".into(),
        }))
        .unwrap();
        assert_eq!(v["code"], "invalid_model");
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
            EngineError::from(ModelError::UnknownModel { name: "x".into() }).fault(),
            Fault::Request
        );
        // What every use case shares stays flat, so `matches!(e, EngineError::Cancelled)`
        // holds for a cancelled import too.
        assert!(matches!(
            EngineError::from(ModelError::Cancelled),
            EngineError::Cancelled
        ));
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
