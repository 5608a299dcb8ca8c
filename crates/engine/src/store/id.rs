//! Take ids. A take id names a folder on disk, so every id that arrives from the UI or the
//! CLI goes through [`TakeId::parse`] before it is joined to a path.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::EngineError;

/// Crockford base32 as ULIDs write it: upper case, no I, L, O or U.
const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// A ULID is 128 bits in 26 base32 characters.
const LEN: usize = 26;

/// The id of one take: a ULID in its canonical upper-case form, so ids sort by creation
/// time and contain nothing but `[0-9A-Z]`. Deserializing one validates it like `parse`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(type = "string")]
pub struct TakeId(String);

impl TakeId {
    /// A fresh id for the current time.
    #[allow(clippy::new_without_default)] // a new id is not a "default" value
    pub fn new() -> TakeId {
        TakeId::at(std::time::SystemTime::now())
    }

    /// An id for a take that starts at `time` (its first 48 bits are that time in ms).
    pub(crate) fn at(time: std::time::SystemTime) -> TakeId {
        TakeId(ulid::Ulid::from_datetime(time).to_string())
    }

    /// Validates an id from outside (IPC, CLI, a folder name). Only the exact canonical form
    /// is accepted — no lower case, separators, dots or padding — so a parsed id can be
    /// joined to a path without escaping the takes folder.
    pub fn parse(text: &str) -> Result<TakeId, EngineError> {
        let invalid = |detail: String| EngineError::InvalidArgument {
            name: "take id".to_owned(),
            detail,
        };
        if text.len() != LEN {
            return Err(invalid(format!(
                "'{}' is not a take id: expected {LEN} characters, got {}",
                text.escape_debug(),
                text.chars().count()
            )));
        }
        if let Some(bad) = text.chars().find(|c| !ALPHABET.contains(*c)) {
            let hint = if bad.is_ascii_lowercase() {
                " (take ids are upper case)"
            } else {
                ""
            };
            return Err(invalid(format!(
                "'{}' is not a take id: character '{}' is not allowed{hint}",
                text.escape_debug(),
                bad.escape_debug()
            )));
        }
        // 26 characters hold 130 bits; a ULID is 128, so the first one is at most '7'.
        if !matches!(text.as_bytes()[0], b'0'..=b'7') {
            return Err(invalid(format!(
                "'{text}' is not a take id: it is too large (the first character must be 0-7)"
            )));
        }
        Ok(TakeId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TakeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for TakeId {
    type Err = EngineError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TakeId::parse(s)
    }
}

impl TryFrom<String> for TakeId {
    type Error = EngineError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TakeId::parse(&s)
    }
}

impl From<TakeId> for String {
    fn from(id: TakeId) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_parse_and_are_canonical() {
        let id = TakeId::new();
        assert_eq!(id.as_str().len(), LEN);
        assert_eq!(TakeId::parse(id.as_str()).unwrap(), id);
    }

    #[test]
    fn rejects_anything_but_the_canonical_form() {
        let ok = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
        assert!(TakeId::parse(ok).is_ok());
        for bad in [
            "",
            "..",
            "../etc",
            "a/b",
            "/abs",
            "01arz3ndektsv4rrffq69g5fav",
            "01ARZ3NDEKTSV4RRFFQ69G5FA",
            "01ARZ3NDEKTSV4RRFFQ69G5FAVX",
            "01ARZ3NDEKTSV4RRFFQ69G5FA/",
            "01ARZ3NDEKTSV4RRFFQ69G5FA.",
            "01ARZ3NDEKTSV4RRFFQ69G5FAI",
            "01ARZ3NDEKTSV4RRFFQ69G5FAU",
            "01ARZ3NDEKTSV4RRFFQ69G5FA\0",
            "01ARZ3NDEKTSV4RRFFQ69G5FÄ",
            "81ARZ3NDEKTSV4RRFFQ69G5FAV",
        ] {
            let err = TakeId::parse(bad).expect_err(bad);
            assert!(
                matches!(&err, EngineError::InvalidArgument { name, .. } if name == "take id"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn deserializing_validates() {
        let id: TakeId = serde_json::from_str("\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"").unwrap();
        assert_eq!(id.as_str(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assert!(serde_json::from_str::<TakeId>("\"../etc/passwd\"").is_err());
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"01ARZ3NDEKTSV4RRFFQ69G5FAV\""
        );
    }
}
