#include "text/fuzzy.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <iterator>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/bytes8.h"
#include "text/gapped.h"
#include "text/phonetic.h"
#include "text/scripts.h"
#include "text/stored.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace deter::text {

// The generated dictionary (build/<preset>/generated/dictionary.cc, made by
// deter_dictgen from the Debian word lists): sorted token_hash values, and
// where each bucket of them (by the top bits) begins, 2^bits + 1 of them.
extern const std::uint64_t kDictionarySlots[];
extern const std::size_t kDictionaryCount;
extern const unsigned kDictionaryShift;

namespace {

// A polynomial hash over code points: the hash of a word with one letter
// left out comes from the hashes of its prefix and suffix in two
// operations, so a token's n deletions cost n multiply-adds, not n passes.
// Collisions cost a comparison, never a wrong correction.
constexpr std::uint64_t kBase = 0x100000001B3ull;

// kPowers[k] = kBase^k, for every k a token's deletions need.
constexpr auto kPowers = [] {
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> p{};
  p[0] = 1;
  for (std::size_t k = 1; k < p.size(); ++k) p[k] = p[k - 1] * kBase;
  return p;
}();

// One multiply spreads the polynomial's low-order structure into the top
// bits, which the filter reads (an odd multiplier: no two keys merge).
std::uint64_t mix(std::uint64_t x) {
  x *= 0x9E3779B97F4A7C15ull;
  return x ^ x >> 29;
}

// rekeyed()'s table is by this hash of a key's bytes (the polynomial, so
// that a key with a letter left out is hashed from its prefixes).
std::uint64_t key_hash(std::string_view key) {
  std::uint64_t h = 0;
  for (char c : key) h = h * kBase + static_cast<unsigned char>(c);
  return h;
}

// The hashes of a word c[0, n) (n at most kFuzzyMaxLetters + 1) and of it
// with one letter left out: the hash of c without c[k] is prefix[k] *
// kBase^(n-1-k) + hash(c[k+1, n)), and the second term is prefix[n] -
// prefix[k+1] * kBase^(n-1-k), so that each deletion is one multiply
// from the prefixes' hashes (prefix[i]: hash of c[0, i)).
class Deletions {
 public:
  Deletions(const char32_t* c, std::size_t n) : n_(n) {
    prefix_[0] = 0;
    for (std::size_t i = 0; i < n; ++i) prefix_[i + 1] = prefix_[i] * kBase + c[i];
  }
  std::uint64_t whole() const { return prefix_[n_]; }
  // The hash of c[i, j).
  std::uint64_t range(std::size_t i, std::size_t j) const {
    return prefix_[j] - prefix_[i] * kPowers[j - i];
  }
  const std::uint64_t* prefixes() const { return prefix_.data(); }
  std::uint64_t without(std::size_t k) const {
    return prefix_[n_] + kPowers[n_ - 1 - k] * (prefix_[k] - prefix_[k + 1]);
  }

 private:
  std::size_t n_;
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> prefix_;
};

// Whether a and b are exactly one edit apart (Damerau: one deletion,
// insertion, substitution or transposition of neighbours).
bool one_edit(const char32_t* a, std::size_t na, const char32_t* b, std::size_t nb) {
  if (na < nb) return one_edit(b, nb, a, na);
  if (na - nb > 1) return false;
  std::size_t i = 0;
  while (i < nb && a[i] == b[i]) ++i;
  if (na == nb) {
    if (i == na) return false;                                  // equal
    if (std::equal(a + i + 1, a + na, b + i + 1)) return true;  // substitution
    return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           std::equal(a + i + 2, a + na, b + i + 2);  // transposition
  }
  return std::equal(a + i + 1, a + na, b + i);  // a has one letter more
}

// A run of m letters is keyed by its first run_front(m) and its last
// run_back(m) letters: together m - 1, so that one letter lies between
// them, and an edit anywhere (a swap of neighbours too) leaves one of them
// whole.
std::size_t run_front(std::size_t m) { return (m - 1) / 2; }
std::size_t run_back(std::size_t m) { return m - 1 - run_front(m); }
std::uint64_t run_key(std::uint64_t half, std::size_t m, bool back) {
  return mix(half ^ (std::uint64_t{m} << 57 | std::uint64_t{back} << 56));
}

bool is_vowel(char32_t c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// The first and the last code point of `w`, valid UTF-8 and not empty.
char32_t first_letter(std::string_view w) {
  return decode_valid_utf8(reinterpret_cast<const unsigned char*>(w.data())).cp;
}
char32_t last_letter(std::string_view w) {
  std::size_t i = w.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(w[i]) & 0xC0) == 0x80) --i;
  return decode_valid_utf8(reinterpret_cast<const unsigned char*>(w.data()) + i).cp;
}

// Whether two phonetic keys one edit apart differ only in what the key
// keeps on purpose: a vowel for another ("ghuri", "ghori"), or a vowel at
// the end, added, dropped or changed ("chand", "chandi"; an ending, which
// in Hindi, Bengali and Kannada makes another word).
// A vowel for another counts only in a short word (`short_word`): in a
// long one it is as likely a slip between neighbouring keys (u, i, o).
bool vowel_edit(const char32_t* a, std::size_t na, const char32_t* b, std::size_t nb,
                bool short_word) {
  if (na < nb) return vowel_edit(b, nb, a, na, short_word);
  std::size_t i = 0;
  while (i < nb && a[i] == b[i]) ++i;
  if (na == nb) {
    if (i + 1 == na) return is_vowel(a[i]) && is_vowel(b[i]);
    return short_word && i < na && is_vowel(a[i]) && is_vowel(b[i]) &&
           std::equal(a + i + 1, a + na, b + i + 1);
  }
  return i == nb && na == nb + 1 && is_vowel(a[nb]);
}

// Decodes a base-form token into at most `cap` code points; false if it
// has more, or an ASCII digit (numbers and leet spellings are not words).
bool letters_of(std::string_view s, char32_t* out, std::size_t cap, std::size_t& n) {
  n = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  if (s.size() <= cap) {
    // ASCII letters, the common case: a byte is a letter.
    unsigned high = 0;
    unsigned digit = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      high |= p[i] & 0x80u;
      digit |= static_cast<unsigned>(p[i] - '0') < 10u;
      out[i] = p[i];
    }
    if (high == 0) {
      n = s.size();
      return digit == 0;
    }
  }
  while (p < end) {
    if (n == cap) return false;
    const Decoded d = decode_valid_utf8(p);
    if (d.cp >= '0' && d.cp <= '9') return false;
    out[n++] = d.cp;
    p += d.size;
  }
  return true;
}

// Where each bucket of `sorted` (by the top `bits` of hash(item), about
// one bucket per `per_bucket` items) begins, and one past the last.
template <class Sorted, class Hash>
std::vector<std::uint32_t> buckets_of(const Sorted& sorted, Hash hash, unsigned& bits,
                                      std::size_t per_bucket = 1) {
  bits = 1;
  while (bits < 31 && (std::size_t{1} << bits) * per_bucket < sorted.size()) ++bits;
  std::vector<std::uint32_t> out((std::size_t{1} << bits) + 1, 0);
  std::size_t at = 0;
  for (std::size_t b = 0; b + 1 < out.size(); ++b) {
    out[b] = static_cast<std::uint32_t>(at);
    while (at < sorted.size() && (hash(sorted[at]) >> (64 - bits)) == b) ++at;
  }
  out.back() = static_cast<std::uint32_t>(sorted.size());
  return out;
}

}  // namespace

void prefetch_dictionary(std::uint64_t hash) noexcept {
  if (kDictionaryCount == 0) return;
  __builtin_prefetch(&kDictionarySlots[hash >> kDictionaryShift]);
}

bool is_dictionary_hash(std::uint64_t hash) noexcept {
  return kDictionaryCount != 0 && gapped_contains(kDictionarySlots, kDictionaryShift, hash);
}

bool is_dictionary_word(std::string_view word) noexcept {
  return is_dictionary_hash(token_hash(word.data(), word.size()));
}

std::size_t dictionary_size() noexcept { return kDictionaryCount; }

