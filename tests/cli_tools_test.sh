#!/usr/bin/env bash
# End-to-end tests of the query-log tools: deter check (tsv, jsonl, -j
# ordering, a 100 MB line, --max-query-bytes), deter stats (no query text in
# its output), deter bench (the documented JSON fields) and the escaping of
# every text output. Usage: cli_tools_test.sh DETER SOURCE_DIR TEST
set -euo pipefail
deter=$1
src=$2
lists=$src/lists/demo
sample=$src/tests/data/sample-queries.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tab=$'\t'

fail() { echo "FAIL: $*" >&2; exit 1; }

case $3 in
check_order)
  # 60,000 numbered queries: many batches, so -j 4 must reorder results.
  awk '{ q[NR] = $0 } END { for (i = 1; i <= 2000; ++i) for (j = 1; j <= NR; ++j) print i " " q[j] }' \
    "$sample" > "$tmp/in.txt"
  "$deter" check --lists "$lists" --format jsonl -j 1 < "$tmp/in.txt" > "$tmp/j1.jsonl"
  "$deter" check --lists "$lists" --format jsonl -j 4 < "$tmp/in.txt" > "$tmp/j4.jsonl"
  cmp -s "$tmp/j1.jsonl" "$tmp/j4.jsonl" || fail "-j 4 output differs from -j 1"
  [ "$(wc -l < "$tmp/j4.jsonl")" -eq "$(wc -l < "$tmp/in.txt")" ] || fail "line count"
  sed 's/^{"schema_version":1,"query":"\([^"]*\)".*/\1/' "$tmp/j4.jsonl" > "$tmp/queries.txt"
  cmp -s "$tmp/queries.txt" "$tmp/in.txt" || fail "queries out of input order"
  "$deter" check --lists "$lists" --format tsv -j 3 < "$tmp/in.txt" | cut -f1 > "$tmp/tsv.txt"
  cmp -s "$tmp/tsv.txt" "$tmp/in.txt" || fail "tsv -j 3 out of input order"
  ;;
check_tsv)
  "$deter" check --lists "$lists" --format tsv < "$sample" > "$tmp/out.tsv"
  [ "$(wc -l < "$tmp/out.tsv")" -eq "$(wc -l < "$sample")" ] || fail "one line per query"
  awk -F'\t' 'NF != 4 { exit 1 }' "$tmp/out.tsv" || fail "every line has four fields"
  grep -qxF "where is the Forbidden Orchard today?${tab}prompt${tab}demo${tab}en.list:13" \
    "$tmp/out.tsv" || fail "prompted query"
  grep -qxF "How long does a philosophy degree take?${tab}allow${tab}${tab}" "$tmp/out.tsv" ||
    fail "allowed query"
  # A TAB inside a query is escaped as \t, keeping four fields.
  printf 'forbidden\torchard here\n' | "$deter" check --lists "$lists" --format tsv > "$tmp/t.tsv"
  grep -qxF "forbidden\\torchard here${tab}prompt${tab}demo${tab}en.list:13" "$tmp/t.tsv" ||
    fail "tab in query"
  ;;
check_jsonl)
  # CRLF input and a last line without a newline.
  printf 'forbidden orchard\r\nordinary question' | "$deter" check --lists "$lists" --format jsonl \
    > "$tmp/out.jsonl"
  [ "$(wc -l < "$tmp/out.jsonl")" -eq 2 ] || fail "two records"
  grep -q '^{"schema_version":1,"query":"forbidden orchard","action":"prompt","category":"demo",.*"matches":\[{"entry":"en.list:13"' \
    "$tmp/out.jsonl" || fail "first record"
  grep -q '^{"schema_version":1,"query":"ordinary question","action":"allow",.*"matches":\[\],"flags":\[\]}$' \
    "$tmp/out.jsonl" || fail "second record"
  ;;
check_interactive)
  # A query arriving on an open pipe is answered before the input ends.
  mkfifo "$tmp/in"
  "$deter" check --lists "$lists" --format tsv < "$tmp/in" > "$tmp/out.tsv" &
  pid=$!
  exec 3> "$tmp/in"
  echo "forbidden orchard" >&3
  for _ in $(seq 100); do
    [ -s "$tmp/out.tsv" ] && break
    sleep 0.1
  done
  answered=$(wc -l < "$tmp/out.tsv")
  exec 3>&-
  wait "$pid"
  [ "$answered" -eq 1 ] || fail "no answer while the input stayed open"
  ;;
