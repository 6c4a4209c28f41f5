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
#include <memory>
#include <span>
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
  // Reads what save() wrote (from a multiple of 64 bytes, or the filter is
  // slower, never wrong), its arrays used where they lie in `bytes`, which
  // `keep_alive` owns: false, and the tables left empty, if any size or
  // bucket is out of bounds. A forged table can make has() or maybe()
  // answer wrongly, never read outside its arrays.
  bool load(std::string_view bytes, std::shared_ptr<const void> keep_alive);
  // Whether every word added to `part` (add(), not yet finished) is one of
  // these, and every open-ended one an open-ended word of these. What a
  // compiled file's loader asks of the words it finds in a sample of
  // literals: finishing them first (their pieces, sorted, and the filter)
  // was a tenth of opening 100k entries, for tables it never read.
  bool contains_added(const EntryWords& part) const;

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
  // join into nothing) is concatenated and looked up. A key is kept in the
  // cache line of `line`: the key of its first two pieces (two tokens and
  // the three that begin with them read one line), or for the keys of an
  // open-ended word's beginning, stem_line of the first piece.
  bool maybe(std::uint64_t line, std::uint64_t key) const noexcept {
    const std::uint64_t b = bits_of(key);
    return (pieces_[word_of(line, key)] & b) == b;
  }
  static std::uint64_t stem_line(std::uint64_t hash) { return piece_key(hash, 0); }
  // Whether a query token (its token_hash) followed by a token that begins
  // with `lead` (lead_of) may begin a split of an entry word: the first
  // piece of every split in two or three, and of every beginning of an
  // open-ended word, is some word's first letters, and the next piece
  // begins with the letter after them. A filter of about 12 bits a key
  // (format 10), small enough to stay in the cache, in front of maybe()'s,
  // whose lines a large list's filter reads from memory: on list-10000 it
  // turns away nine pairs of a real query's tokens in ten.
  bool may_begin(std::uint64_t hash, std::uint32_t lead) const noexcept {
    const std::uint64_t key = begin_key(hash, lead);
    const std::uint64_t b = bits_of(key);
    return (begins_[(key >> 12) & begins_mask_] & b) == b;
  }
  // Whether the token with that hash may begin an open-ended word.
  bool maybe_stem(std::uint64_t hash) const noexcept {
    return !stems_.empty() && maybe(stem_line(hash), stem_line(hash));
  }
  // Whether the token whose token_hash is `hash` is an entry word.
  bool has(std::uint64_t hash) const noexcept;
  // The same for the words that may go on.
  bool has_stem(std::uint64_t hash) const noexcept {
    return std::binary_search(stems_.begin(), stems_.end(), hash);
  }

 private:
  static std::uint64_t bits_of(std::uint64_t h) { return 1ull << (h & 63) | 1ull << (h >> 6 & 63); }
  static std::uint64_t begin_key(std::uint64_t hash, std::uint32_t lead) {
    return piece_key(hash ^ 0x13198A2E03707344ull, std::uint64_t{lead} ^ 0xA4093822299F31D0ull);
  }
  // The word of pieces_ a key is in: its line's (by the line key's top
  // bits) and, of that line's eight, its own.
  std::size_t word_of(std::uint64_t line, std::uint64_t key) const {
    return ((line >> 40) << 3 | (key >> 12 & 7)) & mask_;
  }
  // finish()'s arrays (entry_words.cc), or a compiled file's bytes, which
  // the spans below view: copies share them.
  struct Tables;
  std::shared_ptr<const void> storage_;
  std::span<const std::uint64_t> words_;    // token_hash of each word, sorted, distinct
  std::span<const std::uint32_t> buckets_;  // where each bucket (by the top bits) begins
  unsigned bits_ = 1;
  std::span<const std::uint64_t> stems_;    // token_hash of the words that may go on, sorted
  struct Pending {
    std::string word;
    bool stem;
  };
  std::vector<Pending> pending_;           // the words added, until finish()
  // The filter: two bits per key, in lines of eight words, from a 64-byte
  // boundary (a file's from its part's, stored::Writer::lines). mask_ + 1
  // words, a multiple of eight.
  static constexpr std::uint64_t kNone[8] = {};
  std::span<const std::uint64_t> pieces_ = kNone;
  std::uint64_t mask_ = 7;
  // may_begin's filter: two bits a key in one word; begins_mask_ + 1 words.
  std::span<const std::uint64_t> begins_ = std::span<const std::uint64_t>(kNone, 1);
  std::uint64_t begins_mask_ = 0;
};

}  // namespace deter::text

#endif  // DETER_TEXT_ENTRY_WORDS_H_
