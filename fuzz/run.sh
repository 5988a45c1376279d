#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), starting from the
# seed corpus in corpus/<target>/ (new inputs are added there too; findings
# go to artifacts/<target>/). Needs nightly and cargo-fuzz
# (`cargo install cargo-fuzz`). Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(decode_message decode_value manager oid_parse agent notify_receiver)
fi
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "=== $t: ${seconds}s"
    if ! cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1; then
        echo "=== $t: FINDING (see fuzz/artifacts/$t/)"
        status=1
    fi
done
exit $status
