//! The English switch: how much of the answer after the marker was English, how long the
//! switch took, and whether the answer went back to Korean.
//!
//! A word's language comes from its script (`token::tokenize`): Hangul is Korean, Latin is
//! English, except a Latin word between Korean words (a loanword or technical term such as
//! "Redis 캐시를"), which is Korean speech. Numbers and punctuation are neutral and not
//! counted.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::say::{self, l};
use super::token::Script;
use super::{GoodRange, Input, Judgement, MetricCard, MetricUnit, RangeStatus};
use crate::Lang;

/// Good share of English words after the marker.
pub const ENGLISH_SHARE_MIN: f64 = 0.9;
/// Good time from the marker to the first English word, ms (finishing the current
/// sentence is fine).
pub const SWITCH_DELAY_MAX_MS: u64 = 5000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SwitchReport {
    #[ts(type = "number")]
    pub switch_at_ms: u64,
    /// Words starting at or after the marker, by language (neutral tokens excluded).
    pub english_words_after: u32,
    pub korean_words_after: u32,
    /// English / (English + Korean) after the marker; `None` when nothing was said.
    pub english_share: Option<f64>,
    /// Start of the first English word at or after the marker.
    #[ts(type = "number | null")]
    pub first_english_at_ms: Option<u64>,
    #[ts(type = "number | null")]
    pub time_to_first_english_ms: Option<u64>,
    /// After the first English word, where a run of Korean words began.
    pub went_back_to_korean: bool,
    #[ts(type = "number | null")]
    pub back_to_korean_at_ms: Option<u64>,
}

pub(crate) fn analyze(input: &Input, switch_at_ms: u64) -> SwitchReport {
    let after: Vec<(usize, Lang)> = input
        .toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.start_ms >= switch_at_ms && t.script != Script::Neutral)
        .filter_map(|(i, t)| t.lang.map(|l| (i, l)))
        .collect();
    let en = after.iter().filter(|(_, l)| *l == Lang::En).count();
    let ko = after.len() - en;
    let first_en = after.iter().position(|(_, l)| *l == Lang::En);
    let first_english_at_ms = first_en.map(|k| input.toks[after[k].0].start_ms);
    let min_run = input.cfg.back_to_korean_min_words.max(1) as usize;
    let back_to_korean_at_ms = first_en.and_then(|k| {
        let rest = &after[k + 1..];
        (0..rest.len())
            .find(|&s| {
                rest.len() - s >= min_run
                    && rest[s..s + min_run].iter().all(|(_, l)| *l == Lang::Ko)
            })
            .map(|s| input.toks[rest[s].0].start_ms)
    });
    SwitchReport {
        switch_at_ms,
        english_words_after: en as u32,
        korean_words_after: ko as u32,
        english_share: (!after.is_empty()).then(|| en as f64 / after.len() as f64),
        first_english_at_ms,
        time_to_first_english_ms: first_english_at_ms.map(|t| t - switch_at_ms),
        went_back_to_korean: back_to_korean_at_ms.is_some(),
        back_to_korean_at_ms,
    }
}

