//! Word documents (DOCX) as blocks: paragraphs with their heading level (a `Heading n` /
//! `Titre n` style, or an outline level), list paragraphs with their level and the
//! marker their numbering definition gives (the `1.`, `A.` or `I.` a reader sees is not
//! in the text), tables with merged cells (`gridSpan`, `vMerge`). A block's line is the
//! 1-based paragraph number in reading order, table cells' paragraphs counted.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use crate::document::{Block, BlockKind, Cell, Document, Marker, NumberStyle, Row};

/// Reads entry `name` of the zip, bounded (the zip was checked before).
fn entry(bytes: &[u8], name: &str) -> Result<Option<String>, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let Ok(file) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut text = String::new();
    file.take(crate::office::MAX_ENTRY_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| format!("{name}: {e}"))?;
    Ok(Some(text))
}

/// The value of attribute `w:<local>` of an element.
fn attribute(element: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value);
            quick_xml::escape::unescape(&raw).map_or_else(|_| raw.to_string(), |v| v.into_owned())
        })
}

/// Heading level of each paragraph style id, from `styles.xml` names ("heading 2",
/// "Titre 2") and outline levels.
fn heading_styles(styles: &str) -> HashMap<String, u8> {
    let mut levels = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(styles);
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"style" => {
                current = attribute(&e, b"styleId");
            }
            Ok(Event::Empty(e)) | Ok(Event::Start(e)) => {
                let Some(id) = &current else { continue };
                match e.local_name().as_ref() {
                    b"name" => {
                        let name = attribute(&e, b"val").unwrap_or_default().to_lowercase();
                        if let Some(level) = heading_level(&name) {
                            levels.insert(id.clone(), level);
                        }
                    }
                    b"outlineLvl" => {
                        if let Some(level) =
                            attribute(&e, b"val").and_then(|v| v.parse::<u8>().ok())
                        {
                            levels.entry(id.clone()).or_insert(level.saturating_add(1));
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"style" => current = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    levels
}

/// "heading 2", "titre 2", "Heading2" → 2.
fn heading_level(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("titre"))?;
    rest.trim()
        .parse()
        .ok()
        .filter(|level| (1..=9).contains(level))
}

/// The number format of each (numId, level): from `numbering.xml`.
fn numbering(xml: &str) -> HashMap<(String, u32), NumberFormat> {
    let mut abstract_formats: HashMap<(String, u32), NumberFormat> = HashMap::new();
    let mut instances: Vec<(String, String)> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut abstract_id, mut level, mut num_id): (Option<String>, Option<u32>, Option<String>) =
        (None, None, None);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"abstractNum" => abstract_id = attribute(&e, b"abstractNumId"),
                b"lvl" => level = attribute(&e, b"ilvl").and_then(|v| v.parse().ok()),
                b"numFmt" => {
                    if let (Some(id), Some(level)) = (&abstract_id, level) {
                        let format = match attribute(&e, b"val").as_deref() {
                            Some("bullet") => NumberFormat::Bullet,
                            Some("upperRoman" | "lowerRoman") => {
                                NumberFormat::Number(NumberStyle::Roman)
                            }
                            Some("upperLetter" | "lowerLetter") => {
                                NumberFormat::Number(NumberStyle::Letter)
                            }
                            Some("none") => NumberFormat::None,
                            _ => NumberFormat::Number(NumberStyle::Digit),
                        };
                        abstract_formats.insert((id.clone(), level), format);
                    }
                }
                b"num" => num_id = attribute(&e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(num), Some(target)) = (&num_id, attribute(&e, b"val")) {
                        instances.push((num.clone(), target));
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"abstractNum" => abstract_id = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let mut formats = HashMap::new();
    for (num, target) in instances {
        for ((id, level), format) in &abstract_formats {
            if *id == target {
                formats.insert((num.clone(), *level), *format);
            }
        }
    }
    formats
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberFormat {
    Bullet,
    Number(NumberStyle),
    None,
}

/// A paragraph being read.
#[derive(Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    list: Option<(String, u32)>,
}

/// A table cell being read.
#[derive(Default)]
struct TableCell {
    text: String,
    span: usize,
    continues_merge: bool,
}

/// The blocks of a DOCX file.
pub(crate) fn blocks(bytes: &[u8]) -> Result<Document, String> {
    let body = entry(bytes, "word/document.xml")?.ok_or("no word/document.xml")?;
    let styles = entry(bytes, "word/styles.xml")?
        .map(|s| heading_styles(&s))
        .unwrap_or_default();
    let formats = entry(bytes, "word/numbering.xml")?
        .map(|n| numbering(&n))
        .unwrap_or_default();
    let mut reader = quick_xml::Reader::from_str(&body);
    let mut blocks = Vec::new();
    let mut paragraph_number: u32 = 0;
    let mut paragraph: Option<Paragraph> = None;
    // Tables nest: only the outermost makes rows, inner text joins the cell.
    let mut table_depth = 0usize;
    let mut tables: u32 = 0;
    let mut row: Vec<TableCell> = Vec::new();
    let mut row_line = 0;
    let mut cell: Option<TableCell> = None;
    // The text of the last row's cells by column, for vertical merges.
    let mut above: Vec<String> = Vec::new();
    let mut counters: HashMap<(String, u32), u32> = HashMap::new();
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => return Err(format!("word/document.xml: {error}")),
        };
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    paragraph_number += 1;
                    paragraph = Some(Paragraph::default());
                }
                b"pStyle" => {
                    if let Some(p) = &mut paragraph {
                        p.style = attribute(&e, b"val");
                    }
                }
                b"outlineLvl" => {
                    if let Some(p) = &mut paragraph {
                        p.outline = attribute(&e, b"val")
                            .and_then(|v| v.parse::<u8>().ok())
                            .map(|l| l + 1);
                    }
                }
                b"ilvl" => {
                    if let Some(p) = &mut paragraph {
                        let level = attribute(&e, b"val")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        let id = p.list.take().map(|(id, _)| id).unwrap_or_default();
                        p.list = Some((id, level));
                    }
                }
                b"numId" => {
                    if let Some(p) = &mut paragraph {
                        let level = p.list.take().map_or(0, |(_, level)| level);
                        p.list = Some((attribute(&e, b"val").unwrap_or_default(), level));
                    }
                }
                b"tab" | b"br" | b"cr" => {
                    if let Some(p) = &mut paragraph {
                        p.text.push(' ');
                    }
                }
                b"tbl" => {
                    table_depth += 1;
                    if table_depth == 1 {
                        above.clear();
                    }
                }
                b"tr" if table_depth == 1 => {
                    row.clear();
                    row_line = paragraph_number + 1;
                }
                b"tc" if table_depth == 1 => {
                    cell = Some(TableCell {
                        span: 1,
                        ..TableCell::default()
                    })
                }
                b"gridSpan" if table_depth == 1 => {
                    if let Some(c) = &mut cell {
                        c.span = attribute(&e, b"val")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1)
                            .clamp(1, 64);
                    }
                }
                b"vMerge" if table_depth == 1 => {
                    if let Some(c) = &mut cell {
                        c.continues_merge = attribute(&e, b"val").as_deref() != Some("restart");
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(p) = &mut paragraph
                    && let Ok(text) = t.unescape()
                {
                    p.text.push_str(&text);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"p" => {
                    let Some(p) = paragraph.take() else { continue };
                    let text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if let Some(c) = &mut cell {
                        if !text.is_empty() {
                            if !c.text.is_empty() {
                                c.text.push(crate::document::CELL_BREAK);
                            }
                            c.text.push_str(&text);
                        }
                        continue;
                    }
                    if text.is_empty() {
                        continue;
                    }
                    let heading = p
                        .style
                        .as_ref()
                        .and_then(|s| styles.get(s).copied().or_else(|| heading_level(s)))
                        .or(p.outline);
                    let kind = match (heading, &p.list) {
                        (Some(level), None) => BlockKind::Heading { level, text },
                        (_, Some((id, level))) if !id.is_empty() && id != "0" => {
                            let format = formats
                                .get(&(id.clone(), *level))
                                .copied()
                                .unwrap_or(NumberFormat::Bullet);
                            // Deeper levels restart when a shallower item comes.
                            counters.retain(|(other, l), _| other != id || l <= level);
                            let counter = counters.entry((id.clone(), *level)).or_insert(0);
                            *counter += 1;
                            let marker = match format {
                                NumberFormat::Number(style) => Marker::Numbered(*counter, style),
                                NumberFormat::Bullet | NumberFormat::None => Marker::Bullet,
                            };
                            BlockKind::ListItem {
                                depth: *level as usize,
                                marker,
                                text,
                            }
                        }
                        (Some(level), Some(_)) => BlockKind::Heading { level, text },
                        _ => BlockKind::Paragraph {
                            text,
                            continues: false,
                        },
                    };
                    blocks.push(Block {
                        line: paragraph_number,
                        kind,
                    });
                }
                b"tc" if table_depth == 1 => {
                    if let Some(c) = cell.take() {
                        row.push(c);
                    }
                }
                b"tr" if table_depth == 1 => {
                    let mut cells = Vec::new();
                    let mut column = 0;
                    let mut texts = Vec::new();
                    for c in row.drain(..) {
                        for offset in 0..c.span {
                            let (text, spanned) = if c.continues_merge {
                                (above.get(column).cloned().unwrap_or_default(), true)
                            } else {
                                (c.text.clone(), offset > 0)
                            };
                            texts.push(text.clone());
                            if !text.is_empty() && !crate::text::is_blank_cell(&text) {
                                cells.push(Cell {
                                    column,
                                    text,
                                    strong: false,
                                    spanned,
                                });
                            }
                            column += 1;
                        }
                    }
                    above = texts;
                    if !cells.is_empty() {
                        blocks.push(Block {
                            line: row_line,
                            kind: BlockKind::Row(Row {
                                table: tables,
                                cells,
                                tabbed: false,
                            }),
                        });
                    }
                }
                b"tbl" => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_style_names() {
        assert_eq!(heading_level("heading 2"), Some(2));
        assert_eq!(heading_level("Titre 1"), Some(1));
        assert_eq!(heading_level("Heading3"), Some(3));
        assert_eq!(heading_level("Normal"), None);
    }
}
