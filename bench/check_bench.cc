// Benchmarks of Filter::check on real multilingual queries, at list sizes of
// 1k, 10k and 100k generated entries, with a bare Hyperscan scan of the
// pre-normalized queries as the floor. Each benchmark checks its own answer:
// the hits it counted must equal the count computed before timing.
//
// Queries come from ../shared/data/queries when present (the full sets),
// else from the samples in tests/data.
#include <benchmark/benchmark.h>
#include <deter/filter.h>
#include <hs/hs.h>

#include "filter_impl.h"
#include "fixtures.h"
#include "generated.h"
#include "text/normalize.h"

namespace {

using deter::bench::run_check;

using deter::bench::ExpectedHits;


// check() with every view, on a generated list of range(0) entries.
void BM_Check(benchmark::State& state) {
  run_check(state, deter::bench::generated_filter(static_cast<std::size_t>(state.range(0))),
            deter::bench::queries("all"));
}

// check() with only the base view: the semantics the baselines implement.
void BM_CheckBaseView(benchmark::State& state) {
  run_check(state, deter::bench::generated_filter(static_cast<std::size_t>(state.range(0)), true),
            deter::bench::queries("all"));
}

void BM_CheckLanguage(benchmark::State& state, const std::string& lang) {
  run_check(state, deter::bench::generated_filter(10000), deter::bench::queries(lang));
}

void BM_CheckDemo(benchmark::State& state) {
  run_check(state, deter::bench::demo_filter(), deter::bench::queries("all"));
}

// The floor: Hyperscan alone, on queries normalized before timing, with the
// base-view literal database of the same entries and a callback that stops
// at the first hit. Everything check() does beyond this (normalizing, the
// other views, building the decision) is deter's overhead.
void BM_FloorScan(benchmark::State& state) {
  const deter::Filter& f =
      deter::bench::generated_filter(static_cast<std::size_t>(state.range(0)), true);
  const auto& qs = deter::bench::queries("all");
  const auto& normalized = deter::bench::normalized_queries("all");
  const ExpectedHits expected = deter::bench::matched_by(f, qs);
  hs_database_t* db = f.impl()->database.literals();
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
    state.SkipWithError("hs_alloc_scratch failed");
    return;
  }
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned, void*) {
    return 1;  // stop: one hit decides the query
  };
  std::size_t i = 0;
  std::uint64_t hits = 0;
  for (auto _ : state) {
    const std::string& q = normalized[i];
    hits += hs_scan(db, q.data(), static_cast<unsigned>(q.size()), 0, scratch, on_match, nullptr) ==
            HS_SCAN_TERMINATED;
    if (++i == normalized.size()) i = 0;
  }
  hs_free_scratch(scratch);
  if (hits != expected.after(state.iterations())) state.SkipWithError("wrong number of hits");
  state.SetItemsProcessed(state.iterations());
  state.counters["hits"] = static_cast<double>(expected.per_pass());
}

void BM_Normalize(benchmark::State& state, const std::string& lang) {
  deter::bench::run_normalize(state, deter::bench::queries(lang));
}

// Parsing and compiling a list set from source, every view.
void BM_Compile(benchmark::State& state) {
  const std::string& list =
      deter::bench::generated_list_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto f = deter::Filter::from_sources({{"generated.list", list}});
    if (!f) state.SkipWithError("compile failed");
    benchmark::DoNotOptimize(f);
  }
  state.counters["entries"] = static_cast<double>(state.range(0));
}

}  // namespace

BENCHMARK(BM_Check)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_CheckBaseView)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_FloorScan)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_CheckDemo);
BENCHMARK_CAPTURE(BM_CheckLanguage, en, std::string("en"));
BENCHMARK_CAPTURE(BM_CheckLanguage, hi, std::string("hi"));
BENCHMARK_CAPTURE(BM_CheckLanguage, bn, std::string("bn"));
BENCHMARK_CAPTURE(BM_CheckLanguage, id, std::string("id"));
BENCHMARK_CAPTURE(BM_Normalize, en, std::string("en"));
BENCHMARK_CAPTURE(BM_Normalize, hi, std::string("hi"));
BENCHMARK(BM_Compile)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Compile)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(1);
