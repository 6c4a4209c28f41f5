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

#include <array>
#include <cstddef>
#include <cstdint>
#include <climits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/stored.h"

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
// A prefix entry's last word ("bazaar" of `moonlit bazaar*`) is matched
// one edit off from this many letters: its typed form is a token's start,
// and the token's first and the word's last letter are typed as they are.
inline constexpr std::size_t kFuzzyMinPrefixLetters = 5;
// A romanized word is re-keyed with each letter left out (FuzzyIndex::
// rekeyed) from this many letters: one typed letter can move its key by
// two (a vowel run split, a digraph broken).
inline constexpr std::size_t kFuzzyMinRekeyedLetters = 6;
// The shortest entry key such a word meets ("cay" of chhaayaa is three).
inline constexpr std::size_t kFuzzyMinRekeyedKey = 3;
// Where both sides lost a letter (a letter changed or two swapped), the
// key they meet at needs this many: "bahaar" and "baazaar" both reach
// "bar" that way.
inline constexpr std::size_t kFuzzyMinRekeyedBoth = 5;
// In the phonetic keys, a vowel for another is no typo in a word typed
// with fewer letters than this ("ghuri", "ghori"); nor, in any, a vowel
// added, dropped or changed at the key's end ("chand", "chandi").
inline constexpr std::size_t kFuzzyMinVowelLetters = 7;
// The most entry words one query word is corrected to, each in a line of
// its own in the fuzzy section.
inline constexpr std::size_t kFuzzyMaxCandidates = 3;

// Whether the base-form token whose token_hash (text/tokens.h) is `hash`
// is a word of the built-in dictionaries (English, Hindi, Bengali,
// Indonesian, Kannada; generated at build time). The dictionary is stored
// by the hash the views already record for every token, so asking costs a
// cache line, most often, and no pass over the token.
bool is_dictionary_hash(std::uint64_t hash) noexcept;
bool is_dictionary_word(std::string_view word) noexcept;
// The clitics an Indonesian word takes at its end ("siapakah", "bukunya"):
// an entry of Indonesian words also matches its last word with each
// (compile.cc), and a query word with one is read by the word before it
// (is_inflected_dictionary_word).
inline constexpr std::string_view kIndonesianClitics[] = {"nya", "lah", "kah", "pun"};
// Bengali endings of case (genitive, locative, objective), number (plural
// and plural genitive), classifier (টি, টা, গুলো) and emphasis (ই, ও), and
// the commonest of them combined, as the base form spells them (য় as য and
// a nukta; fuzzy_test checks each against normalize_base).
inline constexpr std::string_view kBengaliEndings[] = {
    "গুলোতে", "গুলিতে", "গুলোকে", "গুলিকে", "গুলোর", "গুলির", "গুলো", "গুলি",
    "দেরকে", "েদের", "দের", "টিতে", "টাতে", "টিকে", "টাকে", "টির", "টার", "টি", "টা",
    "খানা", "খানি", "েরা", "রা", "েতেই", "েতে", "তেই", "তে", "েকে", "কেই", "কে",
    "\u09AF\u09BC\u09C7\u09B0",  // য়ের, after a vowel (মায়ের)
    "েরই", "েরও", "ের", "এর", "রই", "রও", "র", "েই", "েও", "ে", "এ",
    "\u09AF\u09BC",  // য়, the locative after a vowel (কলকাতায়)
    "ই", "ও"};
