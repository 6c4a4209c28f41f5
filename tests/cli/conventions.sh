#!/usr/bin/env bash
# The deter tool's conventions, end to end: unknown words named with a
# suggestion, `check` reading files and `-`, colour only on a terminal and
# never with NO_COLOR, schema_version in every JSON output, bench's
# --slowest and entry text, a malformed count column as a located error,
# and the generated man page and bash completion.
# Usage: conventions.sh DETER SOURCE_DIR TEST [DOCS_DIR]
set -euo pipefail
deter=$1
src=$2
lists=$src/lists/demo
sample=$src/tests/data/sample-queries.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset NO_COLOR

fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs a command expecting exit code $1; its stderr and stdout go to $tmp/out.
expect() {
  local want=$1 rc=0
  shift
  "$@" >"$tmp/out" 2>&1 || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$tmp/out"; fail "exit $rc, not $want: $*"; }
}
has() { grep -qF -- "$1" "$tmp/out" || { cat "$tmp/out"; fail "no '$1' in the output"; }; }

case $3 in
unknown_words)
  expect 2 "$deter" chek --lists "$lists" x
  has "unknown command 'chek'; did you mean 'check'?"
  expect 2 "$deter" chekc x
  has "did you mean 'check'?"
  expect 2 "$deter" stast
  has "did you mean 'stats'?"
  expect 2 "$deter" --bogus
  has "unknown option '--bogus'"
  expect 2 "$deter" --versoin
  has "did you mean '--version'?"
  expect 2 "$deter" check --lsts "$lists" x
  has "deter check: unexpected '--lsts'; did you mean '--lists'?"
  expect 2 "$deter" bench --lists "$lists" "$sample" --slowset 3
  has "did you mean '--slowest'?"
  # Known words still work.
  expect 0 "$deter" --version
  expect 0 "$deter" check --help
  ;;
check_files)
  # `-` among the queries reads stdin (it used to be checked as the query "-").
  echo "forbidden orchard" | "$deter" check --lists "$lists" --format tsv "plain words" - > "$tmp/out"
  printf 'plain words\tallow\t\t\nforbidden orchard\tprompt\tdemo\ten.list:13\n' | cmp -s - "$tmp/out" ||
    { cat "$tmp/out"; fail "'-' did not read stdin after the arguments"; }
  # --file, repeatable, in order; - is stdin.
  printf 'hidden lantern guild\n' > "$tmp/a.txt"
  echo "forbidden orchard" | "$deter" check --lists "$lists" --format tsv --file "$tmp/a.txt" \
    --file - --file "$sample" > "$tmp/out"
  [ "$(wc -l < "$tmp/out")" -eq $((2 + $(wc -l < "$sample"))) ] || fail "one line per query of every file"
  [ "$(sed -n 1p "$tmp/out" | cut -f2)" = block ] || fail "first file first"
  [ "$(sed -n 2p "$tmp/out" | cut -f2)" = prompt ] || fail "stdin second"
  expect 2 "$deter" check --lists "$lists" --file "$tmp/missing.txt"
  has "missing.txt: No such file or directory"
  ;;
color)
  # Not a terminal: no escape codes. On one (script(1) gives a pty): colour,
  # unless NO_COLOR is set and not empty.
  "$deter" check --lists "$lists" "forbidden orchard" > "$tmp/out"
  ! grep -q $'\033' "$tmp/out" || fail "colour on a pipe"
  command -v script >/dev/null || { echo "no script(1): pty case not run"; exit 0; }
  script -qec "'$deter' check --lists '$lists' 'forbidden orchard'" /dev/null > "$tmp/out" </dev/null
  grep -q $'\033\\[33mprompt\033\\[0m' "$tmp/out" || { cat -v "$tmp/out"; fail "no colour on a terminal"; }
  NO_COLOR=1 script -qec "'$deter' check --lists '$lists' 'forbidden orchard'" /dev/null > "$tmp/out" </dev/null
  grep -q prompt "$tmp/out" || fail "no output under NO_COLOR"
  ! grep -q $'\033\\[' "$tmp/out" || { cat -v "$tmp/out"; fail "colour despite NO_COLOR"; }
  ;;
