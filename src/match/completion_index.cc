#include "match/completion_index.h"

#include <algorithm>

namespace deter::match {

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
  std::sort(items_.begin(), items_.end(), [this](const Item& a, const Item& b) {
    const std::string_view la = literal(a);
    const std::string_view lb = literal(b);
    return la != lb ? la < lb : a.atom < b.atom;
  });
  chars_.shrink_to_fit();
  items_.shrink_to_fit();
}

void CompletionIndex::clear() {
  chars_.clear();
  items_.clear();
  longest_ = 0;
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