// The fewest letters of a Bengali stem is_inflected_dictionary_word reads
// a word by; the dictionary holds Bengali words of this many letters or
// more, and the others' from kFuzzyMinLetters - 1.
inline constexpr std::size_t kInflectedStemLetters = 3;
// Whether `word` (a base-form token that is no dictionary word) is a
// dictionary word with an inflection the word lists do not spell out, and
// so an ordinary word that the fuzzy view leaves as it is. Debian's Bengali
// list has no affixes at all, and the Indonesian one is expanded with its
// commonest only (scripts/dictionary-words.sh): "বাংলাদেশের" (বাংলাদেশ,
// genitive) and "didirikan" (diri, di-...-kan) were read as typos, each at
// the cost of every search of the indexes. In Bengali script: a stem of
// three letters or more with one case, number, classifier or emphatic
// ending. In ASCII letters: a stem of five letters or more with a clitic,
// or with a prefix (di-, ke-, se-, ber-, ter-, per-, meN-, peN-) and
// perhaps -kan or -an, or both: never a one-letter affix, which is one
// edit (an entry word that is a dictionary word would lose its typos that
// add a letter), nor a suffix alone ("fountan" is fount and -an). Each
// bound was set by `deter probe --lists lists/demo` (fuzzy.cc).
bool is_inflected_dictionary_word(std::string_view word) noexcept;
// The letters (code points) of a word or run as a compiled file stores it,
// or 0 unless it is valid UTF-8 without a digit (FuzzyIndex::add takes no
// other): what FuzzyIndex::load holds each stored one to, in one pass.
std::size_t stored_letters(std::string_view w) noexcept;
// Whether a base-form token (its token_hash and its text) is an ordinary
// word: a word of the dictionaries, or one of them with an inflection their
// lists do not spell out. The fuzzy view never corrects one, and a joined
// atom never reads one as an entry's words run together unless it is
// those very letters (policy/scan.cc). The dictionary first: a cache line,
// where the inflections hash a stem or few.
inline bool is_ordinary_word(std::uint64_t hash, std::string_view word) noexcept {
  return is_dictionary_hash(hash) || is_inflected_dictionary_word(word);
}
// Starts fetching what is_dictionary_hash(hash) reads first, so that the
// views can ask for every long token of a query before asking about one.
void prefetch_dictionary(std::uint64_t hash) noexcept;
// How many words the built-in dictionary holds (deter_dictgen).
std::size_t dictionary_size() noexcept;

// A query token as the searches of an index read it (near_all, then
// near_prefix): its code points, decoded on first use and once, and the
// letters of the word it is typed as (the guard: the token itself, or the
// word a phonetic key spells).
class FuzzyTyped {
 public:
  FuzzyTyped(std::string_view token, std::string_view guard) : token_(token), guard_(guard) {}
  std::string_view token() const { return token_; }
  std::string_view guard() const { return guard_; }
  bool own_guard() const { return guard_.data() == token_.data() && guard_.size() == token_.size(); }
  // The token's code points, false when it has an ASCII digit or more than
  // kFuzzyMaxLetters + 1 of them.
  bool decode() const;
  const char32_t* letters() const { return c_.data(); }
  std::size_t size() const { return n_; }
  // The guard's code points (counted, not decoded).
  std::size_t guard_letters() const;

 private:
  std::string_view token_;
  std::string_view guard_;
  mutable std::int8_t decoded_ = -1;  // -1: not yet; else whether it decoded
  mutable std::size_t n_ = 0;
  mutable std::size_t guard_letters_ = SIZE_MAX;
  mutable std::array<char32_t, kFuzzyMaxLetters + 1> c_;
};

class FuzzyIndex {
 public:
  // `min_letters`: the shortest word added (kFuzzyMinLetters for words;
  // phonetic keys, shorter than the words they spell, take less).
  // `keys`: the index holds phonetic keys, and builds rekeyed()'s table.
  explicit FuzzyIndex(std::size_t min_letters = kFuzzyMinLetters, bool keys = false)
      : min_letters_(min_letters), keys_index_(keys), serial_(next_serial()) {}
  // Adds the words of `text` (base-form tokens separated by spaces) that
  // have min_letters letters or more and no ASCII digit.
  // A word added as `run_together` (an entry's words run together: its
  // joined form) is a correction only with its first and last letters
  // typed as they are: a letter added or changed at its end is another
  // word's ending ("forbiddenorchards" is no typo of the joined
  // "forbiddenorchard", as "orchards" is none of "orchard"), and a typo
  // keeps a word's first letter. Such words are never rekeyed().
  void add(std::string_view text, bool run_together = false);
  // Adds the last word of `text` (a prefix entry's literal, " w1 w2") as
  // a prefix word: near_prefix() finds it at the start of a longer token.
  void add_prefix(std::string_view text);
  // Builds the index from the words added; call once after the last add().
  void finish();
  // The finished index for a compiled file (store.h): what finish() sorts
  // and builds from the words, not what a pass over that derives.
  void save(std::string& out) const;
  // Reads what save() wrote (8-byte aligned) into an index made with the
  // same arguments, and builds the rest as finish() does, without sorting.
  // False, the index unchanged and `why` told, if any array is malformed:
  // each index into another array, each word's UTF-8 and letters, and the
  // order the trie is built in are checked, a pass each.
  // The runs are used where they lie in `bytes`, which `keep_alive` owns.
  bool load(std::string_view bytes, std::shared_ptr<const void> keep_alive,
            std::string* why = nullptr);
  bool empty() const { return words_.empty(); }
  // Distinct for every index built in this process (and again at each
  // finish()): what a query's memo of words with no correction is keyed
  // by, so that it never answers for another list set, or a reloaded one.
  std::uint32_t serial() const { return serial_; }
  std::size_t word_count() const { return words_.size(); }
  std::size_t key_count() const { return key_hashes_.size(); }
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
  std::size_t near_all(const FuzzyTyped& typed, std::string_view* out,
                       std::size_t cap) const noexcept;
  // Whether the token whose token_hash is `hash` is a word added (of any
  // length): such a token reads as itself and needs no near().
  bool is_word_hash(std::uint64_t hash) const noexcept;
  // The prefix word (add_prefix) that `token` begins with after one edit
  // (Damerau), or empty: none, or the token begins with one as it is. The
  // edit is after the token's first letter and before the prefix word's
  // last, which the token holds as it is ("bazsaars" for "bazaar", not
  // "bazaax"). `guard` as for near(): the typed word, with
  // kFuzzyMinPrefixLetters letters or more. A walk of a trie of prefix
  // words: a token whose first letters begin no prefix word costs a few
  // child look-ups.
  // Writes the correction to `fixed`: the prefix word, then the rest of
  // the token ("bazsaars" reads "bazaars"), so that only a prefix entry
  // matches it. Returns whether there is one.
  bool near_prefix(std::string_view token, std::string_view guard,
                   std::string& fixed) const noexcept;
  bool near_prefix(const FuzzyTyped& typed, std::string& fixed) const noexcept;
  bool has_prefixes() const { return trie_.size() > 1; }
  // For an index of phonetic keys: the entry key (or prefix key) that the
  // romanized word `word` (ASCII letters, kFuzzyMinRekeyedLetters or more)
  // meets when a letter is left out of it, of the entry's spelling, or of
  // both, and each is keyed again; `key` is the word's own key. Empty for
  // none. Every meeting is compared as text, not only by its hash.
  // Writes the entry key met (or the key, when it begins with a prefix
  // entry's key) to `fixed`.
  bool rekeyed(std::string_view word, std::string_view key, std::string& fixed) const noexcept;

