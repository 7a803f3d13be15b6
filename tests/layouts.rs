//! The layout zoo: plans written in layouts the corpus does not have (`fixtures/layouts/`,
//! written blind from published Walloon PSTs), each ingested alone through the whole
//! pipeline and compared with its `NAME.expected.json`: counts, organisation, period,
//! every code and title, and every field the expected tree gives. The held-out batch
//! (`fixtures/layouts-held-out/`) was written after the recogniser and never tuned on.
//!
//! Each document keeps a floor at what it measured; the test prints every mismatch.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// (checks passed, checks made, first mismatches) of one document.
fn score(document: &Path, expected: &Value) -> (usize, usize, Vec<String>) {
    let run = ingest(&[document.to_str().expect("utf-8 path")]);
    let mut checks: Vec<(String, bool, String)> = Vec::new();
    let mut check = |what: String, got: &Value, want: &Value| {
        checks.push((what, got == want, format!("got {got} want {want}")));
    };
    let Some(plan) = run.plans().first() else {
        return (0, 1, vec![format!("not read: {}", run.stderr.trim())]);
    };
    let plan = plan.clone();
    let empty = Vec::new();
    let array = |value: &Value, key: &str| value[key].as_array().cloned().unwrap_or_default();
    let oss = array(&plan, "strategic_objectives");
    let oos: Vec<Value> = oss
        .iter()
        .flat_map(|os| array(os, "operational_objectives"))
        .collect();
    let actions: usize = oos.iter().map(|oo| array(oo, "actions").len()).sum();
    let counts = &expected["counts"];
    check(
        "counts".into(),
        &serde_json::json!([oss.len(), oos.len(), actions]),
        &serde_json::json!([counts["os"], counts["oo"], counts["actions"]]),
    );
    if let Some(organisation) = expected.get("organisation") {
        check("organisation".into(), &plan["organisation"], organisation);
    }
    if let Some(period) = expected.get("period").filter(|p| !p.is_null()) {
        let got = match &plan["period"] {
            Value::Null => Value::Null,
            p => serde_json::json!([p["start"], p["end"]]),
        };
        check("period".into(), &got, period);
    }
    for (i, want_os) in expected["objectives"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .enumerate()
    {
        let os = oss.get(i).cloned().unwrap_or(Value::Null);
        let tag = want_os["code"].as_str().unwrap_or("?").to_owned();
        check(format!("{tag}.code"), &os["code"], &want_os["code"]);
        check(format!("{tag}.title"), &os["title"], &want_os["title"]);
        if let Some(volet) = want_os.get("volet") {
            check(format!("{tag}.volet"), &os["volet"], volet);
        }
        let got_oos = array(&os, "operational_objectives");
        for (j, want_oo) in want_os["oos"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .enumerate()
        {
            let oo = got_oos.get(j).cloned().unwrap_or(Value::Null);
            let tag = want_oo["code"].as_str().unwrap_or("?").to_owned();
            check(format!("{tag}.code"), &oo["code"], &want_oo["code"]);
            check(format!("{tag}.title"), &oo["title"], &want_oo["title"]);
            let got_actions = array(&oo, "actions");
            for (k, want) in want_oo["actions"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .enumerate()
            {
                let action = got_actions.get(k).cloned().unwrap_or(Value::Null);
                let tag = format!("{tag}/A{}", want["code"].as_str().unwrap_or("?"));
                check(format!("{tag}.code"), &action["code"], &want["code"]);
                check(format!("{tag}.title"), &action["title"], &want["title"]);
                for field in ["indicators", "pilots", "partners"] {
                    if want[field].as_array().is_some_and(|a| !a.is_empty()) {
                        let got = match &action[field] {
                            Value::Null => serde_json::json!([]),
                            value => value.clone(),
                        };
                        check(format!("{tag}.{field}"), &got, &want[field]);
                    }
                }
                for field in ["service", "deadline_raw", "progress", "status"] {
                    if !want[field].is_null() {
                        check(format!("{tag}.{field}"), &action[field], &want[field]);
                    }
                }
                if want["budget_raw"].is_string() {
                    check(
                        format!("{tag}.budget"),
                        &action["budget"]["raw"],
                        &want["budget_raw"],
                    );
                }
            }
        }
    }
    let passed = checks.iter().filter(|c| c.1).count();
    let misses = checks
        .iter()
        .filter(|c| !c.1)
        .map(|c| format!("{}: {}", c.0, c.2))
        .collect();
    (passed, checks.len(), misses)
}

/// Scores every document of a folder; fails when one falls below its floor.
fn zoo(folder: &str, floors: &[(&str, usize)]) -> (usize, usize) {
    let dir = root().join(folder);
    let mut expected_files: Vec<_> = std::fs::read_dir(&dir)
        .expect("layout folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    expected_files.sort();
    let (mut passed, mut total) = (0, 0);
    let mut below = Vec::new();
    for expected_path in expected_files {
        let file_name = expected_path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let name = file_name.trim_end_matches(".expected.json").to_owned();
        let document = std::fs::read_dir(&dir)
            .expect("layout folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_stem().is_some_and(|s| s.to_string_lossy() == name)
                    && !p.to_string_lossy().ends_with(".json")
            })
            .expect("the document beside its expected tree");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("expected"))
                .expect("expected JSON");
        let (ok, checks, misses) = score(&document, &expected);
        println!("{name}: {ok}/{checks}");
        for miss in misses.iter().take(8) {
            println!("    {miss}");
        }
        passed += ok;
        total += checks;
        let floor = floors
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(checks, |(_, floor)| *floor);
        if ok < floor {
            below.push(format!("{name}: {ok}/{checks}, floor {floor}"));
        }
    }
    println!("{folder}: {passed}/{total} checks");
    assert!(below.is_empty(), "below their floors: {below:#?}");
    (passed, total)
}

#[test]
fn the_layout_zoo_reads_as_its_authors_expect() {
    // Documents not listed must pass every check. Known misses, each a floor:
    // 01: statuses come from a percentage legend ("0 % = non entamé…") the normaliser
    //     does not read.
    let (passed, total) = zoo("fixtures/layouts", &[("01-md-pipe-bold-oo", 104)]);
    assert!(passed * 100 >= total * 98, "{passed}/{total}");
}

/// The held-out batch (`fixtures/layouts-heldout`): twelve plans written blind, by a
/// writer who had not seen the code, scored before any change at 505/1019 checks (one
/// not read at all); the recogniser was then generalised on their failures, so they are
/// no longer a blind measure: each keeps a floor.
#[test]
fn the_held_out_layouts_read_as_their_authors_expect() {
    // Known misses: h01, an indicator list in a sub-list under a bold label; h12, an
    // indicator wrapped onto a line of its own under dot leaders.
    let (passed, total) = zoo(
        "fixtures/layouts-heldout",
        &[
            ("h01-md-atx-axe-mesure", 77),
            ("h12-txt-enjeu-chantier-fiche-wrapped", 67),
        ],
    );
    assert!(passed * 100 >= total * 99, "{passed}/{total}");
}

/// The second held-out batch (`fixtures/layouts-heldout-2`), written blind like the
/// first: 695/1118 checks when first scored (after the first batch's generalisations),
/// then used in turn; each keeps a floor.
#[test]
fn the_second_held_out_batch_reads_as_its_authors_expect() {
    // Known misses: h03, action codes `1-1-1` in a column beside OS/OO columns read as
    // the number alone, budgets in a "Ressources" column; h04, one field; h08, indicator
    // lists under "Indicateurs d'impact" and the organisation's long name; h09, a
    // "Pilote politique" column read as mandataries where the author counts pilots; h12,
    // statuses stated only in sentences ("Cette action est réalisée").
    let (passed, total) = zoo(
        "fixtures/layouts-heldout-2",
        &[
            ("h03-tsv-hyphen-codes", 67),
            ("h04-md-objectif-general-mesure", 84),
            ("h08-txt-fiches-label-above-value", 56),
            ("h09-md-pipe-per-oo-two-pilots", 78),
            ("h12-txt-evaluation-status-sentences", 84),
        ],
    );
    assert!(passed * 100 >= total * 94, "{passed}/{total}");
}

/// The third held-out batch (`fixtures/layouts-heldout-3`), written blind: 555/985
/// checks when first scored (after the generalisations on batches 1 and 2), then used
/// in turn; each keeps a floor.
#[test]
fn the_third_held_out_batch_reads_as_its_authors_expect() {
    // Known misses: titles in capitals are put in sentence case by the normaliser where
    // the authors keep them; partners joined by "et"; OOs known only by a CSS class
    // (08: `<div class="oo">`); statuses stated only in a legend of colours or words.
    let (passed, total) = zoo(
        "fixtures/layouts-heldout-3",
        &[
            ("01-tsv-niveau-par-ligne", 84),
            ("02-csv-virgule-action-en-premier", 69),
            ("03-md-ambitions-label-au-dessus", 64),
            ("06-txt-priorites-degres-sans-accents", 77),
            ("07-md-evaluation-pourcentages-varies", 89),
            ("08-html-cartes-fiches-tableau-horizontal", 40),
            ("09-txt-commune-couverture-qui-quand", 93),
            ("10-csv-pointvirgule-ref-seule", 88),
            ("11-txt-deliberation-annexe-mesures", 71),
        ],
    );
    assert!(passed * 100 >= total * 93, "{passed}/{total}");
}

/// The fourth held-out batch (`fixtures/layouts-heldout-4`), written blind to be hard
/// (Word chapters, a two-column PDF text, a box-drawn tree, a matrix CSV): 366/795 checks
/// when first scored; each keeps a floor.
#[test]
fn the_fourth_held_out_batch_reads_as_its_authors_expect() {
    // Known misses: 10, actions in repeated column groups (Action 1 / Pilote 1 /
    // Échéance 1, Action 2 …) of one row per OO; 05, statuses as colours are read from its
    // legend, but its start and end dates are kept as one deadline; pilots joined by "et".
    let (passed, total) = zoo(
        "fixtures/layouts-heldout-4",
        &[
            ("02-txt-pdf-deux-colonnes", 50),
            ("03-html-deliberation-annexe-tableaux-os", 78),
            ("05-csv-suivi-couleurs", 72),
            ("06-md-oo-gras-sans-numero", 92),
            ("07-tsv-evaluation-2023-2024", 76),
            ("10-csv-matrice-actions-en-colonnes", 11),
        ],
    );
    assert!(passed * 100 >= total * 86, "{passed}/{total}");
}

/// The fifth batch (`fixtures/layouts-heldout-5`): eight ordinary plans written blind,
/// scored once, after every change above: 696/728 checks (96 %); then one rule from its
/// misses (a level name before a colon in a title: 716/728).
#[test]
fn the_fifth_held_out_batch_blind() {
    // Misses: 01, an indicator list; 05, start and end columns kept as one deadline.
    let (passed, total) = zoo(
        "fixtures/layouts-heldout-5",
        &[
            ("01-txt-word-outline-tab-labels", 90),
            ("02-md-tableau-unique-suivi", 81),
            ("05-tsv-tableau-de-bord-dates", 70),
        ],
    );
    assert!(passed * 100 >= total * 95, "{passed}/{total}");
}

#[test]
fn a_synonym_added_to_a_copy_of_the_lexicon_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.txt");
    std::fs::write(
        &plan,
        "Objectif stratégique 1 : Aider\nObjectif opérationnel 1.1 : Loger\n\
         Action 1.1.1 : Ouvrir un abri de nuit\nCheville ouvrière : Service logement\n",
    )
    .expect("plan");
    let pilots = |args: &[&str]| {
        let run = ingest(args);
        assert_eq!(run.status, 0, "{}", run.stderr);
        action(&run.plans()[0], "1.1.1")["pilots"].clone()
    };
    let plan = plan.to_str().expect("utf-8");
    assert_eq!(pilots(&[plan]), serde_json::json!([]));
    let shipped =
        std::fs::read_to_string(root().join("crates/pst-parse/lexicon.toml")).expect("lexicon");
    let edited = shipped.replacen("pilots = [", "pilots = [\"cheville ouvriere\", ", 1);
    assert_ne!(edited, shipped);
    let lexicon = dir.path().join("lexique.toml");
    std::fs::write(&lexicon, edited).expect("lexicon");
    let lexicon = lexicon.to_str().expect("utf-8");
    assert_eq!(
        pilots(&["--lexicon", lexicon, plan]),
        serde_json::json!(["Service logement"])
    );
}

#[test]
fn a_document_with_nothing_recognised_names_its_nearest_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes.txt");
    std::fs::write(
        &notes,
        "Compte rendu de la réunion\nNous avons parlé du budget.\nPilote : Marie\n",
    )
    .expect("notes");
    let run = ingest(&[notes.to_str().expect("utf-8")]);
    assert_eq!(run.status, 1);
    let errors: Vec<String> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.0 == "error")
        .map(|d| d.3)
        .collect();
    assert_eq!(
        errors,
        [
            "unrecognised format: no PST structure (objectives, actions) found; nearest lines: 3 «Pilote : Marie»"
        ]
    );
}

