// deter stats: the counts a transparency report needs, from a query log.
//
// Output holds counts only, weighted by each line's count (searches), keyed
// by names from the list set (action, category, list language, message
// locale) and by the script of the query. No query text and no entry ids are
// ever written: the report can be published as it is.
#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "cli/log_stats.h"
#include "cli/ordered_parallel.h"
#include "cli/progress.h"
#include "cli/querylog.h"
#include "cli/report.h"

namespace deter::cli {
namespace {

struct StatsArgs {
  std::string lists;
  std::string log;
  std::string format = "text";
  int threads = 1;
};

constexpr std::size_t kBatch = 4096;

void json_actions(std::string& out, const ActionTallies& t, bool with_allow) {
  out += "{";
  std::uint64_t total = 0;
  for (std::size_t a = with_allow ? 0 : 1; a < kActions.size(); ++a) {
    out += "\"" + std::string(to_string(kActions[a])) + "\":" + std::to_string(t[a].searches) + ",";
    total += t[a].searches;
  }
  out += "\"total\":" + std::to_string(total) + "}";
}

template <class Map>
void json_map(std::string& out, const Map& map) {
  out += "{";
  bool first = true;
  for (const auto& [key, tallies] : map) {
    if (!first) out += ",";
    first = false;
    append_json_string(out, key);
    out += ":";
    json_actions(out, tallies, false);
  }
  out += "}";
}

std::uint64_t decided(const ActionTallies& t) {
  return t[1].searches + t[2].searches + t[3].searches;
}

std::string to_json(const LogStats& s) {
  std::string out = json_record_start() + "\"searches\":" + std::to_string(s.total.searches);
  out += ",\"distinct_queries\":" + std::to_string(s.total.queries);
  out += ",\"by_action\":";
  json_actions(out, s.by_action, true);
  out += ",\"by_category\":";
  json_map(out, s.by_category);
  out += ",\"by_language\":";
  json_map(out, s.by_language);
  out += ",\"by_script\":{";
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    if (i) out += ",";
    out += "\"" + std::string(to_string(kScripts[i])) + "\":";
    json_actions(out, s.by_script[i], true);
  }
  out += "},\"by_message_locale\":{";
  bool first = true;
  for (const auto& [locale, t] : s.by_message_locale) {
    if (!first) out += ",";
    first = false;
    append_json_string(out, locale);
    out += ":" + std::to_string(t.searches);
  }
  out += "}}\n";
  return out;
}

std::string row(std::string_view name, const ActionTallies& t, std::uint64_t total) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-14.*s %14s %12s %12s %12s %9s\n",
                static_cast<int>(name.size()), name.data(), format_count(decided(t)).c_str(),
                format_count(t[1].searches).c_str(), format_count(t[2].searches).c_str(),
                format_count(t[3].searches).c_str(), format_percent(decided(t), total).c_str());
  return buf;
}

std::string to_text(const StatsArgs& args, const LogStats& s) {
  const std::uint64_t total = s.total.searches;
  std::string out = "searches       " + format_count(total) + " (" + format_count(s.total.queries) +
                    " distinct queries) in " + escaped(args.log) + "\n";
  out += "with a decision " + format_count(decided(s.by_action)) + " (" +
         format_percent(decided(s.by_action), total) + ")\n\n";
  char head[256];
  std::snprintf(head, sizeof head, "  %-14s %14s %12s %12s %12s %9s\n", "", "decided", "inform",
                "prompt", "block", "share");
  auto table = [&](const char* title, const auto& map) {
    out += title;
    out += "\n";
    out += head;
    if (map.empty()) out += "  (none)\n";
    for (const auto& [key, t] : map) out += row(escaped(key), t, total);
    out += "\n";
  };
  table("by category", s.by_category);
  table("by language (of the list that decided)", s.by_language);
  out += "by script of the query (share: of the searches in that script)\n";
  out += head;
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    const ActionTallies& t = s.by_script[i];
    std::uint64_t all = 0;
    for (const Tally& x : t) all += x.searches;
    if (all == 0) continue;
    out += row(to_string(kScripts[i]), t, all);
  }
  out += "\nprompts shown by message language\n";
  if (s.by_message_locale.empty()) out += "  (none)\n";
  for (const auto& [locale, t] : s.by_message_locale) {
    out += "  " + escaped(locale) + " " + format_count(t.searches) + "\n";
  }
  return out;
}

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
  const std::string out = args.format == "json" ? to_json(stats[0]) : to_text(args, stats[0]);
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
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_stats(*args); });
}

}  // namespace deter::cli
