//! The question bank: tracks, questions, and the validating parser for bank files.
//!
//! A bank file is TOML, one file per track (format documented in `docs/questions.md`):
//!
//! ```toml
//! track = "cs-os"
//! [[question]]
//! id = "os-process-vs-thread"
//! en = "What is the difference between a process and a thread?"
//! ko = "프로세스와 스레드의 차이에 대해 설명해 주세요."
//! prep_s = 30
//! answer_s = 120
//! english_switch = false
//! [[question.follow_up]]
//! en = "Why is a context switch between threads cheaper?"
//! ko = "스레드 간 문맥 교환이 더 저렴한 이유는 무엇인가요?"
//! ```
//!
//! Parsing never fails as a whole: every malformed entry becomes a [`BankIssue`] naming the
//! file, the 1-based line and the field, and is skipped while the rest of the file loads.
//! The same parser reads the shipped files ([`shipped_files`]) and the user's own files
//! from the data dir (the engine reads them; this module only sees `&str`).

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};
use toml::Spanned;
use ts_rs::TS;

use crate::verdict::{Lang, Localized};

/// Allowed range of `prep_s`, seconds.
pub const PREP_RANGE_S: (u32, u32) = (0, 600);
/// Allowed range of `answer_s`, seconds.
pub const ANSWER_RANGE_S: (u32, u32) = (15, 1800);
/// Longest allowed question id.
pub const MAX_ID_LEN: usize = 64;

/// A practice track. Ids are the strings used in bank files, the CLI and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Track {
    CsOs,
    CsNetwork,
    CsStorage,
    CsDb,
    Scale,
    Behavioral,
    Personal,
}

impl Track {
    pub const ALL: [Track; 7] = [
        Track::CsOs,
        Track::CsNetwork,
        Track::CsStorage,
        Track::CsDb,
        Track::Scale,
        Track::Behavioral,
        Track::Personal,
    ];

    /// The CS fundamentals tracks a candidate picks one of in round 1.
    pub const CS: [Track; 4] = [Track::CsOs, Track::CsNetwork, Track::CsStorage, Track::CsDb];

    pub fn id(self) -> &'static str {
        match self {
            Track::CsOs => "cs-os",
            Track::CsNetwork => "cs-network",
            Track::CsStorage => "cs-storage",
            Track::CsDb => "cs-db",
            Track::Scale => "scale",
            Track::Behavioral => "behavioral",
            Track::Personal => "personal",
        }
    }

    pub fn from_id(id: &str) -> Option<Track> {
        Track::ALL.into_iter().find(|t| t.id() == id)
    }

    pub fn name(self) -> Localized {
        let (en, ko) = match self {
            Track::CsOs => ("CS: operating systems", "CS: 운영체제"),
            Track::CsNetwork => ("CS: networking", "CS: 네트워크"),
            Track::CsStorage => ("CS: storage", "CS: 스토리지"),
            Track::CsDb => ("CS: databases", "CS: 데이터베이스"),
            Track::Scale => ("Large-scale traffic", "대규모 트래픽 처리"),
            Track::Behavioral => (
                "Behavioral (Leadership Principles, STAR)",
                "행동 면접 (리더십 원칙, STAR)",
            ),
            Track::Personal => ("Personal interview", "인성 면접"),
        };
        Localized::new(en, ko)
    }

    pub fn is_cs(self) -> bool {
        Track::CS.contains(&self)
    }

    /// Prep time used when a question omits `prep_s`.
    pub fn default_prep_s(self) -> u32 {
        match self {
            Track::CsOs | Track::CsNetwork | Track::CsStorage | Track::CsDb => 30,
            Track::Scale => 60,
            Track::Behavioral => 45,
            Track::Personal => 20,
        }
    }

    /// Answer time used when a question omits `answer_s`.
    pub fn default_answer_s(self) -> u32 {
        match self {
            Track::CsOs | Track::CsNetwork | Track::CsStorage | Track::CsDb => 150,
            Track::Scale => 240,
            Track::Behavioral => 180,
            Track::Personal => 90,
        }
    }

    /// Whether the English switch may happen when a question omits `english_switch`.
    pub fn default_english_switch(self) -> bool {
        matches!(self, Track::Behavioral | Track::Personal)
    }
}

impl std::fmt::Display for Track {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl std::str::FromStr for Track {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Track::from_id(s).ok_or_else(|| {
            let known: Vec<&str> = Track::ALL.iter().map(|t| t.id()).collect();
            format!(
                "unknown track '{s}' (expected one of: {})",
                known.join(", ")
            )
        })
    }
}

/// One of Amazon's Leadership Principles, the `principle` of a behavioral question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principle {
    pub id: &'static str,
    pub en: &'static str,
    pub ko: &'static str,
}

impl Principle {
    pub fn name(&self) -> Localized {
        Localized::new(self.en, self.ko)
    }
}

