//! The engine's error type. Each variant is a situation a user can act on; the shell maps
//! them to typed IPC errors and the CLI to sentences and exit codes.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
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
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid {name}: {detail}")]
    InvalidArgument { name: String, detail: String },
}

impl EngineError {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EngineError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
