//! Spreadsheets as tables: a CSV file (comma or semicolon, as French-locale Excel
//! writes it) whose first row names its columns becomes one table of rows, read by the
//! recogniser like any other table (one row per action with its OS and OO in columns, or
//! OS, OO and action rows interleaved).

use crate::document::{Block, BlockKind, Cell, Document, Row};
use crate::lexicon::{Lexicon, fold_prefix};

/// The delimiter of a CSV text whose first line is a header naming at least two fields
/// of the lexicon, and whose lines mostly have as many delimiters.
fn delimiter(lexicon: &Lexicon, text: &str) -> Option<u8> {
    let mut lines = crate::lines::numbered_lines(text).filter(|(_, l)| !l.trim().is_empty());
    let header = lines.next()?.1.trim_start_matches('\u{feff}');
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
    let named = header
        .split(char::from(delimiter))
        .filter(|cell| {
            let cell = cell.trim().trim_matches('"');
            cell.chars().count() <= 60
                && lexicon.header_field(&fold_prefix(cell, 60).text).is_some()
        })
        .count();
    (named >= 2).then_some(delimiter)
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
            continue;
        }
        blocks.push(Block {
            line,
            kind: BlockKind::Row(Row {
                table: 0,
                cells,
                tabbed: false,
            }),
        });
    }
    Some(Document { blocks })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
