// The counts `deter stats` publishes, after small-count suppression, and the
// two writers (text, JSON) that read them. Both writers, and any other
// report of the same numbers, are fed from one PublishedStats so that no
// output can show a count another output hides.
//
// Suppression, the way transparency reports do it:
//  - primary: every count from 1 to min_count - 1 is suppressed (0 is shown:
//    it tells about no one);
//  - complementary: a published total must not give a suppressed cell back
//    by subtraction. Each total and the cells it sums form a relation (an
//    action row and its total, a column of categories and the overall count
//    of that action, ...). While a relation has a published total and its
//    suppressed cells are a single cell or add up to less than min_count,
//    its smallest published cell is suppressed too (the total itself when no
//    cell is left). Passes repeat over every relation, in a fixed order,
//    until none changes: the result depends on the counts alone, not on how
//    they were gathered.
// A suppressed count is written as null in JSON and "x" in text (not
// "<10": a complementary cell may be larger, and telling the two kinds apart
// would undo the complement); a share whose numerator or denominator is
// suppressed is written "-". The output always states min_count.
// min_count 1 (or 0) suppresses nothing.
#ifndef DETER_CLI_STATS_REPORT_H_
#define DETER_CLI_STATS_REPORT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/log_stats.h"

namespace deter::cli {

inline constexpr std::uint64_t kDefaultMinCount = 10;

struct PublishedCount {
  std::uint64_t value = 0;  // meaningless when suppressed: writers must not show it
  bool suppressed = false;
};

struct PublishedRow {
  std::array<PublishedCount, kActions.size()> by_action{};  // allow, inform, prompt, block
  PublishedCount decided;  // inform + prompt + block
  PublishedCount total;    // all four; the same as decided in rows of decided queries
};

struct PublishedStats {
  std::uint64_t min_count = kDefaultMinCount;
  std::size_t suppressed_cells = 0;  // primary and complementary
  PublishedCount distinct_queries;
  PublishedRow overall;  // overall.total: every search of the log
  // Rows of decided queries only (allow is always 0 there), sorted by key.
  std::vector<std::pair<std::string, PublishedRow>> by_category;
  std::vector<std::pair<std::string, PublishedRow>> by_language;
  std::array<PublishedRow, kScripts.size()> by_script{};
  std::vector<std::pair<std::string, PublishedCount>> by_message_locale;
};

PublishedStats publish_stats(const LogStats& stats, std::uint64_t min_count);

// One JSON object and a newline.
std::string stats_json(const PublishedStats& stats);
// The human report; `log_name` is the log as the user named it.
std::string stats_text(const PublishedStats& stats, std::string_view log_name);

}  // namespace deter::cli

#endif  // DETER_CLI_STATS_REPORT_H_
