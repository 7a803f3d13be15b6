//! `pst`: ingest PST documents of Walloon CPAS into the canonical JSON/CSV model.

mod compare;
mod export;
mod ingest;
mod inputs;
mod output;
mod pdf_process;
mod report;

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
    /// Write the plans of documents, folders or pst.json files for another tool.
    Export(ExportArgs),
    /// One row per plan (counts, data quality, progress, statuses, themes) as CSV.
    Compare(CompareArgs),
    /// A self-contained HTML report comparing the plans, with charts.
    Report(ReportArgs),
    /// Internal: extract a PDF's text layer from standard input, in a child process.
    #[command(name = pdf_process::CHILD_COMMAND, hide = true)]
    PdfText {
        /// Address-space limit in MiB.
        memory_mib: u64,
        /// Wall-clock limit in seconds (CPU time: twice this).
        seconds: u64,
    },
}

/// Arguments of `pst compare`.
#[derive(Debug, clap::Args)]
struct CompareArgs {
    /// Write the table to this file; without it, to standard output.
    #[arg(long, value_name = "FILE.csv")]
    out: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `pst report`.
#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// The HTML file to write.
    #[arg(long, value_name = "FILE.html")]
    out: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

/// What `export`, `compare` and `report` read.
#[derive(Debug, clap::Args)]
struct CommonArgs {
    /// A theme taxonomy (TOML, as `crates/pst-normalise/themes.toml`) instead of the
    /// shipped one.
    #[arg(long, value_name = "FILE.toml")]
    themes: Option<PathBuf>,
    /// A lexicon (TOML, as `crates/pst-parse/lexicon.toml`: level words, field labels,
    /// volets, sections) instead of the shipped one, for the documents read.
    #[arg(long, value_name = "FILE.toml")]
    lexicon: Option<PathBuf>,
    /// Refuse input files (documents, pst.json, plan.toml, themes) larger than this many
    /// bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 200 * 1024 * 1024)]
    max_bytes: u64,
    /// Print errors only: no warnings, no progress, no summary.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    pdf: pdf_process::PdfLimits,
    /// Documents, folders, or pst.json files written by `pst ingest`.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Arguments of `pst export`.
#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// The target format.
    #[arg(long, value_enum)]
    to: ExportFormat,
    /// The folder to write to.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

/// The CSV dialect of `pst ingest --out`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CsvDialectArg {
    /// RFC 4180, byte-faithful.
    Rfc4180,
    /// French-locale Excel.
    Excel,
}

impl From<CsvDialectArg> for pst_export::CsvDialect {
    fn from(arg: CsvDialectArg) -> Self {
        match arg {
            CsvDialectArg::Rfc4180 => pst_export::CsvDialect::Rfc4180,
            CsvDialectArg::Excel => pst_export::CsvDialect::Excel,
        }
    }
}

/// What `pst export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    /// DIR/PLAN-ID.xml per plan, eComptes import schema 201805V1.
    Ecomptes,
    /// DIR/actions.jsonl, one action per line with its plan, OS and OO.
    Jsonl,
    /// DIR/pst.xlsx: a follow-up sheet and a sheet per CSV table, typed cells.
    Xlsx,
}

/// Arguments of `pst ingest`.
#[derive(Debug, clap::Args)]
struct IngestArgs {
    /// Write DIR/pst.json and DIR/csv/*.csv; without it, pst.json goes to standard output.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Refuse input files (documents, plan.toml, themes) larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 200 * 1024 * 1024)]
    max_bytes: u64,
    /// Print errors only: no warnings, no progress, no summary.
    #[arg(long, short)]
    quiet: bool,
    /// CSV files for tools (rfc4180: `,` and LF) or for French-locale Excel (excel: `;`,
    /// CRLF, BOM, formula-like cells neutralised with a leading `'`).
    #[arg(long, value_enum, default_value_t = CsvDialectArg::Rfc4180)]
    csv_dialect: CsvDialectArg,
    /// A theme taxonomy (TOML) instead of the shipped one.
    #[arg(long, value_name = "FILE.toml")]
    themes: Option<PathBuf>,
    /// A lexicon (TOML, as `crates/pst-parse/lexicon.toml`: level words, field labels,
    /// volets, sections) instead of the shipped one.
    #[arg(long, value_name = "FILE.toml")]
    lexicon: Option<PathBuf>,
    /// Also write DIR/residue.csv: every line with text that was read into nothing
    /// (source, line, page, text).
    #[arg(long, requires = "out")]
    residue: bool,
    #[command(flatten)]
    pdf: pdf_process::PdfLimits,
    /// Files or folders; a folder's documents form one plan per folder.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::PdfText {
        memory_mib,
        seconds,
    } = cli.command
    {
        return pdf_process::child(memory_mib, seconds);
    }
    let quiet = match &cli.command {
        Command::Ingest(args) => args.quiet,
        Command::Export(args) => args.common.quiet,
        Command::Compare(args) => args.common.quiet,
        Command::Report(args) => args.common.quiet,
        Command::PdfText { .. } => true,
    };
    let outcome = match cli.command {
        Command::Ingest(args) => {
            ingest::run(&args).map(|report| (report.summary, report.unread_inputs))
        }
        Command::Export(args) => export::run(&args).map(|report| (report.summary, report.failures)),
        Command::Compare(args) => compare::compare(&args).map(|r| (r.summary, r.failures)),
        Command::Report(args) => compare::report(&args).map(|r| (r.summary, r.failures)),
        Command::PdfText { .. } => return ExitCode::SUCCESS,
    };
    match outcome {
        Ok((summary, failures)) => {
            if !quiet {
                eprintln!("{summary}");
            }
            if failures > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("pst: {error:#}");
            ExitCode::from(1)
        }
    }
}
