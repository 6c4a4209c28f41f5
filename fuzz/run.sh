#!/usr/bin/env bash
# Runs each fuzzer for a bounded time, one after the other, from the corpora
# in build/fuzz-corpus (made by fuzz/make-corpus.sh when missing). Stops at
# the first finding, printing its log; the input that failed is written to
# build/fuzz-artifacts/. Prints executions and coverage for each fuzzer.
# Usage: fuzz/run.sh [SECONDS_EACH] [NAME...]     (default: 60 normalize parse check store)
# DETER_FUZZ_SEED=N fixes libFuzzer's random seed (scripts/test.sh uses 1, so
# that a CI run explores the same inputs each time); unset, it is random.
# The fuzzers are built by: cmake --preset fuzz && cmake --build --preset fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(normalize parse check store)
bin=${DETER_FUZZ_BIN:-build/fuzz/fuzz}
corpus=build/fuzz-corpus
[ -d "$corpus/store" ] || fuzz/make-corpus.sh "$corpus" >/dev/null
mkdir -p build/fuzz-artifacts build/fuzz-logs

for name in "${names[@]}"; do
  mkdir -p "$corpus/$name"
  extra=()
  [ -f "fuzz/$name.dict" ] && extra+=("-dict=fuzz/$name.dict")
  [ -n "${DETER_FUZZ_SEED:-}" ] && extra+=("-seed=$DETER_FUZZ_SEED")
  log="build/fuzz-logs/$name.log"
  # -timeout: one input that takes longer than 10 s is a finding (a list or a
  # query with unbounded cost); -rss_limit_mb: so is one that needs 2 GB.
  if ! "$bin/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="build/fuzz-artifacts/$name-" "${extra[@]}" \
      "$corpus/$name" >"$log" 2>&1; then
    tail -n 80 "$log"
    echo "fuzz: fuzz_$name found a problem; rerun it with build/*/fuzz/fuzz_${name}_replay FILE" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  echo "fuzz: fuzz_$name ${seconds}s: ${runs} executions, cov ${cov}, ft ${ft}, corpus $(ls "$corpus/$name" | wc -l) inputs, no finding"
done
