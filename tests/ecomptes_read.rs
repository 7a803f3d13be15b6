//! eComptes XML as input: every corpus plan ingested, exported with `pst export --to
//! ecomptes`, and the XML ingested again gives the same tree, field by field, for every
//! field the schema holds.
//!
//! What the schema cannot hold, hence not compared (or compared as the writer fills it):
//! - no status: written NON_COMMENCE (read back `not_started`); no progress: written 0;
//!   no ETP: written 0 (read back as no figure);
//! - dates to the year or month: written as a full day (`2024` → 2024-01-01 / 2024-12-31);
//!   `deadline_raw` goes into the description text ("Échéance : …"), not read back;
//! - indicators and pilots: only in the description text ("Indicateurs : …", "Pilotes :
//!   …"), read back as the description, not split (the schema's `Responsable` is one
//!   person with a name, which initials are not);
//! - the action's own `description`, `context`, `priority`, tasks, team, risks,
//!   deliverables, budget, policy objectives, department (the writer writes `service` as
//!   `Departement`), mandataries (`Mandataire` is not written), themes, title variants;
//! - an OS or OO's `placeholder` flag (its placeholder title is carried);
//! - `status_raw` and `comments` share `RemarqueStatut` (status_raw wins): the remark is
//!   compared, whichever field it comes back in;
//! - titles over 255 characters are cut on a word boundary;
//! - the plan's values, links, stated figures (claims), the source documents and their
//!   provenance lines (they become the XML's).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ingest, root};
use pst_model::{Action, Plan, Pst, Status, StrategicObjective, Volet};

/// The corpus plans, and whether the folder needs an INS and a period to be exported
/// (the unnamed CPAS has no `plan.toml`).
const PLANS: [(&str, bool); 4] = [
    ("binche", false),
    ("frameries", false),
    ("virton", false),
    ("cpas-non-nomme", true),
];

fn read_plan(run: &common::Run) -> Plan {
    let pst: Pst = serde_json::from_str(&run.json_text).expect("pst.json");
    assert_eq!(pst.plans.len(), 1, "one plan");
    pst.plans.into_iter().next().expect("one plan")
}

