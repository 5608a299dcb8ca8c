//! Crash-safe recording of an answer: the input at its native rate, mixed to mono, written
//! as 16-bit PCM WAV while it is recorded. The header is rewritten twice a second, so a
//! killed process leaves a playable file missing at most the last half second, and
//! [`repair_wav`] makes any such file consistent again.
//!
//! A microphone that stops delivering for a while does not end the take: some deliver in
//! large blocks (PulseAudio's sine source: 2 s), some stall and lose audio. The recorder
//! keeps going and reports the stalls that lost audio ([`DeliveryGap`]); it ends the take
//! only when the device is really gone (an error, or no longer listed) or has delivered
//! nothing for [`NO_AUDIO_LIMIT`].

use std::fs::OpenOptions;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use greenroom_core::signal::{dbfs, to_mono};
use serde::Serialize;
use ts_rs::TS;

use crate::audio::capture::InputStream;
use crate::audio::PresenceWatch;
use crate::EngineError;

/// How often the WAV header is brought up to date (the most a crash can lose).
pub const CHECKPOINT: Duration = Duration::from_millis(500);
const POLL: Duration = Duration::from_millis(50);
/// A device that delivers nothing for this long is taken for lost.
pub const NO_AUDIO_LIMIT: Duration = Duration::from_secs(10);
const PRESENCE_EVERY: Duration = Duration::from_secs(1);
/// Delivery stopped at least this long is looked at as a possible stall...
const GAP_MIN_MS: f64 = 1_000.0;
/// ...and is one when, over this long after delivery resumed, the audio never caught up...
const GAP_SETTLE_MS: f64 = 2_000.0;
/// ...by at least this much (buffers and scheduling jitter stay far below it).
const GAP_LOST_MIN_MS: f64 = 500.0;

pub use crate::store::StopReason;

/// What a finished recording holds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Recorded {
    pub path: String,
    pub device_name: String,
    pub sample_rate: u32,
    #[ts(type = "number")]
    pub frames: u64,
    pub duration_ms: f64,
    pub stop_reason: StopReason,
    /// What went wrong, in words, when the reason is not manual or limit.
    pub error: Option<String>,
    /// Samples lost inside our pipeline (ring buffer overflow); 0 on a healthy machine.
    #[ts(type = "number")]
    pub dropped_samples: u64,
    /// Stalls of the device in which audio went missing.
    pub gaps: Vec<DeliveryGap>,
}

/// The device stopped delivering and audio went missing: the recording jumps here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct DeliveryGap {
    /// Where in the recording (ms of audio) the delivery stopped.
    #[ts(type = "number")]
    pub at_ms: u64,
    /// How much time passed with no audio to show for it.
    #[ts(type = "number")]
    pub length_ms: u64,
}

/// Tells a device that delivers late but everything (large blocks) from one that stalled
/// and lost audio, from when buffers arrive and how much audio they hold. The recording
/// lags the wall clock by some amount; a stall that loses audio raises that lag for good,
/// a block that arrives late brings it back down.
#[derive(Debug)]
struct StallWatch {
    rate: f64,
    /// Since when nothing arrived: wall ms, frames so far, the lag at the last delivery.
    quiet: Option<(f64, u64, f64)>,
    /// Delivery resumed after a long quiet: where it stopped, the lag before it, since
    /// when it resumed, and the smallest lag seen since.
    settling: Option<(u64, f64, f64, f64)>,
    last_lag: Option<f64>,
}

impl StallWatch {
    fn new(rate: u32) -> StallWatch {
        StallWatch {
            rate: f64::from(rate.max(1)),
            quiet: None,
            settling: None,
            last_lag: None,
        }
    }

