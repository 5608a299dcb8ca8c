//! What the face detector saw during a take: a thread beside the recorder that analyses the
//! newest picture it is offered and appends one line per sample to `presence.jsonl` (a
//! crash keeps what was seen), plus the same analysis of a clip and reading the file back.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use greenroom_core::camera_checks::CameraOpenFailure;
use greenroom_core::frame::{downscale, even_size, LumaFrame, RgbFrame};
use greenroom_core::presence::{observe, PresenceSample};

use super::faces;
use crate::camera::{FrameSource, LatestSlot};
use crate::EngineError;

/// The face detector's thread: takes the newest offered picture, detects, appends a line.
pub(super) struct PresenceAnalyser {
    slot: Arc<LatestSlot<(u64, RgbFrame)>>,
    thread: JoinHandle<Vec<PresenceSample>>,
}

impl PresenceAnalyser {
    pub(super) fn start(path: &Path) -> Result<Self, EngineError> {
        let mut file = File::create(path).map_err(|e| EngineError::io("create", path, e))?;
        let slot = Arc::new(LatestSlot::<(u64, RgbFrame)>::new());
        let thread = {
            let slot = slot.clone();
            std::thread::Builder::new()
                .name("presence".into())
                .spawn(move || {
                    let mut detector = faces::FaceDetector::new();
                    let mut samples = vec![];
                    loop {
                        match slot.take(Duration::from_millis(200)) {
                            Ok(Some((at_ms, frame))) => {
                                let luma = LumaFrame::from_rgb(&frame);
                                let found = detector.detect(&luma);
                                let sample = observe(&luma, at_ms, found);
                                if let Ok(line) = serde_json::to_string(&sample) {
                                    // A line per sample: a crash keeps what was seen.
                                    let _ = writeln!(file, "{line}");
                                }
                                samples.push(sample);
                            }
                            Ok(None) => {}
                            Err(_) => break,
                        }
                    }
                    samples
                })
                .map_err(|e| EngineError::io("start the face detector for", path, e))?
        };
        Ok(Self { slot, thread })
    }

    pub(super) fn offer(&self, at_ms: u64, frame: RgbFrame) {
        self.slot.put((at_ms, frame));
    }

    /// Analyses what is still offered, then ends the thread.
    pub(super) fn finish(self) -> Vec<PresenceSample> {
        self.slot
            .close(CameraOpenFailure::Gone, "the recording stopped".into());
        self.thread.join().unwrap_or_default()
    }
}

/// Runs the face detector over a Y4M clip at `per_s` pictures a second (as the recorder
/// samples a camera), shrunk to `max_width` like the recording: for diagnosing a clip
/// (`greenroom check camera` with a file) and for the fixture tests.
pub fn analyse_clip(
    path: &Path,
    per_s: f64,
    max_width: u32,
) -> Result<Vec<PresenceSample>, EngineError> {
    let mut clip = crate::camera::synthetic::Y4mSource::open(path)?;
    let fps = clip.info().fps;
    let step = (fps / per_s.max(0.1)).round().max(1.0) as u64;
    let mut detector = faces::FaceDetector::new();
    let mut samples = vec![];
    for index in (0..clip.frame_count() as u64).step_by(step as usize) {
        let frame = clip.frame_at(index)?;
        let small = even_size(downscale(&frame, max_width));
        let luma = LumaFrame::from_rgb(&small);
        let at_ms = (index as f64 * 1000.0 / fps).round() as u64;
        samples.push(observe(&luma, at_ms, detector.detect(&luma)));
    }
    Ok(samples)
}

/// Reads a take's `presence.jsonl`; a torn last line (a crash) is skipped.
pub fn load_presence(path: &Path) -> Result<Vec<PresenceSample>, EngineError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(EngineError::io("open", path, e)),
    };
    Ok(BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect())
}
