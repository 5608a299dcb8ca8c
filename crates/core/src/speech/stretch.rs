//! Samples into stretches: where a recording holds a voice, and where to cut it for
//! Whisper. The one way both transcription paths cut audio: the streamer applies
//! [`plan_cut`] as audio arrives, a batch run ([`cut_all`]) applies it to a whole file as
//! if the file were arriving, so the two cut the same audio at the same pauses.
//!
//! - [`Levels`]: the level of every 20 ms frame and the voice threshold (a margin above
//!   the noise floor, a low percentile of the levels so far, and above an absolute floor).
//!   Whisper invents text for silence and steady noise ("Thank you for watching"), so only
//!   voiced audio is handed to it, and its segments must overlap voiced frames.
//! - [`plan_cut`]: a stretch ends at a pause once it is long enough for Whisper to be
//!   accurate, always at a long pause (Whisper drops speech after seconds of digital
//!   silence inside its window), and at its longest quiet moment when it grows too long.
//! - [`uncovered_speech`]: speech that no transcribed word reaches (Whisper now and then
//!   skips a sentence), to be transcribed again on its own.

use std::ops::Range;

use super::samples_to_ms;

/// Level frames: 20 ms at 16 kHz.
pub const FRAME: usize = 320;
pub const FRAME_MS: u64 = 20;
/// A frame is voiced this many dB above the noise floor...
const MARGIN_DB: f32 = 12.0;
/// ...and above this level (frame RMS, dBFS): quieter is "near silence".
const MIN_LEVEL_DBFS: f32 = -58.0;
/// The noise floor is this percentile of the frame levels.
const FLOOR_PERCENTILE: f32 = 0.10;
/// The noise floor assumed while a take is young and all speech...
const MAX_FLOOR_DBFS: f32 = -45.0;
/// ...unless the levels vary less than this between the 10th and 90th percentile.
const STEADY_SPREAD_DB: f32 = 10.0;
/// Voiced runs shorter than this are clicks or bumps, not speech.
const MIN_RUN_FRAMES: usize = 4;
/// Audio kept around voiced stretches (word onsets and tails are quiet): 300 ms.
pub const PAD_FRAMES: usize = 15;
/// Level histogram bins: 1 dB from -130 dBFS to 0.
const HIST_BINS: usize = 131;
const SILENT_DB: f32 = -130.0;
/// At most this much of a pause goes with the stretch before it (the rest starts the next).
const TAIL_PAD_FRAMES: usize = 15;
/// Audio with no voice is handed over once it is this long (but for its last 0.5 s)...
const SILENCE_KEEP_FRAMES: usize = 100;
const SILENCE_TAIL_FRAMES: usize = 25;
/// A short stretch ending in a long pause still needs this much voice to be cut off alone.
const MIN_ALONE_VOICED_FRAMES: usize = 25;
/// A speculative pass needs at least this much voice (1 s).
const MIN_SPECULATE_VOICED_FRAMES: usize = 50;
/// Speech that no word comes within [`WORD_REACH_MS`] of, in a phrase with at least this
/// much voice, was dropped by Whisper.
const DROPPED_MIN_MS: u64 = 1_000;
const WORD_REACH_MS: u64 = 300;
/// Voiced runs closer than this belong to one phrase.
const PHRASE_GAP_MS: u64 = 300;

/// When to cut stretches. The defaults suit answers spoken at a normal pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutRules {
    /// A quiet run this long after speech is a pause.
    pub pause_ms: u32,
    /// A pause this long always ends a stretch, however short: after seconds of digital
    /// silence inside its window Whisper was seen to drop the rest of the answer.
    pub long_pause_ms: u32,
    /// A stretch ends at a (short) pause once it is this long: Whisper is less accurate on
    /// short clips. A shorter one followed by a pause is transcribed on speculation by the
    /// streamer, kept only if nothing more is said.
    pub min_stretch_ms: u32,
    /// Pending audio this long is cut at its longest quiet moment.
    pub max_stretch_ms: u32,
}

impl Default for CutRules {
    fn default() -> Self {
        CutRules {
            pause_ms: 300,
            long_pause_ms: 1_200,
            min_stretch_ms: 8_000,
            max_stretch_ms: 25_000,
        }
    }
}

/// The level of each 20 ms frame of the audio so far, and the voice threshold.
#[derive(Debug, Clone)]
pub struct Levels {
    /// dBFS of each whole frame.
    pub db: Vec<f32>,
    /// 1 dB bins from -130 dBFS to 0.
    hist: [u32; HIST_BINS],
}

impl Default for Levels {
    fn default() -> Self {
        Self::new()
    }
}

