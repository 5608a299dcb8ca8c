//! One model, one pass: loading a whisper.cpp model (with DTW token times from the
//! model's alignment heads) and running it over a stretch of 16 kHz audio in one forced
//! language, with the filler prompt, progress and a cancel flag checked between the
//! encoder's graph nodes and every decoder step. Cutting a recording into stretches and
//! putting words on the take's clock is [`super::pipeline`]'s.
//!
//! - The language is never guessed (auto-detection is unreliable on short clips, docs/practice-and-transcription.md, "Whisper settings").
//! - A short per-language prompt of fillers keeps "um"/"uh" (and 음/어) in the text;
//!   long prompts make Whisper drop sentences, so it stays short.
//! - Threads: fewer than cores on small machines ([`default_threads`]); whisper.cpp's
//!   threads spin-wait, and with other load two threads on two cores were 6-12x slower
//!   than one (docs/practice-and-transcription.md, "Whisper settings").

use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use greenroom_core::Lang;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters, WhisperError, WhisperState, WhisperSysContext, WhisperSysState,
};

use super::doubt::{self, DecodeStats, Doubt};
use super::pcm::ms_to_samples;
use crate::EngineError;
use greenroom_core::speech::timing::Piece;
use greenroom_models::ModelStore;
use greenroom_models::{inspect, GgmlInfo, ModelError, ModelSize};

/// Overrides the machine-chosen thread count (a positive integer).
pub const THREADS_ENV: &str = "GREENROOM_WHISPER_THREADS";

/// The filler prompts (docs/practice-and-transcription.md, "Whisper settings"): short, so that Whisper keeps fillers without dropping
/// sentences.
pub const FILLER_PROMPT_EN: &str = "Um, so, uh, I think, like, you know, I mean, um, yeah.";
pub const FILLER_PROMPT_KO: &str = "음, 어, 그러니까, 저기, 뭐, 약간, 이제, 음.";

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
    /// Beam search width; `None` (or 1): greedy decoding, about 1.5x faster (docs/practice-and-transcription.md, "Whisper settings").
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
    /// where the latency matters; docs/benchmarks.md, "Last measured", reports the WER against batch.
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

/// How Whisper decodes each run. The default is what the app uses; the others exist to be
/// measured against it (the real-speech benchmark's ablation, `benches/realspeech.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decoding {
    /// The encoder window of a whole-file transcription ([`Transcriber::transcribe`]; the
    /// streamer chooses its own)...
    pub window: EncoderWindow,
    /// ...and whether it decodes timestamp tokens (Whisper's own segmenting).
    pub timestamps: bool,
    /// A doubtful decode is decoded again at rising temperatures ([`Transcriber::run`]).
    pub fallback: bool,
    /// Candidates sampled at each fallback temperature (the likeliest is kept).
    pub best_of: u32,
    /// At most [`token_budget`] tokens per run, by the length of its audio.
    pub token_budget: bool,
}

impl Default for Decoding {
    fn default() -> Self {
        Decoding {
            window: EncoderWindow::Full,
            timestamps: false,
            fallback: true,
            best_of: 5,
            token_budget: true,
        }
    }
}

/// How one call runs Whisper: threads, encoder window, timestamp tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTuning {
    pub threads: usize,
    pub window: EncoderWindow,
    /// Timestamp tokens in the decode (Whisper's own segmenting).
    pub timestamps: bool,
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

impl LanguagePlan {
    pub fn new(lang: Lang, switch_at_ms: Option<u64>) -> Self {
        LanguagePlan { lang, switch_at_ms }
    }

    /// All in one language.
    pub fn only(lang: Lang) -> Self {
        LanguagePlan::new(lang, None)
    }

