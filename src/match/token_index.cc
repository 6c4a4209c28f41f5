#include "match/token_index.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <type_traits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/bytes8.h"

namespace deter::match {

bool is_token_literal(std::string_view s) {
  const std::size_t n = s.size();
  if (n < 2 || s[0] != ' ' || s[1] == ' ') return false;
  // Most literals are 8 to 16 bytes, too short for the compiler's
  // sixteen-byte loop: their first and last eight bytes by masks
  // (text/bytes8.h). The two words overlap below 16 bytes, so every pair of
  // neighbours lies in one of them but bytes 7 and 8 of a 16-byte literal.
  if (n >= 8 && n <= 16) {
    std::uint64_t head;
    std::uint64_t tail;
    std::memcpy(&head, s.data(), 8);
    std::memcpy(&tail, s.data() + n - 8, 8);
    const std::uint64_t head_spaces = text::bytes8::bytes_equal(head, ' ');
    const std::uint64_t tail_spaces = text::bytes8::bytes_equal(tail, ' ');
    const std::uint64_t bad = text::bytes8::bytes_equal(head, '\n') |
                              text::bytes8::bytes_equal(tail, '\n') |
                              (head_spaces & head_spaces << 8) | (tail_spaces & tail_spaces << 8);
    return bad == 0 && !(n == 16 && s[7] == ' ' && s[8] == ' ');
  }
#if defined(__SSE2__)
  // Longer ones (Indic words are three bytes a letter) sixteen pairs of
  // neighbours at a time: lane j of the block at k reads bytes k + j and
  // k + j + 1. The last block ends at the last byte and overlaps the one
  // before it, so no byte is left to a loop of one at a time.
  if (n > 16) {
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i newline = _mm_set1_epi8('\n');
    __m128i bad = _mm_setzero_si128();
    auto block = [&](std::size_t k) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + k));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + k + 1));
      const __m128i doubled = _mm_and_si128(_mm_cmpeq_epi8(a, space), _mm_cmpeq_epi8(b, space));
      bad = _mm_or_si128(bad, _mm_or_si128(doubled, _mm_cmpeq_epi8(b, newline)));
    };
    for (std::size_t k = 0; k + 17 < n; k += 16) block(k);
    block(n - 17);
    return _mm_movemask_epi8(bad) == 0;
  }
#endif
  unsigned bad = 0;
  for (std::size_t i = 1; i < n; ++i) {
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
  auto storage = std::make_shared<Storage>();
  Storage& st = *storage;
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

  st.nodes.emplace_back();  // the root
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
    const AtomRef ref{l.id, static_cast<std::uint32_t>(st.text.size()),
                      static_cast<std::uint32_t>(s.size())};
    st.text.append(s);
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
        st.nodes[node].prefix_heads |= static_cast<std::uint16_t>(1u << head);
        break;
      }
      const std::uint64_t h = token_hash(w.data(), w.size());
      const std::uint64_t k = key(h, node, false);
      const std::uint32_t child = insert(k, static_cast<std::uint32_t>(st.nodes.size()), inserted);
      if (inserted) {
        st.nodes.emplace_back();
        keys.push_back(k);
        if (node == 0) at_root.push_back(h);
      }
      st.nodes[node].has_children = true;
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
  st.atoms[0].reserve(phrase_at.size());
  for (std::size_t i = 0, n = 0; n < st.nodes.size(); ++n) {
    st.nodes[n].atoms_begin = static_cast<std::uint32_t>(st.atoms[0].size());
    for (; i < phrase_at.size() && phrase_at[i].first == n; ++i) {
      st.atoms[0].push_back(phrase_at[i].second);
    }
    st.nodes[n].atoms_end = static_cast<std::uint32_t>(st.atoms[0].size());
  }
  st.atoms[1].reserve(prefix_of.size());
  for (std::size_t i = 0, g = 0; g < group_count; ++g) {
    const auto b = static_cast<std::uint32_t>(st.atoms[1].size());
    for (; i < prefix_of.size() && prefix_of[i].first == g; ++i) {
      st.atoms[1].push_back(prefix_of[i].second);
    }
    st.groups.push_back(Group{b, static_cast<std::uint32_t>(st.atoms[1].size())});
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
    const Node& c = st.nodes[slot.value];
    slot.info = (c.has_children ? kHasChildren : 0) |
                (c.atoms_begin != c.atoms_end ? kHasAtoms : 0) |
                (c.prefix_heads != 0 ? kHasPrefixes : 0);
  }
  compact(st);
  st.nodes.shrink_to_fit();
  st.atoms[0].shrink_to_fit();
  st.atoms[1].shrink_to_fit();
  st.groups.shrink_to_fit();
  st.text.shrink_to_fit();
  // The filter in front of the table: about 16 bits per key, so that most
  // tokens of a query that begin no literal are turned away from L1 or L2.
  bloom_.build(keys, filter_bits(keys.size(), 16, std::size_t{1} << 28), st.filters[0]);
  // The root filter: about 32 bits per edge or head of the root, at most
  // 512 KiB, so that it stays in L2 while the table does not. (At 100k
  // entries a cap of 128 KiB let a quarter of the tokens through to the
  // pair filter and the table; 512 KiB measured 12-17% faster there. Both
  // filters together fit a 1 MiB L2.)
  root_filter_.build(at_root, filter_bits(at_root.size(), 32, std::size_t{1} << 22),
                     st.filters[1]);
  // The pair filter: about 16 bits per key, at most 512 KiB.
  pair_filter_.build(
      pairs, pair_bits != 0 ? pair_bits : filter_bits(pairs.size(), 16, std::size_t{1} << 22),
      st.filters[2]);
  nodes_.of(st.nodes);
  slots_.of(st.slots);
  full_keys_.of(st.full_keys);
  phrase_atoms_.of(st.atoms[0]);
  prefix_atoms_.of(st.atoms[1]);
  groups_.of(st.groups);
  text_.p = st.text.data();
  text_.n = st.text.size();
  storage_ = std::move(storage);
}

