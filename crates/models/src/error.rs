//! What can go wrong with a model file, a download or the installed-model store. The engine
//! turns each into the `ModelError` variant of the same name, so a face sees one error type.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot {action} '{path}': {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid {name}: {detail}")]
    InvalidArgument { name: String, detail: String },
    /// A model file or folder that is damaged, truncated or not a Whisper model; `detail`
    /// says what is wrong. Nothing was installed.
    #[error("'{path}' is not a usable Whisper model: {detail}")]
    InvalidModel { path: PathBuf, detail: String },
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
        stall_ms: u64,
        attempts: u32,
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
