// deter lint: report list entries that are likely mistakes (see
// include/deter/lint.h for the checks). Benign corpora default to the
// shared data folder (../shared/data) when it exists.
#include <deter/lint.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

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
};

// The default benign corpora: every *.txt file under ../shared/data (from
// the working directory, then from the source tree deter was built from).
std::vector<std::string> default_corpora() {
  std::vector<std::string> out;
  for (const fs::path& root :
       {fs::path("../shared/data"), fs::path(DETER_SOURCE_DIR) / "../shared/data"}) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& de : fs::recursive_directory_iterator(root, ec)) {
      if (de.is_regular_file(ec) && de.path().extension() == ".txt")
        out.push_back(de.path().string());
    }
    if (!out.empty()) break;
  }
  std::sort(out.begin(), out.end());
  return out;
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
  std::vector<std::string> corpora = args.corpora;
  if (corpora.empty() && !args.no_default_corpus) corpora = default_corpora();
  for (const std::string& path : corpora) {
    LintCorpus c;
    if (!read_corpus(path, c)) return kExitUsage;
    options.corpora.push_back(std::move(c));
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
    out += std::to_string(report.entries) + " entries in " + std::to_string(report.files) +
           " files; " + std::to_string(report.corpus_lines) + " benign lines in " +
           std::to_string(options.corpora.size()) + " corpora\n";
    out += std::to_string(report.errors()) + " errors, " + std::to_string(report.warnings()) +
           " warnings: " + (passed ? "pass" : "FAIL") + "\n";
  }
  std::cout << out << std::flush;
  return passed ? kExitOk : kExitFindings;
}

}  // namespace

void add_lint_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LintArgs>();
  CLI::App* cmd = app.add_subcommand("lint", "Find list entries that are likely mistakes");
  cmd->add_option("--lists", args->lists, "List set directory")->required();
  cmd->add_option("--corpus", args->corpora,
                  "Benign text, one line each (plain or gzip); default: ../shared/data/**/*.txt");
  cmd->add_flag("--no-default-corpus", args->no_default_corpus,
                "Without --corpus, use no corpus at all");
  cmd->add_option("--max-benign-rate", args->max_benign_rate,
                  "Report entries matching more than this fraction of benign lines")
      ->capture_default_str();
  cmd->add_option("--examples", args->examples, "Examples shown per finding")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--strict", args->strict, "Warnings fail too");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_lint(*args); });
}

}  // namespace deter::cli
