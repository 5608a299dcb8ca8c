//! Lexicons: the filler words, hedges and STAR cue phrases of one language, with the
//! context rules that tell a filler from the same word used for its meaning.
//!
//! The shipped lexicons are `assets/lexicon/en.toml` and `assets/lexicon/ko.toml`, compiled
//! in with `include_str!`; the format is documented in `docs/lexicon.md`. This module only
//! sees `&str`, so a user's own lexicon can be read by the engine and parsed here.
//!
//! A phrase is written as words separated by spaces; each word is matched against the
//! normalised transcript word (lowercase, punctuation stripped, see
//! [`normalize`](super::token::normalize)). In a pattern word, `*` at the end matches any
//! continuation (`않을까*` matches "않을까요"), `*` at the start any beginning
//! (`*것같아요` matches "좋을것같아요"), and both ends anything around (`*%*`).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::token::{collapse_runs, normalize, Script, Tok};
use crate::Lang;

/// The shipped English lexicon.
pub const SHIPPED_EN: &str = include_str!("../../../../assets/lexicon/en.toml");
/// The shipped Korean lexicon.
pub const SHIPPED_KO: &str = include_str!("../../../../assets/lexicon/ko.toml");

/// A lexicon file that does not follow the format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    /// Not TOML, or a field of the wrong type or name (the message names the line).
    #[error("lexicon is not valid: {0}")]
    Syntax(String),
    /// An entry breaks a rule of the format.
    #[error("lexicon entry '{id}' in [[{section}]]: {message}")]
    Entry {
        section: &'static str,
        id: String,
        message: String,
    },
    /// The file declares a different language than the one it was loaded as.
    #[error("lexicon declares lang = '{found:?}' but was loaded as '{expected:?}'")]
    WrongLang { expected: Lang, found: Lang },
}

/// Whether a filler is a pure hesitation sound or a real word used as a filler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum FillerClass {
    /// "um", "uh", 음, 어: never a word; also marks its neighbours as set off.
    Hesitation,
    /// "like", "so", 그, 좀: also real words, so context rules decide.
    #[default]
    Discourse,
}

/// Where in a clause an entry may count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    #[default]
    Any,
    /// First word of the answer or sentence, after a pause, a hesitation or another filler.
    Initial,
    /// Last word, before sentence or comma punctuation, a pause or a hesitation.
    Final,
    /// Initial or final (a tag such as "right?").
    Edge,
}

/// The four parts of a STAR answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum StarElement {
    Situation,
    Task,
    Action,
    Result,
}

impl StarElement {
    pub const ALL: [StarElement; 4] = [
        StarElement::Situation,
        StarElement::Task,
        StarElement::Action,
        StarElement::Result,
    ];
}

/// One word of a phrase pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

impl Pattern {
    fn parse(word: &str) -> Option<Pattern> {
        let starts = word.starts_with('*');
        let ends = word.len() > 1 && word.ends_with('*');
        let core = word.trim_matches('*');
        let core = if core.chars().all(|c| c.is_alphanumeric() || c == '%') {
            core.to_lowercase()
        } else {
            normalize(core)
        };
        if core.is_empty() || core.contains('*') {
            return None;
        }
        Some(match (starts, ends) {
            (false, false) => Pattern::Exact(core),
            (false, true) => Pattern::Prefix(core),
            (true, false) => Pattern::Suffix(core),
            (true, true) => Pattern::Contains(core),
        })
    }

    /// Whether a normalised word matches; `stretch` lets "ummm" match "um".
    pub fn matches(&self, norm: &str, stretch: bool) -> bool {
        match self {
            Pattern::Exact(p) => norm == p || (stretch && collapse_runs(norm) == collapse_runs(p)),
            Pattern::Prefix(p) => norm.starts_with(p.as_str()),
            Pattern::Suffix(p) => norm.ends_with(p.as_str()),
            Pattern::Contains(p) => norm.contains(p.as_str()),
        }
    }
}

/// Which list of a lexicon an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Filler,
    Hedge,
    Star,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::Filler => "filler",
            Section::Hedge => "hedge",
            Section::Star => "star",
        }
    }
}

