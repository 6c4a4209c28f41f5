// deter impact: what a proposed list change does to real traffic. Every
// query of a log is decided by the base (current) list set and by the new
// one; queries whose decision changes are grouped by the entry that caused
// the change, with counts and the most searched examples.
//
// Entries are matched across the two versions by file name and text, not by
// line number, so inserting a line above an entry does not make it "new".
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <unordered_map>

#include "cli/common.h"
#include "cli/impact_counts.h"
#include "cli/querylog.h"

namespace deter::cli {
namespace {

int run_impact(const ImpactArgs& args) {
  std::optional<Filter> base = open_lists(args.base);
  if (!base) return kExitUsage;
  std::optional<Filter> next = open_lists(args.lists);
  if (!next) return kExitUsage;
  // Entries are paired across versions by their lines as written.
  for (const auto& [path, f] : {std::pair{&args.base, &*base}, std::pair{&args.lists, &*next}}) {
    if (!f->has_sources()) {
      std::cerr << "deter: " << *path
                << ": this compiled database was stripped of its sources; run it on the list "
                   "directory\n";
      return kExitUsage;
    }
  }
  std::string error;
  std::optional<QueryLogReader> log = QueryLogReader::open(args.log, error);
  if (!log) {
    std::cerr << "deter: " << escaped(error) << "\n";
    return kExitUsage;
  }
  Impact impact(*base, *next);
  for (LogEntry q; log->next(q);) impact.add(q.query, q.count);
  if (!log->error().empty()) {
    std::cerr << "deter: " << escaped(log->error()) << "\n";
    return kExitUsage;
  }
  std::string out;
  if (args.format == "jsonl") {
    impact.write_jsonl(args, out);
  } else {
    impact.write_text(args, out);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (args.fail_on_new >= 0 &&
      impact.newly_prompted() > static_cast<std::uint64_t>(args.fail_on_new)) {
    std::cerr << "deter impact: " << impact.newly_prompted()
              << " queries newly prompted or blocked, more than --fail-on-new "
              << args.fail_on_new << "\n";
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

void add_impact_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ImpactArgs>();
  CLI::App* cmd = app.add_subcommand(
      "impact", "Show which queries of a log change decision between two list versions");
  cmd->add_option("--base", args->base, "The current list set (directory or compiled file)")
      ->required();
  cmd->add_option("--lists", args->lists, "The proposed list set (directory or compiled file)")
      ->required();
  add_trusted_key_option(cmd);
  cmd->add_option("querylog", args->log,
                  "Query log: one query per line or query<TAB>count; may be gzip; - for stdin")
      ->required();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--examples", args->examples, "Examples shown per entry")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--fail-on-new", args->fail_on_new,
                  "Exit 1 when more than N distinct queries are newly prompted or blocked "
                  "(a gate for list changes in CI)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([args, &exit_code] { exit_code = run_impact(*args); });
}

}  // namespace deter::cli
