//! Figures a document states about itself: "47 projets composent notre PST", "Le PST
//! comporte un peu plus de 150 actions", "deux objectifs stratégiques", "17 sont réalisés
//! (entre 80 à 100%)". Read from prose lines only (not rows of a table, not labelled
//! lines), where a verb of composition or a status bucket says the figure is about the
//! plan. The normaliser counts the same figure in the extracted plan and compares.

use std::sync::LazyLock;

use pst_model::{Claim, ClaimSubject, Comparison, Provenance, Status};
use regex::Regex;

use crate::numbering::parse_label;

const NUMBER: &str = r"\d{1,4}|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize";

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?P<qualifier>un\s+peu\s+plus\s+de|plus\s+de|au\s+moins|moins\s+de|environ|pr[èe]s\s+de)?\s*\b(?P<n>{NUMBER})\s+(?P<what>objectifs?\s+strat[ée]giques|objectifs?\s+op[ée]rationnels|projets|actions(?:\s+concr[èe]tes)?|fiches(?:[-\s]actions?)?)\b"
    ))
    .expect("valid regex")
});

/// Words that make a count a statement about the plan.
static COMPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:compos|compt|comport|compren|contien|regroup|constitu|se\s+d[ée]clin|d[ée]clin[ée]|au\s+total|soit\s+\d|est\s+fait|sont\s+pr[ée]vu)")
        .expect("valid regex")
});

static BUCKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<n>\d{1,4})\s+(?:projets?\s+|actions?\s+)?(?:sont\s+|est\s+|ont\s+été\s+)?(?P<word>r[ée]alis[ée]e?s?|termin[ée]e?s?|en\s+cours|[àa]\s+r[ée]orienter|abandonn[ée]e?s?|non\s+commenc[ée]e?s?|suspendue?s?)\s*\(\s*(?:entre\s+)?(?P<lo>\d{1,3})\s*%?\s*(?:à|a|-|–|et)\s*(?P<hi>\d{1,3})\s*%\s*\)",
    )
    .expect("valid regex")
});

/// A word every claim holds: a cheap test (a literal search) before the patterns above.
static CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)objectif|projet|action|fiche|r[ée]alis|termin|en cours|orienter|abandon|commenc|suspendu")
        .expect("valid regex")
});

fn number(text: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
        "douze", "treize", "quatorze", "quinze", "seize",
    ];
    let folded = text.to_lowercase();
    if folded == "une" {
        return Some(1);
    }
    folded.parse().ok().or_else(|| {
        WORDS
            .iter()
            .position(|w| *w == folded)
            .and_then(|i| u32::try_from(i + 1).ok())
    })
}

/// The claims stated on the lines of a document.
pub(crate) fn find_claims<'a>(
    source: &str,
    lines: impl Iterator<Item = (u32, &'a str)>,
) -> Vec<Claim> {
    let mut claims = Vec::new();
    for (line_number, line) in lines {
        if line.contains('\t') || !CUE.is_match(line) {
            continue;
        }
        let text = crate::markup::strip_markup(line);
        let text = text.trim().trim_start_matches(['-', '•', '*', ' ']).trim();
        if text.is_empty() || parse_label(text).is_some() {
            continue;
        }
        let claim = |subject, status, range, comparison, stated| Claim {
            subject,
            status,
            progress_range: range,
            comparison,
            stated,
            extracted: 0,
            agrees: false,
            scope: None,
            text: text.to_owned(),
            provenance: vec![Provenance {
                source: source.to_owned(),
                line: line_number,
                page: None,
                sheet: None,
            }],
        };
        let mut bucket_found = false;
        for caps in BUCKET.captures_iter(text) {
            let (Some(stated), Some(status), Ok(lo), Ok(hi)) = (
                number(&caps["n"]),
                Status::from_word(&caps["word"]),
                caps["lo"].parse::<u8>(),
                caps["hi"].parse::<u8>(),
            ) else {
                continue;
            };
            if lo > hi || hi > 100 {
                continue;
            }
            bucket_found = true;
            claims.push(claim(
                ClaimSubject::ActionsWithStatus,
                Some(status),
                Some([lo, hi]),
                Comparison::Exactly,
                stated,
            ));
        }
        if bucket_found || !COMPOSITION.is_match(text) {
            continue;
        }
        for caps in COUNT.captures_iter(text) {
            let Some(stated) = number(&caps["n"]) else {
                continue;
            };
            let what = pst_model::fold(&caps["what"]);
            let subject = if what.contains("strategique") {
                ClaimSubject::StrategicObjectives
            } else if what.contains("operationnel") {
                ClaimSubject::OperationalObjectives
            } else {
                ClaimSubject::Actions
            };
            let comparison = match caps.name("qualifier").map(|q| pst_model::fold(q.as_str())) {
                None => Comparison::Exactly,
                Some(q) if q.contains("plus de") || q.contains("au moins") => Comparison::AtLeast,
                Some(q) if q.contains("moins de") => Comparison::AtMost,
                Some(_) => Comparison::About,
            };
            claims.push(claim(subject, None, None, comparison, stated));
        }
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Subject, status, range, comparison and stated figure of each claim.
    type Read = (
        ClaimSubject,
        Option<Status>,
        Option<[u8; 2]>,
        Comparison,
        u32,
    );

    fn read(line: &str) -> Vec<Read> {
        find_claims("t", [(1, line)].into_iter())
            .into_iter()
            .map(|c| {
                (
                    c.subject,
                    c.status,
                    c.progress_range,
                    c.comparison,
                    c.stated,
                )
            })
            .collect()
    }

    #[test]
    fn counts_with_a_verb_of_composition() {
        use ClaimSubject::*;
        assert_eq!(
            read("- 47 projets composent notre PST"),
            [(Actions, None, None, Comparison::Exactly, 47)]
        );
        assert_eq!(
            read("Le PST du CPAS de Virton comporte un peu plus de 150 actions."),
            [(Actions, None, None, Comparison::AtLeast, 150)]
        );
        assert_eq!(
            read("Il comporte deux objectifs stratégiques et 12 objectifs opérationnels."),
            [
                (StrategicObjectives, None, None, Comparison::Exactly, 2),
                (OperationalObjectives, None, None, Comparison::Exactly, 12)
            ]
        );
        assert!(read("Organiser au minimum 3 actions de sensibilisation").is_empty());
        assert!(read("action 3\tRéaliser 3 projets").is_empty());
    }

    #[test]
    fn status_buckets_with_their_range() {
        assert_eq!(
            read("- 17 sont réalisés (entre 80 à 100%)"),
            [(
                ClaimSubject::ActionsWithStatus,
                Some(Status::Done),
                Some([80, 100]),
                Comparison::Exactly,
                17
            )]
        );
        assert_eq!(
            read(" - 10 sont à réorienter (entre 30 à 49%)")[0].1,
            Some(Status::ToReorient)
        );
        assert_eq!(
            read(" - 5 sont abandonnées (entre 0 à 29%)")[0].2,
            Some([0, 29])
        );
    }
}
