//! Plain text → blocks: list items (depth from indentation, every marker style: `1.`,
//! `1)`, `I.`, `A.`, bullets), tab-separated rows, tables aligned with spaces (a cell
//! wrapped onto the next lines is one cell), headings by their look, paragraphs and the
//! lines that continue them. One pass over the lines; the Markdown front-end feeds its
//! non-Markdown lines through the same builder.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, BlockKind, Cell, Document, Marker, NumberStyle, Row};
use crate::lines::numbered_lines;
use crate::markup::strip_markup;

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?P<n>\d{1,3})(?P<d>[.)°])|(?P<roman>[IVXLC]{1,7}|[ivxlc]{1,7})[.)]|(?P<letter>[A-Za-z])[.)])(?:\s+|$)")
        .expect("valid regex")
});
/// A bullet: the usual marks, and any arrow, geometric shape, dingbat or symbol
/// (`▸`, `❖`, `✔`, `→`, `⬥`…), which word processors offer as bullets.
static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[•◦▪▫‣⁃∙·●○■□\-–—*o+›»\u{2190}-\u{21FF}\u{25A0}-\u{25FF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}](?:\s+|$)")
        .expect("valid regex")
});
/// Two or more spaces between two pieces of text: a column gap in an aligned table.
static GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\S( {2,}|\u{a0}{2,})\S").expect("valid regex"));

/// `<br>`, `<br/>`, `<BR />` in a Markdown cell: a line break inside the cell.
static BREAK_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").expect("valid regex"));

/// Bold text at the start of a line, then more text.
static BOLD_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\*\*(?P<bold>[^*]{3,200})\*\*\s+(?P<rest>\S.{20,})$").expect("valid regex")
});
/// A line in italics: `*…*` or `_…_`.
static ITALIC_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<indent>\s*)[*_](?P<inner>[^*_\s][^*_]*[^*_\s])[*_]\s*$").expect("valid regex")
});

/// Longest line that can be a heading by its look.
const HEADING_MAX_CHARS: usize = 120;

/// A box-drawing character (`│ ├ └ ─`) of a tree's branches.
fn is_tree_branch(c: char) -> bool {
    ('\u{2500}'..='\u{257F}').contains(&c)
}

/// Columns of leading whitespace (a tab counts 4) and the rest of the line.
pub(crate) fn indentation(line: &str) -> (usize, &str) {
    let mut columns = 0;
    for (index, c) in line.char_indices() {
        match c {
            '\t' => columns += 4,
            c if c.is_whitespace() => columns += 1,
            _ => return (columns, &line[index..]),
        }
    }
    (columns, "")
}

/// A cell's text without markup, and whether it was bold.
pub(crate) fn cell(column: usize, raw: &str) -> Option<Cell> {
    let strong = raw.contains("**") || raw.contains("<b>") || raw.contains("<strong>");
    let raw = BREAK_TAG.replace_all(raw, crate::document::CELL_BREAK.to_string().as_str());
    let text = crate::document::cell_text(&strip_markup(&raw));
    (!is_blank_cell(&text)).then_some(Cell {
        column,
        text,
        strong,
        spanned: false,
    })
}

/// Empty, or only a dash or slash standing for "nothing".
pub(crate) fn is_blank_cell(cell: &str) -> bool {
    cell.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/'))
}

/// A list marker at the start of `content`: the marker and where the text starts.
pub(crate) fn list_marker(content: &str) -> Option<(Marker, usize)> {
    if let Some(bullet) = BULLET.find(content) {
        // "— : note" or "- = …" is not a list item.
        if content[bullet.end()..].starts_with([':', '=', '>']) {
            return None;
        }
        return Some((Marker::Bullet, bullet.end()));
    }
    let caps = NUMBERED.captures(content)?;
    let end = caps.get(0)?.end();
    let marker = if let Some(n) = caps.name("n") {
        let style = if &caps["d"] == ")" {
            NumberStyle::DigitParen
        } else {
            NumberStyle::Digit
        };
        Marker::Numbered(n.as_str().parse().ok()?, style)
    } else if let Some(roman) = caps.name("roman") {
        match crate::document::roman(roman.as_str()) {
            Some(number) => Marker::Numbered(number, NumberStyle::Roman),
            // "C." and "L." are letters in a list of letters.
            None => Marker::Numbered(
                crate::document::letter(roman.as_str())?,
                NumberStyle::Letter,
            ),
        }
    } else {
        Marker::Numbered(
            crate::document::letter(caps.name("letter")?.as_str())?,
            NumberStyle::Letter,
        )
    };
    // "A. " alone or "M. Dupont" in prose are rare; a lone letter needs a title after it.
    if matches!(marker, Marker::Numbered(_, NumberStyle::Letter))
        && content[end..].trim().is_empty()
    {
        return None;
    }
    Some((marker, end))
}