/// The 16 Leadership Principles, in Amazon's order.
pub const PRINCIPLES: [Principle; 16] = [
    Principle {
        id: "customer-obsession",
        en: "Customer Obsession",
        ko: "고객 집착",
    },
    Principle {
        id: "ownership",
        en: "Ownership",
        ko: "주인의식",
    },
    Principle {
        id: "invent-and-simplify",
        en: "Invent and Simplify",
        ko: "발명과 단순화",
    },
    Principle {
        id: "are-right-a-lot",
        en: "Are Right, A Lot",
        ko: "높은 판단력",
    },
    Principle {
        id: "learn-and-be-curious",
        en: "Learn and Be Curious",
        ko: "배우고 호기심 갖기",
    },
    Principle {
        id: "hire-and-develop-the-best",
        en: "Hire and Develop the Best",
        ko: "최고의 인재 채용과 육성",
    },
    Principle {
        id: "insist-on-the-highest-standards",
        en: "Insist on the Highest Standards",
        ko: "최고의 기준 고집",
    },
    Principle {
        id: "think-big",
        en: "Think Big",
        ko: "크게 생각하기",
    },
    Principle {
        id: "bias-for-action",
        en: "Bias for Action",
        ko: "신속한 판단과 실행",
    },
    Principle {
        id: "frugality",
        en: "Frugality",
        ko: "절약",
    },
    Principle {
        id: "earn-trust",
        en: "Earn Trust",
        ko: "신뢰 얻기",
    },
    Principle {
        id: "dive-deep",
        en: "Dive Deep",
        ko: "깊이 파고들기",
    },
    Principle {
        id: "have-backbone-disagree-and-commit",
        en: "Have Backbone; Disagree and Commit",
        ko: "기개를 갖고 반대하되 결정에는 헌신하기",
    },
    Principle {
        id: "deliver-results",
        en: "Deliver Results",
        ko: "결과 도출",
    },
    Principle {
        id: "strive-to-be-earths-best-employer",
        en: "Strive to be Earth's Best Employer",
        ko: "지구 최고의 고용주가 되기 위한 노력",
    },
    Principle {
        id: "success-and-scale-bring-broad-responsibility",
        en: "Success and Scale Bring Broad Responsibility",
        ko: "성공과 규모에는 폭넓은 책임이 따른다",
    },
];

/// Looks up a Leadership Principle by id.
pub fn principle(id: &str) -> Option<&'static Principle> {
    PRINCIPLES.iter().find(|p| p.id == id)
}

/// One practice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Question {
    /// Unique across the bank, `[a-z0-9]` words joined by `-`.
    pub id: String,
    pub track: Track,
    pub prompt: Localized,
    /// Suggested preparation time, seconds.
    pub prep_s: u32,
    /// Suggested answer time (the auto-stop limit), seconds.
    pub answer_s: u32,
    /// Whether the surprise English switch may happen in this answer.
    pub english_switch: bool,
    /// Leadership Principle id (behavioral questions only).
    pub principle: Option<String>,
    /// Follow-up questions, asked in order, each one level deeper.
    pub follow_ups: Vec<Localized>,
    /// File name the question was read from (e.g. `cs-os.toml`).
    pub source: String,
}

impl Question {
    pub fn prompt_in(&self, lang: Lang) -> &str {
        self.prompt.get(lang)
    }
}

/// A problem found in a bank file. The entry it belongs to is skipped; the rest loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{file}:{line}: {}{message}", field_prefix(.field))]
pub struct BankIssue {
    /// File name as given to the parser.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Field path (`ko`, `follow_up[2].en`), empty for whole-file problems.
    pub field: String,
    pub message: String,
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!("field `{field}`: ")
    }
}

/// All questions that loaded, in file order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Bank {
    pub questions: Vec<Question>,
}

impl Bank {
    /// Parses several files (shipped first, then the user's) into one bank. A question whose
    /// id was already loaded from an earlier file is reported and skipped.
    pub fn from_files<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> (Bank, Vec<BankIssue>) {
        let mut questions = Vec::new();
        let mut issues = Vec::new();
        let mut first_seen: HashMap<String, (String, usize)> = HashMap::new();
        for (name, text) in files {
            let name = name.as_ref();
            let (parsed, mut file_issues) = parse_file(name, text.as_ref());
            for (q, line) in parsed {
                if let Some((first_file, first_line)) = first_seen.get(&q.id) {
                    file_issues.push(BankIssue {
                        file: name.to_owned(),
                        line,
                        field: "id".into(),
                        message: format!(
                            "duplicate id `{}` (first defined in {first_file}:{first_line})",
                            q.id
                        ),
                    });
                    continue;
                }
                first_seen.insert(q.id.clone(), (name.to_owned(), line));
                questions.push(q);
            }
            file_issues.sort_by_key(|i| i.line);
            issues.extend(file_issues);
        }
        (Bank { questions }, issues)
    }

    /// The bank shipped with the app ([`shipped_files`]); a test keeps it free of issues.
    pub fn shipped() -> Bank {
        Bank::from_files(shipped_files()).0
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn get(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The `n` ids closest to `id` (a mistyped or half-remembered id): ids that contain it
    /// (or that it contains) first, then by edit distance; ties in bank order.
    pub fn nearest_ids(&self, id: &str, n: usize) -> Vec<&str> {
        let want = id.trim().to_lowercase();
        let mut scored: Vec<(usize, usize, &str)> = self
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let d = if !want.is_empty() && (q.id.contains(&want) || want.contains(&q.id)) {
                    0
                } else {
                    edit_distance(&want, &q.id)
                };
                (d, i, q.id.as_str())
            })
            .collect();
        scored.sort_unstable();
        scored.into_iter().take(n).map(|(_, _, id)| id).collect()
    }

