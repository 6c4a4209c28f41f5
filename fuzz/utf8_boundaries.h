// Character boundaries of a UTF-8 string, shared by the fuzzers that check
// spans against them.
#ifndef DETER_FUZZ_UTF8_BOUNDARIES_H_
#define DETER_FUZZ_UTF8_BOUNDARIES_H_

#include <string_view>
#include <vector>

#include "text/utf8.h"

// boundary[i] is true when a character starts at byte i (or i == size).
inline std::vector<bool> character_boundaries(std::string_view s) {
  std::vector<bool> boundary(s.size() + 1, false);
  for (std::size_t i = 0; i < s.size();) {
    boundary[i] = true;
    i += deter::text::decode_utf8(s, i).size;
  }
  boundary[s.size()] = true;
  return boundary;
}

#endif  // DETER_FUZZ_UTF8_BOUNDARIES_H_
