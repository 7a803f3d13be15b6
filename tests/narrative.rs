//! End-to-end tests of narrative PSTs (prose with tab-separated tables, as text from a
//! PDF): the Virton narrative alone and with its catalogue, reconciliation, links to the
//! communal PST, and crafted variants in other encodings and spellings.

mod common;

use common::*;
use serde_json::{Value, json};

const NARRATIVE: &str = "corpus/virton/pst-2018-2024.txt";

/// Every title in a plan: OS, OO and action titles and their variants.
fn all_titles(plan: &Value) -> Vec<String> {
    let mut titles = Vec::new();
    let mut push = |entity: &Value| {
        titles.push(entity["title"].as_str().unwrap_or_default().to_owned());
        for variant in entity["title_variants"].as_array().into_iter().flatten() {
            titles.push(variant.as_str().unwrap_or_default().to_owned());
        }
    };
    for os in plan["strategic_objectives"]
        .as_array()
        .into_iter()
        .flatten()
    {
        push(os);
        for oo in os["operational_objectives"]
            .as_array()
            .into_iter()
            .flatten()
        {
            push(oo);
            for action in oo["actions"].as_array().into_iter().flatten() {
                push(action);
            }
        }
    }
    titles
}

fn codes_by_os(plan: &Value) -> Vec<(String, Vec<String>)> {
    plan["strategic_objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|os| {
            (
                format!(
                    "{}/{}",
                    os["volet"].as_str().unwrap_or("-"),
                    os["code"].as_str().unwrap_or("")
                ),
                strings(&os["operational_objectives"], "code")
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn the_narrative_alone_gives_the_whole_plan() {
    let run = ingest(&[NARRATIVE]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan = &run.plans()[0];
    assert_eq!(plan["sources"][0]["format"], "narrative");
    assert_eq!(plan["organisation"], "CPAS de Virton");
    assert_eq!(plan["period"], json!({"start": 2018, "end": 2024}));
    assert_eq!(plan["id"], "cpas-virton-2018-2024");
    assert_eq!(counts(plan), (9, 35, 155));
    assert_eq!(volet_counts(plan, "externe"), (6, 24, 74));
    assert_eq!(volet_counts(plan, "interne"), (3, 11, 81));
    // The OO summary table lists OO 4.1 and 4.2 before its `OS 4` cell: they still go to OS4.
    let by_os = codes_by_os(plan);
    assert_eq!(
        by_os[2],
        (
            "externe/OS3".to_owned(),
            vec!["OO3.1".into(), "OO3.2".into(), "OO3.3".into()]
        )
    );
    assert_eq!(by_os[3].1.len(), 9);
    assert_eq!(by_os[3].1[0], "OO4.1");
    // Summary table, then catalogue: two readings of OO 1.1, one entity.
    let oo = find(plan, "externe", "OS1", "OO1.1");
    let lines: Vec<u64> = oo["provenance"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["line"].as_u64())
        .collect();
    assert_eq!(lines, [196, 292]);
    // The fiche template ("OS X", "action X") is no plan content.
    assert!(
        all_titles(plan)
            .iter()
            .all(|t| !t.contains(" X") && !t.is_empty())
    );
    let diagnostics = run.diagnostics();
    assert!(diagnostics.contains(&(
        "info".to_owned(),
        NARRATIVE.to_owned(),
        Some(264),
        "lines 264–286 are a fiche template (placeholder codes such as «OS X»): not read as plan content".to_owned()
    )));
    assert!(diagnostics.contains(&(
        "info".to_owned(),
        NARRATIVE.to_owned(),
        Some(208),
        "operational objective 4.1 comes under OS3 in the document but its code names OS4: placed under OS4".to_owned()
    )));
    // Beyond infos, only the coverage warning: the narrative's prose is residue.
    let warnings: Vec<_> = diagnostics
        .iter()
        .filter(|(severity, ..)| severity != "info")
        .collect();
    assert_eq!(
        warnings,
        [&(
            "warning".to_owned(),
            NARRATIVE.to_owned(),
            None,
            "194 of 477 lines with text were not read into the plan (prose, or a layout not recognised): `pst ingest --residue` lists them".to_owned()
        )],
        "{diagnostics:#?}"
    );
    insta::assert_snapshot!("virton_narrative_json", run.json_text);
}

#[test]
fn catalogue_and_narrative_make_one_plan_with_both_provenances() {
    let run = ingest(&["corpus/virton"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.plans().len(), 1);
    let plan = &run.plans()[0];
    assert_eq!(plan["organisation"], "CPAS de Virton");
    assert_eq!(plan["period"], json!({"start": 2018, "end": 2024}));
    assert_eq!(counts(plan), (9, 35, 155));
    let both = |entity: &Value| {
        let sources: std::collections::BTreeSet<&str> = entity["provenance"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["source"].as_str())
            .collect();
        sources.len() == 2
    };
    let actions = actions(plan);
    assert_eq!(actions.len(), 155);
    assert!(
        actions.iter().all(|a| both(a)),
        "every action is read from both documents"
    );
    assert!(
        plan["strategic_objectives"]
            .as_array()
            .into_iter()
            .flatten()
            .all(both)
    );
    assert!(all_titles(plan).iter().all(|t| !t.contains(" X")));
}

#[test]
fn disagreements_between_the_documents_are_reported_and_kept() {
    let run = ingest(&["corpus/virton"]);
    let plan = &run.plans()[0];
    let oo = find(plan, "externe", "OS1", "OO1.2");
    // The narrative's title extends the catalogue's: the longer one is kept.
    assert_eq!(
        oo["title"],
        "Doter le CPAS d'un budget de référence avant la mi-législature"
    );
    assert_eq!(
        oo["title_variants"],
        json!(["Doter le CPAS d'un budget de référence"])
    );
    let os1 = &plan["strategic_objectives"][0];
    assert_eq!(os1["title"], "Etre un CPAS juste dans son action sociale");
    assert_eq!(
        os1["title_variants"],
        json!(["Être un CPAS juste dans son action sociale"])
    );
    let action = &find(plan, "externe", "OS4", "OO4.1")["actions"][2];
    assert_eq!(
        action["title_variants"],
        json!([
            "Organiser au minimum 3 modules collectifs par an liés au subside \"Participation et activation sociale\""
        ])
    );
    let messages: Vec<String> = run.diagnostics().into_iter().map(|(.., m)| m).collect();
    assert!(messages.contains(&"operational objective OO1.2 (externe): title «Doter le CPAS d'un budget de référence avant la mi-législature» (corpus/virton/pst-2018-2024.txt:197) differs from «Doter le CPAS d'un budget de référence» (corpus/virton/catalogue-actions.tsv:11): the longer title that extends the other is kept, the shorter is in title_variants".to_owned()), "{messages:#?}");
    assert!(messages.contains(&"strategic objective OS1 (externe): title «Être un CPAS juste dans son action sociale» (corpus/virton/pst-2018-2024.txt:187) differs from «Etre un CPAS juste dans son action sociale» (corpus/virton/catalogue-actions.tsv:4): the first is kept, the other is in title_variants".to_owned()));
    assert!(messages.iter().any(|m| m.starts_with("action 3 of OO4.1 (externe): title «Organiser au minimum 3 modules collectifs par an liés au subside")));
    assert!(messages.contains(&"possible duplicate: actions cpas-virton-2018-2024/I/OS1/OO1.5/A1 and cpas-virton-2018-2024/I/OS1/OO1.5/A10 have the same title".to_owned()));
}

#[test]
fn the_synergy_table_links_cpas_entities_to_the_communal_pst() {
    let run = ingest(&[NARRATIVE]);
    let plan = &run.plans()[0];
    let links = plan["links"].as_array().expect("links");
    let pairs: Vec<(&str, &str)> = links
        .iter()
        .map(|l| {
            (
                l["from"].as_str().unwrap_or("-"),
                l["to_code"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    let base = "cpas-virton-2018-2024";
    for (from, to) in [
        ("E/OS3/OO3.3/A1", "1.9.2.1"),
        ("E/OS4/OO4.7/A1", "1.10.3.1"),
        ("I/OS1/OO1.1/A8", "2.2.2.3"),
        ("I/OS1/OO1.1/A11", "2.1.1.3"),
        ("E/OS3", "1.9"),
        ("E/OS3/OO3.3", "1.9.2"),
        ("E/OS3/OO3.3/A1", "1.9.2.3"),
        ("I/OS1/OO1.1", "2.2.1"),
        ("I/OS1/OO1.1/A10", "-"),
    ] {
        let from = format!("{base}/{from}");
        assert!(
            pairs.contains(&(from.as_str(), to)),
            "{from} → {to} in {pairs:#?}"
        );
    }
    assert_eq!(links.len(), 20);
    let wrapped = links
        .iter()
        .find(|l| l["to_code"] == "2.1.1.3")
        .expect("link 2.1.1.3");
    assert_eq!(
        wrapped["from_title"],
        "Organiser semestriellement des réunions conjointes des CODIRS pour assurer le suivi des synergies existantes Ville-CPAS"
    );
    assert_eq!(
        wrapped["to_title"],
        "Poursuivre la tenue des comités de direction conjoints Ville-CPAS conformément aux dispositions légales"
    );
    let csv = run.csv("links.csv");
    assert_eq!(csv.lines().count(), 21);
    assert!(csv.starts_with(
        "plan_id,from,volet,os_code,oo_code,action_code,from_title,to_code,to_title,source,line\n"
    ));
    // The communal objectives listed without a CPAS counterpart are said, not linked.
    let unlinked = run
        .diagnostics()
        .into_iter()
        .filter(|(.., m)| m.contains("with no CPAS objective beside it"))
        .count();
    assert_eq!(unlinked, 3);
}

#[test]
fn crafted_narratives_in_other_encodings_and_spellings() {
    for fixture in [
        "fixtures/narrative/windows-1252-crlf.txt",
        "fixtures/narrative/utf16le-bom.txt",
    ] {
        let run = ingest(&[fixture]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let plan = &run.plans()[0];
        assert_eq!(plan["organisation"], "CPAS d'Ath", "{fixture}");
        assert_eq!(plan["period"], json!({"start": 2019, "end": 2024}));
        assert_eq!(counts(plan), (2, 3, 4), "{fixture}");
        assert_eq!(
            codes_by_os(plan),
            vec![
                (
                    "externe/OS1".to_owned(),
                    vec!["OO1.1".to_owned(), "OO1.2".to_owned()]
                ),
                ("externe/OS2".to_owned(), vec!["OO2.1".to_owned()]),
            ]
        );
        assert_eq!(
            strings(&find(plan, "externe", "OS1", "OO1.1")["actions"], "title"),
            [
                "Ouvrir l'accueil le samedi matin",
                "Former les agents d'accueil à l'écoute active"
            ]
        );
        let links = plan["links"].as_array().expect("links");
        let from: Vec<Option<&str>> = links.iter().map(|l| l["from"].as_str()).collect();
        assert_eq!(
            from,
            [
                Some("cpas-ath-2019-2024/E/OS2"),
                Some("cpas-ath-2019-2024/E/OS2/OO2.1"),
                Some("cpas-ath-2019-2024/E/OS2/OO2.1/A1"),
                Some("cpas-ath-2019-2024/E/OS2/OO2.1/A1"),
                None
            ]
        );
        let warnings: Vec<(Option<u64>, String)> = run
            .diagnostics()
            .into_iter()
            .filter(|(severity, _, line, ..)| severity == "warning" && line.is_some())
            .map(|(_, _, line, message)| (line, message))
            .collect();
        assert_eq!(warnings, [(Some(44), "link to 1.4.1.4 names OS2 › OO2.1 › action 7, which the plan does not have: link kept with no `from`".to_owned())]);
    }
}
