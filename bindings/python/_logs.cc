// The part of _deter behind deter.logs: counts of one part of a query log as
// plain Python values (dicts, lists, ints) that deter/logs.py sums across
// parts and machines, and the command-line tool's own writers run over the
// sum, so that a cluster's answer is `deter stats` / `deter impact`'s answer
// byte for byte. A stats part holds no query text; an impact part holds
// queries only when examples were asked for.
#include "_logs.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/impact_counts.h"
#include "cli/log_stats.h"
#include "cli/stats_report.h"

namespace py = pybind11;

namespace {

using deter::cli::ActionTallies;
using deter::cli::Impact;
using deter::cli::LogStats;
using deter::cli::Tally;

// Queries are checked in chunks of this many, as Filter.check_many does.
constexpr std::size_t kChunk = 4096;

struct LogPart {
  std::vector<std::string> queries;
  std::vector<std::uint64_t> counts;
};

LogPart log_part(const py::list& queries, const py::list& counts) {
  if (queries.size() != counts.size()) throw py::value_error("queries and counts differ in length");
  LogPart p;
  p.queries.reserve(queries.size());
  p.counts.reserve(counts.size());
  for (py::handle q : queries) p.queries.push_back(q.cast<std::string>());
  for (py::handle c : counts) p.counts.push_back(c.cast<std::uint64_t>());
  return p;
}

py::list tally_value(const Tally& t) {
  py::list l;
  l.append(t.queries);
  l.append(t.searches);
  return l;
}

Tally tally_from(py::handle h) {
  py::list l = h.cast<py::list>();
  return {l[0].cast<std::uint64_t>(), l[1].cast<std::uint64_t>()};
}

py::list actions_value(const ActionTallies& t) {
  py::list l;
  for (const Tally& x : t) l.append(tally_value(x));
  return l;
}

ActionTallies actions_from(py::handle h) {
  py::list l = h.cast<py::list>();
  ActionTallies t{};
  for (std::size_t a = 0; a < t.size(); ++a) t[a] = tally_from(l[a]);
  return t;
}

template <class Map>
py::dict map_value(const Map& map) {
  py::dict d;
  for (const auto& [k, v] : map) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Tally>) {
      d[py::str(k)] = tally_value(v);
    } else {
      d[py::str(k)] = actions_value(v);
    }
  }
  return d;
}

py::dict stats_part(const deter::Filter& filter, const py::list& queries, const py::list& counts) {
  LogPart part = log_part(queries, counts);
  LogStats stats(filter);
  {
    py::gil_scoped_release release;
    std::vector<std::string_view> views;
    std::vector<deter::Decision> decisions;
    for (std::size_t i = 0; i < part.queries.size(); i += kChunk) {
      const std::size_t end = std::min(i + kChunk, part.queries.size());
      views.assign(part.queries.begin() + static_cast<std::ptrdiff_t>(i),
                   part.queries.begin() + static_cast<std::ptrdiff_t>(end));
      filter.check_batch(views, decisions);
      for (std::size_t j = i; j < end; ++j)
        stats.add(part.queries[j], part.counts[j], decisions[j - i]);
    }
  }
  py::dict d;
  d["total"] = tally_value(stats.total);
  d["by_action"] = actions_value(stats.by_action);
  py::list scripts;
  for (const ActionTallies& t : stats.by_script) scripts.append(actions_value(t));
  d["by_script"] = scripts;
  d["by_category"] = map_value(stats.by_category);
  d["by_language"] = map_value(stats.by_language);
  d["by_message_locale"] = map_value(stats.by_message_locale);
  return d;
}

std::string stats_json(const py::dict& part, std::uint64_t min_count) {
  LogStats stats;
  stats.total = tally_from(part["total"]);
  stats.by_action = actions_from(part["by_action"]);
  py::list scripts = part["by_script"].cast<py::list>();
  for (std::size_t s = 0; s < stats.by_script.size(); ++s)
    stats.by_script[s] = actions_from(scripts[s]);
  for (auto [k, v] : part["by_category"].cast<py::dict>()) {
    stats.by_category[k.cast<std::string>()] = actions_from(v);
  }
  for (auto [k, v] : part["by_language"].cast<py::dict>()) {
    stats.by_language[k.cast<std::string>()] = actions_from(v);
  }
  for (auto [k, v] : part["by_message_locale"].cast<py::dict>()) {
    stats.by_message_locale[k.cast<std::string>()] = tally_from(v);
  }
  return deter::cli::stats_json(deter::cli::publish_stats(stats, min_count));
}

