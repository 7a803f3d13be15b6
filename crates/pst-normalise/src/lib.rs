//! Normalisation passes: turn parsed documents into clean, merged, identified plans.
//!
//! [`build`] runs every pass in a fixed order over each plan's documents:
//! `clean_text` → `split_pilots` → `split_indicators` → `resolve_dates` →
//! `resolve_status` → `merge_sources` → `repair_initials` → `apply_manifest` →
//! `assign_ids` → `assign_themes` → `resolve_links` → `report_near_duplicates` →
//! `check_claims`. Each pass is a module named after what it does.
//!
//! ```
//! use pst_normalise::{build, PlanInput};
//! let doc = pst_parse::parse("a.tsv", "OS 1 - Aider\nOO 1.1\t<b>Loger</b>\naction 1\tSigner\tRéalisé\n".as_bytes())?;
//! let pst = build(vec![PlanInput::new("a", vec![doc])], Vec::new());
//! let action = &pst.plans[0].strategic_objectives[0].operational_objectives[0].actions[0];
//! assert_eq!(action.id, "plan-a/X/OS1/OO1.1/A1");
//! assert_eq!(action.status, Some(pst_model::Status::Done));
//! # Ok::<(), pst_parse::ParseError>(())
//! ```

mod assign_ids;
mod assign_themes;
mod check_claims;
mod clean_text;
mod merge_sources;
mod repair_initials;
mod report_near_duplicates;
mod resolve_dates;
mod resolve_links;
mod resolve_status;
mod split_indicators;
mod split_pilots;

use pst_model::{Diagnostic, Period, Plan, Pst, Severity};
use pst_parse::ParsedDocument;
use rayon::prelude::*;

pub use assign_themes::{DEFAULT_THEMES, Taxonomy, Theme, ThemesError, assign_themes};
pub use clean_text::clean_text;

/// Metadata a user states beside the documents (a `plan.toml` in the plan's folder).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    /// Where the manifest was read, for diagnostics.
    pub path: String,
    /// The organisation, e.g. "CPAS de Virton".
    pub organisation: Option<String>,
    /// The plan's period.
    pub period: Option<Period>,
    /// The municipality's 5-digit NIS (INS) code.
    pub ins: Option<String>,
}

/// The documents of one plan, as the caller grouped them (one folder, or one file).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    /// A name for the plan when no organisation is known (the folder or file name).
    pub name: String,
    /// The documents, in a stable order.
    pub documents: Vec<ParsedDocument>,
    /// The folder's manifest, if any.
    pub manifest: Option<Manifest>,
}

impl PlanInput {
    /// A plan input without manifest.
    pub fn new(name: impl Into<String>, documents: Vec<ParsedDocument>) -> Self {
        PlanInput {
            name: name.into(),
            documents,
            manifest: None,
        }
    }
}

/// Builds the output of one ingestion from grouped documents and the caller's own
/// diagnostics (files that could not be read), with the shipped theme taxonomy.
pub fn build(inputs: Vec<PlanInput>, diagnostics: Vec<Diagnostic>) -> Pst {
    build_with(inputs, diagnostics, &Taxonomy::default())
}

/// [`build`] with the actions' themes from `taxonomy`.
pub fn build_with(
    inputs: Vec<PlanInput>,
    mut diagnostics: Vec<Diagnostic>,
    taxonomy: &Taxonomy,
) -> Pst {
    // Plans are independent until ids are given: one task per plan input (rayon), results
    // in input order, so the output does not depend on the number of threads.
    let built: Vec<BuiltPlans> = inputs.into_par_iter().map(build_plans).collect();
    let mut plans = Vec::new();
    for (built_plans, notes) in built {
        plans.extend(built_plans);
        diagnostics.extend(notes);
    }
    let mut plans = assign_ids::run(plans, &mut diagnostics);
    let notes: Vec<Vec<Diagnostic>> = plans
        .par_iter_mut()
        .map(|plan| {
            let mut notes = Vec::new();
            assign_themes::assign_plan(plan, taxonomy);
            resolve_links::run(plan, &mut notes);
            report_near_duplicates::run(plan, &mut notes);
            check_claims::run(plan, &mut notes);
            notes
        })
        .collect();
    diagnostics.extend(notes.into_iter().flatten());
    diagnostics.sort_by(|a, b| {
        (&a.source, a.line, a.severity, &a.message)
            .cmp(&(&b.source, b.line, b.severity, &b.message))
    });
    diagnostics.dedup();
    Pst {
        plans,
        diagnostics,
        themes: taxonomy.definitions(),
        ..Pst::default()
    }
}

