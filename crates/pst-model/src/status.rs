//! Action status, one to one with the statuses of the regional eComptes schema.

use serde::{Deserialize, Serialize};

/// The status of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Réalisé, terminé (eComptes TERMINE).
    Done,
    /// En cours (EN_COURS).
    InProgress,
    /// À réorienter, problème (PROBLEME).
    ToReorient,
    /// Suspendu, en attente (EN_ATTENTE).
    OnHold,
    /// Abandonné, annulé (ANNULE_ABANDONNE).
    Abandoned,
    /// Non commencé, à faire (NON_COMMENCE).
    NotStarted,
}

impl Status {
    /// The contract's spelling, e.g. `in_progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::InProgress => "in_progress",
            Status::ToReorient => "to_reorient",
            Status::OnHold => "on_hold",
            Status::Abandoned => "abandoned",
            Status::NotStarted => "not_started",
        }
    }

    /// The status a French status word or phrase names, if any.
    ///
    /// Case, accents, punctuation and gender/number endings are ignored:
    /// "Réalisé", "REALISEE", "en cours", "Non commencé", "Abandonnée", "Suspendu".
    pub fn from_word(text: &str) -> Option<Status> {
        let folded = fold(text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let phrase = words.join(" ");
        const TABLE: &[(&[&str], Status)] = &[
            (
                &[
                    "non commence",
                    "pas commence",
                    "pas encore commence",
                    "a faire",
                    "a venir",
                    "non demarre",
                    "pas demarre",
                    "a lancer",
                    "non entame",
                    "pas entame",
                    "pas encore entame",
                    "non debute",
                    "pas debute",
                    "pas encore debute",
                    "a demarrer",
                    "a debuter",
                    "prevu",
                    "planifie",
                    "a planifier",
                    "non lance",
                    "pas lance",
                ],
                Status::NotStarted,
            ),
            (
                &[
                    "a reorienter",
                    "reoriente",
                    "probleme",
                    "en difficulte",
                    "en retard",
                    "bloque",
                    "a revoir",
                    "a adapter",
                    "a redefinir",
                ],
                Status::ToReorient,
            ),
            (
                &[
                    "en cours",
                    "entame",
                    "demarre",
                    "commence",
                    "partiellement realise",
                    "en partie realise",
                    "en cours de realisation",
                    "en cours d execution",
                    "en realisation",
                    "en execution",
                    "lance",
                    "initie",
                    "en preparation",
                    "en developpement",
                ],
                Status::InProgress,
            ),
            (
                &[
                    "suspendu",
                    "en attente",
                    "en pause",
                    "reporte",
                    "postpose",
                    "mis en attente",
                    "en suspens",
                    "differe",
                    "gele",
                ],
                Status::OnHold,
            ),
            (
                &[
                    "abandonne",
                    "annule",
                    "supprime",
                    "non retenu",
                    "sans suite",
                ],
                Status::Abandoned,
            ),
            (
                &[
                    "realise", "termine", "fait", "acheve", "cloture", "finalise", "accompli",
                    "atteint", "clos", "execute",
                ],
                Status::Done,
            ),
        ];
        TABLE.iter().find_map(|(phrases, status)| {
            phrases
                .iter()
                .any(|p| phrase == *p || strip_agreement(&phrase) == *p)
                .then_some(*status)
        })
    }
}

/// "realisee", "realises" → "realise"; leaves other words alone.
fn strip_agreement(phrase: &str) -> String {
    phrase
        .split(' ')
        .map(|w| {
            w.strip_suffix("ees")
                .or_else(|| w.strip_suffix("es"))
                .or_else(|| w.strip_suffix("ee"))
                .map_or(w.to_owned(), |s| {
                    if s.ends_with('e') {
                        s.to_owned()
                    } else {
                        format!("{s}e")
                    }
                })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower case, accents removed, punctuation turned into spaces.
fn fold(text: &str) -> String {
    crate::fold(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_statuses() {
        let table = [
            ("Réalisé", Some(Status::Done)),
            ("REALISEE", Some(Status::Done)),
            ("réalisés", Some(Status::Done)),
            ("Terminé.", Some(Status::Done)),
            ("En cours", Some(Status::InProgress)),
            ("en  Cours", Some(Status::InProgress)),
            ("Non commencé", Some(Status::NotStarted)),
            ("Non commencée", Some(Status::NotStarted)),
            ("Abandonné", Some(Status::Abandoned)),
            ("abandonnée", Some(Status::Abandoned)),
            ("Suspendu", Some(Status::OnHold)),
            ("À réorienter", Some(Status::ToReorient)),
            ("80 %", None),
            ("", None),
            ("Réalisé en partie ou pas", None),
        ];
        for (word, want) in table {
            assert_eq!(Status::from_word(word), want, "{word:?}");
        }
    }
}
