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

criterion_group!(benches, parse_formats);
criterion_main!(benches);
