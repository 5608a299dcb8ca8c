//! Practice: answer a question from the bank against the clock, with the surprise English
//! switch, into a crash-safe take. The CLI and the desktop shell both drive this, through
//! [`AnswerSession`] (an answer on its own thread) or [`Answer`] directly.

mod answer;
mod bank;
mod import;
mod recovery;
mod session;

pub use answer::{
    save_presence_metrics, warning_at_ms, Answer, AnswerEvent, AnswerOptions, FinishedAnswer,
};
pub use bank::{load_bank, prompt_of, question, USER_QUESTIONS_DIR};
pub use import::{import_take, ImportTake};
pub use recovery::recover_interrupted;
pub use session::{AnswerSession, SessionEvent};

/// Lock file present in a take folder while a process records into it.
const RECORDING_LOCK: &str = "recording.lock";
