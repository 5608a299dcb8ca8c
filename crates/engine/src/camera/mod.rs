//! Cameras: the native (nokhwa) source and, because no V4L2 device exists on CI machines,
//! a synthetic source with the same trait.
//!
//! Everything that captures implements [`FrameSource`]: [`native::NativeSource`] owns a
//! nokhwa camera on its own thread, [`synthetic::PatternSource`] draws core's test patterns
//! and [`synthetic::Y4mSource`] plays a YUV4MPEG2 file, both paced by the clock like a
//! camera. [`open_source`] picks one from what the user asked for; the preflight
//! (`preflight::camera`) and the [`preview::CameraPreview`] consume them.

pub mod native;
pub mod preview;
pub mod synthetic;
mod y4m;

use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use greenroom_core::camera_checks::CameraOpenFailure;
use greenroom_core::frame::RgbFrame;
use serde::Serialize;
use ts_rs::TS;

use crate::EngineError;

pub use preview::CameraPreview;
pub use synthetic::{source_from_env, write_y4m, SourceSpec, SOURCE_ENV};

/// The format Greenroom asks every camera for: 1280x720 at 30 frames a second.
pub const REQUESTED_WIDTH: u32 = 1280;
pub const REQUESTED_HEIGHT: u32 = 720;
pub const REQUESTED_FPS: f64 = 30.0;

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

pub(crate) fn camera_id(c: &nokhwa::utils::CameraInfo) -> String {
    // macOS and Windows put the device's unique id in `misc`; on Linux it is empty and the
    // index is the N of /dev/videoN, which stays put while the camera is plugged in.
    let misc = c.misc();
    if misc.is_empty() {
        c.index().to_string()
    } else {
        misc
    }
}

/// Where frames come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CameraSourceKind {
    /// A camera through the OS (nokhwa).
    Native,
    /// A test pattern or a Y4M file (`--camera-source`, `GREENROOM_CAMERA_SOURCE`).
    Synthetic,
}

/// What an open source delivers.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// Human name: the camera's name, or a description of the synthetic source.
    pub name: String,
    pub kind: CameraSourceKind,
    /// Negotiated frame size and rate (what the source promised, not a measurement).
    pub width: u32,
    pub height: u32,
    pub fps: f64,
}

/// One decoded frame and when the camera produced it.
#[derive(Debug, Clone)]
pub struct TimedFrame {
    /// The source's frame counter. It can jump when a reader is slower than the camera
    /// (latest-frame semantics): `last.seq - first.seq + 1` frames were delivered.
    pub seq: u64,
    /// When the frame was captured (native: when it reached the capture thread;
    /// synthetic: when it was due by the source's clock).
    pub captured_at: Instant,
    pub frame: RgbFrame,
}

/// A camera, real or synthetic, open and streaming.
///
/// Sources keep only the newest frame: a reader that falls behind skips frames (visible
/// as jumps in [`TimedFrame::seq`]) instead of reading stale ones.
pub trait FrameSource: Send {
    /// What this source delivers.
    fn info(&self) -> &SourceInfo;

    /// Waits up to `timeout` for a frame newer than the last one returned. `Ok(None)`:
    /// nothing arrived in time; `Err`: the source failed and will deliver no more.
    fn next_frame(&mut self, timeout: Duration) -> Result<Option<TimedFrame>, CameraError>;
}

/// Opens the source the user asked for: a synthetic `source` spec when given (see
/// [`synthetic`] for the grammar), otherwise the native camera `device` (an id from
/// [`list_cameras`], or its name; `None` for the first camera).
pub fn open_source(
    device: Option<&str>,
    source: Option<&str>,
) -> Result<Box<dyn FrameSource>, CameraError> {
    match source.map(str::trim).filter(|s| !s.is_empty()) {
        Some(spec) => synthetic::open(spec),
        None => Ok(Box::new(native::NativeSource::open(device)?)),
    }
}

/// Why a camera source could not be opened or stopped delivering.
#[derive(Debug, thiserror::Error)]
pub enum CameraError {
    /// The camera itself failed; `failure` is what the user can act on.
    #[error("{}: {detail}", device_label(.device.as_deref()))]
    Device {
        failure: CameraOpenFailure,
        /// The camera's name when known.
        device: Option<String>,
        detail: String,
    },
    /// A `--camera-source` spec that does not parse.
    #[error("invalid camera source '{spec}': {detail}")]
    InvalidSpec { spec: String, detail: String },
    /// A Y4M file that cannot be played: malformed, truncated or in an unsupported format.
    #[error("'{}' is not a usable Y4M file: {detail}", .path.display())]
    Y4m { path: PathBuf, detail: String },
    /// Frames that cannot be written as Y4M (mixed sizes, no frames, a bad rate).
    #[error("cannot write '{}': {detail}", .path.display())]
    Y4mWrite { path: PathBuf, detail: String },
    #[error("cannot {action} '{}': {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn device_label(device: Option<&str>) -> String {
    match device {
        Some(d) => format!("camera '{d}'"),
        None => "camera".to_owned(),
    }
}

