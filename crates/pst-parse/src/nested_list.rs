//! Plans as nested lists in plain text (a web page copied as text): headings, `1.`
//! numbered items whose indentation gives their depth, bullets (`•`, `-`, `*`, `o`, `▪`,
//! `–`…), items wrapped over several lines.

use std::sync::LazyLock;

use regex::Regex;

use crate::Body;
use crate::lines::numbered_lines;
use crate::markup::strip_markup;
use crate::outline::{self, Item, Marker};

static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,3})[.)](?:\s+|$)").expect("valid regex"));
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[•◦▪▫‣⁃∙·●○■□➢➤►✓\-–—*o](?:\s+|$)").expect("valid regex"));

/// Longest line that can be a heading.
const HEADING_MAX_CHARS: usize = 120;

/// Columns of leading whitespace (a tab counts 4) and the rest of the line.
fn indentation(line: &str) -> (usize, &str) {
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

/// The outline of a text: list depth from indentation, relative to the enclosing items.
pub(crate) fn items(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    // Indentations of the open list levels.
    let mut levels: Vec<usize> = Vec::new();
    // Indentation of the last item, while no blank line followed it.
    let mut last_item_indent: Option<usize> = None;
    for (line, raw) in numbered_lines(text) {
        let stripped = strip_markup(raw);
        let (indent, content) = indentation(&stripped);
        let content = content.trim_end();
        if content.is_empty() {
            last_item_indent = None;
            continue;
        }
        let list_marker = if let Some(caps) = NUMBERED.captures(content) {
            Some((
                Marker::Numbered(caps["n"].parse().unwrap_or(0)),
                caps.get(0).map_or(0, |m| m.end()),
            ))
        } else {
            BULLET.find(content).map(|m| (Marker::Bullet, m.end()))
        };
        if let Some((marker, end)) = list_marker {
            while levels.last().is_some_and(|&top| top > indent) {
                levels.pop();
            }
            if levels.last() != Some(&indent) {
                levels.push(indent);
            }
            let depth = levels.len() - 1;
            items.push(Item {
                line,
                depth,
                marker,
                text: content[end..].trim().to_owned(),
                continues: false,
            });
            last_item_indent = Some(indent);
            continue;
        }
        let continues = last_item_indent.is_some_and(|item_indent| indent > item_indent);
        let heading = !continues
            && indent == 0
            && content.chars().count() <= HEADING_MAX_CHARS
            && !content.ends_with(['.', ',', ';']);
        if heading {
            levels.clear();
            last_item_indent = None;
        }
        let marker = if heading {
            Marker::Heading
        } else {
            Marker::Text
        };
        items.push(Item {
            line,
            depth: 0,
            marker,
            text: content.to_owned(),
            continues,
        });
    }
    items
}

/// Largest share of tab-separated lines in a nested-list document. Documents built of
/// tables are read by the table formats (measured on the corpus: the web page 0 %, the
/// Markdown and narrative PSTs 66–68 %, the fiche evaluation 29 %).
const MAX_TABBED_SHARE_PERCENT: usize = 10;

/// The plan a text of lists holds: mostly lists, not tables, and an action under an OO
/// under an OS.
pub(crate) fn read(source: &str, text: &str) -> Option<Body> {
    let (mut non_blank, mut tabbed) = (0usize, 0usize);
    for (_, line) in numbered_lines(text) {
        if !line.trim().is_empty() {
            non_blank += 1;
            tabbed += usize::from(line.contains('\t'));
        }
    }
    if tabbed * 100 > non_blank * MAX_TABBED_SHARE_PERCENT {
        return None;
    }
    let body = parse(source, text);
    body.holds_plan().then_some(body)
}

/// Reads `text` as a nested list, whatever its share of tab-separated lines.
pub(crate) fn parse(source: &str, text: &str) -> Body {
    outline::interpret(source, &items(text)).with_metadata(numbered_lines(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_follows_indentation_and_headings_reset_it() {
        let text = "PREALABLES\n  1. Un\nVOLET EXTERNE\n1. OS\n  1. OO\n    • action\n      suite\n\n  2. OO2\n";
        let got: Vec<(u32, usize, Marker, &str, bool)> = items(text)
            .iter()
            .map(|i| (i.line, i.depth, i.marker.clone(), "", i.continues))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 0, Marker::Heading, "", false),
                (2, 0, Marker::Numbered(1), "", false),
                (3, 0, Marker::Heading, "", false),
                (4, 0, Marker::Numbered(1), "", false),
                (5, 1, Marker::Numbered(1), "", false),
                (6, 2, Marker::Bullet, "", false),
                (7, 0, Marker::Text, "", true),
                (9, 1, Marker::Numbered(2), "", false),
            ]
        );
    }
}
