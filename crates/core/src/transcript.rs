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

/// Whether a transcript in `lang` may hold the letter `c`: Latin in both (Korean answers
/// name technical terms in Latin letters), Hangul in Korean. Another script (Cyrillic in a
/// Korean answer) was never said: Whisper invented it.
pub fn script_allowed(lang: Lang, c: char) -> bool {
    let latin = c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c);
    let hangul = ('\u{AC00}'..='\u{D7A3}').contains(&c)
        || ('\u{1100}'..='\u{11FF}').contains(&c)
        || ('\u{3130}'..='\u{318F}').contains(&c);
    match lang {
        Lang::En => latin,
        Lang::Ko => hangul || latin,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_allows_its_scripts_and_latin() {
        for c in ['a', 'Z', 'é'] {
            assert!(
                script_allowed(Lang::En, c) && script_allowed(Lang::Ko, c),
                "{c}"
            );
        }
        for c in ['한', 'ㄱ'] {
            assert!(
                script_allowed(Lang::Ko, c) && !script_allowed(Lang::En, c),
                "{c}"
            );
        }
        for c in ['к', 'α', '語'] {
            assert!(
                !script_allowed(Lang::Ko, c) && !script_allowed(Lang::En, c),
                "{c}"
            );
        }
    }
}
