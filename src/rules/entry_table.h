// The entries of a compiled list set, as check() and the reports read them:
// a fixed-size record each, their ids in one pool, their files, categories,
// messages and locales each once, their patterns in one array. A compiled
// file stores the records, ids and patterns as they are here, and they are
// used where they lie (store.cc); a list set compiled from sources builds
// them. A parsed rules::Entry is 288 bytes and five or six allocations:
// 100k of them were 39 MB of every process that opened list-100000.
#ifndef DETER_RULES_ENTRY_TABLE_H_
#define DETER_RULES_ENTRY_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rules/list.h"

namespace deter::rules {

// One pattern of an entry, 8 bytes as a compiled file stores it. Its text
// as written is EntryTable::text's.
struct PatternRef {
  PatternKind kind = PatternKind::phrase;
  bool negated = false;
  std::uint16_t zero = 0;
  std::uint32_t column = 1;
};

// What one entry holds besides its strings and patterns: 16 bytes.
struct EntryFacts {
  EntryKind kind = EntryKind::pattern;
  bool query_scope = false;
  Action action = Action::prompt;
  Action fuzzy_action = Action::prompt;
  std::uint8_t severity = 1;
  std::uint8_t zero[3] = {};
  ViewSet views;
  std::uint32_t line = 0;
};

// One entry, read from the table: the fields of rules::Entry that outlive
// compiling, with the same names, by value and as views into the table
// (each string followed by a NUL: the C API hands them out). Cheap to make
// (a few loads); what a caller does not read, the compiler does not load.
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
  // An entry as a compiled file stores it: 48 bytes.
  struct Record {
    EntryFacts facts;
    std::uint32_t id_at = 0;  // into ids(), its NUL after it
    std::uint32_t id_size = 0;
    std::uint32_t first_pattern = 0;  // the entries' patterns follow one another
    std::uint32_t pattern_count = 0;
    std::uint32_t file = 0, category = 0, message = 0, locale = 0;  // name()'s
  };

  EntryTable() = default;
  // Moves only: the entries' views point into what the table owns.
  EntryTable(EntryTable&&) = default;
  EntryTable& operator=(EntryTable&&) = default;

  // Adds `e`, with each pattern's text if `keep_texts`. Returns its index.
  std::uint32_t add(const Entry& e, bool keep_texts);
  // The index of a file, category, message or locale name, added once.
  std::uint32_t intern(std::string_view name);
  std::string_view name(std::uint32_t k) const { return names_[k]; }
  std::size_t name_count() const { return names_.size(); }

  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  EntryRef operator[](std::size_t i) const {
    const Record& r = records_[i];
    EntryRef e;
    static_cast<EntryFacts&>(e) = r.facts;
    e.id = std::string_view(ids_.data() + r.id_at, r.id_size);
    e.file = names_[r.file];
    e.category = names_[r.category];
    e.message = names_[r.message];
    e.locale = names_[r.locale];
    e.patterns = patterns_.subspan(r.first_pattern, r.pattern_count);
    return e;
  }
  // The same, or std::out_of_range past the end.
  EntryRef at(std::size_t i) const;

  // Pattern k of entry i as written, when the table keeps texts (one built
  // from sources); empty otherwise.
  std::string_view text(std::size_t i, std::size_t k) const {
    return texts_.empty() ? std::string_view() : texts_[records_[i].first_pattern + k];
  }

  // Entry i's line as written: empty until set_sources gives them.
  std::string_view source(std::size_t i) const {
    return i < sources_.size() ? std::string_view(sources_[i]) : std::string_view();
  }
  // The lines as written, one per entry in order.
  void set_sources(std::vector<std::string> lines) { sources_ = std::move(lines); }

  // The stored form (store.cc), and a compiled file's, used where it lies
  // (the caller keeps it, and checked every record and pattern first).
  std::span<const Record> records() const { return records_; }
  std::string_view ids() const { return ids_; }
  std::span<const PatternRef> patterns() const { return patterns_; }
  void use(std::span<const Record> records, std::string_view ids,
           std::span<const PatternRef> patterns);

 private:
  // A copy of `s` in the table's chunks, where it never moves, with a NUL.
  std::string_view keep(std::string_view s);
  void view_own();

  std::vector<Record> own_records_;
  std::vector<char> own_ids_;  // a vector: its buffer moves with it, where a string's may not
  std::vector<PatternRef> own_patterns_;
  std::span<const Record> records_;
  std::string_view ids_;
  std::span<const PatternRef> patterns_;
  std::vector<std::string_view> texts_;  // one a pattern, when kept
  // Files, categories, messages and locales, each once: few distinct ones.
  std::vector<std::string_view> names_;
  std::unordered_map<std::string_view, std::uint32_t> name_index_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t chunk_size_ = 0;   // of the newest chunk
  std::size_t chunk_used_ = 0;   // of the newest chunk
  std::vector<std::string> sources_;
};

}  // namespace deter::rules

#endif  // DETER_RULES_ENTRY_TABLE_H_
