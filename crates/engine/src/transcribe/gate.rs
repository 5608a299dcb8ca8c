//! Energy gating before Whisper: which stretches of a recording hold a voice at all.
//!
//! Whisper invents text for silence and steady noise ("Thank you for watching", in Korean
//! too), so the transcriber only hands it audio where this finds voiced frames, and drops
//! segments that overlap none. A frame (20 ms) is voiced when its level stands clearly above
//! the recording's own noise floor (a low percentile of frame levels) and above an absolute
//! floor; isolated blips shorter than [`GateParams::min_run_ms`] do not count.

use std::ops::Range;

use super::pcm::{ms_to_samples, samples_to_ms, WHISPER_RATE};

/// Tuning of the gate. The defaults suit speech recorded at a sensible level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateParams {
    pub frame_ms: u32,
    /// A frame is voiced this many dB above the noise floor...
    pub margin_db: f32,
    /// ...and above this level (frame RMS, dBFS): quieter is "near silence".
    pub min_level_dbfs: f32,
    /// The noise floor is this percentile (0..1) of the frame levels.
    pub floor_percentile: f32,
    /// Voiced runs shorter than this are clicks or bumps, not speech.
    pub min_run_ms: u32,
    /// Audio kept around voiced stretches (word onsets and tails are quiet).
    pub pad_ms: u32,
}

impl Default for GateParams {
    fn default() -> Self {
        GateParams {
            frame_ms: 20,
            margin_db: 12.0,
            min_level_dbfs: -58.0,
            floor_percentile: 0.10,
            min_run_ms: 80,
            pad_ms: 300,
        }
    }
}

/// Voiced frames of one 16 kHz recording.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceMap {
    frame_len: usize,
    n_samples: usize,
    voiced: Vec<bool>,
    pad_frames: usize,
    /// The estimated noise floor and the threshold used, dBFS.
    pub noise_floor_dbfs: f32,
    pub threshold_dbfs: f32,
}

const SILENT_DB: f32 = -120.0;

fn frame_dbfs(frame: &[f32]) -> f32 {
    if frame.is_empty() {
        return SILENT_DB;
    }
    let energy = frame
        .iter()
        .map(|&s| f64::from(s) * f64::from(s))
        .sum::<f64>()
        / frame.len() as f64;
    if energy <= 1e-12 {
        SILENT_DB
    } else {
        (10.0 * energy.log10()) as f32
    }
}