/// An aligned table being read: where each column starts.
struct Aligned {
    starts: Vec<usize>,
}

impl Aligned {
    /// Pieces of text separated by two or more spaces, with their start column (in
    /// characters). One pass, no copy of the line.
    fn pieces(line: &str) -> Vec<(usize, &str)> {
        let mut pieces = Vec::new();
        // (start column, start byte) of the piece being read, and where it ends so far.
        let mut open: Option<(usize, usize)> = None;
        let mut last_end = 0;
        let mut spaces = 0;
        for (column, (offset, c)) in line.char_indices().enumerate() {
            if c == ' ' || c == '\u{a0}' {
                spaces += 1;
                if spaces >= 2
                    && let Some((start_column, start_byte)) = open.take()
                {
                    pieces.push((start_column, &line[start_byte..last_end]));
                }
            } else {
                if open.is_none() {
                    open = Some((column, offset));
                }
                spaces = 0;
                last_end = offset + c.len_utf8();
            }
        }
        if let Some((start_column, start_byte)) = open {
            pieces.push((start_column, &line[start_byte..last_end]));
        }
        pieces
    }

    /// The column a piece starting at `at` belongs to.
    fn column(&self, at: usize) -> usize {
        self.starts
            .iter()
            .rposition(|&start| start <= at + 1)
            .unwrap_or(0)
    }
}

/// A grid table being read (`+----+----+` borders, `|` between cells): where each
/// column starts and ends, and the text of the row so far.
struct Grid {
    borders: Vec<usize>,
    line: Option<u32>,
    cells: Vec<String>,
}

static GRID_BORDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\+[-=:+]+\+\s*$").expect("valid regex"));
static PIPE_DELIMITER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$").expect("valid regex")
});

/// The cells of a pipe-table row as the source writes them: split on `|` not escaped.
pub(crate) fn pipe_cells(line: &str) -> Vec<&str> {
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let inner = if inner.ends_with('|') && !inner.ends_with("\\|") {
        &inner[..inner.len() - 1]
    } else {
        inner
    };
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = inner.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'|' && (index == 0 || bytes[index - 1] != b'\\') {
            cells.push(&inner[start..index]);
            start = index + 1;
        }
    }
    cells.push(&inner[start..]);
    cells
}

/// Builds blocks from lines.
#[derive(Default)]
pub(crate) struct TextBlocks {
    grid: Option<Grid>,
    blocks: Vec<Block>,
    /// Indentations of the open list levels.
    levels: Vec<usize>,
    /// Indentation of the last item or paragraph, while no blank line followed it.
    last_indent: Option<usize>,
    /// The last block was a list item (a deeper line continues it).
    after_item: bool,
    tables: u32,
    /// The last block was a row of this kind (to group rows into tables).
    in_table: bool,
    aligned: Option<Aligned>,
    /// A blank line came after the last block.
    after_blank: bool,
    /// The last table given explicitly ([`TextBlocks::table_row`]): its number in the
    /// source and in the document.
    explicit_table: Option<(u32, u32)>,
}

