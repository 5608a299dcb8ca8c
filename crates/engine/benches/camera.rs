//! Camera costs against their budgets, in one run:
//! `cargo bench -p greenroom-engine --bench camera`.
//!
//! - analysis of one 1280x720 frame (subsampled luma, stats, difference with the
//!   previous frame), on one core; goal under 2 ms (the preflight must keep up with 30 fps);
//! - the preview: downscale + JPEG encode per frame, and CPU seconds per second of a
//!   running 15 fps preview; budget 0.10 (a tenth of one core), so the preview never
//!   competes with audio capture and transcription on a 2-core machine;
//! - for context: decoding one 720p MJPEG frame as a real camera delivers it, and
//!   rendering one synthetic frame.

use std::hint::black_box;
use std::time::{Duration, Instant};

use greenroom_core::frame::{
    frame_difference, frame_stats, render, LumaFrame, Pattern, RgbFrame, ANALYSIS_STEP,
};
use greenroom_engine::camera::preview::{downscale, encode_preview, PREVIEW_MAX_WIDTH};
use greenroom_engine::camera::{
    CameraError, CameraPreview, CameraSourceKind, FrameSource, SourceInfo, TimedFrame,
};
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{FrameFormat, Resolution};
use nokhwa::FormatDecoder;

const ANALYSIS_GOAL_MS: f64 = 2.0;
const PREVIEW_GOAL_CPU: f64 = 0.10;
const PREVIEW_FPS: f64 = 15.0;

/// Mean milliseconds per call of `f` over at least `min` time (after one warm-up call).
fn time_ms(min: Duration, mut f: impl FnMut(usize)) -> f64 {
    f(0);
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < min || n < 10 {
        f(n);
        n += 1;
    }
    start.elapsed().as_secs_f64() * 1000.0 / n as f64
}

fn row(what: &str, value: f64, unit: &str, goal: Option<f64>) {
    match goal {
        Some(g) => println!(
            "{what:<46} {value:>9.3} {unit:<6} goal {g:>7.3} {unit:<6} ratio {:>5.2} {}",
            value / g,
            if value <= g { "ok" } else { "OVER" }
        ),
        None => println!("{what:<46} {value:>9.3} {unit:<6} (context)"),
    }
}

/// A camera that hands out pre-rendered frames at 30 fps, so the preview's own cost is
/// what gets measured.
struct Replay {
    info: SourceInfo,
    frames: Vec<RgbFrame>,
    start: Instant,
    seq: u64,
}

impl FrameSource for Replay {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn next_frame(&mut self, timeout: Duration) -> Result<Option<TimedFrame>, CameraError> {
        let period = 1.0 / self.info.fps;
        let newest = (self.start.elapsed().as_secs_f64() / period) as u64;
        let seq = (self.seq + 1).max(newest);
        let due = self.start + Duration::from_secs_f64(seq as f64 * period);
        let wait = due.saturating_duration_since(Instant::now());
        if wait > timeout {
            std::thread::sleep(timeout);
            return Ok(None);
        }
        std::thread::sleep(wait);
        self.seq = seq;
        Ok(Some(TimedFrame {
            seq,
            captured_at: due,
            frame: self.frames[seq as usize % self.frames.len()].clone(),
        }))
    }
}

/// CPU time (user + system) of this process so far, where the OS tells it.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the command name: state is field 3, utime 14 and stime 15 (1-based).
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux ABI Rust targets.
    Some(Duration::from_millis(ticks * 10))
}

