// What a list change does to the queries of a log: the counting behind
// `deter impact`, shared with the Python package's deter.logs, which counts
// parts of a log on many machines and sums the parts into one Impact.
#ifndef DETER_CLI_IMPACT_COUNTS_H_
#define DETER_CLI_IMPACT_COUNTS_H_

#include <deter/filter.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli/common.h"

namespace deter::cli {

struct ImpactArgs {
  std::string base;
  std::string lists;
  std::string log;
  std::string format = "text";
  std::size_t examples = 3;
  std::int64_t fail_on_new = -1;  // the CI gate: at most this many newly prompted; -1: none
};

enum class Change { newly_prompted, no_longer_prompted, action_changed };
inline constexpr const char* kChangeNames[] = {"newly_prompted", "no_longer_prompted",
                                               "action_changed"};
inline constexpr const char* kChangeTitles[] = {"newly prompted", "no longer prompted",
                                                "action changed"};

// An entry as both versions know it.
struct EntryKey {
  std::string file;
  std::string source;
  auto operator<=>(const EntryKey&) const = default;
};

// The entry without its " $key=value,..." overrides, so that changing an
// entry's action shows as a change of that entry.
inline std::string_view pattern_part(std::string_view source) {
  std::size_t dollar = source.rfind(" $");
  if (dollar != std::string_view::npos && source.find('=', dollar) != std::string_view::npos) {
    source = source.substr(0, dollar);
  }
  while (!source.empty() && (source.back() == ' ' || source.back() == '\t'))
    source.remove_suffix(1);
  return source;
}

inline EntryKey key_of(const Filter& f, std::uint32_t index) {
  EntryInfo e = f.entry(index);
  return {std::string(e.file), std::string(pattern_part(e.source))};
}

struct Group {
  std::string id;      // "en.list:14" in the version where the entry causes the change
  std::string status;  // added, removed, changed (its overrides), kept
  std::string source;  // as written in the version named by id
  std::uint64_t queries = 0;
  std::uint64_t searches = 0;
  std::unordered_map<std::string, std::uint64_t> seen;  // capped sample of queries
  std::string before_after;                        // of the first example, e.g. "allow -> prompt"
  std::map<std::string, std::string> transitions;  // query -> "allow -> prompt"
};

inline constexpr std::size_t kSampleCap = 2000;

class Impact {
 public:
  // Only for folding in counts gathered elsewhere (add() needs both lists).
  Impact() = default;
  // Distinct queries of the log newly prompted or blocked by the change.
  std::uint64_t newly_prompted() const {
    return totals_[static_cast<int>(Change::newly_prompted)].first;
  }

  Impact(const Filter& base, const Filter& next) : base_(&base), next_(&next) {
    for (std::uint32_t i = 0; i < base.entry_count(); ++i) {
      base_keys_.emplace(key_of(base, i), base.entry(i).source);
    }
    for (std::uint32_t i = 0; i < next.entry_count(); ++i) {
      next_keys_.emplace(key_of(next, i), next.entry(i).source);
    }
  }

  void add(const std::string& query, std::uint64_t count) {
    ++queries_;
    searches_ += count;
    CheckOptions opts;
    opts.explain = true;
    Decision before = base_->check(query, opts);
    Decision after = next_->check(query, opts);
    if (before.action == after.action) return;
    Change change = Change::action_changed;
    if (before.action < Action::prompt && after.action >= Action::prompt) {
      change = Change::newly_prompted;
    } else if (before.action >= Action::prompt && after.action < Action::prompt) {
      change = Change::no_longer_prompted;
    }
    auto& total = totals_[static_cast<int>(change)];
    total.first += 1;
    total.second += count;

    // The causes: when the action went up, the new version's winning
    // entries; when it went down, the base version's winning entries, or
    // the new exception that now suppresses them.
    std::set<std::pair<bool, std::uint32_t>> causes;  // (in next?, entry index)
    if (after.action > before.action) {
      for (const Match& m : after.matches) {
        if (m.action == after.action) causes.insert({true, m.entry_index});
      }
    } else {
      for (const Match& m : before.matches) {
        if (m.action != before.action) continue;
        EntryKey k = key_of(*base_, m.entry_index);
        bool by_exception = false;
        for (const Match& s : after.suppressed) {
          if (key_of(*next_, s.entry_index) == k) {
            for (std::uint32_t i = 0; i < next_->entry_count(); ++i) {
              if (next_->entry(i).id == s.suppressed_by) causes.insert({true, i});
            }
            by_exception = true;
          }
        }
        if (!by_exception) causes.insert({false, m.entry_index});
      }
    }
    std::string transition =
        std::string(to_string(before.action)) + " -> " + std::string(to_string(after.action));
    for (const auto& [in_next, index] : causes) {
      const Filter& f = in_next ? *next_ : *base_;
      EntryKey k = key_of(f, index);
      Group& g = groups_[{static_cast<int>(change), k}];
      if (g.id.empty()) {
        g.id = std::string(f.entry(index).id);
        g.source = std::string(f.entry(index).source);
        auto in_base = base_keys_.find(k);
        auto in_new = next_keys_.find(k);
        if (in_base != base_keys_.end() && in_new != next_keys_.end()) {
          g.status = in_base->second == in_new->second ? "kept" : "changed";
        } else {
          g.status = in_new != next_keys_.end() ? "added" : "removed";
        }
      }
      g.queries += 1;
      g.searches += count;
      auto it = g.seen.find(query);
      if (it != g.seen.end()) {
        it->second += count;
      } else if (g.seen.size() < kSampleCap) {
        g.seen.emplace(query, count);
        g.transitions.emplace(query, transition);
      }
    }
  }