/// The plans of one input with their names, and the diagnostics of building them.
type BuiltPlans = (Vec<(Plan, String)>, Vec<Diagnostic>);

/// The plans of one input (one per organisation its documents name), before ids.
fn build_plans(input: PlanInput) -> BuiltPlans {
    let mut diagnostics = Vec::new();
    let mut plans = Vec::new();
    {
        for (mut documents, name) in
            merge_sources::split_by_organisation(input.documents, &input.name, &mut diagnostics)
        {
            for document in &mut documents {
                clean_text::run(document);
                split_pilots::run(document);
                resolve_status::run(document, &mut diagnostics);
                let source = document.source.path.clone();
                for action in actions_mut(&mut document.strategic_objectives) {
                    split_indicators::run(action);
                    resolve_dates::run(action, &source, &mut diagnostics);
                }
            }
            let mut plan = merge_sources::run(documents, &mut diagnostics);
            repair_initials::run(&mut plan, &mut diagnostics);
            if let Some(manifest) = &input.manifest {
                apply_manifest(&mut plan, manifest, &mut diagnostics);
            }
            if plan.organisation.is_none() {
                let source = plan
                    .sources
                    .first()
                    .map_or_else(String::new, |s| s.path.clone());
                diagnostics.push(Diagnostic::new(
                    Severity::Info,
                    source,
                    None,
                    "no document of this plan names its organisation: organisation left empty",
                ));
            }
            plans.push((plan, name));
        }
    }
    (plans, diagnostics)
}

/// Every action of a tree.
fn actions_mut(
    objectives: &mut [pst_model::StrategicObjective],
) -> impl Iterator<Item = &mut pst_model::Action> {
    objectives
        .iter_mut()
        .flat_map(|os| &mut os.operational_objectives)
        .flat_map(|oo| &mut oo.actions)
}

/// The manifest fills what the documents do not state; a disagreement is a warning: the
/// documents' organisation wins, the manifest's period wins.
fn apply_manifest(plan: &mut Plan, manifest: &Manifest, diagnostics: &mut Vec<Diagnostic>) {
    let mut conflict = |what: &str, documents: String, manifest_value: String| {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            &manifest.path,
            None,
            format!("manifest {what} «{manifest_value}» differs from the documents' «{documents}»: the documents' value is kept"),
        ));
    };
    match (&plan.organisation, &manifest.organisation) {
        (None, Some(name)) => plan.organisation = Some(clean_text(name)),
        (Some(stated), Some(name)) if !clean_text(name).eq_ignore_ascii_case(stated) => {
            conflict("organisation", stated.clone(), name.clone())
        }
        _ => {}
    }
    if plan.ins.is_none() {
        plan.ins.clone_from(&manifest.ins);
    }
    // The period is the analyst's word: a document's period may be read from a line that
    // states another span (an action "plan de formation 2025-2026"), so the manifest wins.
    match (plan.period, manifest.period) {
        (None, Some(period)) => plan.period = Some(period),
        (Some(stated), Some(period)) if stated != period => {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                &manifest.path,
                None,
                format!(
                    "manifest period «{}-{}» differs from the documents' «{}-{}»: plan.toml's is kept",
                    period.start, period.end, stated.start, stated.end
                ),
            ));
            plan.period = Some(period);
        }
        _ => {}
    }
}
