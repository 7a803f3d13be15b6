//! eComptes XML (schema `201805V1`) as input: the regional exchange file that
//! `pst export --to ecomptes` and iA.PST write, read back into the plan.
//!
//! Recognised by its root: `dataroot` whose first child is `Identifiants` or `PST`, in the
//! first KB. The tree is explicit (`Volet` / `ObjectifStrategique` /
//! `ObjectifOperationnel` / `Action`), so no recogniser runs: each element becomes its
//! entity, with the element's line as provenance. Codes come from the `ElementId`'s last
//! segment where it is one of ours (`…/OS1`, `…/OO1.2`, `…/A3`), else from the position.
//! An action's fields: `Libelle` → title, `DateDebut`/`DateFin` → start/end,
//! `Description` → description (as written, on one line: the writer's "Indicateurs : …"
//! lines are prose, not split), `Statut` → status (the six codes, one to one), `TauxAvancement` →
//! progress, `RemarqueStatut` → the status's own words when they name the same status,
//! else comments, `Responsable` → pilots, `Mandataire` → mandataries, `Departement` →
//! service, `ETP` → full-time equivalents (a zero, which the schema requires when
//! nothing is known, is no figure), `Partenaires` → partners. The plan: `INS`,
//! `ExerciceDebut`/`ExerciceFin` → period, the organisation named in the plan's `Libelle`.
//! What the model does not hold (the summed-up status, progress and ETP of volets and
//! objectives, `Plans`, a person's civility, phone and e-mail) is residue.
//!
//! Safety: quick-xml expands no entity beyond the five predefined ones and character
//! references; a document type declaration that declares entities (`<!ENTITY`, the
//! "billion laughs") is refused. Cost is linear in the input.

use std::borrow::Cow;

use pst_model::{
    Action, Diagnostic, Fte, OperationalObjective, Period, Severity, Status, StrategicObjective,
    Volet,
};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::Body;
use crate::tree::{PLACEHOLDER_OO_TITLE, PLACEHOLDER_OS_TITLE};

/// How much of the start of a document is looked at to recognise eComptes XML.
const SNIFF_BYTES: usize = 1024;

/// Whether `bytes` are an eComptes XML document: its root element is `dataroot` and the
/// first element in it is `Identifiants` or `PST` (or a document type declaration names
/// `dataroot`), within the first KB.
pub(crate) fn is_ecomptes(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut reader = Reader::from_reader(head);
    let mut in_root = false;
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match reader.read_event() {
            Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_)) => {}
            Ok(Event::Text(text)) if text.iter().all(u8::is_ascii_whitespace) => {}
            Ok(Event::DocType(doctype)) if !in_root => {
                if doctype_names_dataroot(&doctype) {
                    return true;
                }
            }
            Ok(Event::Start(e)) if !in_root => {
                if e.local_name().as_ref() != b"dataroot" {
                    return false;
                }
                in_root = true;
            }
            Ok(Event::Start(e) | Event::Empty(e)) if in_root => {
                return matches!(e.local_name().as_ref(), b"Identifiants" | b"PST");
            }
            // A declaration longer than the first KB: its name is enough.
            Err(_) if !in_root => {
                let rest = head.get(at..).unwrap_or_default().trim_ascii_start();
                return rest
                    .strip_prefix(b"<!DOCTYPE")
                    .is_some_and(doctype_names_dataroot);
            }
            _ => return false,
        }
    }
}

/// `dataroot [ … ]` (the content of `<!DOCTYPE …>`) names the root `dataroot`.
fn doctype_names_dataroot(content: &[u8]) -> bool {
    content
        .split(|b| b.is_ascii_whitespace() || *b == b'[' || *b == b'>')
        .find(|word| !word.is_empty())
        .is_some_and(|name| {
            let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
            local == b"dataroot"
        })
}

/// What an eComptes document holds.
pub(crate) struct Reading {
    /// The plan's tree, organisation and period, with the lines read.
    pub(crate) body: Body,
    /// The document's text content, one line per line of the XML (tags removed), for
    /// coverage and residue.
    pub(crate) text: String,
    /// The municipality's NIS code (`INS`).
    pub(crate) ins: Option<String>,
}

