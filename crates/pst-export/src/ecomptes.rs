//! eComptes XML (schema `201805V1`, `shared/ecomptes/`): the regional exchange format
//! through which a PST reaches the accounting software of every commune and CPAS.
//!
//! Mapping: volets → `Volet` (a plan without volets gets one volet "PST"), OS →
//! `ObjectifStrategique`, OO → `ObjectifOperationnel`, actions → `Action`. `Statut` from
//! our status (done → TERMINE, in_progress → EN_COURS, to_reorient → PROBLEME, on_hold →
//! EN_ATTENTE, abandoned → ANNULE_ABANDONNE, not_started → NON_COMMENCE; none →
//! NON_COMMENCE with a diagnostic); a volet, OS or OO takes TERMINE when all its actions
//! are done, EN_COURS when some are started, else NON_COMMENCE, and the mean progress of
//! its actions. Dates: a year starts on 1 January and ends on 31 December, a month on its
//! first and last day. `Libelle` is cut to 255 characters on a word boundary, with a
//! diagnostic. `INS` and `Exercice` come from the plan (`plan.toml`): without an INS or
//! a period, the plan cannot be exported.
//!
//! Characters XML 1.0 cannot hold (controls other than tab, line feed and carriage return;
//! U+FFFE, U+FFFF) come from Word and PDF exports, catalogues, web pages and `plan.toml`:
//! every value written is passed through [`xml_text`], which replaces each with U+FFFD
//! (visible, never silently dropped) and counts them in one warning per file.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::Write;

use pst_model::{
    Action, Diagnostic, Plan, Provenance, Severity, Status, StrategicObjective, Volet,
};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::ExportError;

const LIBELLE_MAX: usize = 255;

/// One element of the eComptes tree, before writing.
struct Element {
    id: String,
    libelle: String,
    start: Option<String>,
    end: Option<String>,
    description: String,
    statut: &'static str,
    departement: Option<String>,
    taux: u8,
    remarque: String,
    etp: f64,
    partenaires: Vec<String>,
}

fn statut(status: Status) -> &'static str {
    match status {
        Status::Done => "TERMINE",
        Status::InProgress => "EN_COURS",
        Status::ToReorient => "PROBLEME",
        Status::OnHold => "EN_ATTENTE",
        Status::Abandoned => "ANNULE_ABANDONNE",
        Status::NotStarted => "NON_COMMENCE",
    }
}

