//! Deadlines: `deadline_raw` → `start` / `end` as ISO 8601 prefixes.
//!
//! Dates are read in order: `31/12/2024`, `09/2019`, `Octobre 2019`, `févr-22`, `2020`,
//! and `2023-24` (a two-digit end year). With two or more, the first is the start and the
//! last the end; a lone date is the end, unless a dash follows it (`2020-`: a start).
//! A day or month that does not exist (`31/02/2024`, `13/2024`) is checked with the
//! `time` calendar and never written: it is a warning naming the text.

use std::sync::LazyLock;

use pst_model::{Action, Diagnostic, Severity};
use regex::Regex;
use time::{Date, Month};

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?P<dd>\d{1,2})/(?P<dm>\d{1,2})/(?P<dy>\d{4})\b
        | \b(?P<mm>\d{1,2})/(?P<my>\d{4})\b
        | \b(?P<month>[a-z]{3,9})\.?\s*[-\s]\s*(?P<year>\d{4}|\d{2})\b
        | \b(?P<from>\d{4})\s*[-–]\s*(?P<to2>\d{2})(?:[^/\d]|$)
        | \b(?P<y>\d{4})\b",
    )
    .expect("valid regex")
});

const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("mar", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("decembre", 12),
    ("dec", 12),
];

fn year(text: &str) -> Option<u32> {
    let value: u32 = text.parse().ok()?;
    let value = if text.len() == 2 { 2000 + value } else { value };
    (1990..=2100).contains(&value).then_some(value)
}

/// Whether day `d` of month `m` of year `y` exists in the Gregorian calendar.
fn exists(y: u32, m: u32, d: u32) -> bool {
    let (Ok(year), Ok(month), Ok(day)) = (i32::try_from(y), u8::try_from(m), u8::try_from(d))
    else {
        return false;
    };
    Month::try_from(month)
        .and_then(|month| Date::from_calendar_date(year, month, day))
        .is_ok()
}

/// What a deadline text states.
struct Dates {
    /// The dates, in order, as ISO prefixes.
    found: Vec<String>,
    /// Whether a dash follows the last one (an open range).
    open: bool,
    /// Texts shaped like dates that name no day or month of the calendar.
    invalid: Vec<String>,
}

fn dates(raw: &str) -> Dates {
    let folded = pst_model::fold(raw);
    let mut found = Vec::new();
    let mut invalid = Vec::new();
    let mut last_end = 0;
    for caps in DATE.captures_iter(&folded) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        if let (Some(d), Some(m), Some(y)) = (caps.name("dd"), caps.name("dm"), caps.name("dy")) {
            let (d, m): (u32, u32) = (
                d.as_str().parse().unwrap_or(0),
                m.as_str().parse().unwrap_or(0),
            );
            if let Some(y) = year(y.as_str()) {
                if exists(y, m, d) {
                    found.push(format!("{y}-{m:02}-{d:02}"));
                } else {
                    invalid.push(caps[0].to_owned());
                }
            }
        } else if let (Some(m), Some(y)) = (caps.name("mm"), caps.name("my")) {
            let m: u32 = m.as_str().parse().unwrap_or(0);
            if let Some(y) = year(y.as_str()) {
                if exists(y, m, 1) {
                    found.push(format!("{y}-{m:02}"));
                } else {
                    invalid.push(caps[0].to_owned());
                }
            }
        } else if let (Some(month), Some(y)) = (caps.name("month"), caps.name("year")) {
            let month = MONTHS
                .iter()
                .find(|(name, _)| *name == month.as_str())
                .map(|(_, n)| *n);
            match (month, year(y.as_str())) {
                (Some(m), Some(y)) => found.push(format!("{y}-{m:02}")),
                // A word that is no month before a four-digit year: the year alone.
                (None, Some(year)) if y.as_str().len() == 4 => found.push(year.to_string()),
                _ => {}
            }
        } else if let (Some(from), Some(to)) = (caps.name("from"), caps.name("to2")) {
            if let (Some(from), Some(to)) = (year(from.as_str()), year(to.as_str())) {
                found.push(from.to_string());
                found.push(to.to_string());
            }
        } else if let Some(y) = caps.name("y").and_then(|y| year(y.as_str())) {
            found.push(y.to_string());
        }
        last_end = whole.end;
    }
    let open = folded[last_end..].trim_start().starts_with(['-', '–'])
        && folded[last_end..].trim().len() <= 1;
    Dates {
        found,
        open,
        invalid,
    }
}

