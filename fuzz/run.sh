#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) in turn, seeded with the fixtures and
# the corpus, and prints executions and findings per target. Needs cargo-fuzz; the
# machine's stable toolchain is enough with RUSTC_BOOTSTRAP=1.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O >/dev/null 2>&1 || { echo "build failed"; exit 1; }
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    find ../fixtures ../corpus -type f ! -name '*.py' ! -name '*.sh' ! -name '*.md' \
        -exec cp -n {} "corpus/$target/" \; 2>/dev/null
    log="artifacts/$target.log"
    cargo fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=262144 -timeout=60 -rss_limit_mb=4096 \
        -print_final_stats=1 >"$log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    crashes=$(find "artifacts/$target" -type f | wc -l)
    echo "$target: exit $status, ${runs:-?} executions, $crashes finding(s)"
done
