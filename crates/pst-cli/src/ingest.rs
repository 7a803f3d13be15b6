//! `pst ingest`: find, read and parse the documents (in parallel), build the plans,
//! write the outputs.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use pst_model::{Diagnostic, Pst, ResidueLine, Severity};
use pst_normalise::PlanInput;
use pst_parse::ParsedDocument;
use rayon::prelude::*;

use crate::IngestArgs;
use crate::export::taxonomy;
use crate::inputs::{self, display, read_bounded};
use crate::output;
use crate::pdf_process::PdfLimits;
use crate::report::{self, Progress};

/// What a run did, for the exit status and the closing line on standard error.
pub(crate) struct Report {
    pub unread_inputs: usize,
    pub summary: String,
}

pub(crate) fn run(args: &IngestArgs) -> anyhow::Result<Report> {
    let Collected {
        pst,
        unread,
        residue,
        files,
    } = collect(
        &args.inputs,
        args.max_bytes,
        &taxonomy(args.themes.as_deref(), args.max_bytes)?,
        &lexicon(args.lexicon.as_deref(), args.max_bytes)?,
        args.pdf,
        args.quiet,
    );
    report::print(&pst.diagnostics, args.quiet);
    match &args.out {
        // A run that read nothing (a typo in the path) keeps an earlier output.
        Some(dir) if pst.plans.is_empty() && unread > 0 && dir.join("pst.json").exists() => {
            eprintln!(
                "pst: every input failed: nothing written, {} left as it was",
                display(dir)
            );
        }
        Some(dir) => {
            let residue = args.residue.then_some(residue.as_slice());
            output::write_all(&pst, dir, args.csv_dialect.into(), residue, &files)
                .with_context(|| format!("cannot write to {}", display(dir)))?
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            pst_export::write_json(&pst, &mut out)
                .and_then(|()| Ok(out.flush()?))
                .context("cannot write to standard output")?
        }
    }
    Ok(Report {
        unread_inputs: unread,
        summary: summary(&pst, unread),
    })
}

/// What reading the inputs gave.
pub(crate) struct Collected {
    /// The plans.
    pub pst: Pst,
    /// How many inputs could not be read.
    pub unread: usize,
    /// The lines of the documents read into nothing, in input order.
    pub residue: Vec<ResidueLine>,
    /// Every file found (documents and manifests), which no output may replace.
    pub files: Vec<PathBuf>,
}

