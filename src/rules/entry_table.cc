#include "rules/entry_table.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace deter::rules {

namespace {
// Strings are copied into chunks of this size (or of their own, when
// longer): 100k entries' ids and pattern texts in a few dozen allocations.
constexpr std::size_t kChunkBytes = 64 << 10;
}  // namespace

std::string_view EntryTable::keep(std::string_view s) {
  // Each string is followed by a NUL: the C API hands them out as C strings
  // (deter_match_t::entry_id), as it did std::string's.
  if (s.empty()) return std::string_view("", 0);
  if (s.size() + 1 > chunk_size_ - chunk_used_) {
    chunk_size_ = std::max(s.size() + 1, kChunkBytes);
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size_));
    chunk_used_ = 0;
    chunk_bytes_ += chunk_size_;
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

void EntryTable::reserve(std::size_t entries, std::size_t patterns) {
  records_.reserve(entries);
  patterns_.reserve(patterns);
}

std::uint32_t EntryTable::add(const EntryFacts& facts, std::string_view id, const Names& names,
                              std::span<const PatternRef> patterns) {
  Record r;
  r.facts = facts;
  r.id = keep(id);
  r.first_pattern = static_cast<std::uint32_t>(patterns_.size());
  r.pattern_count = static_cast<std::uint32_t>(patterns.size());
  r.file = names.file;
  r.category = names.category;
  r.message = names.message;
  r.locale = names.locale;
  for (PatternRef p : patterns) {
    p.text = keep(p.text);
    patterns_.push_back(p);
  }
  records_.push_back(r);
  return static_cast<std::uint32_t>(records_.size() - 1);
}

std::uint32_t EntryTable::add(const Entry& e, bool keep_texts) {
  std::vector<PatternRef> parts;
  parts.reserve(e.patterns.size());
  for (const Pattern& p : e.patterns) {
    parts.push_back(PatternRef{p.kind, p.negated, p.column,
                               keep_texts ? std::string_view(p.text) : std::string_view()});
  }
  const EntryFacts facts{e.kind, e.query_scope, e.action, e.fuzzy_action, e.severity, e.views,
                         e.line};
  return add(facts, e.id,
             Names{intern(e.file), intern(e.category), intern(e.message), intern(e.locale)}, parts);
}

EntryRef EntryTable::at(std::size_t i) const {
  if (i >= records_.size()) throw std::out_of_range("no entry " + std::to_string(i));
  return (*this)[i];
}

std::size_t EntryTable::bytes() const {
  std::size_t n = records_.capacity() * sizeof(Record) +
                  patterns_.capacity() * sizeof(PatternRef) + chunk_bytes_ +
                  names_.capacity() * sizeof(std::string_view);
  for (const std::string& s : sources_) n += sizeof s + (s.size() > 15 ? s.capacity() : 0);
  return n;
}

}  // namespace deter::rules
