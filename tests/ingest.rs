//! End-to-end tests of `pst ingest`: the command line, exit codes, exports and the
//! tab-separated catalogue format, on the corpus and the fixtures.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

#[test]
fn virton_catalogue_gives_the_documented_plan() {
    let run = ingest(&["corpus/virton/catalogue-actions.tsv"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.plans().len(), 1);
    let plan = &run.plans()[0];
    assert_eq!(counts(plan), (9, 35, 155));
    assert_eq!(volet_counts(plan, "externe"), (6, 24, 74));
    assert_eq!(volet_counts(plan, "interne"), (3, 11, 81));
    assert_eq!(
        find(plan, "externe", "OS6", "OO6.2")["actions"]
            .as_array()
            .map(Vec::len),
        Some(14)
    );
    assert_eq!(
        find(plan, "interne", "OS1", "OO1.2")["actions"]
            .as_array()
            .map(Vec::len),
        Some(13)
    );
    assert_eq!(plan["id"], "plan-catalogue-actions");
    assert_eq!(plan["organisation"], Value::Null);
    assert_eq!(plan["sources"][0]["format"], "tsv-catalogue");
    assert_eq!(plan["sources"][0]["bytes"], 23287);

    let os1 = &plan["strategic_objectives"][0];
    assert_eq!(os1["title"], "Etre un CPAS juste dans son action sociale");
    assert_eq!(os1["provenance"][0]["line"], 4);
    let action = &find(plan, "externe", "OS1", "OO1.1")["actions"][3];
    assert_eq!(action["id"], "plan-catalogue-actions/E/OS1/OO1.1/A4");
    assert_eq!(action["code"], "4");
    assert_eq!(
        action["provenance"][0]["source"],
        "corpus/virton/catalogue-actions.tsv"
    );
    assert_eq!(action["provenance"][0]["line"], 9);
    let internal = find(plan, "interne", "OS1", "OO1.1");
    assert_eq!(internal["id"], "plan-catalogue-actions/I/OS1/OO1.1");
    assert_eq!(internal["provenance"][0]["line"], 116);

    // The catalogue names no organisation, and three pairs of its actions are (nearly)
    // the same sentence.
    let source = "corpus/virton/catalogue-actions.tsv".to_owned();
    let info = |line: Option<u64>, message: &str| {
        ("info".to_owned(), source.clone(), line, message.to_owned())
    };
    assert_eq!(
        run.diagnostics(),
        vec![
            info(
                None,
                "no document of this plan names its organisation: organisation left empty"
            ),
            info(
                Some(19),
                "possible duplicate: actions plan-catalogue-actions/E/OS1/OO1.3/A2 and plan-catalogue-actions/E/OS1/OO1.4/A1 have titles that differ by one word («Alimenter la page des réseaux sociaux en vue de développer la communication envers les citoyens» / «Alimenter trimestriellement la page des réseaux sociaux en vue de développer la communication envers les citoyens»)"
            ),
            info(
                Some(169),
                "possible duplicate: actions plan-catalogue-actions/I/OS1/OO1.4/A9 and plan-catalogue-actions/I/OS1/OO1.5/A4 have titles that differ by one word («Communiquer sur le budget et les modifications budgétaires à tous les responsables de services» / «Communiquer annuellement sur le budget et les modifications budgétaires à tous les responsables de services»)"
            ),
            info(
                Some(176),
                "possible duplicate: actions plan-catalogue-actions/I/OS1/OO1.5/A1 and plan-catalogue-actions/I/OS1/OO1.5/A10 have the same title"
            ),
        ]
    );
    insta::assert_snapshot!("virton_catalogue_json", run.json_text);
    insta::assert_snapshot!("virton_catalogue_actions_csv", run.csv("actions.csv"));
}

#[test]
fn folder_manifest_names_the_organisation_and_period() {
    let run = ingest(&["corpus/virton"]);
    let plan = &run.plans()[0];
    assert_eq!(plan["organisation"], "CPAS de Virton");
    assert_eq!(
        plan["period"],
        serde_json::json!({"start": 2018, "end": 2024})
    );
    assert_eq!(plan["id"], "cpas-virton-2018-2024");
    assert_eq!(counts(plan), (9, 35, 155));
}

#[test]
fn csv_tables_have_one_row_per_entity() {
    let run = ingest(&["corpus/virton/catalogue-actions.tsv"]);
    let rows = |name: &str| run.csv(name).lines().count() - 1;
    assert_eq!(rows("plans.csv"), 1);
    assert_eq!(rows("objectives.csv"), 9 + 35);
    assert_eq!(rows("actions.csv"), 155);
    assert_eq!(rows("indicators.csv"), 0);
    assert_eq!(rows("diagnostics.csv"), 4);
    let objectives = run.csv("objectives.csv");
    assert!(objectives.starts_with("plan_id,id,level,volet,code,parent_id,title\n"));
    assert!(objectives.contains(
        "plan-catalogue-actions,plan-catalogue-actions/I/OS1/OO1.2,oo,interne,OO1.2,plan-catalogue-actions/I/OS1,"
    ));
    let actions_csv = run.csv("actions.csv");
    let mut reader = csv::Reader::from_reader(actions_csv.as_bytes());
    let first = reader.records().next().expect("a row").expect("valid CSV");
    assert_eq!(&first[0], "plan-catalogue-actions");
    assert_eq!(&first[5], "1");
    assert_eq!(
        &first[6],
        "Participer tous les trimestres aux plateformes ISP"
    );
    assert_eq!(&first[16], "6");
}

/// The same small plan, whatever its encoding and line endings.
#[test]
fn encodings_and_line_endings_give_the_same_plan() {
    let cases = [
        ("utf8-bom-crlf.tsv", "UTF-8 (BOM)"),
        ("windows-1252.tsv", "windows-1252"),
        ("utf16le-bom.tsv", "UTF-16LE (BOM)"),
        ("utf16be-bom.tsv", "UTF-16BE (BOM)"),
        ("cr-line-endings.tsv", "UTF-8"),
    ];
    for (file, encoding) in cases {
        let run = ingest(&[&format!("fixtures/tsv_catalogue/{file}")]);
        assert_eq!(run.status, 0, "{file}: {}", run.stderr);
        let plan = &run.plans()[0];
        assert_eq!(plan["sources"][0]["encoding"], encoding, "{file}");
        assert_eq!(counts(plan), (2, 3, 4), "{file}");
        assert_eq!(volet_counts(plan, "interne"), (1, 1, 1), "{file}");
        let oo = find(plan, "externe", "OS1", "OO1.2");
        assert_eq!(
            oo["title"], "Mettre en œuvre le Centre d'accueil de jour",
            "{file}"
        );
        assert_eq!(oo["provenance"][0]["line"], 8, "{file}");
        let action = &find(plan, "interne", "OS1", "OO1.1")["actions"][0];
        assert_eq!(
            action["title"], "Réunir le comité de concertation « Ville-CPAS »",
            "{file}"
        );
        assert_eq!(action["provenance"][0]["line"], 14, "{file}");
        // The blank line inside OO 1.1 is a page break: both actions stay in it.
        assert_eq!(
            find(plan, "externe", "OS1", "OO1.1")["actions"]
                .as_array()
                .map(Vec::len),
            Some(2),
            "{file}"
        );
    }
}

#[test]
fn other_spellings_of_labels() {
    let run = ingest(&["fixtures/tsv_catalogue/other-spellings.tsv"]);
    let plan = &run.plans()[0];
    assert_eq!(counts(plan), (2, 3, 4));
    let oo = find(plan, "externe", "OS1", "OO1.1");
    assert_eq!(oo["title"], "Informer le public");
    let codes: Vec<&str> = strings(&oo["actions"], "code");
    assert_eq!(codes, ["1.1.1", "1.1.2"]);
    assert_eq!(oo["actions"][1]["title"], "Tenir une permanence mensuelle");
    let os2 = &plan["strategic_objectives"][1];
    assert_eq!(
        (os2["code"].as_str(), os2["title"].as_str()),
        (Some("OS2"), Some("Lutter contre l'isolement"))
    );
    assert_eq!(
        find(plan, "externe", "OS2", "OO2.1")["actions"][0]["title"],
        "Organiser un repas mensuel"
    );
}

#[test]
fn status_words_become_contract_statuses() {
    let run = ingest(&["fixtures/tsv_catalogue/status-column.tsv"]);
    let plan = &run.plans()[0];
    let statuses: Vec<&Value> = find(plan, "null", "OS1", "OO1.1")["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| &a["status"])
        .collect();
    let want = ["done", "in_progress", "not_started", "abandoned", "on_hold"];
    for (got, want) in statuses.iter().zip(want) {
        assert_eq!(*got, want);
    }
    assert_eq!(statuses[5], &Value::Null);
    assert!(run.diagnostics().contains(&(
        "warning".to_owned(),
        "fixtures/tsv_catalogue/status-column.tsv".to_owned(),
        Some(8),
        "cell «Peut-être» of an action row not recognised: not kept".to_owned()
    )));
}

#[test]
fn header_row_names_status_and_percentage_columns() {
    let run = ingest(&["fixtures/tsv_catalogue/percent-column.tsv"]);
    let plan = &run.plans()[0];
    let actions = find(plan, "null", "OS1", "OO1.1")["actions"]
        .as_array()
        .expect("actions");
    let got: Vec<(&Value, &Value, &Value)> = actions
        .iter()
        .map(|a| (&a["progress"], &a["status"], &a["status_raw"]))
        .collect();
    assert_eq!(
        got[0],
        (
            &Value::from(100),
            &Value::from("done"),
            &Value::from("Réalisée")
        )
    );
    assert_eq!(
        got[1],
        (
            &Value::from(45),
            &Value::from("in_progress"),
            &Value::from("En cours")
        )
    );
    assert_eq!(got[2], (&Value::from(0), &Value::Null, &Value::Null));
    assert_eq!(got[3], (&Value::Null, &Value::Null, &Value::Null));
    assert!(run.diagnostics().contains(&(
        "warning".to_owned(),
        "fixtures/tsv_catalogue/percent-column.tsv".to_owned(),
        Some(7),
        "percentage «150 %» is not between 0 and 100: not kept".to_owned()
    )));
}

#[test]
fn content_before_its_parent_is_kept_under_placeholders() {
    let run = ingest(&["fixtures/tsv_catalogue/action-before-oo.tsv"]);
    let plan = &run.plans()[0];
    assert_eq!(counts(plan), (2, 3, 3));
    let orphan = find(plan, "null", "OS0", "OO0.0");
    assert_eq!(orphan["placeholder"], true);
    assert_eq!(orphan["actions"][0]["title"], "Une action orpheline");
    let early = find(plan, "null", "OS2", "OO2.0");
    assert_eq!(early["placeholder"], true);
    assert_eq!(early["actions"][0]["code"], "7");
    assert_eq!(early["actions"][0]["provenance"][0]["line"], 3);
    let source = "fixtures/tsv_catalogue/action-before-oo.tsv".to_owned();
    let warnings: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.0 == "warning")
        .collect();
    assert_eq!(
        warnings,
        vec![
            (
                "warning".into(),
                source.clone(),
                Some(1),
                "action 1 comes before any operational objective: kept under placeholder OO0.0"
                    .into()
            ),
            (
                "warning".into(),
                source.clone(),
                Some(1),
                "action 1 comes before any strategic objective: kept under placeholder OS0".into()
            ),
            (
                "warning".into(),
                source,
                Some(3),
                "action 7 comes before any operational objective: kept under placeholder OO2.0"
                    .into()
            ),
        ]
    );
}

#[test]
fn fixtures_snapshots() {
    insta::glob!("../fixtures/tsv_catalogue", "*.tsv", |path| {
        let relative = path.strip_prefix(root()).expect("inside the repository");
        let run = ingest(&[relative.to_str().expect("UTF-8 path")]);
        insta::assert_snapshot!(run.json_text);
    });
}

#[test]
fn unreadable_inputs_are_reported_and_the_others_still_come_out() {
    let run = ingest(&[
        "fixtures/unreadable/empty.txt",
        "fixtures/unreadable/binary.tsv",
        "fixtures/unreadable/prose.txt",
        "fixtures/does-not-exist.tsv",
        "fixtures/tsv_catalogue/other-spellings.tsv",
    ]);
    assert_eq!(run.status, 1);
    assert_eq!(run.plans().len(), 1);
    assert_eq!(counts(&run.plans()[0]), (2, 3, 4));
    let errors: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.0 == "error")
        .map(|d| (d.1, d.3))
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                "fixtures/does-not-exist.tsv".to_owned(),
                "no such file or folder".to_owned()
            ),
            (
                "fixtures/unreadable/binary.tsv".to_owned(),
                "binary content: not a text document in a supported encoding".to_owned()
            ),
            (
                "fixtures/unreadable/empty.txt".to_owned(),
                "empty document".to_owned()
            ),
            (
                "fixtures/unreadable/prose.txt".to_owned(),
                "unrecognised format: no PST structure (objectives, actions) found".to_owned()
            ),
        ]
    );
    for path in ["empty.txt", "binary.tsv", "prose.txt"] {
        assert!(
            run.stderr
                .contains(&format!("fixtures/unreadable/{path}: error: ")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn oversized_inputs_are_refused_by_name() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_pst"))
        .current_dir(root())
        .args(["ingest", "--max-bytes", "100", "--out"])
        .arg(out.path())
        .arg("corpus/virton/catalogue-actions.tsv")
        .output()
        .expect("pst runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "corpus/virton/catalogue-actions.tsv: error: 23287 bytes is over the limit of 100 bytes"
        ),
        "{stderr}"
    );
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let args = ["corpus", "fixtures/tsv_catalogue"];
    let one = ingest_with_threads(&args, Some(1));
    let two = ingest_with_threads(&args, Some(2));
    let again = ingest_with_threads(&args, Some(2));
    assert_eq!(one.json_text, two.json_text);
    assert_eq!(two.json_text, again.json_text);
    for table in [
        "plans.csv",
        "objectives.csv",
        "actions.csv",
        "indicators.csv",
        "diagnostics.csv",
    ] {
        assert_eq!(one.csv(table), two.csv(table), "{table}");
    }
}

#[test]
fn without_out_the_json_goes_to_standard_output() {
    let output = Command::new(env!("CARGO_BIN_EXE_pst"))
        .current_dir(root())
        .args(["ingest", "fixtures/tsv_catalogue/other-spellings.tsv"])
        .output()
        .expect("pst runs");
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json["schema"], "pst/1");
    assert_eq!(counts(&json["plans"][0]), (2, 3, 4));
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["ingest"][..],
        &["ingest", "--no-such-flag", "corpus"],
        &["frobnicate"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_pst"))
            .args(args)
            .output()
            .expect("pst runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

/// `pst ingest DIR --out DIR/out` run twice: the second run skips its own output folder
/// (an info naming it) and writes the same plans; a pst.json given as input is loaded as
/// it is, not read as a document.
#[test]
fn its_own_outputs_are_skipped_on_a_rerun_and_a_pst_json_is_loaded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("frameries");
    std::fs::create_dir(&plan).expect("plan folder");
    for file in ["pst-2019-2024.md", "plan.toml"] {
        std::fs::copy(root().join("corpus/frameries").join(file), plan.join(file)).expect("copy");
    }
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pst"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("pst runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let plans_of = |path: &str| -> Value {
        let text = std::fs::read_to_string(dir.path().join(path)).expect("pst.json");
        serde_json::from_str::<Value>(&text).expect("JSON")["plans"].clone()
    };
    assert_eq!(run(&["ingest", ".", "--out", "out"]).0, Some(0));
    let first = plans_of("out/pst.json");
    let (status, stderr) = run(&["ingest", ".", "--out", "out"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(plans_of("out/pst.json"), first);
    let diagnostics: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/pst.json")).expect("pst.json"),
    )
    .expect("JSON");
    assert!(
        diagnostics["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["source"] == "./out"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("skipped: pst's own output folder"))),
        "{diagnostics}"
    );
    // Given alone, a pst.json gives its plans back as they were.
    assert_eq!(
        run(&["ingest", "out/pst.json", "--out", "again"]).0,
        Some(0)
    );
    assert_eq!(plans_of("again/pst.json"), first);
}
