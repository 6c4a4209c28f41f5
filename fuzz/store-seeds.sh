#!/usr/bin/env bash
# Writes fuzz_store inputs of the current compiled format into OUT_DIR:
# compiled files of the demo lists and of each test list set, with and
# without their sources (selector 0x00, checksum dropped: fuzz_store.cc
# appends it), and one as a cache file (selector 0xE0). Made from the lists
# each time (by make-corpus.sh and by ctest's fuzz.store.seeds), so that the
# seeds never fall behind a format change and refused at the version check.
# Usage: fuzz/store-seeds.sh DETER OUT_DIR
set -euo pipefail
cli=$1
out=$2
cd "$(dirname "$0")/.."
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
made=0
for d in lists/demo tests/lists/impact/base tests/lists/impact/new tests/lists/readme; do
  [ -d "$d" ] || continue
  b=$(echo "$d" | tr / -)
  for kind in compiled stripped; do
    flag=()
    [ $kind = stripped ] && flag=(--strip-sources)
    "$cli" compile --lists "$d" -o "$tmp/$b.deterdb" "${flag[@]}" >/dev/null
    size=$(stat -c %s "$tmp/$b.deterdb")
    { printf '\x00'; head -c $((size - 8)) "$tmp/$b.deterdb"; } > "$out/$kind-$b"
    made=$((made + 1))
  done
done
{ printf '\xe0'; cat "$tmp/lists-demo.deterdb"; } > "$out/cache-lists-demo"
echo "store-seeds: $((made + 1)) inputs in $out"
