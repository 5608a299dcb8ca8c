//! One way from samples to a transcript, for a whole file and for a take being recorded:
//! the audio is cut into stretches ([`greenroom_core::speech::stretch`]), each stretch is transcribed on
//! the take's clock ([`Transcriber::transcribe_stretch`]), and the stretches are put
//! together. Two passes use it:
//! - the quick pass, while recording: the streamer ([`super::streaming`]) cuts stretches
//!   at pauses as the audio arrives and decodes each with an encoder window fitted to it,
//!   so the transcript is ready at stop;
//! - the full pass, [`Transcriber::transcribe`] over a whole recording (right after the
//!   quick one, on import, from the command line): windows as long as Whisper's 30 s take,
//!   cut at pauses, each decoded with the full window. On real speech it is the accurate
//!   one (docs/practice-and-transcription.md, "Accuracy on real people's speech").
//!
//! A stretch is transcribed in the plan's languages (the answer's language up to the
//! English switch, English after it; the split moves to the quietest moment within 0.5 s
//! of the marker so no word is cut in two), only where a voice is heard (Whisper invents
//! text for silence), with word edges put on the voice ([`greenroom_core::speech::timing`]). Whisper now
//! and then skips a whole sentence: speech that no word reaches is transcribed again on
//! its own.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use greenroom_core::transcript::{Segment, Transcript, TranscriptPass, Word};
use greenroom_core::Lang;

use super::pcm::{ms_to_samples, samples_to_ms};
use super::whisper::{EncoderWindow, LanguagePlan, RawSegment, RunTuning, Transcriber};
use crate::EngineError;
use greenroom_core::speech::stretch::{
    cut_all, cut_windows, frames_ms, uncovered_speech, CutRules, Levels, FRAME,
};
use greenroom_core::speech::timing::{fit_to_voice, join_words, mark_squeezed, spread_untimed};

/// Segments Whisper rates as probably not speech (above this)...
const NO_SPEECH_PROB: f32 = 0.6;
/// ...and whose mean token probability is below this are dropped.
const LOW_SEGMENT_PROB: f32 = 0.5;
/// A kept segment overlaps at least this much voiced audio.
const MIN_SEGMENT_VOICED_MS: u64 = 100;
/// The language split moves to the quietest moment this close to the switch marker.
const SWITCH_SNAP_MS: u64 = 500;

/// The audio a stretch belongs to: 16 kHz samples from the start of the take (all of it, or
/// all so far while recording), their levels, and the languages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TakeAudio<'a> {
    pub audio: &'a [f32],
    pub levels: &'a Levels,
    pub plan: LanguagePlan,
}

/// One stretch transcribed, on the take's clock.
#[derive(Debug, Clone, Default)]
pub(crate) struct StretchText {
    pub segments: Vec<Segment>,
    pub words: Vec<Word>,
    /// Passes over speech Whisper had skipped.
    pub repairs: u32,
}

impl Transcriber {
    /// Transcribes 16 kHz mono audio: cut into stretches at pauses, each in its language,
    /// with an encoder window fitted to it. `progress` gets 0..1 (on this thread). Setting
    /// `cancel` (from any thread) ends it with [`EngineError::Cancelled`] within one graph
    /// node of whisper's encoder or one decoder step.
    pub fn transcribe(
        &self,
        audio_16k: &[f32],
        plan: &LanguagePlan,
        progress: &mut dyn FnMut(f32),
        cancel: &AtomicBool,
    ) -> Result<Transcript, EngineError> {
        let tuning = RunTuning {
            threads: self.threads(),
            window: self.decoding().window,
            timestamps: self.decoding().timestamps,
        };
        self.transcribe_with(audio_16k, plan, progress, cancel, tuning)
    }

