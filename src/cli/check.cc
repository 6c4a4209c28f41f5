// deter check: decide queries given as arguments or read from stdin, one per line.
#include <cstdio>
#include <iostream>

#include "cli/common.h"

namespace deter::cli {
namespace {

struct CheckArgs {
  std::string lists;
  std::vector<std::string> queries;
  std::string format = "text";
  std::string locale;
  std::size_t max_query_bytes = FilterOptions{}.max_query_bytes;
};

void append_flags(std::string& out, std::uint32_t flags) {
  out += "[";
  bool first = true;
  auto add = [&](DecisionFlag f, std::string_view name) {
    if (!(flags & f)) return;
    if (!first) out += ",";
    out += "\"";
    out += name;
    out += "\"";
    first = false;
  };
  add(kFlagTruncated, "truncated");
  add(kFlagInvalidUtf8, "invalid_utf8");
  add(kFlagNoList, "no_list");
  add(kFlagInternalError, "internal_error");
  out += "]";
}

void write_jsonl(std::string& out, std::string_view query, const Decision& d) {
  out += "{\"query\":";
  append_json_string(out, query);
  out += ",\"action\":\"";
  out += to_string(d.action);
  out += "\",\"category\":";
  append_json_string(out, d.category);
  out += ",\"severity\":";
  out += std::to_string(d.severity);
  out += ",\"message\":";
  if (d.message == nullptr) {
    out += "null";
  } else {
    out += "{\"key\":";
    append_json_string(out, d.message->key);
    out += ",\"locale\":";
    append_json_string(out, d.message->locale);
    out += ",\"title\":";
    append_json_string(out, d.message->title);
    out += ",\"body\":";
    append_json_string(out, d.message->body);
    out += ",\"links\":[";
    for (std::size_t i = 0; i < d.message->links.size(); ++i) {
      if (i) out += ",";
      append_json_string(out, d.message->links[i]);
    }
    out += "]}";
  }
  out += ",\"matches\":[";
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    const Match& m = d.matches[i];
    if (i) out += ",";
    out += "{\"entry\":";
    append_json_string(out, m.entry_id);
    out += ",\"action\":\"";
    out += to_string(m.action);
    out += "\",\"category\":";
    append_json_string(out, m.category);
    out += ",\"view\":\"";
    out += to_string(m.view);
    out += "\",\"begin\":" + std::to_string(m.begin) + ",\"end\":" + std::to_string(m.end);
    out += ",\"text\":";
    append_json_string(out, query.substr(m.begin, m.end - m.begin));
    out += "}";
  }
  out += "],\"flags\":";
  append_flags(out, d.flags);
  out += "}\n";
}

void write_text(std::string& out, std::string_view query, const Decision& d) {
  std::string_view action = to_string(d.action);
  out += action;
  out.append(7 - action.size(), ' ');
  out += query;
  out += "\n";
  for (const Match& m : d.matches) {
    out += "       - ";
    out += m.entry_id;
    out += " ";
    out += to_string(m.action);
    out += " category=";
    out += m.category;
    out += " view=";
    out += to_string(m.view);
    out += " matched \"";
    out += query.substr(m.begin, m.end - m.begin);
    out += "\"\n";
  }
  if (d.message != nullptr) {
    out += "       message ";
    out += d.message->key;
    out += " [";
    out += d.message->locale;
    out += "]: ";
    out += d.message->title;
    out += "\n";
  }
  if (d.flags & kFlagTruncated) out += "       (query truncated)\n";
  if (d.flags & kFlagInvalidUtf8) out += "       (query holds invalid UTF-8)\n";
}

int run_check(const CheckArgs& args) {
  FilterOptions options;
  options.max_query_bytes = args.max_query_bytes;
  std::optional<Filter> filter = open_lists(args.lists, options);
  if (!filter) return kExitUsage;
  const bool jsonl = args.format == "jsonl";
  CheckOptions check_options;
  check_options.locale = args.locale;
  std::string out;
  auto emit = [&](std::string_view query) {
    Decision d = filter->check(query, check_options);
    if (jsonl) {
      write_jsonl(out, query, d);
    } else {
      write_text(out, query, d);
    }
    if (out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  };
  if (!args.queries.empty()) {
    for (const std::string& q : args.queries) emit(q);
  } else {
    std::ios::sync_with_stdio(false);
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      emit(line);
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Decide queries (arguments, or one per line on stdin) against a list set");
  cmd->add_option("--lists", args->lists, "List set directory (*.list + messages.toml)")
      ->required();
  cmd->add_option("query", args->queries, "Queries to check; none: read stdin");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--locale", args->locale, "Locale for messages, e.g. hi-IN");
  cmd->add_option("--max-query-bytes", args->max_query_bytes,
                  "Longer queries are checked on their first part and flagged")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_check(*args); });
}

}  // namespace deter::cli
