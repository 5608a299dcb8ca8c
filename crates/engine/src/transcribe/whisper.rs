//! Transcription with whisper.cpp (whisper-rs): forced languages, word timings, fillers
//! kept, no text invented for silence, progress and cancel.
//!
//! - The language is never guessed (auto-detection is unreliable on short clips, DESIGN §6):
//!   a [`LanguagePlan`] says the answer's language and where the English switch happened;
//!   the part before the switch is transcribed in the answer's language, the part after it
//!   in English, each on its own and put back on the take's clock.
//! - Words come from Whisper's token timestamps: byte-level BPE pieces are joined into
//!   words at the pieces that start with a space (Korean eojeol are space-separated too),
//!   with the mean token probability.
//! - A short per-language prompt of fillers keeps "um"/"uh" (and 음/어) in the text;
//!   long prompts make Whisper drop sentences, so it stays short.
//! - Silence gating ([`super::gate`]): parts with no voiced audio are not transcribed at
//!   all, the rest is trimmed to its voiced span, and segments that overlap no voiced audio
//!   or that Whisper itself rates as no-speech with low confidence are dropped.
//! - Threads: fewer than cores on small machines ([`default_threads`]); whisper.cpp's
//!   threads spin-wait, and with other load two threads on two cores were 6-12x slower
//!   than one (DESIGN §6).

use std::ffi::{c_int, c_void};
use std::ops::Range;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use greenroom_core::transcript::{Segment, Transcript, Word};
use greenroom_core::Lang;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperError,
    WhisperState, WhisperSysContext, WhisperSysState,
};

use super::gate::{GateParams, VoiceMap};
use super::ggml::{inspect, GgmlInfo};
use super::models::ModelStore;
use super::pcm::{ms_to_samples, samples_to_ms};
use crate::EngineError;

/// Overrides the machine-chosen thread count (a positive integer).
pub const THREADS_ENV: &str = "GREENROOM_WHISPER_THREADS";

/// The filler prompts (DESIGN §6): short, so that Whisper keeps fillers without dropping
/// sentences.
pub const FILLER_PROMPT_EN: &str = "Um, so, uh, I think, like, you know, I mean, um, yeah.";
pub const FILLER_PROMPT_KO: &str = "음, 어, 그러니까, 저기, 뭐, 약간, 이제, 음.";

/// Segments Whisper rates as probably not speech (above this)...
const NO_SPEECH_PROB: f32 = 0.6;
/// ...and whose mean token probability is below this are dropped.
const LOW_SEGMENT_PROB: f32 = 0.5;
/// A kept segment overlaps at least this much voiced audio.
const MIN_SEGMENT_VOICED_MS: u64 = 100;
/// The part boundary moves to the quietest moment this close to the switch marker, so a
/// word spoken across the marker is not cut in two.
const SWITCH_SNAP_MS: u64 = 500;
/// Shorter audio is padded with silence before Whisper sees it.
const MIN_WHISPER_MS: u64 = 1_000;
/// Whisper's encoder looks at 1500 positions (30 s, 20 ms each) whatever the audio's length.
const FULL_AUDIO_CTX: usize = 1_500;
/// Samples (16 kHz) per encoder position.
const AUDIO_CTX_POSITION_SAMPLES: usize = 320;
/// A fitted encoder window reaches this far past the audio: the decoder then sees the
/// silence after the last word and places its end (and the end of text) as it does with a
/// full window.
const FITTED_CTX_TAIL_MS: u64 = 1_000;
/// ...and is never shorter than this: clips of a few seconds are where Whisper is least
/// sure of itself, and a 5 s window still costs a sixth of a full one.
const FITTED_CTX_MIN_MS: u64 = 5_000;

/// Threads for a machine with `cores` logical cores: half of them (at least 1, at most 8),
/// leaving room for the audio thread, the UI and whatever else runs.
pub fn threads_for(cores: usize) -> usize {
    (cores / 2).clamp(1, 8)
}

/// The thread count to use here: `GREENROOM_WHISPER_THREADS` when set to a positive
/// number, else [`threads_for`] this machine's cores.
pub fn default_threads() -> usize {
    if let Some(n) = std::env::var(THREADS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return n.min(64);
    }
    threads_for(
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    )
}

/// How to transcribe. The defaults are what the app uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TranscribeOptions {
    /// Whisper threads; `None`: [`default_threads`].
    pub threads: Option<u32>,
    /// Beam search width; `None` (or 1): greedy decoding, about 1.5x faster (DESIGN §6).
    pub beam_size: Option<u32>,
    /// Leave out the filler prompt (Whisper then drops most fillers).
    pub no_filler_prompt: bool,
}

