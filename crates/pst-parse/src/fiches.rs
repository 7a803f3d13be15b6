//! Fiche-action documents: one `FICHE ACTION - <SERVICE>` block per project, the plan's
//! hierarchy in a table of contents.
//!
//! The table of contents gives OS lines (`1.1. O.S.1 - title ..... 8`), OO lines
//! (`1.1.1.1. (O.O.1.1.) title`) and project lines (`• 1.1.1.1.1 title 10`); page numbers
//! and dot leaders are dropped. Each fiche starts at a `FICHE ACTION` line and reads its
//! fields by their labels (Libellé, Priorité, Début, Fin, Description de l'action /
//! Evaluation Finale, Contexte, Département/Service, Risque(s), Intervenants, Livrables
//! attendus, Ressources, Commentaire(s), Taux d'avancement), whichever way the document
//! lays them out: one per line with the value below, a label and its value in cells of a
//! tab-separated row, a header row of labels with the values in the row below by
//! column, or an HTML `<table>` fragment inside a cell.
//!
//! A fiche joins the project of the contents with its code; a fiche whose code extends an
//! OO's contents number (`2.1.1.1` under `2.1.1.1 (O.O.5.1)`, or `1.1.1.1.6` beside
//! `1.1.1.1.1`) joins that OO. A fiche that matches nothing is kept under a placeholder,
//! with a warning.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pst_model::{
    Action, Budget, Diagnostic, Fte, OperationalObjective, Provenance, Severity,
    StrategicObjective, Task,
};
use regex::Regex;
use scraper::{Html, Selector};

use crate::Body;
use crate::lines::numbered_lines;
use crate::markup::{plain_text, strip_markup};
use crate::numbering::{Label, parse_label};
use crate::rows::parse_percent;
use crate::tree::{TreeBuilder, truncate};

static FICHE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*fiche[\s-]+(?:action|projet)\b\s*(?:[-–—:]\s*(?P<service>.+?))?\s*$")
        .expect("valid regex")
});

/// A section number before a label: `1.1.`, `1.1.1.1.`.
static SECTION_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+").expect("valid regex"));

/// A contents line for a project: `• 1.1.1.1.1 title ..... 10`.
static PROJECT_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[•▪●◦*-]\s*(?P<code>\d{1,2}(?:\.\d{1,2}){2,5})\.?\s+(?P<title>.+)$")
        .expect("valid regex")
});

/// A page number (or range) at the end of a contents line, with its leader.
static PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\s*(?:\.{2,}|…)\s*\d{0,3}(?:-\d{1,3})?|\t+\s*\d{1,3}(?:-\d{1,3})?|\t+)\s*$")
        .expect("valid regex")
});

/// `1.1.1.1.1 → title`, `2.1.2.3.1. title`.
static CODED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<code>\d{1,2}(?:\.\d{1,2}){1,5})\.?\s*(?:→|->|[-–:])?\s*(?P<title>.*)$")
        .expect("valid regex")
});

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<value>\d{1,3}(?:[ .\u{a0}\u{202f}]\d{3})*(?:,\d{1,2})?|\d+(?:,\d{1,2})?)\s*(?:€|eur\b|euros?\b)")
        .expect("valid regex")
});

static DECIMAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?P<value>\d+(?:[.,]\d+)?)\b").expect("valid regex"));

/// What a fiche label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Title,
    Priority,
    Start,
    End,
    Policy,
    Tasks,
    Evaluation,
    Context,
    Service,
    Risks,
    Pilots,
    Team,
    Mandataries,
    Partners,
    Deliverables,
    Fte,
    Budget,
    Comments,
    Progress,
    /// A heading inside the fiche (Prévision, Intervenants, Ressources nécessaires).
    Heading,
}

