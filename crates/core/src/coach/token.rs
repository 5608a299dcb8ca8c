//! Word normalisation and script classification shared by every coaching metric.
//!
//! Whisper's words carry punctuation ("Hello,", "그…", "right?") and, in Korean, particles
//! glued to the word ("서버가"). Matching runs on a normalised form: lowercase, curly
//! apostrophes straightened, leading and trailing punctuation removed (`%` and inner
//! apostrophes/hyphens kept). Particles are NOT stripped: "저는" (I, topic) must stay
//! distinct from the hesitation "저"; lexicon entries list particle-bearing forms as
//! variants or `*` patterns instead.

use crate::transcript::Word;
use crate::Lang;

/// Writing system of a token, decided from its characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// Contains Hangul (a Latin word with a Korean particle, "API를", counts as Hangul).
    Hangul,
    /// Latin letters and no Hangul.
    Latin,
    /// No letters at all: numbers, "30%", punctuation.
    Neutral,
}

pub(crate) fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

fn is_hangul(c: char) -> bool {
    is_hangul_syllable(c)
        || ('\u{1100}'..='\u{11FF}').contains(&c)
        || ('\u{3130}'..='\u{318F}').contains(&c)
}

/// Number of Hangul syllable blocks (U+AC00–U+D7A3) in `text`.
pub fn hangul_syllables(text: &str) -> usize {
    text.chars().filter(|&c| is_hangul_syllable(c)).count()
}

pub(crate) fn script_of(text: &str) -> Script {
    if text.chars().any(is_hangul) {
        Script::Hangul
    } else if text.chars().any(|c| c.is_alphabetic()) {
        Script::Latin
    } else {
        Script::Neutral
    }
}

fn keep(c: char) -> bool {
    c.is_alphanumeric() || c == '%'
}

/// The matching form of a word: lowercase, `’` → `'`, leading and trailing punctuation
/// removed. `"Um,"` → `"um"`, `"그…"` → `"그"`, `"30%"` → `"30%"`, `"I’m"` → `"i'm"`.
pub fn normalize(text: &str) -> String {
    let straightened: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            _ => c,
        })
        .collect();
    straightened.trim_matches(|c: char| !keep(c)).to_lowercase()
}

/// `text` with runs of the same character collapsed: "ummm" → "um", "음음" → "음".
pub(crate) fn collapse_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = None;
    for c in text.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// One word prepared for matching.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub norm: String,
    pub script: Script,
    /// Trailing punctuation that breaks the flow: `, . ? ! … ; : - —`.
    pub break_after: bool,
    /// Ends a sentence: `. ? !` (an ellipsis alone does not).
    pub sentence_end: bool,
    /// Starts with an uppercase letter (a proper noun when mid-sentence).
    pub capitalized: bool,
    pub start_ms: u64,
    pub end_ms: u64,
    /// Gap to the previous word's end (`None` for the first word).
    pub gap_before_ms: Option<u64>,
    /// Gap to the next word's start (`None` for the last word).
    pub gap_after_ms: Option<u64>,
    /// The language this word is counted in (see [`tokenize`]).
    pub lang: Option<Lang>,
}

impl Tok {
    pub fn is_word(&self) -> bool {
        !self.norm.is_empty()
    }
}

