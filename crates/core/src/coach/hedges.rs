//! Hedges: "maybe", "I think", "I guess", 아마, 것 같아요, ~지 않을까 ...

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fillers::Tally;
use super::lexicon::{self, Found, Section};
use super::say::{self, l};
use super::{GoodRange, Input, Judgement, MetricCard, MetricUnit};
use crate::Lang;

/// Good range of hedges per minute (a Greenroom heuristic, see docs/lexicon.md).
pub const HEDGES_PER_MINUTE_MAX: f64 = 3.0;

/// A lexicon phrase found in the transcript (a hedge or a STAR cue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PhraseHit {
    /// Lexicon entry id.
    pub entry: String,
    /// The words as transcribed.
    pub text: String,
    pub word_indices: Vec<usize>,
    pub lang: Lang,
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
}

impl PhraseHit {
    pub(crate) fn from_found(input: &Input, f: &Found) -> Self {
        Self {
            entry: f.entry.id.clone(),
            text: input.text_of(f.start..f.start + f.len),
            word_indices: (f.start..f.start + f.len).collect(),
            lang: f.lang,
            start_ms: input.toks[f.start].start_ms,
            end_ms: input.toks[f.start + f.len - 1].end_ms,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HedgeReport {
    pub hits: Vec<PhraseHit>,
    pub count: u32,
    pub per_minute: f64,
    /// By the entry's canonical text, most frequent first.
    pub top: Vec<Tally>,
}

pub(crate) fn analyze(input: &Input) -> HedgeReport {
    let found = lexicon::find(
        input.lexicons,
        Section::Hedge,
        &input.toks,
        &input.hesitation,
        input.timing(),
        input.ctx.lang,
    );
    let mut tally: BTreeMap<String, u32> = BTreeMap::new();
    for f in &found {
        *tally.entry(f.entry.text.to_lowercase()).or_default() += 1;
    }
    let mut top: Vec<Tally> = tally
        .into_iter()
        .map(|(text, count)| Tally { text, count })
        .collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    let hits: Vec<PhraseHit> = found
        .iter()
        .map(|f| PhraseHit::from_found(input, f))
        .collect();
    HedgeReport {
        count: hits.len() as u32,
        per_minute: input.per_minute(hits.len()),
        hits,
        top,
    }
}

pub(crate) fn card(r: &HedgeReport) -> MetricCard {
    let range = GoodRange::new(None, Some(HEDGES_PER_MINUTE_MAX), MetricUnit::PerMinute);
    let feedback = if r.count == 0 {
        vec![l("No hedges.", "완곡한 표현이 없었어요.")]
    } else {
        let n = r.count as usize;
        let top = say::tallies(r.top.iter().take(3).map(|t| (t.text.as_str(), t.count)));
        vec![l(
            format!(
                "{} ({} per minute): {top}.",
                say::count(n, "hedge", "hedges"),
                say::num(r.per_minute)
            ),
            format!(
                "완곡한 표현이 {n}번 나왔어요(분당 {}번): {top}.",
                say::num(r.per_minute)
            ),
        )]
    };
    MetricCard {
        id: "hedges".into(),
        title: l("Hedges", "완곡한 표현"),
        value: Some(r.per_minute),
        unit: MetricUnit::PerMinute,
        judgement: Judgement {
            status: range.status(r.per_minute),
            range,
            why: l(
                "A few hedges are natural; more than about 3 per minute makes claims sound \
                 unsure (a Greenroom rule of thumb).",
                "완곡한 표현이 조금 있는 건 자연스러워요. 분당 3번을 넘으면 주장이 확실하지 \
                 않게 들릴 수 있어요(Greenroom 기준).",
            ),
        },
        feedback,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn hedges(text: &str, lang: Lang) -> Vec<(Vec<usize>, String)> {
        let words = seq(text, 0);
        let c = run(&transcript(&borrow(&words), 60_000, None), lang, None);
        c.hedges
            .hits
            .iter()
            .map(|h| (h.word_indices.clone(), h.entry.clone()))
            .collect()
    }

    #[test]
    fn english_hedges() {
        let got = hedges(
            "I think maybe we could, I guess, use a cache. I'm not sure it helps. \
             I think about caching a lot. It was a kind of index, probably.",
            Lang::En,
        );
        let want: Vec<(Vec<usize>, String)> = vec![
            (vec![0, 1], "i-think".into()),
            (vec![2], "maybe".into()),
            (vec![5, 6], "i-guess".into()),
            (vec![10, 11, 12], "not-sure".into()),
            (vec![27], "probably".into()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn korean_hedges() {
        let got = hedges(
            "아마 캐시 때문인 것 같아요. 잘 모르겠지만 인덱스를 추가하면 되지 않을까요? \
             결과는 예상과 같아요. 더 빨라질 것 같습니다.",
            Lang::Ko,
        );
        let want: Vec<(Vec<usize>, String)> = vec![
            (vec![0], "ama".into()),
            (vec![3, 4], "geot-gatayo".into()),
            (vec![5, 6], "jal-moreugetjiman".into()),
            (vec![9, 10], "ji-aneulkka".into()),
            (vec![16, 17], "geot-gatseumnida".into()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn hedge_rate_and_card() {
        let words = seq("maybe maybe I guess probably", 0);
        let c = run(&transcript(&borrow(&words), 60_000, None), Lang::En, None);
        assert_eq!(c.hedges.count, 4);
        assert_eq!(c.hedges.per_minute, 4.0);
        assert_eq!(
            c.hedges.top[0],
            Tally {
                text: "maybe".into(),
                count: 2
            }
        );
        let card = c.cards.iter().find(|c| c.id == "hedges").unwrap();
        assert_eq!(card.judgement.status, super::super::RangeStatus::Above);
        assert_eq!(
            card.feedback[0].en,
            "4 hedges (4 per minute): “maybe” ×2, “i guess” ×1, “probably” ×1."
        );
    }
}