    /// [`Self::transcribe`] with another thread count or encoder window for this call.
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
        self.check_languages(plan, 0, duration_ms)?;
        // The full pass decodes windows as long as Whisper takes; a quick one cuts where
        // the streamer would.
        let (levels, stretches) = match tuning.window {
            EncoderWindow::Full => cut_windows(audio_16k),
            EncoderWindow::Fitted => cut_all(audio_16k, &CutRules::default()),
        };
        let take = TakeAudio {
            audio: audio_16k,
            levels: &levels,
            plan: *plan,
        };
        let total = audio_16k.len().max(1) as f32;
        let mut reported = 0.0f32;
        progress(0.0);
        let mut parts = Vec::with_capacity(stretches.len());
        for range in stretches {
            let (base, len) = (range.start as f32, range.len() as f32);
            let mut on_progress = |p: f32| {
                let p = (base + len * p) / total;
                if p > reported {
                    reported = p;
                    progress(p);
                }
            };
            parts.push(self.transcribe_stretch(&take, range, tuning, &mut on_progress, cancel)?);
        }
        let (segments, words) = assemble(parts.iter());
        progress(1.0);
        Ok(Transcript {
            model: self.name().to_owned(),
            pass: match tuning.window {
                EncoderWindow::Full => TranscriptPass::Full,
                EncoderWindow::Fitted => TranscriptPass::Quick,
            },
            duration_ms,
            switch_at_ms: plan.switch_at_ms,
            segments,
            words,
        })
    }

    /// Transcribes the stretch `range` (samples of `take.audio`), on the take's clock.
    pub(crate) fn transcribe_stretch(
        &self,
        take: &TakeAudio<'_>,
        range: Range<usize>,
        tuning: RunTuning,
        progress: &mut dyn FnMut(f32),
        cancel: &AtomicBool,
    ) -> Result<StretchText, EngineError> {
        let range = range.start.min(take.audio.len())..range.end.min(take.audio.len());
        let (mut segments, mut words) =
            self.transcribe_parts(take, range.clone(), tuning, progress, cancel)?;
        let mut repairs = 0;
        let spans: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        for frames in uncovered_speech(
            take.levels,
            range.start / FRAME,
            range.end.div_ceil(FRAME),
            &spans,
        ) {
            let (a_ms, b_ms) = frames_ms(frames);
            let sub = (frames.0 * FRAME).max(range.start)..(frames.1 * FRAME).min(range.end);
            let (more_segments, more_words) =
                self.transcribe_parts(take, sub, tuning, &mut |_| {}, cancel)?;
            repairs += 1;
            let outside = |s: u64, e: u64| !(a_ms..b_ms).contains(&((s + e) / 2));
            segments.retain(|s| outside(s.start_ms, s.end_ms));
            words.retain(|w| outside(w.start_ms, w.end_ms));
            segments.extend(more_segments);
            words.extend(more_words);
            segments.sort_by_key(|s| s.start_ms);
            words.sort_by_key(|w| w.start_ms);
        }
        progress(1.0);
        Ok(StretchText {
            segments,
            words,
            repairs,
        })
    }

    /// English-only models cannot do the parts in Korean.
    fn check_languages(
        &self,
        plan: &LanguagePlan,
        start_ms: u64,
        end_ms: u64,
    ) -> Result<(), EngineError> {
        let korean = plan.lang != Lang::En
            && end_ms > start_ms
            && plan.effective_switch().is_none_or(|s| s > start_ms);
        if korean && !self.multilingual() {
            return Err(EngineError::InvalidArgument {
                name: "model".into(),
                detail: format!(
                    "'{}' is an English-only model; Korean needs a multilingual model such \
                     as base (`greenroom models list`)",
                    self.name()
                ),
            });
        }
        Ok(())
    }

    /// `range` in the plan's languages: split at the switch (moved to a nearby pause) when
    /// it falls inside; each part's voiced span through Whisper.
    fn transcribe_parts(
        &self,
        take: &TakeAudio<'_>,
        range: Range<usize>,
        tuning: RunTuning,
        progress: &mut dyn FnMut(f32),
        cancel: &AtomicBool,
    ) -> Result<(Vec<Segment>, Vec<Word>), EngineError> {
        if cancel.load(Ordering::Relaxed) {
            return Err(EngineError::Cancelled);
        }
        let (start_ms, end_ms) = (samples_to_ms(range.start), samples_to_ms(range.end));
        self.check_languages(&take.plan, start_ms, end_ms)?;
        let lang = take.plan.lang;
        let parts: Vec<(Range<usize>, Lang)> = match take.plan.effective_switch() {
            None => vec![(range, lang)],
            Some(s) if s <= start_ms => vec![(range, Lang::En)],
            Some(s) if s >= end_ms => vec![(range, lang)],
            Some(s) => {
                let cut = ms_to_samples(take.levels.quietest_near(s, SWITCH_SNAP_MS))
                    .clamp(range.start, range.end);
                vec![(range.start..cut, lang), (cut..range.end, Lang::En)]
            }
        };
        let jobs: Vec<(Range<usize>, Range<usize>, Lang)> = parts
            .into_iter()
            .filter_map(|(part, lang)| {
                take.levels
                    .voiced_span(part.clone())
                    .map(|span| (part, span, lang))
            })
            .collect();
        let total = jobs.iter().map(|(_, s, _)| s.len()).sum::<usize>().max(1) as f32;
        let mut done = 0usize;
        let (mut segments, mut words) = (Vec::new(), Vec::new());
        for (part, span, lang) in jobs {
            let weight = span.len() as f32;
            let mut on_pct = |pct: i32| {
                progress((done as f32 + weight * pct.clamp(0, 100) as f32 / 100.0) / total)
            };
            let raw = self.run(&take.audio[span.clone()], lang, tuning, &mut on_pct, cancel)?;
            done += span.len();
            let bounds = (samples_to_ms(part.start), samples_to_ms(part.end));
            let (s, w) = place(raw, samples_to_ms(span.start), bounds, lang, take.levels);
            segments.extend(s);
            words.extend(w);
        }
        Ok((segments, words))
    }
}

