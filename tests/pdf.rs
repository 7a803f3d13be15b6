//! End-to-end tests of PDF input: the Binche evaluation rendered to PDF gives the same
//! projects, percentages and statuses as its text, with pages in provenance; bordered
//! tables are read from the pages' rules (wrapped cells, a table over two pages, the
//! Frameries recap); broken PDFs are named in diagnostics while the other inputs are
//! still read.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

/// code → (progress, status) of every action.
fn progress_by_code(plan: &Value) -> BTreeMap<String, (Value, Value)> {
    actions(plan)
        .into_iter()
        .map(|a| {
            (
                a["code"].as_str().unwrap_or_default().to_owned(),
                (a["progress"].clone(), a["status"].clone()),
            )
        })
        .collect()
}

#[test]
fn the_binche_pdf_gives_the_same_projects_as_its_text() {
    let text = ingest(&["corpus/binche/evaluation-finale-pst.txt"]);
    let pdf = ingest(&["fixtures/pdf/binche-evaluation.pdf"]);
    assert_eq!(pdf.status, 0, "{}", pdf.stderr);
    let (text_plan, pdf_plan) = (&text.plans()[0], &pdf.plans()[0]);
    assert_eq!(pdf_plan["sources"][0]["format"], "fiches");
    assert_eq!(pdf_plan["sources"][0]["encoding"], "pdf-text-layer");
    assert_eq!(pdf_plan["organisation"], "CPAS de Binche");
    assert_eq!(counts(pdf_plan), (9, 33, 47));
    assert_eq!(progress_by_code(pdf_plan), progress_by_code(text_plan));
    // The same stated figures, audited the same way; only where they were read differs.
    let without_provenance = |plan: &Value| {
        let mut claims = plan["claims"].clone();
        for claim in claims.as_array_mut().into_iter().flatten() {
            claim["provenance"] = Value::Null;
        }
        claims
    };
    assert_eq!(without_provenance(pdf_plan), without_provenance(text_plan));
    // Every provenance of a PDF names its page.
    let first = action(pdf_plan, "1.1.1.1.1");
    let pages: Vec<u64> = first["provenance"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["page"].as_u64())
        .collect();
    assert_eq!(pages, [1, 7]);
    assert!(actions(pdf_plan).iter().all(|a| {
        a["provenance"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|p| p["page"].is_u64())
    }));
}

/// Every entity of a plan by kind and code: its title, and an action's indicators,
/// pilots and deadline as written.
fn fields_by_code(plan: &Value) -> BTreeMap<(String, String), Vec<(&'static str, Value)>> {
    let mut fields = BTreeMap::new();
    let code = |v: &Value| v["code"].as_str().unwrap_or_default().to_owned();
    for os in plan["strategic_objectives"]
        .as_array()
        .into_iter()
        .flatten()
    {
        fields.insert(
            ("OS".into(), code(os)),
            vec![("title", os["title"].clone())],
        );
        for oo in os["operational_objectives"]
            .as_array()
            .into_iter()
            .flatten()
        {
            fields.insert(
                ("OO".into(), code(oo)),
                vec![("title", oo["title"].clone())],
            );
            for a in oo["actions"].as_array().into_iter().flatten() {
                let entry = ["title", "indicators", "pilots", "deadline_raw"]
                    .into_iter()
                    .map(|field| (field, a[field].clone()))
                    .collect();
                fields.insert(("action".into(), code(a)), entry);
            }
        }
    }
    fields
}

/// The fields of `got` that differ from `expected`'s: (kind, code, field).
fn differences(expected: &Value, got: &Value) -> Vec<(String, String, &'static str)> {
    let (expected, got) = (fields_by_code(expected), fields_by_code(got));
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "the same entities"
    );
    let mut differences = Vec::new();
    for (key, fields) in &expected {
        for ((field, value), (_, other)) in fields.iter().zip(&got[key]) {
            if value != other {
                differences.push((key.0.clone(), key.1.clone(), *field));
            }
        }
    }
    differences
}

