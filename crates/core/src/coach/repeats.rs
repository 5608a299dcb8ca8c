//! Repeats: a word said twice in a row ("the the"), and 2-4 word phrases used again and
//! again within one answer.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fillers::FillerHit;
use super::hedges::PhraseHit;
use super::say::{self, l};
use super::token::Script;
use super::{GoodRange, Input, Judgement, MetricCard, MetricUnit};

/// A word repeated immediately ("the the", "그 그").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Repeat {
    /// The consecutive words (two or more).
    pub word_indices: Vec<usize>,
    /// The repeated word, normalised.
    pub text: String,
    #[ts(type = "number")]
    pub start_ms: u64,
}

/// A phrase used at least `phrase_min_count` times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OverusedPhrase {
    /// The phrase, normalised.
    pub text: String,
    /// Words in the phrase (2-4).
    pub words: u32,
    /// Non-overlapping occurrences.
    pub count: u32,
    /// Index of the first word of each occurrence.
    pub word_indices: Vec<usize>,
    #[ts(type = "Array<number>")]
    pub starts_ms: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RepeatReport {
    pub immediate: Vec<Repeat>,
    /// Most used first.
    pub phrases: Vec<OverusedPhrase>,
}

/// Finds repeats. Hesitation sounds ("um um") are fillers, not repeats, and are skipped;
/// numbers are skipped. Phrases that contain a filler or a hedge (already reported there)
/// or consist only of function words ("of the", "저는 그") are not reported; a phrase
/// inside a longer reported phrase with as many uses is not reported again.
pub(crate) fn analyze(input: &Input, fillers: &[FillerHit], hedges: &[PhraseHit]) -> RepeatReport {
    let toks = &input.toks;
    let seq: Vec<usize> = (0..toks.len())
        .filter(|&i| toks[i].is_word() && !input.hesitation[i])
        .collect();

    let mut immediate: Vec<Repeat> = Vec::new();
    let mut k = 0;
    while k < seq.len() {
        let mut j = k + 1;
        while j < seq.len()
            && seq[j] == seq[j - 1] + 1
            && toks[seq[j]].norm == toks[seq[k]].norm
            && toks[seq[k]].script != Script::Neutral
        {
            j += 1;
        }
        if j - k >= 2 {
            immediate.push(Repeat {
                word_indices: seq[k..j].to_vec(),
                text: toks[seq[k]].norm.clone(),
                start_ms: toks[seq[k]].start_ms,
            });
        }
        k = j;
    }

    let excluded: HashSet<usize> = fillers
        .iter()
        .flat_map(|h| h.word_indices.iter().copied())
        .chain(hedges.iter().flat_map(|h| h.word_indices.iter().copied()))
        .collect();
    let stop = |i: usize| {
        let t = &toks[i];
        t.script == Script::Neutral
            || input
                .lexicons
                .for_tok(t, input.ctx.lang)
                .stopwords
                .contains(&t.norm)
    };
    let min = input.cfg.phrase_min_count.max(2) as usize;
    let mut candidates: Vec<OverusedPhrase> = Vec::new();
    for n in (2..=4).rev() {
        let mut occurrences: HashMap<Vec<&str>, Vec<usize>> = HashMap::new();
        for start in 0..seq.len().saturating_sub(n - 1) {
            let idx = &seq[start..start + n];
            if idx.iter().any(|i| excluded.contains(i)) || idx.iter().all(|&i| stop(i)) {
                continue;
            }
            let key: Vec<&str> = idx.iter().map(|&i| toks[i].norm.as_str()).collect();
            occurrences.entry(key).or_default().push(start);
        }
        for (key, starts) in occurrences {
            // Non-overlapping occurrences, earliest first.
            let mut kept: Vec<usize> = Vec::new();
            for s in starts {
                if kept.last().is_none_or(|&p| s >= p + n) {
                    kept.push(s);
                }
            }
            if kept.len() < min {
                continue;
            }
            candidates.push(OverusedPhrase {
                text: key.join(" "),
                words: n as u32,
                count: kept.len() as u32,
                word_indices: kept.iter().map(|&s| seq[s]).collect(),
                starts_ms: kept.iter().map(|&s| toks[seq[s]].start_ms).collect(),
            });
        }
    }
    // Longest first: drop a phrase contained in a kept longer one used as often.
    candidates.sort_by(|a, b| {
        b.words
            .cmp(&a.words)
            .then(b.count.cmp(&a.count))
            .then(a.starts_ms.cmp(&b.starts_ms))
    });
    let mut phrases: Vec<OverusedPhrase> = Vec::new();
    for c in candidates {
        let inside = |long: &OverusedPhrase| {
            let (l, s): (Vec<&str>, Vec<&str>) =
                (long.text.split(' ').collect(), c.text.split(' ').collect());
            l.windows(s.len()).any(|w| w == s.as_slice())
        };
        if !phrases.iter().any(|p| inside(p) && p.count >= c.count) {
            phrases.push(c);
        }
    }
    phrases.sort_by(|a, b| b.count.cmp(&a.count).then(a.starts_ms.cmp(&b.starts_ms)));
    RepeatReport { immediate, phrases }
}

