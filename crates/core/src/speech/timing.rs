//! Word timings that match the audio.
//!
//! Whisper's own token timestamps interpolate inside a segment: words next to a thinking
//! pause were stretched over it ("servers." 5.66-7.04 s for speech that ended at ~4.2 s),
//! so pauses vanished and a click on a word played the wrong moment. Two sources fix that:
//!
//! - **DTW token times** (whisper.cpp's alignment heads): the moment the model emitted a
//!   token, which tracks the *end* of the token's sound (measured against Piper speech
//!   with known word onsets: the previous token's time is a word's onset to ~60 ms, the
//!   word's own time lands near its end). So a word starts where the text token before it
//!   ended and ends at its own last letter token (punctuation is emitted late and ignored).
//! - **The voice itself** ([`Levels`]): edges next to a quiet run are moved onto the edge
//!   of the voice, so a pause between two words is exactly the quiet between them, and a
//!   word never starts or ends in silence.

use crate::transcript::Word;

use super::stretch::{quiet_runs, Levels, FRAME_MS};

/// Quiet at least this long between two words is a pause their edges snap to (a stop
/// consonant's closure is shorter).
const EDGE_QUIET_MS: u64 = 140;
/// How far an edge moves to reach the voice's edge.
const EDGE_REACH_MS: u64 = 500;

/// A word is taken as emitted late ([`fit_to_voice`]) only across a pause at most this
/// long, when at most [`LATE_WORD_TAIL_MS`] of it lies after the pause and at least
/// [`LATE_WORD_MIN_VOICE_MS`] of uncovered voice lies before it. A thinking pause is longer:
/// the word after it is spoken after it.
const LATE_WORD_PAUSE_MS: u64 = 1_000;
const LATE_WORD_TAIL_MS: u64 = 200;
const LATE_WORD_MIN_VOICE_MS: u64 = 150;

/// A token of a whisper segment, times relative to the audio whisper saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub bytes: Vec<u8>,
    pub prob: f32,
    pub t0_ms: u64,
    pub t1_ms: u64,
    /// The DTW time of the token, when whisper.cpp computed one.
    pub dtw_ms: Option<u64>,
}

/// A word before it is put on the take's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct RawWord {
    pub text: String,
    /// `None` when nothing before the word tells where it starts (the first word of a pass
    /// with DTW times): the voice decides.
    pub start_ms: Option<u64>,
    /// `None` when DTW gave the word no time (the voice then decides, [`spread_untimed`]).
    pub end_ms: Option<u64>,
    pub prob: f32,
}

/// Whether a piece is spoken: letters, digits, and the symbols read aloud ("90%" is
/// "ninety percent": its "%" piece carries the word's last sound).
fn is_text(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| c.is_alphanumeric() || "%$€£¥₩&+@#°=".contains(c))
}

/// Joins the BPE pieces of one whisper pass (its segments in order) into words: a piece
/// starting with a space starts a word; the bytes are decoded only once whole (a Hangul
/// syllable can be split across pieces). Pieces without a letter or digit (punctuation)
/// stay with the word before them; a "word" with no letter or digit at all is dropped.
/// Returns each word with the index of its segment.
pub fn join_words(segments: &[&[Piece]]) -> Vec<(usize, RawWord)> {
    let dtw = segments
        .iter()
        .flat_map(|s| s.iter())
        .any(|p| p.dtw_ms.is_some());
    let mut words = Vec::new();
    // The DTW time of the last text piece before the current word, across segments.
    let mut prev_text_end: Option<u64> = None;
    for (si, pieces) in segments.iter().enumerate() {
        let mut cur: Vec<&Piece> = Vec::new();
        let mut flush = |cur: &mut Vec<&Piece>, prev: &mut Option<u64>| {
            if cur.is_empty() {
                return;
            }
            let bytes: Vec<u8> = cur.iter().flat_map(|p| p.bytes.iter().copied()).collect();
            let text = String::from_utf8_lossy(&bytes).trim().to_owned();
            let last_text = cur.iter().rev().find(|p| is_text(&p.bytes));
            if text.chars().any(char::is_alphanumeric) {
                let prob = cur.iter().map(|p| p.prob).sum::<f32>() / cur.len() as f32;
                let word = if dtw {
                    let end = last_text.and_then(|p| p.dtw_ms);
                    RawWord {
                        text,
                        start_ms: prev.filter(|&s| end.is_none_or(|e| s <= e)),
                        end_ms: end,
                        prob,
                    }
                } else {
                    RawWord {
                        text,
                        start_ms: Some(cur[0].t0_ms),
                        end_ms: Some(cur[cur.len() - 1].t1_ms),
                        prob,
                    }
                };
                words.push((si, word));
            }
            if let Some(t) = last_text.and_then(|p| p.dtw_ms) {
                *prev = Some(t);
            }
            cur.clear();
        };
        for p in pieces.iter() {
            if p.bytes.first() == Some(&b' ') {
                flush(&mut cur, &mut prev_text_end);
            }
            cur.push(p);
        }
        flush(&mut cur, &mut prev_text_end);
    }
    words
}

