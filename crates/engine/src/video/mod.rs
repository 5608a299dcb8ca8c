//! Video of a take: the camera recorded beside the audio, on the same clock, and what a
//! face detector saw in it.
//!
//! A [`VideoRecorder`] owns a thread that reads a [`FrameSource`] (the camera, or the
//! preview's tap of it while the self-view runs), keeps [`VideoSettings::fps`] pictures a
//! second, shrinks them to at most [`VideoSettings::max_width`], encodes H.264
//! ([`encode`]) and appends fragments of about half a second to `video.mp4`
//! ([`fmp4`]), so a crash keeps the video up to its last fragment like the WAV. A few
//! pictures a second also go, latest-only, to a second thread that runs the face detector
//! ([`faces`]) and appends what it saw to `presence.jsonl`; it never holds up encoding.

pub mod encode;
pub mod faces;
pub mod fmp4;

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use greenroom_core::camera_checks::CameraOpenFailure;
use greenroom_core::frame::{downscale, even_size, LumaFrame, RgbFrame};
use greenroom_core::presence::{observe, PresenceSample};

use crate::camera::{FrameSource, LatestSlot, SourceInfo};
use crate::EngineError;

pub use fmp4::{probe, repair, VideoProbe};

/// How a take's video is made.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoSettings {
    /// Pictures kept per second (the camera may deliver more).
    pub fps: f64,
    /// Widest picture recorded; larger frames are shrunk by a whole factor.
    pub max_width: u32,
    /// Length of one fragment: what a crash can lose at most.
    pub fragment_ms: u32,
    /// Pictures handed to the face detector per second (0: no presence analysis).
    pub presence_per_s: f64,
}

impl Default for VideoSettings {
    /// 640x360 at 15 fps, constant quality: a face is sharp, and encoding costs a few
    /// percent of one core of a 2-core machine (see the `camera` bench).
    fn default() -> Self {
        Self {
            fps: 15.0,
            max_width: 640,
            fragment_ms: 500,
            presence_per_s: 3.0,
        }
    }
}

/// What a finished video recording holds.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoRecorded {
    pub path: PathBuf,
    /// Pictures written.
    pub frames: u64,
    /// Pictures due at the chosen rate between the first and the last one.
    pub expected_frames: u64,
    /// Frames the source delivered (before thinning to the chosen rate).
    pub delivered_frames: u64,
    pub width: u32,
    pub height: u32,
    /// When the first picture was taken, on the recording's clock (ms after its start).
    pub first_frame_ms: Option<u64>,
    /// From the first picture to the end of the last.
    pub duration_ms: f64,
    /// Why the camera stopped early, when it did (the video is kept up to there).
    pub failure: Option<String>,
    /// What the face detector saw, in time order.
    pub presence: Vec<PresenceSample>,
    /// Busy time of the recording thread (decode, shrink, encode, write), in ms.
    pub encode_busy_ms: f64,
}

/// Live counters, for progress and the benchmark.
#[derive(Debug, Default)]
pub struct VideoProgress {
    frames: AtomicU64,
    /// First picture's time on the recording's clock, plus one (0: none yet).
    first_ms_plus_one: AtomicU64,
}

impl VideoProgress {
    pub fn frames(&self) -> u64 {
        self.frames.load(Ordering::Relaxed)
    }

    /// When the first picture was taken (ms after the recording's start), once it was.
    pub fn first_frame_ms(&self) -> Option<u64> {
        self.first_ms_plus_one
            .load(Ordering::Relaxed)
            .checked_sub(1)
    }
}

/// A camera being recorded; stop it with [`VideoRecorder::stop`].
pub struct VideoRecorder {
    info: SourceInfo,
    stop: Arc<AtomicBool>,
    progress: Arc<VideoProgress>,
    thread: Option<JoinHandle<Result<VideoRecorded, EngineError>>>,
}

impl VideoRecorder {
    /// Starts recording `source` into `video_path` (and, with presence analysis on,
    /// `presence_path`). `clock` is the moment the take's audio started: picture times
    /// are measured from it.
    pub fn start(
        source: Box<dyn FrameSource>,
        video_path: &Path,
        presence_path: Option<&Path>,
        clock: Instant,
        settings: VideoSettings,
    ) -> Result<Self, EngineError> {
        let info = source.info().clone();
        let stop = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(VideoProgress::default());
        let job = Job {
            source,
            video_path: video_path.to_owned(),
            presence_path: presence_path.map(Path::to_owned),
            clock,
            settings,
            stop: stop.clone(),
            progress: progress.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("video-recorder".into())
            .spawn(move || job.run())
            .map_err(|e| EngineError::io("start the video recorder for", video_path, e))?;
        Ok(Self {
            info,
            stop,
            progress,
            thread: Some(thread),
        })
    }

    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    pub fn progress(&self) -> Arc<VideoProgress> {
        self.progress.clone()
    }

    /// Asks the recorder to stop without waiting; [`VideoRecorder::stop`] then collects it.
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Stops and waits for the last fragment to be written (about one frame wait plus
    /// one fragment's encoding).
    pub fn stop(mut self) -> Result<VideoRecorded, EngineError> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(EngineError::Camera {
                detail: "the video recorder stopped unexpectedly".into(),
            }),
        }
    }
}

impl Drop for VideoRecorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Job {
    source: Box<dyn FrameSource>,
    video_path: PathBuf,
    presence_path: Option<PathBuf>,
    clock: Instant,
    settings: VideoSettings,
    stop: Arc<AtomicBool>,
    progress: Arc<VideoProgress>,
}