impl TextBlocks {
    /// Reads one line of text.
    pub(crate) fn line(&mut self, number: u32, raw: &str) {
        // A tree drawn with box characters: its branches are indentation.
        let untreed: String;
        let raw = if raw.trim_start().starts_with(is_tree_branch) {
            let content = raw.trim_start_matches(|c: char| c.is_whitespace() || is_tree_branch(c));
            untreed = " ".repeat(raw.chars().count() - content.chars().count()) + content;
            untreed.as_str()
        } else {
            raw
        };
        if self.grid_line(number, raw) {
            return;
        }
        let trimmed = raw.trim();
        if trimmed.len() > 1 && trimmed.starts_with('|') && trimmed.ends_with('|') {
            if !PIPE_DELIMITER.is_match(trimmed) {
                self.row(number, pipe_cells(trimmed));
            }
            return;
        }
        if raw.contains('\t') && !strip_markup(raw).trim().is_empty() {
            self.aligned = None;
            self.tab_row(number, raw);
            return;
        }
        // A bold title then prose on the same line (`**Objectif stratégique 1 – Titre.**
        // La part des habitants…`): the title is a line, the prose another.
        if let Some(caps) = BOLD_LEAD.captures(raw.trim_start())
            && caps["bold"].split_whitespace().count() >= 3
        {
            let title = caps["bold"].trim().trim_end_matches('.');
            self.line(number, title);
            self.blank();
            // What follows the title is prose, not a list item (`— document commun…`).
            self.line(
                number,
                caps["rest"].trim_start_matches(['—', '–', '-', ':', ' ']),
            );
            return;
        }
        let stripped = strip_markup(raw);
        // A line all in italics (`*Objectif opérationnel 1.1 – …*`).
        let stripped = ITALIC_LINE
            .captures(&stripped)
            .map(|caps| format!("{}{}", &caps["indent"], &caps["inner"]))
            .unwrap_or_else(|| stripped.into_owned());
        let (indent, content) = indentation(&stripped);
        let content = content.trim_end();
        if content.is_empty() {
            self.blank();
            return;
        }
        if self.aligned_row(number, &stripped) {
            return;
        }
        self.in_table = false;
        if let Some((marker, end)) = list_marker(content) {
            while self.levels.last().is_some_and(|&top| top > indent) {
                self.levels.pop();
            }
            if self.levels.last() != Some(&indent) {
                self.levels.push(indent);
            }
            let depth = self.levels.len() - 1;
            self.push(
                number,
                BlockKind::ListItem {
                    depth,
                    marker,
                    text: content[end..].trim().to_owned(),
                },
            );
            self.last_indent = Some(indent);
            self.after_item = true;
            return;
        }
        let continues = self.last_indent.is_some_and(|last| {
            indent > last || (!self.after_item && indent == last && indent > 0)
        });
        let heading = !continues
            && indent == 0
            && content.chars().count() <= HEADING_MAX_CHARS
            && !content.ends_with(['.', ',', ';']);
        if heading {
            self.levels.clear();
            // An indented line right below continues it (a wrapped title).
            self.last_indent = Some(0);
            self.after_item = false;
            self.push(
                number,
                BlockKind::Heading {
                    level: 0,
                    text: content.to_owned(),
                },
            );
            return;
        }
        if !continues {
            self.last_indent = Some(indent);
            self.after_item = false;
        }
        self.push(
            number,
            BlockKind::Paragraph {
                text: content.to_owned(),
                continues,
            },
        );
    }

    /// A line of a grid table: a border ends the row above, a `|` line adds to each
    /// cell. Returns false for a line that is not part of a grid.
    fn grid_line(&mut self, number: u32, raw: &str) -> bool {
        if GRID_BORDER.is_match(raw) {
            self.end_grid_row();
            let borders = raw
                .chars()
                .enumerate()
                .filter(|&(_, c)| c == '+')
                .map(|(i, _)| i)
                .collect::<Vec<_>>();
            let width = borders.len().saturating_sub(1);
            self.grid = Some(Grid {
                borders,
                line: None,
                cells: vec![String::new(); width],
            });
            return true;
        }
        let Some(grid) = &mut self.grid else {
            return false;
        };
        if !raw.trim_start().starts_with('|') {
            self.end_grid_row();
            self.grid = None;
            return false;
        }
        grid.line.get_or_insert(number);
        let chars: Vec<char> = raw.chars().collect();
        for (index, pair) in grid.borders.windows(2).enumerate() {
            let from = (pair[0] + 1).min(chars.len());
            let to = pair[1].min(chars.len());
            let piece: String = chars[from..to].iter().collect();
            let piece = piece.trim().trim_matches('|').trim();
            if !piece.is_empty() {
                let cell = &mut grid.cells[index];
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(piece);
            }
        }
        true
    }