/// How much audio Whisper's encoder looks at per run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EncoderWindow {
    /// 30 s, as Whisper was trained: the reference (batch) transcription.
    #[default]
    Full,
    /// The run's audio plus a second of its trailing silence (5 s at least): a 10 s stretch
    /// costs about a third of a full window on base. For the stretches of a streamed take,
    /// where the latency matters; the README reports the WER against batch.
    Fitted,
}

impl EncoderWindow {
    /// Whisper's `audio_ctx` for a run over `samples` (0: the model's full window).
    fn audio_ctx(self, samples: usize) -> usize {
        match self {
            EncoderWindow::Full => 0,
            EncoderWindow::Fitted => {
                let span = samples
                    + ms_to_samples(FITTED_CTX_TAIL_MS)
                        .max(ms_to_samples(FITTED_CTX_MIN_MS).saturating_sub(samples));
                let positions = span.div_ceil(AUDIO_CTX_POSITION_SAMPLES);
                if positions >= FULL_AUDIO_CTX {
                    0
                } else {
                    positions
                }
            }
        }
    }
}

/// How one call runs Whisper: threads and encoder window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTuning {
    pub threads: usize,
    pub window: EncoderWindow,
}

/// Which language each part of a recording is in: `lang` up to the English switch,
/// English after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LanguagePlan {
    /// The language the answer starts in (the question's).
    pub lang: Lang,
    /// The English-switch moment, ms from the start of the audio.
    #[ts(type = "number | null")]
    pub switch_at_ms: Option<u64>,
}

/// One stretch transcribed in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct PlanPart {
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
    pub lang: Lang,
}

impl LanguagePlan {
    pub fn new(lang: Lang, switch_at_ms: Option<u64>) -> Self {
        LanguagePlan { lang, switch_at_ms }
    }

    /// All in one language.
    pub fn only(lang: Lang) -> Self {
        LanguagePlan::new(lang, None)
    }

    /// The parts of a recording `duration_ms` long, split exactly at the switch. An answer
    /// that starts in English stays one part.
    pub fn parts(&self, duration_ms: u64) -> Vec<PlanPart> {
        self.parts_split_at(duration_ms, self.switch_at_ms)
    }

    fn parts_split_at(&self, duration_ms: u64, split: Option<u64>) -> Vec<PlanPart> {
        if duration_ms == 0 {
            return Vec::new();
        }
        let whole = |lang| {
            vec![PlanPart {
                start_ms: 0,
                end_ms: duration_ms,
                lang,
            }]
        };
        match split {
            _ if self.lang == Lang::En => whole(Lang::En),
            None => whole(self.lang),
            Some(s) if s >= duration_ms => whole(self.lang),
            Some(0) => whole(Lang::En),
            Some(s) => vec![
                PlanPart {
                    start_ms: 0,
                    end_ms: s,
                    lang: self.lang,
                },
                PlanPart {
                    start_ms: s,
                    end_ms: duration_ms,
                    lang: Lang::En,
                },
            ],
        }
    }
}

fn whisper_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Ko => "ko",
    }
}

/// A loaded Whisper model, ready to transcribe (several times; it is `Send + Sync`).
pub struct Transcriber {
    ctx: WhisperContext,
    name: String,
    path: PathBuf,
    info: GgmlInfo,
    threads: usize,
    opts: TranscribeOptions,
    prompt_en: Vec<c_int>,
    prompt_ko: Vec<c_int>,
    gate: GateParams,
}

impl std::fmt::Debug for Transcriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcriber")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("label", &self.info.label)
            .field("threads", &self.threads)
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

impl Transcriber {
    /// Loads a ggml model file. The file is validated first ([`inspect`]): whisper.cpp
    /// aborts the whole process on some damaged files. The model's name (as transcripts
    /// record it) comes from the file name (`ggml-base.en.bin` -> `base.en`); see
    /// [`Transcriber::with_name`].
    pub fn new(model_path: &Path, opts: TranscribeOptions) -> Result<Transcriber, EngineError> {
        let info = inspect(model_path)?;
        whisper_rs::install_logging_hooks();
        let ctx = WhisperContext::new_with_params(model_path, WhisperContextParameters::default())
            .map_err(|e| EngineError::InvalidModel {
                path: model_path.to_path_buf(),
                detail: format!("whisper.cpp could not load it ({e})"),
            })?;
        let tokenize = |text: &str| {
            // Generous room: whisper-rs 0.16 mishandles a too-small buffer.
            ctx.tokenize(text, 512)
                .map_err(|e| EngineError::InvalidModel {
                    path: model_path.to_path_buf(),
                    detail: format!("cannot tokenize the prompt ({e})"),
                })
        };
        let prompt_en = tokenize(FILLER_PROMPT_EN)?;
        let prompt_ko = tokenize(FILLER_PROMPT_KO)?;
        let threads = opts
            .threads
            .map(|t| (t as usize).clamp(1, 64))
            .unwrap_or_else(default_threads);
        let name = name_from_path(model_path).unwrap_or_else(|| info.label.clone());
        Ok(Transcriber {
            ctx,
            name,
            path: model_path.to_path_buf(),
            info,
            threads,
            opts,
            prompt_en,
            prompt_ko,
            gate: GateParams::default(),
        })
    }

