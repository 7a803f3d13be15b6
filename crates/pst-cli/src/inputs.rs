//! Finding documents: files and folders (recursively), grouped into plans by folder,
//! with each folder's optional `plan.toml` manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pst_model::{Diagnostic, Period, Severity};
use pst_normalise::Manifest;
use serde::Deserialize;
use walkdir::WalkDir;

/// The file name of a plan folder's manifest.
const MANIFEST: &str = "plan.toml";

/// One plan's worth of document files.
#[derive(Debug, Default)]
pub(crate) struct Group {
    pub name: String,
    pub files: Vec<PathBuf>,
    pub manifest: Option<Manifest>,
}

/// What the inputs hold, plus what could not be read while looking.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub groups: Vec<Group>,
    pub diagnostics: Vec<Diagnostic>,
    pub unread: usize,
}

/// Paths as written in provenance: forward slashes.
pub(crate) fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

pub(crate) fn find(inputs: &[PathBuf]) -> Found {
    let mut found = Found::default();
    // Folder → its documents, in path order; files given alone are plans of their own.
    let mut folders: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut manifests: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut alone = Vec::new();
    for input in inputs {
        if input.is_file() {
            alone.push(input.clone());
            continue;
        }
        if !input.is_dir() {
            found.fail(input, "no such file or folder".to_owned());
            continue;
        }
        let walk = WalkDir::new(input)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e.path()) || e.depth() == 0);
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error
                        .path()
                        .map_or_else(|| input.clone(), Path::to_path_buf);
                    found.fail(&path, format!("cannot be listed: {error}"));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.into_path();
            let folder = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name == MANIFEST {
                manifests.insert(folder, path);
            } else if name.starts_with("readme") {
                found.diagnostics.push(Diagnostic::new(
                    Severity::Info,
                    display(&path),
                    None,
                    "skipped: a folder's README describes the folder, it is not a plan document",
                ));
            } else {
                folders.entry(folder).or_default().push(path);
            }
        }
    }
    for (folder, files) in folders {
        let manifest = manifests
            .get(&folder)
            .and_then(|path| found.read_manifest(path));
        let name = folder
            .file_name()
            .map_or_else(|| display(&folder), |n| n.to_string_lossy().into_owned());
        found.groups.push(Group {
            name,
            files,
            manifest,
        });
    }
    for file in alone {
        let name = file
            .file_stem()
            .map_or_else(|| display(&file), |n| n.to_string_lossy().into_owned());
        found.groups.push(Group {
            name,
            files: vec![file],
            manifest: None,
        });
    }
    found
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

#[derive(Debug, Deserialize)]
struct ManifestFile {
    organisation: Option<String>,
    period_start: Option<i32>,
    period_end: Option<i32>,
    ins: Option<String>,
}

impl Found {
    pub(crate) fn fail(&mut self, path: &Path, message: String) {
        self.unread += 1;
        self.diagnostics.push(Diagnostic::new(
            Severity::Error,
            display(path),
            None,
            message,
        ));
    }

    fn read_manifest(&mut self, path: &Path) -> Option<Manifest> {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                toml::from_str::<ManifestFile>(&text).map_err(|e| e.message().to_owned())
            });
        match parsed {
            Ok(file) => {
                let period = match (file.period_start, file.period_end) {
                    (Some(start), Some(end)) if start <= end => Some(Period { start, end }),
                    (None, None) => None,
                    _ => {
                        self.fail(
                            path,
                            "manifest period_start and period_end must both be given, start ≤ end"
                                .to_owned(),
                        );
                        None
                    }
                };
                let ins = file.ins.filter(|ins| {
                    let valid = ins.len() == 5 && ins.bytes().all(|b| b.is_ascii_digit());
                    if !valid {
                        self.fail(
                            path,
                            format!("manifest ins «{ins}» is not a 5-digit NIS code"),
                        );
                    }
                    valid
                });
                Some(Manifest {
                    path: display(path),
                    organisation: file.organisation,
                    period,
                    ins,
                })
            }
            Err(error) => {
                self.fail(
                    path,
                    format!(
                        "manifest cannot be read: {}",
                        error.trim_end_matches('.').to_lowercase()
                    ),
                );
                None
            }
        }
    }
}
