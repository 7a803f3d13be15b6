//! `pst export`: the plans, from documents or from `pst.json` files, in another tool's
//! format: eComptes XML (one file per plan), JSON Lines (one action per line) or XLSX.
//!
//! Every input is read on its own: a bad one is named, the others are written, exit 1.
//! A plan met twice (the same documents in two inputs) is kept once; two different plans
//! with one id are both kept, and their eComptes files get distinct names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use pst_model::{Diagnostic, Plan, Pst, Severity};

use crate::inputs::{display, read_bounded};
use crate::output::{write_file, write_folder};
use crate::report;
use crate::{CommonArgs, ExportArgs, ExportFormat};

/// What an export did.
pub(crate) struct Report {
    pub failures: usize,
    pub summary: String,
}

/// The plans of every input, read.
pub(crate) struct Loaded {
    /// The plans, each once.
    pub pst: Pst,
    /// How many inputs could not be read.
    pub failures: usize,
    /// Every file read, which no output may replace.
    pub files: Vec<PathBuf>,
}

/// The plans of documents, folders and `pst.json` files, and the number of inputs that
/// could not be read; what went wrong is printed. All plans share one theme taxonomy:
/// `--themes`, else the shipped one; a `pst.json` read with another is given its themes
/// anew.
pub(crate) fn load(args: &CommonArgs) -> anyhow::Result<Loaded> {
    let taxonomy = taxonomy(args.themes.as_deref(), args.max_bytes)?;
    let (json_files, documents): (Vec<PathBuf>, Vec<PathBuf>) = args
        .inputs
        .iter()
        .cloned()
        .partition(|path| is_pst_json(path));
    let mut failures = 0;
    let mut files = json_files.clone();
    files.extend(args.themes.iter().cloned());
    files.extend(args.lexicon.iter().cloned());
    // What this run finds wrong (a pst.json's own diagnostics were printed when it was
    // written).
    let mut fresh = Vec::new();
    let mut pst = if documents.is_empty() {
        Pst {
            themes: taxonomy.definitions(),
            ..Pst::default()
        }
    } else {
        let lexicon = crate::ingest::lexicon(args.lexicon.as_deref(), args.max_bytes)?;
        let collected = crate::ingest::collect(
            &documents,
            args.max_bytes,
            &taxonomy,
            &lexicon,
            args.pdf,
            args.quiet,
        );
        failures += collected.unread;
        files.extend(collected.files);
        fresh.extend(collected.pst.diagnostics.iter().cloned());
        collected.pst
    };
    // Where each plan came from, for naming duplicates.
    let mut origins: Vec<String> = pst.plans.iter().map(first_source).collect();
    for path in &json_files {
        let name = display(path);
        let loaded = read_bounded(path, args.max_bytes).and_then(|bytes| {
            serde_json::from_slice::<Pst>(&bytes).map_err(|e| format!("not a pst.json file: {e}"))
        });
        let mut loaded = match loaded {
            Ok(loaded) => loaded,
            Err(message) => {
                failures += 1;
                let diagnostic = Diagnostic::new(Severity::Error, &name, None, message);
                fresh.push(diagnostic.clone());
                pst.diagnostics.push(diagnostic);
                continue;
            }
        };
        if loaded.themes != pst.themes {
            pst_normalise::assign_themes(&mut loaded, &taxonomy);
        }
        origins.extend(loaded.plans.iter().map(|_| name.clone()));
        pst.plans.extend(loaded.plans);
        pst.diagnostics.extend(loaded.diagnostics);
    }
    let duplicates = deduplicate(&mut pst.plans, &origins);
    fresh.extend(duplicates.iter().cloned());
    pst.diagnostics.extend(duplicates);
    report::print(&fresh, args.quiet);
    Ok(Loaded {
        pst,
        failures,
        files,
    })
}

pub(crate) fn first_source(plan: &Plan) -> String {
    plan.sources
        .first()
        .map_or_else(|| plan.id.clone(), |s| s.path.clone())
}

/// Keeps each plan once: a plan with the id and the documents (by their SHA-256) of an
/// earlier one is dropped; two different plans with one id are both kept. Each case is a
/// warning.
pub(crate) fn deduplicate(plans: &mut Vec<Plan>, origins: &[String]) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    let mut kept: Vec<(Plan, &str)> = Vec::new();
    for (plan, origin) in std::mem::take(plans).into_iter().zip(origins) {
        let documents = |p: &Plan| {
            p.sources
                .iter()
                .map(|s| s.sha256.clone())
                .collect::<Vec<_>>()
        };
        match kept.iter().find(|(k, _)| k.id == plan.id) {
            Some((earlier, earlier_origin)) if documents(earlier) == documents(&plan) => {
                notes.push(Diagnostic::new(
                    Severity::Warning,
                    origin.as_str(),
                    None,
                    format!(
                        "duplicate plan {}: the same documents as in {earlier_origin}: counted once",
                        plan.id
                    ),
                ));
                continue;
            }
            Some((_, earlier_origin)) => notes.push(Diagnostic::new(
                Severity::Warning,
                origin.as_str(),
                None,
                format!(
                    "plan id {} is also the id of a different plan in {earlier_origin}: both kept",
                    plan.id
                ),
            )),
            None => {}
        }
        kept.push((plan, origin));
    }
    plans.extend(kept.into_iter().map(|(plan, _)| plan));
    notes
}

