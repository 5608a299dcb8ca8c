//! The question bank as the app loads it: the shipped files plus the user's own, and
//! looking up a question or one of its follow-ups.

use std::path::{Path, PathBuf};

use greenroom_core::bank::{shipped_files, Bank, BankIssue, Question};
use greenroom_core::Localized;

use crate::EngineError;

/// Folder in the data dir where users add their own question files (same TOML format).
pub const USER_QUESTIONS_DIR: &str = "questions";

/// The question with this id, or an error that names the nearest ids (a typo, or an id
/// half-remembered from another language's prompt).
pub fn question<'b>(bank: &'b Bank, id: &str) -> Result<&'b Question, EngineError> {
    bank.get(id).ok_or_else(|| EngineError::InvalidArgument {
        name: "question".into(),
        detail: format!(
            "no question '{id}' in the bank; the nearest are {} (list them all with `greenroom questions`)",
            bank.nearest_ids(id, 3).join(", ")
        ),
    })
}

/// The shipped bank plus the user's own files; malformed entries are reported, not fatal.
pub fn load_bank(data_dir: &Path) -> (Bank, Vec<BankIssue>) {
    let mut files: Vec<(String, String)> = shipped_files()
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let dir = data_dir.join(USER_QUESTIONS_DIR);
    let mut user: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    user.sort();
    let mut issues = vec![];
    for path in user {
        let name = format!(
            "{}/{}",
            USER_QUESTIONS_DIR,
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push((name, text)),
            Err(e) => issues.push(BankIssue {
                file: name,
                line: 0,
                field: String::new(),
                message: format!("cannot read: {e}"),
            }),
        }
    }
    let (bank, mut more) = Bank::from_files(&files);
    issues.append(&mut more);
    (bank, issues)
}

/// The prompt of a question or of one of its follow-ups.
pub fn prompt_of(q: &Question, follow_up: Option<u32>) -> Result<Localized, EngineError> {
    match follow_up {
        None => Ok(q.prompt.clone()),
        Some(i) => {
            q.follow_ups
                .get(i as usize)
                .cloned()
                .ok_or_else(|| EngineError::InvalidArgument {
                    name: "follow-up".into(),
                    detail: format!(
                        "question '{}' has {} follow-ups, not {}",
                        q.id,
                        q.follow_ups.len(),
                        i + 1
                    ),
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_question_files_load_next_to_the_shipped_bank() {
        let dir = tempfile::tempdir().unwrap();
        let qdir = dir.path().join(USER_QUESTIONS_DIR);
        std::fs::create_dir_all(&qdir).unwrap();
        std::fs::write(
            qdir.join("mine.toml"),
            "track = \"personal\"\n[[question]]\nid = \"my-own-question\"\nen = \"Why this team?\"\nko = \"왜 이 팀인가요?\"\n",
        )
        .unwrap();
        std::fs::write(
            qdir.join("broken.toml"),
            "track = \"personal\"\n[[question]]\nid = \"x\"\n",
        )
        .unwrap();
        let (bank, issues) = load_bank(dir.path());
        assert!(bank.get("my-own-question").is_some());
        assert!(bank.len() > 150);
        assert!(
            issues.iter().any(|i| i.file.ends_with("broken.toml")),
            "{issues:?}"
        );
    }

    #[test]
    fn follow_up_prompts_are_checked() {
        let bank = Bank::shipped();
        let q = bank.questions().first().unwrap();
        assert_eq!(prompt_of(q, None).unwrap(), q.prompt);
        let e = prompt_of(q, Some(99)).unwrap_err().to_string();
        assert!(e.contains("follow-ups"), "{e}");
    }
}
