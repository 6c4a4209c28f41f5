#include "match/token_index.h"

#include <algorithm>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The calling thread's token buffer, grown as needed and never shrunk.
struct TokenBuffer {
  std::unique_ptr<Token[]> tokens;
  std::size_t capacity = 0;
  std::unique_ptr<std::uint64_t[]> bits;  // separator bitmap
  std::size_t bit_words = 0;
};

// Bit i of `bits` is set when text[i] separates tokens (' ' or '\n'); the
// bits past the end are set too.
void separator_bits(const char* p, std::size_t n, std::uint64_t* bits, std::size_t words) {
  for (std::size_t w = 0; w < words; ++w) bits[w] = 0;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i newline = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i sep = _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, newline));
    bits[i / 64] |= static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(sep)))
                    << (i % 64);
  }
#endif
  for (; i < n; ++i) {
    bits[i / 64] |= static_cast<std::uint64_t>(p[i] == ' ' || p[i] == '\n') << (i % 64);
  }
  bits[n / 64] |= ~std::uint64_t{0} << (n % 64);
  for (std::size_t w = n / 64 + 1; w < words; ++w) bits[w] = ~std::uint64_t{0};
}

}  // namespace

Tokens tokenize(std::string_view text) {
  static thread_local TokenBuffer buf;
  const char* p = text.data();
  const std::size_t n = text.size();
  const std::size_t words = n / 64 + 1;
  if (words > buf.bit_words) {
    buf.bits.reset(new std::uint64_t[words]);
    buf.bit_words = words;
  }
  const std::size_t most = n / 2 + 1;  // tokens are separated
  if (most > buf.capacity) {
    buf.tokens.reset(new Token[most]);
    buf.capacity = most;
  }
  separator_bits(p, n, buf.bits.get(), words);
  Token* out = buf.tokens.get();
  std::size_t count = 0;
  // Tokens begin and end where the separator bit changes; position -1
  // counts as a separator.
  std::uint64_t carry = 1;
  std::size_t start = 0;
  bool in_token = false;
  for (std::size_t w = 0; w < words; ++w) {
    const std::uint64_t sep = buf.bits[w];
    std::uint64_t edges = sep ^ ((sep << 1) | carry);
    carry = sep >> 63;
    while (edges != 0) {
      const std::size_t pos = w * 64 + static_cast<std::size_t>(__builtin_ctzll(edges));
      edges &= edges - 1;
      if (!in_token) {
        start = pos;
      } else {
        out[count++] = Token{static_cast<std::uint32_t>(start),
                             static_cast<std::uint32_t>(pos - start),
                             token_hash(p + start, pos - start), 0};
      }
      in_token = !in_token;
    }
  }
  return Tokens{out, count};
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
