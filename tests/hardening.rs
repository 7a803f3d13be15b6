//! Reproducers of the hardening issue (#18), one test per failure: outputs that are
//! always valid and safe (HTML, XML, CSV, XLSX), nothing overwritten or lost, every bad
//! input named while the good ones are written; then a replay of them all with the corpus.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use common::{root, xmllint};
use serde_json::Value;

/// The binary under test: `PST_BIN` when set (to replay these reproducers against an
/// earlier build), else this build's `pst`.
fn bin() -> PathBuf {
    std::env::var_os("PST_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_pst")), PathBuf::from)
}

fn pst(args: &[&str]) -> Output {
    pst_in(&root(), args)
}

fn pst_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("pst runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// The corpus as `pst.json` (ingested once per test binary).
static CORPUS: LazyLock<Value> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let output = pst(&["ingest", "--out", s(&out), "corpus"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&std::fs::read_to_string(out.join("pst.json")).expect("pst.json"))
        .expect("JSON")
});

/// The corpus's plan `id` alone, as a `pst.json` value.
fn corpus_plan(id: &str) -> Value {
    let mut doc = CORPUS.clone();
    let plans = doc["plans"].as_array_mut().expect("plans");
    plans.retain(|p| p["id"] == id);
    assert_eq!(plans.len(), 1, "{id}");
    doc
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).expect("JSON")).expect("write");
}

/// Every string of `value` whose key is not an enumeration gets `suffix` appended.
fn poison(value: &mut Value, key: &str, suffix: &str) {
    const ENUMS: [&str; 11] = [
        "schema",
        "status",
        "severity",
        "volet",
        "format",
        "level",
        "start",
        "end",
        "subject",
        "comparison",
        "ins",
    ];
    match value {
        Value::String(text) if !ENUMS.contains(&key) && key != "sha256" => text.push_str(suffix),
        Value::Array(items) => items.iter_mut().for_each(|v| poison(v, key, suffix)),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| poison(v, k, suffix)),
        _ => {}
    }
}

const MARK: &str = "document.documentElement.setAttribute('data-pwned','1')";

fn payload() -> String {
    [
        format!("\"'><script>{MARK}</script>"),
        format!("\" autofocus onfocus=\"{MARK}\" x=\""),
        format!("' autofocus onfocus='{MARK}' x='"),
        format!("javascript:{MARK}"),
        format!("<img src=x onerror=\"{MARK}\">"),
        format!("</title></text></svg><svg onload=\"{MARK}\">"),
        "]]><!-- &amp; &lt;".to_owned(),
    ]
    .concat()
}

fn chromium() -> &'static str {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok())
        .expect("no Chromium: install the Debian package chromium (the CI script does)")
}

#[test]
fn no_field_of_a_crafted_pst_json_runs_a_script_in_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = CORPUS.clone();
    poison(&mut doc, "", &payload());
    let input = dir.path().join("crafted.json");
    write_json(&input, &doc);
    let report = dir.path().join("report.html");
    let output = pst_in(dir.path(), &["report", "--out", s(&report), s(&input)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = std::fs::read_to_string(&report).expect("report");
    assert!(!html.contains("<script"), "a script tag got through");
    // A probe (the only script) counts what the browser built from the page.
    let probe = r#"<script id="probe">
const all = [...document.querySelectorAll('*')];
const out = document.createElement('pre');
out.id = 'measure';
out.textContent = JSON.stringify({
  scripts: document.querySelectorAll('script').length,
  handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  urls: all.filter(e => [...e.attributes].some(a => /^\s*javascript:/i.test(a.value))).length,
  cards: document.querySelectorAll('.card').length,
  pwned: document.documentElement.hasAttribute('data-pwned') });
document.body.appendChild(out);
</script></body>"#;
    let measured = dir.path().join("measured.html");
    std::fs::write(&measured, html.replace("</body>", probe)).expect("write");
    let dom = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--virtual-time-budget=3000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", measured.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    let start = dom.find("<pre id=\"measure\">").expect("the probe ran") + 18;
    let end = start + dom[start..].find("</pre>").expect("end");
    let figures: Value = serde_json::from_str(&dom[start..end]).expect("JSON");
    assert_eq!(figures["pwned"], false, "{figures}");
    assert_eq!(figures["scripts"], 1, "{figures}");
    assert_eq!(figures["handlers"], 0, "{figures}");
    assert_eq!(figures["urls"], 0, "{figures}");
    assert_eq!(figures["cards"], 4, "{figures}");
    // The text survives, shown as text.
    assert!(
        dom.contains("onfocus=\"document.documentElement"),
        "escaped text kept"
    );
}