    pub fn by_track(&self, track: Track) -> impl Iterator<Item = &Question> + '_ {
        self.questions.iter().filter(move |q| q.track == track)
    }

    pub fn count(&self, track: Track) -> usize {
        self.by_track(track).count()
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }
}

/// The bank files shipped in `assets/questions/`, as (file name, contents).
pub fn shipped_files() -> &'static [(&'static str, &'static str)] {
    macro_rules! shipped {
        ($($name:literal),* $(,)?) => {
            &[$(($name, include_str!(concat!("../../../assets/questions/", $name)))),*]
        };
    }
    shipped!(
        "cs-os.toml",
        "cs-network.toml",
        "cs-storage.toml",
        "cs-db.toml",
        "scale.toml",
        "behavioral.toml",
        "personal.toml",
    )
}

/// Parses one bank file. Malformed entries are reported and skipped; a file that is not
/// TOML at all gives a single issue at the line of the syntax error and no questions.
pub fn parse_bank_file(file_name: &str, text: &str) -> (Vec<Question>, Vec<BankIssue>) {
    let (questions, mut issues) = parse_file(file_name, text);
    issues.sort_by_key(|i| i.line);
    (questions.into_iter().map(|(q, _)| q).collect(), issues)
}

const QUESTION_FIELDS: [&str; 8] = [
    "id",
    "en",
    "ko",
    "prep_s",
    "answer_s",
    "english_switch",
    "principle",
    "follow_up",
];
const FOLLOW_UP_FIELDS: [&str; 2] = ["en", "ko"];
const ROOT_FIELDS: [&str; 2] = ["track", "question"];

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    issues: Vec<BankIssue>,
}

impl Ctx<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    fn report(&mut self, span: &Range<usize>, field: &str, message: impl Into<String>) {
        let line = self.line(span);
        self.issues.push(BankIssue {
            file: self.file.to_owned(),
            line,
            field: field.to_owned(),
            message: message.into(),
        });
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Questions with the line of their `id` key, and the issues.
fn parse_file(file: &str, text: &str) -> (Vec<(Question, usize)>, Vec<BankIssue>) {
    let mut ctx = Ctx {
        file,
        text,
        issues: Vec::new(),
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_owned();
            ctx.report(&span, "", format!("invalid TOML: {message}"));
            return (Vec::new(), ctx.issues);
        }
    };

    let mut track_entry: Option<(&Range<usize>, &Spanned<DeValue>)> = None;
    let mut question_entry: Option<(&Range<usize>, &Spanned<DeValue>)> = None;
    let mut keys: Vec<_> = root.iter().map(|(k, v)| (k, k.span(), v)).collect();
    keys.sort_by_key(|(_, span, _)| span.start);
    for (key, span, value) in &keys {
        match key.get_ref().as_ref() {
            "track" => track_entry = Some((span, value)),
            "question" => question_entry = Some((span, value)),
            other => ctx.report(span, other, unknown_field_message(other, &ROOT_FIELDS)),
        }
    }

    let track = match track_entry {
        None => {
            ctx.report(&(0..0), "track", "missing `track` (e.g. track = \"cs-os\")");
            None
        }
        Some((span, value)) => match value.get_ref() {
            DeValue::String(s) => match Track::from_id(s) {
                Some(t) => Some(t),
                None => {
                    let known: Vec<&str> = Track::ALL.iter().map(|t| t.id()).collect();
                    ctx.report(
                        span,
                        "track",
                        format!(
                            "unknown track `{s}` (expected one of: {})",
                            known.join(", ")
                        ),
                    );
                    None
                }
            },
            other => {
                ctx.report(span, "track", expected("a string", other));
                None
            }
        },
    };

    let entries: Vec<&Spanned<DeValue>> = match question_entry {
        None => {
            ctx.report(&(0..0), "question", "no [[question]] entries in this file");
            Vec::new()
        }
        Some((span, value)) => match value.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            other => {
                ctx.report(
                    span,
                    "question",
                    expected("an array of tables ([[question]])", other),
                );
                Vec::new()
            }
        },
    };

    let Some(track) = track else {
        // Without a track no entry can be placed; the track issue says why.
        return (Vec::new(), ctx.issues);
    };

    let mut out: Vec<(Question, usize)> = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for entry in entries {
        let header = entry.span();
        let DeValue::Table(table) = entry.get_ref() else {
            ctx.report(
                &header,
                "question",
                expected("a table ([[question]])", entry.get_ref()),
            );
            continue;
        };
        let before = ctx.issues.len();
        let parsed = parse_question(&mut ctx, file, track, table, &header);
        if let Some((q, id_line)) = parsed {
            if ctx.issues.len() != before {
                continue;
            }
            if let Some(first) = ids.get(&q.id) {
                let message = format!("duplicate id `{}` (first defined on line {first})", q.id);
                ctx.issues.push(BankIssue {
                    file: file.to_owned(),
                    line: id_line,
                    field: "id".into(),
                    message,
                });
                continue;
            }
            ids.insert(q.id.clone(), id_line);
            out.push((q, id_line));
        }
    }
    (out, ctx.issues)
}

