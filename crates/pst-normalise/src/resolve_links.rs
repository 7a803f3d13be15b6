//! Links to another plan name the plan's entity by codes (volet, OS, OO, action); once ids
//! are assigned, each link gets the id of that entity. A link table that names no volet
//! matches the one entity with those codes in any volet. A link whose entity the plan does
//! not have (or has in both volets) keeps `from: null`, with a warning.

use std::collections::HashMap;

use pst_model::{Diagnostic, EntityPath, Plan, Severity};

pub(crate) fn run(plan: &mut Plan, diagnostics: &mut Vec<Diagnostic>) {
    if plan.links.is_empty() {
        return;
    }
    let mut index = PathIndex::default();
    for os in &plan.strategic_objectives {
        let os_path = EntityPath {
            volet: os.volet,
            os: os.code.clone(),
            oo: None,
            action: None,
        };
        for oo in &os.operational_objectives {
            let oo_path = EntityPath {
                oo: Some(oo.code.clone()),
                ..os_path.clone()
            };
            for action in &oo.actions {
                let path = EntityPath {
                    action: Some(action.code.clone()),
                    ..oo_path.clone()
                };
                index.insert(path, &action.id);
            }
            index.insert(oo_path, &oo.id);
        }
        index.insert(os_path, &os.id);
    }
    let PathIndex { ids, any_volet } = index;
    for link in &mut plan.links {
        link.from = ids.get(&link.from_path).map(|id| (*id).to_owned());
        let mut ambiguous = false;
        if link.from.is_none() && link.from_path.volet.is_none() {
            match any_volet.get(&link.from_path).map(Vec::as_slice) {
                Some([id]) => link.from = Some((*id).to_owned()),
                Some([_, _, ..]) => ambiguous = true,
                _ => {}
            }
        }
        if link.from.is_none() {
            let why = if ambiguous {
                "which the plan has in both volets and the link table names no volet"
            } else {
                "which the plan does not have"
            };
            let at = link.provenance.first();
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                at.map_or("", |p| p.source.as_str()),
                at.map(|p| p.line),
                format!(
                    "link to {} names {}, {why}: link kept with no `from`",
                    link.to_code.as_deref().unwrap_or("the other plan"),
                    describe(&link.from_path)
                ),
            ));
        }
    }
}

/// Ids by code path, with and without the volet.
#[derive(Default)]
struct PathIndex<'a> {
    ids: HashMap<EntityPath, &'a str>,
    /// Without the volet: every id with those codes.
    any_volet: HashMap<EntityPath, Vec<&'a str>>,
}

impl<'a> PathIndex<'a> {
    fn insert(&mut self, path: EntityPath, id: &'a str) {
        let without_volet = EntityPath {
            volet: None,
            ..path.clone()
        };
        self.any_volet.entry(without_volet).or_default().push(id);
        self.ids.entry(path).or_insert(id);
    }
}

/// `OS3 › OO3.3 › action 1 (externe)`.
pub(crate) fn describe(path: &EntityPath) -> String {
    let mut text = path.os.clone();
    if let Some(oo) = &path.oo {
        text.push_str(" › ");
        text.push_str(oo);
    }
    if let Some(action) = &path.action {
        text.push_str(" › action ");
        text.push_str(action);
    }
    if let Some(volet) = path.volet {
        text.push_str(&format!(" ({})", volet.as_str()));
    }
    text
}
