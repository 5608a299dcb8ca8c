//! Filler words: transcribed ones from the lexicons, and inferred ones from gaps where the
//! audio is voiced but no word was transcribed (Whisper drops many "um"s).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::lexicon::{self, Section};
use super::say::{self, l};
use super::{Envelope, GoodRange, Input, Judgement, MetricCard, MetricUnit, RangeStatus};
use crate::stats::nearest_rank;
use crate::Lang;

/// How a filler was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum FillerKind {
    /// A transcribed word matched a lexicon entry.
    Transcribed,
    /// Voiced audio in a gap with no transcribed word.
    Inferred,
}

/// One filler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FillerHit {
    /// Indices into the transcript's words (empty for inferred fillers).
    pub word_indices: Vec<usize>,
    /// As transcribed ("Um,", "you know"); inferred ones read "(um)" or "(음)".
    pub text: String,
    /// The lexicon entry id (`like`, `geu`); `None` for inferred fillers.
    pub entry: Option<String>,
    pub lang: Lang,
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
    /// 0..1: how sure the context rules (or the voicing evidence) are.
    pub confidence: f32,
    pub kind: FillerKind,
}

/// How often one filler occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Tally {
    pub text: String,
    pub count: u32,
}

/// Fillers in one answer; transcribed and inferred ones are kept apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FillerReport {
    /// Transcribed fillers at or above the confidence threshold, in time order.
    pub hits: Vec<FillerHit>,
    pub count: u32,
    pub per_minute: f64,
    /// Words covered by fillers / all words (0..1).
    pub share_of_words: f64,
    /// Most frequent first, by the entry's canonical text.
    pub top: Vec<Tally>,
    /// Inferred fillers, in time order.
    pub inferred: Vec<FillerHit>,
    pub inferred_count: u32,
    pub inferred_per_minute: f64,
    /// The level above which a frame counted as voiced; `None` without an envelope.
    pub voiced_threshold_dbfs: Option<f32>,
}

/// Good range of fillers per minute (docs/lexicon.md, "Coaching thresholds").
pub const FILLERS_PER_MINUTE_MAX: f64 = 5.0;
/// Good range of the filler share of words (docs/lexicon.md, "Coaching thresholds").
pub const FILLER_SHARE_MAX: f64 = 0.04;

pub(crate) fn analyze(input: &Input, envelope: &Envelope) -> FillerReport {
    let found = lexicon::find(
        input.lexicons,
        Section::Filler,
        &input.toks,
        &input.hesitation,
        input.timing(),
        input.ctx.lang,
    );
    let hits: Vec<FillerHit> = found
        .into_iter()
        .filter(|f| f.confidence >= input.cfg.min_filler_confidence)
        .map(|f| FillerHit {
            word_indices: (f.start..f.start + f.len).collect(),
            text: input.text_of(f.start..f.start + f.len),
            entry: Some(f.entry.id.clone()),
            lang: f.lang,
            start_ms: input.toks[f.start].start_ms,
            end_ms: input.toks[f.start + f.len - 1].end_ms,
            confidence: f.confidence,
            kind: FillerKind::Transcribed,
        })
        .collect();

    let mut tally: BTreeMap<String, u32> = BTreeMap::new();
    for h in &hits {
        let entry = h.entry.as_deref().unwrap_or_default();
        let text = input
            .lexicons
            .get(h.lang)
            .fillers
            .iter()
            .find(|e| e.id == entry)
            .map_or_else(|| h.text.clone(), |e| e.text.to_lowercase());
        *tally.entry(text).or_default() += 1;
    }
    let mut top: Vec<Tally> = tally
        .into_iter()
        .map(|(text, count)| Tally { text, count })
        .collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));

    let covered: usize = hits.iter().map(|h| h.word_indices.len()).sum();
    let words = input.word_count();
    let (inferred, threshold) = infer(input, envelope);
    FillerReport {
        count: hits.len() as u32,
        per_minute: input.per_minute(hits.len()),
        share_of_words: if words == 0 {
            0.0
        } else {
            covered as f64 / words as f64
        },
        top,
        hits,
        inferred_count: inferred.len() as u32,
        inferred_per_minute: input.per_minute(inferred.len()),
        inferred,
        voiced_threshold_dbfs: threshold,
    }
}

