//! The synthetic region of the benchmarks (`pst-region`): 50 plans varied from the corpus
//! in formats, encodings and structure, ingested by `pst`, each with its expected counts.

mod common;

use common::*;

#[test]
fn a_generated_region_is_ingested_with_the_expected_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    pst_region::generate(
        &root().join("corpus"),
        &root().join("fixtures/pdf"),
        50,
        7,
        dir.path(),
    )
    .expect("region written");
    let plans = dir.path().join("plans");
    let run = ingest(&[plans.to_str().expect("utf-8 path")]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.plans().len(), 50);
    std::fs::write(dir.path().join("pst.json"), &run.json_text).expect("write");
    pst_region::check(
        &dir.path().join("expected.json"),
        &dir.path().join("pst.json"),
    )
    .expect("every plan has its expected counts");
    // The formats and encodings vary.
    let sources: Vec<(String, String)> = run
        .plans()
        .iter()
        .flat_map(|p| p["sources"].as_array().expect("sources").clone())
        .map(|s| {
            (
                s["format"].as_str().unwrap_or_default().to_owned(),
                s["encoding"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for format in ["tsv-catalogue", "nested-list", "html", "fiches", "markdown"] {
        assert!(sources.iter().any(|(f, _)| f == format), "{format}");
    }
    for encoding in ["UTF-8", "UTF-16LE (BOM)", "windows-1252", "pdf-text-layer"] {
        assert!(sources.iter().any(|(_, e)| e == encoding), "{encoding}");
    }
}
