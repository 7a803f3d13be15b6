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
        (?P<name>\p{Lu}[\p{L}'’]+(?:(?:-|\s+)(?:\p{Lu}[\p{L}'’]+|sur|lez|lès|en|la|le|de|du|d['’]\p{Lu}[\p{L}]+)){0,4})",
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
    Regex::new(r"(?i)\b(?:P\.?S\.?T\.?|programme\s+strat[ée]gique|l[ée]gislature|mandature|plan)\b")
        .expect("valid regex")
});

/// The first organisation named as "CPAS de X" (or "Centre public d'action sociale de X"),
/// spelled "CPAS de X" with an all-capitals name put in title case.
pub(crate) fn find_organisation<'a>(
    lines: impl IntoIterator<Item = (u32, &'a str)>,
) -> Option<(u32, String)> {
    lines.into_iter().find_map(|(number, line)| {
        if !MENTIONS_CPAS.is_match(line) {
            return None;
        }
        let caps = ORGANISATION.captures(line)?;
        let name = caps["name"].trim_end_matches(['-', '\'', '’']).trim();
        let name = if name.chars().any(char::is_lowercase) {
            name.to_owned()
        } else {
            title_case(name)
        };
        // The document's own article, in lower case: "DE" → "de ", "d’" → "d'".
        let article = caps["article"]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .replace('’', "'");
        let separator = if article.ends_with('\'') { "" } else { " " };
        Some((number, format!("CPAS {article}{separator}{name}")))
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
        let speaks_of_plan = PLAN_WORDS.is_match(line);
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

/// A period and nothing else on the line.
static ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*20\d\d\s*(?:[-–—/]|à|au)\s*20\d\d\s*$").expect("valid regex")
});

/// "FRAMERIES" → "Frameries", "LA LOUVIERE" → "La Louviere", "BRAINE-LE-COMTE" → "Braine-Le-Comte".
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start_of_word = true;
    for c in name.chars() {
        if start_of_word {
            out.extend(c.to_uppercase())
        } else {
            out.extend(c.to_lowercase())
        }
        start_of_word = !c.is_alphabetic();
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
            (
                "Centre Public d'Action Sociale de Binche",
                Some("CPAS de Binche"),
            ),
            ("Etre un CPAS de bonne gouvernance", None),
            ("la commune de Virton", None),
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
