//! The devices the Check screen holds open between calls: the live level meter, the last
//! "record 5 s" clip, the camera preview and the readers that share the preview's camera (a
//! camera cannot be opened twice). Requests may overlap, since the user switches devices
//! while one opens: only the newest open may install its meter or preview, or a stale device
//! would keep reporting. Every method blocks on the device; call them off the UI thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

use crate::audio::meter::LevelMonitor;
use crate::camera::preview::{CameraPreview, PreviewFrame};
use crate::camera::{list_cameras, open_source, CameraInfo, FrameSource};
use crate::preflight::audio::{play_clip, record_clip, Clip};
use crate::preflight::camera::{check_camera, check_source, CameraCheckOptions, CameraReport};
use crate::EngineError;

/// The id under which a synthetic camera source (diagnostics, tests) is offered.
pub const SYNTHETIC_CAMERA_ID: &str = "synthetic";

/// What was recorded for "record 5 s and play it back".
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClipInfo {
    pub device_name: String,
    pub seconds: f64,
    pub peak_dbfs: f64,
}

/// The cameras the user can pick; a synthetic source, when given, first under
/// [`SYNTHETIC_CAMERA_ID`].
#[derive(Debug, Clone, Serialize, TS)]
pub struct CameraChoices {
    pub cameras: Vec<CameraInfo>,
    pub selected: Option<String>,
    /// Why listing failed (as opposed to finding none).
    pub error: Option<String>,
}

/// What the preview shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewInfo {
    pub name: String,
    pub width: u32,
    pub height: u32,
}

/// See the module docs. One per face.
#[derive(Default)]
pub struct DeviceHub {
    /// A Y4M file or pattern offered as a camera (`--camera-source`, `GREENROOM_CAMERA_SOURCE`).
    camera_source: Option<String>,
    meter: Mutex<Option<LevelMonitor>>,
    /// Bumped by every meter start and stop; an open that finishes late is discarded.
    meter_generation: AtomicU64,
    /// The last clip, kept in memory only.
    clip: Mutex<Option<Clip>>,
    preview: Mutex<Option<CameraPreview>>,
    preview_generation: AtomicU64,
}

impl DeviceHub {
    pub fn new(camera_source: Option<String>) -> DeviceHub {
        DeviceHub {
            camera_source,
            ..DeviceHub::default()
        }
    }

    /// (device, synthetic spec) for a camera id from the picker.
    pub fn camera_target(&self, camera: Option<String>) -> (Option<String>, Option<String>) {
        match camera {
            Some(id) if id == SYNTHETIC_CAMERA_ID => (None, self.camera_source.clone()),
            other => (other, None),
        }
    }

    /// The cameras, with `saved` selected while it is still connected, else the first.
    pub fn cameras(&self, saved: Option<String>) -> CameraChoices {
        let (mut cameras, error) = match list_cameras() {
            Ok(c) => (c, None),
            Err(e) => (vec![], Some(e.to_string())),
        };
        if let Some(spec) = &self.camera_source {
            cameras.insert(
                0,
                CameraInfo {
                    id: SYNTHETIC_CAMERA_ID.into(),
                    name: format!("Synthetic camera ({spec})"),
                    description: spec.clone(),
                },
            );
        }
        let selected = saved
            .filter(|id| cameras.iter().any(|c| &c.id == id))
            .or_else(|| cameras.first().map(|c| c.id.clone()));
        CameraChoices {
            cameras,
            selected,
            error,
        }
    }

    /// Starts the live level meter on `input`, replacing any running one. Levels arrive
    /// ~20 times a second; `on_error` once if the device stops.
    pub fn start_meter(
        &self,
        input: Option<&str>,
        on_level: impl FnMut(f64) + Send + 'static,
        on_error: impl FnOnce(EngineError) + Send + 'static,
    ) -> Result<(), EngineError> {
        let generation = self.meter_generation.fetch_add(1, Ordering::SeqCst) + 1;
        drop(self.meter.lock().expect("meter lock").take());
        let monitor = LevelMonitor::start(input, on_level, on_error)?;
        let mut slot = self.meter.lock().expect("meter lock");
        if self.meter_generation.load(Ordering::SeqCst) == generation {
            *slot = Some(monitor);
        }
        Ok(())
    }

    /// Stops the meter, also one still opening. An answer or a clip needs the microphone
    /// alone.
    pub fn stop_meter(&self) {
        self.meter_generation.fetch_add(1, Ordering::SeqCst);
        drop(self.meter.lock().expect("meter lock").take());
    }

    /// Records `seconds` (1-30) from `input` and keeps it for [`DeviceHub::play_clip`].
    pub fn record_clip(
        &self,
        input: Option<&str>,
        seconds: f64,
        on_level: impl FnMut(f64),
    ) -> Result<ClipInfo, EngineError> {
        if !(1.0..=30.0).contains(&seconds) {
            return Err(EngineError::InvalidArgument {
                name: "seconds".into(),
                detail: format!("{seconds} is not between 1 and 30"),
            });
        }
        // The meter holds the same device; recording and metering at once would double the
        // load.
        self.stop_meter();
        let clip = record_clip(input, seconds, on_level)?;
        let peak = clip.samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        let info = ClipInfo {
            device_name: clip.device_name.clone(),
            seconds: clip.samples.len() as f64 / clip.sample_rate as f64,
            peak_dbfs: greenroom_core::signal::dbfs(peak as f64),
        };
        *self.clip.lock().expect("clip lock") = Some(clip);
        Ok(info)
    }

