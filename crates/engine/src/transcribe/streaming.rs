//! Ready at stop: transcribe a take while it is being recorded, so that its whole
//! transcript is there moments after the answer ends.
//!
//! The recorder hands native-rate mono samples to [`StreamingTranscriber::push`] as they
//! arrive (a channel: it never blocks). A worker thread resamples them to 16 kHz (the same
//! resampler, chunking and delay compensation as the batch path, so the audio Whisper sees
//! is sample for sample the batch audio), follows the voice level in 20 ms frames (the
//! voice gate's threshold over the take so far), and cuts the audio into stretches at
//! pauses ([`StreamingOptions`]):
//!
//! - a pause ([`StreamingOptions::pause_ms`] of quiet after speech) ends a stretch once the
//!   stretch is [`StreamingOptions::min_stretch_ms`] long (Whisper is less accurate on short
//!   clips); a pause the worker was too busy to use when it happened is used later;
//! - a pause after a shorter stretch, when the worker is free, makes it transcribe the
//!   stretch *on speculation*: kept if nothing more is said (the answer ended: the
//!   transcript is then ready about one Whisper pass after the last word, often before
//!   stop is pressed), thrown away when the speaker goes on;
//! - at [`StreamingOptions::max_stretch_ms`] a stretch is cut at its longest quiet moment.
//!
//! Each stretch goes through [`Transcriber::transcribe`] (the voice gate, the forced
//! language, the filler prompt, word timings) and is put on the take's clock. Whisper now
//! and then skips a whole sentence of a stretch: speech that no word covers is transcribed
//! again on its own. The language follows the [`LanguagePlan`]; the English-switch moment
//! may become known only while recording ([`StreamingTranscriber::set_switch_at`]): a
//! stretch that spans it is split at it (at the quietest moment within 0.5 s, as in the
//! batch path), and a finished stretch that turns out to hold speech after it (the message
//! came late) is transcribed again. [`StreamingTranscriber::finish`] transcribes what is
//! left and returns the whole transcript, shaped as the batch one.
//!
//! Whisper runs only on the worker thread, with the [`Transcriber`]'s thread count and an
//! encoder window fitted to the stretch ([`EncoderWindow::Fitted`]): Whisper's encoder
//! otherwise sees 30 s whatever the stretch, and one pass of base on one thread of this
//! 2-core machine took ~2.2 s for any stretch; fitted, an 11 s stretch takes 0.8 s with the
//! same words. The time from stop to transcript is about one pass over the last stretch
//! less the quiet before stop, and often nothing: the speculation has it ready
//! (`cargo bench --bench transcribe`, part (c)).

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use greenroom_core::transcript::{Segment, Transcript, Word};
use greenroom_core::Lang;
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::gate::GateParams;
use super::pcm::{samples_to_ms, WHISPER_RATE};
use super::whisper::{EncoderWindow, LanguagePlan, RunTuning, Transcriber};
use crate::EngineError;

/// Level frames: 20 ms at 16 kHz.
const FRAME: usize = 320;
const FRAME_MS: u64 = 20;
/// At most this much of a pause goes with the stretch before it (the gate keeps 300 ms
/// around speech; the rest starts the next stretch).
const TAIL_PAD_FRAMES: usize = 15;
/// Audio with no voice is handed over once it is this long (but for its last 0.5 s)...
const SILENCE_KEEP_FRAMES: usize = 100;
const SILENCE_TAIL_FRAMES: usize = 25;
/// Speech that no word comes within [`WORD_REACH_MS`] of, in a phrase with at least this
/// much voice, was dropped by Whisper and is transcribed again on its own.
const DROPPED_MIN_MS: u64 = 1_000;
const WORD_REACH_MS: u64 = 300;
/// Voiced runs closer than this belong to one phrase.
const PHRASE_GAP_MS: u64 = 300;
/// Level histogram bins: 1 dB from -130 dBFS to 0.
const HIST_BINS: usize = 131;
/// The noise floor the cutting rules assume is at most this: a higher percentile means
/// the take so far is nearly all speech (its first seconds), not that the room is loud.
const MAX_FLOOR_DBFS: f32 = -45.0;

/// When to cut stretches. The defaults suit answers spoken at a normal pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamingOptions {
    /// A quiet run this long after speech is a pause.
    pub pause_ms: u32,
    /// A stretch ends at a pause once it is this long (Whisper is less accurate on short
    /// clips). A shorter one followed by a pause is transcribed on speculation, kept only
    /// if nothing more is said.
    pub min_stretch_ms: u32,
    /// Pending audio this long is cut at its longest quiet moment.
    pub max_stretch_ms: u32,
    /// The encoder window of each pass: fitted to the stretch by default (the latency at
    /// stop is one pass over the last stretch), [`EncoderWindow::Full`] to match batch runs.
    pub window: EncoderWindow,
}

