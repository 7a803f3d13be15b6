//! Plans as Markdown (or Word exported to Markdown): headings that carry OS labels
//! (`### OBJECTIF STRATEGIQUE 1 : … (volet externe)`), tab-separated rows embedded in the
//! text (`<b>O.O.1.1</b>\t<b>titre</b>`, `Action 46\ttitre`), GFM pipe tables, and recap
//! tables with a header row (Intitulé, Indicateurs, Pil. Adm, Échéance). Headings and pipe
//! tables are found by pulldown-cmark; every other line is read as a row of cells.
//! Table-of-contents lines (dot leaders and a page number) are not structure.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::Body;
use crate::document::Document;
use crate::lines::numbered_lines;
use crate::markup::strip_markup;
use crate::numbering::{Label, parse_label, volet_suffix};
use crate::rows::{Row, RowReader, split_row};
use crate::text::{TextBlocks, pipe_cells};
use crate::tree::TreeBuilder;

static TOC_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\.{3,}|…)\s*\d{1,4}\s*$").expect("valid regex"));

/// What pulldown-cmark found, by line.
#[derive(Default)]
struct Blocks {
    headings: HashMap<u32, String>,
    table_rows: HashMap<u32, Vec<String>>,
    /// Lines inside pipe tables (rows, delimiter rows).
    table_lines: HashSet<u32>,
}

/// 1-based line of a byte offset.
fn line_of(line_starts: &[usize], offset: usize) -> u32 {
    u32::try_from(line_starts.partition_point(|&start| start <= offset)).unwrap_or(u32::MAX)
}

fn blocks(text: &str) -> Blocks {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut blocks = Blocks::default();
    let mut heading: Option<(u32, String)> = None;
    let mut row: Option<(u32, Vec<String>)> = None;
    let mut cell: Option<String> = None;
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((line_of(&line_starts, range.start), String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((line, text)) = heading.take() {
                    blocks.headings.insert(line, text);
                }
            }
            Event::Start(Tag::Table(_)) => {
                let end = line_of(&line_starts, range.end.saturating_sub(1));
                blocks
                    .table_lines
                    .extend(line_of(&line_starts, range.start)..=end);
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row = Some((line_of(&line_starts, range.start), Vec::new()))
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some((line, cells)) = row.take() {
                    blocks.table_rows.insert(line, cells);
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some((_, cells)), Some(text)) = (row.as_mut(), cell.take()) {
                    cells.push(text);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(cell) = cell.as_mut() {
                    cell.push_str(&text);
                } else if let Some((_, heading)) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, heading)) = heading.as_mut() {
                    heading.push(' ');
                }
            }
            _ => {}
        }
    }
    blocks
}

/// Markdown structure: an ATX heading, a pipe table, or a setext heading underline.
pub(crate) fn is_markdown(text: &str) -> bool {
    numbered_lines(text).any(|(_, line)| {
        let line = line.trim_start();
        (line.starts_with('#') && line.trim_start_matches('#').starts_with(' '))
            || (line.starts_with('|') && line.trim_end().ends_with('|'))
    })
}

/// The blocks of a Markdown document: headings (ATX and setext) and pipe tables from
/// pulldown-cmark, each table row's cells split from the source line itself (so no cell
/// beyond the header's width is lost); every other line as plain text.
pub(crate) fn document(text: &str) -> Document {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut headings: HashMap<u32, (u8, String)> = HashMap::new();
    let mut consumed: HashSet<u32> = HashSet::new();
    let mut table_lines: HashSet<u32> = HashSet::new();
    let mut heading: Option<(u32, u8, String)> = None;
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let first = line_of(&line_starts, range.start);
                let last = line_of(&line_starts, range.end.saturating_sub(1));
                consumed.extend(first + 1..=last);
                heading = Some((first, level as u8, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((line, level, text)) = heading.take() {
                    headings.insert(line, (level, text));
                }
            }
            Event::Start(Tag::Table(_)) => {
                let end = line_of(&line_starts, range.end.saturating_sub(1));
                table_lines.extend(line_of(&line_starts, range.start)..=end);
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, heading)) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, heading)) = heading.as_mut() {
                    heading.push(' ');
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some((_, _, heading)) = heading.as_mut() {
                    heading.push_str(&html);
                }
            }
            _ => {}
        }
    }
    let mut builder = TextBlocks::default();
    let mut last_level = 0;
    for (number, line) in numbered_lines(text) {
        if let Some((level, heading)) = headings.get(&number) {
            last_level = *level;
            builder.heading(number, *level, heading);
        } else if let Some(bold) = bold_line(line)
            && last_level > 0
        {
            // A line all in bold under a heading is a heading one level down.
            builder.heading(number, (last_level + 1).min(6), bold);
        } else if consumed.contains(&number) {
            continue;
        } else if table_lines.contains(&number) {
            if DELIMITER_ROW.is_match(line) {
                continue;
            }
            builder.row(number, pipe_cells(line));
        } else {
            builder.line(number, line);
        }
    }
    builder.finish()
}

/// A line that is only bold text (`**Soutenir les familles**`): its text.
fn bold_line(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    let inner = trimmed
        .strip_prefix("**")
        .and_then(|rest| rest.strip_suffix("**"))
        .or_else(|| {
            trimmed
                .strip_prefix("__")
                .and_then(|rest| rest.strip_suffix("__"))
        })?;
    (!inner.contains("**") && !inner.trim().is_empty() && inner.chars().count() <= 150)
        .then_some(inner.trim())
}

static DELIMITER_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$").expect("valid regex")
});

/// The plan a Markdown document holds with the corpus reader: Markdown structure (an
/// ATX heading or a pipe table), and headings and rows that give at least one action.
pub(crate) fn read(source: &str, text: &str) -> Option<Body> {
    if !is_markdown(text) {
        return None;
    }
    let body = parse(source, text);
    body.holds_plan().then_some(body)
}

pub(crate) fn parse(source: &str, text: &str) -> Body {
    let blocks = blocks(text);
    let mut tree = TreeBuilder::new(source);
    let mut reader = RowReader::default();
    for (line_number, line) in numbered_lines(text) {
        if let Some(heading) = blocks.headings.get(&line_number) {
            read_heading(&mut tree, &strip_markup(heading), line_number);
        } else if let Some(cells) = blocks.table_rows.get(&line_number) {
            reader.read(
                &mut tree,
                &Row::from_cells(cells.iter().map(String::as_str)),
                line_number,
            );
        } else if !blocks.table_lines.contains(&line_number) && !TOC_ENTRY.is_match(line) {
            reader.read(&mut tree, &split_row(line), line_number);
        }
    }
    tree.finish().with_metadata(numbered_lines(text))
}

/// A heading with a label is structure; "(volet externe)" after an OS title sets its volet.
fn read_heading(tree: &mut TreeBuilder<'_>, heading: &str, line: u32) {
    let heading = heading.trim();
    let Some(labelled) = parse_label(heading) else {
        return;
    };
    match labelled.label {
        Label::Volet(volet) => tree.volet(volet, line),
        Label::Strategic(number) => {
            let title = match volet_suffix(labelled.rest) {
                Some((volet, title)) => {
                    tree.volet(volet, line);
                    title
                }
                None => labelled.rest,
            };
            tree.strategic(number, title, line);
        }
        Label::Operational(os, own) => tree.operational(os, own, labelled.rest, line),
        Label::Action(code) => {
            tree.action(Some(code), labelled.rest, line);
        }
    }
}
