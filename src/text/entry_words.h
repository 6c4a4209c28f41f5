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
#include <string>
#include <string_view>
#include <vector>

#include "text/tokens.h"

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
  // The finished tables, appended to `out` (a compiled file stores them, so
  // that loading does not build them again).
  void save(std::string& out) const;
  // Reads what save() wrote: false, and the tables left empty, if any size
  // or bucket is out of bounds. A forged table can make has() or maybe()
  // answer wrongly, never read outside its arrays.
  bool load(std::string_view bytes);
  // Whether every word and open-ended word of `part` is one of these too.
  bool contains(const EntryWords& part) const;

  // The key of two pieces by their token_hash values (text/tokens.h), and
  // of three: piece_key(piece_key(a, b), c).
  static std::uint64_t piece_key(std::uint64_t a, std::uint64_t b) {
    return token_hash_fold(a ^ 0x452821E638D01377ull, b ^ 0xBE5466CF34E90C6Cull);
  }
  // The key of a piece that begins an open-ended word, the length in bytes
  // of the rest of that word and its first character (lead_of). With the
  // length alone, a common word that begins many others ("का", "কা")
  // passed the filter for most tokens after it, each pass a copy, a hash
  // and a search (a quarter of the pairs of a Hindi query).
  static std::uint64_t stem_key(std::uint64_t a, std::size_t rest, std::uint32_t lead) {
    return piece_key(a, (rest ^ 0xC0AC29B7C97C50DDull) ^ (std::uint64_t{lead} << 32));
  }
  // The bytes of the UTF-8 character at p (valid UTF-8) as one number.
  static std::uint32_t lead_of(const char* p) {
    const auto b0 = static_cast<unsigned char>(p[0]);
    const std::size_t n = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(p[i]);
    return v;
  }
  // Whether `key` may be that of pieces that join into an entry word (or
  // begin an open-ended one): a Bloom filter over every split of every
  // word into two or three pieces on code point boundaries, so that a pair
  // of query tokens costs one multiply and one load by the hashes the views
  // recorded, and only a pair that passes (about 1 in 70 of those that
  // join into nothing) is concatenated and looked up.
  bool maybe(std::uint64_t key) const noexcept {
    const std::uint64_t b = bits_of(key);
    return (pieces_[(key >> 12) & mask_] & b) == b;
  }
  // Whether the token with that hash may begin an open-ended word.
  bool maybe_stem(std::uint64_t hash) const noexcept {
    return !stems_.empty() && maybe(piece_key(hash, 0));
  }
  // Whether the token whose token_hash is `hash` is an entry word.
  bool has(std::uint64_t hash) const noexcept;
  // The same for the words that may go on.
  bool has_stem(std::uint64_t hash) const noexcept {
    return std::binary_search(stems_.begin(), stems_.end(), hash);
  }

 private:
  static std::uint64_t bits_of(std::uint64_t h) { return 1ull << (h & 63) | 1ull << (h >> 6 & 63); }
  std::vector<std::uint64_t> words_;     // token_hash of each word, sorted, distinct
  std::vector<std::uint32_t> buckets_;   // where each bucket (by the top bits) begins
  unsigned bits_ = 1;
  std::vector<std::uint64_t> stems_;     // token_hash of the words that may go on, sorted
  struct Pending {
    std::string word;
    bool stem;
  };
  std::vector<Pending> pending_;           // the words added, until finish()
  std::vector<std::uint64_t> pieces_{0};   // the filter: two bits per key
  std::uint64_t mask_ = 0;
};

}  // namespace deter::text

#endif  // DETER_TEXT_ENTRY_WORDS_H_
