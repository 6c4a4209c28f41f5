#include "text/gapped.h"

#include <algorithm>
#include <cstddef>

namespace deter::text {

bool gapped_slots(std::span<const std::uint64_t> sorted, std::vector<std::uint64_t>& slots,
                  unsigned& shift, std::size_t* longest, unsigned eighths) {
  unsigned bits = 4;
  while ((std::size_t{1} << bits) * eighths < sorted.size() * 8 && bits < 40) ++bits;
  shift = 64 - bits;
  slots.assign(std::size_t{1} << bits, kGapSlot);
  bool gap_value = false;
  std::size_t next = 0;  // the first slot after the last placed
  for (const std::uint64_t h : sorted) {
    if (h == kGapSlot) {
      gap_value = true;
      continue;
    }
    const std::size_t at = std::max<std::size_t>(h >> shift, next);
    if (at >= slots.size()) slots.resize(at + 1, kGapSlot);
    slots[at] = h;
    next = at + 1;
  }
  slots.push_back(kGapSlot);  // past the last home: every scan ends
  if (longest != nullptr) {
    std::size_t run = 0;
    *longest = 0;
    for (const std::uint64_t v : slots) {
      run = v == kGapSlot ? 0 : run + 1;
      *longest = std::max(*longest, run);
    }
  }
  return gap_value;
}

}  // namespace deter::text