/// Labels, folded; the longest that fits is taken. `inline`: the label may carry its
/// value on the same line ("Chef de projet Service Juridique").
const LABELS: &[(&str, Field, bool)] = &[
    ("libelle", Field::Title, true),
    ("intitule", Field::Title, true),
    ("prevision", Field::Heading, false),
    ("priorite", Field::Priority, true),
    ("debut", Field::Start, true),
    ("date de debut", Field::Start, true),
    ("fin", Field::End, true),
    ("date de fin", Field::End, true),
    ("echeance", Field::End, true),
    ("objectif strategique (d.p.s)", Field::Policy, false),
    ("objectif operationnel (d.p.s)", Field::Policy, false),
    ("objectif strategique (dps)", Field::Policy, false),
    ("objectif operationnel (dps)", Field::Policy, false),
    ("description de l'action", Field::Tasks, false),
    ("description/plan de travail", Field::Tasks, false),
    ("taches", Field::Tasks, false),
    ("evaluation finale", Field::Evaluation, false),
    ("evaluation", Field::Evaluation, false),
    ("contexte", Field::Context, false),
    ("departement/service", Field::Service, true),
    ("departement", Field::Service, true),
    ("service", Field::Service, true),
    ("risque(s)", Field::Risks, false),
    ("risques", Field::Risks, false),
    ("intervenants", Field::Heading, false),
    ("chef de projet", Field::Pilots, true),
    ("chef(s) de projet", Field::Pilots, true),
    ("pilote", Field::Pilots, true),
    ("equipe projet", Field::Team, true),
    ("agent traitant / equipe", Field::Team, true),
    ("mandataire", Field::Mandataries, true),
    ("mandataire(s)", Field::Mandataries, true),
    ("partenaire(s)", Field::Partners, true),
    ("partenaires", Field::Partners, true),
    ("partenaire", Field::Partners, true),
    ("livrables attendus", Field::Deliverables, false),
    ("livrables", Field::Deliverables, false),
    ("ressources necessaires", Field::Heading, false),
    ("humaines (etp)", Field::Fte, true),
    ("humaines", Field::Fte, true),
    ("budgetaires (€)", Field::Budget, true),
    ("budgetaires", Field::Budget, true),
    ("budget", Field::Budget, true),
    ("commentaire(s)", Field::Comments, false),
    ("commentaires", Field::Comments, false),
    ("commentaire", Field::Comments, false),
    ("taux d'avancement", Field::Progress, true),
    ("avancement", Field::Progress, true),
];

/// A label at the start of `text`: its field and the value after it on the same line.
fn label(text: &str) -> Option<(Field, String)> {
    let folded = pst_model::fold(text.trim());
    let folded = folded.trim_end_matches([':', ' ']);
    let mut best: Option<(usize, Field, bool)> = None;
    for &(name, field, inline) in LABELS {
        let fits = folded == name
            || (inline && folded.starts_with(name) && folded[name.len()..].starts_with([' ', ':']));
        if fits && best.is_none_or(|(len, ..)| name.len() > len) {
            best = Some((name.len(), field, inline));
        }
    }
    let (len, field, _) = best?;
    // The same number of characters in the original text (folding keeps characters).
    let rest: String = text
        .trim()
        .chars()
        .skip(folded[..len].chars().count())
        .collect();
    let rest = rest.trim_start_matches([':', ' ', '\t']).trim();
    // A date label's inline value must look like a date ("Fin 2024", not "Fin de …").
    if matches!(field, Field::Start | Field::End)
        && !rest.is_empty()
        && !rest.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    Some((field, rest.to_owned()))
}

/// One fiche as read.
#[derive(Debug, Default)]
struct Fiche {
    line: u32,
    header_service: Option<String>,
    code: Option<String>,
    action: Action,
    /// The field values go to when a line has no label.
    current: Option<Field>,
    /// Column index → field, from the last header row.
    columns: HashMap<usize, Field>,
    /// The description and evaluation labels came one per line: tasks are not paired.
    unpaired_tasks: bool,
    /// Lines under those labels, in order: paired when the fiche ends.
    loose_task_lines: Vec<String>,
    /// The completion rate, the fiche's last field, was read: later text is not the fiche's.
    closed: bool,
    start: Option<String>,
    end: Option<String>,
    /// Budget and FTE texts, in order, read into numbers when the fiche ends.
    budget_parts: Vec<String>,
    fte_parts: Vec<String>,
    /// Texts already read into a field: a layout that gives a value twice (inline and in
    /// a table) adds it once. A set, so that a field of n lines costs O(n), not O(n²).
    seen: HashSet<(Field, String)>,
}