/// One lexicon entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Stable ASCII id, unique within the file (`like`, `geu`, `i-think`).
    pub id: String,
    /// The canonical text as written in the file ("you know", "그러니까").
    pub text: String,
    /// The text and every variant, each as a list of word patterns.
    pub forms: Vec<Vec<Pattern>>,
    pub class: FillerClass,
    /// Confidence when the rules allow the entry and nothing sets it off.
    pub weight: f32,
    /// Confidence when set off by punctuation, a pause or a neighbouring hesitation.
    pub set_off_weight: f32,
    /// Lengthened forms match ("ummm" for "um", "음음" for "음").
    pub stretch: bool,
    pub position: Position,
    /// Counts only when a break follows (comma, ellipsis, pause, hesitation, a repeat of
    /// the same word, or the end): "그… 음" but not "그 서버".
    pub require_break_after: bool,
    /// A real word when the attached previous word matches one of these.
    pub not_after: Vec<Pattern>,
    /// A real word when the attached next word matches one of these.
    pub not_before: Vec<Pattern>,
    /// A real word when the attached next word is capitalised mid-sentence ("like Rust").
    pub not_before_proper_noun: bool,
    /// STAR part (star entries only).
    pub part: Option<StarElement>,
    /// What the entry is and why its rules are what they are.
    pub note: String,
}

/// The lexicon of one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    pub lang: Lang,
    pub fillers: Vec<Entry>,
    pub hedges: Vec<Entry>,
    pub star: Vec<Entry>,
    /// Words that never make a phrase "overused" on their own (function words).
    pub stopwords: HashSet<String>,
    /// Per section, (entry, form) pairs, longest form first.
    order: [Vec<(usize, usize)>; 3],
}

/// Both lexicons.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicons {
    pub en: Lexicon,
    pub ko: Lexicon,
}

impl Lexicons {
    /// The lexicons shipped in `assets/lexicon/`, parsed once.
    pub fn shipped() -> &'static Lexicons {
        static SHIPPED: OnceLock<Lexicons> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            Lexicons::parse(SHIPPED_EN, SHIPPED_KO)
                .expect("shipped lexicons are valid (checked by unit tests)")
        })
    }

    pub fn parse(en: &str, ko: &str) -> Result<Lexicons, LexiconError> {
        Ok(Lexicons {
            en: Lexicon::parse_as(en, Lang::En)?,
            ko: Lexicon::parse_as(ko, Lang::Ko)?,
        })
    }

    pub fn get(&self, lang: Lang) -> &Lexicon {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }

    /// The lexicon that applies to a word: Hangul words use Korean, Latin words English,
    /// numbers the language they are counted in.
    pub(crate) fn for_tok(&self, tok: &Tok, default: Lang) -> &Lexicon {
        match tok.script {
            Script::Hangul => &self.ko,
            Script::Latin => &self.en,
            Script::Neutral => self.get(tok.lang.unwrap_or(default)),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    lang: Lang,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    filler: Vec<RawEntry>,
    #[serde(default)]
    hedge: Vec<RawEntry>,
    #[serde(default)]
    star: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    text: String,
    #[serde(default)]
    variants: Vec<String>,
    note: String,
    class: Option<FillerClass>,
    weight: Option<f32>,
    set_off_weight: Option<f32>,
    #[serde(default)]
    stretch: bool,
    #[serde(default)]
    position: Position,
    #[serde(default)]
    require_break_after: bool,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    not_before_proper_noun: bool,
    part: Option<StarElement>,
}

fn phrase(text: &str) -> Option<Vec<Pattern>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    words.into_iter().map(Pattern::parse).collect()
}

