//! `greenroom`: the command-line face of the engine. Prints human text, or JSON with
//! `--json`; all logic lives in `greenroom-engine`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod devices;

/// Exit codes scripts can rely on.
pub mod exit {
    /// A check or listing found a problem the user must fix (e.g. no audio server).
    pub const PROBLEM: u8 = 1;
    /// Bad arguments or input (clap uses 2 as well).
    pub const USAGE: u8 = 2;
    /// An error that stopped the command (I/O, device failure).
    pub const ERROR: u8 = 3;
}

#[derive(Parser, Debug)]
#[command(
    name = "greenroom",
    version,
    about = "Rehearse video interviews locally: measure your mic, speakers and camera, \
             practise timed answers, review how you spoke.",
    after_help = "Data lives in $GREENROOM_HOME, or the platform data dir \
                  (~/.local/share/dev.greenroom.app on Linux)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List audio hosts, input and output devices, and cameras as the app sees them.
    ///
    /// Exits 1 when the app can use no audio host (no audio server or no device).
    Devices {
        /// Print machine-readable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Devices { json } => devices::run(json),
    }
}