impl Fiche {
    fn push(&mut self, field: Field, value: &str, diagnostics: &mut Vec<(u32, String)>, line: u32) {
        let text = plain_text(value);
        if text.is_empty() {
            return;
        }
        // Tasks and evaluations repeat legitimately ("Ok", "Ok"); list fields are deduped
        // item by item below; other values are read once.
        let repeatable = matches!(
            field,
            Field::Tasks
                | Field::Evaluation
                | Field::Title
                | Field::Risks
                | Field::Pilots
                | Field::Team
                | Field::Mandataries
                | Field::Partners
                | Field::Deliverables
        );
        if !repeatable && !self.seen.insert((field, text.clone())) {
            return;
        }
        let action = &mut self.action;
        match field {
            Field::Title => {
                if self.code.is_none()
                    && let Some(caps) = CODED_TITLE.captures(&text)
                {
                    self.code = Some(caps["code"].to_owned());
                    action.title = caps["title"].trim().to_owned();
                } else if action.title.is_empty() {
                    action.title = text;
                } else {
                    append(&mut action.description, &text);
                }
            }
            Field::Priority => set_or_append(&mut action.priority, &text),
            Field::Start => set_or_append(&mut self.start, &text),
            Field::End => set_or_append(&mut self.end, &text),
            Field::Policy => action.policy_objectives.push(text),
            Field::Tasks if self.unpaired_tasks => self.loose_task_lines.push(text),
            Field::Tasks => action.tasks.push(Task {
                description: text,
                evaluation: None,
            }),
            Field::Evaluation => match action.tasks.iter_mut().find(|t| t.evaluation.is_none()) {
                Some(task) => task.evaluation = Some(text),
                None => action.tasks.push(Task {
                    description: String::new(),
                    evaluation: Some(text),
                }),
            },
            Field::Context => append(&mut action.context, &text),
            Field::Service => set_or_append(&mut action.department, &text),
            Field::Risks => extend_new(&mut action.risks, items(value), &mut self.seen, field),
            Field::Pilots => extend_new(&mut action.pilots, items(value), &mut self.seen, field),
            Field::Team => extend_new(&mut action.team, items(value), &mut self.seen, field),
            Field::Mandataries => {
                extend_new(&mut action.mandataries, items(value), &mut self.seen, field)
            }
            Field::Partners => {
                extend_new(&mut action.partners, items(value), &mut self.seen, field)
            }
            Field::Deliverables => extend_new(
                &mut action.deliverables,
                items(value),
                &mut self.seen,
                field,
            ),
            Field::Fte => self.fte_parts.push(text),
            Field::Budget => self.budget_parts.push(text),
            Field::Comments => append(&mut action.comments, &text),
            Field::Progress => match parse_percent(&text) {
                Some(progress) if action.progress.is_none() => {
                    action.progress = Some(progress);
                    // The last field of a fiche: what follows, up to the next fiche, is
                    // not part of it (cover pages of the next objective, figures).
                    self.current = None;
                    self.closed = true;
                }
                Some(progress) if action.progress == Some(progress) => {}
                _ => diagnostics.push((
                    line,
                    format!(
                        "taux d'avancement «{}» not read as a percentage: not kept",
                        truncate(&text, 40)
                    ),
                )),
            },
            Field::Heading => diagnostics.push((
                line,
                format!(
                    "text «{}» under a fiche heading with no field: not kept",
                    truncate(&text, 60)
                ),
            )),
        }
    }

    /// A line without tabs.
    fn line(&mut self, text: &str, line: u32, diagnostics: &mut Vec<(u32, String)>) {
        if self.takes_coded_title(text) {
            self.push(Field::Title, text, diagnostics, line);
            return;
        }
        if let Some((field, rest)) = label(text) {
            self.set_current(field);
            if !rest.is_empty() {
                self.push(field, &rest, diagnostics, line);
            }
            return;
        }
        match self.current {
            Some(field) => self.push(field, text, diagnostics, line),
            None if self.closed => {}
            None => diagnostics.push((
                line,
                format!(
                    "text «{}» before any fiche label: not kept",
                    truncate(text.trim(), 60)
                ),
            )),
        }
    }

