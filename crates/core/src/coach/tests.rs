//! Whole-answer tests: every sentence has Korean, the output serialises, types export.

use serde_json::Value;
use ts_rs::TS;

use super::testkit::*;
use super::*;
use crate::bank::Track;

/// A behavioral answer in Korean that switches to English at 12 s, with fillers, a long
/// pause, a hedge, a repeat and a voiced gap.
fn mixed() -> Coaching {
    let mut words = seq(
        "음 당시 저희 서비스가 좀, 느렸어요. 그… 제가 맡은 일은 아마 캐시 도입이었던 것 같아요.",
        1000,
    );
    words.extend(seq(
        "So, I decided to add a cache, um, and the the latency dropped by 30%. \
         As a result, like, we saved money.",
        13_000,
    ));
    words.extend(seq("그래서 결과적으로 좋았어요.", 25_000));
    let t = transcript(&borrow(&words), 30_000, Some(12_000));
    let mut env = vec![-70.0f32; 3000];
    for (_, s, e) in &words {
        env[(*s / 10) as usize..(*e / 10) as usize]
            .iter_mut()
            .for_each(|v| *v = -20.0);
    }
    env[2300..2340].iter_mut().for_each(|v| *v = -26.0); // 23.0-23.4 s, between words
    run_env(
        &t,
        &Envelope::new(10, env),
        Lang::Ko,
        Some(Track::Behavioral),
    )
}

