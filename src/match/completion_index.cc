#include "match/completion_index.h"

#include <algorithm>
#include <unordered_map>

#include "text/stored.h"
#include "text/tokens.h"

namespace deter::match {

namespace {

// finish()'s arrays, shared by the copies of the index.
struct Built {
  std::string chars;
  std::vector<CompletionIndex::Item> items;
  std::vector<std::uint64_t> first_words;
};

std::uint64_t word_hash(std::string_view word) {
  return text::token_hash(word.data(), word.size());
}

}  // namespace

void CompletionIndex::add(std::string_view literal, std::uint32_t atom,
                          std::string_view completion) {
  while (!literal.empty() && literal.back() == ' ') literal.remove_suffix(1);
  if (literal.empty() || literal == " ") return;
  const auto offset = static_cast<std::uint32_t>(chars_built_.size());
  if (literal.front() != ' ') chars_built_ += ' ';
  chars_built_ += literal;
  const auto length = static_cast<std::uint32_t>(chars_built_.size() - offset);
  const auto completion_offset = static_cast<std::uint32_t>(chars_built_.size());
  chars_built_ += completion;
  items_built_.push_back(
      Item{offset, length, atom, completion_offset, static_cast<std::uint32_t>(completion.size())});
}

void CompletionIndex::finish() {
  auto built = std::make_shared<Built>();
  built->chars = std::move(chars_built_);
  built->items = std::move(items_built_);
  chars_built_.clear();
  items_built_.clear();
  std::string_view chars = built->chars;
  auto literal = [&chars](const Item& item) { return chars.substr(item.offset, item.length); };
  std::sort(built->items.begin(), built->items.end(), [&](const Item& a, const Item& b) {
    const std::string_view la = literal(a);
    const std::string_view lb = literal(b);
    return la != lb ? la < lb : a.atom < b.atom;
  });
  // Each text once: the same literal comes from several views, and an
  // entry's completion is shared by its atoms and is mostly its base-view
  // literal less the leading space. This halves what a file stores.
  {
    std::string chars_once;
    std::unordered_map<std::string_view, std::uint32_t> at;  // into built->chars
    auto place = [&](std::string_view text) {
      auto [it, fresh] = at.try_emplace(text, 0);
      if (fresh) {
        it->second = static_cast<std::uint32_t>(chars_once.size());
        chars_once += text;
        if (text.size() > 1) at.try_emplace(text.substr(1), it->second + 1);
      }
      return it->second;
    };
    for (Item& item : built->items) {
      item.offset = place(literal(item));
      item.completion_offset = place(chars.substr(item.completion_offset, item.completion_length));
    }
    built->chars = std::move(chars_once);
    chars = built->chars;
  }
  for (const Item& item : built->items) {
    const std::string_view l = literal(item);  // " w1 w2 ..."
    const std::size_t space = l.find(' ', 1);
    if (space != std::string_view::npos) {
      built->first_words.push_back(word_hash(l.substr(1, space - 1)));
    }
  }
  std::sort(built->first_words.begin(), built->first_words.end());
  built->first_words.erase(std::unique(built->first_words.begin(), built->first_words.end()),
                           built->first_words.end());
  chars_ = built->chars;
  items_ = built->items;
  first_words_ = built->first_words;
  longest_ = 0;
  for (const Item& item : items_) longest_ = std::max<std::size_t>(longest_, item.length);
  storage_ = std::move(built);
}

void CompletionIndex::save(std::string& out) const {
  text::stored::Writer w(out);
  w.array(std::span<const char>(chars_));
  w.array(items_);
  w.array(first_words_);
}

bool CompletionIndex::load(std::string_view bytes, std::size_t atom_bound,
                           std::shared_ptr<const void> keep_alive, std::string* why) {
  clear();
  auto fail = [&](const char* reason) {
    if (why != nullptr) *why = reason;
    return false;
  };
  text::stored::Reader r(bytes);
  const std::span<const char> chars = r.array<char>();
  const std::span<const Item> items = r.array<Item>();
  const std::span<const std::uint64_t> first_words = r.array<std::uint64_t>();
  if (!r.done()) return fail("truncated");
  std::size_t longest = 0;
  for (const Item& item : items) {
    // Both texts within chars (64-bit sums: no overflow), and a literal
    // that begins with the space every search begins with.
    if (std::uint64_t{item.offset} + item.length > chars.size() ||
        std::uint64_t{item.completion_offset} + item.completion_length > chars.size() ||
        item.length == 0 || chars[item.offset] != ' ' || item.atom >= atom_bound) {
      return fail("an item is malformed");
    }
    longest = std::max<std::size_t>(longest, item.length);
  }
  for (std::size_t k = 1; k < first_words.size(); ++k) {
    if (first_words[k - 1] >= first_words[k]) return fail("its first words are out of order");
  }
  storage_ = std::move(keep_alive);
  chars_ = std::string_view(chars.data(), chars.size());
  items_ = items;
  first_words_ = first_words;
  longest_ = longest;
  return true;
}

void CompletionIndex::clear() { *this = CompletionIndex(); }

bool CompletionIndex::has_first_word(std::string_view word) const {
  return std::binary_search(first_words_.begin(), first_words_.end(), word_hash(word));
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