/// Voiced stretches in the gaps between words. The noise floor is a low percentile of all
/// frame levels; a frame is voiced when it is `voiced_margin_db` above the floor and no more
/// than `voiced_below_speech_db` below the median level inside transcribed words (so breaths
/// and room noise stay out). A run of voiced frames inside a gap (minus an edge guard,
/// because word timings are loose) between `inferred_min_voiced_ms` and
/// `inferred_max_voiced_ms` long is one inferred filler.
fn infer(input: &Input, env: &Envelope) -> (Vec<FillerHit>, Option<f32>) {
    if env.is_empty() {
        return (Vec::new(), None);
    }
    let cfg = input.cfg;
    let f = u64::from(env.frame_ms);
    let mut sorted = env.rms_dbfs.clone();
    sorted.sort_by(f32::total_cmp);
    let floor = nearest_rank(&sorted, cfg.noise_floor_percentile);
    // Frames whose middle lies inside a transcribed word.
    let mut in_word = vec![false; env.rms_dbfs.len()];
    for w in input.words {
        let first = (w.start_ms.saturating_sub(f / 2)).div_ceil(f) as usize;
        let last = (w.end_ms.saturating_sub(f / 2)).div_ceil(f) as usize;
        for flag in in_word.iter_mut().take(last).skip(first) {
            *flag = true;
        }
    }
    let mut inside: Vec<f32> = env
        .rms_dbfs
        .iter()
        .zip(&in_word)
        .filter(|&(_, &w)| w)
        .map(|(&v, _)| v)
        .collect();
    inside.sort_by(f32::total_cmp);
    let speech = if inside.is_empty() {
        nearest_rank(&sorted, 0.9)
    } else {
        nearest_rank(&inside, 0.5)
    };
    let threshold = (floor + cfg.voiced_margin_db).max(speech - cfg.voiced_below_speech_db);

    let words = input.words;
    // (gap start, gap end, index of the word before, index of the word after)
    let mut gaps: Vec<(u64, u64, Option<usize>, Option<usize>)> = Vec::new();
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => {
            gaps.push((0, first.start_ms, None, Some(0)));
            for i in 0..words.len() - 1 {
                gaps.push((words[i].end_ms, words[i + 1].start_ms, Some(i), Some(i + 1)));
            }
            gaps.push((last.end_ms, input.duration_ms, Some(words.len() - 1), None));
        }
        _ => gaps.push((0, input.duration_ms, None, None)),
    }

    let mut hits = Vec::new();
    for (from, to, before, after) in gaps {
        if to <= from || to - from < cfg.inferred_min_gap_ms {
            continue;
        }
        let lo = from + cfg.inferred_edge_guard_ms;
        let hi = to.saturating_sub(cfg.inferred_edge_guard_ms);
        // Frames entirely inside [lo, hi).
        let first = lo.div_ceil(f) as usize;
        let last = ((hi / f) as usize).min(env.rms_dbfs.len());
        let mut k = first;
        while k < last {
            if env.rms_dbfs[k] < threshold {
                k += 1;
                continue;
            }
            let run_start = k;
            while k < last && env.rms_dbfs[k] >= threshold {
                k += 1;
            }
            let dur = (k - run_start) as u64 * f;
            if dur < cfg.inferred_min_voiced_ms || dur > cfg.inferred_max_voiced_ms {
                continue;
            }
            let lang = before
                .or(after)
                .and_then(|i| input.toks[i].lang)
                .unwrap_or(input.ctx.lang);
            let confidence =
                (0.5 + 0.4 * (dur - cfg.inferred_min_voiced_ms) as f32 / 500.0).clamp(0.5, 0.9);
            hits.push(FillerHit {
                word_indices: Vec::new(),
                text: match lang {
                    Lang::En => "(um)".into(),
                    Lang::Ko => "(음)".into(),
                },
                entry: None,
                lang,
                start_ms: run_start as u64 * f,
                end_ms: k as u64 * f,
                confidence,
                kind: FillerKind::Inferred,
            });
        }
    }
    (hits, Some(threshold))
}

