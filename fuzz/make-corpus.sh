#!/usr/bin/env bash
# Builds the starting corpora for the fuzzers in build/fuzz-corpus/NAME from
# the committed seeds (fuzz/seeds), the demo lists, tests/data and, when it
# is there, ../shared/data. Corpora grow while fuzzing and are not committed.
# Usage: fuzz/make-corpus.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/fuzz-corpus}
mkdir -p "$out"/normalize "$out"/parse "$out"/check "$out"/store
for n in normalize parse check store; do cp -f fuzz/seeds/$n/* "$out/$n/" 2>/dev/null || true; done

# normalize: query and phrase lines, a sample from every language.
i=0
for f in tests/data/queries/*.txt tests/data/phrases/*.txt ../shared/data/queries/*.txt \
    ../shared/data/phrases/*.txt; do
  [ -f "$f" ] || continue
  while IFS= read -r line; do
    printf '%s' "$line" > "$out/normalize/line-$i"
    i=$((i + 1))
  done < <(awk 'NR % 25 == 1' "$f" | head -n 60)
done

# parse: every demo list as a list (selector 0x00) and as a compiled list
# (0xE0); the messages file (0xC0). See fuzz_parse.cc.
for f in lists/demo/*.list tests/lists/*/*.list; do
  b=$(basename "$f" .list)
  { printf '\x00'; cat "$f"; } > "$out/parse/list-$b"
  { printf '\xe0'; cat "$f"; } > "$out/parse/compile-$b"
done
{ printf '\xc0'; cat lists/demo/messages.toml; } > "$out/parse/messages"

# check: structured inputs are read byte by byte; lines of text make varied
# starting points.
i=0
while IFS= read -r line; do
  printf '%s' "$line" > "$out/check/text-$i"
  i=$((i + 1))
done < <(awk 'NR % 40 == 1' tests/data/queries/*.txt | head -n 100)
# store: compiled files of the current format, made from the lists by a
# deter built in any preset (DETER_CLI to name one); see store-seeds.sh.
cli=${DETER_CLI:-}
for c in build/ci/deter build/release/deter build/debug/deter build/asan/deter; do
  [ -z "$cli" ] && [ -x "$c" ] && cli=$c
done
if [ -n "$cli" ]; then
  fuzz/store-seeds.sh "$cli" "$out/store" >/dev/null
else
  echo "make-corpus: no deter binary (build/ci/deter): store starts from fuzz/seeds/store only" >&2
fi
echo "make-corpus: $(ls "$out"/normalize | wc -l) normalize, $(ls "$out"/parse | wc -l) parse, $(ls "$out"/check | wc -l) check, $(ls "$out"/store | wc -l) store inputs in $out"
