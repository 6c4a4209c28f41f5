// The entry words a query word broken in two or three by a separator is
// joined back to (the spaced view, docs/DESIGN.md §4): "forb.idden",
// "or chard", "लाल टेन".
//
// A query's adjacent tokens are joined only when the joined token is a word
// of some entry, and the match must still be whole words of the entry, so
// "or chard" alone stays two words unless an entry is "orchard" by itself.
#ifndef DETER_TEXT_ENTRY_WORDS_H_
#define DETER_TEXT_ENTRY_WORDS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace deter::text {

// The longest joined token looked up, in bytes: sixteen Indic code points,
// longer than any word of the lists, and a bound on the work per pair.
inline constexpr std::size_t kJoinMaxBytes = 48;

// Query tokens [token, token + count) that join into one entry word.
struct TokenJoin {
  std::uint32_t token;
  std::uint32_t count;
  friend bool operator==(const TokenJoin&, const TokenJoin&) = default;
};

class EntryWords {
 public:
  // Adds the words of `text` (base-form tokens separated by spaces).
  // `open_end`: its last word may go on (a prefix entry, "kebun
  // terlarang*"), so a query word that begins with it is one too.
  void add(std::string_view text, bool open_end = false);
  // Builds the tables from the words added; call once after the last add().
  void finish();
  bool empty() const { return words_.empty(); }
  std::size_t size() const { return words_.size(); }
  // Whether the token whose token_hash (text/tokens.h) is `hash` may begin
  // an entry word and be shorter than it: a Bloom filter over the words'
  // proper prefixes (on code point boundaries), one load, so that most
  // tokens cost no join at all. False positives only cost a lookup.
  bool maybe_prefix(std::uint64_t hash) const noexcept {
    if (prefixes_.empty()) return false;
    const std::uint64_t b = bits_of(hash);
    return (prefixes_[(hash >> 12) & mask_] & b) == b;
  }
  // Whether the token whose token_hash is `hash` is an entry word.
  bool has(std::uint64_t hash) const noexcept;
  // The same for the words that may go on, and their proper prefixes.
  bool maybe_stem_prefix(std::uint64_t hash) const noexcept {
    if (stem_prefixes_.empty()) return false;
    const std::uint64_t b = bits_of(hash);
    return (stem_prefixes_[(hash >> 12) & stem_mask_] & b) == b;
  }
  bool has_stem(std::uint64_t hash) const noexcept {
    return std::binary_search(stems_.begin(), stems_.end(), hash);
  }

 private:
  static std::uint64_t bits_of(std::uint64_t h) { return 1ull << (h & 63) | 1ull << (h >> 6 & 63); }
  static void fill_filter(std::vector<std::uint64_t>& hashes, std::vector<std::uint64_t>& filter,
                          std::uint64_t& mask);
  std::vector<std::uint64_t> words_;     // token_hash of each word, sorted, distinct
  std::vector<std::uint32_t> buckets_;   // where each bucket (by the top bits) begins
  unsigned bits_ = 1;
  std::vector<std::uint64_t> stems_;     // token_hash of the words that may go on, sorted
  std::vector<std::uint64_t> pending_stem_prefixes_;
  std::vector<std::uint64_t> stem_prefixes_;
  std::uint64_t stem_mask_ = 0;
  std::vector<std::uint64_t> pending_prefixes_;
  std::vector<std::uint64_t> prefixes_;  // two bits per prefix
  std::uint64_t mask_ = 0;
};

}  // namespace deter::text

#endif  // DETER_TEXT_ENTRY_WORDS_H_
