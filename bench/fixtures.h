// What the benchmarks share: query sets, list sets compiled once per process
// (the 100k list takes seconds to compile), and the expected answers every
// benchmark checks itself against.
#ifndef DETER_BENCH_FIXTURES_H_
#define DETER_BENCH_FIXTURES_H_

#include <benchmark/benchmark.h>
#include <deter/filter.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace deter::bench {

// Queries of one language ("en", "hi", "bn", "id") or all of them ("all"),
// shuffled with a fixed seed so languages interleave.
const std::vector<std::string>& queries(const std::string& lang);
// The same queries in the base normalized form (" forbidden orchard ").
const std::vector<std::string>& normalized_queries(const std::string& lang);

// generated_list(n), built once.
const std::string& generated_list_text(std::size_t n);
// The generated list compiled with every view, or with the base view only
// (the semantics the baselines implement).
const Filter& generated_filter(std::size_t n, bool base_view_only = false);
const Filter& demo_filter();
// The list set bench/obscenity/run.js exports (a directory or one .list
// file), named by the environment variable DETER_OBSCENITY_LIST; null when
// it is not set.
const Filter* obscenity_filter();

// How many hits a benchmark must have counted after `iterations` iterations
// that walk the queries in order, wrapping around: one per query for which
// `hit` holds.
class ExpectedHits {
 public:
  ExpectedHits(const std::vector<std::string>& queries,
               const std::function<bool(const std::string&)>& hit);
  std::uint64_t after(std::uint64_t iterations) const;
  std::uint64_t per_pass() const { return prefix_.back(); }

 private:
  std::vector<std::uint64_t> prefix_;  // prefix_[i]: hits among the first i queries
};

// Queries a filter decides other than allow.
ExpectedHits decided_by(const Filter& filter, const std::vector<std::string>& queries);
// Queries a filter finds any match in.
ExpectedHits matched_by(const Filter& filter, const std::vector<std::string>& queries);

// Walks `qs` in order through Filter::check, counting decisions other than
// allow, and fails the benchmark unless the count is the one decided_by()
// expects. Reports items/s and the hits, entries, queries and database size.
void run_check(benchmark::State& state, const Filter& f, const std::vector<std::string>& qs);

// The floor: one bare hs_scan per pre-normalized query in `normalized`, on
// a Hyperscan literal database of every literal `f` compiles to (what a
// plain Hyperscan keyword filter of the same entries would hold), stopping
// at the first hit. Fails the benchmark unless the hits equal `expected`
// (pass an empty ExpectedHits pointer to skip the check).
void run_floor_scan(benchmark::State& state, const Filter& f,
                    const std::vector<std::string>& normalized, const ExpectedHits* expected);

// Walks `qs` in order through the base normalizer.
void run_normalize(benchmark::State& state, const std::vector<std::string>& qs);

}  // namespace deter::bench

#endif  // DETER_BENCH_FIXTURES_H_
