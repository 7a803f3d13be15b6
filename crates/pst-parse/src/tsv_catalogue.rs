//! Tab-separated action catalogues: one row per volet, OS, OO or action, the label in the
//! first cell (`O. O. 1.1.`, `action 3`) and the title in the same or the next cell,
//! optional extra columns (status, percentage, indicators, pilots, deadline) recognised
//! from a header row or from their content. Blank lines are page breaks, not structure.

use std::sync::LazyLock;

use pst_model::{Severity, Status};
use regex::Regex;

use crate::lines::numbered_lines;
use crate::numbering::{Label, parse_label};
use crate::tree::{TreeBuilder, truncate};
use crate::{Body, markup::strip_markup, metadata};

/// What an extra column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Title,
    Indicators,
    Pilots,
    Service,
    Deadline,
    Status,
    Progress,
}

/// A row: its non-empty cells with their column index, markup removed.
struct Row {
    cells: Vec<(usize, String)>,
    tabbed: bool,
}

fn split_row(line: &str) -> Row {
    let cells = line
        .split('\t')
        .enumerate()
        .map(|(index, cell)| (index, strip_markup(cell).trim().to_owned()))
        .filter(|(_, cell)| !cell.is_empty())
        .collect();
    Row {
        cells,
        tabbed: line.contains('\t'),
    }
}

/// True when at least 80 % of the non-blank lines are labelled rows (or a header row) and
/// most action rows put their title in a cell of its own: the shape of a catalogue, not of a narrative that embeds one
/// (measured on the corpus: catalogue 100 %, narrative PST 56 %, Markdown PST 62 %).
pub(crate) fn recognise(text: &str) -> bool {
    let (mut non_blank, mut labelled, mut tabbed, mut actions) = (0usize, 0usize, 0usize, 0usize);
    for (_, line) in numbered_lines(text) {
        let row = split_row(line);
        let Some((_, first)) = row.cells.first() else {
            continue;
        };
        non_blank += 1;
        if let Some(labelled_cell) = parse_label(first) {
            labelled += 1;
            if matches!(labelled_cell.label, Label::Action(_)) {
                actions += 1;
                tabbed += usize::from(row.tabbed);
            }
        }
    }
    actions > 0 && labelled * 5 >= non_blank * 4 && tabbed * 2 >= actions
}

pub(crate) fn parse(source: &str, text: &str) -> Body {
    let mut tree = TreeBuilder::new(source);
    let mut columns: Vec<Option<Column>> = Vec::new();
    for (line_number, line) in numbered_lines(text) {
        let row = split_row(line);
        let Some((_, first)) = row.cells.first() else {
            continue;
        };
        let Some(labelled) = parse_label(first) else {
            if let Some(header) = header_columns(&row) {
                columns = header;
            } else {
                tree.diagnose(
                    Severity::Warning,
                    line_number,
                    format!(
                        "line not recognised as a volet, objective or action: «{}»",
                        truncate(&cells_text(&row.cells), 80)
                    ),
                );
            }
            continue;
        };
        // The title is the rest of the label's cell, or the next cell.
        let mut extra_start = 1;
        let title = if labelled.rest.is_empty() {
            match row.cells.get(1) {
                Some((_, next)) if !matches!(labelled.label, Label::Volet(_)) => {
                    extra_start = 2;
                    next.as_str()
                }
                _ => "",
            }
        } else {
            labelled.rest
        };
        let extras = &row.cells[extra_start..];
        match labelled.label {
            Label::Volet(volet) => {
                tree.volet(volet);
                report_ignored(&mut tree, line_number, extras, "volet heading");
            }
            Label::Strategic(number) => {
                tree.strategic(number, title, line_number);
                report_ignored(&mut tree, line_number, extras, "strategic objective");
            }
            Label::Operational(os, own) => {
                tree.operational(os, own, title, line_number);
                report_ignored(&mut tree, line_number, extras, "operational objective");
            }
            Label::Action(code) => {
                let mut unread = Vec::new();
                let action = tree.action(Some(code), title, line_number);
                for (index, cell) in extras {
                    let column = columns
                        .get(*index)
                        .copied()
                        .flatten()
                        .or_else(|| column_from_content(cell));
                    match column {
                        Some(Column::Indicators) => action.indicators.push(cell.clone()),
                        Some(Column::Pilots) => action.pilots.push(cell.clone()),
                        Some(Column::Service) => action.service = Some(cell.clone()),
                        Some(Column::Deadline) => action.deadline_raw = Some(cell.clone()),
                        Some(Column::Status) => action.status_raw = Some(cell.clone()),
                        Some(Column::Progress) => match parse_percent(cell) {
                            Some(progress) => action.progress = Some(progress),
                            None => unread.push(format!(
                                "percentage «{cell}» is not between 0 and 100: not kept"
                            )),
                        },
                        Some(Column::Title) | None => unread.push(format!(
                            "cell «{}» of an action row not recognised: not kept",
                            truncate(cell, 60)
                        )),
                    }
                }
                for message in unread {
                    tree.diagnose(Severity::Warning, line_number, message);
                }
            }
        }
    }
    let (strategic_objectives, diagnostics) = tree.finish();
    let all_lines = || numbered_lines(text).map(|(_, line)| line);
    Body {
        organisation: metadata::find_organisation(all_lines()),
        period: metadata::find_period(all_lines()),
        strategic_objectives,
        diagnostics,
        values: Vec::new(),
    }
}

