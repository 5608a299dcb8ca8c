//! Crash-safe recording of an answer: the input at its native rate, mixed to mono, written
//! as 16-bit PCM WAV while it is recorded. The header is rewritten twice a second, so a
//! killed process leaves a playable file missing at most the last half second, and
//! [`repair_wav`] makes any such file consistent again.

use std::fs::OpenOptions;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
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
const STALL: Duration = Duration::from_millis(1500);
const PRESENCE_EVERY: Duration = Duration::from_secs(1);

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
}

/// Receives every mono chunk as it is written (e.g. a streaming transcriber). Called on the
/// recorder's thread, never the audio callback; it must not block.
pub type RecordingTap = Box<dyn FnMut(&[f32]) + Send>;

/// Live state a UI can poll without locking.
#[derive(Debug, Default)]
pub struct RecordingProgress {
    frames: AtomicU64,
    peak_bits: AtomicU64,
}

impl RecordingProgress {
    pub fn frames(&self) -> u64 {
        self.frames.load(Ordering::Relaxed)
    }
    /// Peak level (dBFS) since the last call.
    pub fn take_peak_dbfs(&self) -> f64 {
        dbfs(f64::from_bits(self.peak_bits.swap(0, Ordering::Relaxed)))
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
        if !d.arrivals.is_empty() {
            last_data = Instant::now();
        }
        let mono = to_mono(&d.samples, channels);
        let before = frames;
        let written = write(&mono, &mut frames, &mut writer);
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
        let gone = stream.error().is_some()
            || last_data.elapsed() > STALL
            || (last_presence.elapsed() >= PRESENCE_EVERY && {
                last_presence = Instant::now();
                !presence.still_present()
            });
        if gone {
            reason = StopReason::DeviceGone;
            error = Some(format!(
                "'{}' disconnected or stopped delivering audio",
                stream.device_name
            ));
            break;
        }
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
