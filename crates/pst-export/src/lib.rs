//! Writers of the canonical model: `pst.json` and the flat CSV tables.
//!
//! Exporters write to any [`std::io::Write`]; choosing files is the caller's job.
//!
//! ```
//! use pst_export::{write_csv, write_json, Table};
//! let pst = pst_model::Pst::default();
//! let mut json = Vec::new();
//! write_json(&pst, &mut json)?;
//! assert!(String::from_utf8_lossy(&json).contains("\"schema\": \"pst/1\""));
//! let mut csv = Vec::new();
//! write_csv(&pst, Table::Plans, &mut csv)?;
//! assert_eq!(csv, b"plan_id,organisation,period_start,period_end,sources\n");
//! # Ok::<(), pst_export::ExportError>(())
//! ```

mod csv_tables;

use std::io::Write;

use pst_model::Pst;

pub use csv_tables::{Table, write_csv};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The writer failed.
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    /// JSON serialisation failed.
    #[error("JSON serialisation failed: {0}")]
    Json(#[from] serde_json::Error),
    /// CSV serialisation failed.
    #[error("CSV serialisation failed: {0}")]
    Csv(#[from] csv::Error),
}

/// Writes `pst.json`: pretty-printed, fields in contract order, a final newline.
pub fn write_json(pst: &Pst, mut out: impl Write) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(&mut out, pst)?;
    out.write_all(b"\n")?;
    Ok(())
}
