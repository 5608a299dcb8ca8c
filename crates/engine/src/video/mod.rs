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
mod presence;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use greenroom_core::frame::{downscale, even_size, RgbFrame};
use greenroom_core::presence::PresenceSample;

use crate::camera::{FrameSource, SourceInfo};
use crate::recording::TakeClock;
use crate::EngineError;

pub use fmp4::{probe, repair, VideoProbe};
use presence::PresenceAnalyser;
pub use presence::{analyse_clip, load_presence};

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
    /// When the first picture was taken, in ms after the take's time zero.
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
    /// First picture's time after the take's time zero, in ms, plus one (0: none yet).
    first_ms_plus_one: AtomicU64,
}

impl VideoProgress {
    pub fn frames(&self) -> u64 {
        self.frames.load(Ordering::Relaxed)
    }

    /// When the first picture was taken (ms after the take's time zero), once it was.
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
    /// Where the take's audio ended: later pictures are not kept.
    end: Arc<OnceLock<Instant>>,
    progress: Arc<VideoProgress>,
    thread: Option<JoinHandle<Result<VideoRecorded, EngineError>>>,
}

impl VideoRecorder {
    /// Starts recording `source` into `video_path` (and, with presence analysis on,
    /// `presence_path`). Pictures are timed from `clock`, the take's time zero; until the
    /// audio has set it they wait (up to a second of them), and pictures taken before it
    /// are not kept, so the video never starts before the audio.
    pub fn start(
        source: Box<dyn FrameSource>,
        video_path: &Path,
        presence_path: Option<&Path>,
        clock: TakeClock,
        settings: VideoSettings,
    ) -> Result<Self, EngineError> {
        let info = source.info().clone();
        let stop = Arc::new(AtomicBool::new(false));
        let end = Arc::new(OnceLock::new());
        let progress = Arc::new(VideoProgress::default());
        let job = Job {
            source,
            video_path: video_path.to_owned(),
            presence_path: presence_path.map(Path::to_owned),
            clock,
            settings,
            stop: stop.clone(),
            end: end.clone(),
            progress: progress.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("video-recorder".into())
            .spawn(move || job.run())
            .map_err(|e| EngineError::io("start the video recorder for", video_path, e))?;
        Ok(Self {
            info,
            stop,
            end,
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

    /// Asks the recorder to stop at once, without waiting; [`VideoRecorder::stop`] then
    /// collects it.
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Asks the recorder to end the video where the audio ended: pictures taken before
    /// `end` that are still on their way are kept, later ones are not. Returns at once.
    pub fn request_stop_at(&self, end: Instant) {
        let _ = self.end.set(end);
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Stops (at once, unless [`VideoRecorder::request_stop_at`] set an end) and waits for
    /// the last fragment to be written (about one frame wait plus one fragment's encoding).
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

/// Pictures this much newer than the oldest waiting one are held back before they are
/// encoded: the audio's end is known only once its recorder has stopped (within ~70 ms of
/// it, a limit stop found by the 50 ms poll), and pictures after it must not be kept. A
/// crash loses this much more video than its last fragment (4-5 pictures at 15 fps).
const HELD_BACK: Duration = Duration::from_millis(300);

/// After the audio's end was given, how long the recorder waits for the pictures taken
/// before it (a camera hands a frame over within a frame time; the preview within two).
const END_GRACE: Duration = Duration::from_millis(250);

struct Job {
    source: Box<dyn FrameSource>,
    video_path: PathBuf,
    presence_path: Option<PathBuf>,
    clock: TakeClock,
    settings: VideoSettings,
    stop: Arc<AtomicBool>,
    end: Arc<OnceLock<Instant>>,
    progress: Arc<VideoProgress>,
}

fn ticks(d: Duration) -> u64 {
    (d.as_secs_f64() * fmp4::TIMESCALE as f64).round() as u64
}

/// The encoder and the file, opened with the first picture, and what was written.
struct Writing {
    settings: VideoSettings,
    video_path: PathBuf,
    presence_interval: Option<Duration>,
    analyser: Option<PresenceAnalyser>,
    encoder: Option<encode::H264Encoder>,
    writer: Option<fmp4::Fmp4Writer>,
    size: (u32, u32),
    first: Option<Instant>,
    last: Option<Instant>,
    next_presence: Option<Instant>,
    frames: u64,
    busy: Duration,
}

impl Writing {
    /// Encodes and appends one picture taken at `at`; `zero` is the take's time zero.
    fn push(
        &mut self,
        small: RgbFrame,
        at: Instant,
        zero: Instant,
        progress: &VideoProgress,
    ) -> Result<(), EngineError> {
        let started = Instant::now();
        let result = self.push_timed(small, at, zero, progress);
        self.busy += started.elapsed();
        result
    }

    fn push_timed(
        &mut self,
        small: RgbFrame,
        at: Instant,
        zero: Instant,
        progress: &VideoProgress,
    ) -> Result<(), EngineError> {
        if self.encoder.is_none() {
            let fps = self.settings.fps;
            let e = encode::H264Encoder::new(
                small.width,
                small.height,
                fps,
                fps.round().max(1.0) as u32,
            )
            .map_err(|e| EngineError::Camera {
                detail: e.to_string(),
            })?;
            self.size = e.size();
            self.writer = Some(fmp4::Fmp4Writer::create(
                &self.video_path,
                self.size.0,
                self.size.1,
                fps,
                self.settings.fragment_ms,
            )?);
            self.encoder = Some(e);
        }
        if (small.width, small.height) != self.size {
            return Ok(()); // the camera changed size mid-take: keep the first size
        }
        let (Some(enc), Some(out)) = (self.encoder.as_mut(), self.writer.as_mut()) else {
            return Ok(());
        };
        let first_at = *self.first.get_or_insert_with(|| {
            progress
                .first_ms_plus_one
                .store(ms_between(zero, at) + 1, Ordering::Relaxed);
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
            self.frames += 1;
            self.last = Some(at);
            progress.frames.store(self.frames, Ordering::Relaxed);
        }
        if let (Some(a), Some(every)) = (&self.analyser, self.presence_interval) {
            if self.next_presence.is_none_or(|due| at >= due) {
                self.next_presence = Some(at + every);
                a.offer(ms_between(zero, at), small);
            }
        }
        Ok(())
    }
}

/// Whole milliseconds from `zero` to `at` (0 when `at` is earlier).
fn ms_between(zero: Instant, at: Instant) -> u64 {
    at.saturating_duration_since(zero).as_millis() as u64
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
        let mut out = Writing {
            settings: s.clone(),
            video_path: self.video_path.clone(),
            presence_interval,
            analyser,
            encoder: None,
            writer: None,
            size: (0, 0),
            first: None,
            last: None,
            next_presence: None,
            frames: 0,
            busy: Duration::ZERO,
        };
        // Pictures kept while the take's time zero is not known yet (a second at most).
        let mut waiting: VecDeque<(Instant, RgbFrame)> = VecDeque::new();
        let waiting_max = s.fps.ceil().max(1.0) as usize;
        let mut next_due: Option<Instant> = None;
        let mut delivered = 0u64;
        let mut failure = None;
        // Set when encoding or writing failed: then nothing more is written.
        let mut writing_failed = false;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                match self.end.get() {
                    None => break,
                    Some(end) if Instant::now() > *end + END_GRACE => break,
                    Some(_) => {}
                }
            }
            let timed = match self.source.next_frame(Duration::from_millis(100)) {
                Ok(Some(f)) => f,
                Ok(None) if self.stop.load(Ordering::Relaxed) => break,
                Ok(None) => continue,
                Err(e) => {
                    failure = Some(e.to_string());
                    break;
                }
            };
            delivered += 1;
            let at = timed.captured_at;
            if self.end.get().is_some_and(|end| at >= *end) {
                break; // the first picture after the audio's end: the video is whole
            }
            next_due = match next_due {
                Some(due) if at + tolerance < due => continue,
                // The camera paused: count again from this picture rather than bursting.
                Some(due) if due + interval >= at => Some(due + interval),
                _ => Some(at + interval),
            };
            waiting.push_back((
                at,
                even_size(downscale(&timed.frame, s.max_width)).into_owned(),
            ));
            let Some(zero) = self.clock.zero() else {
                if waiting.len() > waiting_max {
                    waiting.pop_front();
                }
                continue;
            };
            let settled = at.checked_sub(HELD_BACK).unwrap_or(at);
            if let Err(e) =
                write_waiting(&mut waiting, &mut out, zero, Some(settled), &self.progress)
            {
                failure = Some(e.to_string());
                writing_failed = true;
                break;
            }
        }
        // Without audio (it never started) the video counts from its own first picture.
        let zero = self
            .clock
            .zero()
            .or(waiting.front().map(|(at, _)| *at))
            .unwrap_or_else(Instant::now);
        // The pictures still held back are kept, also when the camera stopped.
        if !writing_failed {
            let end = self.end.get().copied();
            if let Err(e) = write_waiting(&mut waiting, &mut out, zero, end, &self.progress) {
                failure.get_or_insert(e.to_string());
            }
        }
        let Writing {
            writer,
            analyser,
            first,
            last,
            size,
            busy,
            ..
        } = out;
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
            first_frame_ms: first.map(|f| ms_between(zero, f)),
            duration_ms,
            failure,
            presence,
            encode_busy_ms: busy.as_secs_f64() * 1000.0,
        })
    }
}

/// Writes the waiting pictures taken before `before` (all with `None`; the rest are left
/// when `before` is the newest picture less [`HELD_BACK`], dropped when it is the end).
/// Pictures taken before time zero are not kept. An encoder or disk failure ends the
/// video, keeping what was written (it is reported like a camera that stopped), never the
/// take.
fn write_waiting(
    waiting: &mut VecDeque<(Instant, RgbFrame)>,
    out: &mut Writing,
    zero: Instant,
    before: Option<Instant>,
    progress: &VideoProgress,
) -> Result<(), EngineError> {
    while let Some((at, _)) = waiting.front() {
        if before.is_some_and(|b| *at >= b) {
            break;
        }
        let (at, small) = waiting.pop_front().expect("looked at");
        if at >= zero {
            out.push(small, at, zero, progress)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::{CameraError, CameraSourceKind, TimedFrame};
    use greenroom_core::camera_checks::CameraOpenFailure;
    use std::sync::mpsc;

    /// A camera whose frames (and their capture times) the test hands over one by one.
    struct HandedFrames {
        info: SourceInfo,
        frames: mpsc::Receiver<TimedFrame>,
        returned: u64,
        dealt_with: Arc<AtomicU64>,
    }

    impl FrameSource for HandedFrames {
        fn info(&self) -> &SourceInfo {
            &self.info
        }

        fn next_frame(&mut self, timeout: Duration) -> Result<Option<TimedFrame>, CameraError> {
            // Asking again means the frames returned before are dealt with.
            self.dealt_with.store(self.returned, Ordering::SeqCst);
            match self.frames.recv_timeout(timeout) {
                Ok(f) => {
                    self.returned += 1;
                    Ok(Some(f))
                }
                Err(mpsc::RecvTimeoutError::Timeout) => Ok(None),
                Err(mpsc::RecvTimeoutError::Disconnected) => Err(CameraError::device(
                    CameraOpenFailure::Gone,
                    Some("handed"),
                    "unplugged",
                )),
            }
        }
    }

    struct Camera {
        send: mpsc::Sender<TimedFrame>,
        dealt_with: Arc<AtomicU64>,
        sent: u64,
        base: Instant,
    }

    impl Camera {
        /// Hands over the frames of a 30 fps camera from `from` to `to` (frame numbers) and
        /// waits until the recorder has dealt with them.
        fn deliver(&mut self, from: u64, to: u64) {
            self.hand_over(from, to);
            let waited = Instant::now();
            while self.dealt_with.load(Ordering::SeqCst) < self.sent {
                assert!(waited.elapsed() < Duration::from_secs(10), "recorder stuck");
                std::thread::sleep(Duration::from_millis(5));
            }
        }

        /// Hands over frames without waiting; the recorder may have stopped reading.
        fn hand_over(&mut self, from: u64, to: u64) {
            for seq in from..to {
                let captured_at = self.base + Duration::from_secs_f64(seq as f64 / 30.0);
                let frame = RgbFrame::filled(320, 180, [(seq * 3 % 256) as u8, 90, 40]);
                let handed = self.send.send(TimedFrame {
                    seq,
                    captured_at,
                    frame,
                });
                self.sent += u64::from(handed.is_ok());
            }
        }
    }

    fn recorder(dir: &Path, clock: TakeClock) -> (VideoRecorder, Camera) {
        let (send, frames) = mpsc::channel();
        let dealt_with = Arc::new(AtomicU64::new(0));
        let source = HandedFrames {
            info: SourceInfo {
                name: "handed".into(),
                kind: CameraSourceKind::Synthetic,
                width: 320,
                height: 180,
                fps: 30.0,
            },
            frames,
            returned: 0,
            dealt_with: dealt_with.clone(),
        };
        let settings = VideoSettings {
            presence_per_s: 0.0,
            ..VideoSettings::default()
        };
        let rec = VideoRecorder::start(Box::new(source), &dir.join("v.mp4"), None, clock, settings)
            .unwrap();
        // Frame 0 is captured a while ago, so the times below are all in the past.
        let base = Instant::now() - Duration::from_secs(10);
        let camera = Camera {
            send,
            dealt_with,
            sent: 0,
            base,
        };
        (rec, camera)
    }

    #[test]
    fn pictures_wait_for_time_zero_and_stop_at_the_audios_end() {
        let dir = tempfile::tempdir().unwrap();
        let clock = TakeClock::unset();
        let (rec, mut camera) = recorder(dir.path(), clock.clone());
        // 30 fps for 0.66 s before the audio has started: kept back, nothing written.
        camera.deliver(0, 20);
        assert_eq!(rec.progress().frames(), 0);
        assert_eq!(rec.progress().first_frame_ms(), None);
        // The audio's first sample turns out to be at frame 6 (200 ms).
        let zero = camera.base + Duration::from_millis(200);
        clock.set(zero);
        camera.deliver(20, 51);
        // Pictures are held back 300 ms: at 1.67 s only those before 1.37 s are written.
        assert_eq!(rec.progress().frames(), 18);
        // The audio ended at 1.5 s; its end is known 167 ms later, when frames up to
        // 2.33 s are on their way.
        rec.request_stop_at(camera.base + Duration::from_millis(1500));
        camera.hand_over(51, 70);
        let v = rec.stop().unwrap();
        // Every second frame (15 fps) from 200 ms to before 1500 ms: 200, 266.7 ... 1466.7.
        assert_eq!(v.frames, 20, "{v:?}");
        assert_eq!(v.first_frame_ms, Some(0));
        assert!((v.duration_ms - 1333.3).abs() < 1.0, "{}", v.duration_ms);
        assert_eq!(probe(&v.path).unwrap().frames, 20);
    }

    #[test]
    fn a_camera_unplugged_mid_take_keeps_the_pictures_held_back() {
        let dir = tempfile::tempdir().unwrap();
        let clock = TakeClock::unset();
        let (rec, mut camera) = recorder(dir.path(), clock.clone());
        clock.set(camera.base);
        camera.deliver(0, 30);
        // 1 s at 15 fps: 10 written, the last 300 ms (5) held back...
        assert_eq!(rec.progress().frames(), 10);
        drop(camera);
        // ...and kept when the camera goes.
        let v = rec.stop().unwrap();
        assert_eq!(v.frames, 15, "{v:?}");
        assert!(v.failure.unwrap().contains("unplugged"));
    }

    #[test]
    fn a_take_whose_audio_never_started_keeps_its_video_from_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let (rec, mut camera) = recorder(dir.path(), TakeClock::unset());
        camera.deliver(0, 12);
        let v = rec.stop().unwrap();
        // The last second waits for the clock (15 pictures); 6 were taken in 0.4 s.
        assert_eq!(v.frames, 6, "{v:?}");
        assert_eq!(probe(&v.path).unwrap().frames, 6);
    }

    #[test]
    fn at_most_a_second_of_pictures_waits_for_the_clock() {
        let dir = tempfile::tempdir().unwrap();
        let (rec, mut camera) = recorder(dir.path(), TakeClock::unset());
        // 3 s of frames with no audio: the newest second is kept.
        camera.deliver(0, 90);
        let v = rec.stop().unwrap();
        assert_eq!(v.frames, 15, "{v:?}");
        assert!((v.duration_ms - 1000.0).abs() < 1.0, "{}", v.duration_ms);
    }
}
