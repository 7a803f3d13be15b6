//! `pst`: ingest PST documents of Walloon CPAS into the canonical JSON/CSV model.

mod ingest;
mod inputs;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turn Walloon CPAS strategic plans (PST) into one canonical JSON/CSV model.
#[derive(Debug, Parser)]
#[command(name = "pst", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read documents and folders (recursively) and write pst.json and csv/.
    Ingest(IngestArgs),
}

/// Arguments of `pst ingest`.
#[derive(Debug, clap::Args)]
struct IngestArgs {
    /// Write DIR/pst.json and DIR/csv/*.csv; without it, pst.json goes to standard output.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Refuse input files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 200 * 1024 * 1024)]
    max_bytes: u64,
    /// Files or folders; a folder's documents form one plan per folder.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Ingest(args) => match ingest::run(&args) {
            Ok(report) => {
                eprintln!("{}", report.summary);
                if report.unread_inputs > 0 {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(error) => {
                eprintln!("pst: {error:#}");
                ExitCode::from(1)
            }
        },
    }
}