/// Finds, reads and parses the inputs and builds the plans; what went wrong is in the
/// plans' diagnostics, for the caller to print.
pub(crate) fn collect(
    paths: &[PathBuf],
    max_bytes: u64,
    taxonomy: &pst_normalise::Taxonomy,
    lexicon: &pst_parse::Lexicon,
    pdf: PdfLimits,
    quiet: bool,
) -> Collected {
    // A pst.json given as an input is loaded as it is, not read as a document.
    let (json_inputs, document_inputs): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .iter()
        .cloned()
        .partition(|path| path.is_file() && inputs::is_pst_output(path));
    let mut found = inputs::find(&document_inputs, max_bytes);
    let mut files: Vec<PathBuf> = paths.to_vec();
    files.extend(found.groups.iter().flat_map(|g| g.files.iter().cloned()));
    files.extend(
        found
            .groups
            .iter()
            .filter_map(|g| g.manifest.as_ref().map(|m| PathBuf::from(&m.path))),
    );
    let mut plan_inputs = Vec::new();
    let mut residue = Vec::new();
    // Every document of every plan in one parallel pass (a region is many plans of one
    // or two documents each), collected in input order.
    let documents: Vec<&PathBuf> = found.groups.iter().flat_map(|g| &g.files).collect();
    let progress = Progress::new(documents.len(), quiet);
    let mut parsed = documents
        .par_iter()
        .map(|path| {
            let result = read_document(path, max_bytes, lexicon, pdf);
            progress.done(&display(path));
            result
        })
        .collect::<Vec<Result<ParsedDocument, Diagnostic>>>()
        .into_iter();
    for group in std::mem::take(&mut found.groups) {
        let mut documents = Vec::new();
        for result in parsed.by_ref().take(group.files.len()) {
            match result {
                Ok(mut document) => {
                    residue.append(&mut document.residue);
                    documents.push(document);
                }
                Err(diagnostic) => {
                    found.unread += 1;
                    found.diagnostics.push(diagnostic);
                }
            }
        }
        if !documents.is_empty() {
            plan_inputs.push(PlanInput {
                name: group.name,
                documents,
                manifest: group.manifest,
            });
        }
    }
    drop(progress);
    let mut pst = pst_normalise::build_with(plan_inputs, found.diagnostics, taxonomy);
    let mut unread = found.unread;
    if !json_inputs.is_empty() {
        let mut origins: Vec<String> = pst.plans.iter().map(crate::export::first_source).collect();
        for path in &json_inputs {
            let name = display(path);
            let loaded = read_bounded(path, max_bytes).and_then(|bytes| {
                serde_json::from_slice::<Pst>(&bytes)
                    .map_err(|e| format!("not a pst.json file: {e}"))
            });
            match loaded {
                Ok(loaded) => {
                    origins.extend(loaded.plans.iter().map(|_| name.clone()));
                    pst.plans.extend(loaded.plans);
                    pst.diagnostics.extend(loaded.diagnostics);
                }
                Err(message) => {
                    unread += 1;
                    pst.diagnostics
                        .push(Diagnostic::new(Severity::Error, &name, None, message));
                }
            }
        }
        let duplicates = crate::export::deduplicate(&mut pst.plans, &origins);
        pst.diagnostics.extend(duplicates);
    }
    Collected {
        pst,
        unread,
        residue,
        files,
    }
}

/// Reads and parses one file; any failure is an error diagnostic naming the file.
fn read_document(
    path: &Path,
    max_bytes: u64,
    lexicon: &pst_parse::Lexicon,
    pdf: PdfLimits,
) -> Result<ParsedDocument, Diagnostic> {
    let name = display(path);
    let fail = |message: String| Diagnostic::new(Severity::Error, &name, None, message);
    let bytes = read_bounded(path, max_bytes).map_err(fail)?;
    // PDFs are read in a child process: a hostile one cannot take the run down.
    let read_pdf = |bytes: &[u8]| crate::pdf_process::extract(bytes, pdf);
    pst_parse::parse_with_pdf_reader(&name, &bytes, lexicon, &read_pdf)
        .map_err(|e| fail(e.to_string()))
}

/// The lexicon of `--lexicon FILE`, or the shipped one.
pub(crate) fn lexicon(path: Option<&Path>, max_bytes: u64) -> anyhow::Result<pst_parse::Lexicon> {
    let Some(path) = path else {
        return Ok(pst_parse::Lexicon::default());
    };
    let bytes = read_bounded(path, max_bytes)
        .map_err(anyhow::Error::msg)
        .with_context(|| display(path))?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", display(path)))?;
    pst_parse::Lexicon::from_toml(&text).with_context(|| display(path))
}

pub(crate) fn summary(pst: &Pst, unread: usize) -> String {
    let objectives = pst.plans.iter().flat_map(|p| &p.strategic_objectives);
    let os = objectives.clone().count();
    let oo = objectives
        .clone()
        .map(|o| o.operational_objectives.len())
        .sum::<usize>();
    let actions = objectives
        .flat_map(|o| &o.operational_objectives)
        .map(|o| o.actions.len())
        .sum::<usize>();
    let count = |severity| {
        pst.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    format!(
        "pst: {} plan(s), {os} OS, {oo} OO, {actions} actions; {} error(s), {} warning(s), {} info; {unread} input(s) not read",
        pst.plans.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    )
}
