//! The OS camera through nokhwa (V4L2 on Linux, AVFoundation on macOS, Media Foundation
//! on Windows).
//!
//! A `nokhwa::Camera` is not `Send`, so a capture thread opens it, negotiates the format,
//! and hands each raw frame to the reader through a [`LatestSlot`]: the reader decodes
//! only the frames it takes, and a slow reader skips frames instead of queueing them.
//!
//! Format negotiation: open with MJPEG 1280x720 at the rate closest to 30 fps (what
//! nearly every webcam offers, and the cheapest to move over USB), then list what the
//! camera offers and switch when [`choose_format`] finds something better; a camera
//! that has no MJPEG 1280x720 is opened with its first decodable format and then switched.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use greenroom_core::camera_checks::CameraOpenFailure;
use greenroom_core::device_access::OsFault;
use greenroom_core::frame::RgbFrame;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{
    CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType, Resolution,
};
use nokhwa::{Buffer, Camera, FormatDecoder, NokhwaError};

use super::{
    camera_id, CameraError, CameraSourceKind, FrameSource, LatestSlot, SourceInfo, TimedFrame,
    REQUESTED_FPS, REQUESTED_HEIGHT, REQUESTED_WIDTH,
};

/// How long opening may take before the camera is reported as not answering.
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the OS permission prompt (macOS) may stay open.
const PERMISSION_TIMEOUT: Duration = Duration::from_secs(60);
/// Formats the decoder handles, in order of preference when all else is equal.
const DECODABLE: [FrameFormat; 6] = [
    FrameFormat::MJPEG,
    FrameFormat::YUYV,
    FrameFormat::NV12,
    FrameFormat::RAWRGB,
    FrameFormat::RAWBGR,
    // Last: a grey-only stream is usually an infrared face-login camera.
    FrameFormat::GRAY,
];
/// Below this rate a format is only taken when nothing faster exists.
const MIN_GOOD_FPS: u32 = 24;

/// Picks the best format a camera offers for a video call: colour over grey-only, at
/// least 24 fps if possible, then the size closest to 1280x720 (larger is better than
/// smaller, but costs decoding), then the rate closest to 30, then MJPEG over
/// uncompressed formats.
pub fn choose_format(offered: &[CameraFormat]) -> Option<CameraFormat> {
    let wanted_area = (REQUESTED_WIDTH * REQUESTED_HEIGHT) as i64;
    offered
        .iter()
        .filter_map(|f| {
            let rank = DECODABLE.iter().position(|d| *d == f.format())?;
            let area = f.width() as i64 * f.height() as i64;
            let size_cost = if area >= wanted_area {
                (area - wanted_area) / 4
            } else {
                wanted_area - area
            };
            let grey = f.format() == FrameFormat::GRAY;
            let slow = f.frame_rate() < MIN_GOOD_FPS;
            let rate_cost = (f.frame_rate() as i64 - REQUESTED_FPS as i64).abs();
            Some(((grey, slow, size_cost, rate_cost, rank), *f))
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, f)| f)
}

/// Maps a nokhwa error to what the user can do about it.
///
/// nokhwa reports OS errors only as text, so the OS's own words and error numbers are
/// matched here, in one place (V4L2: errno text and "(os error N)"; Windows: HRESULTs).
pub fn classify_error(e: &NokhwaError) -> CameraOpenFailure {
    // On Windows the HRESULT decides (Media Foundation's messages are localized).
    match crate::os::os_fault(&e.to_string()) {
        Some(OsFault::AccessDenied) => return CameraOpenFailure::PermissionDenied,
        Some(OsFault::CameraInUse | OsFault::DeviceInUse) => return CameraOpenFailure::Busy,
        Some(OsFault::DeviceInvalidated) => return CameraOpenFailure::Gone,
        Some(OsFault::UnsupportedFormat) => return CameraOpenFailure::Unsupported,
        None => {}
    }
    let text = e.to_string().to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if has(&[
        "os error 16",
        "resource busy",
        "in use",
        "0xc00d3704", // MF_E_HW_MFT_FAILED_START_STREAMING: another app holds it
        "0xc00d3ea3", // MF_E_VIDEO_RECORDING_DEVICE_PREEMPTED
    ]) {
        CameraOpenFailure::Busy
    } else if has(&[
        "os error 13",
        "os error 1)",
        "permission denied",
        "operation not permitted",
        "0x80070005", // E_ACCESSDENIED
        "not authorized",
        "authorization",
    ]) {
        CameraOpenFailure::PermissionDenied
    } else if has(&[
        "os error 2)",
        "os error 6)",
        "os error 19",
        "no such file",
        "no such device",
        "disconnected",
        "0xc00d3ea2", // MF_E_VIDEO_RECORDING_DEVICE_INVALIDATED
    ]) {
        CameraOpenFailure::Gone
    } else {
        match e {
            NokhwaError::ReadFrameError(_) | NokhwaError::OpenDeviceError(..) => {
                CameraOpenFailure::Gone
            }
            _ => CameraOpenFailure::Unsupported,
        }
    }
}

