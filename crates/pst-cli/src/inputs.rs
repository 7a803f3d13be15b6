//! Finding documents: files and folders (recursively), grouped into plans by folder,
//! with each folder's optional `plan.toml` manifest. Symbolic links are followed (a
//! loop or a broken link is named); every file is read within `--max-bytes`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use pst_model::{Diagnostic, Period, Severity};
use pst_normalise::Manifest;
use serde::Deserialize;
use toml::Spanned;
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

/// The bytes of `path`, refused past `max_bytes` (`--max-bytes`): the message says why.
pub(crate) fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
    let size = file
        .metadata()
        .map_err(|e| format!("cannot be read: {e}"))?
        .len();
    if size > max_bytes {
        return Err(format!(
            "{size} bytes is over the limit of {max_bytes} bytes (--max-bytes): not read"
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    // A file that grew while read (or a device claiming size 0).
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "over the limit of {max_bytes} bytes (--max-bytes): not read"
        ));
    }
    Ok(bytes)
}

/// Paths as written in provenance: forward slashes.
pub(crate) fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

pub(crate) fn find(inputs: &[PathBuf], max_bytes: u64) -> Found {
    let mut found = Found::default();
    // Folder → its documents, in path order; files given alone are plans of their own.
    let mut folders: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut manifests: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut alone = Vec::new();
    // Each file once, whatever the paths that reach it (overlapping inputs, `./`, links).
    let mut seen = Seen::default();
    for input in inputs {
        if input.is_file() {
            if seen.first_time(input, &mut found) {
                alone.push(input.clone());
            }
            continue;
        }
        if !input.is_dir() {
            found.fail(input, "no such file or folder".to_owned());
            continue;
        }
        let mut walk = WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e.path()) || e.depth() == 0);
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error
                        .path()
                        .map_or_else(|| input.clone(), Path::to_path_buf);
                    let message = match (error.loop_ancestor(), error.io_error()) {
                        (Some(ancestor), _) => format!(
                            "symbolic link loop back to {}: not followed",
                            display(ancestor)
                        ),
                        (None, Some(io)) if io.kind() == std::io::ErrorKind::NotFound => {
                            "broken symbolic link: its target does not exist".to_owned()
                        }
                        _ => format!("cannot be listed: {error}"),
                    };
                    found.fail(&path, message);
                    continue;
                }
            };
            // pst's own output (pst.json and csv/, written by an earlier run) is not a
            // plan's documents.
            if entry.file_type().is_dir()
                && entry.depth() > 0
                && is_pst_output(&entry.path().join("pst.json"))
            {
                found.diagnostics.push(Diagnostic::new(
                    Severity::Info,
                    display(entry.path()),
                    None,
                    "skipped: pst's own output folder (pst.json written by pst ingest), not \
                     documents",
                ));
                walk.skip_current_dir();
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.into_path();
            if is_pst_output(&path) {
                found.diagnostics.push(Diagnostic::new(
                    Severity::Info,
                    display(&path),
                    None,
                    "skipped: a pst.json written by pst ingest is not a document (give it alone \
                     to read its plans)",
                ));
                continue;
            }
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
                if seen.first_time(&path, &mut found) {
                    folders.entry(folder).or_default().push(path);
                }
            }
        }
    }
    for (folder, files) in folders {
        let manifest = manifests
            .get(&folder)
            .and_then(|path| found.read_manifest(path, max_bytes));
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

/// The files met so far, by canonical path, with the path they were first met by.
#[derive(Default)]
struct Seen(std::collections::HashMap<PathBuf, PathBuf>);

impl Seen {
    /// Whether `path` is met for the first time; if not, a warning says so.
    fn first_time(&mut self, path: &Path, found: &mut Found) -> bool {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        match self.0.get(&key) {
            Some(first) => {
                found.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    display(path),
                    None,
                    format!("the same file as {}: read once", display(first)),
                ));
                false
            }
            None => {
                self.0.insert(key, path.to_path_buf());
                true
            }
        }
    }
}

/// A JSON file written by `pst` (its `"schema": "pst/1"` near the top).
pub(crate) fn is_pst_output(path: &Path) -> bool {
    use std::io::Read;
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return false;
    }
    let mut head = [0u8; 256];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let read = file.read(&mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..read]);
    head.trim_start().starts_with('{') && head.contains("\"schema\": \"pst/")
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    organisation: Option<String>,
    period_start: Option<Spanned<i32>>,
    period_end: Option<Spanned<i32>>,
    ins: Option<Spanned<String>>,
}

/// The 1-based line of byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> u32 {
    let before = text.get(..offset).unwrap_or_default();
    u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX)
}

impl Found {
    pub(crate) fn fail(&mut self, path: &Path, message: String) {
        self.fail_at(path, None, message);
    }

    fn fail_at(&mut self, path: &Path, line: Option<u32>, message: String) {
        self.unread += 1;
        self.diagnostics.push(Diagnostic::new(
            Severity::Error,
            display(path),
            line,
            message,
        ));
    }

    /// Reads a `plan.toml`: strictly (an unknown key is an error with its line).
    fn read_manifest(&mut self, path: &Path, max_bytes: u64) -> Option<Manifest> {
        let parsed = read_bounded(path, max_bytes)
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned()))
            .map_err(|e| (None, e))
            .and_then(|text| {
                toml::from_str::<ManifestFile>(&text)
                    .map(|file| (file, text.clone()))
                    .map_err(|e| {
                        let line = e.span().map(|span| line_of(&text, span.start));
                        let message = e
                            .message()
                            .trim_end_matches('.')
                            .replace("unknown field", "unknown key");
                        (line, format!("manifest cannot be read: {message}"))
                    })
            });
        match parsed {
            Ok((file, text)) => {
                let line = |value: Option<usize>| value.map(|offset| line_of(&text, offset));
                let period = match (&file.period_start, &file.period_end) {
                    (Some(start), Some(end)) if start.get_ref() <= end.get_ref() => Some(Period {
                        start: *start.get_ref(),
                        end: *end.get_ref(),
                    }),
                    (None, None) => None,
                    (start, end) => {
                        let at = start.as_ref().or(end.as_ref()).map(|s| s.span().start);
                        self.fail_at(
                            path,
                            line(at),
                            "manifest period_start and period_end must both be given, start ≤ end"
                                .to_owned(),
                        );
                        None
                    }
                };
                let ins = file.ins.and_then(|ins| {
                    let at = line(Some(ins.span().start));
                    let ins = ins.into_inner();
                    let valid = ins.len() == 5 && ins.bytes().all(|b| b.is_ascii_digit());
                    if !valid {
                        self.fail_at(
                            path,
                            at,
                            format!("manifest ins «{ins}» is not a 5-digit NIS code"),
                        );
                    }
                    valid.then_some(ins)
                });
                Some(Manifest {
                    path: display(path),
                    organisation: file.organisation,
                    period,
                    ins,
                })
            }
            Err((line, message)) => {
                self.fail_at(path, line, message);
                None
            }
        }
    }
}
