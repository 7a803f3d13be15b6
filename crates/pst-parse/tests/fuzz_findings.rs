//! Inputs the fuzzers found (crashes, slow units), kept in `fixtures/fuzz/`: each is read
//! by every reader and by format detection, without a panic.

use std::path::Path;

use pst_parse::{Format, parse, parse_as};

#[test]
fn every_fuzz_finding_is_read_by_every_reader() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .expect("fixtures/fuzz")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let bytes = std::fs::read(&path).expect("finding");
        let name = path.display().to_string();
        let _ = parse(&name, &bytes);
        for format in Format::ALL {
            let _ = parse_as(&name, &bytes, format);
        }
    }
}

/// A fiche field of many lines (a whole document read as one "Contexte") costs linear
/// time: the found slow unit had its budget text re-scanned at every line.
#[test]
fn a_long_fiche_field_keeps_every_line() {
    let mut text = String::from(
        "1.1. O.S.1 - Aider\n1.1.1.1. (O.O.1.1.) Loger\n• 1.1.1.1.1 Signer 3\nFICHE ACTION - SOCIAL\nLibellé\n1.1.1.1.1 → Signer\nContexte\n",
    );
    for n in 0..20_000 {
        text.push_str(&format!("ligne de contexte {n}\n"));
    }
    text.push_str("Budgétaires (€)\n");
    for n in 0..20_000 {
        text.push_str(&format!("{n} €\n"));
    }
    let document = parse_as("long.txt", text.as_bytes(), Format::Fiches).expect("a plan");
    let action = &document.strategic_objectives[0].operational_objectives[0].actions[0];
    let context = action.context.as_deref().unwrap_or_default();
    assert!(context.starts_with("ligne de contexte 0 ligne de contexte 1 "));
    assert!(context.ends_with("ligne de contexte 19999"));
    let budget = action.budget.as_ref().expect("budget");
    assert!(budget.raw.starts_with("0 € 1 € 2 €"));
    // Many amounts: no single figure.
    assert_eq!(budget.amount_eur, None);
}
