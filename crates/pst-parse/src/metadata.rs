//! Plan metadata stated in the text: the organisation ("CPAS de Frameries") and the
//! period ("2019-2024", "Législature 2018 - 2024").

use std::sync::LazyLock;

use pst_model::Period;
use regex::Regex;

static ORGANISATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?i:C\.?P\.?A\.?S\.?|centre\s+public\s+d['’]\s*action\s+sociale)
        \s+(?P<article>(?i:de\s+la\s+|de\s+|d['’]\s*|du\s+))
        (?P<name>\p{Lu}[\p{L}'’]+(?:(?:-|\s+)(?:\p{Lu}[\p{L}'’]+|sur|lez|lès|en|la|le|de|du|[dl]['’]\p{Lu}[\p{L}]+)){0,4})",
    )
    .expect("valid regex")
});

/// A cheap test run before the capturing pattern above.
static MENTIONS_CPAS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)c\.?p\.?a\.?s|action\s+sociale").expect("valid regex"));

static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<start>20\d\d)\s*(?:[-–—/]|à|au)\s*(?P<end>20\d\d)\b").expect("valid regex")
});

static PLAN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:P\.?S\.?T\.?|programme\s+strat[ée]gique|l[ée]gislature|mandature|plan\s+strat[ée]gique|plan\s+d['’]actions?|plan\s+\d{4})\b")
        .expect("valid regex")
});

/// A commune named as its own plan's author: "Commune de X", "VILLE DE X",
/// "Administration communale de X" (capitalised: "la commune de X" in a CPAS plan is not).
static COMMUNE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?P<kind>Commune|COMMUNE|Ville|VILLE|Administration\s+communale|ADMINISTRATION\s+COMMUNALE)
        \s+(?P<article>(?i:de\s+la\s+|de\s+|d['’]\s*|du\s+))
        (?P<name>\p{Lu}[\p{L}'’]+(?:(?:-|\s+)(?:\p{Lu}[\p{L}'’]+|sur|lez|lès|en|la|le|de|du|[dl]['’]\p{Lu}[\p{L}]+)){0,4})",
    )
    .expect("valid regex")
});

/// What may stand before a commune named as the plan's author.
static AUTHOR_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s#*_>|]*(?:(?:p\.?s\.?t\.?|(?:programme|plan)\s+strat[ée]gique\s+transversal)(?:\s+20\d\d\s*[-–]\s*20\d\d)?\s*[-–:]?\s*(?:de\s+la|du|de)?\s*)?$")
        .expect("valid regex")
});

/// "Commune et CPAS de X": a joint plan.
static JOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<kind>commune|ville)\s+et\s+(?:du\s+|le\s+)?$").expect("valid regex")
});

/// The organisation named first: "CPAS de X" (or "Centre public d'action sociale de X"),
/// spelled "CPAS de X" with an all-capitals name put in title case, "Commune et CPAS de
/// X" for a joint plan, or "Commune de X" / "Ville de X" as the plan's author (a commune's
/// plan that mentions the CPAS further down is the commune's).
pub(crate) fn find_organisation<'a>(
    lines: impl IntoIterator<Item = (u32, &'a str)> + Clone,
) -> Option<(u32, String)> {
    let cpas = find_cpas(lines.clone());
    let commune = find_commune(lines);
    match (cpas, commune) {
        (Some(cpas), Some(commune)) if commune.0 < cpas.0 => Some(commune),
        (Some(cpas), _) => Some(cpas),
        (None, commune) => commune,
    }
}

/// The first "Commune de X" or "Ville de X" named as the plan's author.
fn find_commune<'a>(lines: impl IntoIterator<Item = (u32, &'a str)>) -> Option<(u32, String)> {
    lines.into_iter().find_map(|(number, line)| {
        let caps = COMMUNE.captures(line)?;
        // The commune as the plan's author: at the start of a line (a title), or
        // after the plan's name ("PST de la Ville de Huy"); not in a sentence.
        let before = &line[..caps.get(0).map_or(0, |m| m.start())];
        if !AUTHOR_PREFIX.is_match(before) {
            return None;
        }
        let kind = caps["kind"]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut kind = kind.to_lowercase();
        if let Some(first) = kind.get(..1) {
            kind = first.to_uppercase() + &kind[1..];
        }
        Some((number, format!("{kind} {}", name_with_article(&caps))))
    })
}

/// "de Virton", "d'Ath", "de la Louviere": the article as the document writes it, in
/// lower case, and the name (all capitals put in title case).
fn name_with_article(caps: &regex::Captures<'_>) -> String {
    let name = caps["name"].trim_end_matches(['-', '\'', '’']).trim();
    let name = if name.chars().any(char::is_lowercase) {
        name.to_owned()
    } else {
        title_case(name)
    };
    let article = caps["article"]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('’', "'");
    let separator = if article.ends_with('\'') { "" } else { " " };
    format!("{article}{separator}{name}")
}

