// The phonetic key: one lossy Latin spelling shared by a word in Devanagari,
// Bengali or Kannada script and its common romanized spellings, so that
// "वर्जित", "varjit" and "varjeet" all read "varjit".
#ifndef DETER_TEXT_PHONETIC_H_
#define DETER_TEXT_PHONETIC_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace deter::text {

// Appends the key of `token` (one token of a base form: no spaces) to `out`
// and returns true, or returns false and appends nothing when the token gets
// no key: only tokens (of at most 120 bytes) made of ASCII letters, or of
// the letters and signs of one of the Devanagari, Bengali and Kannada
// scripts, have one.
//
// Native script is transliterated by table (consonants carry an inherent
// vowel, "a" in Hindi and Kannada, "o" in Bengali; vowel signs replace it;
// virama removes it; anusvara is "n"; Hindi and Bengali drop the inherent
// vowel at the end of a word and in a vowel-consonant-_-consonant-vowel
// context). The Latin spelling, typed or transliterated, is then folded:
// aspirates lose their h (kh→k, chh→c, ph→f, sh→s), w→v, z→j, q→k, x→ks,
// c→k, ee→i, oo→u, ai→e, au→o, doubled letters collapse, m before a
// consonant is n, and a final a or o is dropped.
bool phonetic_key(std::string_view token, std::string& out);

// Longer tokens are not words, and get no key.
inline constexpr std::size_t kMaxKeyedToken = 120;

// The most bytes phonetic_key_into writes for a token of `n` bytes.
constexpr std::size_t phonetic_key_bound(std::size_t n) { return 6 * n + 1; }

// phonetic_key without a std::string: writes the key of `token` to `out`
// (room for phonetic_key_bound(token.size()) bytes) and returns its length,
// or returns -1 and writes nothing when the token gets no key.
std::ptrdiff_t phonetic_key_into(std::string_view token, char* out);

// The key of `letters` (ASCII lowercase letters only; phonetic_key_into
// checks that) written to `out` (room for 2 * letters.size() + 1 bytes);
// returns its length.
std::size_t latin_key_into(std::string_view letters, char* out);

// The key of a romanized (ASCII lowercase letters) spelling alone.
void latin_key(std::string_view letters, std::string& out);

}  // namespace deter::text

#endif  // DETER_TEXT_PHONETIC_H_