namespace {

constexpr std::size_t kBengaliEndingCount = std::size(kBengaliEndings);
// The endings by the last byte of their last character (every Bengali
// character is three bytes, the last 0x80-0xBF): a word's last byte picks
// the few that may fit, where trying all of them cost 2,000 instructions a
// word.
struct EndingsByLastByte {
  std::array<std::array<std::uint8_t, kBengaliEndingCount>, 64> of{};
  std::array<std::uint8_t, 64> count{};
};
constexpr EndingsByLastByte make_endings_by_last_byte() {
  EndingsByLastByte t;
  for (std::size_t i = 0; i < kBengaliEndingCount; ++i) {
    const auto b = static_cast<unsigned char>(kBengaliEndings[i].back()) & 63u;
    t.of[b][t.count[b]++] = static_cast<std::uint8_t>(i);
  }
  return t;
}
constexpr EndingsByLastByte kEndingsByLastByte = make_endings_by_last_byte();

// Indonesian prefixes and what each leaves of a stem: meN- and peN- take
// the stem's first letter p, t, k or s into their nasal ("memakai" from
// pakai, "menulis" from tulis, "mengirim" from kirim, "menyapu" from sapu)
// or keep it ("membaca", "mendengar", "menggunakan"). By first letter.
struct Prefix {
  std::string_view prefix;
  char restore;  // the letter the nasal took, or 0
};
constexpr Prefix kPrefixesB[] = {{"ber", 0}, {"be", 0}};
constexpr Prefix kPrefixesD[] = {{"diper", 0}, {"di", 0}};
constexpr Prefix kPrefixesK[] = {{"ke", 0}};
constexpr Prefix kPrefixesM[] = {{"memper", 0}, {"meng", 0}, {"meng", 'k'}, {"meny", 's'},
                                 {"mem", 0},    {"mem", 'p'}, {"men", 0},    {"men", 't'},
                                 {"me", 0}};
constexpr Prefix kPrefixesP[] = {{"peng", 0}, {"peng", 'k'}, {"peny", 's'}, {"pem", 0},
                                 {"pem", 'p'}, {"pen", 0},    {"pen", 't'}, {"per", 0},
                                 {"pe", 0}};
constexpr Prefix kPrefixesS[] = {{"se", 0}};
constexpr Prefix kPrefixesT[] = {{"ter", 0}};
std::span<const Prefix> prefixes_of(char first) {
  switch (first) {
    case 'b': return kPrefixesB;
    case 'd': return kPrefixesD;
    case 'k': return kPrefixesK;
    case 'm': return kPrefixesM;
    case 'p': return kPrefixesP;
    case 's': return kPrefixesS;
    case 't': return kPrefixesT;
    default: return {};
  }
}

bool ends_in(std::string_view word, std::string_view end) {
  return word.size() > end.size() &&
         std::equal(end.begin(), end.end(), word.end() - static_cast<std::ptrdiff_t>(end.size()));
}

bool starts_with(std::string_view word, std::string_view start) {
  return word.size() > start.size() && std::equal(start.begin(), start.end(), word.begin());
}

// An Indonesian stem is held to five letters, where a Bengali one needs
// three: a typo of an entry word with a prefix is that prefix and a typo of
// the rest, which among short words is often a word ("penuri" for pencuri:
// pen- and turi; "menra" for menara). With four, `deter probe --lists
// lists/demo` lost 6 of its 69 Indonesian typos; with five, none. No
// suffix is taken without a prefix: "fountan" (fountain) is fount and -an,
// and the word lists spell out -an, -i and -kan already.
constexpr std::size_t kLatinStemLetters = 5;

// A stem the dictionary holds, of kInflectedStemLetters letters or more in
// Bengali (`bytes_a_letter` 3), kLatinStemLetters in ASCII letters (1).
bool is_stem(std::string_view stem, std::size_t bytes_a_letter) {
  const std::size_t letters = bytes_a_letter == 1 ? kLatinStemLetters : kInflectedStemLetters;
  return stem.size() >= letters * bytes_a_letter && is_dictionary_word(stem);
}

bool bengali_inflection(std::string_view word) {
  const auto last = static_cast<unsigned char>(word.back()) & 63u;
  for (std::size_t k = 0; k < kEndingsByLastByte.count[last]; ++k) {
    const std::string_view ending = kBengaliEndings[kEndingsByLastByte.of[last][k]];
    if (ends_in(word, ending) && is_stem(word.substr(0, word.size() - ending.size()), 3)) {
      return true;
    }
  }
  return false;
}

// `word` (ASCII letters, no clitic) as a prefix, a stem, and perhaps -kan
// or -an.
bool indonesian_affixes(std::string_view word) {
  char stem[kFuzzyMaxLetters + 2];
  auto is_restored_stem = [&](char restore, std::string_view rest) {
    if (restore == 0) return is_stem(rest, 1);
    if (rest.size() + 1 > sizeof stem) return false;
    stem[0] = restore;
    std::memcpy(stem + 1, rest.data(), rest.size());
    return is_stem(std::string_view(stem, rest.size() + 1), 1);
  };
  // -kan or -an: "kan" ends in "an", so one test says which may fit.
  const bool an = ends_in(word, "an");
  const bool kan = an && ends_in(word, "kan");
  for (const Prefix& p : prefixes_of(word[0])) {
    if (!starts_with(word, p.prefix)) continue;
    const std::string_view rest = word.substr(p.prefix.size());
    if (is_restored_stem(p.restore, rest) ||
        (kan && rest.size() > 3 && is_restored_stem(p.restore, rest.substr(0, rest.size() - 3))) ||
        (an && rest.size() > 2 && is_restored_stem(p.restore, rest.substr(0, rest.size() - 2)))) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool is_inflected_dictionary_word(std::string_view word) noexcept {
  if (kDictionaryCount == 0 || word.size() < 2) return false;
  const auto c0 = static_cast<unsigned char>(word[0]);
  if (c0 >= 0x80) {
    return word.size() <= 4 * kFuzzyMaxLetters &&
           indic_script_of_utf8(c0, static_cast<unsigned char>(word[1])) == IndicScript::bengali &&
           bengali_inflection(word);
  }
  if (word.size() > kFuzzyMaxLetters ||
      !std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return false;
  }
  if (indonesian_affixes(word)) return true;
  for (const std::string_view clitic : kIndonesianClitics) {
    if (ends_in(word, clitic)) {
      const std::string_view host = word.substr(0, word.size() - clitic.size());
      return is_stem(host, 1) || indonesian_affixes(host);
    }
  }
  return false;
}

std::uint32_t FuzzyIndex::next_serial() {
  // From 1: a memo slot's tag of 0 is an empty one.
  static std::atomic<std::uint32_t> serial{0};
  return serial.fetch_add(1, std::memory_order_relaxed) + 1;
}

bool FuzzyIndex::is_word_hash(std::uint64_t hash) const noexcept {
  if (exact_.empty()) return false;  // before finish() or load()
  // A list whose words crowd the table is searched by halves instead.
  if (exact_slots_.empty()) return std::binary_search(exact_.begin(), exact_.end(), hash);
  if (hash == kGapSlot) return exact_gap_value_;
  return gapped_contains(exact_slots_.data(), exact_shift_, hash);
}

void FuzzyIndex::add(std::string_view text, bool run_together) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) {
      std::array<char32_t, kFuzzyMaxLetters> c;
      std::size_t n = 0;
      const std::string_view w = text.substr(i, j - i);
      const bool taken = letters_of(w, c.data(), c.size(), n);
      if (taken && run_together) {
        // Not in exact_: near_runs meets a token that is a run itself.
        if (n >= min_letters_) runs_built_.emplace_back(w);
      } else if (taken) {
        exact_built_.push_back(token_hash(w.data(), w.size()));
        if (n >= min_letters_) words_built_.emplace_back(w);
        if (keys_index_ && n >= kFuzzyMinRekeyedKey) short_words_.emplace_back(w);
      }
    }
    i = j;
  }
}

void FuzzyIndex::add_prefix(std::string_view text) {
  std::size_t i = text.size();
  while (i > 0 && text[i - 1] != ' ') --i;
  std::array<char32_t, kFuzzyMaxLetters> c;
  std::size_t n = 0;
  if (i == text.size() || !letters_of(text.substr(i), c.data(), c.size(), n)) return;
  if (n < kFuzzyMinPrefixLetters) return;
  prefix_built_.emplace_back(text.substr(i));
}

std::uint32_t FuzzyIndex::child_search(std::uint32_t node, char32_t c) const {
  const Node& p = trie_[node];
  std::uint32_t lo = p.first;
  std::uint32_t hi = p.first + p.count;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (trie_[mid].letter < c) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < p.first + p.count && trie_[lo].letter == c ? lo : 0;
}

// Inlined: the walks ask it at every step, and most steps are the root's
// table or a node of a child or two.
[[gnu::always_inline]] inline std::uint32_t FuzzyIndex::child(std::uint32_t node,
                                                              char32_t c) const {
  // The root by a table (most walks that start end at it): its child for
  // the letter's low bits, when that child is the letter's.
  if (node == 0 && !root_shared_) {
    const std::uint32_t k = root_children_[c & (root_children_.size() - 1)];
    return k != 0 && trie_[k].letter == c ? k : 0;
  }
  // Below the root most nodes have a child or two: a scan of a few beats a
  // search's branches.
  const Node& p = trie_[node];
  if (p.count <= 4) {
    for (std::uint32_t k = p.first; k < p.first + p.count; ++k) {
      if (trie_[k].letter == c) return k;
    }
    return 0;
  }
  return child_search(node, c);
}

// Follows t[i, n) from `node` letter by letter; the prefix word whose last
// letter it reaches first, or -1, and in `end` where in t it ends. It must
// take one letter at least: the prefix word's last letter is typed as it is.
template <class Letter>
std::int32_t FuzzyIndex::exact_rest(std::uint32_t node, const Letter* t, std::size_t i,
                                    std::size_t n, std::size_t& end) const {
  if (trie_[node].word >= 0) return -1;
  while (i < n) {
    node = child(node, static_cast<char32_t>(t[i++]));
    if (node == 0) return -1;
    if (trie_[node].word >= 0) {
      end = i;
      return trie_[node].word;
    }
  }
  return -1;
}

std::uint64_t FuzzyIndex::end_hash(const char32_t (&l)[4], std::size_t m, unsigned kind) {
  const std::uint64_t x = mix((std::uint64_t{l[0]} << 32 ^ l[1]) * 0x9E3779B97F4A7C15ull ^ m);
  return mix((std::uint64_t{l[2]} << 32 ^ l[3]) ^ x ^ kind);
}
inline bool FuzzyIndex::may_end(const char32_t (&l)[4], std::size_t m, unsigned kind) const {
  const std::uint64_t h = end_hash(l, m, kind);
  return (prefix_ends_[(h >> 6) & ends_mask_] >> (h & 63) & 1) != 0;
}

