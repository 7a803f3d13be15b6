//! Word accuracy of the PDF text layer against poppler's `pdftotext` on the same files
//! (its output is committed beside each fixture): F1 over the multiset of words.

use std::collections::HashMap;
use std::path::Path;

fn words(text: &str) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

fn f1(ours: &str, reference: &str) -> f64 {
    let (a, b) = (words(ours), words(reference));
    let common: usize = a
        .iter()
        .map(|(w, n)| (*n).min(*b.get(w).unwrap_or(&0)))
        .sum();
    let precision = common as f64 / a.values().sum::<usize>().max(1) as f64;
    let recall = common as f64 / b.values().sum::<usize>().max(1) as f64;
    2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE)
}

#[test]
fn word_f1_against_pdftotext_is_above_0_99() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pdf");
    for name in ["binche-evaluation", "virton-narrative"] {
        let pdf = std::fs::read(fixtures.join(format!("{name}.pdf"))).expect("fixture PDF");
        let reference = std::fs::read_to_string(fixtures.join(format!("{name}.pdftotext.txt")))
            .expect("pdftotext reference");
        let ours = pst_parse::pdf_text(&pdf).expect("text layer");
        let score = f1(&ours, &reference);
        assert!(score >= 0.99, "{name}: word F1 {score:.4}");
    }
}

#[test]
fn f1_counts_repeated_words() {
    assert!((f1("a b b", "a b b") - 1.0).abs() < 1e-9);
    assert!((f1("a b", "a b b c") - 2.0 * 1.0 * 0.5 / 1.5).abs() < 1e-9);
}