    fn end_grid_row(&mut self) {
        let Some(grid) = &mut self.grid else {
            return;
        };
        let Some(line) = grid.line.take() else {
            return;
        };
        let cells: Vec<String> = grid.cells.iter_mut().map(std::mem::take).collect();
        self.row(line, cells.iter().map(String::as_str));
    }

    /// A blank line ends lists' continuation and a wrapped cell (an aligned table goes
    /// on after it, with the same columns).
    pub(crate) fn blank(&mut self) {
        self.last_indent = None;
        self.after_item = false;
        self.after_blank = true;
        if self.aligned.is_none() {
            self.in_table = false;
        }
    }

    /// A row from cells already split (a pipe-table row).
    pub(crate) fn row<'a>(&mut self, number: u32, cells: impl IntoIterator<Item = &'a str>) {
        let cells = cells
            .into_iter()
            .enumerate()
            .filter_map(|(column, raw)| cell(column, raw))
            .collect();
        self.push_row(number, cells, true);
    }

    /// A row whose cells and table the source gives (a PDF's bordered table): rows with
    /// the same `table` are one table of the document, whatever lies between them.
    pub(crate) fn table_row(&mut self, number: u32, table: u32, cells: Vec<Cell>) {
        self.aligned = None;
        self.end_grid_row();
        self.grid = None;
        let number_in_document = match self.explicit_table {
            Some((source, document)) if source == table => document,
            _ => {
                self.tables += 1;
                self.tables - 1
            }
        };
        self.explicit_table = Some((table, number_in_document));
        self.push_row_of(number, number_in_document, cells, false);
        // A tab row after it starts a table of its own.
        self.in_table = false;
    }

    /// A heading of a known level (Markdown).
    pub(crate) fn heading(&mut self, number: u32, level: u8, text: &str) {
        self.blank();
        self.levels.clear();
        self.push(
            number,
            BlockKind::Heading {
                level,
                text: strip_markup(text).trim().to_owned(),
            },
        );
    }

    fn tab_row(&mut self, number: u32, raw: &str) {
        let cells = raw
            .split('\t')
            .enumerate()
            .filter_map(|(column, raw)| cell(column, raw))
            .collect();
        self.push_row(number, cells, true);
    }

    fn push_row(&mut self, number: u32, cells: Vec<Cell>, tabbed: bool) {
        if !self.in_table {
            self.tables += 1;
        }
        self.push_row_of(number, self.tables - 1, cells, tabbed);
    }

    fn push_row_of(&mut self, number: u32, table: u32, cells: Vec<Cell>, tabbed: bool) {
        self.in_table = true;
        self.last_indent = None;
        self.after_item = false;
        self.push(
            number,
            BlockKind::Row(Row {
                table,
                cells,
                tabbed,
            }),
        );
    }

    /// A line of a table aligned with spaces: a row, or the continuation of the row above
    /// (its first column empty). The first such line (two gaps or more) sets the columns.
    fn aligned_row(&mut self, number: u32, line: &str) -> bool {
        let gaps = GAP.find_iter(line).count();
        if let Some(aligned) = &self.aligned {
            let pieces = Aligned::pieces(line);
            let first_column_empty = pieces.first().is_none_or(|&(at, _)| aligned.column(at) > 0);
            if first_column_empty && !self.after_blank && gaps < aligned.starts.len() {
                // A wrapped cell: each piece joins the cell of its column in the row above.
                let columns: Vec<(usize, String)> = pieces
                    .iter()
                    .map(|&(at, text)| (aligned.column(at), strip_markup(text).trim().to_owned()))
                    .collect();
                if let Some(Block {
                    kind: BlockKind::Row(row),
                    ..
                }) = self.blocks.last_mut()
                {
                    for (column, text) in columns {
                        match row.cells.iter_mut().find(|c| c.column == column) {
                            Some(cell) => {
                                cell.text.push(' ');
                                cell.text.push_str(&text);
                            }
                            None => {
                                let position = row.cells.partition_point(|c| c.column < column);
                                row.cells.insert(
                                    position,
                                    Cell {
                                        column,
                                        text,
                                        ..Cell::default()
                                    },
                                );
                            }
                        }
                    }
                    return true;
                }
            }
            if gaps >= 1 {
                let cells = pieces
                    .iter()
                    .filter_map(|&(at, text)| cell(aligned.column(at), text))
                    .collect();
                self.push_row(number, cells, true);
                return true;
            }
            self.aligned = None;
            self.in_table = false;
            return false;
        }
        if gaps < 2 || list_marker(line.trim_start()).is_some() {
            return false;
        }
        let pieces = Aligned::pieces(line);
        let aligned = Aligned {
            starts: pieces.iter().map(|&(at, _)| at).collect(),
        };
        let cells = pieces
            .iter()
            .enumerate()
            .filter_map(|(column, &(_, text))| cell(column, text))
            .collect();
        self.aligned = Some(aligned);
        self.push_row(number, cells, true);
        true
    }

    fn push(&mut self, line: u32, kind: BlockKind) {
        self.after_blank = false;
        self.blocks.push(Block { line, kind });
    }

    pub(crate) fn finish(mut self) -> Document {
        self.end_grid_row();
        Document {
            blocks: self.blocks,
        }
    }
}

