//! Tab-separated action catalogues: one row per volet, OS, OO or action, the label in the
//! first cell (`O. O. 1.1.`, `action 3`) and the title in the same or the next cell,
//! optional extra columns (status, percentage, indicators, pilots, deadline) recognised
//! from a header row or from their content. Blank lines are page breaks, not structure.

use crate::Body;
use crate::lines::numbered_lines;
use crate::numbering::{Label, parse_label};
use crate::rows::{header_columns, split_row};
use crate::tabbed_text::{self, Unlabelled};

/// True when at least 80 % of the non-blank lines are labelled rows (or a header row) and
/// most action rows put their title in a cell of its own: the shape of a catalogue, not of
/// a narrative that embeds one (measured on the corpus: catalogue 100 %, narrative PST
/// 56 %, Markdown PST 62 %).
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
        } else if header_columns(&row).is_some() {
            labelled += 1;
        }
    }
    actions > 0 && labelled * 5 >= non_blank * 4 && tabbed * 2 >= actions
}

pub(crate) fn parse(source: &str, text: &str) -> Body {
    tabbed_text::parse(source, text, Unlabelled::Warn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_catalogues_not_prose() {
        assert!(recognise("O.S. 1 - A\nO.O. 1.1.\tB\naction 1\tC\n"));
        assert!(!recognise(
            "Une introduction.\nLe CPAS veut mener l'action 1 avec tous.\nSuite.\n"
        ));
        assert!(!recognise("O.S. 1 - A\nO.O. 1.1. B\n"));
    }
}