void FuzzyIndex::build_trie(std::vector<Node>& trie, const std::vector<std::u32string>& letters,
                            std::size_t node, std::size_t lo, std::size_t hi, std::size_t depth) {
  // Words ending here sort first: the first of them is this node's word.
  while (lo < hi && letters[lo].size() == depth) {
    if (trie[node].word < 0) trie[node].word = static_cast<std::int32_t>(lo);
    ++lo;
  }
  const std::size_t first = trie.size();
  std::vector<std::pair<std::size_t, std::size_t>> groups;
  for (std::size_t a = lo; a < hi;) {
    std::size_t b = a;
    while (b < hi && letters[b][depth] == letters[a][depth]) ++b;
    groups.emplace_back(a, b);
    Node child_node;
    child_node.letter = letters[a][depth];
    trie.push_back(child_node);
    a = b;
  }
  trie[node].first = static_cast<std::uint32_t>(first);
  trie[node].count = static_cast<std::uint32_t>(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    build_trie(trie, letters, first + g, groups[g].first, groups[g].second, depth + 1);
  }
}

std::string_view FuzzyIndex::rekeyed_find(std::string_view text, bool deleted,
                                          bool key_itself) const {
  if (text.empty()) return {};
  const std::uint64_t h = mix(key_hash(text));
  if (!rekeyed_bloom_.maybe(text_line(text), h)) return {};
  std::size_t k = std::lower_bound(rekeyed_hashes_.begin(), rekeyed_hashes_.end(), h) -
                  rekeyed_hashes_.begin();
  for (int budget = 16; k < rekeyed_hashes_.size() && rekeyed_hashes_[k] == h && budget > 0;
       ++k, --budget) {
    if ((rekeyed_deleted_[k] != 0 ? deleted : key_itself) && rekeyed_text_[rekeyed_texts_[k]] == text) {
      return rekeyed_keys_[rekeyed_key_of_[k]];
    }
  }
  return {};
}

namespace {
// The bytes of the first `letters` code points of `s`.
std::size_t bytes_of(std::string_view s, std::size_t letters) {
  std::size_t at = 0;
  for (; at < s.size(); ++at) {
    if ((static_cast<unsigned char>(s[at]) & 0xC0) != 0x80 && letters-- == 0) break;
  }
  return at;
}
}  // namespace

