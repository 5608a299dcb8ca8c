//! Output: plays a prepared mono buffer once on a device and reports when it started.
//! Like capture, the stream is owned by its own thread and the callback only copies.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, StreamTrait};

use super::{classify_error, find_device, Direction};
use crate::EngineError;

/// The result of playing a buffer.
#[derive(Debug, Clone)]
pub struct Played {
    pub device_id: String,
    pub device_name: String,
    pub sample_rate: u32,
    /// When the first callback asked for audio.
    pub started_at: Instant,
    pub duration: Duration,
}

/// Resamples mono audio by linear interpolation. Good enough for playback to a human and for
/// test tones; transcription uses a proper resampler.
pub fn resample_linear(input: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || input.is_empty() {
        return input.to_vec();
    }
    let ratio = from as f64 / to as f64;
    let n = ((input.len() as f64) / ratio).floor() as usize;
    (0..n)
        .map(|i| {
            let pos = i as f64 * ratio;
            let j = pos.floor() as usize;
            let frac = (pos - j as f64) as f32;
            let a = input[j];
            let b = *input.get(j + 1).unwrap_or(&a);
            a + (b - a) * frac
        })
        .collect()
}

/// Plays `mono` (at `rate` Hz) on `device_id` or the default output, blocking until done.
/// `gen` lets the caller produce the buffer at the device's native rate instead.
pub fn play_mono(
    device_id: Option<&str>,
    gen: impl FnOnce(u32) -> Vec<f32> + Send + 'static,
) -> Result<Played, EngineError> {
    let wanted = device_id.map(str::to_owned);
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("greenroom-output".into())
        .spawn(move || {
            let _ = tx.send(play_on_this_thread(wanted.as_deref(), gen));
        })
        .map_err(|e| EngineError::Audio {
            device: device_id.unwrap_or("default").into(),
            detail: format!("cannot start audio thread: {e}"),
        })?;
    rx.recv().unwrap_or_else(|_| {
        Err(EngineError::Audio {
            device: device_id.unwrap_or("default").into(),
            detail: "playback thread ended unexpectedly".into(),
        })
    })
}

fn play_on_this_thread(
    device_id: Option<&str>,
    gen: impl FnOnce(u32) -> Vec<f32>,
) -> Result<Played, EngineError> {
    let (device, id, name) = find_device(device_id, Direction::Output)?;
    let supported = device
        .default_output_config()
        .map_err(|e| classify_error(&e, &name))?;
    let rate = supported.sample_rate();
    let channels = supported.channels().max(1) as usize;
    let buffer: Arc<Vec<f32>> = Arc::new(gen(rate));
    let total = buffer.len();
    let pos = Arc::new(AtomicUsize::new(0));
    let first_at: Arc<std::sync::OnceLock<Instant>> = Arc::new(std::sync::OnceLock::new());
    let failed = Arc::new(AtomicBool::new(false));
    let (err_tx, err_rx) = mpsc::channel();
    let (buf_cb, pos_cb, first_cb) = (buffer.clone(), pos.clone(), first_at.clone());
    let on_data = move |data: &mut [f32], _: &cpal::OutputCallbackInfo| {
        let _ = first_cb.get_or_init(Instant::now);
        let mut p = pos_cb.load(Ordering::Relaxed);
        for frame in data.chunks_mut(channels) {
            let s = buf_cb.get(p).copied().unwrap_or(0.0);
            frame.iter_mut().for_each(|x| *x = s);
            p += 1;
        }
        pos_cb.store(p, Ordering::Relaxed);
    };
    let err_name = name.clone();
    let failed_cb = failed.clone();
    let on_error = move |e: cpal::Error| {
        failed_cb.store(true, Ordering::Relaxed);
        let _ = err_tx.send(classify_error(&e, &err_name));
    };
    let mut config = supported.config();
    config.channels = channels as u16;
    // ~50 ms of buffering: the default on PulseAudio is seconds, which would delay the tone
    // and cut it off when the stream is dropped.
    let wanted = (rate / 20).max(256);
    if let cpal::SupportedBufferSize::Range { min, max } = supported.buffer_size() {
        config.buffer_size = cpal::BufferSize::Fixed(wanted.clamp(*min, *max));
    }
    let stream = device
        .build_output_stream::<f32, _, _>(config, on_data, on_error, Some(Duration::from_secs(5)))
        .map_err(|e| classify_error(&e, &name))?;
    stream.play().map_err(|e| classify_error(&e, &name))?;
    let started = Instant::now();
    // Play the buffer plus a margin for the device's latency, then stop.
    let duration = Duration::from_secs_f64(total as f64 / rate as f64);
    let deadline = started + duration + Duration::from_millis(300);
    while Instant::now() < deadline {
        if failed.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stream);
    if let Ok(e) = err_rx.try_recv() {
        return Err(e);
    }
    Ok(Played {
        device_id: id,
        device_name: name,
        sample_rate: rate,
        started_at: *first_at.get().unwrap_or(&started),
        duration,
    })
}

#[cfg(test)]
mod tests {
    use super::resample_linear;

    #[test]
    fn linear_resampling_keeps_duration_and_shape() {
        let input: Vec<f32> = (0..48_000).map(|i| i as f32 / 48_000.0).collect();
        let out = resample_linear(&input, 48_000, 16_000);
        assert_eq!(out.len(), 16_000);
        assert!((out[8_000] - 0.5).abs() < 1e-3);
    }
}
