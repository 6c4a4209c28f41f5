// The matcher for literals aligned on token boundaries: phrases
// (" w1 w2 ", whole tokens) and prefixes (" w1 w2", the last word a prefix
// of a token). These are nearly every literal a list compiles to, and they
// do not need a byte-level automaton: the scan text is a run of tokens
// separated by single spaces, so an occurrence can only start at a token.
// A trie over tokens, its edges in one hash table keyed by (node, hash of
// the token), is walked from each token of the text that passes a small
// root filter (a bit set of the root's words and prefix heads, in L1/L2);
// a Bloom-style bit set in front of the table answers most later misses.
// A root word's walk starts only if a pair filter (of each literal's first
// two words) admits it with the token after it.
//
// It reports exactly the occurrences a byte-level literal search would: a
// walk follows the hashes of the text's tokens, so it cannot miss one, and
// every candidate is confirmed by comparing the literal's bytes with the
// text, so a hash collision cannot invent one.
#ifndef DETER_MATCH_TOKEN_INDEX_H_
#define DETER_MATCH_TOKEN_INDEX_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/tokens.h"

namespace deter::match {

using text::Token;
using text::token_hash;
using text::tokenize;
using text::Tokens;

// Whether TokenIndex can match `literal`: it starts with the padding space,
// and its words are non-empty and separated by single spaces, with no
// newline (the scan text's section separator). Others go to Hyperscan.
bool is_token_literal(std::string_view literal);

class TokenIndex {
 public:
  struct Literal {
    std::string_view text;  // is_token_literal(text) holds
    unsigned id;
  };
  // Where a literal lies in the text a loaded index confirms against; size
  // 0 for an id that is no literal of the index.
  struct TextRef {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  // `check_bits` (1-31) is how much of each key a slot keeps; fewer make
  // shadowed keys likely, which tests use to exercise the fallback.
  // `pair_bits` (a power of two, at least 64) sizes the pair filter; 0
  // sizes it by the literals, and tests pass a few so that pairs collide.
  void build(const std::vector<Literal>& literals, unsigned check_bits = 31,
             std::size_t pair_bits = 0);
  bool keeps_whole_keys() const { return !full_keys_.empty(); }
  // The finished index but for its text, appended to `out`, in the form
  // load() uses where it lies (a compiled file stores it, so that loading
  // neither builds nor copies it; the text is the literals' own, which the
  // file holds already). `out` must end at a multiple of 8 bytes from where
  // its reader's bytes begin. A literal's text lies at `text_offset[id]` of
  // the text load() is given, or, without `text_offset`, where build() put
  // it: the literals concatenated in the order build() was given them.
  void save(std::string& out, const std::vector<std::uint32_t>* text_offset = nullptr) const;
  // Uses what save() wrote where it lies: `bytes` (8-byte aligned) and
  // `text` must outlive the index, which holds `keep_alive` for that. False,
  // the index left empty and `why` told, if any array is misaligned, out
  // of bounds or overlaps, or any size, index or offset is out of bounds, or
  // a literal reference is not where `literal_at` puts its id: a forged
  // index can then make scan() report wrong ids of `literal_at` (the loader
  // samples its literals to catch that), never read outside its arrays or
  // loop forever. `literal_at[id]` is where the literal it was built from
  // with that id lies in `text` (size 0: none has it); the ids are below
  // its size. A table by id, not a list of literals: at 100k entries the
  // list was 11.6 MB of fresh pages on every open.
  bool load(std::string_view bytes, std::span<const TextRef> literal_at, std::string_view text,
            std::shared_ptr<const void> keep_alive, std::string* why = nullptr);
  bool empty() const { return literal_count_ == 0; }
  // Calls f(id, text) for every literal the index holds (built or loaded),
  // in no particular order: a compiled file is written from these, not
  // from literals made again.
  template <class F>
  void for_each_literal(F&& f) const {
    for (const View<AtomRef>* v : {&phrase_atoms_, &prefix_atoms_}) {
      for (const AtomRef& a : *v) f(a.id, std::string_view(text_.data() + a.offset, a.size));
    }
  }
  std::size_t literal_count() const { return literal_count_; }
  std::size_t size_bytes() const;
  std::size_t slot_count() const { return slots_.size(); }

