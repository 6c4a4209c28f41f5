// deter check: decide queries given as arguments or read from stdin, one per line.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "cli/decision_json.h"
#include "cli/line_reader.h"
#include "cli/ordered_parallel.h"

namespace deter::cli {
namespace {

struct CheckArgs {
  std::string lists;
  std::vector<std::string> queries;
  std::vector<std::string> files;  // one query per line; "-" is stdin
  std::string format = "text";
  std::string locale;
  std::size_t max_query_bytes = FilterOptions{}.max_query_bytes;
  int threads = 1;
};

enum class Format { text, text_color, jsonl, tsv };

// Text for people: every query, list or message text is escaped
// (append_escaped), so a control character in a query cannot forge a line.
void write_text(std::string& out, std::string_view query, const Decision& d, bool color) {
  std::string_view action = to_string(d.action);
  // On a terminal: block red, prompt yellow, inform cyan.
  const char* sgr = !color                         ? nullptr
                    : d.action == Action::block    ? "\033[1;31m"
                    : d.action == Action::prompt   ? "\033[33m"
                    : d.action == Action::inform   ? "\033[36m"
                                                   : nullptr;
  if (sgr != nullptr) out += sgr;
  out += action;
  if (sgr != nullptr) out += "\033[0m";
  out.append(7 - action.size(), ' ');
  append_escaped(out, query);
  out += "\n";
  for (const Match& m : d.matches) {
    out += "       - ";
    append_escaped(out, m.entry_id);
    out += " ";
    out += to_string(m.action);
    out += " category=";
    append_escaped(out, m.category);
    out += " view=";
    out += to_string(m.view);
    out += " matched \"";
    append_escaped(out, query.substr(m.begin, m.end - m.begin));
    out += "\"\n";
  }
  if (d.message != nullptr) {
    out += "       message ";
    append_escaped(out, d.message->key);
    out += " [";
    append_escaped(out, d.message->locale);
    out += "]: ";
    append_escaped(out, d.message->title);
    out += "\n";
  }
  if (d.flags & kFlagTruncated) out += "       (query truncated)\n";
  if (d.flags & kFlagInvalidUtf8) out += "       (query holds invalid UTF-8)\n";
  if (d.flags & kFlagCapped) out += "       (matches capped)\n";
}

// query<TAB>action<TAB>category<TAB>entry ids (comma-separated). Every field
// is escaped (append_escaped: \t, \n, \r, \\ ...), so each record is one
// line of four fields whatever the query or the list file names hold.
void write_tsv(std::string& out, std::string_view query, const Decision& d) {
  append_escaped(out, query);
  out += '\t';
  out += to_string(d.action);
  out += '\t';
  append_escaped(out, d.category);
  out += '\t';
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    if (i) out += ',';
    append_escaped(out, d.matches[i].entry_id);
  }
  out += '\n';
}

void write_decision(Format format, std::string& out, std::string_view query, const Decision& d) {
  switch (format) {
    case Format::text:
    case Format::text_color:
      write_text(out, query, d, format == Format::text_color);
      break;
    case Format::jsonl:
      append_decision_json(out, query, d);
      out += '\n';
      break;
    case Format::tsv:
      write_tsv(out, query, d);
      break;
  }
}

// Lines read from stdin, copied into one buffer: line i is
// text[ends[i-1], ends[i]); cut[i] when the reader cut it at max_query_bytes.
struct LineBatch {
  std::string text;
  std::vector<std::size_t> ends;
  std::vector<bool> cut;
};

constexpr std::size_t kBatchLines = 4096;
constexpr std::size_t kBatchBytes = 1u << 20;

bool write_all(const std::string& out) {
  return out.empty() || std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
}

int check_stream(const CheckArgs& args, const Filter& filter, Format format,
                 const CheckOptions& check_options, int fd, const std::string& name);

int run_check(const CheckArgs& args) {
  FilterOptions options;
  options.max_query_bytes = args.max_query_bytes;
  std::optional<Filter> filter = open_lists(args.lists, options);
  if (!filter) return kExitUsage;
  keep_until_exit(*filter);
  const Format format = args.format == "jsonl" ? Format::jsonl
                        : args.format == "tsv" ? Format::tsv
                        : use_color(STDOUT_FILENO) ? Format::text_color
                                                   : Format::text;
  CheckOptions check_options;
  check_options.locale = args.locale;

  // Queries given as arguments, in order; a "-" among them reads stdin, as
  // `--file -` does, after them. With neither, stdin.
  std::vector<std::string> files = args.files;
  std::string out;
  for (const std::string& q : args.queries) {
    if (q == "-") {
      files.push_back(q);
      continue;
    }
    write_decision(format, out, q, filter->check(q, check_options));
  }
  write_all(out);
  std::fflush(stdout);
  if (files.empty() && args.queries.empty()) files.push_back("-");
  for (const std::string& file : files) {
    const int fd = file == "-" ? STDIN_FILENO : ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::cerr << "deter: " << escaped(file) << ": " << std::strerror(errno) << "\n";
      return kExitUsage;
    }
    const int rc = check_stream(args, *filter, format, check_options, fd, file);
    if (fd != STDIN_FILENO) ::close(fd);
    if (rc != kExitOk) return rc;
  }
  return kExitOk;
}

