// What a search engineer would use instead of deter, on the same entries and
// the same queries, each checking its answer against deter's:
//
//   BM_RE2Set       one RE2::Set over every entry, each a regex anchored at
//                   token boundaries of the normalized query, which is
//                   space-padded with single spaces between tokens: the
//                   phrase "w1 w2" is " w1 w2 ", the prefix "w1 w2*" is
//                   " w1 w2" (words escaped with QuoteMeta). The same as
//                   (?:^|\s)w1\s+w2(?:\s|$) on this text, but that form makes
//                   RE2 (2022-06-01) give up simplifying the set at 100k
//                   entries ("CoalesceWalker::ShortVisit called"), and its
//                   Compile() fails. Match() without the index vector, so it
//                   may stop at the first match.
//   BM_RE2SetWithNormalize  the same set, with each raw query normalized by
//                   deter's normalizer inside the timed loop, as check() does.
//   BM_Naive        for each entry, std::string_view::find of its normalized,
//                   space-padded literal (" w1 w2 ", prefix " w1 w2") in the
//                   normalized query, stopping at the first hit.
//   BM_ObscenityList  deter's check() with obscenity's English dataset loaded
//                   as a deter list (bench/obscenity/run.js exports it; the
//                   obscenity package itself is timed by the same script).
//
// The baselines receive the queries already normalized by deter's own
// normalizer, outside the timed loop: a gift (deter's figures include
// normalization) that keeps their hit counts comparable. Their semantics
// equal deter's with only the base view, so each must count exactly the
// queries that a base-view deter Filter matches.
#include <benchmark/benchmark.h>
#include <deter/filter.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <map>
#include <memory>
#include <sstream>

#include "fixtures.h"
#include "text/normalize.h"

namespace {

using deter::bench::ExpectedHits;

struct ListEntry {
  std::vector<std::string> words;  // normalized tokens
  bool prefix = false;
};

// The entries of a generated list (header lines skipped).
std::vector<ListEntry> entries_of(const std::string& list) {
  std::vector<ListEntry> out;
  std::istringstream in(list);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '!') continue;
    ListEntry e;
    if (line.back() == '*') {
      e.prefix = true;
      line.pop_back();
    }
    std::istringstream words(deter::text::normalize_base(line));
    for (std::string w; words >> w;) e.words.push_back(w);
    out.push_back(std::move(e));
  }
  return out;
}

const std::vector<ListEntry>& entries(std::size_t n) {
  static std::map<std::size_t, std::vector<ListEntry>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  return cache[n] = entries_of(deter::bench::generated_list_text(n));
}

// RE2::Set over n entries, built once per process.
const RE2::Set* re2_set(std::size_t n, std::string& error) {
  static std::map<std::size_t, std::unique_ptr<RE2::Set>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second.get();
  RE2::Options options;
  options.set_max_mem(std::int64_t{8} << 30);  // large sets need a large DFA budget
  options.set_log_errors(false);
  auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  for (const ListEntry& e : entries(n)) {
    std::string re = " ";
    for (std::size_t i = 0; i < e.words.size(); ++i) {
      if (i) re += " ";
      re += RE2::QuoteMeta(e.words[i]);
    }
    if (!e.prefix) re += " ";
    std::string add_error;
    if (set->Add(re, &add_error) < 0) {
      error = "RE2::Set::Add: " + add_error;
      return nullptr;
    }
  }
  if (!set->Compile()) {
    error = "RE2::Set::Compile failed";
    return nullptr;
  }
  return (cache[n] = std::move(set)).get();
}

// One RE2::Set benchmark: on the pre-normalized queries, or (`normalize`)
// on the raw ones, normalizing each inside the timed loop.
void run_re2(benchmark::State& state, bool normalize) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& qs = deter::bench::queries("all");
  const auto& normalized = deter::bench::normalized_queries("all");
  const ExpectedHits expected =
      deter::bench::matched_by(deter::bench::generated_filter(n, true), qs);
  std::string error;
  const RE2::Set* set = re2_set(n, error);
  if (set == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::string work;
  std::size_t i = 0;
  std::uint64_t hits = 0;
  bool failed = false;
  for (auto _ : state) {
    if (normalize) deter::text::normalize_base(qs[i], work);
    RE2::Set::ErrorInfo info{};
    hits += set->Match(normalize ? work : normalized[i], nullptr, &info);
    failed |= info.kind != RE2::Set::kNoError;
    if (++i == qs.size()) i = 0;
  }
  if (failed) {
    state.SkipWithError("RE2::Set::Match failed (DFA out of memory)");
  } else if (hits != expected.after(state.iterations())) {
    state.SkipWithError("wrong number of hits");
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["hits"] = static_cast<double>(expected.per_pass());
}

void BM_RE2Set(benchmark::State& state) { run_re2(state, false); }

// RE2::Set as a search service would have to use it: normalizing each raw
// query first (with deter's normalizer, timed), like check() does.
void BM_RE2SetWithNormalize(benchmark::State& state) { run_re2(state, true); }

void BM_Naive(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& qs = deter::bench::queries("all");
  const auto& normalized = deter::bench::normalized_queries("all");
  const ExpectedHits expected =
      deter::bench::matched_by(deter::bench::generated_filter(n, true), qs);
  std::vector<std::string> literals;
  for (const ListEntry& e : entries(n)) {
    std::string lit = " ";
    for (const std::string& w : e.words) lit += w + " ";
    if (e.prefix) lit.pop_back();
    literals.push_back(std::move(lit));
  }
  std::size_t i = 0;
  std::uint64_t hits = 0;
  for (auto _ : state) {
    const std::string_view q = normalized[i];
    bool hit = false;
    for (const std::string& lit : literals) {
      if (q.find(lit) != std::string_view::npos) {
        hit = true;
        break;
      }
    }
    hits += hit;
    if (++i == normalized.size()) i = 0;
  }
  if (hits != expected.after(state.iterations())) state.SkipWithError("wrong number of hits");
  state.SetItemsProcessed(state.iterations());
  state.counters["hits"] = static_cast<double>(expected.per_pass());
}

// deter with obscenity's English dataset, on the English queries: the row
// the obscenity package's own figure (from bench/obscenity/run.js) is
// compared with.
void BM_ObscenityList(benchmark::State& state) {
  const deter::Filter* f = deter::bench::obscenity_filter();
  if (f == nullptr) {
    state.SkipWithError("set DETER_OBSCENITY_LIST to the list run.js exports (bench/run.sh does)");
    return;
  }
  deter::bench::run_check(state, *f, deter::bench::queries("en"));
}

}  // namespace

BENCHMARK(BM_RE2Set)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_RE2SetWithNormalize)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_Naive)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_ObscenityList);
