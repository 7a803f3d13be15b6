//! `pst-region generate` and `pst-region check`: see the crate's documentation.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use pst_region::{check, generate};

/// Synthetic regions of CPAS plans for benchmarks.
#[derive(Debug, Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write PLANS plans into OUT/plans, one folder each, and OUT/expected.json.
    Generate {
        /// The corpus to vary (one folder per plan).
        #[arg(long, default_value = "corpus")]
        corpus: PathBuf,
        /// PDF plans to copy (files of this folder whose name ends in .pdf and that read).
        #[arg(long, default_value = "fixtures/pdf")]
        pdfs: PathBuf,
        /// How many plans.
        #[arg(long, default_value_t = 250)]
        plans: usize,
        /// Seed of the variations.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The folder to write (created).
        out: PathBuf,
    },
    /// Compare OUT/expected.json with the pst.json of `pst ingest OUT/plans`.
    Check {
        /// expected.json written by `generate`.
        expected: PathBuf,
        /// pst.json written by `pst ingest`.
        pst: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Generate {
            corpus,
            pdfs,
            plans,
            seed,
            out,
        } => generate(&corpus, &pdfs, plans, seed, &out),
        Command::Check { expected, pst } => check(&expected, &pst),
    }
}
