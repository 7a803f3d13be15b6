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

mod compare;
mod csv_tables;
mod ecomptes;
mod report;
mod xlsx;

use std::io::Write;

use pst_model::Pst;

pub use compare::write_comparison;
pub use csv_tables::{CsvDialect, Table, write_csv, write_csv_with, write_residue};
pub use ecomptes::{is_xml_char, write_ecomptes, xml_text};
pub use report::write_report;
pub use xlsx::write_xlsx;

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
    /// XML serialisation failed.
    #[error("XML serialisation failed: {0}")]
    Xml(#[from] quick_xml::Error),
    /// The workbook could not be written.
    #[error("XLSX export failed: {0}")]
    Xlsx(String),
    /// The plan lacks what eComptes requires (INS code, period).
    #[error("eComptes export: {0}")]
    Ecomptes(String),
}

/// Writes `actions.jsonl`: one action per line, with its plan, OS and OO inlined, so that
/// a line stands on its own.
pub fn write_jsonl(pst: &Pst, mut out: impl Write) -> Result<(), ExportError> {
    for plan in &pst.plans {
        for os in &plan.strategic_objectives {
            for oo in &os.operational_objectives {
                for action in &oo.actions {
                    let line = serde_json::json!({
                        "plan": {
                            "id": plan.id,
                            "organisation": plan.organisation,
                            "period": plan.period,
                        },
                        "volet": os.volet,
                        "strategic_objective": {"id": os.id, "code": os.code, "title": os.title},
                        "operational_objective": {"id": oo.id, "code": oo.code, "title": oo.title},
                        "action": action,
                    });
                    serde_json::to_writer(&mut out, &line)?;
                    out.write_all(b"\n")?;
                }
            }
        }
    }
    Ok(())
}

/// Writes `pst.json`: pretty-printed, fields in contract order, a final newline.
pub fn write_json(pst: &Pst, mut out: impl Write) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(&mut out, pst)?;
    out.write_all(b"\n")?;
    Ok(())
}
