// Tokens of a scan text: where each begins, its length and its hash. The
// views write them as they write the text (or tokenize() finds them), and
// the token index walks them.
#ifndef DETER_TEXT_TOKENS_H_
#define DETER_TEXT_TOKENS_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace deter::text {

// The hash of a token's bytes. A token of up to 16 bytes is read as two
// words, its first eight bytes and the rest, zero-extended; a longer one
// as its first and last eight bytes with the ones between folded into the
// first. The two words are folded by a 64x64->128-bit multiply, the high
// half xored into the low, and the result folded again by a constant, so
// that its low bits (which pick a table slot) and its top bits (which pick
// a filter bit) both depend on every byte read, and the token index uses
// them as they are. Its quality only decides how often a probe is wasted;
// candidates are always confirmed. The views and tokenize() both call it
// (or token_hash_padded, which agrees), so their tokens agree.
inline std::uint64_t token_hash_fold(std::uint64_t x, std::uint64_t y) {
  const unsigned __int128 m = static_cast<unsigned __int128>(x) * y;
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}

inline std::uint64_t token_hash_words(std::uint64_t a, std::uint64_t b, std::size_t n) {
  const std::uint64_t h = token_hash_fold(a ^ 0x243F6A8885A308D3ull,
                                          b ^ (n * 0x9E3779B97F4A7C15ull) ^ 0x13198A2E03707344ull);
  return token_hash_fold(h, 0x9FB21C651E98DF25ull);
}

// The n (0-8) bytes at p as a little-endian word, read without reaching
// past them.
inline std::uint64_t token_word(const char* p, std::size_t n) {
  if (n >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    return x;
  }
  if (n >= 4) {
    std::uint32_t lo;
    std::uint32_t hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return lo | static_cast<std::uint64_t>(hi) << (8 * (n - 4));
  }
  if (n == 0) return 0;
  const auto byte = [p](std::size_t i) {
    return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i]));
  };
  return byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1));
}

inline std::uint64_t token_hash(const char* p, std::size_t n) {
  if (n <= 16) {
    return token_hash_words(token_word(p, n < 8 ? n : 8), n > 8 ? token_word(p + 8, n - 8) : 0, n);
  }
  std::uint64_t a;
  std::uint64_t b;
  std::memcpy(&a, p, 8);
  std::memcpy(&b, p + n - 8, 8);
  for (std::size_t i = 8; i + 8 < n; i += 8) {
    std::uint64_t c;
    std::memcpy(&c, p + i, 8);
    a = token_hash_fold(a ^ c, 0x9E3779B97F4A7C15ull);
  }
  return token_hash_words(a, b, n);
}

// For a token of n (0-16) bytes, the masks of its bytes in its two words.
struct TokenWordMasks {
  std::uint64_t first[17];
  std::uint64_t second[17];
};
constexpr TokenWordMasks make_token_word_masks() {
  TokenWordMasks m{};
  for (std::size_t n = 0; n <= 16; ++n) {
    const std::size_t a = n < 8 ? n : 8;
    const std::size_t b = n > 8 ? n - 8 : 0;
    m.first[n] = a == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * a)) - 1;
    m.second[n] = b == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * b)) - 1;
  }
  return m;
}
inline constexpr TokenWordMasks kTokenWordMasks = make_token_word_masks();

// token_hash of a token with 16 readable bytes from p, whatever those past
// it hold: two loads and two masks, with no branch on a length of up to 16
// bytes (token lengths are hard to predict).
inline std::uint64_t token_hash_padded(const char* p, std::size_t n) {
  if (n > 16) return token_hash(p, n);
  std::uint64_t a;
  std::uint64_t b;
  std::memcpy(&a, p, 8);
  std::memcpy(&b, p + 8, 8);
  return token_hash_words(a & kTokenWordMasks.first[n], b & kTokenWordMasks.second[n], n);
}

// A text broken into tokens, and each token's hash.
struct Token {
  std::uint32_t begin;
  std::uint32_t size;
  std::uint64_t hash;
};

// The tokens of `text` (separated by ' ' and '\n'), hashed, in a buffer
// the calling thread reuses until its next call.
struct Tokens {
  Token* data;
  std::size_t size;
  Token& operator[](std::size_t i) const { return data[i]; }
};
Tokens tokenize(std::string_view text);

// Appends the tokens of `text` to `out`, each `offset` bytes further on.
void append_tokens(std::string_view text, std::uint32_t offset, std::vector<Token>& out);

}  // namespace deter::text

#endif  // DETER_TEXT_TOKENS_H_