bool FuzzyIndex::rekeyed(std::string_view word, std::string_view key,
                         std::string& fixed) const noexcept {
  if (rekeyed_hashes_.empty() && !has_prefixes()) return false;
  const std::size_t n = word.size();
  if (n < kFuzzyMinRekeyedLetters || n > kFuzzyMaxLetters) return false;
  for (char b : word) {
    if (b < 'a' || b > 'z') return false;
  }
  // The word as typed, its key against the keys of the entry's spellings
  // with a letter left out ("dantaathe" for "dantakathe").
  if (!rekeyed_hashes_.empty() && key.size() >= kFuzzyMinRekeyedKey) {
    if (std::string_view k = rekeyed_find(key, true, false); !k.empty()) {
      fixed.assign(k);
      return true;
    }
  }
  std::array<char, kFuzzyMaxLetters> d;
  std::array<char, phonetic_key_bound(kFuzzyMaxLetters)> out;
  // Most words fold letter by letter (latin_key_into: no digraph, no
  // doubled letter, no m before a consonant), and so does the word with a
  // letter left out unless the two letters it brings together fold
  // otherwise: its key is then the word's single folds less that letter
  // (and less a final a or o), whose hash comes from the folds' prefix
  // hashes in two multiplies, as near_all's deletions do. Only a key the
  // table's filter may hold, or one that may begin with a prefix word, is
  // written out and looked up; the rest are keyed afresh as before.
  const latin_detail::LetterTables& lt = latin_detail::kLetterTables;
  const auto* p = reinterpret_cast<const unsigned char*>(word.data());
  std::array<char, kFuzzyMaxLetters> folds;
  std::array<std::uint64_t, kFuzzyMaxLetters + 1> prefix;
  prefix[0] = 0;
  std::uint64_t flagged = 0;  // bit j: letters j and j + 1 need the whole fold
  for (std::size_t j = 0; j < n; ++j) {
    folds[j] = lt.fold[p[j]];
    prefix[j + 1] = prefix[j] * kBase + static_cast<unsigned char>(folds[j]);
    if (j + 1 < n) flagged |= std::uint64_t{lt.rows[p[j]] >> lt.column[p[j + 1]] & 1u} << j;
  }
  const bool last_plain = (lt.rows[p[n - 1]] >> 26 & 1u) == 0;
  const std::size_t folded = n - (p[n - 1] == 'a' || p[n - 1] == 'o' ? 1 : 0);
  // A plain deletion's key keeps folds[0, i): from `dead` letters on, it
  // walks off the prefix trie where the folds do, before any prefix word.
  std::size_t dead = folded + 1;
  if (!has_prefixes()) {
    dead = 0;
  } else {
    std::uint32_t node = 0;
    for (std::size_t j = 0; j < folded; ++j) {
      if (trie_[node].word >= 0) break;
      node = child(node, static_cast<unsigned char>(folds[j]));
      if (node == 0) {
        dead = j + 1;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && word[i] == word[i - 1]) continue;
    // A vowel at the end is an ending, not a typo ("chandi" is no "chand").
    if (i + 1 == n && is_vowel(static_cast<unsigned char>(word[i]))) continue;
    const std::uint64_t joined = (i > 0 ? std::uint64_t{1} << (i - 1) : 0) | std::uint64_t{1} << i;
    const bool plain = i + 1 < n && last_plain && (flagged & ~joined) == 0 &&
                       (i == 0 || (lt.rows[p[i - 1]] >> lt.column[p[i + 1]] & 1u) == 0);
    bool may_table = !rekeyed_hashes_.empty();
    bool may_trie = has_prefixes();
    std::size_t len = 0;
    if (plain) {
      len = folded - 1;
      if (len < kFuzzyMinRekeyedKey) continue;
      const std::uint64_t power = kPowers[folded - 1 - i];
      const std::uint64_t h = prefix[i] * power + (prefix[folded] - prefix[i + 1] * power);
      // The key less letter i: its first and last letter are the folds'
      // unless i is the first or the last.
      const auto first = static_cast<unsigned char>(folds[i == 0 ? 1 : 0]);
      const auto last = static_cast<unsigned char>(folds[i + 1 == folded ? folded - 2 : folded - 1]);
      may_table = may_table && rekeyed_bloom_.maybe(line_of(first, last, len), mix(h));
      may_trie = i < dead;
      if (!may_table && !may_trie) continue;
      std::memcpy(out.data(), folds.data(), i);
      std::memcpy(out.data() + i, folds.data() + i + 1, len - i);
    } else {
      std::memcpy(d.data(), word.data(), i);
      std::memcpy(d.data() + i, word.data() + i + 1, n - 1 - i);
      const std::ptrdiff_t l = phonetic_key_into(std::string_view(d.data(), n - 1), out.data());
      if (l < static_cast<std::ptrdiff_t>(kFuzzyMinRekeyedKey)) continue;
      len = static_cast<std::size_t>(l);
    }
    const std::string_view k(out.data(), len);
    if (k == key) continue;
    // A letter typed too ("chhasayaa"): the rest keys as an entry's key,
    // or (a letter changed or two swapped) as one with a letter left out.
    if (rekeyed_meets(k, k.size() >= kFuzzyMinRekeyedBoth, may_table, may_trie, fixed)) return true;
  }
  return digraph_undone(word, key, fixed);
}

bool FuzzyIndex::rekeyed_meets(std::string_view k, bool deleted, bool may_table, bool may_trie,
                               std::string& fixed) const {
  if (may_table) {
    if (std::string_view e = rekeyed_find(k, deleted, true); !e.empty()) {
      fixed.assign(e);
      return true;
    }
  }
  // Or it begins with a prefix entry's key ("bagerechaa" without its r).
  if (const std::uint32_t first = may_trie ? child(0, static_cast<unsigned char>(k[0])) : 0;
      first != 0) {
    std::size_t end = 0;
    const std::int32_t w =
        exact_rest(first, reinterpret_cast<const unsigned char*>(k.data()), 1, k.size(), end);
    if (w >= 0) {
      fixed.assign(k);
      return true;
    }
  }
  return false;
}

namespace {
// digraph_undone's keyings of one word, at most: the demo's typos need
// three; a word of forty letters, every other an h, would take 180.
constexpr std::size_t kDigraphTries = 4;
// And the longest word it reads: a romanized word is rarely longer (a
// hashtag is a run of the index, corrected apart), and a keying costs
// about a hundred instructions a letter.
constexpr std::size_t kDigraphMaxLetters = 16;
// The first letters of the digraphs the key reads as one letter (ch, th,
// sh, kh, gh, bh, dh, ph, jh): a romanized spelling holds them often.
constexpr std::string_view kDigraphFirsts = "cstkgbdpj";
bool begins_digraph(char c) { return kDigraphFirsts.find(c) != std::string_view::npos; }
}  // namespace

bool FuzzyIndex::digraph_undone(std::string_view word, std::string_view key,
                                std::string& fixed) const {
  // One edit inside a digraph of a romanized spelling moves its key by two
  // letters, which no letter left out meets: "lonyhon" (lonthon, its t
  // changed), "maancihtro" (maanchitro, h and i swapped), "bagecehaa"
  // (bageechaa, e and c swapped). The word with such an edit undone, keyed,
  // must be an entry's key itself (or begin with a prefix entry's): one
  // edit of the word as typed, as a typo is. Only edits that make a digraph
  // or a long vowel are tried, and asked last, of a word that met nothing
  // else. Not tried, for their cost (a keying of the word for most
  // letters of most words): the h of a digraph changed ("maancjitro"), and
  // the second letter of a long vowel ("bagerchaa").
  // Every edit tried makes or mends a digraph of an h (a swap may make a
  // long vowel beside it too): a word without an h is let be at once.
  if (word.size() > kDigraphMaxLetters || word.find('h') == std::string_view::npos) return false;
  const std::size_t n = word.size();
  std::array<char, kFuzzyMaxLetters> d;
  std::memcpy(d.data(), word.data(), n);
  std::array<char, phonetic_key_bound(kFuzzyMaxLetters)> out;
  // At most this many keyings a word, left to right: a word of many h's
  // ("lhmhnhrhvh...") would otherwise key itself nine times for each, and
  // a query of such words cost milliseconds. Per word, so that no other
  // word of a query changes what this one meets.
  std::size_t tries = kDigraphTries;
  auto pair_in = [n](const char* s, std::size_t j) {  // s[j, j + 2): a digraph or a long vowel
    return j + 1 < n && ((begins_digraph(s[j]) && s[j + 1] == 'h') ||
                         ((s[j] == 'a' || s[j] == 'e' || s[j] == 'o') && s[j + 1] == s[j]));
  };
  // Whether the edit d[at, at + span) made a pair that the word lacked
  // there, and then whether d keys as an entry key; d is put back.
  auto meets = [&](std::size_t at, std::size_t span) {
    bool made = false;
    for (std::size_t j = at > 0 ? at - 1 : 0; j < at + span && !made; ++j) {
      made = pair_in(d.data(), j) && !pair_in(word.data(), j);
    }
    bool met = false;
    if (made && tries > 0) {
      --tries;
      const std::ptrdiff_t l = phonetic_key_into(std::string_view(d.data(), n), out.data());
      const std::string_view k(out.data(), l > 0 ? static_cast<std::size_t>(l) : 0);
      met = k.size() >= kFuzzyMinRekeyedKey && k != key &&
            rekeyed_meets(k, false, !rekeyed_hashes_.empty(), has_prefixes(), fixed);
    }
    std::memcpy(d.data() + at, word.data() + at, span);
    return met;
  };
  for (std::size_t i = 0; i + 1 < n && tries > 0; ++i) {
    const char a = word[i];
    const char b = word[i + 1];
    if (a == b) continue;
    // Two letters swapped.
    std::swap(d[i], d[i + 1]);
    if (meets(i, 2)) return true;
    // A digraph's first letter changed: an h after a consonant that
    // begins none.
    if (b == 'h' && !begins_digraph(a) && !is_vowel(static_cast<unsigned char>(a))) {
      for (const char c : kDigraphFirsts) {
        d[i] = c;
        if (meets(i, 1)) return true;
      }
    }
  }
  return false;
}

bool FuzzyIndex::may_share_deletion(const char32_t* c, std::size_t m) const {
  if (prefix_dels_.empty()) return true;
  auto has = [this](std::uint64_t h) {
    const std::uint64_t b = bits_of(h);
    return (prefix_dels_[(h >> 12) & dels_mask_] & b) == b;
  };
  const Deletions d(c, m);
  if (has(mix(d.whole()))) return true;
  for (std::size_t k = 1; k < m; ++k) {
    if (has(mix(d.without(k)))) return true;
  }
  return false;
}

bool FuzzyTyped::decode() const {
  if (decoded_ < 0) decoded_ = letters_of(token_, c_.data(), c_.size(), n_) ? 1 : 0;
  return decoded_ == 1;
}

std::size_t FuzzyTyped::guard_letters() const {
  if (guard_letters_ == SIZE_MAX) {
    if (own_guard() && decode()) {
      guard_letters_ = n_;
    } else {
      guard_letters_ = code_point_count(guard_);
    }
  }
  return guard_letters_;
}

bool FuzzyIndex::near_prefix(std::string_view token, std::string_view guard,
                             std::string& fixed) const noexcept {
  return near_prefix(FuzzyTyped(token, guard), fixed);
}

bool FuzzyIndex::near_prefix(const FuzzyTyped& typed, std::string& fixed) const noexcept {
  const std::string_view token = typed.token();
  if (!has_prefixes() || token.size() + 1 < kFuzzyMinPrefixLetters) return false;
  // The token's first letter is typed as it is: one that begins no prefix
  // word ends the walk before its first step (a bit, where the trie's root
  // would cost a search), and most tokens stop here.
  const auto* bytes = reinterpret_cast<const unsigned char*>(token.data());
  const char32_t c0 = bytes[0] < 0x80 ? bytes[0] : decode_valid_utf8(bytes).cp;
  if ((first_letters_[(c0 >> 6) & 15] >> (c0 & 63) & 1) == 0) return false;
  // A guard that is not the token is counted before the token is decoded
  // (most often the token itself, decoded already by near_all).
  if (!typed.own_guard() && typed.guard_letters() < kFuzzyMinPrefixLetters) return false;
  if (!typed.decode() || typed.size() + 1 < kFuzzyMinPrefixLetters) return false;
  if (typed.guard_letters() < kFuzzyMinPrefixLetters) return false;
  const char32_t* c = typed.letters();
  const std::size_t n = typed.size();
  // The filter, for m in L-1..L+1 (the token's first m letters are the
  // typed word of a prefix word of L letters): with the edit after the
  // second letter, the token's first two letters and its letter m - 1 are
  // the prefix word's first two and last; with it before the word's last
  // two, its first and its letters m - 2 and m - 1 are the word's first
  // and last two. A word of five letters or more has one or the other. A
  // word of kStrongEnds letters or more holds three letters the same way
  // (the edit after the third letter, or before the last three), and is
  // filed only so: most tokens stop here.
  bool may = false;
  const std::size_t last = std::min(n, max_prefix_letters_ + 1);
  for (std::size_t m = kFuzzyMinPrefixLetters - 1; m <= last && !may; ++m) {
    if (m <= kStrongEnds) {  // some L in m-1..m+1 is under kStrongEnds
      may = may_end({c[0], c[1], c[m - 1], 0}, m, 0) || may_end({c[0], c[m - 2], c[m - 1], 0}, m, 1);
    }
    if (!may && m + 1 >= kStrongEnds) {
      may = may_end({c[0], c[1], c[2], c[m - 1]}, m, 2) ||
            may_end({c[0], c[m - 3], c[m - 2], c[m - 1]}, m, 3);
    }
    // Then symmetric delete, on the prefix words only: the typed word and
    // some prefix word, each as it is or with a letter after its first
    // left out, are the same. A small filter (a few bits a deletion of a
    // prefix word), so that the walk below is mostly a real one.
    if (may && !may_share_deletion(c, m)) may = false;
  }
  if (!may) return false;
  // The first letter as typed; then, at each letter along the token's own
  // path, one edit and the rest as typed.
  std::uint32_t node = child(0, c[0]);
  std::int32_t best = -1;
  std::size_t best_end = 0;
  // A hostile list can give a node thousands of children: a bounded
  // number of walks keeps a token's cost bounded whatever the list (a
  // list's node has a script's letters at most, some sixty).
  int budget = 1024;
  // The rest of the token from trie node `from` and letter `i` as typed.
  auto take = [&](std::uint32_t from, std::size_t i) {
    if (--budget < 0) return;
    std::size_t end = 0;
    const std::int32_t w = exact_rest(from, c, i, n, end);
    if (w >= 0 && (best < 0 || w < best)) {
      best = w;
      best_end = end;
    }
  };
  for (std::size_t i = 1; node != 0; ++i) {
    if (trie_[node].word >= 0) return false;  // begins with a prefix word as it is
    if (i < n) take(node, i + 1);  // a letter typed too
    const Node& p = trie_[node];
    for (std::uint32_t k = p.first; k < p.first + p.count; ++k) {
      take(k, i);  // a letter left out
      if (i < n && trie_[k].letter != c[i]) {
        take(k, i + 1);  // a letter changed
      }
    }
    if (i + 1 < n && c[i] != c[i + 1]) {  // two swapped
      const std::uint32_t a = child(node, c[i + 1]);
      const std::uint32_t b = a == 0 ? 0 : child(a, c[i]);
      if (b != 0) take(b, i + 2);
    }
    if (i >= n) break;
    node = child(node, c[i]);
  }
  if (best < 0) return false;
  // The prefix word, then the rest of the token as typed ("bazsaars" reads
  // "bazaars"): only a prefix entry matches it, never a phrase whose word
  // the prefix word is.
  fixed.assign(prefix_words_[static_cast<std::size_t>(best)]);
  fixed.append(token.substr(bytes_of(token, best_end)));
  return true;
}

struct FuzzyIndex::Tables {
  // What finish() sorts.
  stored::OwnedStrings words;
  std::vector<std::uint64_t> exact;
  std::vector<std::uint64_t> key_hashes;
  std::vector<std::uint32_t> key_words;
  stored::OwnedStrings runs;
  std::vector<std::uint64_t> run_hashes;
  std::vector<std::uint32_t> run_words;
  stored::OwnedStrings rekeyed_keys;
  stored::OwnedStrings rekeyed_text;
  std::vector<std::uint64_t> rekeyed_hashes;
  std::vector<std::uint32_t> rekeyed_texts;
  std::vector<std::uint32_t> rekeyed_key_of;
  std::vector<std::uint8_t> rekeyed_deleted;
  // What index() builds from them.
  stored::OwnedStrings prefix_words;
  std::vector<Node> trie;
  std::vector<char32_t> letters;
  std::vector<std::uint32_t> letters_at;
  std::vector<std::uint64_t> exact_slots;
  std::vector<std::uint32_t> key_buckets;
  std::vector<std::uint32_t> run_buckets;
  std::vector<std::uint64_t> prefix_ends;
  std::vector<std::uint64_t> prefix_dels;
  std::vector<std::uint64_t> bloom;
  std::vector<std::uint64_t> run_filter;
  std::vector<std::uint64_t> rekeyed_bloom;
};

namespace {

// Sorts `keys` by hash and word, drops repeats, and splits them in two.
template <class Key>
void split_keys(std::vector<Key>& keys, std::vector<std::uint64_t>& hashes,
                std::vector<std::uint32_t>& words) {
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.word < b.word;
  });
  keys.erase(std::unique(keys.begin(), keys.end(),
                         [](const Key& a, const Key& b) { return a.hash == b.hash && a.word == b.word; }),
             keys.end());
  for (const Key& k : keys) {
    hashes.push_back(k.hash);
    words.push_back(k.word);
  }
}

}  // namespace

