// Typeahead: Filter::check_partial on every keystroke of real queries, and
// Filter::filter_suggestions with eight candidates a keystroke, beside
// check() on the same texts. A candidate must cost no more than a check():
// compare BM_FilterSuggestions' items/s (one item a candidate) with
// BM_CheckKeystrokes'. Each benchmark checks its own answer: the decisions
// (or candidates shown) it counted must equal the count computed before
// timing.
#include <benchmark/benchmark.h>
#include <deter/filter.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "fixtures.h"

namespace {

using deter::bench::ExpectedHits;

constexpr std::size_t kQueries = 1000;  // queries typed, all languages interleaved
constexpr std::size_t kCandidates = 8;  // suggestions a keystroke

// Every prefix of the first kQueries queries that ends on a character: what
// a search box sends, one keystroke at a time.
const std::vector<std::string>& keystrokes() {
  static const std::vector<std::string> out = [] {
    std::vector<std::string> v;
    const auto& qs = deter::bench::queries("all");
    for (std::size_t i = 0; i < qs.size() && i < kQueries; ++i) {
      const std::string& q = qs[i];
      for (std::size_t end = 1; end <= q.size(); ++end) {
        if (end < q.size() && (static_cast<unsigned char>(q[end]) & 0xC0) == 0x80) continue;
        v.push_back(q.substr(0, end));
      }
    }
    return v;
  }();
  return out;
}

const deter::Filter& filter_for(std::int64_t entries) {
  return entries == 0 ? deter::bench::demo_filter()
                      : deter::bench::generated_filter(static_cast<std::size_t>(entries));
}

// Walks every keystroke through `decide` (check or check_partial), counting
// decisions other than allow against `expected`.
template <class Decide>
void run_keystrokes(benchmark::State& state, const deter::Filter& f, const ExpectedHits& expected,
                    Decide decide) {
  const auto& ks = keystrokes();
  std::size_t i = 0;
  std::uint64_t decided = 0;
  for (auto _ : state) {
    const deter::Decision d = decide(ks[i]);
    decided += d.action != deter::Action::allow;
    if (++i == ks.size()) i = 0;
  }
  if (decided != expected.after(state.iterations())) state.SkipWithError("wrong decisions");
  state.SetItemsProcessed(state.iterations());
  state.counters["entries"] = static_cast<double>(f.entry_count());
  state.counters["texts"] = static_cast<double>(ks.size());
  state.counters["hits"] = static_cast<double>(expected.per_pass());
}

// check() on every keystroke: the reference.
void BM_CheckKeystrokes(benchmark::State& state) {
  const deter::Filter& f = filter_for(state.range(0));
  run_keystrokes(state, f, deter::bench::decided_by(f, keystrokes()),
                 [&f](const std::string& t) { return f.check(t); });
}

// check_partial() on every keystroke.
void BM_CheckPartialKeystrokes(benchmark::State& state) {
  const deter::Filter& f = filter_for(state.range(0));
  const ExpectedHits expected(keystrokes(), [&f](const std::string& t) {
    const deter::Action partial = f.check_partial(t).action;
    // The partial decision is never lower than the full one.
    if (partial < f.check(t).action) std::abort();
    return partial != deter::Action::allow;
  });
  run_keystrokes(state, f, expected, [&f](const std::string& t) { return f.check_partial(t); });
}

// filter_suggestions() on every keystroke, with the kCandidates queries
// after the one typed as its candidates. One item is one candidate.
void BM_FilterSuggestions(benchmark::State& state) {
  const deter::Filter& f = filter_for(state.range(0));
  const auto& ks = keystrokes();
  const auto& qs = deter::bench::queries("all");
  std::vector<std::vector<std::string_view>> candidates(ks.size());
  for (std::size_t i = 0; i < ks.size(); ++i) {
    for (std::size_t c = 0; c < kCandidates; ++c) candidates[i].push_back(qs[(i + c) % qs.size()]);
  }
  // The reference: the two rules, through check_partial() and check().
  std::vector<std::uint64_t> shown_at(ks.size() + 1, 0);
  for (std::size_t i = 0; i < ks.size(); ++i) {
    std::uint64_t shown = 0;
    if (f.check_partial(ks[i]).action == deter::Action::allow) {
      for (std::string_view c : candidates[i]) shown += f.check(c).action == deter::Action::allow;
    }
    shown_at[i + 1] = shown_at[i] + shown;
  }
  std::size_t i = 0;
  std::uint64_t shown = 0;
  for (auto _ : state) {
    shown += f.filter_suggestions(ks[i], candidates[i]).size();
    if (++i == ks.size()) i = 0;
  }
  const std::uint64_t n = state.iterations();
  const std::uint64_t expected = n / ks.size() * shown_at.back() + shown_at[n % ks.size()];
  if (shown != expected) state.SkipWithError("wrong candidates shown");
  state.SetItemsProcessed(static_cast<std::int64_t>(n * kCandidates));
  state.counters["entries"] = static_cast<double>(f.entry_count());
  state.counters["texts"] = static_cast<double>(ks.size());
  state.counters["shown"] = static_cast<double>(shown_at.back());
}

// Arg 0: the demo lists; otherwise a generated list of that many entries.
BENCHMARK(BM_CheckKeystrokes)->Arg(0)->Arg(10000)->Arg(100000);
BENCHMARK(BM_CheckPartialKeystrokes)->Arg(0)->Arg(10000)->Arg(100000);
BENCHMARK(BM_FilterSuggestions)->Arg(0)->Arg(10000)->Arg(100000);

}  // namespace
