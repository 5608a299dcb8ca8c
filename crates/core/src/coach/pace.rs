//! Pace: English words per minute, Korean syllables per minute, per language part.
//!
//! An answer without a switch marker is one part; with a marker, the part before it and
//! the part after it are measured separately. A part's language is the language most of
//! its words are counted in (see `token::tokenize`: loanwords inside Korean count as
//! Korean). Only the words of that language count, over the time those words take: each
//! word holds the time from its start to the next word's start, except before a pause of
//! at least `long_pause_ms`, where it holds only its own duration. The overall rate divides
//! the same count by the whole part (leading and trailing silence and long pauses
//! included).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::say::{self, l};
use super::syllables::spoken_syllables_ko;
use super::{GoodRange, Input, Judgement, MetricCard, MetricUnit, RangeStatus};
use crate::{Lang, Localized};

/// Conversational English, words per minute (docs/lexicon.md, "Coaching thresholds").
pub const EN_WPM: (f64, f64) = (110.0, 150.0);
/// English above this is fast (docs/lexicon.md, "Coaching thresholds").
pub const EN_FAST_WPM: f64 = 170.0;
/// Comfortable conversational Korean, syllables per minute (see docs/lexicon.md, "Pace").
pub const KO_SPM: (f64, f64) = (250.0, 350.0);
/// Korean above this is fast.
pub const KO_FAST_SPM: f64 = 400.0;

/// Pace of one language part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PacePart {
    pub lang: Lang,
    /// The part's time window on the take's clock.
    #[ts(type = "number")]
    pub from_ms: u64,
    #[ts(type = "number")]
    pub to_ms: u64,
    /// Words of the part's language in the window.
    pub words: u32,
    /// Syllables said in those words, digits and Latin terms as read in Korean (0 for
    /// English parts).
    pub syllables: u32,
    /// Time those words take, long pauses excluded.
    #[ts(type = "number")]
    pub speaking_ms: u64,
    /// Words (English) or syllables (Korean) per minute of speaking time.
    pub rate_per_minute: Option<f64>,
    /// The same count per minute of the whole window.
    pub overall_per_minute: Option<f64>,
    /// `wpm` or `spm`.
    pub unit: MetricUnit,
    pub judgement: Judgement,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PaceReport {
    pub parts: Vec<PacePart>,
}

fn judgement(lang: Lang, rate: Option<f64>, enough: bool) -> Judgement {
    let (range, why) = match lang {
        Lang::En => (
            GoodRange::new(Some(EN_WPM.0), Some(EN_WPM.1), MetricUnit::Wpm),
            l(
                "Conversational English runs at about 110–150 words per minute; above about \
                 170 listeners start to miss points, and well below 110 can sound hesitant.",
                "영어 대화 속도는 보통 분당 110~150단어예요. 170단어를 넘으면 듣는 사람이 \
                 내용을 놓치기 쉽고, 110단어보다 많이 느리면 머뭇거리는 것처럼 들릴 수 있어요.",
            ),
        ),
        Lang::Ko => (
            GoodRange::new(Some(KO_SPM.0), Some(KO_SPM.1), MetricUnit::Spm),
            l(
                "Korean pace is counted in syllables: about 250–350 per minute (4–6 per \
                 second) is comfortable to follow in conversation; above about 400 sounds \
                 rushed.",
                "한국어 속도는 음절 수로 재요. 분당 250~350음절(초당 약 4~6음절)이 대화에서 \
                 편하게 들리는 속도이고, 400음절을 넘으면 급하게 들릴 수 있어요.",
            ),
        ),
    };
    let status = match rate {
        Some(r) if enough => range.status(r),
        _ => RangeStatus::NotMeasured,
    };
    Judgement { status, range, why }
}

