//! `greenroom questions`: the question bank (shipped and the user's own files), so an id
//! for `practice --question` can be found from the terminal.

use std::process::ExitCode;

use clap::Args;
use greenroom_core::bank::{Question, Track};
use greenroom_core::Lang;

#[derive(Args, Debug)]
pub struct QuestionsArgs {
    /// Only this track: cs-os, cs-network, cs-storage, cs-db, scale, behavioral, personal.
    #[arg(long)]
    pub track: Option<Track>,
    /// Print the questions as JSON (every field: both prompts, times, follow-ups).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: QuestionsArgs, lang: Lang) -> ExitCode {
    // Problems in the user's own bank files are reported; the rest of the bank still lists.
    let (bank, issues) = greenroom_engine::Engine::open_default().bank();
    for i in &issues {
        eprintln!("greenroom: question bank: {i}");
    }
    let shown: Vec<&Question> = bank
        .questions()
        .iter()
        .filter(|q| args.track.is_none_or(|t| q.track == t))
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&shown).expect("json"));
        return ExitCode::SUCCESS;
    }
    let other = match lang {
        Lang::En => Lang::Ko,
        Lang::Ko => Lang::En,
    };
    let answer_time = |s: u32| match lang {
        Lang::En => format!("answer {s} s"),
        Lang::Ko => format!("답변 {s}초"),
    };
    for track in Track::ALL {
        let mut in_track = shown.iter().filter(|q| q.track == track).peekable();
        if in_track.peek().is_none() {
            continue;
        }
        println!("{} ({})", track.name().get(lang), track.id());
        for q in in_track {
            println!("  {:<32} {}", q.id, answer_time(q.answer_s));
            println!("      {}", first_line(q.prompt_in(lang)));
            println!("      {}", first_line(q.prompt_in(other)));
        }
    }
    ExitCode::SUCCESS
}

fn first_line(text: &str) -> &str {
    text.trim().lines().next().unwrap_or_default()
}
