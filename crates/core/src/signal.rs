//! Audio metrics on `f32` samples in -1..1: levels, clipping, noise floor, SNR, DC offset,
//! dropouts, clicks, delivery timing and test-tone detection, plus the generators the tests
//! and the engine's harness use to build audio with known faults.
//!
//! Everything here is a pure function of the samples (and of arrival times the engine
//! recorded), so each rule can be checked against generated signals in milliseconds.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::stats::percentile;

/// The level reported for true silence; `dbfs(0.0)` is floored here instead of `-inf`
/// so the value survives JSON and sorts with real levels.
pub const SILENCE_DBFS: f64 = -120.0;
/// A sample at or above this magnitude counts as clipped: converters and drivers rarely
/// reach exactly 1.0, but a clipped stream sits at 0.99+ for several samples in a row.
pub const CLIP_LEVEL: f32 = 0.99;
/// Runs this long (samples at clip level in a row) are clipping, not a lucky peak.
pub const CLIP_RUN_MIN: usize = 3;
/// A stream whose samples vary less than this is "digitally silent" (muted, denied, blocked).
pub const SILENCE_SPAN: f32 = 1e-6;
/// Window for the level distribution (noise floor and speech level).
pub const LEVEL_WINDOW_MS: f64 = 20.0;
/// Runs of exact zeros at least this long are dropouts: real microphones never output a
/// stretch of exact zeros in the middle of a live signal.
pub const DROPOUT_MIN_MS: f64 = 5.0;

/// Click detector: block length of the local noise scale.
const CLICK_BLOCK_MS: f64 = 4.0;
/// Click detector: a residual must exceed this many local sigmas...
const CLICK_SIGMAS: f32 = 10.0;
/// ...and this absolute value, so quiet hiss and dither never count.
const CLICK_MIN_ABS: f32 = 0.1;
/// Detections closer than this to the start of a click belong to the same click (a
/// single-sample spike disturbs three residual samples).
const CLICK_MERGE_MS: f64 = 2.0;
/// Detections this close to the edge of a zero run are the dropout's edges, already
/// reported as a dropout.
const CLICK_EDGE_GUARD_MS: f64 = 2.0;

/// Level of an amplitude in dB relative to full scale (1.0): `20·log10(|a|)`, floored at
/// [`SILENCE_DBFS`] so silence reads -120 rather than `-inf`.
pub fn dbfs(amplitude: f64) -> f64 {
    let a = amplitude.abs();
    if a > 0.0 {
        (20.0 * a.log10()).max(SILENCE_DBFS)
    } else {
        SILENCE_DBFS
    }
}

/// Level of a power (mean square) in dBFS, floored like [`dbfs`].
fn power_dbfs(power: f64) -> f64 {
    if power > 0.0 {
        (10.0 * power.log10()).max(SILENCE_DBFS)
    } else {
        SILENCE_DBFS
    }
}

/// Linear amplitude of a dBFS level (inverse of [`dbfs`]).
pub fn from_dbfs(level_dbfs: f64) -> f64 {
    10f64.powf(level_dbfs / 20.0)
}

/// Averages interleaved channels into one. Speech checks judge what the mic picked up, and
/// a stereo mic carries the same voice on both channels; a trailing partial frame is dropped.
pub fn to_mono(interleaved: &[f32], channels: u16) -> Vec<f32> {
    let ch = usize::from(channels);
    if ch <= 1 {
        return interleaved.to_vec();
    }
    interleaved
        .chunks_exact(ch)
        .map(|frame| frame.iter().sum::<f32>() / ch as f32)
        .collect()
}

/// What [`analyze`] measured on a mono recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SignalStats {
    #[ts(type = "number")]
    pub sample_count: u64,
    pub sample_rate: u32,
    pub duration_ms: f64,
    /// RMS of the whole recording (DC included), dBFS; a full-scale sine reads -3.0.
    pub rms_dbfs: f64,
    /// Largest absolute sample, dBFS.
    pub peak_dbfs: f64,
    /// Mean of the samples outside exact-zero runs (linear, -1..1).
    pub dc_offset: f64,
    /// All samples equal (zeros or a constant): a muted, blocked or denied device.
    pub digital_silence: bool,
    /// Share of samples with `|x| >= CLIP_LEVEL` (0..1).
    pub clipped_share: f64,
    /// Runs of at least [`CLIP_RUN_MIN`] clipped samples in a row.
    #[ts(type = "number")]
    pub clip_runs: u64,
    /// Longest run of clipped samples, in samples.
    #[ts(type = "number")]
    pub longest_clip_run: u64,
    /// 10th percentile of 20 ms window RMS (DC removed), dBFS: the room between words.
    pub noise_floor_dbfs: f64,
    /// 95th percentile of 20 ms window RMS (DC removed), dBFS: the loud parts of speech.
    pub speech_level_dbfs: f64,
    /// `speech_level_dbfs - noise_floor_dbfs`.
    pub snr_db: f64,
    /// Runs of exact zeros of at least [`DROPOUT_MIN_MS`] inside a live signal.
    #[ts(type = "number")]
    pub dropouts: u64,
    /// Total length of those runs.
    pub dropout_ms: f64,
    /// Impulsive discontinuities (single-sample spikes, steps), merged within 2 ms.
    #[ts(type = "number")]
    pub clicks: u64,
    pub clicks_per_s: f64,
}

