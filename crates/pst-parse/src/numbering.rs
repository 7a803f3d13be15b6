//! The numbering grammar of PST documents: how a line or cell says "this is a volet,
//! an OS, an OO or an action", whatever the spelling.
//!
//! `VOLET EXTERNE`, `O. S. 1 -`, `OS.1 -`, `O.S.1`, `Objectif stratégique 1 :`,
//! `O. O. 1.1.`, `(O.O.1.1.)`, `OO.1.1 -`, `Objectif opérationnel 2`, `action 3`,
//! `Action 1.1.1`, `Projet n°4`…

use std::sync::LazyLock;

use pst_model::Volet;
use regex::Regex;

/// What a label announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Label {
    /// `VOLET EXTERNE`, `Volet 2 : interne`.
    Volet(Volet),
    /// A strategic objective with its number.
    Strategic(u32),
    /// An operational objective: OS number when the label carries it (`1.2`), own number.
    Operational(Option<u32>, u32),
    /// An action with its code (digits and dots).
    Action(String),
}

/// A label and the text that follows it on the same line or cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Labelled<'a> {
    pub label: Label,
    pub rest: &'a str,
}

/// Separators allowed between a number and the title.
const AFTER: &str = r"(?:\s*[-–—:)]\s*|\s+|$)";
const NUMERO: &str = r"(?:n\s*[°o]\.?\s*)?";

static VOLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^volet\s*(?:\d+\s*)?[-–—:.]?\s*(?P<kind>externe|interne)\b[\s.:–—-]*")
        .expect("valid regex")
});
static STRATEGIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:o\.?\s?s\.?|objectif\s+strat[ée]gique)\s*{NUMERO}(?P<os>\d{{1,3}})\.?{AFTER}"
    ))
    .expect("valid regex")
});
static OPERATIONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\(?(?:o\.?\s?o\.?|objectif\s+op[ée]rationnel)\s*{NUMERO}(?P<first>\d{{1,3}})(?:\s?\.\s?(?P<second>\d{{1,3}}))?\.?\)?{AFTER}"
    ))
    .expect("valid regex")
});
static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:actions?|projets?|fiche[-\s]+action)\s*{NUMERO}(?P<code>\d{{1,3}}(?:\.\d{{1,3}})*)\.?{AFTER}"
    ))
    .expect("valid regex")
});

static VOLET_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[(\[]\s*volet\s+(?P<kind>externe|interne)\s*[)\]]\s*[*_]*\s*$")
        .expect("valid regex")
});

/// A title ending in "(volet externe)" or "(volet interne)": the volet and the title without it.
pub(crate) fn volet_suffix(title: &str) -> Option<(Volet, &str)> {
    let caps = VOLET_SUFFIX.captures(title)?;
    let volet = if caps["kind"].eq_ignore_ascii_case("externe") {
        Volet::Externe
    } else {
        Volet::Interne
    };
    Some((volet, title[..caps.get(0)?.start()].trim_end()))
}

/// Reads the label at the start of `text` (already free of markup and trimmed).
pub(crate) fn parse_label(text: &str) -> Option<Labelled<'_>> {
    // Patterns match the label only; the title is what follows the match.
    let rest = |caps: &regex::Captures<'_>| caps.get(0).map_or("", |m| text[m.end()..].trim());
    if !text.starts_with(['o', 'O', '(', 'v', 'V', 'a', 'A', 'p', 'P', 'f', 'F']) {
        return None;
    }
    if let Some(caps) = VOLET.captures(text) {
        let volet = if caps["kind"].eq_ignore_ascii_case("externe") {
            Volet::Externe
        } else {
            Volet::Interne
        };
        return Some(Labelled {
            label: Label::Volet(volet),
            rest: rest(&caps),
        });
    }
    if let Some(caps) = OPERATIONAL.captures(text) {
        let first = caps["first"].parse().ok()?;
        let label = match caps.name("second") {
            Some(second) => Label::Operational(Some(first), second.as_str().parse().ok()?),
            None => Label::Operational(None, first),
        };
        return Some(Labelled {
            label,
            rest: rest(&caps),
        });
    }
    if let Some(caps) = STRATEGIC.captures(text) {
        return Some(Labelled {
            label: Label::Strategic(caps["os"].parse().ok()?),
            rest: rest(&caps),
        });
    }
    if let Some(caps) = ACTION.captures(text) {
        return Some(Labelled {
            label: Label::Action(caps["code"].to_owned()),
            rest: rest(&caps),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, want: Option<(Label, &str)>) {
        let got = parse_label(input).map(|l| (l.label, l.rest));
        assert_eq!(got, want, "{input:?}");
    }

    #[test]
    fn volets() {
        check("VOLET EXTERNE", Some((Label::Volet(Volet::Externe), "")));
        check("Volet interne", Some((Label::Volet(Volet::Interne), "")));
        check(
            "VOLET 2 : INTERNE – administration",
            Some((Label::Volet(Volet::Interne), "administration")),
        );
        check("Volets externes et internes", None);
    }

    #[test]
    fn strategic_objectives() {
        for input in [
            "O. S. 1 - Etre juste",
            "O.S. 1 - Etre juste",
            "OS 1 Etre juste",
            "OS.1 - Etre juste",
            "O.S.1 : Etre juste",
            "OBJECTIF STRATEGIQUE 1 : Etre juste",
            "Objectif stratégique n°1 – Etre juste",
            "OS1) Etre juste",
        ] {
            check(input, Some((Label::Strategic(1), "Etre juste")));
        }
        check("O.S.12", Some((Label::Strategic(12), "")));
        check("OS 1.2 - pas un OS", None);
        check("Osez 1 projet", None);
    }

    #[test]
    fn operational_objectives() {
        for input in [
            "O. O. 1.2.",
            "O.O. 1.2.",
            "O.O.1.2",
            "OO 1.2",
            "OO.1.2 -",
            "(O.O.1.2.)",
            "O.O. 1. 2",
            "Objectif opérationnel 1.2 :",
        ] {
            check(input, Some((Label::Operational(Some(1), 2), "")));
        }
        check(
            "OO.1.2 - Doter le CPAS",
            Some((Label::Operational(Some(1), 2), "Doter le CPAS")),
        );
        check(
            "Objectif opérationnel 3 : Faire",
            Some((Label::Operational(None, 3), "Faire")),
        );
        check("OO 1.2.3", None);
    }

    #[test]
    fn volet_suffixes() {
        assert_eq!(
            volet_suffix("Etre un CPAS solidaire (volet externe)*"),
            Some((Volet::Externe, "Etre un CPAS solidaire"))
        );
        assert_eq!(
            volet_suffix("Etre performant (Volet interne)"),
            Some((Volet::Interne, "Etre performant"))
        );
        assert_eq!(volet_suffix("Etre performant"), None);
    }

    #[test]
    fn actions() {
        check("action 3", Some((Label::Action("3".into()), "")));
        check("Action 46", Some((Label::Action("46".into()), "")));
        check(
            "Action 1.1.1 - Faire",
            Some((Label::Action("1.1.1".into()), "Faire")),
        );
        check(
            "Action 1.1.1. Faire",
            Some((Label::Action("1.1.1".into()), "Faire")),
        );
        check(
            "Projet n°4 : Faire",
            Some((Label::Action("4".into()), "Faire")),
        );
        check("Action sociale renforcée", None);
        check("Actions 2024", None);
    }
}
