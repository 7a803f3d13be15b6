//! End-to-end tests of fiche-action documents: the Binche final evaluation (hierarchy from
//! the table of contents, one fiche per project, every field, statuses from the
//! document's own buckets, the audit of its stated figures) and crafted variants.

mod common;

use common::*;
use serde_json::json;

const BINCHE: &str = "corpus/binche/evaluation-finale-pst.txt";

#[test]
fn binche_gives_47_projects_under_the_contents_hierarchy() {
    let run = ingest(&[BINCHE]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan = &run.plans()[0];
    assert_eq!(plan["sources"][0]["format"], "fiches");
    assert_eq!(plan["organisation"], "CPAS de Binche");
    assert_eq!(plan["period"], json!({"start": 2019, "end": 2024}));
    assert_eq!(counts(plan), (9, 33, 47));
    // An OO with no fiche still exists; a four-part fiche code is its OO's only action.
    let os6 = &plan["strategic_objectives"][5];
    assert_eq!(os6["operational_objectives"][1]["code"], "OO6.2");
    assert_eq!(os6["operational_objectives"][1]["actions"], json!([]));
    let oo93 = find(plan, "null", "OS9", "OO9.3");
    assert_eq!(strings(&oo93["actions"], "code"), ["3.2.3.1"]);
    // Every project has its completion rate, and a fiche provenance beside the contents'.
    let all = actions(plan);
    assert!(
        all.iter().all(|a| a["progress"].is_u64()),
        "every project has a percentage"
    );
    assert!(
        all.iter()
            .all(|a| a["provenance"].as_array().is_some_and(|p| !p.is_empty()))
    );
    // The 47 "Taux d'avancement" of the document, checked independently with grep.
    let mut progress: Vec<u64> = all.iter().filter_map(|a| a["progress"].as_u64()).collect();
    progress.sort_unstable();
    assert_eq!(
        progress,
        [
            5, 5, 5, 10, 15, 20, 25, 30, 30, 35, 35, 40, 40, 45, 45, 50, 50, 50, 50, 50, 60, 60,
            60, 60, 65, 65, 65, 65, 70, 75, 80, 80, 80, 80, 80, 80, 80, 85, 90, 90, 90, 90, 95, 95,
            95, 100, 100
        ]
    );
}

#[test]
fn binche_fiche_fields() {
    let run = ingest(&[BINCHE]);
    let plan = &run.plans()[0];
    let first = action(plan, "1.1.1.1.1");
    assert_eq!(first["priority"], "Très haute");
    assert_eq!(
        (first["start"].as_str(), first["end"].as_str()),
        (Some("2019"), Some("2024"))
    );
    assert_eq!(first["progress"], 80);
    assert_eq!(first["status"], "done");
    assert_eq!(first["service"], "JURIDIQUE");
    assert_eq!(first["department"], "Juridique/informatique");
    // Tasks and evaluations one per line: seven pairs, the intro line as description.
    let tasks = first["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 7);
    assert_eq!(
        tasks[0],
        json!({"description": "Prendre contact avec la société consultante, J2P, afin d'établir un planning de travail.", "evaluation": "Planning réalisé pour passage dans les divers sites"})
    );
    assert_eq!(tasks[6]["evaluation"], "Ok");
    assert!(tasks.iter().all(|t| t["evaluation"].is_string()));
    assert_eq!(first["pilots"], json!(["Service Juridique"]));
    assert_eq!(first["partners"], json!(["J2P/Eonix"]));
    assert_eq!(
        first["risks"],
        json!([
            "Perte des télécommunications sur certains sites tant que la technologie n'est pas déployée",
            "Evolution constante de la technologie"
        ])
    );
    assert_eq!(first["fte"]["value"], 1.0);
    let second = action(plan, "1.1.1.1.2");
    assert_eq!(second["end"], "2024-12-31");
    assert_eq!(second["status"], "to_reorient");
    assert_eq!(second["service"], "SOCIAL");
    assert_eq!(second["department"], "Social (Aide Générale)");
    assert_eq!(
        second["tasks"][1]["evaluation"],
        "Ok en cours (le bâtiment actuel est équipé de WIFI, des pcs portables ont été acquis)"
    );
    assert_eq!(second["team"], json!(["MICHAEL D. KONIECZNY E."]));
    // A fiche laid out as a label row with the coded libellé in the next row's cells.
    let rh = action(plan, "1.2.1.2.1");
    assert_eq!(
        rh["title"],
        "Acquisition d'un nouveau logiciel RH permettant de couvrir l'ensemble de nos métiers"
    );
    assert_eq!(rh["progress"], 5);
    assert_eq!(rh["status"], "abandoned");
    let csv = run.csv("tasks.csv");
    assert!(csv.starts_with("plan_id,action_id,position,description,evaluation\n"));
}

#[test]
fn binche_stated_figures_are_audited() {
    let run = ingest(&[BINCHE]);
    let plan = &run.plans()[0];
    let claims: Vec<(String, u64, u64, bool)> = plan["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| {
            let label = match c["status"].as_str() {
                Some(status) => status.to_owned(),
                None => c["subject"].as_str().unwrap_or_default().to_owned(),
            };
            (
                label,
                c["stated"].as_u64().unwrap_or(0),
                c["extracted"].as_u64().unwrap_or(0),
                c["agrees"] == true,
            )
        })
        .collect();
    assert_eq!(
        claims,
        [
            ("actions".to_owned(), 47, 47, true),
            ("done".to_owned(), 17, 17, true),
            ("in_progress".to_owned(), 15, 15, true),
            ("to_reorient".to_owned(), 10, 8, false),
            ("abandoned".to_owned(), 5, 7, false),
        ]
    );
    let warnings: Vec<(Option<u64>, String)> = run
        .diagnostics()
        .into_iter()
        .filter(|(severity, ..)| severity == "warning")
        .map(|(_, _, line, message)| (line, message))
        .collect();
    assert_eq!(
        warnings,
        [
            (Some(189), "the document states 10 actions to_reorient (30–49 %) («10 sont à réorienter (entre 30 à 49%)») but 8 were extracted: 1.1.1.1.2 (40 %), 1.3.1.1.1 (35 %), 2.1.3.1.1 (45 %), 2.1.3.1.2 (45 %), 2.3.1.1.2 (40 %), 3.2.3.1 (35 %), 3.2.4.1.1 (30 %), 3.2.4.2.1 (30 %)".to_owned()),
            (Some(190), "the document states 5 actions abandoned (0–29 %) («5 sont abandonnées (entre 0 à 29%)») but 7 were extracted: 1.1.2.1.1 (25 %), 1.1.2.3.1 (20 %), 1.1.3.2.2 (5 %), 1.1.3.2.3 (5 %), 1.1.3.2.4 (10 %), 1.2.1.2.1 (5 %), 3.1.1.1 (15 %)".to_owned()),
        ]
    );
    let statuses: Vec<&str> = actions(plan)
        .iter()
        .filter_map(|a| a["status"].as_str())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "done").count(), 17);
    assert_eq!(statuses.len(), 47);
    insta::assert_snapshot!("binche_json", run.json_text);
}