#[test]
fn the_zoo_csv_saved_as_workbooks_gives_the_same_plan() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/layouts/14-csv-semicolon.expected.json"))
            .expect("expected"),
    )
    .expect("JSON");
    for (file, format) in [("suivi-actions.xlsx", "xlsx"), ("suivi-actions.ods", "ods")] {
        let path = root().join("fixtures/office").join(file);
        let (passed, total, misses) = score(&path, &expected);
        assert_eq!(passed, total, "{file}: {misses:#?}");
        let run = ingest(&[path.to_str().expect("utf-8")]);
        let plan = &run.plans()[0];
        assert_eq!(plan["sources"][0]["format"], format);
        // Provenance names the sheet and its row.
        let action = action(plan, "1.1.2");
        assert_eq!(action["provenance"][0]["line"], 3);
        assert!(action["provenance"][0]["sheet"].is_string(), "{action}");
    }
}

#[test]
fn the_xlsx_export_reads_back_as_the_same_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_pst"))
        .args(["export", "--to", "xlsx", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .arg(root().join("corpus/frameries"))
        .status()
        .expect("pst export");
    assert!(status.success());
    let original = ingest(&["corpus/frameries"]);
    let workbook = dir.path().join("out/pst.xlsx");
    let read_back = ingest(&[workbook.to_str().expect("utf-8")]);
    assert_eq!(read_back.status, 0, "{}", read_back.stderr);
    let (a, b) = (&original.plans()[0], &read_back.plans()[0]);
    assert_eq!(counts(b), (6, 25, 127));
    assert_eq!(a["organisation"], b["organisation"]);
    // The follow-up sheet carries no indicators and no plan period: every other field
    // the sheet holds comes back equal.
    let fields = |action: &Value| {
        [
            "code",
            "title",
            "pilots",
            "deadline_raw",
            "start",
            "end",
            "progress",
            "status",
        ]
        .map(|f| action[f].clone())
    };
    let (left, right): (Vec<_>, Vec<_>) = (
        actions(a).into_iter().map(fields).collect(),
        actions(b).into_iter().map(fields).collect(),
    );
    assert_eq!(left, right);
}

#[test]
fn zoo_html_layouts_saved_as_word_and_odt_documents_give_their_plans() {
    // (Word file, the HTML layout it was saved from, checks that must pass). The `<dl>`
    // fields of 17 become a label paragraph and a value paragraph in Word; two values of
    // 103 are still missed.
    for (file, layout, floor) in [
        ("h3-ol.docx", "02-html-h3-ol", None),
        ("rowspan-table.docx", "07-html-rowspan-table", None),
        ("sections-dl.docx", "17-html-sections-dl", Some(101)),
        ("h3-ol.odt", "02-html-h3-ol", None),
        ("rowspan-table.odt", "07-html-rowspan-table", None),
        ("sections-dl.odt", "17-html-sections-dl", Some(101)),
    ] {
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(
                root()
                    .join("fixtures/layouts")
                    .join(format!("{layout}.expected.json")),
            )
            .expect("expected"),
        )
        .expect("JSON");
        let (passed, total, misses) = score(&root().join("fixtures/office").join(file), &expected);
        println!("{file}: {passed}/{total}");
        assert!(
            passed >= floor.unwrap_or(total),
            "{file}: {passed}/{total} {misses:#?}"
        );
    }
}

