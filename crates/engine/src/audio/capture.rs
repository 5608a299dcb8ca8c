//! Input streams. The cpal `Stream` lives on its own thread (it is not `Send` everywhere);
//! its callback only converts samples to f32 and pushes them, with the arrival time of each
//! buffer, into lock-free ring buffers. No locks, allocation or I/O happen in the callback.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, StreamTrait};

use super::{classify_error, find_device, Direction, NativeFormat};
use crate::EngineError;

/// Seconds of audio the ring buffer holds before the consumer must have drained it.
const RING_SECONDS: usize = 4;
/// Buffer arrival records kept between drains.
const EVENT_CAPACITY: usize = 8192;

/// One buffer as delivered by the device: when it arrived and how many frames it held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BufferArrival {
    /// Milliseconds since the stream was started.
    pub at_ms: f64,
    pub frames: u32,
}

/// Peak level since the last read, shared with the UI meter without locks.
#[derive(Debug, Default)]
pub struct LevelMeter {
    peak_bits: AtomicU32,
}

impl LevelMeter {
    fn observe(&self, peak: f32) {
        // Max via CAS on the bit pattern: non-negative f32 bits order like the values.
        let mut cur = self.peak_bits.load(Ordering::Relaxed);
        while peak > f32::from_bits(cur) {
            match self.peak_bits.compare_exchange_weak(
                cur,
                peak.to_bits(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
    }

    /// The peak (0..1) since the previous call, resetting it.
    pub fn take_peak(&self) -> f32 {
        f32::from_bits(self.peak_bits.swap(0, Ordering::Relaxed))
    }
}

/// Counters the callback updates; read by the consumer.
#[derive(Debug, Default)]
struct Shared {
    overflowed_samples: AtomicU64,
    callbacks: AtomicU64,
    failed: AtomicBool,
}

/// A running input stream. Drop or [`InputStream::stop`] ends it.
pub struct InputStream {
    pub device_id: String,
    pub device_name: String,
    pub format: NativeFormat,
    started: Instant,
    samples: rtrb::Consumer<f32>,
    arrivals: rtrb::Consumer<BufferArrival>,
    errors: mpsc::Receiver<EngineError>,
    meter: Arc<LevelMeter>,
    shared: Arc<Shared>,
    stop: Option<mpsc::Sender<()>>,
    worker: Option<JoinHandle<()>>,
}

/// What [`InputStream::drain`] returns: interleaved samples and the buffers they came in.
#[derive(Debug, Default)]
pub struct Drained {
    pub samples: Vec<f32>,
    pub arrivals: Vec<BufferArrival>,
}

impl InputStream {
    /// Opens `device_id` (a `host:device` id) or the preferred host's default input, at the
    /// device's native format, and starts it.
    pub fn open(device_id: Option<&str>) -> Result<InputStream, EngineError> {
        let (ready_tx, ready_rx) = mpsc::sync_channel(1);
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let (err_tx, err_rx) = mpsc::channel();
        let meter = Arc::new(LevelMeter::default());
        let shared = Arc::new(Shared::default());
        let wanted = device_id.map(str::to_owned);
        let (meter2, shared2) = (meter.clone(), shared.clone());
        let worker = std::thread::Builder::new()
            .name("greenroom-input".into())
            .spawn(move || {
                let opened = open_on_this_thread(wanted.as_deref(), meter2, shared2, err_tx);
                match opened {
                    Ok((stream, info)) => {
                        let _ = ready_tx.send(Ok(info));
                        // Keep the stream alive until asked to stop (or the owner is gone).
                        let _ = stop_rx.recv();
                        let _ = stream.pause();
                        drop(stream);
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            })
            .map_err(|e| EngineError::Audio {
                device: device_id.unwrap_or("default").to_owned(),
                detail: format!("cannot start audio thread: {e}"),
            })?;
        let opened = ready_rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| EngineError::Audio {
                device: device_id.unwrap_or("default").to_owned(),
                detail: "the audio system did not answer within 10 s".into(),
            })?;
        let info = match opened {
            Ok(info) => info,
            Err(e) => {
                let _ = worker.join();
                return Err(e);
            }
        };
        Ok(InputStream {
            device_id: info.id,
            device_name: info.name,
            format: info.format,
            started: info.started,
            samples: info.samples,
            arrivals: info.arrivals,
            errors: err_rx,
            meter,
            shared,
            stop: Some(stop_tx),
            worker: Some(worker),
        })
    }

    pub fn meter(&self) -> Arc<LevelMeter> {
        self.meter.clone()
    }

    /// When the stream was started (arrival times count from here).
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Samples lost because the consumer did not drain in time (should stay 0).
    pub fn overflowed_samples(&self) -> u64 {
        self.shared.overflowed_samples.load(Ordering::Relaxed)
    }

    /// Takes everything delivered since the last drain.
    pub fn drain(&mut self) -> Drained {
        let mut out = Drained::default();
        let n = self.samples.slots();
        if let Ok(chunk) = self.samples.read_chunk(n) {
            let (a, b) = chunk.as_slices();
            out.samples.extend_from_slice(a);
            out.samples.extend_from_slice(b);
            chunk.commit_all();
        }
        let n = self.arrivals.slots();
        if let Ok(chunk) = self.arrivals.read_chunk(n) {
            let (a, b) = chunk.as_slices();
            out.arrivals.extend_from_slice(a);
            out.arrivals.extend_from_slice(b);
            chunk.commit_all();
        }
        out
    }

    /// The first error the device reported, if any (device gone, server died...).
    pub fn error(&self) -> Option<EngineError> {
        self.errors.try_recv().ok()
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

impl Drop for InputStream {
    fn drop(&mut self) {
        self.shutdown();
    }
}

struct OpenedInfo {
    id: String,
    name: String,
    format: NativeFormat,
    started: Instant,
    samples: rtrb::Consumer<f32>,
    arrivals: rtrb::Consumer<BufferArrival>,
}

fn open_on_this_thread(
    device_id: Option<&str>,
    meter: Arc<LevelMeter>,
    shared: Arc<Shared>,
    err_tx: mpsc::Sender<EngineError>,
) -> Result<(cpal::Stream, OpenedInfo), EngineError> {
    let (device, id, name) = find_device(device_id, Direction::Input)?;
    let supported = device
        .default_input_config()
        .map_err(|e| classify_error(&e, &name))?;
    let format = NativeFormat {
        sample_rate: supported.sample_rate(),
        channels: supported.channels(),
        sample_format: supported.sample_format().to_string(),
    };
    let mut config = supported.config();
    // Ask for ~100 ms buffers: left to itself PulseAudio delivers a record stream in 2 s
    // blocks, which would freeze the level meter and hide delivery gaps. Not smaller: cpal
    // sets the server's whole record buffer to one fragment, so a client that is late by
    // more than a fragment (a busy 2-core laptop) loses audio — dropouts we would cause and
    // then report as the microphone's fault.
    let wanted = (format.sample_rate / 10).max(64);
    config.buffer_size = match supported.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => {
            cpal::BufferSize::Fixed(wanted.clamp(*min, *max))
        }
        cpal::SupportedBufferSize::Unknown => cpal::BufferSize::Default,
    };
    let capacity = format.sample_rate as usize * format.channels as usize * RING_SECONDS;
    let (mut producer, samples) = rtrb::RingBuffer::<f32>::new(capacity);
    let (mut arrival_tx, arrivals) = rtrb::RingBuffer::<BufferArrival>::new(EVENT_CAPACITY);
    let channels = format.channels.max(1) as usize;
    let started = Instant::now();
    let err_name = name.clone();
    let shared_cb = shared.clone();
    let on_data = move |data: &cpal::Data, _: &cpal::InputCallbackInfo| {
        let at_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut peak = 0f32;
        let mut push = |s: f32| {
            peak = peak.max(s.abs());
            if producer.push(s).is_err() {
                shared_cb.overflowed_samples.fetch_add(1, Ordering::Relaxed);
            }
        };
        let n = data.len();
        match data.sample_format() {
            cpal::SampleFormat::F32 => data
                .as_slice::<f32>()
                .unwrap_or(&[])
                .iter()
                .for_each(|&s| push(s)),
            cpal::SampleFormat::I16 => data
                .as_slice::<i16>()
                .unwrap_or(&[])
                .iter()
                .for_each(|&s| push(s as f32 / 32768.0)),
            cpal::SampleFormat::I32 => data
                .as_slice::<i32>()
                .unwrap_or(&[])
                .iter()
                .for_each(|&s| push(s as f32 / 2_147_483_648.0)),
            cpal::SampleFormat::U8 => data
                .as_slice::<u8>()
                .unwrap_or(&[])
                .iter()
                .for_each(|&s| push((s as f32 - 128.0) / 128.0)),
            _ => {
                shared_cb.failed.store(true, Ordering::Relaxed);
            }
        }
        meter.observe(peak);
        shared_cb.callbacks.fetch_add(1, Ordering::Relaxed);
        let _ = arrival_tx.push(BufferArrival {
            at_ms,
            frames: (n / channels) as u32,
        });
    };
    let on_error = move |e: cpal::Error| {
        let _ = err_tx.send(classify_error(&e, &err_name));
    };
    let stream = device
        .build_input_stream_raw(
            config,
            supported.sample_format(),
            on_data,
            on_error,
            Some(Duration::from_secs(5)),
        )
        .map_err(|e| classify_error(&e, &name))?;
    stream.play().map_err(|e| classify_error(&e, &name))?;
    Ok((
        stream,
        OpenedInfo {
            id,
            name,
            format,
            started,
            samples,
            arrivals,
        },
    ))
}
