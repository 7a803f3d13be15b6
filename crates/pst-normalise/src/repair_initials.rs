//! Pilots' initials split by a PDF line wrap (`MA C`, `GD G`, `J U`) are joined when the
//! joined form (`MAC`, `GDG`, `JU`) is a pilot seen elsewhere in the same plan. Pilots
//! that are not initials ("chefs de service", "Service RH") are never touched.

use std::collections::HashSet;

use pst_model::{Diagnostic, Plan, Severity};

/// Letters only, at most 6, a capital first, at least half capitals: `DB`, `MAC`, `JTac`.
fn is_initials(text: &str) -> bool {
    let letters = text.chars().count();
    let capitals = text.chars().filter(|c| c.is_uppercase()).count();
    (1..=6).contains(&letters)
        && text.chars().all(char::is_alphabetic)
        && text.starts_with(char::is_uppercase)
        && capitals * 2 >= letters
}

/// `MA C` → `MAC` when every part looks like a piece of initials.
fn joined(pilot: &str) -> Option<String> {
    let parts: Vec<&str> = pilot.split_whitespace().collect();
    (parts.len() > 1
        && parts
            .iter()
            .all(|p| p.chars().count() <= 4 && is_initials(p)))
    .then(|| parts.concat())
}

pub(crate) fn run(plan: &mut Plan, diagnostics: &mut Vec<Diagnostic>) {
    let actions = || {
        plan.strategic_objectives
            .iter()
            .flat_map(|os| &os.operational_objectives)
            .flat_map(|oo| &oo.actions)
    };
    let known: HashSet<String> = actions()
        .flat_map(|a| &a.pilots)
        .filter(|p| is_initials(p))
        .cloned()
        .collect();
    for action in plan
        .strategic_objectives
        .iter_mut()
        .flat_map(|os| &mut os.operational_objectives)
        .flat_map(|oo| &mut oo.actions)
    {
        for pilot in &mut action.pilots {
            let Some(candidate) = joined(pilot) else {
                continue;
            };
            let at = action.provenance.last();
            let (message, repaired) = if known.contains(&candidate) {
                (
                    format!(
                        "pilot «{pilot}» of action {} read as «{candidate}», initials seen elsewhere in the plan",
                        action.code
                    ),
                    true,
                )
            } else {
                (
                    format!(
                        "pilot «{pilot}» of action {} looks like split initials but «{candidate}» is seen nowhere else in the plan: kept as written",
                        action.code
                    ),
                    false,
                )
            };
            diagnostics.push(Diagnostic::new(
                Severity::Info,
                at.map_or("", |p| p.source.as_str()),
                at.map(|p| p.line),
                message,
            ));
            if repaired {
                *pilot = candidate;
            }
        }
        let mut seen = HashSet::new();
        action.pilots.retain(|p| seen.insert(p.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pst_model::{Action, OperationalObjective, StrategicObjective};

    fn plan(pilots: &[&[&str]]) -> Plan {
        let actions = pilots
            .iter()
            .map(|p| Action {
                pilots: p.iter().map(|s| s.to_string()).collect(),
                ..Action::default()
            })
            .collect();
        let oo = OperationalObjective {
            actions,
            ..OperationalObjective::default()
        };
        Plan {
            strategic_objectives: vec![StrategicObjective {
                operational_objectives: vec![oo],
                ..StrategicObjective::default()
            }],
            ..Plan::default()
        }
    }

    #[test]
    fn joins_wrapped_initials_seen_elsewhere() {
        let mut plan = plan(&[
            &["LM", "MR", "MA C", "DB"],
            &["MAC", "GDG", "JU", "MS"],
            &["SB", "J U", "GD G", "M S"],
            &["chefs de service", "Service RH", "X Y"],
        ]);
        let mut diagnostics = Vec::new();
        run(&mut plan, &mut diagnostics);
        let got: Vec<&Vec<String>> = plan.strategic_objectives[0].operational_objectives[0]
            .actions
            .iter()
            .map(|a| &a.pilots)
            .collect();
        assert_eq!(*got[0], ["LM", "MR", "MAC", "DB"]);
        assert_eq!(*got[2], ["SB", "JU", "GDG", "MS"]);
        assert_eq!(*got[3], ["chefs de service", "Service RH", "X Y"]);
        assert_eq!(diagnostics.len(), 5, "{diagnostics:#?}");
        assert!(
            diagnostics[4].message.contains("«X Y»")
                && diagnostics[4].message.ends_with("kept as written")
        );
    }
}