    /// A fiche without a code yet meets `1.2.1.2.1 → title` (however the cells fall).
    fn takes_coded_title(&self, text: &str) -> bool {
        self.code.is_none()
            && CODED_TITLE
                .captures(strip_markup(text).trim())
                .is_some_and(|caps| caps["code"].split('.').count() >= 3)
    }

    fn set_current(&mut self, field: Field) {
        if field == Field::Evaluation
            && self.current == Some(Field::Tasks)
            && self.action.tasks.is_empty()
        {
            // "Description de l'action" then "Evaluation Finale", one per line: the
            // lines below mix both, in no columns.
            self.unpaired_tasks = true;
            return;
        }
        self.current = Some(field);
    }

    /// A tab-separated row, or a row of an HTML table. `cells` keep their markup.
    fn row(&mut self, cells: &[(usize, String)], line: u32, diagnostics: &mut Vec<(u32, String)>) {
        let mut plain: Vec<(usize, &str)> = Vec::new();
        for (index, cell) in cells {
            if cell.contains("<table") || cell.contains("<tr") {
                for row in html_rows(cell) {
                    let cells: Vec<(usize, String)> = row.into_iter().enumerate().collect();
                    self.row(&cells, line, diagnostics);
                }
            } else if !strip_markup(cell).trim().is_empty() {
                plain.push((*index, cell.as_str()));
            }
        }
        if plain.is_empty() {
            return;
        }
        // Each cell's label, and whether the label carries its value inline.
        let labels: Vec<Option<(Field, bool)>> = plain
            .iter()
            .map(|(_, cell)| {
                label(&strip_markup(cell)).map(|(field, rest)| (field, !rest.is_empty()))
            })
            .collect();
        // A header row: every cell a bare label. Values come in the rows below, by column.
        if labels.iter().all(|l| matches!(l, Some((_, false)))) {
            self.columns = plain
                .iter()
                .zip(&labels)
                .filter_map(|((index, _), l)| l.map(|(field, _)| (*index, field)))
                .collect();
            if let Some(Some((field, _))) = labels.first() {
                self.set_current(*field);
            }
            if self.columns.values().any(|f| *f == Field::Tasks)
                && self.columns.values().any(|f| *f == Field::Evaluation)
            {
                self.unpaired_tasks = false;
                self.current = Some(Field::Tasks);
            }
            return;
        }
        // A task row: description and evaluation side by side.
        // Description and evaluation side by side, under labels that came one per line.
        if self.unpaired_tasks
            && self.current == Some(Field::Tasks)
            && plain.len() == 2
            && labels.iter().all(Option::is_none)
        {
            self.action.tasks.push(Task {
                description: plain_text(plain[0].1),
                evaluation: Some(plain_text(plain[1].1)),
            });
            return;
        }
        let mut task: Option<Task> = None;
        let mut i = 0;
        while i < plain.len() {
            let (index, cell) = plain[i];
            let text = strip_markup(cell);
            if self.takes_coded_title(&text) {
                self.push(Field::Title, cell, diagnostics, line);
            } else if let Some((field, rest)) = label(&text) {
                if !rest.is_empty() {
                    self.push(field, &rest, diagnostics, line);
                } else if let Some((_, next)) = plain.get(i + 1).filter(|_| labels[i + 1].is_none())
                {
                    self.push(field, next, diagnostics, line);
                    i += 1;
                } else {
                    self.set_current(field);
                }
            } else {
                let column = self.columns.get(&index).copied();
                match column.or(self.current) {
                    Some(Field::Tasks) if column == Some(Field::Tasks) => {
                        task.get_or_insert_with(Task::default).description = plain_text(cell);
                    }
                    Some(Field::Evaluation) if column == Some(Field::Evaluation) => {
                        task.get_or_insert_with(Task::default).evaluation = Some(plain_text(cell));
                    }
                    Some(field) => self.push(field, cell, diagnostics, line),
                    None => diagnostics.push((
                        line,
                        format!(
                            "cell «{}» of a fiche not under any label: not kept",
                            truncate(&text, 60)
                        ),
                    )),
                }
            }
            i += 1;
        }
        if let Some(task) = task {
            self.action.tasks.push(task);
        }
    }
}

