//! Outlines: documents made of headings and nested numbered or bulleted lists (web
//! pages, as text or HTML). Each format turns its document into [`Item`]s with a nesting
//! depth; [`interpret`] turns items into volets, OS, OO and actions.
//!
//! Rules, from cues only:
//! - a heading (or line) with a label of the numbering grammar says what it is
//!   (`VOLET INTERNE`, `Objectif stratégique 1 :`, `OO 1.2`…);
//! - other headings open a section: one that speaks of objectives, volets or axes opens
//!   the plan; one that speaks of values collects the plan's values; any other (préalables,
//!   introduction) is preamble, whose lists are not objectives;
//! - in the plan, bare numbers nest as OS → OO → action (`1.` at depth 0 is an OS, a
//!   `1.` under it an OO numbered locally), or OO → action below a labelled OS; bullets
//!   are actions; a line without marker right after an item continues its title.

use crate::Body;
use crate::numbering::{Label, parse_label};
use crate::tree::TreeBuilder;

/// How an item starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Marker {
    /// `3.` or `3)` in text, the 3rd `li` of an `ol` in HTML.
    Numbered(u32),
    /// `•`, `-`, `*`, `o`, `▪`, `–`… or an `li` of a `ul`.
    Bullet,
    /// A heading: a short line of its own in text, `h1`–`h6` in HTML.
    Heading,
    /// Anything else: a paragraph, or the next line of a wrapped item.
    Text,
}

/// One line or list item of an outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// 1-based line in the decoded text.
    pub line: u32,
    /// List nesting: 0 for the outermost list (and for headings and paragraphs).
    pub depth: usize,
    pub marker: Marker,
    /// The item's own text, markup removed, marker removed.
    pub text: String,
    /// A text item that directly continues the previous item (text: deeper indentation).
    pub continues: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before any heading that opens the plan, or in a section such as "Préalables".
    Preamble,
    /// The plan's values ("Valeurs de notre administration").
    Values,
    /// Objectives.
    Plan,
}

pub(crate) fn interpret(source: &str, items: &[Item]) -> Body {
    let mut tree = TreeBuilder::new(source);
    let mut values = Vec::new();
    // A document with no heading that opens the plan is all plan.
    let mut section = if items.iter().any(opens_plan) {
        Section::Preamble
    } else {
        Section::Plan
    };
    // Under a labelled OS ("Objectif stratégique 1 :"), bare numbers are OO, not OS.
    let mut labelled_os = false;
    let mut after_item = false;
    for item in items {
        let text = item.text.as_str();
        if item.marker == Marker::Heading || (item.marker == Marker::Text && !item.continues) {
            after_item = false;
            if let Some(labelled) = parse_label(text) {
                section = Section::Plan;
                match labelled.label {
                    Label::Volet(volet) => {
                        tree.volet(volet, item.line);
                        labelled_os = false;
                    }
                    Label::Strategic(n) => {
                        tree.strategic(n, labelled.rest, item.line);
                        labelled_os = true;
                    }
                    Label::Operational(os, n) => tree.operational(os, n, labelled.rest, item.line),
                    Label::Action(code) => {
                        tree.action(Some(code), labelled.rest, item.line);
                    }
                }
                continue;
            }
            if item.marker == Marker::Heading {
                section = heading_kind(text).unwrap_or(section);
            }
            continue;
        }
        if item.marker == Marker::Text {
            // A wrapped title: only right after an item of the plan.
            if after_item && section == Section::Plan {
                tree.continue_title(text, item.line);
            }
            continue;
        }
        after_item = true;
        match section {
            Section::Preamble => after_item = false,
            Section::Values => {
                tree.mark(item.line);
                values.push(text.to_owned());
            }
            Section::Plan => match (&item.marker, item.depth, labelled_os) {
                (Marker::Numbered(n), 0, false) => tree.strategic(*n, text, item.line),
                // Numbered locally: the OO takes its OS number from its parent.
                (Marker::Numbered(n), 1, false) | (Marker::Numbered(n), 0, true) => {
                    tree.operational(None, *n, text, item.line)
                }
                (Marker::Numbered(n), _, _) => {
                    tree.action(Some(n.to_string()), text, item.line);
                }
                _ => {
                    tree.action(None, text, item.line);
                }
            },
        }
    }
    Body {
        values,
        ..tree.finish()
    }
}

/// The section a heading opens; `None` for a heading that stays in the current one
/// (a theme heading inside the plan, say).
fn heading_kind(text: &str) -> Option<Section> {
    const PREAMBLE: &[&str] = &[
        "prealable",
        "introduction",
        "contexte",
        "sommaire",
        "table des matieres",
        "annexe",
        "etat des lieux",
        "glossaire",
    ];
    let folded = pst_model::fold(text);
    if folded.contains("valeur") {
        Some(Section::Values)
    } else if ["objectif", "volet", "axe", "plan d'action"]
        .iter()
        .any(|w| folded.contains(w))
    {
        Some(Section::Plan)
    } else if PREAMBLE.iter().any(|w| folded.contains(w)) {
        Some(Section::Preamble)
    } else {
        None
    }
}

/// A heading that opens the plan, or a labelled line outside lists.
fn opens_plan(item: &Item) -> bool {
    match item.marker {
        Marker::Heading => {
            heading_kind(&item.text) == Some(Section::Plan) || parse_label(&item.text).is_some()
        }
        Marker::Text => !item.continues && parse_label(&item.text).is_some(),
        _ => false,
    }
}
