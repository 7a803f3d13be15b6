//! The recogniser: what the blocks of a document mean, for every container. One pass over
//! the blocks (after a count of the labels the document uses) feeding [`TreeBuilder`].
//!
//! Levels are pinned by labels (`Objectif stratégique 2`, `OO 1.2`, `Axe II`, `A1.2.3`,
//! words from the lexicon), else by the depth of a bare dotted code (`1.` OS, `1.2` OO,
//! `1.2.3` action) at levels the document does not label, else by rank: each list
//! style (nesting depth and marker: `I.`, `A.`, `1)`, bullets) takes the next level
//! below the structure above it, in order of appearance.
//!
//! Fields attach to the action they follow, whether on their own line (`Pilote : X`), as
//! a sub-bullet, inline after the title (`… (pilote : X, échéance : 2027)`, `… – 2027`),
//! in a labelled two-cell row, or in a table column named by its header (one lexicon
//! for all). A run of labelled fields that starts with a title field (`Intitulé : …`)
//! is a fiche: it becomes an action under the OS and OO its own fields name. A line that
//! continues a title joins it; anything else is prose, left as residue.

use std::sync::LazyLock;

use pst_model::{Action, Budget, Fte, Severity, Status, Volet};
use regex::Regex;

use crate::Body;
use crate::document::{Block, BlockKind, Cell, Document, Marker, NumberStyle, Row};
use crate::lexicon::{Field, Lexicon, Section, fold_prefix};
use crate::numbering::{Label, Labelled, parse_label_with, volet_suffix};
use crate::rows::{self, RowReader};
use crate::tree::{Level, TreeBuilder, truncate};

/// A bare code and the title after it: `1.2.3 Titre`, `1.2. – Titre`, `1-2-3 Titre`,
/// `I-1. Titre` (a Roman OS number before the OO's), `1.1/ Titre`, `[1.1.1] Titre`.
static BARE_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[?(?P<code>(?:[IVXLC]{1,7}[.-])?\d{1,3}(?:[.-]\d{1,3}){0,5})\.?(?:\]\s*|\s*[-–—:)]\s*|/\s+|\s+|$)(?P<rest>.*)$")
        .expect("valid regex")
});
/// Between two fields on one line: a spaced dash, bar or middle dot, a semicolon, or
/// the end of a sentence (a split happens only where a label follows).
static FIELD_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*;\s+|\.\s+|\s+[—–|·•-]\s+").expect("valid regex"));
/// A table-of-contents line: dot leaders and a page number (not a year: `Échéance
/// ...... 2027` is a field).
static TOC_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\.{3,}|…|\s\.)\s*(?:\d{1,3}|1\d{3})\s*$").expect("valid regex")
});
/// A title and a label in brackets after it: `Une commune solidaire (OS 1)`.
static TRAILING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<title>.{3,}?)\s*[(\[](?P<label>[^()\[\]]{2,30})[)\]]\s*$")
        .expect("valid regex")
});
/// A bracket at the start of a line, then the rest: `[En cours | 70 %] Titre`.
static LEADING_BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\[(](?P<inner>[^\])]{1,60})[\])]\s*(?P<rest>.*)$").expect("valid regex")
});
/// A deadline at the end of a title: `… : 2027`, `… – 2025-2026`, `… (fin 2026)`.
static TRAILING_DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\s*[:–—]\s*|\s+-\s+|\s*\(\s*)(?P<when>(?:(?:fin|début|debut|pour|en|dès|des)\s+)?(?:(?:\d{1,2}/)?\d{1,2}/)?20\d\d(?:\s*[-–/à]\s*(?:20)?\d\d)?)\s*\)?\s*$")
        .expect("valid regex")
});
static PERCENT_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<value>\d{1,3}(?:[.,]\d+)?)\s*%").expect("valid regex"));
static FRACTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:0(?:[.,]\d+)?|1(?:[.,]0+)?)$").expect("valid regex"));
static STEPS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<done>\d{1,2})\s*/\s*(?P<planned>\d{1,2})\.?$").expect("valid regex")
});
static NUMBER_ALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}(?:[.,]\d+)?$").expect("valid regex"));
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<value>\d{1,3}(?:[ .\u{a0}\u{202f}]\d{3})*(?:,\d{1,2})?|\d+(?:,\d{1,2})?)\s*(?:€|eur\b|euros?\b)")
        .expect("valid regex")
});
static DECIMAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?P<value>\d+(?:[.,]\d+)?)\b").expect("valid regex"));

/// Which levels the document itself labels (so bare codes are read only at the others).
#[derive(Debug, Default, Clone, Copy)]
struct LabelledLevels {
    strategic: bool,
    operational: bool,
    action: bool,
    /// The most parts an action label's code has: when some have three (`Fiche 1.1.1`),
    /// an action word with a two-part code (`Chantier 1.1`) names an OO.
    action_depth: usize,
    /// The document numbers OOs or actions with bare dotted codes (`1.2.`, `1.2.3`): a
    /// top-level `1.` list item is then an OS's code, wherever it stands.
    dotted_codes: bool,
}

impl LabelledLevels {
    /// `label` with its level corrected by the document's code depths.
    fn relevel(&self, label: Label) -> Label {
        match &label {
            Label::Action(code) if self.action_depth >= 3 => match code_parts(code).as_slice() {
                [os, own] => Label::Operational(Some(*os), *own),
                _ => label,
            },
            _ => label,
        }
    }
}

/// The level of a list style (depth and marker kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    depth: usize,
    kind: StyleKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StyleKind {
    Bullet,
    Number(NumberStyle),
}

/// A fiche being read: labelled fields that started with a title.
#[derive(Debug, Default)]
struct Record {
    line: u32,
    fields: Vec<(Field, String, u32)>,
}

/// Meaning of a table's columns, from its header row.
#[derive(Debug, Default, Clone)]
struct Header {
    columns: Vec<Option<Field>>,
    /// Header cells that name no field (their columns are not read, said once).
    unnamed: Vec<String>,
}

impl Header {
    fn field(&self, column: usize) -> Option<Field> {
        self.columns.get(column).copied().flatten()
    }

    fn has(&self, field: Field) -> bool {
        self.columns.contains(&Some(field))
    }

    /// A table whose rows carry their OS and OO in columns (one row per action).
    fn hierarchical(&self) -> bool {
        (self.has(Field::Strategic) || self.has(Field::Operational))
            && (self.has(Field::Title) || self.columns.iter().filter(|c| c.is_some()).count() >= 3)
    }
}

struct Recogniser<'a, 's> {
    lexicon: &'a Lexicon,
    tree: TreeBuilder<'s>,
    labelled: LabelledLevels,
    section: Section,
    /// Level of the structure above the current lists (0 before any).
    base: usize,
    styles: Vec<(Style, usize)>,
    /// The last block was an entity's title (a deeper line continues it).
    after_entity: bool,
    /// The line of the last entity title, for a wrapped line right under it.
    title_line: Option<u32>,
    /// The level of the last heading that entered an entity by its label, and that
    /// entity's level: deeper headings without a label are the level below.
    labelled_heading: Option<(u8, usize)>,
    /// The document's own status code (`vert` → done), from its legend.
    legend: Vec<(String, Status)>,
    /// The last field of the last line of fields (its line, and whether its value was
    /// empty): a deeper line right under it continues its value.
    last_field: Option<(Field, u32, bool)>,
    /// The entity entered last has no title yet: the next line of text is its title.
    untitled: bool,
    /// A label alone on its line ("Pilote(s)"): the lines after it are its value.
    pending_field: Option<Field>,
    /// The table and title column of the last row that gave an action (a next row with
    /// its first column empty continues its cells: a wrapped row of a PDF or text table).
    action_row: Option<(u32, usize)>,
    /// The level entered by the block being read, and by the block before it.
    entered_now: Option<usize>,
    entered_before: Option<usize>,
    record: Option<Record>,
    /// Start date of the current action, waiting for its end.
    start: Option<String>,
    table: Option<(u32, Header)>,
    rows: RowReader,
    values: Vec<String>,
    /// Text of the last hierarchical cells, so repeated OS/OO cells are entered once.
    last_volet_cell: Option<String>,
    last_os_cell: Option<String>,
    last_oo_cell: Option<String>,
    os_sequence: u32,
    oo_sequence: u32,
}