impl VoiceMap {
    /// Analyses 16 kHz mono audio.
    pub fn detect(samples: &[f32], p: &GateParams) -> VoiceMap {
        let frame_len = (WHISPER_RATE as usize * p.frame_ms as usize / 1000).max(1);
        let levels: Vec<f32> = samples.chunks(frame_len).map(frame_dbfs).collect();
        let noise_floor_dbfs = if levels.is_empty() {
            SILENT_DB
        } else {
            let mut sorted = levels.clone();
            sorted.sort_by(f32::total_cmp);
            let idx = ((sorted.len() - 1) as f32 * p.floor_percentile.clamp(0.0, 1.0)) as usize;
            sorted[idx]
        };
        let threshold_dbfs = (noise_floor_dbfs + p.margin_db).max(p.min_level_dbfs);
        let mut voiced: Vec<bool> = levels.iter().map(|&l| l > threshold_dbfs).collect();
        // Drop runs that are too short to be speech.
        let min_run = (p.min_run_ms as usize).div_ceil(p.frame_ms as usize).max(1);
        let mut i = 0;
        while i < voiced.len() {
            if !voiced[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < voiced.len() && voiced[i] {
                i += 1;
            }
            if i - start < min_run {
                voiced[start..i].iter_mut().for_each(|v| *v = false);
            }
        }
        VoiceMap {
            frame_len,
            n_samples: samples.len(),
            voiced,
            pad_frames: (p.pad_ms as usize).div_ceil(p.frame_ms as usize),
            noise_floor_dbfs,
            threshold_dbfs,
        }
    }

    fn frames_of(&self, samples: Range<usize>) -> Range<usize> {
        let start = samples.start / self.frame_len;
        let end = samples
            .end
            .min(self.n_samples)
            .div_ceil(self.frame_len)
            .min(self.voiced.len());
        start.min(end)..end
    }

    /// Voiced time inside `samples` (a range of sample indices), in ms.
    pub fn voiced_ms(&self, samples: Range<usize>) -> u64 {
        let frames = self.frames_of(samples);
        let n = self.voiced[frames].iter().filter(|v| **v).count();
        samples_to_ms(n * self.frame_len)
    }

    /// Voiced time between `start_ms` and `end_ms`, counting the padding around voiced
    /// runs (so a segment whose timestamps are a little off still overlaps its speech).
    pub fn voiced_ms_padded(&self, start_ms: u64, end_ms: u64) -> u64 {
        let frames = self.frames_of(ms_to_samples(start_ms)..ms_to_samples(end_ms));
        let lo = frames.start.saturating_sub(self.pad_frames);
        let hi = (frames.end + self.pad_frames).min(self.voiced.len());
        if !self.voiced[lo..hi].iter().any(|v| *v) {
            return 0;
        }
        frames
            .filter(|&f| {
                let a = f.saturating_sub(self.pad_frames);
                let b = (f + self.pad_frames + 1).min(self.voiced.len());
                self.voiced[a..b].iter().any(|v| *v)
            })
            .count() as u64
            * samples_to_ms(self.frame_len)
    }

    /// The stretch of `samples` from its first to its last voiced frame, widened by the
    /// padding and kept inside `samples`; `None` when nothing in it is voiced.
    pub fn voiced_span(&self, samples: Range<usize>) -> Option<Range<usize>> {
        let frames = self.frames_of(samples.clone());
        let first = frames.clone().find(|&f| self.voiced[f])?;
        let last = frames.rev().find(|&f| self.voiced[f])?;
        let start = first.saturating_sub(self.pad_frames) * self.frame_len;
        let end = (last + 1 + self.pad_frames) * self.frame_len;
        Some(start.max(samples.start)..end.min(samples.end).min(self.n_samples))
    }

    /// Whether any frame is voiced.
    pub fn any_voiced(&self) -> bool {
        self.voiced.iter().any(|v| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic white noise at `dbfs` RMS.
    fn noise(n: usize, dbfs: f32, seed: u64) -> Vec<f32> {
        let mut x = seed | 1;
        let amp = 10f32.powf(dbfs / 20.0) * 3f32.sqrt(); // uniform: rms = amp / sqrt(3)
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ((x >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32 * amp
            })
            .collect()
    }

    /// A buzzy "voice": 150 Hz pulses with a syllable-rate envelope, at about -20 dBFS.
    fn voice(n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| {
                let t = i as f32 / 16_000.0;
                let env = (2.0 * std::f32::consts::PI * 4.0 * t).sin().abs();
                0.3 * env * (2.0 * std::f32::consts::PI * 150.0 * t).sin().signum()
            })
            .collect()
    }

    #[test]
    fn silence_and_steady_noise_have_no_voice() {
        let p = GateParams::default();
        assert!(!VoiceMap::detect(&vec![0.0; 48_000], &p).any_voiced());
        assert!(!VoiceMap::detect(&[], &p).any_voiced());
        for db in [-80.0, -60.0, -30.0, -10.0] {
            let m = VoiceMap::detect(&noise(80_000, db, 7), &p);
            assert!(
                !m.any_voiced(),
                "{db} dBFS noise: floor {}",
                m.noise_floor_dbfs
            );
        }
        // One click is not speech.
        let mut x = vec![0.0; 32_000];
        x[16_000..16_160].iter_mut().for_each(|s| *s = 0.9);
        assert!(!VoiceMap::detect(&x, &p).any_voiced());
    }

    #[test]
    fn voice_is_found_in_silence_and_in_noise() {
        let p = GateParams::default();
        // 1 s silence, 1 s voice, 1 s silence.
        let mut x = vec![0.0; 16_000];
        x.extend(voice(16_000));
        x.extend(vec![0.0; 16_000]);
        let m = VoiceMap::detect(&x, &p);
        let span = m.voiced_span(0..x.len()).unwrap();
        assert!(
            span.start >= 16_000 - 6_000 && span.start <= 16_000,
            "{span:?}"
        );
        assert!(span.end >= 32_000 && span.end <= 32_000 + 6_000, "{span:?}");
        assert!(m.voiced_span(0..12_000).is_none());
        assert!(m.voiced_ms(16_000..32_000) > 500);
        assert_eq!(m.voiced_ms_padded(0, 500), 0);
        assert!(m.voiced_ms_padded(1000, 2000) > 500);

        // The same voice over -45 dBFS noise.
        let n = noise(x.len(), -45.0, 3);
        let y: Vec<f32> = x.iter().zip(&n).map(|(a, b)| a + b).collect();
        let m = VoiceMap::detect(&y, &p);
        assert!(
            m.any_voiced(),
            "floor {} thr {}",
            m.noise_floor_dbfs,
            m.threshold_dbfs
        );
        assert!(m.voiced_span(0..12_000).is_none());
    }
}
