//! Builders for hand-made transcripts in the coaching tests.

use super::{coach_with, AnswerContext, CoachConfig, Coaching, Envelope, Lexicons};
use crate::bank::Track;
use crate::transcript::{Transcript, Word};
use crate::Lang;

/// Splits `text` on whitespace into words of 300 ms starting every 400 ms from `start_ms`.
pub(crate) fn seq(text: &str, start_ms: u64) -> Vec<(String, u64, u64)> {
    text.split_whitespace()
        .enumerate()
        .map(|(k, w)| {
            let s = start_ms + 400 * k as u64;
            (w.to_string(), s, s + 300)
        })
        .collect()
}

pub(crate) fn borrow(words: &[(String, u64, u64)]) -> Vec<(&str, u64, u64)> {
    words.iter().map(|(w, s, e)| (w.as_str(), *s, *e)).collect()
}

pub(crate) fn transcript(
    words: &[(&str, u64, u64)],
    duration_ms: u64,
    switch_at_ms: Option<u64>,
) -> Transcript {
    Transcript {
        model: "test".into(),
        pass: Default::default(),
        duration_ms,
        switch_at_ms,
        segments: Vec::new(),
        words: words
            .iter()
            .map(|&(text, start_ms, end_ms)| Word {
                text: text.into(),
                start_ms,
                end_ms,
                prob: 0.9,
                lang: if super::token::hangul_syllables(text) > 0 {
                    Lang::Ko
                } else {
                    Lang::En
                },
            })
            .collect(),
    }
}

pub(crate) fn run_cfg(
    t: &Transcript,
    lang: Lang,
    track: Option<Track>,
    cfg: &CoachConfig,
) -> Coaching {
    let ctx = AnswerContext::of(t, lang, track);
    coach_with(t, &Envelope::default(), &ctx, Lexicons::shipped(), cfg)
}

pub(crate) fn run(t: &Transcript, lang: Lang, track: Option<Track>) -> Coaching {
    run_cfg(t, lang, track, &CoachConfig::default())
}

pub(crate) fn run_env(
    t: &Transcript,
    env: &Envelope,
    lang: Lang,
    track: Option<Track>,
) -> Coaching {
    let ctx = AnswerContext::of(t, lang, track);
    coach_with(t, env, &ctx, Lexicons::shipped(), &CoachConfig::default())
}