/// Reads `document`'s blocks into a plan.
pub(crate) fn recognise(source: &str, lexicon: &Lexicon, document: &Document) -> Body {
    let labelled = labelled_levels(lexicon, &document.blocks);
    let opens_plan = document.blocks.iter().any(|block| match &block.kind {
        BlockKind::Heading { text, .. } => {
            lexicon.section(&fold_prefix(text, 200).text) == Some(Section::Plan)
                || parse_label_with(lexicon, text).is_some()
        }
        BlockKind::Paragraph { text, .. } => parse_label_with(lexicon, text).is_some(),
        _ => false,
    });
    let mut recogniser = Recogniser {
        lexicon,
        tree: TreeBuilder::new(source),
        labelled,
        section: if opens_plan {
            Section::Preamble
        } else {
            Section::Plan
        },
        base: 0,
        styles: Vec::new(),
        after_entity: false,
        title_line: None,
        labelled_heading: None,
        legend: Vec::new(),
        last_field: None,
        untitled: false,
        pending_field: None,
        action_row: None,
        entered_now: None,
        entered_before: None,
        record: None,
        start: None,
        table: None,
        rows: RowReader::default(),
        values: Vec::new(),
        last_volet_cell: None,
        last_os_cell: None,
        last_oo_cell: None,
        os_sequence: 0,
        oo_sequence: 0,
    };
    for block in &document.blocks {
        recogniser.block(block);
    }
    recogniser.finish()
}

/// The text a label would start: a block's text, or a row's first cell.
fn leading_text(block: &Block) -> &str {
    match &block.kind {
        BlockKind::Heading { text, .. }
        | BlockKind::Paragraph { text, .. }
        | BlockKind::ListItem { text, .. } => text.as_str(),
        BlockKind::Row(row) => row.cells.first().map_or("", |c| c.text.as_str()),
    }
}

/// A row whose first cell is only a chapter number before a label (`3.1 ⇥ Objectif
/// stratégique 1 : …`, Word's numbered headings saved as text): the row without it.
fn without_chapter_number(lexicon: &Lexicon, row: &Row) -> Option<Row> {
    let [number, label, ..] = row.cells.as_slice() else {
        return None;
    };
    let bare = BARE_CODE
        .captures(&number.text)
        .is_some_and(|c| c["rest"].trim().is_empty());
    (bare && parse_label_with(lexicon, &label.text).is_some()).then(|| Row {
        cells: row.cells[1..].to_vec(),
        ..row.clone()
    })
}

fn labelled_levels(lexicon: &Lexicon, blocks: &[Block]) -> LabelledLevels {
    let mut levels = LabelledLevels::default();
    let unnumbered: Vec<Option<Row>> = blocks
        .iter()
        .map(|block| match &block.kind {
            BlockKind::Row(row) => without_chapter_number(lexicon, row),
            _ => None,
        })
        .collect();
    let texts = blocks
        .iter()
        .zip(&unnumbered)
        .map(|(block, row)| match row {
            Some(row) => row.cells.first().map_or("", |c| c.text.as_str()),
            None => leading_text(block),
        });
    for text in texts {
        levels.dotted_codes |= BARE_CODE
            .captures(text)
            .is_some_and(|c| code_parts(&c["code"]).len() >= 2 && !c["rest"].trim().is_empty());
        match parse_label_with(lexicon, text).map(|l| l.label) {
            Some(Label::Strategic(_)) => levels.strategic = true,
            Some(Label::Operational(..)) => levels.operational = true,
            Some(Label::Action(code)) => {
                levels.action = true;
                levels.action_depth = levels.action_depth.max(code_parts(&code).len());
            }
            _ => {}
        }
    }
    if levels.action_depth >= 3 {
        // Two-part action codes, if any, are OOs.
        levels.operational |= blocks.iter().map(leading_text).any(|text| {
            matches!(
                parse_label_with(lexicon, text).map(|l| levels.relevel(l.label)),
                Some(Label::Operational(..))
            )
        });
    }
    levels
}

/// A bare code's numbers (its depth is its level: 1 OS, 2 OO, 3 and more action); a
/// Roman head counts as its number.
fn code_parts(code: &str) -> Vec<u32> {
    code.split(['.', '-'])
        .filter_map(|p| p.parse().ok().or_else(|| crate::document::roman(p)))
        .collect()
}

impl Recogniser<'_, '_> {
    fn block(&mut self, block: &Block) {
        self.entered_before = self.entered_now.take();
        let line = block.line;
        if self.value_of_pending_field(block) {
            return;
        }
        if !matches!(
            block.kind,
            BlockKind::Heading { .. } | BlockKind::Paragraph { .. }
        ) {
            self.untitled = false;
        }
        match &block.kind {
            BlockKind::Row(row) => self.row(row, line),
            BlockKind::Heading { level, text } => {
                self.table = None;
                self.heading(*level, text, line)
            }
            BlockKind::Paragraph { text, continues } => {
                self.table = None;
                self.paragraph(text, *continues, line)
            }
            BlockKind::ListItem {
                depth,
                marker,
                text,
            } => {
                self.table = None;
                self.list_item(*depth, *marker, text, line)
            }
        }
    }

