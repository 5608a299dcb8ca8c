//! Verdict rules for the microphone and the speakers: measurements in, [`Check`]s out.
//!
//! Every check states the number it judged, the threshold (language-neutral) and, when
//! something needs doing, a fix a user can act on, in English and Korean. Thresholds are
//! public constants so the CLI, the UI and the tests quote the same numbers.
//!
//! [`Check`]: crate::verdict::Check

mod mic;
mod opening;
mod speaker;
mod visibility;

pub use mic::{
    looks_hands_free, mic_checks, MicMeasurement, CLICKS_FAIL_PER_S, CLICKS_WARN_PER_S,
    CLIP_FAIL_SHARE, CLIP_WARN_RUNS, CLIP_WARN_SHARE, DC_FAIL, DC_WARN, DROPOUT_FAIL_COUNT,
    FIRST_SAMPLE_WARN_MS, FORMAT_MIN_RATE_HZ, HANDS_FREE_MARKERS, NOISE_FAIL_DBFS, NOISE_WARN_DBFS,
    PEAK_FAIL_DBFS, PEAK_HOT_DBFS, PEAK_IDEAL_DBFS, PEAK_QUIET_DBFS, RATE_FAIL_PCT, RATE_WARN_PCT,
    SNR_FAIL_DB, SNR_WARN_DB,
};
pub use opening::{open_check, OpenFailure};
pub use speaker::{speaker_checks, LoopbackMeasurement, THD_WARN_PCT};
pub use visibility::{visibility_check, visibility_not_measured};

// Number formatting shared by the mic and speaker checks (the submodules see the private
// items of this file).

/// `v` with `digits` decimals, without a "-0.0" for values that round to zero.
fn fixed(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_owned()
    } else {
        s
    }
}

fn f1(v: f64) -> String {
    fixed(v, 1)
}

fn f0(v: f64) -> String {
    fixed(v, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{Check, Status};

    fn has_hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    /// Every check is bilingual, and carries a fix exactly when something needs doing.
    pub(super) fn assert_well_formed(c: &Check) {
        assert!(!c.title.en.is_empty() && has_hangul(&c.title.ko), "{c:?}");
        assert!(
            !c.summary.en.is_empty() && has_hangul(&c.summary.ko),
            "{c:?}"
        );
        match c.status {
            Status::Warn | Status::Fail => {
                let fix = c.fix.as_ref().unwrap_or_else(|| panic!("no fix: {c:?}"));
                assert!(!fix.en.is_empty() && has_hangul(&fix.ko), "{c:?}");
            }
            _ => assert!(c.fix.is_none(), "{c:?}"),
        }
        if c.status != Status::Skipped {
            assert!(c.threshold.is_some(), "{c:?}");
        }
    }

    #[test]
    fn numbers_never_read_minus_zero() {
        assert_eq!(fixed(-0.00001, 4), "0.0000");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-0.06, 1), "-0.1");
        assert_eq!(f0(-0.4), "0");
        assert_eq!(f1(-41.25), "-41.2");
    }
}
