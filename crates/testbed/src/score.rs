//! Scoring a transcript against a human reference, as the real-speech evaluation does for
//! Greenroom and faster-whisper alike: word error rate for English, character error rate
//! for Korean, after a normalisation that forgives how a number or a word is written, not
//! what was said; and the invented text a reference decoder is meant to catch (a loop, a
//! tail nobody said, letters of a script the language does not use).

use greenroom_core::coach::read_ko;
use greenroom_core::transcript::script_allowed;
use greenroom_core::Lang;

/// Edit distance between two sequences (substitutions, insertions, deletions cost 1).
pub fn edit_distance<T: PartialEq>(reference: &[T], hypothesis: &[T]) -> usize {
    prefix_distances(reference, hypothesis)[hypothesis.len()]
}

/// The edit distance from `reference` to each prefix of `hypothesis` (index j: its first j
/// units), the last row of the usual table.
fn prefix_distances<T: PartialEq>(reference: &[T], hypothesis: &[T]) -> Vec<usize> {
    let mut row: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, h) in hypothesis.iter().enumerate() {
            let next = (diag + usize::from(r != h))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row
}

/// English words for scoring: lowercase, punctuation gone (inner apostrophes kept), hyphens
/// split, numbers and a few abbreviations spelled out ("10" → "ten", "Mr." → "mister",
/// "%" → "percent"), as references write them.
pub fn normalize_en(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || c == '-' || c == '—') {
        let lower = raw.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
        let percent = lower.contains('%');
        let word: String = lower
            .trim_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .filter(|&c| c.is_alphanumeric() || c == '\'' || c == '.')
            .collect();
        let word = word.trim_end_matches('.');
        if word.is_empty() {
            continue;
        }
        match word {
            "mr" => out.push("mister".into()),
            "mrs" => out.push("missus".into()),
            "dr" => out.push("doctor".into()),
            "st" => out.push("saint".into()),
            _ if word.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                number_words_en(word, &mut out)
            }
            _ => out.push(word.replace('.', "")),
        }
        if percent {
            out.push("percent".into());
        }
    }
    out
}

fn number_words_en(digits: &str, out: &mut Vec<String>) {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    match int.parse::<u64>() {
        Ok(n) if n < 1_000_000_000 => cardinal_en(n, out),
        _ => out.extend(int.chars().map(|c| digit_en(c).to_owned())),
    }
    if !frac.is_empty() {
        out.push("point".into());
        out.extend(frac.chars().map(|c| digit_en(c).to_owned()));
    }
}

fn digit_en(c: char) -> &'static str {
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    c.to_digit(10).map(|d| DIGITS[d as usize]).unwrap_or("")
}

fn cardinal_en(n: u64, out: &mut Vec<String>) {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    match n {
        0..=19 => out.push(SMALL[n as usize].into()),
        20..=99 => {
            out.push(TENS[(n / 10) as usize].into());
            if n % 10 > 0 {
                out.push(SMALL[(n % 10) as usize].into());
            }
        }
        100..=999 => {
            out.push(SMALL[(n / 100) as usize].into());
            out.push("hundred".into());
            if n % 100 > 0 {
                cardinal_en(n % 100, out);
            }
        }
        _ => {
            for (scale, name) in [(1_000_000, "million"), (1_000, "thousand")] {
                if n >= scale {
                    cardinal_en(n / scale, out);
                    out.push(name.into());
                    if n % scale > 0 {
                        cardinal_en(n % scale, out);
                    }
                    return;
                }
            }
        }
    }
}

/// Korean characters for scoring: each word as it is read ([`read_ko`]: "11시" → 열한시,
/// "TCP" → 티씨피), then spaces and punctuation dropped, so "열 한 시" and "11시" agree and
/// word spacing (which Whisper and transcribers choose differently) costs nothing.
pub fn normalize_ko(text: &str) -> Vec<char> {
    text.split_whitespace()
        .flat_map(|w| read_ko(w).to_lowercase().chars().collect::<Vec<_>>())
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The error rate of `hypothesis` against `reference`: WER (English), CER (Korean), with
/// the edit count and the reference length it was divided by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorRate {
    pub errors: usize,
    pub length: usize,
}

impl ErrorRate {
    pub fn rate(self) -> f64 {
        if self.length == 0 {
            return if self.errors == 0 { 0.0 } else { 1.0 };
        }
        self.errors as f64 / self.length as f64
    }