    /// A label, or a bare code at a level the document does not label.
    fn structure<'t>(&self, text: &'t str) -> Option<Labelled<'t>> {
        if let Some(labelled) = parse_label_with(self.lexicon, text) {
            return Some(labelled);
        }
        // The label after the title: `Une commune solidaire (OS 1)`.
        if let Some(caps) = TRAILING_LABEL.captures(text)
            && let Some(labelled) = parse_label_with(self.lexicon, &caps["label"])
            && labelled.rest.is_empty()
            && let Some(title) = caps.name("title")
        {
            return Some(Labelled {
                label: labelled.label,
                rest: title.as_str().trim(),
            });
        }
        let caps = BARE_CODE.captures(text)?;
        let parts = code_parts(caps.name("code")?.as_str());
        let rest = caps.name("rest").map_or("", |m| m.as_str()).trim();
        let label = match parts.as_slice() {
            [n] if !self.labelled.strategic => Label::Strategic(*n),
            [os, n] if !self.labelled.operational => Label::Operational(Some(*os), *n),
            parts if parts.len() >= 3 && !self.labelled.action => Label::Action(
                parts
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join("."),
            ),
            _ => return None,
        };
        Some(Labelled { label, rest })
    }

    /// Enters a labelled entity with its title (inline fields split off).
    fn enter(&mut self, label: Label, rest: &str, line: u32) -> usize {
        let label = self.labelled.relevel(label);
        self.flush_record();
        self.start = None;
        self.section = Section::Plan;
        // A mark between label and title (`OS 1 ━ Titre`, `OS 2 · Titre`) is not title.
        let rest = rest.trim_start_matches(|c: char| {
            !(c.is_alphanumeric() || matches!(c, '(' | '[' | '«' | '"' | '“' | '\'' | '‘'))
        });
        // Nor is the level's name before a colon (`1. ⇥ Objectif stratégique : Titre`).
        let rest = match self.field(rest) {
            Some((field, value)) if field.names_an_entity() && !value.is_empty() => value,
            _ => rest,
        };
        let (title, fields) = self.split_inline(rest);
        let untitled = title.is_empty() && fields.is_empty();
        let level = match label {
            Label::Volet(volet) => {
                self.tree.volet(volet, line);
                0
            }
            Label::Strategic(number) => {
                let title = match volet_suffix(&title) {
                    Some((volet, rest)) => {
                        self.tree.volet(volet, line);
                        rest.to_owned()
                    }
                    None => title,
                };
                self.tree.strategic(number, &title, line);
                self.os_sequence = number;
                self.oo_sequence = 0;
                1
            }
            Label::Operational(os, own) => {
                self.tree.operational(os, own, &title, line);
                self.oo_sequence = own;
                2
            }
            Label::Action(code) if title.is_empty() && fields.is_empty() => {
                // `PROJET 1.1.1` alone: a fiche whose fields follow.
                self.record = Some(Record {
                    line,
                    fields: vec![(Field::Code, code, line)],
                });
                self.tree.mark(line);
                self.after_entity = false;
                // Its title may be the next line (`Fiche n° 1` / `Créer une cellule…`).
                self.untitled = true;
                return 3;
            }
            Label::Action(code) => {
                self.tree.action(Some(code), &title, line);
                3
            }
        };
        self.untitled = level > 0 && untitled;
        self.title_line = (level > 0).then_some(line);
        self.entered_now = Some(level);
        for (field, value) in fields {
            self.apply(field, &value, line);
        }
        self.after_entity = level > 0;
        level
    }

    /// A label alone on its line, then its value on the next (a list under it: one value
    /// per item). Returns true when `block` was read so.
    fn value_of_pending_field(&mut self, block: &Block) -> bool {
        let (text, is_item) = match &block.kind {
            BlockKind::Heading { text, .. } | BlockKind::Paragraph { text, .. } => (text, false),
            BlockKind::ListItem { text, .. } => (text, true),
            BlockKind::Row(_) => {
                self.pending_field = None;
                return false;
            }
        };
        let objective_value = |field: Field, labelled: Option<Label>| {
            matches!(
                (field, labelled),
                (_, None)
                    | (Field::Strategic, Some(Label::Strategic(_)))
                    | (Field::Operational, Some(Label::Operational(..)))
            )
        };
        if let Some(field) = self.pending_field
            && self.action_or_record_open()
            && objective_value(field, self.label(text).map(|l| l.label))
            && self.field(text).is_none()
            && self.cell_field(text).is_none()
        {
            self.field_line(field, text, block.line);
            // A list under its label: one value per item, or per line under the label.
            let continues = matches!(
                block.kind,
                BlockKind::Paragraph {
                    continues: true,
                    ..
                }
            );
            let list = matches!(
                field,
                Field::Indicators
                    | Field::Pilots
                    | Field::Partners
                    | Field::Mandataries
                    | Field::Tasks
                    | Field::Risks
                    | Field::Team
                    | Field::Deliverables
            );
            if !(is_item || list && continues) {
                self.pending_field = None;
            }
            return true;
        }
        self.pending_field = None;
        // A label alone (not a level word, which is a heading of its own, except in a
        // fiche: `Objectif stratégique` then `OS 1 – …` on the next line).
        if let Some(field) = self.label_alone(text)
            && self.action_or_record_open()
            && (self.record.is_some() || !field.names_an_entity())
        {
            self.pending_field = Some(field);
            self.tree.mark(block.line);
            return true;
        }
        false
    }

    fn action_or_record_open(&mut self) -> bool {
        self.record.is_some() || self.tree.last_action().is_some()
    }

    fn label<'t>(&self, text: &'t str) -> Option<Labelled<'t>> {
        parse_label_with(self.lexicon, text)
    }

    /// The line after an untitled entity is its title.
    fn take_title(&mut self, text: &str, line: u32) -> bool {
        if !std::mem::take(&mut self.untitled) {
            return false;
        }
        if parse_label_with(self.lexicon, text).is_some() || self.field(text).is_some() {
            return false;
        }
        if let Some(record) = &mut self.record {
            // A rule under `PROJET 1.1.1` is not its title.
            if record
                .fields
                .iter()
                .any(|(field, ..)| *field == Field::Title)
                || !text.chars().any(char::is_alphabetic)
            {
                return false;
            }
            record.fields.push((Field::Title, text.to_owned(), line));
            self.tree.mark(line);
            return true;
        }
        self.tree.continue_title(text, line);
        self.after_entity = true;
        self.title_line = Some(line);
        true
    }

    /// A line under an OO that carries an action's fields inline (`[En cours | 70 %]
    /// Titre — Porteur : X`), in a document that neither labels nor codes its actions:
    /// an action.
    fn unlabelled_action(&mut self, text: &str, line: u32) -> bool {
        if self.labelled.action
            || self.section != Section::Plan
            || self.record.is_some()
            || !matches!(
                self.tree.last_level(),
                Some(Level::Operational | Level::Action)
            )
            || text.chars().count() > 300
        {
            return false;
        }
        let (title, fields) = self.split_inline(text);
        let action_fields = fields.iter().any(|(field, _)| {
            matches!(
                field,
                Field::Status | Field::Progress | Field::Pilots | Field::Deadline | Field::Service
            )
        });
        if title.is_empty() || !action_fields || title.ends_with(':') {
            return false;
        }
        self.tree.action(None, &title, line);
        for (field, value) in fields {
            self.apply(field, &value, line);
        }
        self.after_entity = true;
        self.title_line = Some(line);
        true
    }

    /// A line in lower case right under a title, at its indentation: the title wraps.
    fn wraps_title(&mut self, text: &str, line: u32) -> bool {
        if self.title_line != Some(line.saturating_sub(1))
            || !text.starts_with(char::is_lowercase)
            || self.structure(text).is_some()
        {
            return false;
        }
        self.tree.continue_title(text, line);
        self.title_line = Some(line);
        self.after_entity = true;
        true
    }

    fn heading(&mut self, level: u8, text: &str, line: u32) {
        self.after_entity = false;
        if TOC_ENTRY.is_match(text)
            || self.take_title(text, line)
            || (level == 0 && self.wraps_title(text, line))
        {
            return;
        }
        if let Some(labelled) = self.structure(text) {
            let entered = self.enter(labelled.label, labelled.rest, line);
            self.base = entered;
            self.styles.clear();
            if level > 0 {
                self.labelled_heading = Some((level, entered));
            }
            return;
        }
        if self.fields_line(text, line) {
            return;
        }
        // A heading without a label, deeper than a heading that entered an objective: the
        // next level down (`## … (OS 1)` then `### Soutenir les familles`).
        if let Some((labelled_level, entity)) = self.labelled_heading
            && level > labelled_level
            && (1..3).contains(&entity)
            && self.section == Section::Plan
        {
            let entered = if entity == 1 {
                self.enter(Label::Operational(None, self.oo_sequence + 1), text, line)
            } else {
                self.tree.action(None, text, line);
                self.after_entity = true;
                3
            };
            self.base = entered;
            self.styles.clear();
            return;
        }
        let folded = fold_prefix(text, 200);
        if let Some(section) = self.lexicon.section(&folded.text) {
            self.flush_record();
            self.section = section;
            self.base = 0;
            self.styles.clear();
            if section == Section::Plan {
                self.tree.mark(line);
            }
            return;
        }
        let _ = level;
    }

    fn paragraph(&mut self, text: &str, continues: bool, line: u32) {
        if self.wrapped_field(text, continues, line) {
            return;
        }
        if continues
            && self.after_entity
            && self.record.is_none()
            && parse_label_with(self.lexicon, text).is_none()
            && bracket_fields(text).is_none()
        {
            if self.fields_line(text, line) {
                return;
            }
            let (title, fields) = self.split_inline(text);
            if !title.is_empty() {
                self.tree.continue_title(&title, line);
            } else {
                self.tree.mark(line);
            }
            for (field, value) in fields {
                self.apply(field, &value, line);
            }
            return;
        }
        self.after_entity = false;
        if TOC_ENTRY.is_match(text) || self.take_title(text, line) {
            return;
        }
        if self.fields_line(text, line) {
            return;
        }
        if self.wraps_title(text, line) {
            return;
        }
        if let Some(labelled) = self.structure(text) {
            let entered = self.enter(labelled.label, labelled.rest, line);
            self.base = entered;
            self.styles.clear();
            return;
        }
        if self.unlabelled_action(text, line) {
            return;
        }
        if continues && let Some(record) = &mut self.record {
            // A wrapped field value.
            if let Some((_, value, _)) = record.fields.last_mut() {
                value.push(' ');
                value.push_str(text);
                self.tree.mark(line);
            }
        }
    }

    fn list_item(&mut self, depth: usize, marker: Marker, text: &str, line: u32) {
        self.after_entity = false;
        if text.is_empty() {
            return;
        }
        if self.fields_line(text, line) {
            return;
        }
        if TOC_ENTRY.is_match(text) {
            return;
        }
        // `1. Titre` at the top of a document numbered `1.1.`, `1.1.1.`: an OS's code.
        let as_code = match marker {
            Marker::Numbered(n, NumberStyle::Digit | NumberStyle::DigitParen)
                if depth == 0 && self.labelled.dotted_codes && !self.labelled.strategic =>
            {
                Some(format!("{n}. {text}"))
            }
            _ => None,
        };
        let labelled = match &as_code {
            Some(code) => self.structure(code),
            None => self.structure(text),
        };
        if let Some(labelled) = labelled {
            let level = self.enter(labelled.label, labelled.rest, line);
            let style = style(depth, marker);
            self.styles.retain(|(s, _)| *s != style);
            self.styles.push((style, level));
            return;
        }
        match self.section {
            Section::Preamble => return,
            Section::Values => {
                self.tree.mark(line);
                self.values.push(text.to_owned());
                return;
            }
            Section::Plan => {}
        }
        // `- l'accompagnement social ;`: a sentence enumerating, not an entity.
        if text.starts_with(char::is_lowercase) && text.trim_end().ends_with([';', ',', '.']) {
            return;
        }
        let style = style(depth, marker);
        // A list of letters or Roman numerals starts at A or I: `V. HUBERT` under a
        // signature is a name. (Digits may go on across a heading: `<ol start="4">`.)
        if let Marker::Numbered(number, NumberStyle::Roman | NumberStyle::Letter) = marker
            && number > 1
            && !self.styles.iter().any(|(s, _)| *s == style)
        {
            return;
        }
        let level = self.level_of(style);
        let number = match marker {
            Marker::Numbered(n, _) => Some(n),
            Marker::Bullet => None,
        };
        match level {
            1 => {
                let label = Label::Strategic(number.unwrap_or(self.os_sequence + 1));
                self.enter(label, text, line);
            }
            2 => {
                let own = number.unwrap_or(self.oo_sequence + 1);
                self.enter(Label::Operational(None, own), text, line);
            }
            3 => {
                self.flush_record();
                self.start = None;
                let (title, fields) = self.split_inline(text);
                self.tree
                    .action(number.map(|n| n.to_string()), &title, line);
                for (field, value) in fields {
                    self.apply(field, &value, line);
                }
                self.after_entity = true;
            }
            _ => self.sub_item(text, line),
        }
    }

    /// A list item below an action: one of its tasks.
    fn sub_item(&mut self, text: &str, line: u32) {
        match self.tree.last_action() {
            Some(action) => {
                action.tasks.push(pst_model::Task {
                    description: text.to_owned(),
                    evaluation: None,
                });
                self.tree.mark(line);
            }
            None => self.tree.diagnose(
                Severity::Info,
                line,
                format!(
                    "list item «{}» below an objective: not read as an action",
                    truncate(text, 60)
                ),
            ),
        }
    }

    /// The level a list style takes: the level it had, else one below the deepest style
    /// at its depth or above it, else one below the structure above the list.
    fn level_of(&mut self, style: Style) -> usize {
        if let Some((_, level)) = self.styles.iter().find(|(s, _)| *s == style) {
            return *level;
        }
        let above = self
            .styles
            .iter()
            .filter(|(s, _)| s.depth <= style.depth)
            .max_by_key(|(s, level)| (s.depth, *level))
            .map(|(_, level)| *level);
        let mut level = above.unwrap_or(self.base) + 1;
        // A level the document writes with labels is not also written as a bare list.
        while (level == 1 && self.labelled.strategic) || (level == 2 && self.labelled.operational) {
            level += 1;
        }
        self.styles.push((style, level));
        level
    }

    /// A field label at the start of `text`, followed by `:` or a dash, and the value.
    fn field<'t>(&self, text: &'t str) -> Option<(Field, &'t str)> {
        let text = text.trim_matches(['*', '_']).trim();
        let folded = fold_prefix(text, 64);
        let (field, end) = self.lexicon.field_label(&folded.text)?;
        let after = &text[folded.original_end(end)..];
        // A label may go on for a few words before its colon ("Indicateur(s) de
        // réalisation :", "Pilote de l'action :"), except the words that name a title or a
        // level ("Action sociale : …" is prose).
        let after = match after.find(':') {
            Some(colon)
                if !field.names_an_entity()
                    && after.starts_with(char::is_whitespace)
                    && colon <= 40
                    && after[..colon].split_whitespace().count() <= 3
                    && after[..colon]
                        .chars()
                        .all(|c| c.is_alphabetic() || c.is_whitespace() || "'’()-".contains(c)) =>
            {
                &after[colon..]
            }
            _ => after,
        };
        let trimmed = after.trim_start();
        // Dot leaders: `Pilote ........ X`.
        let leaders = trimmed.trim_start_matches(['.', '…']);
        let leaders = (trimmed.len() - leaders.len() >= 2 || trimmed.starts_with('…'))
            .then(|| leaders.trim_start().trim_start_matches(':'));
        // `Qui ?  Service Travaux`: a question as the label.
        let question = trimmed
            .strip_prefix('?')
            .filter(|rest| rest.starts_with(char::is_whitespace) || rest.is_empty());
        let value = trimmed
            .strip_prefix(':')
            .or_else(|| trimmed.strip_prefix(" :"))
            .or(question)
            .or(leaders)
            .or_else(|| {
                trimmed
                    .strip_prefix(['–', '—', '='])
                    .filter(|_| after.starts_with(char::is_whitespace))
            })?;
        // "Action : …" or "Projet : …" opens a fiche only as a field.
        Some((field, value.trim()))
    }

    /// A line of fields: `Pilote : X — Échéance : 2026 — Indicateur : Y`. Each piece that
    /// starts with a label is a field; a piece without one continues the value before it
    /// (a date alone is a deadline).
    fn field_pieces(&self, text: &str) -> Option<Vec<(Field, String)>> {
        let text = text.trim_matches(['*', '_']).trim();
        let (first, first_value) = self.field(text)?;
        let offset = |inner: &str| inner.as_ptr() as usize - text.as_ptr() as usize;
        // (field, where its value starts) for every field of the line.
        let mut starts = vec![(first, offset(first_value))];
        let mut ends = Vec::new();
        for separator in FIELD_SEPARATOR.find_iter(text) {
            if separator.start() < starts.last().map_or(0, |&(_, start)| start) {
                continue;
            }
            let next = &text[separator.end()..];
            let next_piece = FIELD_SEPARATOR
                .find(next)
                .map_or(next, |m| &next[..m.start()]);
            let current = starts.last().map(|&(field, _)| field);
            let split = if let Some((field, value)) = self.field(next_piece) {
                Some((field, offset(value)))
            } else if looks_like_date(next_piece)
                && !matches!(current, Some(Field::Deadline | Field::Start | Field::End))
            {
                Some((Field::Deadline, separator.end()))
            } else {
                None
            };
            if let Some(split) = split {
                ends.push(separator.start());
                starts.push(split);
            }
        }
        ends.push(text.len());
        Some(
            starts
                .into_iter()
                .zip(ends)
                .map(|((field, start), end)| (field, text[start..end.max(start)].trim().to_owned()))
                .collect(),
        )
    }

    /// Every field of a line of fields.
    fn fields_line(&mut self, text: &str, line: u32) -> bool {
        let Some(fields) = self.field_pieces(text) else {
            return false;
        };
        self.last_field = fields
            .last()
            .map(|(field, value)| (*field, line, value.trim().is_empty()));
        for (field, value) in fields {
            self.field_line(field, &value, line);
        }
        true
    }

    /// A deeper line right under a line of fields, with no label of its own at its
    /// start: the last field's value wraps onto it (`Partenaires : Association des` /
    /// `commerçants ; Échéance : 2025`); labelled pieces after it are fields.
    fn wrapped_field(&mut self, text: &str, continues: bool, line: u32) -> bool {
        let Some((field, at, empty)) = self.last_field else {
            return false;
        };
        if !continues
            || at + 1 != line
            || self.record.is_some()
            || self.field(text).is_some()
            || parse_label_with(self.lexicon, text).is_some()
            || bracket_fields(text).is_some()
            || self.tree.last_level() != Some(Level::Action)
        {
            return false;
        }
        let split = FIELD_SEPARATOR
            .find_iter(text)
            .find(|m| self.field(&text[m.end()..]).is_some());
        let (head, tail) = match split {
            Some(m) => (&text[..m.start()], Some(&text[m.end()..])),
            None => (text, None),
        };
        let head = without_full_stop(head.trim());
        if !head.is_empty() {
            if empty {
                self.apply(field, head, line);
            } else if let Some(action) = self.tree.last_action() {
                continue_field(action, field, head);
            }
        }
        self.tree.mark(line);
        self.last_field = Some((field, line, empty && head.is_empty()));
        if let Some(tail) = tail {
            self.fields_line(tail, line);
        }
        true
    }

    /// A labelled line: a field of the current action, or of the fiche being read.
    fn field_line(&mut self, field: Field, value: &str, line: u32) {
        self.tree.mark(line);
        // "Objectif stratégique : Être…" with no number is a heading, not a reference to
        // an objective: it opens the next one.
        if matches!(field, Field::Strategic | Field::Operational) {
            // "Objectifs opérationnels :" over a list: the list's items are the
            // objectives, the line itself is none.
            if value.trim().is_empty() && self.record.is_none() {
                return;
            }
            let level = if field == Field::Strategic { 1 } else { 2 };
            let (parts, title) = self.objective_value(value, level);
            // Right after an objective of that level, it describes it ("Enjeu : …").
            let describes = self.entered_before == Some(level);
            if parts.is_empty() && !title.trim().is_empty() && !describes {
                let label = if field == Field::Strategic {
                    Label::Strategic(self.os_sequence + 1)
                } else {
                    Label::Operational(None, self.oo_sequence + 1)
                };
                let entered = self.enter(label, value, line);
                self.base = entered;
                self.styles.clear();
                if field == Field::Strategic {
                    self.oo_sequence = 0;
                }
                return;
            }
        }
        if let Some(record) = &mut self.record {
            if matches!(field, Field::Title)
                && record.fields.iter().any(|(f, ..)| *f == Field::Title)
            {
                self.flush_record();
            } else {
                record.fields.push((field, value.to_owned(), line));
                return;
            }
        }
        let action_open = self.tree.last_level() == Some(Level::Action);
        match field {
            Field::Title | Field::Code if !action_open || self.fiche_started_by(field) => {
                self.record = Some(Record {
                    line,
                    fields: vec![(field, value.to_owned(), line)],
                });
            }
            Field::Strategic | Field::Operational if !action_open => {
                self.record = Some(Record {
                    line,
                    fields: vec![(field, value.to_owned(), line)],
                });
            }
            _ => self.apply(field, value, line),
        }
        self.after_entity = false;
    }

    /// A title field while an action is open starts another fiche when the open action
    /// already had its own fields.
    fn fiche_started_by(&mut self, field: Field) -> bool {
        field == Field::Title
            && self.tree.last_action().is_some_and(|a| {
                !a.pilots.is_empty() || a.deadline_raw.is_some() || !a.indicators.is_empty()
            })
    }

    /// A fiche's fields: its OS and OO entered (by code, or opened with the title its
    /// fields give), then the action.
    fn flush_record(&mut self) {
        let Some(record) = self.record.take() else {
            return;
        };
        let mut title = None;
        let mut code = None;
        let mut rest = Vec::new();
        for (field, value, line) in record.fields {
            match field {
                Field::Title if title.is_none() => title = Some(value),
                Field::Code if code.is_none() => code = Some(value),
                Field::Strategic => {
                    let (number, os_title) = self.objective_value(&value, 1);
                    let number = number.first().copied().unwrap_or(self.os_sequence.max(1));
                    self.tree.enter_or_open_strategic(number, &os_title, line);
                    self.os_sequence = number;
                }
                Field::Operational => {
                    let (parts, oo_title) = self.objective_value(&value, 2);
                    let (os, own) = match parts.as_slice() {
                        [os, own, ..] => (*os, *own),
                        [own] => (
                            self.tree
                                .open_os_number()
                                .unwrap_or(self.os_sequence.max(1)),
                            *own,
                        ),
                        [] => (
                            self.tree
                                .open_os_number()
                                .unwrap_or(self.os_sequence.max(1)),
                            self.oo_sequence + 1,
                        ),
                    };
                    self.tree.enter_operational(os, own, &oo_title, line);
                    self.oo_sequence = own;
                }
                _ => rest.push((field, value, line)),
            }
        }
        let Some(title) = title else {
            // Fields without a title: an objective's fields, or a stray block.
            for (field, value, line) in rest {
                self.apply(field, &value, line);
            }
            return;
        };
        let code = code.and_then(|c| {
            let digits: String = c
                .trim()
                .trim_start_matches(|ch: char| !ch.is_ascii_digit())
                .trim_end_matches('.')
                .to_owned();
            (!digits.is_empty() && digits.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
                .then_some(digits)
        });
        self.tree.action(code, &title, record.line);
        for (field, value, line) in rest {
            self.apply(field, &value, line);
        }
    }

    /// `2.1 – Titre` or `OO 2.1 Titre` as the value of an objective field: the numbers of
    /// its code and its title.
    fn objective_value(&self, value: &str, level: usize) -> (Vec<u32>, String) {
        if let Some(labelled) = parse_label_with(self.lexicon, value) {
            return match labelled.label {
                Label::Strategic(n) => (vec![n], labelled.rest.to_owned()),
                Label::Operational(Some(os), n) => (vec![os, n], labelled.rest.to_owned()),
                Label::Operational(None, n) => (vec![n], labelled.rest.to_owned()),
                _ => (Vec::new(), value.to_owned()),
            };
        }
        if let Some(caps) = BARE_CODE.captures(value) {
            let parts = code_parts(&caps["code"]);
            if !parts.is_empty() && parts.len() <= level {
                return (parts, caps["rest"].trim().to_owned());
            }
        }
        (Vec::new(), value.to_owned())
    }

    /// Sets a field of the action read last; a field with no action is said.
    fn apply(&mut self, field: Field, value: &str, line: u32) {
        let value = without_full_stop(value.trim());
        if value.is_empty() {
            self.tree.mark(line);
            return;
        }
        if let Some(record) = &mut self.record {
            record.fields.push((field, value.to_owned(), line));
            return;
        }
        let start = &mut self.start;
        let Some(action) = self.tree.last_action() else {
            self.tree.diagnose(
                Severity::Info,
                line,
                format!(
                    "field «{}» is not under an action: not kept",
                    truncate(value, 60)
                ),
            );
            return;
        };
        set_field(action, field, value, start);
        self.tree.mark(line);
    }

    /// Fields written inline after a title: `Titre (pilote : X, échéance : 2027)`,
    /// `Titre – Pilote : X – 2027`, `Titre : 2027`.
    fn split_inline(&self, text: &str) -> (String, Vec<(Field, String)>) {
        let (mut fields, text) = bracket_fields(text).unwrap_or((Vec::new(), text));
        let mut title = text;
        // The first "label :" after a separator.
        let mut cut = None;
        for (index, c) in text.char_indices() {
            if !matches!(c, '(' | '–' | '—' | '-' | ',' | ';' | '|' | '[') || index == 0 {
                continue;
            }
            if c == '-' && !text[..index].ends_with(' ') {
                continue;
            }
            let after = text[index + c.len_utf8()..].trim_start();
            if let Some((field, _)) = self.field(after)
                && !matches!(field, Field::Title | Field::Code)
            {
                cut = Some(index);
                break;
            }
        }
        if let Some(index) = cut {
            title = text[..index].trim_end();
            let tail =
                text[index..].trim_start_matches(['(', '–', '—', '-', ',', ';', '|', '[', ' ']);
            let tail = tail.trim_end().trim_end_matches([')', ']']);
            let mut current: Option<(Field, String)> = None;
            for piece in tail.split([',', ';', '|', '–', '—']).map(str::trim) {
                if let Some((field, value)) = self.field(piece) {
                    if let Some(done) = current.take() {
                        fields.push(done);
                    }
                    current = Some((field, value.trim_end_matches(')').trim().to_owned()));
                } else if looks_like_date(piece) {
                    if let Some(done) = current.take() {
                        fields.push(done);
                    }
                    fields.push((Field::Deadline, piece.trim_end_matches(')').to_owned()));
                } else if let Some((_, value)) = &mut current {
                    // "pilotes : LM, MR": a comma inside a value.
                    value.push_str(", ");
                    value.push_str(piece);
                }
            }
            if let Some(done) = current {
                fields.push(done);
            }
        }
        if !fields.iter().any(|(f, _)| *f == Field::Deadline)
            && let Some(caps) = TRAILING_DEADLINE.captures(title)
            && let Some(whole) = caps.get(0)
            && whole.start() > 0
        {
            fields.push((Field::Deadline, caps["when"].to_owned()));
            title = title[..whole.start()].trim_end();
        }
        (title.trim().to_owned(), fields)
    }

    fn row(&mut self, row: &Row, line: u32) {
        self.after_entity = false;
        let unnumbered = without_chapter_number(self.lexicon, row);
        let row = unnumbered.as_ref().unwrap_or(row);
        let merged = self.level_column(row);
        if let Some((merged, Some(volet))) = &merged
            && merged.cells.first().is_some_and(|c| {
                matches!(
                    parse_label_with(self.lexicon, &c.text).map(|l| l.label),
                    Some(Label::Strategic(_))
                )
            })
        {
            self.tree.volet(*volet, line);
        }
        let row = merged.as_ref().map_or(row, |(row, _)| row);
        let Some(first) = row.cells.first() else {
            return;
        };
        let new_table = self
            .table
            .as_ref()
            .is_none_or(|(table, _)| *table != row.table);
        if !new_table && self.continues_action_row(row, line) {
            return;
        }
        self.action_row = None;
        if new_table {
            self.table = Some((row.table, Header::default()));
            self.last_volet_cell = None;
            self.last_os_cell = None;
            self.last_oo_cell = None;
        }
        // A legend row, in a table without a header: `vert | action réalisée`.
        if let [word, meaning] = row.cells.as_slice()
            && self
                .table
                .as_ref()
                .is_none_or(|(_, header)| header.columns.iter().all(Option::is_none))
            && self.legend_entry(&word.text, &meaning.text, line)
        {
            return;
        }
        // A label–value row: `Pilote | LM`, `Intitulé du projet | …`.
        if row.cells.len() <= 2
            && !self.table.as_ref().is_some_and(|(_, h)| h.hierarchical())
            && let Some(field) = self.cell_field(&first.text)
        {
            let value = row.cells.get(1).map_or("", |c| c.text.as_str());
            self.field_line(field, value, line);
            return;
        }
        if let Some(header) = self.header(row) {
            self.tree.mark(line);
            if !header.unnamed.is_empty() {
                self.tree.diagnose(
                    Severity::Info,
                    line,
                    format!(
                        "columns «{}» of this table name no field: not read",
                        truncate(&header.unnamed.join("», «"), 80)
                    ),
                );
            }
            if let Some((_, current)) = &mut self.table {
                *current = header.clone();
            }
            if !header.hierarchical() {
                self.rows.set_columns(&header.columns);
            }
            return;
        }
        let hierarchical = self
            .table
            .as_ref()
            .is_some_and(|(_, header)| header.hierarchical());
        if hierarchical {
            self.hierarchical_row(row, line);
            return;
        }
        if parse_label_with(self.lexicon, &first.text).is_some() {
            self.flush_record();
            self.section = Section::Plan;
            let legacy = rows::Row {
                cells: row
                    .cells
                    .iter()
                    .filter(|c| !c.spanned)
                    .map(|c| (c.column, c.text.clone()))
                    .collect(),
                tabbed: row.tabbed,
            };
            self.rows.read(&mut self.tree, &legacy, line);
            let rest_empty = self.label(&first.text).is_some_and(|l| l.rest.is_empty());
            self.remember_action_row(row, first.column, rest_empty);
            return;
        }
        if let Some(labelled) = self.structure(&first.text) {
            // A bare code: its title is the rest of the cell or the next cell.
            let rest_empty = labelled.rest.is_empty();
            let mut cells = row.cells.iter().skip(1).filter(|c| !c.spanned);
            let title = if labelled.rest.is_empty() {
                cells.next().map_or(String::new(), |c| c.text.clone())
            } else {
                labelled.rest.to_owned()
            };
            let extras: Vec<&Cell> = cells.collect();
            let level = self.enter(labelled.label, &title, line);
            self.extra_cells(level, &extras, line);
            self.remember_action_row(row, first.column, rest_empty);
            return;
        }
        self.header_table_action(row, line);
    }

    /// A row of a table whose header names a title column, with no label in its first
    /// cell: an action, whatever the order of its columns. Its code is the code column's
    /// (`Réf.`, `N°`, `#`, or a bare number in the first cell), its title the title
    /// column's, its other cells the fields their columns name.
    fn header_table_action(&mut self, row: &Row, line: u32) {
        let Some((_, header)) = &self.table else {
            return;
        };
        let header = header.clone();
        let column_of = |field: Field| header.columns.iter().position(|f| *f == Some(field));
        let Some(title_column) = column_of(Field::Title) else {
            // No title column, under an action just read (`Fiche n° 1`, its title, then a
            // table of its fields): the row's cells are that action's fields.
            if self.action_or_record_open() {
                let cells: Vec<&Cell> = row.cells.iter().filter(|c| !c.spanned).collect();
                self.extra_cells(3, &cells, line);
                self.tree.mark(line);
            }
            return;
        };
        let cells: Vec<&Cell> = row.cells.iter().filter(|c| !c.spanned).collect();
        let Some(title) = cells.iter().find(|c| c.column == title_column) else {
            return;
        };
        let is_code = |text: &str| {
            BARE_CODE
                .captures(text)
                .is_some_and(|c| c["rest"].trim().is_empty())
        };
        let code_cell = cells.iter().find(|c| {
            c.column != title_column
                && (Some(c.column) == column_of(Field::Code)
                    || (c.column == 0 && header.field(0).is_none()))
                && is_code(&c.text)
        });
        let code = code_cell.map(|c| {
            code_parts(c.text.trim())
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".")
        });
        // A list number in the title cell (`ii. Installer…`): the action's number.
        let (marker, title_text) = match crate::text::list_marker(&title.text) {
            Some((marker, end)) => (Some(marker), title.text[end..].trim()),
            None => (None, title.text.as_str()),
        };
        let code = code.filter(|c| !c.is_empty()).or(match marker {
            Some(Marker::Numbered(number, _)) => Some(number.to_string()),
            _ => None,
        });
        self.flush_record();
        self.section = Section::Plan;
        self.tree.action(code, title_text, line);
        self.after_entity = true;
        let extras: Vec<&Cell> = cells
            .iter()
            .filter(|c| c.column != title_column && Some(c.column) != code_cell.map(|c| c.column))
            .copied()
            .collect();
        self.extra_cells(3, &extras, line);
        self.action_row = Some((row.table, title_column));
    }

    /// A row with a "type" or "niveau" column: a cell (among the first three) that only
    /// names a level (`OS`, `OO`, `Action`, `Mesure`), the next cell holding the code.
    /// The two read as one label (`Action 1.1.1`, or the code alone when it has its own
    /// level word), first in the row; a volet named in a cell before them (`Externe`)
    /// comes back with it.
    fn level_column(&self, row: &Row) -> Option<(Row, Option<Volet>)> {
        // Three cells at least: `Objectif opérationnel | 1.1` is a fiche's field.
        if row.cells.len() < 3 {
            return None;
        }
        let (at, word) = row
            .cells
            .iter()
            .take(3)
            .enumerate()
            .find_map(|(at, cell)| {
                let word = cell.text.trim().trim_end_matches([':', '.']);
                let folded = fold_prefix(word, 40);
                let (_, end) = self.lexicon.level_word(&folded.text)?;
                (end >= folded.text.trim_end().len() && !cell.spanned).then_some((at, word))
            })?;
        let code = row.cells.get(at + 1)?;
        let text = if parse_label_with(self.lexicon, &code.text).is_some() {
            code.text.clone()
        } else if BARE_CODE
            .captures(&code.text)
            .is_some_and(|c| c["rest"].trim().is_empty())
        {
            format!("{word} {}", code.text.trim())
        } else {
            return None;
        };
        parse_label_with(self.lexicon, &text)?;
        let volet = row.cells[..at].iter().find_map(|cell| {
            let folded = fold_prefix(cell.text.trim(), 40);
            let (volet, end) = self.lexicon.volet_word(&folded.text)?;
            (end >= folded.text.trim_end().len()).then_some(volet)
        });
        let mut cells = vec![Cell {
            text,
            ..code.clone()
        }];
        cells.extend(row.cells[at + 2..].iter().cloned());
        Some((
            Row {
                cells,
                ..row.clone()
            },
            volet,
        ))
    }

    /// After a row that gave an action: where its title is.
    fn remember_action_row(&mut self, row: &Row, label_column: usize, rest_empty: bool) {
        if self.tree.last_level() != Some(Level::Action) {
            return;
        }
        let title_column = if rest_empty {
            row.cells
                .iter()
                .find(|c| c.column > label_column)
                .map_or(label_column + 1, |c| c.column)
        } else {
            label_column
        };
        self.action_row = Some((row.table, title_column));
    }

    /// A row with its first column empty, no label and no code, right after an action's
    /// row: the rest of that row's cells, wrapped (the title goes on, a pilot or an
    /// indicator goes on).
    fn continues_action_row(&mut self, row: &Row, line: u32) -> bool {
        let Some((table, title_column)) = self.action_row else {
            return false;
        };
        let first_column = row.cells.first().map_or(0, |c| c.column);
        if table != row.table
            || first_column == 0
            || row
                .cells
                .iter()
                .any(|c| self.structure(&c.text).is_some() || self.cell_field(&c.text).is_some())
        {
            return false;
        }
        let header = self
            .table
            .as_ref()
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        for cell in row.cells.iter().filter(|c| !c.spanned) {
            if cell.column == title_column {
                self.tree.continue_title(&cell.text, line);
                continue;
            }
            let field = header.field(cell.column);
            if let (Some(field), Some(action)) = (field, self.tree.last_action()) {
                continue_field(action, field, &cell.text);
            }
        }
        self.tree.mark(line);
        true
    }

    /// A header row: two or more cells name fields, at least half of them, no label.
    fn header(&self, row: &Row) -> Option<Header> {
        let known = row
            .cells
            .iter()
            .filter(|c| self.header_cell(&c.text).is_some())
            .count();
        if known < 2 || known * 2 < row.cells.len() {
            return None;
        }
        // Data, not names: a label, a code, a date or a percentage in a cell.
        let data = |text: &str| {
            parse_label_with(self.lexicon, text).is_some()
                || BARE_CODE
                    .captures(text)
                    .is_some_and(|c| c["rest"].trim().is_empty())
                || looks_like_date(text)
                || percent(text).is_some()
        };
        if row.cells.iter().any(|c| data(&c.text)) {
            return None;
        }
        let width = row.cells.iter().map(|c| c.column + 1).max().unwrap_or(0);
        let mut columns = vec![None; width];
        let mut unnamed = Vec::new();
        for cell in &row.cells {
            columns[cell.column] = self.header_cell(&cell.text);
            if columns[cell.column].is_none() {
                unnamed.push(cell.text.clone());
            }
        }
        Some(Header { columns, unnamed })
    }

    /// A header cell names a field: short, a label at its start, or (three words at
    /// most) a long label inside ("Nom du pilote").
    fn header_cell(&self, text: &str) -> Option<Field> {
        let words = text.split_whitespace().count();
        if text.chars().count() > 60 || words > 6 {
            return None;
        }
        let folded = fold_prefix(text, 60);
        if let Some((field, _)) = self.lexicon.field_label(&folded.text) {
            return Some(field);
        }
        // A column named by the action level's word (`Projets`, `Mesures`, `Actions`)
        // holds the actions' titles.
        let whole = folded.text.trim_end();
        if let Some((crate::lexicon::LevelWord::Action, end)) = self.lexicon.level_word(whole)
            && end >= whole.len()
            && words == 1
        {
            return Some(Field::Title);
        }
        (words <= 3)
            .then(|| self.lexicon.header_field(&folded.text))
            .flatten()
    }

    /// A cell that is only a field label (optionally with a colon).
    fn cell_field(&self, text: &str) -> Option<Field> {
        let text = text.trim().trim_end_matches([':', '?']).trim_end();
        if text.chars().count() > 50 {
            return None;
        }
        let folded = fold_prefix(text, 50);
        let (field, end) = self.lexicon.field_label(&folded.text)?;
        (end >= folded.text.trim_end().len()).then_some(field)
    }

    /// A label alone on its line: a field label, or a label and a few words more
    /// (`Objectif opérationnel de rattachement`, `Agent pilote`).
    fn label_alone(&self, text: &str) -> Option<Field> {
        if let Some(field) = self.cell_field(text) {
            return Some(field);
        }
        let text = text.trim().trim_end_matches([':', '?']).trim_end();
        // A label starts with a capital; `familles bénéficiaires` in lower case wraps a
        // title.
        if text.chars().count() > 50 || !text.starts_with(char::is_uppercase) {
            return None;
        }
        let folded = fold_prefix(text, 50);
        let whole = folded.text.trim_end();
        let few_words = |rest: &str, extra: &str| {
            rest.split_whitespace().count() <= 2
                && rest.chars().all(|c| c.is_alphabetic() || extra.contains(c))
        };
        match self.lexicon.field_label(whole) {
            Some((field, end))
                if whole[end..].starts_with(' ') && few_words(&whole[end..], " '’-") =>
            {
                Some(field)
            }
            _ => few_words(whole, " '’()-")
                .then(|| self.lexicon.header_field(whole))
                .flatten(),
        }
    }

    /// A row of a table whose columns give the OS, the OO and the action.
    fn hierarchical_row(&mut self, row: &Row, line: u32) {
        let header = self
            .table
            .as_ref()
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        // The cells of a column kind, joined (`Code OS` and `Objectif stratégique`).
        let joined: Vec<(Field, Cell)> = [
            Field::Volet,
            Field::Strategic,
            Field::Operational,
            Field::Title,
            Field::Code,
        ]
        .into_iter()
        .filter_map(|field| {
            let cells: Vec<&Cell> = row
                .cells
                .iter()
                .filter(|c| header.field(c.column) == Some(field))
                .collect();
            let first = cells.first()?;
            Some((
                field,
                Cell {
                    column: first.column,
                    text: cells
                        .iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    strong: first.strong,
                    spanned: cells.iter().all(|c| c.spanned),
                },
            ))
        })
        .collect();
        let cell_of = |field: Field| joined.iter().find(|(f, _)| *f == field).map(|(_, c)| c);
        self.flush_record();
        self.section = Section::Plan;
        if let Some(volet) = cell_of(Field::Volet)
            && self.last_volet_cell.as_deref() != Some(volet.text.as_str())
            && let Some(Label::Volet(v)) =
                parse_label_with(self.lexicon, &format!("volet {}", volet.text)).map(|l| l.label)
        {
            self.last_volet_cell = Some(volet.text.clone());
            self.last_os_cell = None;
            self.tree.volet(v, line);
        }
        let mut entered = false;
        if let Some(os) = cell_of(Field::Strategic)
            && self.last_os_cell.as_deref() != Some(os.text.as_str())
        {
            self.last_os_cell = Some(os.text.clone());
            self.last_oo_cell = None;
            let (parts, title) = self.objective_value(&os.text, 1);
            let number = parts.first().copied().unwrap_or(self.os_sequence + 1);
            self.tree.strategic(number, &title, line);
            self.os_sequence = number;
            self.oo_sequence = 0;
            entered = true;
        }
        if let Some(oo) = cell_of(Field::Operational)
            && self.last_oo_cell.as_deref() != Some(oo.text.as_str())
        {
            self.last_oo_cell = Some(oo.text.clone());
            let (parts, title) = self.objective_value(&oo.text, 2);
            match parts.as_slice() {
                [os, own] => self.tree.operational(Some(*os), *own, &title, line),
                [own] => self.tree.operational(None, *own, &title, line),
                _ => self
                    .tree
                    .operational(None, self.oo_sequence + 1, &title, line),
            }
            self.oo_sequence = parts.last().copied().unwrap_or(self.oo_sequence + 1);
            entered = true;
        }
        let title_cell = cell_of(Field::Title);
        let code_cell = cell_of(Field::Code);
        let Some(title_cell) = title_cell.filter(|c| !c.spanned) else {
            if !entered {
                self.tree.diagnose(
                    Severity::Info,
                    line,
                    format!(
                        "table row «{}» has no action title: not read",
                        truncate(&row.text(), 60)
                    ),
                );
            }
            return;
        };
        let (code, title) = match self.structure(&title_cell.text) {
            Some(Labelled {
                label: Label::Action(code),
                rest,
            }) => (Some(code), rest.to_owned()),
            _ => (None, title_cell.text.clone()),
        };
        let code = code.or_else(|| {
            code_cell.and_then(|c| {
                let digits = c
                    .text
                    .trim_start_matches(|ch: char| !ch.is_ascii_digit())
                    .trim_end_matches('.');
                // `1-1-1` and `1.1.1` alike.
                (!digits.is_empty()
                    && digits
                        .chars()
                        .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-'))
                .then(|| digits.replace('-', "."))
            })
        });
        self.start = None;
        self.tree.action(code, &title, line);
        let extras: Vec<&Cell> = row
            .cells
            .iter()
            .filter(|c| {
                !c.spanned
                    && !matches!(
                        header.field(c.column),
                        Some(
                            Field::Strategic
                                | Field::Operational
                                | Field::Title
                                | Field::Code
                                | Field::Volet
                        )
                    )
            })
            .collect();
        self.extra_cells(3, &extras, line);
    }

    /// Cells after a title: fields by their column's header, else by their content.
    fn extra_cells(&mut self, level: usize, cells: &[&Cell], line: u32) {
        let header = self
            .table
            .as_ref()
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        for cell in cells {
            // A column whose header names no field was said once, with the header.
            if cell.column < header.columns.len() && header.field(cell.column).is_none() {
                continue;
            }
            let field = header
                .field(cell.column)
                .or_else(|| content_field(&cell.text));
            match (level, field) {
                (3, Some(field)) => self.apply(field, &cell.text, line),
                _ => self.tree.diagnose(
                    Severity::Warning,
                    line,
                    format!(
                        "cell «{}» of a row not recognised: not kept",
                        truncate(&cell.text, 60)
                    ),
                ),
            }
        }
    }

    fn finish(mut self) -> Body {
        self.flush_record();
        let mut body = Body {
            values: self.values,
            ..self.tree.finish()
        };
        // Statuses written in the document's own code (`orange`), with its legend.
        if !self.legend.is_empty() {
            for action in body
                .strategic_objectives
                .iter_mut()
                .flat_map(|os| &mut os.operational_objectives)
                .flat_map(|oo| &mut oo.actions)
                .filter(|action| action.status.is_none())
            {
                let Some(raw) = &action.status_raw else {
                    continue;
                };
                let key = fold_prefix(raw.trim(), 40).text.trim().to_owned();
                if let Some((_, status)) = self.legend.iter().find(|(word, _)| *word == key) {
                    action.status = Some(*status);
                }
            }
        }
        body
    }

    /// A legend line or row: a short word and the status it stands for (`vert | action
    /// réalisée`, `Orange = en cours`).
    fn legend_entry(&mut self, word: &str, meaning: &str, line: u32) -> bool {
        let word = word.trim().trim_end_matches([':', '=']).trim();
        if word.is_empty()
            || word.chars().count() > 15
            || word.split_whitespace().count() > 2
            || meaning.split_whitespace().count() > 8
            || Status::from_word(word).is_some()
            || self.structure(word).is_some()
            || self.field(word).is_some()
            || self.cell_field(word).is_some()
        {
            return false;
        }
        let Some(status) = status_in(meaning) else {
            return false;
        };
        self.legend
            .push((fold_prefix(word, 40).text.trim().to_owned(), status));
        self.tree.mark(line);
        true
    }
}