fn walk_localized<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a str, &'a str)>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(en)), Some(Value::String(ko)), 2) =
                (m.get("en"), m.get("ko"), m.len())
            {
                out.push((path, en, ko));
                return;
            }
            for (k, x) in m {
                walk_localized(x, format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk_localized(x, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn assert_all_korean(c: &Coaching) -> usize {
    let v = serde_json::to_value(c).unwrap();
    let mut found = Vec::new();
    walk_localized(&v, String::new(), &mut found);
    for (path, en, ko) in &found {
        assert!(!en.trim().is_empty(), "{path}: empty English");
        assert!(
            token::hangul_syllables(ko) >= 2,
            "{path}: Korean text missing: {ko:?}"
        );
        assert_ne!(en, ko, "{path}: Korean is a copy of the English");
        assert!(
            !ko.contains("습니다") && !ko.contains("한다."),
            "{path}: Korean should be 해요체: {ko}"
        );
    }
    found.len()
}

#[test]
fn mixed_answer_end_to_end() {
    let c = mixed();
    let ids: Vec<&str> = c.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "fillers",
            "fillers.inferred",
            "pace.ko",
            "pace.en",
            "pauses",
            "first_word",
            "hedges",
            "repeats",
            "switch.share",
            "switch.delay",
            "star"
        ]
    );
    let fillers: Vec<&str> = c
        .fillers
        .hits
        .iter()
        .map(|h| h.entry.as_deref().unwrap())
        .collect();
    assert_eq!(fillers, vec!["eum", "jom", "geu", "so", "um", "like"]);
    assert_eq!(c.fillers.inferred.len(), 1);
    assert_eq!(c.fillers.inferred[0].start_ms, 23_000);
    assert_eq!(c.fillers.inferred[0].lang, Lang::En);
    assert_eq!(c.repeats.immediate[0].text, "the");
    let hedges: Vec<&str> = c.hedges.hits.iter().map(|h| h.entry.as_str()).collect();
    assert_eq!(hedges, vec!["ama", "geot-gatayo"]);
    // Korean ends at 6.9 s, English runs 13.0-21.7 s, Korean again from 25.0 s.
    let pauses: Vec<(u64, u64, bool)> = c
        .pauses
        .pauses
        .iter()
        .map(|p| (p.start_ms, p.duration_ms, p.voiced))
        .collect();
    assert_eq!(pauses, vec![(6900, 6100, false), (21_700, 3300, true)]);
    let star = c.star.as_ref().unwrap();
    assert!(star.parts.iter().all(|p| p.observed));
    let s = c.switch.as_ref().unwrap();
    assert_eq!(s.time_to_first_english_ms, Some(1000));
    assert_eq!(s.back_to_korean_at_ms, Some(25_000));
    assert!(assert_all_korean(&c) > 20);
}

#[test]
fn korean_in_every_localized_even_when_empty() {
    let t = transcript(&[], 10_000, Some(5000));
    let c = run_env(
        &t,
        &Envelope::new(10, vec![-60.0; 1000]),
        Lang::Ko,
        Some(Track::Behavioral),
    );
    assert_eq!(c.word_count, 0);
    assert!(c.pace.parts.is_empty());
    assert!(c.pauses.longest.is_none());
    assert_all_korean(&c);
    // Without a switch or a behavioral track those reports are absent.
    let c = run(
        &transcript(&[("hello", 0, 300)], 1000, None),
        Lang::En,
        None,
    );
    assert!(c.switch.is_none() && c.star.is_none());
    assert_all_korean(&c);
}

#[test]
fn coaching_round_trips_through_json() {
    let c = mixed();
    let json = serde_json::to_string(&c).unwrap();
    let back: Coaching = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn config_fills_missing_fields_with_defaults() {
    let cfg: CoachConfig = serde_json::from_str(r#"{"long_pause_ms": 3000}"#).unwrap();
    assert_eq!(cfg.long_pause_ms, 3000);
    assert_eq!(cfg.min_filler_confidence, 0.5);
}

#[test]
fn typescript_types_use_number_for_times() {
    let decls = [
        Coaching::decl(),
        FillerHit::decl(),
        FillerReport::decl(),
        PacePart::decl(),
        Pause::decl(),
        PauseReport::decl(),
        PhraseHit::decl(),
        Repeat::decl(),
        OverusedPhrase::decl(),
        SwitchReport::decl(),
        StarEvidence::decl(),
        AnswerContext::decl(),
        CoachConfig::decl(),
        Envelope::decl(),
        MetricCard::decl(),
    ];
    for d in &decls {
        assert!(!d.contains("bigint"), "{d}");
    }
    assert!(Coaching::decl().contains("duration_ms: number"));
    assert!(SwitchReport::decl().contains("back_to_korean_at_ms: number | null"));
}

#[test]
fn every_card_has_a_range_and_a_reason() {
    let c = mixed();
    for card in &c.cards {
        let j = &card.judgement;
        assert!(
            j.range.min.is_some() || j.range.max.is_some(),
            "{}: no range",
            card.id
        );
        assert!(!j.why.en.is_empty() && !j.why.ko.is_empty(), "{}", card.id);
        assert!(!card.feedback.is_empty(), "{}: no feedback", card.id);
    }
}

#[test]
fn clean_answer_summary_and_short_part_not_judged() {
    // 20 English words at 130 WPM-ish, no fillers, no pauses: nothing notable, but only
    // 8 s of speaking — under 5 s would not be judged; here it is.
    let words = seq(
        "We added a read cache in front of the database and the median latency fell \
         from eighty to twelve milliseconds",
        500,
    );
    let c = run(&transcript(&borrow(&words), 9000, None), Lang::En, None);
    assert_eq!(c.fillers.count, 0);
    assert!(c.pauses.pauses.is_empty());
    let pace = &c.pace.parts[0];
    assert_eq!(pace.words, 20);
    assert_eq!(pace.speaking_ms, 7900);
    assert_eq!(pace.judgement.status, RangeStatus::Above); // 151.9 WPM
    assert_eq!(c.summary.len(), 1);
    assert!(c.summary[0].en.starts_with("151.9 words per minute"));

    // The same words in 4 s of speech: reported, not judged.
    let short = seq("We added a read cache in front of the database", 0);
    let c = run(&transcript(&borrow(&short), 5000, None), Lang::En, None);
    assert_eq!(c.pace.parts[0].judgement.status, RangeStatus::NotMeasured);
    assert_eq!(
        c.summary,
        vec![Localized::new(
            "Every measured value was within its range.",
            "측정한 값이 모두 권장 범위 안에 있었어요."
        )]
    );
}

#[test]
fn right_as_opener_and_so_after_it() {
    let words = seq("Right, so the right call was a cache, right?", 0);
    let c = run(&transcript(&borrow(&words), 10_000, None), Lang::En, None);
    let hits: Vec<(usize, &str)> = c
        .fillers
        .hits
        .iter()
        .map(|h| (h.word_indices[0], h.entry.as_deref().unwrap()))
        .collect();
    assert_eq!(hits, vec![(0, "right"), (1, "so"), (8, "right")]);
}

#[test]
fn envelope_from_samples() {
    // 100 ms of full-scale square wave then 100 ms of silence at 16 kHz.
    let mut s = vec![1.0f32; 1600];
    s.iter_mut().skip(1).step_by(2).for_each(|x| *x = -1.0);
    s.extend(vec![0.0f32; 1600]);
    let env = Envelope::from_samples(&s, 16_000, 10);
    assert_eq!(env.frame_ms, 10);
    assert_eq!(env.rms_dbfs.len(), 20);
    assert!(env.rms_dbfs[..10].iter().all(|&v| v.abs() < 1e-4));
    assert!(env.rms_dbfs[10..].iter().all(|&v| v == -120.0));
}

#[test]
fn a_stalled_microphone_is_said_first_and_not_blamed_on_the_speaker() {
    let words = seq("So I think the migration went well overall.", 500);
    let t = transcript(&borrow(&words), 8_000, None);
    let mut ctx = AnswerContext::of(&t, Lang::En, None);
    let plain = coach(&t, &Envelope::default(), &ctx);
    assert!(
        !plain.summary[0].en.contains("microphone"),
        "{:?}",
        plain.summary
    );
    ctx.stalls = vec![
        Stall {
            at_ms: 2_000,
            length_ms: 3_000,
        },
        Stall {
            at_ms: 5_000,
            length_ms: 1_500,
        },
    ];
    let c = coach(&t, &Envelope::default(), &ctx);
    let first = &c.summary[0];
    assert!(
        first.en.contains("2 times") && first.en.contains("4.5 s"),
        "{}",
        first.en
    );
    assert!(first.en.contains("0:02"), "{}", first.en);
    assert!(
        first.ko.contains("2번") && first.ko.contains("4.5초"),
        "{}",
        first.ko
    );
    // The rest of the summary is what it was.
    assert_eq!(&c.summary[1..], &plain.summary[..]);
}
