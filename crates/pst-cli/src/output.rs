//! Writing outputs so that nothing is overwritten or lost.
//!
//! - One lock per output (`.NAME.pst-lock` beside it while a run writes): a second run to
//!   the same `--out` waits for the first, saying so.
//! - Everything is written into a staging folder or file beside the output
//!   (`.NAME.pst-staging-…`), then put in place in one step: an output folder is
//!   exchanged with the staging folder (`renameat2(RENAME_EXCHANGE)` on Linux), so the
//!   folder is always wholly the earlier run's or wholly this one's, and files of an
//!   earlier run that this run does not write are gone. Staging left by a killed run is
//!   removed by the next run to the same output.
//! - An output folder holding files `pst` did not write is refused, and so is an output
//!   that is, or holds, one of the run's inputs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use fs4::fs_std::FileExt;
use pst_export::{CsvDialect, Table, write_csv_with, write_json, write_residue};
use pst_model::{Pst, ResidueLine};

use crate::inputs::display;

/// The file that marks a folder as written by `pst`.
const MARKER: &str = ".pst-output";

/// What earlier versions of `pst` wrote into an output folder without a marker.
const KNOWN_OUTPUTS: [&str; 5] = [
    "pst.json",
    "csv",
    "residue.csv",
    "actions.jsonl",
    "pst.xlsx",
];

/// Writes `pst.json`, `csv/` and, when given, `residue.csv` as the folder `dir`.
pub(crate) fn write_all(
    pst: &Pst,
    dir: &Path,
    dialect: CsvDialect,
    residue: Option<&[ResidueLine]>,
    inputs: &[PathBuf],
) -> anyhow::Result<()> {
    write_folder(dir, inputs, |staging| {
        let csv_dir = staging.join("csv");
        std::fs::create_dir(&csv_dir)?;
        write_file(&staging.join("pst.json"), |out| Ok(write_json(pst, out)?))?;
        for table in Table::ALL {
            write_file(&csv_dir.join(table.file_name()), |out| {
                Ok(write_csv_with(pst, table, dialect, out)?)
            })?;
        }
        if let Some(residue) = residue {
            write_file(&staging.join("residue.csv"), |out| {
                Ok(write_residue(residue, dialect, out)?)
            })?;
        }
        Ok(())
    })
}

/// The folder and file name of `path`, `.` for a bare name.
fn split(path: &Path) -> anyhow::Result<(PathBuf, String)> {
    let name = path
        .file_name()
        .with_context(|| format!("{} cannot be an output", display(path)))?
        .to_string_lossy()
        .into_owned();
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// The lock of one output, held until dropped; the lock file is removed then.
pub(crate) struct Lock {
    file: File,
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a waiter then finds its file unlinked and retries.
        let _ = std::fs::remove_file(&self.path);
        let _ = FileExt::unlock(&self.file);
    }
}

