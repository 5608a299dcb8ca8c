//! Cameras: the native (nokhwa) source and, because no V4L2 device exists on CI machines,
//! a synthetic source with the same trait.

use serde::Serialize;
use ts_rs::TS;

use crate::EngineError;

/// A camera as the OS lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CameraInfo {
    /// Stable id: the device path or platform id, not a position in a list.
    pub id: String,
    pub name: String,
    pub description: String,
}

/// Lists the cameras the native backend sees. An empty list is a normal answer (no camera
/// plugged in); an error means the backend itself failed (permission, missing driver).
pub fn list_cameras() -> Result<Vec<CameraInfo>, EngineError> {
    let backend = nokhwa::native_api_backend().ok_or_else(|| EngineError::Camera {
        detail: "no native camera backend on this platform".into(),
    })?;
    let cams = nokhwa::query(backend).map_err(|e| EngineError::Camera {
        detail: e.to_string(),
    })?;
    Ok(cams
        .into_iter()
        .map(|c| CameraInfo {
            id: camera_id(&c),
            name: c.human_name(),
            description: c.description().to_owned(),
        })
        .collect())
}

fn camera_id(c: &nokhwa::utils::CameraInfo) -> String {
    // On Linux `misc` holds the /dev/videoN path; elsewhere fall back to the index.
    let misc = c.misc();
    if misc.is_empty() {
        c.index().to_string()
    } else {
        misc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// These machines have no /dev/video*: the native path must answer "none", not fail.
    #[test]
    fn no_camera_is_an_empty_list_when_no_video_devices_exist() {
        let has_video = std::fs::read_dir("/dev")
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("video"))
            })
            .unwrap_or(false);
        if cfg!(target_os = "linux") && !has_video {
            assert_eq!(list_cameras().unwrap(), vec![]);
        }
    }
}
