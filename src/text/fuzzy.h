// The fuzzy view's machinery (docs/DESIGN.md §4): an index of the entries'
// words by their one-letter deletions (symmetric delete), and the
// dictionary of ordinary words that are never corrected.
//
// A query token is corrected to an entry word when the two are one edit
// apart (a letter dropped, added or changed, or two neighbours swapped),
// the entry word has kFuzzyMinLetters letters or more, and the token is
// neither an entry word itself nor a word of the dictionaries (the benign
// word guard: "orchards" is a word, and stays itself). A letter is a code
// point: in Devanagari, Bengali and Kannada a vowel sign or a virama is
// one, as a typist's keystroke is.
#ifndef DETER_TEXT_FUZZY_H_
#define DETER_TEXT_FUZZY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace deter::text {

// Entry words shorter than this are never a correction: among short words
// one edit reaches too many others ("lantern" is 7; "bazaar" is 6).
inline constexpr std::size_t kFuzzyMinLetters = 6;
// Tokens longer than this are not looked at (no entry word is that long
// in practice, and the work per token stays bounded).
inline constexpr std::size_t kFuzzyMaxLetters = 40;
// Phonetic keys are shorter than the words they spell ("bageecha" is
// "bagic"); the word itself must still have kFuzzyMinLetters - 1 bytes.
inline constexpr std::size_t kFuzzyMinKeyLetters = 4;
// The most entry words one query word is corrected to, each in a line of
// its own in the fuzzy section.
inline constexpr std::size_t kFuzzyMaxCandidates = 3;

// Whether the base-form token whose token_hash (text/tokens.h) is `hash`
// is a word of the built-in dictionaries (English, Hindi, Bengali,
// Indonesian, Kannada; generated at build time). The dictionary is stored
// by the hash the views already record for every token, so asking costs a
// bucket lookup and no pass over the token.
bool is_dictionary_hash(std::uint64_t hash) noexcept;
bool is_dictionary_word(std::string_view word) noexcept;
// The dictionary's buckets: by the top kDictionaryBucketBits of the hash.
inline constexpr unsigned kDictionaryBucketBits = 16;
// How many words (of 5 letters or more) the built-in dictionary holds.
std::size_t dictionary_size() noexcept;

class FuzzyIndex {
 public:
  // `min_letters`: the shortest word added (kFuzzyMinLetters for words;
  // phonetic keys, shorter than the words they spell, take less).
  explicit FuzzyIndex(std::size_t min_letters = kFuzzyMinLetters) : min_letters_(min_letters) {}
  // Adds the words of `text` (base-form tokens separated by spaces) that
  // have min_letters letters or more and no ASCII digit.
  void add(std::string_view text);
  // Builds the index from the words added; call once after the last add().
  void finish();
  bool empty() const { return words_.empty(); }
  std::size_t word_count() const { return words_.size(); }
  std::size_t key_count() const { return keys_.size(); }
  // The entry word `token` (a base-form token) is one edit from, or empty
  // when there is none, when the token is an entry word itself, or when it
  // is a dictionary word. Cheap for most tokens: those under five letters
  // are rejected by their size, the rest by a bit set before any search.
  // `guard` is the word the dictionary is asked about when `token` is not
  // the query's word itself (a phonetic key is corrected, the word it
  // spells is guarded).
  // `guard_hash` is the guard's token_hash.
  std::string_view correct(std::string_view token, std::string_view guard,
                           std::uint64_t guard_hash) const noexcept;
  std::string_view correct(std::string_view token) const noexcept;
  // correct() without the dictionary: for a caller that asked it already
  // (the views ask once per word, for the word and for its key).
  std::string_view near(std::string_view token, std::string_view guard) const noexcept;
  // Every entry word `token` is one edit from, up to `cap` of them (by
  // their order in the index), into `out`; returns how many. A typo can be
  // one edit from two entry words ("sihri" from "siri" and "sinri"), and
  // only the query's other words tell which one was meant.
  std::size_t near_all(std::string_view token, std::string_view guard, std::string_view* out,
                       std::size_t cap) const noexcept;
  // Whether the token whose token_hash is `hash` is a word added (of any
  // length): such a token reads as itself and needs no near().
  bool is_word_hash(std::uint64_t hash) const noexcept;

 private:
  struct Key {
    std::uint64_t hash;
    std::uint32_t word;
  };
  // A blocked Bloom filter: two bits of one word, so one load per probe.
  static std::uint64_t bits_of(std::uint64_t h) { return 1ull << (h & 63) | 1ull << (h >> 6 & 63); }
  bool maybe(std::uint64_t h) const {
    const std::uint64_t b = bits_of(h);
    return (bloom_[(h >> 12) & mask_] & b) == b;
  }
  // token_hash of every word added, short ones too: a token that is an
  // entry word (or key) of any length is never corrected to another.
  std::vector<std::uint64_t> exact_;
  // Where each bucket (by the top bits) of exact_ and of keys_ begins: a
  // lookup searches a bucket of two or three, not the whole table.
  std::vector<std::uint32_t> exact_buckets_;
  unsigned exact_bits_ = 1;
  std::vector<std::uint32_t> key_buckets_;
  unsigned key_bits_ = 1;
  std::vector<std::string> words_;       // sorted, distinct
  std::vector<std::u32string> letters_;  // the same, as code points
  std::vector<Key> keys_;                // each word and its deletions, by hash
  std::vector<std::uint64_t> bloom_;     // two bits per key
  std::uint64_t mask_ = 0;               // word count - 1
  std::size_t min_letters_;
};

}  // namespace deter::text

#endif  // DETER_TEXT_FUZZY_H_