/// Adds the items not seen yet in this field.
fn extend_new(
    list: &mut Vec<String>,
    items: Vec<String>,
    seen: &mut HashSet<(Field, String)>,
    field: Field,
) {
    for item in items {
        if seen.insert((field, item.clone())) {
            list.push(item);
        }
    }
}

/// The FTE and budget of a fiche, read from their texts once the fiche is complete.
fn read_amounts(fiche: &mut Fiche) {
    if !fiche.fte_parts.is_empty() {
        let raw = fiche.fte_parts.join(" ");
        let value = DECIMAL
            .captures(&raw)
            .and_then(|c| c["value"].replace(',', ".").parse().ok());
        fiche.action.fte = Some(Fte { value, raw });
    }
    if !fiche.budget_parts.is_empty() {
        let raw = fiche.budget_parts.join(" ");
        let amounts: Vec<f64> = AMOUNT
            .captures_iter(&raw)
            .filter_map(|c| {
                c["value"]
                    .replace([' ', '.', '\u{a0}', '\u{202f}'], "")
                    .replace(',', ".")
                    .parse()
                    .ok()
            })
            .collect();
        let amount_eur = match amounts.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        fiche.action.budget = Some(Budget { amount_eur, raw });
    }
}

/// Fields up to this long are searched for a text before it is appended.
const SHORT_FIELD: usize = 1024;

/// Appends `text` to a field unless a short field already holds it ("Juridique" after
/// "Juridique/informatique"); exact repeats were dropped by the fiche's `seen` set. The
/// search is bounded, so a field of n lines costs O(n).
fn append(field: &mut Option<String>, text: &str) {
    match field {
        Some(existing) if existing.len() <= SHORT_FIELD && existing.contains(text) => {}
        Some(existing) => {
            existing.push(' ');
            existing.push_str(text);
        }
        None => *field = Some(text.to_owned()),
    }
}

fn set_or_append(field: &mut Option<String>, text: &str) {
    append(field, text);
}

