//! Plans as HTML pages: headings and nested `ol`/`ul`/`li` lists, read with a real HTML
//! parser (html5ever through scraper) and walked iteratively, so any nesting depth is safe.
//! Navigation, scripts, styles and other page chrome are skipped.
//!
//! HTML parsers do not report source lines; each item's line is found by looking for its
//! first word in the source from the previous item's position onwards (one forward pass).

use std::borrow::Cow;

use ego_tree::iter::Edge;
use pst_model::{Diagnostic, Severity};
use scraper::{Html, Node};

use crate::Body;
use crate::document::{Block, BlockKind, Cell, Document, Marker, NumberStyle, Row};
use crate::lexicon::Lexicon;
use crate::markup::strip_markup;
use crate::nesting;

/// Elements whose content is page chrome or code, never plan text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
    "select", "iframe", "svg", "menu",
];

/// True when the text starts like an HTML document.
pub(crate) fn looks_like_html(text: &str) -> bool {
    let start: String = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .chars()
        .take(512)
        .collect();
    let start = start.to_ascii_lowercase();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || (start.starts_with('<')
            && ["<body", "<head", "<meta", "<ul", "<ol", "<h1", "<h2"]
                .iter()
                .any(|t| start.contains(t)))
}

/// Block elements that make a paragraph of their own outside lists.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "table",
    "tr",
    "blockquote",
    // A collapsible section (`<details><summary>OS 1 …</summary>…`) and its title.
    "details",
    "summary",
];

struct List {
    ordered: bool,
    next_number: u32,
}

/// What the text being collected will become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Heading(u8),
    Paragraph,
    Item(usize, Marker),
}

/// A table being read: the row, the cell, and cells spanning down from rows above.
#[derive(Default)]
struct Table {
    index: u32,
    row: Option<(u32, Vec<Cell>)>,
    cell: Option<(usize, u32, u32, bool, String)>,
    /// Column → (rows still covered, text, bold) of rowspans.
    carried: Vec<(usize, u32, String, bool)>,
}

/// Collects the text of the block being read and finds its line in the source.
struct Collector<'t> {
    source: &'t str,
    cursor: usize,
    cursor_line: u32,
    blocks: Vec<Block>,
    open: Option<Open>,
    buffer: String,
    tables: Vec<Table>,
    table_count: u32,
}

impl Collector<'_> {
    fn start(&mut self, open: Open) {
        self.flush();
        self.open = Some(open);
    }

    fn flush(&mut self) {
        let text = strip_markup(&self.buffer)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.buffer.clear();
        let open = self.open.take();
        if text.is_empty() && !matches!(open, Some(Open::Item(..))) {
            return;
        }
        let line = self.locate(&text);
        let kind = match open {
            Some(Open::Heading(level)) => BlockKind::Heading { level, text },
            Some(Open::Item(depth, marker)) => BlockKind::ListItem {
                depth,
                marker,
                text,
            },
            Some(Open::Paragraph) | None => BlockKind::Paragraph {
                text,
                continues: false,
            },
        };
        self.blocks.push(Block { line, kind });
    }

    /// The line of the first occurrence of `text`'s first word at or after the cursor.
    fn locate(&mut self, text: &str) -> u32 {
        let word: String = text
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| w.chars().count() >= 3)
            .unwrap_or_default()
            .to_owned();
        if !word.is_empty() {
            if let Some(offset) = self.source[self.cursor..].find(&word) {
                let found = self.cursor + offset;
                let newlines = self.source[self.cursor..found]
                    .bytes()
                    .filter(|&b| b == b'\n')
                    .count();
                self.cursor_line = self
                    .cursor_line
                    .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                self.cursor = found;
            }
        }
        self.cursor_line
    }

    fn start_row(&mut self) {
        self.flush();
        if let Some(table) = self.tables.last_mut() {
            table.row = Some((0, Vec::new()));
        }
    }

    fn start_cell(&mut self, colspan: u32, rowspan: u32, header: bool) {
        self.flush();
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        let Some((_, cells)) = &mut table.row else {
            return;
        };
        // The next free column, after cells carried down by rowspans.
        let mut column = cells.last().map_or(0, |c: &Cell| c.column + 1);
        while table
            .carried
            .iter()
            .any(|(c, left, ..)| *c == column && *left > 0)
        {
            column += 1;
        }
        table.cell = Some((
            column,
            colspan.clamp(1, 64),
            rowspan.clamp(1, 10_000),
            header,
            String::new(),
        ));
    }

    fn end_cell(&mut self) {
        let text = crate::document::cell_text(&strip_markup(&self.buffer));
        self.buffer.clear();
        self.open = None;
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        let Some((column, colspan, rowspan, header, bold)) = table.cell.take() else {
            return;
        };
        let strong = header || !bold.is_empty();
        let Some((_, cells)) = &mut table.row else {
            return;
        };
        for offset in 0..colspan as usize {
            cells.push(Cell {
                column: column + offset,
                text: text.clone(),
                strong,
                spanned: offset > 0,
            });
            if rowspan > 1 {
                table
                    .carried
                    .push((column + offset, rowspan, text.clone(), strong));
            }
        }
    }

    fn end_row(&mut self) {
        if self.tables.last().is_some_and(|t| t.cell.is_some()) {
            self.end_cell();
        }
        let first_word = self
            .tables
            .last()
            .and_then(|t| t.row.as_ref())
            .and_then(|(_, cells)| cells.iter().find(|c| !c.spanned && !c.text.is_empty()))
            .map(|c| c.text.clone())
            .unwrap_or_default();
        let line = self.locate(&first_word);
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        let Some((_, mut cells)) = table.row.take() else {
            return;
        };
        // Cells carried down from rowspans above, in their columns.
        for (column, left, text, strong) in &mut table.carried {
            if *left > 0 && !cells.iter().any(|c| c.column == *column) {
                cells.push(Cell {
                    column: *column,
                    text: text.clone(),
                    strong: *strong,
                    spanned: true,
                });
            }
        }
        for carried in &mut table.carried {
            carried.1 = carried.1.saturating_sub(1);
        }
        table.carried.retain(|(_, left, ..)| *left > 0);
        cells.sort_by_key(|c| c.column);
        cells.retain(|c| !c.text.is_empty());
        if cells.is_empty() {
            return;
        }
        self.blocks.push(Block {
            line,
            kind: BlockKind::Row(Row {
                table: table.index,
                cells,
                tabbed: false,
            }),
        });
    }
}