pub(crate) fn card(r: &FillerReport) -> MetricCard {
    let range = GoodRange::new(None, Some(FILLERS_PER_MINUTE_MAX), MetricUnit::PerMinute);
    // docs/lexicon.md, "Coaching thresholds": under ~4 % of words OR about 5 per minute is
    // unremarkable, so the value is above the range only when both are exceeded.
    let status = if r.per_minute > FILLERS_PER_MINUTE_MAX && r.share_of_words > FILLER_SHARE_MAX {
        RangeStatus::Above
    } else {
        RangeStatus::Within
    };
    let mut feedback = Vec::new();
    if r.count == 0 {
        feedback.push(l(
            "No filler words in the transcript.",
            "받아쓴 내용에 군더더기 말이 없었어요.",
        ));
    } else {
        let n = r.count as usize;
        feedback.push(l(
            format!(
                "{} ({} per minute, {}% of words).",
                say::count(n, "filler word", "filler words"),
                say::num(r.per_minute),
                say::num(r.share_of_words * 100.0)
            ),
            format!(
                "군더더기 말이 {n}번 나왔어요(분당 {}번, 전체 단어의 {}%).",
                say::num(r.per_minute),
                say::num(r.share_of_words * 100.0)
            ),
        ));
        let top = say::tallies(r.top.iter().take(3).map(|t| (t.text.as_str(), t.count)));
        feedback.push(l(
            format!("Most frequent: {top}."),
            format!("가장 자주 나온 말: {top}."),
        ));
    }
    MetricCard {
        id: "fillers".into(),
        title: l("Filler words", "군더더기 말"),
        value: Some(r.per_minute),
        unit: MetricUnit::PerMinute,
        judgement: Judgement {
            status,
            range,
            why: l(
                "Under about 5 filler words per minute, or under 4% of words, goes unnoticed \
                 by most listeners.",
                "분당 5번 정도 이하이거나 전체 단어의 4% 미만이면 듣는 사람이 거의 의식하지 \
                 않아요.",
            ),
        },
        feedback,
    }
}