#[test]
fn crafted_fiches_in_other_spellings_and_encodings() {
    for fixture in [
        "fixtures/fiches/utf8.txt",
        "fixtures/fiches/windows-1252-crlf.txt",
    ] {
        let run = ingest(&[fixture]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let plan = &run.plans()[0];
        assert_eq!(plan["organisation"], "CPAS de Hamois", "{fixture}");
        assert_eq!(plan["period"], json!({"start": 2020, "end": 2025}));
        assert_eq!(counts(plan), (2, 3, 4));
        let creche = action(plan, "1.1.1");
        assert_eq!(creche["priority"], "Haute");
        assert_eq!(
            (creche["start"].as_str(), creche["end"].as_str()),
            (Some("2020-09-01"), Some("2022"))
        );
        assert_eq!(
            creche["tasks"],
            json!([{"description": "Trouver un bâtiment", "evaluation": "Fait"}, {"description": "Engager le personnel", "evaluation": "Fait en 2021"}])
        );
        assert_eq!(creche["pilots"], json!(["Mme Dupont"]));
        assert_eq!(creche["partners"], json!(["ONE"]));
        assert_eq!(
            creche["budget"],
            json!({"amount_eur": 250000.0, "raw": "250.000 €"})
        );
        assert_eq!(creche["fte"], json!({"value": 4.5, "raw": "4,5"}));
        assert_eq!(creche["status"], "done");
        assert_eq!(
            action(plan, "1.1.2")["risks"],
            json!(["Manque de candidates", "Coût des formations"])
        );
        // A fiche whose code extends an OO number joins that OO.
        assert_eq!(
            strings(&find(plan, "null", "OS1", "OO1.2")["actions"], "code"),
            ["1.2.1"]
        );
        let claims: Vec<bool> = plan["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .map(|c| c["agrees"] == true)
            .collect();
        assert_eq!(claims, [true, true, true]);
        let warnings: Vec<String> = run
            .diagnostics()
            .into_iter()
            .filter(|(s, ..)| s == "warning")
            .map(|(.., m)| m)
            .collect();
        assert_eq!(
            warnings,
            [
                "fiche has no coded libellé (e.g. «1.1.1.1.1 → title»): kept under a placeholder objective"
            ]
        );
    }
}
