//! Pauses between words, the longest pause, and the time to the first word.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fillers::FillerHit;
use super::say::{self, l};
use super::{GoodRange, Input, Judgement, MetricCard, MetricUnit, RangeStatus};

/// Good range of the time to the first word, ms (a Greenroom heuristic: the prep
/// countdown has already given time to think).
pub const FIRST_WORD_MAX_MS: u64 = 3000;

/// A gap between two words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Pause {
    /// Index of the word before the pause.
    pub after_word: usize,
    #[ts(type = "number")]
    pub start_ms: u64,
    #[ts(type = "number")]
    pub end_ms: u64,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// An inferred filler lies inside: a filled pause ("ummm") rather than silence.
    pub voiced: bool,
}

/// Pauses in one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PauseReport {
    #[ts(type = "number")]
    pub threshold_ms: u64,
    /// Gaps between words of at least `threshold_ms`, in time order.
    pub pauses: Vec<Pause>,
    /// The longest gap between words, whatever its length.
    pub longest: Option<Pause>,
    /// From the start of the take to the first word.
    #[ts(type = "number | null")]
    pub time_to_first_word_ms: Option<u64>,
}

pub(crate) fn analyze(input: &Input, inferred: &[FillerHit]) -> PauseReport {
    let threshold_ms = input.cfg.long_pause_ms;
    let words = input.words;
    let gaps: Vec<Pause> = words
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            let (start_ms, end_ms) = (w[0].end_ms, w[1].start_ms.max(w[0].end_ms));
            Pause {
                after_word: i,
                start_ms,
                end_ms,
                duration_ms: end_ms - start_ms,
                voiced: inferred
                    .iter()
                    .any(|h| h.start_ms >= start_ms && h.end_ms <= end_ms),
            }
        })
        .collect();
    let longest = gaps
        .iter()
        .filter(|p| p.duration_ms > 0)
        .max_by_key(|p| (p.duration_ms, std::cmp::Reverse(p.start_ms)))
        .cloned();
    PauseReport {
        threshold_ms,
        pauses: gaps
            .into_iter()
            .filter(|p| p.duration_ms >= threshold_ms)
            .collect(),
        longest,
        time_to_first_word_ms: words.first().map(|w| w.start_ms),
    }
}

pub(crate) fn card(r: &PauseReport) -> MetricCard {
    let t = say::secs(r.threshold_ms);
    let n = r.pauses.len();
    let longest = r.longest.as_ref();
    let mut feedback = Vec::new();
    match (n, longest) {
        (0, Some(p)) => feedback.push(l(
            format!(
                "No pause over {t} s; the longest was {} s.",
                say::secs(p.duration_ms)
            ),
            format!(
                "{t}초가 넘는 멈춤은 없었어요. 가장 긴 멈춤은 {}초였어요.",
                say::secs(p.duration_ms)
            ),
        )),
        (0, None) => feedback.push(l(
            format!("No pause over {t} s."),
            format!("{t}초가 넘는 멈춤은 없었어요."),
        )),
        (_, Some(p)) => {
            feedback.push(l(
                format!(
                    "{} over {t} s; the longest was {} s at {}.",
                    say::count(n, "pause", "pauses"),
                    say::secs(p.duration_ms),
                    say::clock(p.start_ms)
                ),
                format!(
                    "{t}초가 넘는 멈춤이 {n}번 있었어요. 가장 긴 멈춤은 {}의 {}초였어요.",
                    say::clock(p.start_ms),
                    say::secs(p.duration_ms)
                ),
            ));
            let voiced = r.pauses.iter().filter(|p| p.voiced).count();
            if voiced > 0 {
                feedback.push(l(
                    format!("{voiced} of them held a voiced sound (likely “um”), not silence."),
                    format!("그중 {voiced}번은 완전히 조용하지 않고 ‘음’ 같은 소리가 들렸어요."),
                ));
            }
        }
        (_, None) => {}
    }
    MetricCard {
        id: "pauses".into(),
        title: l("Long pauses", "긴 멈춤"),
        value: longest.map(|p| p.duration_ms as f64),
        unit: MetricUnit::Ms,
        judgement: Judgement {
            status: longest.map_or(RangeStatus::NotMeasured, |p| {
                if p.duration_ms >= r.threshold_ms {
                    RangeStatus::Above
                } else {
                    RangeStatus::Within
                }
            }),
            range: GoodRange::new(None, Some(r.threshold_ms as f64), MetricUnit::Ms),
            why: l(
                format!(
                    "A pause of a second or two to think is natural; pauses over {t} s in the \
                     middle of an answer are noticeable to an interviewer."
                ),
                format!(
                    "생각하느라 1~2초 멈추는 건 자연스러워요. 답변 중간에 {t}초 넘게 멈추면 \
                     면접관이 알아차리기 쉬워요."
                ),
            ),
        },
        feedback,
    }
}