std::size_t TokenIndex::filter_bits(std::size_t keys, std::size_t per_key, std::size_t max_bits) {
  std::size_t bits = 1u << 12;
  while (bits < per_key * keys && bits < max_bits) bits *= 2;
  return bits;
}

void TokenIndex::BitFilter::build(const std::vector<std::uint64_t>& keys, std::size_t bits,
                                  std::vector<std::uint64_t>& own) {
  own.assign(bits / 64, 0);
  shift = 64 - static_cast<unsigned>(__builtin_ctzll(bits));
  for (std::uint64_t k : keys) {
    const std::uint64_t bit = k >> shift;
    own[bit >> 6] |= 1ull << (bit & 63);
  }
  words.of(own);
}

void TokenIndex::compact(Storage& st) {
  std::vector<BuildSlot> edges;
  for (const BuildSlot& slot : build_slots_) {
    if (slot.key != 0) edges.push_back(slot);
  }
  std::vector<BuildSlot>().swap(build_slots_);
  // Eight slots a cache line.
  auto lines_for = [](std::size_t slots) { return std::max<std::size_t>(16, (slots + 7) / 8 * 8); };
  std::size_t capacity = lines_for(2 * edges.size());
  std::vector<std::uint64_t> keys;
  // A larger table spreads the keys differently; after a few tries (a
  // shadowed key is already about a one in a billion event) keep whole keys.
  for (int attempt = 0;; ++attempt, capacity = lines_for(capacity + capacity / 8)) {
    st.slots.assign(capacity, Slot{});
    keys.assign(capacity, 0);
    for (const BuildSlot& e : edges) {
      std::uint64_t i = home(e.key, capacity);
      while (st.slots[i].check != 0) i = next(i, capacity);
      st.slots[i] = Slot{check_of(e.key), e.value << 3 | e.info};
      keys[i] = e.key;
    }
    bool shadowed = false;
    for (const BuildSlot& e : edges) {
      std::uint64_t i = home(e.key, capacity);
      while (st.slots[i].check != check_of(e.key)) i = next(i, capacity);
      shadowed |= keys[i] != e.key;
    }
    if (!shadowed) break;
    if (attempt == 3) {
      st.full_keys = std::move(keys);
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
};

}  // namespace

namespace {

// The arrays of a saved index, in their order in it.
enum Array { kSlots, kFullKeys, kBloom, kRootFilter, kPairFilter, kNodes, kPhrases, kPrefixes,
             kGroups, kArrays };
constexpr const char* kArrayNames[kArrays] = {"slots",       "whole keys", "filter",
                                              "root filter", "pair filter", "nodes",
                                              "phrases",     "prefixes",   "prefix groups"};
// literal count, check mask, three filter shifts; then each array's offset
// and count.
constexpr std::size_t kFixedBytes = 8 + 4 + 3 * 4;
constexpr std::size_t kFirstArray = kFixedBytes + kArrays * 16;
constexpr std::size_t align8(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

}  // namespace

// The file holds the arrays as they are in memory, each at a multiple of 8
// bytes from the start, after a directory of their offsets and counts, so
// that load() uses them where they lie. Little-endian only: so is every
// platform a compiled file is made for (store::platform), and the file
// names its platform.
static_assert(std::endian::native == std::endian::little);
void TokenIndex::save(std::string& out, const std::vector<std::uint32_t>* text_offset) const {
  static_assert(sizeof(Slot) == 8 && sizeof(Node) == 12 && sizeof(AtomRef) == 12 &&
                sizeof(Group) == 8);
  const std::size_t start = out.size();
  put64(out, literal_count_);
  put32(out, check_mask_);
  for (const BitFilter* f : {&bloom_, &root_filter_, &pair_filter_}) put32(out, f->shift);
  std::vector<AtomRef> refs[2] = {{phrase_atoms_.begin(), phrase_atoms_.end()},
                                  {prefix_atoms_.begin(), prefix_atoms_.end()}};
  if (text_offset != nullptr) {
    for (auto& v : refs) {
      for (AtomRef& a : v) a.offset = text_offset->at(a.id);
    }
  }
  const std::pair<const void*, std::size_t> arrays[kArrays] = {
      {slots_.data(), slots_.size() * sizeof(Slot)},
      {full_keys_.data(), full_keys_.size() * 8},
      {bloom_.words.data(), bloom_.words.size() * 8},
      {root_filter_.words.data(), root_filter_.words.size() * 8},
      {pair_filter_.words.data(), pair_filter_.words.size() * 8},
      {nodes_.data(), nodes_.size() * sizeof(Node)},
      {refs[0].data(), refs[0].size() * sizeof(AtomRef)},
      {refs[1].data(), refs[1].size() * sizeof(AtomRef)},
      {groups_.data(), groups_.size() * sizeof(Group)}};
  const std::size_t each[kArrays] = {sizeof(Slot), 8, 8, 8, 8, sizeof(Node), sizeof(AtomRef),
                                     sizeof(AtomRef), sizeof(Group)};
  std::size_t at = kFirstArray;
  for (int k = 0; k < kArrays; ++k) {
    put64(out, at);
    put64(out, arrays[k].second / each[k]);
    at = align8(at + arrays[k].second);
  }
  for (const auto& [data, size] : arrays) {
    out.append(align8(out.size() - start) - (out.size() - start), '\0');
    if (size != 0) out.append(static_cast<const char*>(data), size);
  }
}

bool TokenIndex::load(std::string_view bytes, std::span<const TextRef> literal_at,
                      std::string_view text, std::shared_ptr<const void> keep_alive,
                      std::string* why) {
  *this = TokenIndex();
  auto fail = [&](std::string reason) {
    if (why != nullptr) *why = std::move(reason);
    return false;
  };
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % 8 != 0) return fail("misaligned");
  In in{bytes};
  TokenIndex t;
  t.literal_count_ = in.u64();
  t.check_mask_ = in.u32();
  unsigned shifts[3];
  for (unsigned& sh : shifts) sh = in.u32();
  // Each array where save() puts it: the first after the directory, each
  // next at the first multiple of 8 past the one before, the last ending
  // the bytes. So no array is misaligned, overlaps another or lies outside.
  const char* where[kArrays];
  std::size_t counts[kArrays];
  const std::size_t each[kArrays] = {sizeof(Slot), 8, 8, 8, 8, sizeof(Node), sizeof(AtomRef),
                                     sizeof(AtomRef), sizeof(Group)};
  std::size_t next = kFirstArray;
  std::size_t end = kFirstArray;
  for (int k = 0; k < kArrays; ++k) {
    const std::uint64_t offset = in.u64();
    const std::uint64_t count = in.u64();
    if (!in.ok) return fail("truncated");
    const std::string name = kArrayNames[k];
    if (offset % 8 != 0) return fail("the " + name + " are misaligned");
    if (offset != next) return fail("the " + name + " are out of place");
    if (offset > bytes.size() || count > (bytes.size() - offset) / each[k]) {
      return fail("the " + name + " lie past its end");
    }
    where[k] = bytes.data() + offset;
    counts[k] = static_cast<std::size_t>(count);
    end = static_cast<std::size_t>(offset) + counts[k] * each[k];
    next = align8(end);
  }
  if (bytes.size() != end) return fail("it has bytes past its last table");
  auto view = [&](auto& v, int k) {
    using T = std::remove_cvref_t<decltype(v[0])>;
    v.p = reinterpret_cast<const T*>(where[k]);
    v.n = counts[k];
  };
  view(t.slots_, kSlots);
  view(t.full_keys_, kFullKeys);
  view(t.bloom_.words, kBloom);
  view(t.root_filter_.words, kRootFilter);
  view(t.pair_filter_.words, kPairFilter);
  view(t.nodes_, kNodes);
  view(t.phrase_atoms_, kPhrases);
  view(t.prefix_atoms_, kPrefixes);
  view(t.groups_, kGroups);

  // find() probes until an empty slot: a full table would never end (an
  // empty one is refused below). home() scales 32 bits.
  const std::size_t capacity = t.slots_.size();
  if (capacity == 0 || capacity > 0xFFFFFFFFu) return fail("its table is malformed");
  if (!t.full_keys_.empty() && t.full_keys_.size() != capacity) return fail("its keys are malformed");
  BitFilter* filters[3] = {&t.bloom_, &t.root_filter_, &t.pair_filter_};
  for (int i = 0; i < 3; ++i) {
    BitFilter& f = *filters[i];
    f.shift = shifts[i];
    // test() reads bit key >> shift: the filter must have 2^(64 - shift) bits.
    const std::size_t bits = f.words.size() * 64;
    if (f.shift < 7 || f.shift > 63 || bits != std::size_t{1} << (64 - f.shift)) {
      return fail("a filter's size is not the one its shift reads");
    }
  }
  if (t.nodes_.empty() || t.literal_count_ != t.phrase_atoms_.size() + t.prefix_atoms_.size()) {
    return fail("its counts disagree");
  }
  for (const Node& n : t.nodes_) {
    // Prefix heads are 1 to kHead bytes long.
    if (n.atoms_begin > n.atoms_end || n.atoms_end > t.phrase_atoms_.size() ||
        (n.prefix_heads & ~0x1FEu) != 0 || n.has_children > 1) {
      return fail("a node is malformed");
    }
  }
  for (const Group& g : t.groups_) {
    if (g.begin > g.end || g.end > t.prefix_atoms_.size()) return fail("a prefix group is malformed");
  }
  // A slot's value is a node (an edge, info() != 0) or a prefix group.
  std::size_t empty = 0;
  for (const Slot& sl : t.slots_) {
    if (sl.check == 0) {
      ++empty;
      continue;
    }
    if (sl.value() >= (sl.info() != 0 ? t.nodes_.size() : t.groups_.size())) {
      return fail("a slot names a node or group past its table");
    }
  }
  if (empty == 0) return fail("its table has no empty slot");
  // Each reference must name a literal and lie where it does: an id of no
  // token literal has no text, and is refused, not matched empty.
  for (const TextRef& l : literal_at) {
    if (l.offset > text.size() || l.size > text.size() - l.offset) {
      return fail("a literal lies outside its text");
    }
  }
  for (const View<AtomRef>* v : {&t.phrase_atoms_, &t.prefix_atoms_}) {
    for (const AtomRef& a : *v) {
      if (a.id >= literal_at.size() || literal_at[a.id].size == 0 ||
          a.offset != literal_at[a.id].offset || a.size != literal_at[a.id].size) {
        return fail("a literal reference is malformed");
      }
    }
  }
  t.text_.p = text.data();
  t.text_.n = text.size();
  t.storage_ = std::move(keep_alive);
  *this = std::move(t);
  return true;
}

std::size_t TokenIndex::size_bytes() const {
  return nodes_.size() * sizeof(Node) + slots_.size() * sizeof(Slot) +
         full_keys_.size() * sizeof(std::uint64_t) +
         (bloom_.words.size() + root_filter_.words.size() + pair_filter_.words.size()) *
             sizeof(std::uint64_t) +
         (phrase_atoms_.size() + prefix_atoms_.size()) * sizeof(AtomRef) +
         groups_.size() * sizeof(Group) + text_.size();
}

}  // namespace deter::match