void FuzzyIndex::finish_runs(Tables& t) {
  // A run that is also a word is found among the words.
  std::sort(runs_built_.begin(), runs_built_.end());
  runs_built_.erase(std::unique(runs_built_.begin(), runs_built_.end()), runs_built_.end());
  std::vector<std::string> runs;
  std::set_difference(runs_built_.begin(), runs_built_.end(), words_built_.begin(),
                      words_built_.end(), std::back_inserter(runs));
  runs_built_.clear();
  std::vector<Key> keys;
  for (std::uint32_t r = 0; r < runs.size(); ++r) {
    std::array<char32_t, kFuzzyMaxLetters> c;
    std::size_t m = 0;
    letters_of(runs[r], c.data(), c.size(), m);  // add() took it
    const Deletions d(c.data(), m);
    keys.push_back(Key{run_key(d.range(0, run_front(m)), m, false), r});
    keys.push_back(Key{run_key(d.range(m - run_back(m), m), m, true), r});
  }
  split_keys(keys, t.run_hashes, t.run_words);
  t.runs = stored::OwnedStrings(runs);
}

void FuzzyIndex::finish() {
  auto t = std::make_shared<Tables>();
  std::sort(prefix_built_.begin(), prefix_built_.end());
  prefix_built_.erase(std::unique(prefix_built_.begin(), prefix_built_.end()), prefix_built_.end());
  std::vector<std::u32string> prefix_letters;
  letters_of_all(prefix_built_, prefix_letters);
  // The trie wants the words in code point order, shorter first.
  {
    std::vector<std::size_t> order(prefix_built_.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return prefix_letters[a] < prefix_letters[b];
    });
    std::vector<std::string> words;
    std::vector<std::u32string> letters;
    for (std::size_t k : order) {
      words.push_back(std::move(prefix_built_[k]));
      letters.push_back(std::move(prefix_letters[k]));
    }
    t->prefix_words = stored::OwnedStrings(words);
    prefix_letters = std::move(letters);
  }
  prefix_built_ = {};
  if (keys_index_) {
    std::sort(short_words_.begin(), short_words_.end());
    short_words_.erase(std::unique(short_words_.begin(), short_words_.end()), short_words_.end());
    std::array<char, phonetic_key_bound(kFuzzyMaxLetters)> out;
    std::vector<std::string> keys;
    std::vector<std::string> texts;
    std::vector<Rekeyed> table;
    for (const std::string& k : short_words_) {
      if (k.size() > kFuzzyMaxLetters) continue;
      const auto key = static_cast<std::uint32_t>(keys.size());
      keys.push_back(k);
      auto push = [&](std::string_view text, bool deleted) {
        table.push_back(Rekeyed{mix(key_hash(text)), static_cast<std::uint32_t>(texts.size()), key,
                                deleted});
        texts.emplace_back(text);
      };
      push(k, false);
      std::string d;
      for (std::size_t j = 0; j < k.size(); ++j) {
        if (j > 0 && k[j] == k[j - 1]) continue;
        if (j + 1 == k.size() && is_vowel(static_cast<unsigned char>(k[j]))) continue;  // an ending
        d.assign(k).erase(j, 1);
        const std::ptrdiff_t len = phonetic_key_into(d, out.data());
        if (len < static_cast<std::ptrdiff_t>(kFuzzyMinRekeyedKey)) continue;
        push(std::string_view(out.data(), static_cast<std::size_t>(len)), true);
      }
    }
    std::sort(table.begin(), table.end(),
              [](const Rekeyed& a, const Rekeyed& b) { return a.hash < b.hash; });
    for (const Rekeyed& r : table) {
      t->rekeyed_hashes.push_back(r.hash);
      t->rekeyed_texts.push_back(r.text);
      t->rekeyed_key_of.push_back(r.key);
      t->rekeyed_deleted.push_back(r.deleted ? 1 : 0);
    }
    t->rekeyed_keys = stored::OwnedStrings(keys);
    t->rekeyed_text = stored::OwnedStrings(texts);
  }
  short_words_.clear();

  std::sort(words_built_.begin(), words_built_.end());
  words_built_.erase(std::unique(words_built_.begin(), words_built_.end()), words_built_.end());
  finish_runs(*t);
  std::sort(exact_built_.begin(), exact_built_.end());
  exact_built_.erase(std::unique(exact_built_.begin(), exact_built_.end()), exact_built_.end());
  t->exact = std::move(exact_built_);
  exact_built_.clear();
  t->words = stored::OwnedStrings(words_built_);
  words_built_.clear();
  {
    const stored::Strings words = t->words.view();
    t->letters_at.assign(1, 0);
    for (std::size_t k = 0; k < words.size(); ++k) {
      std::array<char32_t, kFuzzyMaxLetters> c;
      std::size_t n = 0;
      letters_of(words[k], c.data(), c.size(), n);  // add() took it
      t->letters.insert(t->letters.end(), c.data(), c.data() + n);
      t->letters_at.push_back(static_cast<std::uint32_t>(t->letters.size()));
    }
    letters_ = Letters(t->letters, t->letters_at);
  }
  std::vector<Key> keys;
  for (std::uint32_t w = 0; w < letters_.size(); ++w) {
    const std::u32string_view c = letters_[w];
    const std::size_t n = c.size();
    const Deletions d(c.data(), n);
    keys.push_back(Key{mix(d.whole()), w});
    for (std::size_t k = 0; k < n; ++k) {
      // A doubled letter gives the same deletion twice: keep one key.
      if (k > 0 && c[k] == c[k - 1]) continue;
      keys.push_back(Key{mix(d.without(k)), w});
    }
  }
  split_keys(keys, t->key_hashes, t->key_words);
  words_ = t->words.view();
  exact_ = t->exact;
  key_hashes_ = t->key_hashes;
  key_words_ = t->key_words;
  runs_ = t->runs.view();
  run_hashes_ = t->run_hashes;
  run_words_ = t->run_words;
  rekeyed_keys_ = t->rekeyed_keys.view();
  rekeyed_text_ = t->rekeyed_text.view();
  rekeyed_hashes_ = t->rekeyed_hashes;
  rekeyed_texts_ = t->rekeyed_texts;
  rekeyed_key_of_ = t->rekeyed_key_of;
  rekeyed_deleted_ = t->rekeyed_deleted;
  index(*t, prefix_letters);
  storage_ = std::move(t);
}

bool FuzzyIndex::letters_of_all(const std::vector<std::string>& words,
                                std::vector<std::u32string>& out) {
  out.clear();
  out.reserve(words.size());
  for (const std::string& w : words) {
    std::array<char32_t, kFuzzyMaxLetters> c;
    std::size_t n = 0;
    const bool ok = letters_of(w, c.data(), c.size(), n);
    out.emplace_back(c.data(), n);
    if (!ok) return false;
  }
  return true;
}

void FuzzyIndex::LineFilter::size_for(std::vector<std::uint64_t>& own, std::size_t keys,
                                      std::size_t bits) {
  std::size_t words = 16;
  while (words * 64 < keys * bits) words *= 2;
  mask_ = words - 1;
  own.assign(words + 8, 0);
  building_ = own.data() + first_line_word(own.data());
  words_ = std::span<const std::uint64_t>(building_, words);
}

bool FuzzyIndex::LineFilter::view(std::span<const std::uint64_t> words) {
  if (words.size() < 8 || (words.size() & (words.size() - 1)) != 0) return false;
  words_ = words;
  building_ = nullptr;
  mask_ = words.size() - 1;
  return true;
}