fn find_cpas<'a>(lines: impl IntoIterator<Item = (u32, &'a str)>) -> Option<(u32, String)> {
    lines.into_iter().find_map(|(number, line)| {
        if !MENTIONS_CPAS.is_match(line) {
            return None;
        }
        let caps = ORGANISATION.captures(line)?;
        let start = caps.get(0).map_or(0, |m| m.start());
        if let Some(joint) = JOINT.captures(&line[..start]) {
            let kind = if joint["kind"].eq_ignore_ascii_case("ville") {
                "Ville"
            } else {
                "Commune"
            };
            return Some((
                number,
                format!("{kind} et CPAS {}", name_with_article(&caps)),
            ));
        }
        Some((number, format!("CPAS {}", name_with_article(&caps))))
    })
}

/// The first `YYYY-YYYY` span (1 to 12 years) on a line that speaks of the plan, or on
/// a line of its own within the next two non-blank lines after one (a title page:
/// "Programme Stratégique Transversal" / "2019-2024").
pub(crate) fn find_period<'a>(
    lines: impl IntoIterator<Item = (u32, &'a str)>,
) -> Option<(u32, Period)> {
    let mut since_plan_words: Option<usize> = None;
    lines.into_iter().find_map(|(number, line)| {
        if line.trim().is_empty() {
            return None;
        }
        // A line that names the plan, or its author ("CPAS d'Anthisnes - Période
        // 2025-2030").
        let speaks_of_plan = PLAN_WORDS.is_match(line)
            || (number <= AUTHOR_LINES && (MENTIONS_CPAS.is_match(line) || COMMUNE.is_match(line)));
        let under_title = since_plan_words.is_some_and(|n| n < 2) && ALONE.is_match(line);
        since_plan_words = if speaks_of_plan {
            Some(0)
        } else {
            since_plan_words.map(|n| n + 1)
        };
        if !speaks_of_plan && !under_title {
            return None;
        }
        PERIOD.captures_iter(line).find_map(|caps| {
            let start: i32 = caps["start"].parse().ok()?;
            let end: i32 = caps["end"].parse().ok()?;
            (1..=12)
                .contains(&(end - start))
                .then_some((number, Period { start, end }))
        })
    })
}

/// How far from the top a line naming the author may give the plan's period.
const AUTHOR_LINES: u32 = 10;

/// A period and nothing else on the line.
static ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*20\d\d\s*(?:[-–—/]|à|au)\s*20\d\d\s*$").expect("valid regex")
});

/// "FRAMERIES" → "Frameries", "LA LOUVIERE" → "La Louviere", "BRAINE-LE-COMTE" →
/// "Braine-le-Comte": particles inside a name stay in lower case.
fn title_case(name: &str) -> String {
    const PARTICLES: &[&str] = &[
        "la", "le", "les", "de", "du", "des", "en", "sur", "sous", "lez", "lès", "aux", "au", "et",
        "l", "d",
    ];
    let mut out = String::with_capacity(name.len());
    for (index, word) in name
        .split_inclusive(|c: char| !c.is_alphabetic())
        .enumerate()
    {
        let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        let lower = word.to_lowercase();
        if index > 0 && PARTICLES.contains(&letters.to_lowercase().as_str()) {
            out.push_str(&lower);
            continue;
        }
        let mut chars = lower.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations() {
        let table = [
            (
                "PST DU CPAS DE FRAMERIES 2019-2024",
                Some("CPAS de Frameries"),
            ),
            ("Le CPAS de Virton adopte", Some("CPAS de Virton")),
            ("C.P.A.S. d'Ath", Some("CPAS d'Ath")),
            ("PLAN DU CPAS DE HAMOIS", Some("CPAS de Hamois")),
            ("CPAS DE LA LOUVIERE", Some("CPAS de la Louviere")),
            ("CPAS de Braine-l'Alleud", Some("CPAS de Braine-l'Alleud")),
            ("CPAS DE BRAINE-L'ALLEUD", Some("CPAS de Braine-l'Alleud")),
            (
                "Centre Public d'Action Sociale de Binche",
                Some("CPAS de Binche"),
            ),
            ("Etre un CPAS de bonne gouvernance", None),
            ("la commune de Virton", None),
            ("CPAS DE LEUZE-EN-HAINAUT", Some("CPAS de Leuze-en-Hainaut")),
            ("Commune de Lasne – PST 2024-2030", Some("Commune de Lasne")),
            ("VILLE DE HUY", Some("Ville de Huy")),
            (
                "PST de la Commune et du CPAS de Gesves",
                Some("Commune et CPAS de Gesves"),
            ),
        ];
        for (line, want) in table {
            assert_eq!(
                find_organisation([(1, line)]).map(|(_, o)| o).as_deref(),
                want,
                "{line:?}"
            );
        }
    }

    #[test]
    fn periods() {
        let table = [
            (
                "Programme Stratégique Transversal 2019 - 2024",
                Some((2019, 2024)),
            ),
            ("Législature 2018-2024", Some((2018, 2024))),
            ("PST 2019–2024", Some((2019, 2024))),
            ("budget 2019-2024", None),
            ("PST 2024-2019", None),
            (
                "Programme Stratégique Transversal\n\n2019-2024",
                Some((2019, 2024)),
            ),
            (
                "Programme Stratégique Transversal\nUn\nDeux\n2019-2024",
                None,
            ),
        ];
        for (line, want) in table {
            assert_eq!(
                find_period(line.split('\n').zip(1..).map(|(l, n)| (n, l)))
                    .map(|(_, p)| (p.start, p.end)),
                want,
                "{line:?}"
            );
        }
    }
}