pub(crate) fn analyze(input: &Input) -> PaceReport {
    let toks = &input.toks;
    // Each word's share of speaking time.
    let slot = |i: usize| -> u64 {
        let t = &toks[i];
        match toks.get(i + 1) {
            Some(n) if n.start_ms.saturating_sub(t.end_ms) < input.cfg.long_pause_ms => {
                n.start_ms.max(t.end_ms) - t.start_ms
            }
            _ => t.end_ms - t.start_ms,
        }
    };
    let end = input.duration_ms;
    let windows: Vec<(u64, u64, Lang)> = match input.ctx.switch_at_ms {
        Some(s) if s < end => vec![(0, s, input.ctx.lang), (s, end, Lang::En)],
        _ => vec![(0, end, input.ctx.lang)],
    };
    let last_window = windows.len() - 1;
    let mut parts = Vec::new();
    for (w, &(from, to, expected)) in windows.iter().enumerate() {
        let inside: Vec<usize> = (0..toks.len())
            .filter(|&i| {
                let s = toks[i].start_ms;
                toks[i].is_word() && s >= from && (s < to || (w == last_window && s <= to))
            })
            .collect();
        if inside.is_empty() {
            continue;
        }
        let en = inside
            .iter()
            .filter(|&&i| toks[i].lang == Some(Lang::En))
            .count();
        let ko = inside
            .iter()
            .filter(|&&i| toks[i].lang == Some(Lang::Ko))
            .count();
        let lang = match en.cmp(&ko) {
            std::cmp::Ordering::Greater => Lang::En,
            std::cmp::Ordering::Less => Lang::Ko,
            std::cmp::Ordering::Equal => expected,
        };
        let mine: Vec<usize> = inside
            .into_iter()
            .filter(|&i| toks[i].lang == Some(lang))
            .collect();
        let words = mine.len() as u32;
        // Syllables as said: "11시" is 열한 시, "TCP" 티씨피 (a Korean answer's digits and
        // Latin terms would otherwise count as one syllable or none).
        let syllables: u32 = match lang {
            Lang::Ko => mine
                .iter()
                .map(|&i| spoken_syllables_ko(&input.words[i].text) as u32)
                .sum(),
            Lang::En => 0,
        };
        let speaking_ms: u64 = mine.iter().map(|&i| slot(i)).sum();
        let units = match lang {
            Lang::En => words,
            Lang::Ko => syllables,
        };
        let per_minute = |ms: u64| (ms > 0).then(|| f64::from(units) * 60_000.0 / ms as f64);
        let rate = per_minute(speaking_ms);
        parts.push(PacePart {
            lang,
            from_ms: from,
            to_ms: to,
            words,
            syllables,
            speaking_ms,
            rate_per_minute: rate,
            overall_per_minute: per_minute(to - from),
            unit: match lang {
                Lang::En => MetricUnit::Wpm,
                Lang::Ko => MetricUnit::Spm,
            },
            judgement: judgement(lang, rate, speaking_ms >= input.cfg.min_pace_speaking_ms),
        });
    }
    PaceReport { parts }
}

