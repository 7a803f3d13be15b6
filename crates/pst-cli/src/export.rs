//! `pst export`: the plans, from documents or from `pst.json` files, in another tool's
//! format: eComptes XML (one file per plan) or JSON Lines (one action per line).

use std::path::{Path, PathBuf};

use anyhow::Context;
use pst_model::{Pst, Severity};

use crate::inputs::display;
use crate::output::write_atomically;
use crate::{ExportArgs, ExportFormat};

/// What an export did.
pub(crate) struct Report {
    pub failures: usize,
    pub summary: String,
}

/// The plans of documents, folders and `pst.json` files, and the number of inputs that
/// could not be read. With a taxonomy, every action's themes are given anew from it.
pub(crate) fn load(
    inputs: &[PathBuf],
    max_bytes: u64,
    themes: Option<&Path>,
) -> anyhow::Result<(Pst, usize)> {
    let (json_files, documents): (Vec<PathBuf>, Vec<PathBuf>) =
        inputs.iter().cloned().partition(|path| is_pst_json(path));
    let mut failures = 0;
    let mut pst = if documents.is_empty() {
        Pst::default()
    } else {
        let crate::ingest::Collected { pst, unread, .. } =
            crate::ingest::collect(&documents, max_bytes);
        failures += unread;
        pst
    };
    for path in &json_files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", display(path)))?;
        let loaded: Pst = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a pst.json file", display(path)))?;
        pst.plans.extend(loaded.plans);
        pst.diagnostics.extend(loaded.diagnostics);
        if pst.themes.is_empty() {
            pst.themes = loaded.themes;
        }
    }
    match themes {
        Some(path) => pst_normalise::assign_themes(&mut pst, &read_taxonomy(path)?),
        // Plans read from pst.json files of older versions have no themes yet.
        None if pst.themes.is_empty() => {
            pst_normalise::assign_themes(&mut pst, &pst_normalise::Taxonomy::default());
        }
        None => {}
    }
    Ok((pst, failures))
}

/// A theme taxonomy file (`--themes`).
pub(crate) fn read_taxonomy(path: &Path) -> anyhow::Result<pst_normalise::Taxonomy> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", display(path)))?;
    pst_normalise::Taxonomy::from_toml(&text).with_context(|| display(path))
}

pub(crate) fn run(args: &ExportArgs) -> anyhow::Result<Report> {
    let (pst, mut failures) = load(&args.inputs, args.max_bytes, args.themes.as_deref())?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", display(&args.out)))?;
    let written = match args.to {
        ExportFormat::Xlsx => {
            let bytes = pst_export::write_xlsx(&pst)?;
            write_atomically(&args.out.join("pst.xlsx"), |out| {
                use std::io::Write;
                Ok(out.write_all(&bytes)?)
            })?;
            1
        }
        ExportFormat::Jsonl => {
            write_atomically(&args.out.join("actions.jsonl"), |out| {
                Ok(pst_export::write_jsonl(&pst, out)?)
            })?;
            1
        }
        ExportFormat::Ecomptes => {
            let mut written = 0;
            for plan in &pst.plans {
                let mut notes = Vec::new();
                let path = args.out.join(format!("{}.xml", file_stem(&plan.id)));
                let result = write_atomically(&path, |out| {
                    notes = pst_export::write_ecomptes(plan, out)?;
                    Ok(())
                });
                match result {
                    Ok(()) => written += 1,
                    Err(error) => {
                        failures += 1;
                        eprintln!("pst: {error:#}");
                    }
                }
                for note in notes.iter().filter(|n| n.severity != Severity::Info) {
                    eprintln!("pst: {}: {}", note.source, note.message);
                }
            }
            written
        }
    };
    Ok(Report {
        failures,
        summary: format!(
            "pst: {} plan(s) exported to {} file(s) in {}; {failures} failure(s)",
            pst.plans.len(),
            written,
            display(&args.out)
        ),
    })
}

/// A `.json` file whose content starts like a `pst.json` (`"schema": "pst/1"`).
fn is_pst_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        && path.is_file()
}

/// A plan id as a file name: `/` and other separators replaced.
fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