/// Good range of immediate repeats plus overused phrases (a Greenroom heuristic).
pub const REPEATS_MAX: f64 = 2.0;

pub(crate) fn card(r: &RepeatReport) -> MetricCard {
    let value = (r.immediate.len() + r.phrases.len()) as f64;
    let range = GoodRange::new(None, Some(REPEATS_MAX), MetricUnit::Count);
    let mut feedback = Vec::new();
    if !r.immediate.is_empty() {
        let list = r
            .immediate
            .iter()
            .take(5)
            .map(|x| format!("“{}” ({})", x.text, say::clock(x.start_ms)))
            .collect::<Vec<_>>()
            .join(", ");
        let n = r.immediate.len();
        feedback.push(l(
            format!(
                "{} immediately: {list}.",
                say::count(n, "word repeated", "words repeated")
            ),
            format!("같은 단어를 바로 이어서 반복한 곳이 {n}군데 있었어요: {list}."),
        ));
    }
    for p in r.phrases.iter().take(3) {
        feedback.push(l(
            format!("“{}” used {} times.", p.text, p.count),
            format!("“{}” 표현이 {}번 나왔어요.", p.text, p.count),
        ));
    }
    if feedback.is_empty() {
        feedback.push(l(
            "No repeated words or overused phrases.",
            "반복된 단어나 자주 되풀이한 표현이 없었어요.",
        ));
    }
    MetricCard {
        id: "repeats".into(),
        title: l("Repeats", "반복"),
        value: Some(value),
        unit: MetricUnit::Count,
        judgement: Judgement {
            status: range.status(value),
            range,
            why: l(
                "An occasional restart is normal; words said twice and the same phrase again \
                 and again are what listeners notice (a Greenroom rule of thumb: up to 2).",
                "가끔 말을 고쳐 시작하는 건 자연스러워요. 같은 단어를 연달아 말하거나 같은 \
                 표현을 자꾸 되풀이하면 듣는 사람이 알아차려요(Greenroom 기준: 2번까지).",
            ),
        },
        feedback,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::Lang;

    #[test]
    fn immediate_repeats_and_overused_phrase() {
        let words = seq(
            "In my opinion the the cache helps. In my opinion latency matters. \
             um um we added it. In my opinion it works.",
            0,
        );
        let c = run(&transcript(&borrow(&words), 60_000, None), Lang::En, None);
        let r = &c.repeats;
        assert_eq!(r.immediate.len(), 1);
        assert_eq!(r.immediate[0].text, "the");
        assert_eq!(r.immediate[0].word_indices, vec![3, 4]);
        assert_eq!(r.phrases.len(), 1, "{:?}", r.phrases);
        let p = &r.phrases[0];
        assert_eq!((p.text.as_str(), p.words, p.count), ("in my opinion", 3, 3));
        assert_eq!(p.word_indices, vec![0, 7, 17]);
        assert_eq!(p.starts_ms, vec![0, 2800, 6800]);
        let card = c.cards.iter().find(|c| c.id == "repeats").unwrap();
        assert_eq!(card.value, Some(2.0));
        assert_eq!(card.feedback[1].en, "“in my opinion” used 3 times.");
    }

    #[test]
    fn korean_repeats_and_function_words() {
        let words = seq(
            "저는 그 그 서버를 캐시 서버로 바꿨어요. 저는 그 캐시 서버로 응답을 줄였고 \
             캐시 서버로 비용도 줄였어요.",
            0,
        );
        let c = run(&transcript(&borrow(&words), 60_000, None), Lang::Ko, None);
        let r = &c.repeats;
        assert_eq!(r.immediate.len(), 1);
        assert_eq!(r.immediate[0].text, "그");
        let texts: Vec<(&str, u32)> = r
            .phrases
            .iter()
            .map(|p| (p.text.as_str(), p.count))
            .collect();
        assert_eq!(texts, vec![("캐시 서버로", 3)]);
    }

    #[test]
    fn nothing_to_report() {
        let words = seq("We added a cache and latency dropped.", 0);
        let c = run(&transcript(&borrow(&words), 10_000, None), Lang::En, None);
        assert!(c.repeats.immediate.is_empty() && c.repeats.phrases.is_empty());
    }
}
