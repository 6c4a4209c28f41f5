// The entries' literals in one sorted table, for typeahead
// (Filter::check_partial): which literals begin with what a query ends in.
// The scanners answer "which literal occurs in this text"; a query typed
// one keystroke at a time needs the converse, "which literal does this
// text's end begin", which a sorted table answers with one binary search.
#ifndef DETER_MATCH_COMPLETION_INDEX_H_
#define DETER_MATCH_COMPLETION_INDEX_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace deter::match {

class CompletionIndex {
 public:
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
  // Whether add() keeps `literal` (it drops one that is blank).
  static bool takes(std::string_view literal);
  // Room for `items` adds of `chars` bytes in all.
  void reserve(std::size_t items, std::size_t chars) {
    items_.reserve(items);
    chars_.reserve(chars);
  }
  // Sorts; call once after the last add().
  void finish();
  // finish() for items added in their sorted order already (a compiled
  // file stores the order, order()): checks it in one pass instead of
  // sorting, and returns false, the index left empty, if it is not.
  bool finish_sorted();
  // The atoms of the items in sorted order.
  std::vector<std::uint32_t> order() const;
  void clear();

  // The items whose literal begins with `prefix`.
  std::span<const Item> starting_with(std::string_view prefix) const;
  std::string_view literal(const Item& item) const {
    return std::string_view(chars_).substr(item.offset, item.length);
  }
  std::string_view completion(const Item& item) const {
    return std::string_view(chars_).substr(item.completion_offset, item.completion_length);
  }
  // Whether some literal of two or more words has `word` as its first:
  // a hash probe that spares a query tail of several words the binary
  // search when its first word begins no literal.
  bool has_first_word(std::string_view word) const { return first_words_.count(word) != 0; }
  // The longest literal: a longer query tail begins none.
  std::size_t longest() const { return longest_; }
  bool empty() const { return items_.empty(); }

 private:
  std::string chars_;
  std::vector<Item> items_;
  std::size_t longest_ = 0;
  std::unordered_set<std::string_view> first_words_;  // into chars_, filled by finish()

  bool before(const Item& a, const Item& b) const {
    const std::string_view la = literal(a);
    const std::string_view lb = literal(b);
    return la != lb ? la < lb : a.atom < b.atom;
  }
  void index_first_words();
};

}  // namespace deter::match

#endif  // DETER_MATCH_COMPLETION_INDEX_H_
