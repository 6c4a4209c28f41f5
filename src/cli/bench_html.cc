#include "cli/bench_html.h"

#include <algorithm>
#include <unordered_map>

#include "cli/html_report.h"
#include "cli/report.h"
#include "cli/script.h"

namespace deter::cli {
namespace {

std::string count_and_share(std::uint64_t n, std::uint64_t total) {
  return format_count(n) + " (" + format_percent(n, total) + ")";
}

// The latency histogram: 40 equal buckets up to the 99th percentile (the
// tail beyond it would squash the rest into one bar), then one bucket for
// everything slower. Percentiles are marked where they fall.
void latency_histogram(HtmlReport& page, const BenchFigures& f) {
  const std::vector<std::uint32_t>& ns = *f.latencies;
  if (ns.empty()) return;
  std::uint32_t p99 = ns.back();
  for (const auto& [name, v] : f.percentiles) {
    if (name == "p99") p99 = v;
  }
  constexpr std::size_t kBuckets = 40;
  const double width = std::max(1.0, static_cast<double>(p99 + 1) / kBuckets);
  std::vector<std::uint64_t> counts(kBuckets + 1, 0);
  for (std::uint32_t v : ns) {
    const auto b = static_cast<std::size_t>(v / width);
    ++counts[std::min(b, kBuckets)];
  }
  std::vector<Bar> bars;
  for (std::size_t i = 0; i <= kBuckets; ++i) {
    const double lo = static_cast<double>(i) * width;
    std::string label = i < kBuckets ? format_count(static_cast<std::uint64_t>(lo))
                                     : "≥" + format_count(static_cast<std::uint64_t>(lo));
    bars.push_back({label, static_cast<double>(counts[i]),
                    format_count(counts[i]) + " checks from " +
                        format_count(static_cast<std::uint64_t>(lo)) + " ns"});
  }
  std::vector<std::pair<std::string, double>> marks;
  for (const auto& [name, v] : f.percentiles) {
    const double at = static_cast<double>(v) / width;
    if (at <= kBuckets) marks.emplace_back(name, at);
  }
  page.histogram("Latency of one check (ns, " + format_count(ns.size()) +
                     " checks; the last bar holds the slowest 1%)",
                 bars, marks);
}

}  // namespace

std::string bench_html(const Filter& filter, const BenchFigures& f) {
  const LogStats& s = *f.stats;
  const std::uint64_t n = s.total.queries;
  HtmlReport page("deter bench: " + f.lists + " on " + f.log);

  page.heading("Throughput and latency");
  std::vector<std::pair<std::string, std::string>> figures = {
      {"queries", format_count(n) + " distinct (" + format_count(s.total.searches) + " searches)"},
      {"throughput", format_count(static_cast<std::uint64_t>(f.seconds > 0 ? n / f.seconds : 0)) +
                         " queries/s on " + std::to_string(f.threads) +
                         (f.threads == 1 ? " thread" : " threads")},
      {"mean latency", format_count(static_cast<std::uint64_t>(f.mean_ns + 0.5)) + " ns"}};
  for (const auto& [name, v] : f.percentiles) figures.emplace_back(name, format_count(v) + " ns");
  page.facts(figures);
  latency_histogram(page, f);

  page.heading("Hit rates");
  std::vector<Bar> actions;
  for (std::size_t a = 0; a < kActions.size(); ++a) {
    actions.push_back({std::string(to_string(kActions[a])),
                       static_cast<double>(s.by_action[a].queries),
                       count_and_share(s.by_action[a].queries, n)});
  }
  page.bar_chart("Queries by action", actions, "no queries");
  std::vector<Bar> scripts;
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    Tally all, hit;
    for (std::size_t a = 0; a < kActions.size(); ++a) {
      all.merge(s.by_script[i][a]);
      if (a > 0) hit.merge(s.by_script[i][a]);
    }
    if (all.queries == 0) continue;
    scripts.push_back({std::string(to_string(kScripts[i])), 100.0 * ratio(hit.queries, all.queries),
                       format_count(hit.queries) + " of " + format_count(all.queries) + " (" +
                           format_percent(hit.queries, all.queries) + ")"});
  }
  page.bar_chart("Share of queries with a decision, by script of the query", scripts, "no queries");
  std::vector<Bar> categories;
  for (const auto& [category, tallies] : s.by_category) {
    Tally t;
    for (const Tally& x : tallies) t.merge(x);
    categories.push_back({category, static_cast<double>(t.queries), count_and_share(t.queries, n)});
  }
  page.bar_chart("Queries with a decision, by category", categories, "no decisions");
  std::vector<Bar> views;
  for (int v = 0; v < kViewCount; ++v) {
    const Tally& t = s.by_view[static_cast<std::size_t>(v)];
    if (t.queries == 0) continue;
    views.push_back({std::string(to_string(static_cast<View>(v))), static_cast<double>(t.queries),
                     count_and_share(t.queries, n)});
  }
  page.bar_chart("Queries matched, by the view that found the match", views, "no matches");

  page.heading("Top entries");
  if (f.top_entries.empty()) {
    page.paragraph("No entry matched.");
  } else {
    std::unordered_map<std::string_view, std::string_view> source_of;
    for (std::uint32_t i = 0; i < filter.entry_count(); ++i) {
      EntryInfo e = filter.entry(i);
      source_of.emplace(e.id, e.source);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& [id, t] : f.top_entries) {
      auto it = source_of.find(id);
      rows.push_back(
          {std::string(id) + "  " + (it == source_of.end() ? "" : std::string(it->second)),
           format_count(t.queries), format_count(t.searches)});
    }
    page.table({"entry", "queries", "searches"}, rows);
  }

  page.heading("Lists and machine");
  std::vector<std::pair<std::string, std::string>> facts = {
      {"lists", f.lists},
      {"entries", format_count(filter.entry_count())},
      {"loaded in", format_fixed(f.load_seconds * 1000, 1) + " ms"},
      {"query log", f.log}};
  for (auto& fact : machine_facts()) facts.push_back(std::move(fact));
  page.facts(facts);
  return page.finish();
}

}  // namespace deter::cli