    /// One look: `wall_ms` since the stream started, `frames` recorded so far, and whether
    /// anything arrived since the last look. A stall that lost audio is reported once it
    /// is clear (a couple of seconds after delivery resumed).
    fn observe(&mut self, wall_ms: f64, frames: u64, got_data: bool) -> Option<DeliveryGap> {
        let lag = wall_ms - frames as f64 * 1000.0 / self.rate;
        if got_data {
            if let Some((qwall, qframes, qlag)) = self.quiet.take() {
                if wall_ms - qwall >= GAP_MIN_MS && self.settling.is_none() {
                    self.settling = Some((qframes, qlag, wall_ms, lag));
                }
            }
            if let Some(s) = self.settling.as_mut() {
                s.3 = s.3.min(lag);
            }
            self.last_lag = Some(lag);
        } else if self.quiet.is_none() {
            if let Some(last) = self.last_lag {
                self.quiet = Some((wall_ms, frames, last));
            }
        }
        match self.settling {
            Some((_, _, since, _)) if wall_ms - since >= GAP_SETTLE_MS => self.settle(),
            _ => None,
        }
    }

    /// The verdict on a stall still settling (at the end of the recording).
    fn settle(&mut self) -> Option<DeliveryGap> {
        let (at_frames, before, _, min_after) = self.settling.take()?;
        let lost = min_after - before;
        (lost >= GAP_LOST_MIN_MS).then(|| DeliveryGap {
            at_ms: (at_frames as f64 * 1000.0 / self.rate) as u64,
            length_ms: lost.round() as u64,
        })
    }
}

/// Receives every mono chunk as it is written (e.g. a streaming transcriber). Called on the
/// recorder's thread, never the audio callback; it must not block.
pub type RecordingTap = Box<dyn FnMut(&[f32]) + Send>;

/// Time zero of a take: when its first audio sample was captured. The transcript's words
/// count from it, and so does the video, whose pictures are placed on the audio by it. The
/// recorder sets it from the first buffer the device delivers (that buffer's arrival less
/// its length), which can be before or after `Recorder::start` returned.
#[derive(Debug, Clone, Default)]
pub struct TakeClock(Arc<OnceLock<Instant>>);

impl TakeClock {
    /// A clock the recorder will set.
    pub fn unset() -> Self {
        Self::default()
    }

    /// A clock already running from `zero` (a recording with no audio to follow).
    pub fn fixed(zero: Instant) -> Self {
        let clock = Self::default();
        clock.set(zero);
        clock
    }

    /// Sets time zero; later calls change nothing.
    pub fn set(&self, zero: Instant) {
        let _ = self.0.set(zero);
    }

    pub fn zero(&self) -> Option<Instant> {
        self.0.get().copied()
    }
}

/// Live state a UI can poll without locking.
#[derive(Debug, Default)]
pub struct RecordingProgress {
    frames: AtomicU64,
    clock: TakeClock,
    peak_bits: AtomicU64,
    /// Stalls found and not yet taken by the UI side (the recorder thread adds them).
    gaps: std::sync::Mutex<Vec<DeliveryGap>>,
}

impl RecordingProgress {
    pub fn frames(&self) -> u64 {
        self.frames.load(Ordering::Relaxed)
    }
    /// The take's time zero, set once the first audio arrived.
    pub fn clock(&self) -> TakeClock {
        self.clock.clone()
    }

    /// Peak level (dBFS) since the last call.
    pub fn take_peak_dbfs(&self) -> f64 {
        dbfs(f64::from_bits(self.peak_bits.swap(0, Ordering::Relaxed)))
    }

