//! What the Whisper tests share: where the test models are, and word error rate.
#![allow(dead_code)] // each test file uses a part

use std::path::PathBuf;

/// `$GREENROOM_TEST_MODELS` with the files `need` checked, or `None` (and a printed
/// reason) when it is not set. Under `./x test` (GREENROOM_REQUIRE_TEST_BED) a missing
/// test bed is a failure, not a skip.
pub fn test_models(need: &[&str]) -> Option<PathBuf> {
    match std::env::var_os("GREENROOM_TEST_MODELS") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            for n in need {
                assert!(
                    dir.join(n).is_file(),
                    "GREENROOM_TEST_MODELS={} lacks {n}: run setup_models (scripts/models.sh)",
                    dir.display()
                );
            }
            Some(dir)
        }
        _ => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
                "the test bed (Whisper models) is required but GREENROOM_TEST_MODELS is not set"
            );
            eprintln!(
                "skipped: GREENROOM_TEST_MODELS is not set (source scripts/models.sh and run \
                 setup_models to fetch and convert the test models)"
            );
            None
        }
    }
}

/// Word-level edit distance of `hyp` against `reference`, over the reference length.
pub fn edit_rate(reference: &[String], hyp: &[String]) -> f64 {
    let mut prev: Vec<usize> = (0..=hyp.len()).collect();
    for (i, rw) in reference.iter().enumerate() {
        let mut cur = vec![i + 1; hyp.len() + 1];
        for (j, hw) in hyp.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(rw != hw))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[hyp.len()] as f64 / reference.len().max(1) as f64
}