fn main() {
    let frames: Vec<RgbFrame> = (0..4)
        .map(|i| render(Pattern::Scene, 1280, 720, i))
        .collect();
    println!("camera benchmark: 1280x720 frames, one thread\n");

    let mut previous = LumaFrame::from_rgb_subsampled(&frames[0], ANALYSIS_STEP);
    let analysis = time_ms(Duration::from_secs(2), |i| {
        let luma = LumaFrame::from_rgb_subsampled(&frames[i % frames.len()], ANALYSIS_STEP);
        black_box(frame_stats(&luma));
        black_box(frame_difference(&previous, &luma));
        previous = luma;
    });
    row(
        "analysis per frame (luma + stats + diff)",
        analysis,
        "ms",
        Some(ANALYSIS_GOAL_MS),
    );
    row(
        "  share of one core at 30 fps",
        analysis * 30.0 / 1000.0,
        "core",
        None,
    );

    let shrink = time_ms(Duration::from_secs(1), |i| {
        black_box(downscale(&frames[i % frames.len()], PREVIEW_MAX_WIDTH));
    });
    let small = downscale(&frames[0], PREVIEW_MAX_WIDTH).into_owned();
    let encode = time_ms(Duration::from_secs(1), |_| {
        black_box(encode_preview(&small).unwrap());
    });
    let picture = time_ms(Duration::from_secs(1), |i| {
        black_box(encode_preview(&frames[i % frames.len()]).unwrap());
    });
    let budget_ms = PREVIEW_GOAL_CPU * 1000.0 / PREVIEW_FPS;
    row("preview downscale 1280x720 -> 640x360", shrink, "ms", None);
    row("preview JPEG encode 640x360", encode, "ms", None);
    row(
        "preview picture (downscale + encode)",
        picture,
        "ms",
        Some(budget_ms),
    );
    row(
        "preview CPU per second at 15 fps (computed)",
        picture * PREVIEW_FPS / 1000.0,
        "cpu-s",
        Some(PREVIEW_GOAL_CPU),
    );
    println!(
        "  preview JPEG size: {} bytes",
        encode_preview(&frames[0]).unwrap().len()
    );

    // A running preview of a 30 fps camera, measured from the process's CPU time.
    let replay = Replay {
        info: SourceInfo {
            name: "bench".into(),
            kind: CameraSourceKind::Synthetic,
            width: 1280,
            height: 720,
            fps: 30.0,
        },
        frames: frames.clone(),
        start: Instant::now(),
        seq: 0,
    };
    let before = process_cpu();
    let wall = Instant::now();
    let mut preview = CameraPreview::start(Box::new(replay)).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let pictures = preview.latest().map_or(0, |(seq, _)| seq);
    preview.stop();
    let secs = wall.elapsed().as_secs_f64();
    match (before, process_cpu()) {
        (Some(a), Some(b)) => row(
            "preview CPU per second at 15 fps (measured)",
            (b - a).as_secs_f64() / secs,
            "cpu-s",
            Some(PREVIEW_GOAL_CPU),
        ),
        _ => println!("preview CPU per second (measured): not available on this OS"),
    }
    println!("  source frames reached by the preview in {secs:.1} s: {pictures}");

    // Context: what a real camera adds per frame it delivers.
    let mut mjpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut mjpeg, 85)
        .encode(&frames[0].data, 1280, 720, image::ExtendedColorType::Rgb8)
        .unwrap();
    let decode = time_ms(Duration::from_secs(1), |_| {
        black_box(
            RgbFormat::write_output(FrameFormat::MJPEG, Resolution::new(1280, 720), &mjpeg)
                .unwrap(),
        );
    });
    row("MJPEG 1280x720 decode (native camera)", decode, "ms", None);
    let synth = time_ms(Duration::from_secs(1), |i| {
        black_box(render(Pattern::Scene, 1280, 720, i as u64));
    });
    row("synthetic scene render 1280x720", synth, "ms", None);

    video_costs(&frames);
}

/// A take's video: H.264 encoding at the sizes a camera offers, and face detection, per
/// picture on one core; the share of one core at the rates the recorder uses. The chosen
/// settings (640x360 at 15 fps, 3 detections a second) must stay under a quarter of one
/// core together, so audio and the streaming transcriber keep the other core and more.
fn video_costs(frames: &[RgbFrame]) {
    use greenroom_engine::video::encode::H264Encoder;
    use greenroom_engine::video::faces::FaceDetector;
    const VIDEO_GOAL_CORE: f64 = 0.25;
    let mut chosen = 0.0;
    for (w, h, fps) in [(640u32, 360u32, 15.0), (1280, 720, 15.0), (1280, 720, 30.0)] {
        let sized: Vec<RgbFrame> = frames
            .iter()
            .map(|f| {
                greenroom_core::frame::even_size(greenroom_core::frame::downscale(f, w))
                    .into_owned()
            })
            .collect();
        let mut enc = H264Encoder::new(w, h, fps, 15).unwrap();
        let ms = time_ms(Duration::from_secs(2), |i| {
            black_box(enc.encode(&sized[i % sized.len()]).unwrap());
        });
        let share = ms * fps / 1000.0;
        if w == 640 {
            chosen += share;
        }
        row(&format!("H.264 encode {w}x{h} per picture"), ms, "ms", None);
        row(
            &format!("  share of one core at {fps} fps"),
            share,
            "core",
            None,
        );
    }
    let mut detector = FaceDetector::new();
    for w in [640u32, 320] {
        let luma = LumaFrame::from_rgb(&greenroom_core::frame::downscale(&frames[0], w));
        let ms = time_ms(Duration::from_secs(2), |_| {
            black_box(detector.detect(&luma));
        });
        if w == 640 {
            chosen += ms * 3.0 / 1000.0;
        }
        row(
            &format!("face detection {}x{} per picture", luma.width, luma.height),
            ms,
            "ms",
            None,
        );
    }
    row(
        "video at the chosen settings (encode + detect)",
        chosen,
        "core",
        Some(VIDEO_GOAL_CORE),
    );
}
