//! The numbering grammar of PST documents: how a line or cell says "this is a volet,
//! an OS, an OO or an action", whatever the spelling.
//!
//! `VOLET EXTERNE`, `O. S. 1 -`, `OS.1 -`, `O.S.1`, `Objectif stratégique 1 :`,
//! `O. O. 1.1.`, `(O.O.1.1.)`, `OO.1.1 -`, `Objectif opérationnel 2`, `action 3`,
//! `Action 1.1.1`, `Projet n°4`…

use std::sync::LazyLock;

use pst_model::Volet;
use regex::Regex;

use crate::lexicon::{Folded, LevelWord, Lexicon, fold_prefix};

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

/// What follows a level word: the number (digits, a dotted code, a Roman numeral or one
/// letter, optionally after `n°`), a closing `.` or `)`, and the separator before the title.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\.?\s*(?:[nN]\s*[°ºo]\.?\s*)?(?:(?P<mixed>(?:[IVXLC]{1,7}|[A-Z])[.-]\d{1,3}(?:[.-]\d{1,3})*|\d{1,3}[.-]?[a-z]\b)\.?[)/]?(?:\s*[-–—:)]\s*|\s+|$)|(?P<digits>\d{1,5}(?:\s?\.\s?\d{1,3}|-\d{1,3})*)\.?[)/]?(?:\s*[-–—:)]\s*|\s+|$)|(?:(?P<roman>[IVXLC]{1,7}|[ivxlc]{1,7})|(?P<letter>[A-Za-z]))(?:\s*[-–—:.)]\s*|$))",
    )
    .expect("valid regex")
});

/// An enumerator before a volet: `a/ `, `ii. `, `1) ` (folded text).
static VOLET_ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z]|[ivx]{1,4}|\d{1,2})\s*[/.)-]\s*(?:-\s*)?").expect("valid regex")
});

/// Separators between a label and its title.
const SEPARATORS: &[char] = &['-', '–', '—', ':', '.', ')', ' ', '\t'];

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

/// Reads the label at the start of `text` (already free of markup and trimmed), with
/// the shipped lexicon.
pub(crate) fn parse_label(text: &str) -> Option<Labelled<'_>> {
    parse_label_with(Lexicon::shipped(), text)
}

/// Reads the label at the start of `text` with `lexicon`'s level words.
pub(crate) fn parse_label_with<'a>(lexicon: &Lexicon, text: &'a str) -> Option<Labelled<'a>> {
    let first = text.chars().next()?;
    if !(first.is_alphanumeric() || first == '(') {
        return None;
    }
    let body = text.strip_prefix('(').unwrap_or(text);
    let folded = fold_prefix(body, 48);
    if let Some(labelled) = volet_label(lexicon, body, &folded) {
        return Some(labelled);
    }
    // "Deuxième objectif stratégique : titre".
    if let Some((number, end)) = lexicon.ordinal(&folded.text) {
        let after_ordinal = folded.text[end..].trim_start();
        let skipped = folded.text.len() - after_ordinal.len();
        if let Some((level, word_end)) = lexicon.level_word(after_ordinal) {
            let rest = body[folded.original_end(skipped + word_end)..]
                .trim_start_matches(SEPARATORS)
                .trim();
            let label = match level {
                LevelWord::Strategic | LevelWord::ByDepth => Label::Strategic(number),
                LevelWord::Operational => Label::Operational(None, number),
                LevelWord::Action => Label::Action(number.to_string()),
            };
            return Some(Labelled { label, rest });
        }
    }
    let (level, end) = lexicon.level_word(&folded.text)?;
    let word_end = folded.original_end(end);
    let word = &body[..word_end];
    let after = &body[word_end..];
    // One-letter words only in capitals and glued to their number ("A1.2.3"), or to a
    // code of three parts after a dot ("A.1.1.1"; "A.1" is a lettered OO).
    if word.chars().count() == 1
        && !(word.chars().all(char::is_uppercase)
            && (after.starts_with(|c: char| c.is_ascii_digit())
                || after.strip_prefix('.').is_some_and(|code| {
                    code.split_whitespace()
                        .next()
                        .is_some_and(|code| code.trim_end_matches('.').split('.').count() >= 3)
                })))
    {
        return None;
    }
    let caps = NUMBER.captures(after)?;
    let rest = after[caps.get(0)?.end()..].trim();
    let parts: Vec<u32> = if let Some(mixed) = caps.name("mixed") {
        // `A.1`, `I-2`: the head is the number of the level above, as a letter or a
        // Roman numeral.
        let mixed = mixed.as_str();
        if mixed.ends_with(|c: char| c.is_ascii_lowercase()) {
            // `1.a`, `2b`: the OS's number, then the OO's letter.
            let (head, letter) = mixed.split_at(mixed.len() - 1);
            vec![
                head.trim_end_matches(['.', '-']).parse().ok()?,
                crate::document::letter(letter)?,
            ]
        } else {
            let mut parts = mixed.split(['.', '-']);
            let head = parts.next()?;
            let head = crate::document::roman(head).or_else(|| crate::document::letter(head))?;
            std::iter::once(Some(head))
                .chain(parts.map(|part| part.parse().ok()))
                .collect::<Option<Vec<u32>>>()?
        }
    } else if let Some(digits) = caps.name("digits") {
        digits
            .as_str()
            .split(['.', '-'])
            .map(|part| part.trim().parse().ok())
            .collect::<Option<Vec<u32>>>()?
    } else if let Some(roman) = caps.name("roman") {
        vec![crate::document::roman(roman.as_str())?]
    } else {
        vec![crate::document::letter(caps.name("letter")?.as_str())?]
    };
    // "Actions 2024": a year, not a number.
    if let [single] = parts.as_slice()
        && (1900..=2099).contains(single)
    {
        return None;
    }
    let glued = caps
        .name("digits")
        .is_some_and(|d| d.as_str().contains(char::is_whitespace));
    let label = match (level, parts.as_slice()) {
        (LevelWord::Strategic, [n]) => Label::Strategic(*n),
        (LevelWord::Operational, [n]) => Label::Operational(None, *n),
        (LevelWord::Operational, [os, n]) => Label::Operational(Some(*os), *n),
        (LevelWord::Action, parts) if !glued => Label::Action(join(parts)),
        (LevelWord::ByDepth, [n]) => Label::Strategic(*n),
        (LevelWord::ByDepth, [os, n]) => Label::Operational(Some(*os), *n),
        (LevelWord::ByDepth, parts) if parts.len() > 2 => Label::Action(join(parts)),
        _ => return None,
    };
    Some(Labelled { label, rest })
}

