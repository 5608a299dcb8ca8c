//! Audio for Whisper: any WAV file (8/16/24/32-bit integer or 32-bit float, any rate and
//! channel count) to 16 kHz mono `f32`, resampled in software with a band-limited FFT
//! resampler (rubato).

use std::path::Path;

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use crate::EngineError;

pub use greenroom_core::speech::{ms_to_samples, samples_to_ms, WHISPER_RATE};

/// A WAV file read for transcription.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio16k {
    /// Mono samples at [`WHISPER_RATE`].
    pub samples: Vec<f32>,
    /// The file's own rate and channel count.
    pub source_rate: u32,
    pub source_channels: u16,
}

impl Audio16k {
    pub fn duration_ms(&self) -> u64 {
        samples_to_ms(self.samples.len())
    }
}

/// Reads a WAV file and converts it to 16 kHz mono.
pub fn read_wav_16k(path: &Path) -> Result<Audio16k, EngineError> {
    let reader = hound::WavReader::open(path).map_err(|e| wav_error(path, e))?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(bad_audio(
            path,
            format!(
                "{} channels at {} Hz: both must be positive",
                spec.channels, spec.sample_rate
            ),
        ));
    }
    let interleaved: Vec<f32> = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Float, 32) => reader
            .into_samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| wav_error(path, e))?,
        (hound::SampleFormat::Int, bits @ 1..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| (f64::from(v) * scale) as f32))
                .collect::<Result<_, _>>()
                .map_err(|e| wav_error(path, e))?
        }
        (format, bits) => {
            return Err(bad_audio(
                path,
                format!("{bits}-bit {format:?} samples are not supported"),
            ))
        }
    };
    let mono = to_mono(&interleaved, usize::from(spec.channels));
    let samples = resample_to_16k(&mono, spec.sample_rate)?;
    Ok(Audio16k {
        samples,
        source_rate: spec.sample_rate,
        source_channels: spec.channels,
    })
}

/// Averages interleaved channels into one.
pub fn to_mono(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    let inv = 1.0 / channels as f32;
    interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() * inv)
        .collect()
}

/// Resamples mono audio from `rate` to 16 kHz (band-limited, delay-compensated, the same
/// length in time). 16 kHz input is returned as is.
pub fn resample_to_16k(mono: &[f32], rate: u32) -> Result<Vec<f32>, EngineError> {
    if rate == WHISPER_RATE || mono.is_empty() {
        return Ok(mono.to_vec());
    }
    let resample_err = |detail: String| EngineError::InvalidArgument {
        name: "audio".into(),
        detail: format!("cannot resample {rate} Hz to {WHISPER_RATE} Hz: {detail}"),
    };
    let mut resampler = Fft::<f32>::new(
        rate as usize,
        WHISPER_RATE as usize,
        1024,
        1,
        FixedSync::Both,
    )
    .map_err(|e| resample_err(e.to_string()))?;
    let input =
        InterleavedSlice::new(mono, 1, mono.len()).map_err(|e| resample_err(e.to_string()))?;
    let out = resampler
        .process_all(&input, mono.len(), None)
        .map_err(|e| resample_err(e.to_string()))?;
    Ok(out.take_data())
}

fn bad_audio(path: &Path, detail: String) -> EngineError {
    EngineError::InvalidArgument {
        name: "audio file".into(),
        detail: format!("'{}': {detail}", path.display()),
    }
}

