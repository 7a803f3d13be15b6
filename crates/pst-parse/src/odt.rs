//! OpenDocument text (ODT) as blocks, from `content.xml`: headings with their outline
//! level (`text:h`), nested lists (`text:list`) with the marker their list style gives
//! (`1`, `I`, `A` or a bullet: the number a reader sees is not in the text), tables
//! (`table:table`) with spanned and covered cells. A block's line is the 1-based
//! paragraph number in reading order, table cells' paragraphs counted.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use crate::document::{Block, BlockKind, Cell, Document, Marker, NumberStyle, Row};

fn attribute(element: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Reads `content.xml`, bounded (the zip was checked before).
fn content(bytes: &[u8]) -> Result<String, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let file = archive.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut text = String::new();
    file.take(crate::office::MAX_ENTRY_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| format!("content.xml: {e}"))?;
    Ok(text)
}

/// The blocks of an ODT file.
pub(crate) fn blocks(bytes: &[u8]) -> Result<Document, String> {
    let xml = content(bytes)?;
    // List style name → level (1-based) → marker style (None: bullet).
    let mut list_styles: HashMap<String, HashMap<u32, Option<NumberStyle>>> = HashMap::new();
    let mut current_style: Option<String> = None;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut blocks = Vec::new();
    let mut paragraph_number: u32 = 0;
    // The paragraph being read: its text and what it is.
    let mut paragraph: Option<(String, Option<u8>)> = None;
    // Open lists: their style and the counter of their items.
    let mut lists: Vec<(Option<String>, u32)> = Vec::new();
    let mut table_depth = 0usize;
    let mut tables: u32 = 0;
    let mut row: Vec<Cell> = Vec::new();
    let mut row_line = 0;
    let mut cell: Option<(usize, String, usize)> = None;
    let mut column = 0usize;
    let mut above: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("content.xml: {e}"))?;
        match event {
            Event::Empty(e) => {
                match e.local_name().as_ref() {
                    b"p" | b"h" => paragraph_number += 1,
                    b"s" | b"tab" | b"line-break" => {
                        if let Some((text, _)) = &mut paragraph {
                            text.push(' ');
                        }
                    }
                    b"table-cell" if table_depth == 1 => {
                        column += attribute(&e, b"number-columns-spanned")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1usize)
                            .clamp(1, 64);
                    }
                    b"covered-table-cell" if table_depth == 1 => {
                        cover(&mut row, &above, column);
                        column += 1;
                    }
                    b"list-level-style-number" | b"list-level-style-bullet" => {
                        if let Some(style) = &current_style {
                            let level = attribute(&e, b"level")
                                .and_then(|l| l.parse().ok())
                                .unwrap_or(1);
                            let marker = (e.local_name().as_ref() == b"list-level-style-number")
                                .then(|| match attribute(&e, b"num-format").as_deref() {
                                    Some("I" | "i") => NumberStyle::Roman,
                                    Some("A" | "a") => NumberStyle::Letter,
                                    _ => NumberStyle::Digit,
                                });
                            list_styles
                                .entry(style.clone())
                                .or_default()
                                .insert(level, marker);
                        }
                    }
                    _ => {}
                }
            }
            Event::Start(e) => {
                match e.local_name().as_ref() {
                    b"list-style" => current_style = attribute(&e, b"name"),
                    b"list-level-style-number" | b"list-level-style-bullet" => {
                        if let Some(style) = &current_style {
                            let level = attribute(&e, b"level")
                                .and_then(|l| l.parse().ok())
                                .unwrap_or(1);
                            let marker = (e.local_name().as_ref() == b"list-level-style-number")
                                .then(|| match attribute(&e, b"num-format").as_deref() {
                                    Some("I" | "i") => NumberStyle::Roman,
                                    Some("A" | "a") => NumberStyle::Letter,
                                    _ => NumberStyle::Digit,
                                });
                            list_styles
                                .entry(style.clone())
                                .or_default()
                                .insert(level, marker);
                        }
                    }
                    b"list" => {
                        let style = attribute(&e, b"style-name")
                            .or_else(|| lists.last().and_then(|(s, _)| s.clone()));
                        lists.push((style, 0));
                    }
                    b"list-item" => {
                        if let Some((_, counter)) = lists.last_mut() {
                            *counter += 1;
                        }
                    }
                    b"p" | b"h" => {
                        paragraph_number += 1;
                        let level = (e.local_name().as_ref() == b"h").then(|| {
                            attribute(&e, b"outline-level")
                                .and_then(|l| l.parse().ok())
                                .unwrap_or(1)
                        });
                        paragraph = Some((String::new(), level));
                    }
                    b"s" | b"tab" | b"line-break" => {
                        if let Some((text, _)) = &mut paragraph {
                            text.push(' ');
                        }
                    }
                    b"table" => {
                        table_depth += 1;
                        if table_depth == 1 {
                            above.clear();
                        }
                    }
                    b"table-row" if table_depth == 1 => {
                        row.clear();
                        column = 0;
                        row_line = paragraph_number + 1;
                    }
                    b"table-cell" if table_depth == 1 => {
                        let span = attribute(&e, b"number-columns-spanned")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1usize)
                            .clamp(1, 64);
                        cell = Some((column, String::new(), span));
                        column += span;
                    }
                    b"covered-table-cell" if table_depth == 1 => {
                        cover(&mut row, &above, column);
                        column += 1;
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((text, _)) = &mut paragraph
                    && let Ok(piece) = t.unescape()
                {
                    text.push_str(&piece);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"list-style" => current_style = None,
                b"list" => {
                    lists.pop();
                }
                b"p" | b"h" => {
                    let Some((raw, heading)) = paragraph.take() else {
                        continue;
                    };
                    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                    if let Some((_, cell_text, _)) = &mut cell {
                        if !text.is_empty() {
                            if !cell_text.is_empty() {
                                cell_text.push(crate::document::CELL_BREAK);
                            }
                            cell_text.push_str(&text);
                        }
                        continue;
                    }
                    if text.is_empty() {
                        continue;
                    }
                    let kind = match (heading, lists.last()) {
                        (Some(level), _) => BlockKind::Heading { level, text },
                        (None, Some((style, counter))) => {
                            let depth = lists.len() - 1;
                            let marker = style
                                .as_ref()
                                .and_then(|s| list_styles.get(s))
                                .and_then(|levels| levels.get(&(depth as u32 + 1)).copied())
                                .flatten()
                                .map_or(Marker::Bullet, |style| Marker::Numbered(*counter, style));
                            BlockKind::ListItem {
                                depth,
                                marker,
                                text,
                            }
                        }
                        (None, None) => BlockKind::Paragraph {
                            text,
                            continues: false,
                        },
                    };
                    blocks.push(Block {
                        line: paragraph_number,
                        kind,
                    });
                }
                b"table-cell" if table_depth == 1 => {
                    if let Some((start, text, span)) = cell.take() {
                        for offset in 0..span {
                            if !text.is_empty() && !crate::text::is_blank_cell(&text) {
                                row.push(Cell {
                                    column: start + offset,
                                    text: text.clone(),
                                    strong: false,
                                    spanned: offset > 0,
                                });
                            }
                        }
                    }
                }
                b"table-row" if table_depth == 1 => {
                    row.sort_by_key(|c| c.column);
                    above = vec![String::new(); column];
                    for c in &row {
                        if let Some(slot) = above.get_mut(c.column) {
                            *slot = c.text.clone();
                        }
                    }
                    if !row.is_empty() {
                        blocks.push(Block {
                            line: row_line,
                            kind: BlockKind::Row(Row {
                                table: tables,
                                cells: std::mem::take(&mut row),
                                tabbed: false,
                            }),
                        });
                    }
                }
                b"table" => {
                    table_depth = table_depth.saturating_sub(1);
                    if table_depth == 0 {
                        tables += 1;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(Document { blocks })
}

/// A cell covered by a span: the text above it (a row span), unless a column span
/// already copied the cell to its left.
fn cover(row: &mut Vec<Cell>, above: &[String], column: usize) {
    if row.iter().any(|c| c.column == column) {
        return;
    }
    if let Some(text) = above.get(column).filter(|text| !text.is_empty()) {
        row.push(Cell {
            column,
            text: text.clone(),
            strong: false,
            spanned: true,
        });
    }
}
