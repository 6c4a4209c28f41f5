#include "match/token_index.h"

#include <algorithm>

namespace deter::match {

bool is_token_literal(std::string_view s) {
  if (s.size() < 2 || s[0] != ' ' || s[1] == ' ') return false;
  if (s.size() == 2 && s[1] == ' ') return false;
  // No branch per byte, so that the loop vectorizes: a compiled file's
  // loader asks this of every literal, a million at 100k entries.
  unsigned bad = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    bad |= static_cast<unsigned>(s[i] == '\n') | (static_cast<unsigned>(s[i] == ' ') &
                                                  static_cast<unsigned>(s[i - 1] == ' '));
  }
  return bad == 0;
}

namespace {
// Marks prefix-group slots while building (no edge has every bit set).
constexpr std::uint32_t kIsPrefixGroup = 0xFFFFFFFFu;
}  // namespace

std::size_t TokenIndex::slot_of(std::uint64_t k) const {
  std::uint64_t i = k & build_mask_;
  while (build_slots_[i].key != k) i = (i + 1) & build_mask_;
  return i;
}

std::uint32_t TokenIndex::insert(std::uint64_t k, std::uint32_t value_if_new, bool& inserted) {
  for (std::uint64_t i = k & build_mask_;; i = (i + 1) & build_mask_) {
    BuildSlot& s = build_slots_[i];
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

void TokenIndex::build(const std::vector<Literal>& literals, unsigned check_bits,
                       std::size_t pair_bits) {
  *this = TokenIndex();
  check_mask_ = check_bits >= 32 ? 0xFFFFFFFFu : (std::uint32_t{1} << check_bits) - 1u;
  literal_count_ = literals.size();
  // Upper bound on keys: one per word of every literal.
  std::size_t words = 0;
  for (const Literal& l : literals)
    words += static_cast<std::size_t>(std::count(l.text.begin() + 1, l.text.end(), ' ')) + 1;
  std::size_t capacity = 16;
  while (capacity < 2 * words) capacity *= 2;
  build_slots_.assign(capacity, BuildSlot{});
  build_mask_ = capacity - 1;

  nodes_.emplace_back();  // the root
  // (node, literal) for phrases, (group, literal) for prefixes: flat, and
  // grouped by sorting once every literal is in.
  std::vector<std::pair<std::uint32_t, AtomRef>> phrase_at;
  std::vector<std::pair<std::uint32_t, AtomRef>> prefix_of;
  std::uint32_t group_count = 0;
  std::vector<std::uint64_t> keys;
  std::vector<std::uint64_t> at_root;  // the root filter's hashes
  std::vector<std::uint64_t> pairs;    // the pair filter's keys
  for (const Literal& l : literals) {
    const std::string_view s = l.text;
    const AtomRef ref{l.id, static_cast<std::uint32_t>(text_.size()),
                      static_cast<std::uint32_t>(s.size())};
    text_.append(s);
    const bool phrase = s.back() == ' ';
    std::string_view rest = s.substr(1, phrase ? s.size() - 2 : s.size() - 1);
    if (const std::size_t sp = rest.find(' '); sp == std::string_view::npos) {
      if (phrase) pairs.push_back(pair_key(token_hash(rest.data(), rest.size()), kPairAtoms));
    } else {
      const std::uint64_t h = token_hash(rest.data(), sp);
      const std::size_t end = rest.find(' ', sp + 1);
      const std::string_view second = rest.substr(sp + 1, end - sp - 1);  // npos: the rest
      // A prefix word is known by its first byte, which any token it
      // matches shares.
      const bool prefix = end == std::string_view::npos && !phrase;
      pairs.push_back(
          pair_key(h, prefix ? pair_byte(second[0]) : token_hash(second.data(), second.size())));
    }
    std::uint32_t node = 0;
    while (true) {
      const std::size_t sp = rest.find(' ');
      const std::string_view w = rest.substr(0, sp);
      const bool last = sp == std::string_view::npos;
      bool inserted = false;
      if (last && !phrase) {
        const std::size_t head = std::min(w.size(), kHead);
        const std::uint64_t k = key(token_hash(w.data(), head), node, true);
        const std::uint32_t g = insert(k, group_count, inserted);
        if (inserted) {
          ++group_count;
          keys.push_back(k);
          build_slots_[slot_of(k)].info = kIsPrefixGroup;
          if (node == 0) at_root.push_back(head_hash(first8(w.data(), w.size()), head));
        }
        prefix_of.emplace_back(g, ref);
        nodes_[node].prefix_heads |= static_cast<std::uint16_t>(1u << head);
        break;
      }
      const std::uint64_t h = token_hash(w.data(), w.size());
      const std::uint64_t k = key(h, node, false);
      const std::uint32_t child = insert(k, static_cast<std::uint32_t>(nodes_.size()), inserted);
      if (inserted) {
        nodes_.emplace_back();
        keys.push_back(k);
        if (node == 0) at_root.push_back(h);
      }
      nodes_[node].has_children = true;
      node = child;
      if (last) {
        phrase_at.emplace_back(node, ref);
        break;
      }
      rest.remove_prefix(sp + 1);
    }
  }
  auto by_first = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::stable_sort(phrase_at.begin(), phrase_at.end(), by_first);
  std::stable_sort(prefix_of.begin(), prefix_of.end(), by_first);
  phrase_atoms_.reserve(phrase_at.size());
  for (std::size_t i = 0, n = 0; n < nodes_.size(); ++n) {
    nodes_[n].atoms_begin = static_cast<std::uint32_t>(phrase_atoms_.size());
    for (; i < phrase_at.size() && phrase_at[i].first == n; ++i) {
      phrase_atoms_.push_back(phrase_at[i].second);
    }
    nodes_[n].atoms_end = static_cast<std::uint32_t>(phrase_atoms_.size());
  }
  prefix_atoms_.reserve(prefix_of.size());
  for (std::size_t i = 0, g = 0; g < group_count; ++g) {
    const auto b = static_cast<std::uint32_t>(prefix_atoms_.size());
    for (; i < prefix_of.size() && prefix_of[i].first == g; ++i) {
      prefix_atoms_.push_back(prefix_of[i].second);
    }
    groups_.push_back(Group{b, static_cast<std::uint32_t>(prefix_atoms_.size())});
  }
  std::vector<std::pair<std::uint32_t, AtomRef>>().swap(phrase_at);
  std::vector<std::pair<std::uint32_t, AtomRef>>().swap(prefix_of);
  // Each edge's slot learns what its child holds.
  for (BuildSlot& slot : build_slots_) {
    if (slot.key == 0) continue;
    if (slot.info == kIsPrefixGroup) {
      slot.info = 0;
      continue;
    }
    const Node& c = nodes_[slot.value];
    slot.info = (c.has_children ? kHasChildren : 0) |
                (c.atoms_begin != c.atoms_end ? kHasAtoms : 0) |
                (c.prefix_heads != 0 ? kHasPrefixes : 0);
  }
  compact();
  nodes_.shrink_to_fit();
  phrase_atoms_.shrink_to_fit();
  prefix_atoms_.shrink_to_fit();
  groups_.shrink_to_fit();
  text_.shrink_to_fit();
  // The filter in front of the table: about 16 bits per key, so that most
  // tokens of a query that begin no literal are turned away from L1 or L2.
  bloom_.build(keys, filter_bits(keys.size(), 16, std::size_t{1} << 28));
  // The root filter: about 32 bits per edge or head of the root, at most
  // 512 KiB, so that it stays in L2 while the table does not. (At 100k
  // entries a cap of 128 KiB let a quarter of the tokens through to the
  // pair filter and the table; 512 KiB measured 12-17% faster there. Both
  // filters together fit a 1 MiB L2.)
  root_filter_.build(at_root, filter_bits(at_root.size(), 32, std::size_t{1} << 22));
  // The pair filter: about 16 bits per key, at most 512 KiB.
  pair_filter_.build(
      pairs, pair_bits != 0 ? pair_bits : filter_bits(pairs.size(), 16, std::size_t{1} << 22));
}

std::size_t TokenIndex::filter_bits(std::size_t keys, std::size_t per_key, std::size_t max_bits) {
  std::size_t bits = 1u << 12;
  while (bits < per_key * keys && bits < max_bits) bits *= 2;
  return bits;
}

void TokenIndex::BitFilter::build(const std::vector<std::uint64_t>& keys, std::size_t bits) {
  words.assign(bits / 64, 0);
  shift = 64 - static_cast<unsigned>(__builtin_ctzll(bits));
  for (std::uint64_t k : keys) {
    const std::uint64_t bit = k >> shift;
    words[bit >> 6] |= 1ull << (bit & 63);
  }
}

void TokenIndex::compact() {
  std::vector<BuildSlot> edges;
  for (const BuildSlot& slot : build_slots_) {
    if (slot.key != 0) edges.push_back(slot);
  }
  std::vector<BuildSlot>().swap(build_slots_);
  std::size_t capacity = 16;
  while (capacity < 2 * edges.size()) capacity *= 2;
  std::vector<std::uint64_t> keys;
  // A larger table spreads the keys differently; after a few tries (a
  // shadowed key is already about a one in a billion event) keep whole keys.
  for (int attempt = 0;; ++attempt, capacity *= 2) {
    slots_.assign(capacity, Slot{});
    keys.assign(capacity, 0);
    mask_ = capacity - 1;
    for (const BuildSlot& e : edges) {
      std::uint64_t i = e.key & mask_;
      while (slots_[i].check != 0) i = (i + 1) & mask_;
      slots_[i] = Slot{check_of(e.key), e.value << 3 | e.info};
      keys[i] = e.key;
    }
    bool shadowed = false;
    for (const BuildSlot& e : edges) {
      std::uint64_t i = e.key & mask_;
      while (slots_[i].check != check_of(e.key)) i = (i + 1) & mask_;
      shadowed |= keys[i] != e.key;
    }
    if (!shadowed) break;
    if (attempt == 3) {
      full_keys_ = std::move(keys);
      break;
    }
  }
}

namespace {

void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void put64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

// Bounds-checked little-endian reads; a read past the end sets !ok.
struct In {
  std::string_view b;
  std::size_t at = 0;
  bool ok = true;
  std::uint64_t get(int n) {
    if (!ok || b.size() - at < static_cast<std::size_t>(n)) {
      ok = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i)
      v |= std::uint64_t(static_cast<unsigned char>(b[at + i])) << (8 * i);
    at += static_cast<std::size_t>(n);
    return v;
  }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::uint64_t u64() { return get(8); }
  // A count of elements of `each` bytes that the rest of the input can hold.
  std::size_t count(std::size_t each) {
    const std::uint64_t n = u64();
    if (!ok || n > (b.size() - at) / each) ok = false;
    return ok ? static_cast<std::size_t>(n) : 0;
  }
};

}  // namespace

// The file holds what build() made, less what load() can derive: the
// filled slots only (a table is a half to a quarter full), each node's end
// (its begin is the previous node's end), each literal's id (its text is the
// literals' own, in their order).
void TokenIndex::save(std::string& out) const {
  put64(out, literal_count_);
  put32(out, check_mask_);
  put64(out, slots_.size());
  std::uint64_t filled = 0;
  for (const Slot& sl : slots_) filled += sl.check != 0;
  put64(out, filled);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].check == 0) continue;
    put32(out, static_cast<std::uint32_t>(i));
    put32(out, slots_[i].check);
    put32(out, slots_[i].packed);
  }
  put64(out, full_keys_.size());
  for (std::uint64_t k : full_keys_) put64(out, k);
  for (const BitFilter* f : {&bloom_, &root_filter_, &pair_filter_}) {
    put32(out, f->shift);
    put64(out, f->words.size());
    for (std::uint64_t w : f->words) put64(out, w);
  }
  put64(out, nodes_.size());
  for (const Node& n : nodes_) {
    put32(out, n.atoms_end);
    put32(out, n.prefix_heads | (n.has_children ? 0x10000u : 0u));
  }
  for (const std::vector<AtomRef>* v : {&phrase_atoms_, &prefix_atoms_}) {
    put64(out, v->size());
    for (const AtomRef& a : *v) put32(out, a.id);
  }
  put64(out, groups_.size());
  for (const Group& g : groups_) {
    put32(out, g.begin);
    put32(out, g.end);
  }
}