fn style(depth: usize, marker: Marker) -> Style {
    Style {
        depth,
        kind: match marker {
            Marker::Bullet => StyleKind::Bullet,
            Marker::Numbered(_, style) => StyleKind::Number(style),
        },
    }
}

/// Without a header: a percentage or a status word says what the cell is.
fn content_field(text: &str) -> Option<Field> {
    if rows::parse_percent(text).is_some() {
        Some(Field::Progress)
    } else if Status::from_word(text).is_some() {
        Some(Field::Status)
    } else if looks_like_date(text) {
        Some(Field::Deadline)
    } else {
        None
    }
}

/// The status a phrase names somewhere in it (`action en cours, dans les délais` → in
/// progress): the longest run of words the status vocabulary knows.
fn status_in(text: &str) -> Option<Status> {
    if let Some(status) = Status::from_word(text) {
        return Some(status);
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    (1..=4.min(words.len())).rev().find_map(|n| {
        words
            .windows(n)
            .find_map(|window| Status::from_word(&window.join(" ")))
    })
}

/// A value without the full stop that ends its sentence (`Pilote : Service social.`);
/// an ellipsis or an abbreviation (`etc.`) keeps it.
fn without_full_stop(value: &str) -> &str {
    match value.strip_suffix('.') {
        Some(rest) if !rest.ends_with('.') && !rest.ends_with("etc") && !rest.is_empty() => {
            rest.trim_end()
        }
        _ => value,
    }
}

/// A leading bracket of status, percentage or date (`[Réalisé | 100 %] Titre`): its
/// fields and the rest of the text.
fn bracket_fields(text: &str) -> Option<(Vec<(Field, String)>, &str)> {
    let caps = LEADING_BRACKET.captures(text)?;
    let pieces: Vec<&str> = caps["inner"]
        .split(['|', ',', ';', '/', '–', '—'])
        .map(str::trim)
        .filter(|p| !crate::text::is_blank_cell(p))
        .collect();
    let read: Vec<(Field, String)> = pieces
        .iter()
        .filter_map(|p| content_field(p).map(|f| (f, (*p).to_owned())))
        .collect();
    if read.is_empty() || read.len() < pieces.len() {
        return None;
    }
    Some((read, caps.name("rest").map_or("", |m| m.as_str())))
}

/// `2027`, `2025-2026`, `fin 2026`, `31/12/2026`, `06/2026`.
fn looks_like_date(text: &str) -> bool {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:fin|début|debut|pour|en|dès|des|courant)\s+)?(?:(?:\d{1,2}/)?\d{1,2}/)?20\d\d(?:\s*[-–/à]\s*(?:(?:\d{1,2}/)?\d{1,2}/)?(?:20)?\d\d)?$")
            .expect("valid regex")
    });
    DATE.is_match(text.trim().trim_end_matches(')'))
}

