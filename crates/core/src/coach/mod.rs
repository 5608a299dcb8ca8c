//! Coaching: what one answer's transcript and audio show, as observations with numbers.
//!
//! [`coach`] reads a [`Transcript`] with word timings, the energy [`Envelope`] of the take's
//! audio and an [`AnswerContext`], and returns [`Coaching`]: filler words (transcribed, and
//! inferred from voiced gaps Whisper left empty), pace per language part, long pauses,
//! hedges, repeats, the English switch and, for behavioral answers, STAR cues. Every metric
//! also comes as a [`MetricCard`] with the value, the range considered good, why, and
//! feedback sentences in English and Korean that describe what was observed — never the
//! person.
//!
//! Pure: no files, no clock. The lexicons are compiled in ([`lexicon::Lexicons::shipped`]);
//! their format is documented in `docs/lexicon.md`.

pub mod eval;
mod fillers;
mod hedges;
mod language;
pub mod lexicon;
mod pace;
mod pauses;
mod repeats;
mod say;
mod star;
mod syllables;
mod token;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::bank::Track;
use crate::transcript::{Transcript, Word};
use crate::{Lang, Localized};

pub use fillers::{FillerHit, FillerKind, FillerReport, Tally};
pub use hedges::{HedgeReport, PhraseHit};
pub use language::SwitchReport;
pub use lexicon::{LexiconError, Lexicons, StarElement};
pub use pace::{PacePart, PaceReport};
pub use pauses::{Pause, PauseReport};
pub use repeats::{OverusedPhrase, Repeat, RepeatReport};
pub use star::{StarEvidence, StarPart, StarReport};
pub use syllables::{read_ko, spoken_syllables_ko};
pub use token::{hangul_syllables, normalize};

/// The take's audio energy: RMS level in dBFS per frame of `frame_ms` (10 ms is usual).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Envelope {
    pub frame_ms: u32,
    pub rms_dbfs: Vec<f32>,
}

impl Envelope {
    pub fn new(frame_ms: u32, rms_dbfs: Vec<f32>) -> Self {
        Self { frame_ms, rms_dbfs }
    }

    /// From linear RMS values (0..1) per frame.
    pub fn from_rms(frame_ms: u32, rms: &[f32]) -> Self {
        let rms_dbfs = rms
            .iter()
            .map(|&a| crate::signal::dbfs(f64::from(a)) as f32)
            .collect();
        Self { frame_ms, rms_dbfs }
    }

    /// Computes the envelope of mono samples in -1..1.
    pub fn from_samples(samples: &[f32], sample_rate: u32, frame_ms: u32) -> Self {
        let frame = (u64::from(sample_rate) * u64::from(frame_ms) / 1000).max(1) as usize;
        let rms: Vec<f32> = samples
            .chunks(frame)
            .map(|c| {
                let power =
                    c.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / c.len() as f64;
                power.sqrt() as f32
            })
            .collect();
        Self::from_rms(frame_ms, &rms)
    }

    pub fn is_empty(&self) -> bool {
        self.frame_ms == 0 || self.rms_dbfs.is_empty()
    }
}

/// What the coach needs to know about the answer besides its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnswerContext {
    /// The language the answer started in (the question's language).
    pub lang: Lang,
    /// When the "continue in English" banner appeared, on the take's clock.
    #[ts(type = "number | null")]
    pub switch_at_ms: Option<u64>,
    /// The question's track; STAR cues are looked for on behavioral answers.
    pub track: Option<Track>,
    /// Length of the take.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Where the microphone stalled and sound went missing (the recording jumps there).
    #[serde(default)]
    pub stalls: Vec<Stall>,
}

/// A stall of the microphone inside a take: no sound for `length_ms` at `at_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Stall {
    #[ts(type = "number")]
    pub at_ms: u64,
    #[ts(type = "number")]
    pub length_ms: u64,
}

impl AnswerContext {
    /// The context of a transcript (its duration and switch marker).
    pub fn of(transcript: &Transcript, lang: Lang, track: Option<Track>) -> Self {
        Self {
            lang,
            switch_at_ms: transcript.switch_at_ms,
            track,
            duration_ms: transcript.duration_ms,
            stalls: Vec::new(),
        }
    }
}

