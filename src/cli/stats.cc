// deter stats: the counts a transparency report needs, from a query log.
//
// Output holds counts only, weighted by each line's count (searches), keyed
// by names from the list set (action, category, list language, message
// locale) and by the script of the query. No query text and no entry ids are
// ever written, and counts below --min-count are suppressed (see
// cli/stats_report.h): the report can be published as it is.
#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "cli/log_stats.h"
#include "cli/ordered_parallel.h"
#include "cli/progress.h"
#include "cli/querylog.h"
#include "cli/report.h"
#include "cli/stats_html.h"
#include "cli/stats_report.h"

namespace deter::cli {
namespace {

struct StatsArgs {
  std::string lists;
  std::string log;
  std::string format = "text";
  int threads = 1;
  std::uint64_t min_count = kDefaultMinCount;
};

constexpr std::size_t kBatch = 4096;

int run_stats(const StatsArgs& args) {
  std::optional<Filter> filter = open_lists(args.lists);
  if (!filter) return kExitUsage;
  std::string error;
  std::optional<QueryLogReader> reader = QueryLogReader::open(args.log, error);
  if (!reader) {
    std::cerr << "deter: " << escaped(error) << "\n";
    return kExitUsage;
  }
  std::vector<LogStats> stats(static_cast<std::size_t>(args.threads), LogStats(*filter));
  Progress progress("counting ");
  auto read = [&](std::vector<LogEntry>& batch) {
    batch.resize(kBatch);
    std::size_t n = 0;
    while (n < kBatch && reader->next(batch[n])) ++n;
    batch.resize(n);
    progress.update(reader->bytes_read(), reader->total_bytes());
    return n > 0;
  };
  auto work = [&](int w, const std::vector<LogEntry>& batch, int&) {
    LogStats& st = stats[static_cast<std::size_t>(w)];
    for (const LogEntry& e : batch) st.add(e.query, e.count, filter->check(e.query));
  };
  auto write = [](const std::vector<LogEntry>&, int&) {};
  run_ordered<std::vector<LogEntry>, int>(args.threads, read, work, write);
  progress.finish();
  if (!reader->error().empty()) {
    std::cerr << "deter: " << escaped(reader->error()) << "\n";
    return kExitUsage;
  }
  for (std::size_t w = 1; w < stats.size(); ++w) stats[0].merge(stats[w]);
  const PublishedStats published = publish_stats(stats[0], args.min_count);
  if (args.format == "html") {
    const std::string page = stats_html(published, args.lists, filter->entry_count(), args.log);
    std::fwrite(page.data(), 1, page.size(), stdout);
    return kExitOk;
  }
  const std::string out =
      args.format == "json" ? stats_json(published) : stats_text(published, args.log);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

void add_stats_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "stats",
      "Transparency-report counts of a query log: decisions by category, language and "
      "action, without any query text");
  cmd->add_option("--lists", args->lists, "List set directory")->required();
  add_trusted_key_option(cmd);
  cmd->add_option("querylog", args->log,
                  "Query log: one query per line or query<TAB>count; .gz accepted; - for stdin")
      ->required();
  cmd->add_option("-j,--threads", args->threads, "Threads checking queries")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->capture_default_str();
  cmd->add_option("--min-count", args->min_count,
                  "Suppress counts below this (and the counts that would give them back); 1 "
                  "shows every count")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_stats(*args); });
}

}  // namespace deter::cli
