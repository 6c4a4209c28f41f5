#!/bin/sh
# deter stats suppresses small counts: no published count is below
# --min-count, no suppressed cell comes back by subtracting published cells
# from a published total, and the output says suppression is applied.
# Usage: stats_suppression.sh DETER SOURCE_DIR
set -eu
deter=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Counts 1..30 over the sample: a mix of small and large cells.
awk '{ printf "%s\t%d\n", $0, NR }' "$src/tests/data/sample-queries.txt" > "$tmp/log.tsv"
"$deter" stats --lists "$src/lists/demo" --format json "$tmp/log.tsv" > "$tmp/default.json"
"$deter" stats --lists "$src/lists/demo" --format json --min-count 1 "$tmp/log.tsv" > "$tmp/all.json"
"$deter" stats --lists "$src/lists/demo" --format json --min-count 40 "$tmp/log.tsv" > "$tmp/40.json"
"$deter" stats --lists "$src/lists/demo" "$tmp/log.tsv" > "$tmp/default.txt"
grep -q '^small counts suppressed: x is a count below 10 ' "$tmp/default.txt" ||
  { echo "text does not say counts are suppressed"; cat "$tmp/default.txt"; exit 1; }
if grep -E '(^|[[:space:](])[1-9]( |$|\))' "$tmp/default.txt"; then
  echo "a count below 10 in the text output"; exit 1
fi
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
truth = json.load(open(f"{tmp}/all.json"))
assert truth["suppression"] == {"min_count": 1, "suppressed_cells": 0}, truth["suppression"]
assert "null" not in json.dumps(truth)

def relations(s):
    """(cells, total) paths of every published sum."""
    out = []
    def row(path, with_allow):
        acts = (["allow"] if with_allow else []) + ["inform", "prompt", "block"]
        out.append(([path + (a,) for a in acts], path + ("total",)))
    row(("by_action",), True)
    for group, with_allow in (("by_category", False), ("by_language", False), ("by_script", True)):
        for key in s[group]:
            row((group, key), with_allow)
        acts = (["allow"] if with_allow else []) + ["inform", "prompt", "block"]
        for a in acts:
            out.append(([(group, k, a) for k in s[group]], ("by_action", a)))
    return out

def get(s, path):
    for p in path:
        s = s[p]
    return s

for name, min_count in (("default", 10), ("40", 40)):
    s = json.load(open(f"{tmp}/{name}.json"))
    assert s["suppression"]["min_count"] == min_count, s["suppression"]
    nulls = json.dumps(s).count("null")
    # suppressed_cells also counts the decided column the text shows.
    assert 0 < nulls <= s["suppression"]["suppressed_cells"], (nulls, s["suppression"])
    def walk(a, b, path=()):
        if isinstance(a, dict):
            assert a.keys() == b.keys(), path
            for k in a:
                walk(a[k], b[k], path + (k,))
        elif isinstance(a, int):
            assert a == b, (path, a, b)
            assert a == 0 or a >= min_count, (path, a)
        elif a is None:
            assert isinstance(b, int), path
    meta = ("suppression", "schema_version")
    walk({k: v for k, v in s.items() if k not in meta},
         {k: v for k, v in truth.items() if k not in meta})
    for cells, total in relations(s):
        if get(s, total) is None:
            assert any(get(s, c) is None for c in cells) or not cells, (name, total, "recomputable")
            continue
        hidden = [c for c in cells if get(s, c) is None]
        if hidden:
            assert len(hidden) > 1, (name, total, hidden, "one hidden cell")
            assert sum(get(truth, c) for c in hidden) >= min_count, (name, total, hidden)
print("stats suppression: no count below min_count, none recoverable by subtraction")
PY