    /// Pooled over several clips: total errors over total reference length.
    pub fn pooled(rates: impl IntoIterator<Item = ErrorRate>) -> ErrorRate {
        rates.into_iter().fold(
            ErrorRate {
                errors: 0,
                length: 0,
            },
            |a, r| ErrorRate {
                errors: a.errors + r.errors,
                length: a.length + r.length,
            },
        )
    }
}

pub fn error_rate(lang: Lang, reference: &str, hypothesis: &str) -> ErrorRate {
    match lang {
        Lang::En => {
            let (r, h) = (normalize_en(reference), normalize_en(hypothesis));
            ErrorRate {
                errors: edit_distance(&r, &h),
                length: r.len(),
            }
        }
        Lang::Ko => {
            let (r, h) = (normalize_ko(reference), normalize_ko(hypothesis));
            ErrorRate {
                errors: edit_distance(&r, &h),
                length: r.len(),
            }
        }
    }
}

/// Text nobody said, of the kinds Whisper invents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invention {
    /// The same run of units (two words or more, or three Korean characters or more) said
    /// three times or more, twice as often as the reference says it.
    Loop(String),
    /// Letters of a script the language does not use (Cyrillic in Korean, Hangul in
    /// English).
    ForeignScript(String),
    /// Units after the end of what the reference says: a word in English (Whisper's
    /// "Yeah." or "Thank you."), three characters (a word) in Korean.
    Tail(String),
}

/// What `hypothesis` invents against `reference`.
pub fn inventions(lang: Lang, reference: &str, hypothesis: &str) -> Vec<Invention> {
    let mut found = vec![];
    let foreign: String = hypothesis
        .chars()
        .filter(|&c| c.is_alphabetic() && !script_allowed(lang, c))
        .collect();
    if !foreign.is_empty() {
        found.push(Invention::ForeignScript(foreign));
    }
    let units = |text: &str| -> Vec<String> {
        match lang {
            Lang::En => normalize_en(text),
            Lang::Ko => normalize_ko(text).iter().map(|c| c.to_string()).collect(),
        }
    };
    let (r, h) = (units(reference), units(hypothesis));
    // Two words, or three Korean characters (a word): shorter runs recur in any answer.
    let shortest = match lang {
        Lang::En => 2,
        Lang::Ko => 3,
    };
    if let Some(run) = repeated_run(&r, &h, shortest) {
        found.push(Invention::Loop(run));
    }
    let tail = unmatched_tail(&r, &h);
    let least = match lang {
        Lang::En => 1,
        Lang::Ko => 3,
    };
    if tail.len() >= least {
        let sep = if lang == Lang::En { " " } else { "" };
        found.push(Invention::Tail(tail.join(sep)));
    }
    found
}

/// The longest run of `min..=8` units the hypothesis says three times or more (back to
/// back or not) and at least twice as often as the reference does.
fn repeated_run(reference: &[String], hypothesis: &[String], min: usize) -> Option<String> {
    let count =
        |units: &[String], run: &[String]| units.windows(run.len()).filter(|w| *w == run).count();
    for len in (min..=8).rev() {
        for run in hypothesis.windows(len) {
            let said = count(hypothesis, run);
            if said >= 3 && said >= 2 * count(reference, run).max(1) {
                return Some(run.join(" "));
            }
        }
    }
    None
}

