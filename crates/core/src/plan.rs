//! Session plans (a single drill, mock round 1, mock round 2) and the surprise English
//! switch schedule.
//!
//! Everything here is deterministic for a seed: a small SplitMix64 generator replaces a
//! random-number crate, so tests and `--seed` runs reproduce the same plan and moment.
//!
//! Every question in a plan is followed by its follow-up chain (the interviewer digs one
//! level deeper after each answer), in every plan kind.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::bank::{Bank, Question, Track};

/// Probability of the switch used by [`build_plan`] for questions in switch blocks.
pub const DEFAULT_SWITCH_PROBABILITY: f64 = 0.5;

/// What to practise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanKind {
    /// One question and its follow-ups.
    Single { question_id: String },
    /// Round 1: `cs_questions` from the chosen CS track, one large-traffic question, then a
    /// personal block where the English switch may happen.
    Round1 {
        cs_track: Track,
        cs_questions: u32,
        personal_questions: u32,
    },
    /// Round 2: two behavioral blocks, question after follow-up question.
    Round2 { behavioral_questions_per_block: u32 },
}

impl PlanKind {
    /// Round 1 as the loop runs it: three CS questions, then four personal ones.
    pub fn round1(cs_track: Track) -> PlanKind {
        PlanKind::Round1 {
            cs_track,
            cs_questions: 3,
            personal_questions: 4,
        }
    }

    /// Round 2 as the loop runs it: four behavioral questions per one-hour block.
    pub fn round2() -> PlanKind {
        PlanKind::Round2 {
            behavioral_questions_per_block: 4,
        }
    }
}

/// How the surprise "continue in English" switch behaves for one answer.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum SwitchMode {
    #[default]
    Off,
    /// With this probability (0..=1), at a moment drawn from 30-70 % of the answer time,
    /// only for questions that allow it.
    Random { probability: f64 },
    /// At this many ms from the start of the take, whether or not the question allows it
    /// (tests and explicit user choice); clamped into the answer.
    At {
        #[ts(type = "number")]
        ms: u64,
    },
}

/// One step of a session: a question, or one of its follow-ups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanItem {
    pub question_id: String,
    /// Index into the question's `follow_ups`; `None` for the question itself.
    pub follow_up: Option<usize>,
    /// Block label: `single`, `cs`, `scale`, `personal`, `behavioral-1`, `behavioral-2`.
    pub block: String,
    /// Switch mode for this answer; pass it to [`schedule_switch`] with the question's
    /// `english_switch`. Follow-ups and blocks without the switch are `Off`.
    pub english_switch: SwitchMode,
}

/// Why a plan could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PlanError {
    #[error("unknown question `{id}`")]
    UnknownQuestion { id: String },
    #[error("track `{track}` has {available} questions, the plan needs {needed}")]
    NotEnoughQuestions {
        track: Track,
        needed: u32,
        available: u32,
    },
    #[error("`{track}` is not a CS fundamentals track (cs-os, cs-network, cs-storage, cs-db)")]
    NotACsTrack { track: Track },
    #[error("the plan has no questions")]
    Empty,
}

/// Builds a plan with the switch in [`SwitchMode::Random`] at
/// [`DEFAULT_SWITCH_PROBABILITY`] wherever the plan allows it.
pub fn build_plan(bank: &Bank, kind: &PlanKind, seed: u64) -> Result<Vec<PlanItem>, PlanError> {
    build_plan_with_switch(
        bank,
        kind,
        seed,
        SwitchMode::Random {
            probability: DEFAULT_SWITCH_PROBABILITY,
        },
    )
}