/// Start and end of one deadline text; `None` when it states no date.
pub(crate) fn resolve(raw: &str) -> Option<(Option<String>, Option<String>)> {
    let Dates { found, open, .. } = dates(raw);
    match found.as_slice() {
        [] => None,
        [only] if open => Some((Some(only.clone()), None)),
        [only] => Some((None, Some(only.clone()))),
        [first, .., last] => Some((Some(first.clone()), Some(last.clone()))),
    }
}

pub(crate) fn run(action: &mut Action, source: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(raw) = &action.deadline_raw else {
        return;
    };
    let invalid = dates(raw).invalid;
    if !invalid.is_empty() {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            source,
            action.provenance.first().map(|p| p.line),
            format!(
                "deadline «{raw}» of action {}: {} is no date of the calendar: not read",
                action.code,
                invalid.join(", ")
            ),
        ));
    }
    match resolve(raw) {
        Some((start, end)) => {
            if let (Some(s), Some(e)) = (&start, &end)
                && s > e
            {
                diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    source,
                    action.provenance.first().map(|p| p.line),
                    format!(
                        "deadline «{raw}» of action {} ends before it starts",
                        action.code
                    ),
                ));
            }
            action.start = start;
            action.end = end;
        }
        None if !invalid.is_empty() => {}
        None => diagnostics.push(Diagnostic::new(
            Severity::Info,
            source,
            action.provenance.first().map(|p| p.line),
            format!(
                "deadline «{raw}» of action {} states no date: start and end left empty",
                action.code
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{resolve, run};
    use pst_model::{Action, Provenance, Severity};

    #[test]
    fn a_date_that_does_not_exist_is_a_warning_and_not_written() {
        let mut action = Action {
            code: "3".into(),
            deadline_raw: Some("31/02/2024".into()),
            provenance: vec![Provenance {
                source: "a.tsv".into(),
                line: 7,
                page: None,
                sheet: None,
            }],
            ..Action::default()
        };
        let mut diagnostics = Vec::new();
        run(&mut action, "a.tsv", &mut diagnostics);
        assert_eq!((action.start, action.end), (None, None));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        assert_eq!(diagnostics[0].line, Some(7));
        assert_eq!(
            diagnostics[0].message,
            "deadline «31/02/2024» of action 3: 31/02/2024 is no date of the calendar: not read"
        );
    }

    #[test]
    fn deadlines() {
        let table: &[(&str, Option<&str>, Option<&str>)] = &[
            ("2020", None, Some("2020")),
            ("2022-2024", Some("2022"), Some("2024")),
            ("2021- 2024", Some("2021"), Some("2024")),
            ("2019 - 2024", Some("2019"), Some("2024")),
            ("2023-24", Some("2023"), Some("2024")),
            ("févr-22", None, Some("2022-02")),
            ("fevr-22", None, Some("2022-02")),
            ("Octobre 2019-2024", Some("2019-10"), Some("2024")),
            ("mai 2019 - 2024", Some("2019-05"), Some("2024")),
            ("avril 2019 - 2024", Some("2019-04"), Some("2024")),
            (
                "2020 pour entrant - 2022 pour sortant",
                Some("2020"),
                Some("2022"),
            ),
            ("01/02/2020", None, Some("2020-02-01")),
            ("31/12/2024", None, Some("2024-12-31")),
            ("09/2019", None, Some("2019-09")),
            ("Décembre 2021", None, Some("2021-12")),
            ("déc. 2021", None, Some("2021-12")),
            ("sept-23", None, Some("2023-09")),
            ("juin 2020 - août 2021", Some("2020-06"), Some("2021-08")),
            ("2020-", Some("2020"), None),
            ("2019 - 31/12/2024", Some("2019"), Some("2024-12-31")),
            ("2023-24 (phase 2)", Some("2023"), Some("2024")),
        ];
        for (raw, start, end) in table {
            let got = resolve(raw);
            assert_eq!(
                got,
                Some((start.map(str::to_owned), end.map(str::to_owned))),
                "{raw:?}"
            );
        }
        assert_eq!(resolve("en continu"), None);
        // Days and months that do not exist are never written.
        assert_eq!(resolve("31/02/2024"), None);
        assert_eq!(resolve("29/02/2023"), None);
        assert_eq!(
            resolve("29/02/2024").map(|d| d.1),
            Some(Some("2024-02-29".to_owned()))
        );
        assert_eq!(resolve("13/2024"), None);
        assert_eq!(
            resolve("2023 - 31/04/2024"),
            Some((None, Some("2023".to_owned())))
        );
        assert_eq!(
            super::dates("31/02/2024 ou 13/2024").invalid,
            ["31/02/2024", "13/2024"]
        );
        assert_eq!(resolve("-"), None);
    }
}
