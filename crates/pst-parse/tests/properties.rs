//! Properties of the parsers over large input spaces: no panic on any bytes, and no
//! action row of a catalogue lost, whatever the labels' spelling and the noise around.

use proptest::prelude::*;

fn strategic_label() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "O. S. ",
            "O.S.",
            "OS ",
            "OS.",
            "Objectif stratégique ",
        ]),
        1u32..20,
    )
        .prop_map(|(prefix, n)| format!("{prefix}{n} - Titre {n}"))
}

fn operational_label() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["O. O. ", "O.O. ", "OO ", "OO.", "(O.O."]),
        1u32..20,
        1u32..20,
    )
        .prop_map(|(prefix, os, n)| format!("{prefix}{os}.{n}.\tObjectif {os}.{n}"))
}

fn action_label() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["action ", "Action ", "ACTION ", "Projet "]),
        "[1-9](\\.[1-9]){0,3}",
        "[a-zà-ÿ ]{0,30}",
    )
        .prop_map(|(prefix, code, title)| format!("{prefix}{code}\t{title}x"))
}

#[derive(Debug, Clone)]
enum Row {
    Volet(bool),
    Strategic(String),
    Operational(String),
    Action(String),
    Blank,
}

fn row() -> impl Strategy<Value = Row> {
    prop_oneof![
        1 => any::<bool>().prop_map(Row::Volet),
        2 => strategic_label().prop_map(Row::Strategic),
        3 => operational_label().prop_map(Row::Operational),
        8 => action_label().prop_map(Row::Action),
        1 => Just(Row::Blank),
    ]
}

fn render(rows: &[Row], ending: &str, markup: bool) -> String {
    rows.iter()
        .map(|row| match row {
            Row::Volet(true) => "VOLET EXTERNE".to_owned(),
            Row::Volet(false) => "VOLET INTERNE".to_owned(),
            Row::Strategic(text) if markup => format!("<b>{text}</b>\t"),
            Row::Strategic(text) | Row::Operational(text) | Row::Action(text) => text.clone(),
            Row::Blank => String::new(),
        })
        .collect::<Vec<_>>()
        .join(ending)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = pst_parse::parse("fuzz", &bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(\\PC|\t|\n|\r){0,400}") {
        let _ = pst_parse::parse("fuzz", text.as_bytes());
    }

    #[test]
    fn arbitrary_html_never_panics(body in "(<(/)?(ul|ol|li|h2|p|nav|script|b)>|\\PC|\n){0,300}") {
        let _ = pst_parse::parse("fuzz.html", format!("<!DOCTYPE html><html><body>{body}</body></html>").as_bytes());
    }

    #[test]
    fn arbitrary_outlines_never_panic(lines in prop::collection::vec("( {0,8})(\\d{1,3}[.)] |• |- |o |VOLET EXTERNE|Objectif stratégique 1 :|)\\PC{0,30}", 0..80)) {
        let _ = pst_parse::parse("fuzz.txt", lines.join("\n").as_bytes());
    }

    #[test]
    fn arbitrary_fiches_never_panic(lines in prop::collection::vec(r"(FICHE ACTION - |Libellé|Libellé : 1\.1\.|• 1\.1\.1\.|1\.1\. O\.S\.1 - |\(O\.O\.1\.1\.\) |Taux d'avancement|Description de l'action\tEvaluation Finale|Contexte\tDépartement/Service\t|<table><tr><td>Equipe projet</td><td>|<ul><li>|\t|→ |)\PC{0,20}(\t\PC{0,10}){0,3}", 0..60)) {
        let _ = pst_parse::parse("f.txt", lines.join("\n").as_bytes());
    }

    #[test]
    fn arbitrary_narratives_never_panic(lines in prop::collection::vec(r"(OS \d\t|\tOO \d\.\d\t|action \d\t|PST CPAS\t\tPST COMMUNAL|volet interne\t|\t\t1\.9\.2\t|OS X|2\.2\.1 Volet externe|)\PC{0,20}(\t\PC{0,10}){0,3}", 0..60)) {
        let _ = pst_parse::parse("n.txt", lines.join("\n").as_bytes());
    }

    #[test]
    fn every_action_row_becomes_one_action(
        rows in prop::collection::vec(row(), 1..60),
        ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        markup in any::<bool>(),
    ) {
        let action_rows = rows.iter().filter(|r| matches!(r, Row::Action(_))).count();
        prop_assume!(action_rows > 0);
        let text = render(&rows, ending, markup);
        let document = pst_parse::parse("generated.tsv", text.as_bytes()).expect("a catalogue");
        prop_assert_eq!(document.actions().count(), action_rows);
        let operational: usize = document.strategic_objectives.iter().map(|os| os.operational_objectives.len()).sum();
        let placeholders = document
            .strategic_objectives
            .iter()
            .flat_map(|os| &os.operational_objectives)
            .filter(|oo| oo.placeholder)
            .count();
        let operational_rows = rows.iter().filter(|r| matches!(r, Row::Operational(_))).count();
        prop_assert_eq!(operational - placeholders, operational_rows);
    }
}
