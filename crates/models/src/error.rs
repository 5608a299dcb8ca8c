//! What can go wrong with a model file, a download or the installed-model store. The engine
//! carries it in `EngineError::Model` (I/O, bad arguments and cancelling become the engine's
//! own variants), so a face sees one error type.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use crate::wire::{display, lossy_path};

/// Crosses to the UI as `{code, params}`, like the engine's errors (the engine's `Model`
/// variant carries it as it is).
#[derive(Debug, thiserror::Error, Serialize, TS)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum ModelError {
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
    /// A model file or folder that is damaged, truncated or not a Whisper model; `detail`
    /// says what is wrong. Nothing was installed.
    #[error("'{path}' is not a usable Whisper model: {detail}")]
    InvalidModel {
        #[serde(serialize_with = "lossy_path")]
        #[ts(type = "string")]
        path: PathBuf,
        detail: String,
    },
    #[error("no installed model is named '{name}'")]
    UnknownModel { name: String },
    #[error("a model named '{name}' is already installed: remove it first or choose another name")]
    ModelExists { name: String },
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

impl ModelError {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ModelError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