/// Writes one plan as an eComptes import file; returns what the reader should know.
pub fn write_ecomptes(plan: &Plan, out: impl Write) -> Result<Vec<Diagnostic>, ExportError> {
    let source = plan.sources.first().map_or("", |s| s.path.as_str());
    let ins = plan
        .ins
        .as_deref()
        .filter(|ins| ins.len() == 5 && ins.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            ExportError::Ecomptes(format!(
                "plan {}: no INS code (the municipality's 5-digit NIS code): add `ins = \"NNNNN\"` to its plan.toml",
                plan.id
            ))
        })?;
    let period = plan.period.ok_or_else(|| {
        ExportError::Ecomptes(format!(
            "plan {}: no period, so no Exercice: add `period_start` and `period_end` to its plan.toml",
            plan.id
        ))
    })?;
    let mut notes = Vec::new();
    let replaced = Cell::new(0usize);
    let x = |value: &str| -> String {
        let (text, count) = xml_text(value);
        replaced.set(replaced.get() + count);
        text.into_owned()
    };
    let mut libelle = |id: &str, title: &str, at: Option<&Provenance>| -> String {
        let (cut, was_cut) = cut_libelle(title);
        if was_cut {
            notes.push(Diagnostic::new(
                Severity::Warning,
                at.map_or(source, |p| p.source.as_str()),
                at.map(|p| p.line),
                format!("eComptes: the title of {id} is longer than {LIBELLE_MAX} characters: cut on a word boundary"),
            ));
        }
        x(&cut)
    };
    // Volets in order: externe, interne, then objectives without volet.
    let mut volets: Vec<(Option<Volet>, Vec<&StrategicObjective>)> = Vec::new();
    for os in &plan.strategic_objectives {
        match volets.iter_mut().find(|(v, _)| *v == os.volet) {
            Some((_, list)) => list.push(os),
            None => volets.push((os.volet, vec![os])),
        }
    }
    if volets.is_empty() {
        volets.push((None, Vec::new()));
    }
    let mut unknown_status = Vec::new();
    let mut undated = Vec::new();
    let mut tree = Vec::new();
    for (volet, objectives) in &volets {
        let actions: Vec<&Action> = objectives
            .iter()
            .flat_map(|os| &os.operational_objectives)
            .flat_map(|oo| &oo.actions)
            .collect();
        let name = match volet {
            Some(Volet::Externe) => "Volet externe",
            Some(Volet::Interne) => "Volet interne",
            None => "PST",
        };
        let volet_id = x(&format!("{}/{}", plan.id, Volet::letter(*volet)));
        let volet_element = aggregate(volet_id, name.to_owned(), &actions);
        let mut os_elements = Vec::new();
        for os in objectives {
            let os_actions: Vec<&Action> = os
                .operational_objectives
                .iter()
                .flat_map(|oo| &oo.actions)
                .collect();
            let mut os_element = aggregate(
                x(&os.id),
                libelle(&os.id, &os.title, os.provenance.first()),
                &os_actions,
            );
            os_element.description = x(&os.code);
            let mut oo_elements = Vec::new();
            for oo in &os.operational_objectives {
                let oo_actions: Vec<&Action> = oo.actions.iter().collect();
                let mut oo_element = aggregate(
                    x(&oo.id),
                    libelle(&oo.id, &oo.title, oo.provenance.first()),
                    &oo_actions,
                );
                oo_element.description = x(&oo.code);
                let mut action_elements = Vec::new();
                for action in &oo.actions {
                    if action.status.is_none() {
                        unknown_status.push(action.id.clone());
                    }
                    // A date that names no day of the calendar (a pst.json from elsewhere)
                    // is left out, and said.
                    for (element, date, end) in [
                        ("DateDebut", &action.start, false),
                        ("DateFin", &action.end, true),
                    ] {
                        if let Some(date) = date
                            && full_date(date, end).is_none()
                        {
                            let at = action.provenance.first();
                            undated.push(Diagnostic::new(
                                Severity::Warning,
                                at.map_or(source, |p| p.source.as_str()),
                                at.map(|p| p.line),
                                format!(
                                    "eComptes: {} «{date}» of {} is no date of the calendar: {element} left out",
                                    if end { "end" } else { "start" },
                                    action.id
                                ),
                            ));
                        }
                    }
                    action_elements.push(Element {
                        id: x(&action.id),
                        libelle: libelle(&action.id, &action.title, action.provenance.first()),
                        start: action.start.as_deref().and_then(|d| full_date(d, false)),
                        end: action.end.as_deref().and_then(|d| full_date(d, true)),
                        description: x(&action_description(action)),
                        statut: action.status.map_or("NON_COMMENCE", statut),
                        departement: action.service.as_deref().map(&x),
                        taux: action.progress.unwrap_or(0),
                        remarque: x(action
                            .status_raw
                            .as_deref()
                            .or(action.comments.as_deref())
                            .unwrap_or_default()),
                        etp: action.fte.as_ref().and_then(|f| f.value).unwrap_or(0.0),
                        partenaires: action.partners.iter().map(|p| x(p)).collect(),
                    });
                }
                oo_elements.push((oo_element, action_elements));
            }
            os_elements.push((os_element, oo_elements));
        }
        tree.push((volet_element, os_elements));
    }
    notes.append(&mut undated);
    if !unknown_status.is_empty() {
        notes.push(Diagnostic::new(
            Severity::Warning,
            source,
            None,
            format!(
                "eComptes: {} action(s) of plan {} have no status: written as NON_COMMENCE",
                unknown_status.len(),
                plan.id
            ),
        ));
    }

    let exercice = period.start.to_string();
    let plan_id = x(&plan.id);
    let title = x(&cut_libelle(&format!(
        "PST {} {}-{}",
        plan.organisation.as_deref().unwrap_or(&plan.id),
        period.start,
        period.end
    ))
    .0);
    if replaced.get() > 0 {
        notes.push(Diagnostic::new(
            Severity::Warning,
            source,
            None,
            format!(
                "eComptes: {} character(s) that XML 1.0 cannot hold replaced by U+FFFD in plan {}",
                replaced.get(),
                plan_id
            ),
        ));
    }
    let mut writer = Writer::new_with_indent(out, b' ', 1);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer.create_element("dataroot").write_inner_content(|w| {
        w.create_element("Identifiants").write_inner_content(|w| {
            text(w, "Id", &plan_id)?;
            text(w, "TypeAdmin", "CPAS")?;
            text(w, "INS", ins)?;
            text(w, "Type", "PST")?;
            text(w, "Exercice", &exercice)?;
            text(w, "Version", "201805V1")?;
            text(w, "Generateur", concat!("pst ", env!("CARGO_PKG_VERSION")))?;
            Ok(())
        })?;
        w.create_element("PST").write_inner_content(|w| {
            w.create_element("DescriptionPST")
                .write_inner_content(|w| {
                    text(w, "IdPST", &plan_id.chars().take(40).collect::<String>())?;
                    text(w, "Libelle", &title)?;
                    text(w, "ExerciceDebut", &period.start.to_string())?;
                    text(w, "ExerciceFin", &period.end.to_string())?;
                    Ok(())
                })?;
            w.create_element("Volets").write_inner_content(|w| {
                for (volet, objectives) in &tree {
                    element(w, "Volet", volet, &exercice, |w| {
                        if objectives.is_empty() {
                            return Ok(());
                        }
                        w.create_element("ObjectifStrategiques")
                            .write_inner_content(|w| {
                                for (os, oos) in objectives {
                                    element(w, "ObjectifStrategique", os, &exercice, |w| {
                                        if oos.is_empty() {
                                            return Ok(());
                                        }
                                        w.create_element("ObjectifsOperationnels")
                                            .write_inner_content(|w| {
                                                for (oo, actions) in oos {
                                                    element(
                                                        w,
                                                        "ObjectifOperationnel",
                                                        oo,
                                                        &exercice,
                                                        |w| {
                                                            if actions.is_empty() {
                                                                return Ok(());
                                                            }
                                                            w.create_element("Actions")
                                                                .write_inner_content(|w| {
                                                                    for action in actions {
                                                                        element(
                                                                            w,
                                                                            "Action",
                                                                            action,
                                                                            &exercice,
                                                                            |_| Ok(()),
                                                                        )?;
                                                                    }
                                                                    Ok(())
                                                                })?;
                                                            Ok(())
                                                        },
                                                    )?;
                                                }
                                                Ok(())
                                            })?;
                                        Ok(())
                                    })?;
                                }
                                Ok(())
                            })?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
        Ok(())
    })?;
    writer.get_mut().write_all(b"\n")?;
    Ok(notes)
}

type XmlWriter<W> = Writer<W>;

fn text<W: Write>(w: &mut XmlWriter<W>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// The common part of every element (`ElementBaseInfo`), then `children`.
fn element<W: Write>(
    w: &mut XmlWriter<W>,
    name: &str,
    e: &Element,
    exercice: &str,
    children: impl FnOnce(&mut XmlWriter<W>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    w.create_element(name)
        .with_attribute(("ElementId", e.id.as_str()))
        .with_attribute(("Exercice", exercice))
        .write_inner_content(|w| {
            text(w, "Libelle", &e.libelle)?;
            if let Some(start) = &e.start {
                text(w, "DateDebut", start)?;
            }
            if let Some(end) = &e.end {
                text(w, "DateFin", end)?;
            }
            description(w, "Description", &e.description)?;
            text(w, "Statut", e.statut)?;
            if let Some(departement) = &e.departement {
                text(w, "Departement", departement)?;
            }
            text(w, "TauxAvancement", &e.taux.to_string())?;
            description(w, "RemarqueStatut", &e.remarque)?;
            text(w, "ETP", &format_decimal(e.etp))?;
            w.create_element("Plans").write_empty()?;
            if e.partenaires.is_empty() {
                w.create_element("Partenaires").write_empty()?;
            } else {
                w.create_element("Partenaires").write_inner_content(|w| {
                    for partner in &e.partenaires {
                        text(w, "Partenaire", partner)?;
                    }
                    Ok(())
                })?;
            }
            children(w)
        })?;
    Ok(())
}

fn description<W: Write>(w: &mut XmlWriter<W>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name).write_inner_content(|w| {
        text(w, "Mode", "TEXTE")?;
        text(w, "Valeur", value)?;
        Ok(())
    })?;
    Ok(())
}

fn format_decimal(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// A volet, OS or OO: its actions' mean progress and a status summing theirs up.
fn aggregate(id: String, libelle: String, actions: &[&Action]) -> Element {
    let progress: Vec<u32> = actions
        .iter()
        .filter_map(|a| a.progress)
        .map(u32::from)
        .collect();
    let taux = if progress.is_empty() {
        0
    } else {
        let mean = progress.iter().sum::<u32>() as f64 / progress.len() as f64;
        mean.round() as u8
    };
    let done = actions
        .iter()
        .filter(|a| a.status == Some(Status::Done))
        .count();
    let started = actions.iter().any(|a| {
        matches!(
            a.status,
            Some(Status::Done | Status::InProgress | Status::ToReorient)
        )
    });
    let statut = if !actions.is_empty() && done == actions.len() {
        "TERMINE"
    } else if started {
        "EN_COURS"
    } else {
        "NON_COMMENCE"
    };
    Element {
        id,
        libelle,
        start: None,
        end: None,
        description: String::new(),
        statut,
        departement: None,
        taux,
        remarque: String::new(),
        etp: 0.0,
        partenaires: Vec::new(),
    }
}

fn action_description(action: &Action) -> String {
    let mut lines = vec![format!("Action {}", action.code)];
    if !action.indicators.is_empty() {
        lines.push(format!("Indicateurs : {}", action.indicators.join(" ; ")));
    }
    if !action.pilots.is_empty() {
        lines.push(format!("Pilotes : {}", action.pilots.join(", ")));
    }
    if let Some(raw) = &action.deadline_raw {
        lines.push(format!("Échéance : {raw}"));
    }
    lines.join("\n")
}

/// Whether XML 1.0 can hold `c` (its `Char` production, less the surrogates a `char`
/// cannot be).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` with every character XML 1.0 cannot hold replaced by U+FFFD, and how many were.
pub fn xml_text(text: &str) -> (Cow<'_, str>, usize) {
    let count = text.chars().filter(|&c| !is_xml_char(c)).count();
    if count == 0 {
        return (Cow::Borrowed(text), 0);
    }
    let replaced = text
        .chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect();
    (Cow::Owned(replaced), count)
}

/// A title of at most 255 characters, cut on a word boundary with `…`.
fn cut_libelle(title: &str) -> (String, bool) {
    if title.chars().count() <= LIBELLE_MAX {
        return (title.to_owned(), false);
    }
    let head: String = title.chars().take(LIBELLE_MAX - 1).collect();
    let cut = match head.rfind(' ') {
        Some(space) if space > 0 => &head[..space],
        _ => head.as_str(),
    };
    (format!("{}…", cut.trim_end()), true)
}

/// `2024` → `2024-12-31` (end) or `2024-01-01`; `2024-02` → `2024-02-29`/`2024-02-01`.
fn full_date(iso: &str, end: bool) -> Option<String> {
    let mut parts = iso.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: Option<u32> = parts.next().and_then(|m| m.parse().ok());
    let day: Option<u32> = parts.next().and_then(|d| d.parse().ok());
    let (month, day) = match (month, day, end) {
        (Some(m), Some(d), _) => (m, d),
        (Some(m), None, true) => (m, days_in_month(year, m)),
        (Some(m), None, false) => (m, 1),
        (None, _, true) => (12, 31),
        (None, _, false) => (1, 1),
    };
    ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_titles() {
        assert_eq!(full_date("2024", true).as_deref(), Some("2024-12-31"));
        assert_eq!(full_date("2024", false).as_deref(), Some("2024-01-01"));
        assert_eq!(full_date("2024-02", true).as_deref(), Some("2024-02-29"));
        assert_eq!(full_date("2023-02", true).as_deref(), Some("2023-02-28"));
        assert_eq!(
            full_date("2020-09-01", false).as_deref(),
            Some("2020-09-01")
        );
        assert_eq!(full_date("2020-13", false), None);
        let long = "mot ".repeat(100);
        let (cut, was_cut) = cut_libelle(&long);
        assert!(was_cut && cut.chars().count() <= 255 && cut.ends_with("mot…"));
        assert_eq!(cut_libelle("court"), ("court".to_owned(), false));
    }

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(xml_text("a\tb\nc"), (Cow::Borrowed("a\tb\nc"), 0));
        let (text, count) = xml_text("a\u{0}b\u{b}c\u{1f}\u{fffe}\u{ffff}é😀");
        assert_eq!(
            (text.as_ref(), count),
            ("a\u{fffd}b\u{fffd}c\u{fffd}\u{fffd}\u{fffd}é😀", 5)
        );
        let not_xml = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| !is_xml_char(c))
            .count();
        assert_eq!(not_xml, 31);
    }

    #[test]
    fn a_date_that_does_not_exist_is_left_out_and_said() {
        let action = Action {
            id: "p/X/OS1/OO1.1/A1".into(),
            start: Some("2024-02-31".into()),
            end: Some("2024".into()),
            ..Action::default()
        };
        let plan = Plan {
            id: "p".into(),
            ins: Some("85045".into()),
            period: Some(pst_model::Period {
                start: 2024,
                end: 2025,
            }),
            strategic_objectives: vec![StrategicObjective {
                operational_objectives: vec![pst_model::OperationalObjective {
                    actions: vec![action],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Plan::default()
        };
        let mut xml = Vec::new();
        let notes = write_ecomptes(&plan, &mut xml).expect("written");
        let xml = String::from_utf8(xml).expect("UTF-8");
        assert!(!xml.contains("<DateDebut>") && xml.contains("<DateFin>2024-12-31</DateFin>"));
        assert!(notes.iter().any(|n| n.message
            == "eComptes: start «2024-02-31» of p/X/OS1/OO1.1/A1 is no date of the calendar: DateDebut left out"));
    }

    #[test]
    fn a_plan_without_ins_is_refused() {
        let plan = Plan {
            id: "p".into(),
            ..Plan::default()
        };
        let error = write_ecomptes(&plan, Vec::new()).expect_err("no INS");
        assert!(error.to_string().contains("no INS code"));
    }
}