/// The items of a list cell: `<li>` elements, `•` bullets, `- ` items, or the whole text.
fn items(value: &str) -> Vec<String> {
    let texts: Vec<String> = if value.contains("<li") {
        let fragment = Html::parse_fragment(&crate::nesting::bound_depth(value));
        let selector = Selector::parse("li").expect("valid selector");
        fragment
            .select(&selector)
            .map(|li| li.text().collect::<String>())
            .collect()
    } else {
        let text = strip_markup(value);
        text.split(['•', '●', '▪'])
            .flat_map(|part| {
                let part = part.trim();
                if part.starts_with("- ") {
                    part.split(" - ").map(str::to_owned).collect::<Vec<_>>()
                } else {
                    vec![part.to_owned()]
                }
            })
            .collect()
    };
    texts
        .into_iter()
        .map(|t| {
            t.trim()
                .trim_start_matches(['-', '–', '•'])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// The rows of an HTML table fragment, cells with their markup.
fn html_rows(fragment: &str) -> Vec<Vec<String>> {
    let html = Html::parse_fragment(&crate::nesting::bound_depth(fragment));
    let rows = Selector::parse("tr").expect("valid selector");
    let cells = Selector::parse("td, th").expect("valid selector");
    html.select(&rows)
        .map(|row| row.select(&cells).map(|cell| cell.inner_html()).collect())
        .collect()
}

/// True when the document holds at least one fiche and the contents or fiche codes give
/// a plan.
pub(crate) fn read(source: &str, text: &str) -> Option<Body> {
    if !numbered_lines(text).any(|(_, line)| FICHE_START.is_match(line)) {
        return None;
    }
    let body = parse(source, text);
    body.holds_plan().then_some(body)
}

pub(crate) fn parse(source: &str, text: &str) -> Body {
    let mut tree = TreeBuilder::new(source);
    // OO contents number ("1.1.1.1") → (OS index, OO index), filled as the contents are read.
    let mut oo_numbers: Vec<(String, String)> = Vec::new();
    let mut fiches: Vec<Fiche> = Vec::new();
    let mut notes: Vec<(u32, String)> = Vec::new();
    // Lines read into a fiche's fields (its labels too): not residue.
    let mut fiche_lines: Vec<u32> = Vec::new();
    for (number, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(caps) = FICHE_START.captures(line) {
            fiche_lines.push(number);
            fiches.push(Fiche {
                line: number,
                header_service: caps.name("service").map(|s| s.as_str().trim().to_owned()),
                ..Fiche::default()
            });
            continue;
        }
        if let Some(fiche) = fiches.last_mut() {
            let (notes_before, closed_before) = (notes.len(), fiche.closed);
            if line.contains('\t') {
                let cells: Vec<(usize, String)> =
                    line.split('\t').map(str::to_owned).enumerate().collect();
                fiche.row(&cells, number, &mut notes);
            } else if line.contains("<table") || line.contains("<tr") {
                fiche.row(&[(0, line.to_owned())], number, &mut notes);
            } else {
                fiche.line(line, number, &mut notes);
            }
            let ignored = closed_before && fiche.closed && fiche.current.is_none();
            if notes.len() == notes_before && !ignored {
                fiche_lines.push(number);
            }
            continue;
        }
        read_contents_line(&mut tree, &mut oo_numbers, line, number);
    }
    let mut body = tree.finish();
    body.used_lines.extend(fiche_lines);
    for (line, message) in notes {
        body.diagnostics
            .push(Diagnostic::new(Severity::Info, source, Some(line), message));
    }
    attach_fiches(&mut body, source, &oo_numbers, fiches);
    body.with_metadata(numbered_lines(text))
}

/// An OS, OO or project line of the table of contents; anything else is prose.
fn read_contents_line(
    tree: &mut TreeBuilder<'_>,
    oo_numbers: &mut Vec<(String, String)>,
    line: &str,
    number: u32,
) {
    let text = strip_markup(line);
    let text = PAGE.replace(text.trim_end(), "");
    let text = text.trim().trim_end_matches(['.', ' ']);
    if let Some(caps) = PROJECT_ENTRY.captures(text) {
        tree.action(Some(caps["code"].to_owned()), caps["title"].trim(), number);
        return;
    }
    let (section, rest) = match SECTION_NUMBER.captures(text) {
        Some(caps) => {
            let end = caps.get(0).map_or(0, |m| m.end());
            (Some(caps["number"].to_owned()), &text[end..])
        }
        None => (None, text),
    };
    let Some(labelled) = parse_label(rest) else {
        return;
    };
    match labelled.label {
        Label::Strategic(n) => tree.strategic(n, labelled.rest, number),
        Label::Operational(os, own) => {
            tree.operational(os, own, labelled.rest, number);
            if let Some(section) = section {
                let code = format!("OO{}.{own}", os.unwrap_or_default());
                oo_numbers.push((section, code));
            }
        }
        Label::Volet(volet) => tree.volet(volet, number),
        Label::Action(code) => {
            tree.action(Some(code), labelled.rest, number);
        }
    }
}

/// Joins each fiche to its project, or to the OO its code extends, or to a placeholder.
fn attach_fiches(
    body: &mut Body,
    source: &str,
    oo_numbers: &[(String, String)],
    fiches: Vec<Fiche>,
) {
    let mut placeholder: Option<usize> = None;
    for mut fiche in fiches {
        let provenance = Provenance {
            source: source.to_owned(),
            line: fiche.line,
            page: None,
            sheet: None,
        };
        // The service is the one the fiche is headed with ("FICHE ACTION - JURIDIQUE"),
        // else its Département/Service field.
        fiche.action.service = fiche
            .header_service
            .clone()
            .or_else(|| fiche.action.department.clone());
        read_amounts(&mut fiche);
        let loose = std::mem::take(&mut fiche.loose_task_lines);
        fiche.action.deadline_raw = match (&fiche.start, &fiche.end) {
            (Some(start), Some(end)) => Some(format!("{start} - {end}")),
            (Some(start), None) => Some(format!("{start} -")),
            (None, Some(end)) => Some(end.clone()),
            (None, None) => None,
        };
        if !loose.is_empty() {
            let described = pair_loose_lines(&mut fiche.action, loose);
            let message = if described {
                "fiche: tasks and their evaluations come one per line, not in columns: read as pairs in order, the first line (odd one out) as the action's description"
            } else {
                "fiche: tasks and their evaluations come one per line, not in columns: read as pairs in order"
            };
            body.diagnostics.push(Diagnostic::new(
                Severity::Info,
                source,
                Some(fiche.line),
                message,
            ));
        }
        let Some(code) = fiche.code.clone() else {
            body.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                source,
                Some(fiche.line),
                "fiche has no coded libellé (e.g. «1.1.1.1.1 → title»): kept under a placeholder objective",
            ));
            push_orphan(
                body,
                &mut placeholder,
                fiche.action,
                String::new(),
                provenance,
            );
            continue;
        };
        // 1. The project of the contents with the same code.
        if let Some(action) = body
            .strategic_objectives
            .iter_mut()
            .flat_map(|os| &mut os.operational_objectives)
            .flat_map(|oo| &mut oo.actions)
            .find(|a| a.code == code)
        {
            merge_fiche(action, fiche.action, provenance);
            continue;
        }
        // 2. The OO whose contents number the code is, or extends by one part.
        let parent = code.rsplit_once('.').map(|(parent, _)| parent);
        let oo_code = oo_numbers
            .iter()
            .find(|(number, _)| *number == code || Some(number.as_str()) == parent)
            .map(|(_, oo)| oo.clone());
        let oo = oo_code.and_then(|oo_code| {
            body.strategic_objectives
                .iter_mut()
                .flat_map(|os| &mut os.operational_objectives)
                .find(|oo| oo.code == oo_code)
        });
        match oo {
            Some(oo) => {
                let mut action = fiche.action;
                action.code = code;
                action.provenance = vec![provenance];
                oo.actions.push(action);
            }
            None => {
                body.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    source,
                    Some(fiche.line),
                    format!("fiche {code} matches no project or objective of the table of contents: kept under a placeholder objective"),
                ));
                push_orphan(body, &mut placeholder, fiche.action, code, provenance);
            }
        }
    }
}