impl Levels {
    pub fn new() -> Levels {
        Levels {
            db: Vec::new(),
            hist: [0; HIST_BINS],
        }
    }

    /// The levels of a whole recording.
    #[cfg(test)]
    pub fn of(audio: &[f32]) -> Levels {
        let mut l = Levels::new();
        l.update(audio);
        l
    }

    /// Whole frames seen so far.
    pub fn len(&self) -> usize {
        self.db.len()
    }

    pub fn is_empty(&self) -> bool {
        self.db.is_empty()
    }

    /// Adds the whole frames of `audio` (all samples so far) not seen yet.
    pub fn update(&mut self, audio: &[f32]) {
        while (self.db.len() + 1) * FRAME <= audio.len() {
            let i = self.db.len();
            let energy = audio[i * FRAME..(i + 1) * FRAME]
                .iter()
                .map(|&s| f64::from(s) * f64::from(s))
                .sum::<f64>()
                / FRAME as f64;
            let db = if energy <= 1e-13 {
                SILENT_DB
            } else {
                ((10.0 * energy.log10()) as f32).clamp(SILENT_DB, 0.0)
            };
            self.hist[((db - SILENT_DB) as usize).min(HIST_BINS - 1)] += 1;
            self.db.push(db);
        }
    }

    /// The noise floor: a low percentile of the levels so far.
    pub fn noise_floor_dbfs(&self) -> f32 {
        self.percentile(FLOOR_PERCENTILE)
    }

    /// A percentile (0..1) of the frame levels so far, to 1 dB.
    fn percentile(&self, q: f32) -> f32 {
        let total: u32 = self.hist.iter().sum();
        if total == 0 {
            return SILENT_DB;
        }
        let rank = ((total - 1) as f32 * q.clamp(0.0, 1.0)) as u32;
        let mut seen = 0;
        for (bin, &n) in self.hist.iter().enumerate() {
            seen += n;
            if seen > rank {
                return bin as f32 + SILENT_DB;
            }
        }
        SILENT_DB
    }

    pub fn threshold_dbfs(&self) -> f32 {
        let mut floor = self.noise_floor_dbfs();
        // A high low percentile with levels that vary as speech does (tens of dB) is
        // speech, not the room (a take's first seconds, a fast talker): assume a quiet
        // room. Steady levels are noise, however loud, and not a voice.
        if floor > MAX_FLOOR_DBFS && self.percentile(0.9) - floor >= STEADY_SPREAD_DB {
            floor = MAX_FLOOR_DBFS;
        }
        (floor + MARGIN_DB).max(MIN_LEVEL_DBFS)
    }

    /// Voiced frames `f0..f1`: above the threshold, in runs long enough to be speech (a
    /// short run at the very end of the audio so far may be the start of one and counts).
    pub fn voiced(&self, f0: usize, f1: usize) -> Vec<bool> {
        let thr = self.threshold_dbfs();
        let f1 = f1.min(self.db.len());
        let f0 = f0.min(f1);
        let mut v: Vec<bool> = self.db[f0..f1].iter().map(|&l| l > thr).collect();
        let at_end = f1 == self.db.len();
        let mut i = 0;
        while i < v.len() {
            if !v[i] {
                i += 1;
                continue;
            }
            let s = i;
            while i < v.len() && v[i] {
                i += 1;
            }
            if i - s < MIN_RUN_FRAMES && !(at_end && i == v.len()) {
                v[s..i].iter_mut().for_each(|x| *x = false);
            }
        }
        v
    }

    /// Whether any of frames `f0..f1` is voiced (judged with what follows them).
    pub fn any_voiced(&self, f0: usize, f1: usize) -> bool {
        let f1 = f1.min(self.len());
        f1 > f0 && self.voiced(f0, (f1 + MIN_RUN_FRAMES).min(self.len()))[..f1 - f0].contains(&true)
    }

    pub fn any_voiced_ms(&self, from_ms: u64, to_ms: u64) -> bool {
        self.any_voiced(ms_frame(from_ms), to_ms.div_ceil(FRAME_MS) as usize)
    }

    /// Energy of frames `a..b`.
    fn energy(&self, a: usize, b: usize) -> f64 {
        self.db[a.min(b)..b.min(self.db.len())]
            .iter()
            .map(|&l| 10f64.powf(f64::from(l) / 10.0))
            .sum()
    }