    /// Plays the last clip on `output`.
    pub fn play_clip(&self, output: Option<&str>) -> Result<(), EngineError> {
        let clip = self
            .clip
            .lock()
            .expect("clip lock")
            .clone()
            .ok_or_else(|| EngineError::InvalidArgument {
                name: "clip".into(),
                detail: "nothing has been recorded yet".into(),
            })?;
        play_clip(output, &clip)
    }

    /// Starts the camera preview (replacing a running one).
    pub fn start_preview(&self, camera: Option<String>) -> Result<PreviewInfo, EngineError> {
        let generation = self.preview_generation.fetch_add(1, Ordering::SeqCst) + 1;
        drop(self.preview.lock().expect("preview lock").take());
        let (device, source) = self.camera_target(camera);
        let preview = CameraPreview::open(device.as_deref(), source.as_deref())?;
        let info = preview.info();
        let out = PreviewInfo {
            name: info.name.clone(),
            width: info.width,
            height: info.height,
        };
        let mut slot = self.preview.lock().expect("preview lock");
        if self.preview_generation.load(Ordering::SeqCst) == generation {
            *slot = Some(preview);
        }
        Ok(out)
    }

    pub fn stop_preview(&self) {
        self.preview_generation.fetch_add(1, Ordering::SeqCst);
        drop(self.preview.lock().expect("preview lock").take());
    }

    /// The newest preview picture (JPEG), `None` before the first or without a preview.
    pub fn preview_frame(&self) -> Option<PreviewFrame> {
        self.preview
            .lock()
            .expect("preview lock")
            .as_ref()
            .and_then(|p| p.latest())
    }

    /// A reader of the previewed camera, while the preview runs.
    fn preview_tap(&self) -> Option<crate::camera::preview::PreviewTap> {
        self.preview
            .lock()
            .expect("preview lock")
            .as_ref()
            .filter(|p| p.is_running())
            .map(|p| p.tap())
    }

    /// Measures the camera for ~2 s: the preview's frames while it runs, else the camera
    /// opened for the check.
    pub fn check_camera(&self, camera: Option<String>) -> Result<CameraReport, EngineError> {
        match self.preview_tap() {
            Some(mut tap) => Ok(check_source(&mut tap, std::time::Instant::now(), 2.0)),
            None => {
                let (device, source) = self.camera_target(camera);
                check_camera(&CameraCheckOptions {
                    device,
                    source,
                    seconds: 2.0,
                })
            }
        }
    }

    /// The camera an answer records: the self-view's frames while it shows this camera
    /// (it opens once), else the camera opened for the answer.
    pub fn camera_for_answer(&self, camera: &str) -> Result<Box<dyn FrameSource>, EngineError> {
        if let Some(tap) = self.preview_tap() {
            return Ok(Box::new(tap));
        }
        let (device, source) = self.camera_target(Some(camera.to_owned()));
        Ok(open_source(device.as_deref(), source.as_deref())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_camera_is_offered_first_and_chosen_by_its_id() {
        let hub = DeviceHub::new(Some("pattern:scene".into()));
        let choices = hub.cameras(None);
        assert_eq!(choices.cameras[0].id, SYNTHETIC_CAMERA_ID);
        assert_eq!(choices.selected.as_deref(), Some(SYNTHETIC_CAMERA_ID));
        assert_eq!(
            hub.camera_target(Some(SYNTHETIC_CAMERA_ID.into())),
            (None, Some("pattern:scene".into()))
        );
        assert_eq!(
            hub.camera_target(Some("/dev/video0".into())),
            (Some("/dev/video0".into()), None)
        );
        // A saved camera that is gone is not selected.
        assert_eq!(
            hub.cameras(Some("/dev/video9".into())).selected.as_deref(),
            Some(SYNTHETIC_CAMERA_ID)
        );
    }

    #[test]
    fn a_clip_needs_a_sane_length_and_a_recording_before_playback() {
        let hub = DeviceHub::default();
        let e = hub.record_clip(None, 0.5, |_| {}).unwrap_err();
        assert!(e.to_string().contains("between 1 and 30"), "{e}");
        let e = hub.play_clip(None).unwrap_err();
        assert!(e.to_string().contains("nothing has been recorded"), "{e}");
    }

    #[test]
    fn the_preview_of_a_synthetic_camera_serves_frames_until_stopped() {
        let hub = DeviceHub::new(Some("pattern:scene".into()));
        let info = hub.start_preview(Some(SYNTHETIC_CAMERA_ID.into())).unwrap();
        assert!(info.width > 0 && info.height > 0);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while hub.preview_frame().is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(hub.preview_frame().is_some(), "no preview frame within 5 s");
        let report = hub.check_camera(Some(SYNTHETIC_CAMERA_ID.into())).unwrap();
        assert!(!report.checks.is_empty());
        hub.stop_preview();
        assert!(hub.preview_frame().is_none());
    }
}