/// Parses one `[[question]]` table; `None` (with issues) when anything is wrong. The
/// second value is the line of the `id` key.
fn parse_question(
    ctx: &mut Ctx,
    file: &str,
    track: Track,
    table: &DeTable,
    header: &Range<usize>,
) -> Option<(Question, usize)> {
    let mut fields: HashMap<&str, (Range<usize>, &Spanned<DeValue>)> = HashMap::new();
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (key, value) in entries {
        let name: &str = key.get_ref().as_ref();
        match QUESTION_FIELDS.iter().find(|f| **f == name) {
            Some(known) => {
                fields.insert(known, (key.span(), value));
            }
            None => ctx.report(
                &key.span(),
                name,
                unknown_field_message(name, &QUESTION_FIELDS),
            ),
        }
    }
    let mut ok = true;

    let (id, id_line) = match fields.get("id") {
        None => {
            ctx.report(header, "id", "missing `id`");
            ok = false;
            (String::new(), ctx.line(header))
        }
        Some((span, value)) => {
            let line = ctx.line(span);
            match value.get_ref() {
                DeValue::String(s) => match check_id(s) {
                    Ok(()) => (s.to_string(), line),
                    Err(msg) => {
                        ctx.report(span, "id", msg);
                        ok = false;
                        (String::new(), line)
                    }
                },
                other => {
                    ctx.report(span, "id", expected("a string", other));
                    ok = false;
                    (String::new(), line)
                }
            }
        }
    };

    let en = text_field(ctx, &fields, "en", "en", header, Lang::En);
    let ko = text_field(ctx, &fields, "ko", "ko", header, Lang::Ko);

    let prep_s = seconds_field(ctx, &fields, "prep_s", PREP_RANGE_S)
        .unwrap_or_else(|| Some(track.default_prep_s()));
    let answer_s = seconds_field(ctx, &fields, "answer_s", ANSWER_RANGE_S)
        .unwrap_or_else(|| Some(track.default_answer_s()));

    let english_switch = match fields.get("english_switch") {
        None => Some(track.default_english_switch()),
        Some((span, value)) => match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                ctx.report(span, "english_switch", expected("true or false", other));
                None
            }
        },
    };

    let principle = match (fields.get("principle"), track) {
        (None, Track::Behavioral) => {
            ctx.report(
                header,
                "principle",
                "missing `principle`: every behavioral question names a Leadership Principle",
            );
            ok = false;
            None
        }
        (None, _) => None,
        (Some((span, _)), t) if t != Track::Behavioral => {
            ctx.report(
                span,
                "principle",
                format!("`principle` is only for behavioral questions, not track `{t}`"),
            );
            ok = false;
            None
        }
        (Some((span, value)), _) => match value.get_ref() {
            DeValue::String(s) if principle(s).is_some() => Some(s.to_string()),
            DeValue::String(s) => {
                let known: Vec<&str> = PRINCIPLES.iter().map(|p| p.id).collect();
                ctx.report(
                    span,
                    "principle",
                    format!(
                        "unknown principle `{s}` (expected one of: {})",
                        known.join(", ")
                    ),
                );
                ok = false;
                None
            }
            other => {
                ctx.report(span, "principle", expected("a string", other));
                ok = false;
                None
            }
        },
    };

    let follow_ups = match fields.get("follow_up") {
        None => Some(Vec::new()),
        Some((span, value)) => parse_follow_ups(ctx, span, value),
    };

    if !ok {
        return None;
    }
    Some((
        Question {
            id,
            track,
            prompt: Localized::new(en?, ko?),
            prep_s: prep_s?,
            answer_s: answer_s?,
            english_switch: english_switch?,
            principle,
            follow_ups: follow_ups?,
            source: file.to_owned(),
        },
        id_line,
    ))
}