/// Builds a plan; `switch` is the mode for the main answer of each question where the plan
/// allows the switch: the single drill and round 1's personal block. Round 1's CS and
/// large-traffic questions and round 2 are `Off`, like the loop being rehearsed.
/// Questions are drawn without repeats, the same for the same seed and bank.
pub fn build_plan_with_switch(
    bank: &Bank,
    kind: &PlanKind,
    seed: u64,
    switch: SwitchMode,
) -> Result<Vec<PlanItem>, PlanError> {
    let mut rng = SplitMix64::new(seed);
    let mut items = Vec::new();
    match kind {
        PlanKind::Single { question_id } => {
            let q = bank
                .get(question_id)
                .ok_or_else(|| PlanError::UnknownQuestion {
                    id: question_id.clone(),
                })?;
            push_question(&mut items, q, "single", switch);
        }
        PlanKind::Round1 {
            cs_track,
            cs_questions,
            personal_questions,
        } => {
            if !cs_track.is_cs() {
                return Err(PlanError::NotACsTrack { track: *cs_track });
            }
            let cs = pick(bank, *cs_track, *cs_questions, &mut rng)?;
            let scale = pick(bank, Track::Scale, 1, &mut rng)?;
            let personal = pick(bank, Track::Personal, *personal_questions, &mut rng)?;
            for q in cs {
                push_question(&mut items, q, "cs", SwitchMode::Off);
            }
            for q in scale {
                push_question(&mut items, q, "scale", SwitchMode::Off);
            }
            for q in personal {
                push_question(&mut items, q, "personal", switch);
            }
        }
        PlanKind::Round2 {
            behavioral_questions_per_block: n,
        } => {
            let picked = pick_behavioral(bank, n.saturating_mul(2), &mut rng)?;
            let per_block = *n as usize;
            for (i, q) in picked.into_iter().enumerate() {
                let block = if i < per_block {
                    "behavioral-1"
                } else {
                    "behavioral-2"
                };
                push_question(&mut items, q, block, SwitchMode::Off);
            }
        }
    }
    if items.is_empty() {
        return Err(PlanError::Empty);
    }
    Ok(items)
}

fn push_question(items: &mut Vec<PlanItem>, q: &Question, block: &str, switch: SwitchMode) {
    items.push(PlanItem {
        question_id: q.id.clone(),
        follow_up: None,
        block: block.to_owned(),
        english_switch: switch,
    });
    for i in 0..q.follow_ups.len() {
        items.push(PlanItem {
            question_id: q.id.clone(),
            follow_up: Some(i),
            block: block.to_owned(),
            english_switch: SwitchMode::Off,
        });
    }
}

/// The track's questions sorted by id (so the draw does not depend on file order).
fn candidates(bank: &Bank, track: Track) -> Vec<&Question> {
    let mut qs: Vec<&Question> = bank.by_track(track).collect();
    qs.sort_by(|a, b| a.id.cmp(&b.id));
    qs
}

fn shuffle<T>(items: &mut [T], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// `n` distinct questions of a track in random order.
fn pick<'b>(
    bank: &'b Bank,
    track: Track,
    n: u32,
    rng: &mut SplitMix64,
) -> Result<Vec<&'b Question>, PlanError> {
    let mut qs = candidates(bank, track);
    if (n as usize) > qs.len() {
        return Err(PlanError::NotEnoughQuestions {
            track,
            needed: n,
            available: qs.len() as u32,
        });
    }
    shuffle(&mut qs, rng);
    qs.truncate(n as usize);
    Ok(qs)
}

/// `n` distinct behavioral questions in random order, covering as many different
/// Leadership Principles as possible before any principle repeats.
fn pick_behavioral<'b>(
    bank: &'b Bank,
    n: u32,
    rng: &mut SplitMix64,
) -> Result<Vec<&'b Question>, PlanError> {
    let mut pool = candidates(bank, Track::Behavioral);
    if (n as usize) > pool.len() {
        return Err(PlanError::NotEnoughQuestions {
            track: Track::Behavioral,
            needed: n,
            available: pool.len() as u32,
        });
    }
    shuffle(&mut pool, rng);
    let mut picked = Vec::with_capacity(n as usize);
    let mut used: HashSet<Option<&str>> = HashSet::new();
    while picked.len() < n as usize {
        let fresh = pool
            .iter()
            .position(|q| !used.contains(&q.principle.as_deref()));
        let idx = match fresh {
            Some(i) => i,
            None => {
                used.clear();
                0
            }
        };
        let q = pool.remove(idx);
        used.insert(q.principle.as_deref());
        picked.push(q);
    }
    Ok(picked)
}