/// Lines that alternate task and evaluation; with an odd count, the first describes the
/// action. The pairs go before the tasks read from rows. Returns whether a description
/// line was taken.
fn pair_loose_lines(action: &mut Action, lines: Vec<String>) -> bool {
    let mut lines = lines.into_iter();
    let described = lines.len() % 2 == 1;
    if described && let Some(first) = lines.next() {
        append(&mut action.description, &first);
    }
    let mut pairs = Vec::new();
    while let Some(description) = lines.next() {
        pairs.push(Task {
            description,
            evaluation: lines.next(),
        });
    }
    pairs.append(&mut action.tasks);
    action.tasks = pairs;
    described
}

fn merge_fiche(action: &mut Action, fiche: Action, provenance: Provenance) {
    let title = fiche.title.clone();
    let code = action.code.clone();
    let toc_title = std::mem::take(&mut action.title);
    let toc_provenance = std::mem::take(&mut action.provenance);
    *action = Action {
        code,
        title: if title.is_empty() {
            toc_title.clone()
        } else {
            title
        },
        provenance: toc_provenance,
        ..fiche
    };
    let stem = |t: &str| t.trim_end_matches(['.', '…', ' ']).to_owned();
    if !toc_title.is_empty() && stem(&toc_title) != stem(&action.title) {
        action.title_variants.push(toc_title);
    }
    action.provenance.push(provenance);
}

