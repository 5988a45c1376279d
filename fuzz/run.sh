#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), starting from the
# seed corpus in corpus/<target>/ (new inputs are added there too; findings
# go to artifacts/<target>/). Needs nightly and cargo-fuzz
# (`cargo install cargo-fuzz --locked`). Exits non-zero if any target found
# something (a crash, a failed invariant, a timeout or too much memory) or
# did not build. Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(decode_message decode_value decode_v3 oid_parse manager manager_v3 agent
             usm_incoming notify_receiver ops_sequence mib_parse engine_state recording_parse)
fi
# Build them all first, so a build failure is reported as such and the
# time budget below is spent fuzzing.
for t in "${targets[@]}"; do
    cargo +nightly fuzz build "$t"
done
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    # One input may take at most 30 s (a hang is a finding), and the
    # process at most 2 GB.
    options=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1)
    case "$t" in
        # MIB files are larger than datagrams.
        mib_parse) options+=(-max_len=65536) ;;
    esac
    echo "=== $t: ${seconds}s"
    if ! cargo +nightly fuzz run "$t" "corpus/$t" -- "${options[@]}"; then
        echo "=== $t: FINDING (see fuzz/artifacts/$t/)"
        status=1
    fi
done
exit $status
