//! One plan from several documents: documents that name the same organisation (or
//! none) merge by code path (volet, OS, OO, action). Every entity keeps one provenance
//! entry per document it was read from.
//!
//! The same code path read twice (two documents, or a narrative and its recap table in
//! one document) is one entity with one provenance entry per reading.
//!
//! Rules: the title read first (documents in path order, then line order) is kept,
//! unless the other one extends it (the first, without a trailing cut mark such as `/`
//! or `…`, is a prefix of the second): then the longer one is kept;
//! the other title goes to `title_variants` and an info diagnostic names both places.
//! Empty fields are filled from later readings; stated fields are never overwritten.

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
    let mut link_index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for document in documents {
        diagnostics.extend(document.diagnostics);
        plan.sources.push(document.source);
        if plan.organisation.is_none() {
            plan.organisation = document.organisation;
        }
        if plan.ins.is_none() {
            plan.ins = document.ins;
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
        for claim in document.claims {
            let same = plan.claims.iter_mut().find(|kept| {
                (
                    kept.subject,
                    kept.status,
                    kept.progress_range,
                    kept.comparison,
                    kept.stated,
                ) == (
                    claim.subject,
                    claim.status,
                    claim.progress_range,
                    claim.comparison,
                    claim.stated,
                )
            });
            match same {
                Some(kept) => kept.provenance.extend(claim.provenance),
                None => plan.claims.push(claim),
            }
        }
        for link in document.links {
            let key = (link.from_path.clone(), link.to_code.clone());
            match link_index.get(&key) {
                Some(&index) => plan.links[index].provenance.extend(link.provenance),
                None => {
                    link_index.insert(key, plan.links.len());
                    plan.links.push(link);
                }
            }
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

/// Keeps one title and the other in `variants`, with an info diagnostic naming both.
#[allow(clippy::too_many_arguments)]
fn reconcile_title(
    kind: &str,
    code: &str,
    kept: &mut String,
    variants: &mut Vec<String>,
    kept_at: &[Provenance],
    new: String,
    new_at: &[Provenance],
    diagnostics: &mut Vec<Diagnostic>,
) {
    if new.is_empty() || *kept == new || variants.contains(&new) {
        return;
    }
    if kept.is_empty() {
        *kept = new;
        return;
    }
    let message = format!(
        "{kind} {code}: title «{new}» ({}) differs from «{kept}» ({})",
        place(new_at),
        place(kept_at)
    );
    let message = if completes(kept, &new) {
        variants.push(std::mem::replace(kept, new));
        format!(
            "{message}: the longer title that extends the other is kept, the shorter is in title_variants"
        )
    } else {
        variants.push(new);
        format!("{message}: the first is kept, the other is in title_variants")
    };
    let at = new_at.first();
    diagnostics.push(Diagnostic::new(
        Severity::Info,
        at.map_or("", |p| p.source.as_str()),
        at.map(|p| p.line),
        message,
    ));
}

/// `new` completes `kept` when `kept`, without a trailing cut mark, is a shorter prefix of it.
fn completes(kept: &str, new: &str) -> bool {
    let stem = kept.trim_end_matches(['/', '…', '.', '-', ',', ' ']);
    new.len() > kept.len() && new.starts_with(stem)
}

fn merge_strategic(
    into: &mut Vec<StrategicObjective>,
    os: StrategicObjective,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let existing = into
        .iter_mut()
        .find(|kept| kept.volet == os.volet && kept.code == os.code);
    let Some(kept) = existing else {
        into.push(os);
        return;
    };
    let volet = os
        .volet
        .map_or_else(String::new, |v| format!(" ({})", v.as_str()));
    reconcile_title(
        "strategic objective",
        &format!("{}{volet}", os.code),
        &mut kept.title,
        &mut kept.title_variants,
        &kept.provenance,
        os.title,
        &os.provenance,
        diagnostics,
    );
    kept.provenance.extend(os.provenance);
    for oo in os.operational_objectives {
        merge_operational(&mut kept.operational_objectives, oo, &volet, diagnostics);
    }
}

fn merge_operational(
    into: &mut Vec<OperationalObjective>,
    oo: OperationalObjective,
    volet: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let existing = into.iter_mut().find(|kept| kept.code == oo.code);
    let Some(kept) = existing else {
        into.push(oo);
        return;
    };
    reconcile_title(
        "operational objective",
        &format!("{}{volet}", oo.code),
        &mut kept.title,
        &mut kept.title_variants,
        &kept.provenance,
        oo.title,
        &oo.provenance,
        diagnostics,
    );
    kept.provenance.extend(oo.provenance);
    for action in oo.actions {
        let context = format!("of {}{volet}", kept.code);
        merge_action(&mut kept.actions, action, &context, diagnostics);
    }
}

fn merge_action(
    into: &mut Vec<Action>,
    action: Action,
    context: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let existing = into.iter_mut().find(|kept| kept.code == action.code);
    let Some(kept) = existing else {
        into.push(action);
        return;
    };
    reconcile_title(
        "action",
        &format!("{} {context}", action.code),
        &mut kept.title,
        &mut kept.title_variants,
        &kept.provenance,
        action.title,
        &action.provenance,
        diagnostics,
    );
    for variant in action.title_variants {
        if !kept.title_variants.contains(&variant) {
            kept.title_variants.push(variant);
        }
    }
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
