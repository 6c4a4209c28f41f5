#include "match/completion_index.h"

#include <xxhash.h>

#include <algorithm>

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
  const std::string chars_in = std::move(chars_built_);
  std::vector<Item> items_in = std::move(items_built_);
  chars_built_.clear();
  items_built_.clear();
  std::string_view chars = chars_in;
  auto literal = [&chars](const Item& item) { return chars.substr(item.offset, item.length); };
  // Sorted by literal, then atom. Compared first by the literal's first
  // eight bytes, big-endian in one integer (zeros past its end), which
  // orders as the bytes do wherever it differs: most comparisons then
  // touch neither text.
  struct Key {
    std::uint64_t head;
    std::uint32_t item;
  };
  std::vector<Key> order(items_in.size());
  for (std::size_t i = 0; i < items_in.size(); ++i) {
    const std::string_view l = literal(items_in[i]);
    std::uint64_t head = 0;
    for (std::size_t k = 0; k < 8; ++k) {
      head = head << 8 | (k < l.size() ? static_cast<unsigned char>(l[k]) : 0u);
    }
    order[i] = Key{head, static_cast<std::uint32_t>(i)};
  }
  std::sort(order.begin(), order.end(), [&](const Key& x, const Key& y) {
    if (x.head != y.head) return x.head < y.head;
    const Item& a = items_in[x.item];
    const Item& b = items_in[y.item];
    const std::string_view la = literal(a);
    const std::string_view lb = literal(b);
    return la != lb ? la < lb : a.atom < b.atom;
  });
  built->items.reserve(items_in.size());
  for (const Key& k : order) built->items.push_back(items_in[k.item]);
  std::vector<Key>().swap(order);
  std::vector<Item>().swap(items_in);
  // Each text once: the same literal comes from several views, and an
  // entry's completion is shared by its atoms and is mostly its base-view
  // literal less the leading space. This halves what a file stores. A
  // text's first place wins, its tail after one byte too; the table is
  // open-addressed (a node-based map cost a tenth of `deter compile`).
  {
    std::string chars_once;
    chars_once.reserve(chars.size());
    struct Slot {
      std::uint64_t hash = 0;
      std::uint32_t offset = 0;  // of the text in chars_once
      std::uint32_t length = 0;  // 0: empty (no text placed is empty)
    };
    std::vector<Slot> table(1 << 16);
    std::size_t used = 0;
    // The slot holding `text`, else the empty one it goes in.
    auto slot_of = [&](std::string_view text, std::uint64_t h) -> Slot& {
      const std::size_t mask = table.size() - 1;
      for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        Slot& s = table[i];
        if (s.length == 0 ||
            (s.hash == h && std::string_view(chars_once).substr(s.offset, s.length) == text)) {
          return s;
        }
      }
    };
    auto insert = [&](std::string_view text, std::uint32_t offset, std::uint64_t h) {
      Slot& s = slot_of(text, h);
      if (s.length != 0) return s.offset;
      s = Slot{h, offset, static_cast<std::uint32_t>(text.size())};
      if (++used * 2 > table.size()) {
        std::vector<Slot> old(table.size() * 2);
        old.swap(table);
        for (const Slot& o : old) {
          if (o.length == 0) continue;
          for (std::size_t i = o.hash & (table.size() - 1);; i = (i + 1) & (table.size() - 1)) {
            if (table[i].length == 0) {
              table[i] = o;
              break;
            }
          }
        }
      }
      return offset;
    };
    auto hash = [](std::string_view text) { return XXH3_64bits(text.data(), text.size()); };
    // `h`: the hashes of `text` and of its tail after one byte.
    auto place = [&](std::string_view text, const std::uint64_t* h) {
      const auto end = static_cast<std::uint32_t>(chars_once.size());
      const std::uint32_t offset = insert(text, end, h[0]);
      if (offset == end) {
        chars_once += text;
        if (text.size() > 1) insert(text.substr(1), offset + 1, h[1]);
      }
      return offset;
    };
    // The texts' hashes first, so that each look-up's slots are fetched a
    // few items ahead: the table outgrows the caches, and its probes were
    // most of finish().
    std::vector<Item>& items = built->items;
    auto completion = [&](const Item& item) {
      return chars.substr(item.completion_offset, item.completion_length);
    };
    std::vector<std::uint64_t> hashes(4 * items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string_view texts[2] = {literal(items[i]), completion(items[i])};
      for (int k = 0; k < 2; ++k) {
        hashes[4 * i + 2 * k] = hash(texts[k]);
        hashes[4 * i + 2 * k + 1] = hash(texts[k].substr(texts[k].empty() ? 0 : 1));
      }
    }
    constexpr std::size_t kAhead = 8;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i + kAhead < items.size()) {
        const std::size_t mask = table.size() - 1;
        for (int k = 0; k < 4; ++k) __builtin_prefetch(&table[hashes[4 * (i + kAhead) + k] & mask]);
      }
      Item& item = items[i];
      item.offset = place(literal(item), &hashes[4 * i]);
      item.completion_offset = place(completion(item), &hashes[4 * i + 2]);
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