    /// The stretch of `samples` from its first to its last voiced frame, widened by the
    /// padding and kept inside `samples`; `None` when nothing in it is voiced.
    pub fn voiced_span(&self, samples: Range<usize>) -> Option<Range<usize>> {
        let f0 = samples.start / FRAME;
        let f1 = samples.end.div_ceil(FRAME).min(self.len());
        let v = self.voiced(f0, (f1 + MIN_RUN_FRAMES).min(self.len()));
        let v = &v[..f1.saturating_sub(f0).min(v.len())];
        let first = v.iter().position(|x| *x)?;
        let last = v.iter().rposition(|x| *x)?;
        let start = (f0 + first).saturating_sub(PAD_FRAMES) * FRAME;
        let end = (f0 + last + 1 + PAD_FRAMES) * FRAME;
        Some(start.max(samples.start)..end.min(samples.end))
    }

    /// Voiced time between `start_ms` and `end_ms`, counting the padding around voiced
    /// runs (so a segment whose timestamps are a little off still overlaps its speech).
    pub fn voiced_ms_padded(&self, start_ms: u64, end_ms: u64) -> u64 {
        let f0 = ms_frame(start_ms);
        let f1 = (end_ms.div_ceil(FRAME_MS) as usize).min(self.len());
        if f1 <= f0 {
            return 0;
        }
        let lo = f0.saturating_sub(PAD_FRAMES);
        let hi = (f1 + PAD_FRAMES).min(self.len());
        let v = self.voiced(lo, hi);
        (f0..f1)
            .filter(|&f| {
                let a = f.saturating_sub(PAD_FRAMES) - lo;
                let b = (f + PAD_FRAMES + 1).min(hi) - lo;
                v[a..b].contains(&true)
            })
            .count() as u64
            * FRAME_MS
    }

    /// Whether anyone spoke at all.
    #[cfg(test)]
    pub fn any_voice(&self) -> bool {
        self.any_voiced(0, self.len())
    }

    /// The middle of the quietest 100 ms within `radius_ms` of `at_ms`, or `at_ms` itself
    /// when nothing there is clearly quieter (half the energy or less): where to split a
    /// stretch at the English switch so no word is cut in two.
    pub fn quietest_near(&self, at_ms: u64, radius_ms: u64) -> u64 {
        const WINDOW: usize = 5; // frames: 100 ms
        let lo = ms_frame(at_ms.saturating_sub(radius_ms));
        let hi = ms_frame(at_ms + radius_ms).min(self.len());
        if hi < lo + WINDOW * 2 {
            return at_ms;
        }
        let at = ms_frame(at_ms);
        let here = self.energy(at.saturating_sub(WINDOW / 2), at + WINDOW / 2 + 1);
        let mut best: Option<(f64, usize)> = None;
        for i in lo..=hi - WINDOW {
            let e = self.energy(i, i + WINDOW);
            let mid = i + WINDOW / 2;
            let better = match best {
                None => true,
                Some((be, bm)) => {
                    e < be * 0.999 || (e <= be * 1.001 && mid.abs_diff(at) < bm.abs_diff(at))
                }
            };
            if better {
                best = Some((e, mid));
            }
        }
        match best {
            Some((e, mid)) if e < here * 0.5 => mid as u64 * FRAME_MS + FRAME_MS / 2,
            _ => at_ms,
        }
    }
}

fn ms_frame(ms: u64) -> usize {
    (ms / FRAME_MS) as usize
}

/// Runs of `false` in `voiced`, as `(start, end)` index pairs.
pub fn quiet_runs(voiced: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < voiced.len() {
        if voiced[i] {
            i += 1;
            continue;
        }
        let s = i;
        while i < voiced.len() && !voiced[i] {
            i += 1;
        }
        runs.push((s, i));
    }
    runs
}

/// What to do with the pending audio that starts at frame `f0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Wait for more audio.
    Wait,
    /// Transcribe up to this frame.
    At(usize),
    /// Transcribe up to this frame in case nothing more is said (a pause after a short
    /// stretch: the end of the answer, or just of a sentence).
    Speculate(usize),
}

