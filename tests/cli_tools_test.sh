#!/usr/bin/env bash
# End-to-end tests of the query-log tools: deter check (tsv, jsonl, -j
# ordering), deter stats (no query text in its output) and deter bench (the
# documented JSON fields). Usage: cli_tools_test.sh DETER SOURCE_DIR TEST
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
  sed 's/^{"query":"\([^"]*\)".*/\1/' "$tmp/j4.jsonl" > "$tmp/queries.txt"
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
  # A TAB inside a query becomes a space, keeping four fields.
  printf 'forbidden\torchard here\n' | "$deter" check --lists "$lists" --format tsv > "$tmp/t.tsv"
  grep -qxF "forbidden orchard here${tab}prompt${tab}demo${tab}en.list:13" "$tmp/t.tsv" ||
    fail "tab in query"
  ;;
check_jsonl)
  # CRLF input and a last line without a newline.
  printf 'forbidden orchard\r\nordinary question' | "$deter" check --lists "$lists" --format jsonl \
    > "$tmp/out.jsonl"
  [ "$(wc -l < "$tmp/out.jsonl")" -eq 2 ] || fail "two records"
  grep -q '^{"query":"forbidden orchard","action":"prompt","category":"demo",.*"matches":\[{"entry":"en.list:13"' \
    "$tmp/out.jsonl" || fail "first record"
  grep -q '^{"query":"ordinary question","action":"allow",.*"matches":\[\],"flags":\[\]}$' \
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
  grep -q '^{"searches":465,"distinct_queries":30,' "$tmp/stats.json" || fail "weighted totals"
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
      '"latency_ns":{"mean":' '"p50":' '"p90":' '"p99":' '"p99_9":' '"max":' \
      '"actions":{"allow":{"queries":16,' '"categories":{"demo":' '"scripts":{"latin":' \
      '"views":{"base":' '"top_entries":[{"entry":'; do
    grep -qF -- "$field" "$tmp/bench.json" || fail "bench json lacks $field"
  done
  "$deter" bench --lists "$lists" "$sample" > "$tmp/bench.txt"
  grep -q '^throughput ' "$tmp/bench.txt" || fail "bench text"
  ;;
*)
  fail "unknown test $3"
  ;;
esac