/// Measures a MONO recording (use [`to_mono`] first).
///
/// Noise floor and speech level come from the distribution of 20 ms window levels, so one
/// number describes the pauses and one the speech without needing a voice detector.
/// Exact-zero stretches of 5 ms or more (dropouts, or the silence some devices deliver before
/// the first real block) are left out of the level distribution and of the DC offset: they
/// are reported as dropouts and must not make the noise floor look better than it is.
/// The edges of such stretches are not counted again as clicks.
pub fn analyze(samples: &[f32], sample_rate: u32) -> SignalStats {
    let n = samples.len();
    let sr = f64::from(sample_rate.max(1));
    let duration_ms = n as f64 / sr * 1000.0;

    let mut sum_sq = 0.0f64;
    let mut peak = 0.0f32;
    let mut min = f32::INFINITY;
    let mut max = f32::NEG_INFINITY;
    let mut clipped = 0u64;
    let mut clip_runs = 0u64;
    let mut longest_clip_run = 0u64;
    let mut run = 0u64;
    for &x in samples {
        sum_sq += f64::from(x) * f64::from(x);
        peak = peak.max(x.abs());
        min = min.min(x);
        max = max.max(x);
        if x.abs() >= CLIP_LEVEL {
            clipped += 1;
            run += 1;
        } else {
            if run >= CLIP_RUN_MIN as u64 {
                clip_runs += 1;
            }
            longest_clip_run = longest_clip_run.max(run);
            run = 0;
        }
    }
    if run >= CLIP_RUN_MIN as u64 {
        clip_runs += 1;
    }
    longest_clip_run = longest_clip_run.max(run);

    let digital_silence = n == 0 || (max - min) < SILENCE_SPAN;
    let rms_dbfs = if n == 0 {
        SILENCE_DBFS
    } else {
        power_dbfs(sum_sq / n as f64)
    };

    // Exact-zero runs long enough to be dropouts. All of them are masked out of the level
    // statistics; only those with live signal on both sides count as dropouts (leading and
    // trailing zeros are the stream starting or stopping).
    let min_zero_run = ((DROPOUT_MIN_MS / 1000.0 * sr).ceil() as usize).max(1);
    let zero_runs = if digital_silence {
        Vec::new()
    } else {
        zero_runs(samples, min_zero_run)
    };
    let mut masked = vec![false; n];
    for &(start, len) in &zero_runs {
        masked[start..start + len]
            .iter_mut()
            .for_each(|m| *m = true);
    }
    let inside: Vec<(usize, usize)> = zero_runs
        .iter()
        .copied()
        .filter(|&(start, len)| start > 0 && start + len < n)
        .collect();
    let dropouts = inside.len() as u64;
    let dropout_ms = inside.iter().map(|&(_, len)| len).sum::<usize>() as f64 / sr * 1000.0;

    let (valid_sum, valid_count) = samples
        .iter()
        .zip(&masked)
        .filter(|(_, &m)| !m)
        .fold((0.0f64, 0usize), |(s, c), (&x, _)| {
            (s + f64::from(x), c + 1)
        });
    let dc_offset = if valid_count == 0 {
        0.0
    } else {
        valid_sum / valid_count as f64
    };

    let (noise_floor_dbfs, speech_level_dbfs) = if digital_silence {
        (SILENCE_DBFS, SILENCE_DBFS)
    } else {
        let mut levels = window_levels(samples, &masked, dc_offset, sr);
        levels.sort_by(f64::total_cmp);
        if levels.is_empty() {
            (SILENCE_DBFS, SILENCE_DBFS)
        } else {
            (percentile(&levels, 10.0), percentile(&levels, 95.0))
        }
    };

    let clicks = if digital_silence {
        0
    } else {
        count_clicks(samples, &zero_runs, sr)
    };
    let clicks_per_s = if duration_ms > 0.0 {
        clicks as f64 / (duration_ms / 1000.0)
    } else {
        0.0
    };

    SignalStats {
        sample_count: n as u64,
        sample_rate,
        duration_ms,
        rms_dbfs,
        peak_dbfs: dbfs(f64::from(peak)),
        dc_offset,
        digital_silence,
        clipped_share: if n == 0 {
            0.0
        } else {
            clipped as f64 / n as f64
        },
        clip_runs,
        longest_clip_run,
        noise_floor_dbfs,
        speech_level_dbfs,
        snr_db: speech_level_dbfs - noise_floor_dbfs,
        dropouts,
        dropout_ms,
        clicks,
        clicks_per_s,
    }
}

/// Maximal runs of exact 0.0 of at least `min_len` samples, as `(start, len)`.
fn zero_runs(samples: &[f32], min_len: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, &x) in samples.iter().enumerate() {
        match (x == 0.0, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= min_len {
                    runs.push((s, i - s));
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        if samples.len() - s >= min_len {
            runs.push((s, samples.len() - s));
        }
    }
    runs
}

/// RMS level (dBFS, DC removed) of each 20 ms window, over its unmasked samples. Windows
/// that are mostly masked are skipped; a recording shorter than one window is one window.
fn window_levels(samples: &[f32], masked: &[bool], dc: f64, sr: f64) -> Vec<f64> {
    let len = ((LEVEL_WINDOW_MS / 1000.0 * sr).round() as usize).max(1);
    let level = |range: std::ops::Range<usize>| -> Option<f64> {
        let (sum, count) = samples[range.clone()]
            .iter()
            .zip(&masked[range.clone()])
            .filter(|(_, &m)| !m)
            .fold((0.0f64, 0usize), |(s, c), (&x, _)| {
                let ac = f64::from(x) - dc;
                (s + ac * ac, c + 1)
            });
        (count * 2 >= range.len() && count > 0).then(|| power_dbfs(sum / count as f64))
    };
    if samples.len() < len {
        return level(0..samples.len()).into_iter().collect();
    }
    (0..samples.len() / len)
        .filter_map(|w| level(w * len..(w + 1) * len))
        .collect()
}

/// Counts clicks: samples the signal's recent past does not predict.
///
/// The residual of a linear predictor, `e[n] = x[n] - (2·x[n-1] - x[n-2])` (the second
/// difference), is tiny for speech and smooth tones but jumps at a spike or step. It is
/// compared with a local noise scale: the 75th percentile of `|e|` in 4 ms blocks, taken as
/// the largest of the sample's block and its two neighbours. Using the largest neighbour
/// means a noise burst or a word that starts abruptly raises its own threshold, while a
/// lone spike in quiet or tonal audio stands out. White noise has a steady scale, so it
/// never fires; a full-level sine up to 8 kHz (at 48 kHz) has `|e|` no larger than its own
/// scale. Detections next to clipped samples belong to the clipping check, those within
/// 2 ms of an exact-zero run to the dropout count.
///
/// Limitation: a very bright buzz (a raw sawtooth, 1/k harmonics) at 16 kHz puts a pulse in
/// the residual every pitch period and can read as clicks; voiced speech falls off about
/// 12 dB per octave and stays far below the 0.1 floor at any common rate.
fn count_clicks(x: &[f32], zero_runs: &[(usize, usize)], sr: f64) -> u64 {
    let n = x.len();
    if n < 3 {
        return 0;
    }
    let residual: Vec<f32> = (0..n)
        .map(|i| {
            if i < 2 {
                0.0
            } else {
                (x[i] - 2.0 * x[i - 1] + x[i - 2]).abs()
            }
        })
        .collect();

    let block = ((CLICK_BLOCK_MS / 1000.0 * sr).round() as usize).max(8);
    let mut scratch = Vec::with_capacity(block);
    let scales: Vec<f32> = residual
        .chunks(block)
        .map(|chunk| {
            scratch.clear();
            scratch.extend_from_slice(chunk);
            let k = (scratch.len() * 3 / 4).min(scratch.len() - 1);
            let (_, q75, _) = scratch.select_nth_unstable_by(k, f32::total_cmp);
            // 75th percentile of |N(0, σ)| is 1.15 σ.
            *q75 / 1.15
        })
        .collect();

    // Samples near the edges of zero runs (and inside them) are not judged.
    let guard = (CLICK_EDGE_GUARD_MS / 1000.0 * sr).ceil() as usize;
    let mut excluded = vec![false; n];
    for &(start, len) in zero_runs {
        let lo = start.saturating_sub(guard);
        let hi = (start + len + guard + 2).min(n);
        excluded[lo..hi].iter_mut().for_each(|e| *e = true);
    }

    let merge = (CLICK_MERGE_MS / 1000.0 * sr).round() as usize;
    let mut clicks = 0u64;
    let mut current: Option<usize> = None;
    for i in 2..n {
        if excluded[i] {
            continue;
        }
        let b = i / block;
        let local = scales[b.saturating_sub(1)..(b + 2).min(scales.len())]
            .iter()
            .copied()
            .fold(0.0f32, f32::max);
        let threshold = CLICK_MIN_ABS.max(CLICK_SIGMAS * local);
        if residual[i] <= threshold {
            continue;
        }
        if x[i - 2..=i].iter().any(|s| s.abs() >= CLIP_LEVEL) {
            continue;
        }
        match current {
            Some(start) if i - start <= merge => {}
            _ => {
                clicks += 1;
                current = Some(i);
            }
        }
    }
    clicks
}

// ---------------------------------------------------------------------------------------
// Delivery timing
// ---------------------------------------------------------------------------------------

/// One audio callback as the engine saw it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Arrival {
    /// When the callback ran, in ms since the stream was started.
    pub at_ms: f64,
    /// Frames (samples per channel) it delivered.
    pub frames: u32,
}