/// The camera to open: its index for nokhwa and its listed name.
fn resolve(device: Option<&str>) -> Result<(CameraIndex, String), CameraError> {
    let wanted = device.map(str::trim).filter(|d| !d.is_empty());
    let no_camera =
        |detail: String| CameraError::device(CameraOpenFailure::NoCamera, wanted, detail);
    let backend = nokhwa::native_api_backend()
        .ok_or_else(|| no_camera("no camera backend on this platform".into()))?;
    let cameras = nokhwa::query(backend).map_err(|e| {
        CameraError::device(classify_error(&e), wanted, format!("listing cameras: {e}"))
    })?;
    let Some(wanted) = wanted else {
        let first = cameras
            .first()
            .ok_or_else(|| no_camera("the system lists no camera".into()))?;
        return Ok((first.index().clone(), first.human_name()));
    };
    if cameras.is_empty() {
        return Err(no_camera("the system lists no camera".into()));
    }
    // An id from `list_cameras`, a device path (/dev/video2) or the camera's name.
    let found = cameras.iter().find(|c| {
        camera_id(c) == wanted
            || c.human_name() == wanted
            || c.description().ends_with(&format!("@ {wanted}"))
    });
    match found {
        Some(c) => Ok((c.index().clone(), c.human_name())),
        None => Err(CameraError::device(
            CameraOpenFailure::Gone,
            Some(wanted),
            format!(
                "no camera with this id is connected (connected: {})",
                cameras
                    .iter()
                    .map(|c| format!("{} '{}'", camera_id(c), c.human_name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A raw frame as the capture thread received it.
struct RawFrame {
    seq: u64,
    captured_at: Instant,
    buffer: Buffer,
}

/// The OS camera, streaming.
pub struct NativeSource {
    info: SourceInfo,
    slot: Arc<LatestSlot<RawFrame>>,
    stop: Arc<AtomicBool>,
}

impl NativeSource {
    /// Opens `device` (an id from `list_cameras`, a device path or a name; `None` for the
    /// first camera) and starts streaming. Without any camera this is
    /// `CameraOpenFailure::NoCamera`.
    pub fn open(device: Option<&str>) -> Result<Self, CameraError> {
        // Before listing: macOS shows no camera until access is granted.
        if !ensure_permission() {
            return Err(CameraError::device(
                CameraOpenFailure::PermissionDenied,
                device,
                "camera access was not granted",
            ));
        }
        let (index, name) = resolve(device)?;
        let slot = Arc::new(LatestSlot::new());
        let stop = Arc::new(AtomicBool::new(false));
        let (opened_tx, opened_rx) = mpsc::sync_channel(1);
        let spawned = {
            let (slot, stop, name) = (slot.clone(), stop.clone(), name.clone());
            std::thread::Builder::new()
                .name("camera-capture".into())
                .spawn(move || capture(index, name, opened_tx, slot, stop))
        };
        if let Err(e) = spawned {
            return Err(CameraError::device(
                CameraOpenFailure::Unsupported,
                Some(&name),
                format!("cannot start the capture thread: {e}"),
            ));
        }
        match opened_rx.recv_timeout(OPEN_TIMEOUT) {
            Ok(Ok(format)) => Ok(Self {
                info: SourceInfo {
                    name,
                    kind: CameraSourceKind::Native,
                    width: format.width(),
                    height: format.height(),
                    fps: format.frame_rate() as f64,
                },
                slot,
                stop,
            }),
            Ok(Err(e)) => Err(e),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                stop.store(true, Ordering::Relaxed);
                // A camera that never answers is almost always held by another app.
                Err(CameraError::device(
                    CameraOpenFailure::Busy,
                    Some(&name),
                    format!(
                        "the camera did not answer within {} s",
                        OPEN_TIMEOUT.as_secs()
                    ),
                ))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(CameraError::device(
                CameraOpenFailure::Gone,
                Some(&name),
                "the capture thread ended while opening",
            )),
        }
    }

    fn fail(&self, failure: CameraOpenFailure, detail: String) -> CameraError {
        CameraError::device(failure, Some(&self.info.name), detail)
    }
}

impl FrameSource for NativeSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn next_frame(&mut self, timeout: Duration) -> Result<Option<TimedFrame>, CameraError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let raw = match self.slot.take(left) {
                Ok(Some(raw)) => raw,
                Ok(None) => return Ok(None),
                Err((failure, detail)) => return Err(self.fail(failure, detail)),
            };
            // A corrupt frame (common while a webcam starts) is dropped, not fatal.
            if let Some(frame) = decode(&raw.buffer) {
                return Ok(Some(TimedFrame {
                    seq: raw.seq,
                    captured_at: raw.captured_at,
                    frame,
                }));
            }
            if left.is_zero() {
                return Ok(None);
            }
        }
    }
}

impl Drop for NativeSource {
    fn drop(&mut self) {
        // The capture thread sees this after its current frame and releases the camera.
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Decodes a raw frame to RGB; `None` when it is corrupt or not the announced size.
fn decode(buffer: &Buffer) -> Option<RgbFrame> {
    let res = buffer.resolution();
    let fourcc = buffer.source_frame_format();
    // The JPEG decoder is C; keep a panic in its Rust wrapper from ending the reader.
    let data = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        RgbFormat::write_output(fourcc, res, buffer.buffer())
    }))
    .ok()?
    .ok()?;
    (data.len() == res.width() as usize * res.height() as usize * 3).then_some(RgbFrame {
        width: res.width(),
        height: res.height(),
        data,
    })
}

/// Waits for the OS to allow camera access (macOS asks the user; elsewhere a no-op).
fn ensure_permission() -> bool {
    if nokhwa::nokhwa_check() {
        return true;
    }
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    nokhwa::nokhwa_initialize(move |granted| {
        if let Ok(tx) = tx.lock() {
            let _ = tx.send(granted);
        }
    });
    rx.recv_timeout(PERMISSION_TIMEOUT).unwrap_or(false)
}

/// Opens the camera with the preferred format, then switches to the best offered one.
fn open_camera(index: &CameraIndex) -> Result<Camera, NokhwaError> {
    let preferred = CameraFormat::new(
        Resolution::new(REQUESTED_WIDTH, REQUESTED_HEIGHT),
        FrameFormat::MJPEG,
        REQUESTED_FPS as u32,
    );
    let mut camera = match Camera::new(
        index.clone(),
        RequestedFormat::with_formats(
            RequestedFormatType::Closest(preferred),
            &[FrameFormat::MJPEG],
        ),
    ) {
        Ok(c) => c,
        // No MJPEG 1280x720: take any decodable format, then choose below.
        Err(e) if classify_error(&e) == CameraOpenFailure::Unsupported => Camera::new(
            index.clone(),
            RequestedFormat::with_formats(RequestedFormatType::None, &DECODABLE),
        )?,
        Err(e) => return Err(e),
    };
    // Some backends cannot list formats; then the opened one stays.
    if let Ok(offered) = camera.compatible_camera_formats() {
        if let Some(best) = choose_format(&offered) {
            if best != camera.camera_format() {
                let _ = camera.set_camera_requset(RequestedFormat::with_formats(
                    RequestedFormatType::Exact(best),
                    &DECODABLE,
                ));
            }
        }
    }
    Ok(camera)
}

/// The capture thread: owns the camera from open to close.
fn capture(
    index: CameraIndex,
    name: String,
    opened: mpsc::SyncSender<Result<CameraFormat, CameraError>>,
    slot: Arc<LatestSlot<RawFrame>>,
    stop: Arc<AtomicBool>,
) {
    let fail = |e: &NokhwaError| CameraError::device(classify_error(e), Some(&name), e.to_string());
    let mut camera = match open_camera(&index).and_then(|mut c| c.open_stream().map(|_| c)) {
        Ok(c) => c,
        Err(e) => {
            let _ = opened.send(Err(fail(&e)));
            return;
        }
    };
    if opened.send(Ok(camera.camera_format())).is_err() {
        return; // The opener gave up waiting.
    }
    let mut seq = 0u64;
    while !stop.load(Ordering::Relaxed) {
        match camera.frame() {
            Ok(buffer) => {
                slot.put(RawFrame {
                    seq,
                    captured_at: Instant::now(),
                    buffer,
                });
                seq += 1;
            }
            Err(e) => {
                slot.close(classify_error(&e), e.to_string());
                break;
            }
        }
    }
    let _ = camera.stop_stream();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(w: u32, h: u32, f: FrameFormat, fps: u32) -> CameraFormat {
        CameraFormat::new(Resolution::new(w, h), f, fps)
    }

    #[test]
    fn prefers_mjpeg_720p_at_30() {
        let offered = [
            fmt(640, 480, FrameFormat::YUYV, 30),
            fmt(1280, 720, FrameFormat::YUYV, 10),
            fmt(1280, 720, FrameFormat::MJPEG, 60),
            fmt(1280, 720, FrameFormat::MJPEG, 30),
            fmt(1920, 1080, FrameFormat::MJPEG, 30),
        ];
        assert_eq!(
            choose_format(&offered),
            Some(fmt(1280, 720, FrameFormat::MJPEG, 30))
        );
    }

    #[test]
    fn falls_back_to_speed_then_size() {
        // 720p only at 10 fps uncompressed: a smooth 640x480 wins.
        let offered = [
            fmt(1280, 720, FrameFormat::YUYV, 10),
            fmt(640, 480, FrameFormat::YUYV, 30),
            fmt(320, 240, FrameFormat::YUYV, 30),
        ];
        assert_eq!(
            choose_format(&offered),
            Some(fmt(640, 480, FrameFormat::YUYV, 30))
        );
        // Larger beats much smaller; a grey-only stream comes last.
        let offered = [
            fmt(1280, 720, FrameFormat::GRAY, 30),
            fmt(1920, 1080, FrameFormat::YUYV, 30),
            fmt(640, 360, FrameFormat::MJPEG, 30),
        ];
        assert_eq!(
            choose_format(&offered),
            Some(fmt(1920, 1080, FrameFormat::YUYV, 30))
        );
        assert_eq!(
            choose_format(&offered[..1]),
            Some(fmt(1280, 720, FrameFormat::GRAY, 30))
        );
        assert_eq!(choose_format(&[]), None);
    }

    #[test]
    fn os_errors_map_to_what_the_user_can_do() {
        let open = |msg: &str| NokhwaError::OpenDeviceError("0".into(), msg.into());
        assert_eq!(
            classify_error(&open("V4L2 Error: Permission denied (os error 13)")),
            CameraOpenFailure::PermissionDenied
        );
        assert_eq!(
            classify_error(&NokhwaError::OpenStreamError(
                "Device or resource busy (os error 16)".into()
            )),
            CameraOpenFailure::Busy
        );
        assert_eq!(
            classify_error(&NokhwaError::SetPropertyError {
                property: "Resolution, FrameFormat".into(),
                value: "1280x720".into(),
                error: "Device or resource busy (os error 16)".into(),
            }),
            CameraOpenFailure::Busy
        );
        assert_eq!(
            classify_error(&open("V4L2 Error: No such file or directory (os error 2)")),
            CameraOpenFailure::Gone
        );
        assert_eq!(
            classify_error(&NokhwaError::ReadFrameError(
                "No such device (os error 19)".into()
            )),
            CameraOpenFailure::Gone
        );
        assert_eq!(
            classify_error(&NokhwaError::GetPropertyError {
                property: "CameraFormat".into(),
                error: "Failed to Fufill".into(),
            }),
            CameraOpenFailure::Unsupported
        );
        assert_eq!(
            classify_error(&NokhwaError::GeneralError(
                "0x80070005 access denied".into()
            )),
            CameraOpenFailure::PermissionDenied
        );
    }
}