/// The 29 code points XML 1.0 cannot hold that a Rust string can.
fn not_xml() -> String {
    (0u32..0x20)
        .filter(|c| ![0x9, 0xA, 0xD].contains(c))
        .chain([0xFFFE, 0xFFFF])
        .filter_map(char::from_u32)
        .collect()
}

#[test]
fn characters_xml_cannot_hold_are_replaced_and_counted() {
    assert_eq!(not_xml().chars().count(), 31);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = corpus_plan("cpas-virton-2018-2024");
    let plan = &mut doc["plans"][0];
    plan["organisation"] = Value::from(format!("CPAS{}de Virton", not_xml()));
    plan["strategic_objectives"][0]["title"] = Value::from("titre\u{1}\u{FFFF}");
    plan["strategic_objectives"][0]["operational_objectives"][0]["actions"][0]["pilots"] =
        Value::from(vec!["A\u{8}B"]);
    let input = dir.path().join("controls.json");
    write_json(&input, &doc);
    let out = dir.path().join("out");
    let output = pst(&["export", "--to", "ecomptes", "--out", s(&out), s(&input)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let file = out.join("cpas-virton-2018-2024.xml");
    xmllint(&file, true).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        err.contains("34 character(s) that XML 1.0 cannot hold replaced by U+FFFD"),
        "{err}"
    );
    // Every other XML output too: the XLSX parts.
    let out = dir.path().join("xlsx");
    let output = pst(&["export", "--to", "xlsx", "--out", s(&out), s(&input)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Every XML part of the workbook, checked by xmllint.
    let file = std::fs::File::open(out.join("pst.xlsx")).expect("xlsx");
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let mut checked = 0;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        if !(entry.name().ends_with(".xml") || entry.name().ends_with(".rels")) {
            continue;
        }
        let part = dir.path().join(format!("part-{index}.xml"));
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        std::fs::write(&part, bytes).expect("write");
        xmllint(&part, false).unwrap_or_else(|e| panic!("{}: {e}", entry.name()));
        checked += 1;
    }
    assert!(checked > 10, "{checked} parts");
}

#[test]
fn the_ecomptes_notes_are_printed() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = pst(&[
        "export",
        "--to",
        "ecomptes",
        "--out",
        s(&out.path().join("x")),
        "corpus/virton",
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains("have no status: written as NON_COMMENCE"),
        "{err}"
    );
}

/// The names in `dir`, but the marker of a `pst` output folder.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".pst-output")
        .collect();
    names.sort();
    names
}

#[test]
fn plans_with_one_id_are_counted_once_and_never_overwrite_each_other() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    write_json(&a, &CORPUS);
    write_json(&b, &CORPUS);
    // The same plans twice (two pst.json, and pst.json plus its documents): once.
    let output = pst(&["compare", s(&a), s(&b), "corpus/binche"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let rows = String::from_utf8_lossy(&output.stdout).lines().count();
    assert_eq!(rows, 5, "header and four plans");
    assert!(
        err.contains("duplicate plan cpas-binche-2019-2024"),
        "{err}"
    );
    // Different plans whose ids differ only in punctuation: two files, a warning.
    let mut first = corpus_plan("cpas-virton-2018-2024");
    first["plans"][0]["id"] = Value::from("cpas.virton");
    let mut second = corpus_plan("cpas-frameries-2019-2024");
    second["plans"][0]["id"] = Value::from("cpas_virton");
    write_json(&a, &first);
    write_json(&b, &second);
    let out = dir.path().join("out");
    let output = pst(&["export", "--to", "ecomptes", "--out", s(&out), s(&a), s(&b)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert_eq!(
        names(&out),
        ["cpas_virton-2.xml", "cpas_virton.xml"],
        "{err}"
    );
    assert!(err.contains("2 file(s)"), "{err}");
    assert!(err.contains("cpas_virton.xml is taken"), "{err}");
}

#[test]
fn a_file_reached_by_two_inputs_is_read_once() {
    let output = pst(&[
        "ingest",
        "corpus",
        "corpus/virton",
        "./corpus/virton/catalogue-actions.tsv",
    ]);
    let output2 = pst(&["ingest", "corpus/virton", "./corpus/virton"]);
    for output in [output, output2] {
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(0), "{err}");
        assert!(
            err.contains(
                "corpus/virton/catalogue-actions.tsv: warning: the same file as corpus/virton/catalogue-actions.tsv: read once"
            ),
            "{err}"
        );
        let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let virton = json["plans"]
            .as_array()
            .expect("plans")
            .iter()
            .filter(|p| p["id"] == "cpas-virton-2018-2024")
            .collect::<Vec<_>>();
        assert_eq!(virton.len(), 1, "{err}");
        assert_eq!(virton[0]["sources"].as_array().map(Vec::len), Some(2));
    }
}

#[test]
fn no_command_writes_over_its_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("pst.json");
    write_json(&input, &corpus_plan("cpas-binche-2019-2024"));
    let before = std::fs::read(&input).expect("read");
    for args in [
        vec!["report", "--out", s(&input), s(&input)],
        vec!["compare", "--out", s(&input), s(&input)],
    ] {
        let output = pst(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&output).contains("is one of the inputs"),
            "{}",
            stderr(&output)
        );
        assert_eq!(std::fs::read(&input).expect("read"), before);
    }
    // A folder of documents is not an output folder.
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(
        root().join("corpus/binche/evaluation-finale-pst.txt"),
        docs.join("e.txt"),
    )
    .expect("copy");
    let output = pst(&["ingest", "--out", s(&docs), s(&docs)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(names(&docs), ["e.txt"]);
}

#[test]
fn a_run_whose_every_input_failed_leaves_the_earlier_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let output = pst(&["ingest", "--out", s(&out), "corpus/virton"]);
    assert_eq!(output.status.code(), Some(0));
    let before = std::fs::read(out.join("pst.json")).expect("pst.json");
    let output = pst(&["ingest", "--out", s(&out), "corpus/virtno"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("corpus/virtno: error: no such file or folder"),
        "{err}"
    );
    assert!(err.contains("left as it was"), "{err}");
    assert_eq!(
        std::fs::read(out.join("pst.json")).expect("pst.json"),
        before
    );
}

#[test]
fn one_bad_input_is_named_and_the_others_are_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.json");
    write_json(&good, &corpus_plan("cpas-binche-2019-2024"));
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema\": \"pst/1\", \"plans\": [").expect("write");
    let out = dir.path().join("out");
    let output = pst(&[
        "export",
        "--to",
        "ecomptes",
        "--out",
        s(&out),
        s(&good),
        s(&bad),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bad.json: error: not a pst.json file"),
        "{err}"
    );
    assert_eq!(names(&out), ["cpas-binche-2019-2024.xml"]);
    let report = dir.path().join("r.html");
    let output = pst(&["report", "--out", s(&report), s(&bad), s(&good)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("bad.json"));
    assert!(
        std::fs::read_to_string(&report)
            .expect("report")
            .contains("Binche")
    );
    let output = pst(&["compare", s(&bad), s(&good)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("bad.json"));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_and_loops_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("virton");
    std::fs::create_dir(&plan).expect("mkdir");
    for file in ["catalogue-actions.tsv", "plan.toml"] {
        std::os::unix::fs::symlink(root().join("corpus/virton").join(file), plan.join(file))
            .expect("symlink");
    }
    let output = pst(&["ingest", s(dir.path())]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["plans"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["plans"][0]["ins"], "85045");
    std::os::unix::fs::symlink(dir.path(), plan.join("loop")).expect("symlink");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), plan.join("broken")).expect("symlink");
    let output = pst(&["ingest", s(dir.path())]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("virton/loop"), "{err}");
    assert!(err.contains("virton/broken"), "{err}");
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["plans"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_cell_over_the_xlsx_limit_is_cut_and_the_file_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = corpus_plan("cpas-binche-2019-2024");
    doc["plans"][0]["strategic_objectives"][0]["title"] = Value::from("mot ".repeat(10_000));
    let input = dir.path().join("long.json");
    write_json(&input, &doc);
    let out = dir.path().join("out");
    let output = pst(&["export", "--to", "xlsx", "--out", s(&out), s(&input)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("32767"), "{err}");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("pst.xlsx")).expect("workbook");
    use calamine::Reader;
    let sheet = book.worksheet_range("objectives").expect("sheet");
    let longest = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string().chars().count()))
        .max();
    assert_eq!(longest, Some(32_767));
}

#[test]
fn a_plan_id_too_long_for_a_file_name_is_cut() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = corpus_plan("cpas-binche-2019-2024");
    doc["plans"][0]["id"] = Value::from(format!("cpas-{}", "é".repeat(357)));
    let input = dir.path().join("long.json");
    write_json(&input, &doc);
    let out = dir.path().join("out");
    let output = pst(&["export", "--to", "ecomptes", "--out", s(&out), s(&input)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let files = names(&out);
    assert_eq!(files.len(), 1, "{err}");
    assert!(files[0].len() <= 255 && files[0].ends_with(".xml"));
    assert!(err.contains("file name cut"), "{err}");
}

/// A folder `binche/` holding Binche's evaluation and `manifest` as its `plan.toml`.
fn binche_with(manifest: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("binche");
    std::fs::create_dir(&plan).expect("mkdir");
    std::fs::copy(
        root().join("corpus/binche/evaluation-finale-pst.txt"),
        plan.join("e.txt"),
    )
    .expect("copy");
    std::fs::write(plan.join("plan.toml"), manifest).expect("write");
    (dir, plan)
}

#[test]
fn an_unknown_key_in_plan_toml_is_an_error_with_its_line() {
    let (dir, _) = binche_with("organisation = \"CPAS de Binche\"\nINS = \"56011\"\n");
    let output = pst(&["ingest", s(dir.path())]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("binche/plan.toml:2: error: manifest cannot be read: unknown key `INS`"),
        "{err}"
    ); // A value out of its range is named with its line too.
    let (dir, _) = binche_with("organisation = \"CPAS de Binche\"\n\nins = \"123\"\n");
    let output = pst(&["ingest", s(dir.path())]);
    let err = stderr(&output);
    assert!(
        err.contains("binche/plan.toml:3: error: manifest ins «123» is not a 5-digit NIS code"),
        "{err}"
    );
}

#[test]
fn the_period_of_plan_toml_wins_over_the_documents() {
    let (dir, _) = binche_with("period_start = 2025\nperiod_end = 2030\nins = \"56011\"\n");
    let output = pst(&["ingest", s(dir.path())]);
    let err = stderr(&output);
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["plans"][0]["period"]["start"], 2025, "{err}");
    assert_eq!(json["plans"][0]["period"]["end"], 2030, "{err}");
    assert!(err.contains("plan.toml's is kept"), "{err}");
}

#[test]
fn compare_neutralises_formulas() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = corpus_plan("cpas-binche-2019-2024");
    doc["plans"][0]["organisation"] = Value::from("=HYPERLINK(\"http://x.invalid\",\"clic\")");
    doc["plans"][0]["id"] = Value::from("@SUM(A1)");
    let input = dir.path().join("f.json");
    write_json(&input, &doc);
    let output = pst(&["compare", s(&input)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().next().expect("row").expect("row");
    for cell in row.iter() {
        assert!(!cell.starts_with(['=', '+', '@']), "{cell}");
    }
    assert!(text.contains("'=HYPERLINK"), "{text}");
}

#[test]
fn max_bytes_applies_to_pst_json_and_plan_toml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("pst.json");
    write_json(&input, &corpus_plan("cpas-binche-2019-2024"));
    let output = pst(&["compare", "--max-bytes", "1000", s(&input)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("pst.json: ") && err.contains("--max-bytes"),
        "{err}"
    );
    let (_manifest_dir, plan) = binche_with(&format!("# {}\n", "x".repeat(2000)));
    // The document (about 150 kB) is read; the manifest, over the limit, is named.
    let output = pst(&["ingest", "--max-bytes", "1000000", s(&plan)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = pst(&["ingest", "--max-bytes", "1500", s(&plan)]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("plan.toml: ") && err.contains("--max-bytes"),
        "{err}"
    );
}

#[test]
fn concurrent_runs_to_one_folder_both_succeed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    for _ in 0..10 {
        let spawn = || {
            Command::new(bin())
                .current_dir(root())
                .args(["ingest", "--out", s(&out), "corpus"])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("pst runs")
        };
        let (first, second) = (spawn(), spawn());
        for child in [first, second] {
            let output = child.wait_with_output().expect("wait");
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        }
    }
    assert_eq!(names(&out), ["csv", "pst.json"]);
    // Nothing left beside the output: no staging, no lock.
    assert_eq!(names(dir.path()), ["out"]);
}

#[test]
fn the_output_folder_is_replaced_as_one_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let output = pst(&["ingest", "--residue", "--out", s(&out), "corpus/virton"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(names(&out), ["csv", "pst.json", "residue.csv"]);
    // What a killed run leaves: a staging folder beside the output.
    let stale = dir.path().join(".out.pst-staging-killed");
    std::fs::create_dir(&stale).expect("mkdir");
    std::fs::write(stale.join("pst.json"), "partial").expect("write");
    let output = pst(&["ingest", "--out", s(&out), "corpus/virton"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        names(&out),
        ["csv", "pst.json"],
        "the stale residue.csv is gone"
    );
    assert!(!stale.exists(), "stale staging removed");
    // The folder and a report get the permissions a plain create gives, not a temporary
    // file's owner-only ones.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| path.metadata().expect("metadata").permissions().mode() & 0o777;
        let plain = dir.path().join("plain");
        std::fs::create_dir(&plain).expect("mkdir");
        assert_eq!(mode(&out), mode(&plain));
        let report = dir.path().join("r.html");
        let output = pst(&["report", "--out", s(&report), "corpus/virton"]);
        assert_eq!(output.status.code(), Some(0));
        std::fs::write(plain.join("f"), "").expect("write");
        assert_eq!(mode(&report), mode(&plain.join("f")));
    }
}

#[test]
fn the_xlsx_is_byte_identical_across_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |name: &str| {
        let out = dir.path().join(name);
        let output = pst(&["export", "--to", "xlsx", "--out", s(&out), "corpus/binche"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        std::fs::read(out.join("pst.xlsx")).expect("xlsx")
    };
    let first = run("a");
    std::thread::sleep(Duration::from_millis(1100));
    assert!(first == run("b"), "pst.xlsx differs between runs");
}

#[test]
fn warnings_are_printed_with_file_and_line_unless_quiet() {
    let output = pst(&["ingest", "corpus/binche"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("corpus/binche/evaluation-finale-pst.txt:"))
        .collect();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(warnings.iter().all(|l| l.contains(": warning: ")), "{err}");
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.starts_with("pst: 1 plan(s)")),
        "{err}"
    );
    let output = pst(&["ingest", "--quiet", "corpus/binche"]);
    assert_eq!(stderr(&output), "");
}

#[test]
fn every_failure_replayed_with_the_corpus_in_under_30_seconds() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    let bad = inputs.join("bad");
    std::fs::create_dir_all(&bad).expect("mkdir");
    std::fs::write(bad.join("plan.toml"), "INS = 1\n").expect("write");
    std::fs::write(bad.join("empty.txt"), "").expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&inputs, bad.join("loop")).expect("symlink");
        std::os::unix::fs::symlink(bad.join("nowhere"), bad.join("broken")).expect("symlink");
    }
    let out = dir.path().join("out");
    let output = pst(&[
        "ingest",
        "--out",
        s(&out),
        "corpus",
        s(&inputs),
        "corpus/typo",
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    for named in ["bad/plan.toml:1", "bad/empty.txt", "corpus/typo"] {
        assert!(err.contains(named), "{named} not named: {err}");
    }
    #[cfg(unix)]
    for named in ["bad/loop", "bad/broken"] {
        assert!(err.contains(named), "{named} not named: {err}");
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("pst.json")).expect("pst.json"))
            .expect("JSON");
    assert_eq!(json["plans"].as_array().map(Vec::len), Some(4));
    // The crafted pst.json files through export, report and compare.
    let mut crafted = CORPUS.clone();
    poison(&mut crafted, "", &format!("{}{}", payload(), not_xml()));
    // Past the consumers' limits: a file name, an XLSX cell; and a formula.
    crafted["plans"][0]["id"] = Value::from(format!("cpas-{}", "é".repeat(357)));
    crafted["plans"][1]["strategic_objectives"][0]["title"] = Value::from("mot ".repeat(10_000));
    crafted["plans"][2]["organisation"] = Value::from("=HYPERLINK(\"http://x.invalid\")");
    let crafted_path = dir.path().join("crafted.json");
    write_json(&crafted_path, &crafted);
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "not json").expect("write");
    let pst_json = out.join("pst.json");
    let inputs = [s(&pst_json), s(&crafted_path), s(&broken), "corpus"];
    for to in ["ecomptes", "xlsx", "jsonl"] {
        let out = dir.path().join(to);
        let mut args = vec!["export", "--to", to, "--out", s(&out)];
        args.extend(inputs);
        let output = pst(&args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{to}: {err}");
        assert!(err.contains("broken.json"), "{to}: {err}");
        assert!(!names(&out).is_empty(), "{to}");
        if to == "xlsx" {
            assert!(err.contains("cut to 32767"), "{err}");
        }
        if to == "ecomptes" {
            assert!(err.contains("file name cut"), "{err}");
            // Three corpus plans with an INS, and their three crafted copies.
            assert_eq!(names(&out).len(), 6, "{:?}", names(&out));
            for file in names(&out).into_iter().filter(|f| f.ends_with(".xml")) {
                xmllint(&out.join(&file), true).unwrap_or_else(|e| panic!("{file}: {e}"));
            }
        }
    }
    let report = dir.path().join("report.html");
    let mut args = vec!["report", "--out", s(&report)];
    args.extend(inputs);
    let output = pst(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        !std::fs::read_to_string(&report)
            .expect("report")
            .contains("<script")
    );
    let mut args = vec!["compare"];
    args.extend(inputs);
    let output = pst(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    // The corpus (4 plans, met three times) and its crafted copy (4 plans): 8 rows.
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(table.lines().count(), 9);
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    for row in reader.records() {
        let row = row.expect("row");
        assert!(row.iter().all(|cell| !cell.starts_with('=')), "{row:?}");
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    eprintln!("replay: {elapsed:?}");
}
