// The one way deter writes a digest: a 128-bit hash as 32 lowercase hex
// digits, high word first (content_hash, pattern digests, cache file names).
#ifndef DETER_HEX_H_
#define DETER_HEX_H_

#include <cstdint>
#include <string>

namespace deter {

inline std::string hex128(std::uint64_t high, std::uint64_t low) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = kDigits[(high >> (4 * i)) & 0xF];
    out[31 - i] = kDigits[(low >> (4 * i)) & 0xF];
  }
  return out;
}

}  // namespace deter

#endif  // DETER_HEX_H_