/// The start of each line of `text` (line ends as [`crate::lines::numbered_lines`] sees
/// them: `\n`, `\r\n`, a lone `\r`).
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 2;
                    continue;
                }
                b'\r' | b'\n' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex(starts)
    }

    /// The 1-based line of byte `offset`.
    fn line(&self, offset: usize) -> u32 {
        u32::try_from(self.0.partition_point(|&start| start <= offset)).unwrap_or(u32::MAX)
    }

    fn count(&self) -> usize {
        self.0.len()
    }
}

/// The kind of an element of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Volet,
    Strategic,
    Operational,
    Action,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        match name {
            "Volet" => Some(Kind::Volet),
            "ObjectifStrategique" => Some(Kind::Strategic),
            "ObjectifOperationnel" => Some(Kind::Operational),
            "Action" => Some(Kind::Action),
            _ => None,
        }
    }
}

/// A person (`Responsable`, `Mandataire`): first name and name.
#[derive(Default)]
struct Person {
    first: Option<String>,
    last: Option<String>,
}

impl Person {
    fn name(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.first, &self.last]
            .into_iter()
            .flatten()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// The fields of an element of the tree, as read.
#[derive(Default)]
struct Fields {
    libelle: Option<String>,
    start: Option<String>,
    end: Option<String>,
    description: Option<String>,
    statut: Option<Status>,
    departement: Option<String>,
    taux: Option<u8>,
    remarque: Option<String>,
    etp: Option<(f64, String)>,
    partners: Vec<String>,
    responsable: Person,
    mandataire: Person,
}

/// An element of the tree being read: where its entity is, and its fields.
struct Open {
    kind: Kind,
    /// `names.len()` once the element is open: its children's fields are one deeper.
    depth: usize,
    line: u32,
    /// The entity's code (from its `ElementId`, else its position).
    code: String,
    /// Index of the OS, OO and action in the tree, as far as `kind` goes.
    os: usize,
    oo: usize,
    action: usize,
    fields: Fields,
}

/// A leaf element's text being gathered.
struct Leaf {
    line: u32,
    text: String,
    /// First and last line holding its text.
    lines: Option<(u32, u32)>,
}

struct State<'a> {
    source: &'a str,
    lines: LineIndex,
    /// The text of each line, tags removed.
    text_lines: Vec<String>,
    used_lines: Vec<u32>,
    diagnostics: Vec<Diagnostic>,
    objectives: Vec<StrategicObjective>,
    volet: Option<Volet>,
    /// The open OS and OO (indices), for children.
    current_os: Option<usize>,
    current_oo: Option<(usize, usize)>,
    organisation: Option<String>,
    period_start: Option<i32>,
    period_end: Option<i32>,
    ins: Option<String>,
    unescape_failed: bool,
}

