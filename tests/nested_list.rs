//! End-to-end tests of plans published as web pages: nested lists in text and in HTML.

mod common;

use common::*;
use serde_json::Value;

/// The plan without what depends on the file it was read from (ids, provenance, sources).
fn shape(plan: &Value) -> Value {
    let mut plan = plan.clone();
    for key in ["id", "sources"] {
        plan.as_object_mut().map(|o| o.remove(key));
    }
    strip(&mut plan);
    plan
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("id");
            map.remove("provenance");
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

const SEED: &str = "corpus/cpas-non-nomme/pst-page-web.txt";

#[test]
fn seed_web_page_gives_the_documented_plan() {
    let run = ingest(&[SEED]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan = &run.plans()[0];
    assert_eq!(plan["sources"][0]["format"], "nested-list");
    assert_eq!(counts(plan), (4, 30, 108));
    assert_eq!(volet_counts(plan, "externe"), (3, 19, 71));
    assert_eq!(volet_counts(plan, "interne"), (1, 11, 37));
    assert_eq!(plan["organisation"], Value::Null);
    assert_eq!(
        plan["values"],
        serde_json::json!(["HUMANITE", "PROFESSIONNALISME", "RESPECT"])
    );
    let oo = find(plan, "externe", "OS2", "OO2.2");
    assert_eq!(
        oo["title"],
        "Mener des actions en matière de logement et d’accompagnement social"
    );
    assert_eq!(oo["actions"].as_array().map(Vec::len), Some(10));
    // OS numbering runs across volets; OO numbers are local to their OS.
    let internal = find(plan, "interne", "OS4", "OO4.11");
    assert_eq!(internal["title"], "Développer des synergies avec la Ville");
    let first = &find(plan, "externe", "OS1", "OO1.1")["actions"][0];
    assert_eq!(first["code"], "1");
    assert_eq!(
        first["title"],
        "Définir des modèles de courrier, délibérations, …communs à l’ensemble des services"
    );
    assert_eq!(first["provenance"][0]["line"], 39);
    let titles: Vec<&str> = strings(&plan["strategic_objectives"], "title");
    assert!(
        !titles
            .iter()
            .any(|t| t.contains("HUMANITE") || t.contains("Déclaration")),
        "{titles:?}"
    );
    assert_eq!(
        run.diagnostics(),
        vec![(
            "info".to_owned(),
            SEED.to_owned(),
            None,
            "no document of this plan names its organisation: organisation left empty".to_owned()
        )]
    );
    insta::assert_snapshot!("seed_web_page_json", run.json_text);
}

#[test]
fn html_rendering_gives_the_same_plan_as_the_text() {
    let text = ingest(&[SEED]);
    for (file, encoding) in [
        ("fixtures/html/seed-page.html", "UTF-8"),
        ("fixtures/html/cms-chrome-windows-1252.html", "windows-1252"),
    ] {
        let html = ingest(&[file]);
        assert_eq!(html.status, 0, "{file}: {}", html.stderr);
        let plan = &html.plans()[0];
        assert_eq!(plan["sources"][0]["format"], "html", "{file}");
        assert_eq!(plan["sources"][0]["encoding"], encoding, "{file}");
        assert_eq!(shape(plan), shape(&text.plans()[0]), "{file}");
    }
}

#[test]
fn html_lines_point_at_the_source() {
    let run = ingest(&["fixtures/html/seed-page.html"]);
    let plan = &run.plans()[0];
    let source =
        std::fs::read_to_string(root().join("fixtures/html/seed-page.html")).expect("fixture");
    let lines: Vec<&str> = source.lines().collect();
    let oo = find(plan, "externe", "OS2", "OO2.2");
    for entity in std::iter::once(oo).chain(oo["actions"].as_array().into_iter().flatten()) {
        let line = entity["provenance"][0]["line"].as_u64().expect("a line") as usize;
        let title = entity["title"].as_str().expect("a title");
        let first_word = title.split(' ').next().unwrap_or_default();
        assert!(
            lines[line - 1].contains(first_word),
            "line {line} «{}» for «{title}»",
            lines[line - 1]
        );
    }
}

#[test]
fn labelled_objectives_other_bullets_and_wrapped_items() {
    let run = ingest(&["fixtures/nested_list/labelled-objectives.txt"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan = &run.plans()[0];
    assert_eq!(plan["organisation"], "CPAS de Hamois");
    assert_eq!(
        plan["period"],
        serde_json::json!({"start": 2019, "end": 2024})
    );
    assert_eq!(plan["id"], "cpas-hamois-2019-2024");
    assert_eq!(counts(plan), (3, 4, 7));
    assert_eq!(volet_counts(plan, "interne"), (1, 1, 1));
    let oo = find(plan, "externe", "OS1", "OO1.1");
    assert_eq!(oo["title"], "Informer le public");
    let titles: Vec<&str> = strings(&oo["actions"], "title");
    assert_eq!(
        titles,
        [
            "Publier un guide des aides",
            "Tenir une permanence mensuelle dans chaque village"
        ]
    );
    let bullets: Vec<&str> = strings(&find(plan, "externe", "OS2", "OO2.1")["actions"], "title");
    assert_eq!(
        bullets,
        [
            "Organiser un repas mensuel",
            "Visiter les aînés",
            "Appeler les personnes seules"
        ]
    );
    assert_eq!(
        find(plan, "interne", "OS3", "OO3.1")["actions"][0]["title"],
        "Adopter un plan de formation"
    );
    assert!(run.diagnostics().is_empty(), "{:?}", run.diagnostics());
}