pub(crate) fn inferred_card(r: &FillerReport) -> MetricCard {
    let n = r.inferred_count as usize;
    let range = GoodRange::new(None, Some(FILLERS_PER_MINUTE_MAX), MetricUnit::PerMinute);
    let feedback = if n == 0 {
        vec![l(
            "No voiced sound in the gaps between transcribed words.",
            "받아쓴 단어 사이의 빈틈에서 소리가 나지 않았어요.",
        )]
    } else {
        let times = r
            .inferred
            .iter()
            .take(5)
            .map(|h| say::clock(h.start_ms))
            .collect::<Vec<_>>()
            .join(", ");
        vec![l(
            format!(
                "{} where no word was transcribed (at {times}); these are often “um” or “uh”, \
                 which speech recognition tends to drop.",
                say::count(n, "voiced sound", "voiced sounds")
            ),
            format!(
                "단어로 받아써지지 않은 소리가 {n}번 있었어요({times}). 음성 인식이 자주 \
                 빠뜨리는 ‘음’, ‘어’ 같은 소리일 가능성이 높아요."
            ),
        )]
    };
    MetricCard {
        id: "fillers.inferred".into(),
        title: l(
            "Likely fillers (not transcribed)",
            "받아쓰지 않은 군말(추정)",
        ),
        value: Some(r.inferred_per_minute),
        unit: MetricUnit::PerMinute,
        judgement: Judgement {
            status: range.status(r.inferred_per_minute),
            range,
            why: l(
                "Speech recognition often leaves out “um” and “uh”; voiced sounds in the gaps \
                 between words show them. Judged like transcribed fillers: about 5 per minute \
                 goes unnoticed.",
                "음성 인식은 ‘음’, ‘어’ 같은 소리를 자주 빼먹어요. 단어 사이 빈틈에서 난 소리로 \
                 이를 찾아내요. 받아쓴 군말과 같은 기준으로, 분당 5번 정도까지는 듣는 사람이 \
                 거의 의식하지 않아요.",
            ),
        },
        feedback,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn transcribed(words: &[(&str, u64, u64)], lang: Lang) -> Vec<(Vec<usize>, String)> {
        let c = run(&transcript(words, 60_000, None), lang, None);
        c.fillers
            .hits
            .iter()
            .map(|h| (h.word_indices.clone(), h.entry.clone().unwrap()))
            .collect()
    }

    #[test]
    fn english_fillers_in_filler_and_real_uses() {
        let words = seq(
            "So, I like Rust. It looks like a cache, but it was, like, slow. We did it so \
             that reads are fast, right? The right answer is caching, um, usually. \
             That's right. Languages like Go are, you know, fine. Do you know the answer?",
            0,
        );
        let hits = transcribed(&borrow(&words), Lang::En);
        let got: Vec<(Vec<usize>, &str)> =
            hits.iter().map(|(i, e)| (i.clone(), e.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (vec![0], "so"),
                (vec![12], "like"),
                (vec![22], "right"),
                (vec![28], "um"),
                (vec![36, 37], "you-know"),
            ]
        );
    }

    #[test]
    fn english_confidence_follows_set_off() {
        let words = seq("it was, like, slow and it was like slow", 0);
        let c = run(&transcript(&borrow(&words), 20_000, None), Lang::En, None);
        let conf: Vec<(usize, f32)> = c
            .fillers
            .hits
            .iter()
            .map(|h| (h.word_indices[0], h.confidence))
            .collect();
        assert_eq!(conf, vec![(2, 0.9), (7, 0.6)]);
    }

    #[test]
    fn korean_fillers_in_filler_and_real_uses() {
        let words = seq(
            "그 서버가 느려서 좀 더 빠르게 만들었어요. 그… 음 이제 마지막으로 말씀드리면 \
             그래서 이제 저희가 캐시를 좀, 넣었어요. 뭐랄까, 저는 이제는 괜찮아요.",
            0,
        );
        let hits = transcribed(&borrow(&words), Lang::Ko);
        let got: Vec<(Vec<usize>, &str)> =
            hits.iter().map(|(i, e)| (i.clone(), e.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (vec![7], "geu"),
                (vec![8], "eum"),
                (vec![13], "ije"),
                (vec![16], "jom"),
                (vec![18], "mworalkka"),
            ]
        );
    }

    #[test]
    fn korean_geu_before_a_pause_is_a_filler() {
        // "그 (600 ms) 서버가": the pause, not punctuation, sets 그 off.
        let words = [
            ("그", 0, 200),
            ("서버가", 800, 1200),
            ("그", 1300, 1400),
            ("서버", 1450, 1700),
        ];
        let hits = transcribed(&words, Lang::Ko);
        assert_eq!(hits, vec![(vec![0], "geu".to_string())]);
    }

    #[test]
    fn counts_rates_and_top() {
        // 10 words in 30 s, 3 of them fillers (2 "um", 1 "uh").
        let words = seq("um we um added uh a cache for the reads", 0);
        let mut t = transcript(&borrow(&words), 30_000, None);
        t.words[0].text = "Ummm,".into();
        let c = run(&t, Lang::En, None);
        assert_eq!(c.fillers.count, 3);
        assert!((c.fillers.per_minute - 6.0).abs() < 1e-9);
        assert!((c.fillers.share_of_words - 0.3).abs() < 1e-9);
        assert_eq!(
            c.fillers.top,
            vec![
                Tally {
                    text: "um".into(),
                    count: 2
                },
                Tally {
                    text: "uh".into(),
                    count: 1
                }
            ]
        );
        assert_eq!(c.fillers.hits[0].text, "Ummm,");
        let card = c.cards.iter().find(|c| c.id == "fillers").unwrap();
        assert_eq!(card.judgement.status, RangeStatus::Above);
        assert!(card.feedback[0]
            .en
            .starts_with("3 filler words (6 per minute, 30% of words)"));
        assert!(card.feedback[0].ko.contains("3번"));
    }

    #[test]
    fn inferred_from_voiced_gap_not_from_silent_gap() {
        // Words at -20 dBFS, floor -70 dBFS. Gap 1 (1.0-2.0 s) holds 300 ms of voice at
        // -28 dBFS; gap 2 (3.0-4.0 s) is silent; gap 3 (5.0-6.0 s) holds only 100 ms.
        let words = [
            ("we", 500, 1000),
            ("added", 2000, 3000),
            ("a", 4000, 5000),
            ("cache", 6000, 6500),
        ];
        let t = transcript(&words, 7000, None);
        let mut env = vec![-70.0f32; 700];
        for (from, to) in [(50, 100), (200, 300), (400, 500), (600, 650)] {
            env[from..to].iter_mut().for_each(|v| *v = -20.0);
        }
        env[130..160].iter_mut().for_each(|v| *v = -28.0);
        env[540..550].iter_mut().for_each(|v| *v = -28.0);
        let c = run_env(&t, &Envelope::new(10, env), Lang::En, None);
        let inferred: Vec<(u64, u64, FillerKind)> = c
            .fillers
            .inferred
            .iter()
            .map(|h| (h.start_ms, h.end_ms, h.kind))
            .collect();
        assert_eq!(inferred, vec![(1300, 1600, FillerKind::Inferred)]);
        assert_eq!(c.fillers.inferred[0].text, "(um)");
        assert!((c.fillers.inferred[0].confidence - 0.62).abs() < 1e-6);
        assert_eq!(c.fillers.voiced_threshold_dbfs, Some(-40.0));
        // Reported apart from transcribed fillers.
        assert!(c.fillers.hits.is_empty());
        assert_eq!(c.fillers.inferred_count, 1);
    }

    #[test]
    fn no_inference_without_envelope_or_in_silence() {
        let words = [("we", 0, 500), ("added", 1500, 2000)];
        let t = transcript(&words, 3000, None);
        let c = run(&t, Lang::En, None);
        assert!(c.fillers.inferred.is_empty());
        assert_eq!(c.fillers.voiced_threshold_dbfs, None);
        let silent = Envelope::new(10, vec![-60.0; 300]);
        let c = run_env(&t, &silent, Lang::En, None);
        assert!(c.fillers.inferred.is_empty());
    }
}
