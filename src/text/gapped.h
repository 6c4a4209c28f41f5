// A set of 64-bit hashes as a sorted array with gaps: each hash at the
// first free slot from its home (its top bits), every gap holding the
// largest value. A lookup reads from the home to the first slot not below
// the hash, which is one cache line most often, where a sorted array and
// a table of its buckets are two (the fuzzy view's dictionary, and each
// fuzzy index's words: text/fuzzy.h).
#ifndef DETER_TEXT_GAPPED_H_
#define DETER_TEXT_GAPPED_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace deter::text {

// What a gap holds: no hash in a set may be this value (gapped_slots
// leaves it out and says so).
inline constexpr std::uint64_t kGapSlot = ~std::uint64_t{0};

// The slots for `sorted` (ascending), at most `eighths` eighths full (five:
// a lookup scans under one slot past its home on average), and one slot more
// at the end, which stops every scan. `shift` is what a hash is shifted
// right by for its home. Values out of order or repeated (a forged file's)
// make a table that answers wrongly, never one read out of bounds: at most
// 2^bits + sorted.size() + 1 slots. Returns whether `sorted` held kGapSlot.
// `longest`, when given, is told the longest run of filled slots: a
// lookup scans no more than that. Hashes are uniform for words nobody
// chose, but a list can be made of words whose hashes share their top
// bits, and a caller then searches another way (kGappedLongestRun).
bool gapped_slots(std::span<const std::uint64_t> sorted, std::vector<std::uint64_t>& slots,
                  unsigned& shift, std::size_t* longest = nullptr, unsigned eighths = 5);
// The longest run a table of hashes from untrusted words is read by.
inline constexpr std::size_t kGappedLongestRun = 64;

// Whether `hash` is in the set gapped_slots made (kGapSlot never is).
inline bool gapped_contains(const std::uint64_t* slots, unsigned shift, std::uint64_t hash) {
  if (hash == kGapSlot) return false;
  const std::uint64_t* p = slots + (hash >> shift);
  while (*p < hash) ++p;
  return *p == hash;
}

// How many words past `p` the first 64-byte boundary is: where a filter
// kept in lines of eight words (FuzzyIndex::LineFilter, EntryWords) has
// its first line, in an array allocated eight words longer.
inline std::size_t first_line_word(const std::uint64_t* p) {
  return (8 - reinterpret_cast<std::uintptr_t>(p) / 8 % 8) % 8;
}

}  // namespace deter::text

#endif  // DETER_TEXT_GAPPED_H_