/// Where to cut the pending audio from frame `f0`, given the levels so far.
pub fn plan_cut(levels: &Levels, f0: usize, rules: &CutRules) -> Cut {
    let f1 = levels.len();
    if f1 <= f0 {
        return Cut::Wait;
    }
    let voiced = levels.voiced(f0, f1);
    let n = voiced.len();
    let Some(last) = voiced.iter().rposition(|v| *v) else {
        // Nobody has spoken since the last stretch: hand it over (the transcriber has the
        // last word; usually there is nothing to run) but for the last moments.
        return if n > SILENCE_KEEP_FRAMES {
            Cut::At(f1 - SILENCE_TAIL_FRAMES)
        } else {
            Cut::Wait
        };
    };
    let frames = |ms: u32| (ms as usize).div_ceil(FRAME_MS as usize).max(1);
    let pause = frames(rules.pause_ms);
    let long_pause = frames(rules.long_pause_ms).max(pause);
    let min = frames(rules.min_stretch_ms);
    let max = frames(rules.max_stretch_ms).max(min + 1);
    let into_pause = |a: usize, b: usize| a + ((b - a) / 2).min(TAIL_PAD_FRAMES);
    let voiced_before = |end: usize| voiced[..end].iter().filter(|v| **v).count();
    // A long pause ends a stretch that has a voice of its own, however short it is.
    if let Some(cut) = quiet_runs(&voiced[..=last])
        .into_iter()
        .filter(|&(a, b)| a > 0 && b - a >= long_pause && a <= max)
        .map(|(a, b)| into_pause(a, b))
        .find(|&mid| voiced_before(mid) >= MIN_ALONE_VOICED_FRAMES)
    {
        return Cut::At(f0 + cut);
    }
    let trailing = n - last - 1;
    if trailing >= pause {
        // The speaker stopped: up to a little into the pause.
        let cut = into_pause(last + 1, n);
        let alone = trailing >= long_pause && voiced_before(cut) >= MIN_ALONE_VOICED_FRAMES;
        return if n >= min || alone {
            Cut::At(f0 + cut)
        } else if voiced_before(cut) >= MIN_SPECULATE_VOICED_FRAMES {
            Cut::Speculate(f0 + cut)
        } else {
            // A word or two ("Um,") is rarely the end of an answer, and Whisper is at its
            // worst on it: not worth a speculative pass.
            Cut::Wait
        };
    }
    if n >= min {
        // A pause that went by while the streamer was busy: the latest one that keeps the
        // stretch within the maximum.
        let cut = quiet_runs(&voiced[..=last])
            .into_iter()
            .filter(|&(a, b)| a > 0 && b - a >= pause)
            .map(|(a, b)| into_pause(a, b))
            .rfind(|&mid| (min..=max).contains(&mid));
        if let Some(mid) = cut {
            return Cut::At(f0 + mid);
        }
    }
    if n >= max {
        // Too long without a usable pause: the longest quiet moment after the minimum
        // length, else the quietest 100 ms there.
        let lo = min.min(max - 1);
        let hi = max.min(n);
        let longest = quiet_runs(&voiced[..hi])
            .into_iter()
            .filter(|&(a, _)| a > lo)
            .max_by_key(|&(a, b)| (b - a, a))
            .map(|(a, b)| (a + b) / 2);
        let mid = longest.unwrap_or_else(|| {
            let window = 5.min(hi - lo);
            (lo..=hi - window)
                .min_by(|&x, &y| {
                    let e = |i: usize| levels.energy(f0 + i, f0 + i + window);
                    e(x).total_cmp(&e(y))
                })
                .map_or(hi, |i| i + window / 2)
        });
        return Cut::At(f0 + mid.max(1));
    }
    Cut::Wait
}

/// The stretches (sample ranges, covering the audio end to end) that a streamer with
/// nothing else to do would cut `audio` (16 kHz) into: the audio is revealed 100 ms at a
/// time and [`plan_cut`] applied, as the streamer applies it while recording. Also the
/// levels of the whole audio.
pub fn cut_all(audio: &[f32], rules: &CutRules) -> (Levels, Vec<Range<usize>>) {
    const STEP: usize = 5; // frames: 100 ms, a recorder's delivery
    let mut levels = Levels::new();
    let total_frames = audio.len() / FRAME;
    let mut stretches = Vec::new();
    let mut start = 0usize; // frames
    let mut spec: Option<usize> = None;
    let mut frontier = 0;
    while frontier < total_frames {
        frontier = (frontier + STEP).min(total_frames);
        levels.update(&audio[..frontier * FRAME]);
        // The speaker went on after a speculation's pause: the streamer keeps it as a
        // stretch of its own.
        if let Some(f) = spec.filter(|&f| levels.any_voiced(f, levels.len())) {
            stretches.push(start * FRAME..f * FRAME);
            start = f;
            spec = None;
        }
        loop {
            match plan_cut(&levels, start, rules) {
                Cut::Wait => break,
                Cut::At(f) => {
                    // Nothing said since the speculation: the streamer keeps it as the
                    // stretch (it ends a little earlier in the pause).
                    let end = match spec.take() {
                        Some(s) if s <= f && !levels.any_voiced(s, f) => s,
                        _ => f,
                    };
                    stretches.push(start * FRAME..end * FRAME);
                    start = end;
                }
                Cut::Speculate(f) => {
                    // The streamer keeps a speculation while nothing more is said.
                    if !spec.is_some_and(|s| s <= f && !levels.any_voiced(s, f)) {
                        spec = Some(f);
                    }
                    break;
                }
            }
        }
    }
    levels.update(audio);
    // Nothing said after the speculation: it is the last stretch but for silence.
    if let Some(f) = spec.filter(|&f| !levels.any_voiced(f, levels.len())) {
        stretches.push(start * FRAME..f * FRAME);
        start = f;
    }
    if start * FRAME < audio.len() {
        stretches.push(start * FRAME..audio.len());
    }
    (levels, stretches)
}

