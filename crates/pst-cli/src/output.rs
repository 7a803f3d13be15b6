//! Writing `DIR/pst.json` and `DIR/csv/*.csv` atomically: everything is written to a
//! temporary folder inside DIR, then renamed into place.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use pst_export::{CsvDialect, Table, write_csv_with, write_json, write_residue};
use pst_model::{Pst, ResidueLine};

/// Writes `pst.json`, `csv/` and, when given, `residue.csv` into `dir`.
pub(crate) fn write_all(
    pst: &Pst,
    dir: &Path,
    dialect: CsvDialect,
    residue: Option<&[ResidueLine]>,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let staging = tempfile::Builder::new().prefix(".pst-").tempdir_in(dir)?;
    let csv_dir = staging.path().join("csv");
    std::fs::create_dir(&csv_dir)?;
    write_file(&staging.path().join("pst.json"), |out| {
        Ok(write_json(pst, out)?)
    })?;
    for table in Table::ALL {
        write_file(&csv_dir.join(table.file_name()), |out| {
            Ok(write_csv_with(pst, table, dialect, out)?)
        })?;
    }
    if let Some(residue) = residue {
        write_file(&staging.path().join("residue.csv"), |out| {
            Ok(write_residue(residue, dialect, out)?)
        })?;
    }
    let final_csv = dir.join("csv");
    if final_csv.exists() {
        std::fs::remove_dir_all(&final_csv).context("cannot replace the previous csv folder")?;
    }
    std::fs::rename(&csv_dir, &final_csv)?;
    std::fs::rename(staging.path().join("pst.json"), dir.join("pst.json"))?;
    if residue.is_some() {
        std::fs::rename(staging.path().join("residue.csv"), dir.join("residue.csv"))?;
    }
    Ok(())
}

/// Writes `path` through a temporary file in the same folder, renamed when complete.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let staging = tempfile::Builder::new().prefix(".pst-").tempdir_in(dir)?;
    let temp_path = staging.path().join("partial");
    write_file(&temp_path, write)?;
    std::fs::rename(&temp_path, path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn write_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    write(&mut out)?;
    out.flush()?;
    out.get_ref().sync_all()?;
    Ok(())
}
