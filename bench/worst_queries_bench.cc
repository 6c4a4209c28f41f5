// The adversarial 4 KB queries of worst_queries.h, one benchmark per family
// and list set: the demo lists and the generated 10k list, every view (the
// fuzzy view included). Each iteration checks that the decision (action and
// match count) is the one computed before timing.
//
//   build/release/bench/deter_bench --benchmark_filter=BM_WorstQuery
#include <benchmark/benchmark.h>
#include <deter/filter.h>

#include <string>

#include "fixtures.h"
#include "worst_queries.h"

namespace deter::bench {
namespace {

constexpr std::size_t kGenerated = 10000;

void BM_WorstQuery(benchmark::State& state, bool generated, const std::string& family) {
  const Filter& f = generated ? generated_filter(kGenerated) : demo_filter();
  const Target target =
      generated ? generated_target(generated_list_text(kGenerated)) : demo_target();
  std::string query;
  for (WorstQuery& w : worst_queries(target)) {
    if (w.family == family) query = std::move(w.query);
  }
  if (query.empty()) {
    state.SkipWithError("no such family for this list set");
    return;
  }
  const Decision expected = f.check(query);
  std::uint64_t right = 0;
  for (auto _ : state) {
    const Decision d = f.check(query);
    right += d.action == expected.action && d.matches.size() == expected.matches.size();
  }
  if (right != static_cast<std::uint64_t>(state.iterations()))
    state.SkipWithError("a decision differs from the one computed before timing");
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes"] = static_cast<double>(query.size());
  state.counters["matches"] = static_cast<double>(expected.matches.size());
  state.counters["action"] = static_cast<double>(expected.action);
}

// Registered by family name, before any list is loaded: the families are the
// same for both list sets but for "romanized", which only the demo lists have.
const bool registered = [] {
  for (const WorstQuery& w : worst_queries(demo_target())) {
    for (bool generated : {false, true}) {
      if (generated && w.family == "romanized") continue;
      benchmark::RegisterBenchmark(
          ("BM_WorstQuery/" + std::string(generated ? "10k/" : "demo/") + w.family).c_str(),
          BM_WorstQuery, generated, w.family)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  return true;
}();

}  // namespace
}  // namespace deter::bench