fn span(element: &scraper::node::Element, name: &str) -> u32 {
    element
        .attr(name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

/// The blocks of an HTML document.
pub(crate) fn blocks(source: &str) -> Document {
    let document = Html::parse_document(source);
    let mut collector = Collector {
        source,
        cursor: 0,
        cursor_line: 1,
        blocks: Vec::new(),
        open: None,
        buffer: String::new(),
        tables: Vec::new(),
        table_count: 0,
    };
    let mut lists: Vec<List> = Vec::new();
    let mut skipping = 0usize;
    let mut in_definition = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if skipping > 0
                        || SKIPPED.contains(&name)
                        || element.attr("role") == Some("navigation")
                    {
                        skipping += 1;
                        continue;
                    }
                    let in_cell = collector.tables.last().is_some_and(|t| t.cell.is_some());
                    match name {
                        "table" if !in_cell => {
                            collector.flush();
                            collector.tables.push(Table {
                                index: collector.table_count,
                                ..Table::default()
                            });
                            collector.table_count += 1;
                        }
                        "tr" if !in_cell && !collector.tables.is_empty() => collector.start_row(),
                        "td" | "th" if !in_cell && !collector.tables.is_empty() => collector
                            .start_cell(
                                span(element, "colspan"),
                                span(element, "rowspan"),
                                name == "th",
                            ),
                        "b" | "strong" if in_cell => {
                            if let Some((.., bold)) =
                                collector.tables.last_mut().and_then(|t| t.cell.as_mut())
                            {
                                bold.push('*');
                            }
                        }
                        _ if in_cell => {
                            if matches!(name, "br" | "p" | "li" | "div") {
                                collector.buffer.push(crate::document::CELL_BREAK);
                            }
                        }
                        // A definition term and its description make one labelled line.
                        "dt" => collector.start(Open::Paragraph),
                        "dd" => {
                            if collector.open == Some(Open::Paragraph) {
                                collector.buffer.push_str(" : ");
                            } else {
                                collector.start(Open::Paragraph);
                            }
                            in_definition += 1;
                        }
                        "li" if in_definition > 0 => collector.buffer.push_str("; "),
                        "ol" | "ul" if in_definition > 0 => {}
                        "ol" | "ul" => {
                            collector.flush();
                            let start = element
                                .attr("start")
                                .and_then(|s| s.trim().parse().ok())
                                .unwrap_or(1);
                            lists.push(List {
                                ordered: name == "ol",
                                next_number: start,
                            });
                        }
                        "li" => {
                            let depth = lists.len().saturating_sub(1);
                            let marker = match lists.last_mut() {
                                Some(list) if list.ordered => {
                                    let number = element
                                        .attr("value")
                                        .and_then(|v| v.trim().parse().ok())
                                        .unwrap_or(list.next_number);
                                    list.next_number = number.saturating_add(1);
                                    Marker::Numbered(number, NumberStyle::Digit)
                                }
                                _ => Marker::Bullet,
                            };
                            collector.start(Open::Item(depth, marker));
                        }
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            let level = name[1..].parse().unwrap_or(1);
                            collector.start(Open::Heading(level))
                        }
                        // A block inside a list item is part of the item's text.
                        block if BLOCKS.contains(&block) && collector.open.is_none() => {
                            collector.start(Open::Paragraph)
                        }
                        // A line break ends a line: `<strong>Pilote :</strong> X<br>` is
                        // a field line of its own. A heading stays one line.
                        "br" if matches!(collector.open, Some(Open::Heading(_))) => {
                            collector.buffer.push(' ')
                        }
                        "br" => collector.start(Open::Paragraph),
                        _ => {}
                    }
                }
                Node::Text(text) if skipping == 0 => collector.buffer.push_str(text),
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(element) = node.value() else {
                    continue;
                };
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                let name = element.name();
                let in_table = !collector.tables.is_empty();
                let in_cell = collector.tables.last().is_some_and(|t| t.cell.is_some());
                match name {
                    "td" | "th" if in_cell => collector.end_cell(),
                    "tr" if in_table && !in_cell => collector.end_row(),
                    "table" if !in_cell => {
                        collector.flush();
                        collector.tables.pop();
                    }
                    _ if in_cell => {}
                    "dd" => {
                        in_definition = in_definition.saturating_sub(1);
                        if in_definition == 0 {
                            collector.flush();
                        }
                    }
                    "dt" => {}
                    "ol" | "ul" | "li" if in_definition > 0 => {}
                    "ol" | "ul" => {
                        collector.flush();
                        lists.pop();
                    }
                    "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => collector.flush(),
                    block
                        if BLOCKS.contains(&block)
                            && matches!(collector.open, Some(Open::Paragraph)) =>
                    {
                        collector.flush()
                    }
                    _ => {}
                }
            }
        }
    }
    collector.flush();
    Document {
        blocks: collector.blocks,
    }
}

