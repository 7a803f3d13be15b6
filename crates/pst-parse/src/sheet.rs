//! Spreadsheets as tables: a workbook (XLSX, XLS, ODS, read with calamine: one table per
//! sheet) or a CSV file (comma or semicolon, as French-locale Excel writes it) whose first
//! row names its columns, read by the recogniser like any other table (one row per action
//! with its OS and OO in columns, or OS, OO and action rows interleaved).

use crate::document::{Block, BlockKind, Cell, Document, Row};
use crate::lexicon::{Lexicon, fold_prefix};

/// The delimiter of a CSV text with a header naming at least two fields of the lexicon
/// among its first lines (title lines may stand above it: `Programme …;;;;`).
fn delimiter(lexicon: &Lexicon, text: &str) -> Option<u8> {
    let lines: Vec<&str> = crate::lines::numbered_lines(text)
        .map(|(_, l)| l)
        .filter(|l| !l.trim().is_empty())
        .take(HEADER_SEARCH_LINES + ROWS_CHECKED)
        .collect();
    lines
        .iter()
        .take(HEADER_SEARCH_LINES)
        .enumerate()
        .find_map(|(at, line)| {
            let delimiter = header_delimiter(lexicon, line.trim_start_matches('\u{feff}'))?;
            // The rows below have about as many delimiters (prose with commas does not).
            let count = |line: &str| line.bytes().filter(|&b| b == delimiter).count();
            let wanted = (count(line) / 2).max(2);
            let below = &lines[at + 1..lines.len().min(at + 1 + ROWS_CHECKED)];
            let alike = below.iter().filter(|l| count(l) >= wanted).count();
            (!below.is_empty() && alike * 2 >= below.len()).then_some(delimiter)
        })
}

/// How many rows under a CSV header must look like rows of its table.
const ROWS_CHECKED: usize = 5;

/// How many lines from the top a CSV's header may be.
const HEADER_SEARCH_LINES: usize = 10;

/// The delimiter of `line` when it is a header row naming two fields or more.
fn header_delimiter(lexicon: &Lexicon, header: &str) -> Option<u8> {
    // Tab-separated text is read by the text front-end (rows of cells, line by line).
    if header.contains('\t') {
        return None;
    }
    let (delimiter, count) = [b';', b',']
        .into_iter()
        .map(|d| (d, header.bytes().filter(|&b| b == d).count()))
        .max_by_key(|&(_, count)| count)?;
    if count < 2 {
        return None;
    }
    // Names, not prose with commas: short cells, half of them naming a field.
    let cells: Vec<&str> = header
        .split(char::from(delimiter))
        .map(|cell| cell.trim().trim_matches('"'))
        .filter(|cell| !cell.is_empty())
        .collect();
    if cells.iter().any(|cell| cell.chars().count() > 60) {
        return None;
    }
    let named = cells
        .iter()
        .filter(|cell| lexicon.header_field(&fold_prefix(cell, 60).text).is_some())
        .count();
    (named >= 2 && named * 2 >= cells.len()).then_some(delimiter)
}

/// The rows of a CSV text with a header row, or `None` when the text is not such a CSV.
pub(crate) fn csv_document(lexicon: &Lexicon, text: &str) -> Option<Document> {
    let delimiter = delimiter(lexicon, text)?;
    let body = text.trim_start_matches('\u{feff}');
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut blocks = Vec::new();
    let mut record = csv::StringRecord::new();
    // An empty row ends a table: what follows (a legend, a second table) is another.
    let mut table = 0;
    let mut after_empty = false;
    loop {
        let byte = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        // A malformed record (an unclosed quote) ends the table.
        if !reader.read_record(&mut record).unwrap_or(false) {
            break;
        }
        // The reader's position is where the last record ended: skip the line end.
        let byte = body[byte.min(body.len())..]
            .find(|c: char| c != '\r' && c != '\n')
            .map_or(byte, |skip| byte + skip);
        let line =
            u32::try_from(line_starts.partition_point(|&start| start <= byte)).unwrap_or(u32::MAX);
        let cells: Vec<Cell> = record
            .iter()
            .enumerate()
            .filter_map(|(column, text)| crate::text::cell(column, text))
            .collect();
        if cells.is_empty() {
            after_empty = !blocks.is_empty();
            continue;
        }
        if std::mem::take(&mut after_empty) {
            table += 1;
        }
        blocks.push(Block {
            line,
            kind: BlockKind::Row(Row {
                table,
                cells,
                tabbed: false,
            }),
        });
    }
    Some(Document { blocks })
}

/// Rows read per sheet at most; the rest is cut with a warning.
pub(crate) const MAX_SHEET_ROWS: usize = 200_000;

/// A workbook as blocks: one table per sheet, numbered lines running across sheets
/// (`sheets` gives, for each sheet, its name and the line its first row got, so a line
/// maps back to sheet and row), and the sheets cut at [`MAX_SHEET_ROWS`].
pub(crate) struct Workbook {
    pub document: Document,
    pub sheets: Vec<(String, u32)>,
    pub cut: Vec<String>,
    /// Sheets that are pst's own data tables (a `plan_id` column): not read again.
    pub own_tables: Vec<String>,
}

impl Workbook {
    /// The sheet and 1-based row of a document line.
    pub(crate) fn locate(&self, line: u32) -> Option<(&str, u32)> {
        let index = self.sheets.partition_point(|(_, first)| *first <= line);
        let (name, first) = self.sheets.get(index.checked_sub(1)?)?;
        Some((name.as_str(), line - first + 1))
    }
}

