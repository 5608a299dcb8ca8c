//! Verdicts: what a preflight check found, how it compares to the threshold, and the fix.
//!
//! Every rule in `core` returns a [`Check`] with the measured value, the threshold it was
//! judged against and the advice in both languages, so the CLI and the desktop shell show
//! the same words without a second message catalogue.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Outcome of one check, ordered from best to worst so `max()` gives the overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    /// Not measured because an earlier check failed (e.g. the device did not open).
    Skipped,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Skipped => "skipped",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// A sentence in both languages the app speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Localized {
    pub en: String,
    pub ko: String,
}

/// A text in both UI languages: `l("English", "한국어")`.
pub(crate) fn l(en: impl Into<String>, ko: impl Into<String>) -> Localized {
    Localized::new(en, ko)
}

impl Localized {
    pub fn new(en: impl Into<String>, ko: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            ko: ko.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }
}

/// UI and advice language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "ko" | "korean" | "kr" => Ok(Lang::Ko),
            other => Err(format!(
                "unknown language '{other}' (expected 'en' or 'ko')"
            )),
        }
    }
}

/// Unit of a measured value; the UI formats numbers with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Dbfs,
    Db,
    Percent,
    Ms,
    Hz,
    Fps,
    Pixels,
    Count,
    Ratio,
}

impl Unit {
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Dbfs => " dBFS",
            Unit::Db => " dB",
            Unit::Percent => " %",
            Unit::Ms => " ms",
            Unit::Hz => " Hz",
            Unit::Fps => " fps",
            Unit::Pixels => " px",
            Unit::Count => "",
            Unit::Ratio => "",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Measured {
    pub value: f64,
    pub unit: Unit,
}

impl Measured {
    pub fn new(value: f64, unit: Unit) -> Self {
        Self { value, unit }
    }
}

impl std::fmt::Display for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = match self.unit {
            Unit::Count | Unit::Pixels | Unit::Ms => 0,
            Unit::Ratio => 3,
            _ => 1,
        };
        write!(f, "{:.*}{}", digits, self.value, self.unit.suffix())
    }
}

/// One preflight verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Check {
    /// Stable id, e.g. `mic.level`; tests and the UI key on it.
    pub id: String,
    pub status: Status,
    pub title: Localized,
    /// What was measured, when a number exists.
    pub measured: Option<Measured>,
    /// The rule the value was judged by, language-neutral (e.g. `peak -24..-3 dBFS`).
    pub threshold: Option<String>,
    /// What was found, in words, with the numbers.
    pub summary: Localized,
    /// What to do about it; `None` when nothing needs doing.
    pub fix: Option<Localized>,
}

impl Check {
    pub fn new(id: &str, status: Status, title: Localized, summary: Localized) -> Self {
        Self {
            id: id.to_owned(),
            status,
            title,
            measured: None,
            threshold: None,
            summary,
            fix: None,
        }
    }

    /// A check that could not be judged, with the reason (shown instead of a verdict).
    pub fn skipped(id: &str, title: Localized, why: Localized) -> Self {
        Self::new(id, Status::Skipped, title, why)
    }

    pub fn measured(mut self, value: f64, unit: Unit) -> Self {
        self.measured = Some(Measured::new(value, unit));
        self
    }

    pub fn threshold(mut self, t: impl Into<String>) -> Self {
        self.threshold = Some(t.into());
        self
    }

    pub fn fix(mut self, fix: Localized) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// The worst status of a list of checks (`Pass` when empty).
pub fn overall(checks: &[Check]) -> Status {
    checks
        .iter()
        .map(|c| c.status)
        .max()
        .unwrap_or(Status::Pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_is_the_worst_status() {
        let t = Localized::new("t", "t");
        let mk = |s| Check::new("x", s, t.clone(), t.clone());
        assert_eq!(overall(&[]), Status::Pass);
        assert_eq!(overall(&[mk(Status::Pass), mk(Status::Warn)]), Status::Warn);
        assert_eq!(
            overall(&[mk(Status::Fail), mk(Status::Skipped), mk(Status::Pass)]),
            Status::Fail
        );
    }

    #[test]
    fn measured_formats_with_unit() {
        assert_eq!(Measured::new(-18.26, Unit::Dbfs).to_string(), "-18.3 dBFS");
        assert_eq!(Measured::new(412.4, Unit::Ms).to_string(), "412 ms");
        assert_eq!(Measured::new(3.0, Unit::Count).to_string(), "3");
    }

    #[test]
    fn lang_parses_common_spellings() {
        assert_eq!("KO".parse::<Lang>(), Ok(Lang::Ko));
        assert_eq!("english".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().unwrap_err().contains("fr"));
    }
}