    /// Stalls found since the last call.
    pub fn take_gaps(&self) -> Vec<DeliveryGap> {
        std::mem::take(
            &mut *self
                .gaps
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    fn add_gap(&self, gap: DeliveryGap) {
        self.gaps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(gap);
    }
}

/// A recording in progress. [`Recorder::stop`] ends it; it also ends on its own at the
/// limit or on a device or disk failure ([`Recorder::is_finished`]).
pub struct Recorder {
    pub sample_rate: u32,
    pub device_name: String,
    progress: Arc<RecordingProgress>,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<Recorded>>,
}

impl Recorder {
    /// Opens `input` and starts writing `path` (created; an existing file is an error so a
    /// take is never overwritten). Records at most `limit`.
    pub fn start(
        input: Option<&str>,
        path: &Path,
        limit: Duration,
    ) -> Result<Recorder, EngineError> {
        Self::start_with_tap(input, path, limit, None)
    }

    /// [`Recorder::start`], also handing each recorded chunk to `tap`.
    pub fn start_with_tap(
        input: Option<&str>,
        path: &Path,
        limit: Duration,
        tap: Option<RecordingTap>,
    ) -> Result<Recorder, EngineError> {
        let stream = InputStream::open(input)?;
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| EngineError::io("create", path, e))?;
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: stream.format.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let writer =
            hound::WavWriter::new(BufWriter::new(file), spec).map_err(|e| wav_error(path, e))?;
        let progress = Arc::new(RecordingProgress::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (p2, s2) = (progress.clone(), stop.clone());
        let path = path.to_owned();
        let sample_rate = stream.format.sample_rate;
        let device_name = stream.device_name.clone();
        let worker = std::thread::Builder::new()
            .name("greenroom-recorder".into())
            .spawn(move || record_loop(stream, writer, path, limit, p2, s2, tap))
            .map_err(|e| EngineError::Audio {
                device: device_name.clone(),
                detail: format!("cannot start recorder thread: {e}"),
            })?;
        Ok(Recorder {
            sample_rate,
            device_name,
            progress,
            stop,
            worker: Some(worker),
        })
    }

    pub fn progress(&self) -> Arc<RecordingProgress> {
        self.progress.clone()
    }

    /// The take's time zero (set once the first audio arrived).
    pub fn clock(&self) -> TakeClock {
        self.progress.clock()
    }

    /// Milliseconds of audio written so far.
    pub fn recorded_ms(&self) -> f64 {
        self.progress.frames() as f64 * 1000.0 / self.sample_rate as f64
    }

    /// True once the recording ended by itself (limit, device or disk failure).
    pub fn is_finished(&self) -> bool {
        self.worker.as_ref().is_none_or(|w| w.is_finished())
    }

    /// Stops (if still running) and returns what was recorded.
    pub fn stop(mut self) -> Recorded {
        self.stop.store(true, Ordering::Relaxed);
        self.worker
            .take()
            .expect("worker present until stop")
            .join()
            .expect("recorder thread panicked")
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

fn wav_error(path: &Path, e: hound::Error) -> EngineError {
    match e {
        hound::Error::IoError(io) => EngineError::io("write", path, io),
        other => EngineError::Audio {
            device: path.display().to_string(),
            detail: other.to_string(),
        },
    }
}

fn is_disk_full(e: &hound::Error) -> bool {
    matches!(e, hound::Error::IoError(io) if io.kind() == std::io::ErrorKind::StorageFull
        || io.raw_os_error() == Some(28))
}

fn record_loop<W: Write + Seek>(
    mut stream: InputStream,
    mut writer: hound::WavWriter<W>,
    path: PathBuf,
    limit: Duration,
    progress: Arc<RecordingProgress>,
    stop: Arc<AtomicBool>,
    mut tap: Option<RecordingTap>,
) -> Recorded {
    let rate = stream.format.sample_rate;
    let channels = stream.format.channels;
    let limit_frames = (limit.as_secs_f64() * rate as f64).round() as u64;
    let mut frames = 0u64;
    let mut reason = StopReason::Manual;
    let mut error: Option<String> = None;
    let mut last_checkpoint = Instant::now();
    let mut last_presence = Instant::now();
    let mut presence = PresenceWatch::new(&stream.device_id);
    let mut last_data = Instant::now();
    let mut stalls = StallWatch::new(rate);
    let mut delivered = 0u64;
    let mut gaps = Vec::new();
    let started = stream.started();
    let write = |mono: &[f32], frames: &mut u64, writer: &mut hound::WavWriter<W>| {
        let room = limit_frames.saturating_sub(*frames) as usize;
        let mut peak = 0f64;
        for &s in &mono[..mono.len().min(room)] {
            peak = peak.max(s.abs() as f64);
            let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
            writer.write_sample(v)?;
            *frames += 1;
        }
        let prev = f64::from_bits(progress.peak_bits.load(Ordering::Relaxed));
        if peak > prev {
            progress.peak_bits.store(peak.to_bits(), Ordering::Relaxed);
        }
        progress.frames.store(*frames, Ordering::Relaxed);
        Ok::<(), hound::Error>(())
    };
    loop {
        let stopping = stop.load(Ordering::Relaxed);
        if !stopping {
            std::thread::sleep(POLL);
        }
        let d = stream.drain();
        let got_data = !d.samples.is_empty();
        if let Some(first) = d
            .arrivals
            .first()
            .filter(|_| progress.clock.zero().is_none())
        {
            // The first buffer ends at its arrival; its first sample was captured one buffer
            // length before (the device's own latency, a few ms, is not known here).
            let length = f64::from(first.frames) / f64::from(rate.max(1));
            let ended = started + Duration::from_secs_f64(first.at_ms.max(0.0) / 1000.0);
            progress.clock.set(
                ended
                    .checked_sub(Duration::from_secs_f64(length))
                    .unwrap_or(ended),
            );
        }
        if got_data {
            last_data = Instant::now();
        }
        let mono = to_mono(&d.samples, channels);
        let before = frames;
        let written = write(&mono, &mut frames, &mut writer);
        // Delivered, not written: the limit cuts what is written, not what the device sent.
        delivered += mono.len() as u64;
        let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
        if let Some(gap) = stalls.observe(wall_ms, delivered, got_data) {
            progress.add_gap(gap);
            gaps.push(gap);
        }
        if let Some(tap) = tap.as_mut() {
            let n = (frames - before) as usize;
            if n > 0 {
                tap(&mono[..n]);
            }
        }
        if let Err(e) = written {
            reason = if is_disk_full(&e) {
                StopReason::DiskFull
            } else {
                StopReason::Error
            };
            error = Some(e.to_string());
            break;
        }
        if frames >= limit_frames {
            reason = StopReason::Limit;
            break;
        }
        if stopping {
            break;
        }
        if last_checkpoint.elapsed() >= CHECKPOINT {
            last_checkpoint = Instant::now();
            if let Err(e) = writer.flush() {
                reason = if is_disk_full(&e) {
                    StopReason::DiskFull
                } else {
                    StopReason::Error
                };
                error = Some(e.to_string());
                break;
            }
        }
        // A stall is not a lost device: only an error, a device no longer listed, or
        // nothing at all for NO_AUDIO_LIMIT ends the take.
        let gone = if let Some(e) = stream.error() {
            Some(format!("'{}' failed: {e}", stream.device_name))
        } else if last_data.elapsed() > NO_AUDIO_LIMIT {
            Some(format!(
                "'{}' delivered no audio for {} s",
                stream.device_name,
                NO_AUDIO_LIMIT.as_secs()
            ))
        } else if last_presence.elapsed() >= PRESENCE_EVERY && {
            last_presence = Instant::now();
            !presence.still_present()
        } {
            Some(format!("'{}' was disconnected", stream.device_name))
        } else {
            None
        };
        if let Some(why) = gone {
            reason = StopReason::DeviceGone;
            error = Some(why);
            break;
        }
    }
    if let Some(gap) = stalls.settle() {
        progress.add_gap(gap);
        gaps.push(gap);
    }
    let dropped = stream.overflowed_samples();
    let device_name = stream.device_name.clone();
    stream.stop();
    // Keep what was recorded whatever happened: finalize writes the final header. If even
    // that fails (disk full), the last checkpoint's header is still valid and
    // `repair_wav` can recover the rest.
    if let Err(e) = writer.finalize() {
        if error.is_none() {
            reason = if is_disk_full(&e) {
                StopReason::DiskFull
            } else {
                StopReason::Error
            };
            error = Some(e.to_string());
        }
    }
    Recorded {
        path: path.display().to_string(),
        device_name,
        sample_rate: rate,
        frames,
        duration_ms: frames as f64 * 1000.0 / rate as f64,
        stop_reason: reason,
        error,
        dropped_samples: dropped,
        gaps,
    }
}

/// What [`repair_wav`] found and did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Repaired {
    #[ts(type = "number")]
    pub frames: u64,
    pub sample_rate: u32,
    pub duration_ms: f64,
    /// Whether the header had to be changed.
    pub changed: bool,
}

/// Makes a WAV file left by a crash consistent: sets the data and RIFF sizes from the bytes
/// actually on disk (whole frames only) and drops a trailing partial frame.
pub fn repair_wav(path: &Path) -> Result<Repaired, EngineError> {
    let bad = |detail: &str| EngineError::InvalidArgument {
        name: "recording".into(),
        detail: format!("{} is not a repairable WAV file: {detail}", path.display()),
    };
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| EngineError::io("open", path, e))?;
    let len = f
        .metadata()
        .map_err(|e| EngineError::io("stat", path, e))?
        .len();
    let mut head = [0u8; 12];
    f.read_exact(&mut head)
        .map_err(|_| bad("shorter than a RIFF header"))?;
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(bad("no RIFF/WAVE signature"));
    }
    let mut pos = 12u64;
    let mut block_align = 0u64;
    let mut sample_rate = 0u32;
    loop {
        let mut ch = [0u8; 8];
        f.seek(SeekFrom::Start(pos))
            .map_err(|e| EngineError::io("seek", path, e))?;
        f.read_exact(&mut ch).map_err(|_| bad("no data chunk"))?;
        let size = u32::from_le_bytes(ch[4..8].try_into().expect("4 bytes")) as u64;
        if &ch[0..4] == b"fmt " {
            let mut fmt = [0u8; 16];
            f.read_exact(&mut fmt)
                .map_err(|_| bad("truncated fmt chunk"))?;
            sample_rate = u32::from_le_bytes(fmt[4..8].try_into().expect("4 bytes"));
            block_align = u16::from_le_bytes(fmt[12..14].try_into().expect("2 bytes")) as u64;
        } else if &ch[0..4] == b"data" {
            if block_align == 0 || sample_rate == 0 {
                return Err(bad("data before a valid fmt chunk"));
            }
            let data_start = pos + 8;
            let available = len.saturating_sub(data_start);
            let data_len = available - available % block_align;
            let changed = size != data_len || len != data_start + data_len;
            if changed {
                f.set_len(data_start + data_len)
                    .map_err(|e| EngineError::io("truncate", path, e))?;
                f.seek(SeekFrom::Start(pos + 4))
                    .map_err(|e| EngineError::io("seek", path, e))?;
                f.write_all(&(data_len as u32).to_le_bytes())
                    .map_err(|e| EngineError::io("write", path, e))?;
                f.seek(SeekFrom::Start(4))
                    .map_err(|e| EngineError::io("seek", path, e))?;
                f.write_all(&((data_start + data_len - 8) as u32).to_le_bytes())
                    .map_err(|e| EngineError::io("write", path, e))?;
                f.sync_all().map_err(|e| EngineError::io("sync", path, e))?;
            }
            let frames = data_len / block_align;
            return Ok(Repaired {
                frames,
                sample_rate,
                duration_ms: frames as f64 * 1000.0 / sample_rate as f64,
                changed,
            });
        }
        pos += 8 + size + (size & 1);
        if pos >= len {
            return Err(bad("no data chunk"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_wav(path: &Path, frames: usize, rate: u32) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..frames {
            w.write_sample((i % 1000) as i16).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn a_consistent_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.wav");
        write_wav(&p, 16_000, 16_000);
        let before = std::fs::read(&p).unwrap();
        let r = repair_wav(&p).unwrap();
        assert_eq!(r.frames, 16_000);
        assert!(!r.changed);
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    #[test]
    fn a_crashed_file_gets_sizes_from_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.wav");
        write_wav(&p, 8_000, 16_000);
        // Simulate a crash after the last checkpoint: 4001 more bytes (2000.5 frames) were
        // appended but the header still says 8000 frames.
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(&vec![1u8; 4001]).unwrap();
        drop(f);
        let r = repair_wav(&p).unwrap();
        assert!(r.changed);
        assert_eq!(r.frames, 10_000);
        let reader = hound::WavReader::open(&p).unwrap();
        assert_eq!(reader.len(), 10_000);
        assert_eq!(reader.into_samples::<i16>().count(), 10_000);
    }

    #[test]
    fn garbage_is_refused_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("not.wav");
        std::fs::write(&p, b"hello").unwrap();
        let e = repair_wav(&p).unwrap_err().to_string();
        assert!(e.contains("not.wav") && e.contains("RIFF"), "{e}");
    }

    /// A writer that fails with "no space left" after `room` bytes.
    struct FullDisk {
        inner: std::io::Cursor<Vec<u8>>,
        room: u64,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.inner.position() + buf.len() as u64 > self.room {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            self.inner.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Seek for FullDisk {
        fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
            self.inner.seek(pos)
        }
    }

    /// Feeds a watch looks every 50 ms: `deliver(t)` says how many frames (48 kHz) have
    /// arrived by wall time t (ms).
    fn watch(until_ms: u64, deliver: impl Fn(u64) -> u64) -> Vec<DeliveryGap> {
        let mut w = StallWatch::new(48_000);
        let mut gaps = Vec::new();
        let mut frames = 0;
        for t in (0..=until_ms).step_by(50) {
            let now = deliver(t);
            gaps.extend(w.observe(t as f64, now, now > frames));
            frames = now;
        }
        gaps.extend(w.settle());
        gaps
    }

    #[test]
    fn late_blocks_are_not_stalls_but_lost_audio_is() {
        // Steady 100 ms buffers arriving 30 ms late: nothing.
        assert!(watch(20_000, |t| t.saturating_sub(30) / 100 * 4_800).is_empty());
        // 2 s blocks (PulseAudio's sine source): late, but everything arrives.
        assert!(watch(20_000, |t| t / 2_000 * 96_000).is_empty());
        // A 3 s stall at 5 s that loses its audio, then steady again.
        let stall = |t: u64| {
            let heard = if t < 5_000 {
                t
            } else if t < 8_000 {
                5_000
            } else {
                t - 3_000
            };
            heard / 100 * 4_800
        };
        let gaps = watch(20_000, stall);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert!((4_900..=5_000).contains(&gaps[0].at_ms), "{gaps:?}");
        assert!(gaps[0].length_ms.abs_diff(3_000) <= 150, "{gaps:?}");
        // A stall just before the end is still reported.
        let late = |t: u64| {
            if t < 18_000 {
                t / 100 * 4_800
            } else {
                18_000 / 100 * 4_800
            }
        };
        let gaps = watch(19_000, late);
        assert!(
            gaps.is_empty(),
            "no delivery after it: not yet known to be lost {gaps:?}"
        );
        let resumed = |t: u64| {
            if t < 15_000 {
                t
            } else if t < 17_000 {
                15_000
            } else {
                t - 2_000
            }
        };
        let gaps = watch(17_500, |t| resumed(t) / 100 * 4_800);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert!(gaps[0].length_ms.abs_diff(2_000) <= 150, "{gaps:?}");
    }

    #[test]
    fn disk_full_is_recognised() {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let disk = FullDisk {
            inner: std::io::Cursor::new(vec![]),
            room: 1000,
        };
        let mut w = hound::WavWriter::new(disk, spec).unwrap();
        let err = (0..2000)
            .try_for_each(|_| w.write_sample(1i16))
            .unwrap_err();
        assert!(is_disk_full(&err), "{err:?}");
    }
}