  // Calls on_hit(id, from, to) for every occurrence of a literal in `text`
  // ([from, to) are its bytes); stops when on_hit returns false.
  template <class OnHit>
  void scan(std::string_view text, OnHit&& on_hit) const {
    const Tokens toks = tokenize(text);
    scan(text, toks.data, toks.size, on_hit);
  }
  // The same, on the tokens of `text` already found.
  template <class OnHit>
  void scan(std::string_view text, const Token* toks, std::size_t n, OnHit&& on_hit) const;

 private:
  // An array the index reads: its own (built) or a compiled file's,
  // where it lies (loaded); the bytes are kept alive by storage_.
  template <class T>
  struct View {
    const T* p = nullptr;
    std::size_t n = 0;
    const T& operator[](std::size_t i) const { return p[i]; }
    const T* data() const { return p; }
    std::size_t size() const { return n; }
    bool empty() const { return n == 0; }
    const T* begin() const { return p; }
    const T* end() const { return p + n; }
    void of(const std::vector<T>& v) { p = v.data(), n = v.size(); }
  };
  // Stored as it is in memory (load() uses it in place): no bool, no
  // implicit padding.
  struct Node {
    std::uint32_t atoms_begin = 0;  // phrase literals ending at this node
    std::uint32_t atoms_end = 0;
    // Prefix words are grouped by their head, their first kHead bytes (or
    // all of them, if shorter); bit L: a group with an L-byte head.
    std::uint16_t prefix_heads = 0;
    std::uint8_t has_children = 0;  // 0 or 1
    std::uint8_t unused = 0;
  };
  // What a walk needs to know of a node, kept in the slot of the edge to
  // it so that most steps touch one cache line.
  static constexpr std::size_t kHead = 8;
  static constexpr std::uint32_t kHasChildren = 1, kHasAtoms = 2, kHasPrefixes = 4;
  // While building: an edge under its whole key.
  struct BuildSlot {
    std::uint64_t key = 0;    // 0: empty
    std::uint32_t value = 0;  // the child node, or the prefix group
    std::uint32_t info = 0;   // the child's kHas* bits
  };
  // Once built: eight bytes, so that the table is half the size. A slot
  // holds 31 bits of its key (the rest picked the slot); build() makes sure
  // that no key present is shadowed by an earlier slot of its probe
  // sequence with the same bits, so a key present is always found as
  // itself. A key absent may be taken for another, which at worst starts a
  // walk that the byte comparison then rejects; but never for a key of the
  // other kind: a prefix group's slot has info() 0, and an edge's never
  // does (every node below the root has children, literals or prefixes).
  struct Slot {
    std::uint32_t check = 0;  // 0: empty
    std::uint32_t packed = 0;
    std::uint32_t value() const { return packed >> 3; }
    std::uint32_t info() const { return packed & 7u; }
  };
  std::uint32_t check_of(std::uint64_t key) const {
    return (static_cast<std::uint32_t>(key >> 32) & check_mask_) | 1u;
  }
  struct Group {  // the literals of one prefix edge
    std::uint32_t begin;
    std::uint32_t end;
  };
  struct AtomRef {
    std::uint32_t id;
    std::uint32_t offset;  // of the literal in text_
    std::uint32_t size;
  };