fn feedback(p: &PacePart) -> Vec<Localized> {
    let Some(rate) = p.rate_per_minute else {
        return vec![l("No speech to measure.", "잴 수 있는 발화가 없었어요.")];
    };
    let (rate, overall) = (
        say::num(rate),
        say::num(p.overall_per_minute.unwrap_or(0.0)),
    );
    let speaking = say::secs(p.speaking_ms);
    let (en_unit, ko_unit, ko_was) = match p.lang {
        Lang::En => ("words", "단어", "였어요"),
        Lang::Ko => ("syllables", "음절", "이었어요"),
    };
    let mut out = vec![l(
        format!(
            "{rate} {en_unit} per minute over {speaking} s of speaking ({overall} over the \
             whole part)."
        ),
        format!(
            "말한 {speaking}초 동안 분당 {rate}{ko_unit}{ko_was}(구간 전체로는 분당 \
             {overall}{ko_unit})."
        ),
    )];
    let fast = match p.lang {
        Lang::En => EN_FAST_WPM,
        Lang::Ko => KO_FAST_SPM,
    };
    let r = p.rate_per_minute.unwrap_or(0.0);
    let (lo, hi) = (
        p.judgement.range.min.unwrap_or(0.0),
        p.judgement.range.max.unwrap_or(f64::MAX),
    );
    let (lo_s, hi_s) = (say::num(lo), say::num(hi));
    out.push(match p.judgement.status {
        RangeStatus::Within => l(
            format!("That is within the conversational {lo_s}–{hi_s} range."),
            format!("대화 속도 범위({lo_s}~{hi_s}) 안이에요."),
        ),
        RangeStatus::Above if r > fast => l(
            format!(
                "That is above {} {en_unit} per minute, where listeners start to miss points.",
                say::num(fast)
            ),
            format!(
                "분당 {}{ko_unit} 이상으로, 듣는 사람이 내용을 놓치기 쉬운 속도예요.",
                say::num(fast)
            ),
        ),
        RangeStatus::Above => l(
            format!("That is a little above the conversational {lo_s}–{hi_s} range."),
            format!("대화 속도 범위({lo_s}~{hi_s})보다 조금 빨라요."),
        ),
        RangeStatus::Below => l(
            format!("That is below the conversational {lo_s}–{hi_s} range."),
            format!("대화 속도 범위({lo_s}~{hi_s})보다 느려요."),
        ),
        RangeStatus::NotMeasured => l(
            "Too little speech in this part to judge the pace.",
            "이 구간은 발화가 짧아서 속도를 판단하기 어려워요.",
        ),
    });
    out
}