/// A table of 32 actions over two pages (rendered by LibreOffice from the HTML beside
/// it, `make_table_pdfs.sh`): cells wrapped over two or three lines, OS and OO rows
/// spanning the table, the header row repeated on page 2 and a row cut by the page
/// break. The PDF gives exactly the plan of its source.
#[test]
fn a_bordered_table_over_two_pages_gives_the_plan_of_its_source() {
    let source = ingest(&["fixtures/pdf/two-page-table.html"]);
    let pdf = ingest(&["fixtures/pdf/two-page-table.pdf"]);
    assert_eq!(pdf.status, 0, "{}", pdf.stderr);
    let (source_plan, pdf_plan) = (&source.plans()[0], &pdf.plans()[0]);
    assert_eq!(counts(pdf_plan), (2, 4, 32));
    assert_eq!(pdf_plan["organisation"], "CPAS de Testville");
    assert_eq!(differences(source_plan, pdf_plan), []);
    // The row cut by the page break is one action, read on both pages.
    let cut = action(pdf_plan, "2.1.3");
    assert!(
        cut["title"]
            .as_str()
            .is_some_and(|t| t.ends_with("et les services communaux")),
        "{cut}"
    );
    let pages: Vec<u64> = actions(pdf_plan)
        .iter()
        .filter_map(|a| a["provenance"][0]["page"].as_u64())
        .collect();
    assert_eq!(pages.len(), 32);
    assert!(pages.contains(&1) && pages.contains(&2));
    // One line per row (title, prose, header, 2 OS, 4 OO, 32 actions; the header
    // repeated on page 2 is not a line), every one read but the sentence of prose.
    let coverage = &pdf_plan["sources"][0]["coverage"];
    assert_eq!(
        (&coverage["lines"], &coverage["attributed"]),
        (&41.into(), &40.into())
    );
}

/// The Frameries recap table (corpus/frameries/pst-2019-2024.md) rendered as one bordered
/// table: its wrapped cells are whole, and the plan is the Markdown's, field by field.
#[test]
fn the_frameries_recap_pdf_gives_the_plan_of_the_markdown() {
    let markdown = ingest(&["corpus/frameries/pst-2019-2024.md"]);
    let pdf = ingest(&["fixtures/pdf/frameries-recap.pdf"]);
    assert_eq!(pdf.status, 0, "{}", pdf.stderr);
    let (markdown_plan, pdf_plan) = (&markdown.plans()[0], &pdf.plans()[0]);
    assert_eq!(counts(pdf_plan), (6, 25, 127));
    let allowed: Vec<(String, String, &str)> = [
        // The Markdown reads these titles from its chapters, where the recap (all the
        // PDF holds) words them otherwise: « article 27 » / "article 27", en-dehors / en
        // dehors, démence / démente, Etablir / Établir, d'un service / un service.
        ("OO", "OO2.1", "title"),
        ("OO", "OO2.4", "title"),
        ("action", "14", "title"),
        ("action", "43", "title"),
        ("action", "48", "title"),
        // "partenariats/ nombre" in the source; the PDF breaks the line after the slash,
        // which reads as one word ("partenariats/nombre").
        ("action", "78", "indicators"),
    ]
    .into_iter()
    .map(|(kind, code, field)| (kind.to_owned(), code.to_owned(), field))
    .collect();
    assert_eq!(differences(markdown_plan, pdf_plan), allowed);
    let with = |field: &str| {
        actions(pdf_plan)
            .iter()
            .filter(|a| a[field].as_array().is_some_and(|v| !v.is_empty()))
            .count()
    };
    assert_eq!((with("indicators"), with("pilots")), (127, 127));
}