/// Arrival times of a capture stream's callbacks, recorded by the engine (the only part that
/// owns a clock) and judged here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Delivery {
    /// The sample rate the stream was opened with.
    pub nominal_rate: u32,
    /// Callbacks in arrival order.
    pub arrivals: Vec<Arrival>,
}

impl Delivery {
    pub fn new(nominal_rate: u32) -> Self {
        Self {
            nominal_rate,
            arrivals: Vec::new(),
        }
    }

    /// Records one callback; cheap enough for the consumer thread (not the audio callback).
    pub fn record(&mut self, at_ms: f64, frames: u32) {
        self.arrivals.push(Arrival { at_ms, frames });
    }
}

/// What [`delivery_stats`] found about how audio arrived.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct DeliveryStats {
    #[ts(type = "number")]
    pub callbacks: u64,
    #[ts(type = "number")]
    pub frames: u64,
    /// Time from the first to the last callback.
    pub span_ms: f64,
    pub median_interval_ms: f64,
    /// Frames per second actually delivered; `None` with too few callbacks to tell.
    pub effective_rate_hz: Option<f64>,
    /// `(effective - nominal) / nominal`, in percent.
    pub rate_error_pct: Option<f64>,
    /// Pauses in delivery whose time was never made up (audio was lost).
    #[ts(type = "number")]
    pub gaps: u64,
    /// Audio time lost in those gaps, in total.
    pub gap_ms: f64,
    /// The largest single loss.
    pub longest_gap_ms: f64,
}

/// A pause must be this many median intervals long to be a gap candidate...
const GAP_INTERVAL_FACTOR: f64 = 3.0;
/// ...and at least this long...
const GAP_MIN_INTERVAL_MS: f64 = 40.0;
/// ...and leave at least this much wall time not covered by audio, once any burst of
/// buffered audio that follows it (within `GAP_CATCH_UP_MS`) has arrived.
const GAP_MIN_LOST_MS: f64 = 20.0;
const GAP_CATCH_UP_MS: f64 = 100.0;
/// Fewer callbacks after the first than this, or a shorter span, and the rate is unknown.
const RATE_MIN_POINTS: usize = 3;
const RATE_MIN_SPAN_MS: f64 = 100.0;

/// Judges delivery timing: effective sample rate and gaps.
///
/// A gap is a pause in callbacks (longer than 3× the median interval and 40 ms) after
/// which the audio delivered falls behind the wall clock by at least 20 ms even after the
/// following 100 ms of callbacks: audio was dropped. A pause followed by a burst of
/// buffered audio loses nothing and is not a gap (PulseAudio delivers in bursts at start).
///
/// The effective rate is the slope of a least-squares line through (arrival time,
/// cumulative frames) over the callbacks AFTER the first: the first callback carries the
/// stream's start-up latency and whatever was buffered meanwhile, which would bias a plain
/// frames/elapsed ratio. Time lost in gaps is taken out of the arrival times before the
/// fit, so dropped audio is reported as gaps and not a second time as a wrong rate.
/// Wall-clock time (ms since the stream started) at which mono frame `frame` was captured,
/// from the buffers' arrival times: a frame is captured a buffer-length before its buffer
/// arrives. Sample positions alone drift from the clock when the device starts late.
pub fn capture_time_ms(arrivals: &[Arrival], frame: u64, sample_rate: u32) -> Option<f64> {
    let mut cumulative = 0u64;
    for a in arrivals {
        cumulative += a.frames as u64;
        if cumulative > frame {
            let after = (cumulative - frame) as f64;
            return Some(a.at_ms - after * 1000.0 / sample_rate as f64);
        }
    }
    None
}