    /// Loads an installed model: `name`, or the store's default model. With no model
    /// installed the error says how to get one.
    pub fn installed(
        models: &ModelStore,
        name: Option<&str>,
        opts: TranscribeOptions,
    ) -> Result<Transcriber, EngineError> {
        let model = match name {
            Some(n) => models
                .get(n)?
                .ok_or_else(|| EngineError::UnknownModel { name: n.into() })?,
            None => models.default_model()?.ok_or_else(no_model_installed)?,
        };
        let path = models.path(&model.name)?;
        Ok(Transcriber::new(&path, opts)?.with_name(&model.name))
    }

    /// Sets the name transcripts record.
    pub fn with_name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.name);
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn info(&self) -> &GgmlInfo {
        &self.info
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    pub fn multilingual(&self) -> bool {
        self.info.multilingual
    }

    /// Transcribes 16 kHz mono audio. `progress` gets 0..1 (on this thread). Setting
    /// `cancel` (from any thread) ends it with [`EngineError::Cancelled`] within one encoder
    /// pass (~0.7 s tiny, ~1.6 s base here), usually sooner.
    ///
    /// The parts are those of [`LanguagePlan::parts`], except that the split moves to the
    /// quietest moment within 0.5 s of the switch marker (so a word is not cut in two);
    /// the transcript keeps the marker's own time in `switch_at_ms`.
    pub fn transcribe(
        &self,
        audio_16k: &[f32],
        plan: &LanguagePlan,
        progress: &mut dyn FnMut(f32),
        cancel: &AtomicBool,
    ) -> Result<Transcript, EngineError> {
        let tuning = RunTuning {
            threads: self.threads,
            window: EncoderWindow::Full,
        };
        self.transcribe_with(audio_16k, plan, progress, cancel, tuning)
    }

    /// [`Self::transcribe`] with another thread count or encoder window for this call only
    /// (the stretches of a streamed take).
    pub fn transcribe_with(
        &self,
        audio_16k: &[f32],
        plan: &LanguagePlan,
        progress: &mut dyn FnMut(f32),
        cancel: &AtomicBool,
        tuning: RunTuning,
    ) -> Result<Transcript, EngineError> {
        if cancel.load(Ordering::Relaxed) {
            return Err(EngineError::Cancelled);
        }
        let duration_ms = samples_to_ms(audio_16k.len());
        let voice = VoiceMap::detect(audio_16k, &self.gate);
        let split = plan
            .switch_at_ms
            .map(|s| snap_to_pause(audio_16k, s, SWITCH_SNAP_MS));
        let parts = plan.parts_split_at(duration_ms, split);
        if parts.iter().any(|p| p.lang != Lang::En) && !self.info.multilingual {
            return Err(EngineError::InvalidArgument {
                name: "model".into(),
                detail: format!(
                    "'{}' is an English-only model; Korean needs a multilingual model such \
                     as base (`greenroom models list`)",
                    self.name
                ),
            });
        }
        // What to run: each part's voiced span (nothing for a part without a voice).
        let jobs: Vec<(PlanPart, Range<usize>)> = parts
            .iter()
            .filter_map(|part| {
                let range = ms_to_samples(part.start_ms)..ms_to_samples(part.end_ms);
                voice
                    .voiced_span(range.start..range.end.min(audio_16k.len()))
                    .map(|span| (*part, span))
            })
            .collect();
        let total: usize = jobs.iter().map(|(_, s)| s.len()).sum::<usize>().max(1);
        let mut done = 0usize;
        let mut reported = 0.0f32;
        progress(0.0);

        let mut transcript = Transcript {
            model: self.name.clone(),
            duration_ms,
            switch_at_ms: plan.switch_at_ms,
            segments: Vec::new(),
            words: Vec::new(),
        };
        if jobs.is_empty() {
            progress(1.0);
            return Ok(transcript);
        }
        for (part, span) in &jobs {
            if cancel.load(Ordering::Relaxed) {
                return Err(EngineError::Cancelled);
            }
            let weight = span.len();
            let mut on_progress = |pct: i32| {
                let p = (done as f32 + weight as f32 * (pct.clamp(0, 100) as f32 / 100.0))
                    / total as f32;
                if p > reported {
                    reported = p;
                    progress(p);
                }
            };
            let raw = self.run(
                &audio_16k[span.clone()],
                part.lang,
                tuning,
                &mut on_progress,
                cancel,
            )?;
            done += weight;
            let offset_ms = samples_to_ms(span.start);
            let bounds = (part.start_ms, part.end_ms.min(duration_ms));
            for seg in raw {
                if let Some((segment, words)) =
                    finish_segment(seg, offset_ms, bounds, part.lang, &voice)
                {
                    transcript.segments.push(segment);
                    transcript.words.extend(words);
                }
            }
        }
        make_monotonic(&mut transcript.words);
        progress(1.0);
        Ok(transcript)
    }

    /// The whisper parameters this transcriber uses for `lang` (without callbacks).
    fn params(&self, lang: Lang, tuning: RunTuning, samples: usize) -> FullParams<'_, '_> {
        let strategy = match self.opts.beam_size {
            Some(b) if b > 1 => SamplingStrategy::BeamSearch {
                beam_size: b.min(16) as c_int,
                patience: -1.0,
            },
            _ => SamplingStrategy::Greedy { best_of: 1 },
        };
        let mut p = FullParams::new(strategy);
        p.set_n_threads(tuning.threads.max(1) as c_int);
        p.set_audio_ctx(tuning.window.audio_ctx(samples) as c_int);
        p.set_language(Some(whisper_code(lang)));
        p.set_detect_language(false);
        p.set_translate(false);
        p.set_no_context(true);
        p.set_token_timestamps(true);
        p.set_suppress_blank(true);
        p.set_suppress_nst(true);
        p.set_print_special(false);
        p.set_print_progress(false);
        p.set_print_realtime(false);
        p.set_print_timestamps(false);
        if !self.opts.no_filler_prompt {
            p.set_tokens(match lang {
                Lang::En => &self.prompt_en,
                Lang::Ko => &self.prompt_ko,
            });
        }
        p
    }

    /// One whisper run over `samples`; times are relative to their start. Each run gets a
    /// fresh whisper state (~8 ms): a reused one carries its sampling RNG over, and the same
    /// audio could then give a different transcript when a temperature fallback happens.
    fn run(
        &self,
        samples: &[f32],
        lang: Lang,
        tuning: RunTuning,
        progress: &mut dyn FnMut(i32),
        cancel: &AtomicBool,
    ) -> Result<Vec<RawSegment>, EngineError> {
        let min_len = ms_to_samples(MIN_WHISPER_MS);
        let padded;
        let samples = if samples.len() < min_len {
            let mut v = samples.to_vec();
            v.resize(min_len, 0.0);
            padded = v;
            &padded[..]
        } else {
            samples
        };
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| EngineError::InvalidModel {
                path: self.path.clone(),
                detail: format!("whisper.cpp could not allocate its state ({e})"),
            })?;
        let result = full_with_hooks(
            &mut state,
            self.params(lang, tuning, samples.len()),
            samples,
            cancel,
            progress,
        );
        if cancel.load(Ordering::Relaxed) {
            return Err(EngineError::Cancelled);
        }
        result.map_err(|e| EngineError::InvalidModel {
            path: self.path.clone(),
            detail: format!("whisper.cpp failed while transcribing ({e})"),
        })?;
        let eot = self.ctx.token_eot();
        let mut out = Vec::new();
        for seg in state.as_iter() {
            let mut pieces = Vec::with_capacity(seg.n_tokens().max(0) as usize);
            for j in 0..seg.n_tokens() {
                let Some(tok) = seg.get_token(j) else {
                    continue;
                };
                if tok.token_id() >= eot {
                    continue; // special and timestamp tokens
                }
                let data = tok.token_data();
                pieces.push(Piece {
                    bytes: tok.to_bytes().map(<[u8]>::to_vec).unwrap_or_default(),
                    prob: data.p,
                    t0_ms: cs_to_ms(data.t0),
                    t1_ms: cs_to_ms(data.t1),
                });
            }
            out.push(RawSegment {
                text: seg
                    .to_bytes()
                    .map(|b| String::from_utf8_lossy(b).trim().to_owned())
                    .unwrap_or_default(),
                t0_ms: cs_to_ms(seg.start_timestamp()),
                t1_ms: cs_to_ms(seg.end_timestamp()),
                no_speech_prob: seg.no_speech_probability(),
                pieces,
            });
        }
        Ok(out)
    }
}