fn validate(section: Section, raw: RawEntry) -> Result<Entry, LexiconError> {
    let err = |message: String| LexiconError::Entry {
        section: section.name(),
        id: raw.id.clone(),
        message,
    };
    if raw.id.is_empty()
        || !raw
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(
            "id must be non-empty lowercase ASCII, digits or '-'".into()
        ));
    }
    if raw.note.trim().is_empty() {
        return Err(err("note must explain the entry".into()));
    }
    let mut forms = Vec::new();
    for text in std::iter::once(&raw.text).chain(&raw.variants) {
        forms.push(phrase(text).ok_or_else(|| err(format!("'{text}' is not a valid phrase")))?);
    }
    let words = |list: &[String], field: &str| {
        list.iter()
            .map(|w| {
                Pattern::parse(w).ok_or_else(|| err(format!("{field}: '{w}' is not a valid word")))
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let not_after = words(&raw.not_after, "not_after")?;
    let not_before = words(&raw.not_before, "not_before")?;
    let (weight, set_off_weight) = match section {
        Section::Filler => {
            let weight = raw
                .weight
                .ok_or_else(|| err("fillers need a weight".into()))?;
            let set_off = raw.set_off_weight.unwrap_or(weight);
            for (name, w) in [("weight", weight), ("set_off_weight", set_off)] {
                if !(0.0..=1.0).contains(&w) {
                    return Err(err(format!("{name} {w} is outside 0..1")));
                }
            }
            if set_off < weight {
                return Err(err("set_off_weight must not be below weight".into()));
            }
            (weight, set_off)
        }
        _ => {
            if raw.weight.is_some()
                || raw.set_off_weight.is_some()
                || raw.class.is_some()
                || raw.stretch
            {
                return Err(err(
                    "weight, set_off_weight, class and stretch are for fillers only".into(),
                ));
            }
            (1.0, 1.0)
        }
    };
    match (section, raw.part) {
        (Section::Star, None) => return Err(err("star cues need a part".into())),
        (Section::Star, Some(_)) | (_, None) => {}
        (_, Some(_)) => return Err(err("part is for star cues only".into())),
    }
    Ok(Entry {
        id: raw.id,
        text: raw.text,
        forms,
        class: raw.class.unwrap_or_default(),
        weight,
        set_off_weight,
        stretch: raw.stretch,
        position: raw.position,
        require_break_after: raw.require_break_after,
        not_after,
        not_before,
        not_before_proper_noun: raw.not_before_proper_noun,
        part: raw.part,
        note: raw.note,
    })
}

impl Lexicon {
    /// Parses a lexicon file of either language.
    pub fn parse(text: &str) -> Result<Lexicon, LexiconError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| LexiconError::Syntax(e.to_string()))?;
        let mut ids = HashSet::new();
        let mut sections: [Vec<Entry>; 3] = Default::default();
        for (k, (section, list)) in [
            (Section::Filler, raw.filler),
            (Section::Hedge, raw.hedge),
            (Section::Star, raw.star),
        ]
        .into_iter()
        .enumerate()
        {
            for entry in list {
                let entry = validate(section, entry)?;
                if !ids.insert(entry.id.clone()) {
                    return Err(LexiconError::Entry {
                        section: section.name(),
                        id: entry.id,
                        message: "id used twice in this file".into(),
                    });
                }
                sections[k].push(entry);
            }
        }
        let order = std::array::from_fn(|k| {
            let mut order: Vec<(usize, usize)> = sections[k]
                .iter()
                .enumerate()
                .flat_map(|(e, entry)| (0..entry.forms.len()).map(move |f| (e, f)))
                .collect();
            // Longest phrase first; among equally long ones, the most literal (fewest
            // wildcards) first, so "i learned" wins over "i *ed".
            order.sort_by_key(|&(e, f)| {
                let form = &sections[k][e].forms[f];
                let exact = form
                    .iter()
                    .filter(|p| matches!(p, Pattern::Exact(_)))
                    .count();
                (std::cmp::Reverse(form.len()), std::cmp::Reverse(exact))
            });
            order
        });
        let [fillers, hedges, star] = sections;
        Ok(Lexicon {
            lang: raw.lang,
            fillers,
            hedges,
            star,
            stopwords: raw.stopwords.iter().map(|s| normalize(s)).collect(),
            order,
        })
    }

    /// Parses a lexicon file that must declare `lang`.
    pub fn parse_as(text: &str, lang: Lang) -> Result<Lexicon, LexiconError> {
        let lexicon = Lexicon::parse(text)?;
        if lexicon.lang != lang {
            return Err(LexiconError::WrongLang {
                expected: lang,
                found: lexicon.lang,
            });
        }
        Ok(lexicon)
    }

    pub fn entries(&self, section: Section) -> &[Entry] {
        match section {
            Section::Filler => &self.fillers,
            Section::Hedge => &self.hedges,
            Section::Star => &self.star,
        }
    }

    fn order(&self, section: Section) -> &[(usize, usize)] {
        match section {
            Section::Filler => &self.order[0],
            Section::Hedge => &self.order[1],
            Section::Star => &self.order[2],
        }
    }

    /// Whether a normalised word is one of this lexicon's hesitation sounds.
    pub fn is_hesitation(&self, norm: &str) -> bool {
        self.fillers.iter().any(|e| {
            e.class == FillerClass::Hesitation
                && e.forms
                    .iter()
                    .any(|f| f.len() == 1 && f[0].matches(norm, e.stretch))
        })
    }
}

