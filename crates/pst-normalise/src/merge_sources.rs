//! One plan from several documents: documents that name the same organisation (or
//! none) merge by code path (volet, OS, OO, action). Every entity keeps one provenance
//! entry per document it was read from.
//!
//! Rule: the first document (in path order) gives the title; another document's
//! different title is an info diagnostic naming both places. Empty fields are filled
//! from later documents; stated fields are never overwritten.

use pst_model::{
    Action, Diagnostic, OperationalObjective, Plan, Provenance, Severity, StrategicObjective,
};
use pst_parse::ParsedDocument;

/// Splits one folder's documents by the organisation their content names. Documents
/// that name none join the only named organisation, or form their own plan when the
/// folder names several.
pub(crate) fn split_by_organisation(
    documents: Vec<ParsedDocument>,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Vec<ParsedDocument>, String)> {
    let mut named: Vec<(String, Vec<ParsedDocument>)> = Vec::new();
    let mut unnamed = Vec::new();
    for document in documents {
        match document.organisation.as_deref().map(str::to_lowercase) {
            Some(key) => match named.iter_mut().find(|(k, _)| *k == key) {
                Some((_, group)) => group.push(document),
                None => named.push((key, vec![document])),
            },
            None => unnamed.push(document),
        }
    }
    if named.len() <= 1 {
        let mut all: Vec<ParsedDocument> = named.into_iter().flat_map(|(_, group)| group).collect();
        all.extend(unnamed);
        all.sort_by(|a, b| a.source.path.cmp(&b.source.path));
        return vec![(all, name.to_owned())];
    }
    for document in &unnamed {
        diagnostics.push(Diagnostic::new(
            Severity::Info,
            &document.source.path,
            None,
            "document names no organisation while its folder holds documents of several: read as a plan of its own",
        ));
    }
    let mut groups: Vec<(Vec<ParsedDocument>, String)> = named
        .into_iter()
        .map(|(key, group)| (group, format!("{name}-{key}")))
        .collect();
    groups.extend(unnamed.into_iter().map(|document| {
        let name = format!("{name}-{}", document.source.path);
        (vec![document], name)
    }));
    groups
}

/// Merges the documents of one plan.
pub(crate) fn run(documents: Vec<ParsedDocument>, diagnostics: &mut Vec<Diagnostic>) -> Plan {
    let mut plan = Plan::default();
    for document in documents {
        diagnostics.extend(document.diagnostics);
        plan.sources.push(document.source);
        if plan.organisation.is_none() {
            plan.organisation = document.organisation;
        }
        for value in document.values {
            if !plan.values.contains(&value) {
                plan.values.push(value);
            }
        }
        match (plan.period, document.period) {
            (None, period) => plan.period = period,
            (Some(kept), Some(other)) if kept != other => diagnostics.push(Diagnostic::new(
                Severity::Warning,
                plan.sources.last().map_or("", |s| s.path.as_str()),
                None,
                format!(
                    "period {}-{} differs from {}-{} stated by another document: the first is kept",
                    other.start, other.end, kept.start, kept.end
                ),
            )),
            _ => {}
        }
        for os in document.strategic_objectives {
            merge_strategic(&mut plan.strategic_objectives, os, diagnostics);
        }
    }
    plan
}

/// The first provenance of a list, for messages.
fn place(provenance: &[Provenance]) -> String {
    provenance
        .first()
        .map_or_else(String::new, |p| format!("{}:{}", p.source, p.line))
}

fn from_another_document(kept: &[Provenance], new: &[Provenance]) -> bool {
    match (kept.first(), new.first()) {
        (Some(a), Some(b)) => a.source != b.source,
        _ => false,
    }
}

fn note_title(
    kind: &str,
    code: &str,
    kept: (&str, &[Provenance]),
    new: (&str, &[Provenance]),
    diagnostics: &mut Vec<Diagnostic>,
) {
    if kept.0 != new.0 {
        let at = new.1.first();
        diagnostics.push(Diagnostic::new(
            Severity::Info,
            at.map_or("", |p| p.source.as_str()),
            at.map(|p| p.line),
            format!(
                "{kind} {code}: title «{}» ({}) differs from «{}» ({}): the first is kept",
                new.0,
                place(new.1),
                kept.0,
                place(kept.1)
            ),
        ));
    }
}

fn merge_strategic(
    into: &mut Vec<StrategicObjective>,
    os: StrategicObjective,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let existing = into.iter_mut().find(|kept| {
        kept.volet == os.volet
            && kept.code == os.code
            && from_another_document(&kept.provenance, &os.provenance)
    });
    let Some(kept) = existing else {
        into.push(os);
        return;
    };
    note_title(
        "strategic objective",
        &os.code,
        (&kept.title, &kept.provenance),
        (&os.title, &os.provenance),
        diagnostics,
    );
    kept.provenance.extend(os.provenance);
    for oo in os.operational_objectives {
        merge_operational(&mut kept.operational_objectives, oo, diagnostics);
    }
}

fn merge_operational(
    into: &mut Vec<OperationalObjective>,
    oo: OperationalObjective,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let existing = into.iter_mut().find(|kept| {
        kept.code == oo.code && from_another_document(&kept.provenance, &oo.provenance)
    });
    let Some(kept) = existing else {
        into.push(oo);
        return;
    };
    note_title(
        "operational objective",
        &oo.code,
        (&kept.title, &kept.provenance),
        (&oo.title, &oo.provenance),
        diagnostics,
    );
    kept.provenance.extend(oo.provenance);
    for action in oo.actions {
        merge_action(&mut kept.actions, action, diagnostics);
    }
}

fn merge_action(into: &mut Vec<Action>, action: Action, diagnostics: &mut Vec<Diagnostic>) {
    let existing = into.iter_mut().find(|kept| {
        kept.code == action.code && from_another_document(&kept.provenance, &action.provenance)
    });
    let Some(kept) = existing else {
        into.push(action);
        return;
    };
    note_title(
        "action",
        &action.code,
        (&kept.title, &kept.provenance),
        (&action.title, &action.provenance),
        diagnostics,
    );
    kept.provenance.extend(action.provenance);
    fill(&mut kept.indicators, action.indicators);
    fill(&mut kept.pilots, action.pilots);
    fill(&mut kept.service, action.service);
    fill(&mut kept.start, action.start);
    fill(&mut kept.end, action.end);
    fill(&mut kept.deadline_raw, action.deadline_raw);
    fill(&mut kept.progress, action.progress);
    fill(&mut kept.status, action.status);
    fill(&mut kept.status_raw, action.status_raw);
}

/// Fills an empty field; a stated field is kept.
fn fill<T: Emptiable>(kept: &mut T, other: T) {
    if kept.is_empty() {
        *kept = other;
    }
}

trait Emptiable {
    fn is_empty(&self) -> bool;
}

impl<T> Emptiable for Option<T> {
    fn is_empty(&self) -> bool {
        self.is_none()
    }
}

impl<T> Emptiable for Vec<T> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}