pub fn delivery_stats(d: &Delivery) -> DeliveryStats {
    let a = &d.arrivals;
    let frames: u64 = a.iter().map(|x| u64::from(x.frames)).sum();
    let mut stats = DeliveryStats {
        callbacks: a.len() as u64,
        frames,
        ..DeliveryStats::default()
    };
    if a.len() < 2 {
        return stats;
    }
    stats.span_ms = a[a.len() - 1].at_ms - a[0].at_ms;
    let mut intervals: Vec<f64> = a.windows(2).map(|w| w[1].at_ms - w[0].at_ms).collect();
    intervals.sort_by(f64::total_cmp);
    let median = percentile(&intervals, 50.0);
    stats.median_interval_ms = median;

    // Wall time minus audio time since the first callback: flat while delivery keeps up,
    // a lasting step up where audio was lost.
    let nominal = f64::from(d.nominal_rate);
    let mut cumulative = Vec::with_capacity(a.len());
    let mut total = 0u64;
    for x in a {
        total += u64::from(x.frames);
        cumulative.push(total);
    }
    let behind: Vec<f64> = if nominal > 0.0 {
        (0..a.len())
            .map(|i| {
                (a[i].at_ms - a[0].at_ms)
                    - (cumulative[i] - cumulative[0]) as f64 * 1000.0 / nominal
            })
            .collect()
    } else {
        vec![0.0; a.len()]
    };

    // Cumulative time lost before each callback, to correct the rate fit.
    let mut lost_before = vec![0.0f64; a.len()];
    let long = (GAP_INTERVAL_FACTOR * median).max(GAP_MIN_INTERVAL_MS);
    let mut lost_so_far = 0.0;
    for i in 1..a.len() {
        let interval = a[i].at_ms - a[i - 1].at_ms;
        if nominal > 0.0 && interval > long {
            let settled = (i..a.len())
                .take_while(|&j| a[j].at_ms <= a[i].at_ms + GAP_CATCH_UP_MS)
                .map(|j| behind[j])
                .fold(f64::INFINITY, f64::min);
            let lost = settled - behind[i - 1];
            if lost >= GAP_MIN_LOST_MS {
                stats.gaps += 1;
                stats.gap_ms += lost;
                stats.longest_gap_ms = stats.longest_gap_ms.max(lost);
                lost_so_far += lost;
            }
        }
        lost_before[i] = lost_so_far;
    }

    let points: Vec<(f64, f64)> = (1..a.len())
        .map(|i| (a[i].at_ms - lost_before[i], cumulative[i] as f64))
        .collect();
    let t_span = points.last().map_or(0.0, |p| p.0) - points.first().map_or(0.0, |p| p.0);
    if points.len() >= RATE_MIN_POINTS && t_span >= RATE_MIN_SPAN_MS {
        let count = points.len() as f64;
        let mean_t = points.iter().map(|p| p.0).sum::<f64>() / count;
        let mean_f = points.iter().map(|p| p.1).sum::<f64>() / count;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for &(t, f) in &points {
            sxy += (t - mean_t) * (f - mean_f);
            sxx += (t - mean_t) * (t - mean_t);
        }
        if sxx > 0.0 {
            let rate = sxy / sxx * 1000.0;
            stats.effective_rate_hz = Some(rate);
            if nominal > 0.0 {
                stats.rate_error_pct = Some((rate - nominal) / nominal * 100.0);
            }
        }
    }
    stats
}

// ---------------------------------------------------------------------------------------
// Test tone (speaker -> mic loopback)
// ---------------------------------------------------------------------------------------

/// Length of the fade at each end of [`test_tone`]: long enough that the speaker does not
/// click, short enough to keep the onset sharp.
pub const TONE_FADE_MS: f64 = 10.0;
const TONE_WINDOW_MS: f64 = 20.0;
/// Windows per window length (hop = 2.5 ms at 20 ms windows).
const TONE_HOPS_PER_WINDOW: usize = 8;
/// The tone must stand this far (power ratio, 20 dB) above the quiet part of the capture...
const TONE_ABOVE_BACKGROUND: f64 = 100.0;
/// ...carry at least this share of the window's energy...
const TONE_DOMINANCE: f64 = 0.5;
/// ...be louder than this (amplitude, -100 dBFS)...
const TONE_MIN_AMPLITUDE: f64 = 1e-5;
/// ...for at least this many windows in a row (about 40 ms of tone).
const TONE_MIN_WINDOWS: usize = 9;

/// A sine of `freq_hz` lasting `ms`, peak `amplitude`, with a 10 ms raised-cosine fade in
/// and out (so the speaker does not click and the onset is well defined).
pub fn test_tone(sample_rate: u32, freq_hz: f64, ms: u32, amplitude: f32) -> Vec<f32> {
    let sr = f64::from(sample_rate);
    let n = (f64::from(ms) / 1000.0 * sr).round() as usize;
    let fade = ((TONE_FADE_MS / 1000.0 * sr).round() as usize).min(n / 2);
    let w = std::f64::consts::TAU * freq_hz / sr;
    (0..n)
        .map(|i| {
            let edge = i.min(n - 1 - i);
            let env = if edge < fade {
                0.5 * (1.0 - (std::f64::consts::PI * edge as f64 / fade as f64).cos())
            } else {
                1.0
            };
            (f64::from(amplitude) * env * (w * i as f64).sin()) as f32
        })
        .collect()
}

/// A plain sine of `freq_hz`, peak `amplitude`, starting at phase 0.
pub fn sine(sample_rate: u32, freq_hz: f64, seconds: f64, amplitude: f32) -> Vec<f32> {
    let sr = f64::from(sample_rate);
    let n = (seconds * sr).round() as usize;
    let w = std::f64::consts::TAU * freq_hz / sr;
    (0..n)
        .map(|i| (f64::from(amplitude) * (w * i as f64).sin()) as f32)
        .collect()
}

/// Where a test tone was found in a capture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct ToneMatch {
    /// When the tone started, ms from the start of the capture.
    pub onset_ms: f64,
    /// How long it lasted.
    pub duration_ms: f64,
    /// Peak amplitude of the tone in dBFS (a sine with peak 0.5 reads -6.0).
    pub level_dbfs: f64,
    /// Total harmonic distortion (harmonics 2..5 against the fundamental), percent.
    pub thd_pct: f64,
    /// Tone RMS against the capture's level outside the tone, dB.
    pub snr_db: f64,
}