fn wav_error(path: &Path, e: hound::Error) -> EngineError {
    match e {
        hound::Error::IoError(e) => EngineError::io("read", path, e),
        other => bad_audio(path, format!("not a readable WAV file ({other})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, freq: f32, secs: f32) -> Vec<f32> {
        (0..(rate as f32 * secs) as usize)
            .map(|i| 0.5 * (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin())
            .collect()
    }

    /// Amplitude of `freq` in `x` (single-bin DFT), 0..1 for a full-scale sine of 1.0.
    fn tone_amplitude(x: &[f32], rate: u32, freq: f32) -> f32 {
        let (mut re, mut im) = (0.0f64, 0.0f64);
        for (i, &v) in x.iter().enumerate() {
            let ph = 2.0 * std::f64::consts::PI * f64::from(freq) * i as f64 / f64::from(rate);
            re += f64::from(v) * ph.cos();
            im += f64::from(v) * ph.sin();
        }
        (2.0 * (re * re + im * im).sqrt() / x.len() as f64) as f32
    }

    #[test]
    fn resampling_keeps_length_and_tone_and_removes_what_16k_cannot_hold() {
        for rate in [8_000, 22_050, 44_100, 48_000, 96_000] {
            let x = sine(rate, 1000.0, 1.0);
            let y = resample_to_16k(&x, rate).unwrap();
            let expected = 16_000usize;
            assert!(
                y.len().abs_diff(expected) <= 2,
                "{rate} Hz: {} samples",
                y.len()
            );
            // Delay compensated: the tone is in phase with a fresh 16 kHz sine.
            let a = tone_amplitude(&y[1000..15000], 16_000, 1000.0);
            assert!((a - 0.5).abs() < 0.02, "{rate} Hz: amplitude {a}");
        }
        // 12 kHz is above 16 kHz's Nyquist frequency: filtered out, not aliased to 4 kHz.
        let x = sine(48_000, 12_000.0, 1.0);
        let y = resample_to_16k(&x, 48_000).unwrap();
        let alias = tone_amplitude(&y[1000..15000], 16_000, 4000.0);
        assert!(alias < 0.01, "alias {alias}");
    }

    #[test]
    fn mono_mix_and_wav_formats() {
        assert_eq!(to_mono(&[1.0, 0.0, 0.5, 0.5], 2), vec![0.5, 0.5]);
        let dir = tempfile::tempdir().unwrap();
        let tone = sine(44_100, 440.0, 0.5);
        for (bits, format) in [
            (8, hound::SampleFormat::Int),
            (16, hound::SampleFormat::Int),
            (24, hound::SampleFormat::Int),
            (32, hound::SampleFormat::Int),
            (32, hound::SampleFormat::Float),
        ] {
            let path = dir.path().join(format!("t{bits}{format:?}.wav"));
            let spec = hound::WavSpec {
                channels: 2,
                sample_rate: 44_100,
                bits_per_sample: bits,
                sample_format: format,
            };
            let mut w = hound::WavWriter::create(&path, spec).unwrap();
            for &s in &tone {
                for _ in 0..2 {
                    match format {
                        hound::SampleFormat::Float => w.write_sample(s).unwrap(),
                        hound::SampleFormat::Int => {
                            let max = ((1i64 << (bits - 1)) - 1) as f32;
                            let v = (s * max) as i32;
                            if bits == 8 {
                                w.write_sample(v as i8).unwrap()
                            } else if bits == 16 {
                                w.write_sample(v as i16).unwrap()
                            } else {
                                w.write_sample(v).unwrap()
                            }
                        }
                    }
                }
            }
            w.finalize().unwrap();
            let a = read_wav_16k(&path).unwrap();
            assert_eq!((a.source_rate, a.source_channels), (44_100, 2));
            assert!(a.samples.len().abs_diff(8000) <= 2, "{}", a.samples.len());
            let amp = tone_amplitude(&a.samples[500..7500], 16_000, 440.0);
            assert!((amp - 0.5).abs() < 0.03, "{bits} {format:?}: {amp}");
        }
        let junk = dir.path().join("junk.wav");
        std::fs::write(&junk, b"not a wav file at all").unwrap();
        let err = read_wav_16k(&junk).unwrap_err();
        assert!(
            matches!(err, EngineError::InvalidArgument { .. }),
            "{err:?}"
        );
        let missing = read_wav_16k(&dir.path().join("missing.wav")).unwrap_err();
        assert!(matches!(missing, EngineError::Io { .. }), "{missing:?}");
    }
}