fn parse_follow_ups(
    ctx: &mut Ctx,
    key_span: &Range<usize>,
    value: &Spanned<DeValue>,
) -> Option<Vec<Localized>> {
    let DeValue::Array(items) = value.get_ref() else {
        ctx.report(
            key_span,
            "follow_up",
            expected(
                "an array of tables ([[question.follow_up]])",
                value.get_ref(),
            ),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let span = item.span();
        let DeValue::Table(table) = item.get_ref() else {
            ctx.report(
                &span,
                &format!("follow_up[{n}]"),
                expected("a table with `en` and `ko`", item.get_ref()),
            );
            ok = false;
            continue;
        };
        let mut fields: HashMap<&str, (Range<usize>, &Spanned<DeValue>)> = HashMap::new();
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (key, value) in entries {
            let name: &str = key.get_ref().as_ref();
            match FOLLOW_UP_FIELDS.iter().find(|f| **f == name) {
                Some(known) => {
                    fields.insert(known, (key.span(), value));
                }
                None => {
                    ctx.report(
                        &key.span(),
                        &format!("follow_up[{n}].{name}"),
                        unknown_field_message(name, &FOLLOW_UP_FIELDS),
                    );
                    ok = false;
                }
            }
        }
        let en = text_field(
            ctx,
            &fields,
            "en",
            &format!("follow_up[{n}].en"),
            &span,
            Lang::En,
        );
        let ko = text_field(
            ctx,
            &fields,
            "ko",
            &format!("follow_up[{n}].ko"),
            &span,
            Lang::Ko,
        );
        match (en, ko) {
            (Some(en), Some(ko)) => out.push(Localized::new(en, ko)),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

type Fields<'a, 'v> = HashMap<&'a str, (Range<usize>, &'v Spanned<DeValue<'v>>)>;

/// A required prompt text in one language.
fn text_field(
    ctx: &mut Ctx,
    fields: &Fields,
    key: &str,
    field: &str,
    owner: &Range<usize>,
    lang: Lang,
) -> Option<String> {
    let language = match lang {
        Lang::En => "English",
        Lang::Ko => "Korean",
    };
    let Some((span, value)) = fields.get(key) else {
        ctx.report(owner, field, format!("missing {language} text"));
        return None;
    };
    let DeValue::String(s) = value.get_ref() else {
        ctx.report(span, field, expected("a string", value.get_ref()));
        return None;
    };
    let s = s.trim();
    if s.is_empty() {
        ctx.report(span, field, format!("empty {language} text"));
        return None;
    }
    let problem = match lang {
        Lang::Ko if !s.chars().any(is_hangul) => {
            Some("Korean text contains no Hangul (is it English by mistake?)")
        }
        Lang::En if s.chars().any(is_hangul) => {
            Some("English text contains Hangul (are `en` and `ko` swapped?)")
        }
        Lang::En if !s.chars().any(|c| c.is_ascii_alphabetic()) => {
            Some("English text contains no Latin letters")
        }
        _ => None,
    };
    if let Some(problem) = problem {
        ctx.report(span, field, problem);
        return None;
    }
    Some(s.to_owned())
}

/// `None` when absent (caller uses the track default); `Some(None)` when invalid.
fn seconds_field(
    ctx: &mut Ctx,
    fields: &Fields,
    key: &str,
    (min, max): (u32, u32),
) -> Option<Option<u32>> {
    let (span, value) = fields.get(key)?;
    let result = match value.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(v) if (i64::from(min)..=i64::from(max)).contains(&v) => Ok(v as u32),
            Ok(v) => Err(format!(
                "{v} s is out of range (allowed {min}..={max} seconds)"
            )),
            Err(_) => Err(format!(
                "number out of range (allowed {min}..={max} seconds)"
            )),
        },
        DeValue::Float(_) => Err(format!(
            "must be a whole number of seconds ({min}..={max}), not a decimal"
        )),
        other => Err(expected(&format!("whole seconds ({min}..={max})"), other)),
    };
    Some(match result {
        Ok(v) => Some(v),
        Err(msg) => {
            ctx.report(span, key, msg);
            None
        }
    })
}

fn expected(what: &str, found: &DeValue) -> String {
    format!("expected {what}, found {}", found.type_str())
}

fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("empty id".into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!("id is longer than {MAX_ID_LEN} characters"));
    }
    let valid_chars = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_chars || id.starts_with('-') || id.ends_with('-') || id.contains("--") {
        return Err(format!(
            "invalid id `{id}`: use lowercase letters, digits and single dashes (e.g. os-process-vs-thread)"
        ));
    }
    Ok(())
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

fn unknown_field_message(name: &str, known: &[&str]) -> String {
    let suggestion = known
        .iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d);
    match suggestion {
        Some((_, k)) => format!("unknown field (did you mean `{k}`?)"),
        None => format!("unknown field (expected one of: {})", known.join(", ")),
    }
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("tcp", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("os-deadlock", "os-deadlock"), 0);
        assert_eq!(edit_distance("프로세스", "프로세서"), 1);
    }

    #[test]
    fn nearest_ids_put_containing_ids_first_then_the_closest_spellings() {
        let bank = Bank::shipped();
        let first = &bank.questions()[0].id;
        // A typo of a real id finds it first.
        let typo = format!("{}x", &first[..first.len() - 1]);
        assert_eq!(bank.nearest_ids(&typo, 3)[0], first.as_str());
        // A fragment names ids that contain it.
        let fragment: String = first.split('-').next_back().unwrap().to_owned();
        let near = bank.nearest_ids(&fragment, 3);
        assert_eq!(near.len(), 3);
        assert!(near[0].contains(&fragment), "{near:?} for {fragment}");
        // Never more than asked, never more than the bank has.
        assert_eq!(bank.nearest_ids("nope", 1).len(), 1);
        assert!(Bank::default().nearest_ids("nope", 3).is_empty());
    }

    fn only_issue(issues: &[BankIssue]) -> &BankIssue {
        assert_eq!(
            issues.len(),
            1,
            "expected exactly one issue, got {issues:#?}"
        );
        &issues[0]
    }

    const GOOD_Q: &str = r#"
