// Build-time generator of the homoglyph view's table (text/confusables.h):
// deter_gen_confusables <output.h> writes, from the ICU it is linked to, every
// letter that can reach the view and whose UTS #39 skeleton (uspoof, ICU's
// confusables data) is the skeleton of one Latin letter a-z.
//
// "Can reach the view": the view reads base forms, so a code point u counts
// through what normalize_base makes of it (NFKC_Casefold first: Cyrillic В
// arrives as в, and its look-alike B makes в read b). The table is keyed by
// that folded letter c. When several code points fold to one c, c's own
// skeleton wins over its other forms' (Greek η reads n, not the H of Η).
// Only letters (general category L) are kept: digits and symbols that look
// like letters (Arabic-Indic five, '|') are numbers or separators in a base
// form, not letters of a word.
#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/uversion.h>

#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "text/normalize.h"
#include "text/utf8.h"

namespace {

using deter::text::decode_valid_utf8;

std::string utf8_of(char32_t cp) {
  std::string s;
  icu::UnicodeString(static_cast<UChar32>(cp)).toUTF8String(s);
  return s;
}

icu::UnicodeString skeleton(const USpoofChecker* sc, const icu::UnicodeString& s) {
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  uspoof_getSkeletonUnicodeString(sc, 0, s, out, &status);
  if (U_FAILURE(status)) return icu::UnicodeString();
  return out;
}

// The one code point of base form " c ", or 0 when the base form is not one
// character.
char32_t single(const std::string& base) {
  if (base.size() < 3 || base.front() != ' ' || base.back() != ' ') return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(base.data()) + 1;
  const deter::text::Decoded d = decode_valid_utf8(p);
  if (d.size != base.size() - 2) return 0;
  return d.cp;
}

// The letter X of "LATIN LETTER SMALL CAPITAL X", or 0. UTS #39 leaves
// most small capitals out (its skeleton keeps case, and ᴀ is not as tall as
// A), so their names, also ICU's data, say which letter they are.
char small_capital(char32_t u) {
  char name[128];
  UErrorCode status = U_ZERO_ERROR;
  const std::int32_t n =
      u_charName(static_cast<UChar32>(u), U_UNICODE_CHAR_NAME, name, sizeof name, &status);
  if (U_FAILURE(status) || n <= 0) return 0;
  const std::string_view prefix = "LATIN LETTER SMALL CAPITAL ";
  const std::string_view s(name, static_cast<std::size_t>(n));
  if (s.size() != prefix.size() + 1 || s.substr(0, prefix.size()) != prefix) return 0;
  const char c = s.back();
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT.h\n", argv[0]);
    return 2;
  }
  UErrorCode status = U_ZERO_ERROR;
  USpoofChecker* sc = uspoof_open(&status);
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "uspoof_open: %s\n", u_errorName(status));
    return 1;
  }
  // The skeleton of each Latin letter, lowercase first: a skeleton shared by
  // two letters ("l" is the skeleton of l and of I) reads as the lowercase
  // one whose skeleton it is. m's skeleton is "rn".
  std::map<icu::UnicodeString, char> target;
  for (char c = 'a'; c <= 'z'; ++c) target.emplace(skeleton(sc, icu::UnicodeString(c)), c);
  for (char c = 'A'; c <= 'Z'; ++c) {
    target.emplace(skeleton(sc, icu::UnicodeString(c)), static_cast<char>(c - 'A' + 'a'));
  }
  // The Latin letter u looks like, or 0.
  auto letter_of = [&](char32_t u) -> char {
    const icu::UnicodeString s = skeleton(sc, icu::UnicodeString(static_cast<UChar32>(u)));
    if (const auto it = target.find(s); it != target.end()) return it->second;
    // A skeleton that deter itself reads as one letter: η's is n with a
    // mark below, ᴋ's is ĸ (kra), both k and n in a base form.
    std::string utf8;
    s.toUTF8String(utf8);
    const std::string base = deter::text::normalize_base(utf8);
    if (base.size() == 3 && base[1] >= 'a' && base[1] <= 'z') return base[1];
    return small_capital(u);
  };

  struct Found {
    char letter = 0;
    bool own = false;  // from c's own skeleton
    char32_t from = 0;
  };
  std::map<char32_t, Found> table;
  int conflicts = 0;
  for (char32_t u = 0x80; u <= 0x10FFFF; ++u) {
    if (u >= 0xD800 && u <= 0xDFFF) continue;
    if (u_charType(static_cast<UChar32>(u)) == U_UNASSIGNED) continue;
    const char letter = letter_of(u);
    if (letter == 0) continue;
    const char32_t c = single(deter::text::normalize_base(utf8_of(u)));
    if (c < 0x80) continue;  // folded to ASCII (or to nothing) before any view
    if ((U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_L_MASK) == 0) continue;
    const bool own = u == c;
    Found& f = table[c];
    if (f.letter == 0 || (own && !f.own)) {
      f = Found{letter, own, u};
    } else if (!own && !f.own && f.letter != letter) {
      // Two other forms of c look like different letters: the first wins,
      // reported so that a new ICU's change shows in the build log.
      std::fprintf(stderr, "note: U+%04X: U+%04X reads %c, U+%04X reads %c; kept %c\n",
                   static_cast<unsigned>(c), static_cast<unsigned>(f.from), f.letter,
                   static_cast<unsigned>(u), letter, f.letter);
      ++conflicts;
    }
  }
  uspoof_close(sc);

  std::FILE* out = std::fopen(argv[1], "w");
  if (out == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  UVersionInfo icu;
  u_getVersion(icu);
  char icu_version[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(icu, icu_version);
  UVersionInfo uni;
  u_getUnicodeVersion(uni);
  char unicode_version[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(uni, unicode_version);
  std::fprintf(out,
               "// Generated at build time by deter_gen_confusables (src/text/gen_confusables.cc)\n"
               "// from the confusables data of ICU %s (Unicode %s). Do not edit.\n"
               "inline constexpr char kConfusablesIcuVersion[] = \"%s\";\n"
               "inline constexpr std::array<Confusable, %zu> kConfusables = {{\n",
               icu_version, unicode_version, icu_version, table.size());
  for (const auto& [c, f] : table) {
    UErrorCode st = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &st);
    const std::string from = f.own ? std::string() : " from " + utf8_of(f.from);
    std::fprintf(out, "    {0x%04X, '%c', %d},  // %s %s%s\n", static_cast<unsigned>(c), f.letter,
                 static_cast<int>(script), utf8_of(c).c_str(), uscript_getShortName(script),
                 from.c_str());
  }
  std::fprintf(out, "}};\n");
  std::fclose(out);
  u_cleanup();
  std::fprintf(stderr, "deter_gen_confusables: %zu letters, %d notes\n", table.size(), conflicts);
  return 0;
}
