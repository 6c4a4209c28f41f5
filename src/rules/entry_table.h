// The entries of a compiled list set, as check() and the reports read them:
// a fixed-size record each, their strings in one pool, their files,
// categories, messages and locales each once. A parsed rules::Entry is 288
// bytes and five or six allocations; 100k of them were 39 MB of every
// process that opened list-100000, and a fifth of opening it.
#ifndef DETER_RULES_ENTRY_TABLE_H_
#define DETER_RULES_ENTRY_TABLE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rules/list.h"

namespace deter::rules {

// One pattern of an entry as the table holds it. `text` is the pattern as
// written, when the table keeps texts (a list set compiled from sources);
// empty in one read from a compiled file's tables.
struct PatternRef {
  PatternKind kind = PatternKind::phrase;
  bool negated = false;
  std::uint32_t column = 1;
  std::string_view text;
};

// What one entry holds besides its strings and patterns.
struct EntryFacts {
  EntryKind kind = EntryKind::pattern;
  bool query_scope = false;
  Action action = Action::prompt;
  Action fuzzy_action = Action::prompt;
  std::uint8_t severity = 1;
  ViewSet views;
  std::uint32_t line = 0;
};

// One entry, read from the table: the fields of rules::Entry that outlive
// compiling, with the same names, by value and as views into the table.
// Cheap to make (a few loads); what a caller does not read, the compiler
// does not load.
struct EntryRef : EntryFacts {
  std::string_view id;
  std::string_view file;
  std::string_view category;
  std::string_view message;
  std::string_view locale;
  std::span<const PatternRef> patterns;
};

class EntryTable {
 public:
  EntryTable() = default;
  // Moves only: the entries' views point into chunks the table owns.
  EntryTable(EntryTable&&) = default;
  EntryTable& operator=(EntryTable&&) = default;

  // Adds `e`, with each pattern's text if `keep_texts`. Returns its index.
  std::uint32_t add(const Entry& e, bool keep_texts);
  // The index of a file, category, message or locale name, added once.
  std::uint32_t intern(std::string_view name);
  struct Names {
    std::uint32_t file = 0, category = 0, message = 0, locale = 0;  // intern()'s
  };
  // Adds an entry from its parts; every string is copied into the table.
  std::uint32_t add(const EntryFacts& facts, std::string_view id, const Names& names,
                    std::span<const PatternRef> patterns);
  void reserve(std::size_t entries, std::size_t patterns);

  std::string_view name(std::uint32_t k) const { return names_[k]; }
  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  EntryRef operator[](std::size_t i) const {
    const Record& r = records_[i];
    EntryRef e;
    static_cast<EntryFacts&>(e) = r.facts;
    e.id = r.id;
    e.file = names_[r.file];
    e.category = names_[r.category];
    e.message = names_[r.message];
    e.locale = names_[r.locale];
    e.patterns = std::span<const PatternRef>(patterns_).subspan(r.first_pattern, r.pattern_count);
    return e;
  }
  // The same, or std::out_of_range past the end.
  EntryRef at(std::size_t i) const;

  // An entry's views as the list set is compiled (FilterImpl::settle_views).
  void set_views(std::size_t i, ViewSet views) { records_[i].facts.views = views; }

  // Entry i's line as written: empty until set_sources gives them.
  std::string_view source(std::size_t i) const {
    return i < sources_.size() ? std::string_view(sources_[i]) : std::string_view();
  }
  // The lines as written, one per entry in order.
  void set_sources(std::vector<std::string> lines) { sources_ = std::move(lines); }

  // Bytes held, for the memory figures (bench/README.md).
  std::size_t bytes() const;

 private:
  struct Record {
    EntryFacts facts;
    std::string_view id;
    std::uint32_t first_pattern = 0;
    std::uint32_t pattern_count = 0;
    std::uint32_t file = 0, category = 0, message = 0, locale = 0;  // names_
  };
  // A copy of `s` in the table's chunks, where it never moves.
  std::string_view keep(std::string_view s);

  std::vector<Record> records_;
  std::vector<PatternRef> patterns_;  // entry by entry
  // Files, categories, messages and locales, each once: few distinct ones.
  std::vector<std::string_view> names_;
  std::unordered_map<std::string_view, std::uint32_t> name_index_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t chunk_size_ = 0;   // of the newest chunk
  std::size_t chunk_used_ = 0;   // of the newest chunk
  std::size_t chunk_bytes_ = 0;  // of all
  std::vector<std::string> sources_;
};

}  // namespace deter::rules

#endif  // DETER_RULES_ENTRY_TABLE_H_