 private:
  struct Key {
    std::uint64_t hash;
    std::uint32_t word;
  };
  // A blocked Bloom filter: two bits of one word, so one load per probe.
  static std::uint64_t bits_of(std::uint64_t h) { return 1ull << (h & 63) | 1ull << (h >> 6 & 63); }
  // A Bloom filter that keeps a key in the cache line of its first letter,
  // last letter and length (line_of), two bits of one word of that line
  // by its hash. A token's deletions but its first and last letter's share
  // its first and last letter and a length, and so do most of the keys
  // rekeyed() asks of a word: one line for all of them, not one each.
  static std::uint64_t line_of(char32_t first, char32_t last, std::size_t n) {
    std::uint64_t x = ((std::uint64_t{first} << 32 | last) ^ (std::uint64_t{n} << 21)) *
                      0xD6E8FEB86659FD93ull;
    return x ^ x >> 32;
  }
  class LineFilter {
   public:
    // Room for about `bits` bits a key, in `own` (which outlives the
    // filter's use), its lines from a 64-byte boundary on; set() then
    // writes there.
    void size_for(std::vector<std::uint64_t>& own, std::size_t keys, std::size_t bits = 32);
    void set(std::uint64_t line, std::uint64_t h) { building_[word(line, h)] |= bits_of(h); }
    bool maybe(std::uint64_t line, std::uint64_t h) const {
      const std::uint64_t b = bits_of(h);
      return (words_[word(line, h)] & b) == b;
    }
    void prefetch(std::uint64_t line) const { __builtin_prefetch(&words_[word(line, 0)]); }
    // What a compiled file stores (FuzzyIndex::save), and reads back: the
    // words of a power of two lines. False if they are not.
    std::span<const std::uint64_t> words() const { return words_; }
    bool view(std::span<const std::uint64_t> words);