schema_version)
  # Every JSON document and JSONL record of every subcommand.
  printf 'forbidden orchard\t12\nplain words\t3\n' > "$tmp/log.tsv"
  "$deter" check --lists "$lists" --format jsonl "forbidden orchard" > "$tmp/check.json"
  "$deter" explain --lists "$lists" --format json "forbidden orchard" > "$tmp/explain.json"
  "$deter" bench --lists "$lists" --format json "$tmp/log.tsv" > "$tmp/bench.json"
  "$deter" stats --lists "$lists" --format json "$tmp/log.tsv" > "$tmp/stats.json"
  "$deter" impact --base "$src/tests/lists/impact/base" --lists "$src/tests/lists/impact/new" \
    --format jsonl "$src/tests/data/queries/en.txt" > "$tmp/impact.json" || true
  "$deter" lint --lists "$src/tests/lists/impact/new" --corpus "$src/tests/data/queries/en.txt" \
    --format jsonl > "$tmp/lint.json" || true
  "$deter" probe --lists "$lists" --no-benign --families leet --format jsonl > "$tmp/probe.json" || true
  for f in check explain bench stats impact lint probe; do
    [ -s "$tmp/$f.json" ] || fail "$f wrote no JSON"
    if grep -v '^{"schema_version":1,' "$tmp/$f.json" | grep -q .; then
      grep -v '^{"schema_version":1,' "$tmp/$f.json" | head -n 2
      fail "$f: a record without schema_version first"
    fi
  done
  ;;
bench_slowest)
  # No query text unless asked; with --slowest N, N queries and their times.
  "$deter" bench --lists "$lists" --format json "$sample" > "$tmp/out"
  ! grep -qF '"slowest"' "$tmp/out" || fail "slowest queries named without --slowest"
  "$deter" bench --lists "$lists" "$sample" > "$tmp/out"
  ! grep -q '^slowest' "$tmp/out" || fail "slowest queries named without --slowest"
  "$deter" bench --lists "$lists" --format json --slowest 3 "$sample" > "$tmp/out"
  [ "$(grep -o '{"query":"[^"]*","ns":[0-9]*}' "$tmp/out" | wc -l)" -eq 3 ] ||
    { cat "$tmp/out"; fail "three slowest queries"; }
  q=$(grep -o '"slowest":\[{"query":"[^"]*"' "$tmp/out" | sed 's/.*"query":"//; s/"$//')
  grep -qxF -- "$q" "$sample" || fail "slowest query '$q' is not a line of the log"
  "$deter" bench --lists "$lists" --slowest 2 "$sample" > "$tmp/out"
  [ "$(sed -n '/^slowest/,$p' "$tmp/out" | wc -l)" -eq 3 ] || { cat "$tmp/out"; fail "text --slowest 2"; }
  # Entry text beside the entry id, in text and JSON.
  has "en.list:13  "
  grep -q '^  en.list:13  [0-9,]* / [0-9,]*  forbidden orchard' "$tmp/out" ||
    { cat "$tmp/out"; fail "entry text beside its id"; }
  "$deter" bench --lists "$lists" --format json "$sample" > "$tmp/out"
  has '{"entry":"en.list:13","text":"forbidden orchard'
  ;;
bad_count)
  # A count column that is not a whole number is an error naming its line,
  # not part of the query; a TAB in a query that is not a count stays text.
  for bad in -5 +5 1.5 1e3 99999999999999999999; do
    printf 'plain words\t3\nforbidden orchard\t%s\n' "$bad" > "$tmp/log.tsv"
    expect 2 "$deter" bench --lists "$lists" "$tmp/log.tsv"
    has "log.tsv:2: the count after the last TAB is not a whole number"
    expect 2 "$deter" stats --lists "$lists" "$tmp/log.tsv"
    has "log.tsv:2: "
  done
  printf 'a query\twith a tab\nforbidden orchard\t12\n' > "$tmp/log.tsv"
  expect 0 "$deter" stats --lists "$lists" --format json "$tmp/log.tsv"
  has '"searches":13,'
  ;;
docs)
  # The man page and bash completion generated at build time ($4).
  docs=$4
  [ -s "$docs/deter.1" ] || fail "no man page in $docs"
  grep -q '^\.TH DETER "\?1' "$docs/deter.1" || fail "not a man page"
  for c in check bench lint impact stats; do
    grep -qi "^\.SH \"COMMAND: $c\"" "$docs/deter.1" || fail "no section for $c"
  done
  if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$docs/deter.1" 2>/dev/null > "$tmp/man.txt"
    grep -q -- '--slowest' "$tmp/man.txt" || fail "man page lacks bench --slowest"
  fi
  complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _deter; printf "%s\n" "${COMPREPLY[@]}"' \
      _ "$docs/deter.bash" "$@"
  }
  [ "$(complete_words deter ch)" = "check"$'\n'"checksum" ] || fail "completing 'ch'"
  complete_words deter check --li | grep -qx -- --lists || fail "completing 'check --li'"
  complete_words deter bench --sl | grep -qx -- --slowest || fail "completing 'bench --sl'"
  [ "$(complete_words deter check --format j)" = jsonl ] || fail "completing --format"
  ;;
*)
  fail "unknown test $3"
  ;;
esac
echo "ok $3"
