#include "match/token_index.h"

#include <algorithm>

namespace deter::match {

bool is_token_literal(std::string_view s) {
  if (s.size() < 2 || s[0] != ' ' || s[1] == ' ') return false;
  if (s.size() == 2 && s[1] == ' ') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\n') return false;
    if (s[i] == ' ' && s[i - 1] == ' ') return false;
  }
  return true;
}


namespace {
// Marks prefix-group slots while building (no edge has every bit set).
constexpr std::uint32_t kIsPrefixGroup = 0xFFFFFFFFu;
}  // namespace

std::size_t TokenIndex::slot_of(std::uint64_t k) const {
  std::uint64_t i = k & mask_;
  while (slots_[i].key != k) i = (i + 1) & mask_;
  return i;
}

std::uint32_t TokenIndex::insert(std::uint64_t k, std::uint32_t value_if_new, bool& inserted) {
  for (std::uint64_t i = k & mask_;; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.key == k) {
      inserted = false;
      return s.value;
    }
    if (s.key == 0) {
      s.key = k;
      s.value = value_if_new;
      inserted = true;
      return value_if_new;
    }
  }
}

void TokenIndex::build(const std::vector<Literal>& literals) {
  *this = TokenIndex();
  literal_count_ = literals.size();
  // Upper bound on keys: one per word of every literal.
  std::size_t words = 0;
  for (const Literal& l : literals) words += static_cast<std::size_t>(
      std::count(l.text.begin() + 1, l.text.end(), ' ')) + 1;
  std::size_t capacity = 16;
  while (capacity < 2 * words) capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;

  nodes_.emplace_back();  // the root
  std::vector<std::vector<AtomRef>> phrase_at(1);
  std::vector<std::vector<AtomRef>> prefix_of;
  std::vector<std::uint64_t> keys;
  for (const Literal& l : literals) {
    const std::string_view s = l.text;
    const AtomRef ref{l.id, static_cast<std::uint32_t>(text_.size()),
                      static_cast<std::uint32_t>(s.size())};
    text_.append(s);
    const bool phrase = s.back() == ' ';
    std::string_view rest = s.substr(1, phrase ? s.size() - 2 : s.size() - 1);
    std::uint32_t node = 0;
    while (true) {
      const std::size_t sp = rest.find(' ');
      const std::string_view w = rest.substr(0, sp);
      const bool last = sp == std::string_view::npos;
      bool inserted = false;
      if (last && !phrase) {
        const std::size_t head = std::min(w.size(), kHead);
        const std::uint64_t k = key(token_hash(w.data(), head), node, true);
        const std::uint32_t g =
            insert(k, static_cast<std::uint32_t>(prefix_of.size()), inserted);
        if (inserted) {
          prefix_of.emplace_back();
          keys.push_back(k);
          slots_[slot_of(k)].info = kIsPrefixGroup;
        }
        prefix_of[g].push_back(ref);
        nodes_[node].prefix_heads |= 1ull << head;
        break;
      }
      const std::uint64_t k = key(token_hash(w.data(), w.size()), node, false);
      const std::uint32_t child = insert(k, static_cast<std::uint32_t>(nodes_.size()), inserted);
      if (inserted) {
        nodes_.emplace_back();
        phrase_at.emplace_back();
        keys.push_back(k);
      }
      nodes_[node].has_children = true;
      node = child;
      if (last) {
        phrase_at[node].push_back(ref);
        break;
      }
      rest.remove_prefix(sp + 1);
    }
  }
  // Each edge's slot learns what its child holds.
  for (Slot& slot : slots_) {
    if (slot.key == 0 || slot.info == kIsPrefixGroup) continue;
    const Node& c = nodes_[slot.value];
    slot.info = (c.has_children ? kHasChildren : 0) |
                (!phrase_at[slot.value].empty() ? kHasAtoms : 0) |
                (c.prefix_heads != 0 ? kHasPrefixes : 0);
  }
  for (Slot& slot : slots_) {
    if (slot.info == kIsPrefixGroup) slot.info = 0;
  }
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    nodes_[n].atoms_begin = static_cast<std::uint32_t>(phrase_atoms_.size());
    phrase_atoms_.insert(phrase_atoms_.end(), phrase_at[n].begin(), phrase_at[n].end());
    nodes_[n].atoms_end = static_cast<std::uint32_t>(phrase_atoms_.size());
  }
  for (const auto& refs : prefix_of) {
    const auto b = static_cast<std::uint32_t>(prefix_atoms_.size());
    prefix_atoms_.insert(prefix_atoms_.end(), refs.begin(), refs.end());
    groups_.push_back(Group{b, static_cast<std::uint32_t>(prefix_atoms_.size())});
  }
  // The filter in front of the table: about 16 bits per key, so that most
  // tokens of a query that begin no literal are turned away from L1 or L2.
  std::size_t bits = 1u << 12;
  while (bits < 16 * keys.size() && bits < (std::size_t{1} << 28)) bits *= 2;
  bloom_.assign(bits / 64, 0);
  bloom_shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(bits));
  for (std::uint64_t k : keys) {
    const std::uint64_t bit = k >> bloom_shift_;
    bloom_[bit >> 6] |= 1ull << (bit & 63);
  }
}

std::size_t TokenIndex::size_bytes() const {
  return nodes_.capacity() * sizeof(Node) + slots_.capacity() * sizeof(Slot) +
         bloom_.capacity() * sizeof(std::uint64_t) +
         (phrase_atoms_.capacity() + prefix_atoms_.capacity()) * sizeof(AtomRef) +
         groups_.capacity() * sizeof(Group) + text_.capacity();
}

}  // namespace deter::match