/// When the "continue in English" banner appears, in ms from the start of the take, or
/// `None` for no switch in this answer.
///
/// - `Off`: never.
/// - `Random { probability }`: only when `question_allows`; with that probability
///   (clamped to 0..=1), at a moment uniform in 30-70 % of `answer_ms`.
/// - `At { ms }`: always, even when the question does not allow the switch (forced mode
///   is for tests and explicit user choice), clamped to the last millisecond of the answer.
///
/// A zero-length answer never switches. The same arguments give the same result.
pub fn schedule_switch(
    mode: &SwitchMode,
    question_allows: bool,
    answer_ms: u64,
    seed: u64,
) -> Option<u64> {
    if answer_ms == 0 {
        return None;
    }
    match *mode {
        SwitchMode::Off => None,
        SwitchMode::At { ms } => Some(ms.min(answer_ms - 1)),
        SwitchMode::Random { probability } => {
            if !question_allows {
                return None;
            }
            let p = if probability.is_nan() {
                0.0
            } else {
                probability.clamp(0.0, 1.0)
            };
            let mut rng = SplitMix64::new(seed);
            if rng.next_f64() >= p {
                return None;
            }
            let ms = u128::from(answer_ms);
            // Integer bounds inside the window and inside the answer, even for tiny answers.
            let hi = ((ms * 7 / 10) as u64).min(answer_ms - 1);
            let lo = ((ms * 3).div_ceil(10) as u64).min(hi);
            Some(lo + rng.below(hi - lo + 1))
        }
    }
}