/// Reads `text` as an HTML page with `lexicon`.
pub(crate) fn parse_with(source: &str, text: &str, lexicon: &Lexicon) -> Body {
    let bounded = nesting::bound_depth(text);
    let document = blocks(&bounded);
    let mut body = crate::recognise::recognise(source, lexicon, &document).with_metadata(
        document.blocks.iter().filter_map(|b| match &b.kind {
            BlockKind::Heading { text, .. }
            | BlockKind::Paragraph { text, .. }
            | BlockKind::ListItem { text, .. } => Some((b.line, text.as_str())),
            BlockKind::Row(_) => None,
        }),
    );
    if matches!(bounded, Cow::Owned(_)) {
        body.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            source,
            None,
            format!(
                "HTML nested more than {} elements deep, or with tags over {} bytes: the tags below that depth are ignored and long tags lose their attributes; their text is read",
                nesting::MAX_DEPTH,
                nesting::MAX_TAG_BYTES
            ),
        ));
    }
    body
}

/// Reads `text` as an HTML page.
pub(crate) fn parse(source: &str, text: &str) -> Body {
    parse_with(source, text, Lexicon::shipped())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 20_000;
        let html = format!(
            "<html><body>{}x{}</body></html>",
            "<ul><li>".repeat(depth),
            "</li></ul>".repeat(depth)
        );
        assert!(!blocks(&html).blocks.is_empty());
        assert!(!parse("deep.html", &html).holds_plan());
    }

    #[test]
    fn chrome_is_skipped_and_numbers_follow_start_and_value() {
        let html = "<html><body><nav><ul><li>Accueil</li></ul></nav><script>var a = 1;</script>\
            <h2>Objectifs</h2><ol start=\"4\"><li>Quatre<ol><li value=\"7\">Sept<ul><li>Action</li></ul></li></ol></li></ol>\
            <footer><ul><li>Contact</li></ul></footer></body></html>";
        let got: Vec<BlockKind> = blocks(html).blocks.into_iter().map(|b| b.kind).collect();
        let item = |depth, marker, text: &str| BlockKind::ListItem {
            depth,
            marker,
            text: text.to_owned(),
        };
        assert_eq!(
            got,
            vec![
                BlockKind::Heading {
                    level: 2,
                    text: "Objectifs".to_owned()
                },
                item(0, Marker::Numbered(4, NumberStyle::Digit), "Quatre"),
                item(1, Marker::Numbered(7, NumberStyle::Digit), "Sept"),
                item(2, Marker::Bullet, "Action"),
            ]
        );
    }

    #[test]
    fn tables_keep_their_cells_and_spans() {
        let html = "<table><tr><th>OS</th><th>Action</th></tr>\
            <tr><td rowspan=\"2\">Aider</td><td>Un</td></tr><tr><td>Deux</td></tr></table>";
        let rows: Vec<Vec<(usize, String, bool)>> = blocks(html)
            .blocks
            .into_iter()
            .filter_map(|b| match b.kind {
                BlockKind::Row(row) => Some(
                    row.cells
                        .into_iter()
                        .map(|c| (c.column, c.text, c.spanned))
                        .collect(),
                ),
                _ => None,
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                vec![(0, "OS".to_owned(), false), (1, "Action".to_owned(), false)],
                vec![(0, "Aider".to_owned(), false), (1, "Un".to_owned(), false)],
                vec![(0, "Aider".to_owned(), true), (1, "Deux".to_owned(), false)],
            ]
        );
    }
}