/// Whether `file` is still the file at `path` (not unlinked by the run before).
#[cfg(unix)]
fn is_current(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(held), Ok(current)) => held.dev() == current.dev() && held.ino() == current.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_current(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Takes the output's lock (waiting for another run if need be) and removes the staging
/// that a killed run left.
fn lock(parent: &Path, name: &str) -> anyhow::Result<Lock> {
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", display(parent)))?;
    let path = parent.join(format!(".{name}.pst-lock"));
    let mut said = false;
    let file = loop {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot create the lock {}", display(&path)))?;
        if !file.try_lock_exclusive()? {
            if !said {
                eprintln!(
                    "pst: another run is writing {}: waiting for it",
                    display(&parent.join(name))
                );
                said = true;
            }
            file.lock_exclusive()?;
        }
        if is_current(&file, &path) {
            break file;
        }
    };
    let lock = Lock { file, path };
    let stale = [format!(".{name}.pst-staging-"), format!(".{name}.pst-old-")];
    for entry in std::fs::read_dir(parent)?.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if stale
            .iter()
            .any(|prefix| file_name.starts_with(prefix.as_str()))
        {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
    Ok(lock)
}

/// Refuses an output that is one of `inputs` or holds one.
fn check_not_an_input(target: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let Ok(target) = target.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        if let Ok(input) = input.canonicalize()
            && input.starts_with(&target)
        {
            if input == target {
                bail!("{} is one of the inputs: not overwritten", display(&target));
            }
            bail!(
                "{} holds the input {}: not overwritten",
                display(&target),
                display(&input)
            );
        }
    }
    Ok(())
}

/// Writes the folder `dir` as one unit: `fill` writes into a staging folder, which then
/// takes the place of `dir`.
pub(crate) fn write_folder(
    dir: &Path,
    inputs: &[PathBuf],
    fill: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    check_not_an_input(dir, inputs)?;
    let (parent, name) = split(dir)?;
    let _lock = lock(&parent, &name)?;
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} is a file, not a folder", display(dir));
        }
        let marked = dir.join(MARKER).exists();
        let foreign = std::fs::read_dir(dir)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n != MARKER && !KNOWN_OUTPUTS.contains(&n.as_str()));
        if let (false, Some(foreign)) = (marked, foreign) {
            bail!(
                "{} holds files pst did not write ({foreign}…): give an empty or new folder",
                display(dir)
            );
        }
    }
    let prefix = format!(".{name}.pst-staging-");
    let staging = staging(&prefix, 0o777).tempdir_in(&parent)?;
    write_file(&staging.path().join(MARKER), |out| {
        Ok(out
            .write_all(b"Written by pst: the whole folder is replaced by the next run to it.\n")?)
    })?;
    fill(staging.path())?;
    if dir.exists() {
        exchange(staging.path(), dir, &parent, &name)?;
        // The staging folder now holds the earlier output; dropping it removes it.
    } else {
        std::fs::rename(staging.path(), dir)
            .with_context(|| format!("cannot write {}", display(dir)))?;
    }
    Ok(())
}

/// Puts the folder `new` in the place of `dir`, and `dir`'s content at `new`.
#[cfg(target_os = "linux")]
fn exchange(new: &Path, dir: &Path, _parent: &Path, _name: &str) -> anyhow::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, new, CWD, dir, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // A file system without exchange: two renames.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {
            exchange_by_renames(new, dir, _parent, _name)
        }
        Err(error) => Err(std::io::Error::from(error))
            .with_context(|| format!("cannot replace {}", display(dir))),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(new: &Path, dir: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    exchange_by_renames(new, dir, parent, name)
}

/// `dir` aside, `new` in its place, the old content back at `new` (to be removed).
fn exchange_by_renames(new: &Path, dir: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.pst-old-"))
        .tempdir_in(parent)?;
    let aside = old.path().join("old");
    std::fs::rename(dir, &aside).with_context(|| format!("cannot replace {}", display(dir)))?;
    std::fs::rename(new, dir).with_context(|| format!("cannot replace {}", display(dir)))?;
    std::fs::rename(&aside, new)?;
    Ok(())
}

/// Writes the file `path` through a staging file beside it, renamed when complete.
pub(crate) fn write_atomically(
    path: &Path,
    inputs: &[PathBuf],
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    check_not_an_input(path, inputs)?;
    let (parent, name) = split(path)?;
    let _lock = lock(&parent, &name)?;
    if path.is_dir() {
        bail!("{} is a folder, not a file", display(path));
    }
    let prefix = format!(".{name}.pst-staging-");
    let staging = staging(&prefix, 0o666).tempfile_in(&parent)?;
    write_file(staging.path(), write)?;
    staging
        .persist(path)
        .with_context(|| format!("cannot write {}", display(path)))?;
    Ok(())
}

/// A staging file or folder named from `prefix`, with the permissions a plain
/// `create` would give (`mode` less the umask), not a temporary file's owner-only ones.
fn staging(prefix: &str, mode: u32) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder
}

/// Writes `path`, flushed and synced.
pub(crate) fn write_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    write(&mut out)?;
    out.flush()?;
    out.get_ref().sync_all()?;
    Ok(())
}
