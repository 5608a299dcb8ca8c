//! The camera preflight: open the camera, capture for a couple of seconds, measure what
//! it delivers and judge it with `core::camera_checks`.
//!
//! When the camera cannot be opened the report holds a single failed `camera.opens`
//! check and no measurement: the one cause comes with its one fix, and rows that could
//! not be measured are left out rather than listed as skipped. When it opens, the report
//! holds `camera.opens` (pass) followed by every check of `camera_checks`. A camera that
//! fails while capturing (unplugged) turns `camera.opens` into that failure, and the
//! other checks judge what arrived before it.

use std::time::{Duration, Instant};

use greenroom_core::camera_checks::{
    camera_checks, camera_open_check, CameraMeasurement, CameraOpenFailure,
};
use greenroom_core::device_access::{privacy_check, Capability};
use greenroom_core::frame::{frame_difference, frame_stats, LumaFrame, ANALYSIS_STEP};
use greenroom_core::verdict::Check;
use serde::Serialize;
use ts_rs::TS;

use crate::camera::{
    open_source, CameraError, CameraSourceKind, FrameSource, REQUESTED_FPS, REQUESTED_HEIGHT,
    REQUESTED_WIDTH,
};
use crate::EngineError;

/// Capture length when none is given.
pub const DEFAULT_SECONDS: f64 = 2.0;
/// How long to wait for the first frame before judging the camera silent.
pub const FIRST_FRAME_TIMEOUT: Duration = Duration::from_secs(5);
/// How often a captured picture goes to the face detector (`camera.framing`).
const FACE_SAMPLE_EVERY: Duration = Duration::from_millis(333);
/// Pictures for the face detector are shrunk to this width, as a take's video is.
const FACE_ANALYSIS_WIDTH: u32 = 640;
/// Capture lengths outside this range are clamped to it.
const SECONDS_RANGE: (f64, f64) = (0.2, 30.0);

/// What to check.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraCheckOptions {
    /// Camera id from `camera::list_cameras` (or its name); `None` for the first camera.
    pub device: Option<String>,
    /// Synthetic source spec (`camera::synthetic`); when set, `device` is ignored.
    /// Callers fall back to `camera::source_from_env()` themselves.
    pub source: Option<String>,
    /// How long to capture after the first frame, in seconds.
    pub seconds: f64,
}

impl Default for CameraCheckOptions {
    fn default() -> Self {
        Self {
            device: None,
            source: None,
            seconds: DEFAULT_SECONDS,
        }
    }
}

/// The result of a camera preflight.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CameraReport {
    /// The camera's name (for a synthetic source, a description of it); `None` when no
    /// camera could be found.
    pub device_name: Option<String>,
    pub source_kind: CameraSourceKind,
    /// `camera.opens` first, then the picture checks (see the module doc).
    pub checks: Vec<Check>,
    /// What was measured; `None` when the camera did not open.
    pub measurement: Option<CameraMeasurement>,
}

impl CameraReport {
    /// The worst status of the checks.
    pub fn overall(&self) -> greenroom_core::Status {
        greenroom_core::verdict::overall(&self.checks)
    }
}

/// Runs the camera preflight. Camera problems (none, busy, denied, silent, black ...)
/// are verdicts in the report; `Err` only means the synthetic `source` is unusable (a
/// spec that does not parse, a missing, malformed or truncated Y4M file).
pub fn check_camera(opts: &CameraCheckOptions) -> Result<CameraReport, EngineError> {
    let mut report = check_camera_source(opts)?;
    // The OS's privacy switch for the camera comes first: when it blocks desktop apps, the
    // camera's own failure below is its consequence.
    if report.source_kind == CameraSourceKind::Native {
        if let Some(consent) = crate::os::privacy_consent(Capability::Camera) {
            report
                .checks
                .insert(0, privacy_check(Capability::Camera, &consent));
        }
    }
    Ok(report)
}