pub(crate) fn cards(r: &PaceReport) -> Vec<MetricCard> {
    let mut seen: Vec<String> = Vec::new();
    r.parts
        .iter()
        .map(|p| {
            let base = match p.lang {
                Lang::En => "pace.en",
                Lang::Ko => "pace.ko",
            };
            let mut id = base.to_string();
            let mut n = 2;
            while seen.contains(&id) {
                id = format!("{base}.{n}");
                n += 1;
            }
            seen.push(id.clone());
            MetricCard {
                id,
                title: match p.lang {
                    Lang::En => l("Pace (English)", "말 속도 (영어)"),
                    Lang::Ko => l("Pace (Korean)", "말 속도 (한국어)"),
                },
                value: p.rate_per_minute,
                unit: p.unit,
                judgement: p.judgement.clone(),
                feedback: feedback(p),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    /// 100 English words of 400 ms back to back from 1 s, a 5 s pause after the 50th, in a
    /// 60 s take: 40 s of speaking → 150 WPM; 100 words in 60 s overall → 100 WPM.
    #[test]
    fn english_sixty_second_answer() {
        let mut words = Vec::new();
        for k in 0..100u64 {
            let start = if k < 50 {
                1000 + 400 * k
            } else {
                26_000 + 400 * (k - 50)
            };
            words.push(("word".to_string(), start, start + 400));
        }
        let c = run(&transcript(&borrow(&words), 60_000, None), Lang::En, None);
        assert_eq!(c.pace.parts.len(), 1);
        let p = &c.pace.parts[0];
        assert_eq!(p.lang, Lang::En);
        assert_eq!(p.words, 100);
        assert_eq!(p.speaking_ms, 40_000);
        assert_eq!(p.rate_per_minute, Some(150.0));
        assert_eq!(p.overall_per_minute, Some(100.0));
        assert_eq!(p.judgement.status, RangeStatus::Within);
        assert_eq!(p.unit, MetricUnit::Wpm);
        let card = c.cards.iter().find(|c| c.id == "pace.en").unwrap();
        assert_eq!(
            card.feedback[0].en,
            "150 words per minute over 40.0 s of speaking (100 over the whole part)."
        );
    }

    /// 50 Korean words of 4 syllables, 600 ms each, a 3 s pause after the 25th, in a 60 s
    /// take: 200 syllables over 30 s of speaking → 400 SPM (above the range).
    #[test]
    fn korean_sixty_second_answer_counts_syllables() {
        let mut words = Vec::new();
        for k in 0..50u64 {
            let start = if k < 25 {
                600 * k
            } else {
                18_000 + 600 * (k - 25)
            };
            words.push(("서버에서,".to_string(), start, start + 600));
        }
        let c = run(&transcript(&borrow(&words), 60_000, None), Lang::Ko, None);
        let p = &c.pace.parts[0];
        assert_eq!(p.lang, Lang::Ko);
        assert_eq!((p.words, p.syllables), (50, 200));
        assert_eq!(p.speaking_ms, 30_000);
        assert_eq!(p.rate_per_minute, Some(400.0));
        assert_eq!(p.overall_per_minute, Some(200.0));
        assert_eq!(p.judgement.status, RangeStatus::Above);
        assert_eq!(p.unit, MetricUnit::Spm);
        let card = c.cards.iter().find(|c| c.id == "pace.ko").unwrap();
        assert_eq!(
            card.feedback[1].ko,
            "대화 속도 범위(250~350)보다 조금 빨라요."
        );
    }

    /// A technical Korean answer as Whisper writes it, digits and Latin terms inside: the
    /// syllables said (열한 시 이십 분에 티씨피 연결이 다섯 번 끊겼고 레디스 캐시를) are
    /// counted, not only the Hangul blocks.
    #[test]
    fn korean_pace_counts_digits_and_latin_terms_as_said() {
        let text = [
            "11시",
            "20분에",
            "TCP",
            "연결이",
            "5번",
            "끊겼고",
            "Redis",
            "캐시를",
        ];
        let said = "열한시이십분에티씨피연결이다섯번끊겼고레디스캐시를";
        let words: Vec<(String, u64, u64)> = text
            .iter()
            .enumerate()
            .map(|(k, w)| (w.to_string(), 500 * k as u64, 500 * k as u64 + 500))
            .collect();
        let c = run(&transcript(&borrow(&words), 4_000, None), Lang::Ko, None);
        let p = &c.pace.parts[0];
        assert_eq!(p.lang, Lang::Ko);
        assert_eq!(p.words, 8);
        assert_eq!(p.syllables as usize, crate::coach::hangul_syllables(said));
        // 25 syllables in 4 s of speaking: 375 a minute; the Hangul blocks alone (13)
        // would have read as 195, below the range.
        assert_eq!(p.speaking_ms, 4_000);
        assert_eq!(p.rate_per_minute, Some(375.0));
    }

    #[test]
    fn parts_split_at_the_switch() {
        // Korean for 0-10 s (10 words × 2 syllables, 1 s each), English for 10-20 s
        // (20 words, 500 ms each).
        let mut words = Vec::new();
        for k in 0..10u64 {
            words.push(("캐시".to_string(), 1000 * k, 1000 * k + 1000));
        }
        for k in 0..20u64 {
            words.push(("cache".to_string(), 10_000 + 500 * k, 10_500 + 500 * k));
        }
        let c = run(
            &transcript(&borrow(&words), 20_000, Some(10_000)),
            Lang::Ko,
            None,
        );
        let got: Vec<(Lang, u64, u64, Option<f64>)> = c
            .pace
            .parts
            .iter()
            .map(|p| (p.lang, p.from_ms, p.speaking_ms, p.rate_per_minute))
            .collect();
        assert_eq!(
            got,
            vec![
                (Lang::Ko, 0, 10_000, Some(120.0)),
                (Lang::En, 10_000, 10_000, Some(120.0))
            ]
        );
        assert_eq!(c.pace.parts[0].judgement.status, RangeStatus::Below);
        assert_eq!(c.pace.parts[1].judgement.status, RangeStatus::Within);
    }
}
