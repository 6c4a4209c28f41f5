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

// The hash of a token's bytes: its first and last eight bytes (and the
// ones between, for longer tokens) folded by a 64x64->128-bit multiply,
// the high half xored into the low, and the result folded again by a
// constant, so that its low bits (which pick a table slot) and its top
// bits (which pick a filter bit) both depend on every byte read, and the
// token index uses them as they are. Its quality
// only decides how often a probe is wasted; candidates are always
// confirmed. The views and tokenize() both call it, so their tokens agree.
inline std::uint64_t token_hash_fold(std::uint64_t x, std::uint64_t y) {
  const unsigned __int128 m = static_cast<unsigned __int128>(x) * y;
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}

inline std::uint64_t token_hash(const char* p, std::size_t n) {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (n >= 8) {
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
    for (std::size_t i = 8; i + 8 < n; i += 8) {
      std::uint64_t c;
      std::memcpy(&c, p + i, 8);
      a = token_hash_fold(a ^ c, 0x9E3779B97F4A7C15ull);
    }
  } else if (n >= 4) {
    std::uint32_t x;
    std::uint32_t y;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, p + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  }
  const std::uint64_t h = token_hash_fold(a ^ 0x243F6A8885A308D3ull,
                                          b ^ (n * 0x9E3779B97F4A7C15ull) ^ 0x13198A2E03707344ull);
  return token_hash_fold(h, 0x9FB21C651E98DF25ull);
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
