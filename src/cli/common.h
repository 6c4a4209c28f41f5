// Shared pieces of the deter command-line tool. The tool is an ordinary
// client of the public API: it includes nothing from src/ but this folder
// and two header-only files of text/ (utf8.h, scripts.h); the build enforces it.
#ifndef DETER_CLI_COMMON_H_
#define DETER_CLI_COMMON_H_

#include <deter/filter.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace deter::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // a test failed, lint found problems, ...
inline constexpr int kExitUsage = 2;     // bad arguments, unreadable input, broken list
inline constexpr int kExitFailure = 3;   // out of memory, or an unexpected failure of the tool

// Opens a list set (a directory or a compiled database), printing
// "deter: file:line:col: message" on failure. With DETER_CACHE_DIR set in the
// environment, compiled databases are cached there (FilterOptions::cache_dir).
// Keys given with --trusted-key become FilterOptions::trusted_keys.
std::optional<Filter> open_lists(const std::string& directory, const FilterOptions& options = {});

// Holds `filter` until the process exits, so that it is not freed then: a
// one-shot command ends right after its last check, and freeing the tables
// of a large list set (a tenth of opening 100k entries) buys nothing. The
// filter stays reachable from a static, so leak checkers stay quiet; the
// library frees it all whenever the last copy goes. Not for commands that
// open list sets again and again (serve).
void keep_until_exit(const Filter& filter);

// Adds --trusted-key FILE (repeatable) to a command that opens --lists with
// open_lists: a compiled database must then be signed by one of the keys.
void add_trusted_key_option(CLI::App* cmd);

// The version of every JSON object the tool writes (each JSON document, each
// JSONL record): raised when a field changes meaning or goes away, not when
// one is added. Every record starts with it: `{"schema_version":1,...`.
inline constexpr int kJsonSchemaVersion = 1;
// "{\"schema_version\":1," : the start of each JSON object the tool writes.
std::string json_record_start();

// Whether to colour text written to `fd`: a terminal, NO_COLOR unset or
// empty (https://no-color.org), and TERM not "dumb".
bool use_color(int fd);

// The candidate nearest to `word` by edit distance (a swap of neighbours is
// one edit), if near enough to be a likely typo (1 edit for words of up to 3
// characters, 2 below 9, else 3); empty otherwise. For "did you mean" hints.
std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates);

// Appends s to out as a JSON string literal (quoted, escaped). Invalid UTF-8
// bytes are written as U+FFFD so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

// Whether any of the 8 bytes at p matters to a JSON string: a quote, a
// backslash, a control character or a byte >= 0x80. False lets a reader or
// writer of JSON strings step over all eight at once.
inline bool json_special_in_8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t high = 0x8080808080808080ull;
  auto zero_byte = [&](std::uint64_t v) { return (v - ones) & ~v & high; };
  return ((x | zero_byte(x ^ (ones * '"')) | zero_byte(x ^ (ones * '\\')) | ((x - ones * 0x20) & ~x)) &
          high) != 0;
}

// A match's folds (Match::folds) in the order they were applied: spaced,
// homoglyph, leet, squeeze, any other, phonetic last.
std::vector<View> fold_chain(ViewSet folds);
// The same, as text: "homoglyph → leet → phonetic"; as a JSON array.
std::string fold_chain_text(ViewSet folds);
void append_fold_chain_json(std::string& out, ViewSet folds);

// Appends s to out for one line of text or one TSV field, escaped so that
// no query, file name or list text can start a line or a field of its own:
// "\\" for a backslash, "\n", "\r", "\t", "\xHH" for the other C0 controls
// and DEL, "\uXXXX" for the C1 controls and U+2028/U+2029 (line breaks to
// some readers). Everything else, invalid UTF-8 too, is copied as it is.
// The TSV escaping of PostgreSQL's text COPY format, readable back exactly.
void append_escaped(std::string& out, std::string_view s);
std::string escaped(std::string_view s);

// Accepts a whole number of at least 1 written in decimal digits only: no
// sign (CLI11 would read "-1" as the largest std::size_t) and no 0.
CLI::Validator positive_count();

// Registers each subcommand; each returns a pointer the dispatcher reads.
void add_check_command(CLI::App& app, int& exit_code);
void add_test_command(CLI::App& app, int& exit_code);
void add_lint_command(CLI::App& app, int& exit_code);
void add_impact_command(CLI::App& app, int& exit_code);
void add_compile_command(CLI::App& app, int& exit_code);
void add_keygen_command(CLI::App& app, int& exit_code);
void add_explain_command(CLI::App& app, int& exit_code);
void add_bench_command(CLI::App& app, int& exit_code);
void add_stats_command(CLI::App& app, int& exit_code);
void add_checksum_command(CLI::App& app, int& exit_code);
void add_probe_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace deter::cli

#endif  // DETER_CLI_COMMON_H_