fn push_orphan(
    body: &mut Body,
    placeholder: &mut Option<usize>,
    mut action: Action,
    code: String,
    provenance: Provenance,
) {
    let index = *placeholder.get_or_insert_with(|| {
        body.strategic_objectives.push(StrategicObjective {
            code: "OS0".to_owned(),
            title: "(objectif stratégique non indiqué dans le document)".to_owned(),
            placeholder: true,
            provenance: vec![provenance.clone()],
            operational_objectives: vec![OperationalObjective {
                code: "OO0.0".to_owned(),
                title: "(objectif opérationnel non indiqué dans le document)".to_owned(),
                placeholder: true,
                provenance: vec![provenance.clone()],
                ..OperationalObjective::default()
            }],
            ..StrategicObjective::default()
        });
        body.strategic_objectives.len() - 1
    });
    let oo = &mut body.strategic_objectives[index].operational_objectives[0];
    action.code = if code.is_empty() {
        (oo.actions.len() + 1).to_string()
    } else {
        code
    };
    action.provenance = vec![provenance];
    oo.actions.push(action);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_inline_values() {
        assert_eq!(label("Libellé"), Some((Field::Title, String::new())));
        assert_eq!(
            label("Chef de projet Service Juridique"),
            Some((Field::Pilots, "Service Juridique".to_owned()))
        );
        assert_eq!(
            label("Humaines (ETP) 1 (conception marché)"),
            Some((Field::Fte, "1 (conception marché)".to_owned()))
        );
        assert_eq!(label("Fin"), Some((Field::End, String::new())));
        assert_eq!(label("Fin 2024  "), Some((Field::End, "2024".to_owned())));
        assert_eq!(label("Fin de contrat des agents"), None);
        assert_eq!(
            label("Taux d'avancement : 80%"),
            Some((Field::Progress, "80%".to_owned()))
        );
        assert_eq!(
            label("Département/Service"),
            Some((Field::Service, String::new()))
        );
        assert_eq!(label("Améliorer le service"), None);
    }

    #[test]
    fn list_items() {
        assert_eq!(
            items("<ul><li>Financier</li><li> Délais </li></ul>"),
            ["Financier", "Délais"]
        );
        assert_eq!(
            items("- Perte des télécommunications"),
            ["Perte des télécommunications"]
        );
        assert_eq!(
            items("• Financier (crédit extra) • Respect des délais"),
            ["Financier (crédit extra)", "Respect des délais"]
        );
    }

    #[test]
    fn a_fiche_in_three_layouts() {
        let text = "Sommaire\n1.1. O.S.1 - Aider ..... 8\n1.1.1.1. (O.O.1.1.) Accueillir\n• 1.1.1.1.1 Réaliser un marché ..... 10\n\
            FICHE ACTION - JURIDIQUE\nLibellé\n1.1.1.1.1 → Réaliser un marché public.\nPriorité\nTrès haute\nDébut\n2019\nFin\n2024\n\
            Description de l'action\tEvaluation Finale\nContacter J2P\tOk\nFaire un état des lieux\tFait\n\
            Contexte\tDépartement/Service\tRisque(s)\n\tJuridique\t<ul><li>Perte</li><li>Évolution</li></ul>\n\
            <table><tr><td>Equipe projet</td><td>FC/CB</td></tr></table>\n\
            Budgétaires (€) 12.500 €\nTaux d'avancement\n80%\n\
            FICHE ACTION - SOCIAL\nLibellé\n1.1.1.1.2 → Un projet hors sommaire\nTaux d'avancement\n40 %\n";
        let body = parse("t", text);
        let oo = &body.strategic_objectives[0].operational_objectives[0];
        assert_eq!(oo.actions.len(), 2);
        let a = &oo.actions[0];
        assert_eq!(a.code, "1.1.1.1.1");
        assert_eq!(a.title, "Réaliser un marché public.");
        assert_eq!(a.title_variants, ["Réaliser un marché"]);
        assert_eq!(a.priority.as_deref(), Some("Très haute"));
        assert_eq!(a.deadline_raw.as_deref(), Some("2019 - 2024"));
        assert_eq!(a.tasks.len(), 2);
        assert_eq!(a.tasks[1].evaluation.as_deref(), Some("Fait"));
        assert_eq!(a.service.as_deref(), Some("JURIDIQUE"));
        assert_eq!(a.department.as_deref(), Some("Juridique"));
        assert_eq!(a.risks, ["Perte", "Évolution"]);
        assert_eq!(a.team, ["FC/CB"]);
        assert_eq!(a.budget.as_ref().and_then(|b| b.amount_eur), Some(12500.0));
        assert_eq!(a.progress, Some(80));
        assert_eq!(a.provenance.len(), 2);
        let b = &oo.actions[1];
        assert_eq!(
            (b.code.as_str(), b.progress, b.service.as_deref()),
            ("1.1.1.1.2", Some(40), Some("SOCIAL"))
        );
        assert!(body.diagnostics.is_empty(), "{:?}", body.diagnostics);
    }
}
