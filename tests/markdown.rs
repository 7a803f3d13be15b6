//! End-to-end tests of Markdown plans: narrative and recap merged (Frameries), pipe
//! tables, recap-only and narrative-only documents.

mod common;

use common::*;
use serde_json::{Value, json};

const FRAMERIES: &str = "corpus/frameries/pst-2019-2024.md";

#[test]
fn frameries_narrative_and_recap_make_one_plan() {
    let run = ingest(&[FRAMERIES]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.plans().len(), 1);
    let plan = &run.plans()[0];
    assert_eq!(plan["sources"][0]["format"], "markdown");
    assert_eq!(plan["organisation"], "CPAS de Frameries");
    assert_eq!(plan["period"], json!({"start": 2019, "end": 2024}));
    assert_eq!(counts(plan), (6, 25, 127));
    let volets: Vec<(&str, &str)> = plan["strategic_objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|os| {
            (
                os["code"].as_str().unwrap_or(""),
                os["volet"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        volets,
        [
            ("OS1", "externe"),
            ("OS2", "externe"),
            ("OS3", "interne"),
            ("OS4", "externe"),
            ("OS5", "externe"),
            ("OS6", "externe")
        ]
    );

    for action in actions(plan) {
        let code = action["code"].as_str().unwrap_or("?");
        assert!(
            !action["indicators"].as_array().is_none_or(Vec::is_empty),
            "action {code} has no indicator"
        );
        assert!(
            !action["pilots"].as_array().is_none_or(Vec::is_empty),
            "action {code} has no pilot"
        );
        assert!(
            action["end"].as_str().is_some_and(|end| end.len() >= 4),
            "action {code} has no end"
        );
        // Read twice: once in the narrative, once in the recap table.
        assert_eq!(
            action["provenance"].as_array().map(Vec::len),
            Some(2),
            "action {code}"
        );
    }
    assert_eq!(
        action(plan, "1")["pilots"],
        json!(["LM", "MR", "MAC", "DB"])
    );
    assert_eq!(action(plan, "39")["pilots"], json!(["SB", "JU", "GDG"]));
    assert_eq!(action(plan, "25")["end"], "2022-02");
    assert_eq!(action(plan, "25")["deadline_raw"], "févr-22");
    assert_eq!(action(plan, "33")["start"], "2019-10");
    assert_eq!(
        action(plan, "1")["provenance"],
        json!([{"source": FRAMERIES, "line": 227, "page": null}, {"source": FRAMERIES, "line": 511, "page": null}])
    );
    assert_eq!(
        action(plan, "11")["indicators"],
        json!([
            "Nombre de partenariats développés",
            "Nombre de bénéficiaires mis en formation"
        ])
    );

    // The complete title extends the narrative's truncated one: it wins, the other is kept.
    let a34 = action(plan, "34");
    assert_eq!(
        a34["title"],
        "Engagement d'un référent qualité en maison de repos"
    );
    assert_eq!(
        a34["title_variants"],
        json!(["Engagement d'un référent qualité/"])
    );
    // Disagreements between narrative and recap are info diagnostics with both lines.
    let infos: Vec<String> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.0 == "info")
        .map(|d| d.3)
        .collect();
    assert!(
        infos
            .iter()
            .any(|m| m.contains("démente") && m.contains(":570)") && m.contains(":318)")),
        "{infos:#?}"
    );
    assert!(
        infos
            .iter()
            .any(|m| m.starts_with("operational objective OO2.4")
                && m.contains("Mettre en place un service")),
        "{infos:#?}"
    );
    // Beyond infos, only the coverage warning: the narrative's prose is residue.
    let warnings: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.0 != "info")
        .collect();
    assert_eq!(
        warnings,
        vec![(
            "warning".to_owned(),
            "corpus/frameries/pst-2019-2024.md".to_owned(),
            None,
            "184 of 505 lines with text were not read into the plan (prose, or a layout not recognised): `pst ingest --residue` lists them".to_owned()
        )]
    );
}

#[test]
fn pipe_tables_with_progress_and_volet_headings() {
    let run = ingest(&["fixtures/markdown/pipe-table-progress.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan = &run.plans()[0];
    assert_eq!(plan["organisation"], "CPAS de Sombreffe");
    assert_eq!(counts(plan), (2, 3, 4));
    assert_eq!(volet_counts(plan, "interne"), (1, 1, 1));
    let first = action(plan, "1");
    assert_eq!(first["pilots"], json!(["AB", "CD"]));
    assert_eq!(
        (&first["start"], &first["end"], &first["progress"]),
        (&json!("2020"), &json!("2022"), &json!(100))
    );
    // No thresholds stated, no status word: a percentage alone gives no status.
    assert_eq!(first["status"], Value::Null);
    assert_eq!(
        action(plan, "2")["indicators"],
        json!(["Fait/pas fait", "Nombre de participants"])
    );
    assert_eq!(action(plan, "2")["end"], "2023-09");
    assert_eq!(action(plan, "3")["end"], "2024-12-31");
    assert_eq!(action(plan, "4")["pilots"], json!(["Service informatique"]));
    assert_eq!(action(plan, "4")["provenance"][0]["line"], 25);
    // The table of contents lists the OS but is not structure.
    assert_eq!(plan["strategic_objectives"][0]["provenance"][0]["line"], 8);
    // The contents and the prose line are residue, and said to be.
    assert_eq!(
        run.diagnostics(),
        vec![(
            "warning".to_owned(),
            "fixtures/markdown/pipe-table-progress.md".to_owned(),
            None,
            "4 of 16 lines with text were not read into the plan (prose, or a layout not recognised): `pst ingest --residue` lists them".to_owned()
        )]
    );
}

#[test]
fn recap_only_document() {
    let run = ingest(&["fixtures/markdown/recap-only.md"]);
    let plan = &run.plans()[0];
    assert_eq!(plan["sources"][0]["format"], "markdown");
    assert_eq!(plan["organisation"], "CPAS de Quaregnon");
    assert_eq!(counts(plan), (2, 2, 3));
    assert_eq!(volet_counts(plan, "interne"), (1, 1, 1));
    assert_eq!(action(plan, "1")["pilots"], json!(["LM", "MAC"]));
    assert_eq!(action(plan, "3")["pilots"], json!(["Service RH"]));
    assert_eq!(action(plan, "3")["start"], "2019-10");
    assert_eq!(
        run.diagnostics(),
        vec![(
            "info".to_owned(),
            "fixtures/markdown/recap-only.md".to_owned(),
            Some(7),
            "pilot «MA C» of action 1 read as «MAC», initials seen elsewhere in the plan"
                .to_owned()
        )]
    );
}

#[test]
fn narrative_only_document() {
    let run = ingest(&["fixtures/markdown/narrative-only.md"]);
    let plan = &run.plans()[0];
    assert_eq!(counts(plan), (2, 2, 3));
    assert_eq!(plan["period"], json!({"start": 2020, "end": 2025}));
    assert_eq!(volet_counts(plan, "externe"), (1, 1, 2));
    let a = action(plan, "2");
    assert_eq!(a["title"], "Mettre en place une permanence téléphonique/");
    assert_eq!((&a["indicators"], &a["end"]), (&json!([]), &Value::Null));
}

#[test]
fn frameries_snapshot() {
    insta::assert_snapshot!("frameries_json", ingest(&[FRAMERIES]).json_text);
}
