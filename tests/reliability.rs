//! Reliability end to end: CSV dialects for spreadsheets, and a folder mixing the corpus
//! with broken and hostile files.

mod common;

use std::path::Path;

use common::*;

const FORMULAS: &str = "fixtures/tsv_catalogue/formula-cells.tsv";

fn ingest_with(args: &[&str]) -> (i32, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_pst"))
        .current_dir(root())
        .arg("ingest")
        .arg("--out")
        .arg(out.path())
        .args(args)
        .status()
        .expect("pst runs");
    (status.code().unwrap_or(-1), out)
}

#[test]
fn the_default_csv_is_rfc4180_and_byte_faithful() {
    let (status, out) = ingest_with(&[FORMULAS]);
    assert_eq!(status, 0);
    let bytes = std::fs::read(out.path().join("csv/actions.csv")).expect("actions.csv");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.starts_with("plan_id,id,volet,"), "no BOM, commas");
    assert!(!text.contains('\r'));
    assert!(text.contains(",\"=HYPERLINK(\"\"http://exemple.test\"\";\"\"cliquer\"\")\","));
    assert!(text.contains(",@SUM(A1:A3) des dépenses,"));
}

#[test]
fn the_excel_dialect_has_semicolons_crlf_a_bom_and_no_live_formulas() {
    let (status, out) = ingest_with(&["--csv-dialect", "excel", FORMULAS]);
    assert_eq!(status, 0);
    let bytes = std::fs::read(out.path().join("csv/actions.csv")).expect("actions.csv");
    assert!(bytes.starts_with(b"\xef\xbb\xbfplan_id;id;volet;"));
    let text = String::from_utf8_lossy(&bytes[3..]).into_owned();
    assert!(
        text.lines().count() == 4 && text.split("\r\n").count() == 5,
        "CRLF endings"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let titles: Vec<String> = reader
        .records()
        .map(|r| r.expect("a record")[6].to_owned())
        .collect();
    assert_eq!(
        titles,
        [
            "'=HYPERLINK(\"http://exemple.test\";\"cliquer\")",
            "'@SUM(A1:A3) des dépenses",
            "Signée le 01/02/2020, « texte ; avec point-virgule »",
        ]
    );
    // pst.json is not a spreadsheet: it keeps the text as read.
    let json = std::fs::read_to_string(out.path().join("pst.json")).expect("pst.json");
    assert!(json.contains("\"title\": \"=HYPERLINK("));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_folder_of_corpus_and_hostile_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("corpus"), dir.path());
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).expect("mkdir");
    std::fs::write(bad.join("empty.txt"), b"").expect("write");
    // 20 kB of deterministic noise.
    let mut state = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..20_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    std::fs::write(bad.join("random.bin"), noise).expect("write");
    std::fs::copy(
        root().join("fixtures/pdf/truncated.pdf"),
        bad.join("truncated.pdf"),
    )
    .expect("copy");
    std::fs::copy(
        root().join("fixtures/pdf/page-tree-cycle.pdf"),
        bad.join("cycle.pdf"),
    )
    .expect("copy");
    std::fs::write(bad.join("one-line.txt"), "mot ".repeat(5 * 1024 * 1024 / 4)).expect("write");
    let deep = format!(
        "<html><body>{}x{}</body></html>",
        "<ul><li>".repeat(20_000),
        "</li></ul>".repeat(20_000)
    );
    std::fs::write(bad.join("deep.html"), deep).expect("write");
    // 4 MB of lists opened and never closed: 512 Ki levels, read in linear time.
    std::fs::write(bad.join("deeper.html"), "<ul><li>".repeat(512 * 1024)).expect("write");
    // One 5 MB catalogue row: an action, kept under placeholders with warnings.
    std::fs::write(
        bad.join("one-row.txt"),
        format!("action 1\t{}", "mot ".repeat(5 * 1024 * 1024 / 4)),
    )
    .expect("write");
    std::fs::copy(
        root().join("fixtures/pdf/huge-stream.pdf"),
        bad.join("huge-stream.pdf"),
    )
    .expect("copy");

    let run = ingest(&[dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let plans = run.plans();
    let mut totals: Vec<(usize, usize, usize)> = plans.iter().map(counts).collect();
    totals.sort_unstable();
    assert_eq!(
        totals,
        [
            (1, 1, 1),
            (4, 30, 108),
            (6, 25, 127),
            (9, 33, 47),
            (9, 35, 155)
        ]
    );
    assert!(
        run.diagnostics()
            .iter()
            .any(|(severity, source, line, message)| {
                severity == "warning"
                    && source.ends_with("bad/one-row.txt")
                    && *line == Some(1)
                    && message.starts_with("action 1 comes before any strategic objective")
            })
    );
    let errors: Vec<String> = run
        .diagnostics()
        .into_iter()
        .filter(|(severity, ..)| severity == "error")
        .map(|(_, source, ..)| source.rsplit('/').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        errors,
        [
            "cycle.pdf",
            "deep.html",
            "deeper.html",
            "empty.txt",
            "huge-stream.pdf",
            "one-line.txt",
            "random.bin",
            "truncated.pdf"
        ]
    );
}

/// Coverage of each corpus document: (path, non-blank lines, attributed lines).
fn coverage(run: &Run) -> Vec<(String, u64, u64)> {
    let mut rows: Vec<(String, u64, u64)> = run
        .plans()
        .iter()
        .flat_map(|plan| plan["sources"].as_array().expect("sources").iter())
        .map(|source| {
            (
                source["path"].as_str().unwrap_or_default().to_owned(),
                source["coverage"]["lines"].as_u64().unwrap_or_default(),
                source["coverage"]["attributed"]
                    .as_u64()
                    .unwrap_or_default(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn every_line_is_attributed_or_listed_as_residue() {
    let run = ingest(&["--residue", "corpus"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let coverage = coverage(&run);
    let residue = std::fs::read_to_string(run.out.path().join("residue.csv")).expect("residue");
    assert!(residue.starts_with("source,line,page,text\n"));
    let mut reader = csv::Reader::from_reader(residue.as_bytes());
    let rows: Vec<(String, u32, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("a record");
            (
                r[0].to_owned(),
                r[1].parse().expect("a line"),
                r[3].to_owned(),
            )
        })
        .collect();
    // Per document, attributed + residue = lines with text: nothing is unaccounted for.
    for (path, lines, attributed) in &coverage {
        let listed = rows.iter().filter(|(source, ..)| source == path).count() as u64;
        assert_eq!(attributed + listed, *lines, "{path}");
    }
    let figures: Vec<(&str, u64, u64)> = coverage
        .iter()
        .map(|(path, lines, attributed)| (path.as_str(), *lines, *attributed))
        .collect();
    assert_eq!(
        figures,
        [
            ("corpus/binche/evaluation-finale-pst.txt", 1888, 1765),
            ("corpus/cpas-non-nomme/pst-page-web.txt", 154, 147),
            // Table rules (`| --- |`) are syntax, not lines with text.
            ("corpus/frameries/pst-2019-2024.md", 505, 321),
            ("corpus/virton/catalogue-actions.tsv", 201, 201),
            ("corpus/virton/pst-2018-2024.txt", 477, 283),
        ]
    );
    // Structure is never residue: no labelled OS / OO / action row, no link-table row.
    let structure = regex::Regex::new(r"^(O\. ?[SO]\. ?\d|OS \d+ |OO \d+\.\d+ |action \d+ |• \d)")
        .expect("regex");
    let leaked: Vec<&(String, u32, String)> = rows
        .iter()
        .filter(|(_, _, text)| structure.is_match(text))
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    // Prose is: the Virton introduction, the fiche template.
    assert!(rows.contains(&(
        "corpus/virton/pst-2018-2024.txt".to_owned(),
        266,
        "OS X".to_owned()
    )));
}

#[test]
fn residue_needs_an_output_folder() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_pst"))
        .current_dir(root())
        .args(["ingest", "--residue", "corpus/virton"])
        .output()
        .expect("pst runs");
    assert_eq!(status.status.code(), Some(2));
}