impl Default for StreamingOptions {
    fn default() -> Self {
        StreamingOptions {
            pause_ms: 300,
            min_stretch_ms: 8_000,
            max_stretch_ms: 25_000,
            window: EncoderWindow::Fitted,
        }
    }
}

/// How far the worker is (for a progress display).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamingProgress {
    /// Audio received so far (take clock, after resampling).
    pub received_ms: u64,
    /// Audio up to here is transcribed.
    pub transcribed_ms: u64,
    /// Transcriber runs so far: stretches (silent ones included: they cost nothing),
    /// speculative ones, stretches done again for a late switch, repairs.
    pub stretches: u32,
    /// Runs over speech that Whisper had skipped in its stretch.
    pub repairs: u32,
}

enum Msg {
    Audio(Vec<f32>),
    SwitchAt(u64),
    Finish,
}

#[derive(Default)]
struct Shared {
    received_ms: AtomicU64,
    transcribed_ms: AtomicU64,
    stretches: AtomicU32,
    repairs: AtomicU32,
    /// Segments and words of the finished stretches, in order.
    partial: Mutex<(Vec<Segment>, Vec<Word>)>,
}

/// Transcribes a take while it is recorded. See the module documentation.
pub struct StreamingTranscriber {
    tx: Sender<Msg>,
    cancel: Arc<AtomicBool>,
    shared: Arc<Shared>,
    /// The worker, or why there is none (taken by finish).
    worker: Result<JoinHandle<Result<Transcript, EngineError>>, Option<EngineError>>,
}

impl std::fmt::Debug for StreamingTranscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingTranscriber")
            .field("progress", &self.progress())
            .finish_non_exhaustive()
    }
}

impl StreamingTranscriber {
    /// Starts the worker for a take recorded at `input_rate` Hz (mono), in the languages of
    /// `plan` (its switch may be left out and set later with [`Self::set_switch_at`]).
    pub fn start(
        transcriber: Arc<Transcriber>,
        plan: LanguagePlan,
        input_rate: u32,
    ) -> StreamingTranscriber {
        Self::start_with(transcriber, plan, input_rate, StreamingOptions::default())
    }