  // The key of the edge from `node` by a token (or a prefix word) hashing
  // to `hash`: never 0, which marks an empty slot. token_hash is already
  // mixed, so the node is folded in with a multiply and nothing more; the
  // root's edges are keyed by the bare token hash.
  static std::uint64_t key(std::uint64_t hash, std::uint32_t node, bool prefix) {
    const std::uint64_t x =
        hash ^ (node * 0x9E3779B97F4A7C15ull) ^ (prefix ? 0xD6E8FEB86659FD93ull : 0);
    return x == 0 ? 1 : x;
  }
  // Where the probe for `key` starts in a table of `n` slots: the key's low
  // 32 bits scaled to [0, n), so that the table need not be a power of two
  // (sized to its edges it is half full, where the next power of two left
  // list-100000's a quarter full). The high bits are the check's, so keys
  // that share a start still differ there.
  static std::uint64_t home(std::uint64_t k, std::uint64_t n) {
    return (k & 0xFFFFFFFFu) * n >> 32;
  }
  static std::uint64_t next(std::uint64_t i, std::uint64_t n) { return i + 1 == n ? 0 : i + 1; }
  // The slot holding `key`, or null (see Slot).
  const Slot* find(std::uint64_t k) const {
    const std::uint32_t c = check_of(k);
    const std::uint64_t n = slots_.size();
    for (std::uint64_t i = home(k, n);; i = next(i, n)) {
      const Slot& s = slots_[i];
      if (s.check == c && (full_keys_.empty() || full_keys_[i] == k)) return &s;
      if (s.check == 0) return nullptr;
    }
  }
  // A bit set indexed by the top bits of a key: each of the index's three
  // filters answers "maybe present" or "absent" from one load.
  struct BitFilter {
    View<std::uint64_t> words;
    unsigned shift = 63;
    // Sets the bit of every key, in `bits` bits (a power of two), in `own`.
    void build(const std::vector<std::uint64_t>& keys, std::size_t bits,
               std::vector<std::uint64_t>& own);
    bool test(std::uint64_t key) const {
      const std::uint64_t bit = key >> shift;
      return (words[bit >> 6] >> (bit & 63)) & 1u;
    }
  };
  // The smallest power of two of at least 4096 bits and `per_key` bits per
  // key, or `max_bits` if that is smaller.
  static std::size_t filter_bits(std::size_t keys, std::size_t per_key, std::size_t max_bits);
  bool maybe(std::uint64_t key) const { return bloom_.test(key); }
  // The root filter: one bit set, small enough for L1/L2, of the root's
  // edges (by the top bits of the token hash) and of its prefix heads (by
  // head_hash). A token that passes neither test starts no walk.
  bool at_root(std::uint64_t h) const { return root_filter_.test(h); }
  // The pair filter: a bit set of what the walk from a root word needs of
  // the next token, by the top bits of pair_key(): for each literal of two
  // or more words, the hash of its second word if that is whole, else (a
  // prefix) its first byte; for each one-word phrase, kPairAtoms, as it
  // needs no next token. A walk from token i that reports anything reports
  // one of these (its bytes are confirmed against the text), so a root word
  // whose keys are all absent starts no walk.
  static constexpr std::uint64_t kPairAtoms = 0x6A09E667F3BCC909ull;
  static std::uint64_t pair_key(std::uint64_t first, std::uint64_t second) {
    return first * 0xC2B2AE3D27D4EB4Full ^ second;
  }
  static std::uint64_t pair_byte(char c) {
    return (static_cast<std::uint64_t>(static_cast<unsigned char>(c)) + 1) * 0x94D049BB133111EBull;
  }
  bool at_pair(std::uint64_t k) const { return pair_filter_.test(k); }
  // Whether the walk from token i, a root word, may report anything.
  bool may_walk(const char* s, const Token* toks, std::size_t n, std::size_t i) const {
    const Token& t = toks[i];
    const std::uint64_t h = pair_key(t.hash, 0);  // pair_key(t.hash, x) is h ^ x
    if (at_pair(h ^ kPairAtoms)) return true;
    // Else it needs a next word, after exactly one space.
    if (i + 1 == n) return false;
    const Token& u = toks[i + 1];
    const std::size_t after = static_cast<std::size_t>(t.begin) + t.size;
    if (u.begin != after + 1 || s[after] != ' ') return false;
    return at_pair(h ^ u.hash) || at_pair(h ^ pair_byte(s[u.begin]));
  }
  // The first min(n, 8) bytes of a token of `n` bytes, read without
  // reaching past it, in the low bytes of the result.
  static std::uint64_t first8(const char* p, std::size_t n) {
    return text::token_word(p, n < 8 ? n : 8);
  }
  // The filter's hash of a head of `len` (1-8) bytes, given first8().
  static std::uint64_t head_hash(std::uint64_t first, unsigned len) {
    const std::uint64_t bytes = len == 8 ? first : first & ((std::uint64_t{1} << (8 * len)) - 1);
    return (bytes ^ len) * 0x9FB21C651E98DF25ull;
  }
  // Walks from token i, the root's edge by it if `word`, its root prefix
  // heads if `heads`; false when on_hit asked to stop. Inlined into the
  // loop over candidates: a call per walk costs a tenth of the scan.
  template <class OnHit>
  [[gnu::always_inline]] bool walk(std::string_view text, const Token* toks, std::size_t n,
                                   std::size_t i, bool word, bool heads, OnHit& on_hit) const;
  std::uint32_t insert(std::uint64_t key, std::uint32_t value_if_new, bool& inserted);
  std::size_t slot_of(std::uint64_t key) const;  // of a key that is present
  // What build() makes; a loaded index's arrays are the file's instead.
  struct Storage {
    std::vector<Node> nodes;
    std::vector<Slot> slots;
    std::vector<std::uint64_t> full_keys;
    std::vector<std::uint64_t> filters[3];
    std::vector<AtomRef> atoms[2];  // phrase, prefix
    std::vector<Group> groups;
    std::string text;
  };
  // Moves the edges of build_slots_ into st.slots, at most half full: a
  // whole number of cache lines, not a power of two (see home()).
  void compact(Storage& st);

