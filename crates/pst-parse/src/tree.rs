//! Builds the OS → OO → action tree as a parser meets labels, in document order.
//!
//! Shared by every parser: it keeps the current volet, OS and OO, gives actions without a
//! code their position, and never drops content: an OO or action that comes before any
//! parent is kept under a placeholder parent, with a warning.

use crate::Body;
use pst_model::{
    Action, Diagnostic, OperationalObjective, Provenance, Severity, StrategicObjective, Volet,
};

pub(crate) const PLACEHOLDER_OS_TITLE: &str = "(objectif stratégique non indiqué dans le document)";
pub(crate) const PLACEHOLDER_OO_TITLE: &str =
    "(objectif opérationnel non indiqué dans le document)";

pub(crate) struct TreeBuilder<'s> {
    source: &'s str,
    volet: Option<Volet>,
    /// The OS content goes to (index in `objectives`), if one was opened since the last
    /// volet heading.
    current: Option<usize>,
    /// An OO was opened since the last OS.
    oo_open: bool,
    /// The open OO when it is not the OS's last one (a fiche naming an earlier OO).
    oo_index: Option<usize>,
    objectives: Vec<StrategicObjective>,
    diagnostics: Vec<Diagnostic>,
    /// The kind of the entity read last, for titles that wrap onto following lines.
    last: Option<Level>,
    /// Lines read into the tree or into a plan field (not residue), unordered.
    used_lines: Vec<u32>,
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
            current: None,
            oo_open: false,
            oo_index: None,
            objectives: Vec::new(),
            diagnostics: Vec::new(),
            last: None,
            used_lines: Vec::new(),
        }
    }

    /// The source path entities are attributed to.
    pub(crate) fn source(&self) -> &'s str {
        self.source
    }

    /// Records that `line` was read into the plan (structure or a field), so it is not
    /// residue.
    pub(crate) fn mark(&mut self, line: u32) {
        self.used_lines.push(line);
    }

    /// How many diagnostics were given so far.
    pub(crate) fn diagnostic_count(&self) -> usize {
        self.diagnostics.len()
    }

    fn provenance(&self, line: u32) -> Vec<Provenance> {
        provenance(self.source, line)
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

    /// A volet heading at `line`.
    pub(crate) fn volet(&mut self, volet: Volet, line: u32) {
        self.mark(line);
        self.volet = Some(volet);
        self.current = None;
        self.oo_open = false;
        self.oo_index = None;
    }

    /// An OS with its title. An OS of the same volet and number entered earlier without a
    /// title (a summary table's OO rows) gets this title instead of a twin.
    pub(crate) fn strategic(&mut self, number: u32, title: &str, line: u32) {
        let title = &*crate::document::unbroken(title);
        self.mark(line);
        self.require_title(title, line, || format!("strategic objective {number}"));
        let code = format!("OS{number}");
        let untitled = self.find_strategic(&code).filter(|&index| {
            let os = &self.objectives[index];
            os.title.is_empty() && !os.placeholder
        });
        let provenance = self.provenance(line);
        let index = match untitled {
            Some(index) => {
                let os = &mut self.objectives[index];
                os.title = title.to_owned();
                os.provenance.extend(provenance);
                index
            }
            None => {
                self.objectives.push(StrategicObjective {
                    code,
                    volet: self.volet,
                    title: title.to_owned(),
                    provenance,
                    ..StrategicObjective::default()
                });
                self.objectives.len() - 1
            }
        };
        self.current = Some(index);
        self.oo_open = false;
        self.oo_index = None;
        self.last = Some(Level::Strategic);
    }

    /// Makes OS `number` of the current volet the one content goes to, without a title of
    /// its own (`OS 1` in the first cell of a summary row `OS 1 | OO 1.1 | title`). The
    /// latest such OS is reused; without one, an untitled OS is opened, which a later
    /// titled row of the same number completes.
    pub(crate) fn enter_strategic(&mut self, number: u32, line: u32) {
        self.mark(line);
        let code = format!("OS{number}");
        let index = match self.find_strategic(&code) {
            Some(index) => index,
            None => {
                self.objectives.push(StrategicObjective {
                    code,
                    volet: self.volet,
                    provenance: self.provenance(line),
                    ..StrategicObjective::default()
                });
                self.objectives.len() - 1
            }
        };
        if self.current != Some(index) {
            self.current = Some(index);
            self.oo_open = false;
            self.oo_index = None;
        }
    }

    /// The latest OS of the current volet with this code.
    fn find_strategic(&self, code: &str) -> Option<usize> {
        self.objectives
            .iter()
            .rposition(|os| os.volet == self.volet && os.code == code)
    }

    /// The open OS, or a placeholder (numbered `hint`, else 0) opened for content at `line`.
    fn open_strategic(
        &mut self,
        hint: Option<u32>,
        line: u32,
        what: &str,
    ) -> &mut StrategicObjective {
        if self.current.is_none() {
            let number = hint.unwrap_or(0);
            self.diagnose(
                Severity::Warning,
                line,
                format!(
                    "{what} comes before any strategic objective: kept under placeholder OS{number}"
                ),
            );
            self.objectives.push(StrategicObjective {
                code: format!("OS{number}"),
                volet: self.volet,
                title: PLACEHOLDER_OS_TITLE.to_owned(),
                placeholder: true,
                provenance: self.provenance(line),
                ..StrategicObjective::default()
            });
            self.current = Some(self.objectives.len() - 1);
            self.oo_open = false;
            self.oo_index = None;
        }
        let index = self.current.unwrap_or_default();
        &mut self.objectives[index]
    }

    /// An OO numbered `own` (and `os` when the label carries the OS number).
    pub(crate) fn operational(&mut self, os: Option<u32>, own: u32, title: &str, line: u32) {
        let title = &*crate::document::unbroken(title);
        self.mark(line);
        let what = match os {
            Some(os) => format!("operational objective {os}.{own}"),
            None => format!("operational objective {own}"),
        };
        self.require_title(title, line, || what.clone());
        // The code names its OS: an OO listed under another OS goes to the one it names.
        let open = self
            .current
            .map(|index| os_number(&self.objectives[index].code));
        if let (Some(named), Some(open)) = (os, open)
            && named != open
        {
            self.diagnose(
                Severity::Info,
                line,
                format!("{what} comes under OS{open} in the document but its code names OS{named}: placed under OS{named}"),
            );
            self.enter_strategic(named, line);
        }
        let provenance = self.provenance(line);
        let parent = self.open_strategic(os, line, &what);
        let code = format!("OO{}.{own}", os.unwrap_or_else(|| os_number(&parent.code)));
        parent.operational_objectives.push(OperationalObjective {
            code,
            title: title.to_owned(),
            provenance,
            ..OperationalObjective::default()
        });
        self.oo_open = true;
        self.oo_index = None;
        self.last = Some(Level::Operational);
    }

    /// An action; `code` is `None` for bullets, which get their position in the OO.
    pub(crate) fn action(&mut self, code: Option<String>, title: &str, line: u32) -> &mut Action {
        let title = &*crate::document::unbroken(title);
        self.mark(line);
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
            self.oo_index = None;
        }
        self.last = Some(Level::Action);
        let provenance = self.provenance(line);
        let oo_index = self.oo_index;
        let oo = self
            .current
            .and_then(|index| self.objectives.get_mut(index))
            .and_then(|os| open_oo(os, oo_index))
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
    pub(crate) fn continue_title(&mut self, text: &str, line: u32) -> bool {
        let text = &*crate::document::unbroken(text);
        let oo_index = self.oo_index;
        let Some(os) = self
            .current
            .and_then(|index| self.objectives.get_mut(index))
        else {
            return false;
        };
        let title = match self.last {
            Some(Level::Strategic) => Some(&mut os.title),
            Some(Level::Operational) => open_oo(os, oo_index).map(|oo| &mut oo.title),
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
                self.used_lines.push(line);
                true
            }
            None => false,
        }
    }

    /// The level of the entity read last.
    pub(crate) fn last_level(&self) -> Option<Level> {
        self.last
    }

    /// The action read last, while it is the entity read last.
    pub(crate) fn last_action(&mut self) -> Option<&mut Action> {
        if self.last != Some(Level::Action) {
            return None;
        }
        let oo_index = self.oo_index;
        self.current
            .and_then(|index| self.objectives.get_mut(index))
            .and_then(|os| open_oo(os, oo_index))
            .and_then(|oo| oo.actions.last_mut())
    }

    /// The number of the open OS, if one is open.
    pub(crate) fn open_os_number(&self) -> Option<u32> {
        self.current
            .and_then(|index| self.objectives.get(index))
            .filter(|os| !os.placeholder)
            .map(|os| os_number(&os.code))
    }

    /// Makes OS `number` the one content goes to: the latest of the current volet with
    /// that number, or a new one with `title`.
    pub(crate) fn enter_or_open_strategic(&mut self, number: u32, title: &str, line: u32) {
        let title = &*crate::document::unbroken(title);
        let code = format!("OS{number}");
        match self.find_strategic(&code) {
            Some(index) if !self.objectives[index].title.is_empty() || title.is_empty() => {
                self.enter_strategic(number, line)
            }
            _ => self.strategic(number, title, line),
        }
    }

    /// Makes the OO `OO<os>.<own>` the one actions go to, opening it (untitled, completed
    /// by a later reading) when the document names it before giving it.
    pub(crate) fn enter_operational(&mut self, os: u32, own: u32, title: &str, line: u32) {
        let title = &*crate::document::unbroken(title);
        self.enter_strategic(os, line);
        let code = format!("OO{os}.{own}");
        let found = self.current.and_then(|index| {
            self.objectives[index]
                .operational_objectives
                .iter()
                .position(|oo| oo.code == code)
        });
        match (found, self.current) {
            (Some(position), Some(index)) => {
                let oo = &mut self.objectives[index].operational_objectives[position];
                if oo.title.is_empty() {
                    oo.title = title.to_owned();
                }
                self.oo_open = true;
                self.oo_index = Some(position);
                self.last = Some(Level::Operational);
                self.mark(line);
            }
            _ => self.operational(Some(os), own, title, line),
        }
    }

    /// The tree read, as a body without metadata.
    pub(crate) fn finish(mut self) -> Body {
        for os in &self.objectives {
            if os.title.is_empty() && !os.placeholder {
                let line = os.provenance.first().map_or(0, |p| p.line);
                self.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    self.source,
                    Some(line),
                    format!(
                        "strategic objective {} is named but never given a title",
                        os_number(&os.code)
                    ),
                ));
            }
        }
        Body {
            organisation: None,
            period: None,
            strategic_objectives: self.objectives,
            diagnostics: self.diagnostics,
            values: Vec::new(),
            links: Vec::new(),
            used_lines: self.used_lines,
        }
    }
}

/// The OO content goes to: `index`, else the OS's last.
fn open_oo(os: &mut StrategicObjective, index: Option<usize>) -> Option<&mut OperationalObjective> {
    match index {
        Some(index) => os.operational_objectives.get_mut(index),
        None => os.operational_objectives.last_mut(),
    }
}

/// Where an entity was read: `line` of `source`.
pub(crate) fn provenance(source: &str, line: u32) -> Vec<Provenance> {
    vec![Provenance {
        source: source.to_owned(),
        line,
        page: None,
        sheet: None,
    }]
}

/// `OS12` → 12.
fn os_number(code: &str) -> u32 {
    code.trim_start_matches("OS").parse().unwrap_or(0)
}

pub(crate) use pst_model::shorten as truncate;
