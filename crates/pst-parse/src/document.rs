//! The document model every front-end produces: a flat sequence of blocks (headings,
//! paragraphs, list items, tables), each with its location, in reading order. What the
//! blocks *mean* (an OS, a field, prose) is decided once, by [`crate::recognise`].
//!
//! Text in blocks is free of markup (`**`, `<b>`, entities) and of list markers; a table
//! cell that wraps over several lines is one cell.

/// A document as blocks, in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Document {
    pub blocks: Vec<Block>,
}

/// One block and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// 1-based line (or paragraph number for containers without lines).
    pub line: u32,
    pub kind: BlockKind,
}

/// What a block is, as its container says it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BlockKind {
    /// A heading; `level` 1–6 where the container says it, 0 for a short line of its own
    /// in plain text (a heading by its look only).
    Heading { level: u8, text: String },
    /// A paragraph (one line of plain text). `continues` is true when the line directly
    /// continues the item or paragraph above it (deeper indentation, no blank line).
    Paragraph { text: String, continues: bool },
    /// A list item: nesting depth (0 outermost) and its marker.
    ListItem {
        depth: usize,
        marker: Marker,
        text: String,
    },
    /// A table row; rows of one table share `table`.
    Row(Row),
}

/// How a list item is marked. Numbered styles are told apart, because a plan often gives
/// each level its own (`I.` for OS, `A.` for OO, `1)` for actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Marker {
    /// `•`, `-`, `*`, `o`, `▪`… or an `li` of a `ul`.
    Bullet,
    /// A number, a Roman numeral or a letter, with its style.
    Numbered(u32, NumberStyle),
}

/// The style of a list number: `1.` and `1)` differ, as do `I.` and `A.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NumberStyle {
    /// `1.` (or an `li` of an `ol`).
    Digit,
    /// `1)`.
    DigitParen,
    /// `I.`, `II)`.
    Roman,
    /// `A.`, `b)`.
    Letter,
}

/// A row of a table: its cells by column, spans resolved (a cell covered by another's
/// row or column span is present with `spanned` set and the covering cell's text).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Row {
    /// Which table of the document the row belongs to (0, 1, …).
    pub table: u32,
    /// Non-empty cells with their 0-based column.
    pub cells: Vec<Cell>,
    /// The row came from tab-separated text (as opposed to a table of a structured
    /// container).
    pub tabbed: bool,
}

/// A hard line break inside a cell (`<br>`, a second paragraph in a Word cell): list
/// fields split on it (one pilot per line); any other text reads it as a space.
pub(crate) const CELL_BREAK: char = '\u{2028}';

/// `text` with its cell breaks as spaces.
pub(crate) fn unbroken(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(CELL_BREAK) {
        text.replace(CELL_BREAK, " ").into()
    } else {
        text.into()
    }
}

/// A cell's raw text with its whitespace collapsed, line by line, its hard breaks kept.
pub(crate) fn cell_text(raw: &str) -> String {
    raw.split(CELL_BREAK)
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(&CELL_BREAK.to_string())
}

/// One cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Cell {
    /// 0-based column.
    pub column: usize,
    pub text: String,
    /// The cell's text was bold (`**…**`, `<b>`, `<strong>`, `<th>`).
    pub strong: bool,
    /// A copy of a cell spanning from a row above (rowspan) or a column to the left.
    pub spanned: bool,
}

impl Row {
    /// The cells' texts, for messages.
    pub(crate) fn text(&self) -> String {
        self.cells
            .iter()
            .filter(|c| !c.spanned)
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

/// `IV` → 4; `None` for anything that is not a Roman numeral up to 39 (a plan has fewer
/// objectives; longer runs of I, V, X are words).
pub(crate) fn roman(text: &str) -> Option<u32> {
    let upper = text.to_ascii_uppercase();
    const ROMANS: [&str; 39] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV", "XXV", "XXVI",
        "XXVII", "XXVIII", "XXIX", "XXX", "XXXI", "XXXII", "XXXIII", "XXXIV", "XXXV", "XXXVI",
        "XXXVII", "XXXVIII", "XXXIX",
    ];
    if text != upper && text != text.to_ascii_lowercase() {
        return None;
    }
    ROMANS
        .iter()
        .position(|r| *r == upper)
        .map(|i| i as u32 + 1)
}

/// `C` → 3, `b` → 2.
pub(crate) fn letter(text: &str) -> Option<u32> {
    let mut chars = text.chars();
    let c = chars.next()?;
    (chars.next().is_none() && c.is_ascii_alphabetic())
        .then(|| u32::from(c.to_ascii_uppercase() as u8 - b'A' + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_and_letters() {
        assert_eq!(roman("IV"), Some(4));
        assert_eq!(roman("xii"), Some(12));
        assert_eq!(roman("Iv"), None);
        assert_eq!(roman("VIV"), None);
        assert_eq!(letter("C"), Some(3));
        assert_eq!(letter("b"), Some(2));
        assert_eq!(letter("ab"), None);
    }
}
