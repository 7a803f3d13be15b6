//! What a run says on standard error: every error and warning as `file:line: severity:
//! message` (errors only with `--quiet`), the closing summary, and a progress bar for
//! runs over a second when standard error is a terminal.

use std::io::IsTerminal;
use std::sync::Once;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pst_model::{Diagnostic, Severity};

/// `file:line: severity: message` (`file: severity: message` without a line).
pub(crate) fn line(diagnostic: &Diagnostic) -> String {
    let at = match diagnostic.line {
        Some(line) => format!("{}:{line}", diagnostic.source),
        None => diagnostic.source.clone(),
    };
    format!(
        "{at}: {}: {}",
        diagnostic.severity.as_str(),
        diagnostic.message
    )
}

/// Prints the errors and, unless `quiet`, the warnings.
pub(crate) fn print<'d>(diagnostics: impl IntoIterator<Item = &'d Diagnostic>, quiet: bool) {
    for diagnostic in diagnostics {
        let shown = match diagnostic.severity {
            Severity::Error => true,
            Severity::Warning => !quiet,
            Severity::Info => false,
        };
        if shown {
            eprintln!("{}", line(diagnostic));
        }
    }
}

/// A progress bar that shows itself only after a second, on a terminal.
pub(crate) struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: Once,
    allowed: bool,
}

impl Progress {
    /// A bar over `total` documents; never drawn when `quiet` or not on a terminal.
    pub(crate) fn new(total: usize, quiet: bool) -> Self {
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {elapsed} {wide_msg}")
        {
            bar.set_style(style);
        }
        Progress {
            bar,
            started: Instant::now(),
            shown: Once::new(),
            allowed: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// One more document read (`name`).
    pub(crate) fn done(&self, name: &str) {
        if self.allowed && self.started.elapsed() > Duration::from_secs(1) {
            self.shown.call_once(|| {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
            });
        }
        self.bar.set_message(name.to_owned());
        self.bar.inc(1);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
