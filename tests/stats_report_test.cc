// Small-count suppression of `deter stats` (cli/stats_report.h): rows of
// (counts, min_count, the cells expected hidden), and for every row that no
// published sum gives a hidden cell back.
#include <string>
#include <vector>

#include "cli/log_stats.h"
#include "cli/stats_report.h"
#include "test_util.h"

using deter::cli::ActionTallies;
using deter::cli::LogStats;
using deter::cli::PublishedCount;
using deter::cli::PublishedStats;

namespace {

ActionTallies tallies(std::uint64_t allow, std::uint64_t inform, std::uint64_t prompt,
                      std::uint64_t block) {
  return {{{allow, allow}, {inform, inform}, {prompt, prompt}, {block, block}}};
}

// "a i p b d t" of a row, hidden cells as "x".
std::string shown(const deter::cli::PublishedRow& r) {
  std::string out;
  auto one = [&](const PublishedCount& c) {
    if (!out.empty()) out += " ";
    out += c.suppressed ? "x" : std::to_string(c.value);
  };
  for (const PublishedCount& c : r.by_action) one(c);
  one(r.decided);
  one(r.total);
  return out;
}

}  // namespace

TEST_CASE("stats: small counts and the counts that would give them back are hidden") {
  struct Row {
    ActionTallies overall;
    std::uint64_t min_count;
    std::string expected;  // the overall row: allow inform prompt block decided total
  };
  const Row rows[] = {
      // inform is small; block, the smallest other cell, hides it from the total.
      {tallies(100, 3, 50, 40), 10, "100 x 50 x 93 193"},
      // Hidden cells adding up to less than min_count hide more, a zero too;
      // allow hides the decided count (5) from the total.
      {tallies(100, 0, 0, 5), 10, "x x 0 x x 105"},
      // Nothing small: nothing hidden.
      {tallies(100, 10, 50, 40), 10, "100 10 50 40 100 200"},
      // min_count 1 shows every count.
      {tallies(100, 3, 0, 1), 1, "100 3 0 1 4 104"},
      // A log too small to publish anything but a zero.
      {tallies(4, 1, 2, 0), 10, "x x x 0 x x"},
  };
  for (const Row& row : rows) {
    LogStats stats;
    stats.by_action = row.overall;
    for (const auto& t : row.overall) stats.total.merge(t);
    stats.by_script[0] = row.overall;  // one script: its column equals the overall row
    PublishedStats p = deter::cli::publish_stats(stats, row.min_count);
    CAPTURE(row.expected);
    CHECK(shown(p.overall) == row.expected);
    CHECK(shown(p.by_script[0]) == row.expected);
    std::size_t hidden = 0;
    for (const PublishedCount& c : p.overall.by_action) hidden += c.suppressed;
    CHECK(p.suppressed_cells >= hidden);
  }
}

TEST_CASE("stats: no published total gives a hidden category cell back") {
  LogStats stats;
  stats.by_action = tallies(500, 12, 44, 31);
  stats.total = {587, 587};
  stats.by_category["alpha"] = tallies(0, 12, 40, 30);
  stats.by_category["beta"] = tallies(0, 0, 4, 1);  // two small cells
  stats.by_script[0] = stats.by_action;
  PublishedStats p = deter::cli::publish_stats(stats, 10);
  const auto& alpha = p.by_category[0].second;
  const auto& beta = p.by_category[1].second;
  // beta's prompt (4) and block (1) are hidden; its total (5) too.
  CHECK(beta.by_action[2].suppressed);
  CHECK(beta.by_action[3].suppressed);
  CHECK(beta.decided.suppressed);
  // Each column (alpha + beta = overall) then has one hidden cell, so
  // alpha's cell of that column is hidden with it.
  CHECK(alpha.by_action[2].suppressed);
  CHECK(alpha.by_action[3].suppressed);
  CHECK(alpha.decided.suppressed);
  CHECK_FALSE(alpha.by_action[1].suppressed);  // 12, and beta's inform is 0
}