/// `pst export --to ecomptes` of `pst_json` into `out`: the XML file written.
fn export(pst_json: &Path, out: &Path) -> PathBuf {
    let output = Command::new(env!("CARGO_BIN_EXE_pst"))
        .current_dir(root())
        .args(["export", "--to", "ecomptes", "--out"])
        .arg(out)
        .arg(pst_json)
        .output()
        .expect("pst runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("export folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    assert_eq!(files.len(), 1, "one XML file");
    files.pop().expect("one XML file")
}

/// The writer's full day for an ISO prefix: a year or month starts on its first day and
/// ends on its last.
fn full_date(iso: &str, end: bool) -> Option<String> {
    let mut parts = iso.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: Option<u32> = parts.next().and_then(|m| m.parse().ok());
    let day: Option<u32> = parts.next().and_then(|d| d.parse().ok());
    let last = |m: u32| match m {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    };
    let (month, day) = match (month, day, end) {
        (Some(m), Some(d), _) => (m, d),
        (Some(m), None, true) => (m, last(m)),
        (Some(m), None, false) => (m, 1),
        (None, _, true) => (12, 31),
        (None, _, false) => (1, 1),
    };
    ((1..=12).contains(&month) && (1..=last(month)).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The title as `Libelle` carries it: whole, or, over 255 characters, a prefix.
fn same_title(original: &str, read: &str, what: &str) {
    if original.chars().count() <= 255 {
        assert_eq!(read, original, "{what}: title");
    } else {
        let head = read.trim_end_matches('…').trim_end();
        assert!(
            original.starts_with(head) && head.chars().count() > 200,
            "{what}: cut title «{read}» of «{original}»"
        );
    }
}

/// The description the writer composes from the fields it has no element for.
fn written_description(action: &Action) -> String {
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
    // On one line, as every text of the model.
    lines.join(" ")
}

/// The OSs in the writer's order: by volet, volets in order of first appearance.
fn by_volet(plan: &Plan) -> Vec<&StrategicObjective> {
    let mut volets: Vec<Option<Volet>> = Vec::new();
    for os in &plan.strategic_objectives {
        if !volets.contains(&os.volet) {
            volets.push(os.volet);
        }
    }
    volets
        .into_iter()
        .flat_map(|v| {
            plan.strategic_objectives
                .iter()
                .filter(move |os| os.volet == v)
        })
        .collect()
}

/// How many values were compared, per field.
#[derive(Default, Debug)]
struct Compared {
    objectives: usize,
    actions: usize,
    fields: usize,
}

fn compare_action(original: &Action, read: &Action, counted: &mut Compared) {
    let what = &original.id;
    same_title(&original.title, &read.title, what);
    counted.fields += 1;
    let mut equal = |field: &str, ok: bool, detail: String| {
        assert!(ok, "{what}: {field}: {detail}");
        counted.fields += 1;
    };
    equal(
        "code",
        read.code == original.code,
        format!("{} ≠ {}", read.code, original.code),
    );
    let status = original.status.unwrap_or(Status::NotStarted);
    equal(
        "status",
        read.status == Some(status),
        format!("{:?} ≠ {status:?}", read.status),
    );
    let progress = original.progress.unwrap_or(0);
    equal(
        "progress",
        read.progress == Some(progress),
        format!("{:?} ≠ {progress}", read.progress),
    );
    let start = original.start.as_deref().and_then(|d| full_date(d, false));
    equal(
        "start",
        read.start == start,
        format!("{:?} ≠ {start:?}", read.start),
    );
    let end = original.end.as_deref().and_then(|d| full_date(d, true));
    equal("end", read.end == end, format!("{:?} ≠ {end:?}", read.end));
    equal(
        "service (Departement)",
        read.service == original.service,
        format!("{:?} ≠ {:?}", read.service, original.service),
    );
    equal(
        "partners",
        read.partners == original.partners,
        format!("{:?} ≠ {:?}", read.partners, original.partners),
    );
    let etp = original
        .fte
        .as_ref()
        .and_then(|f| f.value)
        .filter(|v| *v > 0.0);
    equal(
        "fte (ETP)",
        read.fte.as_ref().and_then(|f| f.value) == etp,
        format!("{:?} ≠ {etp:?}", read.fte),
    );
    let remark = original
        .status_raw
        .as_deref()
        .or(original.comments.as_deref());
    equal(
        "RemarqueStatut",
        read.status_raw.as_deref().or(read.comments.as_deref()) == remark,
        format!("{:?} / {:?} ≠ {remark:?}", read.status_raw, read.comments),
    );
    let description = written_description(original);
    equal(
        "description",
        read.description.as_deref() == Some(description.as_str()),
        format!("{:?} ≠ {description:?}", read.description),
    );
    // Written nowhere but the description: not read back as fields.
    equal(
        "pilots, indicators, mandataries",
        read.pilots.is_empty() && read.indicators.is_empty() && read.mandataries.is_empty(),
        format!("{:?} {:?}", read.pilots, read.indicators),
    );
    counted.actions += 1;
}

fn compare(original: &Plan, read: &Plan, counted: &mut Compared) {
    assert_eq!(read.organisation, original.organisation, "organisation");
    assert_eq!(read.period, original.period, "period");
    assert_eq!(read.ins, original.ins, "INS");
    let originals = by_volet(original);
    assert_eq!(
        read.strategic_objectives.len(),
        originals.len(),
        "{}: OS count",
        original.id
    );
    for (os, read_os) in originals.into_iter().zip(&read.strategic_objectives) {
        assert_eq!(
            (&read_os.code, read_os.volet),
            (&os.code, os.volet),
            "{}",
            os.id
        );
        same_title(&os.title, &read_os.title, &os.id);
        assert_eq!(
            read_os.operational_objectives.len(),
            os.operational_objectives.len(),
            "{}: OO count",
            os.id
        );
        counted.objectives += 1;
        for (oo, read_oo) in os
            .operational_objectives
            .iter()
            .zip(&read_os.operational_objectives)
        {
            assert_eq!(read_oo.code, oo.code, "{}", oo.id);
            same_title(&oo.title, &read_oo.title, &oo.id);
            assert_eq!(
                read_oo.actions.len(),
                oo.actions.len(),
                "{}: action count",
                oo.id
            );
            counted.objectives += 1;
            for (action, read_action) in oo.actions.iter().zip(&read_oo.actions) {
                compare_action(action, read_action, counted);
            }
        }
    }
}

#[test]
fn corpus_plans_round_trip_through_ecomptes_xml() {
    let corpus = root().join("corpus");
    let mut total = Compared::default();
    for (name, needs_manifest) in PLANS {
        let work = tempfile::tempdir().expect("temp dir");
        let folder = if needs_manifest {
            // No plan.toml: an INS and a period (made up) so that the plan can be exported.
            let folder = work.path().join(name);
            std::fs::create_dir(&folder).expect("folder");
            for entry in std::fs::read_dir(corpus.join(name))
                .expect("corpus folder")
                .flatten()
            {
                std::fs::copy(entry.path(), folder.join(entry.file_name())).expect("copy");
            }
            std::fs::write(
                folder.join("plan.toml"),
                "ins = \"00000\"\nperiod_start = 2019\nperiod_end = 2024\n",
            )
            .expect("plan.toml");
            folder
        } else {
            corpus.join(name)
        };
        let first = ingest(&[folder.to_str().expect("UTF-8 path")]);
        assert_eq!(first.status, 0, "{name}: {}", first.stderr);
        let original = read_plan(&first);
        let xml = export(&first.out.path().join("pst.json"), &work.path().join("xml"));
        let second = ingest(&[xml.to_str().expect("UTF-8 path")]);
        assert_eq!(second.status, 0, "{name}: {}", second.stderr);
        let read = read_plan(&second);
        assert_eq!(read.sources.len(), 1);
        assert_eq!(read.sources[0].format, "ecomptes-xml");
        let mut counted = Compared::default();
        compare(&original, &read, &mut counted);
        assert_eq!(
            counted.actions,
            original.actions().count(),
            "{name}: every action compared"
        );
        eprintln!(
            "{name}: {} OS+OO, {} actions, {} action fields equal; coverage {:?}",
            counted.objectives, counted.actions, counted.fields, read.sources[0].coverage
        );
        total.objectives += counted.objectives;
        total.actions += counted.actions;
        total.fields += counted.fields;
    }
    eprintln!("total: {total:?}");
    // As ingested: Virton 9/35/155, Frameries 6/25/127, Binche 9/33/47, the unnamed CPAS
    // 4/30/108; twelve fields compared per action.
    assert_eq!(
        (total.objectives, total.actions, total.fields),
        (
            9 + 35 + 6 + 25 + 9 + 33 + 4 + 30,
            155 + 127 + 47 + 108,
            437 * 12
        )
    );
}
