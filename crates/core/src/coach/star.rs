//! STAR cues in behavioral answers: which of situation, task, action and result were
//! observed, with the words that showed them. An observation of structure from cue phrases,
//! never a grade: a result can be stated without any cue the lexicon knows.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::hedges::PhraseHit;
use super::lexicon::{self, Section, StarElement};
use super::say::l;
use super::{GoodRange, Input, Judgement, MetricCard, MetricUnit};
use crate::Localized;

/// A cue found in the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StarEvidence {
    /// Lexicon entry id.
    pub cue: String,
    /// The words as transcribed.
    pub text: String,
    pub word_indices: Vec<usize>,
    #[ts(type = "number")]
    pub start_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StarPart {
    pub part: StarElement,
    pub observed: bool,
    /// In time order.
    pub evidence: Vec<StarEvidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StarReport {
    /// Situation, task, action, result, in that order.
    pub parts: Vec<StarPart>,
}

impl StarReport {
    pub fn observed(&self) -> impl Iterator<Item = StarElement> + '_ {
        self.parts.iter().filter(|p| p.observed).map(|p| p.part)
    }

    pub fn missing(&self) -> impl Iterator<Item = StarElement> + '_ {
        self.parts.iter().filter(|p| !p.observed).map(|p| p.part)
    }
}

pub(crate) fn analyze(input: &Input) -> StarReport {
    let found = lexicon::find(
        input.lexicons,
        Section::Star,
        &input.toks,
        &input.hesitation,
        input.timing(),
        input.ctx.lang,
    );
    let parts = StarElement::ALL
        .iter()
        .map(|&part| {
            let evidence: Vec<StarEvidence> = found
                .iter()
                .filter(|f| f.entry.part == Some(part))
                .map(|f| {
                    let hit = PhraseHit::from_found(input, f);
                    StarEvidence {
                        cue: hit.entry,
                        text: hit.text,
                        word_indices: hit.word_indices,
                        start_ms: hit.start_ms,
                    }
                })
                .collect();
            StarPart {
                part,
                observed: !evidence.is_empty(),
                evidence,
            }
        })
        .collect();
    StarReport { parts }
}

fn name(part: StarElement) -> Localized {
    match part {
        StarElement::Situation => l("situation", "상황"),
        StarElement::Task => l("task", "과제"),
        StarElement::Action => l("action", "행동"),
        StarElement::Result => l("result", "결과"),
    }
}

