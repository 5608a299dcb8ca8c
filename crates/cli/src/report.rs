//! Human-readable rendering of verdicts for the terminal.

use std::fmt::Write;

use greenroom_core::{Check, Lang, Status};

fn badge(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
        Status::Skipped => "SKIP",
    }
}

/// One block per check: status, title, measured value and threshold, what was found, the fix.
pub fn render_checks(heading: &str, checks: &[Check], lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{heading}");
    for c in checks {
        let measured = c.measured.map(|m| format!("  {m}")).unwrap_or_default();
        let threshold = c
            .threshold
            .as_deref()
            .map(|t| format!("  [{t}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {}{}{}",
            badge(c.status),
            c.title.get(lang),
            measured,
            threshold
        );
        let _ = writeln!(out, "       {}", c.summary.get(lang));
        if let Some(fix) = &c.fix {
            let label = match lang {
                Lang::En => "Fix",
                Lang::Ko => "해결",
            };
            let _ = writeln!(out, "       {label}: {}", fix.get(lang));
        }
    }
    out
}