/// Timing thresholds the context rules use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleTiming {
    /// A gap at least this long sets a word off like a comma.
    pub set_off_pause_ms: u64,
    /// A gap at least this long starts a new clause.
    pub clause_pause_ms: u64,
}

/// A lexicon entry found in the transcript.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found<'a> {
    pub entry: &'a Entry,
    pub lang: Lang,
    pub start: usize,
    pub len: usize,
    pub confidence: f32,
}

/// For each word, whether it is a hesitation sound of its language.
pub(crate) fn hesitations(lexicons: &Lexicons, toks: &[Tok], default: Lang) -> Vec<bool> {
    toks.iter()
        .map(|t| t.is_word() && lexicons.for_tok(t, default).is_hesitation(&t.norm))
        .collect()
}

struct Scan<'t> {
    toks: &'t [Tok],
    hesitation: &'t [bool],
    timing: RuleTiming,
}

impl Scan<'_> {
    fn form_matches(&self, entry: &Entry, form: &[Pattern], at: usize) -> bool {
        at + form.len() <= self.toks.len()
            && form
                .iter()
                .zip(&self.toks[at..])
                .all(|(p, t)| t.is_word() && p.matches(&t.norm, entry.stretch))
    }

    /// The confidence that `toks[at..at+len]` is this entry, or `None` when the context
    /// rules say it is the real word.
    fn assess(&self, entry: &Entry, at: usize, len: usize, after_hit: bool) -> Option<f32> {
        let toks = self.toks;
        let last = at + len - 1;
        let prev = at.checked_sub(1);
        let next = (last + 1 < toks.len()).then_some(last + 1);
        let t = self.timing;
        let attached_prev = prev.is_some_and(|p| {
            !toks[p].break_after && toks[at].gap_before_ms.unwrap_or(0) < t.set_off_pause_ms
        });
        let attached_next = next.is_some()
            && !toks[last].break_after
            && toks[last].gap_after_ms.unwrap_or(0) < t.set_off_pause_ms;
        let hes_prev = prev.is_some_and(|p| self.hesitation[p]);
        let hes_next = next.is_some_and(|n| self.hesitation[n]);
        let same_next = next.is_some_and(|n| toks[n].norm == toks[last].norm);

        if entry.class == FillerClass::Hesitation {
            let set_off = !attached_prev || !attached_next || hes_prev || hes_next;
            return Some(if set_off {
                entry.set_off_weight
            } else {
                entry.weight
            });
        }

        let initial = prev.is_none_or(|p| {
            toks[p].sentence_end
                || toks[at].gap_before_ms.unwrap_or(0) >= t.clause_pause_ms
                || hes_prev
                || after_hit
        });
        let fin = next.is_none()
            || toks[last].break_after
            || toks[last].gap_after_ms.unwrap_or(0) >= t.clause_pause_ms
            || hes_next;
        let position_ok = match entry.position {
            Position::Any => true,
            Position::Initial => initial,
            Position::Final => fin,
            Position::Edge => initial || fin,
        };
        if !position_ok {
            return None;
        }
        if attached_prev {
            let p = &toks[at - 1].norm;
            if entry.not_after.iter().any(|pat| pat.matches(p, false)) {
                return None;
            }
        }
        if attached_next {
            let n = &toks[last + 1];
            if entry
                .not_before
                .iter()
                .any(|pat| pat.matches(&n.norm, false))
            {
                return None;
            }
            if entry.not_before_proper_noun
                && n.capitalized
                && n.script == Script::Latin
                && !matches!(n.norm.as_str(), "i" | "i'm" | "i've" | "i'd" | "i'll")
            {
                return None;
            }
        }
        let break_after = !attached_next || hes_next || same_next;
        if entry.require_break_after && !break_after {
            return None;
        }
        let set_off = (prev.is_some() && !attached_prev)
            || (next.is_some() && !attached_next)
            || toks[last].break_after
            || hes_prev
            || hes_next;
        Some(if set_off {
            entry.set_off_weight
        } else {
            entry.weight
        })
    }
}

