//! The filler evaluation over the shipped English fixture answers, with a real model:
//! precision and recall must both reach 0.8 (the floor the review issue sets).

use std::process::Command;

#[test]
fn filler_precision_and_recall_reach_the_floor_on_the_fixtures() {
    let Some(models) = std::env::var_os("GREENROOM_TEST_MODELS") else {
        // ./x test sets this: there a missing test bed is a failure, not a skip.
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "the test bed (PulseAudio harness, Whisper models) is required but missing"
        );
        eprintln!("skipped: GREENROOM_TEST_MODELS is not set (./x test sets it)");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let greenroom = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_greenroom"));
        c.env("GREENROOM_HOME", home.path());
        c
    };
    let tiny = std::path::Path::new(&models).join("tiny.en.ggml");
    let out = greenroom()
        .arg("models")
        .arg("import")
        .arg(&tiny)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = greenroom()
        .args(["eval-fillers", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let p = report["precision"].as_f64().unwrap();
    let r = report["recall"].as_f64().unwrap();
    eprintln!("filler precision {p:.2}, recall {r:.2}: {report:#}");
    assert_eq!(report["fixtures"].as_array().unwrap().len(), 4);
    assert!(p >= 0.8 && r >= 0.8, "precision {p:.2}, recall {r:.2}");
    assert!(out.status.success());
}
