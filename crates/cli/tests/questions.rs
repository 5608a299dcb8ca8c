//! `greenroom questions` and the error for a question id that does not exist: neither
//! needs a device or a model, so they run everywhere.

use std::process::Command;

fn greenroom(home: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_greenroom"));
    c.env("GREENROOM_HOME", home);
    c
}

fn stdout_of(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{c:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn questions_lists_the_whole_bank_as_json_and_by_track() {
    let home = tempfile::tempdir().unwrap();
    let all: serde_json::Value = serde_json::from_str(&stdout_of(
        greenroom(home.path()).args(["questions", "--json"]),
    ))
    .unwrap();
    let all = all.as_array().unwrap();
    let shipped = greenroom_core::bank::Bank::shipped();
    assert_eq!(all.len(), shipped.len());
    let first = &all[0];
    assert_eq!(first["id"], shipped.questions()[0].id.as_str());
    for field in ["track", "answer_s", "prep_s", "follow_ups"] {
        assert!(!first[field].is_null(), "{field} missing in {first:#}");
    }
    assert!(!first["prompt"]["en"].as_str().unwrap().is_empty());
    assert!(!first["prompt"]["ko"].as_str().unwrap().is_empty());

    let os: serde_json::Value = serde_json::from_str(&stdout_of(greenroom(home.path()).args([
        "questions",
        "--track",
        "cs-os",
        "--json",
    ])))
    .unwrap();
    let os = os.as_array().unwrap();
    assert_eq!(os.len(), shipped.count(greenroom_core::bank::Track::CsOs));
    assert!(os.iter().all(|q| q["track"] == "cs-os"));
}

#[test]
fn questions_prints_ids_with_both_prompts_and_the_answer_time() {
    let home = tempfile::tempdir().unwrap();
    let text =
        stdout_of(greenroom(home.path()).args(["questions", "--track", "cs-os", "--lang", "en"]));
    let bank = greenroom_core::bank::Bank::shipped();
    let q = bank.get("os-process-vs-thread").unwrap();
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("os-process-vs-thread "))
        .unwrap_or_else(|| panic!("no line for the id in:\n{text}"));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[line].ends_with(&format!("answer {} s", q.answer_s)));
    assert_eq!(
        lines[line + 1].trim(),
        q.prompt.en.lines().next().unwrap().trim()
    );
    assert_eq!(
        lines[line + 2].trim(),
        q.prompt.ko.lines().next().unwrap().trim()
    );
    assert!(
        !text.contains("behavioral"),
        "another track listed:\n{text}"
    );
}

#[test]
fn questions_reports_a_broken_user_file_and_still_lists_the_bank() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("questions")).unwrap();
    std::fs::write(
        home.path().join("questions/mine.toml"),
        "[[question]\nid = ",
    )
    .unwrap();
    let out = greenroom(home.path())
        .args(["questions", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("questions/mine.toml:1"), "{stderr}");
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        all.as_array().unwrap().len(),
        greenroom_core::bank::Bank::shipped().len()
    );
}

#[test]
fn a_wrong_question_id_names_the_nearest_ids_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let out = greenroom(home.path())
        .args(["practice", "--question", "os-proces-vs-thread", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no question 'os-proces-vs-thread'")
            && stderr.contains("the nearest are os-process-vs-thread")
            && stderr.contains("greenroom questions"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
