//! Inline markup that documents carry into cells and titles: HTML tags, Markdown
//! emphasis, HTML entities.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    // A tag's attributes, when it has any, assign values (`<b et C>` is text).
    Regex::new(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)(?:\s[^<>=]*=[^<>]*)?\s*/?\s*>|\*\*|__")
        .expect("valid regex")
});

/// Tag names that documents carry as inline markup (anything else between `<` and `>`
/// is text).
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "html",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "meta",
    "o",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

/// Removes HTML tags (`<b>`, `</u>`, `<br/>`…), Markdown strong emphasis (`**`, `__`) and
/// decodes HTML entities (`&amp;`, `&nbsp;`, `&#233;`). Block-level tags become a space.
pub fn strip_markup(text: &str) -> Cow<'_, str> {
    let untagged = if text.contains(['<', '*', '_']) {
        MARKUP.replace_all(text, |caps: &regex::Captures<'_>| {
            let tag = caps.get(1).map(|m| m.as_str().to_ascii_lowercase());
            match tag.as_deref() {
                Some("br" | "p" | "div" | "li" | "td" | "th" | "tr") => " ".to_owned(),
                // Only HTML's own tags are markup: "A<B et C>D" is text.
                Some(name) if !HTML_TAGS.contains(&name) => caps[0].to_owned(),
                _ => String::new(),
            }
        })
    } else {
        Cow::Borrowed(text)
    };
    if untagged.contains('&') {
        Cow::Owned(html_escape::decode_html_entities(&untagged).into_owned())
    } else {
        untagged
    }
}

#[cfg(test)]
mod tag_tests {
    use super::strip_markup;

    #[test]
    fn only_html_tags_are_markup() {
        assert_eq!(strip_markup("A<B et C>D"), "A<B et C>D");
        assert_eq!(
            strip_markup("<b>Aider</b> <u>les</u> familles"),
            "Aider les familles"
        );
        assert_eq!(strip_markup("x < 3 et y > 2"), "x < 3 et y > 2");
    }
}

/// The text of `text` as a reader sees it: markup removed, runs of white space made one
/// space, no space at either end.
pub(crate) fn plain_text(text: &str) -> String {
    strip_markup(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::strip_markup;

    #[test]
    fn removes_tags_emphasis_and_entities() {
        let table = [
            ("<b>O. S. 1 - Etre</b>", "O. S. 1 - Etre"),
            ("**O. S. 1 - Etre**", "O. S. 1 - Etre"),
            ("<b><u>O.S.1</u></b>", "O.S.1"),
            ("a<br/>b", "a b"),
            ("Caf&eacute; &amp; th&#233;", "Café & thé"),
            ("3 < 4 et snake_case", "3 < 4 et snake_case"),
            ("sans balise", "sans balise"),
        ];
        for (input, want) in table {
            assert_eq!(strip_markup(input), want, "{input:?}");
        }
    }
}