void FuzzyIndex::index(Tables& t, const std::vector<std::u32string>& prefix_letters) {
  serial_ = next_serial();
  prefix_words_ = t.prefix_words.view();
  t.trie.assign(1, Node{});
  if (!prefix_letters.empty()) build_trie(t.trie, prefix_letters, 0, 0, prefix_letters.size(), 0);
  trie_ = t.trie;
  first_letters_ = {};
  root_children_ = {};
  root_shared_ = false;
  for (std::uint32_t k = trie_[0].first; k < trie_[0].first + trie_[0].count; ++k) {
    const char32_t c = trie_[k].letter;
    first_letters_[(c >> 6) & 15] |= std::uint64_t{1} << (c & 63);
    std::uint32_t& slot = root_children_[c & (root_children_.size() - 1)];
    if (slot != 0) root_shared_ = true;
    slot = k;
  }
  {
    std::size_t words = 16;
    while (words * 64 < prefix_letters.size() * 6 * 32) words *= 2;
    ends_mask_ = words - 1;
    t.prefix_ends.assign(words, 0);
    max_prefix_letters_ = 0;
    for (const std::u32string& w : prefix_letters) {
      const std::size_t l = w.size();
      max_prefix_letters_ = std::max(max_prefix_letters_, l);
      const bool strong = l >= kStrongEnds;
      for (std::size_t m = l - 1; m <= l + 1; ++m) {
        for (unsigned kind : {0u, 1u}) {
          const std::uint64_t h =
              strong ? (kind == 0 ? end_hash({w[0], w[1], w[2], w[l - 1]}, m, 2)
                                  : end_hash({w[0], w[l - 3], w[l - 2], w[l - 1]}, m, 3))
                     : (kind == 0 ? end_hash({w[0], w[1], w[l - 1], 0}, m, 0)
                                  : end_hash({w[0], w[l - 2], w[l - 1], 0}, m, 1));
          t.prefix_ends[(h >> 6) & ends_mask_] |= std::uint64_t{1} << (h & 63);
        }
      }
    }
    // may_share_deletion's keys: each prefix word, and each with a letter
    // after its first left out (the first is always typed as it is).
    std::size_t keys = 0;
    for (const std::u32string& w : prefix_letters) keys += w.size();
    std::size_t bits = 16;
    while (bits * 64 < keys * 32) bits *= 2;
    dels_mask_ = bits - 1;
    t.prefix_dels.assign(prefix_letters.empty() ? 0 : bits, 0);
    for (const std::u32string& w : prefix_letters) {
      const Deletions d(w.data(), w.size());
      for (std::size_t skip = w.size(); skip >= 1; --skip) {
        const std::uint64_t h = mix(skip == w.size() ? d.whole() : d.without(skip));
        t.prefix_dels[(h >> 12) & dels_mask_] |= bits_of(h);
      }
    }
    prefix_ends_ = t.prefix_ends;
    prefix_dels_ = t.prefix_dels;
  }
  rekeyed_bloom_.size_for(t.rekeyed_bloom, rekeyed_hashes_.size());
  for (std::size_t k = 0; k < rekeyed_hashes_.size(); ++k) {
    const std::uint32_t text = rekeyed_texts_[k];
    if (text < rekeyed_text_.size() && !rekeyed_text_[text].empty()) {
      rekeyed_bloom_.set(text_line(rekeyed_text_[text]), rekeyed_hashes_[k]);
    }
  }
  std::size_t longest = 0;
  exact_gap_value_ = gapped_slots(exact_, t.exact_slots, exact_shift_, &longest);
  if (longest > kGappedLongestRun) t.exact_slots.clear();
  exact_slots_ = t.exact_slots;
  t.key_buckets = buckets_of(key_hashes_, [](std::uint64_t h) { return h; }, key_bits_);
  key_buckets_ = t.key_buckets;
  // Four keys a bucket: a lookup is a long token's, rare, and the table
  // is shared in a mapped file, but not in the cache.
  t.run_buckets = buckets_of(run_hashes_, [](std::uint64_t h) { return h; }, run_bits_, 4);
  run_buckets_ = t.run_buckets;
  run_filter_.size_for(t.run_filter, run_hashes_.size(), 16);
  {
    // Each run's line, the runs read in order: read in the keys' order (by
    // hash), each run was a cache miss, a third of this function's time.
    std::vector<std::uint64_t> lines(runs_.size());
    for (std::size_t r = 0; r < runs_.size(); ++r) {
      const std::string_view w = runs_[r];  // valid UTF-8 (add)
      lines[r] = run_line(first_letter(w), last_letter(w));
    }
    for (std::size_t k = 0; k < run_hashes_.size(); ++k) {
      run_filter_.set(lines[run_words_[k]], run_hashes_[k]);
    }
  }
  // About 32 bits per key, two of them set: a token's deletions that begin
  // no entry word's key pass with odds near 1 in 250.
  bloom_.size_for(t.bloom, key_hashes_.size());
  for (std::size_t w = 0; w < letters_.size(); ++w) {
    const std::u32string_view c = letters_[w];
    const std::size_t n = c.size();
    if (n < 2) continue;
    const Deletions d(c.data(), n);
    bloom_.set(line_of(c[0], c[n - 1], n), mix(d.whole()));
    for (std::size_t k = 0; k < n; ++k) {
      if (k > 0 && c[k] == c[k - 1]) continue;
      const std::uint64_t line = k == 0       ? line_of(c[1], c[n - 1], n - 1)
                                 : k + 1 == n ? line_of(c[0], c[n - 2], n - 1)
                                              : line_of(c[0], c[n - 1], n - 1);
      bloom_.set(line, mix(d.without(k)));
    }
  }
}

// What finish() sorts (a Key or a Rekeyed as parallel arrays: they have
// padding), then what index() builds from it, so that opening a file
// builds nothing: the filters each from a cache line.
void FuzzyIndex::save(std::string& out) const {
  stored::Writer w(out);
  w.u64(min_letters_ | std::uint64_t{keys_index_} << 32);
  w.strings(words_);
  w.strings(runs_);
  w.array(exact_);
  w.array(key_hashes_);
  w.array(key_words_);
  w.array(run_hashes_);
  w.array(run_words_);
  w.strings(prefix_words_);
  w.strings(rekeyed_keys_);
  w.strings(rekeyed_text_);
  w.array(rekeyed_hashes_);
  w.array(rekeyed_texts_);
  w.array(rekeyed_key_of_);
  w.array(rekeyed_deleted_);
  w.u64(exact_shift_ | std::uint64_t{exact_gap_value_} << 8 | std::uint64_t{key_bits_} << 16 |
        std::uint64_t{run_bits_} << 24 | std::uint64_t{root_shared_} << 32);
  w.u64(max_prefix_letters_);
  w.u64(ends_mask_);
  w.u64(dels_mask_);
  w.array(std::span<const std::uint64_t>(first_letters_));
  w.array(std::span<const std::uint32_t>(root_children_));
  w.array(trie_);
  w.array(letters_.pool());
  w.array(letters_.at());
  w.array(key_buckets_);
  w.array(run_buckets_);
  w.lines(exact_slots_);
  w.lines(prefix_ends_);
  w.lines(prefix_dels_);
  w.lines(bloom_.words());
  w.lines(run_filter_.words());
  w.lines(rekeyed_bloom_.words());
}

const char* FuzzyIndex::check_index() const {
  // Each filter's words are a power of two lines (LineFilter::view), each
  // bucket table one more than a power of two, in order, within its keys.
  auto buckets_ok = [](std::span<const std::uint32_t> b, unsigned bits, std::size_t keys) {
    if (bits < 1 || bits > 31 || b.size() != (std::size_t{1} << bits) + 1 || b.front() != 0 ||
        b.back() != keys) {
      return false;
    }
    for (std::size_t k = 1; k < b.size(); ++k) {
      if (b[k - 1] > b[k]) return false;
    }
    return true;
  };
  if (!buckets_ok(key_buckets_, key_bits_, key_hashes_.size()) ||
      !buckets_ok(run_buckets_, run_bits_, run_hashes_.size())) {
    return "a bucket table is malformed";
  }
  // A lookup scans from a hash's home to the first slot not below it: the
  // last slot a gap stops every scan, and no run of filled slots is
  // longer than a built table's may be (gapped_slots).
  if (!exact_slots_.empty()) {
    if (exact_shift_ < 24 || exact_shift_ > 60 ||
        exact_slots_.size() <= (~std::uint64_t{0} >> exact_shift_) + 1 ||
        exact_slots_.back() != kGapSlot) {
      return "its words' slots are malformed";
    }
    std::size_t run = 0;
    for (const std::uint64_t v : exact_slots_) {
      run = v == kGapSlot ? 0 : run + 1;
      if (run > kGappedLongestRun) return "its words' slots are malformed";
    }
  }
  const std::span<const std::uint32_t> at = letters_.at();
  if (at.size() != words_.size() + 1 || at.front() != 0 || at.back() != letters_.pool().size()) {
    return "its letters disagree with its words";
  }
  for (std::size_t w = 0; w + 1 < at.size(); ++w) {
    if (at[w] > at[w + 1]) return "its letters disagree with its words";
  }
  for (std::size_t w = 0; w + 1 < at.size(); ++w) {
    const std::size_t n = at[w + 1] - at[w];
    if (n < min_letters_) return "a word is too short";
    if (n > kFuzzyMaxLetters) return "a word is not one the index takes";
  }
  // The trie's walks (child, exact_rest, near_prefix) follow a node's
  // children and its word: each within the trie and the prefix words.
  for (const Node& node : trie_) {
    if (std::uint64_t{node.first} + node.count > trie_.size() || node.word < -1 ||
        (node.word >= 0 && static_cast<std::size_t>(node.word) >= prefix_words_.size())) {
      return "its prefix trie is malformed";
    }
  }
  for (const std::uint32_t k : root_children_) {
    if (k >= trie_.size() && k != 0) return "its prefix trie is malformed";
  }
  // The prefix filters are read only when the trie has a word (has_prefixes).
  if (has_prefixes() && (prefix_ends_.size() != ends_mask_ + 1 || prefix_dels_.size() != dels_mask_ + 1 ||
                         (ends_mask_ & (ends_mask_ + 1)) != 0 || (dels_mask_ & (dels_mask_ + 1)) != 0)) {
    return "its prefix filters are malformed";
  }
  return nullptr;
}

