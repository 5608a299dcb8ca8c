//! How errors are written for the UI: a value as its text, a path as the user reads it.

use std::fmt::Display;
use std::path::Path;

use serde::Serializer;

pub fn display<S: Serializer>(v: &impl Display, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// A path as the user reads it (lossy where the OS name is not UTF-8), never a failure.
pub fn lossy_path<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&p.display())
}