/// Puts one pass's segments and words on the take's clock: `offset_ms` is where the audio
/// handed to Whisper started, `bounds` the part it belongs to. Segments with no voice
/// under them, or that Whisper itself rates as no speech with low confidence, are dropped.
fn place(
    raw: Vec<RawSegment>,
    offset_ms: u64,
    bounds: (u64, u64),
    lang: Lang,
    levels: &Levels,
) -> (Vec<Segment>, Vec<Word>) {
    let clamp = |t: u64| (t + offset_ms).clamp(bounds.0, bounds.1);
    let mut kept: Vec<RawSegment> = Vec::with_capacity(raw.len());
    for seg in raw {
        let start = clamp(seg.t0_ms);
        let end = clamp(seg.t1_ms).max(start + 1);
        let mean_prob =
            seg.pieces.iter().map(|p| p.prob).sum::<f32>() / seg.pieces.len().max(1) as f32;
        let unsure = seg.no_speech_prob > NO_SPEECH_PROB && mean_prob < LOW_SEGMENT_PROB;
        // Whisper's repetition loop: the segment before, again (seen at the end of a
        // window, placed in the silence after the last word).
        let repeated = kept
            .last()
            .is_some_and(|prev| same_text(&prev.text, &seg.text));
        if !seg.text.is_empty()
            && !unsure
            && !repeated
            && levels.voiced_ms_padded(start, end) >= MIN_SEGMENT_VOICED_MS
        {
            kept.push(seg);
        }
    }
    let pieces: Vec<&[greenroom_core::speech::timing::Piece]> =
        kept.iter().map(|s| &s.pieces[..]).collect();
    let mut joined = join_words(&pieces);
    let repeated = repeated_tail(
        &joined
            .iter()
            .map(|(_, w)| w.text.as_str())
            .collect::<Vec<_>>(),
    );
    joined.truncate(joined.len() - repeated);
    let (lo, hi) = (offset_ms.max(bounds.0), bounds.1);
    let mut words: Vec<Word> = Vec::with_capacity(joined.len());
    let mut starts_known = Vec::with_capacity(joined.len());
    let mut timed = Vec::with_capacity(joined.len());
    let mut seg_of = Vec::with_capacity(joined.len());
    for (si, w) in joined {
        let end = w.end_ms.map(clamp);
        starts_known.push(w.start_ms.is_some() && end.is_some());
        timed.push(end.is_some());
        seg_of.push(si);
        let end = end.unwrap_or(lo);
        words.push(Word {
            text: w.text,
            start_ms: w.start_ms.map_or(end, clamp).min(end),
            end_ms: end,
            prob: w.prob.clamp(0.0, 1.0),
            lang,
        });
    }
    make_monotonic(&mut words);
    mark_squeezed(&words, &mut timed);
    for (k, t) in starts_known.iter_mut().zip(&timed) {
        *k &= *t;
    }
    spread_untimed(&mut words, &mut timed, levels, lo, hi);
    fit_to_voice(&mut words, &starts_known, levels, lo, hi);
    let no_speech = |si: usize| kept.get(si).map_or(0.0, |s| s.no_speech_prob);
    let segments = sentences(&words)
        .into_iter()
        .map(|r| {
            let mine = &words[r.clone()];
            Segment {
                text: mine
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                start_ms: mine[0].start_ms,
                end_ms: mine[mine.len() - 1].end_ms.max(mine[0].start_ms),
                lang,
                no_speech_prob: no_speech(seg_of[r.start]),
            }
        })
        .collect();
    (segments, words)
}