/// Runs of at least this many words that DTW put at one instant (its path gave up on
/// them: seen after a filler) are taken as untimed.
const SQUEEZED_RUN: usize = 3;

/// Marks runs of words DTW squeezed into one instant as untimed.
pub fn mark_squeezed(words: &[Word], timed: &mut [bool]) {
    let mut i = 0;
    while i < words.len() {
        let t = words[i].end_ms;
        let mut j = i;
        while j < words.len() && timed[j] && words[j].end_ms.abs_diff(t) <= FRAME_MS {
            j += 1;
        }
        if j - i >= SQUEEZED_RUN {
            timed[i..j].iter_mut().for_each(|k| *k = false);
            i = j;
        } else {
            i += 1;
        }
    }
}

/// Gives untimed words times: each run of them shares the voice between the timed words
/// around it (or the edges `lo_ms..hi_ms`), in proportion to their letters, skipping the
/// quiet. Marks them timed.
pub fn spread_untimed(
    words: &mut [Word],
    timed: &mut [bool],
    levels: &Levels,
    lo_ms: u64,
    hi_ms: u64,
) {
    let mut i = 0;
    while i < words.len() {
        if timed[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < words.len() && !timed[j] {
            j += 1;
        }
        let lo = if i == 0 { lo_ms } else { words[i - 1].end_ms }.max(lo_ms);
        let hi = if j < words.len() {
            words[j].start_ms
        } else {
            hi_ms
        }
        .clamp(lo, hi_ms.max(lo));
        let f0 = (lo / FRAME_MS) as usize;
        let f1 = (hi.div_ceil(FRAME_MS) as usize).min(levels.len()).max(f0);
        // The voiced frames in the room, as times; all of it when none is voiced.
        let mut at: Vec<u64> = levels
            .voiced(f0, f1)
            .iter()
            .enumerate()
            .filter(|(_, v)| **v)
            .map(|(k, _)| (f0 + k) as u64 * FRAME_MS)
            .collect();
        if at.is_empty() {
            at = (f0..f1.max(f0 + 1)).map(|f| f as u64 * FRAME_MS).collect();
        }
        let weights: Vec<usize> = words[i..j]
            .iter()
            .map(|w| {
                w.text
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .count()
                    .max(1)
            })
            .collect();
        let total: usize = weights.iter().sum();
        let mut acc = 0;
        for (k, w) in weights.iter().enumerate() {
            let a = at[acc * at.len() / total].clamp(lo, hi);
            acc += w;
            let b = (at[(acc * at.len() / total).min(at.len() - 1)] + FRAME_MS).clamp(a, hi);
            words[i + k].start_ms = a;
            words[i + k].end_ms = b;
            timed[i + k] = true;
        }
        i = j;
    }
}

/// Puts word edges on the voice: inside `lo_ms..hi_ms` (the audio one pass saw, on the
/// take's clock), a word with no start gets the onset of the voice it ends in; an edge
/// next to a quiet run of `EDGE_QUIET_MS` or more moves onto the voice's edge (within
/// `EDGE_REACH_MS`); a word never starts or ends inside such a quiet run. Words stay in
/// order and never overlap.
pub fn fit_to_voice(
    words: &mut [Word],
    starts_known: &[bool],
    levels: &Levels,
    lo_ms: u64,
    hi_ms: u64,
) {
    if words.is_empty() || levels.is_empty() {
        return;
    }
    let f0 = (lo_ms / FRAME_MS) as usize;
    let f1 = (hi_ms.div_ceil(FRAME_MS) as usize).min(levels.len());
    if f1 <= f0 {
        return;
    }
    let voiced = levels.voiced(f0, f1);
    let min_quiet = EDGE_QUIET_MS.div_ceil(FRAME_MS) as usize;
    // Quiet runs long enough to be pauses, in ms on the take's clock.
    let pauses: Vec<(u64, u64)> = quiet_runs(&voiced)
        .into_iter()
        .filter(|&(a, b)| b - a >= min_quiet || a == 0 || b == voiced.len())
        .map(|(a, b)| ((f0 + a) as u64 * FRAME_MS, (f0 + b) as u64 * FRAME_MS))
        .collect();
    let voice_at = |ms: u64| {
        let f = (ms / FRAME_MS) as usize;
        f >= f0 && f < f1 && voiced[f - f0]
    };
    // The pause that `ms` is in, if any.
    let pause_at = |ms: u64| pauses.iter().copied().find(|&(a, b)| a <= ms && ms < b);

    for i in 0..words.len() {
        // A word with no voice under it at all, just after a voice ended: DTW gave the
        // word before it this word's end (the model emitted them late). The two share
        // the voice before the pause, by their length.
        if i > 0 {
            let (s0, e0) = (words[i].start_ms, words[i].end_ms.max(words[i].start_ms));
            let in_pause = pause_at(s0).filter(|&(a, b)| e0 <= b && s0 >= a);
            if let Some((a, _)) = in_pause {
                let prev = &words[i - 1];
                if s0 - a <= EDGE_REACH_MS && prev.end_ms + FRAME_MS >= a && prev.start_ms < a {
                    let weight = |w: &Word| {
                        w.text
                            .chars()
                            .filter(|c| c.is_alphanumeric())
                            .count()
                            .max(1) as u64
                    };
                    let (wp, wc) = (weight(prev), weight(&words[i]));
                    let from = prev.start_ms;
                    let mid = from + (a - from) * wp / (wp + wc);
                    words[i - 1].end_ms = mid;
                    words[i].start_ms = mid;
                    words[i].end_ms = a;
                    continue;
                }
            }
        }
        let prev_end = if i == 0 { lo_ms } else { words[i - 1].end_ms };
        let next_start = words
            .get(i + 1)
            .map_or(hi_ms, |w| w.start_ms.max(words[i].end_ms));
        // The next word's own end: its start is not fitted yet (it is often this word's
        // early DTW end), so a pause before that end is still between the two words.
        let next_end = words
            .get(i + 1)
            .map_or(hi_ms, |w| w.end_ms.max(w.start_ms).max(words[i].end_ms));
        let w = &mut words[i];
        let mut start = w.start_ms.max(prev_end);
        let mut end = w.end_ms.clamp(start, hi_ms);
        if !starts_known.get(i).copied().unwrap_or(true) {
            // The onset of the voice the word ends in: back from its end to the pause
            // before it.
            let back = pauses
                .iter()
                .copied()
                .filter(|&(_, b)| b <= end.max(prev_end + 1))
                .map(|(_, b)| b)
                .next_back()
                .unwrap_or(lo_ms);
            start = back.max(prev_end).max(end.saturating_sub(2_000)).min(end);
        }
        // A word whose DTW end lands just past a short pause, with voice before the pause
        // that no word covers: the model emitted the word late (seen on fillers: "So,"
        // given the first 80 ms of the next word). The word is the voice before the pause.
        let voiced_in = |a: u64, b: u64| {
            let (fa, fb) = ((a / FRAME_MS) as usize, (b / FRAME_MS) as usize);
            (fa.max(f0)..fb.min(f1)).filter(|&f| voiced[f - f0]).count() as u64 * FRAME_MS
        };
        let from = prev_end.max(lo_ms);
        if let Some(&(a, b)) = pauses.iter().rfind(|&&(a, b)| {
            a > from && b <= end && b - a <= LATE_WORD_PAUSE_MS && end - b <= LATE_WORD_TAIL_MS
        }) {
            let before = voiced_in(from, a);
            if before >= LATE_WORD_MIN_VOICE_MS && before > end - b {
                let onset = (from / FRAME_MS..a / FRAME_MS)
                    .find(|&f| voice_at(f * FRAME_MS))
                    .map_or(from, |f| f * FRAME_MS);
                w.start_ms = onset;
                w.end_ms = a;
                continue;
            }
        }
        // A start in a pause moves to the voice after it (when that is before the end).
        if let Some((_, b)) = pause_at(start) {
            if b < end.max(start + 1) || !voice_at(start) && b <= next_start {
                start = b;
            }
        }
        // A pause inside the word: the word's end (its own DTW time) is the surer edge, so
        // it was spoken after the pause.
        if let Some(&(_, b)) = pauses
            .iter()
            .rfind(|&&(a, b)| a > start && b < end && b - a >= EDGE_QUIET_MS)
        {
            start = b;
        }
        // A start just after a pause moves back onto the voice's onset.
        if let Some(&(_, b)) = pauses
            .iter()
            .find(|&&(a, b)| b <= start && start - b <= EDGE_REACH_MS && a >= prev_end)
        {
            start = b;
        }
        end = end.max(start);
        // An end in a pause moves back to where the voice stopped.
        if let Some((a, _)) = pause_at(end.saturating_sub(1)) {
            if a > start {
                end = a;
            }
        }
        // An end just before a pause moves on to where the voice stopped.
        if let Some(&(a, _)) = pauses
            .iter()
            .find(|&&(a, b)| a >= end && a - end <= EDGE_REACH_MS && b <= next_end.max(a + 1))
        {
            if !pauses.iter().any(|&(pa, pb)| pa > end && pb <= a) {
                end = a;
            }
        }
        w.start_ms = start;
        w.end_ms = end.max(start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn piece(text: &[u8], t0: u64, t1: u64, p: f32, dtw: Option<u64>) -> Piece {
        Piece {
            bytes: text.to_vec(),
            prob: p,
            t0_ms: t0,
            t1_ms: t1,
            dtw_ms: dtw,
        }
    }

    #[test]
    fn pieces_join_into_words() {
        let hangul = "안녕하세요".as_bytes();
        let pieces = [
            piece(b" Um", 0, 200, 0.5, None),
            piece(b",", 200, 210, 0.9, None),
            piece(b" I", 300, 350, 0.9, None),
            piece(b" dep", 400, 500, 0.8, None),
            piece(b"loy", 500, 600, 0.6, None),
            piece(b"ed", 600, 650, 1.0, None),
            piece(b".", 650, 660, 1.0, None),
            piece(b" -", 700, 710, 0.3, None),
            // A Hangul word split inside a syllable's bytes.
            piece(&[b" "[0], hangul[0], hangul[1]], 800, 900, 0.5, None),
            piece(&hangul[2..7], 900, 1000, 0.7, None),
            piece(&hangul[7..], 1000, 1100, 0.9, None),
        ];
        let words = join_words(&[&pieces]);
        let texts: Vec<&str> = words.iter().map(|(_, w)| w.text.as_str()).collect();
        assert_eq!(texts, ["Um,", "I", "deployed.", "안녕하세요"]);
        assert_eq!(
            (words[2].1.start_ms, words[2].1.end_ms),
            (Some(400), Some(660))
        );
        assert!((words[2].1.prob - 0.85).abs() < 1e-6);
        assert_eq!(
            (words[3].1.start_ms, words[3].1.end_ms),
            (Some(800), Some(1100))
        );
        assert!(join_words(&[]).is_empty());
    }

    #[test]
    fn dtw_times_mark_word_ends_and_the_next_word_starts_there() {
        // DTW times near each text token's end; the period's is late and not used.
        let first = [
            piece(b" So", 0, 100, 0.9, Some(420)),
            piece(b" we", 100, 200, 0.9, Some(600)),
            piece(b" dep", 200, 300, 0.9, Some(800)),
            piece(b"loyed", 300, 400, 0.9, Some(1_100)),
            piece(b".", 400, 500, 0.9, Some(2_900)),
        ];
        let second = [piece(b" Then", 3_000, 3_500, 0.9, Some(3_400))];
        let words = join_words(&[&first, &second]);
        let got: Vec<(usize, &str, Option<u64>, Option<u64>)> = words
            .iter()
            .map(|(s, w)| (*s, w.text.as_str(), w.start_ms, w.end_ms))
            .collect();
        assert_eq!(
            got,
            [
                (0, "So", None, Some(420)),
                (0, "we", Some(420), Some(600)),
                (0, "deployed.", Some(600), Some(1_100)),
                // Across segments too: after the last text token, not the period.
                (1, "Then", Some(1_100), Some(3_400)),
            ]
        );
    }

    #[test]
    fn words_squeezed_into_one_instant_share_the_voice_after_them() {
        let levels = answer();
        let named = |t: &str, s, e| Word {
            text: t.into(),
            ..word(s, e)
        };
        // DTW gave up after "is": three words at 1_000 in a sentence that goes on to 2.5 s.
        let mut words = vec![
            named("threads", 500, 900),
            named("is", 900, 1_000),
            named("cheaper", 1_000, 1_000),
            named("than", 1_000, 1_010),
            named("processes.", 1_000, 1_000),
        ];
        let mut timed = vec![true; 5];
        mark_squeezed(&words, &mut timed);
        assert_eq!(timed, [true, false, false, false, false]);
        spread_untimed(&mut words, &mut timed, &levels, 0, 2_600);
        assert!(timed.iter().all(|t| *t));
        let got: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        // 900..2500 of voice for 2 + 7 + 4 + 9 letters, on the 20 ms grid.
        assert_eq!(got[0], (500, 900));
        assert_eq!(got[1].0, 900);
        assert_eq!(got[4].1, 2_500);
        assert!(got.windows(2).all(|w| w[0].1 <= w[1].0 + 20), "{got:?}");
        let cheaper = got[2].1 - got[2].0;
        let is = got[1].1 - got[1].0;
        assert!(cheaper > 3 * is, "{got:?}");
        // Untimed words between timed ones stay between them; no voice: evenly.
        let mut words = vec![
            named("a", 600, 800),
            named("bb", 0, 0),
            named("c", 1_200, 1_400),
        ];
        let mut timed = vec![true, false, true];
        spread_untimed(&mut words, &mut timed, &levels, 0, 2_600);
        assert_eq!((words[1].start_ms, words[1].end_ms), (800, 1_200));
        let mut words = vec![named("quiet", 0, 0)];
        let mut timed = vec![false];
        spread_untimed(&mut words, &mut timed, &levels, 3_000, 4_000);
        assert_eq!((words[0].start_ms, words[0].end_ms), (3_000, 4_000));
    }

    fn word(s: u64, e: u64) -> Word {
        Word {
            text: "x".into(),
            start_ms: s,
            end_ms: e,
            prob: 1.0,
            lang: Lang::En,
        }
    }

    /// 0.5 s quiet, 2 s voice, 3 s quiet, 1.5 s voice, 0.5 s quiet (16 kHz).
    fn answer() -> Levels {
        let tone = |ms: usize| -> Vec<f32> {
            (0..ms * 16)
                .map(|i| 0.2 * (i as f32 * 0.06).sin())
                .collect()
        };
        let quiet = |ms: usize| vec![0.0f32; ms * 16];
        Levels::of(
            &[
                quiet(500),
                tone(2_000),
                quiet(3_000),
                tone(1_500),
                quiet(500),
            ]
            .concat(),
        )
    }

    #[test]
    fn edges_next_to_a_pause_meet_the_voice() {
        let levels = answer();
        // Whisper stretched the last word of the sentence over the pause and started the
        // next sentence early; the first word's start is unknown.
        let mut words = [
            word(0, 900),
            word(900, 1_700),
            word(1_700, 4_900),
            word(4_900, 6_700),
        ];
        fit_to_voice(&mut words, &[false, true, true, true], &levels, 0, 7_500);
        let got: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(
            got,
            [(500, 900), (900, 1_700), (1_700, 2_500), (5_500, 7_000)]
        );
        // The pause between the words is the quiet between the voices: 3.0 s.
        assert_eq!(words[3].start_ms - words[2].end_ms, 3_000);
    }

    #[test]
    fn a_word_placed_in_the_pause_shares_the_voice_before_it() {
        let levels = answer();
        // "…negotiates encryption." with DTW one token late: the first word ends where the
        // sentence ends (2.5 s) and the last one sits in the pause.
        let mut words = [
            word(500, 1_000),
            word(1_000, 2_500),
            word(2_700, 2_700),
            word(5_600, 6_900),
        ];
        words[1].text = "negotiates".into();
        words[2].text = "encryption.".into();
        fit_to_voice(&mut words, &[true; 4], &levels, 0, 7_500);
        let got: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        // 1.5 s of voice shared 10:10 letters; the pause is the quiet between the voices.
        assert_eq!(
            got,
            [(500, 1_000), (1_000, 1_750), (1_750, 2_500), (5_500, 7_000)]
        );
    }

    #[test]
    fn edges_a_little_off_move_onto_the_voice() {
        let levels = answer();
        // The sentence's last word ends 300 ms early, the next starts 200 ms late.
        let mut words = [word(500, 2_200), word(5_700, 6_900)];
        fit_to_voice(&mut words, &[true, true], &levels, 0, 7_500);
        let got: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(got, [(500, 2_500), (5_500, 7_000)]);
        // Inside continuous speech nothing moves.
        let mut words = [word(1_100, 1_500), word(1_500, 1_900)];
        fit_to_voice(&mut words, &[true, true], &levels, 0, 7_500);
        let got: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(got, [(1_100, 1_500), (1_500, 1_900)]);
        // Nothing to fit: no panic.
        fit_to_voice(&mut [], &[], &levels, 0, 7_500);
        fit_to_voice(&mut [word(10, 20)], &[true], &Levels::new(), 0, 100);
    }

    #[test]
    fn a_filler_emitted_late_takes_the_voice_before_the_short_pause() {
        // "So," (0.5-0.9 s), 160 ms of quiet, then "my manager" (1.06-2.06 s). DTW gave
        // "So," the first 80 ms of "my", and the filler's own voice no word.
        let tone = |ms: usize| -> Vec<f32> {
            (0..ms * 16)
                .map(|i| 0.2 * (i as f32 * 0.06).sin())
                .collect()
        };
        let quiet = |ms: usize| vec![0.0f32; ms * 16];
        let levels =
            Levels::of(&[quiet(500), tone(400), quiet(160), tone(1_000), quiet(500)].concat());
        let mut words = [word(0, 1_140), word(1_140, 1_400), word(1_400, 2_000)];
        fit_to_voice(&mut words, &[false, true, true], &levels, 0, 2_600);
        let got: Vec<(u64, u64)> = words.iter().map(|w| (w.start_ms, w.end_ms)).collect();
        assert_eq!(got, [(500, 900), (1_060, 1_400), (1_400, 2_060)]);
        // After a thinking pause (3 s in `answer`) the word is spoken after the pause,
        // even with its DTW end early in the voice there.
        let levels = answer();
        let mut words = [word(500, 2_500), word(2_500, 5_600)];
        fit_to_voice(&mut words, &[true, true], &levels, 0, 7_500);
        assert_eq!(words[1].start_ms, 5_500);
    }
}