   private:
    std::size_t word(std::uint64_t line, std::uint64_t h) const {
      return ((line << 3) | (h >> 12 & 7)) & mask_;
    }
    static constexpr std::uint64_t kEmpty[8] = {};
    std::span<const std::uint64_t> words_ = kEmpty;  // mask_ + 1 of them
    std::uint64_t* building_ = nullptr;               // size_for's, for set()
    std::uint64_t mask_ = 7;
  };
  LineFilter bloom_;  // near_all's: each word and its deletions
  // What finish() builds from, until it is done.
  std::vector<std::string> words_built_;
  std::vector<std::uint64_t> exact_built_;
  std::vector<std::string> runs_built_;
  std::vector<std::string> short_words_;  // every key added, for rekeyed()
  // The finished arrays that a compiled file stores (save), used where
  // they lie in a mapped file, as the completion index is: finish()'s own
  // or the file's, which storage_ keeps alive (so copies share them). What
  // a pass derives from them (filters, buckets, letters, the trie) is
  // built again by index().
  std::shared_ptr<const void> storage_;
  // token_hash of every word added, short ones too, sorted: a token that
  // is an entry word (or key) of any length is never corrected to another.
  std::span<const std::uint64_t> exact_;
  // exact_ as is_word_hash reads it, a cache line a lookup (text/gapped.h),
  // and whether it held the value of a gap; empty when the list's words
  // crowd it (a run over kGappedLongestRun), and exact_ is searched by
  // halves instead.
  std::span<const std::uint64_t> exact_slots_;
  unsigned exact_shift_ = 63;
  bool exact_gap_value_ = false;
  // Where each bucket (by the top bits) of key_hashes_ begins: a lookup
  // searches a bucket of two or three, not the whole table.
  std::span<const std::uint32_t> key_buckets_;
  unsigned key_bits_ = 1;
  stored::Strings words_;  // sorted, distinct
  // The words added only run together (add): runs. Each is keyed twice
  // (run_key): by the hash of its first (m - 1) / 2 letters and by that of
  // its last m / 2, with its length m. One edit leaves one of the two as
  // it was, so a token one edit from a run meets it under one of its own
  // (near_runs). Two keys a run, where the deletions of words_ take one a
  // letter: runs are long and many (keyed by their deletions, they made
  // list-100000's compiled file half again as large). Stored finished and
  // used where they lie in a mapped file, as the completion index is.
  stored::Strings runs_;                       // sorted, distinct
  std::span<const std::uint64_t> run_hashes_;  // every run's two keys, sorted
  std::span<const std::uint32_t> run_words_;   // the run of each key
  // Where each bucket (by the top bits) of run_hashes_ begins.
  std::span<const std::uint32_t> run_buckets_;
  unsigned run_bits_ = 1;
  // A filter of run_hashes_, about 16 bits a key, each key in the line of
  // its run's first and last letters (run_line): most long tokens meet no
  // run, and a token's six keys fall in three lines (near_runs).
  LineFilter run_filter_;
  static std::uint64_t run_line(char32_t first, char32_t last) { return line_of(first, last, 0); }
  struct Tables;  // finish()'s storage (fuzzy.cc)
  // finish()'s part for the runs: runs_built_ into `t`.
  void finish_runs(Tables& t);
  // The runs one edit from c[0, n), their edit inside them (ends_typed),
  // into `out`, at most `cap`; how many, or kIsRun when c[0, n) is a run
  // itself. prefix[i] is the hash of c[0, i).
  static constexpr std::size_t kIsRun = SIZE_MAX;
  std::size_t near_runs(const char32_t* c, std::size_t n, const std::uint64_t* prefix,
                        std::string_view* out, std::size_t cap) const noexcept;
  // The same, as code points: one array for all, so that a candidate's
  // letters are one read away (a std::u32string each was two, and their
  // allocations a quarter more memory).
  class Letters {
   public:
    // `at` has one more element than there are words, in order, the last
    // no more than `pool` (the reader of a file checks).
    Letters() = default;
    Letters(std::span<const char32_t> pool, std::span<const std::uint32_t> at)
        : pool_(pool), at_(at) {}
    std::size_t size() const { return at_.empty() ? 0 : at_.size() - 1; }
    std::u32string_view operator[](std::size_t i) const {
      return std::u32string_view(pool_.data() + at_[i], at_[i + 1] - at_[i]);
    }
    std::span<const char32_t> pool() const { return pool_; }
    std::span<const std::uint32_t> at() const { return at_; }