stats_no_query_text)
  # A log with counts, gzip-compressed.
  awk '{ printf "%s\t%d\n", $0, NR }' "$sample" | gzip > "$tmp/log.gz"
  "$deter" stats --lists "$lists" "$tmp/log.gz" > "$tmp/stats.txt"
  "$deter" stats --lists "$lists" --format json -j 2 "$tmp/log.gz" > "$tmp/stats.json"
  # 1 + 2 + ... + 30 searches.
  grep -q '^{"schema_version":1,"searches":465,"distinct_queries":30,' "$tmp/stats.json" || fail "weighted totals"
  grep -q '"by_category":{"demo":{' "$tmp/stats.json" || fail "by_category"
  grep -q '"by_language":{"bn":{' "$tmp/stats.json" || fail "by_language"
  for out in "$tmp/stats.txt" "$tmp/stats.json"; do
    while IFS= read -r query; do
      ! grep -qiF -- "$query" "$out" || fail "a query appears in $(basename "$out")"
      # The queries, and every word of six or more bytes of them, must be absent.
      for word in $query; do
        [ ${#word} -ge 6 ] || continue
        ! grep -qiF -- "$word" "$out" || fail "'$word' of a query appears in $(basename "$out")"
      done
    done < "$sample"
  done
  ;;
bench_json)
  "$deter" bench --lists "$lists" --format json -j 2 "$sample" > "$tmp/bench.json"
  for field in '"lists":' '"log":' '"entries":47' '"load_seconds":' '"threads":2' \
      '"queries":30' '"searches":30' '"seconds":' '"queries_per_second":' \
      '"cpu_seconds":' '"queries_per_cpu_second":' \
      '"latency_ns":{"mean":' '"p50":' '"p90":' '"p99":' '"p99_9":' '"max":' \
      '"max_retimed":' '"max_unpreempted":' '"preempted_blocks":' \
      '"actions":{"allow":{"queries":16,' '"categories":{"demo":' '"scripts":{"latin":' \
      '"views":{"base":' '"top_entries":[{"entry":'; do
    grep -qF -- "$field" "$tmp/bench.json" || fail "bench json lacks $field"
  done
  "$deter" bench --lists "$lists" "$sample" > "$tmp/bench.txt"
  grep -q '^throughput .* per CPU second' "$tmp/bench.txt" || fail "bench text"
  grep -q '^latency .* not preempted' "$tmp/bench.txt" || fail "bench text: the maximum outside preempted blocks"
  ;;
check_long_line)
  # A 100 MB line is read in bounded memory: cut at --max-query-bytes while
  # it is read, flagged truncated, under an address-space limit of 64 MB.
  big() { printf 'forbidden orchard '; head -c 100000000 /dev/zero | tr '\0' x; printf '\nplain\n'; }
  big > "$tmp/big.txt"
  # A sanitizer reserves terabytes of address space: no ulimit -v under one.
  limit_vm() { [ -n "${DETER_SANITIZED:-}" ] || ulimit -v "$1"; }
  (limit_vm 64000; "$deter" check --lists "$lists" --format jsonl < "$tmp/big.txt" > "$tmp/big.jsonl") ||
    fail "deter check failed on a 100 MB line under a 64 MB limit"
  [ "$(wc -l < "$tmp/big.jsonl")" -eq 2 ] || fail "two records"
  [ "$(wc -c < "$tmp/big.jsonl")" -lt 20000 ] || fail "the cut query was printed whole"
  grep -q '^{"schema_version":1,"query":"forbidden orchard xxx.*"action":"prompt".*"flags":\["truncated"\]}$' \
    "$tmp/big.jsonl" || fail "first record: prompt, flagged truncated"
  grep -q '^{"schema_version":1,"query":"plain","action":"allow",.*"flags":\[\]}$' "$tmp/big.jsonl" ||
    fail "the line after the long one"
  "$deter" check --lists "$lists" --max-query-bytes 30 < "$tmp/big.txt" > "$tmp/big.txt.out"
  grep -qx '       (query truncated)' "$tmp/big.txt.out" || fail "text output flags the cut"
  grep -qx "prompt forbidden orchard xxxxxxxxxxxx" "$tmp/big.txt.out" || fail "text: the first 30 bytes"
  # Under any memory limit the tool fails with a message and exit code 3
  # (or works), never by an uncaught std::bad_alloc (SIGABRT, 134).
  [ -n "${DETER_SANITIZED:-}" ] && limits="" || limits="44000 46000 48000 50000 52000 56000"
  for limit in $limits; do
    rc=0
    (limit_vm $limit; "$deter" check --lists "$lists" -j 2 < "$tmp/big.txt" > /dev/null 2> "$tmp/err") ||
      rc=$?
    [ $rc -lt 128 ] || fail "killed by signal $((rc - 128)) under ulimit -v $limit: $(cat "$tmp/err")"
    [ $rc -ne 3 ] || grep -qE '^deter: (out of memory|unexpected failure: .+)$' "$tmp/err" ||
      fail "message for exit 3: $(cat "$tmp/err")"
  done
  ;;
