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
#include "generated.h"
#include "text/normalize.h"

namespace {

namespace fs = std::filesystem;

using deter::bench::data_dir;
using deter::bench::generated_list;
using deter::bench::read_lines;

// All queries of one language ("en", ...) or of every language ("all").
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
  // Interleave languages so branch predictors see a realistic mix.
  std::shuffle(out.begin(), out.end(), std::mt19937(42));
  return cache[lang] = std::move(out);
}

const deter::Filter& filter_for(const std::string& which) {
  static std::map<std::string, deter::Filter> cache;
  auto it = cache.find(which);
  if (it != cache.end()) return it->second;
  deter::Result<deter::Filter> f =
      which == "demo" ? deter::Filter::open(std::string(DETER_SOURCE_DIR) + "/lists/demo")
                      : deter::Filter::from_sources({{"generated.list", generated_list(std::stoul(which))}});
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
BENCHMARK_CAPTURE(BM_Check, 10k_all, std::string("10000"), std::string("all"));
BENCHMARK_CAPTURE(BM_Check, 10k_en, std::string("10000"), std::string("en"));
BENCHMARK_CAPTURE(BM_Check, 10k_hi, std::string("10000"), std::string("hi"));
BENCHMARK_CAPTURE(BM_Check, 10k_bn, std::string("10000"), std::string("bn"));
BENCHMARK_CAPTURE(BM_Check, 10k_id, std::string("10000"), std::string("id"));
BENCHMARK_CAPTURE(BM_FloorScan, 10k_all, std::string("10000"), std::string("all"));
BENCHMARK_CAPTURE(BM_Normalize, en, std::string("en"));
BENCHMARK_CAPTURE(BM_Normalize, hi, std::string("hi"));
BENCHMARK(BM_Compile)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
