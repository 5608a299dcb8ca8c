//! Converts a faster-whisper (CTranslate2) model folder into a whisper.cpp ggml file with
//! the product's own importer:
//!
//! ```sh
//! cargo run -p greenroom-models --example import_model -- <ct2-folder> <out.ggml> [--q8_0]
//! ```
//!
//! Prints what the validator says about the result; exits 1 with the reason on failure.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use greenroom_models::{convert_ct2_folder, Quant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quant = args.iter().any(|a| a == "--q8_0").then_some(Quant::Q8_0);
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [folder, out] = paths.as_slice() else {
        eprintln!("usage: import_model <ct2-folder> <out.ggml> [--q8_0]");
        return ExitCode::from(2);
    };
    let (folder, out) = (PathBuf::from(folder), PathBuf::from(out));
    let started = std::time::Instant::now();
    let mut last = 0u64;
    let mut progress = |p: greenroom_models::ConvertProgress| {
        let pct = p.done * 100 / p.total.max(1);
        if pct >= last + 25 || (pct == 100 && last < 100) {
            last = pct;
            eprintln!("  {pct}%");
        }
        ControlFlow::Continue(())
    };
    match convert_ct2_folder(&folder, &out, quant, &mut progress) {
        Ok(info) => {
            println!(
                "{}: {} ({}, {} tensors, {} bytes) in {:.1} s",
                out.display(),
                info.label,
                info.weight_type.as_str(),
                info.tensors,
                info.bytes,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("import_model: {e}");
            ExitCode::FAILURE
        }
    }
}