/// The hypothesis units after the prefix that matches the whole reference best (the
/// longest such prefix, so nothing said is called a tail).
fn unmatched_tail(reference: &[String], hypothesis: &[String]) -> Vec<String> {
    let row = prefix_distances(reference, hypothesis);
    let best = row.iter().copied().min().unwrap_or(0);
    let end = row.iter().rposition(|&d| d == best).unwrap_or(0);
    hypothesis[end..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_each_operation_once() {
        assert_eq!(edit_distance::<u8>(&[], &[]), 0);
        assert_eq!(edit_distance(&[1, 2, 3], &[1, 3]), 1);
        assert_eq!(edit_distance(&[1, 2, 3], &[1, 2, 3, 4]), 1);
        assert_eq!(edit_distance(&[1, 2, 3], &[1, 5, 3]), 1);
        assert_eq!(edit_distance(&["a", "b"], &["b", "a"]), 2);
    }

    #[test]
    fn english_normalisation_forgives_spelling_of_numbers_and_abbreviations() {
        let r = "Mr. Quilter is the apostle of the middle classes";
        let h = "mister quilter is the apostle of the middle-classes.";
        assert_eq!(error_rate(Lang::En, r, h).errors, 0);
        assert_eq!(
            normalize_en("go forward 10 meters, 25% of 1,200? 3.5"),
            "go forward ten meters twenty five percent of one thousand two hundred three point five"
                .split(' ')
                .collect::<Vec<_>>()
        );
        assert_eq!(normalize_en("It's done."), vec!["it's", "done"]);
        let e = error_rate(
            Lang::En,
            "ask not what your country",
            "ask what your country can",
        );
        assert_eq!((e.errors, e.length), (2, 5));
        assert!((e.rate() - 0.4).abs() < 1e-9);
    }

    #[test]
    fn korean_normalisation_reads_numbers_and_ignores_spacing() {
        // KsponSpeech writes numbers as said; Whisper writes digits.
        assert_eq!(
            error_rate(Lang::Ko, "열 한 시에 보자", "11시에 보자.").errors,
            0
        );
        assert_eq!(error_rate(Lang::Ko, "삼 점 대야?", "3.대야?").errors, 1);
        assert_eq!(error_rate(Lang::Ko, "티씨피 연결", "TCP 연결").errors, 0);
        let e = error_rate(
            Lang::Ko,
            "아 그건 절대로 안 할 거야",
            "아 그건 절대 안 할 거야",
        );
        assert_eq!((e.errors, e.length), (1, 10));
    }

    #[test]
    fn pooled_rates_weigh_clips_by_their_length() {
        let p = ErrorRate::pooled([
            ErrorRate {
                errors: 1,
                length: 10,
            },
            ErrorRate {
                errors: 3,
                length: 30,
            },
        ]);
        assert!((p.rate() - 0.1).abs() < 1e-9);
    }

    /// The inventions the issue quotes, from Greenroom's base run on real speech.
    #[test]
    fn inventions_of_whisper_are_found() {
        let loop_ = inventions(
            Lang::Ko,
            "아무튼 순우형.",
            "암튼 신우용 암튼 신우용 아무튼 신우용 아무튼",
        );
        assert!(
            matches!(loop_.as_slice(), [Invention::Loop(_), ..]),
            "{loop_:?}"
        );
        let tail = inventions(
            Lang::Ko,
            "아 그건 절대로 안 할 거야.",
            "아 그건 절대로 안 할 거야. 소사님, 뭐, 소사님, 뭐, 소사님.",
        );
        assert!(
            tail.iter()
                .any(|i| matches!(i, Invention::Tail(t) if t.starts_with("소사님"))),
            "{tail:?}"
        );
        let foreign = inventions(
            Lang::Ko,
            "아 십 삼 일. 너 십 삼 일날 뭐 한다 했지?",
            "수logs Gon는 수logs-ovol Cover 1000 lbimgpkака",
        );
        assert!(
            foreign
                .iter()
                .any(|i| matches!(i, Invention::ForeignScript(s) if s.contains('к'))),
            "{foreign:?}"
        );
        let jfk = "And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";
        let yeah = inventions(Lang::En, jfk, &format!("{jfk} Yeah."));
        assert_eq!(yeah, vec![Invention::Tail("yeah".into())]);
    }

    #[test]
    fn faithful_transcripts_invent_nothing() {
        let jfk = "And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";
        assert!(inventions(Lang::En, jfk, jfk).is_empty());
        // A word misheard is an error, not an invention; so is a missing end.
        let misheard = jfk.replace("fellow", "follow");
        assert!(inventions(Lang::En, jfk, &misheard).is_empty());
        assert!(inventions(Lang::En, jfk, "And so, my fellow Americans, ask not").is_empty());
        assert!(inventions(
            Lang::Ko,
            "그는 이리저리 피하면서 길 한 옆으로 걸어갔다.",
            "그는 이리저리 피하면서 길 한 옆으로 걸어갔다."
        )
        .is_empty());
        // A speaker's own repetition is in the reference too.
        assert!(inventions(
            Lang::En,
            "a more a more a more amiable",
            "a more a more a more amiable"
        )
        .is_empty());
        // Technical terms in Latin letters are Korean speech.
        assert!(inventions(Lang::Ko, "레디스 캐시", "Redis 캐시").is_empty());
    }
}
