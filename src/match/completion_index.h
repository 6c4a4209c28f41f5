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
  // Sorts; call once after the last add().
  void finish();
  void clear();

  // The items whose literal begins with `prefix`.
  std::span<const Item> starting_with(std::string_view prefix) const;
  std::string_view literal(const Item& item) const {
    return std::string_view(chars_).substr(item.offset, item.length);
  }
  std::string_view completion(const Item& item) const {
    return std::string_view(chars_).substr(item.completion_offset, item.completion_length);
  }
  // The longest literal: a longer query tail begins none.
  std::size_t longest() const { return longest_; }
  bool empty() const { return items_.empty(); }

 private:
  std::string chars_;
  std::vector<Item> items_;
  std::size_t longest_ = 0;
};

}  // namespace deter::match

#endif  // DETER_MATCH_COMPLETION_INDEX_H_
