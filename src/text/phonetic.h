// The phonetic key: one lossy Latin spelling shared by a word in Devanagari,
// Bengali or Kannada script and its common romanized spellings, so that
// "वर्जित", "varjit" and "varjeet" all read "varjit".
#ifndef DETER_TEXT_PHONETIC_H_
#define DETER_TEXT_PHONETIC_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace deter::text {

// Appends the key of `token` (one token of a base form: no spaces) to `out`
// and returns true, or returns false and appends nothing when the token gets
// no key: only tokens (of at most 120 bytes) made of ASCII letters, or of
// the letters and signs of one of the Devanagari, Bengali and Kannada
// scripts, have one.
//
// Native script is transliterated by table (consonants carry an inherent
// vowel, "a" in Hindi and Kannada, "o" in Bengali; vowel signs replace it;
// virama removes it; anusvara is "n"; Bengali য is "j", and "y" after a
// virama (ya-phala); Hindi and Bengali drop the inherent
// vowel at the end of a word and in a vowel-consonant-_-consonant-vowel
// context). The Latin spelling, typed or transliterated, is then folded:
// aspirates lose their h (kh→k, chh→c, ph→f, sh→s), w→v, z→j, q→k, x→ks,
// c→k, ee→i, oo→u, ai→e, ei→e, au→o, doubled letters collapse, m before a
// consonant is n, and a final a or o is dropped. ITRANS capitals ("bagIchA")
// reach it lowercased, and "ii", "uu" collapse as doubled letters.
//
// Spellings that one key cannot meet without merging distinct words are
// not folded here but read on the entry's side (phonetic_spellings): a
// Bengali inherent vowel typed "a", a chandrabindu typed or not, a flap
// typed r or d. Folds rejected for the words they merge: a with o after
// the first syllable (रातों "raton", रतन "ratan"), u with o ("ghuri",
// "ghori"), "ay" as ai (गाय "gaay", गई "gai"), n dropped before a
// consonant ("band", "bad"), r with d ("par", "pad").
bool phonetic_key(std::string_view token, std::string& out);

// Longer tokens are not words, and get no key.
inline constexpr std::size_t kMaxKeyedToken = 120;

// The most bytes phonetic_key_into writes for a token of `n` bytes.
constexpr std::size_t phonetic_key_bound(std::size_t n) { return 6 * n + 1; }

// phonetic_key without a std::string: writes the key of `token` to `out`
// (room for phonetic_key_bound(token.size()) bytes) and returns its length,
// or returns -1 and writes nothing when the token gets no key.
std::ptrdiff_t phonetic_key_into(std::string_view token, char* out);

namespace latin_detail {
// The three tables the letter-by-letter pass of latin_key_into reads, side
// by side, so that one register addresses them all: by byte, its row of
// checks (bit d: whether it may fold otherwise than alone before letter d,
// 26 for none), its column (0-25 for a-z, 26 otherwise) and its single fold.
struct LetterTables {
  std::array<std::uint32_t, 256> rows;
  std::array<std::uint8_t, 256> column;
  std::array<char, 256> fold;
};
extern const LetterTables kLetterTables;
// latin_key_into for a word of more than 64 letters.
std::size_t fold_long(const unsigned char* p, std::size_t n, char* out);
// The rest of latin_key_into for a word (1-64 letters, written as single
// folds in `out`) in which some pair needs the whole fold: bit 0 of
// pair[i] is position i's check, and pair has room for 16 bytes past the
// word.
std::size_t fold_flagged(const unsigned char* p, std::size_t n, char* out, unsigned char* pair);
}  // namespace latin_detail

// The key of `letters` (ASCII lowercase letters only; phonetic_key_into
// checks that) written to `out` (room for 2 * letters.size() + 1 bytes);
// returns its length. Inline: it runs once per token of a query.
inline std::size_t latin_key_into(std::string_view letters, char* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(letters.data());
  const std::size_t n = letters.size();
  if (n == 0) return 0;
  if (n > 64) return latin_detail::fold_long(p, n, out);
  // Most words fold letter by letter ("video" to "vide", "yang" to "yang",
  // "with" to "vith"): every letter is looked at with the next one, with no
  // branch, and written as its single fold; the word is done, less a final
  // a or o, unless some pair needs the whole fold. Each position's check
  // is kept (bit 0 of pair[i]) to tell which pairs do.
  unsigned char pair[64 + 16];
  std::uint32_t changes = 0;
  const latin_detail::LetterTables& t = latin_detail::kLetterTables;
  std::uint32_t row = t.rows[p[0]];
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const unsigned next = p[i + 1];
    const std::uint32_t check = row >> t.column[next];
    changes |= check;
    pair[i] = static_cast<unsigned char>(check);
    out[i] = t.fold[p[i]];
    row = t.rows[next];
  }
  changes |= row >> 26;
  pair[n - 1] = static_cast<unsigned char>(row >> 26);
  out[n - 1] = t.fold[p[n - 1]];
  if ((changes & 1u) == 0) {
    // Less a final a or o, with no branch on it.
    const unsigned last = p[n - 1];
    return n - (static_cast<std::size_t>(n >= 3) &
                (static_cast<std::size_t>(last == 'a') | static_cast<std::size_t>(last == 'o')));
  }
  return latin_detail::fold_flagged(p, n, out, pair);
}

// The other spellings of an entry's text (as written: before the base
// form) that people type and its key alone does not meet, each a text whose
// phonetic view the entry also matches: every native word spelled in Latin
// letters (the rest kept), in each of its readings. A word's readings are
// its written forms (chandrabindu dropped; Bengali anusvara as "ng";
// Devanagari ड़ ढ़ as र; Bengali ড় ঢ় as ড ঢ; Kannada ಋ as ರು) read as their
// script reads them, and for Bengali also with the inherent vowel "a"
// (গোপন "gopan" beside "gopon") and ঐ as "oi", and for Hindi with a final
// e or ai as "ay" (कैसे "kaisay"). Every combination of the
// words' readings, or when there are more than `max`, each reading applied
// to all words; at most `max` texts, the first being the text's own
// reading. Empty when no word has more than one reading. For the compiler
// only: these widen that one entry and merge no two words of a query,
// which is why they are readings of an entry and not folds of the key.
// `memo`, if given, keeps each word's readings for the next call: the
// compiler spells every entry, and a list's words repeat across its
// entries (a 100k-entry list has a few thousand distinct words).
class WordSpellings;
std::vector<std::string> phonetic_spellings(std::string_view text, std::size_t max,
                                            WordSpellings* memo = nullptr);

// The readings of each word phonetic_spellings has read, by the word.
class WordSpellings {
 public:
  const std::vector<std::string>& of(std::string_view word);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::vector<std::string>, Hash, std::equal_to<>> readings_;
};

// The key of a romanized (ASCII lowercase letters) spelling alone.
void latin_key(std::string_view letters, std::string& out);

}  // namespace deter::text

#endif  // DETER_TEXT_PHONETIC_H_
