#include "match/completion_index.h"

#include <algorithm>

namespace deter::match {

bool CompletionIndex::takes(std::string_view literal) {
  while (!literal.empty() && literal.back() == ' ') literal.remove_suffix(1);
  return !literal.empty() && literal != " ";
}

void CompletionIndex::add(std::string_view literal, std::uint32_t atom,
                          std::string_view completion) {
  while (!literal.empty() && literal.back() == ' ') literal.remove_suffix(1);
  if (literal.empty() || literal == " ") return;
  const auto offset = static_cast<std::uint32_t>(chars_.size());
  if (literal.front() != ' ') chars_ += ' ';
  chars_ += literal;
  const auto length = static_cast<std::uint32_t>(chars_.size() - offset);
  const auto completion_offset = static_cast<std::uint32_t>(chars_.size());
  chars_ += completion;
  items_.push_back(
      Item{offset, length, atom, completion_offset, static_cast<std::uint32_t>(completion.size())});
  longest_ = std::max<std::size_t>(longest_, length);
}

void CompletionIndex::finish() {
  std::sort(items_.begin(), items_.end(),
            [this](const Item& a, const Item& b) { return before(a, b); });
  index_first_words();
}

bool CompletionIndex::finish_sorted() {
  for (std::size_t i = 1; i < items_.size(); ++i) {
    if (!before(items_[i - 1], items_[i])) {
      clear();
      return false;
    }
  }
  index_first_words();
  return true;
}

std::vector<std::uint32_t> CompletionIndex::order() const {
  std::vector<std::uint32_t> out;
  out.reserve(items_.size());
  for (const Item& item : items_) out.push_back(item.atom);
  return out;
}

void CompletionIndex::index_first_words() {
  chars_.shrink_to_fit();
  items_.shrink_to_fit();
  first_words_.clear();
  for (const Item& item : items_) {
    const std::string_view l = literal(item);  // " w1 w2 ..."
    const std::size_t space = l.find(' ', 1);
    if (space != std::string_view::npos) first_words_.insert(l.substr(1, space - 1));
  }
}

void CompletionIndex::clear() {
  chars_.clear();
  items_.clear();
  longest_ = 0;
  first_words_.clear();
}

std::span<const CompletionIndex::Item> CompletionIndex::starting_with(
    std::string_view prefix) const {
  auto first =
      std::lower_bound(items_.begin(), items_.end(), prefix,
                       [this](const Item& item, std::string_view p) { return literal(item) < p; });
  auto last =
      std::upper_bound(first, items_.end(), prefix, [this](std::string_view p, const Item& item) {
        return p < literal(item).substr(0, p.size());
      });
  return {first, last};
}

}  // namespace deter::match
