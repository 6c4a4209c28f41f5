// Load time of the worst-shaped list files (tests/worst_lists.h): each
// within FilterOptions' default bounds loads, and each just past one is
// refused, in time linear in its size. Every iteration checks its answer
// (the entry count, or the error's code and place).
//
//   build/release/bench/deter_worst_lists_bench [--benchmark_filter=rule]
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "worst_lists.h"

namespace {

void BM_LoadWorst(benchmark::State& state, const deter::worst::Shape& shape) {
  for (auto _ : state) {
    deter::Result<deter::Filter> f = deter::Filter::from_sources({{"t.list", shape.list}});
    const bool right =
        f ? shape.code == deter::ErrorCode::ok && f.value().entry_count() == shape.entries
          : f.error().code == shape.code && f.error().line == shape.line &&
                f.error().column == shape.column;
    if (!right) {
      state.SkipWithError(("unexpected outcome: " +
                           (f ? std::string("loaded") : f.error().to_string().substr(0, 200)))
                              .c_str());
      break;
    }
    benchmark::DoNotOptimize(f);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * shape.list.size()));
  state.counters["list_bytes"] = static_cast<double>(shape.list.size());
}

}  // namespace

int main(int argc, char** argv) {
  static const auto shapes =
      std::make_unique<std::vector<deter::worst::Shape>>(deter::worst::shapes());
  for (const deter::worst::Shape& s : *shapes) {
    benchmark::RegisterBenchmark(("BM_LoadWorst/" + s.name).c_str(), BM_LoadWorst, s)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