  // Whether the `n` bytes at `a` and `b` are equal: inline, with loads
  // that overlap rather than reach past either end (literals are short).
  static bool same(const char* a, const char* b, std::size_t n) {
    auto load8 = [](const char* p) {
      std::uint64_t x;
      std::memcpy(&x, p, 8);
      return x;
    };
    if (n >= 8) {
      for (std::size_t i = 0; i + 8 < n; i += 8) {
        if (load8(a + i) != load8(b + i)) return false;
      }
      return load8(a + n - 8) == load8(b + n - 8);
    }
    if (n >= 4) {
      std::uint32_t x[2];
      std::uint32_t y[2];
      std::memcpy(&x[0], a, 4);
      std::memcpy(&x[1], a + n - 4, 4);
      std::memcpy(&y[0], b, 4);
      std::memcpy(&y[1], b + n - 4, 4);
      return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
    }
    return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
  }
  // Reports the literals of [b, e) that occur at `from` and end in
  // [from + lo, from + hi]; false to stop. The walk step that looks them
  // up knows where they must end, so a literal found at another step, or
  // by another head length, through a collision of keys, is passed over
  // rather than reported twice.
  template <class OnHit>
  bool report(std::string_view text, std::size_t from, const AtomRef* b, const AtomRef* e,
              std::size_t lo, std::size_t hi, OnHit& on_hit) const;