/// A seed for item `index` of a plan built with `plan_seed`, so each answer draws its own
/// switch independently but reproducibly.
pub fn item_seed(plan_seed: u64, index: usize) -> u64 {
    let mut rng = SplitMix64::new(plan_seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    rng.next_u64()
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for drawing questions.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n), n > 0 (multiply-shift; bias below 2^-64 * n).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::shipped_files;

    fn bank() -> Bank {
        let (bank, issues) = Bank::from_files(shipped_files());
        assert!(issues.is_empty());
        bank
    }

    fn main_items(items: &[PlanItem]) -> Vec<&PlanItem> {
        items.iter().filter(|i| i.follow_up.is_none()).collect()
    }

    /// Each question is immediately followed by all its follow-ups, in order.
    fn assert_follow_up_chains(bank: &Bank, items: &[PlanItem]) {
        let mut i = 0;
        while i < items.len() {
            let item = &items[i];
            assert_eq!(item.follow_up, None, "item {i} should start a question");
            let q = bank.get(&item.question_id).unwrap();
            for k in 0..q.follow_ups.len() {
                let fu = &items[i + 1 + k];
                assert_eq!(fu.question_id, q.id);
                assert_eq!(fu.follow_up, Some(k));
                assert_eq!(fu.block, item.block);
                assert_eq!(fu.english_switch, SwitchMode::Off);
            }
            i += 1 + q.follow_ups.len();
        }
    }

    #[test]
    fn single_drill_is_the_question_and_its_follow_ups() {
        let bank = bank();
        let items = build_plan(
            &bank,
            &PlanKind::Single {
                question_id: "os-process-vs-thread".into(),
            },
            7,
        )
        .unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].question_id, "os-process-vs-thread");
        assert_eq!(items[0].follow_up, None);
        assert_eq!(items[0].block, "single");
        assert_eq!(
            items[0].english_switch,
            SwitchMode::Random {
                probability: DEFAULT_SWITCH_PROBABILITY
            }
        );
        assert_eq!(items[1].follow_up, Some(0));
        assert_eq!(items[2].follow_up, Some(1));
        assert_follow_up_chains(&bank, &items);

        let forced = build_plan_with_switch(
            &bank,
            &PlanKind::Single {
                question_id: "per-strengths".into(),
            },
            7,
            SwitchMode::At { ms: 4000 },
        )
        .unwrap();
        assert_eq!(forced[0].english_switch, SwitchMode::At { ms: 4000 });
    }

    #[test]
    fn single_drill_of_an_unknown_question_fails() {
        let err = build_plan(
            &bank(),
            &PlanKind::Single {
                question_id: "no-such-question".into(),
            },
            1,
        )
        .unwrap_err();
        assert_eq!(
            err,
            PlanError::UnknownQuestion {
                id: "no-such-question".into()
            }
        );
        assert_eq!(err.to_string(), "unknown question `no-such-question`");
    }

    #[test]
    fn round1_is_cs_then_one_scale_then_personal_with_the_switch() {
        let bank = bank();
        let kind = PlanKind::Round1 {
            cs_track: Track::CsNetwork,
            cs_questions: 3,
            personal_questions: 4,
        };
        let items = build_plan(&bank, &kind, 42).unwrap();
        assert_follow_up_chains(&bank, &items);
        let mains = main_items(&items);
        let blocks: Vec<&str> = mains.iter().map(|i| i.block.as_str()).collect();
        assert_eq!(
            blocks,
            ["cs", "cs", "cs", "scale", "personal", "personal", "personal", "personal"]
        );
        let tracks: Vec<Track> = mains
            .iter()
            .map(|i| bank.get(&i.question_id).unwrap().track)
            .collect();
        assert_eq!(&tracks[..3], &[Track::CsNetwork; 3]);
        assert_eq!(tracks[3], Track::Scale);
        assert_eq!(&tracks[4..], &[Track::Personal; 4]);
        let ids: HashSet<&str> = mains.iter().map(|i| i.question_id.as_str()).collect();
        assert_eq!(ids.len(), mains.len(), "no repeats");
        for item in &mains {
            let expected = if item.block == "personal" {
                SwitchMode::Random { probability: 0.5 }
            } else {
                SwitchMode::Off
            };
            assert_eq!(item.english_switch, expected, "{}", item.question_id);
        }
        // Same seed, same plan; the draw does not depend on the order files were loaded.
        assert_eq!(build_plan(&bank, &kind, 42).unwrap(), items);
        let mut reversed: Vec<(&str, &str)> = shipped_files().to_vec();
        reversed.reverse();
        let (bank_rev, _) = Bank::from_files(&reversed);
        assert_eq!(build_plan(&bank_rev, &kind, 42).unwrap(), items);
        // Other seeds draw other questions.
        let distinct: HashSet<Vec<String>> = (0..20)
            .map(|seed| {
                let plan = build_plan(&bank, &kind, seed).unwrap();
                plan.into_iter().map(|i| i.question_id).collect()
            })
            .collect();
        assert!(distinct.len() >= 15, "{} distinct plans", distinct.len());
    }

    #[test]
    fn round1_lengths_are_configurable_and_checked() {
        let bank = bank();
        let items = build_plan(
            &bank,
            &PlanKind::Round1 {
                cs_track: Track::CsDb,
                cs_questions: 1,
                personal_questions: 0,
            },
            3,
        )
        .unwrap();
        let blocks: Vec<&str> = main_items(&items)
            .iter()
            .map(|i| i.block.as_str())
            .collect();
        assert_eq!(blocks, ["cs", "scale"]);

        let available = bank.count(Track::CsOs) as u32;
        let err = build_plan(
            &bank,
            &PlanKind::Round1 {
                cs_track: Track::CsOs,
                cs_questions: available + 1,
                personal_questions: 2,
            },
            3,
        )
        .unwrap_err();
        assert_eq!(
            err,
            PlanError::NotEnoughQuestions {
                track: Track::CsOs,
                needed: available + 1,
                available,
            }
        );
        // Asking for every question works and uses each exactly once.
        let all = build_plan(
            &bank,
            &PlanKind::Round1 {
                cs_track: Track::CsOs,
                cs_questions: available,
                personal_questions: 0,
            },
            3,
        )
        .unwrap();
        let cs: HashSet<&str> = main_items(&all)
            .iter()
            .filter(|i| i.block == "cs")
            .map(|i| i.question_id.as_str())
            .collect();
        assert_eq!(cs.len(), available as usize);

        let err = build_plan(&bank, &PlanKind::round1(Track::Behavioral), 3).unwrap_err();
        assert_eq!(
            err,
            PlanError::NotACsTrack {
                track: Track::Behavioral
            }
        );
    }

    #[test]
    fn round2_is_two_behavioral_blocks_with_star_chains() {
        let bank = bank();
        let kind = PlanKind::Round2 {
            behavioral_questions_per_block: 5,
        };
        let items = build_plan(&bank, &kind, 9).unwrap();
        assert_follow_up_chains(&bank, &items);
        let mains = main_items(&items);
        assert_eq!(mains.len(), 10);
        assert!(mains[..5].iter().all(|i| i.block == "behavioral-1"));
        assert!(mains[5..].iter().all(|i| i.block == "behavioral-2"));
        let qs: Vec<&Question> = mains
            .iter()
            .map(|i| bank.get(&i.question_id).unwrap())
            .collect();
        assert!(qs.iter().all(|q| q.track == Track::Behavioral));
        assert!(qs.iter().all(|q| q.follow_ups.len() >= 3));
        let ids: HashSet<&str> = qs.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids.len(), 10, "no repeats across blocks");
        let principles: HashSet<&str> = qs.iter().filter_map(|q| q.principle.as_deref()).collect();
        assert_eq!(principles.len(), 10, "principles vary before repeating");
        assert!(items.iter().all(|i| i.english_switch == SwitchMode::Off));
        assert_eq!(build_plan(&bank, &kind, 9).unwrap(), items);

        let total = bank.count(Track::Behavioral) as u32;
        let err = build_plan(
            &bank,
            &PlanKind::Round2 {
                behavioral_questions_per_block: total / 2 + 1,
            },
            9,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            PlanError::NotEnoughQuestions {
                track: Track::Behavioral,
                available,
                ..
            } if available == total
        ));
        let err = build_plan(
            &bank,
            &PlanKind::Round2 {
                behavioral_questions_per_block: 0,
            },
            9,
        )
        .unwrap_err();
        assert_eq!(err, PlanError::Empty);
    }

    #[test]
    fn round2_can_use_every_behavioral_question() {
        let bank = bank();
        let total = bank.count(Track::Behavioral);
        let items = build_plan(
            &bank,
            &PlanKind::Round2 {
                behavioral_questions_per_block: (total / 2) as u32,
            },
            11,
        )
        .unwrap();
        let ids: HashSet<&str> = main_items(&items)
            .iter()
            .map(|i| i.question_id.as_str())
            .collect();
        assert_eq!(ids.len(), total / 2 * 2);
    }

    #[test]
    fn switch_is_reproducible_for_a_seed() {
        let mode = SwitchMode::Random { probability: 1.0 };
        let a = schedule_switch(&mode, true, 120_000, 12345);
        assert_eq!(a, schedule_switch(&mode, true, 120_000, 12345));
        assert!(a.is_some());
        let moments: HashSet<Option<u64>> = (0..50)
            .map(|seed| schedule_switch(&mode, true, 120_000, seed))
            .collect();
        assert!(moments.len() > 40, "different seeds give different moments");
    }

    #[test]
    fn random_switch_lands_in_the_middle_of_the_answer() {
        let mode = SwitchMode::Random { probability: 1.0 };
        for answer_ms in [1_000u64, 90_000, 120_000, 180_000, 1_800_000] {
            let (lo, hi) = (answer_ms * 3 / 10, answer_ms * 7 / 10);
            let draws: Vec<u64> = (0..1000)
                .map(|seed| schedule_switch(&mode, true, answer_ms, seed).unwrap())
                .collect();
            assert!(
                draws.iter().all(|&t| (lo..=hi).contains(&t)),
                "{answer_ms}: out of window"
            );
            // Roughly uniform: each fifth of the window gets a fair share.
            let width = (hi - lo) as f64;
            let mut bins = [0u32; 5];
            for &t in &draws {
                let b = (((t - lo) as f64 / width) * 5.0).min(4.0) as usize;
                bins[b] += 1;
            }
            assert!(bins.iter().all(|&n| (140..=260).contains(&n)), "{bins:?}");
        }
    }

    #[test]
    fn random_switch_probability_is_honoured() {
        let count = |p: f64| {
            (0..1000)
                .filter(|&seed| {
                    schedule_switch(&SwitchMode::Random { probability: p }, true, 60_000, seed)
                        .is_some()
                })
                .count()
        };
        let half = count(0.5);
        assert!((400..=600).contains(&half), "{half} of 1000");
        let fifth = count(0.2);
        assert!((120..=280).contains(&fifth), "{fifth} of 1000");
        assert_eq!(count(0.0), 0);
        assert_eq!(count(1.0), 1000);
        assert_eq!(count(-3.0), 0);
        assert_eq!(count(7.0), 1000);
        assert_eq!(count(f64::NAN), 0);
    }

    #[test]
    fn off_at_and_disallowed_questions() {
        for seed in 0..100 {
            assert_eq!(schedule_switch(&SwitchMode::Off, true, 60_000, seed), None);
            let random = SwitchMode::Random { probability: 1.0 };
            assert_eq!(schedule_switch(&random, false, 60_000, seed), None);
        }
        let at = SwitchMode::At { ms: 4_000 };
        assert_eq!(schedule_switch(&at, true, 10_000, 0), Some(4_000));
        assert_eq!(
            schedule_switch(&at, false, 10_000, 99),
            Some(4_000),
            "forced"
        );
        assert_eq!(schedule_switch(&at, true, 3_000, 0), Some(2_999), "clamped");
        assert_eq!(
            schedule_switch(&SwitchMode::At { ms: 0 }, true, 3_000, 0),
            Some(0)
        );
        assert_eq!(schedule_switch(&at, true, 0, 0), None, "no answer time");
        let random = SwitchMode::Random { probability: 1.0 };
        assert_eq!(schedule_switch(&random, true, 0, 0), None);
        assert_eq!(schedule_switch(&random, true, 1, 5), Some(0));
    }

    #[test]
    fn item_seeds_differ_per_item() {
        let seeds: HashSet<u64> = (0..100).map(|i| item_seed(42, i)).collect();
        assert_eq!(seeds.len(), 100);
        assert_eq!(item_seed(42, 3), item_seed(42, 3));
        assert_ne!(item_seed(42, 3), item_seed(43, 3));
    }

    #[test]
    fn ts_declarations_match_the_json() {
        use ts_rs::TS;
        assert_eq!(
            SwitchMode::decl(),
            r#"type SwitchMode = { "mode": "off" } | { "mode": "random", probability: number, } | { "mode": "at", ms: number, };"#
        );
        assert!(PlanKind::decl().contains(r#"{ "kind": "round1", cs_track: Track,"#));
    }

    #[test]
    fn serde_shapes_for_the_ui() {
        let json = serde_json::to_string(&SwitchMode::Random { probability: 0.5 }).unwrap();
        assert_eq!(json, r#"{"mode":"random","probability":0.5}"#);
        assert_eq!(
            serde_json::to_string(&SwitchMode::At { ms: 4000 }).unwrap(),
            r#"{"mode":"at","ms":4000}"#
        );
        assert_eq!(
            serde_json::to_string(&SwitchMode::Off).unwrap(),
            r#"{"mode":"off"}"#
        );
        let kind: PlanKind = serde_json::from_str(
            r#"{"kind":"round1","cs_track":"cs-storage","cs_questions":2,"personal_questions":3}"#,
        )
        .unwrap();
        assert_eq!(
            kind,
            PlanKind::Round1 {
                cs_track: Track::CsStorage,
                cs_questions: 2,
                personal_questions: 3
            }
        );
        let err = serde_json::to_string(&PlanError::UnknownQuestion { id: "x".into() }).unwrap();
        assert_eq!(err, r#"{"code":"unknown_question","id":"x"}"#);
    }

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation.
        let mut rng = SplitMix64::new(1234567);
        assert_eq!(rng.next_u64(), 6457827717110365317);
        assert_eq!(rng.next_u64(), 3203168211198807973);
        assert_eq!(rng.next_u64(), 9817491932198370423);
    }
}
