//! Builds the OS → OO → action tree as a parser meets labels, in document order.
//!
//! Shared by every parser: it keeps the current volet, OS and OO, gives actions without a
//! code their position, and never drops content: an OO or action that comes before any
//! parent is kept under a placeholder parent, with a warning.

use crate::Body;
use pst_model::{
    Action, Diagnostic, OperationalObjective, Provenance, Severity, StrategicObjective, Volet,
};

const PLACEHOLDER_OS_TITLE: &str = "(objectif stratégique non indiqué dans le document)";
const PLACEHOLDER_OO_TITLE: &str = "(objectif opérationnel non indiqué dans le document)";

pub(crate) struct TreeBuilder<'s> {
    source: &'s str,
    volet: Option<Volet>,
    /// An OS was opened since the last volet heading.
    os_open: bool,
    /// An OO was opened since the last OS.
    oo_open: bool,
    objectives: Vec<StrategicObjective>,
    diagnostics: Vec<Diagnostic>,
    /// The kind of the entity read last, for titles that wrap onto following lines.
    last: Option<Level>,
}

/// A level of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Strategic,
    Operational,
    Action,
}

impl<'s> TreeBuilder<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        TreeBuilder {
            source,
            volet: None,
            os_open: false,
            oo_open: false,
            objectives: Vec::new(),
            diagnostics: Vec::new(),
            last: None,
        }
    }

    fn provenance(&self, line: u32) -> Vec<Provenance> {
        vec![Provenance {
            source: self.source.to_owned(),
            line,
            page: None,
        }]
    }

    pub(crate) fn diagnose(&mut self, severity: Severity, line: u32, message: String) {
        self.diagnostics
            .push(Diagnostic::new(severity, self.source, Some(line), message));
    }

    /// An entity without a title is kept, with a warning.
    fn require_title(&mut self, title: &str, line: u32, what: impl FnOnce() -> String) {
        if title.trim().is_empty() {
            let message = format!("{} has no title", what());
            self.diagnose(Severity::Warning, line, message);
        }
    }

    pub(crate) fn volet(&mut self, volet: Volet) {
        self.volet = Some(volet);
        self.os_open = false;
        self.oo_open = false;
    }

    pub(crate) fn strategic(&mut self, number: u32, title: &str, line: u32) {
        self.require_title(title, line, || format!("strategic objective {number}"));
        let objective = StrategicObjective {
            code: format!("OS{number}"),
            volet: self.volet,
            title: title.to_owned(),
            provenance: self.provenance(line),
            ..StrategicObjective::default()
        };
        self.objectives.push(objective);
        self.os_open = true;
        self.oo_open = false;
        self.last = Some(Level::Strategic);
    }

    /// The open OS, or a placeholder (numbered `hint`, else 0) opened for content at `line`.
    fn open_strategic(
        &mut self,
        hint: Option<u32>,
        line: u32,
        what: &str,
    ) -> &mut StrategicObjective {
        if !self.os_open {
            let number = hint.unwrap_or(0);
            self.diagnose(
                Severity::Warning,
                line,
                format!(
                    "{what} comes before any strategic objective: kept under placeholder OS{number}"
                ),
            );
            self.strategic(number, PLACEHOLDER_OS_TITLE, line);
            if let Some(os) = self.objectives.last_mut() {
                os.placeholder = true;
            }
        }
        let index = self.objectives.len() - 1;
        &mut self.objectives[index]
    }

    /// An OO numbered `own` (and `os` when the label carries the OS number).
    pub(crate) fn operational(&mut self, os: Option<u32>, own: u32, title: &str, line: u32) {
        let what = match os {
            Some(os) => format!("operational objective {os}.{own}"),
            None => format!("operational objective {own}"),
        };
        self.require_title(title, line, || what.clone());
        let provenance = self.provenance(line);
        let parent = self.open_strategic(os, line, &what);
        let parent_number = os_number(&parent.code);
        let code = format!("OO{}.{own}", os.unwrap_or(parent_number));
        parent.operational_objectives.push(OperationalObjective {
            code: code.clone(),
            title: title.to_owned(),
            provenance,
            ..OperationalObjective::default()
        });
        if os.is_some_and(|os| os != parent_number) {
            self.diagnose(
                Severity::Info,
                line,
                format!("{what} is numbered under OS{} but appears under OS{parent_number}: code {code} kept", os.unwrap_or_default()),
            );
        }
        self.oo_open = true;
        self.last = Some(Level::Operational);
    }

    /// An action; `code` is `None` for bullets, which get their position in the OO.
    pub(crate) fn action(&mut self, code: Option<String>, title: &str, line: u32) -> &mut Action {
        let what = match &code {
            Some(code) => format!("action {code}"),
            None => format!("action «{}»", truncate(title, 40)),
        };
        self.require_title(title, line, || what.clone());
        if !self.oo_open {
            let provenance = self.provenance(line);
            let parent = self.open_strategic(None, line, &what);
            let os = os_number(&parent.code);
            parent.operational_objectives.push(OperationalObjective {
                code: format!("OO{os}.0"),
                title: PLACEHOLDER_OO_TITLE.to_owned(),
                placeholder: true,
                provenance,
                ..OperationalObjective::default()
            });
            self.diagnose(
                Severity::Warning,
                line,
                format!(
                    "{what} comes before any operational objective: kept under placeholder OO{os}.0"
                ),
            );
            self.oo_open = true;
        }
        self.last = Some(Level::Action);
        let provenance = self.provenance(line);
        let oo = self
            .objectives
            .last_mut()
            .and_then(|os| os.operational_objectives.last_mut())
            .expect("an OO is open: opened above if it was not");
        let code = code.unwrap_or_else(|| (oo.actions.len() + 1).to_string());
        oo.actions.push(Action {
            code,
            title: title.to_owned(),
            provenance,
            ..Action::default()
        });
        oo.actions.last_mut().expect("just pushed")
    }

    /// Appends `text` to the title of the entity read last (a title wrapped over lines).
    /// Returns false when nothing was read yet.
    pub(crate) fn continue_title(&mut self, text: &str) -> bool {
        let Some(os) = self.objectives.last_mut() else {
            return false;
        };
        let title = match self.last {
            Some(Level::Strategic) => Some(&mut os.title),
            Some(Level::Operational) => {
                os.operational_objectives.last_mut().map(|oo| &mut oo.title)
            }
            Some(Level::Action) => os
                .operational_objectives
                .last_mut()
                .and_then(|oo| oo.actions.last_mut())
                .map(|a| &mut a.title),
            None => None,
        };
        match title {
            Some(title) => {
                title.push(' ');
                title.push_str(text);
                true
            }
            None => false,
        }
    }

    /// The tree read, as a body without metadata.
    pub(crate) fn finish(self) -> Body {
        Body {
            organisation: None,
            period: None,
            strategic_objectives: self.objectives,
            diagnostics: self.diagnostics,
            values: Vec::new(),
        }
    }
}

/// `OS12` → 12.
fn os_number(code: &str) -> u32 {
    code.trim_start_matches("OS").parse().unwrap_or(0)
}

pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