fn check_camera_source(opts: &CameraCheckOptions) -> Result<CameraReport, EngineError> {
    let started = Instant::now();
    let source = opts
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let kind = if source.is_some() {
        CameraSourceKind::Synthetic
    } else {
        CameraSourceKind::Native
    };
    match open_source(opts.device.as_deref(), source) {
        Ok(mut src) => Ok(check_source(src.as_mut(), started, opts.seconds)),
        Err(CameraError::Device {
            failure, device, ..
        }) => {
            let device_name = device.or_else(|| {
                // "No camera" has no name to show; a requested id that vanished does.
                (failure != CameraOpenFailure::NoCamera)
                    .then(|| opts.device.clone())
                    .flatten()
            });
            Ok(CameraReport {
                checks: vec![camera_open_check(device_name.as_deref(), Err(failure))],
                device_name,
                source_kind: kind,
                measurement: None,
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Measures an already open source for `seconds` after its first frame and judges it;
/// `opened_at` is when opening was requested (time to first frame counts from there).
/// Use it with a `CameraPreview::tap` to check the camera the preview is showing.
pub fn check_source(
    source: &mut dyn FrameSource,
    opened_at: Instant,
    seconds: f64,
) -> CameraReport {
    let info = source.info().clone();
    let seconds = if seconds.is_finite() {
        seconds.clamp(SECONDS_RANGE.0, SECONDS_RANGE.1)
    } else {
        DEFAULT_SECONDS
    };
    let ms = |t: Instant| t.saturating_duration_since(opened_at).as_secs_f64() * 1000.0;

    let mut first: Option<(u64, Instant)> = None;
    let mut last: Option<(u64, Instant)> = None;
    let mut size = (info.width, info.height);
    let mut per_frame = Vec::new();
    let mut diffs = Vec::new();
    let mut previous: Option<LumaFrame> = None;
    let mut lost: Option<CameraOpenFailure> = None;
    // Pictures for the face detector, a few a second; detected after the capture so the
    // frame-rate measurement is not slowed down by it.
    let mut for_faces: Vec<(u64, greenroom_core::frame::RgbFrame)> = Vec::new();
    let mut next_face_at = opened_at;
    // Until the first frame: wait up to FIRST_FRAME_TIMEOUT; then capture for `seconds`.
    let mut deadline = Instant::now() + FIRST_FRAME_TIMEOUT;
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        let timed = match source.next_frame(deadline - now) {
            Ok(Some(f)) => f,
            Ok(None) => continue,
            Err(e) => {
                lost = Some(e.failure().unwrap_or(CameraOpenFailure::Gone));
                break;
            }
        };
        if first.is_none() {
            first = Some((timed.seq, timed.captured_at));
            deadline = Instant::now() + Duration::from_secs_f64(seconds);
        }
        last = Some((timed.seq, timed.captured_at));
        size = (timed.frame.width, timed.frame.height);
        // Every frame read is analysed; frames the source dropped for a slow reader
        // still count below through the sequence numbers.
        let luma = LumaFrame::from_rgb_subsampled(&timed.frame, ANALYSIS_STEP);
        per_frame.push(frame_stats(&luma));
        if let Some(prev) = &previous {
            diffs.push(frame_difference(prev, &luma));
        }
        previous = Some(luma);
        if timed.captured_at >= next_face_at {
            next_face_at = timed.captured_at + FACE_SAMPLE_EVERY;
            let small = crate::camera::preview::downscale(&timed.frame, FACE_ANALYSIS_WIDTH);
            for_faces.push((ms(timed.captured_at) as u64, small.into_owned()));
        }
    }
    let elapsed_ms = ms(Instant::now());

    let frames = match (first, last) {
        (Some((a, _)), Some((b, _))) => (b.saturating_sub(a) + 1).min(u32::MAX as u64) as u32,
        _ => 0,
    };
    let measurement = CameraMeasurement {
        device_name: info.name.clone(),
        requested_width: REQUESTED_WIDTH,
        requested_height: REQUESTED_HEIGHT,
        requested_fps: REQUESTED_FPS,
        delivered_width: if frames > 0 { size.0 } else { 0 },
        delivered_height: if frames > 0 { size.1 } else { 0 },
        frames,
        elapsed_ms,
        first_frame_ms: first.map(|(_, t)| ms(t)),
        last_frame_ms: last.map(|(_, t)| ms(t)),
        per_frame,
        diffs,
    };
    let mut checks = vec![camera_open_check(
        Some(&info.name),
        lost.map_or(Ok(()), Err),
    )];
    checks.extend(camera_checks(&measurement));
    // Framing judges a face; over a black, frozen-blank or failed picture it would only
    // repeat that failure.
    if checks
        .iter()
        .all(|c| c.status != greenroom_core::Status::Fail)
        && !for_faces.is_empty()
    {
        let mut detector = crate::video::faces::FaceDetector::new();
        let samples: Vec<_> = for_faces
            .iter()
            .map(|(at_ms, frame)| {
                let luma = LumaFrame::from_rgb(frame);
                let faces = detector.detect(&luma);
                greenroom_core::presence::observe(&luma, *at_ms, faces)
            })
            .collect();
        checks.extend(greenroom_core::presence::framing_checks(
            &greenroom_core::presence::summarize(&samples),
        ));
    }
    CameraReport {
        device_name: Some(info.name),
        source_kind: info.kind,
        checks,
        measurement: Some(measurement),
    }
}