  // The top `n` examples of a group, most searched first.
  std::vector<std::pair<std::string, std::uint64_t>> examples(const Group& g, std::size_t n) const {
    std::vector<std::pair<std::string, std::uint64_t>> v(g.seen.begin(), g.seen.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (v.size() > n) v.resize(n);
    return v;
  }

  void write_text(const ImpactArgs& args, std::string& out) const {
    out += "impact of " + escaped(args.lists) + " against " + escaped(args.base) + " on " +
           escaped(args.log) + "\n";
    out += "  " + std::to_string(queries_) + " queries (" + std::to_string(searches_) +
           " searches) read\n";
    for (int c = 0; c < 3; ++c) {
      char line[128];
      std::snprintf(line, sizeof line, "  %-20s %8llu queries %10llu searches\n", kChangeTitles[c],
                    static_cast<unsigned long long>(totals_[c].first),
                    static_cast<unsigned long long>(totals_[c].second));
      out += line;
    }
    for (int c = 0; c < 3; ++c) {
      for (const auto& [key, g] : sorted_groups(c)) {
        (void)key;
        out += "\n";
        out += kChangeTitles[c];
        out += " by " + escaped(g->id) + " (" + g->status +
               " entry): " + std::to_string(g->queries) + " queries, " +
               std::to_string(g->searches) + " searches\n";
        out += "    " + escaped(g->source) + "\n";
        for (const auto& [q, n] : examples(*g, args.examples)) {
          out += "      " + g->transitions.at(q) + "  x" + std::to_string(n) + "  " + escaped(q) +
                 "\n";
        }
      }
    }
  }

  void write_jsonl(const ImpactArgs& args, std::string& out) const {
    for (int c = 0; c < 3; ++c) {
      for (const auto& [key, g] : sorted_groups(c)) {
        (void)key;
        out += json_record_start() + "\"type\":\"entry\",\"change\":\"";
        out += kChangeNames[c];
        out += "\",\"entry\":";
        append_json_string(out, g->id);
        out += ",\"source\":";
        append_json_string(out, g->source);
        out += ",\"status\":\"" + g->status + "\",\"queries\":" + std::to_string(g->queries) +
               ",\"searches\":" + std::to_string(g->searches) + ",\"examples\":[";
        bool first = true;
        for (const auto& [q, n] : examples(*g, args.examples)) {
          if (!first) out += ",";
          first = false;
          const std::string& t = g->transitions.at(q);
          std::size_t arrow = t.find(" -> ");
          out += "{\"query\":";
          append_json_string(out, q);
          out += ",\"count\":" + std::to_string(n) + ",\"before\":\"" + t.substr(0, arrow) +
                 "\",\"after\":\"" + t.substr(arrow + 4) + "\"}";
        }
        out += "]}\n";
      }
    }
    out += json_record_start() + "\"type\":\"summary\",\"queries\":" + std::to_string(queries_) +
           ",\"searches\":" + std::to_string(searches_);
    for (int c = 0; c < 3; ++c) {
      out += ",\"";
      out += kChangeNames[c];
      out += "\":{\"queries\":" + std::to_string(totals_[c].first) +
             ",\"searches\":" + std::to_string(totals_[c].second) + "}";
    }
    out += "}\n";
  }

  // The counts, open so that partial counts gathered elsewhere (deter.logs,
  // one part of a log each) can be exported and summed into one Impact.
  using GroupKey = std::pair<int, EntryKey>;
  std::map<GroupKey, Group> groups_;
  std::pair<std::uint64_t, std::uint64_t> totals_[3] = {};
  std::uint64_t queries_ = 0;
  std::uint64_t searches_ = 0;

 private:
  // Groups of one change, most searched first.
  std::vector<std::pair<const EntryKey*, const Group*>> sorted_groups(int change) const {
    std::vector<std::pair<const EntryKey*, const Group*>> v;
    for (const auto& [k, g] : groups_) {
      if (k.first == change) v.emplace_back(&k.second, &g);
    }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second->searches != b.second->searches ? a.second->searches > b.second->searches
                                                      : a.second->id < b.second->id;
    });
    return v;
  }

  const Filter* base_ = nullptr;
  const Filter* next_ = nullptr;
  std::map<EntryKey, std::string> base_keys_;  // entry -> source as written
  std::map<EntryKey, std::string> next_keys_;
};

}  // namespace deter::cli

#endif  // DETER_CLI_IMPACT_COUNTS_H_
