//! A transcript with word timings: what transcription produces and coaching reads.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Lang;

/// One recognised word (or word piece joined into a word), on the take's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Word {
    /// As recognised, without surrounding spaces; may carry punctuation ("Hello,").
    pub text: String,
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
    /// Mean token probability, 0..1.
    pub prob: f32,
    /// The language the stretch was transcribed in (forced, not guessed).
    pub lang: Lang,
}

/// A stretch transcribed in one go (whisper's segment), for display and SRT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Segment {
    pub text: String,
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
    pub lang: Lang,
    /// Whisper's probability that the segment holds no speech.
    pub no_speech_prob: f32,
}

/// How a transcript was made: the quick one is ready when recording stops, the full one
/// (the accurate one) replaces it a few seconds later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TranscriptPass {
    /// Stretch by stretch while recording, each with an encoder window fitted to it.
    Quick,
    /// The whole recording after it, with Whisper's full 30-second window (transcripts
    /// written before passes were recorded are read as this).
    #[default]
    Full,
}

/// The transcript of one take or file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Transcript {
    /// Model name it came from (e.g. `base`).
    pub model: String,
    /// Which pass made it.
    #[serde(default)]
    pub pass: TranscriptPass,
    /// Length of the audio transcribed.
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// The English-switch moment the languages were split at, if any.
    #[ts(type = "number | null")]
    pub switch_at_ms: Option<u64>,
    pub segments: Vec<Segment>,
    pub words: Vec<Word>,
}

impl Transcript {
    pub fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}
