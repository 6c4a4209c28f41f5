// Counts of decisions over a query log, by action, category, list language,
// query script, view and entry. Holds no query text: only counters keyed by
// names that come from the list set (categories, languages, entry ids).
#ifndef DETER_CLI_LOG_STATS_H_
#define DETER_CLI_LOG_STATS_H_

#include <deter/filter.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cli/script.h"

namespace deter::cli {

// Distinct log lines and the searches they stand for (sum of their counts).
struct Tally {
  std::uint64_t queries = 0;
  std::uint64_t searches = 0;
  void add(std::uint64_t count) {
    ++queries;
    searches += count;
  }
  void merge(const Tally& o) {
    queries += o.queries;
    searches += o.searches;
  }
  bool operator==(const Tally&) const = default;
};

inline constexpr std::array<Action, 4> kActions = {Action::allow, Action::inform, Action::prompt,
                                                   Action::block};
using ActionTallies = std::array<Tally, kActions.size()>;

class LogStats {
 public:
  // `filter` must outlive the stats (entry ids point into its tables).
  explicit LogStats(const Filter& filter);
  // Without a list set: only for summing counts gathered elsewhere
  // (decisive_language() then says "und").
  LogStats() = default;

  // Counts one log line: its query, how many searches it stands for, and
  // the decision for it.
  void add(std::string_view query, std::uint64_t count, const Decision& decision);
  void merge(const LogStats& other);

  // The list language of the entry that decided the query ("und" when the
  // list names none); empty for allowed queries.
  std::string_view decisive_language(const Decision& decision) const;

  Tally total;
  ActionTallies by_action{};
  // Decided queries (action above allow) only.
  std::map<std::string, ActionTallies, std::less<>> by_category;
  std::map<std::string, ActionTallies, std::less<>> by_language;
  std::map<std::string, Tally, std::less<>> by_message_locale;
  // Every query, by the dominant script of its text.
  std::array<ActionTallies, kScripts.size()> by_script{};
  // Queries with at least one match found in the view.
  std::array<Tally, kViewCount> by_view{};
  // Queries each entry matched (unsuppressed).
  std::unordered_map<std::string_view, Tally> by_entry;

 private:
  std::unordered_map<std::string_view, std::string> language_of_file_;
};

inline std::size_t action_index(Action a) { return static_cast<std::size_t>(a); }

}  // namespace deter::cli

#endif  // DETER_CLI_LOG_STATS_H_
