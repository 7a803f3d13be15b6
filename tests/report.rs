//! `pst compare` and `pst report` on the corpus; the report is rendered in headless
//! Chromium (Debian packages chromium), as a person would see it, and its charts measured.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn pst(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pst"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("pst runs")
}

#[test]
fn compare_gives_one_row_per_plan() {
    let output = pst(&["compare", "corpus"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let by_plan = |id: &str| {
        rows.iter()
            .find(|r| &r[0] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    assert_eq!(rows.len(), 4);
    let binche = by_plan("cpas-binche-2019-2024");
    assert_eq!(&binche[column("actions")], "47");
    assert_eq!(&binche[column("status_done")], "17");
    assert_eq!(&binche[column("status_in_progress")], "15");
    assert_eq!(&binche[column("status_to_reorient")], "8");
    assert_eq!(&binche[column("status_abandoned")], "7");
    assert_eq!(&binche[column("claims_disagreeing")], "2");
    assert_eq!(&binche[column("share_with_progress")], "1.000");
    let virton = by_plan("cpas-virton-2018-2024");
    assert_eq!(
        (
            &virton[column("actions_externe")],
            &virton[column("actions_interne")]
        ),
        ("74", "81")
    );
    let frameries = by_plan("cpas-frameries-2019-2024");
    assert_eq!(&frameries[column("share_with_indicators")], "1.000");
    assert_eq!(&frameries[column("theme_aines")], "30");
    assert_eq!(
        header.iter().filter(|h| h.starts_with("theme_")).count(),
        13
    );
}

#[test]
fn a_custom_taxonomy_replaces_the_shipped_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let themes = dir.path().join("themes.toml");
    std::fs::write(
        &themes,
        "[[theme]]\nid = \"repos\"\nlabel = \"Maisons de repos\"\nkeywords = [\"maison de repos\", \"mrs\"]\n",
    )
    .expect("write");
    let output = pst(&[
        "compare",
        "--themes",
        themes.to_str().expect("path"),
        "corpus/frameries",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let header = text.lines().next().expect("header");
    assert!(
        header.ends_with(",claims_disagreeing,theme_repos"),
        "{header}"
    );
}

/// The Chromium of the machine (Debian: chromium).
fn chromium() -> &'static str {
    for candidate in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(candidate).arg("--version").output().is_ok() {
            return candidate;
        }
    }
    panic!("no Chromium: install the Debian package chromium (the CI script does)");
}

/// Renders `page` in headless Chromium and returns the DOM after its scripts ran.
fn render(page: &Path, profile: &Path) -> String {
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,900",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_report_renders_with_its_charts_in_a_browser() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.html");
    let output = pst(&["report", "corpus", "--out", report.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(0));
    let html = std::fs::read_to_string(&report).expect("report");
    // Self-contained: no script, no remote resource.
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<html lang=\"fr\">"));
    // A copy of the page measures what the browser laid out and writes it in the page.
    let measured = dir.path().join("measured.html");
    let probe = r#"<script>
const size = (selector) => [...document.querySelectorAll(selector)]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length;
const out = document.createElement('pre');
out.id = 'measure';
out.textContent = JSON.stringify({
  cards: size('.card'), heat: size('#heat-map rect.cell'), bars: size('#statuses rect.bar'),
  bins: size('svg.histogram rect.bin'), quality: size('#quality tbody tr'),
  claims: size('#claims li'), width: document.documentElement.scrollWidth });
document.body.appendChild(out);
</script></body>"#;
    std::fs::write(&measured, html.replace("</body>", probe)).expect("write");
    let dom = render(&measured, &dir.path().join("profile"));
    let start = dom.find("<pre id=\"measure\">").expect("the probe ran") + 18;
    let end = start + dom[start..].find("</pre>").expect("end");
    let figures: serde_json::Value = serde_json::from_str(&dom[start..end]).expect("JSON");
    assert_eq!(figures["cards"], 4, "{figures}");
    // 13 themes × 4 plans.
    assert_eq!(figures["heat"], 52, "{figures}");
    // Binche: 4 statuses; the three others: one "sans statut" bar each.
    assert_eq!(figures["bars"], 7, "{figures}");
    // Binche's histogram: ten bands, all with actions.
    assert_eq!(figures["bins"], 10, "{figures}");
    assert_eq!(figures["quality"], 4, "{figures}");
    assert_eq!(figures["claims"], 2, "{figures}");
    // Readable on a laptop: nothing wider than the window.
    assert!(
        figures["width"].as_u64().is_some_and(|w| w <= 1200),
        "{figures}"
    );
}
