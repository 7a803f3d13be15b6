//! `pst compare` and `pst report`: the plans side by side, as a CSV table or as an HTML
//! report with charts.

use std::io::Write;

use anyhow::Context;

use crate::export::{Loaded, Report, has_content, load};
use crate::inputs::display;
use crate::output::write_atomically;
use crate::{CompareArgs, ReportArgs};

pub(crate) fn compare(args: &CompareArgs) -> anyhow::Result<Report> {
    let Loaded {
        pst,
        failures,
        files,
    } = load(&args.common)?;
    if pst.plans.is_empty() && failures > 0 && args.out.as_deref().is_none_or(has_content) {
        return Ok(nothing_read(failures, args.out.as_deref()));
    }
    match &args.out {
        Some(path) => write_atomically(path, &files, |out| {
            Ok(pst_export::write_comparison(&pst, out)?)
        })?,
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
    let Loaded {
        pst,
        failures,
        files,
    } = load(&args.common)?;
    if pst.plans.is_empty() && failures > 0 && has_content(&args.out) {
        return Ok(nothing_read(failures, Some(&args.out)));
    }
    write_atomically(&args.out, &files, |out| {
        Ok(pst_export::write_report(&pst, out)?)
    })?;
    Ok(Report {
        failures,
        summary: format!(
            "pst: report on {} plan(s) written to {}; {failures} input(s) not read",
            pst.plans.len(),
            display(&args.out)
        ),
    })
}

/// Every input failed: nothing is written, an earlier output stays.
fn nothing_read(failures: usize, out: Option<&std::path::Path>) -> Report {
    Report {
        failures,
        summary: match out {
            Some(out) => format!(
                "pst: every input failed: nothing written, {} left as it was",
                display(out)
            ),
            None => "pst: every input failed: nothing written".to_owned(),
        },
    }
}
