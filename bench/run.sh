#!/usr/bin/env bash
# Reproduces every figure in bench/README.md in one run: builds the release
# tree, installs the obscenity package, runs the Google Benchmark suite (deter
# and its baselines), obscenity on the same English queries, `deter bench` at
# 10k and 100k entries under /usr/bin/time (peak memory), and `deter check`
# streaming against `cat`; then rewrites the results section of bench/README.md.
#
# Usage: bench/run.sh [--quick]   (--quick: shorter runs, for trying it out)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# Each benchmark runs three times and the report takes the median: the
# machine may be shared, and a burst of other work should not decide a row.
min_time=0.5
repetitions=3
if [ "${1:-}" = "--quick" ]; then min_time=0.1; repetitions=1; fi

extra=(time)
# Node from Debian unless a node and npm are already installed (e.g. NodeSource).
command -v node >/dev/null && command -v npm >/dev/null || extra+=(nodejs npm)
scripts/install-deps.sh "${extra[@]}"
# Benchmarks on, whatever an earlier configure of build/release chose
# (scripts/demo.sh turns them off).
cmake --preset release -DDETER_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target deter_cli deter_bench

out=build/release/bench/results
mkdir -p "$out"
data=../shared/data
[ -d "$data/queries" ] || data=tests/data
cat "$data"/queries/*.txt > "$out/queries-all.txt"

{
  echo "model: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "cpus: $(nproc)"
  echo "kernel: $(uname -sr)"
  echo "compiler: $(c++ --version | head -n 1)"
  echo "hyperscan: $(pkg-config --modversion libhs)"
  echo "re2: $(dpkg-query -W -f='${Version}' libre2-dev 2>/dev/null || echo unknown)"
  echo "node: $(node --version)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$out/machine.txt"

# obscenity: install exactly the locked version, export its English dataset
# as a deter list (into the build tree only), and time the package itself.
(cd bench/obscenity && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node bench/obscenity/run.js export "$out/obscenity-en.list" > "$out/obscenity-export.json"
node bench/obscenity/run.js bench "$data/queries/en.txt" > "$out/obscenity.json"

# The suite: deter and the baselines, one process, one benchmark at a time.
DETER_OBSCENITY_LIST="$root/$out/obscenity-en.list" /usr/bin/time -v -o "$out/suite.time" \
  build/release/bench/deter_bench --benchmark_min_time="$min_time" \
  --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/suite.json" --benchmark_out_format=json

# The CLI on the real log: throughput, latency and peak memory per list size.
for n in 10000 100000; do
  build/release/bench/deter_bench --write-list "$n" "$out/list-$n"
  /usr/bin/time -v -o "$out/cli-$n.time" \
    build/release/deter bench --lists "$out/list-$n" "$out/queries-all.txt" --format json \
    > "$out/cli-$n.json"
done

# Streaming: deter check on the concatenated queries (repeated 20 times) vs cat.
for _ in $(seq 20); do cat "$out/queries-all.txt"; done > "$out/queries-x20.txt"
lines=$(wc -l < "$out/queries-x20.txt")
nanoseconds() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N); echo $((t1 - t0)); }
check() { sh -c "build/release/deter check --lists $out/list-10000 $1 < $2"; }
{
  echo "{\"lines\":$lines"
  echo ",\"cat_ns\":$(nanoseconds cat "$out/queries-x20.txt")"
  # Start-up (loading and compiling the 10k list) is measured on empty input
  # and subtracted in the report.
  echo ",\"startup_ns\":$(nanoseconds check "--format jsonl" /dev/null)"
  echo ",\"check_jsonl_j1_ns\":$(nanoseconds check "--format jsonl -j 1" "$out/queries-x20.txt")"
  echo ",\"check_jsonl_j2_ns\":$(nanoseconds check "--format jsonl -j 2" "$out/queries-x20.txt")"
  echo ",\"check_tsv_j1_ns\":$(nanoseconds check "--format tsv -j 1" "$out/queries-x20.txt")"
  echo "}"
} > "$out/stream.json"

node bench/report.js "$out" > "$out/results.md"
node bench/report.js --update-readme bench/README.md "$out/results.md"
cat "$out/results.md"
