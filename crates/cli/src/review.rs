//! `greenroom review` and `greenroom export`: what the coach saw in a take.

use std::process::ExitCode;

use clap::ValueEnum;
use greenroom_core::coach::RangeStatus;
use greenroom_core::Lang;
use greenroom_engine::review::{export, review_take, ExportFormat};
use greenroom_engine::store::TakeId;
use greenroom_engine::{Engine, EngineError};

use crate::{fail, open_store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Json,
    Srt,
}

pub fn review(id: &str, json: bool, lang: Lang) -> ExitCode {
    let run = || -> Result<(), EngineError> {
        let id = TakeId::parse(id)?;
        let store = open_store(&Engine::open_default())?;
        let r = review_take(&store, &id)?;
        if json {
            println!("{}", serde_json::to_string_pretty(&r).expect("json"));
            return Ok(());
        }
        println!("{}", r.take.prompt.get(lang));
        if let Some(video) = &r.take.video_path {
            println!("  video: {}", video.display());
        }
        if let Some(p) = &r.presence {
            println!("  On camera ({} pictures analysed):", p.summary.samples);
            print_cards(&p.cards, lang);
        }
        let Some(c) = &r.coaching else {
            println!(
                "Not transcribed yet: run `greenroom transcribe {}` first.",
                r.take.id
            );
            return Ok(());
        };
        for s in &c.summary {
            println!("  • {}", s.get(lang));
        }
        print_cards(&c.cards, lang);
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn print_cards(cards: &[greenroom_core::coach::MetricCard], lang: Lang) {
    for card in cards {
        let mark = match card.judgement.status {
            RangeStatus::Within => "ok ",
            RangeStatus::Below => "low",
            RangeStatus::Above => "high",
            RangeStatus::NotMeasured => " - ",
        };
        let value = card
            .value
            .map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| "—".into());
        println!("  [{mark}] {:<28} {value}", card.title.get(lang));
        for f in &card.feedback {
            println!("        {}", f.get(lang));
        }
    }
}

pub fn export_take(
    id: &str,
    format: Format,
    folder: Option<&std::path::Path>,
    lang: Lang,
) -> ExitCode {
    let run = || -> Result<String, EngineError> {
        let id = TakeId::parse(id)?;
        let store = open_store(&Engine::open_default())?;
        let r = review_take(&store, &id)?;
        if let Some(parent) = folder {
            let dir = greenroom_engine::review::export_folder(&r, parent, lang)?;
            return Ok(format!("{}\n", dir.display()));
        }
        let f = match format {
            Format::Md => ExportFormat::Markdown,
            Format::Json => ExportFormat::Json,
            Format::Srt => ExportFormat::Srt,
        };
        export(&r, f, lang)
    };
    match run() {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
