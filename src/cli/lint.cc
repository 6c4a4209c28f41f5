// deter lint: report list entries that are likely mistakes (see
// include/deter/lint.h for the checks). Benign corpora default to the
// samples shipped with deter (cli/benign_corpus.h).
#include <deter/lint.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/benign_corpus.h"
#include "cli/common.h"
#include "cli/querylog.h"

namespace deter::cli {
namespace {

namespace fs = std::filesystem;

struct LintArgs {
  std::string lists;
  std::vector<std::string> corpora;
  bool no_default_corpus = false;
  double max_benign_rate = 0.0;
  std::size_t examples = 3;
  bool strict = false;
  std::string format = "text";
  std::string config;  // default: <lists>/.deter-lint.toml when it exists
};

// "1 error", "2 errors".
std::string count_of(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// A plain file is read line by line, blank lines kept (as empty queries that
// match nothing), so that the line numbers in findings are the file's. A
// gzip file goes through the query log reader, which skips blank lines.
bool read_corpus(const std::string& path, LintCorpus& out) {
  std::ifstream plain(path, std::ios::binary);
  char magic[2] = {0, 0};
  plain.read(magic, 2);
  const bool gzip = magic[0] == '\x1f' && magic[1] == '\x8b';
  if (plain && !gzip && path != "-") {
    plain.seekg(0);
    out.name = path;
    for (std::string line; std::getline(plain, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      // "query<TAB>count": the count is not part of the text.
      std::size_t tab = line.rfind('\t');
      if (tab != std::string::npos && tab + 1 < line.size() &&
          line.find_first_not_of("0123456789", tab + 1) == std::string::npos) {
        line.resize(tab);
      }
      out.lines.push_back(std::move(line));
    }
    return true;
  }
  std::string error;
  std::optional<QueryLogReader> reader = QueryLogReader::open(path, error);
  if (!reader) {
    std::cerr << "deter: " << escaped(error) << "\n";
    return false;
  }
  out.name = path;
  for (LogEntry q; reader->next(q);) out.lines.push_back(std::move(q.query));
  if (!reader->error().empty()) {
    std::cerr << "deter: " << escaped(reader->error()) << "\n";
    return false;
  }
  return true;
}

void write_json(std::string& out, const LintFinding& f) {
  out += json_record_start() + "\"check\":";
  append_json_string(out, f.check);
  out += ",\"severity\":\"";
  out += f.severity == LintSeverity::error ? "error" : "warning";
  out += "\",\"file\":";
  append_json_string(out, f.file);
  out += ",\"line\":" + std::to_string(f.line) + ",\"column\":" + std::to_string(f.column) +
         ",\"entry\":";
  append_json_string(out, f.entry_id);
  out += ",\"message\":";
  append_json_string(out, f.message);
  out += ",\"examples\":[";
  for (std::size_t i = 0; i < f.examples.size(); ++i) {
    if (i) out += ",";
    append_json_string(out, f.examples[i]);
  }
  out += "]}\n";
}

int run_lint(const LintArgs& args) {
  LintOptions options;
  options.max_benign_rate = args.max_benign_rate;
  options.max_examples = args.examples;
  std::vector<std::string> corpora;
  std::string error;
  if (!expand_corpus_paths(args.corpora, corpora, error)) {
    std::cerr << "deter lint: " << escaped(error) << "\n";
    return kExitUsage;
  }
  if (args.corpora.empty() && !args.no_default_corpus) {
    corpora = default_benign_corpus();
    if (corpora.empty()) {
      std::cerr << "deter lint: warning: the bundled benign corpus was not found (neither in "
                   "the source tree nor in share/deter/benign): benign-match is not checked; "
                   "name one with --corpus\n";
    }
  }
  for (const std::string& path : corpora) {
    LintCorpus c;
    if (!read_corpus(path, c)) return kExitUsage;
    options.corpora.push_back(std::move(c));
  }
  std::string config = args.config;
  if (config.empty()) {
    std::error_code ec;
    fs::path beside = fs::path(args.lists) / ".deter-lint.toml";
    if (fs::is_regular_file(beside, ec)) config = beside.string();
  }
  if (!config.empty()) {
    auto levels = read_lint_config(config);
    if (!levels) {
      std::cerr << "deter lint: " << escaped(levels.error().to_string()) << "\n";
      return kExitUsage;
    }
    options.levels = std::move(levels.value());
  }
  LintReport report = lint_directory(args.lists, options);
  std::string out;
  for (const LintFinding& f : report.findings) {
    if (args.format == "jsonl") {
      write_json(out, f);
      continue;
    }
    out += escaped(f.to_string()) + "\n";
    for (const std::string& ex : f.examples) out += "    " + escaped(ex) + "\n";
  }
  bool passed = report.passed(args.strict);
  if (args.format == "text") {
    for (const std::string& note : report.notes) out += "note: " + escaped(note) + "\n";
    out += (report.entries == 1 ? std::string("1 entry")
                                : std::to_string(report.entries) + " entries") +
           " in " + count_of(report.files, "file") + "; " +
           count_of(report.corpus_lines, "benign line") + " in " +
           std::to_string(options.corpora.size()) +
           (options.corpora.size() == 1 ? " corpus" : " corpora");
    if (!config.empty()) out += "; config " + escaped(config);
    out += "\n";
    out += count_of(report.errors(), "error") + ", " + count_of(report.warnings(), "warning");
    if (report.suppressed > 0) out += " (" + std::to_string(report.suppressed) + " silenced)";
    out += std::string(": ") + (passed ? "pass" : "FAIL") + "\n";
  }
  std::cout << out << std::flush;
  // A set that does not load exits as `deter test` of it does.
  if (report.load_failed) return kExitUsage;
  return passed ? kExitOk : kExitFindings;
}

}  // namespace

void add_lint_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LintArgs>();
  CLI::App* cmd = app.add_subcommand("lint", "Find list entries that are likely mistakes");
  cmd->add_option("--lists", args->lists, "List set directory")->required();
  cmd->add_option("--corpus", args->corpora,
                  "Benign text, one line each (plain or gzip), or a directory of *.txt/*.gz "
                  "files; default: the bundled samples (tests/data/queries, tests/data/phrases)");
  cmd->add_flag("--no-default-corpus", args->no_default_corpus,
                "Without --corpus, use no corpus at all");
  cmd->add_option("--max-benign-rate", args->max_benign_rate,
                  "Report entries matching more than this fraction of benign lines")
      ->capture_default_str();
  cmd->add_option("--examples", args->examples, "Examples shown per finding")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--strict", args->strict, "Warnings fail too");
  cmd->add_option("--config", args->config,
                  "Check severities (TOML, [severity] table); default: <lists>/.deter-lint.toml");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_lint(*args); });
}

}  // namespace deter::cli