// One pass, where a UTF-8 check, a digit test and a count were three over
// 400k words and runs on every open of 100k entries: five Indic letters
// (E0, then A0-BF, then a continuation byte) at a time, eight ASCII bytes
// at a time, else a character at a time.
std::size_t stored_letters(std::string_view w) noexcept {
  std::size_t letters = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(w.data());
  for (std::size_t i = 0; i < w.size();) {
    if (p[i] == 0xE0) {
#if defined(__SSE2__)
      // Five letters of the Indic blocks in sixteen bytes: each byte under
      // its letter's mask equal to the pattern (the sixteenth masked out).
      if (w.size() - i >= 16) {
        const __m128i mask = _mm_setr_epi8(-1, '\xE0', '\xC0', -1, '\xE0', '\xC0', -1, '\xE0',
                                           '\xC0', -1, '\xE0', '\xC0', -1, '\xE0', '\xC0', 0);
        const __m128i want = _mm_setr_epi8('\xE0', '\xA0', '\x80', '\xE0', '\xA0', '\x80', '\xE0',
                                           '\xA0', '\x80', '\xE0', '\xA0', '\x80', '\xE0', '\xA0',
                                           '\x80', 0);
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, mask), want)) == 0xFFFF) {
          i += 15;
          letters += 5;
          continue;
        }
      }
#endif
      // One such letter: in an Indic word every character is one.
      if (w.size() - i >= 3 && (p[i + 1] & 0xE0u) == 0xA0u && (p[i + 2] & 0xC0u) == 0x80u) {
        i += 3;
        ++letters;
        continue;
      }
    }
    std::uint64_t x;
    if (w.size() - i >= 8 && (std::memcpy(&x, w.data() + i, 8), (x & bytes8::kHighBits) == 0)) {
      if (bytes8::bytes_between(x, '0', '9') != 0) return 0;
      i += 8;
      letters += 8;
      continue;
    }
    const unsigned char b = p[i];
    const std::size_t size = utf8_sequence_size(w, i);
    if (size == 0 || (b >= '0' && b <= '9')) return 0;
    i += size;
    ++letters;
  }
  return letters;
}

bool FuzzyIndex::load(std::string_view bytes, std::shared_ptr<const void> keep_alive,
                      std::string* why) {
  FuzzyIndex t(min_letters_, keys_index_);
  auto fail = [&](const char* reason) {
    if (why != nullptr) *why = reason;
    return false;
  };
  stored::Reader r(bytes);
  if (r.u64() != (min_letters_ | std::uint64_t{keys_index_} << 32)) return fail("another kind");
  t.words_ = r.strings();
  t.runs_ = r.strings();
  t.exact_ = r.array<std::uint64_t>();
  t.key_hashes_ = r.array<std::uint64_t>();
  t.key_words_ = r.array<std::uint32_t>();
  t.run_hashes_ = r.array<std::uint64_t>();
  t.run_words_ = r.array<std::uint32_t>();
  t.prefix_words_ = r.strings();
  t.rekeyed_keys_ = r.strings();
  t.rekeyed_text_ = r.strings();
  t.rekeyed_hashes_ = r.array<std::uint64_t>();
  t.rekeyed_texts_ = r.array<std::uint32_t>();
  t.rekeyed_key_of_ = r.array<std::uint32_t>();
  t.rekeyed_deleted_ = r.array<std::uint8_t>();
  const std::uint64_t scalars = r.u64();
  t.exact_shift_ = static_cast<unsigned>(scalars & 0xFF);
  t.exact_gap_value_ = (scalars >> 8 & 0xFF) != 0;
  t.key_bits_ = static_cast<unsigned>(scalars >> 16 & 0xFF);
  t.run_bits_ = static_cast<unsigned>(scalars >> 24 & 0xFF);
  t.root_shared_ = (scalars >> 32 & 0xFF) != 0;
  t.max_prefix_letters_ = static_cast<std::size_t>(r.u64());
  t.ends_mask_ = r.u64();
  t.dels_mask_ = r.u64();
  const auto first_letters = r.array<std::uint64_t>();
  const auto root_children = r.array<std::uint32_t>();
  t.trie_ = r.array<Node>();
  const auto pool = r.array<char32_t>();
  const auto at = r.array<std::uint32_t>();
  t.letters_ = Letters(pool, at);
  t.key_buckets_ = r.array<std::uint32_t>();
  t.run_buckets_ = r.array<std::uint32_t>();
  t.exact_slots_ = r.lines<std::uint64_t>();
  t.prefix_ends_ = r.lines<std::uint64_t>();
  t.prefix_dels_ = r.lines<std::uint64_t>();
  const bool filters = t.bloom_.view(r.lines<std::uint64_t>()) &&
                       t.run_filter_.view(r.lines<std::uint64_t>()) &&
                       t.rekeyed_bloom_.view(r.lines<std::uint64_t>());
  if (!r.done()) return fail("truncated");
  if (!filters) return fail("a filter is malformed");
  // An index never finished (its view off) has no bucket tables: an empty
  // one, so that every lookup reads a table.
  static constexpr std::uint32_t kNoBuckets[3] = {0, 0, 0};
  if (t.key_buckets_.empty() && t.key_hashes_.empty()) t.key_buckets_ = kNoBuckets, t.key_bits_ = 1;
  if (t.run_buckets_.empty() && t.run_hashes_.empty()) t.run_buckets_ = kNoBuckets, t.run_bits_ = 1;
  if ((scalars >> 40) != 0 || first_letters.size() != t.first_letters_.size() ||
      root_children.size() != t.root_children_.size()) {
    return fail("its prefix trie is malformed");
  }
  std::copy(first_letters.begin(), first_letters.end(), t.first_letters_.begin());
  std::copy(root_children.begin(), root_children.end(), t.root_children_.begin());
  const std::size_t rekeyed = t.rekeyed_hashes_.size();
  if (t.key_words_.size() != t.key_hashes_.size() ||
      t.run_words_.size() != t.run_hashes_.size() || t.rekeyed_texts_.size() != rekeyed ||
      t.rekeyed_key_of_.size() != rekeyed || t.rekeyed_deleted_.size() != rekeyed) {
    return fail("its arrays disagree in length");
  }
  // letters_of() reads valid UTF-8 only; every other index the queries
  // follow is checked here. add() takes no word with a digit (so a
  // correction never has one), nor one of fewer letters than the index's
  // least or more than kFuzzyMaxLetters.
  for (std::size_t k = 0; k < t.words_.size(); ++k) {
    const std::size_t n = stored_letters(t.words_[k]);
    if (n < t.min_letters_ || n > kFuzzyMaxLetters) return fail("a word is not one the index takes");
  }
  for (std::size_t k = 0; k < t.prefix_words_.size(); ++k) {
    if (!is_valid_utf8(t.prefix_words_[k])) return fail("a word is not UTF-8");
  }
  if (const char* bad = t.check_index()) return fail(bad);
  // near_runs() decodes a run where it lies, and trusts it to decode: what
  // letters_of() takes, without decoding each (a run is checked on every
  // open, and there are many).
  for (std::size_t k = 0; k < t.runs_.size(); ++k) {
    const std::size_t n = stored_letters(t.runs_[k]);
    if (n < t.min_letters_ || n > kFuzzyMaxLetters) return fail("a run is not one the index takes");
  }
  for (std::size_t k = 1; k < t.exact_.size(); ++k) {
    if (t.exact_[k - 1] >= t.exact_[k]) return fail("its words' hashes are out of order");
  }
  for (std::size_t k = 0; k < t.key_hashes_.size(); ++k) {
    if (t.key_words_[k] >= t.words_.size() || (k > 0 && t.key_hashes_[k - 1] > t.key_hashes_[k])) {
      return fail("a deletion key is malformed");
    }
  }
  for (std::size_t k = 0; k < t.run_hashes_.size(); ++k) {
    if (t.run_words_[k] >= t.runs_.size() || (k > 0 && t.run_hashes_[k - 1] > t.run_hashes_[k])) {
      return fail("a run's key is malformed");
    }
  }
  if (!t.keys_index_ && (!t.rekeyed_keys_.empty() || rekeyed != 0)) {
    return fail("it has keys it cannot have");
  }
  for (std::size_t k = 0; k < rekeyed; ++k) {
    if (t.rekeyed_texts_[k] >= t.rekeyed_text_.size() ||
        t.rekeyed_key_of_[k] >= t.rekeyed_keys_.size() || t.rekeyed_deleted_[k] > 1 ||
        (k > 0 && t.rekeyed_hashes_[k - 1] > t.rekeyed_hashes_[k])) {
      return fail("a rekeyed key is malformed");
    }
  }
  t.storage_ = std::move(keep_alive);
  *this = std::move(t);
  return true;
}

std::string_view FuzzyIndex::correct(std::string_view token) const noexcept {
  return correct(token, token, token_hash(token.data(), token.size()));
}

std::string_view FuzzyIndex::correct(std::string_view token, std::string_view guard,
                                     std::uint64_t guard_hash) const noexcept {
  // Five bytes is the shortest a token one letter short of a six-letter
  // word can be; most tokens stop here. The word a key spells is held to
  // the same length as a word.
  if (token.size() + 1 < min_letters_ || guard.size() + 1 < kFuzzyMinLetters || words_.empty()) {
    return {};
  }
  // The benign-word guard first: most long words of a query are ordinary
  // words, and asking costs a bucket lookup by the hash the views recorded.
  if (is_dictionary_hash(guard_hash) || is_inflected_dictionary_word(guard)) return {};
  return near(token, guard);
}