/// Thresholds of the coach. The defaults follow `docs/lexicon.md` ("Coaching thresholds").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CoachConfig {
    /// Gaps between words at least this long are reported as pauses.
    #[ts(type = "number")]
    pub long_pause_ms: u64,
    /// Transcribed fillers below this confidence are not reported.
    pub min_filler_confidence: f32,
    /// A gap at least this long sets a word off like a comma (context rules).
    #[ts(type = "number")]
    pub set_off_pause_ms: u64,
    /// A gap at least this long starts a new clause (context rules: "so", "right").
    #[ts(type = "number")]
    pub clause_pause_ms: u64,
    /// Inferred fillers: only gaps between words at least this long are searched.
    #[ts(type = "number")]
    pub inferred_min_gap_ms: u64,
    /// Inferred fillers: voiced audio must last at least this long...
    #[ts(type = "number")]
    pub inferred_min_voiced_ms: u64,
    /// ...and at most this long (longer is untranscribed speech, not a filler).
    #[ts(type = "number")]
    pub inferred_max_voiced_ms: u64,
    /// Inferred fillers: this much of each gap edge is ignored (word timings are loose).
    #[ts(type = "number")]
    pub inferred_edge_guard_ms: u64,
    /// Voiced means at least this many dB above the noise floor...
    pub voiced_margin_db: f32,
    /// ...and no more than this many dB below the median level of transcribed speech.
    pub voiced_below_speech_db: f32,
    /// Percentile of the frame levels taken as the noise floor (0..1).
    pub noise_floor_percentile: f32,
    /// A phrase of 2-4 words used this many times in one answer is reported.
    pub phrase_min_count: u32,
    /// After switching, this many Korean words in a row count as going back to Korean.
    pub back_to_korean_min_words: u32,
    /// A pace part with less speaking time than this is reported but not judged.
    #[ts(type = "number")]
    pub min_pace_speaking_ms: u64,
}

impl Default for CoachConfig {
    fn default() -> Self {
        Self {
            long_pause_ms: 2500,
            min_filler_confidence: 0.5,
            set_off_pause_ms: 300,
            clause_pause_ms: 700,
            inferred_min_gap_ms: 300,
            inferred_min_voiced_ms: 150,
            inferred_max_voiced_ms: 2000,
            inferred_edge_guard_ms: 50,
            voiced_margin_db: 12.0,
            voiced_below_speech_db: 20.0,
            noise_floor_percentile: 0.1,
            phrase_min_count: 3,
            back_to_korean_min_words: 2,
            min_pace_speaking_ms: 5000,
        }
    }
}

/// Unit of a coaching value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    /// Words per minute.
    Wpm,
    /// Syllables per minute.
    Spm,
    /// Occurrences per minute.
    PerMinute,
    Percent,
    Ms,
    Count,
}

/// Where a value sits relative to its good range — a position, not a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RangeStatus {
    Below,
    Within,
    Above,
    /// Too little material to judge (e.g. a few seconds of English).
    NotMeasured,
}

/// The range considered good; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct GoodRange {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: MetricUnit,
}

impl GoodRange {
    pub fn new(min: Option<f64>, max: Option<f64>, unit: MetricUnit) -> Self {
        Self { min, max, unit }
    }

    /// Where `value` sits.
    pub fn status(&self, value: f64) -> RangeStatus {
        if self.min.is_some_and(|m| value < m) {
            RangeStatus::Below
        } else if self.max.is_some_and(|m| value > m) {
            RangeStatus::Above
        } else {
            RangeStatus::Within
        }
    }
}

/// A value judged against its range, with the reason for the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Judgement {
    pub status: RangeStatus,
    pub range: GoodRange,
    pub why: Localized,
}

/// One metric as the review screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MetricCard {
    /// Stable id (`fillers`, `pace.en`, `pauses`, ...); UI and history charts key on it.
    pub id: String,
    pub title: Localized,
    pub value: Option<f64>,
    pub unit: MetricUnit,
    /// The range considered good, why, and where the value sits.
    pub judgement: Judgement,
    /// What was observed, in sentences with the numbers.
    pub feedback: Vec<Localized>,
}

/// Everything the coach found in one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Coaching {
    pub lang: Lang,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// Words in the transcript (punctuation-only tokens excluded).
    pub word_count: u32,
    pub fillers: FillerReport,
    pub pace: PaceReport,
    pub pauses: PauseReport,
    pub hedges: HedgeReport,
    pub repeats: RepeatReport,
    /// Present when the answer had an English-switch marker.
    pub switch: Option<SwitchReport>,
    /// Present for behavioral answers.
    pub star: Option<StarReport>,
    pub cards: Vec<MetricCard>,
    /// The notable observations, one sentence each ("4 pauses over 2.5 s", "no result
    /// stated").
    pub summary: Vec<Localized>,
}

/// What every metric reads, prepared once.
pub(crate) struct Input<'a> {
    pub words: &'a [Word],
    pub toks: Vec<token::Tok>,
    pub hesitation: Vec<bool>,
    pub ctx: &'a AnswerContext,
    pub cfg: &'a CoachConfig,
    pub lexicons: &'a Lexicons,
    /// The answer's length: the context's duration, or the last word's end if later.
    pub duration_ms: u64,
}