/// The error for "no model installed", with what to do about it.
pub fn no_model_installed() -> EngineError {
    EngineError::InvalidArgument {
        name: "model".into(),
        detail: "no Whisper model is installed: import one with `greenroom models import \
                 PATH` (a ggml file or a faster-whisper folder) or in Settings > Models"
            .into(),
    }
}

/// `ggml-base.en.bin` -> `base.en`.
fn name_from_path(path: &Path) -> Option<String> {
    let file = path.file_name()?.to_string_lossy().into_owned();
    let stem = file
        .strip_suffix(".bin")
        .or_else(|| file.strip_suffix(".ggml"))
        .unwrap_or(&file);
    let stem = stem.strip_prefix("ggml-").unwrap_or(stem);
    (!stem.is_empty()).then(|| stem.to_owned())
}

fn cs_to_ms(cs: i64) -> u64 {
    cs.max(0) as u64 * 10
}

/// A token of a whisper segment.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    bytes: Vec<u8>,
    prob: f32,
    t0_ms: u64,
    t1_ms: u64,
}

#[derive(Debug, Clone, PartialEq)]
struct RawSegment {
    text: String,
    t0_ms: u64,
    t1_ms: u64,
    no_speech_prob: f32,
    pieces: Vec<Piece>,
}

/// A word before it is put on the take's clock.
#[derive(Debug, Clone, PartialEq)]
struct RawWord {
    text: String,
    start_ms: u64,
    end_ms: u64,
    prob: f32,
}