/// The theme taxonomy of `--themes FILE`, or the shipped one.
pub(crate) fn taxonomy(
    themes: Option<&Path>,
    max_bytes: u64,
) -> anyhow::Result<pst_normalise::Taxonomy> {
    let Some(path) = themes else {
        return Ok(pst_normalise::Taxonomy::default());
    };
    let bytes = read_bounded(path, max_bytes)
        .map_err(anyhow::Error::msg)
        .with_context(|| display(path))?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", display(path)))?;
    pst_normalise::Taxonomy::from_toml(&text).with_context(|| display(path))
}

pub(crate) fn run(args: &ExportArgs) -> anyhow::Result<Report> {
    let Loaded {
        pst,
        mut failures,
        files,
    } = load(&args.common)?;
    if pst.plans.is_empty() && failures > 0 && has_content(&args.out) {
        return Ok(Report {
            failures,
            summary: format!(
                "pst: every input failed: nothing written, {} left as it was",
                display(&args.out)
            ),
        });
    }
    let mut notes = Vec::new();
    let mut written = 0;
    write_folder(&args.out, &files, |dir| {
        match args.to {
            ExportFormat::Xlsx => {
                let (bytes, cuts) = pst_export::write_xlsx(&pst)?;
                notes.extend(cuts);
                write_file(&dir.join("pst.xlsx"), |out| {
                    use std::io::Write;
                    Ok(out.write_all(&bytes)?)
                })?;
                written = 1;
            }
            ExportFormat::Jsonl => {
                write_file(&dir.join("actions.jsonl"), |out| {
                    Ok(pst_export::write_jsonl(&pst, out)?)
                })?;
                written = 1;
            }
            ExportFormat::Ecomptes => {
                let mut names = FileNames::default();
                for plan in &pst.plans {
                    let mut buffer = Vec::new();
                    match pst_export::write_ecomptes(plan, &mut buffer) {
                        Ok(plan_notes) => notes.extend(plan_notes),
                        Err(error) => {
                            failures += 1;
                            notes.push(Diagnostic::new(
                                Severity::Error,
                                first_source(plan),
                                None,
                                error.to_string(),
                            ));
                            continue;
                        }
                    }
                    let (name, note) = names.name(plan);
                    notes.extend(note);
                    write_file(&dir.join(&name), |out| {
                        use std::io::Write;
                        Ok(out.write_all(&buffer)?)
                    })?;
                    written += 1;
                }
            }
        }
        Ok(())
    })
    .with_context(|| format!("cannot write to {}", display(&args.out)))?;
    report::print(&notes, args.common.quiet);
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

/// Whether `path` is a file, or a folder with something in it.
pub(crate) fn has_content(path: &Path) -> bool {
    path.is_file() || std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
}

/// A `.json` file whose content starts like a `pst.json` (`"schema": "pst/1"`).
fn is_pst_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        && path.is_file()
}

/// The longest file stem given to a plan, in bytes: with `-NNN.xml`, well within the 255
/// bytes of common file systems.
const STEM_MAX: usize = 200;

/// File names of one eComptes export: one per plan, never twice (case folded, as on
/// case-insensitive file systems), never over 255 bytes.
#[derive(Default)]
struct FileNames {
    taken: BTreeSet<String>,
}

impl FileNames {
    /// The file name of `plan`, and a warning when it is not simply its id.
    fn name(&mut self, plan: &Plan) -> (String, Option<Diagnostic>) {
        let mut stem = file_stem(&plan.id);
        let mut notes = Vec::new();
        if stem.len() > STEM_MAX {
            stem.truncate(STEM_MAX);
            notes.push(format!("file name cut to {STEM_MAX} bytes"));
        }
        let mut name = format!("{stem}.xml");
        let mut n = 1;
        while self.taken.contains(&name.to_lowercase()) {
            n += 1;
            let taken = name;
            name = format!("{stem}-{n}.xml");
            if n == 2 {
                notes.push(format!("{taken} is taken by another plan"));
            }
        }
        self.taken.insert(name.to_lowercase());
        let note = (!notes.is_empty()).then(|| {
            Diagnostic::new(
                Severity::Warning,
                first_source(plan),
                None,
                format!(
                    "eComptes: plan {} written to {name}: {}",
                    shorten_id(&plan.id),
                    notes.join("; ")
                ),
            )
        });
        (name, note)
    }
}

fn shorten_id(id: &str) -> String {
    pst_model::shorten(id, 80)
}

/// A plan id as a file name: `/` and other separators replaced (ASCII only).
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