pub(crate) fn first_word_card(r: &PauseReport) -> Option<MetricCard> {
    let ms = r.time_to_first_word_ms?;
    let range = GoodRange::new(None, Some(FIRST_WORD_MAX_MS as f64), MetricUnit::Ms);
    Some(MetricCard {
        id: "first_word".into(),
        title: l("Time to first word", "첫 마디까지 걸린 시간"),
        value: Some(ms as f64),
        unit: MetricUnit::Ms,
        judgement: Judgement {
            status: range.status(ms as f64),
            range,
            why: l(
                "After the prep time, starting within about 3 s shows you are ready; a longer \
                 silence can read as a blank.",
                "준비 시간이 끝난 뒤 3초 안에 말을 시작하면 준비된 인상을 줘요. 침묵이 길어지면 \
                 말문이 막힌 것처럼 보일 수 있어요.",
            ),
        },
        feedback: vec![l(
            format!("The first word came {} s after the start.", say::secs(ms)),
            format!("시작 후 {}초 만에 첫 마디가 나왔어요.", say::secs(ms)),
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::Lang;

    #[test]
    fn three_second_gap_flagged_two_second_gap_not() {
        let words = [
            ("we", 1200, 1500),
            ("added", 1600, 2000),
            ("a", 4000, 4200),     // 2.0 s gap
            ("cache", 7200, 7600), // 3.0 s gap
            ("today", 7700, 8000),
        ];
        let c = run(&transcript(&words, 10_000, None), Lang::En, None);
        let p = &c.pauses;
        assert_eq!(p.threshold_ms, 2500);
        assert_eq!(
            p.pauses,
            vec![Pause {
                after_word: 2,
                start_ms: 4200,
                end_ms: 7200,
                duration_ms: 3000,
                voiced: false
            }]
        );
        assert_eq!(p.longest.as_ref().unwrap().duration_ms, 3000);
        assert_eq!(p.time_to_first_word_ms, Some(1200));
        let card = c.cards.iter().find(|c| c.id == "pauses").unwrap();
        assert_eq!(
            card.feedback[0].en,
            "1 pause over 2.5 s; the longest was 3.0 s at 0:04."
        );
        assert_eq!(
            card.feedback[0].ko,
            "2.5초가 넘는 멈춤이 1번 있었어요. 가장 긴 멈춤은 0:04의 3.0초였어요."
        );
        assert_eq!(card.judgement.status, RangeStatus::Above);
        assert!(c.summary.contains(&card.feedback[0]));
        let first = c.cards.iter().find(|c| c.id == "first_word").unwrap();
        assert_eq!(first.value, Some(1200.0));
        assert_eq!(first.judgement.status, RangeStatus::Within);
    }

    #[test]
    fn threshold_is_configurable() {
        let words = [("we", 0, 300), ("added", 2300, 2600)];
        let cfg = super::super::CoachConfig {
            long_pause_ms: 1500,
            ..Default::default()
        };
        let c = run_cfg(&transcript(&words, 5000, None), Lang::En, None, &cfg);
        assert_eq!(c.pauses.pauses.len(), 1);
        assert_eq!(c.pauses.pauses[0].duration_ms, 2000);
    }
}