// One query per line of `fd`: large reads, batches of lines checked on
// `threads` workers, and output written batch by batch in input order.
// A line longer than max_query_bytes is cut while it is read: check()
// would look at its first part only, so nothing more is stored.
int check_stream(const CheckArgs& args, const Filter& filter_ref, Format format,
                 const CheckOptions& check_options, int fd, const std::string& name) {
  const Filter* filter = &filter_ref;
  LineReader reader(fd, 1u << 20, args.max_query_bytes);
  bool write_failed = false;
  auto read = [&](LineBatch& batch) {
    batch.text.clear();
    batch.ends.clear();
    batch.cut.clear();
    std::string_view line;
    bool cut = false;
    while (batch.ends.size() < kBatchLines && batch.text.size() < kBatchBytes &&
           reader.next(line, &cut)) {
      batch.text += line;
      batch.ends.push_back(batch.text.size());
      batch.cut.push_back(cut);
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
    for (std::size_t i = 0; i < batch.ends.size(); ++i) {
      std::string_view query = text.substr(begin, batch.ends[i] - begin);
      Decision d = filter->check(query, check_options);
      if (batch.cut[i]) d.flags |= kFlagTruncated;
      write_decision(format, out, query, d);
      begin = batch.ends[i];
    }
  };
  auto write = [&](const LineBatch&, const std::string& out) {
    if (!write_failed && (!write_all(out) || std::fflush(stdout) != 0)) write_failed = true;
  };
  run_ordered<LineBatch, std::string>(args.threads, read, work, write);
  if (std::fflush(stdout) != 0) write_failed = true;
  if (reader.failed()) {
    std::cerr << "deter: error reading " << (name == "-" ? std::string("stdin") : escaped(name))
              << "\n";
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
  cmd->add_option("query", args->queries,
                  "Queries to check; - reads stdin; none (and no --file): read stdin");
  cmd->add_option("-f,--file", args->files,
                  "Read queries from FILE, one per line (repeatable; - is stdin)");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "jsonl", "tsv"}))
      ->capture_default_str();
  cmd->add_option("-j,--threads", args->threads,
                  "Worker threads for stdin input; output keeps the input order")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--locale", args->locale, "Locale for messages, e.g. hi-IN");
  cmd->add_option("--max-query-bytes", args->max_query_bytes,
                  "Longer queries are checked on their first part and flagged (at least 1)")
      ->check(positive_count())
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_check(*args); });
}

}  // namespace deter::cli