/// The blocks of a plain text.
pub(crate) fn blocks(text: &str) -> Document {
    blocks_with_rows(text, &[])
}

/// A table row whose cells a container gives: its line, table, and cells.
pub(crate) struct GivenRow {
    pub line: u32,
    pub table: u32,
    pub cells: Vec<Cell>,
}

/// The blocks of a plain text some of whose lines are table rows given with their cells
/// (`rows`, sorted by line): those lines are read as the rows, the others as text.
pub(crate) fn blocks_with_rows(text: &str, rows: &[GivenRow]) -> Document {
    let furniture = page_furniture(text);
    let mut builder = TextBlocks::default();
    // Pages set in two columns are read a column at a time.
    let reordered = rows
        .is_empty()
        .then(|| crate::columns::reading_order(text))
        .flatten();
    let lines: Box<dyn Iterator<Item = (u32, &str)>> = match &reordered {
        Some(lines) => Box::new(lines.iter().map(|(n, l)| (*n, l.as_str()))),
        None => Box::new(numbered_lines(text)),
    };
    let mut rows = rows.iter().peekable();
    for (number, line) in lines {
        while rows.next_if(|row| row.line < number).is_some() {}
        if let Some(row) = rows.next_if(|row| row.line == number) {
            builder.table_row(number, row.table, row.cells.clone());
            continue;
        }
        let key = if has_page_number(line) {
            normalised(line)
        } else {
            line.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        if furniture.contains(&key)
            || (line.len() < 40
                && line.bytes().any(|b| b.is_ascii_digit())
                && PAGE_NUMBER.is_match(line))
        {
            // Page headers and footers of a PDF or Word export: not plan text (they stay
            // residue), and they do not break the lines around them.
            continue;
        }
        builder.line(number, line);
    }
    builder.finish()
}

/// A line that is only a page number: `3`, `- 3 -`, `Page 3`, `3/12`, `Page 3 sur 12`.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:page\s*|p\.\s*)?[-–]?\s*\d{1,3}\s*(?:(?:/|sur|of|de)\s*\d{1,3})?\s*[-–]?\s*$",
    )
    .expect("valid regex")
});

/// A page number inside a line: "Page 3", "p. 3", "3/12", "3 sur 12".
static PAGE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\bpage\s*\d|\bp\.\s*\d|\b\d{1,3}\s*(?:/|sur)\s*\d{1,3}\b")
        .expect("valid regex")
});

/// A page number inside a line (digits first, the pattern only then).
fn has_page_number(line: &str) -> bool {
    line.bytes().any(|b| b.is_ascii_digit()) && PAGE_WORD.is_match(line)
}

/// A line with its digits made `#` and its spaces folded, so that "Page 3" and "Page 4"
/// are one line.
fn normalised(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(
            word.chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c }),
        );
    }
    out
}

