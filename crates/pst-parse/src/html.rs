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
use crate::markup::strip_markup;
use crate::nesting;
use crate::outline::{self, Item, Marker};

/// Elements whose content is page chrome or code, never plan text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "select", "iframe", "svg", "menu",
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
    "dt",
    "dd",
];

struct List {
    ordered: bool,
    next_number: u32,
}

/// Collects the text of the item being read and finds its line in the source.
struct Collector<'t> {
    source: &'t str,
    cursor: usize,
    cursor_line: u32,
    items: Vec<Item>,
    open: Option<(usize, Marker)>,
    buffer: String,
}

impl Collector<'_> {
    fn start(&mut self, depth: usize, marker: Marker) {
        self.flush();
        self.open = Some((depth, marker));
    }

    fn flush(&mut self) {
        let text = strip_markup(&self.buffer)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.buffer.clear();
        let Some((depth, marker)) = self.open.take() else {
            if !text.is_empty() {
                let line = self.locate(&text);
                self.items.push(Item {
                    line,
                    depth: 0,
                    marker: Marker::Text,
                    text,
                    continues: false,
                });
            }
            return;
        };
        if text.is_empty() && marker != Marker::Bullet && !matches!(marker, Marker::Numbered(_)) {
            return;
        }
        let line = self.locate(&text);
        self.items.push(Item {
            line,
            depth,
            marker,
            text,
            continues: false,
        });
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
}

/// The outline of an HTML document.
pub(crate) fn items(source: &str) -> Vec<Item> {
    let document = Html::parse_document(source);
    let mut collector = Collector {
        source,
        cursor: 0,
        cursor_line: 1,
        items: Vec::new(),
        open: None,
        buffer: String::new(),
    };
    let mut lists: Vec<List> = Vec::new();
    let mut skipping = 0usize;
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
                    match name {
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
                                    Marker::Numbered(number)
                                }
                                _ => Marker::Bullet,
                            };
                            collector.start(depth, marker);
                        }
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            collector.start(0, Marker::Heading)
                        }
                        // A block inside a list item is part of the item's text.
                        block if BLOCKS.contains(&block) && collector.open.is_none() => {
                            collector.start(0, Marker::Text)
                        }
                        "br" | "td" | "th" => collector.buffer.push(' '),
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
                match element.name() {
                    "ol" | "ul" => {
                        collector.flush();
                        lists.pop();
                    }
                    "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => collector.flush(),
                    block
                        if BLOCKS.contains(&block)
                            && matches!(collector.open, Some((_, Marker::Text))) =>
                    {
                        collector.flush()
                    }
                    _ => {}
                }
            }
        }
    }
    collector.flush();
    collector.items
}

/// The plan an HTML page's headings and lists hold, if any.
pub(crate) fn read(source: &str, text: &str) -> Option<Body> {
    let body = parse(source, text);
    body.holds_plan().then_some(body)
}

/// Reads `text` as an HTML page.
pub(crate) fn parse(source: &str, text: &str) -> Body {
    let bounded = nesting::bound_depth(text);
    let items = items(&bounded);
    let mut body = outline::interpret(source, &items)
        .with_metadata(items.iter().map(|i| (i.line, i.text.as_str())));
    if matches!(bounded, Cow::Owned(_)) {
        body.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            source,
            None,
            format!(
                "HTML nested more than {} elements deep: the tags below that depth are ignored, their text is read",
                nesting::MAX_DEPTH
            ),
        ));
    }
    body
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
        let items = items(&html);
        assert!(!items.is_empty());
        assert!(read("deep.html", &html).is_none());
    }

    #[test]
    fn chrome_is_skipped_and_numbers_follow_start_and_value() {
        let html = "<html><body><nav><ul><li>Accueil</li></ul></nav><script>var a = 1;</script>\
            <h2>Objectifs</h2><ol start=\"4\"><li>Quatre<ol><li value=\"7\">Sept<ul><li>Action</li></ul></li></ol></li></ol>\
            <footer><ul><li>Contact</li></ul></footer></body></html>";
        let got: Vec<(usize, Marker, String)> = items(html)
            .into_iter()
            .map(|i| (i.depth, i.marker, i.text))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, Marker::Heading, "Objectifs".to_owned()),
                (0, Marker::Numbered(4), "Quatre".to_owned()),
                (1, Marker::Numbered(7), "Sept".to_owned()),
                (2, Marker::Bullet, "Action".to_owned()),
            ]
        );
    }
}