fn names(parts: impl Iterator<Item = StarElement>) -> Localized {
    let v: Vec<Localized> = parts.map(name).collect();
    l(
        v.iter()
            .map(|n| n.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        v.iter()
            .map(|n| n.ko.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// One sentence per part not observed ("No result stated.").
pub(crate) fn missing_sentences(r: &StarReport) -> Vec<Localized> {
    r.missing()
        .map(|part| match part {
            StarElement::Situation => l(
                "No situation described (no cue such as “at the time” or “the situation was”).",
                "상황 설명이 없었어요(‘당시’, ‘상황은’ 같은 말이 나오지 않았어요).",
            ),
            StarElement::Task => l(
                "No task or role stated (no cue such as “my role was” or “I was responsible for”).",
                "맡은 과제나 역할에 대한 언급이 없었어요(‘제 역할은’, ‘제가 맡은’ 같은 말이 나오지 않았어요).",
            ),
            StarElement::Action => l(
                "No action of your own stated (no cue such as “I decided” or “I built”).",
                "본인이 한 행동에 대한 언급이 없었어요(‘그래서 저는’, ‘도입했어요’ 같은 말이 나오지 않았어요).",
            ),
            StarElement::Result => l(
                "No result stated (no cue such as “as a result” or a number).",
                "결과에 대한 언급이 없었어요(‘결과적으로’나 수치가 나오지 않았어요).",
            ),
        })
        .collect()
}

pub(crate) fn card(r: &StarReport) -> MetricCard {
    let observed = r.observed().count();
    let range = GoodRange::new(Some(4.0), Some(4.0), MetricUnit::Count);
    let mut feedback = Vec::new();
    if observed > 0 {
        let n = names(r.observed());
        feedback.push(l(
            format!("Observed: {}.", n.en),
            format!("확인된 요소: {}.", n.ko),
        ));
    }
    feedback.extend(missing_sentences(r));
    MetricCard {
        id: "star".into(),
        title: l("STAR structure", "STAR 구성"),
        value: Some(observed as f64),
        unit: MetricUnit::Count,
        judgement: Judgement {
            status: range.status(observed as f64),
            range,
            why: l(
                "A behavioral answer that names the situation, your task, the actions you took \
                 and the result (STAR) is easy to follow. This counts cue phrases, so a part \
                 said in other words may not be seen.",
                "상황, 맡은 과제, 직접 한 행동, 결과(STAR)가 드러나는 경험 답변은 따라가기 \
                 쉬워요. 단서가 되는 표현을 찾는 방식이라 다른 말로 표현한 부분은 놓칠 수 \
                 있어요.",
            ),
        },
        feedback,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::bank::Track;
    use crate::Lang;

    fn star(text: &str, lang: Lang) -> (StarReport, Vec<Localized>) {
        let words = seq(text, 0);
        let c = run(
            &transcript(&borrow(&words), 60_000, None),
            lang,
            Some(Track::Behavioral),
        );
        (c.star.unwrap(), c.summary)
    }

    fn cues(r: &StarReport, part: StarElement) -> Vec<(&str, &str)> {
        r.parts
            .iter()
            .find(|p| p.part == part)
            .unwrap()
            .evidence
            .iter()
            .map(|e| (e.cue.as_str(), e.text.as_str()))
            .collect()
    }

    #[test]
    fn english_star_cues() {
        let (r, _) = star(
            "The situation was that our API was slow. My task was to fix it. I decided to \
             add a cache, and I measured the latency. As a result, we reduced latency by 30%.",
            Lang::En,
        );
        assert!(r.parts.iter().all(|p| p.observed));
        assert_eq!(
            cues(&r, StarElement::Situation),
            vec![("s-situation-was", "The situation was")]
        );
        assert_eq!(cues(&r, StarElement::Task), vec![("t-my-task", "My task")]);
        assert_eq!(
            cues(&r, StarElement::Action),
            vec![("a-i-decided", "I decided"), ("a-i-verb", "I measured")]
        );
        assert_eq!(
            cues(&r, StarElement::Result),
            vec![
                ("r-as-a-result", "As a result,"),
                ("r-change", "reduced"),
                ("r-number", "30%.")
            ]
        );
        let situation = &r.parts[0].evidence[0];
        assert_eq!(
            (situation.word_indices.clone(), situation.start_ms),
            (vec![0, 1, 2], 0)
        );
    }

    #[test]
    fn korean_star_cues() {
        let (r, _) = star(
            "당시 저희 서비스가 느렸어요. 제가 맡은 일은 응답 속도 개선이었어요. 그래서 저는 \
             캐시를 도입했어요. 결과적으로 응답 시간이 40% 줄었어요.",
            Lang::Ko,
        );
        assert_eq!(cues(&r, StarElement::Situation), vec![("s-dangsi", "당시")]);
        assert_eq!(cues(&r, StarElement::Task), vec![("t-mateun", "제가 맡은")]);
        assert_eq!(
            cues(&r, StarElement::Action),
            vec![
                ("a-geuraeseo-jeoneun", "그래서 저는"),
                ("a-verb", "도입했어요.")
            ]
        );
        assert_eq!(
            cues(&r, StarElement::Result),
            vec![
                ("r-gyeolgwa", "결과적으로"),
                ("r-number", "40%"),
                ("r-change", "줄었어요.")
            ]
        );
    }

    #[test]
    fn missing_parts_are_observations() {
        let (r, summary) = star("I decided to add a cache.", Lang::En);
        let observed: Vec<StarElement> = r.observed().collect();
        assert_eq!(observed, vec![StarElement::Action]);
        assert!(summary
            .iter()
            .any(|s| s.en == "No result stated (no cue such as “as a result” or a number)."));
        assert!(summary
            .iter()
            .any(|s| s.ko.starts_with("결과에 대한 언급이 없었어요")));
    }

    #[test]
    fn only_for_behavioral_answers() {
        let words = seq("As a result we reduced latency.", 0);
        let t = transcript(&borrow(&words), 10_000, None);
        assert!(run(&t, Lang::En, None).star.is_none());
        assert!(run(&t, Lang::En, Some(Track::CsOs)).star.is_none());
        let c = run(&t, Lang::En, Some(Track::Behavioral));
        assert_eq!(
            c.cards.iter().find(|c| c.id == "star").unwrap().value,
            Some(1.0)
        );
    }
}
