//! Errors as they cross to the UI: a stable `code` plus parameters; the UI owns the
//! localized sentence for each code (ui/src/i18n/errors.ts), so nothing matches on text.

use greenroom_engine::EngineError;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS, thiserror::Error)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum AppError {
    #[error("no audio server: {detail}")]
    NoAudioServer { detail: String },
    #[error("no {direction} device")]
    NoAudioDevice { direction: String },
    #[error("unknown device {device}")]
    UnknownAudioDevice { device: String },
    #[error("permission denied: {device}")]
    PermissionDenied { device: String },
    #[error("device busy: {device}")]
    DeviceBusy { device: String },
    #[error("device gone: {device}")]
    DeviceGone { device: String },
    #[error("unsupported config on {device}: {detail}")]
    UnsupportedConfig { device: String, detail: String },
    #[error("audio error on {device}: {detail}")]
    Audio { device: String, detail: String },
    #[error("camera error: {detail}")]
    Camera { detail: String },
    #[error("cannot {action} {path}: {detail}")]
    Io {
        action: String,
        path: String,
        detail: String,
    },
    #[error("invalid {name}: {detail}")]
    InvalidArgument { name: String, detail: String },
    #[error("database error ({action} {path}): {detail}")]
    Database {
        action: String,
        path: String,
        detail: String,
    },
    #[error("database {path} is damaged: {detail}")]
    DatabaseCorrupt { path: String, detail: String },
    #[error("database {path} is from a newer Greenroom ({found} > {supported})")]
    DatabaseTooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("invalid model {path}: {detail}")]
    InvalidModel { path: String, detail: String },
    #[error("CPU lacks {missing:?} for {built_for}")]
    CpuUnsupported {
        built_for: String,
        missing: Vec<String>,
    },
    #[error("unknown model {name}")]
    UnknownModel { name: String },
    #[error("model {name} exists")]
    ModelExists { name: String },
    #[error("cancelled")]
    Cancelled,
    #[error("download of {url} failed: {detail}")]
    Download { url: String, detail: String },
    #[error("download of {url} stalled")]
    DownloadStalled {
        url: String,
        #[ts(type = "number")]
        stall_ms: u64,
        attempts: u32,
        #[ts(type = "number")]
        downloaded: u64,
    },
    #[error("HTTP {status} for {url}")]
    DownloadHttp {
        url: String,
        status: u16,
        reason: String,
    },
    #[error("checksum mismatch for {name}")]
    ChecksumMismatch {
        name: String,
        algorithm: String,
        expected: String,
        actual: String,
    },
    #[error("internal error: {detail}")]
    Internal { detail: String },
}

impl From<greenroom_engine::models::ModelError> for AppError {
    fn from(e: greenroom_engine::models::ModelError) -> Self {
        EngineError::from(e).into()
    }
}

impl From<EngineError> for AppError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::NoAudioServer { detail } => AppError::NoAudioServer { detail },
            EngineError::NoAudioDevice { direction } => AppError::NoAudioDevice { direction },
            EngineError::UnknownAudioDevice { device } => AppError::UnknownAudioDevice { device },
            EngineError::PermissionDenied { device } => AppError::PermissionDenied { device },
            EngineError::DeviceBusy { device } => AppError::DeviceBusy { device },
            EngineError::DeviceGone { device } => AppError::DeviceGone { device },
            EngineError::UnsupportedConfig { device, detail } => {
                AppError::UnsupportedConfig { device, detail }
            }
            EngineError::Audio { device, detail } => AppError::Audio { device, detail },
            EngineError::Camera { detail } => AppError::Camera { detail },
            EngineError::Io {
                action,
                path,
                source,
            } => AppError::Io {
                action: action.to_owned(),
                path: path.display().to_string(),
                detail: source.to_string(),
            },
            EngineError::InvalidArgument { name, detail } => {
                AppError::InvalidArgument { name, detail }
            }
            EngineError::Database {
                action,
                path,
                detail,
            } => AppError::Database {
                action: action.to_owned(),
                path: path.display().to_string(),
                detail,
            },
            EngineError::InvalidModel { path, detail } => AppError::InvalidModel {
                path: path.display().to_string(),
                detail,
            },
            EngineError::UnknownModel { name } => AppError::UnknownModel { name },
            EngineError::ModelExists { name } => AppError::ModelExists { name },
            EngineError::Cancelled => AppError::Cancelled,
            EngineError::Download { url, detail } => AppError::Download { url, detail },
            EngineError::DownloadStalled {
                url,
                stall_ms,
                attempts,
                downloaded,
            } => AppError::DownloadStalled {
                url,
                stall_ms,
                attempts,
                downloaded,
            },
            EngineError::DownloadHttp {
                url,
                status,
                reason,
            } => AppError::DownloadHttp {
                url,
                status,
                reason,
            },
            EngineError::ChecksumMismatch {
                name,
                algorithm,
                expected,
                actual,
            } => AppError::ChecksumMismatch {
                name,
                algorithm,
                expected,
                actual,
            },
            EngineError::CpuUnsupported { built_for, missing } => {
                AppError::CpuUnsupported { built_for, missing }
            }
            EngineError::DatabaseCorrupt { path, detail } => AppError::DatabaseCorrupt {
                path: path.display().to_string(),
                detail,
            },
            EngineError::DatabaseTooNew {
                path,
                found,
                supported,
            } => AppError::DatabaseTooNew {
                path: path.display().to_string(),
                found,
                supported,
            },
        }
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        AppError::Internal {
            detail: e.to_string(),
        }
    }
}
