//! `pst export`: the plans, from documents or from `pst.json` files, in another tool's
//! format: eComptes XML (one file per plan) or JSON Lines (one action per line).

use std::path::{Path, PathBuf};

use anyhow::Context;
use pst_model::{Pst, Severity};

use crate::inputs::display;
use crate::output::write_atomically;
use crate::{CommonArgs, ExportArgs, ExportFormat};

/// What an export did.
pub(crate) struct Report {
    pub failures: usize,
    pub summary: String,
}

/// The plans of documents, folders and `pst.json` files, and the number of inputs that
/// could not be read. All plans share one theme taxonomy: `--themes`, else the shipped
/// one; a `pst.json` read with another is given its themes anew.
pub(crate) fn load(args: &CommonArgs) -> anyhow::Result<(Pst, usize)> {
    let taxonomy = taxonomy(args.themes.as_deref())?;
    let (json_files, documents): (Vec<PathBuf>, Vec<PathBuf>) = args
        .inputs
        .iter()
        .cloned()
        .partition(|path| is_pst_json(path));
    let mut failures = 0;
    let mut pst = if documents.is_empty() {
        Pst {
            themes: taxonomy.definitions(),
            ..Pst::default()
        }
    } else {
        let crate::ingest::Collected { pst, unread, .. } =
            crate::ingest::collect(&documents, args.max_bytes, &taxonomy);
        failures += unread;
        pst
    };
    for path in &json_files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", display(path)))?;
        let mut loaded: Pst = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a pst.json file", display(path)))?;
        if loaded.themes != pst.themes {
            pst_normalise::assign_themes(&mut loaded, &taxonomy);
        }
        pst.plans.extend(loaded.plans);
        pst.diagnostics.extend(loaded.diagnostics);
    }
    Ok((pst, failures))
}

/// The theme taxonomy of `--themes FILE`, or the shipped one.
pub(crate) fn taxonomy(themes: Option<&Path>) -> anyhow::Result<pst_normalise::Taxonomy> {
    let Some(path) = themes else {
        return Ok(pst_normalise::Taxonomy::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", display(path)))?;
    pst_normalise::Taxonomy::from_toml(&text).with_context(|| display(path))
}

pub(crate) fn run(args: &ExportArgs) -> anyhow::Result<Report> {
    let (pst, mut failures) = load(&args.common)?;
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