/// A percentage written as `75 %`, `75%`, `0,75` (a fraction of one) or `75`.
pub(crate) fn percent(value: &str) -> Option<u8> {
    if let Some(caps) = PERCENT_IN.captures(value) {
        let number: f64 = caps["value"].replace(',', ".").parse().ok()?;
        return (0.0..=100.0)
            .contains(&number)
            .then(|| number.round() as u8);
    }
    let trimmed = value.trim();
    if FRACTION.is_match(trimmed) && trimmed.contains(['.', ',']) {
        let number: f64 = trimmed.replace(',', ".").parse().ok()?;
        return Some((number * 100.0).round() as u8);
    }
    // Steps done out of steps planned: `3/4`.
    if let Some(caps) = STEPS.captures(trimmed) {
        let done: f64 = caps["done"].parse().ok()?;
        let planned: f64 = caps["planned"].parse().ok()?;
        return (planned > 0.0 && done <= planned).then(|| (100.0 * done / planned).round() as u8);
    }
    if NUMBER_ALONE.is_match(trimmed) {
        let number: f64 = trimmed.replace(',', ".").parse().ok()?;
        return (0.0..=100.0)
            .contains(&number)
            .then(|| number.round() as u8);
    }
    None
}

/// Appends wrapped text to the value a field already has (a list field's last item).
fn continue_field(action: &mut Action, field: Field, text: &str) {
    let text = &*crate::document::unbroken(text);
    let last = |list: &mut Vec<String>| match list.last_mut() {
        Some(item) => {
            item.push(' ');
            item.push_str(text);
        }
        None => list.push(text.to_owned()),
    };
    match field {
        Field::Indicators => last(&mut action.indicators),
        Field::Pilots => last(&mut action.pilots),
        Field::Partners => last(&mut action.partners),
        Field::Mandataries => last(&mut action.mandataries),
        Field::Deadline => append(&mut action.deadline_raw, text),
        Field::Service => append(&mut action.service, text),
        Field::Comments => append(&mut action.comments, text),
        Field::Description => append(&mut action.description, text),
        Field::Status => append(&mut action.status_raw, text),
        // The amount was read from the first line; the text goes on.
        Field::Budget => match &mut action.budget {
            Some(budget) => {
                budget.raw.push(' ');
                budget.raw.push_str(text);
            }
            None => set_field(action, Field::Budget, text, &mut None),
        },
        Field::Tasks => match action.tasks.last_mut() {
            Some(task) => {
                task.description.push(' ');
                task.description.push_str(text);
            }
            None => action.tasks.push(pst_model::Task {
                description: text.to_owned(),
                evaluation: None,
            }),
        },
        _ => {}
    }
}

