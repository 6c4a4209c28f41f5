// Benchmarks per view and per language: check() on the 10k generated list
// with the base view plus one other view, with all views per language, the
// floor per language, base normalization per language, and building the
// views of a query alone (text::QueryViews). Each check row verifies its
// own answer against the count computed before timing.
#include <benchmark/benchmark.h>
#include <deter/filter.h>
#include <hs/hs.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>

#include "filter_impl.h"
#include "fixtures.h"
#include "generated.h"
#include "text/normalize.h"
#include "text/views.h"

namespace {

using deter::bench::run_check;

using deter::bench::ExpectedHits;

// Query sets as in fixtures, plus "kn": there is no Kannada query set, so
// the Kannada phrases stand in.
const std::vector<std::string>& language_queries(const std::string& lang) {
  if (lang != "kn") return deter::bench::queries(lang);
  static const std::vector<std::string> kn = [] {
    auto lines = deter::bench::read_lines(std::filesystem::path(deter::bench::data_dir()) /
                                          "phrases" / "kn.txt");
    std::shuffle(lines.begin(), lines.end(), std::mt19937(42));
    return lines;
  }();
  return kn;
}

// The 10k generated list with the base view and `view` ("base": base only).
const deter::Filter& filter_with(const std::string& view) {
  static std::map<std::string, deter::Filter> cache;
  auto it = cache.find(view);
  if (it != cache.end()) return it->second;
  deter::FilterOptions options;
  options.views = deter::ViewSet::only(deter::View::base).with(*deter::parse_view(view));
  auto f = deter::Filter::from_sources(
      {{"generated.list", deter::bench::generated_list_text(10000)}}, options);
  if (!f) {
    std::cerr << f.error().to_string() << "\n";
    std::abort();
  }
  return cache.emplace(view, std::move(f).value()).first->second;
}

// check() on all queries with the base view and one other view.
void BM_CheckView(benchmark::State& state, const std::string& view) {
  run_check(state, filter_with(view), deter::bench::queries("all"));
}

// check() with every view, per language (Kannada: phrases).
void BM_CheckAllViews(benchmark::State& state, const std::string& lang) {
  run_check(state, deter::bench::generated_filter(10000), language_queries(lang));
}

// The floor per language: Hyperscan alone on pre-normalized queries, the
// base-view database of the same 10k entries.
void BM_FloorScanLanguage(benchmark::State& state, const std::string& lang) {
  const deter::Filter& f = deter::bench::generated_filter(10000, true);
  std::vector<std::string> normalized;
  for (const auto& q : language_queries(lang)) normalized.push_back(deter::text::normalize_base(q));
  deter::bench::run_floor_scan(state, f, normalized, nullptr);
}

void BM_NormalizeLanguage(benchmark::State& state, const std::string& lang) {
  deter::bench::run_normalize(state, language_queries(lang));
}

// Building the scan text alone (base form plus the views that differ).
void BM_BuildViews(benchmark::State& state, const std::string& view) {
  const auto& qs = deter::bench::queries("all");
  deter::ViewSet views = deter::ViewSet::all();
  if (view != "all") views = deter::ViewSet::only(deter::View::base).with(*deter::parse_view(view));
  deter::text::QueryViews built;
  std::size_t i = 0;
  std::uint64_t bytes = 0;
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

}  // namespace

BENCHMARK_CAPTURE(BM_CheckView, base, std::string("base"));
BENCHMARK_CAPTURE(BM_CheckView, leet, std::string("leet"));
BENCHMARK_CAPTURE(BM_CheckView, squeeze, std::string("squeeze"));
BENCHMARK_CAPTURE(BM_CheckView, spaced, std::string("spaced"));
BENCHMARK_CAPTURE(BM_CheckView, joined, std::string("joined"));
BENCHMARK_CAPTURE(BM_CheckView, homoglyph, std::string("homoglyph"));
BENCHMARK_CAPTURE(BM_CheckView, phonetic, std::string("phonetic"));
BENCHMARK_CAPTURE(BM_CheckAllViews, en, std::string("en"));
BENCHMARK_CAPTURE(BM_CheckAllViews, hi, std::string("hi"));
BENCHMARK_CAPTURE(BM_CheckAllViews, bn, std::string("bn"));
BENCHMARK_CAPTURE(BM_CheckAllViews, id, std::string("id"));
BENCHMARK_CAPTURE(BM_CheckAllViews, kn_phrases, std::string("kn"));
BENCHMARK_CAPTURE(BM_FloorScanLanguage, en, std::string("en"));
BENCHMARK_CAPTURE(BM_FloorScanLanguage, hi, std::string("hi"));
BENCHMARK_CAPTURE(BM_FloorScanLanguage, bn, std::string("bn"));
BENCHMARK_CAPTURE(BM_FloorScanLanguage, id, std::string("id"));
BENCHMARK_CAPTURE(BM_FloorScanLanguage, kn_phrases, std::string("kn"));
BENCHMARK_CAPTURE(BM_NormalizeLanguage, bn, std::string("bn"));
BENCHMARK_CAPTURE(BM_NormalizeLanguage, id, std::string("id"));
BENCHMARK_CAPTURE(BM_NormalizeLanguage, kn_phrases, std::string("kn"));
BENCHMARK_CAPTURE(BM_BuildViews, leet, std::string("leet"));
BENCHMARK_CAPTURE(BM_BuildViews, squeeze, std::string("squeeze"));
BENCHMARK_CAPTURE(BM_BuildViews, spaced, std::string("spaced"));
BENCHMARK_CAPTURE(BM_BuildViews, homoglyph, std::string("homoglyph"));
BENCHMARK_CAPTURE(BM_BuildViews, phonetic, std::string("phonetic"));
BENCHMARK_CAPTURE(BM_BuildViews, all, std::string("all"));