/// Joins BPE pieces into words: a piece starting with a space starts a word; the bytes are
/// decoded only once whole (a Hangul syllable can be split across pieces). Pieces without
/// a letter or digit (lone punctuation) stay attached to the word before them; a "word"
/// with no letter or digit at all is dropped.
fn join_words(pieces: &[Piece]) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut cur: Vec<&Piece> = Vec::new();
    let flush = |cur: &mut Vec<&Piece>, words: &mut Vec<RawWord>| {
        if cur.is_empty() {
            return;
        }
        let bytes: Vec<u8> = cur.iter().flat_map(|p| p.bytes.iter().copied()).collect();
        let text = String::from_utf8_lossy(&bytes).trim().to_owned();
        if text.chars().any(char::is_alphanumeric) {
            words.push(RawWord {
                text,
                start_ms: cur[0].t0_ms,
                end_ms: cur[cur.len() - 1].t1_ms,
                prob: cur.iter().map(|p| p.prob).sum::<f32>() / cur.len() as f32,
            });
        }
        cur.clear();
    };
    for p in pieces {
        let starts_word = p.bytes.first() == Some(&b' ');
        if starts_word {
            flush(&mut cur, &mut words);
        }
        cur.push(p);
    }
    flush(&mut cur, &mut words);
    words
}

/// Filters one segment and puts it and its words on the take's clock: `offset_ms` is where
/// the audio handed to Whisper started, `bounds` the part it belongs to.
fn finish_segment(
    seg: RawSegment,
    offset_ms: u64,
    bounds: (u64, u64),
    lang: Lang,
    voice: &VoiceMap,
) -> Option<(Segment, Vec<Word>)> {
    let clamp = |t: u64| (t + offset_ms).clamp(bounds.0, bounds.1);
    let start_ms = clamp(seg.t0_ms);
    let end_ms = clamp(seg.t1_ms).max(start_ms);
    let raw_words = join_words(&seg.pieces);
    if seg.text.is_empty() || raw_words.is_empty() {
        return None;
    }
    let mean_prob = seg.pieces.iter().map(|p| p.prob).sum::<f32>() / seg.pieces.len() as f32;
    if seg.no_speech_prob > NO_SPEECH_PROB && mean_prob < LOW_SEGMENT_PROB {
        return None;
    }
    if voice.voiced_ms_padded(start_ms, end_ms.max(start_ms + 1)) < MIN_SEGMENT_VOICED_MS {
        return None;
    }
    let mut words: Vec<Word> = raw_words
        .into_iter()
        .map(|w| {
            let s = clamp(w.start_ms).clamp(start_ms, end_ms);
            Word {
                text: w.text,
                start_ms: s,
                end_ms: clamp(w.end_ms).clamp(s, end_ms),
                prob: w.prob.clamp(0.0, 1.0),
                lang,
            }
        })
        .collect();
    spread_collapsed(&mut words, end_ms);
    Some((
        Segment {
            text: seg.text,
            start_ms,
            end_ms,
            lang,
            no_speech_prob: seg.no_speech_prob,
        },
        words,
    ))
}

