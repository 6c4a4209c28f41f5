// deter check: decide queries given as arguments or read from stdin, one per line.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "cli/line_reader.h"
#include "cli/ordered_parallel.h"

namespace deter::cli {
namespace {

struct CheckArgs {
  std::string lists;
  std::vector<std::string> queries;
  std::string format = "text";
  std::string locale;
  std::size_t max_query_bytes = FilterOptions{}.max_query_bytes;
  int threads = 1;
};

enum class Format { text, jsonl, tsv };

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

// query<TAB>action<TAB>category<TAB>entry ids (comma-separated). TABs, CRs
// and LFs inside the query become spaces so that every record is one line of
// four fields.
void write_tsv(std::string& out, std::string_view query, const Decision& d) {
  const std::size_t start = out.size();
  out += query;
  for (std::size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\t' || out[i] == '\n' || out[i] == '\r') out[i] = ' ';
  }
  out += '\t';
  out += to_string(d.action);
  out += '\t';
  out += d.category;
  out += '\t';
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    if (i) out += ',';
    out += d.matches[i].entry_id;
  }
  out += '\n';
}

void write_decision(Format format, std::string& out, std::string_view query, const Decision& d) {
  switch (format) {
    case Format::text:
      write_text(out, query, d);
      break;
    case Format::jsonl:
      write_jsonl(out, query, d);
      break;
    case Format::tsv:
      write_tsv(out, query, d);
      break;
  }
}

// Lines read from stdin, copied into one buffer: line i is
// text[ends[i-1], ends[i]).
struct LineBatch {
  std::string text;
  std::vector<std::size_t> ends;
};

constexpr std::size_t kBatchLines = 4096;
constexpr std::size_t kBatchBytes = 1u << 20;

bool write_all(const std::string& out) {
  return out.empty() || std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
}

int run_check(const CheckArgs& args) {
  FilterOptions options;
  options.max_query_bytes = args.max_query_bytes;
  std::optional<Filter> filter = open_lists(args.lists, options);
  if (!filter) return kExitUsage;
  const Format format = args.format == "jsonl" ? Format::jsonl
                        : args.format == "tsv" ? Format::tsv
                                               : Format::text;
  CheckOptions check_options;
  check_options.locale = args.locale;

  if (!args.queries.empty()) {
    std::string out;
    for (const std::string& q : args.queries) {
      write_decision(format, out, q, filter->check(q, check_options));
    }
    write_all(out);
    std::fflush(stdout);
    return kExitOk;
  }

  // stdin: large reads, batches of lines checked on `threads` workers, and
  // output written batch by batch in input order.
  LineReader reader(STDIN_FILENO);
  bool write_failed = false;
  auto read = [&](LineBatch& batch) {
    batch.text.clear();
    batch.ends.clear();
    std::string_view line;
    while (batch.ends.size() < kBatchLines && batch.text.size() < kBatchBytes &&
           reader.next(line)) {
      batch.text += line;
      batch.ends.push_back(batch.text.size());
      // Input arriving slowly (a terminal, `tail -f`): answer what we have
      // rather than wait for a full batch.
      if (!reader.has_buffered_line()) break;
    }
    return !batch.ends.empty();
  };
  auto work = [&](int, const LineBatch& batch, std::string& out) {
    out.clear();
    std::size_t begin = 0;
    const std::string_view text = batch.text;
    for (std::size_t end : batch.ends) {
      std::string_view query = text.substr(begin, end - begin);
      write_decision(format, out, query, filter->check(query, check_options));
      begin = end;
    }
  };
  auto write = [&](const LineBatch&, const std::string& out) {
    if (!write_failed && (!write_all(out) || std::fflush(stdout) != 0)) write_failed = true;
  };
  run_ordered<LineBatch, std::string>(args.threads, read, work, write);
  if (std::fflush(stdout) != 0) write_failed = true;
  if (reader.failed()) {
    std::cerr << "deter: error reading stdin\n";
    return kExitUsage;
  }
  if (write_failed) {
    std::cerr << "deter: error writing output\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Decide queries (arguments, or one per line on stdin) against a list set");
  cmd->add_option("--lists", args->lists, "List set directory (*.list + messages.toml)")
      ->required();
  add_trusted_key_option(cmd);
  cmd->add_option("query", args->queries, "Queries to check; none: read stdin");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "jsonl", "tsv"}))
      ->capture_default_str();
  cmd->add_option("-j,--threads", args->threads,
                  "Worker threads for stdin input; output keeps the input order")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--locale", args->locale, "Locale for messages, e.g. hi-IN");
  cmd->add_option("--max-query-bytes", args->max_query_bytes,
                  "Longer queries are checked on their first part and flagged")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_check(*args); });
}

}  // namespace deter::cli