    /// [`Self::start`] with other cutting rules.
    pub fn start_with(
        transcriber: Arc<Transcriber>,
        plan: LanguagePlan,
        input_rate: u32,
        opts: StreamingOptions,
    ) -> StreamingTranscriber {
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared::default());
        let worker = Worker::new(
            transcriber,
            plan,
            input_rate,
            opts,
            rx,
            cancel.clone(),
            shared.clone(),
        );
        let worker = std::thread::Builder::new()
            .name("greenroom-stt-stream".into())
            .spawn(move || worker.run())
            .map_err(|e| Some(EngineError::io("start a thread for", "transcription", e)));
        StreamingTranscriber {
            tx,
            cancel,
            shared,
            worker,
        }
    }

    /// Hands over mono samples at the input rate, as recorded. Never blocks (copies them
    /// into a channel); call it from the thread that consumes the capture stream.
    pub fn push(&self, mono: &[f32]) {
        if !mono.is_empty() {
            let _ = self.tx.send(Msg::Audio(mono.to_vec()));
        }
    }

    /// [`Self::push`] without a copy.
    pub fn push_owned(&self, mono: Vec<f32>) {
        if !mono.is_empty() {
            let _ = self.tx.send(Msg::Audio(mono));
        }
    }

    /// The English switch happened `at_ms` into the take (the take clock of the pushed
    /// audio): audio after it is transcribed in English. Never blocks.
    pub fn set_switch_at(&self, at_ms: u64) {
        let _ = self.tx.send(Msg::SwitchAt(at_ms));
    }

    /// How far the worker is.
    pub fn progress(&self) -> StreamingProgress {
        StreamingProgress {
            received_ms: self.shared.received_ms.load(Ordering::Relaxed),
            transcribed_ms: self.shared.transcribed_ms.load(Ordering::Relaxed),
            stretches: self.shared.stretches.load(Ordering::Relaxed),
            repairs: self.shared.repairs.load(Ordering::Relaxed),
        }
    }

    /// The segments and words of the stretches transcribed so far (a live view; the
    /// transcript [`Self::finish`] returns is the one to keep).
    pub fn partial(&self) -> (Vec<Segment>, Vec<Word>) {
        self.shared
            .partial
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Ends the take: transcribes what is left and returns the whole transcript (model,
    /// duration, switch, segments and words on the take's clock). Blocks until then.
    pub fn finish(mut self) -> Result<Transcript, EngineError> {
        let _ = self.tx.send(Msg::Finish);
        let handle = match std::mem::replace(&mut self.worker, Err(None)) {
            Ok(h) => h,
            Err(e) => return Err(e.unwrap_or(EngineError::Cancelled)),
        };
        match handle.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    /// Stops without a transcript. Does not wait: a whisper pass in progress stops within
    /// one encoder pass (~1-2 s with base here) on the worker thread.
    pub fn cancel(self) {
        drop(self);
    }
}

impl Drop for StreamingTranscriber {
    fn drop(&mut self) {
        if self.worker.is_ok() {
            self.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// Native rate to 16 kHz, chunk by chunk, with exactly the output of
/// [`super::pcm::resample_to_16k`] over the whole recording (the same resampler and the
/// same steps as rubato's `process_all`).
struct StreamResampler {
    fft: Option<Fft<f32>>,
    /// Input not yet resampled.
    input: Vec<f32>,
    input_total: usize,
    /// Resampler output (may still move until the delay is trimmed).
    out: Vec<f32>,
    /// Where the next output goes; everything before it is final once trimmed.
    out_offset: usize,
    out_len: usize,
    to_trim: usize,
    chunk_out: Vec<f32>,
}

impl StreamResampler {
    fn new(rate: u32) -> Result<StreamResampler, EngineError> {
        let fft = if rate == WHISPER_RATE {
            None
        } else {
            let fft = Fft::<f32>::new(
                rate as usize,
                WHISPER_RATE as usize,
                1024,
                1,
                FixedSync::Both,
            )
            .map_err(|e| EngineError::InvalidArgument {
                name: "audio".into(),
                detail: format!("cannot resample {rate} Hz to {WHISPER_RATE} Hz: {e}"),
            })?;
            Some(fft)
        };
        let to_trim = fft.as_ref().map_or(0, Resampler::output_delay);
        let chunk = fft.as_ref().map_or(0, Resampler::output_frames_max);
        Ok(StreamResampler {
            fft,
            input: Vec::new(),
            input_total: 0,
            out: Vec::new(),
            out_offset: 0,
            out_len: 0,
            to_trim,
            chunk_out: vec![0.0; chunk],
        })
    }

    /// Output samples that will not change any more.
    fn ready(&self) -> usize {
        match self.fft {
            None => self.out.len(),
            Some(_) if self.to_trim == 0 => self.out_offset,
            Some(_) => 0,
        }
    }

    fn samples(&self) -> &[f32] {
        &self.out
    }

    fn push(&mut self, samples: &[f32]) -> Result<(), EngineError> {
        self.input_total += samples.len();
        if self.fft.is_none() {
            self.out.extend_from_slice(samples);
            return Ok(());
        }
        self.input.extend_from_slice(samples);
        let next = self.fft.as_ref().map_or(0, Resampler::input_frames_next);
        let mut used = 0;
        // As process_all: whole chunks while more than one chunk is left.
        while self.input.len() - used > next {
            let n_out = self.process_chunk(used, None)?;
            used += next;
            self.out_len += n_out;
            if self.to_trim > 0 && self.out_len > self.to_trim {
                // rubato moves `to_trim` frames from `to_trim` to 0 (copy_frames_within).
                let t = self.to_trim;
                if self.out.len() < 2 * t {
                    self.out.resize(2 * t, 0.0);
                }
                self.out.copy_within(t..2 * t, 0);
                self.out_len -= t;
                self.out_offset -= t;
                self.to_trim = 0;
            }
        }
        self.input.drain(..used);
        Ok(())
    }

    /// Resamples one chunk of `self.input` from `from` (a partial one when `partial` is
    /// set) into `out` at `out_offset`; returns the frames written.
    fn process_chunk(&mut self, from: usize, partial: Option<usize>) -> Result<usize, EngineError> {
        let Some(fft) = self.fft.as_mut() else {
            return Ok(0);
        };
        let err = |e: String| EngineError::InvalidArgument {
            name: "audio".into(),
            detail: format!("cannot resample to {WHISPER_RATE} Hz: {e}"),
        };
        let need = fft.input_frames_next();
        let avail = &self.input[from.min(self.input.len())..];
        let padded;
        let input: &[f32] = if avail.len() >= need {
            &avail[..need]
        } else {
            let mut v = avail.to_vec();
            v.resize(need, 0.0);
            padded = v;
            &padded
        };
        let input = InterleavedSlice::new(input, 1, need).map_err(|e| err(e.to_string()))?;
        let frames = self.chunk_out.len();
        let mut output = InterleavedSlice::new_mut(&mut self.chunk_out, 1, frames)
            .map_err(|e| err(e.to_string()))?;
        let mut indexing = Indexing::new();
        if let Some(p) = partial {
            indexing = indexing.partial_len(p);
        }
        let (_, n_out) = fft
            .process_into_buffer(&input, &mut output, Some(&indexing))
            .map_err(|e| err(e.to_string()))?;
        let end = self.out_offset + n_out;
        if self.out.len() < end {
            self.out.resize(end, 0.0);
        }
        self.out[self.out_offset..end].copy_from_slice(&self.chunk_out[..n_out]);
        self.out_offset = end;
        Ok(n_out)
    }

    /// The end of the input: the last partial chunk, zeros until the output has the
    /// length of the input in time. Returns the final length.
    fn finish(&mut self) -> Result<usize, EngineError> {
        let Some(fft) = self.fft.as_ref() else {
            return Ok(self.out.len());
        };
        let expected = (fft.resample_ratio() * self.input_total as f64).ceil() as usize;
        let left = self.input.len();
        if left > 0 {
            let n = self.process_chunk(0, Some(left))?;
            self.out_len += n;
        }
        self.input.clear();
        while self.out_len < expected {
            let n = self.process_chunk(0, Some(0))?;
            if n == 0 {
                break;
            }
            self.out_len += n;
        }
        self.out.resize(self.out_offset.max(expected), 0.0);
        self.out.truncate(expected);
        self.out_offset = expected;
        self.to_trim = 0;
        Ok(expected)
    }
}

/// The level of each 20 ms frame of the take so far, and the voice threshold the gate
/// would use (above the noise floor, a low percentile of all levels, by a margin; above an
/// absolute floor).
struct Levels {
    gate: GateParams,
    /// dBFS of each whole frame.
    db: Vec<f32>,
    /// 1 dB bins from -130 dBFS to 0.
    hist: [u32; HIST_BINS],
}

impl Levels {
    fn new() -> Levels {
        Levels {
            gate: GateParams::default(),
            db: Vec::new(),
            hist: [0; HIST_BINS],
        }
    }

    fn len(&self) -> usize {
        self.db.len()
    }

    /// Adds the whole frames of `audio` (all samples so far) not seen yet.
    fn update(&mut self, audio: &[f32]) {
        while (self.db.len() + 1) * FRAME <= audio.len() {
            let i = self.db.len();
            let energy = audio[i * FRAME..(i + 1) * FRAME]
                .iter()
                .map(|&s| f64::from(s) * f64::from(s))
                .sum::<f64>()
                / FRAME as f64;
            let db = if energy <= 1e-13 {
                -130.0
            } else {
                ((10.0 * energy.log10()) as f32).clamp(-130.0, 0.0)
            };
            self.hist[((db + 130.0) as usize).min(HIST_BINS - 1)] += 1;
            self.db.push(db);
        }
    }

    fn threshold(&self) -> f32 {
        let total: u32 = self.hist.iter().sum();
        let mut floor = -130.0;
        if total > 0 {
            let rank = ((total - 1) as f32 * self.gate.floor_percentile.clamp(0.0, 1.0)) as u32;
            let mut seen = 0;
            for (bin, &n) in self.hist.iter().enumerate() {
                seen += n;
                if seen > rank {
                    floor = bin as f32 - 130.0;
                    break;
                }
            }
        }
        (floor.min(MAX_FLOOR_DBFS) + self.gate.margin_db).max(self.gate.min_level_dbfs)
    }

    /// Voiced frames `f0..f1`: above the threshold, in runs long enough to be speech (a
    /// short run at the very end may be the start of one and counts).
    fn voiced(&self, f0: usize, f1: usize) -> Vec<bool> {
        let thr = self.threshold();
        let f1 = f1.min(self.db.len());
        let f0 = f0.min(f1);
        let mut v: Vec<bool> = self.db[f0..f1].iter().map(|&l| l > thr).collect();
        let min_run = (self.gate.min_run_ms as usize).div_ceil(FRAME_MS as usize);
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
            if i - s < min_run && i < v.len() {
                v[s..i].iter_mut().for_each(|x| *x = false);
            }
        }
        v
    }

    fn any_voiced_ms(&self, from_ms: u64, to_ms: u64) -> bool {
        self.any_voiced(
            (from_ms / FRAME_MS) as usize,
            to_ms.div_ceil(FRAME_MS) as usize,
        )
    }

    /// Whether any of frames `f0..f1` is voiced (judged with what follows them).
    fn any_voiced(&self, f0: usize, f1: usize) -> bool {
        f1 > f0
            && self.voiced(f0, self.len())[..(f1 - f0).min(self.len().saturating_sub(f0))]
                .iter()
                .any(|v| *v)
    }

    /// Energy of frames `a..b`.
    fn energy(&self, a: usize, b: usize) -> f64 {
        self.db[a..b]
            .iter()
            .map(|&l| 10f64.powf(f64::from(l) / 10.0))
            .sum()
    }
}

/// What to do with the pending audio that starts at frame `f0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Wait for more audio.
    Wait,
    /// Transcribe up to this frame.
    At(usize),
    /// Transcribe up to this frame in case nothing more is said (a pause after a short
    /// stretch: the end of the answer, or just of a sentence).
    Speculate(usize),
}

fn plan_cut(levels: &Levels, f0: usize, opts: &StreamingOptions) -> Cut {
    let f1 = levels.len();
    if f1 <= f0 {
        return Cut::Wait;
    }
    let voiced = levels.voiced(f0, f1);
    let n = voiced.len();
    let Some(last) = voiced.iter().rposition(|v| *v) else {
        // Nobody has spoken since the last stretch: hand it over (the transcriber's gate
        // has the last word; usually there is nothing to run) but for the last moments.
        return if n > SILENCE_KEEP_FRAMES {
            Cut::At(f1 - SILENCE_TAIL_FRAMES)
        } else {
            Cut::Wait
        };
    };
    let frames = |ms: u32| (ms as usize).div_ceil(FRAME_MS as usize).max(1);
    let pause = frames(opts.pause_ms);
    let min = frames(opts.min_stretch_ms);
    let max = frames(opts.max_stretch_ms).max(min + 1);
    let trailing = n - last - 1;
    if trailing >= pause {
        // The speaker stopped: up to a little into the pause. A short stretch is only
        // transcribed on speculation: it is kept if the answer ends here.
        let cut = f0 + last + 1 + (trailing / 2).min(TAIL_PAD_FRAMES);
        return if n >= min {
            Cut::At(cut)
        } else {
            Cut::Speculate(cut)
        };
    }
    if n >= min {
        // A pause that went by while the worker was busy: the latest one that keeps the
        // stretch within the maximum.
        let cut = quiet_runs(&voiced[..=last])
            .into_iter()
            .filter(|&(a, b)| a > 0 && b - a >= pause)
            .map(|(a, b)| a + ((b - a) / 2).min(TAIL_PAD_FRAMES))
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

/// Segments, words and the switch used, of one transcriber run.
type Pass = (Vec<Segment>, Vec<Word>, Option<u64>);

/// Speech in frames `f0..f1` that no word covers: phrases (voiced runs less than a pause
/// apart) with at least [`DROPPED_MIN_MS`] of voice that is not within 300 ms of a word,
/// widened to the middle of the quiet around them. Frame ranges.
fn uncovered_speech(levels: &Levels, f0: usize, f1: usize, words: &[Word]) -> Vec<(usize, usize)> {
    let f1 = f1.min(levels.len());
    if f1 <= f0 {
        return Vec::new();
    }
    let all = levels.voiced(f0, levels.len());
    let voiced = &all[..f1 - f0];
    let n = voiced.len();
    let near = (WORD_REACH_MS / FRAME_MS) as usize;
    let mut covered = vec![false; n];
    for w in words {
        let a = ((w.start_ms / FRAME_MS) as usize).saturating_sub(f0 + near);
        let b = ((w.end_ms.div_ceil(FRAME_MS) as usize + near).saturating_sub(f0)).min(n);
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

/// A transcribed stretch.
struct Stretch {
    start: usize,
    end: usize,
    /// The switch it was transcribed with.
    switch_used: Option<u64>,
    redo: bool,
    segments: Vec<Segment>,
    words: Vec<Word>,
}

struct Worker {
    /// Threads (the transcriber's own count) and encoder window for whisper passes.
    tuning: RunTuning,
    transcriber: Arc<Transcriber>,
    plan: LanguagePlan,
    opts: StreamingOptions,
    rx: Receiver<Msg>,
    cancel: Arc<AtomicBool>,
    shared: Arc<Shared>,
    resampler: Result<StreamResampler, Option<EngineError>>,
    levels: Levels,
    /// Where the pending (not yet transcribed) audio starts, in samples (a frame start).
    start: usize,
    done: Vec<Stretch>,
    /// The pending audio up to a pause, transcribed in case the take ends there.
    spec: Option<Stretch>,
    finishing: bool,
}

enum Job {
    Redo(usize),
    Cut(usize),
    Speculate(usize),
}

impl Worker {
    fn new(
        transcriber: Arc<Transcriber>,
        plan: LanguagePlan,
        input_rate: u32,
        opts: StreamingOptions,
        rx: Receiver<Msg>,
        cancel: Arc<AtomicBool>,
        shared: Arc<Shared>,
    ) -> Worker {
        Worker {
            tuning: RunTuning {
                threads: transcriber.threads(),
                window: opts.window,
            },
            transcriber,
            plan,
            opts,
            rx,
            cancel,
            shared,
            resampler: StreamResampler::new(input_rate).map_err(Some),
            levels: Levels::new(),
            start: 0,
            done: Vec::new(),
            spec: None,
            finishing: false,
        }
    }

    fn run(mut self) -> Result<Transcript, EngineError> {
        loop {
            // Wait for something, then take everything that is queued.
            let Ok(msg) = self.rx.recv() else {
                return Err(EngineError::Cancelled);
            };
            self.handle(msg)?;
            self.drain()?;
            while !self.finishing {
                let Some(job) = self.next_job() else { break };
                self.run_job(job)?;
                self.drain()?;
            }
            if self.finishing {
                return self.finish();
            }
        }
    }

    fn check_cancel(&self) -> Result<(), EngineError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(EngineError::Cancelled)
        } else {
            Ok(())
        }
    }

    fn drain(&mut self) -> Result<(), EngineError> {
        while !self.finishing {
            match self.rx.try_recv() {
                Ok(msg) => self.handle(msg)?,
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => return Err(EngineError::Cancelled),
            }
        }
        self.check_cancel()
    }

    fn handle(&mut self, msg: Msg) -> Result<(), EngineError> {
        self.check_cancel()?;
        match msg {
            Msg::Audio(samples) => {
                if let Ok(r) = self.resampler.as_mut() {
                    if let Err(e) = r.push(&samples) {
                        self.resampler = Err(Some(e));
                    }
                }
                self.update_levels();
            }
            Msg::SwitchAt(ms) => self.set_switch(ms),
            Msg::Finish => self.finishing = true,
        }
        Ok(())
    }

    fn audio(&self) -> &[f32] {
        match &self.resampler {
            Ok(r) => &r.samples()[..r.ready()],
            Err(_) => &[],
        }
    }

    fn update_levels(&mut self) {
        let audio = match &self.resampler {
            Ok(r) => &r.samples()[..r.ready()],
            Err(_) => &[],
        };
        self.levels.update(audio);
        self.shared
            .received_ms
            .store(samples_to_ms(audio.len()), Ordering::Relaxed);
    }

    fn set_switch(&mut self, at_ms: u64) {
        self.plan.switch_at_ms = Some(at_ms);
        self.spec = None;
        if self.plan.lang == Lang::En {
            return;
        }
        // Finished stretches whose language changes where someone spoke: again.
        for s in &mut self.done {
            let (lo, hi) = match s.switch_used {
                Some(o) => (o.min(at_ms), o.max(at_ms)),
                None => (at_ms, u64::MAX),
            };
            let lo = lo.max(samples_to_ms(s.start));
            let hi = hi.min(samples_to_ms(s.end));
            if s.switch_used != Some(at_ms) && lo < hi && self.levels.any_voiced_ms(lo, hi) {
                s.redo = true;
            }
        }
    }

    fn next_job(&mut self) -> Option<Job> {
        if let Some(i) = self.done.iter().position(|s| s.redo) {
            return Some(Job::Redo(i));
        }
        match plan_cut(&self.levels, self.start / FRAME, &self.opts) {
            Cut::Wait => None,
            Cut::At(f) => Some(Job::Cut(f * FRAME)),
            Cut::Speculate(f) if self.spec_covers(f * FRAME) => None,
            Cut::Speculate(f) => Some(Job::Speculate(f * FRAME)),
        }
    }

    /// Whether the speculative stretch holds all that was said before `end`.
    fn spec_covers(&self, end: usize) -> bool {
        self.spec
            .as_ref()
            .is_some_and(|s| self.spec_covers_with(s, end))
    }

    fn spec_covers_with(&self, spec: &Stretch, end: usize) -> bool {
        spec.start == self.start
            && spec.end <= end
            && !self.levels.any_voiced(spec.end / FRAME, end / FRAME)
    }

    fn run_job(&mut self, job: Job) -> Result<(), EngineError> {
        match job {
            Job::Cut(end) => {
                let stretch = match self.spec.take() {
                    // Nothing said since the speculation: it is the stretch.
                    Some(spec) if self.spec_covers_with(&spec, end) => spec,
                    _ => self.transcribe(self.start, end)?,
                };
                self.start = stretch.end;
                self.done.push(stretch);
            }
            Job::Speculate(end) => {
                self.spec = Some(self.transcribe(self.start, end)?);
                return Ok(());
            }
            Job::Redo(i) => {
                let (start, end) = (self.done[i].start, self.done[i].end);
                self.done[i] = self.transcribe(start, end)?;
            }
        }
        self.publish();
        Ok(())
    }

    /// Transcribes `start..end` (samples) in the languages the plan gives it, on the
    /// take's clock. Whisper now and then skips a whole sentence: speech that no word
    /// covers is transcribed again on its own.
    fn transcribe(&self, start: usize, end: usize) -> Result<Stretch, EngineError> {
        let (mut segments, mut words, switch) = self.pass(start, end)?;
        for (a, b) in uncovered_speech(&self.levels, start / FRAME, end / FRAME, &words) {
            let (a, b) = (a * FRAME, (b * FRAME).min(end));
            let (a_ms, b_ms) = (samples_to_ms(a), samples_to_ms(b));
            let (more_segments, more_words, _) = self.pass(a, b)?;
            self.shared.repairs.fetch_add(1, Ordering::Relaxed);
            let outside = |s: u64, e: u64| !((a_ms..b_ms).contains(&((s + e) / 2)));
            segments.retain(|s| outside(s.start_ms, s.end_ms));
            words.retain(|w| outside(w.start_ms, w.end_ms));
            segments.extend(more_segments);
            words.extend(more_words);
            segments.sort_by_key(|s| s.start_ms);
            words.sort_by_key(|w| w.start_ms);
        }
        Ok(Stretch {
            start,
            end,
            switch_used: switch,
            redo: false,
            segments,
            words,
        })
    }

    /// One run of the transcriber over `start..end`; also the switch it used.
    fn pass(&self, start: usize, end: usize) -> Result<Pass, EngineError> {
        let audio = &self.audio()[start..end];
        let (start_ms, end_ms) = (samples_to_ms(start), samples_to_ms(end));
        let lang = self.plan.lang;
        let switch = if lang == Lang::En {
            None
        } else {
            self.plan.switch_at_ms
        };
        let plan = match switch {
            Some(s) if s <= start_ms => LanguagePlan::only(Lang::En),
            // Split at the switch (the transcriber moves it to a pause within 0.5 s).
            Some(s) if s < end_ms => LanguagePlan::new(lang, Some(s - start_ms)),
            _ => LanguagePlan::only(lang),
        };
        self.shared.stretches.fetch_add(1, Ordering::Relaxed);
        let tr = self.transcriber.transcribe_with(
            audio,
            &plan,
            &mut |_| {},
            &self.cancel,
            self.tuning,
        )?;
        let shift = |t: u64| (t + start_ms).min(end_ms);
        let segments = tr
            .segments
            .into_iter()
            .map(|s| Segment {
                start_ms: shift(s.start_ms),
                end_ms: shift(s.end_ms),
                ..s
            })
            .collect();
        let words = tr
            .words
            .into_iter()
            .map(|w| Word {
                start_ms: shift(w.start_ms),
                end_ms: shift(w.end_ms),
                ..w
            })
            .collect();
        Ok((segments, words, switch))
    }

    fn publish(&self) {
        let (segments, words) = self.assemble();
        self.shared
            .transcribed_ms
            .store(samples_to_ms(self.start), Ordering::Relaxed);
        *self
            .shared
            .partial
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = (segments, words);
    }

    fn assemble(&self) -> (Vec<Segment>, Vec<Word>) {
        let mut order: Vec<&Stretch> = self.done.iter().collect();
        order.sort_by_key(|s| s.start);
        let segments = order
            .iter()
            .flat_map(|s| s.segments.iter().cloned())
            .collect();
        let mut words: Vec<Word> = order.iter().flat_map(|s| s.words.iter().cloned()).collect();
        let mut last = 0;
        for w in &mut words {
            w.start_ms = w.start_ms.max(last);
            w.end_ms = w.end_ms.max(w.start_ms);
            last = w.start_ms;
        }
        (segments, words)
    }

    fn finish(mut self) -> Result<Transcript, EngineError> {
        let total = match &mut self.resampler {
            Ok(r) => r.finish()?,
            Err(e) => {
                return Err(e.take().unwrap_or_else(|| EngineError::InvalidArgument {
                    name: "audio".into(),
                    detail: "cannot resample".into(),
                }))
            }
        };
        self.update_levels();
        // (Two threads for these final passes, once recording has stopped, measured no
        // faster than one on the 2-core machine: 1.57 s vs 1.48-1.53 s for a 2-minute
        // answer. `threads` stays the transcriber's; see the README's benchmark notes.)
        // A late switch can leave finished stretches to do again.
        while let Some(i) = self.done.iter().position(|s| s.redo) {
            self.run_job(Job::Redo(i))?;
        }
        // Nothing said after the speculation: it is the last stretch but for silence.
        if let Some(spec) = self.spec.take() {
            if self.spec_covers_with(&spec, total) {
                self.start = spec.end;
                self.done.push(spec);
            }
        }
        if total > self.start {
            let tail = self.transcribe(self.start, total)?;
            self.start = total;
            self.done.push(tail);
        }
        self.publish();
        let (segments, words) = self.assemble();
        Ok(Transcript {
            model: self.transcriber.name().to_owned(),
            duration_ms: samples_to_ms(total),
            switch_at_ms: self.plan.switch_at_ms,
            segments,
            words,
        })
    }
}

/// Runs of `false` in `voiced`, as `(start, end)` index pairs.
fn quiet_runs(voiced: &[bool]) -> Vec<(usize, usize)> {
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

#[cfg(test)]
mod tests {
    use super::super::pcm::resample_to_16k;
    use super::*;

    fn chirp(rate: u32, secs: f32) -> Vec<f32> {
        (0..(rate as f32 * secs) as usize)
            .map(|i| {
                let t = i as f32 / rate as f32;
                0.4 * (2.0 * std::f32::consts::PI * (200.0 + 900.0 * t) * t).sin()
            })
            .collect()
    }

    #[test]
    fn streamed_resampling_is_the_batch_resampling() {
        for rate in [16_000, 44_100, 48_000, 8_000] {
            for secs in [0.01, 0.3, 2.7] {
                let x = chirp(rate, secs);
                let batch = resample_to_16k(&x, rate).unwrap();
                for chunk in [7, 441, 4_800, 100_000] {
                    let mut r = StreamResampler::new(rate).unwrap();
                    let mut seen_ready = 0;
                    for c in x.chunks(chunk) {
                        r.push(c).unwrap();
                        // What is ready never changes afterwards.
                        assert!(r.ready() >= seen_ready);
                        seen_ready = r.ready();
                        assert_eq!(&r.samples()[..seen_ready], &batch[..seen_ready]);
                    }
                    let n = r.finish().unwrap();
                    assert_eq!(n, batch.len(), "{rate} Hz, {secs} s, chunks of {chunk}");
                    assert_eq!(r.samples(), &batch[..], "{rate} Hz, {secs} s, {chunk}");
                    assert_eq!(r.ready(), n);
                }
            }
        }
        assert!(StreamResampler::new(0).is_err());
    }

    #[test]
    fn quiet_runs_are_found() {
        let v = [false, true, true, false, false, true, false];
        assert_eq!(quiet_runs(&v), vec![(0, 1), (3, 5), (6, 7)]);
        assert!(quiet_runs(&[]).is_empty());
        assert!(quiet_runs(&[true, true]).is_empty());
    }

    /// A buzzy "voice" (150 Hz pulses at about -14 dBFS) or silence, `ms` long.
    fn voice(ms: u64) -> Vec<f32> {
        (0..ms as usize * 16)
            .map(|i| 0.2 * (2.0 * std::f32::consts::PI * 150.0 * i as f32 / 16_000.0).sin())
            .collect()
    }

    fn quiet(ms: u64) -> Vec<f32> {
        vec![0.0; ms as usize * 16]
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
    fn stretches_end_in_pauses() {
        let o = StreamingOptions::default();
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
        let o = StreamingOptions::default();
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
    fn speech_without_words_is_found() {
        let word = |s: u64, e: u64| Word {
            text: "x".into(),
            start_ms: s,
            end_ms: e,
            prob: 1.0,
            lang: Lang::En,
        };
        // Two sentences, 1 s apart; words only on the first.
        let l = levels(&[
            quiet(400),
            voice(2_000),
            quiet(1_000),
            voice(2_000),
            quiet(600),
        ]);
        let first = [word(450, 1_000), word(1_100, 2_300)];
        assert_eq!(
            uncovered_speech(&l, 0, l.len(), &first),
            vec![((120 + 170) / 2, (270 + 300_usize).div_ceil(2))]
        );
        // Both covered: nothing. From a later start: frames stay on the take's clock.
        let both = [word(450, 2_300), word(3_450, 5_350)];
        assert!(uncovered_speech(&l, 0, l.len(), &both).is_empty());
        assert_eq!(uncovered_speech(&l, 100, l.len(), &first), vec![(145, 285)]);
        // Words a little off still cover; short unworded bits do not count.
        let off = [word(100, 2_000), word(3_800, 4_900)];
        assert!(uncovered_speech(&l, 0, l.len(), &off).is_empty());
        let l = levels(&[quiet(400), voice(600), quiet(600)]);
        assert!(uncovered_speech(&l, 0, l.len(), &[]).is_empty());
    }
}