/// Whisper's token timestamps sometimes give the last words of a segment no time at all
/// (all at one instant; seen with Korean). Such a run of words is spread over the time up
/// to the next word (or the segment's end), in proportion to their length.
fn spread_collapsed(words: &mut [Word], segment_end_ms: u64) {
    let mut i = 0;
    while i < words.len() {
        let t = words[i].start_ms;
        let mut j = i;
        while j < words.len() && words[j].start_ms == t && words[j].end_ms == t {
            j += 1;
        }
        if j - i >= 2 {
            let limit = words.get(j).map_or(segment_end_ms, |w| w.start_ms);
            if limit > t {
                let weights: Vec<u64> = words[i..j]
                    .iter()
                    .map(|w| w.text.chars().count().max(1) as u64)
                    .collect();
                let total: u64 = weights.iter().sum();
                let span = limit - t;
                let mut acc = 0;
                for (w, weight) in words[i..j].iter_mut().zip(weights) {
                    w.start_ms = t + span * acc / total;
                    acc += weight;
                    w.end_ms = t + span * acc / total;
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
}

/// Word starts never go backwards and no word ends before it starts.
fn make_monotonic(words: &mut [Word]) {
    let mut last_start = 0;
    for w in words {
        w.start_ms = w.start_ms.max(last_start);
        w.end_ms = w.end_ms.max(w.start_ms);
        last_start = w.start_ms;
    }
}

/// The quietest 100 ms within `radius_ms` of `at_ms` (its middle), or `at_ms` itself when
/// nothing there is clearly quieter.
fn snap_to_pause(audio: &[f32], at_ms: u64, radius_ms: u64) -> u64 {
    const FRAME_MS: u64 = 10;
    const WINDOW: usize = 10; // frames: 100 ms
    let frame = ms_to_samples(FRAME_MS);
    let lo_ms = at_ms.saturating_sub(radius_ms);
    let hi_ms = (at_ms + radius_ms).min(samples_to_ms(audio.len()));
    if hi_ms <= lo_ms + FRAME_MS * WINDOW as u64 {
        return at_ms;
    }
    let energies: Vec<f64> = (lo_ms / FRAME_MS..hi_ms / FRAME_MS)
        .map(|f| {
            let a = (f as usize * frame).min(audio.len());
            let b = (a + frame).min(audio.len());
            audio[a..b].iter().map(|&s| f64::from(s * s)).sum::<f64>()
        })
        .collect();
    if energies.len() < WINDOW {
        return at_ms;
    }
    let mut best: Option<(f64, u64)> = None;
    for i in 0..=energies.len() - WINDOW {
        let e: f64 = energies[i..i + WINDOW].iter().sum();
        let mid = lo_ms + (i as u64 + WINDOW as u64 / 2) * FRAME_MS;
        let better = match best {
            None => true,
            Some((be, bm)) => {
                e < be * 0.999 || (e <= be * 1.001 && mid.abs_diff(at_ms) < bm.abs_diff(at_ms))
            }
        };
        if better {
            best = Some((e, mid));
        }
    }
    let at_energy: f64 = {
        let a = ms_to_samples(at_ms.saturating_sub(50)).min(audio.len());
        let b = ms_to_samples(at_ms + 50).min(audio.len());
        audio[a..b].iter().map(|&s| f64::from(s * s)).sum()
    };
    match best {
        // Only move for a clearly quieter moment (half the energy or less).
        Some((e, mid)) if e < at_energy * 0.5 => mid,
        _ => at_ms,
    }
}

/// What the abort callback reads; shared with ggml's worker threads.
struct AbortHook<'a> {
    cancel: &'a AtomicBool,
    /// Set when the progress callback panicked: stop, then re-raise the panic.
    panicked: AtomicBool,
}

/// What the progress callback uses; only whisper_full's own thread touches it.
struct ProgressHook<'a, 'b> {
    sink: &'b mut dyn FnMut(i32),
    abort: &'b AbortHook<'a>,
    payload: Option<Box<dyn std::any::Any + Send>>,
}

/// Runs `state.full` with `cancel` checked in whisper.cpp's abort callback and `progress`
/// (percent) from its progress callback. whisper.cpp 1.8 asks the abort callback after
/// every encoder pass and every decoder step (not inside the encoder's graph), so a cancel
/// takes effect within one encoder pass: ~0.7 s with tiny, ~1.6 s with base on a 2-core
/// machine (DESIGN §6), far less while decoding.
///
/// Why the raw callbacks: whisper-rs 0.16's `set_abort_callback_safe` casts its user data
/// to the wrong closure type (unsound), and its `set_progress_callback_safe` leaks the boxed
/// closure on every call. Here both user-data pointers point to locals of this function,
/// which outlive the (synchronous) `full` call; nothing is leaked.
fn full_with_hooks(
    state: &mut WhisperState,
    mut params: FullParams<'_, '_>,
    samples: &[f32],
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(i32),
) -> Result<(), WhisperError> {
    let abort = AbortHook {
        cancel,
        panicked: AtomicBool::new(false),
    };
    let mut hook = ProgressHook {
        sink: progress,
        abort: &abort,
        payload: None,
    };
    let abort_data = std::ptr::from_ref(&abort).cast_mut().cast::<c_void>();
    let progress_data = std::ptr::from_mut(&mut hook).cast::<c_void>();
    // SAFETY: the setters only store the function and data pointers in the C parameter
    // struct. `abort` and `hook` live until after `state.full` returns; whisper.cpp calls
    // the callbacks only inside that call (the params are passed by value and not kept).
    // The trampolines cast the data back to exactly these types.
    #[allow(unsafe_code)]
    unsafe {
        params.set_abort_callback(Some(abort_trampoline));
        params.set_abort_callback_user_data(abort_data);
        params.set_progress_callback(Some(progress_trampoline));
        params.set_progress_callback_user_data(progress_data);
    }
    let result = state.full(params, samples);
    if let Some(payload) = hook.payload.take() {
        resume_unwind(payload);
    }
    result
}

/// ggml's abort callback: may run on any of ggml's worker threads, concurrently.
#[allow(unsafe_code)]
unsafe extern "C" fn abort_trampoline(data: *mut c_void) -> bool {
    // SAFETY: `data` is the `AbortHook` of the running `full_with_hooks` call (alive for
    // the call); only shared access, to atomics.
    let hook = unsafe { &*data.cast::<AbortHook<'_>>() };
    hook.cancel.load(Ordering::Relaxed) || hook.panicked.load(Ordering::Relaxed)
}

/// whisper.cpp's progress callback: called on the thread running `whisper_full`, between
/// graph computations.
#[allow(unsafe_code)]
unsafe extern "C" fn progress_trampoline(
    _ctx: *mut WhisperSysContext,
    _state: *mut WhisperSysState,
    progress: c_int,
    data: *mut c_void,
) {
    // SAFETY: `data` is the `ProgressHook` of the running `full_with_hooks` call; that
    // function does not touch it while `full` runs, so this is the only reference.
    let hook = unsafe { &mut *data.cast::<ProgressHook<'_, '_>>() };
    if hook.payload.is_some() {
        return;
    }
    // A panic must not unwind into C: keep it, abort the run, re-raise it afterwards.
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (hook.sink)(progress))) {
        hook.abort.panicked.store(true, Ordering::Relaxed);
        hook.payload = Some(payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &[u8], t0: u64, t1: u64, p: f32) -> Piece {
        Piece {
            bytes: text.to_vec(),
            prob: p,
            t0_ms: t0,
            t1_ms: t1,
        }
    }

    #[test]
    fn pieces_join_into_words() {
        let hangul = "안녕하세요".as_bytes();
        let pieces = [
            piece(b" Um", 0, 200, 0.5),
            piece(b",", 200, 210, 0.9),
            piece(b" I", 300, 350, 0.9),
            piece(b" dep", 400, 500, 0.8),
            piece(b"loy", 500, 600, 0.6),
            piece(b"ed", 600, 650, 1.0),
            piece(b".", 650, 660, 1.0),
            piece(b" -", 700, 710, 0.3),
            // A Hangul word split inside a syllable's bytes.
            piece(&[b" "[0], hangul[0], hangul[1]], 800, 900, 0.5),
            piece(&hangul[2..7], 900, 1000, 0.7),
            piece(&hangul[7..], 1000, 1100, 0.9),
        ];
        let words = join_words(&pieces);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["Um,", "I", "deployed.", "안녕하세요"]);
        assert_eq!((words[2].start_ms, words[2].end_ms), (400, 660));
        assert!((words[2].prob - 0.85).abs() < 1e-6);
        assert_eq!((words[3].start_ms, words[3].end_ms), (800, 1100));
        assert!(join_words(&[]).is_empty());
    }

    #[test]
    fn plans_split_at_the_switch() {
        let ko = LanguagePlan::new(Lang::Ko, Some(4_000));
        let parts = ko.parts(10_000);
        assert_eq!(
            parts,
            [
                PlanPart {
                    start_ms: 0,
                    end_ms: 4_000,
                    lang: Lang::Ko
                },
                PlanPart {
                    start_ms: 4_000,
                    end_ms: 10_000,
                    lang: Lang::En
                }
            ]
        );
        assert_eq!(LanguagePlan::only(Lang::Ko).parts(5).len(), 1);
        assert_eq!(
            LanguagePlan::new(Lang::En, Some(4_000)).parts(10_000).len(),
            1
        );
        assert_eq!(
            LanguagePlan::new(Lang::Ko, Some(0)).parts(10_000)[0].lang,
            Lang::En
        );
        assert_eq!(
            LanguagePlan::new(Lang::Ko, Some(20_000)).parts(10_000)[0].lang,
            Lang::Ko
        );
        assert!(LanguagePlan::only(Lang::En).parts(0).is_empty());
    }

    #[test]
    fn the_split_moves_to_a_nearby_pause() {
        // Loud everywhere except 3.2-3.5 s.
        let mut audio = vec![0.5f32; 16_000 * 6];
        audio[ms_to_samples(3_200)..ms_to_samples(3_500)]
            .iter_mut()
            .for_each(|s| *s = 0.0);
        let at = snap_to_pause(&audio, 3_000, 500);
        assert!((3_250..=3_450).contains(&at), "{at}");
        // Nothing quieter nearby: stays.
        assert_eq!(snap_to_pause(&vec![0.5f32; 16_000 * 6], 3_000, 500), 3_000);
        // Already in a pause: stays.
        assert_eq!(snap_to_pause(&audio, 3_350, 500), 3_350);
        // Near the ends.
        assert_eq!(snap_to_pause(&audio, 0, 500), 0);
        assert_eq!(snap_to_pause(&audio[..100], 10, 500), 10);
    }

    #[test]
    fn fitted_windows_cover_the_audio_and_its_trailing_second() {
        let positions = |secs: f64| {
            EncoderWindow::Fitted
                .audio_ctx((secs * f64::from(super::super::pcm::WHISPER_RATE)) as usize)
        };
        // 20 ms per encoder position.
        assert_eq!(positions(10.0), 550);
        assert_eq!(positions(10.01), 551);
        // Short clips get 5 s; long ones the model's full window.
        assert_eq!(positions(0.5), 250);
        assert_eq!(positions(4.0), 250);
        assert_eq!(positions(28.9), 1_495);
        assert_eq!(positions(29.0), 0);
        assert_eq!(positions(120.0), 0);
        assert_eq!(EncoderWindow::Full.audio_ctx(16_000), 0);
    }

    #[test]
    fn threads_leave_room_on_small_machines() {
        assert_eq!(threads_for(1), 1);
        assert_eq!(threads_for(2), 1);
        assert_eq!(threads_for(8), 4);
        assert_eq!(threads_for(64), 8);
        assert!(default_threads() >= 1);
    }

    #[test]
    fn collapsed_words_are_spread() {
        let w = |text: &str, s, e| Word {
            text: text.into(),
            start_ms: s,
            end_ms: e,
            prob: 1.0,
            lang: Lang::Ko,
        };
        let mut words = vec![
            w("아", 0, 500),
            w("저는", 500, 500),
            w("그", 500, 500),
            w("습니다", 500, 500),
        ];
        spread_collapsed(&mut words, 1_100);
        let times: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(times, [(0, 500), (500, 700), (700, 800), (800, 1_100)]);
        // A single instant word, or no room, stays as it is.
        let mut one = vec![w("a", 0, 100), w("b", 100, 100), w("c", 200, 300)];
        spread_collapsed(&mut one, 300);
        assert_eq!((one[1].start_ms, one[1].end_ms), (100, 100));
        let mut none = vec![w("a", 300, 300), w("b", 300, 300)];
        spread_collapsed(&mut none, 300);
        assert_eq!((none[1].start_ms, none[1].end_ms), (300, 300));
    }

    #[test]
    fn words_are_monotonic_after_fixing() {
        let w = |s, e| Word {
            text: "x".into(),
            start_ms: s,
            end_ms: e,
            prob: 1.0,
            lang: Lang::En,
        };
        let mut words = vec![w(100, 200), w(90, 80), w(300, 250)];
        make_monotonic(&mut words);
        let times: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(times, [(100, 200), (100, 100), (300, 300)]);
    }

    #[test]
    fn names_from_model_files() {
        assert_eq!(
            name_from_path(Path::new("/m/ggml-base.en.bin")).as_deref(),
            Some("base.en")
        );
        assert_eq!(
            name_from_path(Path::new("tiny.en.ggml")).as_deref(),
            Some("tiny.en")
        );
        assert_eq!(name_from_path(Path::new("/m/ggml-.bin")), None);
    }
}

/// The default installed model, loaded once and kept (loading base takes a noticeable
/// moment); reloaded when the default changes.
#[derive(Default)]
pub struct TranscriberCache {
    slot: std::sync::Mutex<Option<std::sync::Arc<Transcriber>>>,
}

impl TranscriberCache {
    /// `None` when no model is installed or it cannot be loaded: takes are then
    /// transcribed later, on request.
    pub fn default_model(&self, data_dir: &Path) -> Option<std::sync::Arc<Transcriber>> {
        let models = ModelStore::open(data_dir).ok()?;
        let name = models.default_name().ok()??;
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(t) = slot.as_ref().filter(|t| t.name() == name) {
            return Some(t.clone());
        }
        let t = std::sync::Arc::new(
            Transcriber::installed(&models, Some(&name), TranscribeOptions::default()).ok()?,
        );
        *slot = Some(t.clone());
        Some(t)
    }
}