    /// The switch that matters: none for an answer that starts in English.
    pub fn effective_switch(&self) -> Option<u64> {
        self.switch_at_ms.filter(|_| self.lang != Lang::En)
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
    decoding: Decoding,
    prompt_en: Vec<c_int>,
    prompt_ko: Vec<c_int>,
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
        super::cpu::require_speech_cpu()?;
        whisper_rs::install_logging_hooks();
        let mut params = WhisperContextParameters::default();
        params.dtw_parameters(DtwParameters {
            mode: dtw_mode(&info),
            ..DtwParameters::default()
        });
        let ctx = WhisperContext::new_with_params(model_path, params).map_err(|e| {
            ModelError::InvalidModel {
                path: model_path.to_path_buf(),
                detail: format!("whisper.cpp could not load it ({e})"),
            }
        })?;
        let tokenize = |text: &str| {
            // Generous room: whisper-rs 0.16 mishandles a too-small buffer.
            ctx.tokenize(text, 512)
                .map_err(|e| ModelError::InvalidModel {
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
            decoding: Decoding::default(),
            prompt_en,
            prompt_ko,
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
                .ok_or_else(|| ModelError::UnknownModel { name: n.into() })?,
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

    /// Decodes with `decoding` instead of the app's default.
    pub fn with_decoding(mut self, decoding: Decoding) -> Self {
        self.decoding = decoding;
        self
    }

    pub fn decoding(&self) -> Decoding {
        self.decoding
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

    /// The whisper parameters this transcriber uses for `lang` (without callbacks).
    /// The whisper parameters of one decode at `temperature` (0: beam search when the
    /// options ask for it, else greedy; above 0: the best of `best_of` samples).
    fn params(
        &self,
        lang: Lang,
        tuning: RunTuning,
        samples: usize,
        temperature: f32,
    ) -> FullParams<'_, '_> {
        let d = self.decoding;
        let strategy = match self.opts.beam_size {
            Some(b) if b > 1 && temperature == 0.0 => SamplingStrategy::BeamSearch {
                beam_size: b.min(16) as c_int,
                patience: -1.0,
            },
            _ => SamplingStrategy::Greedy {
                best_of: d.best_of.clamp(1, 16) as c_int,
            },
        };
        let mut p = FullParams::new(strategy);
        // One temperature per call: the fallback is ours ([`Transcriber::run`]).
        p.set_temperature(temperature);
        p.set_temperature_inc(0.0);
        p.set_n_threads(tuning.threads.max(1) as c_int);
        p.set_audio_ctx(tuning.window.audio_ctx(samples) as c_int);
        p.set_language(Some(whisper_code(lang)));
        p.set_detect_language(false);
        p.set_translate(false);
        p.set_no_context(true);
        // No timestamp tokens: with an encoder window fitted to the stretch and the filler
        // prompt, Whisper looped on its own timestamps and repeated the sentence until the
        // token budget (2.3-2.9 s for a 6 s stretch instead of 1.1 s, measured). Word times
        // come from DTW and the voice; a stretch is one segment.
        p.set_no_timestamps(!tuning.timestamps);
        p.set_token_timestamps(false);
        // A token budget per segment for this much audio: Whisper's repetition loop on a
        // short stretch (a filler after seconds of silence) otherwise decodes hundreds of
        // tokens, at every fallback temperature: 10-16 s for 2-6 s of audio, measured.
        if d.token_budget {
            p.set_max_tokens(token_budget(lang, samples));
        }
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

    /// Whisper over `samples` (times relative to their start), decoded again at rising
    /// temperatures while the decode is in doubt ([`super::doubt`]): looping, unlikely, or
    /// in another script (a decode that only repeats itself at its end is trusted: the
    /// copies are cut when its words are placed). When every temperature is in doubt, the
    /// likeliest decode that
    /// neither loops nor strays from the language's script is kept, else nothing (text
    /// nobody said is worse than a gap). The reference decoder keeps the likeliest of all;
    /// whisper.cpp's own fallback keeps whatever its last temperature (1.0) sampled.
    pub(crate) fn run(
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
        let temperatures: &[f32] = if self.decoding.fallback {
            &FALLBACK_TEMPERATURES
        } else {
            &FALLBACK_TEMPERATURES[..1]
        };
        let mut kept: Option<Decode> = None;
        for &t in temperatures {
            let decode = self.decode(samples, lang, tuning, t, progress, cancel)?;
            let text = decode.text();
            match doubt::doubt(lang, &text, decode.stats) {
                None => return Ok(decode.segments),
                // The sentence, then copies of it until the token budget (a short stretch
                // in a longer window): placing the words drops the copies
                // ([`super::pipeline`]), and what is left is trusted.
                Some(Doubt::Compresses(_) | Doubt::Loops(_))
                    if trusted_once_trimmed(lang, &text, decode.stats) =>
                {
                    return Ok(decode.segments)
                }
                Some(Doubt::Unlikely(_))
                    if kept
                        .as_ref()
                        .is_none_or(|k| k.stats.avg_logprob < decode.stats.avg_logprob) =>
                {
                    kept = Some(decode)
                }
                Some(_) => {}
            }
        }
        Ok(kept.map(|k| k.segments).unwrap_or_default())
    }

    /// One decode of `samples` at `temperature`. Each gets a fresh whisper state (~8 ms):
    /// a reused one carries its sampling RNG over, and the same audio could then give a
    /// different transcript.
    fn decode(
        &self,
        samples: &[f32],
        lang: Lang,
        tuning: RunTuning,
        temperature: f32,
        progress: &mut dyn FnMut(i32),
        cancel: &AtomicBool,
    ) -> Result<Decode, EngineError> {
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| ModelError::InvalidModel {
                path: self.path.clone(),
                detail: format!("whisper.cpp could not allocate its state ({e})"),
            })?;
        let result = full_with_hooks(
            &mut state,
            self.params(lang, tuning, samples.len(), temperature),
            samples,
            cancel,
            progress,
        );
        if cancel.load(Ordering::Relaxed) {
            return Err(EngineError::Cancelled);
        }
        result.map_err(|e| ModelError::InvalidModel {
            path: self.path.clone(),
            detail: format!("whisper.cpp failed while transcribing ({e})"),
        })?;
        let eot = self.ctx.token_eot();
        let mut out = Vec::new();
        let (mut logprob_sum, mut tokens) = (0.0f64, 0usize);
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
                logprob_sum += f64::from(data.plog);
                tokens += 1;
                pieces.push(Piece {
                    bytes: tok.to_bytes().map(<[u8]>::to_vec).unwrap_or_default(),
                    prob: data.p,
                    t0_ms: cs_to_ms(data.t0),
                    t1_ms: cs_to_ms(data.t1),
                    // -1 when whisper.cpp computed none.
                    dtw_ms: (data.t_dtw >= 0).then(|| cs_to_ms(data.t_dtw)),
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
        let stats = DecodeStats {
            avg_logprob: if tokens == 0 {
                0.0
            } else {
                logprob_sum / tokens as f64
            },
            no_speech_prob: out.first().map_or(0.0, |s| s.no_speech_prob),
        };
        Ok(Decode {
            segments: out,
            stats,
        })
    }
}

/// Whether `text` is trusted once the copies of itself that end it are cut.
fn trusted_once_trimmed(lang: Lang, text: &str, stats: DecodeStats) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let copies = super::pipeline::repeated_tail(&words);
    copies > 0 && doubt::doubt(lang, &words[..words.len() - copies].join(" "), stats).is_none()
}

/// The temperatures a doubtful decode is tried at, in order (the reference decoder's).
const FALLBACK_TEMPERATURES: [f32; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];

/// One decode of a run: its segments and what it says about itself.
struct Decode {
    segments: Vec<RawSegment>,
    stats: DecodeStats,
}

impl Decode {
    fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// At most this many tokens per second of audio, per language (fast English is ~5 tokens a
/// second with punctuation; Korean syllables often take two or three byte-level tokens)...
const TOKENS_PER_SECOND_EN: u64 = 10;
const TOKENS_PER_SECOND_KO: u64 = 24;
/// ...plus this many, for short stretches.
const TOKEN_SLACK: u64 = 16;

/// The most tokens a segment of `samples` (16 kHz) can plausibly hold.
fn token_budget(lang: Lang, samples: usize) -> c_int {
    let per_second = match lang {
        Lang::En => TOKENS_PER_SECOND_EN,
        Lang::Ko => TOKENS_PER_SECOND_KO,
    };
    let tokens = (samples as u64 * per_second).div_ceil(16_000) + TOKEN_SLACK;
    c_int::try_from(tokens).unwrap_or(c_int::MAX)
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

/// One segment of a pass, times relative to the audio whisper saw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawSegment {
    pub text: String,
    pub t0_ms: u64,
    pub t1_ms: u64,
    pub no_speech_prob: f32,
    pub pieces: Vec<Piece>,
}

/// The alignment heads for DTW token times: whisper.cpp's preset for each released
/// model, else the top half of the text layers (a distilled or fine-tuned model).
fn dtw_mode(info: &GgmlInfo) -> DtwMode<'static> {
    let h = &info.hparams;
    let released = h.n_text_layer == h.n_audio_layer;
    let preset = match (info.size_class, info.multilingual) {
        _ if !released && !info.label.ends_with("turbo") => None,
        (ModelSize::Tiny, false) => Some(DtwModelPreset::TinyEn),
        (ModelSize::Tiny, true) => Some(DtwModelPreset::Tiny),
        (ModelSize::Base, false) => Some(DtwModelPreset::BaseEn),
        (ModelSize::Base, true) => Some(DtwModelPreset::Base),
        (ModelSize::Small, false) => Some(DtwModelPreset::SmallEn),
        (ModelSize::Small, true) => Some(DtwModelPreset::Small),
        (ModelSize::Medium, false) => Some(DtwModelPreset::MediumEn),
        (ModelSize::Medium, true) => Some(DtwModelPreset::Medium),
        (ModelSize::Large, _) if info.label.ends_with("v3-turbo") => {
            Some(DtwModelPreset::LargeV3Turbo)
        }
        (ModelSize::Large, _) if info.label.contains("v3") => Some(DtwModelPreset::LargeV3),
        // large-v1 and v2 have the same shape but different heads.
        (ModelSize::Large, _) => None,
    };
    match preset {
        Some(model_preset) => DtwMode::ModelPreset { model_preset },
        None => DtwMode::TopMost {
            n_top: (h.n_text_layer / 2).max(1),
        },
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
/// (percent) from its progress callback. Upstream whisper.cpp 1.8 asks the abort callback
/// only after a whole encoder pass (seconds on a slow or busy CPU) and after every decoder
/// step; the vendored copy (vendor/whisper-rs-sys) also hands it to ggml, which asks it
/// between the encoder's graph nodes, so a cancel takes effect within one node.
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
    fn a_segment_holds_no_more_tokens_than_its_audio_can_say() {
        assert_eq!(token_budget(Lang::En, 16_000), 26);
        assert_eq!(token_budget(Lang::En, 8_000 * 10), 66);
        assert_eq!(token_budget(Lang::Ko, 16_000), 40);
        // The densest speech in the test fixtures: 21 words in 4.8 s, ~30 tokens.
        assert!(token_budget(Lang::En, 16 * 4_800) >= 60);
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