/// A password-protected Word or Excel file (made by msoffcrypto-tool from the office
/// fixtures, password `secret`) is named with what to do; a workbook of 1 000 000 rows is
/// read within its row bound, with a warning; the other inputs are still read.
#[test]
fn protected_office_files_and_a_million_rows_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workbook = dir.path().join("million.xlsx");
    write_million_row_workbook(&workbook);
    let started = std::time::Instant::now();
    let run = ingest(&[
        "fixtures/office/encrypted.docx",
        "fixtures/office/encrypted.xlsx",
        workbook.to_str().expect("UTF-8 path"),
        "fixtures/layouts/03-txt-labelled-fields.txt",
    ]);
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
    assert_eq!(run.status, 1, "{}", run.stderr);
    let errors = run.errors();
    let protected = "Office file could not be read: password-protected (an encrypted Word or \
                     Excel file): save it without a password to read it";
    assert_eq!(
        errors,
        [
            (
                "fixtures/office/encrypted.docx".to_owned(),
                protected.to_owned()
            ),
            (
                "fixtures/office/encrypted.xlsx".to_owned(),
                protected.to_owned()
            ),
        ]
    );
    assert!(
        run.diagnostics()
            .iter()
            .any(|(severity, source, _, message)| severity == "warning"
                && source.ends_with("million.xlsx")
                && message.contains("200000")),
        "{:?}",
        run.diagnostics()
    );
    // The plan beside them is read whole.
    assert!(run.plans().iter().any(|p| counts(p) == (3, 6, 10)));
}

/// An XLSX of one sheet: a header naming fields, then 1 000 000 action rows.
fn write_million_row_workbook(path: &Path) {
    use std::io::Write;
    let file = std::fs::File::create(path).expect("workbook file");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    let mut entry = |name: &str, text: &str| {
        zip.start_file(name, options).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    };
    entry(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    entry(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    entry(
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Suivi" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    entry(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("sheet");
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Action</t></is></c><c r="B1" t="inlineStr"><is><t>Pilote</t></is></c></row>"#,
    );
    for row in 2..=1_000_001u32 {
        sheet.push_str(&format!(
            r#"<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>Agir {row}</t></is></c><c r="B{row}" t="inlineStr"><is><t>LM</t></is></c></row>"#
        ));
        if sheet.len() > 1 << 20 {
            zip.write_all(sheet.as_bytes()).expect("write");
            sheet.clear();
        }
    }
    sheet.push_str("</sheetData></worksheet>");
    zip.write_all(sheet.as_bytes()).expect("write");
    zip.finish().expect("zip written");
}
