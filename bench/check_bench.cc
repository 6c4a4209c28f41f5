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

// The floor: Hyperscan alone, on queries normalized before timing, with a
// literal database of the base-view literals of the same entries and a
// callback that stops at the first hit. Everything check() does beyond this
// (normalizing, the other views, building the decision) is deter's overhead.
void BM_FloorScan(benchmark::State& state) {
  const deter::Filter& f =
      deter::bench::generated_filter(static_cast<std::size_t>(state.range(0)), true);
  const ExpectedHits expected = deter::bench::matched_by(f, deter::bench::queries("all"));
  deter::bench::run_floor_scan(state, f, deter::bench::normalized_queries("all"), &expected);
}

// deter's own matcher alone: the token index and any Hyperscan databases of
// the base-view entries, on queries normalized before timing.
void BM_MatchOnly(benchmark::State& state) {
  const deter::Filter& f =
      deter::bench::generated_filter(static_cast<std::size_t>(state.range(0)), true);
  const auto& normalized = deter::bench::normalized_queries("all");
  const ExpectedHits expected = deter::bench::matched_by(f, deter::bench::queries("all"));
  const auto& db = f.impl()->database;
  std::size_t i = 0;
  std::uint64_t hits = 0;
  for (auto _ : state) {
    const std::string& q = normalized[i];
    bool hit = false;
    db.scan(q, q.size(), [&hit](unsigned, std::size_t, std::size_t) {
      hit = true;
      return false;
    });
    hits += hit;
    if (++i == normalized.size()) i = 0;
  }
  if (hits != expected.after(state.iterations())) state.SkipWithError("wrong number of hits");
  state.SetItemsProcessed(state.iterations());
  state.counters["hits"] = static_cast<double>(expected.per_pass());
}

// The worst queries for the decision stage: one pattern repeated until the
// hits are capped (kFlagCapped), before a blocked term. range(0) = 0: an
// exception repeated 1300 times on a three-entry list; 1: a list of nested
// phrases ("ab", "ab ab", ... 300 words) and a query of 1300 "ab", where
// every token ends up to 300 entries (about 330k hits, compacted as they
// come). Each must still block.
void BM_CheckPadded(benchmark::State& state) {
  const bool nested = state.range(0) == 1;
  std::string list = "! deter-list 1\n! name: p\n! language: en\n! action: prompt\n";
  list += "hidden lantern $action=block\n";
  std::string unit = "qq";
  if (nested) {
    unit = "ab";
    std::string phrase = "ab";
    for (int i = 0; i < 300; ++i, phrase += " ab") list += phrase + "\n";
  } else {
    list += "zz $action=inform\n@@qq\n";
  }
  deter::FilterOptions options;
  options.max_query_bytes = 1 << 16;
  auto built = deter::Filter::from_sources({{"p.list", list}}, options);
  if (!built) {
    state.SkipWithError("list did not load");
    return;
  }
  const deter::Filter& f = built.value();
  std::string query;
  for (int i = 0; i < 1300; ++i) query += unit + " ";
  query += "hidden lantern";
  std::uint64_t blocked = 0;
  for (auto _ : state) {
    const deter::Decision d = f.check(query);
    blocked += d.action == deter::Action::block && d.has_flag(deter::kFlagCapped);
  }
  if (blocked != static_cast<std::uint64_t>(state.iterations()))
    state.SkipWithError("a padded query was not blocked");
  state.SetItemsProcessed(state.iterations());
}

// Filter::check_batch on 1 and 2 threads at once, each deciding the whole
// real query set (10k entries, every view) in batches of 256 per iteration
// and checking how many it decided. items_per_second is over wall time:
// it doubles with the threads when nothing in deter serializes them and
// the machine has the cores free; the process CPU time per iteration (the
// CPU column) tells the two apart on a shared machine.
struct BatchInput {
  const deter::Filter* filter;
  std::vector<std::string_view> queries;
  std::uint64_t decided = 0;  // per pass
};

const BatchInput& batch_input() {
  // One thread builds it (a function-local static); the others wait.
  static const BatchInput input = [] {
    BatchInput in{&deter::bench::generated_filter(10000), {}, 0};
    const auto& qs = deter::bench::queries("all");
    in.queries.assign(qs.begin(), qs.end());
    in.decided = deter::bench::decided_by(*in.filter, qs).per_pass();
    return in;
  }();
  return input;
}

void BM_CheckBatchThreads(benchmark::State& state) {
  const BatchInput& in = batch_input();
  constexpr std::size_t kBatch = 256;
  std::vector<std::string_view> batch;
  std::vector<deter::Decision> out;
  std::uint64_t wrong = 0;
  for (auto _ : state) {
    std::uint64_t decided = 0;
    for (std::size_t b = 0; b < in.queries.size(); b += kBatch) {
      batch.assign(in.queries.begin() + static_cast<std::ptrdiff_t>(b),
                   in.queries.begin() +
                       static_cast<std::ptrdiff_t>(std::min(in.queries.size(), b + kBatch)));
      in.filter->check_batch(batch, out);
      for (const deter::Decision& d : out) decided += d.action != deter::Action::allow;
    }
    wrong += decided != in.decided;
  }
  if (wrong != 0) state.SkipWithError("wrong number of decisions");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in.queries.size()));
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
BENCHMARK(BM_MatchOnly)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_CheckDemo);
BENCHMARK(BM_CheckBatchThreads)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckPadded)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CheckLanguage, en, std::string("en"));
BENCHMARK_CAPTURE(BM_CheckLanguage, hi, std::string("hi"));
BENCHMARK_CAPTURE(BM_CheckLanguage, bn, std::string("bn"));
BENCHMARK_CAPTURE(BM_CheckLanguage, id, std::string("id"));
BENCHMARK_CAPTURE(BM_Normalize, en, std::string("en"));
BENCHMARK_CAPTURE(BM_Normalize, hi, std::string("hi"));
BENCHMARK(BM_Compile)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Compile)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(1);