check_max_query_bytes)
  for bad in -1 0 abc +5 1e3 ''; do
    rc=0
    "$deter" check --lists "$lists" --max-query-bytes "$bad" "forbidden orchard" > "$tmp/out" \
      2> "$tmp/err" || rc=$?
    [ $rc -eq 2 ] || fail "--max-query-bytes '$bad' gave exit $rc, not a usage error"
    grep -q -- '--max-query-bytes' "$tmp/err" || fail "the error names the option: $(cat "$tmp/err")"
    [ ! -s "$tmp/out" ] || fail "--max-query-bytes '$bad' checked queries"
  done
  "$deter" check --lists "$lists" --max-query-bytes 9 "forbidden orchard" | grep -qx 'allow  forbidden orchard' ||
    fail "--max-query-bytes 9"
  "$deter" check --lists "$lists" --max-query-bytes 17 "forbidden orchard" | grep -q '^prompt ' ||
    fail "--max-query-bytes 17"
  ;;
output_escaping)
  # Control characters in queries and file names are escaped in every text
  # and TSV output: no line or field is forged.
  nl=$'\n'
  weird="$tmp/lists/we${tab}ird${nl}name.list"
  mkdir -p "$tmp/lists" "$tmp/base"
  printf '! deter-list 1\n! category: demo\nquiet harbour\n  match: a quiet harbour\n' > "$weird"
  printf '! deter-list 1\n! category: demo\nquiet harbour $action=inform\n' \
    > "$tmp/base/we${tab}ird${nl}name.list"
  forged() { ! grep -qE '^(ird|name\.list|prompt  forged|decision   block|g\.txt)' "$1"; }
  "$deter" check --lists "$lists" "plain${nl}prompt  forged" "a\\b" > "$tmp/o1"
  [ "$(cat "$tmp/o1")" = 'allow  plain\nprompt  forged'"${nl}"'allow  a\\b' ] ||
    fail "text output of a query with a newline: $(cat "$tmp/o1")"
  "$deter" check --lists "$lists" --format tsv "plain${nl}prompt${tab}forged" > "$tmp/o2"
  [ "$(cat "$tmp/o2")" = "plain\\nprompt\\tforged${tab}allow${tab}${tab}" ] || fail "tsv query: $(cat "$tmp/o2")"
  printf 'a quiet harbour\n' | "$deter" check --lists "$tmp/lists" --format tsv > "$tmp/o3"
  [ "$(cat "$tmp/o3")" = "a quiet harbour${tab}prompt${tab}demo${tab}we\\tird\\nname.list:3" ] ||
    fail "tsv entry id: $(cat "$tmp/o3")"
  printf 'a quiet harbour\n' | "$deter" check --lists "$tmp/lists" > "$tmp/o4"
  grep -qF '       - we\tird\nname.list:3 prompt category=demo' "$tmp/o4" || fail "text entry id"
  "$deter" explain --lists "$lists" "plain${nl}decision   block" > "$tmp/o5"
  [ "$(grep -c '^decision' "$tmp/o5")" -eq 1 ] || fail "explain: forged decision line"
  "$deter" explain --lists "$tmp/lists" "a quiet harbour" > "$tmp/o6"
  "$deter" test --lists "$tmp/lists" -v > "$tmp/o7"
  grep -qF 'ok   we\tird\nname.list:4: match: a quiet harbour' "$tmp/o7" || fail "test -v: $(cat "$tmp/o7")"
  "$deter" lint --lists "$tmp/base" --no-default-corpus > "$tmp/o8" || true
  printf 'a quiet harbour\n' > "$tmp/lo${nl}g.txt"
  "$deter" impact --base "$tmp/base" --lists "$tmp/lists" "$tmp/lo${nl}g.txt" > "$tmp/o9"
  grep -qF 'newly prompted by we\tird\nname.list:3' "$tmp/o9" || fail "impact: $(cat "$tmp/o9")"
  "$deter" bench --lists "$tmp/lists" "$tmp/lo${nl}g.txt" > "$tmp/o10"
  "$deter" stats --lists "$tmp/lists" "$tmp/lo${nl}g.txt" > "$tmp/o11"
  # Errors name the file on one line too.
  mkdir -p "$tmp/broken"
  printf '! deter-list 1\nquiet harbour $action=shout\n' > "$tmp/broken/x${nl}name.list"
  "$deter" check --lists "$tmp/broken" x 2> "$tmp/o12" && fail "a broken list loaded"
  grep -qF 'deter: x\nname.list:2:' "$tmp/o12" || fail "error message: $(cat "$tmp/o12")"
  for out in "$tmp"/o*; do forged "$out" || fail "a forged line in $(basename "$out"): $(cat "$out")"; done
  ;;
*)
  fail "unknown test $3"
  ;;
esac
