//! `pst compare` and `pst report`: the plans side by side, as a CSV table or as an HTML
//! report with charts.

use std::io::Write;

use anyhow::Context;

use crate::export::{Report, load};
use crate::inputs::display;
use crate::output::write_atomically;
use crate::{CompareArgs, ReportArgs};

pub(crate) fn compare(args: &CompareArgs) -> anyhow::Result<Report> {
    let (pst, failures) = load(&args.common)?;
    match &args.out {
        Some(path) => write_atomically(path, |out| Ok(pst_export::write_comparison(&pst, out)?))?,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            pst_export::write_comparison(&pst, &mut out)
                .and_then(|()| Ok(out.flush()?))
                .context("cannot write to standard output")?;
        }
    }
    Ok(Report {
        failures,
        summary: format!(
            "pst: {} plan(s) compared; {failures} input(s) not read",
            pst.plans.len()
        ),
    })
}

pub(crate) fn report(args: &ReportArgs) -> anyhow::Result<Report> {
    let (pst, failures) = load(&args.common)?;
    write_atomically(&args.out, |out| Ok(pst_export::write_report(&pst, out)?))?;
    Ok(Report {
        failures,
        summary: format!(
            "pst: report on {} plan(s) written to {}; {failures} input(s) not read",
            pst.plans.len(),
            display(&args.out)
        ),
    })
}
