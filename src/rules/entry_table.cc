#include "rules/entry_table.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace deter::rules {

static_assert(sizeof(PatternRef) == 8 && sizeof(EntryFacts) == 16 &&
                  sizeof(EntryTable::Record) == 48,
              "a compiled file stores these as they are");

namespace {
// Names and pattern texts are copied into chunks of this size (or of their
// own, when longer): 100k entries' texts in a few dozen allocations.
constexpr std::size_t kChunkBytes = 64 << 10;
}  // namespace

std::string_view EntryTable::keep(std::string_view s) {
  // Each string is followed by a NUL: the C API hands them out as C strings
  // (deter_match_t::category), as it did std::string's.
  if (s.empty()) return std::string_view("", 0);
  if (s.size() + 1 > chunk_size_ - chunk_used_) {
    chunk_size_ = std::max(s.size() + 1, kChunkBytes);
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* at = chunks_.back().get() + chunk_used_;
  std::memcpy(at, s.data(), s.size());
  at[s.size()] = '\0';
  chunk_used_ += s.size() + 1;
  return std::string_view(at, s.size());
}

std::uint32_t EntryTable::intern(std::string_view s) {
  const auto it = name_index_.find(s);
  if (it != name_index_.end()) return it->second;
  const auto k = static_cast<std::uint32_t>(names_.size());
  names_.push_back(keep(s));
  name_index_.emplace(names_.back(), k);
  return k;
}

void EntryTable::view_own() {
  records_ = own_records_;
  ids_ = std::string_view(own_ids_.data(), own_ids_.size());
  patterns_ = own_patterns_;
}

std::uint32_t EntryTable::add(const Entry& e, bool keep_texts) {
  Record r;
  r.facts.kind = e.kind;
  r.facts.query_scope = e.query_scope;
  r.facts.action = e.action;
  r.facts.fuzzy_action = e.fuzzy_action;
  r.facts.severity = e.severity;
  r.facts.views = e.views;
  r.facts.line = e.line;
  r.id_at = static_cast<std::uint32_t>(own_ids_.size());
  r.id_size = static_cast<std::uint32_t>(e.id.size());
  own_ids_.insert(own_ids_.end(), e.id.begin(), e.id.end());
  own_ids_.push_back('\0');
  r.first_pattern = static_cast<std::uint32_t>(own_patterns_.size());
  r.pattern_count = static_cast<std::uint32_t>(e.patterns.size());
  r.file = intern(e.file);
  r.category = intern(e.category);
  r.message = intern(e.message);
  r.locale = intern(e.locale);
  for (const Pattern& p : e.patterns) {
    PatternRef ref;
    ref.kind = p.kind;
    ref.negated = p.negated;
    ref.column = p.column;
    own_patterns_.push_back(ref);
    if (keep_texts) texts_.push_back(keep(p.text));
  }
  own_records_.push_back(r);
  view_own();
  return static_cast<std::uint32_t>(own_records_.size() - 1);
}

void EntryTable::use(std::span<const Record> records, std::string_view ids,
                     std::span<const PatternRef> patterns) {
  own_records_ = {};
  own_ids_ = {};
  own_patterns_ = {};
  texts_ = {};
  records_ = records;
  ids_ = ids;
  patterns_ = patterns;
}

EntryRef EntryTable::at(std::size_t i) const {
  if (i >= records_.size()) throw std::out_of_range("no entry " + std::to_string(i));
  return (*this)[i];
}

}  // namespace deter::rules