/// Where a batch run cuts `audio` (16 kHz): the stretches of [`cut_all`], as sample ranges.
pub fn stretches(audio: &[f32], rules: &CutRules) -> Vec<Range<usize>> {
    cut_all(audio, rules).1
}

/// The rules of the full pass ([`cut_windows`]): stretches as long as Whisper's window
/// allows, so each is decoded with what was said around it. Cut short at pauses, real
/// speech lost 4-9 points of CER (KsponSpeech, `benches/realspeech.rs`).
pub const WINDOW_RULES: CutRules = CutRules {
    pause_ms: 300,
    // Seconds of digital silence inside a window made Whisper drop the rest of an answer;
    // a pause this long is where a stretch ends anyway.
    long_pause_ms: 3_000,
    min_stretch_ms: 20_000,
    max_stretch_ms: 28_000,
};

/// How the full pass cuts a whole recording (16 kHz) into windows of at most
/// [`WINDOW_RULES`]' maximum: at a long pause; else at the latest pause past its minimum;
/// else at the longest quiet moment past it. Covers the audio end to end; also returns the
/// levels.
pub fn cut_windows(audio: &[f32]) -> (Levels, Vec<Range<usize>>) {
    let mut levels = Levels::new();
    levels.update(audio);
    let total = audio.len() / FRAME;
    let frames = |ms: u32| (ms as usize).div_ceil(FRAME_MS as usize).max(1);
    let rules = WINDOW_RULES;
    let (pause, long_pause) = (frames(rules.pause_ms), frames(rules.long_pause_ms));
    let (min, max) = (frames(rules.min_stretch_ms), frames(rules.max_stretch_ms));
    let mut stretches = Vec::new();
    let mut start = 0usize;
    while start < total {
        let end = (start + max).min(total);
        let mut voiced = levels.voiced(start, (end + MIN_RUN_FRAMES).min(levels.len()));
        voiced.truncate(end - start);
        let runs = quiet_runs(&voiced);
        let into_pause = |(a, b): &(usize, usize)| a + ((b - a) / 2).min(TAIL_PAD_FRAMES);
        let voiced_before = |f: usize| voiced[..f].iter().filter(|v| **v).count();
        let at_long_pause = runs
            .iter()
            .filter(|(a, b)| *a > 0 && b - a >= long_pause)
            .map(into_pause)
            .find(|&f| voiced_before(f) >= MIN_ALONE_VOICED_FRAMES);
        let cut = match at_long_pause {
            Some(f) => f,
            None if end == total => break,
            None => runs
                .iter()
                .filter(|(a, b)| *a > 0 && b - a >= pause)
                .map(into_pause)
                .rfind(|&f| f >= min)
                .or_else(|| {
                    runs.iter()
                        .filter(|(a, _)| *a > min)
                        .max_by_key(|(a, b)| (b - a, *a))
                        .map(|(a, b)| (a + b) / 2)
                })
                .unwrap_or(end - start),
        };
        stretches.push(start * FRAME..(start + cut.max(1)) * FRAME);
        start += cut.max(1);
    }
    if start * FRAME < audio.len() {
        stretches.push(start * FRAME..audio.len());
    }
    (levels, stretches)
}

/// Speech in frames `f0..f1` that no word covers: phrases (voiced runs less than a pause
/// apart) with at least `DROPPED_MIN_MS` of voice that is not within 300 ms of a word,
/// widened to the middle of the quiet around them. Frame ranges.
pub fn uncovered_speech(
    levels: &Levels,
    f0: usize,
    f1: usize,
    words: &[(u64, u64)],
) -> Vec<(usize, usize)> {
    let f1 = f1.min(levels.len());
    if f1 <= f0 {
        return Vec::new();
    }
    let all = levels.voiced(f0, levels.len());
    let voiced = &all[..f1 - f0];
    let n = voiced.len();
    let near = (WORD_REACH_MS / FRAME_MS) as usize;
    let mut covered = vec![false; n];
    for &(s, e) in words {
        let a = ms_frame(s).saturating_sub(f0 + near);
        let b = ((e.div_ceil(FRAME_MS) as usize + near).saturating_sub(f0)).min(n);
        if a < b {
            covered[a..b].iter_mut().for_each(|c| *c = true);
        }
    }
    let quiet = quiet_runs(voiced);
    let gap = (PHRASE_GAP_MS / FRAME_MS) as usize;
    let min_voice = (DROPPED_MIN_MS / FRAME_MS) as usize;
    // Phrases: between quiet runs at least `gap` long.
    let mut bounds: Vec<(usize, usize)> = quiet
        .iter()
        .copied()
        .filter(|&(a, b)| b - a >= gap || a == 0 || b == n)
        .collect();
    bounds.insert(0, (0, 0));
    bounds.push((n, n));
    let mut out = Vec::new();
    for pair in bounds.windows(2) {
        let ((qa, qb), (ra, rb)) = (pair[0], pair[1]);
        if ra <= qb {
            continue;
        }
        let phrase = qb..ra;
        let voice = phrase.clone().filter(|&f| voiced[f]).count();
        let bare = phrase.clone().filter(|&f| voiced[f] && !covered[f]).count();
        if bare >= min_voice && bare * 5 >= voice * 4 {
            out.push((f0 + (qa + qb) / 2, f0 + (ra + rb).div_ceil(2)));
        }
    }
    out
}