impl Input<'_> {
    pub fn minutes(&self) -> f64 {
        self.duration_ms as f64 / 60_000.0
    }

    pub fn per_minute(&self, count: usize) -> f64 {
        if self.duration_ms == 0 {
            0.0
        } else {
            count as f64 / self.minutes()
        }
    }

    pub fn word_count(&self) -> usize {
        self.toks.iter().filter(|t| t.is_word()).count()
    }

    pub fn timing(&self) -> lexicon::RuleTiming {
        lexicon::RuleTiming {
            set_off_pause_ms: self.cfg.set_off_pause_ms,
            clause_pause_ms: self.cfg.clause_pause_ms,
        }
    }

    /// The words `indices` as transcribed, joined with spaces.
    pub fn text_of(&self, indices: std::ops::Range<usize>) -> String {
        self.words[indices]
            .iter()
            .map(|w| w.text.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Coaches one answer with the shipped lexicons and default thresholds.
pub fn coach(transcript: &Transcript, envelope: &Envelope, ctx: &AnswerContext) -> Coaching {
    coach_with(
        transcript,
        envelope,
        ctx,
        Lexicons::shipped(),
        &CoachConfig::default(),
    )
}

/// Coaches one answer with the given lexicons and thresholds.
pub fn coach_with(
    transcript: &Transcript,
    envelope: &Envelope,
    ctx: &AnswerContext,
    lexicons: &Lexicons,
    cfg: &CoachConfig,
) -> Coaching {
    let words = &transcript.words;
    let toks = token::tokenize(words);
    let hesitation = lexicon::hesitations(lexicons, &toks, ctx.lang);
    let last_end = words.iter().map(|w| w.end_ms).max().unwrap_or(0);
    let input = Input {
        words,
        toks,
        hesitation,
        ctx,
        cfg,
        lexicons,
        duration_ms: ctx.duration_ms.max(last_end),
    };

    let fillers = fillers::analyze(&input, envelope);
    let pauses = pauses::analyze(&input, &fillers.inferred);
    let pace = pace::analyze(&input);
    let hedges = hedges::analyze(&input);
    let repeats = repeats::analyze(&input, &fillers.hits, &hedges.hits);
    let switch = ctx.switch_at_ms.map(|at| language::analyze(&input, at));
    let star = (ctx.track == Some(Track::Behavioral)).then(|| star::analyze(&input));

    let mut cards = Vec::new();
    cards.push(fillers::card(&fillers));
    if !envelope.is_empty() {
        cards.push(fillers::inferred_card(&fillers));
    }
    cards.extend(pace::cards(&pace));
    cards.push(pauses::card(&pauses));
    if let Some(card) = pauses::first_word_card(&pauses) {
        cards.push(card);
    }
    cards.push(hedges::card(&hedges));
    cards.push(repeats::card(&repeats));
    if let Some(s) = &switch {
        cards.extend(language::cards(s));
    }
    if let Some(s) = &star {
        cards.push(star::card(s));
    }

    let mut summary = stall_sentences(&ctx.stalls);
    summary.extend(summarize(&cards, &pauses, star.as_ref()));
    Coaching {
        lang: ctx.lang,
        duration_ms: input.duration_ms,
        word_count: input.word_count() as u32,
        fillers,
        pace,
        pauses,
        hedges,
        repeats,
        switch,
        star,
        cards,
        summary,
    }
}

/// The recording's own faults come first: they are not the speaker's.
fn stall_sentences(stalls: &[Stall]) -> Vec<Localized> {
    let Some(first) = stalls.first() else {
        return Vec::new();
    };
    let missing: u64 = stalls.iter().map(|s| s.length_ms).sum();
    vec![say::l(
        format!(
            "The microphone stopped delivering sound {} ({} s missing, first at {}): the \
             recording jumps there. Check the connection and run the Check screen.",
            if stalls.len() == 1 {
                "once".to_owned()
            } else {
                format!("{} times", stalls.len())
            },
            say::secs(missing),
            say::clock(first.at_ms)
        ),
        format!(
            "마이크 소리가 {}번 끊겼어요(모두 {}초, 처음은 {}). 녹음이 그 지점에서 건너뜁니다. \
             연결을 확인하고 점검 화면을 실행해 보세요.",
            stalls.len(),
            say::secs(missing),
            say::clock(first.at_ms)
        ),
    )]
}

/// The notable observations: values outside their range, long pauses, STAR parts not
/// observed.
fn summarize(
    cards: &[MetricCard],
    pauses: &PauseReport,
    star: Option<&StarReport>,
) -> Vec<Localized> {
    let mut out = Vec::new();
    // STAR parts are summarised one sentence per missing part, below.
    for card in cards.iter().filter(|c| c.id != "star") {
        let outside = matches!(
            card.judgement.status,
            RangeStatus::Below | RangeStatus::Above
        );
        let pauses_found = card.id == "pauses" && !pauses.pauses.is_empty();
        if outside || pauses_found {
            if let Some(first) = card.feedback.first() {
                out.push(first.clone());
            }
        }
    }
    if let Some(star) = star {
        out.extend(star::missing_sentences(star));
    }
    if out.is_empty() {
        out.push(Localized::new(
            "Every measured value was within its range.",
            "측정한 값이 모두 권장 범위 안에 있었어요.",
        ));
    }
    out
}

#[cfg(test)]
pub(crate) mod testkit;

#[cfg(test)]
mod tests;
