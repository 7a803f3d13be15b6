//! End-to-end tests of `pst export`: eComptes XML validated against the official schema
//! with xmllint, JSON Lines with one action per line, and re-export from pst.json.

mod common;

use std::process::Command;

use common::{root, xmllint};
use serde_json::Value;

struct Export {
    status: i32,
    stderr: String,
    out: tempfile::TempDir,
}

fn export(to: &str, inputs: &[&str]) -> Export {
    let out = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_pst"))
        .current_dir(root())
        .args(["export", "--to", to, "--out"])
        .arg(out.path())
        .args(inputs)
        .output()
        .expect("pst runs");
    Export {
        status: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        out,
    }
}

#[test]
fn corpus_plans_export_to_valid_ecomptes_xml() {
    let run = export("ecomptes", &["corpus"]);
    // The plan whose documents name no CPAS has no manifest, hence no INS: refused alone.
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("plan plan-cpas-non-nomme: no INS code"),
        "{}",
        run.stderr
    );
    for (file, ins, actions) in [
        ("cpas-virton-2018-2024.xml", "85045", 155),
        ("cpas-frameries-2019-2024.xml", "53028", 127),
        ("cpas-binche-2019-2024.xml", "56011", 47),
    ] {
        let path = run.out.path().join(file);
        xmllint(&path, true).unwrap_or_else(|e| panic!("{file}: {e}"));
        let xml = std::fs::read_to_string(&path).expect("xml");
        assert!(xml.contains(&format!("<INS>{ins}</INS>")), "{file}");
        assert!(xml.contains("<TypeAdmin>CPAS</TypeAdmin>"));
        assert_eq!(xml.matches("<Action ").count(), actions, "{file}");
    }
    // Statuses map one to one: Binche's 17 / 15 / 8 / 7 buckets.
    let binche =
        std::fs::read_to_string(run.out.path().join("cpas-binche-2019-2024.xml")).expect("xml");
    let action_status = |statut: &str| {
        binche
            .split("<Action ")
            .skip(1)
            .filter(|action| {
                action
                    .split("<Statut>")
                    .nth(1)
                    .is_some_and(|s| s.starts_with(statut))
            })
            .count()
    };
    assert_eq!(
        [
            action_status("TERMINE"),
            action_status("EN_COURS"),
            action_status("PROBLEME"),
            action_status("ANNULE_ABANDONNE")
        ],
        [17, 15, 8, 7]
    );
}

#[test]
fn jsonl_has_one_line_per_action_with_its_context() {
    let run = export("jsonl", &["corpus"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(run.out.path().join("actions.jsonl")).expect("jsonl");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 155 + 127 + 47 + 108);
    let first = &lines[0];
    assert!(first["plan"]["id"].is_string());
    assert!(
        first["strategic_objective"]["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("OS"))
    );
    assert!(
        first["operational_objective"]["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("OO"))
    );
    assert!(
        first["action"]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with(first["plan"]["id"].as_str().unwrap_or("?")))
    );
}

#[test]
fn export_reads_pst_json_without_reingesting() {
    let ingested = common::ingest(&["corpus/virton"]);
    let json = ingested.out.path().join("pst.json");
    let run = export("jsonl", &[json.to_str().expect("utf-8 path")]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(run.out.path().join("actions.jsonl")).expect("jsonl");
    assert_eq!(text.lines().count(), 155);
    let run = export("ecomptes", &[json.to_str().expect("utf-8 path")]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    xmllint(&run.out.path().join("cpas-virton-2018-2024.xml"), true).expect("valid XML");
}

#[test]
fn the_workbook_reads_back_with_the_same_counts_and_typed_cells() {
    use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
    let run = export("xlsx", &["corpus"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let mut workbook: Xlsx<_> =
        open_workbook(run.out.path().join("pst.xlsx")).expect("an xlsx file");
    let names = workbook.sheet_names();
    assert_eq!(
        names,
        [
            "suivi",
            "plans",
            "objectives",
            "actions",
            "indicators",
            "diagnostics",
            "links",
            "tasks",
            "claims",
            "comparaison"
        ]
    );
    // The comparison: one row per plan, shares as percentages, counts as numbers.
    let comparison = workbook
        .worksheet_range("comparaison")
        .expect("comparaison sheet");
    assert_eq!(comparison.height(), 1 + 4);
    let column = |name: &str| {
        comparison
            .rows()
            .next()
            .and_then(|h| h.iter().position(|c| c.get_string() == Some(name)))
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let binche = comparison
        .rows()
        .find(|r| r[0].get_string() == Some("cpas-binche-2019-2024"))
        .expect("Binche row");
    assert_eq!(binche[column("actions")], Data::Float(47.0));
    assert_eq!(binche[column("share_with_progress")], Data::Float(1.0));
    assert_eq!(binche[column("status_done")], Data::Float(17.0));
    let actions = workbook.worksheet_range("actions").expect("actions sheet");
    assert_eq!(actions.height(), 1 + 155 + 127 + 47 + 108);
    let suivi = workbook.worksheet_range("suivi").expect("suivi sheet");
    assert_eq!(suivi.height(), 1 + 437);
    let plans = workbook.worksheet_range("plans").expect("plans sheet");
    assert_eq!(plans.height(), 1 + 4);
    // Header, then a Binche action with 80 %: a number 0.8, not the text "80".
    let header: Vec<String> = actions
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let progress = header
        .iter()
        .position(|h| h == "progress")
        .expect("progress column");
    let end = header.iter().position(|h| h == "end").expect("end column");
    let code = header
        .iter()
        .position(|h| h == "code")
        .expect("code column");
    let row = actions
        .rows()
        .find(|r| r[code] == "1.1.1.1.1")
        .expect("Binche 1.1.1.1.1");
    assert_eq!(row[progress], Data::Float(0.8));
    assert!(matches!(row[end], Data::DateTime(_)), "{:?}", row[end]);
}