// A group's key: change, file and entry pattern, joined by U+001F (which no
// list line holds).
std::string group_key(int change, const deter::cli::EntryKey& k) {
  return std::to_string(change) + '\x1f' + k.file + '\x1f' + k.source;
}

py::dict impact_part(const deter::Filter& base, const deter::Filter& next, const py::list& queries,
                     const py::list& counts, bool with_examples) {
  LogPart part = log_part(queries, counts);
  Impact impact(base, next);
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < part.queries.size(); ++i)
      impact.add(part.queries[i], part.counts[i]);
  }
  py::dict d;
  d["queries"] = impact.queries_;
  d["searches"] = impact.searches_;
  py::list totals;
  for (const auto& [q, s] : impact.totals_) totals.append(tally_value({q, s}));
  d["totals"] = totals;
  py::dict groups;
  for (const auto& [key, g] : impact.groups_) {
    py::dict gd;
    gd["id"] = py::str(g.id);
    gd["status"] = py::str(g.status);
    gd["source"] = py::str(g.source);
    gd["queries"] = g.queries;
    gd["searches"] = g.searches;
    py::dict examples;
    if (with_examples) {
      for (const auto& [q, n] : g.seen) {
        py::list e;
        e.append(n);
        e.append(py::str(g.transitions.at(q)));
        examples[py::bytes(q)] = e;
      }
    }
    gd["examples"] = examples;
    groups[py::str(group_key(key.first, key.second))] = gd;
  }
  d["groups"] = groups;
  return d;
}

std::string impact_jsonl(const py::dict& part, std::size_t examples) {
  Impact impact;
  impact.queries_ = part["queries"].cast<std::uint64_t>();
  impact.searches_ = part["searches"].cast<std::uint64_t>();
  py::list totals = part["totals"].cast<py::list>();
  for (std::size_t c = 0; c < 3; ++c) {
    Tally t = tally_from(totals[c]);
    impact.totals_[c] = {t.queries, t.searches};
  }
  for (auto [k, v] : part["groups"].cast<py::dict>()) {
    std::string key = k.cast<std::string>();
    std::size_t a = key.find('\x1f'), b = key.find('\x1f', a + 1);
    int change = std::stoi(key.substr(0, a));
    deter::cli::EntryKey entry{key.substr(a + 1, b - a - 1), key.substr(b + 1)};
    py::dict gd = v.cast<py::dict>();
    deter::cli::Group& g = impact.groups_[{change, entry}];
    g.id = gd["id"].cast<std::string>();
    g.status = gd["status"].cast<std::string>();
    g.source = gd["source"].cast<std::string>();
    g.queries = gd["queries"].cast<std::uint64_t>();
    g.searches = gd["searches"].cast<std::uint64_t>();
    for (auto [q, e] : gd["examples"].cast<py::dict>()) {
      py::list el = e.cast<py::list>();
      std::string query = q.cast<std::string>();
      g.seen.emplace(query, el[0].cast<std::uint64_t>());
      g.transitions.emplace(query, el[1].cast<std::string>());
    }
  }
  deter::cli::ImpactArgs args;
  args.examples = examples;
  std::string out;
  impact.write_jsonl(args, out);
  return out;
}

}  // namespace

void add_logs_functions(py::module_& m) {
  m.def("_stats_part", &stats_part, py::arg("filter"), py::arg("queries"), py::arg("counts"));
  m.def("_stats_json", &stats_json, py::arg("part"), py::arg("min_count"));
  m.def("_impact_part", &impact_part, py::arg("base"), py::arg("next"), py::arg("queries"),
        py::arg("counts"), py::arg("with_examples"));
  m.def("_impact_jsonl", &impact_jsonl, py::arg("part"), py::arg("examples"));
}
