//! Small helpers for the feedback sentences: times, numbers, plurals.

pub(crate) use crate::verdict::l;

/// Seconds with one decimal: 2500 → "2.5".
pub(crate) fn secs(ms: u64) -> String {
    format!("{:.1}", ms as f64 / 1000.0)
}

/// A position on the take's clock: 31_400 → "0:31".
pub(crate) fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// A number with at most one decimal, without a trailing ".0": 4.0 → "4", 4.25 → "4.3".
pub(crate) fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A ratio as a percentage: 0.853 → "85".
pub(crate) fn pct(ratio: f64) -> String {
    format!("{:.0}", ratio * 100.0)
}

/// "1 pause" / "3 pauses".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A list of (text, count) as “um” ×3, “like” ×2 (both languages use the same form).
pub(crate) fn tallies<'a>(items: impl IntoIterator<Item = (&'a str, u32)>) -> String {
    items
        .into_iter()
        .map(|(t, n)| format!("“{t}” ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(secs(2500), "2.5");
        assert_eq!(clock(31_400), "0:31");
        assert_eq!(clock(125_000), "2:05");
        assert_eq!(num(4.0), "4");
        assert_eq!(num(4.25), "4.3");
        assert_eq!(pct(0.853), "85");
        assert_eq!(count(1, "pause", "pauses"), "1 pause");
        assert_eq!(count(3, "pause", "pauses"), "3 pauses");
        assert_eq!(tallies([("um", 3), ("like", 2)]), "“um” ×3, “like” ×2");
    }
}
