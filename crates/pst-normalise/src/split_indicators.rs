//! Indicators: one entry per measure. A cell that lists several measures separated by
//! ` - ` or ` – `, each starting with a capital letter ("Fait/pas fait - Nombre de
//! partenaires conventionnés"), becomes several entries; other dashes stay.

use pst_model::Action;

pub(crate) fn run(action: &mut Action) {
    let mut split = Vec::with_capacity(action.indicators.len());
    for indicator in std::mem::take(&mut action.indicators) {
        let measures: Vec<String> = indicator
            .split(" - ")
            .flat_map(|part| part.split(" – "))
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect();
        if measures.len() > 1 && measures.iter().all(|m| m.starts_with(char::is_uppercase)) {
            split.extend(measures);
        } else {
            split.push(indicator);
        }
    }
    action.indicators = split;
}

#[cfg(test)]
mod tests {
    use super::run;
    use pst_model::Action;

    #[test]
    fn splits_only_lists_of_measures() {
        let table: &[(&str, &[&str])] = &[
            (
                "Fait/pas fait - Nombre de partenaires conventionnés",
                &["Fait/pas fait", "Nombre de partenaires conventionnés"],
            ),
            (
                "Mise en place du partenariat: fait/pas fait – Nombre de participants",
                &[
                    "Mise en place du partenariat: fait/pas fait",
                    "Nombre de participants",
                ],
            ),
            (
                "Nombre de places - hors urgence",
                &["Nombre de places - hors urgence"],
            ),
            ("Taux de satisfaction", &["Taux de satisfaction"]),
        ];
        for (cell, want) in table {
            let mut action = Action {
                indicators: vec![cell.to_string()],
                ..Action::default()
            };
            run(&mut action);
            assert_eq!(action.indicators, *want, "{cell:?}");
        }
    }
}