/// How many words at the end of a pass repeat the words before them, a run of 3 or more
/// at least once over (the last copy may be cut short): Whisper's repetition loop on a
/// short stretch in a longer window, which it places in the silence after the voice (and
/// which the token budget cuts off mid-copy). 0 when there is none.
pub(super) fn repeated_tail(words: &[&str]) -> usize {
    let plain: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    let n = plain.len();
    (3..=n / 2)
        .map(|period| {
            // Trailing words equal to the word one period before them.
            let copied = (period..n)
                .rev()
                .take_while(|&i| plain[i] == plain[i - period])
                .count();
            if copied >= period {
                copied
            } else {
                0
            }
        })
        .max()
        .unwrap_or(0)
}

/// The words of a pass as sentences (for display and subtitles): Whisper decodes a stretch
/// as one segment, so sentences end at a word ending in . ? ! or at a pause of 1 s.
fn sentences(words: &[Word]) -> Vec<Range<usize>> {
    const BREAK_MS: u64 = 1_000;
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..words.len() {
        let ends_sentence = words[i]
            .text
            .trim_end_matches(['"', '\'', ')', '”', '’'])
            .ends_with(['.', '?', '!', '。', '？', '！']);
        let pause_after = words
            .get(i + 1)
            .is_some_and(|n| n.start_ms.saturating_sub(words[i].end_ms) >= BREAK_MS);
        if ends_sentence || pause_after || i + 1 == words.len() {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out
}

/// Whether two segment texts say the same (case, spacing and punctuation aside).
fn same_text(a: &str, b: &str) -> bool {
    let plain = |t: &str| -> String {
        t.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (plain(a), plain(b));
    !a.is_empty() && a == b
}

/// The segments and words of stretches (in take order), words never going backwards.
pub(crate) fn assemble<'a>(
    parts: impl Iterator<Item = &'a StretchText>,
) -> (Vec<Segment>, Vec<Word>) {
    let (mut segments, mut words) = (Vec::new(), Vec::new());
    for p in parts {
        segments.extend(p.segments.iter().cloned());
        words.extend(p.words.iter().cloned());
    }
    make_monotonic(&mut words);
    (segments, words)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, s: u64, e: u64) -> Word {
        Word {
            text: text.into(),
            start_ms: s,
            end_ms: e,
            prob: 1.0,
            lang: Lang::Ko,
        }
    }

    #[test]
    fn a_pass_is_shown_as_sentences() {
        let words = vec![
            w("We", 0, 100),
            w("moved.", 100, 400),
            w("Then", 600, 800),
            w("waited", 800, 1_000),
            w("and", 2_200, 2_400),
            w("checked?", 2_400, 2_800),
            w("Done", 2_900, 3_100),
        ];
        assert_eq!(sentences(&words), [0..2, 2..4, 4..6, 6..7]);
        assert!(sentences(&[]).is_empty());
    }

    #[test]
    fn words_are_monotonic_after_fixing() {
        let mut words = vec![w("x", 100, 200), w("x", 90, 80), w("x", 300, 250)];
        make_monotonic(&mut words);
        let times: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(times, [(100, 200), (100, 100), (300, 300)]);
    }

    #[test]
    fn a_repeated_segment_is_whisper_looping() {
        assert!(same_text(
            "But each one has its own stack.",
            "but each one has its own stack"
        ));
        assert!(!same_text("So.", "So we did."));
        assert!(!same_text("...", "!"));
        let words = |t: &str| t.split(' ').map(str::to_owned).collect::<Vec<_>>();
        let tail = |t: &str| {
            let w = words(t);
            repeated_tail(&w.iter().map(String::as_str).collect::<Vec<_>>())
        };
        assert_eq!(
            tail("But each one has its own stack. But each one has its own stack."),
            7
        );
        assert_eq!(tail("We kept it. Then we kept it. We kept it."), 3);
        // Cut short by the token budget: the whole copy and the start of the next go.
        assert_eq!(
            tail("Looking back, I would ask earlier. Looking back, I would ask earlier. Looking"),
            7
        );
        // A short repeat is how people talk ("the the"), not a loop.
        assert_eq!(tail("and it was it was"), 0);
        assert_eq!(tail("one two three"), 0);
    }

    #[test]
    fn stretches_are_put_together_in_order() {
        let a = StretchText {
            segments: vec![],
            words: vec![w("a", 0, 500), w("b", 600, 900)],
            repairs: 0,
        };
        let b = StretchText {
            segments: vec![],
            words: vec![w("c", 850, 1_200)],
            repairs: 1,
        };
        let (_, words) = assemble([a, b].iter());
        let times: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(times, [(0, 500), (600, 900), (850, 1_200)]);
    }
}