fn trailing_punct(text: &str) -> &str {
    let kept_end = text
        .char_indices()
        .rev()
        .find(|&(_, c)| keep(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    &text[kept_end..]
}

/// Prepares the words of a transcript. Each word's counted language: Hangul → Korean,
/// Latin → English except a Latin word whose nearest lettered neighbours on both sides are
/// Hangul (a loanword or technical term inside Korean speech, "Redis 캐시를"), which counts
/// as Korean; a neutral token (number) takes the language of the nearest lettered word
/// before it (after it at the very start); `None` only when the transcript has no letters.
pub(crate) fn tokenize(words: &[Word]) -> Vec<Tok> {
    let mut toks: Vec<Tok> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let trail = trailing_punct(&w.text);
            let ellipsis = trail.contains('…') || trail.contains("..");
            let sentence_end = trail.contains('?')
                || trail.contains('!')
                || trail.contains('。')
                || (trail.contains('.') && !ellipsis);
            let break_after = sentence_end
                || ellipsis
                || trail
                    .chars()
                    .any(|c| matches!(c, ',' | ';' | ':' | '-' | '—' | '–' | '~' | '、' | '，'));
            let gap_before_ms = (i > 0).then(|| w.start_ms.saturating_sub(words[i - 1].end_ms));
            let gap_after_ms = words
                .get(i + 1)
                .map(|n| n.start_ms.saturating_sub(w.end_ms));
            let norm = normalize(&w.text);
            Tok {
                script: script_of(&norm),
                capitalized: w
                    .text
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase),
                norm,
                break_after,
                sentence_end,
                start_ms: w.start_ms,
                end_ms: w.end_ms.max(w.start_ms),
                gap_before_ms,
                gap_after_ms,
                lang: None,
            }
        })
        .collect();

    let lettered: Vec<usize> = (0..toks.len())
        .filter(|&i| toks[i].script != Script::Neutral)
        .collect();
    for (k, &i) in lettered.iter().enumerate() {
        toks[i].lang = Some(match toks[i].script {
            Script::Hangul => Lang::Ko,
            _ => {
                let before = k
                    .checked_sub(1)
                    .map(|p| toks[lettered[p]].script == Script::Hangul);
                let after = lettered
                    .get(k + 1)
                    .map(|&n| toks[n].script == Script::Hangul);
                if before == Some(true) && after == Some(true) {
                    Lang::Ko
                } else {
                    Lang::En
                }
            }
        });
    }
    let first = lettered.first().and_then(|&i| toks[i].lang);
    let mut last = first;
    for t in &mut toks {
        match t.lang {
            Some(l) => last = Some(l),
            None if t.is_word() => t.lang = last,
            None => {}
        }
    }
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, start_ms: u64) -> Word {
        Word {
            text: text.into(),
            start_ms,
            end_ms: start_ms + 200,
            prob: 0.9,
            lang: Lang::En,
        }
    }

    #[test]
    fn normalize_strips_punctuation_and_case() {
        assert_eq!(normalize("Um,"), "um");
        assert_eq!(normalize("그…"), "그");
        assert_eq!(normalize("음,"), "음");
        assert_eq!(normalize("\"I’m"), "i'm");
        assert_eq!(normalize("30%."), "30%");
        assert_eq!(normalize("so-called"), "so-called");
        assert_eq!(normalize("..."), "");
        assert_eq!(collapse_runs("ummm"), "um");
        assert_eq!(collapse_runs("음음"), "음");
    }

    #[test]
    fn scripts_and_syllables() {
        assert_eq!(script_of("api를"), Script::Hangul);
        assert_eq!(script_of("redis"), Script::Latin);
        assert_eq!(script_of("30%"), Script::Neutral);
        assert_eq!(hangul_syllables("뭐랄까, ok 2배"), 4);
    }

    #[test]
    fn punctuation_flags() {
        let t = tokenize(&[
            w("right?", 0),
            w("그…", 300),
            w("Rust.", 600),
            w("was,", 900),
        ]);
        assert!(t[0].sentence_end && t[0].break_after);
        assert!(!t[1].sentence_end && t[1].break_after);
        assert!(t[2].sentence_end && t[2].capitalized);
        assert!(!t[3].sentence_end && t[3].break_after);
        assert_eq!(t[1].gap_before_ms, Some(100));
        assert_eq!(t[3].gap_after_ms, None);
    }

    #[test]
    fn loanwords_inside_korean_count_as_korean() {
        let t = tokenize(&[
            w("저희는", 0),
            w("Redis", 300),
            w("캐시를", 600),
            w("30%", 900),
            w("then", 1200),
            w("we", 1500),
        ]);
        let langs: Vec<_> = t.iter().map(|t| t.lang).collect();
        assert_eq!(
            langs,
            vec![
                Some(Lang::Ko),
                Some(Lang::Ko),
                Some(Lang::Ko),
                Some(Lang::Ko),
                Some(Lang::En),
                Some(Lang::En)
            ]
        );
    }
}