fn join(parts: &[u32]) -> String {
    parts
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// `VOLET EXTERNE`, `Volet 2 : interne – …`.
fn volet_label<'a>(lexicon: &Lexicon, body: &'a str, folded: &Folded) -> Option<Labelled<'a>> {
    // An enumerator before the word: `A/ VOLET EXTERNE`, `II. Volet interne`.
    let after = VOLET_ENUMERATOR
        .find(&folded.text)
        .map_or(folded.text.as_str(), |m| &folded.text[m.end()..])
        .strip_prefix("volet")?;
    let skipped_digits = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let word = skipped_digits.trim_start_matches(['-', '–', '—', ':', '.', ' ']);
    let start = folded.text.len() - word.len();
    let (volet, end) = lexicon.volet_word(word)?;
    let rest = body[folded.original_end(start + end)..]
        .trim_start_matches([' ', '.', ':', '–', '—', '-', '\t'])
        .trim_end();
    Some(Labelled {
        label: Label::Volet(volet),
        rest,
    })
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
        check(
            "A/ VOLET EXTERNE – DÉVELOPPEMENT DES POLITIQUES",
            Some((Label::Volet(Volet::Externe), "DÉVELOPPEMENT DES POLITIQUES")),
        );
        check(
            "II. Volet interne",
            Some((Label::Volet(Volet::Interne), "")),
        );
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
        check("action 1000", Some((Label::Action("1000".into()), "")));
        check(
            "Action 12345 Faire",
            Some((Label::Action("12345".into()), "Faire")),
        );
        check("Actions 2024", None);
    }

    #[test]
    fn codes_with_letters_romans_hyphens_and_slashes() {
        // `Objectif spécifique A.1`: the letter is the OS's number.
        check(
            "OO A.1 : Améliorer",
            Some((Label::Operational(Some(1), 1), "Améliorer")),
        );
        check(
            "Objectif opérationnel II-3. Former",
            Some((Label::Operational(Some(2), 3), "Former")),
        );
        check(
            "Action 1-2-3 Faire",
            Some((Label::Action("1.2.3".into()), "Faire")),
        );
        check(
            "OS 1/ Accompagner",
            Some((Label::Strategic(1), "Accompagner")),
        );
        check(
            "OO 1.2/ Développer",
            Some((Label::Operational(Some(1), 2), "Développer")),
        );
        check(
            "OBJECTIF OPÉRATIONNEL 1.b : Renforcer",
            Some((Label::Operational(Some(1), 2), "Renforcer")),
        );
        check(
            "A.1.1.2  Proposer un service",
            Some((Label::Action("1.1.2".into()), "Proposer un service")),
        );
        // A period is not a code.
        check("Actions 2025-2026", None);
    }
}