/// A frame range on the take's clock, in ms.
pub fn frames_ms(frames: (usize, usize)) -> (u64, u64) {
    (
        samples_to_ms(frames.0 * FRAME),
        samples_to_ms(frames.1 * FRAME),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buzzy "voice": 150 Hz with a syllable-rate envelope (4 Hz, 14 dB deep, as speech
    /// varies), -13 dBFS at its loudest, `ms` long.
    fn voice(ms: u64) -> Vec<f32> {
        use std::f32::consts::PI;
        (0..ms as usize * 16)
            .map(|i| {
                let t = i as f32 / 16_000.0;
                0.3 * (0.6 + 0.4 * (2.0 * PI * 4.0 * t).sin()) * (2.0 * PI * 150.0 * t).sin()
            })
            .collect()
    }

    fn quiet(ms: u64) -> Vec<f32> {
        vec![0.0; ms as usize * 16]
    }

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

    fn levels(parts: &[Vec<f32>]) -> Levels {
        let audio: Vec<f32> = parts.concat();
        let mut l = Levels::new();
        // In pieces, as it arrives.
        for end in (0..=audio.len()).step_by(1_600).chain([audio.len()]) {
            l.update(&audio[..end]);
        }
        assert_eq!(l.len(), audio.len() / FRAME);
        l
    }

    #[test]
    fn silence_and_steady_noise_have_no_voice() {
        assert!(!Levels::of(&quiet(3_000)).any_voice());
        assert!(!Levels::of(&[]).any_voice());
        for db in [-80.0, -60.0, -30.0, -10.0] {
            let l = Levels::of(&noise(80_000, db, 7));
            assert!(
                !l.any_voice(),
                "{db} dBFS noise: floor {}",
                l.noise_floor_dbfs()
            );
        }
        // One click is not speech.
        let mut x = quiet(2_000);
        x[16_000..16_160].iter_mut().for_each(|s| *s = 0.9);
        assert!(!Levels::of(&x).any_voice());
    }

    #[test]
    fn voice_is_found_in_silence_and_in_noise() {
        let x = [quiet(1_000), voice(1_000), quiet(1_000)].concat();
        let l = Levels::of(&x);
        let span = l.voiced_span(0..x.len()).unwrap();
        assert_eq!(
            span,
            16_000 - PAD_FRAMES * FRAME..32_000 + PAD_FRAMES * FRAME
        );
        assert!(l.voiced_span(0..12_000).is_none());
        assert_eq!(l.voiced_ms_padded(0, 500), 0);
        assert_eq!(l.voiced_ms_padded(1_000, 2_000), 1_000);
        // Padding: a segment placed 200 ms early still overlaps its speech.
        assert_eq!(l.voiced_ms_padded(800, 1_000), 200);
        // The same voice over -45 dBFS noise.
        let y: Vec<f32> = x
            .iter()
            .zip(noise(x.len(), -45.0, 3))
            .map(|(a, b)| a + b)
            .collect();
        let l = Levels::of(&y);
        assert!(
            l.any_voice(),
            "floor {} thr {}",
            l.noise_floor_dbfs(),
            l.threshold_dbfs()
        );
        assert!(l.voiced_span(0..12_000).is_none());
    }

    #[test]
    fn the_full_pass_cuts_windows_as_long_as_whisper_takes_at_pauses() {
        // 6 s sentences with 0.5 s pauses, a 4 s silence after the fifth, more sentences.
        let sentence = || [voice(6_000), quiet(500)].concat();
        let mut x = quiet(400);
        for _ in 0..5 {
            x.extend(sentence());
        }
        x.extend(quiet(4_000));
        for _ in 0..8 {
            x.extend(sentence());
        }
        let (levels, cuts) = cut_windows(&x);
        assert_eq!(cuts.first().map(|r| r.start), Some(0));
        assert_eq!(cuts.last().map(|r| r.end), Some(x.len()));
        for w in cuts.windows(2) {
            assert_eq!(w[0].end, w[1].start, "{cuts:?}");
        }
        let ms = |r: &Range<usize>| (r.len() / 16) as u64;
        for r in &cuts {
            assert!(ms(r) <= 28_000, "{r:?} is {} ms", ms(r));
            // Each cut is in a pause, never inside a sentence.
            let f = r.end / FRAME;
            assert!(
                r.end == x.len() || !levels.any_voiced(f.saturating_sub(1), f + 1),
                "cut at {} ms is in speech",
                r.end / 16
            );
        }
        // 0-28 s holds four sentences and the start of a fifth: the first window ends in
        // the pause after the fourth; the second at the long silence, a little into it;
        // after it, 56 s of sentences take windows of at least 20 s.
        let ends: Vec<u64> = cuts.iter().map(|r| (r.end / 16) as u64).collect();
        assert_eq!(ends[0], 400 + 4 * 6_500 - 500 + 240, "{ends:?}");
        assert_eq!(ends[1], 400 + 5 * 6_500 - 500 + 300, "{ends:?}");
        assert_eq!(cuts.len(), 5, "{ends:?}");
        assert!(cuts[2..4].iter().all(|r| ms(r) >= 20_000), "{ends:?}");
    }

    #[test]
    fn quiet_runs_are_found() {
        let v = [false, true, true, false, false, true, false];
        assert_eq!(quiet_runs(&v), vec![(0, 1), (3, 5), (6, 7)]);
        assert!(quiet_runs(&[]).is_empty());
        assert!(quiet_runs(&[true, true]).is_empty());
    }

    #[test]
    fn the_switch_moves_to_a_nearby_pause() {
        // Loud everywhere except 3.2-3.5 s.
        let audio = [voice(3_200), quiet(300), voice(2_500)].concat();
        let l = Levels::of(&audio);
        let at = l.quietest_near(3_000, 500);
        assert!((3_250..=3_450).contains(&at), "{at}");
        // Nothing quieter nearby (a steady tone): stays.
        let tone: Vec<f32> = (0..96_000).map(|i| 0.2 * (i as f32 * 0.06).sin()).collect();
        assert_eq!(Levels::of(&tone).quietest_near(3_000, 500), 3_000);
        // Already in a pause: stays.
        assert_eq!(l.quietest_near(3_350, 500), 3_350);
        // Near the ends.
        assert!(l.quietest_near(0, 500) <= 500);
        assert_eq!(Levels::of(&audio[..100]).quietest_near(10, 500), 10);
    }

    #[test]
    fn stretches_end_in_pauses() {
        let o = CutRules::default();
        // The speaker stopped 400 ms ago after 9 s: cut 200 ms into the pause.
        let l = levels(&[quiet(500), voice(9_000), quiet(400)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::At(475 + 10));
        // A long pause: at most 300 ms of it.
        let l = levels(&[voice(9_000), quiet(2_000)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::At(450 + 15));
        // After 3 s only: on speculation (the answer may end here).
        let l = levels(&[quiet(500), voice(3_000), quiet(400)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::Speculate(175 + 10));
        assert_eq!(plan_cut(&l, 20, &o), Cut::Speculate(185));
        // ...but a long pause ends even a short stretch: Whisper may drop what follows
        // seconds of silence inside its window.
        let l = levels(&[quiet(500), voice(3_000), quiet(1_400)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::At(175 + 15));
        let l = levels(&[voice(3_000), quiet(3_000), voice(2_000)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::At(150 + 15));
        // A blip before a long pause is not a stretch of its own.
        let l = levels(&[voice(200), quiet(3_000), voice(2_000)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::Wait);
        // Half a second of voice is not worth speculating on.
        let l = levels(&[quiet(500), voice(500), quiet(400)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::Wait);
        // Only 200 ms quiet: maybe a breath, wait.
        let l = levels(&[voice(3_000), quiet(200)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::Wait);
        let l = levels(&[voice(9_000), quiet(200)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::Wait);
        // Nobody speaks: handed over but for the last 0.5 s, once there are 2 s.
        let l = levels(&[quiet(1_500)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::Wait);
        let l = levels(&[quiet(3_000)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::At(150 - 25));
        assert_eq!(plan_cut(&l, 125, &o), Cut::Wait);
        // Voice after the speculation point is seen.
        let l = levels(&[voice(3_000), quiet(400), voice(500)]);
        assert!(l.any_voiced(170, l.len()));
        assert!(!l.any_voiced(150, 170));
    }

    #[test]
    fn pauses_missed_while_busy_and_long_talk_are_cut() {
        let o = CutRules::default();
        // 9 s, a 500 ms pause, 3 s more and still talking: the pause that went by while
        // the worker was busy ends the stretch.
        let l = levels(&[voice(9_000), quiet(500), voice(3_000)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::At(450 + 12));
        // A pause before the minimum length is not used: wait for the next one.
        let l = levels(&[voice(4_000), quiet(500), voice(5_000)]);
        assert_eq!(plan_cut(&l, 0, &o), Cut::Wait);
        // 26 s with only 60 ms gaps: cut at a gap between 8 and 25 s.
        let mut parts = Vec::new();
        for _ in 0..26 {
            parts.push(voice(940));
            parts.push(quiet(60));
        }
        parts.pop();
        let l = levels(&parts);
        match plan_cut(&l, 0, &o) {
            Cut::At(f) => {
                assert!((400..=1_250).contains(&f), "{f}");
                assert!(l.db[f] < -100.0, "not in a gap: frame {f}");
            }
            other => panic!("{other:?}"),
        }
        // No gap at all: still cut, within the limits.
        let l = levels(&[voice(26_000)]);
        assert!(matches!(plan_cut(&l, 0, &o), Cut::At(f) if (400..=1_250).contains(&f)));
    }

    #[test]
    fn a_whole_file_is_cut_as_it_would_be_streamed() {
        let o = CutRules::default();
        // Sentences of 4-6 s with short pauses, a long thinking pause, then more.
        let audio = [
            quiet(500),
            voice(5_000),
            quiet(600),
            voice(4_000),
            quiet(3_000),
            voice(3_000),
            quiet(500),
            voice(2_000),
            quiet(700),
        ]
        .concat();
        let (levels, stretches) = cut_all(&audio, &o);
        assert_eq!(levels.len(), audio.len() / FRAME);
        let ms: Vec<(u64, u64)> = stretches
            .iter()
            .map(|r| (samples_to_ms(r.start), samples_to_ms(r.end)))
            .collect();
        // End to end, in order.
        assert_eq!(ms[0].0, 0);
        assert_eq!(ms.last().unwrap().1, samples_to_ms(audio.len()));
        assert!(ms.windows(2).all(|w| w[0].1 == w[1].0), "{ms:?}");
        // At each pause after a short stretch (5.5 s, 16.1 s) the streamer transcribes on
        // speculation, 140 ms into the pause; when the speaker goes on, that speculation is
        // a stretch of its own. After 8 s the next pause (10.1 s) cuts as soon as it is
        // 300 ms long; 2 s of the thinking pause are handed over as they are (nothing to
        // transcribe); the last speculation ends the answer, and the tail of silence is left.
        assert_eq!(
            ms,
            [
                (0, 5_640),
                (5_640, 10_240),
                (10_240, 11_800),
                (11_800, 16_240),
                (16_240, 18_740),
                (18_740, 19_300)
            ]
        );
        // Each stretch in the middle of a pause, never in speech.
        for r in &stretches[..stretches.len() - 1] {
            assert!(
                !levels.any_voiced(r.end / FRAME - 1, r.end / FRAME + 1),
                "{ms:?}"
            );
        }
        // Silence only: one stretch, nothing voiced.
        let (l, s) = cut_all(&quiet(5_000), &o);
        assert!(!l.any_voice());
        assert_eq!(s.iter().map(Range::len).sum::<usize>(), 80_000);
        assert!(cut_all(&[], &o).1.is_empty());
    }

    #[test]
    fn speech_without_words_is_found() {
        // Two sentences, 1 s apart; words only on the first.
        let l = levels(&[
            quiet(400),
            voice(2_000),
            quiet(1_000),
            voice(2_000),
            quiet(600),
        ]);
        let first = [(450, 1_000), (1_100, 2_300)];
        assert_eq!(
            uncovered_speech(&l, 0, l.len(), &first),
            vec![((120 + 170) / 2, (270 + 300_usize).div_ceil(2))]
        );
        // Both covered: nothing. From a later start: frames stay on the take's clock.
        let both = [(450, 2_300), (3_450, 5_350)];
        assert!(uncovered_speech(&l, 0, l.len(), &both).is_empty());
        assert_eq!(uncovered_speech(&l, 100, l.len(), &first), vec![(145, 285)]);
        // Words a little off still cover; short unworded bits do not count.
        let off = [(100, 2_000), (3_800, 4_900)];
        assert!(uncovered_speech(&l, 0, l.len(), &off).is_empty());
        let l = levels(&[quiet(400), voice(600), quiet(600)]);
        assert!(uncovered_speech(&l, 0, l.len(), &[]).is_empty());
    }
}