   private:
    std::span<const char32_t> pool_;
    std::span<const std::uint32_t> at_;
  };
  Letters letters_;
  // Each word and its deletions, by hash (a Key, as two arrays: it has
  // padding), sorted by hash and word.
  std::span<const std::uint64_t> key_hashes_;
  std::span<const std::uint32_t> key_words_;
  // The prefix words' trie: node 0 is the root; a node's children are
  // contiguous, sorted by letter.
  struct Node {
    char32_t letter = 0;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    std::int32_t word = -1;  // into prefix_words_, at the word's last letter
  };
  std::uint32_t child(std::uint32_t node, char32_t c) const;
  std::uint32_t child_search(std::uint32_t node, char32_t c) const;
  // Over code points, or a phonetic key's bytes (ASCII letters).
  template <class Letter>
  std::int32_t exact_rest(std::uint32_t node, const Letter* t, std::size_t i, std::size_t n,
                          std::size_t& end) const;
  // A filter of the prefix words' (first two letters, last letter) and
  // (first letter, last two letters), for each typed length one edit
  // gives (near_prefix): one bit each.
  // kind 0 and 1: the two-letter tags, 2 and 3: the three-letter ones of
  // a word of kStrongEnds letters or more (an unused letter is 0).
  static constexpr std::size_t kStrongEnds = 7;
  static std::uint64_t end_hash(const char32_t (&l)[4], std::size_t m, unsigned kind);
  bool may_end(const char32_t (&l)[4], std::size_t m, unsigned kind) const;
  std::size_t max_prefix_letters_ = 0;
  // Symmetric delete on the prefix words (near_prefix's second filter):
  // whether the typed word c[0, m) may be one edit after its first letter
  // from some prefix word. Two bits a key, one load a probe.
  bool may_share_deletion(const char32_t* c, std::size_t m) const;
  std::span<const std::uint64_t> prefix_dels_;
  std::uint64_t dels_mask_ = 0;
  std::span<const std::uint64_t> prefix_ends_;
  std::uint64_t ends_mask_ = 0;
  // Each of `words` as code points; false if one is not a word add() takes.
  static bool letters_of_all(const std::vector<std::string>& words,
                             std::vector<std::u32string>& out);
  // The filters, buckets, letters' table and trie of the words finish()
  // sorted, into `t`: what a compiled file stores too (save), so that
  // opening one builds none of them.
  void index(Tables& t, const std::vector<std::u32string>& prefix_letters);
  static void build_trie(std::vector<Node>& trie, const std::vector<std::u32string>& letters,
                         std::size_t node, std::size_t lo, std::size_t hi, std::size_t depth);
  // The checks load() makes of what index() built, a pass each.
  const char* check_index() const;
  std::vector<std::string> prefix_built_;  // add_prefix's, until finish()
  stored::Strings prefix_words_;  // in the trie's order (code points, shorter first)
  std::span<const Node> trie_;
  // The letters the root has a child for, a bit each by the code point's
  // low ten bits (Latin, Devanagari, Bengali and Kannada each fall apart).
  std::array<std::uint64_t, 16> first_letters_{};
  // The root's child for each letter, by the code point's low ten bits
  // (child() of the root, a load instead of a search); unused when two of
  // the root's letters share a slot (no two of the five scripts' do).
  std::array<std::uint32_t, 1024> root_children_{};
  bool root_shared_ = false;
  // rekeyed()'s table: each key (of kFuzzyMinRekeyedKey letters or more)
  // by its hash, and each key of its one-letter deletions, by theirs; as
  // parallel arrays sorted by hash.
  struct Rekeyed {
    std::uint64_t hash;
    std::uint32_t text;  // into rekeyed_text_: what the hash is of
    std::uint32_t key;   // into rekeyed_keys_: the entry key
    bool deleted;        // a deletion's key, not the key itself
  };
  stored::Strings rekeyed_keys_;
  stored::Strings rekeyed_text_;
  std::span<const std::uint64_t> rekeyed_hashes_;
  std::span<const std::uint32_t> rekeyed_texts_;
  std::span<const std::uint32_t> rekeyed_key_of_;
  std::span<const std::uint8_t> rekeyed_deleted_;  // 1 for a deletion's key
  // The table's filter, by the texts' lines. Their hashes are of the keys'
  // bytes as a polynomial, so that a key with a letter left out is hashed
  // from its prefixes' hashes.
  LineFilter rekeyed_bloom_;
  static std::uint64_t text_line(std::string_view text) {
    return line_of(static_cast<unsigned char>(text.front()), static_cast<unsigned char>(text.back()),
                   text.size());
  }
  std::string_view rekeyed_find(std::string_view text, bool deleted, bool key_itself) const;
  // Whether key `k` (a word keyed again) is an entry key, or with
  // `deleted` one with a letter left out (the table's, if `may_table`),
  // or begins with a prefix entry's key (the trie's, if `may_trie`);
  // writes what it met to `fixed`.
  bool rekeyed_meets(std::string_view k, bool deleted, bool may_table, bool may_trie,
                     std::string& fixed) const;
  // rekeyed()'s last try: the word with an edit inside a digraph undone
  // (fuzzy.cc).
  bool digraph_undone(std::string_view word, std::string_view key, std::string& fixed) const;
  std::size_t min_letters_;
  bool keys_index_ = false;
  static std::uint32_t next_serial();
  std::uint32_t serial_;
};

}  // namespace deter::text

#endif  // DETER_TEXT_FUZZY_H_