fn ticks(d: Duration) -> u64 {
    (d.as_secs_f64() * fmp4::TIMESCALE as f64).round() as u64
}

impl Job {
    fn run(mut self) -> Result<VideoRecorded, EngineError> {
        let s = self.settings.clone();
        let interval = Duration::from_secs_f64(1.0 / s.fps.clamp(1.0, 60.0));
        // A frame up to a third of an interval early is taken: a 30 fps camera then
        // gives every second frame at 15 fps, a 20 fps one three of every four.
        let tolerance = interval / 3;
        let presence_interval =
            (s.presence_per_s > 0.0).then(|| Duration::from_secs_f64(1.0 / s.presence_per_s));
        let analyser = match (&self.presence_path, presence_interval) {
            (Some(path), Some(_)) => Some(PresenceAnalyser::start(path)?),
            _ => None,
        };
        let mut encoder: Option<encode::H264Encoder> = None;
        let mut writer: Option<fmp4::Fmp4Writer> = None;
        let (mut first, mut last): (Option<Instant>, Option<Instant>) = (None, None);
        let mut next_due = self.clock;
        let mut next_presence = self.clock;
        let (mut frames, mut delivered) = (0u64, 0u64);
        let mut busy = Duration::ZERO;
        let mut failure = None;
        let mut size = (0, 0);
        while !self.stop.load(Ordering::Relaxed) {
            let timed = match self.source.next_frame(Duration::from_millis(100)) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(e) => {
                    failure = Some(e.to_string());
                    break;
                }
            };
            delivered += 1;
            let at = timed.captured_at;
            if at < self.clock || at + tolerance < next_due {
                continue;
            }
            next_due += interval;
            if next_due < at {
                next_due = at + interval; // the camera paused: do not burst to catch up
            }
            let started = Instant::now();
            // An encoder or disk failure ends the video, keeping what was written (it is
            // reported like a camera that stopped), never the take.
            let step = (|| -> Result<(), EngineError> {
                let small = even_size(downscale(&timed.frame, s.max_width));
                if encoder.is_none() {
                    let e = encode::H264Encoder::new(
                        small.width,
                        small.height,
                        s.fps,
                        s.fps.round().max(1.0) as u32,
                    )
                    .map_err(|e| EngineError::Camera {
                        detail: e.to_string(),
                    })?;
                    size = e.size();
                    writer = Some(fmp4::Fmp4Writer::create(
                        &self.video_path,
                        size.0,
                        size.1,
                        s.fps,
                        s.fragment_ms,
                    )?);
                    encoder = Some(e);
                }
                if (small.width, small.height) != size {
                    return Ok(()); // the camera changed size mid-take: keep the first size
                }
                let (Some(enc), Some(out)) = (encoder.as_mut(), writer.as_mut()) else {
                    return Ok(());
                };
                let first_at = *first.get_or_insert_with(|| {
                    let ms = (at - self.clock).as_millis() as u64;
                    self.progress
                        .first_ms_plus_one
                        .store(ms + 1, Ordering::Relaxed);
                    at
                });
                let picture = enc.encode(&small).map_err(|e| EngineError::Camera {
                    detail: e.to_string(),
                })?;
                if let Some(p) = picture {
                    if let Some(sets) = &p.parameter_sets {
                        out.write_init(sets)?;
                    }
                    out.push(fmp4::Sample {
                        data: p.data,
                        time: ticks(at - first_at),
                        key: p.key,
                    })?;
                    frames += 1;
                    last = Some(at);
                    self.progress.frames.store(frames, Ordering::Relaxed);
                }
                if let (Some(a), Some(every)) = (&analyser, presence_interval) {
                    if at >= next_presence {
                        next_presence = at + every;
                        let at_ms = (at - self.clock).as_millis() as u64;
                        a.offer(at_ms, small.into_owned());
                    }
                }
                Ok(())
            })();
            busy += started.elapsed();
            if let Err(e) = step {
                failure = Some(e.to_string());
                break;
            }
        }
        let written = writer.map(|w| {
            let so_far = w.written_samples();
            w.finish(Some(ticks(interval) as u32)).unwrap_or_else(|e| {
                failure.get_or_insert(e.to_string());
                so_far
            })
        });
        let presence = match analyser {
            Some(a) => a.finish(),
            None => vec![],
        };
        let duration_ms = match (first, last) {
            (Some(f), Some(l)) => (l - f).as_secs_f64() * 1000.0 + interval.as_secs_f64() * 1000.0,
            _ => 0.0,
        };
        let expected_frames = match (first, last) {
            (Some(f), Some(l)) => ((l - f).as_secs_f64() * s.fps).round() as u64 + 1,
            _ => 0,
        };
        Ok(VideoRecorded {
            path: self.video_path,
            frames: written.unwrap_or(0),
            expected_frames,
            delivered_frames: delivered,
            width: size.0,
            height: size.1,
            first_frame_ms: first.map(|f| (f - self.clock).as_millis() as u64),
            duration_ms,
            failure,
            presence,
            encode_busy_ms: busy.as_secs_f64() * 1000.0,
        })
    }
}

/// The face detector's thread: takes the newest offered picture, detects, appends a line.
struct PresenceAnalyser {
    slot: Arc<LatestSlot<(u64, RgbFrame)>>,
    thread: JoinHandle<Vec<PresenceSample>>,
}

impl PresenceAnalyser {
    fn start(path: &Path) -> Result<Self, EngineError> {
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

    fn offer(&self, at_ms: u64, frame: RgbFrame) {
        self.slot.put((at_ms, frame));
    }

    /// Analyses what is still offered, then ends the thread.
    fn finish(self) -> Vec<PresenceSample> {
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