/// Lines repeated on three pages or more: short, not a list item, no `:` (a field line
/// such as "Statut : En cours" repeats too), and not blank. A line with a page number
/// counts wherever it is; another only beside a page break (a page number, a form
/// feed), so that a fiche's labels, repeated in every fiche, are not taken for it.
fn page_furniture(text: &str) -> std::collections::HashSet<String> {
    let lines: Vec<&str> = numbered_lines(text).map(|(_, line)| line).collect();
    let is_break = |line: &str| {
        line.contains('\x0c')
            || has_page_number(line)
            || (line.len() < 40 && PAGE_NUMBER.is_match(line) && !line.trim().is_empty())
    };
    let breaks: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| is_break(line))
        .map(|(index, _)| index)
        .collect();
    let near_break = |index: usize| {
        let at = breaks.partition_point(|&b| b + PAGE_EDGE < index);
        breaks.get(at).is_some_and(|&b| b <= index + PAGE_EDGE)
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty()
            || trimmed.chars().count() > 100
            || trimmed.contains([':', '\t', '|'])
            || list_marker(trimmed).is_some()
        {
            continue;
        }
        // Only a page number may change from page to page ("Page 3 sur 12").
        let key = if has_page_number(trimmed) {
            normalised(trimmed)
        } else if near_break(index) {
            trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            continue;
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|&(_, count)| count >= 3)
        .map(|(line, _)| line)
        .collect()
}

/// How many lines from a page break a running header or footer may stand.
const PAGE_EDGE: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        blocks(text)
            .blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Heading { level, text } => format!("{}:H{level} {text}", b.line),
                BlockKind::Paragraph { text, continues } => {
                    format!("{}:P{} {text}", b.line, if *continues { "+" } else { "" })
                }
                BlockKind::ListItem {
                    depth,
                    marker,
                    text,
                } => format!("{}:L{depth} {marker:?} {text}", b.line),
                BlockKind::Row(row) => format!(
                    "{}:R{} {}",
                    b.line,
                    row.table,
                    row.cells
                        .iter()
                        .map(|c| format!("{}={}", c.column, c.text))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            })
            .collect()
    }

    #[test]
    fn markers_of_every_style_and_depth_from_indentation() {
        assert_eq!(
            kinds("I. Aider\nA. Loger\n1) Signer\n  • Pilote : LM\n"),
            vec![
                "1:L0 Numbered(1, Roman) Aider",
                "2:L0 Numbered(1, Letter) Loger",
                "3:L0 Numbered(1, DigitParen) Signer",
                "4:L1 Bullet Pilote : LM",
            ]
        );
    }

    #[test]
    fn aligned_columns_and_wrapped_cells() {
        let text = "Code    Action                 Pilote\n1.1.1   Ouvrir une épicerie    LM\n        sociale\n1.1.2   Signer                 MR\n";
        assert_eq!(
            kinds(text),
            vec![
                "1:R0 0=Code 1=Action 2=Pilote",
                "2:R0 0=1.1.1 1=Ouvrir une épicerie sociale 2=LM",
                "4:R0 0=1.1.2 1=Signer 2=MR",
            ]
        );
    }

    #[test]
    fn aligned_rows_with_trailing_spaces() {
        let text = "Code      Intitulé            Pilote\nOS 1     Aider               \n1.1.1     Ouvrir              LM\n";
        assert_eq!(
            kinds(text),
            vec![
                "1:R0 0=Code 1=Intitulé 2=Pilote",
                "2:R0 0=OS 1 1=Aider",
                "3:R0 0=1.1.1 1=Ouvrir 2=LM",
            ]
        );
    }

    #[test]
    fn page_headers_and_numbers_are_not_text() {
        let page =
            |n: u32| format!("CPAS de Ciney – PST 2025-2030\nAction {n} : Agir\nPage {n} sur 3\n");
        let text = format!("{}{}{}", page(1), page(2), page(3));
        assert_eq!(
            kinds(&text),
            vec![
                "2:H0 Action 1 : Agir",
                "5:H0 Action 2 : Agir",
                "8:H0 Action 3 : Agir"
            ]
        );
    }

    #[test]
    fn tab_rows_group_into_tables() {
        assert_eq!(
            kinds("a\tb\nc\td\n\ne\tf\n"),
            vec!["1:R0 0=a 1=b", "2:R0 0=c 1=d", "4:R1 0=e 1=f"]
        );
    }
}