impl CameraError {
    pub(crate) fn device(
        failure: CameraOpenFailure,
        device: Option<&str>,
        detail: impl Into<String>,
    ) -> Self {
        CameraError::Device {
            failure,
            device: device.map(str::to_owned),
            detail: detail.into(),
        }
    }

    /// The camera failure this error stands for, `None` for a bad spec or file (a mistake
    /// in what the user asked for, not a camera problem).
    pub fn failure(&self) -> Option<CameraOpenFailure> {
        match self {
            CameraError::Device { failure, .. } => Some(*failure),
            _ => None,
        }
    }
}

impl From<CameraError> for EngineError {
    fn from(e: CameraError) -> Self {
        match e {
            CameraError::Device { .. } => EngineError::Camera {
                detail: e.to_string(),
            },
            CameraError::InvalidSpec { spec, detail } => EngineError::InvalidArgument {
                name: "camera source".into(),
                detail: format!("'{spec}': {detail}"),
            },
            CameraError::Y4m { .. } | CameraError::Y4mWrite { .. } => {
                EngineError::InvalidArgument {
                    name: "camera source".into(),
                    detail: e.to_string(),
                }
            }
            CameraError::Io {
                action,
                path,
                source,
            } => EngineError::Io {
                action,
                path,
                source,
            },
        }
    }
}

/// A one-item mailbox: the producer overwrites, the consumer takes the newest item.
/// This is the bounded hand-over between a capture thread and its reader; a slow reader
/// loses old frames, never blocks the producer.
pub(crate) struct LatestSlot<T> {
    state: Mutex<SlotState<T>>,
    changed: Condvar,
}

struct SlotState<T> {
    latest: Option<T>,
    /// Set when the producer ended: why, for the reader.
    closed: Option<(CameraOpenFailure, String)>,
}

impl<T> LatestSlot<T> {
    pub(crate) fn new() -> Self {
        Self {
            state: Mutex::new(SlotState {
                latest: None,
                closed: None,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SlotState<T>> {
        // A panicking producer leaves the data intact: keep going with it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn put(&self, item: T) {
        self.lock().latest = Some(item);
        self.changed.notify_all();
    }

    pub(crate) fn close(&self, failure: CameraOpenFailure, detail: String) {
        let mut s = self.lock();
        if s.closed.is_none() {
            s.closed = Some((failure, detail));
        }
        drop(s);
        self.changed.notify_all();
    }

    /// The newest item, waiting up to `timeout`; the close reason once the producer ended
    /// and nothing is left.
    pub(crate) fn take(&self, timeout: Duration) -> Result<Option<T>, (CameraOpenFailure, String)> {
        let guard = self.lock();
        let (mut s, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.latest.is_none() && s.closed.is_none())
            .unwrap_or_else(|p| p.into_inner());
        if let Some(item) = s.latest.take() {
            return Ok(Some(item));
        }
        match &s.closed {
            Some(reason) => Err(reason.clone()),
            None => Ok(None),
        }
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

    #[test]
    fn latest_slot_keeps_only_the_newest_item() {
        let slot = LatestSlot::new();
        slot.put(1);
        slot.put(2);
        assert_eq!(slot.take(Duration::ZERO), Ok(Some(2)));
        assert_eq!(slot.take(Duration::from_millis(5)), Ok(None));
        slot.put(3);
        slot.close(CameraOpenFailure::Gone, "unplugged".into());
        // What arrived before the end is still delivered, then the reason.
        assert_eq!(slot.take(Duration::ZERO), Ok(Some(3)));
        assert_eq!(
            slot.take(Duration::ZERO),
            Err((CameraOpenFailure::Gone, "unplugged".into()))
        );
    }

    #[test]
    fn latest_slot_wakes_a_waiting_reader() {
        let slot = std::sync::Arc::new(LatestSlot::new());
        let producer = {
            let slot = slot.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                slot.put(7u32);
            })
        };
        assert_eq!(slot.take(Duration::from_secs(5)), Ok(Some(7)));
        producer.join().unwrap();
    }
}