/// Reads an eComptes document (decoded text). An error only when the document is
/// refused (entity declarations) or broken before anything was read.
pub(crate) fn read(source: &str, xml: &str) -> Result<Reading, String> {
    let lines = LineIndex::new(xml);
    let mut state = State {
        source,
        text_lines: vec![String::new(); lines.count()],
        lines,
        used_lines: Vec::new(),
        diagnostics: Vec::new(),
        objectives: Vec::new(),
        volet: None,
        current_os: None,
        current_oo: None,
        organisation: None,
        period_start: None,
        period_end: None,
        ins: None,
        unescape_failed: false,
    };
    let mut reader = Reader::from_str(xml);
    let mut names: Vec<String> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut leaf: Option<Leaf> = None;
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let position = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                let line = state.lines.line(position);
                if state.objectives.is_empty() {
                    return Err(format!("line {line}: {error}"));
                }
                state.diagnose(
                    Severity::Warning,
                    line,
                    format!("XML error ({error}): the rest of the document is not read"),
                );
                break;
            }
        };
        match event {
            Event::DocType(doctype) if doctype.windows(8).any(|w| w == b"<!ENTITY") => {
                return Err(format!(
                    "line {}: the document type declaration declares entities (<!ENTITY): refused, entities are not expanded",
                    state.lines.line(at)
                ));
            }
            Event::Start(e) => {
                let name = local_name(&e);
                names.push(name.clone());
                if let Some(kind) = Kind::of(&name) {
                    let line = state.lines.line(at);
                    let entity = state.open(kind, &e, names.len(), line);
                    open.push(entity);
                }
                leaf = Some(Leaf {
                    line: state.lines.line(at),
                    text: String::new(),
                    lines: None,
                });
            }
            Event::Empty(e) => {
                let name = local_name(&e);
                if let Some(kind) = Kind::of(&name) {
                    let line = state.lines.line(at);
                    let entity = state.open(kind, &e, names.len() + 1, line);
                    state.close(entity);
                }
                leaf = None;
            }
            Event::Text(text) => {
                if let Some(leaf) = &mut leaf {
                    let raw = String::from_utf8_lossy(&text);
                    let value = match text.unescape() {
                        Ok(value) => value,
                        Err(_) => {
                            state.unescape_failed = true;
                            Cow::Owned(raw.to_string())
                        }
                    };
                    state.gather(leaf, &raw, &value, at);
                }
            }
            Event::CData(data) => {
                if let Some(leaf) = &mut leaf {
                    let raw = String::from_utf8_lossy(&data);
                    // The text starts after `<![CDATA[`.
                    state.gather(leaf, &raw, &raw, at + 9);
                }
            }
            Event::End(_) => {
                let name = names.pop().unwrap_or_default();
                if let Some(leaf) = leaf.take() {
                    state.field(&names, &mut open, &name, leaf);
                }
                if Kind::of(&name).is_some()
                    && open.last().is_some_and(|o| o.depth > names.len())
                    && let Some(entity) = open.pop()
                {
                    state.close(entity);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Elements left open by a document cut short are still read.
    while let Some(entity) = open.pop() {
        state.close(entity);
    }
    if state.unescape_failed {
        state.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            source,
            None,
            "entity references other than XML's own are not expanded: kept as written",
        ));
    }
    let period = match (state.period_start, state.period_end) {
        (Some(start), Some(end)) if start <= end => Some(Period { start, end }),
        _ => None,
    };
    let body = Body {
        organisation: state.organisation,
        period,
        strategic_objectives: state.objectives,
        diagnostics: state.diagnostics,
        values: Vec::new(),
        links: Vec::new(),
        used_lines: state.used_lines,
    };
    Ok(Reading {
        body,
        text: state.text_lines.join("\n"),
        ins: state.ins,
    })
}

fn local_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// The value of attribute `name`, unescaped.
fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value);
            quick_xml::escape::unescape(&raw).map_or_else(|_| raw.to_string(), Cow::into_owned)
        })
}

/// The code an `ElementId` of ours gives (`…/OS1`, `…/OO1.2`, `…/A3`, with the `~2` of a
/// repeated code removed).
fn code_from_id(kind: Kind, id: &str) -> Option<String> {
    let last = id.rsplit('/').next()?;
    let last = last.split('~').next().unwrap_or(last);
    match kind {
        Kind::Strategic => last
            .strip_prefix("OS")
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .map(|_| last.to_owned()),
        Kind::Operational => last
            .strip_prefix("OO")
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
            .map(|_| last.to_owned()),
        Kind::Action => last
            .strip_prefix('A')
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        Kind::Volet => None,
    }
}

/// The status an eComptes `Statut` code names.
fn status(code: &str) -> Option<Status> {
    match code {
        "TERMINE" => Some(Status::Done),
        "EN_COURS" => Some(Status::InProgress),
        "PROBLEME" => Some(Status::ToReorient),
        "EN_ATTENTE" => Some(Status::OnHold),
        "ANNULE_ABANDONNE" => Some(Status::Abandoned),
        "NON_COMMENCE" => Some(Status::NotStarted),
        _ => None,
    }
}

/// `2024-01-31`, or an `xs:date` with a time zone (`2024-01-31Z`, `…+01:00`): the day.
fn date(text: &str) -> Option<String> {
    let day = text.get(..10)?;
    let bytes = day.as_bytes();
    let shape = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    let month: u32 = day.get(5..7)?.parse().ok()?;
    let dom: u32 = day.get(8..10)?.parse().ok()?;
    let rest = &text[10..];
    let zone = rest.is_empty() || rest == "Z" || rest.starts_with(['+', '-']);
    (shape && zone && (1..=12).contains(&month) && (1..=31).contains(&dom)).then(|| day.to_owned())
}

