//! One row per plan, for comparing CPAS: sizes, volets, how well actions are specified,
//! how far along they are, statuses, and actions per theme.

use std::io::Write;

use pst_model::{Action, Plan, Pst, Status, Volet};

use crate::ExportError;

/// The statuses in the order of their columns.
pub(crate) const STATUSES: [Status; 6] = [
    Status::Done,
    Status::InProgress,
    Status::ToReorient,
    Status::OnHold,
    Status::Abandoned,
    Status::NotStarted,
];

/// The figures of one plan.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlanFigures<'p> {
    pub plan: &'p Plan,
    pub os: usize,
    pub oo: usize,
    pub actions: usize,
    pub externe: usize,
    pub interne: usize,
    pub with_indicators: usize,
    pub with_pilots: usize,
    pub with_deadline: usize,
    pub with_progress: usize,
    pub progress_mean: Option<f64>,
    pub progress_median: Option<f64>,
    /// Per status of [`STATUSES`], then actions without a status.
    pub statuses: [usize; 7],
    /// Per theme of `pst.themes`.
    pub themes: Vec<usize>,
    /// Stated figures the extraction contradicts.
    pub claims_disagreeing: usize,
    /// Progress of each action that has one.
    pub progress: Vec<u8>,
}

impl PlanFigures<'_> {
    /// `count` as a share of the plan's actions (0 when it has none).
    pub fn share(&self, count: usize) -> f64 {
        if self.actions == 0 {
            0.0
        } else {
            count as f64 / self.actions as f64
        }
    }
}

/// The figures of every plan of `pst`, in plan order.
pub(crate) fn figures(pst: &Pst) -> Vec<PlanFigures<'_>> {
    pst.plans
        .iter()
        .map(|plan| plan_figures(pst, plan))
        .collect()
}

fn plan_figures<'p>(pst: &Pst, plan: &'p Plan) -> PlanFigures<'p> {
    let mut figures = PlanFigures {
        plan,
        os: plan.strategic_objectives.len(),
        oo: plan
            .strategic_objectives
            .iter()
            .map(|os| os.operational_objectives.len())
            .sum(),
        actions: 0,
        externe: 0,
        interne: 0,
        with_indicators: 0,
        with_pilots: 0,
        with_deadline: 0,
        with_progress: 0,
        progress_mean: None,
        progress_median: None,
        statuses: [0; 7],
        themes: vec![0; pst.themes.len()],
        claims_disagreeing: plan.claims.iter().filter(|c| !c.agrees).count(),
        progress: Vec::new(),
    };
    for os in &plan.strategic_objectives {
        for oo in &os.operational_objectives {
            for action in &oo.actions {
                count_action(&mut figures, pst, os.volet, action);
            }
        }
    }
    let mut sorted = figures.progress.clone();
    sorted.sort_unstable();
    if !sorted.is_empty() {
        let sum: f64 = sorted.iter().map(|&p| f64::from(p)).sum();
        figures.progress_mean = Some(sum / sorted.len() as f64);
        let middle = sorted.len() / 2;
        figures.progress_median = Some(if sorted.len() % 2 == 1 {
            f64::from(sorted[middle])
        } else {
            (f64::from(sorted[middle - 1]) + f64::from(sorted[middle])) / 2.0
        });
    }
    figures
}

fn count_action(figures: &mut PlanFigures<'_>, pst: &Pst, volet: Option<Volet>, action: &Action) {
    figures.actions += 1;
    match volet {
        Some(Volet::Externe) => figures.externe += 1,
        Some(Volet::Interne) => figures.interne += 1,
        None => {}
    }
    figures.with_indicators += usize::from(!action.indicators.is_empty());
    figures.with_pilots += usize::from(!action.pilots.is_empty());
    figures.with_deadline += usize::from(action.end.is_some() || action.start.is_some());
    if let Some(progress) = action.progress {
        figures.with_progress += 1;
        figures.progress.push(progress);
    }
    let status = action
        .status
        .and_then(|s| STATUSES.iter().position(|&known| known == s))
        .unwrap_or(STATUSES.len());
    figures.statuses[status] += 1;
    for matched in &action.themes {
        if let Some(index) = pst.themes.iter().position(|t| t.id == matched.theme) {
            figures.themes[index] += 1;
        }
    }
}

/// The header of the comparison table.
pub(crate) fn header(pst: &Pst) -> Vec<String> {
    let mut header: Vec<String> = [
        "plan_id",
        "organisation",
        "period_start",
        "period_end",
        "os",
        "oo",
        "actions",
        "actions_externe",
        "actions_interne",
        "share_with_indicators",
        "share_with_pilots",
        "share_with_deadline",
        "share_with_progress",
        "progress_mean",
        "progress_median",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(STATUSES.iter().map(|s| format!("status_{}", s.as_str())));
    header.push("status_none".to_owned());
    header.push("claims_disagreeing".to_owned());
    header.extend(pst.themes.iter().map(|t| format!("theme_{}", t.id)));
    header
}

/// The comparison table as text cells: shares as fractions (0.25), progress as percent.
pub(crate) fn rows(pst: &Pst) -> Vec<Vec<String>> {
    let decimal = |value: Option<f64>| value.map(|v| format!("{v:.1}")).unwrap_or_default();
    let share = |value: f64| format!("{value:.3}");
    figures(pst)
        .iter()
        .map(|f| {
            let plan = f.plan;
            let mut row = vec![
                plan.id.clone(),
                plan.organisation.clone().unwrap_or_default(),
                plan.period.map(|p| p.start.to_string()).unwrap_or_default(),
                plan.period.map(|p| p.end.to_string()).unwrap_or_default(),
                f.os.to_string(),
                f.oo.to_string(),
                f.actions.to_string(),
                f.externe.to_string(),
                f.interne.to_string(),
                share(f.share(f.with_indicators)),
                share(f.share(f.with_pilots)),
                share(f.share(f.with_deadline)),
                share(f.share(f.with_progress)),
                decimal(f.progress_mean),
                decimal(f.progress_median),
            ];
            row.extend(f.statuses.iter().map(usize::to_string));
            row.push(f.claims_disagreeing.to_string());
            row.extend(f.themes.iter().map(usize::to_string));
            row
        })
        .collect()
}

/// Writes the comparison table: one row per plan (RFC 4180 CSV).
pub fn write_comparison(pst: &Pst, out: impl Write) -> Result<(), ExportError> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(header(pst))?;
    for row in rows(pst) {
        // The table is for spreadsheets: a plan id or organisation like `=HYPERLINK(…)`
        // is shown, never run.
        writer.write_record(
            row.iter()
                .map(|cell| crate::csv_tables::neutralise(cell).into_owned()),
        )?;
    }
    writer.flush()?;
    Ok(())
}
