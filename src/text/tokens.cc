#include "text/tokens.h"

#include <algorithm>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace deter::text {

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
        out[count++] =
            Token{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos - start),
                  token_hash(p + start, pos - start)};
      }
      in_token = !in_token;
    }
  }
  return Tokens{out, count};
}

void append_tokens(std::string_view text, std::uint32_t offset, std::vector<Token>& out) {
  const Tokens toks = tokenize(text);
  for (std::size_t i = 0; i < toks.size; ++i) {
    Token t = toks[i];
    t.begin += offset;
    out.push_back(t);
  }
}

}  // namespace deter::text
