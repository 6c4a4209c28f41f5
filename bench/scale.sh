#!/usr/bin/env bash
# The 100k-entry rows of bench/README.md ("Scale"): compile time and file
# size, the CPU time to open the compiled file, the peak memory of
# `deter check`, and the PSS of four `deter check` processes holding the
# same file, for one or more deter binaries, alternating them so that a
# drifting machine favours none.
#
# Usage: bench/scale.sh DETER [DETER...]
#   (e.g. bench/scale.sh ../main/build/release/deter build/release/deter)
# Needs build/release/bench/deter_bench (the list generator; another with
# DETER_BENCH=path) and perf. ROUNDS=n for other than three rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/scale.sh DETER [DETER...]" >&2; exit 2; }
out=build/release/bench/results/scale
mkdir -p "$out"
# 100k two-word entries in five scripts and 400 regexes.
"${DETER_BENCH:-build/release/bench/deter_bench}" --write-list 100000 "$out/lists" 400

# CPU milliseconds of a command (perf's task-clock), its output discarded.
cpu_ms() { perf stat -e task-clock -x, "$@" 2>&1 >/dev/null </dev/null | awk -F, '/task-clock/{print $1}'; }

for round in $(seq "${ROUNDS:-3}"); do
  for i in $(seq $#); do
    bin=${!i}
    db="$out/set-$i.deterdb"
    /usr/bin/time -f "%U %S %M" -o "$out/compile.time" "$bin" compile --lists "$out/lists" -o "$db" >/dev/null
    read -r user sys peak < "$out/compile.time"
    open_ms=$(cpu_ms "$bin" check --lists "$db")
    /usr/bin/time -f "%M" -o "$out/check.time" "$bin" check --lists "$db" </dev/null >/dev/null
    # Four processes holding the file, each waiting on its own input.
    pids=() fds=()
    for k in 1 2 3 4; do
      rm -f "$out/fifo$k"
      mkfifo "$out/fifo$k"
      "$bin" check --lists "$db" < "$out/fifo$k" > /dev/null &
      pids+=($!)
      exec {fd}>"$out/fifo$k"
      fds+=("$fd")
    done
    # Loaded once each has held its memory for two seconds.
    for _ in $(seq 60); do
      sleep 2
      a=$(cat /proc/"${pids[0]}"/smaps_rollup | awk '/^Rss:/{print $2}')
      sleep 2
      b=$(cat /proc/"${pids[0]}"/smaps_rollup | awk '/^Rss:/{print $2}')
      [ "$a" = "$b" ] && break
    done
    pss=$(for p in "${pids[@]}"; do awk '/^Pss:/{print $2}' /proc/"$p"/smaps_rollup; done | sort -n | tail -n 1)
    for fd in "${fds[@]}"; do exec {fd}>&-; done
    wait "${pids[@]}"
    rm -f "$out"/fifo?
    echo "round $round  $bin  compile $(echo "$user + $sys" | bc) s cpu  file $(stat -c %s "$db") B" \
         " open ${open_ms} ms cpu  check peak $(cat "$out/check.time") KB  pss of 4 (largest) ${pss} KB"
  done
done
