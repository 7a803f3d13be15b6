//! The audit of stated figures: each figure a document states about the plan (counts of
//! objectives and actions, actions per status bucket) is counted in the extracted plan;
//! both numbers go to `plan.claims`, and a disagreement is a warning that names the
//! actions involved.

use pst_model::{
    Action, Claim, ClaimSubject, Comparison, Diagnostic, Plan, Severity, Status, StrategicObjective,
};

/// A status from the document's own buckets ("réalisés (entre 80 à 100%)") for a
/// progress figure, when the document states buckets and one holds it.
pub(crate) fn status_from_buckets(claims: &[Claim], progress: u8) -> Option<Status> {
    claims
        .iter()
        .find_map(|claim| match (claim.status, claim.progress_range) {
            (Some(status), Some([lo, hi])) if (lo..=hi).contains(&progress) => Some(status),
            _ => None,
        })
}

/// Words that make a sentence about the whole plan.
fn names_the_plan(text: &str) -> bool {
    let folded = pst_model::fold(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "pst" | "programme" | "plan" | "total" | "ensemble"))
}

/// For a count that disagrees with the plan's and whose sentence does not name the plan:
/// the one OS whose count of the claimed kind equals the stated figure.
fn part_that_fits(objectives: &[StrategicObjective], claim: &Claim) -> Option<(String, u32)> {
    if names_the_plan(&claim.text) || claim.comparison != Comparison::Exactly {
        return None;
    }
    let count = |os: &StrategicObjective| -> usize {
        match claim.subject {
            ClaimSubject::OperationalObjectives => os.operational_objectives.len(),
            ClaimSubject::Actions => os
                .operational_objectives
                .iter()
                .map(|oo| oo.actions.len())
                .sum(),
            _ => usize::MAX,
        }
    };
    let mut fitting = objectives
        .iter()
        .filter(|os| !os.placeholder && count(os) == claim.stated as usize);
    let first = fitting.next()?;
    fitting
        .next()
        .is_none()
        .then(|| (first.id.clone(), claim.stated))
}

pub(crate) fn run(plan: &mut Plan, diagnostics: &mut Vec<Diagnostic>) {
    let actions: Vec<&Action> = plan
        .strategic_objectives
        .iter()
        .filter(|os| !os.placeholder)
        .flat_map(|os| &os.operational_objectives)
        .flat_map(|oo| &oo.actions)
        .collect();
    let os_count = plan
        .strategic_objectives
        .iter()
        .filter(|os| !os.placeholder)
        .count();
    let oo_count = plan
        .strategic_objectives
        .iter()
        .flat_map(|os| &os.operational_objectives)
        .filter(|oo| !oo.placeholder)
        .count();
    for claim in &mut plan.claims {
        let involved: Vec<&Action> = match claim.subject {
            ClaimSubject::ActionsWithStatus => actions
                .iter()
                .copied()
                .filter(|a| match claim.progress_range {
                    Some([lo, hi]) => a.progress.is_some_and(|p| (lo..=hi).contains(&p)),
                    None => a.status == claim.status,
                })
                .collect(),
            _ => Vec::new(),
        };
        let extracted = match claim.subject {
            ClaimSubject::StrategicObjectives => os_count,
            ClaimSubject::OperationalObjectives => oo_count,
            ClaimSubject::Actions => actions.len(),
            ClaimSubject::ActionsWithStatus => involved.len(),
        };
        claim.extracted = u32::try_from(extracted).unwrap_or(u32::MAX);
        claim.agrees = claim.comparison.holds(claim.stated, claim.extracted);
        if claim.agrees {
            continue;
        }
        if let Some((id, count)) = part_that_fits(&plan.strategic_objectives, claim) {
            claim.scope = Some(id.clone());
            claim.extracted = count;
            claim.agrees = true;
            let at = claim.provenance.first();
            diagnostics.push(Diagnostic::new(
                Severity::Info,
                at.map_or("", |p| p.source.as_str()),
                at.map(|p| p.line),
                format!(
                    "the document states {} {} («{}»), which does not name the plan and fits {id} only: compared with {id}",
                    claim.stated,
                    if claim.subject == ClaimSubject::Actions { "actions" } else { "operational objectives" },
                    pst_model::shorten(&claim.text, 80)
                ),
            ));
            continue;
        }
        let what = match claim.subject {
            ClaimSubject::StrategicObjectives => "strategic objectives".to_owned(),
            ClaimSubject::OperationalObjectives => "operational objectives".to_owned(),
            ClaimSubject::Actions => "actions".to_owned(),
            ClaimSubject::ActionsWithStatus => {
                let status = claim.status.map_or("?", Status::as_str);
                match claim.progress_range {
                    Some([lo, hi]) => format!("actions {status} ({lo}–{hi} %)"),
                    None => format!("actions {status}"),
                }
            }
        };
        let mut message = format!(
            "the document states {} {what} («{}») but {} were extracted",
            claim.stated, claim.text, claim.extracted
        );
        if !involved.is_empty() {
            let list: Vec<String> = involved
                .iter()
                .map(|a| match a.progress {
                    Some(p) => format!("{} ({p} %)", a.code),
                    None => a.code.clone(),
                })
                .collect();
            message.push_str(": ");
            message.push_str(&list.join(", "));
        }
        let at = claim.provenance.first();
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            at.map_or("", |p| p.source.as_str()),
            at.map(|p| p.line),
            message,
        ));
    }
}
