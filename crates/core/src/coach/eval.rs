//! Filler detection quality against fixtures with fillers at known places.

use super::fillers::{FillerHit, FillerKind};
use super::lexicon::Lexicons;
use super::token::{collapse_runs, normalize, script_of, Script};

/// Whether an expected filler word and a hit are the same filler. Any two hesitation
/// sounds match each other ("um" spoken, "uh" transcribed); an inferred hit (no word)
/// matches any hesitation; otherwise the normalised words must agree, lengthening ignored.
fn same_word(expected: &str, hit: &FillerHit) -> bool {
    let lexicons = Lexicons::shipped();
    let hesitation = |w: &str| {
        let lex = match script_of(w) {
            Script::Hangul => &lexicons.ko,
            _ => &lexicons.en,
        };
        lex.is_hesitation(w)
    };
    let e = normalize(expected);
    let h = normalize(&hit.text);
    if e.is_empty() {
        return true;
    }
    if hit.kind == FillerKind::Inferred {
        return hesitation(&e);
    }
    collapse_runs(&e) == collapse_runs(&h) || (hesitation(&e) && hesitation(&h))
}

/// Precision and recall of filler `hits` against `expected` fillers, each given as (start
/// time in ms, word). An expected filler and a hit match when their start times are within
/// `tolerance_ms` and the words agree (see `same_word`); each is matched at most once,
/// closest times first. Precision is matched hits / hits (1.0 with no hits), recall is
/// matched expected / expected (1.0 with nothing expected).
pub fn filler_precision_recall(
    expected: &[(u64, &str)],
    hits: &[FillerHit],
    tolerance_ms: u64,
) -> (f64, f64) {
    let mut pairs: Vec<(u64, usize, usize)> = Vec::new();
    for (e, &(t, word)) in expected.iter().enumerate() {
        for (h, hit) in hits.iter().enumerate() {
            let d = t.abs_diff(hit.start_ms);
            if d <= tolerance_ms && same_word(word, hit) {
                pairs.push((d, e, h));
            }
        }
    }
    pairs.sort_unstable();
    let mut e_used = vec![false; expected.len()];
    let mut h_used = vec![false; hits.len()];
    let mut matched = 0usize;
    for (_, e, h) in pairs {
        if !e_used[e] && !h_used[h] {
            e_used[e] = true;
            h_used[h] = true;
            matched += 1;
        }
    }
    let precision = if hits.is_empty() {
        1.0
    } else {
        matched as f64 / hits.len() as f64
    };
    let recall = if expected.is_empty() {
        1.0
    } else {
        matched as f64 / expected.len() as f64
    };
    (precision, recall)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn hit(text: &str, start_ms: u64, kind: FillerKind) -> FillerHit {
        FillerHit {
            word_indices: vec![],
            text: text.into(),
            entry: None,
            lang: Lang::En,
            start_ms,
            end_ms: start_ms + 300,
            confidence: 1.0,
            kind,
        }
    }

    #[test]
    fn matches_by_time_and_word() {
        let expected = [
            (1000, "um"),
            (5000, "like"),
            (9000, "uh"),
            (12_000, "you know"),
        ];
        let hits = [
            hit("Um,", 1100, FillerKind::Transcribed),        // match
            hit("like", 5600, FillerKind::Transcribed),       // too late
            hit("um", 9050, FillerKind::Transcribed),         // hesitations match
            hit("you know", 11_900, FillerKind::Transcribed), // match
            hit("so", 20_000, FillerKind::Transcribed),       // false positive
        ];
        let (p, r) = filler_precision_recall(&expected, &hits, 300);
        assert_eq!((p, r), (3.0 / 5.0, 3.0 / 4.0));
    }

    #[test]
    fn one_to_one_closest_first_and_inferred() {
        let expected = [(1000, "um"), (1400, "um")];
        let hits = [
            hit("(um)", 1350, FillerKind::Inferred),
            hit("ummm", 1050, FillerKind::Transcribed),
            hit("like", 1000, FillerKind::Transcribed), // wrong word
        ];
        let (p, r) = filler_precision_recall(&expected, &hits, 400);
        assert_eq!((p, r), (2.0 / 3.0, 1.0));
        // A hit can only be used once.
        let (p, r) = filler_precision_recall(&expected, &hits[1..2], 400);
        assert_eq!((p, r), (1.0, 0.5));
    }

    #[test]
    fn empty_cases() {
        assert_eq!(filler_precision_recall(&[], &[], 300), (1.0, 1.0));
        assert_eq!(filler_precision_recall(&[(0, "um")], &[], 300), (1.0, 0.0));
        let h = [hit("um", 0, FillerKind::Transcribed)];
        assert_eq!(filler_precision_recall(&[], &h, 300), (0.0, 1.0));
    }
}
