//! Rows of cells: how a table row (tab-separated line, pipe-table row) says what it is.
//! The label is in the first cell (`O. O. 1.1.`, `action 3`), the title in the same or the
//! next cell, and extra cells are read by a header row's column names or by their content
//! (a percentage, a status word). Shared by every format that has tables.

use std::sync::LazyLock;

use pst_model::{Severity, Status};
use regex::Regex;

use crate::lexicon::{Field, Lexicon, fold_prefix};
use crate::markup::strip_markup;
use crate::numbering::{Label, parse_label, volet_suffix};
use crate::tree::{TreeBuilder, truncate};

/// A row: its non-empty cells with their column index, markup removed.
pub(crate) struct Row {
    pub cells: Vec<(usize, String)>,
    pub tabbed: bool,
}

/// A tab-separated line as a row.
pub(crate) fn split_row(line: &str) -> Row {
    Row {
        tabbed: line.contains('\t'),
        ..Row::from_cells(line.split('\t'))
    }
}

impl Row {
    /// A row from cells already split (a pipe-table row): markup removed, empty cells dropped.
    pub(crate) fn from_cells<'a>(cells: impl IntoIterator<Item = &'a str>) -> Row {
        let cells = cells
            .into_iter()
            .enumerate()
            .map(|(index, cell)| (index, strip_markup(cell).trim().to_owned()))
            .filter(|(_, cell)| !is_blank_cell(cell))
            .collect();
        Row {
            cells,
            tabbed: true,
        }
    }

    #[cfg(test)]
    fn texts(&self) -> Vec<&str> {
        self.cells.iter().map(|(_, cell)| cell.as_str()).collect()
    }
}

/// Empty, or only a dash or slash standing for "nothing".
fn is_blank_cell(cell: &str) -> bool {
    cell.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/'))
}

/// What a row turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    /// A volet, OS, OO or action, now in the tree.
    Structure,
    /// A header row naming columns; later rows are read with it.
    Header,
    /// Neither: prose in a cell, a table of another kind.
    Other,
    /// No cell at all.
    Blank,
}

/// Reads rows into a tree, remembering the last header row's columns.
#[derive(Debug, Default)]
pub(crate) struct RowReader {
    columns: Vec<Option<Field>>,
}

impl RowReader {
    /// Reads later rows with these columns (a header row the caller found).
    pub(crate) fn set_columns(&mut self, columns: &[Option<Field>]) {
        self.columns = columns.to_vec();
    }

    pub(crate) fn read(
        &mut self,
        tree: &mut TreeBuilder<'_>,
        row: &Row,
        line_number: u32,
    ) -> RowKind {
        let Some((_, first)) = row.cells.first() else {
            return RowKind::Blank;
        };
        let Some(labelled) = parse_label(first) else {
            if let Some(header) = header_columns(row) {
                tree.mark(line_number);
                self.columns = header;
                return RowKind::Header;
            }
            return RowKind::Other;
        };
        // `OS 1 | OO 1.1 | title`: the OS cell says where the OO row below it goes.
        if let (Label::Strategic(number), "", Some((_, next))) =
            (&labelled.label, labelled.rest, row.cells.get(1))
            && matches!(parse_label(next), Some(l) if matches!(l.label, Label::Operational(..)))
        {
            tree.enter_strategic(*number, line_number);
            let rest = Row {
                cells: row.cells[1..].to_vec(),
                tabbed: row.tabbed,
            };
            return self.read(tree, &rest, line_number);
        }
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
        let mut extras: Vec<(usize, String)> = row.cells[extra_start..].to_vec();
        match labelled.label {
            Label::Volet(volet) => {
                tree.volet(volet, line_number);
                report_ignored(tree, line_number, &extras, "volet heading");
            }
            Label::Strategic(number) => {
                // A volet named in a cell of the OS row ("VOLET EXTERNE") or after its title.
                let in_cell = extras.iter().position(|(_, cell)| matches!(parse_label(cell), Some(l) if matches!(l.label, Label::Volet(_))));
                if let Some(position) = in_cell {
                    let (_, cell) = extras.remove(position);
                    if let Some(Label::Volet(volet)) = parse_label(&cell).map(|l| l.label) {
                        tree.volet(volet, line_number);
                    }
                }
                let title = match volet_suffix(title) {
                    Some((volet, rest)) => {
                        tree.volet(volet, line_number);
                        rest
                    }
                    None => title,
                };
                tree.strategic(number, title, line_number);
                report_ignored(tree, line_number, &extras, "strategic objective");
            }
            Label::Operational(os, own) => {
                tree.operational(os, own, title, line_number);
                report_ignored(tree, line_number, &extras, "operational objective");
            }
            Label::Action(code) => {
                let mut unread = Vec::new();
                let action = tree.action(Some(code), title, line_number);
                let mut start = None;
                for (index, cell) in &extras {
                    let column = self
                        .columns
                        .get(*index)
                        .copied()
                        .flatten()
                        .or_else(|| column_from_content(cell));
                    match column {
                        // `45 %`, `45`, `0,45`, or a status word in a progress column.
                        Some(Field::Progress)
                            if crate::recognise::percent(cell).is_none()
                                && Status::from_word(cell).is_none() =>
                        {
                            unread.push(format!(
                                "percentage «{cell}» is not between 0 and 100: not kept"
                            ))
                        }
                        Some(
                            Field::Title
                            | Field::Code
                            | Field::Strategic
                            | Field::Operational
                            | Field::Volet,
                        )
                        | None => unread.push(format!(
                            "cell «{}» of an action row not recognised: not kept",
                            truncate(cell, 60)
                        )),
                        Some(field) => crate::recognise::set_field(action, field, cell, &mut start),
                    }
                }
                for message in unread {
                    tree.diagnose(Severity::Warning, line_number, message);
                }
            }
        }
        RowKind::Structure
    }
}

pub(crate) fn cells_text(cells: &[(usize, String)]) -> String {
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
pub(crate) fn header_columns(row: &Row) -> Option<Vec<Option<Field>>> {
    let named: Vec<(usize, Option<Field>)> = row
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

fn column_from_header(cell: &str) -> Option<Field> {
    if cell.chars().count() > 60 {
        return None;
    }
    Lexicon::shipped().header_field(&fold_prefix(cell, 60).text)
}

/// Without a header: a percentage or a status word says what the cell is.
fn column_from_content(cell: &str) -> Option<Field> {
    if PERCENT.is_match(cell) {
        Some(Field::Progress)
    } else if Status::from_word(cell).is_some() {
        Some(Field::Status)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_drop_markup_and_empty_cells_but_keep_column_indices() {
        let row = split_row("<b>O.S.3</b>\t<b><u>Titre</u></b>\t<b>VOLET INTERNE</b>\t-\t-");
        assert_eq!(row.texts(), ["O.S.3", "Titre", "VOLET INTERNE"]);
        let row = split_row("\tIntitulé\t\tPil. Adm");
        assert_eq!(
            row.cells,
            vec![(1, "Intitulé".to_owned()), (3, "Pil. Adm".to_owned())]
        );
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("80 %"), Some(80));
        assert_eq!(parse_percent("37,5%"), Some(38));
        assert_eq!(parse_percent("100%"), Some(100));
        assert_eq!(parse_percent("150 %"), None);
        assert_eq!(parse_percent("80"), None);
    }
}
