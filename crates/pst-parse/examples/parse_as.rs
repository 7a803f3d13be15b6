//! Reads one file as a given format, without format detection, and prints what it read
//! and how long it took: `cargo run --release -p pst-parse --example parse_as -- fiches FILE`.

use std::time::Instant;

use pst_parse::Format;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(format), Some(path)) = (args.next(), args.next()) else {
        eprintln!(
            "usage: parse_as FORMAT FILE (FORMAT: tsv-catalogue, narrative, fiches, markdown, nested-list, html)"
        );
        std::process::exit(2);
    };
    let Some(format) = Format::ALL.into_iter().find(|f| f.name() == format) else {
        eprintln!("unknown format {format}");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(1);
        }
    };
    let started = Instant::now();
    let result = pst_parse::parse_as(&path, &bytes, format);
    let elapsed = started.elapsed();
    match result {
        Ok(document) => {
            println!(
                "{} OS, {} actions, {} diagnostics in {elapsed:?}",
                document.strategic_objectives.len(),
                document.actions().count(),
                document.diagnostics.len()
            );
        }
        Err(error) => println!("{error} (after {elapsed:?})"),
    }
}
