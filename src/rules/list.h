// The rule model: what a list file says, before anything is compiled.
#ifndef DETER_RULES_LIST_H_
#define DETER_RULES_LIST_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "deter/types.h"

namespace deter::rules {

// How one pattern is matched against the normalized query.
enum class PatternKind : std::uint8_t {
  phrase,     // "forbidden orchard": whole tokens
  prefix,     // "forbidden orch*": the last token may continue
  substring,  // "*orchard*": anywhere, even inside tokens
  regex,      // "/orch[a4]rd/": a Hyperscan regex over the base view
};

struct Pattern {
  PatternKind kind = PatternKind::phrase;
  std::string text;   // as written, without the * or / markers
  bool negated = false;  // "!b" inside a rule
  std::uint32_t column = 1;
};

enum class EntryKind : std::uint8_t {
  pattern,    // one pattern
  rule,       // "a & b & !c": every positive part anywhere, no negated part
  exception,  // "@@...": suppresses matches it overlaps (or the whole query)
};

// The views of a list that names none: every view, fuzzy too; a list or an
// entry turns one off (`! views: -fuzzy`, `$views=-fuzzy`).
inline constexpr ViewSet kDefaultListViews = ViewSet::all();
// What they were before fuzzy was on by default (`+fuzzy` turned it on): a
// compiled file from then reads its sources with these (store.h
// kFlagListFuzzy), so that it decides as it did.
inline constexpr ViewSet kDefaultListViewsWithoutFuzzy = ViewSet::all().without(View::fuzzy);

// The list-wide defaults, from the header; entries inherit and override them.
struct Defaults {
  Action action = Action::prompt;
  std::string category = "uncategorized";
  std::uint8_t severity = 1;
  std::string message;  // empty: "<action>.default"
  ViewSet views = kDefaultListViews;
  std::string locale;
  Action fuzzy_action = Action::prompt;
};

struct Entry {
  EntryKind kind = EntryKind::pattern;
  std::string file;       // list file name, e.g. "hi.list"
  std::uint32_t line = 0;
  std::string id;         // "hi.list:12"
  std::string source;     // the line as written
  std::vector<Pattern> patterns;  // one, or a rule's parts in order
  Action action = Action::prompt;
  std::string category;
  std::uint8_t severity = 1;
  std::string message;
  ViewSet views = ViewSet::all();
  std::string locale;     // $locale, else the list's language
  bool query_scope = false;  // exceptions: $scope=query
  // The highest action a match found only through the fuzzy view (a typo)
  // may take: `$fuzzy=` or the header's `! fuzzy:`; prompt unless raised.
  Action fuzzy_action = Action::prompt;
  std::vector<Example> examples;
};

struct ListFile {
  std::string file;
  std::map<std::string, std::string> header;  // every header field as written
  std::string name;
  std::string language;
  Defaults defaults;
  std::vector<Entry> entries;
};

// The bounds of FilterOptions (include/deter/filter.h documents them, and
// holds their defaults: the one copy) that the rules layer checks. Only the
// facade makes one (limits_of in filter_impl.h, by designated initializers,
// so that a field it leaves out is a warning, and the build's -Werror an
// error): a new bound is one field here and one line there.
struct Limits {
  std::size_t max_list_bytes;
  std::size_t max_entries;
  std::size_t max_entry_bytes;
  std::size_t max_rule_parts;
  std::size_t max_examples;
  std::size_t max_regexes;
  std::size_t max_regex_bytes;
  std::size_t max_regex_depth;
  std::size_t max_regex_cost;
  std::size_t max_regex_total_cost;
};

// Parses one list file. `file` names it in errors and entry ids. The bounds
// that one file can be held to (max_list_bytes, max_entries,
// max_entry_bytes, max_rule_parts) are checked here; the bounds of a whole
// list set in SetBudget (budget.h). `default_views` are the views of a list
// whose header names none, and what a `! views:` change starts from.
Result<ListFile> parse_list(std::string_view file, std::string_view text, const Limits& limits,
                            ViewSet default_views = kDefaultListViews);

// The `! checksum:` header (lists/README.md "Checksum"): the hex XXH3-128 of
// every line of `text` but the lines that begin "! checksum:", each with a
// trailing '\r' removed and followed by '\n'.
std::string list_checksum(std::string_view text);

// Parses a messages.toml file into messages, one per (key, locale).
Result<std::vector<Message>> parse_messages(std::string_view file, std::string_view text);

// Parses a views specification: "-leet,-phonetic" (relative to `inherited`)
// or "base,leet" (exactly these). Base is always kept. Returns false and
// sets `bad` to the offending name on error.
bool parse_views(std::string_view spec, ViewSet inherited, ViewSet& out, std::string& bad);

}  // namespace deter::rules

#endif  // DETER_RULES_LIST_H_
