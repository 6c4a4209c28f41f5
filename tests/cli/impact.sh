#!/bin/sh
# deter impact on a real query log: the counts it reports must equal an
# independent count (grep) of the log lines the list change affects, in both
# directions, for the plain log, a query<TAB>count log and a gzip log.
# Usage: impact.sh DETER SOURCE_DIR QUERY_LOG
set -eu
deter=$1 src=$2 log=$3
base=$src/tests/lists/impact/base new=$src/tests/lists/impact/new
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expected=$(grep -ciwE 'how[^[:alnum:]]+many|largest' "$log")
[ "$expected" -gt 0 ] || { echo "no affected lines in $log"; exit 1; }
summary() { "$deter" impact --base "$1" --lists "$2" "$3" --format jsonl | tail -n 1; }

got=$(summary "$base" "$new" "$log")
echo "$got" | grep -q "\"newly_prompted\":{\"queries\":$expected,\"searches\":$expected}" ||
  { echo "expected $expected newly prompted: $got"; exit 1; }
got=$(summary "$new" "$base" "$log")
echo "$got" | grep -q "\"no_longer_prompted\":{\"queries\":$expected," ||
  { echo "expected $expected no longer prompted: $got"; exit 1; }

# The same log with a count of 3 per line, gzip-compressed: searches triple.
awk '{ print $0 "\t3" }' "$log" | gzip > "$tmp/log.gz"
got=$(summary "$base" "$new" "$tmp/log.gz")
echo "$got" | grep -q "\"newly_prompted\":{\"queries\":$expected,\"searches\":$((expected * 3))}" ||
  { echo "expected $((expected * 3)) searches from the gzip log: $got"; exit 1; }

# Per entry, with examples, in text.
"$deter" impact --base "$base" --lists "$new" "$log" > "$tmp/out.txt"
grep -q "newly prompted by en.list:10 (added entry)" "$tmp/out.txt"
grep -q "newly prompted by en.list:11 (changed entry)" "$tmp/out.txt"
grep -q "inform -> prompt" "$tmp/out.txt"
echo "impact: $expected queries of $log change decision, as expected"
