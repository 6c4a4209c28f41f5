#include "fixtures.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>

#include <hs/hs.h>

#include "filter_impl.h"
#include "generated.h"
#include "text/normalize.h"

namespace deter::bench {
namespace {

namespace fs = std::filesystem;

Filter must_load(Result<Filter> f, const std::string& what) {
  if (!f) {
    std::cerr << what << ": " << f.error().to_string() << "\n";
    std::abort();
  }
  return std::move(f).value();
}

}  // namespace

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

const std::vector<std::string>& normalized_queries(const std::string& lang) {
  static std::map<std::string, std::vector<std::string>> cache;
  auto it = cache.find(lang);
  if (it != cache.end()) return it->second;
  std::vector<std::string> out;
  for (const std::string& q : queries(lang)) out.push_back(text::normalize_base(q));
  return cache[lang] = std::move(out);
}

const std::string& generated_list_text(std::size_t n) {
  static std::map<std::size_t, std::string> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  return cache[n] = generated_list(n);
}

const Filter& generated_filter(std::size_t n, bool base_view_only) {
  static std::map<std::pair<std::size_t, bool>, Filter> cache;
  auto key = std::make_pair(n, base_view_only);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  FilterOptions options;
  if (base_view_only) options.views = ViewSet::only(View::base);
  Filter f = must_load(Filter::from_sources({{"generated.list", generated_list_text(n)}}, options),
                       "generated list");
  return cache.emplace(key, std::move(f)).first->second;
}

const Filter& demo_filter() {
  static const Filter f =
      must_load(Filter::open(std::string(DETER_SOURCE_DIR) + "/lists/demo"), "lists/demo");
  return f;
}

const Filter* obscenity_filter() {
  static const std::unique_ptr<Filter> f = []() -> std::unique_ptr<Filter> {
    const char* path = std::getenv("DETER_OBSCENITY_LIST");
    if (path == nullptr || *path == '\0') return nullptr;
    if (fs::is_directory(path)) {
      return std::make_unique<Filter>(must_load(Filter::open(path), path));
    }
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return std::make_unique<Filter>(
        must_load(Filter::from_sources({{fs::path(path).filename().string(), text}}), path));
  }();
  return f.get();
}

ExpectedHits::ExpectedHits(const std::vector<std::string>& queries,
                           const std::function<bool(const std::string&)>& hit) {
  prefix_.reserve(queries.size() + 1);
  prefix_.push_back(0);
  for (const std::string& q : queries) prefix_.push_back(prefix_.back() + (hit(q) ? 1 : 0));
}

std::uint64_t ExpectedHits::after(std::uint64_t iterations) const {
  const std::uint64_t n = prefix_.size() - 1;
  return iterations / n * per_pass() + prefix_[iterations % n];
}

ExpectedHits decided_by(const Filter& filter, const std::vector<std::string>& queries) {
  return ExpectedHits(
      queries, [&](const std::string& q) { return filter.check(q).action != Action::allow; });
}

ExpectedHits matched_by(const Filter& filter, const std::vector<std::string>& queries) {
  return ExpectedHits(queries,
                      [&](const std::string& q) { return !filter.check(q).matches.empty(); });
}

namespace {

struct Latency {
  double p50 = 0;
  double p99 = 0;
};

// Each query's own latency: check() timed alone with steady_clock, three
// times (the median of the three stands), less the clock's own cost (the
// median of timing nothing); then the median and 99th percentile over the
// queries. Outside the timed loop, so items/s stays the mean.
Latency per_query_latency(const Filter& f, const std::vector<std::string>& qs) {
  using Clock = std::chrono::steady_clock;
  auto ns = [](Clock::duration d) { return std::chrono::duration<double, std::nano>(d).count(); };
  auto median3 = [](double a, double b, double c) {
    return std::max(std::min(a, b), std::min(std::max(a, b), c));
  };
  std::vector<double> empty;
  for (int k = 0; k < 1001; ++k) {
    const Clock::time_point t0 = Clock::now();
    const Clock::time_point t1 = Clock::now();
    empty.push_back(ns(t1 - t0));
  }
  std::nth_element(empty.begin(), empty.begin() + 500, empty.end());
  const double clock_cost = empty[500];
  std::vector<double> times(qs.size());
  std::vector<double> runs[3];
  for (auto& r : runs) {
    r.resize(qs.size());
    for (std::size_t i = 0; i < qs.size(); ++i) {
      const Clock::time_point t0 = Clock::now();
      const Decision d = f.check(qs[i]);
      const Clock::time_point t1 = Clock::now();
      benchmark::DoNotOptimize(d.action);
      r[i] = ns(t1 - t0) - clock_cost;
    }
  }
  for (std::size_t i = 0; i < qs.size(); ++i)
    times[i] = median3(runs[0][i], runs[1][i], runs[2][i]);
  std::sort(times.begin(), times.end());
  Latency l;
  if (!times.empty()) {
    l.p50 = times[times.size() / 2];
    l.p99 = times[std::min(times.size() - 1, times.size() * 99 / 100)];
  }
  return l;
}

}  // namespace

void run_check(benchmark::State& state, const Filter& f, const std::vector<std::string>& qs) {
  const ExpectedHits expected = decided_by(f, qs);
  std::size_t i = 0;
  std::uint64_t decided = 0;
  for (auto _ : state) {
    const Decision d = f.check(qs[i]);
    decided += d.action != Action::allow;
    benchmark::DoNotOptimize(d.action);
    if (++i == qs.size()) i = 0;
  }
  if (decided != expected.after(state.iterations())) {
    state.SkipWithError("wrong number of decisions");
  }
  state.SetItemsProcessed(state.iterations());
  const Latency latency = per_query_latency(f, qs);
  state.counters["p50_ns"] = latency.p50;
  state.counters["p99_ns"] = latency.p99;
  state.counters["entries"] = static_cast<double>(f.entry_count());
  state.counters["queries"] = static_cast<double>(qs.size());
  state.counters["database_bytes"] = static_cast<double>(f.impl()->database.size_bytes());
  state.counters["hits"] = static_cast<double>(expected.per_pass());
}

namespace {

struct HsDatabaseFree {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};

// A Hyperscan literal database of every literal `f` compiles to, built once
// per filter.
hs_database_t* floor_database(const Filter& f) {
  static std::map<const FilterImpl*, std::unique_ptr<hs_database_t, HsDatabaseFree>> cache;
  auto it = cache.find(f.impl().get());
  if (it != cache.end()) return it->second.get();
  FilterImpl::Patterns patterns;
  auto built = FilterImpl::build_tables(f.impl()->sources, f.impl()->options, patterns);
  if (!built) std::abort();
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> ids;
  for (const auto& l : patterns.literals) {
    exprs.push_back(l.text.data());
    lens.push_back(l.text.size());
    ids.push_back(l.id);
  }
  std::vector<unsigned> flags(exprs.size(), HS_FLAG_SINGLEMATCH);
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
    std::cerr << "floor database: " << (err ? err->message : "?") << "\n";
    std::abort();
  }
  return (cache[f.impl().get()] = std::unique_ptr<hs_database_t, HsDatabaseFree>(db)).get();
}

}  // namespace

void run_floor_scan(benchmark::State& state, const Filter& f,
                    const std::vector<std::string>& normalized, const ExpectedHits* expected) {
  hs_database_t* db = floor_database(f);
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
  benchmark::DoNotOptimize(hits);
  if (expected != nullptr && hits != expected->after(state.iterations())) {
    state.SkipWithError("wrong number of hits");
  }
  state.SetItemsProcessed(state.iterations());
  if (expected != nullptr) state.counters["hits"] = static_cast<double>(expected->per_pass());
  std::size_t bytes = 0;
  if (hs_database_size(db, &bytes) == HS_SUCCESS) {
    state.counters["database_bytes"] = static_cast<double>(bytes);
  }
}

void run_normalize(benchmark::State& state, const std::vector<std::string>& qs) {
  std::string out;
  std::size_t i = 0;
  for (auto _ : state) {
    text::normalize_base(qs[i], out);
    benchmark::DoNotOptimize(out.data());
    if (++i == qs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace deter::bench