fn cells_text(cells: &[(usize, String)]) -> String {
    cells
        .iter()
        .map(|(_, cell)| cell.as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn report_ignored(tree: &mut TreeBuilder<'_>, line: u32, extras: &[(usize, String)], what: &str) {
    if !extras.is_empty() {
        tree.diagnose(
            Severity::Warning,
            line,
            format!(
                "extra cells of a {what} row not kept: «{}»",
                truncate(&cells_text(extras), 80)
            ),
        );
    }
}

/// A header row names at least two known columns and carries no label.
fn header_columns(row: &Row) -> Option<Vec<Option<Column>>> {
    let named: Vec<(usize, Option<Column>)> = row
        .cells
        .iter()
        .map(|(index, cell)| (*index, column_from_header(cell)))
        .collect();
    let known = named.iter().filter(|(_, column)| column.is_some()).count();
    if known < 2 || known * 2 < named.len() {
        return None;
    }
    let width = named.iter().map(|(index, _)| index + 1).max().unwrap_or(0);
    let mut columns = vec![None; width];
    for (index, column) in named {
        columns[index] = column;
    }
    Some(columns)
}

fn column_from_header(cell: &str) -> Option<Column> {
    let folded = fold(cell);
    const TABLE: &[(&[&str], Column)] = &[
        (&["indicateur"], Column::Indicators),
        (
            &["pilote", "pil.", "responsable", "porteur"],
            Column::Pilots,
        ),
        (&["service", "departement"], Column::Service),
        (
            &["echeance", "delai", "calendrier", "deadline", "date"],
            Column::Deadline,
        ),
        (&["statut", "etat"], Column::Status),
        (
            &["avancement", "taux", "progression", "%"],
            Column::Progress,
        ),
        (
            &["intitule", "libelle", "titre", "action", "objectif", "code"],
            Column::Title,
        ),
    ];
    TABLE
        .iter()
        .find_map(|(words, column)| words.iter().any(|w| folded.contains(w)).then_some(*column))
}

/// Without a header: a percentage or a status word says what the cell is.
fn column_from_content(cell: &str) -> Option<Column> {
    if PERCENT.is_match(cell) {
        Some(Column::Progress)
    } else if Status::from_word(cell).is_some() {
        Some(Column::Status)
    } else {
        None
    }
}

static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<value>\d{1,3}(?:[.,]\d+)?)\s*%$").expect("valid regex"));

/// `80 %`, `80%`, `37,5 %` → rounded integer 0..=100.
pub(crate) fn parse_percent(cell: &str) -> Option<u8> {
    let caps = PERCENT.captures(cell.trim())?;
    let value: f64 = caps["value"].replace(',', ".").parse().ok()?;
    (0.0..=100.0).contains(&value).then(|| value.round() as u8)
}

fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'à' | 'â' => 'a',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("80 %"), Some(80));
        assert_eq!(parse_percent("37,5%"), Some(38));
        assert_eq!(parse_percent("100%"), Some(100));
        assert_eq!(parse_percent("150 %"), None);
        assert_eq!(parse_percent("80"), None);
    }

    #[test]
    fn recognises_catalogues_not_prose() {
        assert!(recognise("O.S. 1 - A\nO.O. 1.1.\tB\naction 1\tC\n"));
        assert!(!recognise(
            "Une introduction.\nLe CPAS veut mener l'action 1 avec tous.\nSuite.\n"
        ));
        assert!(!recognise("O.S. 1 - A\nO.O. 1.1. B\n"));
    }
}