/// Finds the entries of `section` in the words, longest phrase first, without overlaps.
/// Each word is matched with the lexicon of its script.
pub(crate) fn find<'l>(
    lexicons: &'l Lexicons,
    section: Section,
    toks: &[Tok],
    hesitation: &[bool],
    timing: RuleTiming,
    default: Lang,
) -> Vec<Found<'l>> {
    let scan = Scan {
        toks,
        hesitation,
        timing,
    };
    let mut found: Vec<Found<'l>> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].is_word() {
            i += 1;
            continue;
        }
        let lexicon = lexicons.for_tok(&toks[i], default);
        let entries = lexicon.entries(section);
        let after_hit = found.last().is_some_and(|f| f.start + f.len == i);
        let hit = lexicon.order(section).iter().find_map(|&(e, f)| {
            let entry = &entries[e];
            let form = &entry.forms[f];
            if !scan.form_matches(entry, form, i) {
                return None;
            }
            scan.assess(entry, i, form.len(), after_hit)
                .map(|confidence| Found {
                    entry,
                    lang: lexicon.lang,
                    start: i,
                    len: form.len(),
                    confidence,
                })
        });
        match hit {
            Some(f) => {
                i += f.len;
                found.push(f);
            }
            None => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicons_parse() {
        let l = Lexicons::parse(SHIPPED_EN, SHIPPED_KO).unwrap();
        assert_eq!(l.en.lang, Lang::En);
        assert_eq!(l.ko.lang, Lang::Ko);
        for want in [
            "um",
            "uh",
            "er",
            "ah",
            "like",
            "you know",
            "i mean",
            "so",
            "basically",
            "actually",
            "literally",
            "kind of",
            "sort of",
            "right",
        ] {
            assert!(
                l.en.fillers.iter().any(|e| e.text.to_lowercase() == want),
                "English filler '{want}' missing"
            );
        }
        for want in [
            "음",
            "어",
            "에",
            "아",
            "그",
            "저",
            "저기",
            "뭐",
            "막",
            "좀",
            "약간",
            "이제",
            "뭔가",
            "그러니까",
            "있잖아",
            "솔직히",
            "진짜",
        ] {
            assert!(
                l.ko.fillers.iter().any(|e| e.text == want),
                "Korean filler '{want}' missing"
            );
        }
        let ko_gn = l.ko.fillers.iter().find(|e| e.text == "그러니까").unwrap();
        assert!(ko_gn
            .forms
            .iter()
            .any(|f| f == &[Pattern::Exact("그니까".into())]));
        for want in [
            "maybe",
            "i think",
            "i guess",
            "probably",
            "perhaps",
            "i'm not sure",
        ] {
            assert!(
                l.en.hedges.iter().any(|e| e.text.to_lowercase() == want),
                "{want}"
            );
        }
        for want in ["아마", "같아요", "것 같습니다", "어쩌면", "잘 모르겠지만"]
        {
            assert!(l.ko.hedges.iter().any(|e| e.text == want), "{want}");
        }
        for lex in [&l.en, &l.ko] {
            for part in StarElement::ALL {
                assert!(
                    lex.star
                        .iter()
                        .filter(|e| e.part == Some(part))
                        .map(|e| e.forms.len())
                        .sum::<usize>()
                        >= 3,
                    "{:?} has few {part:?} cues",
                    lex.lang
                );
            }
            assert!(lex.stopwords.len() >= 20);
        }
        assert!(l.en.is_hesitation("ummm"));
        assert!(l.ko.is_hesitation("음"));
        assert!(!l.ko.is_hesitation("그"));
    }

    #[test]
    fn shipped_lexicons_are_documented() {
        let doc = include_str!("../../../../docs/lexicon.md");
        let (doc_en, doc_ko) = doc
            .split_once("### Korean (`assets/lexicon/ko.toml`)")
            .expect("docs/lexicon.md has a Korean section");
        let l = Lexicons::shipped();
        let mut missing = Vec::new();
        for (lex, doc) in [(&l.en, doc_en), (&l.ko, doc_ko)] {
            for section in [Section::Filler, Section::Hedge, Section::Star] {
                for e in lex.entries(section) {
                    // Each entry has a table row starting with its id and showing its text.
                    let row = doc
                        .lines()
                        .find(|line| line.starts_with(&format!("| `{}` |", e.id)));
                    match row {
                        Some(row) if row.contains(&e.text) => {}
                        _ => missing.push(format!("{:?} {} {}", lex.lang, section.name(), e.id)),
                    }
                }
            }
        }
        assert!(missing.is_empty(), "undocumented entries: {missing:?}");
    }

    #[test]
    fn patterns() {
        assert_eq!(
            Pattern::parse("않을까*"),
            Some(Pattern::Prefix("않을까".into()))
        );
        assert_eq!(Pattern::parse("*%*"), Some(Pattern::Contains("%".into())));
        assert_eq!(
            Pattern::parse("*것같아요"),
            Some(Pattern::Suffix("것같아요".into()))
        );
        assert_eq!(Pattern::parse("I'm"), Some(Pattern::Exact("i'm".into())));
        assert_eq!(Pattern::parse("*"), None);
        assert!(Pattern::Exact("um".into()).matches("ummm", true));
        assert!(!Pattern::Exact("um".into()).matches("ummm", false));
        assert!(Pattern::Prefix("않을까".into()).matches("않을까요", false));
    }

    #[test]
    fn invalid_lexicons_are_rejected_with_the_entry() {
        let bad_weight = r#"
lang = "en"
[[filler]]
id = "um"
text = "um"
weight = 1.5
note = "x"
"#;
        let err = Lexicon::parse(bad_weight).unwrap_err();
        assert!(
            matches!(&err, LexiconError::Entry { id, .. } if id == "um"),
            "{err}"
        );

        let dup = r#"
lang = "en"
[[hedge]]
id = "maybe"
text = "maybe"
note = "x"
[[hedge]]
id = "maybe"
text = "perhaps"
note = "x"
"#;
        assert!(Lexicon::parse(dup)
            .unwrap_err()
            .to_string()
            .contains("twice"));

        let no_part = "lang = \"ko\"\n[[star]]\nid = \"s\"\ntext = \"상황\"\nnote = \"x\"\n";
        assert!(Lexicon::parse(no_part)
            .unwrap_err()
            .to_string()
            .contains("part"));

        let unknown =
            "lang = \"en\"\n[[hedge]]\nid = \"m\"\ntext = \"maybe\"\nnote = \"x\"\nwieght = 1\n";
        assert!(matches!(
            Lexicon::parse(unknown),
            Err(LexiconError::Syntax(m)) if m.contains("wieght")
        ));

        let wrong = "lang = \"ko\"\n";
        assert_eq!(
            Lexicon::parse_as(wrong, Lang::En),
            Err(LexiconError::WrongLang {
                expected: Lang::En,
                found: Lang::Ko
            })
        );
    }
}
