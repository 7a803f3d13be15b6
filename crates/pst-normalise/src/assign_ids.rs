//! Stable ids: `<plan>/<E|I|X>/OS<n>/OO<n.m>/A<code>`, unique within the output.

use std::collections::{HashMap, HashSet};

use pst_model::{Diagnostic, Plan, Provenance, Severity, Volet};

pub(crate) fn run(plans: Vec<(Plan, String)>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Plan> {
    let mut seen = Ids::default();
    plans
        .into_iter()
        .map(|(mut plan, name)| {
            let base = match (&plan.organisation, plan.period) {
                (Some(organisation), Some(period)) => {
                    format!("{}-{}-{}", slug(organisation), period.start, period.end)
                }
                (Some(organisation), None) => slug(organisation),
                (None, _) => format!("plan-{}", slug(&name)),
            };
            plan.id = unique(&mut seen, base, None, diagnostics);
            for os in &mut plan.strategic_objectives {
                let base = format!("{}/{}/{}", plan.id, Volet::letter(os.volet), os.code);
                os.id = unique(&mut seen, base, Some(&os.provenance), diagnostics);
                for oo in &mut os.operational_objectives {
                    oo.id = unique(
                        &mut seen,
                        format!("{}/{}", os.id, oo.code),
                        Some(&oo.provenance),
                        diagnostics,
                    );
                    for action in &mut oo.actions {
                        let base = format!("{}/A{}", oo.id, action.code);
                        action.id = unique(&mut seen, base, Some(&action.provenance), diagnostics);
                    }
                }
            }
            plan
        })
        .collect()
}

/// The ids given so far, and for each repeated base the next suffix to try, so that a
/// code repeated k times costs O(k), not O(k²).
#[derive(Default)]
struct Ids {
    taken: HashSet<String>,
    next_suffix: HashMap<String, u32>,
}

/// `base`, or `base~2`, `base~3`… when taken; a repeated code is a warning.
fn unique(
    seen: &mut Ids,
    base: String,
    provenance: Option<&[Provenance]>,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    if seen.taken.insert(base.clone()) {
        return base;
    }
    let first = seen.next_suffix.get(&base).copied().unwrap_or(2);
    let (suffix, id) = (first..)
        .map(|n| (n, format!("{base}~{n}")))
        .find(|(_, id)| !seen.taken.contains(id))
        .unwrap_or_default();
    seen.next_suffix
        .insert(base.clone(), suffix.saturating_add(1));
    seen.taken.insert(id.clone());
    if let Some(at) = provenance.and_then(<[Provenance]>::first) {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            &at.source,
            Some(at.line),
            format!("code already used in this plan: {base} appears twice, this one is {id}"),
        ));
    }
    id
}

/// "CPAS de Virton" → "cpas-virton": accents folded, articles dropped, dashes between words.
fn slug(text: &str) -> String {
    let folded: String = pst_model::fold(text)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = folded
        .split_whitespace()
        .filter(|w| !matches!(*w, "de" | "du" | "d" | "la" | "le" | "les" | "l" | "des"))
        .collect();
    if words.is_empty() {
        "sans-nom".to_owned()
    } else {
        words.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("CPAS de Virton"), "cpas-virton");
        assert_eq!(slug("CPAS d'Écaussinnes"), "cpas-ecaussinnes");
        assert_eq!(slug("corpus/cpas-non-nommé"), "corpus-cpas-non-nomme");
        assert_eq!(slug("///"), "sans-nom");
    }

    #[test]
    fn repeated_codes_get_the_next_free_suffix() {
        let mut ids = super::Ids::default();
        let mut diagnostics = Vec::new();
        let given: Vec<String> = ["a", "a", "a~2", "a", "b", "a"]
            .iter()
            .map(|base| super::unique(&mut ids, (*base).to_owned(), None, &mut diagnostics))
            .collect();
        assert_eq!(given, ["a", "a~2", "a~2~2", "a~3", "b", "a~4"]);
    }
}