/// Reads an XLSX, XLS or ODS workbook.
pub(crate) fn workbook(bytes: &[u8], lexicon: &Lexicon) -> Result<Workbook, String> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| e.to_string())?;
    let mut blocks = Vec::new();
    let mut sheets = Vec::new();
    let mut cut = Vec::new();
    let mut own_tables = Vec::new();
    let mut next_line: u32 = 1;
    for (index, name) in book.sheet_names().into_iter().enumerate() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        // pst's own exported tables (plans, objectives, actions…) repeat the follow-up
        // sheet: they are named, not read twice.
        if range
            .rows()
            .next()
            .is_some_and(|header| header.iter().any(|c| cell_text(c) == "plan_id"))
        {
            own_tables.push(name.clone());
            continue;
        }
        let first_row = range.start().map_or(0, |(row, _)| row);
        let first_column = range.start().map_or(0, |(_, column)| column as usize);
        let fractions = fraction_columns(&range, lexicon);
        sheets.push((name.clone(), next_line));
        if range.height() > MAX_SHEET_ROWS {
            cut.push(name.clone());
        }
        for (offset, row) in range.rows().take(MAX_SHEET_ROWS).enumerate() {
            let cells: Vec<Cell> = row
                .iter()
                .enumerate()
                .filter_map(|(column, data)| {
                    let text = match data {
                        calamine::Data::Float(value) if fractions.contains(&column) => {
                            format!("{} %", (value * 100.0).round())
                        }
                        _ => cell_text(data),
                    };
                    crate::text::cell(first_column + column, &text)
                })
                .collect();
            let line = next_line + first_row + offset as u32;
            if !cells.is_empty() {
                blocks.push(Block {
                    line,
                    kind: BlockKind::Row(Row {
                        table: index as u32,
                        cells,
                        tabbed: false,
                    }),
                });
            }
        }
        next_line += first_row + range.height().min(MAX_SHEET_ROWS) as u32 + 1;
    }
    Ok(Workbook {
        document: Document { blocks },
        sheets,
        cut,
        own_tables,
    })
}

/// Columns headed by a progress or status label whose numbers all lie between 0 and 1:
/// fractions of one (a cell formatted as a percentage holds 0.75 for 75 %).
fn fraction_columns(range: &calamine::Range<calamine::Data>, lexicon: &Lexicon) -> Vec<usize> {
    use calamine::Data;
    let mut rows = range.rows().take(MAX_SHEET_ROWS);
    let Some(header) = rows.next() else {
        return Vec::new();
    };
    let mut columns: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, cell)| {
            let text = cell_text(cell);
            matches!(
                lexicon.header_field(&fold_prefix(&text, 60).text),
                Some(crate::Field::Progress | crate::Field::Status)
            )
        })
        .map(|(column, _)| column)
        .collect();
    let mut seen_number = vec![false; header.len()];
    for row in rows {
        columns.retain(|&column| match row.get(column) {
            Some(Data::Float(value)) => {
                seen_number[column] = true;
                (0.0..=1.0).contains(value)
            }
            Some(Data::Int(value)) => *value == 0 || *value == 1,
            _ => true,
        });
    }
    columns.retain(|&column| seen_number[column]);
    columns
}

/// A cell as a reader sees it: dates as `yyyy-mm-dd`, whole numbers without decimals.
fn cell_text(data: &calamine::Data) -> String {
    use calamine::Data;
    match data {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
            format!("{}", *value as i64)
        }
        Data::Float(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        Data::DateTime(date) => excel_date(date.as_f64()),
        Data::DateTimeIso(text) => text.get(..10).unwrap_or(text).to_owned(),
        Data::DurationIso(text) => text.clone(),
    }
}

/// An Excel serial day (1900 system) as `yyyy-mm-dd`.
fn excel_date(serial: f64) -> String {
    let Ok(epoch) = time::Date::from_calendar_date(1899, time::Month::December, 30) else {
        return serial.to_string();
    };
    let days = serial.floor() as i64;
    epoch
        .checked_add(time::Duration::days(days))
        .map_or_else(|| serial.to_string(), |date| date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_days_are_dates() {
        assert_eq!(excel_date(46022.0), "2025-12-31");
        assert_eq!(excel_date(45658.5), "2025-01-01");
    }

    #[test]
    fn a_header_naming_fields_makes_a_csv() {
        let lexicon = Lexicon::shipped();
        let document = csv_document(
            lexicon,
            "\u{feff}Action;Pilote;Échéance\r\n\"Ouvrir; vite\";LM;2026\r\n",
        )
        .expect("a CSV");
        assert_eq!(document.blocks.len(), 2);
        let BlockKind::Row(row) = &document.blocks[1].kind else {
            panic!("a row")
        };
        assert_eq!(row.cells[0].text, "Ouvrir; vite");
        assert_eq!(document.blocks[1].line, 2);
        assert!(csv_document(lexicon, "Bonjour; à tous; ici\n").is_none());
    }

    #[test]
    fn a_header_under_title_lines_and_prose_with_commas() {
        let lexicon = Lexicon::shipped();
        let text = "PST 2025-2030 - CPAS de Ciney;;;\n;;;\nType;Code;Intitulé;Pilote\n\
                    Action;1.1.1;Ouvrir;LM\nAction;1.1.2;Fermer;MR\n";
        let document = csv_document(lexicon, text).expect("a CSV under its title lines");
        assert_eq!(document.blocks.len(), 4);
        // A sentence listing field names is not a header.
        let prose = "Pour chaque action sont indiqués le pilote, les partenaires, l'échéance, le\n\
                     budget et l'avancement.\n\n1.1.1. Ouvrir\n   Pilote : LM\n";
        assert!(csv_document(lexicon, prose).is_none());
    }
}
