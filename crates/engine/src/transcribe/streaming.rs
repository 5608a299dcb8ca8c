//! Ready at stop: transcribe a take while it is being recorded, so that its whole
//! transcript is there moments after the answer ends.
//!
//! The recorder hands native-rate mono samples to [`StreamingTranscriber::push`] as they
//! arrive (a channel: it never blocks). A worker thread resamples them to 16 kHz (the same
//! resampler, chunking and delay compensation as the batch path, so the audio Whisper sees
//! is sample for sample the batch audio), follows the voice level in 20 ms frames, and cuts
//! the audio into stretches at pauses by the same rules as a batch run
//! ([`greenroom_core::speech::stretch::plan_cut`], [`CutRules`]): so a streamed take and the same audio
//! transcribed later come out (nearly) the same. Differences: a pause the worker was too
//! busy to use when it happened is used later, and a pause after a short stretch, when the
//! worker is free, makes it transcribe the stretch *on speculation*: kept if nothing more
//! is said (the answer ended: the transcript is then ready about one Whisper pass after the
//! last word, often before stop is pressed), thrown away when the speaker goes on.
//!
//! Each stretch goes through [`Transcriber::transcribe_stretch`] (the voice gate, the
//! forced language, the filler prompt, word timings on the voice, re-runs over skipped
//! speech), on the take's clock. The English-switch moment may become known only while
//! recording ([`StreamingTranscriber::set_switch_at`]): a stretch that spans it is split at
//! it, and a finished stretch that turns out to hold speech after it (the message came
//! late) is transcribed again. [`StreamingTranscriber::finish`] transcribes what is left
//! and returns the whole transcript, shaped as the batch one.
//!
//! Whisper runs only on the worker thread, with the [`Transcriber`]'s thread count and an
//! encoder window fitted to the stretch ([`EncoderWindow::Fitted`]). The time from stop to
//! transcript is about one pass over the last stretch less the quiet before stop, and often
//! nothing (`cargo bench --bench transcribe`, part (c)).

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use greenroom_core::transcript::{Segment, Transcript, TranscriptPass, Word};
use greenroom_core::Lang;
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::pcm::{samples_to_ms, WHISPER_RATE};
use super::pipeline::{assemble, StretchText, TakeAudio};
use super::whisper::{EncoderWindow, LanguagePlan, RunTuning, Transcriber};
use crate::EngineError;
use greenroom_core::speech::stretch::{plan_cut, Cut, CutRules, Levels, FRAME};

/// How the streamer cuts and runs. The defaults are what the app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamingOptions {
    /// Where stretches end: the batch path's rules.
    pub rules: CutRules,
    /// The encoder window of each pass: fitted to the stretch by default (the latency at
    /// stop is one pass over the last stretch), [`EncoderWindow::Full`] for comparison.
    pub window: EncoderWindow,
}

impl Default for StreamingOptions {
    fn default() -> Self {
        StreamingOptions {
            rules: CutRules::default(),
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

/// A transcribed stretch.
struct Stretch {
    start: usize,
    end: usize,
    /// The switch it was transcribed with.
    switch_used: Option<u64>,
    redo: bool,
    text: StretchText,
}

struct Worker {
    /// Threads (the transcriber's own count) and encoder window for whisper passes.
    tuning: RunTuning,
    transcriber: Arc<Transcriber>,
    plan: LanguagePlan,
    rules: CutRules,
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
                timestamps: false,
            },
            transcriber,
            plan,
            rules: opts.rules,
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
        self.keep_speculation();
        match plan_cut(&self.levels, self.start / FRAME, &self.rules) {
            Cut::Wait => None,
            Cut::At(f) => Some(Job::Cut(f * FRAME)),
            Cut::Speculate(f) if self.spec_covers(f * FRAME) => None,
            Cut::Speculate(f) => Some(Job::Speculate(f * FRAME)),
        }
    }

    /// The speaker went on after the pause a speculation ended at: it is a finished stretch
    /// of its own (cut at that pause), and only what follows is left. So the pass at stop
    /// covers the last sentence, not the last 8-25 s.
    fn keep_speculation(&mut self) {
        let went_on = self.spec.as_ref().is_some_and(|spec| {
            spec.start == self.start && self.levels.any_voiced(spec.end / FRAME, self.levels.len())
        });
        if went_on {
            let spec = self.spec.take().expect("checked above");
            self.start = spec.end;
            self.done.push(spec);
            self.publish();
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

    /// Transcribes `start..end` (samples), on the take's clock.
    fn transcribe(&self, start: usize, end: usize) -> Result<Stretch, EngineError> {
        let take = TakeAudio {
            audio: self.audio(),
            levels: &self.levels,
            plan: self.plan,
        };
        self.shared.stretches.fetch_add(1, Ordering::Relaxed);
        let text = self.transcriber.transcribe_stretch(
            &take,
            start..end,
            self.tuning,
            &mut |_| {},
            &self.cancel,
        )?;
        self.shared
            .repairs
            .fetch_add(text.repairs, Ordering::Relaxed);
        Ok(Stretch {
            start,
            end,
            switch_used: self.plan.effective_switch(),
            redo: false,
            text,
        })
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
        assemble(order.into_iter().map(|s| &s.text))
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
        // answer. `threads` stays the transcriber's; see docs/benchmarks.md, "Notes on the numbers".)
        // A late switch can leave finished stretches to do again.
        while let Some(i) = self.done.iter().position(|s| s.redo) {
            self.run_job(Job::Redo(i))?;
        }
        // A speculation is a stretch: the last one but for silence, or one the speaker went
        // on after.
        self.keep_speculation();
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
            pass: TranscriptPass::Quick,
            duration_ms: samples_to_ms(total),
            switch_at_ms: self.plan.switch_at_ms,
            segments,
            words,
        })
    }
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
}
