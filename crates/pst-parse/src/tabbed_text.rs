//! Text made of prose and tab-separated rows: action catalogues, and long narrative PSTs
//! (text extracted from a PDF or a Word file) that embed summary tables, a catalogue, a
//! fiche-action template and a table of links to the communal PST.
//!
//! Cues, in the order they are tried on each line:
//! - a template block (a run of non-blank lines with a placeholder code such as `OS X`,
//!   `action X`) is a model, not plan content: skipped, with an info diagnostic;
//! - a table-of-contents line (a heading followed by a page number) is skipped;
//! - a numbered section heading (`2.2.1 Volet externe`, untabbed) sets the volet it names;
//! - a header row naming the CPAS's PST and the communal PST starts a link table
//!   ([`crate::links`]), which runs until the next untabbed line;
//! - every other line is a row for [`RowReader`]: labelled rows are structure, a row
//!   `OS 1 | OO 1.1 | title` places the OO under OS 1.
//!
//! In a catalogue ([`Unlabelled::Warn`]) a line that is none of these is a warning; in a
//! narrative ([`Unlabelled::Prose`]) it is prose.

use std::ops::RangeInclusive;
use std::sync::LazyLock;

use pst_model::{Link, Severity};
use regex::Regex;

use crate::Body;
use crate::lines::numbered_lines;
use crate::links::LinkTable;
use crate::numbering::{Label, parse_label};
use crate::rows::{Row, RowKind, RowReader, cells_text, split_row};
use crate::tree::{TreeBuilder, truncate};

/// What a line that is not structure means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unlabelled {
    /// Every line should be structure: say which are not.
    Warn,
    /// Prose between tables: not structure, nothing to say.
    Prose,
}

static PLACEHOLDER_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:o\.?\s?s\.?|o\.?\s?o\.?|objectif\s+\p{L}+|actions?|projets?|fiche[-\s]+action)\s*(?:n\s*°\s*)?(?:x|n|\.{2,}|…|_+)\s*$",
    )
    .expect("valid regex")
});

static TOC_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^\t]*\S(?:\t+|\s*(?:\.{3,}|…)\s*)\d{1,4}\s*$").expect("valid regex")
});

static SECTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|(?i:partie|chapitre|titre)\s+\d{1,2}\b)\s*(?P<title>.*)$",
    )
    .expect("valid regex")
});

/// Runs of non-blank lines that hold a placeholder code: fiche templates.
pub(crate) fn template_blocks<'a>(
    lines: impl Iterator<Item = (u32, &'a str)>,
) -> Vec<RangeInclusive<u32>> {
    let mut blocks = Vec::new();
    let mut run: Option<(u32, u32, bool)> = None;
    for (number, line) in lines {
        if line.trim().is_empty() {
            if let Some((start, end, true)) = run.take() {
                blocks.push(start..=end);
            }
            run = None;
            continue;
        }
        let placeholder = line.split('\t').next().is_some_and(|cell| {
            PLACEHOLDER_CODE.is_match(crate::markup::strip_markup(cell).trim())
        });
        run = Some(match run {
            Some((start, _, seen)) => (start, number, seen || placeholder),
            None => (number, number, placeholder),
        });
    }
    if let Some((start, end, true)) = run {
        blocks.push(start..=end);
    }
    blocks
}

/// Reads lines one at a time into a tree and links.
pub(crate) struct TabbedTextReader<'s> {
    tree: TreeBuilder<'s>,
    rows: RowReader,
    unlabelled: Unlabelled,
    templates: Vec<RangeInclusive<u32>>,
    link_table: Option<LinkTable>,
    links: Vec<Link>,
}

impl<'s> TabbedTextReader<'s> {
    pub(crate) fn new(source: &'s str, text: &str, unlabelled: Unlabelled) -> Self {
        let templates = template_blocks(numbered_lines(text));
        let mut tree = TreeBuilder::new(source);
        for block in &templates {
            tree.diagnose(
                Severity::Info,
                *block.start(),
                format!(
                    "lines {}–{} are a fiche template (placeholder codes such as «OS X»): not read as plan content",
                    block.start(),
                    block.end()
                ),
            );
        }
        TabbedTextReader {
            tree,
            rows: RowReader::default(),
            unlabelled,
            templates,
            link_table: None,
            links: Vec::new(),
        }
    }

    /// Reads one line of text.
    pub(crate) fn line(&mut self, number: u32, line: &str) {
        if self.templates.iter().any(|block| block.contains(&number)) {
            return;
        }
        let row = split_row(line);
        let Some((_, first)) = row.cells.first() else {
            return;
        };
        if parse_label(first).is_none() {
            let trimmed = line.trim();
            if TOC_ENTRY.is_match(trimmed) {
                return;
            }
            if !row.tabbed
                && let Some(caps) = SECTION_HEADING.captures(trimmed)
            {
                let volet = parse_label(&caps["title"]).and_then(|l| match l.label {
                    Label::Volet(volet) => Some(volet),
                    _ => None,
                });
                if let Some(volet) = volet {
                    self.end_link_table();
                    self.tree.volet(volet, number);
                    return;
                }
                if self.unlabelled == Unlabelled::Prose {
                    self.end_link_table();
                    return;
                }
            }
        }
        self.row(number, &row);
    }

