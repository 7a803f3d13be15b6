#!/usr/bin/env bash
# The pipeline at regional scale: writes a region of 250 plans (and 2x, 4x), checks that
# `pst ingest` gives every plan its expected counts, then times the ingest on 1 and 2
# threads, its peak memory, its growth with the input, and the PDF text layer against
# poppler's pdftotext. The figures go in BENCHMARKS.md.
# Needs hyperfine, GNU time (/usr/bin/time) and poppler-utils (pdftotext).
# Usage: crates/pst-region/bench.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release -q -p pst-cli -p pst-region
cargo build --release -q -p pst-parse --example pdf_text
pst=./target/release/pst

for n in 1 2 4; do
    rm -rf "$work/region-$n" "$work/text-$n"
    ./target/release/pst-region generate --plans $((250 * n)) "$work/region-$n"
    # The text and HTML part: the plans without a PDF.
    mkdir -p "$work/text-$n"
    for dir in "$work/region-$n/plans"/*/; do
        ls "$dir" | grep -q '\.pdf$' || cp -r "$dir" "$work/text-$n/"
    done
done

echo "## Correctness"
$pst ingest "$work/region-1/plans" --out "$work/out" 2>&1 | tail -1
./target/release/pst-region check "$work/region-1/expected.json" "$work/out/pst.json"

echo "## Input sizes (bytes)"
for n in 1 2 4; do
    echo "region ${n}x: $(du -sb "$work/region-$n/plans" | cut -f1), text+HTML part: $(du -sb "$work/text-$n" | cut -f1)"
done

echo "## Threads"
hyperfine --warmup 1 --runs 5 -i --export-markdown "$work/threads.md" \
    -n '1 thread, text+HTML part' "RAYON_NUM_THREADS=1 $pst ingest $work/text-1 --out $work/o" \
    -n '2 threads, text+HTML part' "RAYON_NUM_THREADS=2 $pst ingest $work/text-1 --out $work/o" \
    -n '1 thread, whole region' "RAYON_NUM_THREADS=1 $pst ingest $work/region-1/plans --out $work/o" \
    -n '2 threads, whole region' "RAYON_NUM_THREADS=2 $pst ingest $work/region-1/plans --out $work/o"
cat "$work/threads.md"

echo "## Peak memory (KB), 2 threads"
for part in text-1 region-1/plans; do
    /usr/bin/time -f "$part: %M KB, %e s" $pst ingest "$work/$part" --out "$work/o" 2>&1 | tail -1
done

echo "## Growth (text+HTML part, 2 threads)"
hyperfine --warmup 1 --runs 5 -i --export-markdown "$work/growth.md" \
    -n 1x "$pst ingest $work/text-1 --out $work/o" \
    -n 2x "$pst ingest $work/text-2 --out $work/o" \
    -n 4x "$pst ingest $work/text-4 --out $work/o"
cat "$work/growth.md"

echo "## PDF text layer against pdftotext"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/pdf.md" \
    -n 'pst, Binche (98 pages)' "./target/release/examples/pdf_text fixtures/pdf/binche-evaluation.pdf" \
    -n 'pdftotext, Binche' "pdftotext fixtures/pdf/binche-evaluation.pdf -" \
    -n 'pst, Virton narrative' "./target/release/examples/pdf_text fixtures/pdf/virton-narrative.pdf" \
    -n 'pdftotext, Virton narrative' "pdftotext fixtures/pdf/virton-narrative.pdf -"
cat "$work/pdf.md"