std::string_view FuzzyIndex::near(std::string_view token, std::string_view guard) const noexcept {
  std::string_view out;
  return near_all(token, guard, &out, 1) == 0 ? std::string_view() : out;
}

std::size_t FuzzyIndex::near_all(std::string_view token, std::string_view guard,
                                 std::string_view* out, std::size_t cap) const noexcept {
  return near_all(FuzzyTyped(token, guard), out, cap);
}

namespace {

// Whether `c` (one edit from `w`) has the first and the last letter of `w`
// where `w` has them, or two of its letters swapped there: the edit of a
// run (a word added run together: FuzzyIndex::add) is inside it.
bool ends_typed(std::u32string_view w, const char32_t* c, std::size_t n) {
  const std::size_t m = w.size();
  if (n == m && n >= 2) {
    const bool swapped_front = c[0] == w[1] && c[1] == w[0];
    const bool swapped_back = c[n - 1] == w[m - 2] && c[n - 2] == w[m - 1];
    if (swapped_front || swapped_back) return true;
  }
  return c[0] == w.front() && c[n - 1] == w.back();
}

}  // namespace

std::size_t FuzzyIndex::near_all(const FuzzyTyped& typed, std::string_view* out,
                                 std::size_t cap) const noexcept {
  const std::string_view token = typed.token();
  if (token.size() + 1 < min_letters_ || typed.guard().size() + 1 < kFuzzyMinLetters ||
      words_.empty()) {
    return 0;
  }
  if (!typed.decode() || typed.size() + 1 < min_letters_) return 0;
  const char32_t* c = typed.letters();
  const std::size_t n = typed.size();
  bool short_guard = false;
  if (typed.guard().data() != token.data()) {
    // A key spells a word: that word, as typed, needs five letters too
    // (बटन is three, and its key "batan" is one edit from "bagan").
    const std::size_t letters = typed.guard_letters();
    if (letters + 1 < kFuzzyMinLetters) return 0;
    short_guard = letters < kFuzzyMinVowelLetters;
  }
  const Deletions d(c, n);
  // Keys to look up: the token itself (an entry word, or a deletion of
  // one), then each deletion of the token.
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> want;
  // All of them first, the filter's four lines fetched, then the filter
  // asked: the loads, cache misses in a large list's filter, overlap
  // instead of following one another.
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> all;
  std::array<std::uint64_t, kFuzzyMaxLetters + 2> lines;
  std::size_t hashes = 0;
  // The filter's lines (line_of): the token's own, its first letter left
  // out, its last, and any other (one line for all of those).
  const std::uint64_t whole = line_of(c[0], c[n - 1], n);
  const std::uint64_t middle = line_of(c[0], c[n - 1], n - 1);
  const std::uint64_t no_first = line_of(c[1], c[n - 1], n - 1);
  const std::uint64_t no_last = line_of(c[0], c[n - 2], n - 1);
  for (const std::uint64_t line : {whole, middle, no_first, no_last}) bloom_.prefetch(line);
  lines[hashes] = whole;
  all[hashes++] = mix(d.whole());
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && c[k] == c[k - 1]) continue;
    lines[hashes] = k == 0 ? no_first : k + 1 == n ? no_last : middle;
    all[hashes++] = mix(d.without(k));
  }
  std::size_t wanted = 0;
  for (std::size_t k = 0; k < hashes; ++k) {
    if (bloom_.maybe(lines[k], all[k])) want[wanted++] = all[k];
  }
  // A joined key is for a romanized hashtag: a word in its own script
  // meets the entry's joined form in the index of words, and its key would
  // meet a short last word as if it were an ending ("অর্ধবৃত্তের" keyed, one
  // letter from অর্ধবৃত্ত euro's joined key).
  const bool runs = !run_hashes_.empty() && !(keys_index_ && !is_ascii(typed.guard()));
  if (wanted == 0 && !runs) return 0;
  // The candidates found, the first `cap` by word index, ascending.
  std::array<std::uint32_t, kFuzzyMaxCandidates> best;
  std::size_t found = 0;
  if (cap > best.size()) cap = best.size();
  if (cap == 0) return 0;
  // Hostile lists can make many words share a hash; a bounded number of
  // comparisons keeps a token's cost bounded whatever the list.
  int budget = 64;
  for (std::size_t k = 0; k < wanted && budget > 0; ++k) {
    // A binary search in the bucket: a list made to crowd one bucket
    // costs its logarithm, not its size.
    const std::size_t b = want[k] >> (64 - key_bits_);
    const std::size_t end = key_buckets_[b + 1];
    std::size_t i = std::lower_bound(key_hashes_.begin() + key_buckets_[b],
                                     key_hashes_.begin() + end, want[k]) -
                    key_hashes_.begin();
    for (; i < end && key_hashes_[i] == want[k] && budget > 0; ++i, --budget) {
      const std::uint32_t word = key_words_[i];
      const std::u32string_view w = letters_[word];
      if (w.size() == n && std::equal(w.begin(), w.end(), c)) return 0;  // an entry word
      if (found == cap && word >= best[found - 1]) continue;
      if (std::find(best.begin(), best.begin() + found, word) != best.begin() + found) continue;
      if (!one_edit(w.data(), w.size(), c, n)) continue;
      if (keys_index_ && vowel_edit(w.data(), w.size(), c, n, short_guard)) continue;
      std::size_t at = found < cap ? found++ : found - 1;
      for (; at > 0 && best[at - 1] > word; --at) best[at] = best[at - 1];
      best[at] = word;
    }
  }
  // Then the runs (a word typed alone is likelier than a run), asked even
  // when the words filled `cap`: a token that is a run itself reads as
  // itself.
  std::array<std::string_view, kFuzzyMaxCandidates> run_out;
  std::size_t run_found = 0;
  if (runs) {
    run_found = near_runs(c, n, d.prefixes(), run_out.data(), cap - found);
    if (run_found == kIsRun) return 0;
  }
  if (found + run_found == 0) return 0;
  // An entry word too short to be indexed ("kat", the key of "kathaa") is
  // still a word of the entry: it reads as itself.
  if (is_word_hash(token_hash(token.data(), token.size()))) return 0;
  for (std::size_t k = 0; k < found; ++k) out[k] = words_[best[k]];
  for (std::size_t k = 0; k < run_found; ++k) out[found + k] = run_out[k];
  return found + run_found;
}

std::size_t FuzzyIndex::near_runs(const char32_t* c, std::size_t n, const std::uint64_t* prefix,
                                  std::string_view* out, std::size_t cap) const noexcept {
  std::size_t found = 0;
  std::array<std::uint32_t, kFuzzyMaxCandidates> seen;
  // As near_all's: a list made to crowd a key costs a bounded number of
  // comparisons.
  int budget = 32;
  // The filter's lines: a run's first and last letters are the token's
  // (ends_typed), or its first two or last two swapped.
  const std::uint64_t same = run_line(c[0], c[n - 1]);
  const std::uint64_t front_swapped = run_line(c[1], c[n - 1]);
  const std::uint64_t back_swapped = run_line(c[0], c[n - 2]);
  for (const std::uint64_t line : {same, front_swapped, back_swapped}) run_filter_.prefetch(line);
  // The six keys a run one edit away may have (its length one less, the
  // same or one more; its front or its back), those the filter passes: a
  // front whole is a run whose back may be swapped, and the reverse.
  std::array<std::uint64_t, 6> keys;
  std::size_t asked = 0;
  for (std::size_t m = n - 1; m <= n + 1; ++m) {
    if (m < min_letters_ || m > kFuzzyMaxLetters) continue;
    for (const bool back : {false, true}) {
      const std::size_t half = back ? run_back(m) : run_front(m);
      if (half > n) continue;
      const std::uint64_t key =
          run_key(back ? prefix[n] - prefix[n - half] * kPowers[half] : prefix[half], m, back);
      if (run_filter_.maybe(same, key) ||
          run_filter_.maybe(back ? front_swapped : back_swapped, key)) {
        keys[asked++] = key;
      }
    }
  }
  for (std::size_t q = 0; q < asked; ++q) {
    const std::uint64_t key = keys[q];
    const std::size_t b = key >> (64 - run_bits_);
    const std::size_t end = run_buckets_[b + 1];
    std::size_t k = std::lower_bound(run_hashes_.begin() + run_buckets_[b],
                                     run_hashes_.begin() + end, key) -
                    run_hashes_.begin();
    for (; k < end && run_hashes_[k] == key; ++k) {
      if (--budget < 0) return found;
      const std::uint32_t r = run_words_[k];
      if (std::find(seen.begin(), seen.begin() + found, r) != seen.begin() + found) continue;
      std::array<char32_t, kFuzzyMaxLetters> w;
      std::size_t wn = 0;
      letters_of(runs_[r], w.data(), w.size(), wn);  // checked by load()
      if (wn == n && std::equal(w.data(), w.data() + n, c)) return kIsRun;
      if (found == cap) continue;  // looking for the token itself only
      if (!one_edit(w.data(), wn, c, n) || !ends_typed({w.data(), wn}, c, n)) continue;
      // A vowel for another in a joined key is no typo: the run's words
      // may each be short, and a short word's vowel never is one
      // (kFuzzyMinVowelLetters).
      if (keys_index_ && vowel_edit(w.data(), wn, c, n, true)) continue;
      seen[found] = r;
      out[found++] = runs_[r];
    }
  }
  return found;
}

}  // namespace deter::text