#[test]
fn a_crafted_narrative_pdf_gives_the_plan_of_its_text() {
    let run = ingest(&["fixtures/pdf/ath-narrative.pdf"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan = &run.plans()[0];
    assert_eq!(plan["sources"][0]["format"], "narrative");
    assert_eq!(plan["organisation"], "CPAS d'Ath");
    assert_eq!(counts(plan), (2, 3, 4));
    assert_eq!(plan["links"].as_array().map(Vec::len), Some(5));
}

#[test]
fn broken_pdfs_are_named_and_the_rest_is_read() {
    let run = ingest(&[
        "fixtures/pdf/truncated.pdf",
        "fixtures/pdf/encrypted.pdf",
        "fixtures/pdf/no-text-layer.pdf",
        "fixtures/pdf/page-tree-cycle.pdf",
        "fixtures/pdf/huge-stream.pdf",
        "fixtures/pdf/ath-narrative.pdf",
    ]);
    assert_eq!(run.status, 1);
    assert_eq!(run.plans().len(), 1);
    let errors = run.errors();
    assert_eq!(
        errors,
        [
            (
                "fixtures/pdf/encrypted.pdf".to_owned(),
                "encrypted PDF: it needs a password to be read".to_owned()
            ),
            (
                "fixtures/pdf/huge-stream.pdf".to_owned(),
                "PDF reading stopped: its page contents inflate beyond the memory budget of 100 MB"
                    .to_owned()
            ),
            (
                "fixtures/pdf/no-text-layer.pdf".to_owned(),
                "PDF without a text layer (a scanned document?): no text to read".to_owned()
            ),
            (
                "fixtures/pdf/page-tree-cycle.pdf".to_owned(),
                "PDF could not be read: no pages (the page tree is empty or refers to itself)"
                    .to_owned()
            ),
            (
                "fixtures/pdf/truncated.pdf".to_owned(),
                "PDF could not be read: failed parsing cross reference table: invalid start value"
                    .to_owned()
            ),
        ]
    );
    for path in [
        "truncated.pdf",
        "encrypted.pdf",
        "no-text-layer.pdf",
        "page-tree-cycle.pdf",
        "huge-stream.pdf",
    ] {
        assert!(
            run.stderr.contains(&format!("fixtures/pdf/{path}")),
            "{path} on stderr"
        );
    }
}

/// Each hostile PDF of `fixtures/pdf/hostile` (made by `make_hostile_pdfs.py`) is read in
/// a child process under limits: a stack overflow, an exhausted memory limit or a bomb is
/// an error naming the file, and the corpus read in the same run is complete.
#[test]
fn hostile_pdfs_are_named_and_the_corpus_in_the_same_run_is_complete() {
    let started = std::time::Instant::now();
    let run = ingest(&[
        "corpus/virton",
        "corpus/frameries",
        "fixtures/pdf/hostile/recursive-xobject.pdf",
        "fixtures/pdf/hostile/nested-forms.pdf",
        "fixtures/pdf/hostile/chained-filter-bomb.pdf",
        "fixtures/pdf/hostile/object-stream-bomb.pdf",
        "fixtures/pdf/hostile/operator-flood.pdf",
        "fixtures/pdf/hostile/cyclic-parent.pdf",
        "--pdf-memory",
        "512",
        "--pdf-seconds",
        "20",
    ]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let errors: BTreeMap<String, String> = run
        .diagnostics()
        .into_iter()
        .filter(|(severity, ..)| severity == "error")
        .map(|(_, source, _, message)| (source, message))
        .collect();
    let stack = "PDF reading stopped: the PDF reader overflowed its stack (a drawing that \
                 draws itself, or nesting too deep)";
    let memory = "PDF reading stopped: it needed more memory than the limit of 512 MiB \
                  (--pdf-memory)";
    let budget = "PDF reading stopped: its page contents inflate beyond the memory budget of \
                  100 MB";
    let expected: BTreeMap<String, String> = [
        ("recursive-xobject.pdf", stack),
        ("nested-forms.pdf", stack),
        ("chained-filter-bomb.pdf", budget),
        ("object-stream-bomb.pdf", memory),
        ("operator-flood.pdf", memory),
        (
            "cyclic-parent.pdf",
            "PDF could not be read: its page tree refers to itself",
        ),
    ]
    .into_iter()
    .map(|(file, message)| (format!("fixtures/pdf/hostile/{file}"), message.to_owned()))
    .collect();
    assert_eq!(errors, expected);
    let plans = run.plans();
    assert_eq!(plans.len(), 2);
    let by_org = |name: &str| {
        plans
            .iter()
            .find(|p| p["organisation"] == name)
            .unwrap_or_else(|| panic!("{name} read"))
    };
    assert_eq!(counts(by_org("CPAS de Virton")), (9, 35, 155));
    assert_eq!(counts(by_org("CPAS de Frameries")), (6, 25, 127));
    // Each child stops within its limits; none runs to the wall-clock limit.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

/// 10 000 pages are read in one pass per worker, not one page-tree walk per page.
#[test]
fn ten_thousand_pages_are_read() {
    let run = ingest(&["fixtures/pdf/hostile/ten-thousand-pages.pdf"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan = &run.plans()[0];
    let provenance_pages: std::collections::BTreeSet<u64> = actions(plan)
        .iter()
        .flat_map(|a| a["provenance"].as_array().into_iter().flatten())
        .filter_map(|p| p["page"].as_u64())
        .collect();
    assert_eq!(provenance_pages.len(), 10_000);
    assert_eq!(provenance_pages.last(), Some(&10_000));
}