[[question]]
id = "os-good"
en = "What is a process?"
ko = "프로세스란 무엇인가요?"
prep_s = 30
answer_s = 120
english_switch = false
"#;

    #[test]
    fn shipped_bank_validates_and_has_the_promised_counts() {
        let (bank, issues) = Bank::from_files(shipped_files());
        assert!(issues.is_empty(), "shipped bank has issues:\n{}", {
            let lines: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
            lines.join("\n")
        });
        for track in Track::CS {
            assert!(bank.count(track) >= 20, "{track}: {}", bank.count(track));
        }
        assert!(bank.count(Track::Scale) >= 15);
        assert!(bank.count(Track::Personal) >= 15);
        for p in PRINCIPLES {
            let qs: Vec<&Question> = bank
                .by_track(Track::Behavioral)
                .filter(|q| q.principle.as_deref() == Some(p.id))
                .collect();
            assert!(qs.len() >= 2, "{}: {} questions", p.id, qs.len());
            for q in qs {
                assert!(q.follow_ups.len() >= 3, "{} has a short STAR chain", q.id);
            }
        }
        // Every question is bilingual and every CS / scale question digs deeper.
        for q in bank.questions() {
            assert_eq!(q.source, format!("{}.toml", q.track.id()), "{}", q.id);
            if q.track.is_cs() || q.track == Track::Scale {
                assert!(q.follow_ups.len() >= 2, "{} needs follow-ups", q.id);
                assert!(!q.english_switch, "{}", q.id);
            }
            if q.track.is_cs() {
                assert_eq!(q.prep_s, 30, "{}", q.id);
                assert!((120..=180).contains(&q.answer_s), "{}", q.id);
            }
            match q.track {
                Track::Scale => assert_eq!((q.prep_s, q.answer_s), (60, 240), "{}", q.id),
                Track::Behavioral => {
                    assert_eq!((q.prep_s, q.answer_s), (45, 180), "{}", q.id);
                    assert!(q.english_switch);
                }
                Track::Personal => {
                    assert_eq!(q.prep_s, 20, "{}", q.id);
                    assert!((90..=120).contains(&q.answer_s), "{}", q.id);
                    assert!(q.english_switch);
                }
                _ => {}
            }
        }
        assert_eq!(Bank::shipped().len(), bank.len());
    }

    #[test]
    fn parses_a_full_entry_with_follow_ups() {
        let text = r#"track = "behavioral"

[[question]]
id = "bh-x"
en = "Tell me about a time."
ko = "경험을 말씀해 주세요."
prep_s = 45
answer_s = 180
english_switch = true
principle = "dive-deep"

[[question.follow_up]]
en = "What was your role?"
ko = "본인의 역할은 무엇이었나요?"

[[question.follow_up]]
en = "What was the result?"
ko = "결과는 어땠나요?"
"#;
        let (qs, issues) = parse_bank_file("behavioral.toml", text);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(
            qs,
            vec![Question {
                id: "bh-x".into(),
                track: Track::Behavioral,
                prompt: Localized::new("Tell me about a time.", "경험을 말씀해 주세요."),
                prep_s: 45,
                answer_s: 180,
                english_switch: true,
                principle: Some("dive-deep".into()),
                follow_ups: vec![
                    Localized::new("What was your role?", "본인의 역할은 무엇이었나요?"),
                    Localized::new("What was the result?", "결과는 어땠나요?"),
                ],
                source: "behavioral.toml".into(),
            }]
        );
    }

    #[test]
    fn missing_times_and_switch_take_track_defaults() {
        let text = "track = \"personal\"\n[[question]]\nid = \"p1\"\nen = \"Who are you?\"\nko = \"누구신가요?\"\n";
        let (qs, issues) = parse_bank_file("mine.toml", text);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!((qs[0].prep_s, qs[0].answer_s), (20, 90));
        assert!(qs[0].english_switch);
        assert!(qs[0].follow_ups.is_empty());
        assert_eq!(qs[0].source, "mine.toml");
    }

    #[test]
    fn missing_korean_is_reported_at_the_entry_and_the_rest_loads() {
        let text = format!(
            "track = \"cs-os\"\n{GOOD_Q}\n[[question]]\nid = \"os-no-ko\"\nen = \"Where is the Korean?\"\nanswer_s = 120\n"
        );
        let (qs, issues) = parse_bank_file("cs-os.toml", &text);
        let issue = only_issue(&issues);
        assert_eq!(issue.field, "ko");
        assert_eq!(issue.line, 11, "line of the [[question]] header");
        assert_eq!(issue.message, "missing Korean text");
        assert_eq!(
            issue.to_string(),
            "cs-os.toml:11: field `ko`: missing Korean text"
        );
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].id, "os-good");
    }

    #[test]
    fn korean_without_hangul_and_english_with_hangul_are_rejected() {
        let text = r#"track = "cs-db"
[[question]]
id = "db-a"
en = "What is an index?"
ko = "What is an index?"
[[question]]
id = "db-b"
en = "인덱스란?"
ko = "인덱스란 무엇인가요?"
[[question]]
id = "db-c"
en = "   "
ko = "인덱스란 무엇인가요?"
"#;
        let (qs, issues) = parse_bank_file("cs-db.toml", text);
        assert!(qs.is_empty());
        let got: Vec<(usize, &str)> = issues.iter().map(|i| (i.line, i.field.as_str())).collect();
        assert_eq!(got, vec![(5, "ko"), (8, "en"), (12, "en")]);
        assert!(issues[0].message.contains("no Hangul"));
        assert!(issues[1].message.contains("swapped"));
        assert_eq!(issues[2].message, "empty English text");
    }

    #[test]
    fn bad_field_type_gives_the_line_of_the_field() {
        let text = format!(
            "track = \"cs-os\"\n[[question]]\nid = \"os-bad\"\nen = \"Q?\"\nko = \"질문?\"\nprep_s = \"thirty\"\nenglish_switch = \"no\"\n{GOOD_Q}"
        );
        let (qs, issues) = parse_bank_file("cs-os.toml", &text);
        assert_eq!(issues.len(), 2, "{issues:#?}");
        assert_eq!((issues[0].line, issues[0].field.as_str()), (6, "prep_s"));
        assert_eq!(
            issues[0].message,
            "expected whole seconds (0..=600), found string"
        );
        assert_eq!(
            (issues[1].line, issues[1].field.as_str()),
            (7, "english_switch")
        );
        assert_eq!(issues[1].message, "expected true or false, found string");
        assert_eq!(
            qs.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
            ["os-good"]
        );
    }

    #[test]
    fn bad_times_are_reported() {
        let text = r#"track = "cs-os"
[[question]]
id = "os-long"
en = "Q?"
ko = "질문?"
answer_s = 5000
[[question]]
id = "os-short"
en = "Q?"
ko = "질문?"
answer_s = 10
[[question]]
id = "os-frac"
en = "Q?"
ko = "질문?"
prep_s = 12.5
[[question]]
id = "os-neg"
en = "Q?"
ko = "질문?"
prep_s = -1
"#;
        let (qs, issues) = parse_bank_file("cs-os.toml", text);
        assert!(qs.is_empty());
        let got: Vec<(usize, &str)> = issues.iter().map(|i| (i.line, i.field.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (6, "answer_s"),
                (11, "answer_s"),
                (16, "prep_s"),
                (21, "prep_s")
            ]
        );
        assert_eq!(
            issues[0].message,
            "5000 s is out of range (allowed 15..=1800 seconds)"
        );
        assert_eq!(
            issues[1].message,
            "10 s is out of range (allowed 15..=1800 seconds)"
        );
        assert!(issues[2].message.contains("whole number"));
        assert_eq!(
            issues[3].message,
            "-1 s is out of range (allowed 0..=600 seconds)"
        );
    }

    #[test]
    fn unknown_field_is_reported_with_a_suggestion() {
        let text = format!(
            "track = \"cs-os\"\n[[question]]\nid = \"os-typo\"\nen = \"Q?\"\nko = \"질문?\"\nanwser_s = 120\n{GOOD_Q}"
        );
        let (qs, issues) = parse_bank_file("cs-os.toml", &text);
        let issue = only_issue(&issues);
        assert_eq!((issue.line, issue.field.as_str()), (6, "anwser_s"));
        assert_eq!(issue.message, "unknown field (did you mean `answer_s`?)");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].id, "os-good");
    }

    #[test]
    fn follow_up_problems_name_the_follow_up() {
        let text = r#"track = "cs-os"
[[question]]
id = "os-fu"
en = "Q?"
ko = "질문?"
[[question.follow_up]]
en = "Why?"
ko = "왜요?"
[[question.follow_up]]
en = "How?"
kr = "어떻게요?"
"#;
        let (qs, issues) = parse_bank_file("cs-os.toml", text);
        assert!(qs.is_empty());
        let got: Vec<(usize, &str)> = issues.iter().map(|i| (i.line, i.field.as_str())).collect();
        assert_eq!(
            got,
            vec![(9, "follow_up[2].ko"), (11, "follow_up[2].kr")],
            "{issues:#?}"
        );
        assert_eq!(issues[0].message, "missing Korean text");
        assert!(issues[1].message.starts_with("unknown field"));
    }

    #[test]
    fn duplicate_ids_within_a_file_report_the_later_one() {
        let text = format!("track = \"cs-os\"\n{GOOD_Q}{GOOD_Q}");
        let (qs, issues) = parse_bank_file("cs-os.toml", &text);
        let issue = only_issue(&issues);
        assert_eq!(issue.field, "id");
        assert_eq!(issue.line, 12);
        assert_eq!(
            issue.message,
            "duplicate id `os-good` (first defined on line 4)"
        );
        assert_eq!(qs.len(), 1);
    }

    #[test]
    fn duplicate_ids_across_files_report_the_later_file() {
        let a = format!("track = \"cs-os\"\n{GOOD_Q}");
        let b = format!(
            "track = \"cs-network\"\n[[question]]\nid = \"net-x\"\nen = \"Q?\"\nko = \"질문?\"\n{GOOD_Q}"
        );
        let (bank, issues) = Bank::from_files(&[("a.toml", a.as_str()), ("b.toml", b.as_str())]);
        let issue = only_issue(&issues);
        assert_eq!(issue.file, "b.toml");
        assert_eq!(issue.line, 8);
        assert_eq!(issue.field, "id");
        assert_eq!(
            issue.message,
            "duplicate id `os-good` (first defined in a.toml:4)"
        );
        assert_eq!(bank.len(), 2);
        assert_eq!(bank.get("os-good").unwrap().track, Track::CsOs);
        assert_eq!(bank.get("os-good").unwrap().source, "a.toml");
        assert_eq!(bank.get("net-x").unwrap().track, Track::CsNetwork);
        assert!(bank.get("nope").is_none());
        assert_eq!(bank.count(Track::CsNetwork), 1);
    }

    #[test]
    fn invalid_toml_gives_one_issue_with_the_syntax_error_line() {
        let text =
            "track = \"cs-os\"\n[[question]]\nid = \"os-a\"\nen = \"unterminated\nko = \"질문\"\n";
        let (qs, issues) = parse_bank_file("broken.toml", text);
        assert!(qs.is_empty());
        let issue = only_issue(&issues);
        assert_eq!(issue.file, "broken.toml");
        assert_eq!(issue.line, 4);
        assert_eq!(issue.field, "");
        assert!(
            issue.message.starts_with("invalid TOML: "),
            "{}",
            issue.message
        );
        assert_eq!(
            issue.to_string(),
            "broken.toml:4: invalid TOML: invalid basic string, expected `\"`"
        );
    }

    #[test]
    fn track_problems() {
        let (qs, issues) = parse_bank_file("x.toml", &format!("track = \"cs-gpu\"\n{GOOD_Q}"));
        assert!(qs.is_empty());
        let issue = only_issue(&issues);
        assert_eq!((issue.line, issue.field.as_str()), (1, "track"));
        assert!(issue.message.starts_with("unknown track `cs-gpu`"));

        let (qs, issues) = parse_bank_file("x.toml", GOOD_Q);
        assert!(qs.is_empty());
        let issue = only_issue(&issues);
        assert_eq!((issue.line, issue.field.as_str()), (1, "track"));

        let (qs, issues) = parse_bank_file("x.toml", "track = \"scale\"\n");
        assert!(qs.is_empty());
        assert_eq!(only_issue(&issues).field, "question");

        let (qs, issues) =
            parse_bank_file("x.toml", &format!("track = \"cs-os\"\ntrak = 1\n{GOOD_Q}"));
        assert_eq!(qs.len(), 1);
        let issue = only_issue(&issues);
        assert_eq!((issue.line, issue.field.as_str()), (2, "trak"));
        assert_eq!(issue.message, "unknown field (did you mean `track`?)");
    }

    #[test]
    fn id_rules() {
        for bad in [
            "",
            "Os-Upper",
            "os_underscore",
            "-lead",
            "trail-",
            "a--b",
            "공백",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_id(&"a".repeat(MAX_ID_LEN + 1)).is_err());
        for good in ["a", "os-1", "per-why-company", "x9"] {
            assert_eq!(check_id(good), Ok(()));
        }
        let text =
            "track = \"cs-os\"\n[[question]]\nid = \"OS Bad\"\nen = \"Q?\"\nko = \"질문?\"\n";
        let (qs, issues) = parse_bank_file("cs-os.toml", text);
        assert!(qs.is_empty());
        let issue = only_issue(&issues);
        assert_eq!((issue.line, issue.field.as_str()), (3, "id"));
        assert!(issue.message.starts_with("invalid id `OS Bad`"));
    }

    #[test]
    fn principle_rules() {
        let base = "[[question]]\nid = \"q1\"\nen = \"Tell me.\"\nko = \"말씀해 주세요.\"\n";
        let (qs, issues) = parse_bank_file("b.toml", &format!("track = \"behavioral\"\n{base}"));
        assert!(qs.is_empty());
        let issue = only_issue(&issues);
        assert_eq!((issue.line, issue.field.as_str()), (2, "principle"));

        let text = format!("track = \"behavioral\"\n{base}principle = \"be-nice\"\n");
        let (qs, issues) = parse_bank_file("b.toml", &text);
        assert!(qs.is_empty());
        let issue = only_issue(&issues);
        assert_eq!((issue.line, issue.field.as_str()), (6, "principle"));
        assert!(issue.message.starts_with("unknown principle `be-nice`"));

        let text = format!("track = \"personal\"\n{base}principle = \"ownership\"\n");
        let (qs, issues) = parse_bank_file("p.toml", &text);
        assert!(qs.is_empty());
        assert!(only_issue(&issues).message.contains("only for behavioral"));
    }

    #[test]
    fn line_numbers_and_tracks() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a", 99), 1);
        for t in Track::ALL {
            assert_eq!(t.id().parse::<Track>(), Ok(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.id())
            );
            assert!(t.name().ko.chars().any(is_hangul));
        }
        assert!("cs-gpu".parse::<Track>().unwrap_err().contains("cs-os"));
        assert_eq!(PRINCIPLES.len(), 16);
        assert_eq!(principle("dive-deep").unwrap().en, "Dive Deep");
        assert!(principle("nope").is_none());
    }
}