bool TokenIndex::load(std::string_view bytes, std::size_t id_bound,
                      const std::vector<Literal>& literals) {
  *this = TokenIndex();
  TokenIndex t;
  In in{bytes};
  t.literal_count_ = in.u64();
  t.check_mask_ = in.u32();
  // find() probes until an empty slot: a full table would never end. The
  // capacity is bounded by the filled slots, so a forged one cannot ask for
  // more memory than the file has bytes (a built table is at least a quarter
  // full, an eighth after compact()'s retries).
  const std::uint64_t capacity = in.u64();
  const std::size_t filled = in.count(12);
  if (!in.ok || capacity == 0 || (capacity & (capacity - 1)) != 0 || filled >= capacity ||
      capacity > 32 * std::uint64_t{filled} + 16) {
    return false;
  }
  t.slots_.resize(static_cast<std::size_t>(capacity));
  for (std::size_t k = 0, next = 0; k < filled && in.ok; ++k) {
    const std::uint32_t i = in.u32();
    const std::uint32_t check = in.u32();
    const std::uint32_t packed = in.u32();
    // In slot order, each once, none empty.
    if (!in.ok || i < next || i >= capacity || check == 0) return false;
    t.slots_[i] = Slot{check, packed};
    next = std::size_t{i} + 1;
  }
  if (!in.ok) return false;
  t.mask_ = t.slots_.size() - 1;
  t.full_keys_.resize(in.count(8));
  for (std::uint64_t& k : t.full_keys_) k = in.u64();
  if (!t.full_keys_.empty() && t.full_keys_.size() != t.slots_.size()) return false;
  for (BitFilter* f : {&t.bloom_, &t.root_filter_, &t.pair_filter_}) {
    f->shift = in.u32();
    f->words.resize(in.count(8));
    for (std::uint64_t& w : f->words) w = in.u64();
    // test() reads bit key >> shift: the filter must have 2^(64 - shift) bits.
    const std::size_t bits = f->words.size() * 64;
    if (!in.ok || f->shift < 7 || f->shift > 63 || (bits & (bits - 1)) != 0 ||
        bits != std::size_t{1} << (64 - f->shift)) {
      return false;
    }
  }
  t.nodes_.resize(in.count(8));
  for (std::uint32_t begin = 0; Node& n : t.nodes_) {
    n.atoms_begin = begin;
    n.atoms_end = begin = in.u32();
    const std::uint32_t bits = in.u32();
    // Prefix heads are 1 to kHead bytes long.
    if ((bits & ~0x101FEu) != 0) return false;
    n.prefix_heads = static_cast<std::uint16_t>(bits & 0xFFFFu);
    n.has_children = (bits & 0x10000u) != 0;
  }
  for (std::vector<AtomRef>* v : {&t.phrase_atoms_, &t.prefix_atoms_}) {
    v->resize(in.count(4));
    for (AtomRef& a : *v) a.id = in.u32();
  }
  t.groups_.resize(in.count(8));
  for (Group& g : t.groups_) {
    g.begin = in.u32();
    g.end = in.u32();
  }
  // Where each literal's text lies, by id; ids of no literal stay empty.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> text_of(id_bound);
  std::size_t text_size = 0;
  for (const Literal& l : literals) text_size += l.text.size();
  t.text_.reserve(text_size);
  for (const Literal& l : literals) {
    if (l.id >= id_bound) return false;
    text_of[l.id] = {static_cast<std::uint32_t>(t.text_.size()),
                     static_cast<std::uint32_t>(l.text.size())};
    t.text_.append(l.text);
  }
  if (!in.ok || in.at != bytes.size() || t.nodes_.empty() ||
      t.literal_count_ != t.phrase_atoms_.size() + t.prefix_atoms_.size()) {
    return false;
  }
  for (const Node& n : t.nodes_) {
    if (n.atoms_begin > n.atoms_end || n.atoms_end > t.phrase_atoms_.size()) return false;
  }
  for (const Group& g : t.groups_) {
    if (g.begin > g.end || g.end > t.prefix_atoms_.size()) return false;
  }
  for (std::vector<AtomRef>* v : {&t.phrase_atoms_, &t.prefix_atoms_}) {
    for (AtomRef& a : *v) {
      // An id of no token literal has no text: refused, not matched empty.
      if (a.id >= text_of.size() || text_of[a.id].second == 0) return false;
      a.offset = text_of[a.id].first;
      a.size = text_of[a.id].second;
    }
  }
  // A slot's value is a node (an edge, info() != 0) or a prefix group.
  for (const Slot& sl : t.slots_) {
    if (sl.check == 0) continue;
    if (sl.value() >= (sl.info() != 0 ? t.nodes_.size() : t.groups_.size())) return false;
  }
  *this = std::move(t);
  return true;
}

std::size_t TokenIndex::size_bytes() const {
  return nodes_.capacity() * sizeof(Node) + slots_.capacity() * sizeof(Slot) +
         full_keys_.capacity() * sizeof(std::uint64_t) +
         (bloom_.words.capacity() + root_filter_.words.capacity() + pair_filter_.words.capacity()) *
             sizeof(std::uint64_t) +
         (phrase_atoms_.capacity() + prefix_atoms_.capacity()) * sizeof(AtomRef) +
         groups_.capacity() * sizeof(Group) + text_.capacity();
}

}  // namespace deter::match