impl State<'_> {
    fn provenance(&self, line: u32) -> Vec<pst_model::Provenance> {
        crate::tree::provenance(self.source, line)
    }

    fn diagnose(&mut self, severity: Severity, line: u32, message: String) {
        self.diagnostics
            .push(Diagnostic::new(severity, self.source, Some(line), message));
    }

    /// Records `raw` text at byte `at`: its lines in the text, tags removed.
    fn gather(&mut self, leaf: &mut Leaf, raw: &str, value: &str, at: usize) {
        leaf.text.push_str(value);
        if raw.trim().is_empty() {
            return;
        }
        let first = self.lines.line(at);
        for (number, piece) in crate::lines::numbered_lines(raw) {
            let line = first.saturating_add(number - 1);
            if piece.trim().is_empty() {
                continue;
            }
            if let Some(slot) = self.text_lines.get_mut(line as usize - 1) {
                if !slot.is_empty() {
                    slot.push(' ');
                }
                slot.push_str(piece.trim());
            }
            leaf.lines = Some(match leaf.lines {
                Some((low, _)) => (low, line),
                None => (line, line),
            });
        }
    }

    /// The lines of `leaf`'s text are read into the plan.
    fn mark(&mut self, leaf: &Leaf) {
        if let Some((first, last)) = leaf.lines {
            self.used_lines.extend(first..=last);
        }
    }

    /// An element of the tree opens at `line`: its entity takes its place in the tree.
    fn open(&mut self, kind: Kind, e: &BytesStart<'_>, depth: usize, line: u32) -> Open {
        let id = attribute(e, b"ElementId").unwrap_or_default();
        let mut entity = Open {
            kind,
            depth,
            line,
            code: code_from_id(kind, &id).unwrap_or_default(),
            os: 0,
            oo: 0,
            action: 0,
            fields: Fields::default(),
        };
        match kind {
            Kind::Volet => {
                self.volet = match id.rsplit('/').next() {
                    Some("E") => Some(Volet::Externe),
                    Some("I") => Some(Volet::Interne),
                    _ => None,
                };
                self.current_os = None;
                self.current_oo = None;
            }
            Kind::Strategic => {
                if entity.code.is_empty() {
                    let n = self
                        .objectives
                        .iter()
                        .filter(|os| os.volet == self.volet && !os.placeholder)
                        .count();
                    entity.code = format!("OS{}", n + 1);
                }
                self.objectives.push(StrategicObjective {
                    code: entity.code.clone(),
                    volet: self.volet,
                    provenance: self.provenance(line),
                    ..StrategicObjective::default()
                });
                entity.os = self.objectives.len() - 1;
                self.current_os = Some(entity.os);
                self.current_oo = None;
            }
            Kind::Operational => {
                let os = self.strategic_for(line, "operational objective");
                let provenance = self.provenance(line);
                let objective = &mut self.objectives[os];
                if entity.code.is_empty() {
                    let number = objective.code.trim_start_matches("OS");
                    entity.code =
                        format!("OO{number}.{}", objective.operational_objectives.len() + 1);
                }
                objective.operational_objectives.push(OperationalObjective {
                    code: entity.code.clone(),
                    provenance,
                    ..OperationalObjective::default()
                });
                entity.os = os;
                entity.oo = objective.operational_objectives.len() - 1;
                self.current_oo = Some((entity.os, entity.oo));
            }
            Kind::Action => {
                let (os, oo) = self.operational_for(line);
                let provenance = self.provenance(line);
                let actions = &mut self.objectives[os].operational_objectives[oo].actions;
                if entity.code.is_empty() {
                    entity.code = (actions.len() + 1).to_string();
                }
                actions.push(Action {
                    code: entity.code.clone(),
                    provenance,
                    ..Action::default()
                });
                (entity.os, entity.oo, entity.action) = (os, oo, actions.len() - 1);
            }
        }
        entity
    }

    /// The open OS, or a placeholder for content outside any.
    fn strategic_for(&mut self, line: u32, what: &str) -> usize {
        if let Some(os) = self.current_os {
            return os;
        }
        self.diagnose(
            Severity::Warning,
            line,
            format!("{what} outside any strategic objective: kept under placeholder OS0"),
        );
        self.objectives.push(StrategicObjective {
            code: "OS0".to_owned(),
            volet: self.volet,
            title: PLACEHOLDER_OS_TITLE.to_owned(),
            placeholder: true,
            provenance: self.provenance(line),
            ..StrategicObjective::default()
        });
        let os = self.objectives.len() - 1;
        self.current_os = Some(os);
        os
    }

    /// The open OO, or a placeholder for an action outside any.
    fn operational_for(&mut self, line: u32) -> (usize, usize) {
        if let Some(open) = self.current_oo {
            return open;
        }
        let os = self.strategic_for(line, "action");
        self.diagnose(
            Severity::Warning,
            line,
            "action outside any operational objective: kept under a placeholder OO".to_owned(),
        );
        let provenance = self.provenance(line);
        let objective = &mut self.objectives[os];
        let number = objective.code.trim_start_matches("OS").to_owned();
        objective.operational_objectives.push(OperationalObjective {
            code: format!("OO{number}.0"),
            title: PLACEHOLDER_OO_TITLE.to_owned(),
            placeholder: true,
            provenance,
            ..OperationalObjective::default()
        });
        let open = (os, objective.operational_objectives.len() - 1);
        self.current_oo = Some(open);
        open
    }

    /// A leaf element `name` closes, under `names`: the field it is.
    fn field(&mut self, names: &[String], open: &mut [Open], name: &str, leaf: Leaf) {
        // One line of single spaces, as every text of the model (a `Valeur` keeps its
        // line breaks).
        let value = leaf.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let line = leaf.line;
        let parent = names.last().map_or("", String::as_str);
        let Some(entity) = open.last_mut() else {
            match (parent, name) {
                ("Identifiants", "INS") => {
                    self.mark(&leaf);
                    self.ins = Some(value);
                }
                ("Identifiants", "TypeAdmin" | "Type" | "Version") => self.mark(&leaf),
                ("DescriptionPST", "Libelle") => {
                    if let Some((_, organisation)) =
                        crate::metadata::find_organisation(std::iter::once((line, value.as_str())))
                    {
                        self.mark(&leaf);
                        self.organisation = Some(organisation);
                    }
                }
                ("DescriptionPST", "ExerciceDebut" | "ExerciceFin") => {
                    if let Ok(year) = value.parse::<i32>() {
                        self.mark(&leaf);
                        if name == "ExerciceDebut" {
                            self.period_start = Some(year);
                        } else {
                            self.period_end = Some(year);
                        }
                    }
                }
                _ => {}
            }
            return;
        };
        let kind = entity.kind;
        let fields = &mut entity.fields;
        let group = if names.len() == entity.depth + 1 {
            parent
        } else if names.len() == entity.depth {
            ""
        } else {
            return;
        };
        // Fields the model holds for every entity: the title (and the volet's name).
        match (group, name) {
            ("", "Libelle") => {
                self.mark(&leaf);
                if kind == Kind::Volet {
                    let folded = pst_model::fold(&value);
                    if folded.contains("externe") {
                        self.volet = Some(Volet::Externe);
                    } else if folded.contains("interne") {
                        self.volet = Some(Volet::Interne);
                    }
                }
                fields.libelle = Some(value);
                return;
            }
            ("Description" | "RemarqueStatut", "Mode") => {
                self.mark(&leaf);
                return;
            }
            // The writer puts an objective's code in its description.
            ("Description", "Valeur") if kind != Kind::Action => {
                if !value.is_empty() && value == entity.code {
                    self.mark(&leaf);
                }
                return;
            }
            _ => {}
        }
        if kind != Kind::Action {
            return;
        }
        // What is wrong with a value that is not read, said once below.
        let mut unread: Option<&str> = None;
        let quoted = format!("{name} «{value}» of action {}", entity.code);
        match (group, name) {
            ("", "DateDebut" | "DateFin") => match date(&value) {
                Some(day) if name == "DateDebut" => fields.start = Some(day),
                Some(day) => fields.end = Some(day),
                None => unread = Some("is no date: not read"),
            },
            ("Description", "Valeur") => fields.description = Some(value),
            ("", "Statut") => match status(&value) {
                Some(status) => fields.statut = Some(status),
                None => unread = Some("is none of eComptes' codes: status left empty"),
            },
            ("", "Departement") => fields.departement = Some(value),
            ("", "TauxAvancement") => match value.parse::<f64>() {
                Ok(taux) if (0.0..=100.0).contains(&taux) => {
                    fields.taux = Some(taux.round() as u8);
                }
                _ => unread = Some("is no percentage: progress left empty"),
            },
            ("RemarqueStatut", "Valeur") => fields.remarque = Some(value),
            ("", "ETP") => match value.parse::<f64>() {
                Ok(etp) if etp > 0.0 && etp.is_finite() => fields.etp = Some((etp, value)),
                Ok(0.0) => {}
                _ => unread = Some("is no number of full-time equivalents: not read"),
            },
            ("Partenaires", "Partenaire") => fields.partners.push(value),
            ("Responsable", "Prenom") => fields.responsable.first = Some(value),
            ("Responsable", "Nom") => fields.responsable.last = Some(value),
            ("Mandataire", "Prenom") => fields.mandataire.first = Some(value),
            ("Mandataire", "Nom") => fields.mandataire.last = Some(value),
            // Not in the model (Plans, a person's civility, phone, e-mail): residue.
            _ => return,
        }
        match unread {
            Some(why) => self.diagnose(Severity::Warning, line, format!("{quoted} {why}")),
            None => self.mark(&leaf),
        }
    }

    /// An element of the tree closes: its fields go to its entity.
    fn close(&mut self, entity: Open) {
        let Open {
            kind,
            line,
            code,
            os,
            oo,
            action,
            fields,
            ..
        } = entity;
        let title = fields.libelle.unwrap_or_default();
        let what = match kind {
            Kind::Volet => return,
            Kind::Strategic => format!("strategic objective {code}"),
            Kind::Operational => format!("operational objective {code}"),
            Kind::Action => format!("action {code}"),
        };
        if title.is_empty() {
            self.diagnose(Severity::Warning, line, format!("{what} has no title"));
        }
        let Some(objective) = self.objectives.get_mut(os) else {
            return;
        };
        match kind {
            Kind::Volet => {}
            Kind::Strategic => {
                objective.title = title;
                if self.current_os == Some(os) {
                    self.current_os = None;
                    self.current_oo = None;
                }
            }
            Kind::Operational => {
                if let Some(operational) = objective.operational_objectives.get_mut(oo) {
                    operational.title = title;
                }
                if self.current_oo == Some((os, oo)) {
                    self.current_oo = None;
                }
            }
            Kind::Action => {
                let Some(target) = objective
                    .operational_objectives
                    .get_mut(oo)
                    .and_then(|o| o.actions.get_mut(action))
                else {
                    return;
                };
                target.title = title;
                target.start = fields.start;
                target.end = fields.end;
                target.description = fields.description.filter(|d| !d.is_empty());
                target.status = fields.statut;
                target.progress = fields.taux;
                target.service = fields.departement.filter(|d| !d.is_empty());
                target.partners = fields
                    .partners
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect();
                target.pilots = fields.responsable.name().into_iter().collect();
                target.mandataries = fields.mandataire.name().into_iter().collect();
                target.fte = fields.etp.map(|(value, raw)| Fte {
                    value: Some(value),
                    raw,
                });
                // The remark is the status's own words when it names the same status;
                // anything else is a comment.
                if let Some(remark) = fields.remarque.filter(|r| !r.is_empty()) {
                    if target.status.is_some() && Status::from_word(&remark) == target.status {
                        target.status_raw = Some(remark);
                    } else {
                        target.comments = Some(remark);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<dataroot>
 <Identifiants>
  <Id>cpas-x-2019-2024</Id>
  <TypeAdmin>CPAS</TypeAdmin>
  <INS>56011</INS>
  <Type>PST</Type>
  <Exercice>2019</Exercice>
  <Version>201805V1</Version>
 </Identifiants>
 <PST>
  <DescriptionPST>
   <IdPST>cpas-x-2019-2024</IdPST>
   <Libelle>PST CPAS de Binche 2019-2024</Libelle>
   <ExerciceDebut>2019</ExerciceDebut>
   <ExerciceFin>2024</ExerciceFin>
  </DescriptionPST>
  <Volets>
   <Volet ElementId="p/I" Exercice="2019">
    <Libelle>Volet interne</Libelle>
    <ObjectifStrategiques>
     <ObjectifStrategique ElementId="p/I/OS2" Exercice="2019">
      <Libelle>Être une administration moderne</Libelle>
      <Description><Mode>TEXTE</Mode><Valeur>OS2</Valeur></Description>
      <Statut>EN_COURS</Statut>
      <ObjectifsOperationnels>
       <ObjectifOperationnel ElementId="p/I/OS2/OO2.3" Exercice="2019">
        <Libelle>Former le personnel</Libelle>
        <Actions>
         <Action ElementId="p/I/OS2/OO2.3/A1.2~2" Exercice="2019">
          <Libelle>Plan de formation &amp; suivi</Libelle>
          <DateDebut>2020-01-01</DateDebut>
          <DateFin>2021-12-31Z</DateFin>
          <Description>
           <Mode>TEXTE</Mode>
           <Valeur>Action 1.2
Indicateurs : nombre de formations</Valeur>
          </Description>
          <Statut>ANNULE_ABANDONNE</Statut>
          <Responsable><Civilite>MADAME</Civilite><Nom>Dupont</Nom><Prenom>Anne</Prenom></Responsable>
          <Mandataire><Civilite>MONSIEUR</Civilite><Nom>Martin</Nom><Prenom>Luc</Prenom></Mandataire>
          <Departement>RH</Departement>
          <TauxAvancement>12.6</TauxAvancement>
          <RemarqueStatut><Mode>TEXTE</Mode><Valeur>Abandonné</Valeur></RemarqueStatut>
          <ETP>1.5</ETP>
          <Plans/>
          <Partenaires><Partenaire>Forem</Partenaire><Partenaire>IFAPME</Partenaire></Partenaires>
         </Action>
         <Action ElementId="opaque-17" Exercice="2019">
          <Libelle>Sans code</Libelle>
          <Statut>EN_COURS</Statut>
          <TauxAvancement>0</TauxAvancement>
          <RemarqueStatut><Mode>TEXTE</Mode><Valeur>voir le budget</Valeur></RemarqueStatut>
          <ETP>0</ETP>
         </Action>
        </Actions>
       </ObjectifOperationnel>
      </ObjectifsOperationnels>
     </ObjectifStrategique>
    </ObjectifStrategiques>
   </Volet>
  </Volets>
 </PST>
</dataroot>
"#;

    #[test]
    fn recognised_by_its_root() {
        assert!(is_ecomptes(PLAN.as_bytes()));
        assert!(is_ecomptes(
            b"\xEF\xBB\xBF<dataroot xmlns:od=\"urn:x\"><Identifiants><Id>1</Id>"
        ));
        assert!(is_ecomptes(
            b"<!DOCTYPE dataroot [<!ENTITY a \"b\">]><dataroot>"
        ));
        // An Access export (also `dataroot`) and other XML are not eComptes.
        assert!(!is_ecomptes(b"<dataroot><Clients><Nom>x</Nom></Clients>"));
        assert!(!is_ecomptes(b"<html><body><p>OS 1</p></body></html>"));
        assert!(!is_ecomptes(b"O.S. 1 - Aider\nO.O. 1.1.\tLoger\n"));
        assert!(!is_ecomptes(b""));
    }

    #[test]
    fn every_field_of_an_action() {
        let reading = read("p.xml", PLAN).expect("read");
        let body = &reading.body;
        assert_eq!(reading.ins.as_deref(), Some("56011"));
        assert_eq!(body.organisation.as_deref(), Some("CPAS de Binche"));
        assert_eq!(
            body.period,
            Some(Period {
                start: 2019,
                end: 2024
            })
        );
        let os = &body.strategic_objectives[0];
        assert_eq!(
            (os.code.as_str(), os.volet, os.title.as_str()),
            (
                "OS2",
                Some(Volet::Interne),
                "Être une administration moderne"
            )
        );
        assert_eq!(os.provenance[0].line, 22);
        let oo = &os.operational_objectives[0];
        assert_eq!(
            (oo.code.as_str(), oo.title.as_str()),
            ("OO2.3", "Former le personnel")
        );
        let action = &oo.actions[0];
        assert_eq!(action.code, "1.2");
        assert_eq!(action.title, "Plan de formation & suivi");
        assert_eq!(action.provenance[0].line, 30);
        assert_eq!(action.start.as_deref(), Some("2020-01-01"));
        assert_eq!(action.end.as_deref(), Some("2021-12-31"));
        assert_eq!(
            action.description.as_deref(),
            Some("Action 1.2 Indicateurs : nombre de formations")
        );
        assert_eq!(action.status, Some(Status::Abandoned));
        assert_eq!(action.status_raw.as_deref(), Some("Abandonné"));
        assert_eq!(action.pilots, ["Anne Dupont"]);
        assert_eq!(action.mandataries, ["Luc Martin"]);
        assert_eq!(action.service.as_deref(), Some("RH"));
        assert_eq!(action.progress, Some(13));
        assert_eq!(action.fte.as_ref().and_then(|f| f.value), Some(1.5));
        assert_eq!(action.partners, ["Forem", "IFAPME"]);
        let second = &oo.actions[1];
        assert_eq!(
            (second.code.as_str(), second.title.as_str()),
            ("2", "Sans code")
        );
        assert_eq!(second.status, Some(Status::InProgress));
        assert_eq!(second.status_raw, None);
        assert_eq!(second.comments.as_deref(), Some("voir le budget"));
        assert_eq!((second.progress, second.fte.is_none()), (Some(0), true));
        // The description's two lines are read; the OS's summed-up status is not.
        assert!(body.used_lines.contains(&36) && body.used_lines.contains(&37));
        assert!(!body.used_lines.contains(&25));
        assert!(body.diagnostics.is_empty(), "{:?}", body.diagnostics);
    }

    #[test]
    fn entity_declarations_are_refused() {
        let mut bomb =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE dataroot [\n <!ENTITY lol \"lol\">\n");
        for i in 1..=9 {
            let previous = if i == 1 {
                "lol".to_owned()
            } else {
                format!("lol{}", i - 1)
            };
            bomb.push_str(&format!(
                " <!ENTITY lol{i} \"{}\">\n",
                format!("&{previous};").repeat(10)
            ));
        }
        bomb.push_str("]>\n<dataroot><Identifiants><Id>&lol9;</Id></Identifiants></dataroot>\n");
        assert!(is_ecomptes(bomb.as_bytes()));
        let error = read("bomb.xml", &bomb).err().expect("refused");
        assert!(
            error.contains("<!ENTITY") && error.contains("line 2"),
            "{error}"
        );
    }

    #[test]
    fn billion_laughs_is_refused_in_bounded_time() {
        // Ten levels of ten references: 10^10 "lol"s if expanded; a declaration longer
        // than the first KB too (then it is not recognised as eComptes and read as text).
        for levels in [9, 40] {
            let mut bomb = String::from(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE dataroot [\n <!ENTITY lol0 \"lol\">\n",
            );
            for i in 1..=levels {
                bomb.push_str(&format!(
                    " <!ENTITY lol{i} \"{}\">\n",
                    format!("&lol{};", i - 1).repeat(10)
                ));
            }
            bomb.push_str(&format!(
                "]>\n<dataroot><Identifiants><INS>&lol{levels};</INS></Identifiants><PST><Volets><Volet ElementId=\"p/E\" Exercice=\"2019\"><Libelle>&lol{levels};</Libelle></Volet></Volets></PST></dataroot>\n"
            ));
            let started = std::time::Instant::now();
            let result = crate::parse("bomb.xml", bomb.as_bytes());
            assert!(started.elapsed().as_secs() < 5, "{levels} levels");
            match result {
                Err(crate::ParseError::UnreadableXml(why)) => {
                    assert!(why.contains("<!ENTITY"), "{why}")
                }
                Err(_) => assert!(levels > 9, "a short bomb is recognised and refused"),
                Ok(document) => assert!(
                    document.actions().all(|a| a.title.len() < bomb.len()),
                    "nothing expanded"
                ),
            }
        }
        // A reference to an entity declared nowhere is kept as written.
        let undeclared = PLAN.replace("Plan de formation &amp; suivi", "Plan &lol9; suivi");
        let reading = read("p.xml", &undeclared).expect("read");
        let action = &reading.body.strategic_objectives[0].operational_objectives[0].actions[0];
        assert_eq!(action.title, "Plan &lol9; suivi");
        assert!(
            reading
                .body
                .diagnostics
                .iter()
                .any(|d| d.message.contains("not expanded"))
        );
    }

    #[test]
    fn a_document_cut_short_keeps_what_was_read() {
        let end = PLAN.find("Sans code</Libelle>").expect("second action") + 34;
        let cut = &PLAN[..end];
        assert!(cut.ends_with("<Sta"), "{cut}");
        let reading = read("p.xml", cut).expect("read");
        let oo = &reading.body.strategic_objectives[0].operational_objectives[0];
        assert_eq!(oo.actions.len(), 2);
        assert_eq!(oo.actions[0].title, "Plan de formation & suivi");
        assert!(
            reading
                .body
                .diagnostics
                .iter()
                .any(|d| d.message.contains("the rest of the document is not read"))
        );
    }
}
