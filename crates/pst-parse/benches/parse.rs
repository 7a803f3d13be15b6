#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Parsing throughput per format (decode + detect + parse), on corpus documents and
//! fixtures, and how the cost grows when a document is repeated 1×, 4× and 16×.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn repeated(path: &str, times: usize) -> Vec<u8> {
    let one =
        std::fs::read(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).expect("bench input");
    let mut out = Vec::with_capacity(one.len() * times);
    for _ in 0..times {
        out.extend_from_slice(&one);
    }
    out
}

fn parse_formats(c: &mut Criterion) {
    let inputs = [
        ("tsv_catalogue", "corpus/virton/catalogue-actions.tsv"),
        ("markdown", "corpus/frameries/pst-2019-2024.md"),
        ("nested_list", "corpus/cpas-non-nomme/pst-page-web.txt"),
        ("html", "fixtures/html/seed-page.html"),
        ("narrative", "corpus/virton/pst-2018-2024.txt"),
        ("fiches", "corpus/binche/evaluation-finale-pst.txt"),
        // Layouts read by the recogniser alone.
        ("text_fields", "fixtures/layouts/03-txt-labelled-fields.txt"),
        (
            "text_aligned",
            "fixtures/layouts/08-txt-aligned-columns.txt",
        ),
        ("markdown_tables", "fixtures/layouts/01-md-pipe-bold-oo.md"),
        ("html_tables", "fixtures/layouts/07-html-rowspan-table.html"),
        ("csv", "fixtures/layouts/14-csv-semicolon.csv"),
    ];
    for (format, path) in inputs {
        let mut group = c.benchmark_group(format);
        for times in [1, 4, 16] {
            let input = repeated(path, times);
            group.throughput(Throughput::Bytes(input.len() as u64));
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{times}x")),
                &input,
                |b, input| {
                    b.iter(|| pst_parse::parse("bench", input).expect("parses"));
                },
            );
        }
        group.finish();
    }
}

/// The yardstick: one plain pass over the same bytes (UTF-8 check and a line count), the
/// least any reader must do.
fn plain_scan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plain_scan");
    for (name, path) in [
        ("narrative", "corpus/virton/pst-2018-2024.txt"),
        ("fiches", "corpus/binche/evaluation-finale-pst.txt"),
    ] {
        let input = repeated(path, 16);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &input, |b, input| {
            b.iter(|| {
                let text = std::str::from_utf8(input).expect("UTF-8");
                text.bytes().filter(|&b| b == b'\n').count()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, parse_formats, plain_scan);
criterion_main!(benches);
