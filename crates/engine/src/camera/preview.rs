//! The camera preview: the latest frame only, as a small JPEG, about 15 times a second.
//!
//! A preview thread reads the source and hands the newest frame, at the preview rate, to a
//! second thread that downscales it to at most [`PREVIEW_MAX_WIDTH`] pixels wide (box
//! filter) and encodes it; [`CameraPreview::latest`] hands out the bytes without copying,
//! for the shell to serve on a binary path. While nothing else reads frames, the reader
//! only wakes at the preview rate, so a 30 fps camera costs one decode and one encode per
//! preview frame. [`CameraPreview::tap`] lets a
//! check read every frame of the same camera while the preview runs (a camera can be
//! opened only once).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use greenroom_core::camera_checks::CameraOpenFailure;
use greenroom_core::frame::RgbFrame;
// Shrinking lives in core (pure, and optimised in debug builds: it runs per frame).
pub use greenroom_core::frame::downscale;

use super::{open_source, CameraError, FrameSource, LatestSlot, SourceInfo, TimedFrame};

/// Widest preview picture, in pixels.
pub const PREVIEW_MAX_WIDTH: u32 = 640;
/// Preview pictures per second.
pub const PREVIEW_FPS: f64 = 15.0;
/// JPEG quality of the preview (1..=100): small files, faces still clear.
const JPEG_QUALITY: u8 = 75;
/// How often the thread looks at its stop flag while waiting.
const POLL: Duration = Duration::from_millis(100);

/// The latest preview picture: the source's frame number and the JPEG bytes.
pub type PreviewFrame = (u64, Arc<Vec<u8>>);

#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    latest: Mutex<Option<PreviewFrame>>,
    failure: Mutex<Option<(CameraOpenFailure, String)>>,
    taps: Mutex<Vec<Weak<LatestSlot<TimedFrame>>>>,
}

impl Shared {
    fn live_taps(&self) -> Vec<Arc<LatestSlot<TimedFrame>>> {
        let mut taps = self.taps.lock().unwrap_or_else(|p| p.into_inner());
        taps.retain(|t| t.strong_count() > 0);
        taps.iter().filter_map(Weak::upgrade).collect()
    }
}

/// A running preview; it stops when dropped.
pub struct CameraPreview {
    info: SourceInfo,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl CameraPreview {
    /// Opens a source like [`open_source`] and starts previewing it.
    pub fn open(device: Option<&str>, source: Option<&str>) -> Result<Self, CameraError> {
        Self::start(open_source(device, source)?)
    }

    /// Starts previewing an open source: one thread reads the camera and feeds the taps,
    /// another makes the preview pictures, so a slow picture (a busy machine, a debug
    /// build) lowers the preview's rate, never what the taps and a recording get.
    pub fn start(mut source: Box<dyn FrameSource>) -> Result<Self, CameraError> {
        let info = source.info().clone();
        let shared = Arc::new(Shared::default());
        let spawn_failed = |e: std::io::Error| {
            CameraError::device(
                CameraOpenFailure::Unsupported,
                Some(&info.name),
                format!("cannot start the preview thread: {e}"),
            )
        };
        let pictures = Arc::new(LatestSlot::new());
        let painter = {
            let (shared, pictures) = (shared.clone(), pictures.clone());
            std::thread::Builder::new()
                .name("camera-preview-picture".into())
                .spawn(move || paint(&pictures, &shared))
                .map_err(spawn_failed)?
        };
        let reader = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("camera-preview".into())
                .spawn(move || {
                    run(source.as_mut(), &shared, &pictures);
                    let _ = painter.join();
                })
                .map_err(spawn_failed)?
        };
        Ok(Self {
            info,
            shared,
            thread: Some(reader),
        })
    }

    /// What is being previewed.
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// The newest preview picture, `None` before the first one. The number changes with
    /// every new picture (it is the source's frame number).
    pub fn latest(&self) -> Option<PreviewFrame> {
        self.shared
            .latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Why the preview ended on its own (the camera failed), if it did.
    pub fn failure(&self) -> Option<CameraError> {
        let failure = self
            .shared
            .failure
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        failure
            .as_ref()
            .map(|(f, detail)| CameraError::device(*f, Some(&self.info.name), detail.clone()))
    }

    /// Whether the preview thread is still reading the camera.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// A second reader of the same camera that gets every frame the preview reads, for
    /// measuring while the preview runs. It ends when the preview stops.
    pub fn tap(&self) -> PreviewTap {
        let slot = Arc::new(LatestSlot::new());
        if !self.is_running() {
            slot.close(CameraOpenFailure::Gone, "the preview has stopped".into());
        }
        self.shared
            .taps
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::downgrade(&slot));
        PreviewTap {
            info: self.info.clone(),
            slot,
        }
    }

