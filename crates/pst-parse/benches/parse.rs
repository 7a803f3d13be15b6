#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Parsing throughput of the catalogue path, on the corpus catalogue repeated to grow the
//! input: bytes per second, and how the cost grows from 1× to 16×.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn catalogue(times: usize) -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/virton/catalogue-actions.tsv"
    );
    let one = std::fs::read(path).expect("corpus catalogue");
    let mut out = Vec::with_capacity(one.len() * times);
    for _ in 0..times {
        out.extend_from_slice(&one);
    }
    out
}

fn parse_catalogue(c: &mut Criterion) {
    let mut group = c.benchmark_group("tsv_catalogue");
    for times in [1, 4, 16] {
        let input = catalogue(times);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{times}x")),
            &input,
            |b, input| {
                b.iter(|| pst_parse::parse("bench.tsv", input).expect("parses"));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, parse_catalogue);
criterion_main!(benches);