pub(crate) fn cards(r: &SwitchReport) -> Vec<MetricCard> {
    let at = say::clock(r.switch_at_ms);
    let share_range = GoodRange::new(Some(ENGLISH_SHARE_MIN * 100.0), None, MetricUnit::Percent);
    let share_pct = r.english_share.map(|s| s * 100.0);
    let mut share_feedback = Vec::new();
    match (r.english_share, r.first_english_at_ms) {
        (None, _) => share_feedback.push(l(
            format!("Nothing was said after the switch at {at}."),
            format!("{at} 전환 이후에는 말이 없었어요."),
        )),
        (Some(_), None) => share_feedback.push(l(
            format!("No English words after the switch at {at}."),
            format!("{at} 전환 이후 영어 단어가 없었어요."),
        )),
        (Some(s), Some(_)) => share_feedback.push(l(
            format!(
                "After the switch at {at}, {}% of words were English ({} English, {} Korean).",
                say::pct(s),
                r.english_words_after,
                r.korean_words_after
            ),
            format!(
                "{at} 전환 이후 단어의 {}%가 영어였어요(영어 {}개, 한국어 {}개).",
                say::pct(s),
                r.english_words_after,
                r.korean_words_after
            ),
        )),
    }
    if let Some(back) = r.back_to_korean_at_ms {
        share_feedback.push(l(
            format!("The answer went back to Korean at {}.", say::clock(back)),
            format!("{}에 다시 한국어로 돌아갔어요.", say::clock(back)),
        ));
    }
    let share = MetricCard {
        id: "switch.share".into(),
        title: l("English after the switch", "전환 후 영어 비율"),
        value: share_pct,
        unit: MetricUnit::Percent,
        judgement: Judgement {
            status: share_pct.map_or(RangeStatus::NotMeasured, |v| share_range.status(v)),
            range: share_range,
            why: l(
                "After the switch the interviewer expects English; 90% or more of the words \
                 in English shows the switch held.",
                "전환 이후에는 영어 답변을 기대해요. 단어의 90% 이상이 영어면 전환이 잘 \
                 유지된 거예요.",
            ),
        },
        feedback: share_feedback,
    };

    let delay_range = GoodRange::new(None, Some(SWITCH_DELAY_MAX_MS as f64), MetricUnit::Ms);
    let delay_feedback = match r.time_to_first_english_ms {
        Some(ms) => l(
            format!(
                "The first English word came {} s after the switch.",
                say::secs(ms)
            ),
            format!(
                "전환 신호 후 {}초 만에 첫 영어 단어가 나왔어요.",
                say::secs(ms)
            ),
        ),
        None => l(
            "No English word followed the switch.",
            "전환 신호 뒤에 영어 단어가 나오지 않았어요.",
        ),
    };
    let delay = MetricCard {
        id: "switch.delay".into(),
        title: l("Time to switch to English", "영어로 전환하기까지 걸린 시간"),
        value: r.time_to_first_english_ms.map(|v| v as f64),
        unit: MetricUnit::Ms,
        judgement: Judgement {
            status: r
                .time_to_first_english_ms
                .map_or(RangeStatus::NotMeasured, |v| delay_range.status(v as f64)),
            range: delay_range,
            why: l(
                "Finishing the current thought is fine, but English within about 5 s of the \
                 banner shows you can switch on demand.",
                "하던 말을 마무리하는 건 괜찮지만, 배너가 뜬 뒤 5초 안에 영어로 넘어가면 \
                 요청에 바로 전환할 수 있다는 걸 보여줘요.",
            ),
        },
        feedback: vec![delay_feedback],
    };
    vec![share, delay]
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn korean_to_english_and_back() {
        let words = [
            ("저희", 1000, 1300),
            ("팀은", 1400, 1700),
            ("Redis", 1800, 2100), // loanword inside Korean: Korean
            ("캐시를", 2200, 2600),
            ("도입했어요.", 2700, 3200),
            // marker at 10_000
            ("음", 10_500, 10_800),
            ("그러니까", 11_000, 11_500),
            ("We", 13_500, 13_700),
            ("added", 13_800, 14_100),
            ("a", 14_200, 14_300),
            ("cache", 14_400, 14_800),
            ("in", 14_900, 15_000),
            ("2019", 15_100, 15_500), // neutral: not counted
            ("and", 15_600, 15_800),
            ("latency", 15_900, 16_400),
            ("dropped.", 16_500, 17_000),
            ("그래서", 20_000, 20_400),
            ("결과적으로", 20_500, 21_000),
        ];
        let c = run(&transcript(&words, 22_000, Some(10_000)), Lang::Ko, None);
        let s = c.switch.as_ref().unwrap();
        assert_eq!(s.english_words_after, 8);
        assert_eq!(s.korean_words_after, 4);
        assert_eq!(s.english_share, Some(8.0 / 12.0));
        assert_eq!(s.first_english_at_ms, Some(13_500));
        assert_eq!(s.time_to_first_english_ms, Some(3500));
        assert!(s.went_back_to_korean);
        assert_eq!(s.back_to_korean_at_ms, Some(20_000));

        let share = c.cards.iter().find(|c| c.id == "switch.share").unwrap();
        assert_eq!(share.judgement.status, RangeStatus::Below);
        assert_eq!(
            share.feedback[0].en,
            "After the switch at 0:10, 67% of words were English (8 English, 4 Korean)."
        );
        assert_eq!(share.feedback[1].ko, "0:20에 다시 한국어로 돌아갔어요.");
        let delay = c.cards.iter().find(|c| c.id == "switch.delay").unwrap();
        assert_eq!(delay.value, Some(3500.0));
        assert_eq!(delay.judgement.status, RangeStatus::Within);
    }

    #[test]
    fn stays_in_english_and_single_korean_word_is_not_going_back() {
        let words = [
            ("캐시를", 0, 500),
            ("썼어요", 600, 1000),
            ("Then", 2000, 2300),
            ("we", 2400, 2600),
            ("measured", 2700, 3000),
            ("네", 3100, 3300),
            ("latency.", 3400, 3900),
        ];
        let c = run(&transcript(&words, 5000, Some(1500)), Lang::Ko, None);
        let s = c.switch.as_ref().unwrap();
        assert_eq!((s.english_words_after, s.korean_words_after), (4, 1));
        assert_eq!(s.time_to_first_english_ms, Some(500));
        assert!(!s.went_back_to_korean);
        assert_eq!(s.back_to_korean_at_ms, None);
    }

    #[test]
    fn no_english_after_the_switch() {
        let words = [
            ("캐시를", 0, 500),
            ("썼어요", 2000, 2500),
            ("그래서", 2600, 3000),
        ];
        let c = run(&transcript(&words, 5000, Some(1500)), Lang::Ko, None);
        let s = c.switch.as_ref().unwrap();
        assert_eq!(s.english_share, Some(0.0));
        assert_eq!(s.first_english_at_ms, None);
        assert!(!s.went_back_to_korean);
        let share = c.cards.iter().find(|c| c.id == "switch.share").unwrap();
        assert_eq!(
            share.feedback[0].en,
            "No English words after the switch at 0:01."
        );
        assert!(
            c.switch.is_some()
                && run(&transcript(&words, 5000, None), Lang::Ko, None)
                    .switch
                    .is_none()
        );
    }
}