    /// Reads one row of cells (a tab-separated line or a table row).
    pub(crate) fn row(&mut self, number: u32, row: &Row) {
        if LinkTable::is_header(row) {
            self.tree.mark(number);
            self.end_link_table();
            self.link_table = Some(LinkTable::default());
            return;
        }
        if let Some(table) = &mut self.link_table {
            let notes_before = self.tree.diagnostic_count();
            if table.read(row, number, &mut self.tree, &mut self.links) {
                // A row of the table read without a note (a link, or the volet, OS or
                // OO the next links hang from) is not residue.
                if self.tree.diagnostic_count() == notes_before {
                    self.tree.mark(number);
                }
                return;
            }
            self.end_link_table();
        }
        let kind = self.rows.read(&mut self.tree, row, number);
        if kind == RowKind::Other && self.unlabelled == Unlabelled::Warn {
            self.tree.diagnose(
                Severity::Warning,
                number,
                format!(
                    "line not recognised as a volet, objective or action: «{}»",
                    truncate(&cells_text(&row.cells), 80)
                ),
            );
        }
    }

    fn end_link_table(&mut self) {
        self.link_table = None;
    }

    /// The tree and links read, with the document's metadata.
    pub(crate) fn finish(mut self, text: &str) -> Body {
        self.end_link_table();
        let mut body = self.tree.finish().with_metadata(numbered_lines(text));
        body.links = self.links;
        body
    }
}

/// Reads a whole text.
pub(crate) fn parse(source: &str, text: &str, unlabelled: Unlabelled) -> Body {
    let mut reader = TabbedTextReader::new(source, text, unlabelled);
    for (number, line) in numbered_lines(text) {
        reader.line(number, line);
    }
    reader.finish(text)
}

/// A narrative: prose around tab-separated tables whose labelled action rows give at
/// least one action under a real OO.
pub(crate) fn read_narrative(source: &str, text: &str) -> Option<Body> {
    let tabbed_actions = numbered_lines(text)
        .filter(|(_, line)| line.contains('\t'))
        .filter(|(_, line)| {
            let first = line.split('\t').next().unwrap_or_default();
            matches!(parse_label(crate::markup::strip_markup(first).trim()), Some(l) if matches!(l.label, Label::Action(_)))
        })
        .take(3)
        .count();
    if tabbed_actions < 3 {
        return None;
    }
    let body = parse(source, text, Unlabelled::Prose);
    body.holds_plan().then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pst_model::Volet;

    #[test]
    fn template_blocks_are_runs_with_a_placeholder_code() {
        let text =
            "Modèle :\n\nFiche action\t\nOS X\t\nOO X\t\naction X\t\n\nO.S. 1 - A\nOS 2\tB\n";
        assert_eq!(template_blocks(numbered_lines(text)), vec![3..=6]);
        assert!(template_blocks(numbered_lines("OS 1\tA\naction 1\tB\n")).is_empty());
        assert_eq!(
            template_blocks(numbered_lines("Projet n° ...\nx")),
            vec![1..=2]
        );
    }

    #[test]
    fn toc_entries_and_section_headings() {
        assert!(TOC_ENTRY.is_match("2.2.1 Volet externe\t8"));
        assert!(TOC_ENTRY.is_match("1.2 Contexte.....\t4"));
        assert!(TOC_ENTRY.is_match("INTRODUCTION\t3"));
        assert!(!TOC_ENTRY.is_match("action 3\tOrganiser 3"));
        assert!(!TOC_ENTRY.is_match("action 13\tRéaliser 3 desserts maison par semaine"));
        let caps = SECTION_HEADING
            .captures("2.2.2 Volet interne")
            .expect("heading");
        assert_eq!(&caps["title"], "Volet interne");
        assert!(SECTION_HEADING.is_match("PARTIE 3"));
        assert!(!SECTION_HEADING.is_match("1. Aider les familles"));
    }

    #[test]
    fn labelled_rows_are_never_taken_for_headings_or_contents() {
        let body = parse("t", "OS 1\tA\nOO 1.1\tB\naction 3\t12\n", Unlabelled::Warn);
        let oo = &body.strategic_objectives[0].operational_objectives[0];
        assert_eq!(oo.actions[0].title, "12");
        // In a catalogue, an unlabelled numbered line is reported, not skipped.
        let body = parse("t", "OS 1\tA\n1.2 Intitulé libre\n", Unlabelled::Warn);
        assert_eq!(body.diagnostics.len(), 1);
        let body = parse("t", "OS 1\tA\n1.2 Intitulé libre\n", Unlabelled::Prose);
        assert!(body.diagnostics.is_empty());
    }

    #[test]
    fn a_summary_table_puts_each_oo_under_the_os_its_code_names() {
        let text = "2.2.1 Volet externe\nOS 1\tAider\nOS 2\tLoger\n\nOS 1\tOO 1.1\tA\n\tOO 2.1\tB\nOS 2\tOO 2.2\tC\n";
        let body = parse("t", text, Unlabelled::Prose);
        let codes: Vec<(String, Vec<String>)> = body
            .strategic_objectives
            .iter()
            .map(|os| {
                (
                    os.code.clone(),
                    os.operational_objectives
                        .iter()
                        .map(|oo| oo.code.clone())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            codes,
            vec![
                ("OS1".to_owned(), vec!["OO1.1".to_owned()]),
                (
                    "OS2".to_owned(),
                    vec!["OO2.1".to_owned(), "OO2.2".to_owned()]
                ),
            ]
        );
        assert!(
            body.strategic_objectives
                .iter()
                .all(|os| os.volet == Some(Volet::Externe))
        );
        assert_eq!(body.diagnostics.len(), 1, "{:?}", body.diagnostics);
        assert!(body.diagnostics[0].message.contains("code names OS2"));
    }
}
