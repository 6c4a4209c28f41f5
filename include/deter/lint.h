// deter::lint: find list entries that are likely mistakes before they ship.
//
//   deter::LintOptions options;
//   options.corpora.push_back({"queries/en.txt", lines});   // benign text
//   deter::LintReport report = deter::lint_directory("lists/demo", options);
//   for (const auto& f : report.findings) std::cout << f.to_string() << "\n";
//   return report.passed() ? 0 : 1;
//
// Each finding has a check name, a severity, and the place of the entry
// (file:line:col). The checks:
//
//   check               severity  finds
//   list-error          error     a file that does not load (the error as Filter::open gives it)
//   duplicate           error     an entry that says the same as an earlier one after normalization
//   shadowed            warning   an entry every match of which another entry (same or higher
//                                 action, at least its views) already matches
//   too-short           error     an entry (or rule part) that normalizes to one or two letters
//   short-substring     warning   a *substring* of fewer than min_substring_letters letters
//   short-joined        warning   a phrase of several words, with the joined view on, that
//                                 the joined view leaves unjoined (under two words and 8 letters)
//   joined-word         warning   a phrase whose words run together spell a dictionary word,
//                                 which the joined view then matches as the entry
//   regex-error         error     a /regex/ that Hyperscan refuses
//   regex-costly        error     a /regex/ over the compile time or size budget
//   phonetic-collision  warning   an entry word whose phonetic key equals that of a different,
//                                 common word of the corpora (only when the phonetic view exists)
//   benign-match        error     an entry that matches more than max_benign_rate of the benign
//                                 corpus lines; examples show the lines
//   lint-directive      warning   a `! lint:` line that is malformed, has no reason, names an
//                                 unknown check, or suppresses nothing
//
// Silencing a reviewed finding. Inline, above the entry (comment lines may
// come between), with the check names as printed and a reason after `--`:
//
//   ! lint: ignore-next-line shadowed -- twin of hi.list:13, kept for its examples
//
// For a whole list set, the checks' severities in a TOML file (deter lint
// reads <lists>/.deter-lint.toml, or --config FILE; read_lint_config):
//
//   [severity]
//   short-joined = "off"      # off, warning or error
//   shadowed = "error"
#ifndef DETER_LINT_H_
#define DETER_LINT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "deter/export.h"
#include "deter/filter.h"

namespace deter {

enum class LintSeverity : std::uint8_t { warning, error };

// A check's level in a lint config: off drops its findings.
enum class LintLevel : std::uint8_t { off, warning, error };

struct LintFinding {
  std::string check;  // "duplicate", "benign-match", ... (see the table above)
  LintSeverity severity = LintSeverity::error;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string entry_id;  // "en.list:14"; empty for file-level findings
  std::string message;
  // Evidence, e.g. benign lines an entry matched ("queries/en.txt:88: ...").
  std::vector<std::string> examples;

  // "en.list:14:1: error: message [check]"
  DETER_EXPORT std::string to_string() const;
};

// Benign text: lines that no entry should match.
struct LintCorpus {
  std::string name;  // shown in examples, e.g. "queries/en.txt"
  std::vector<std::string> lines;
};

// Thresholds of the checks (defaults in brackets).
struct LintOptions {
  std::vector<LintCorpus> corpora;
  // benign-match: an entry matching more than this fraction of all corpus
  // lines is reported [0: any benign line at all].
  double max_benign_rate = 0.0;
  std::size_t max_examples = 3;               // examples kept per finding [3]
  std::size_t min_letters = 3;                // too-short below this [3]
  std::size_t min_substring_letters = 5;      // short-substring below this [5]
  std::size_t min_joined_letters = 8;         // the joined view's own threshold, for messages [8]
  double regex_budget_ms = 250;               // regex-costly above this compile time [250 ms]
  std::size_t regex_budget_bytes = 2u << 20;  // ... or this database size [2 MiB]
  // phonetic-collision: a corpus word is common from this many occurrences [3].
  std::size_t common_word_count = 3;
  FilterOptions filter_options;  // limits and views the list set is loaded with
  // Severity overrides by check name, e.g. {"shadowed", LintLevel::off}
  // (read_lint_config fills it). list-error and lint-directive cannot be
  // overridden.
  std::vector<std::pair<std::string, LintLevel>> levels;
};

struct LintReport {
  std::vector<LintFinding> findings;  // in file, line order
  std::size_t files = 0;
  std::size_t entries = 0;
  std::size_t corpus_lines = 0;
  std::vector<std::string> notes;  // checks that could not run, and why
  std::size_t suppressed = 0;      // findings silenced by `! lint:` or a level of off
  // The set does not load (a list-error finding): the checks that match did not run.
  bool load_failed = false;

  std::size_t errors() const;
  std::size_t warnings() const;
  // No errors (and, if warnings_fail, no warnings either).
  bool passed(bool warnings_fail = false) const {
    return errors() == 0 && (!warnings_fail || warnings() == 0);
  }
};

// The check names, as findings and `! lint:` directives spell them.
DETER_EXPORT const std::vector<std::string>& lint_check_names();

// Reads a lint config (see the top of this file) into options.levels; an
// unreadable file, a TOML error, an unknown check or level is an Error with
// file:line:col.
DETER_EXPORT Result<std::vector<std::pair<std::string, LintLevel>>> read_lint_config(
    const std::string& path);

// Lints in-memory sources: (file name, contents) pairs, as Filter::from_sources.
DETER_EXPORT LintReport lint(const std::vector<std::pair<std::string, std::string>>& files,
                             const LintOptions& options);
// Lints every *.list file and messages.toml of a directory, read as
// Filter::open reads it (in name order, within the FilterOptions limits of
// options.filter_options); a directory that cannot be read gives one
// list-error finding naming the file.
DETER_EXPORT LintReport lint_directory(const std::string& directory, const LintOptions& options);

inline std::size_t LintReport::errors() const {
  std::size_t n = 0;
  for (const auto& f : findings) n += f.severity == LintSeverity::error;
  return n;
}
inline std::size_t LintReport::warnings() const { return findings.size() - errors(); }

}  // namespace deter

#endif  // DETER_LINT_H_
