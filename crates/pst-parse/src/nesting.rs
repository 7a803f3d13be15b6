//! Bounds the nesting depth of HTML before it reaches html5ever.
//!
//! The HTML parsing algorithm checks element scopes by walking the stack of open
//! elements, so a page nested `d` deep costs O(d²): a 4 MB file of `<ul><li>` would take
//! hours. No plan nests lists hundreds deep, so tags below [`MAX_DEPTH`] are removed before
//! parsing; their text is kept (it joins the deepest element kept), and the caller says so
//! in a diagnostic. One linear pass; a document within the bound is not copied.

use std::borrow::Cow;

/// Deeper elements lose their tags (not their text).
pub(crate) const MAX_DEPTH: usize = 500;

/// A tag longer than this keeps its name and loses its attributes: html5ever checks each
/// attribute against the ones before it (quadratic), and no plan needs kilobytes of them.
pub(crate) const MAX_TAG_BYTES: usize = 8192;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag is usually left out: a new one closes the previous one, so they
/// do not deepen the tree.
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "li", "p", "td", "th", "tr", "dt", "dd", "option", "tbody", "thead",
];

/// `html` with the tags of elements deeper than [`MAX_DEPTH`] removed (newlines inside
/// them kept, so line numbers do not move), or `html` itself when it is not that deep.
pub(crate) fn bound_depth(html: &str) -> Cow<'_, str> {
    if !deeper_than(html, MAX_DEPTH) {
        return Cow::Borrowed(html);
    }
    bound(html)
}

/// The copy of `html` with deep tags removed and long tags cut to their name.
fn bound(html: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tag_text = &rest[start..];
        let Some((tag, length)) = tag(tag_text) else {
            out.push('<');
            rest = &tag_text[1..];
            continue;
        };
        let keep = match tag {
            Tag::Open => {
                depth += 1;
                depth <= MAX_DEPTH
            }
            Tag::Close => {
                let keep = depth <= MAX_DEPTH;
                depth = depth.saturating_sub(1);
                keep
            }
            Tag::Other => depth < MAX_DEPTH,
        };
        let text = &tag_text[..length];
        if keep && length > MAX_TAG_BYTES && !text.starts_with("<!") {
            // `<name` and the closing `>`; the attributes go, their newlines stay.
            let name_end = text[1..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .map_or(text.len(), |e| e + 1);
            out.push_str(&text[..name_end]);
            out.extend(text[name_end..].chars().filter(|&c| c == '\n' || c == '\r'));
            out.push('>');
        } else if keep {
            out.push_str(text);
        } else {
            out.extend(text.chars().filter(|&c| c == '\n' || c == '\r'));
            // Words on either side of a removed tag stay apart.
            out.push(' ');
        }
        rest = &tag_text[length..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// True when elements nest deeper than `limit` somewhere in `html`, or a tag is longer
/// than [`MAX_TAG_BYTES`].
fn deeper_than(html: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let tag_text = &rest[start..];
        match tag(tag_text) {
            Some((tag, length)) => {
                if length > MAX_TAG_BYTES && !tag_text.starts_with("<!") {
                    return true;
                }
                match tag {
                    Tag::Open => {
                        depth += 1;
                        if depth > limit {
                            return true;
                        }
                    }
                    Tag::Close => depth = depth.saturating_sub(1),
                    Tag::Other => {}
                }
                rest = &tag_text[length..];
            }
            None => rest = &tag_text[1..],
        }
    }
    false
}

/// What a tag does to the depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// Opens an element that holds content.
    Open,
    /// Closes an element that holds content.
    Close,
    /// A void or sibling-closing element, a comment, a doctype.
    Other,
}

/// The tag at the start of `text` (which starts with `<`) and its length in bytes, or
/// `None` when the `<` starts no tag.
fn tag(text: &str) -> Option<(Tag, usize)> {
    let after = &text[1..];
    if let Some(comment) = after.strip_prefix("!--") {
        let end = comment.find("-->").map_or(text.len(), |e| 4 + e + 3);
        return Some((Tag::Other, end));
    }
    let (closing, name_start) = match after.strip_prefix('/') {
        Some(name) => (true, name),
        None => (false, after),
    };
    let first = name_start.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '!' || first == '?') {
        return None;
    }
    // Only a tag is searched for its end, and the search's span is consumed: linear.
    let end = text.find('>').map_or(text.len(), |e| e + 1);
    if first == '!' || first == '?' {
        return Some((Tag::Other, end));
    }
    let name_length = name_start
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name_start.len());
    let name = name_start[..name_length].to_ascii_lowercase();
    let self_closed = text[..end].ends_with("/>");
    let kind = if VOID.contains(&name.as_str())
        || SELF_CLOSING_SIBLINGS.contains(&name.as_str())
        || self_closed
    {
        Tag::Other
    } else if closing {
        Tag::Close
    } else {
        Tag::Open
    };
    Some((kind, end))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_tag_with_thousands_of_attributes_keeps_only_its_name() {
        let attributes: String = (0..160_000).map(|i| format!(" a{i}=\"x\"")).collect();
        let html = format!(
            "<ol><li{attributes}>Aider\n</li></ol><!-- {} -->",
            "x".repeat(9000)
        );
        let bounded = bound_depth(&html);
        assert!(matches!(bounded, Cow::Owned(_)));
        assert!(
            bounded.starts_with("<ol><li>Aider\n</li></ol><!-- "),
            "{}",
            &bounded[..40]
        );
        assert!(bounded.len() < 9100);
    }

    use super::*;

    #[test]
    fn a_normal_page_is_not_copied() {
        let page = "<html><body><ul><li>a<ul><li>b</li></ul></li></ul><br><p>x<p>y</body></html>";
        assert!(matches!(bound_depth(page), Cow::Borrowed(_)));
        assert!(!deeper_than(page, 4));
        assert!(deeper_than(page, 3));
    }

    #[test]
    fn deep_nesting_keeps_its_text_and_lines() {
        let deep = format!(
            "<ul>\n{}x\ny{}",
            "<ul><li>".repeat(MAX_DEPTH + 10),
            "</li></ul>".repeat(MAX_DEPTH + 10)
        );
        let bounded = bound_depth(&deep);
        assert!(!deeper_than(&bounded, MAX_DEPTH));
        assert_eq!(bounded.lines().count(), deep.lines().count());
        assert!(bounded.contains("x\ny"));
        assert_eq!(bounded.matches("<ul>").count(), MAX_DEPTH);
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(tag("< 3"), None);
        assert_eq!(tag("<3"), None);
        assert_eq!(tag("<!-- a > b -->"), Some((Tag::Other, 14)));
        assert_eq!(tag("</ul>"), Some((Tag::Close, 5)));
        assert_eq!(tag("<ul class=\"a\">"), Some((Tag::Open, 14)));
        assert_eq!(tag("<br/>"), Some((Tag::Other, 5)));
        assert_eq!(tag("<li"), Some((Tag::Other, 3)));
    }
}
