// The base form: the one normalization that list entries (at compile time)
// and queries (at run time) both go through, so that they always agree.
#ifndef DETER_TEXT_NORMALIZE_H_
#define DETER_TEXT_NORMALIZE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace deter::text {

// For each byte of a normalized text, the byte span [begin, end) of the
// original text it came from. Built only when a match needs a span.
struct OffsetMap {
  std::vector<std::uint32_t> begin;
  std::vector<std::uint32_t> end;
  void clear() {
    begin.clear();
    end.clear();
  }
  void push(std::uint32_t b, std::uint32_t e) {
    begin.push_back(b);
    end.push_back(e);
  }
  void pop() {
    begin.pop_back();
    end.pop_back();
  }
  std::size_t size() const { return begin.size(); }
};

// ASCII bytes as the base form reads them: the lowercase letter or digit
// it keeps, or 0 for a separator.
constexpr std::array<char, 128> make_ascii_keep() {
  std::array<char, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c - 'A' + 'a');
  return t;
}
inline constexpr std::array<char, 128> kAsciiKeep = make_ascii_keep();

// The ASCII symbols the leet view reads as letters (views.h): '@' a, '$' s,
// '!' i, '|' l. normalize_base keeps them in tokens when asked to.
constexpr bool is_leet_symbol(unsigned char c) {
  return c == '@' || c == '$' || c == '!' || c == '|';
}

enum NormalizeFlag : std::uint32_t {
  kInvalidUtf8 = 1u << 0,
};

// Writes the base form of `in` to `out` (replacing its contents):
//   - invalid UTF-8 sequences become separators and set kInvalidUtf8;
//   - Bengali khanda ta written ত + ্ + ZWJ becomes ৎ (NFKC would lose it);
//   - NFKC_Casefold (ICU): case, width, styled letters (𝐟, ⓕ), invisible
//     characters and bidi controls; an ASCII fast path only lowercases, and
//     runs of Indic text NFKC_Casefold leaves unchanged skip ICU altogether,
//     as do the two-byte letters it leaves alone (lowercase Cyrillic, Greek)
//     before ASCII or each other;
//   - Latin letters lose their diacritics ("é" -> "e"), and combining marks
//     after a Latin letter are dropped; Indic vowel signs and virama stay;
//   - Devanagari nukta is dropped (also in the precomposed ऩ ऱ ऴ), and
//     chandrabindu becomes anusvara (Devanagari, Bengali, Kannada);
//   - native digits (०-९, ০-৯, ೦-೯) become ASCII digits;
//   - negative circled and squared letters (🅕, 🅵), which NFKC leaves
//     alone, are their letters; a run of regional indicators (🇫🇴🇷) is a
//     word of its letters, apart from the text around it ("orchard🇮🇹" is
//     "orchard it");
//   - every character that is not a letter, mark or number is a separator;
//   - runs of separators become one space, and the result is padded with one
//     space at each end: "Forbidden, ORCHARD!" -> " forbidden orchard ";
//   - a word of kMinReduplicatedLetters or more ASCII letters with a final 2
//     is written twice, as chat Indonesian means it ("kebun2" -> "kebun
//     kebun", like "kebun-kebun"), unless a number follows ("python2.7");
//     "mp3", "b2b", "abc2def", "v2" and "2" stay as they are.
// An empty or all-separator input gives " ". When `map` is given it receives
// one source span per output byte. Returns NormalizeFlag bits.
// `keep_leet_symbols` keeps the is_leet_symbol characters as token
// characters (the leet view reads them as letters). Does not allocate once `out` (and the thread's
// work buffers) are warm.
std::uint32_t normalize_base(std::string_view in, std::string& out, OffsetMap* map = nullptr,
                             bool keep_leet_symbols = false);

// The shortest word normalize_base reads as reduplicated by a final 2: "apa2"
// (apa-apa) is; "v2" and "mp2" are not.
inline constexpr std::size_t kMinReduplicatedLetters = 3;

// False when normalize_base certainly folds no reduplication in `text`
// (no ASCII letter followed by a 2 that ends a token): a cheap test for
// fast paths that write the base form themselves.
bool may_hold_reduplication(std::string_view text);

// Convenience for compile time and tools.
std::string normalize_base(std::string_view in);

}  // namespace deter::text

#endif  // DETER_TEXT_NORMALIZE_H_