    /// Stops the preview and releases the camera; waits for its threads (at most about
    /// one frame time plus 100 ms, and a picture being encoded).
    pub fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for CameraPreview {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Frames of a previewed camera, for a second reader (see [`CameraPreview::tap`]).
pub struct PreviewTap {
    info: SourceInfo,
    slot: Arc<LatestSlot<TimedFrame>>,
}

impl FrameSource for PreviewTap {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn next_frame(&mut self, timeout: Duration) -> Result<Option<TimedFrame>, CameraError> {
        self.slot
            .take(timeout)
            .map_err(|(f, detail)| CameraError::device(f, Some(&self.info.name), detail))
    }
}

fn run(source: &mut dyn FrameSource, shared: &Shared, pictures: &LatestSlot<TimedFrame>) {
    let period = Duration::from_secs_f64(1.0 / PREVIEW_FPS);
    let mut next_picture = Instant::now();
    let ended = loop {
        if shared.stop.load(Ordering::Relaxed) {
            break (
                CameraOpenFailure::Gone,
                "the preview has stopped".to_owned(),
            );
        }
        let taps = shared.live_taps();
        let now = Instant::now();
        if taps.is_empty() && next_picture > now {
            // Nobody else reads: sleep until the next picture is due.
            std::thread::sleep((next_picture - now).min(POLL));
            continue;
        }
        let frame = match source.next_frame(POLL) {
            Ok(Some(f)) => f,
            Ok(None) => continue,
            Err(e) => {
                let failure = e.failure().unwrap_or(CameraOpenFailure::Gone);
                let detail = e.to_string();
                *shared.failure.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((failure, detail.clone()));
                break (failure, detail);
            }
        };
        let now = Instant::now();
        let picture_due = now >= next_picture;
        if picture_due {
            // Keep the cadence, but never try to catch up on missed pictures.
            next_picture = (next_picture + period).max(now);
        }
        match (taps.split_last(), picture_due) {
            (None, true) => pictures.put(frame),
            (None, false) => {}
            (Some((last, others)), _) => {
                for tap in others {
                    tap.put(frame.clone());
                }
                if picture_due {
                    pictures.put(frame.clone());
                }
                last.put(frame);
            }
        }
    };
    pictures.close(ended.0, ended.1.clone());
    for tap in shared.live_taps() {
        tap.close(ended.0, ended.1.clone());
    }
}

/// Makes the preview pictures: the newest frame handed over, as a JPEG.
fn paint(pictures: &LatestSlot<TimedFrame>, shared: &Shared) {
    while let Ok(next) = pictures.take(POLL) {
        let Some(frame) = next else { continue };
        if let Ok(jpeg) = encode_preview(&frame.frame) {
            *shared.latest.lock().unwrap_or_else(|p| p.into_inner()) =
                Some((frame.seq, Arc::new(jpeg)));
        }
    }
}

/// The preview picture of a frame: downscaled to [`PREVIEW_MAX_WIDTH`] and JPEG-encoded.
pub fn encode_preview(frame: &RgbFrame) -> Result<Vec<u8>, image::ImageError> {
    let small = downscale(frame, PREVIEW_MAX_WIDTH);
    let mut jpeg = Vec::with_capacity(64 * 1024);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY).encode(
        &small.data,
        small.width,
        small.height,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downscale_averages_blocks() {
        // 4x2 -> factor 2 -> 2x1: left block values 0,10,20,30 -> 15; right 100s -> 100.
        let mut data = Vec::new();
        for v in [0u8, 10, 100, 100, 20, 30, 100, 100] {
            data.extend([v, v, v]);
        }
        let f = RgbFrame {
            width: 4,
            height: 2,
            data,
        };
        let s = downscale(&f, 2);
        assert_eq!((s.width, s.height), (2, 1));
        assert_eq!(s.data, vec![15, 15, 15, 100, 100, 100]);
        assert!(matches!(downscale(&f, 640), std::borrow::Cow::Borrowed(_)));
        let wide = RgbFrame::filled(1920, 1080, [1, 2, 3]);
        let s = downscale(&wide, PREVIEW_MAX_WIDTH);
        assert_eq!((s.width, s.height), (640, 360));
        assert!(s.data.chunks(3).all(|p| p == [1, 2, 3]));
        let narrow = RgbFrame::filled(1281, 3, [9, 9, 9]);
        let odd = downscale(&narrow, 640);
        assert_eq!((odd.width, odd.height), (427, 1));
    }
}
