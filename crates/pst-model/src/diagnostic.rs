//! Diagnostics: what could not be read or looked doubtful, always with a location.

use serde::{Deserialize, Serialize};

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A file could not be read at all.
    Error,
    /// Something was read but may be wrong, or was kept under a placeholder.
    Warning,
    /// Worth knowing; nothing is wrong with the output.
    Info,
}

impl Severity {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One message about one place of one source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// The source's path.
    pub source: String,
    /// 1-based line, when the message is about one line.
    pub line: Option<u32>,
    /// Lower case, no trailing full stop.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about `source` (and `line`, if any).
    pub fn new(
        severity: Severity,
        source: impl Into<String>,
        line: Option<u32>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            source: source.into(),
            line,
            message: message.into(),
        }
    }
}