/// A list field's values: one per `;`- or ` | `-separated part (pst's own lists).
fn list_values(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split([';', '|', crate::document::CELL_BREAK])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn append(field: &mut Option<String>, value: &str) {
    match field {
        Some(existing) => {
            existing.push(' ');
            existing.push_str(value);
        }
        None => *field = Some(value.to_owned()),
    }
}

/// Sets one field of `action` from its text.
pub(crate) fn set_field(
    action: &mut Action,
    field: Field,
    value: &str,
    start: &mut Option<String>,
) {
    let whole = crate::document::unbroken(value);
    let value = match field {
        Field::Indicators | Field::Pilots | Field::Partners | Field::Mandataries | Field::Tasks => {
            value
        }
        _ => whole.as_ref(),
    };
    match field {
        Field::Indicators => action.indicators.extend(list_values(value)),
        Field::Pilots => action.pilots.extend(list_values(value)),
        Field::Mandataries => action.mandataries.extend(
            value
                .split(crate::document::CELL_BREAK)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
        ),
        Field::Service => action.service = Some(value.to_owned()),
        Field::Deadline => action.deadline_raw = Some(value.to_owned()),
        Field::Start => {
            *start = Some(value.to_owned());
            if action.deadline_raw.is_none() {
                action.deadline_raw = Some(format!("{value}-"));
            }
        }
        Field::End => match start.take() {
            Some(from) => action.deadline_raw = Some(format!("{from} - {value}")),
            // A deadline already read (an `Échéance` beside a `Fin`) stays.
            None if action.deadline_raw.is_none() => action.deadline_raw = Some(value.to_owned()),
            None => {}
        },
        Field::Progress | Field::Status => {
            let progress = percent(value);
            if let Some(progress) = progress {
                action.progress = Some(progress);
            }
            let words = PERCENT_IN.replace_all(value, "");
            let words = words.trim().trim_matches(['(', ')', '-', '–', ',', ' ']);
            if progress.is_none() || (!words.is_empty() && Status::from_word(words).is_some()) {
                action.status_raw = Some(if progress.is_some() { words } else { value }.to_owned());
            }
        }
        Field::Partners => action
            .partners
            .extend(value.split(',').flat_map(list_values)),
        Field::Budget => {
            let amounts: Vec<f64> = AMOUNT
                .captures_iter(value)
                .filter_map(|c| {
                    c["value"]
                        .replace([' ', '.', '\u{a0}', '\u{202f}'], "")
                        .replace(',', ".")
                        .parse()
                        .ok()
                })
                .collect();
            action.budget = Some(Budget {
                amount_eur: (amounts.len() == 1).then(|| amounts[0]),
                raw: value.to_owned(),
            });
        }
        Field::Fte => {
            action.fte = Some(Fte {
                value: DECIMAL
                    .captures(value)
                    .and_then(|c| c["value"].replace(',', ".").parse().ok()),
                raw: value.to_owned(),
            })
        }
        Field::Priority => action.priority = Some(value.to_owned()),
        Field::Comments => append(&mut action.comments, value),
        Field::Description | Field::Title | Field::Public => append(&mut action.description, value),
        Field::Context => append(&mut action.context, value),
        Field::Deliverables => action.deliverables.extend(list_values(value)),
        Field::Risks => action.risks.extend(list_values(value)),
        Field::Team => action.team.extend(list_values(value)),
        Field::Tasks => {
            action
                .tasks
                .extend(list_values(value).map(|description| pst_model::Task {
                    description,
                    evaluation: None,
                }))
        }
        Field::Code | Field::Volet | Field::Strategic | Field::Operational => {
            append(&mut action.comments, value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_in_every_spelling() {
        assert_eq!(percent("40 %"), Some(40));
        assert_eq!(percent("Réalisé à 75%"), Some(75));
        assert_eq!(percent("0,5"), Some(50));
        assert_eq!(percent("60"), Some(60));
        assert_eq!(percent("En cours"), None);
        assert_eq!(percent("3/4"), Some(75));
        assert_eq!(percent("5/4"), None);
    }

    #[test]
    fn dates_alone() {
        assert!(looks_like_date("2027"));
        assert!(looks_like_date("2025-2026"));
        assert!(looks_like_date("fin 2026"));
        assert!(looks_like_date("31/12/2026"));
        assert!(!looks_like_date("Service social"));
    }
}
