// The entries' literals in one sorted table, for typeahead
// (Filter::check_partial): which literals begin with what a query ends in.
// The scanners answer "which literal occurs in this text"; a query typed
// one keystroke at a time needs the converse, "which literal does this
// text's end begin", which a sorted table answers with one binary search.
#ifndef DETER_MATCH_COMPLETION_INDEX_H_
#define DETER_MATCH_COMPLETION_INDEX_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace deter::match {

class CompletionIndex {
 public:
  // Stored as it is in memory (load() uses it in place): no padding.
  struct Item {
    std::uint32_t offset = 0;  // of the literal in chars_
    std::uint32_t length = 0;
    std::uint32_t atom = 0;               // the caller's id
    std::uint32_t completion_offset = 0;  // of the text it completes into, in chars_
    std::uint32_t completion_length = 0;
  };

  // Adds a literal (" w1 w2 ", " w1 w2" or "w1"): kept with a leading
  // space, so that every literal starts where a word of the query does, and
  // without a trailing one, so that a query's last word, however far typed,
  // is a prefix of it. `completion` is the text a query heading into it is
  // completed with (the entry's base form, whatever the view).
  void add(std::string_view literal, std::uint32_t atom, std::string_view completion);
  // Sorts; call once after the last add().
  void finish();
  // The finished index, for a compiled file (store.h): its texts, its
  // items in sorted order and its first words' hashes, each an array at a
  // multiple of 8 bytes.
  void save(std::string& out) const;
  // Uses what save() wrote where it lies: `bytes` (8-byte aligned), kept
  // alive by `keep_alive`. False, the index
  // left empty and `why` told, if an item's texts lie outside the bytes,
  // its atom is not below `atom_bound`, or the first words are not sorted:
  // one pass, no sort. An item order that is not sorted is not caught (a
  // search then misses literals; nothing is read out of bounds).
  bool load(std::string_view bytes, std::size_t atom_bound, std::shared_ptr<const void> keep_alive,
            std::string* why = nullptr);
  void clear();

  // The items whose literal begins with `prefix`.
  std::span<const Item> starting_with(std::string_view prefix) const;
  std::string_view literal(const Item& item) const {
    return chars_.substr(item.offset, item.length);
  }
  std::string_view completion(const Item& item) const {
    return chars_.substr(item.completion_offset, item.completion_length);
  }
  // Whether some literal of two or more words may have `word` as its
  // first: a probe (by the word's token_hash; a collision costs only the
  // search) that spares a query tail of several words the binary search
  // when its first word begins no literal.
  bool has_first_word(std::string_view word) const;
  // The longest literal: a longer query tail begins none.
  std::size_t longest() const { return longest_; }
  bool empty() const { return items_.empty(); }

 private:
  // What add() appends to, until finish().
  std::string chars_built_;
  std::vector<Item> items_built_;
  // The finished arrays: finish()'s own, or a compiled file's where they
  // lie; storage_ keeps them alive, so copies of the index share them.
  std::shared_ptr<const void> storage_;
  std::string_view chars_;
  std::span<const Item> items_;
  std::span<const std::uint64_t> first_words_;  // sorted token_hash of each first word
  std::size_t longest_ = 0;
};

}  // namespace deter::match

#endif  // DETER_MATCH_COMPLETION_INDEX_H_
