// The Indic scripts deter reads in their own letters (Devanagari for Hindi,
// Bengali, Kannada): the one place their Unicode blocks are written down, by
// code point and by the UTF-8 bytes that begin them. Header-only and
// dependency-free, so every layer (and the CLI) can use it.
#ifndef DETER_TEXT_SCRIPTS_H_
#define DETER_TEXT_SCRIPTS_H_

#include <cstdint>

namespace deter::text {

enum class IndicScript : std::uint8_t { none, devanagari, bengali, kannada };

// Devanagari U+0900-U+097F, Bengali U+0980-U+09FF, Kannada U+0C80-U+0CFF:
// blocks of 128 that share one layout (inherited from ISCII), so the same
// letter sits at the same offset from the start of each.
inline constexpr char32_t kDevanagariFirst = 0x0900;
inline constexpr char32_t kBengaliFirst = 0x0980;
inline constexpr char32_t kKannadaFirst = 0x0C80;
inline constexpr char32_t kIndicBlockSize = 0x80;
// From the first block to the end of the last (Gurmukhi to Telugu lie
// between and are not read natively).
inline constexpr char32_t kIndicFirst = kDevanagariFirst;
inline constexpr char32_t kIndicLast = kKannadaFirst + kIndicBlockSize - 1;

constexpr char32_t block_start(IndicScript s) {
  return s == IndicScript::devanagari ? kDevanagariFirst
         : s == IndicScript::bengali  ? kBengaliFirst
                                      : kKannadaFirst;
}

constexpr IndicScript indic_script(char32_t cp) {
  if (cp < kIndicFirst || cp > kIndicLast) return IndicScript::none;
  if (cp < kBengaliFirst) return IndicScript::devanagari;
  if (cp < kBengaliFirst + kIndicBlockSize) return IndicScript::bengali;
  if (cp >= kKannadaFirst) return IndicScript::kannada;
  return IndicScript::none;
}

// Offsets in a block of the shared layout: the consonants (with those
// precomposed with a nukta, and Bengali's ড় ঢ় য়) and the virama, which
// joins the consonant after it into one conjunct ("স্য", "ತ್ರ").
constexpr bool is_indic_consonant(char32_t cp) {
  const IndicScript s = indic_script(cp);
  if (s == IndicScript::none) return false;
  const char32_t offset = cp - block_start(s);
  return (offset >= 0x15 && offset <= 0x39) || (offset >= 0x58 && offset <= 0x5F);
}
constexpr bool is_indic_virama(char32_t cp) {
  const IndicScript s = indic_script(cp);
  return s != IndicScript::none && cp - block_start(s) == 0x4D;
}

// The script of a character from its first two UTF-8 bytes, without
// decoding it: every character of the three blocks is three bytes, E0 then
// A4-A5 (Devanagari), A6-A7 (Bengali) or B2-B3 (Kannada).
constexpr IndicScript indic_script_of_utf8(unsigned char b0, unsigned char b1) {
  if (b0 != 0xE0) return IndicScript::none;
  return (b1 == 0xA4 || b1 == 0xA5)   ? IndicScript::devanagari
         : (b1 == 0xA6 || b1 == 0xA7) ? IndicScript::bengali
         : (b1 == 0xB2 || b1 == 0xB3) ? IndicScript::kannada
                                      : IndicScript::none;
}

}  // namespace deter::text

#endif  // DETER_TEXT_SCRIPTS_H_
