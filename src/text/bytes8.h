// Eight bytes at a time in a 64-bit word (little-endian: byte i of the text
// is bits 8i to 8i+7). Each test sets the high bit of every byte that
// passes it and clears every other bit. One copy for the normalizer's ASCII
// runs and the loaders' checks of short strings, where a loop a byte costs
// more than the bytes.
#ifndef DETER_TEXT_BYTES8_H_
#define DETER_TEXT_BYTES8_H_

#include <cstdint>

namespace deter::text::bytes8 {

inline constexpr std::uint64_t kEveryByte = 0x0101010101010101ull;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

// The bytes at least `v` (1-128), in a word whose bytes are all below 0x80
// (ASCII), where no byte carries into the next.
constexpr std::uint64_t bytes_at_least(std::uint64_t x, unsigned v) {
  return (x + kEveryByte * (0x80 - v)) & kHighBits;
}
// The bytes from `lo` to `hi`, in an ASCII word (as bytes_at_least).
constexpr std::uint64_t bytes_between(std::uint64_t x, unsigned lo, unsigned hi) {
  return bytes_at_least(x, lo) & ~bytes_at_least(x, hi + 1);
}
// The bytes equal to `c`, exactly, whatever the others are: a byte is zero
// after the xor when neither its own high bit nor adding 0x7F to its low
// seven bits sets bit 7 (that add never carries out of the byte).
constexpr std::uint64_t bytes_equal(std::uint64_t x, unsigned char c) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  const std::uint64_t y = x ^ (kEveryByte * c);
  return ~(((y & kLow7) + kLow7) | y | kLow7);
}

}  // namespace deter::text::bytes8

#endif  // DETER_TEXT_BYTES8_H_
