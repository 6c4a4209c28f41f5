// Benchmarks of Filter::check on real multilingual queries, with a bare
// Hyperscan scan of the pre-normalized queries on the same database as the
// floor. Each benchmark checks its own answer: the number of queries
// prompted must equal the count computed before timing.
//
// Queries come from ../shared/data/queries when present (the full sets),
// else from the samples in tests/data.
#include <benchmark/benchmark.h>
#include <deter/filter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>

#include "filter_impl.h"
#include "text/normalize.h"
#include "text/views.h"

namespace {

namespace fs = std::filesystem;

std::string data_dir() {
  std::string shared = std::string(DETER_SOURCE_DIR) + "/../shared/data";
  if (fs::is_directory(shared)) return shared;
  return std::string(DETER_SOURCE_DIR) + "/tests/data";
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// All queries of one language ("en", ...) or of every language ("all").
// There is no Kannada query set: "kn" reads the Kannada phrases instead.
const std::vector<std::string>& queries(const std::string& lang) {
  static std::map<std::string, std::vector<std::string>> cache;
  auto it = cache.find(lang);
  if (it != cache.end()) return it->second;
  std::vector<std::string> out;
  for (const char* l : {"en", "hi", "bn", "id"}) {
    if (lang != "all" && lang != l) continue;
    auto lines = read_lines(fs::path(data_dir()) / "queries" / (std::string(l) + ".txt"));
    out.insert(out.end(), lines.begin(), lines.end());
  }
  if (lang == "kn") out = read_lines(fs::path(data_dir()) / "phrases" / "kn.txt");
  // Interleave languages so branch predictors see a realistic mix.
  std::shuffle(out.begin(), out.end(), std::mt19937(42));
  return cache[lang] = std::move(out);
}

// A list of `n` two-word phrases (a tenth of them prefixes) made of real
// words from the phrase and query files of all five languages. Real lists
// look like this: ordinary words in unusual combinations.
std::string generated_list(std::size_t n) {
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (const char* kind : {"phrases", "queries"}) {
    for (const char* l : {"en", "hi", "bn", "kn", "id"}) {
      for (const std::string& line : read_lines(fs::path(data_dir()) / kind / (std::string(l) + ".txt"))) {
        std::string norm = deter::text::normalize_base(line);
        std::size_t pos = 1;
        while (pos < norm.size()) {
          std::size_t sp = norm.find(' ', pos);
          std::string w = norm.substr(pos, sp - pos);
          if (w.size() >= 4 && seen.insert(w).second) words.push_back(w);
          pos = sp + 1;
        }
      }
    }
  }
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::string list = "! deter-list 1\n! name: generated\n! category: generated\n";
  std::set<std::string> entries;
  while (entries.size() < n) {
    std::string e = words[pick(rng)] + " " + words[pick(rng)];
    if (entries.size() % 10 == 9) e += "*";
    if (entries.insert(e).second) list += e + "\n";
  }
  return list;
}

// "demo" or an entry count, optionally followed by "+view" (the base view
// and that view only) or "+base" (the base view alone); default all views.
const deter::Filter& filter_for(const std::string& which) {
  static std::map<std::string, deter::Filter> cache;
  auto it = cache.find(which);
  if (it != cache.end()) return it->second;
  const std::size_t plus = which.find('+');
  const std::string list = which.substr(0, plus);
  deter::FilterOptions options;
  if (plus != std::string::npos) {
    options.views = deter::ViewSet::only(deter::View::base)
                        .with(*deter::parse_view(which.substr(plus + 1)));
  }
  deter::Result<deter::Filter> f =
      list == "demo"
          ? deter::Filter::open(std::string(DETER_SOURCE_DIR) + "/lists/demo", options)
          : deter::Filter::from_sources({{"generated.list", generated_list(std::stoul(list))}},
                                        options);
  if (!f) {
    std::cerr << f.error().to_string() << "\n";
    std::abort();
  }
  return cache.emplace(which, std::move(f).value()).first->second;
}

std::size_t count_prompted(const deter::Filter& f, const std::vector<std::string>& qs) {
  std::size_t n = 0;
  for (const auto& q : qs) n += f.check(q).action != deter::Action::allow;
  return n;
}

void BM_Check(benchmark::State& state, const std::string& list, const std::string& lang) {
  const deter::Filter& f = filter_for(list);
  const auto& qs = queries(lang);
  const std::size_t expected = count_prompted(f, qs);
  std::size_t i = 0, prompted = 0, passes = 0;
  for (auto _ : state) {
    const deter::Decision d = f.check(qs[i]);
    prompted += d.action != deter::Action::allow;
    benchmark::DoNotOptimize(d.action);
    if (++i == qs.size()) {
      i = 0;
      ++passes;
      if (prompted != expected * passes) state.SkipWithError("hit count changed between passes");
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["entries"] = static_cast<double>(f.entry_count());
  state.counters["queries"] = static_cast<double>(qs.size());
  state.counters["prompted"] = static_cast<double>(expected);
}

// The floor: Hyperscan alone, on queries normalized before timing, with the
// same literal database and a callback that only counts.
void BM_FloorScan(benchmark::State& state, const std::string& list, const std::string& lang) {
  const deter::Filter& f = filter_for(list);
  std::vector<std::string> normalized;
  for (const auto& q : queries(lang)) normalized.push_back(deter::text::normalize_base(q));
  hs_database_t* db = f.impl()->database.literals();
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  std::size_t i = 0, hits = 0;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
    ++*static_cast<std::size_t*>(ctx);
    return 0;
  };
  for (auto _ : state) {
    const std::string& q = normalized[i];
    hs_scan(db, q.data(), static_cast<unsigned>(q.size()), 0, scratch, on_match, &hits);
    if (++i == normalized.size()) i = 0;
  }
  benchmark::DoNotOptimize(hits);
  hs_free_scratch(scratch);
  state.SetItemsProcessed(state.iterations());
}

void BM_Normalize(benchmark::State& state, const std::string& lang) {
  const auto& qs = queries(lang);
  std::string out;
  std::size_t i = 0;
  for (auto _ : state) {
    deter::text::normalize_base(qs[i], out);
    benchmark::DoNotOptimize(out.data());
    if (++i == qs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// Building the scan text alone (base form plus the views that differ),
// with `views` as a filter would use them.
void BM_Views(benchmark::State& state, const std::string& view, const std::string& lang) {
  const auto& qs = queries(lang);
  deter::ViewSet views = deter::ViewSet::all();
  if (view != "all") views = deter::ViewSet::only(deter::View::base).with(*deter::parse_view(view));
  deter::text::QueryViews built;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    built.build(qs[i], views);
    bytes += built.scan_text().size();
    benchmark::DoNotOptimize(bytes);
    if (++i == qs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["scan_bytes"] =
      benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}

void BM_Compile(benchmark::State& state) {
  std::string list = generated_list(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto f = deter::Filter::from_sources({{"generated.list", list}});
    if (!f) state.SkipWithError("compile failed");
    benchmark::DoNotOptimize(f);
  }
  state.counters["entries"] = static_cast<double>(state.range(0));
}

}  // namespace

BENCHMARK_CAPTURE(BM_Check, demo_all, std::string("demo"), std::string("all"));
// Per view: the 10k list with the base view and one other view.
BENCHMARK_CAPTURE(BM_Check, 10k_all_base_only, std::string("10000+base"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_all_leet, std::string("10000+leet"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_all_squeeze, std::string("10000+squeeze"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_all_spaced, std::string("10000+spaced"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_all_joined, std::string("10000+joined"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_all_homoglyph, std::string("10000+homoglyph"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_all_phonetic, std::string("10000+phonetic"), std::string("all"));
// All views, per language.
BENCHMARK_CAPTURE(BM_Check, 10k_all, std::string("10000"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_en, std::string("10000"), std::string("en"));
BENCHMARK_CAPTURE(BM_Check, 10k_hi, std::string("10000"), std::string("hi"));
BENCHMARK_CAPTURE(BM_Check, 10k_bn, std::string("10000"), std::string("bn"));
BENCHMARK_CAPTURE(BM_Check, 10k_id, std::string("10000"), std::string("id"));
BENCHMARK_CAPTURE(BM_Check, 10k_kn_phrases, std::string("10000"), std::string("kn"));
BENCHMARK_CAPTURE(BM_FloorScan, 10k_all, std::string("10000"), std::string("all"));
BENCHMARK_CAPTURE(BM_FloorScan, 10k_en, std::string("10000"), std::string("en"));
BENCHMARK_CAPTURE(BM_FloorScan, 10k_hi, std::string("10000"), std::string("hi"));
BENCHMARK_CAPTURE(BM_FloorScan, 10k_bn, std::string("10000"), std::string("bn"));
BENCHMARK_CAPTURE(BM_FloorScan, 10k_id, std::string("10000"), std::string("id"));
BENCHMARK_CAPTURE(BM_FloorScan, 10k_kn_phrases, std::string("10000"), std::string("kn"));
BENCHMARK_CAPTURE(BM_Normalize, en, std::string("en"));
BENCHMARK_CAPTURE(BM_Normalize, hi, std::string("hi"));
BENCHMARK_CAPTURE(BM_Normalize, bn, std::string("bn"));
BENCHMARK_CAPTURE(BM_Normalize, id, std::string("id"));
BENCHMARK_CAPTURE(BM_Normalize, kn_phrases, std::string("kn"));
BENCHMARK_CAPTURE(BM_Views, leet, std::string("leet"), std::string("all"));
BENCHMARK_CAPTURE(BM_Views, squeeze, std::string("squeeze"), std::string("all"));
BENCHMARK_CAPTURE(BM_Views, spaced, std::string("spaced"), std::string("all"));
BENCHMARK_CAPTURE(BM_Views, homoglyph, std::string("homoglyph"), std::string("all"));
BENCHMARK_CAPTURE(BM_Views, phonetic, std::string("phonetic"), std::string("all"));
BENCHMARK_CAPTURE(BM_Views, all, std::string("all"), std::string("all"));
BENCHMARK(BM_Compile)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