  // The Storage of a built index, or whatever holds a loaded one's bytes.
  std::shared_ptr<const void> storage_;
  View<Node> nodes_;
  std::vector<BuildSlot> build_slots_;
  std::uint64_t build_mask_ = 0;
  View<Slot> slots_;  // fewer than 2^32, one empty at least
  std::uint32_t check_mask_ = 0xFFFFFFFFu;
  // Whole keys by slot, kept only in the unlikely case that 31 bits could
  // not tell the keys present apart.
  View<std::uint64_t> full_keys_;
  BitFilter bloom_;
  BitFilter root_filter_;
  BitFilter pair_filter_;
  View<AtomRef> phrase_atoms_;
  View<AtomRef> prefix_atoms_;
  View<Group> groups_;
  View<char> text_;  // every literal, for confirming candidates
  std::size_t literal_count_ = 0;
};

template <class OnHit>
bool TokenIndex::report(std::string_view text, std::size_t from, const AtomRef* b, const AtomRef* e,
                        std::size_t lo, std::size_t hi, OnHit& on_hit) const {
  for (; b != e; ++b) {
    if (b->size < lo || b->size > hi || from + b->size > text.size()) continue;
    // A caller with enough of an atom (on_hit.skip, policy/scan.h) spares
    // the compare: a list of nested phrases meets a repeated query at every
    // token, with literals kilobytes long.
    if constexpr (requires { on_hit.skip(b->id); }) {
      if (on_hit.skip(b->id)) continue;
    }
    if (!same(text.data() + from, text_.data() + b->offset, b->size)) continue;
    if (!on_hit(b->id, from, from + b->size)) return false;
  }
  return true;
}

template <class OnHit>
void TokenIndex::scan(std::string_view text, const Token* toks, std::size_t n,
                      OnHit&& on_hit) const {
  if (literal_count_ == 0) return;
  const char* s = text.data();
  const std::uint64_t root_heads = nodes_[0].prefix_heads;  // bits 1-8
  const std::size_t shortest_head =
      root_heads != 0 ? static_cast<std::size_t>(__builtin_ctzll(root_heads)) : ~std::size_t{0};
  // Sixty-four tokens at a time: first the root filter, which sets bit i of
  // `words` or `heads` when token i may start a walk (and fetches the
  // cache line of its root edge ahead, so that the misses overlap); then a
  // walk from each candidate, in order.
  for (std::size_t base = 0; base < n; base += 64) {
    const std::size_t m = n - base < 64 ? n - base : 64;
    const Token* chunk = toks + base;
    // The root filter first, for every token with no branch on its bits,
    // so that its loads overlap rather than each wait on the branch
    // before it: the token's own hash, and the hash of each root prefix
    // head length (all of them, those longer than the token too and then
    // ignored, so that the loop has the same trip count for every token).
    std::uint64_t roots = 0;
    std::uint64_t heads = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const Token& t = chunk[i];
      roots |= static_cast<std::uint64_t>(at_root(t.hash)) << i;
      if (t.size >= shortest_head) {
        const std::uint64_t first = first8(s + t.begin, t.size);
        std::uint64_t hit = 0;
        for (std::uint64_t bits = root_heads; bits != 0; bits &= bits - 1) {
          const auto len = static_cast<unsigned>(__builtin_ctzll(bits));
          hit |= at_root(head_hash(first, len)) & static_cast<std::uint64_t>(len <= t.size);
        }
        heads |= hit << i;
      }
    }
    std::uint64_t words = 0;
    for (; roots != 0; roots &= roots - 1) {
      const auto i = static_cast<unsigned>(__builtin_ctzll(roots));
      if (may_walk(s, toks, n, base + i)) {
        words |= std::uint64_t{1} << i;
        __builtin_prefetch(&slots_[home(key(chunk[i].hash, 0, false), slots_.size())]);
      }
    }
    if (base == 0 && toks[0].begin == 0) {  // a literal starts with a space
      words &= ~std::uint64_t{1};
      heads &= ~std::uint64_t{1};
    }
    for (std::uint64_t c = words | heads; c != 0; c &= c - 1) {
      const auto b = static_cast<unsigned>(__builtin_ctzll(c));
      if (!walk(text, toks, n, base + b, (words >> b) & 1u, (heads >> b) & 1u, on_hit)) return;
    }
  }
}

template <class OnHit>
inline bool TokenIndex::walk(std::string_view text, const Token* toks, std::size_t n, std::size_t i,
                             bool word, bool heads, OnHit& on_hit) const {
  const std::size_t from = toks[i].begin - 1;
  std::uint32_t node = 0;
  std::uint32_t info = (word ? kHasChildren : 0) | (heads ? kHasPrefixes : 0);
  for (std::size_t j = i;; ++j) {
    const Token& t = toks[j];
    if (info & kHasPrefixes) {
      const Node& nd = nodes_[node];
      const char* p = text.data() + t.begin;
      for (std::uint64_t bits = nd.prefix_heads; bits != 0; bits &= bits - 1) {
        const auto len = static_cast<unsigned>(__builtin_ctzll(bits));
        if (len > t.size) break;
        const std::uint64_t k = key(token_hash(p, len), node, true);
        if (!maybe(k)) continue;
        const Slot* g = find(k);
        if (g == nullptr || g->info() != 0) continue;  // absent, or an edge
        // The literal's last word is the head, or longer if the head is
        // whole (kHead bytes), and lies within this token.
        const Group& grp = groups_[g->value()];
        const std::size_t at = t.begin - from;
        if (!report(text, from, prefix_atoms_.data() + grp.begin, prefix_atoms_.data() + grp.end,
                    at + len, at + (len == kHead ? t.size : len), on_hit)) {
          return false;
        }
      }
    }
    if (!(info & kHasChildren)) break;
    const std::uint64_t k = key(t.hash, node, false);
    // The root filter has already tested the top bits of a root key.
    if (node != 0 && !maybe(k)) break;
    const Slot* child = find(k);
    if (child == nullptr || child->info() == 0) break;  // absent, or a prefix group
    node = child->value();
    info = child->info();
    if (info & kHasAtoms) {
      const Node& c = nodes_[node];
      const std::size_t size = t.begin + t.size + 1 - from;  // with the space after
      if (!report(text, from, phrase_atoms_.data() + c.atoms_begin,
                  phrase_atoms_.data() + c.atoms_end, size, size, on_hit)) {
        return false;
      }
    }
    // The next word must follow after exactly one space.
    if (j + 1 == n) break;
    const std::size_t after = static_cast<std::size_t>(t.begin) + t.size;
    if (toks[j + 1].begin != after + 1 || text[after] != ' ') break;
  }
  return true;
}

}  // namespace deter::match

#endif  // DETER_MATCH_TOKEN_INDEX_H_