/// Goertzel correlation of `x` with a complex exponential at `freq_hz`, optionally weighted;
/// returns `|X|²`. Cheaper than an FFT when only a handful of frequencies matter.
fn goertzel_power(x: &[f32], sr: f64, freq_hz: f64, weights: Option<&[f64]>) -> f64 {
    let coeff = 2.0 * (std::f64::consts::TAU * freq_hz / sr).cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for (i, &v) in x.iter().enumerate() {
        let v = f64::from(v) * weights.map_or(1.0, |w| w[i]);
        let s0 = v + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    (s1 * s1 + s2 * s2 - coeff * s1 * s2).max(0.0)
}

/// Finds a test tone of `freq_hz` in a mono capture (e.g. what the mic heard while the
/// speaker played [`test_tone`]).
///
/// Slides 20 ms windows in 2.5 ms steps and measures the tone in each with Goertzel. A
/// window holds the tone when the tone carries at least half the window's energy and its
/// power is at least 20 dB above the median tone power of the other windows (those the
/// tone does not dominate); the tone must hold for ~40 ms. Broadband noise and speech never
/// put half their energy at one frequency, so they do not match.
///
/// The onset is where the tone's amplitude first reaches half its steady level, minus half
/// the 10 ms fade (for `test_tone` that is the true start; a tone without fade reads about
/// 5 ms early). THD is measured with a Hann window over the steady part only, so the fades
/// do not count as distortion. Level and THD come out right for any tone frequency, not
/// just ones that fit a whole number of cycles in a window.
pub fn find_tone(samples: &[f32], sample_rate: u32, freq_hz: f64) -> Option<ToneMatch> {
    let sr = f64::from(sample_rate);
    if sample_rate == 0 || !(freq_hz > 0.0 && freq_hz < sr / 2.0) {
        return None;
    }
    let win = ((TONE_WINDOW_MS / 1000.0 * sr).round() as usize).max(16);
    let hop = (win / TONE_HOPS_PER_WINDOW).max(1);
    if samples.len() < win {
        return None;
    }
    let count = (samples.len() - win) / hop + 1;

    let mut energy_prefix = Vec::with_capacity(samples.len() + 1);
    energy_prefix.push(0.0f64);
    for &x in samples {
        let last = *energy_prefix.last().unwrap_or(&0.0);
        energy_prefix.push(last + f64::from(x) * f64::from(x));
    }
    let energy = |start: usize| energy_prefix[start + win] - energy_prefix[start];

    // Tone amplitude per window: |X| = A·N/2 for a sine of peak A.
    let amps: Vec<f64> = (0..count)
        .map(|k| {
            let start = k * hop;
            2.0 * goertzel_power(&samples[start..start + win], sr, freq_hz, None).sqrt()
                / win as f64
        })
        .collect();
    let dominant = |k: usize| {
        let a = amps[k];
        a >= TONE_MIN_AMPLITUDE && a * a * win as f64 / 2.0 >= TONE_DOMINANCE * energy(k * hop)
    };
    // Background: the tone power of the windows the tone does not dominate (a tone that
    // fills the whole capture has none, and then only dominance and level decide).
    let mut quiet: Vec<f64> = (0..count)
        .filter(|&k| !dominant(k))
        .map(|k| amps[k] * amps[k])
        .collect();
    quiet.sort_by(f64::total_cmp);
    let background = percentile(&quiet, 50.0);
    let holds = |k: usize| dominant(k) && amps[k] * amps[k] >= TONE_ABOVE_BACKGROUND * background;
    let mut first = None;
    let mut k = 0;
    while k < count {
        if holds(k) {
            let end = (k..count).take_while(|&j| holds(j)).last().unwrap_or(k);
            if end + 1 - k >= TONE_MIN_WINDOWS {
                first = Some((k, end));
                break;
            }
            k = end + 1;
        } else {
            k += 1;
        }
    }
    let (i0, i1) = first?;

    // Steady part: windows that start at least one window after the run began and end at
    // least one window before it ended (the fades and partial overlaps are excluded).
    let edge = TONE_HOPS_PER_WINDOW;
    let (s0, s1) = if i1 >= i0 + 2 * edge {
        (i0 + edge, i1 - edge)
    } else {
        let mid = (i0 + i1) / 2;
        (mid, mid)
    };
    let mut steady: Vec<f64> = amps[s0..=s1].to_vec();
    steady.sort_by(f64::total_cmp);
    let level = percentile(&steady, 50.0);

    // Half-amplitude crossings, interpolated between windows, at window centres.
    let centre = |k: f64| k * hop as f64 + win as f64 / 2.0;
    let half = level / 2.0;
    let search_from = i0.saturating_sub(2 * edge);
    let rise = (search_from..=i1).find(|&k| amps[k] >= half).unwrap_or(i0);
    let rise_at = if rise > search_from && amps[rise] > amps[rise - 1] {
        let frac = (half - amps[rise - 1]) / (amps[rise] - amps[rise - 1]);
        centre(rise as f64 - 1.0 + frac)
    } else {
        centre(rise as f64)
    };
    let search_to = (i1 + 2 * edge).min(count - 1);
    let fall = (i0..=search_to)
        .rev()
        .find(|&k| amps[k] >= half)
        .unwrap_or(i1);
    let fall_at = if fall < search_to && amps[fall] > amps[fall + 1] {
        let frac = (amps[fall] - half) / (amps[fall] - amps[fall + 1]);
        centre(fall as f64 + frac)
    } else {
        centre(fall as f64)
    };
    let half_fade = TONE_FADE_MS / 2.0 / 1000.0 * sr;
    let onset = (rise_at - half_fade).max(0.0);
    let end = (fall_at + half_fade).min(samples.len() as f64);

    // THD over the steady stretch, Hann-weighted so the fundamental's leakage does not
    // read as harmonics.
    let seg = &samples[s0 * hop..s1 * hop + win];
    let hann: Vec<f64> = (0..seg.len())
        .map(|i| {
            0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / (seg.len() - 1).max(1) as f64).cos()
        })
        .collect();
    let fundamental = goertzel_power(seg, sr, freq_hz, Some(&hann));
    let harmonics: f64 = (2..=5)
        .map(|h| freq_hz * f64::from(h))
        .filter(|&f| f < sr / 2.0)
        .map(|f| goertzel_power(seg, sr, f, Some(&hann)))
        .sum();
    let thd_pct = if fundamental > 0.0 {
        (harmonics / fundamental).sqrt() * 100.0
    } else {
        0.0
    };

    // Background level: median RMS of the windows clear of the tone; when the tone fills
    // the capture, what is left in the steady part after removing the tone.
    let clear_lo = i0.saturating_sub(edge);
    let clear_hi = i1 + edge;
    let mut outside: Vec<f64> = (0..count)
        .filter(|&k| k < clear_lo || k > clear_hi)
        .map(|k| energy(k * hop) / win as f64)
        .collect();
    outside.sort_by(f64::total_cmp);
    let noise_power = if outside.is_empty() {
        let seg_power = seg.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / seg.len() as f64;
        seg_power - level * level / 2.0
    } else {
        percentile(&outside, 50.0)
    };
    let snr_db = power_dbfs(level * level / 2.0) - power_dbfs(noise_power);

    Some(ToneMatch {
        onset_ms: onset / sr * 1000.0,
        duration_ms: (end - onset).max(0.0) / sr * 1000.0,
        level_dbfs: dbfs(level),
        thd_pct,
        snr_db,
    })
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/// SplitMix64: a tiny, well-mixed PRNG, so generated audio is identical on every machine
/// without a `rand` dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }

    /// Standard normal (Box-Muller).
    fn gaussian(&mut self) -> f64 {
        let u1 = self.next_f64().max(f64::MIN_POSITIVE);
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Gaussian white noise with the given RMS (linear; `0.1` is -20 dBFS), clamped to ±1,
/// deterministic by `seed`.
pub fn white_noise(n: usize, rms: f32, seed: u64) -> Vec<f32> {
    let mut rng = SplitMix64(seed);
    (0..n)
        .map(|_| ((rng.gaussian() * f64::from(rms)) as f32).clamp(-1.0, 1.0))
        .collect()
}

/// A deterministic speech-like signal: harmonics (1/k² tilt, -12 dB per octave like voiced
/// speech, up to ~5 kHz) of a fundamental gliding between 120 and 220 Hz, shaped into
/// syllables of 120-260 ms (about 4-5 per second) grouped in phrases of 2-5 separated by
/// 250-500 ms pauses (about a third of the time, as in answers), over faint noise 60 dB
/// below the peak, scaled so the peak is exactly `peak_dbfs`. Its level distribution looks
/// like speech (pauses give a noise floor, syllables a speech level) and it has no clicks.
pub fn speech_like(sample_rate: u32, seconds: f64, peak_dbfs: f64, seed: u64) -> Vec<f32> {
    let sr = f64::from(sample_rate.max(1));
    let n = (seconds.max(0.0) * sr).round() as usize;
    let mut rng = SplitMix64(seed ^ 0x5EEC_4000);

    // Syllable envelope: sin² bumps with random strength, phrases, pauses.
    let mut env = vec![0.0f64; n];
    let mut t = (rng.range(0.1, 0.25) * sr) as usize;
    while t < n {
        let syllables = 2 + (rng.next_u64() % 4) as usize;
        for _ in 0..syllables {
            let len = (rng.range(0.12, 0.26) * sr) as usize;
            let strength = rng.range(0.55, 1.0);
            for i in 0..len {
                if let Some(e) = env.get_mut(t + i) {
                    let s = (std::f64::consts::PI * i as f64 / len as f64).sin();
                    *e = strength * s * s;
                }
            }
            t += len;
        }
        t += (rng.range(0.25, 0.5) * sr) as usize;
    }

    // Harmonic source via the Chebyshev recurrence sin((k+1)φ) = 2cosφ·sin(kφ) - sin((k-1)φ):
    // one sin/cos per sample instead of one per harmonic.
    let harmonics = ((5000.0f64).min(0.45 * sr) / 220.0).floor().max(1.0) as usize;
    let glide_phase = rng.range(0.0, std::f64::consts::TAU);
    let glide_hz = rng.range(0.25, 0.45);
    let mut phase = rng.range(0.0, std::f64::consts::TAU);
    let mut voiced = vec![0.0f64; n];
    for (i, v) in voiced.iter_mut().enumerate() {
        let time = i as f64 / sr;
        let f0 = 170.0 + 50.0 * (std::f64::consts::TAU * glide_hz * time + glide_phase).sin();
        phase = (phase + std::f64::consts::TAU * f0 / sr) % std::f64::consts::TAU;
        if env[i] == 0.0 {
            continue;
        }
        let (s1, c1) = phase.sin_cos();
        let (mut prev, mut cur) = (0.0, s1);
        let mut sum = 0.0;
        for k in 1..=harmonics {
            sum += cur / (k * k) as f64;
            let next = 2.0 * c1 * cur - prev;
            prev = cur;
            cur = next;
        }
        *v = env[i] * sum;
    }

    let voiced_peak = voiced.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let noise_rms = if voiced_peak > 0.0 {
        voiced_peak * 1e-3
    } else {
        1e-3
    };
    let mixed: Vec<f64> = voiced
        .iter()
        .map(|v| v + rng.gaussian() * noise_rms)
        .collect();
    let peak = mixed.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let gain = if peak > 0.0 {
        from_dbfs(peak_dbfs) / peak
    } else {
        0.0
    };
    mixed.iter().map(|v| (v * gain) as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SR: u32 = 48_000;

    fn ms_to_samples(ms: f64) -> usize {
        (ms / 1000.0 * f64::from(SR)).round() as usize
    }

    fn add(into: &mut [f32], at: usize, what: &[f32]) {
        for (i, &v) in what.iter().enumerate() {
            into[at + i] += v;
        }
    }

    #[test]
    fn dbfs_and_mono() {
        assert_eq!(dbfs(1.0), 0.0);
        assert!((dbfs(0.5) + 6.0206).abs() < 1e-3);
        assert_eq!(dbfs(0.0), SILENCE_DBFS);
        assert_eq!(dbfs(1e-9), SILENCE_DBFS);
        assert!((from_dbfs(-20.0) - 0.1).abs() < 1e-12);
        assert_eq!(to_mono(&[0.2, 0.4, -1.0, 1.0, 0.5], 2), vec![0.3, 0.0]);
        assert_eq!(to_mono(&[0.1, 0.2], 1), vec![0.1, 0.2]);
    }

    #[test]
    fn sine_levels_match_theory() {
        for level in [-6.0, -20.0, -40.0] {
            let x = sine(SR, 1000.0, 0.5, from_dbfs(level) as f32);
            let s = analyze(&x, SR);
            assert!((s.peak_dbfs - level).abs() < 0.2, "{level}: {s:?}");
            let rms = level - 3.0103;
            assert!((s.rms_dbfs - rms).abs() < 0.2, "{level}: {s:?}");
            assert!((s.noise_floor_dbfs - rms).abs() < 0.2, "{level}: {s:?}");
            assert!((s.speech_level_dbfs - rms).abs() < 0.2, "{level}: {s:?}");
            assert!(s.snr_db.abs() < 0.1);
            assert!(!s.digital_silence);
            assert_eq!((s.clicks, s.dropouts, s.clip_runs), (0, 0, 0));
            assert_eq!(s.clipped_share, 0.0);
            assert!(s.dc_offset.abs() < 1e-4);
            assert_eq!(s.sample_count, 24_000);
            assert!((s.duration_ms - 500.0).abs() < 1e-9);
        }
    }

    #[test]
    fn silence_and_constant_streams_are_digital_silence() {
        let s = analyze(&vec![0.0; 48_000], SR);
        assert!(s.digital_silence);
        assert_eq!(s.rms_dbfs, SILENCE_DBFS);
        assert_eq!(s.peak_dbfs, SILENCE_DBFS);
        assert_eq!(s.noise_floor_dbfs, SILENCE_DBFS);
        assert_eq!(s.speech_level_dbfs, SILENCE_DBFS);
        assert_eq!((s.dropouts, s.clicks), (0, 0));

        let s = analyze(&vec![0.25; 9_600], SR);
        assert!(s.digital_silence);
        assert!((s.dc_offset - 0.25).abs() < 1e-9);
        assert_eq!(s.noise_floor_dbfs, SILENCE_DBFS);

        let wobble: Vec<f32> = (0..9_600).map(|i| 0.1 + (i % 2) as f32 * 5e-7).collect();
        assert!(analyze(&wobble, SR).digital_silence);
        assert!(analyze(&[], SR).digital_silence);

        // A quiet but live signal is not silence.
        let quiet = white_noise(9_600, 1e-4, 1);
        assert!(!analyze(&quiet, SR).digital_silence);
    }

    #[test]
    fn clipped_sine_is_measured() {
        // 100 Hz at twice full scale, clamped: |2 sin| >= 0.99 for 67.0 % of the time,
        // one run per half period.
        let x: Vec<f32> = sine(SR, 100.0, 1.0, 2.0)
            .into_iter()
            .map(|v| v.clamp(-1.0, 1.0))
            .collect();
        let s = analyze(&x, SR);
        let expected = 1.0 - (2.0 / std::f64::consts::PI) * (0.495f64).asin();
        assert!((s.clipped_share - expected).abs() < 0.005, "{s:?}");
        assert!((199..=201).contains(&s.clip_runs), "{s:?}");
        assert!((158..=164).contains(&s.longest_clip_run), "{s:?}");
        assert_eq!(s.clicks, 0, "clipping corners are not clicks");

        // A 12 kHz sine peaking at 0.995 touches the clip level one sample at a time:
        // clipped samples, but no clipping runs.
        let grazing = sine(SR, 12_000.0, 0.1, 0.995);
        let s = analyze(&grazing, SR);
        assert_eq!(s.clip_runs, 0);
        assert!(s.clipped_share > 0.0);
    }

    #[test]
    fn white_noise_floor_and_no_clicks() {
        let x = white_noise(48_000, 0.1, 7);
        let s = analyze(&x, SR);
        assert!((s.noise_floor_dbfs + 20.0).abs() < 1.0, "{s:?}");
        assert!((s.speech_level_dbfs + 20.0).abs() < 1.0, "{s:?}");
        assert!(s.snr_db < 2.0);
        assert_eq!(s.clicks, 0);
        assert_eq!(s.dropouts, 0);

        // Loud noise too.
        let loud = white_noise(24_000, 0.3, 8);
        assert_eq!(analyze(&loud, SR).clicks, 0);
    }

    #[test]
    fn dropouts_are_counted_exactly() {
        let mut x = sine(SR, 440.0, 2.0, 0.25);
        // Startup zeros are not a dropout.
        x[..ms_to_samples(100.0)].iter_mut().for_each(|v| *v = 0.0);
        let blocks = [(300.0, 10.0), (800.0, 25.0), (1400.0, 6.0)];
        for (at, len) in blocks {
            let a = ms_to_samples(at);
            x[a..a + ms_to_samples(len)]
                .iter_mut()
                .for_each(|v| *v = 0.0);
        }
        // 3 ms is too short to be a dropout (it is a click-like glitch instead).
        let a = ms_to_samples(1700.0);
        x[a..a + ms_to_samples(3.0)]
            .iter_mut()
            .for_each(|v| *v = 0.0);
        let s = analyze(&x, SR);
        assert_eq!(s.dropouts, 3, "{s:?}");
        assert!((s.dropout_ms - 41.0).abs() < 1.0, "{s:?}");
        // The floor stays the sine's level: zeros do not pull it down.
        assert!(
            (s.noise_floor_dbfs - dbfs(0.25 / 2f64.sqrt())).abs() < 0.5,
            "{s:?}"
        );
        // Dropout edges are not counted again as clicks; the 3 ms glitch is one click.
        assert_eq!(s.clicks, 1, "{s:?}");
    }

    #[test]
    fn clicks_are_counted_exactly() {
        let clean = speech_like(SR, 2.0, -9.0, 3);
        assert_eq!(analyze(&clean, SR).clicks, 0);
        let mut x = clean.clone();
        for k in 0..5 {
            x[ms_to_samples(150.0 + 370.0 * f64::from(k))] += 0.4;
        }
        let s = analyze(&x, SR);
        assert_eq!(s.clicks, 5, "{s:?}");
        assert!((s.clicks_per_s - 2.5).abs() < 1e-9);

        // Loud speech-like audio at telephone and CD rates has no clicks either.
        for rate in [16_000, 44_100] {
            assert_eq!(analyze(&speech_like(rate, 1.0, -1.0, 5), rate).clicks, 0);
        }

        let mut tone = sine(SR, 1000.0, 1.0, 0.5);
        assert_eq!(analyze(&tone, SR).clicks, 0);
        for k in 0..10 {
            let i = ms_to_samples(50.0 + 95.0 * f64::from(k));
            tone[i] = -tone[i] + if k % 2 == 0 { 0.3 } else { -0.3 };
        }
        assert_eq!(analyze(&tone, SR).clicks, 10);
    }

    #[test]
    fn full_level_high_sines_are_not_clicks() {
        for f in [2000.0, 5000.0, 8000.0] {
            let x = sine(SR, f, 0.5, 0.98);
            assert_eq!(analyze(&x, SR).clicks, 0, "{f} Hz");
        }
    }

    #[test]
    fn dc_offset_is_measured_apart_from_noise() {
        let x: Vec<f32> = sine(SR, 300.0, 0.5, 0.1)
            .into_iter()
            .map(|v| v + 0.03)
            .collect();
        let s = analyze(&x, SR);
        assert!((s.dc_offset - 0.03).abs() < 1e-3, "{s:?}");
        assert!(
            (s.noise_floor_dbfs - dbfs(0.1 / 2f64.sqrt())).abs() < 0.3,
            "{s:?}"
        );
    }

    #[test]
    fn speech_like_is_deterministic_and_speech_shaped() {
        for seed in 0..4 {
            let s = analyze(&speech_like(SR, 1.2, -9.0, seed), SR);
            assert!(s.noise_floor_dbfs < -65.0, "seed {seed}: {s:?}");
        }
        let a = speech_like(SR, 1.5, -9.0, 42);
        assert_eq!(a, speech_like(SR, 1.5, -9.0, 42));
        assert_ne!(
            speech_like(SR, 0.3, -9.0, 42),
            speech_like(SR, 0.3, -9.0, 43)
        );
        let s = analyze(&a, SR);
        assert!((s.peak_dbfs + 9.0).abs() < 0.01, "{s:?}");
        assert!(s.snr_db > 40.0, "{s:?}");
        assert!(
            s.speech_level_dbfs > -22.0 && s.speech_level_dbfs < -9.0,
            "{s:?}"
        );
        assert!(s.noise_floor_dbfs < -60.0, "{s:?}");
        assert!(!s.digital_silence);
        assert_eq!((s.dropouts, s.clip_runs), (0, 0));
    }

    fn regular(rate_frames: u32, n: usize, start_ms: f64) -> Delivery {
        let mut d = Delivery::new(48_000);
        for i in 0..n {
            d.record(start_ms + 10.0 * i as f64, rate_frames);
        }
        d
    }

    #[test]
    fn delivery_rate_ignores_first_callback_latency() {
        let s = delivery_stats(&regular(480, 300, 0.0));
        assert!(
            (s.effective_rate_hz.unwrap() - 48_000.0).abs() < 1.0,
            "{s:?}"
        );
        assert_eq!(s.gaps, 0);
        assert!((s.median_interval_ms - 10.0).abs() < 1e-9);

        // First callback late and carrying a big buffer: rate unaffected.
        let mut d = Delivery::new(48_000);
        d.record(350.0, 16_800);
        for i in 1..300 {
            d.record(350.0 + 10.0 * f64::from(i), 480);
        }
        let s = delivery_stats(&d);
        assert!(s.rate_error_pct.unwrap().abs() < 0.01, "{s:?}");
        assert_eq!(s.gaps, 0);

        // A slow device.
        let s = delivery_stats(&regular(470, 300, 5.0));
        assert!((s.rate_error_pct.unwrap() + 2.083).abs() < 0.01, "{s:?}");

        // Too little data: unknown.
        let s = delivery_stats(&regular(480, 3, 0.0));
        assert_eq!(s.effective_rate_hz, None);
        assert_eq!(delivery_stats(&Delivery::new(48_000)).callbacks, 0);
    }

    #[test]
    fn delivery_gaps_lose_time_bursts_do_not() {
        // 200 ms stall, nothing made up: one gap of 190 ms lost.
        let mut d = Delivery::new(48_000);
        let mut t = 0.0;
        for i in 0..300 {
            t += if i == 150 { 200.0 } else { 10.0 };
            d.record(t, 480);
        }
        let s = delivery_stats(&d);
        assert_eq!(s.gaps, 1, "{s:?}");
        assert!((s.longest_gap_ms - 190.0).abs() < 1.0, "{s:?}");
        assert!(s.rate_error_pct.unwrap().abs() < 0.1, "{s:?}");

        // Same stall, then the buffered audio arrives in a burst: nothing lost.
        let mut d = Delivery::new(48_000);
        let mut t = 0.0;
        for i in 0..300 {
            t += match i {
                150 => 200.0,
                151..=169 => 0.5,
                _ => 10.0,
            };
            d.record(t, 480);
        }
        let s = delivery_stats(&d);
        assert_eq!(s.gaps, 0, "{s:?}");

        // Jittered but continuous delivery.
        let mut rng = SplitMix64(9);
        let mut d = Delivery::new(48_000);
        for i in 0..300 {
            d.record(10.0 * f64::from(i) + rng.range(-3.0, 3.0), 480);
        }
        let s = delivery_stats(&d);
        assert_eq!(s.gaps, 0);
        assert!(s.rate_error_pct.unwrap().abs() < 0.2, "{s:?}");
    }

    #[test]
    fn tone_is_found_in_noise_with_onset_and_thd() {
        let mut x = white_noise(ms_to_samples(1500.0), from_dbfs(-60.0) as f32, 5);
        let tone = test_tone(SR, 997.0, 400, from_dbfs(-30.0) as f32);
        add(&mut x, ms_to_samples(700.0), &tone);
        let m = find_tone(&x, SR, 997.0).expect("tone");
        assert!((m.onset_ms - 700.0).abs() < 3.0, "{m:?}");
        assert!((m.duration_ms - 400.0).abs() < 6.0, "{m:?}");
        assert!((m.level_dbfs + 30.0).abs() < 0.5, "{m:?}");
        assert!(m.thd_pct < 1.0, "{m:?}");
        assert!((m.snr_db - 27.0).abs() < 1.5, "{m:?}");
        // A different frequency is not this tone.
        assert!(find_tone(&x, SR, 1500.0).is_none());
    }

    #[test]
    fn clipped_tone_shows_distortion() {
        let mut x = vec![0.0f32; ms_to_samples(800.0)];
        let tone: Vec<f32> = test_tone(SR, 1000.0, 300, 1.0)
            .into_iter()
            .map(|v| v.clamp(-0.5, 0.5))
            .collect();
        add(&mut x, ms_to_samples(200.0), &tone);
        let m = find_tone(&x, SR, 1000.0).expect("tone");
        assert!(m.thd_pct > 10.0, "{m:?}");
        assert!((m.onset_ms - 200.0).abs() < 10.0, "{m:?}");
    }

    #[test]
    fn no_tone_in_noise_silence_or_speech() {
        assert!(find_tone(&white_noise(48_000, 0.1, 2), SR, 1000.0).is_none());
        assert!(find_tone(&white_noise(48_000, 0.001, 3), SR, 1000.0).is_none());
        assert!(find_tone(&vec![0.0; 48_000], SR, 1000.0).is_none());
        assert!(find_tone(&speech_like(SR, 1.0, -9.0, 4), SR, 1000.0).is_none());
        assert!(find_tone(&[0.0; 10], SR, 1000.0).is_none());
        assert!(find_tone(&vec![0.0; 4_800], SR, 30_000.0).is_none());
    }

    #[test]
    fn tone_at_capture_start_and_without_fade() {
        let x = sine(SR, 1000.0, 0.5, 0.3);
        let m = find_tone(&x, SR, 1000.0).expect("tone");
        assert!(m.onset_ms < 10.0, "{m:?}");
        assert!(m.snr_db > 60.0, "{m:?}");

        let mut x = vec![0.0f32; ms_to_samples(600.0)];
        add(&mut x, ms_to_samples(250.0), &sine(SR, 1000.0, 0.2, 0.3));
        let m = find_tone(&x, SR, 1000.0).expect("tone");
        assert!((m.onset_ms - 250.0).abs() < 10.0, "{m:?}");
    }

    #[test]
    fn capture_time_follows_buffer_arrivals() {
        let arrivals = [
            Arrival {
                at_ms: 1900.0,
                frames: 960,
            },
            Arrival {
                at_ms: 1920.0,
                frames: 960,
            },
        ];
        // Frame 0 was captured 20 ms (960 frames at 48 kHz) before the first buffer arrived.
        let t0 = capture_time_ms(&arrivals, 0, 48_000).unwrap();
        assert!((t0 - 1880.0).abs() < 1e-9, "{t0}");
        let t = capture_time_ms(&arrivals, 1440, 48_000).unwrap();
        assert!((t - 1910.0).abs() < 1e-9, "{t}");
        assert_eq!(capture_time_ms(&arrivals, 1920, 48_000), None);
    }
}
