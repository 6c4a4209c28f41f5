#include "cli/script.h"

#include <cstdint>

#include "text/scripts.h"
#include "text/utf8.h"

namespace deter::cli {

std::string_view to_string(Script script) {
  switch (script) {
    case Script::latin:
      return "latin";
    case Script::devanagari:
      return "devanagari";
    case Script::bengali:
      return "bengali";
    case Script::kannada:
      return "kannada";
    case Script::other:
      return "other";
  }
  return "other";
}

namespace {

// Letters (and the vowel signs that are part of words) of each script; -1
// for characters that are not letters of any script (digits, punctuation,
// spaces, symbols).
int script_of(char32_t cp) {
  if (cp < 0x80) {
    return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? static_cast<int>(Script::latin) : -1;
  }
  if ((cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7) ||
      (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0xFF21 && cp <= 0xFF5A)) {
    return static_cast<int>(Script::latin);
  }
  // Native digits are numbers, not letters.
  if (cp >= 0x0966 && cp <= 0x096F) return -1;
  if (cp >= 0x09E6 && cp <= 0x09EF) return -1;
  if (cp >= 0x0CE6 && cp <= 0x0CEF) return -1;
  switch (text::indic_script(cp)) {
    case text::IndicScript::devanagari:
      return cp == 0x0964 || cp == 0x0965 ? -1 : static_cast<int>(Script::devanagari);
    case text::IndicScript::bengali:
      return static_cast<int>(Script::bengali);
    case text::IndicScript::kannada:
      return static_cast<int>(Script::kannada);
    case text::IndicScript::none:
      break;
  }
  // General punctuation, symbols, spaces, replacement character.
  if ((cp >= 0x2000 && cp <= 0x2BFF) || cp == 0xFFFD || (cp >= 0x00A0 && cp <= 0x00BF) ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x1F000 && cp <= 0x1FAFF) ||
      (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x0300 && cp <= 0x036F)) {
    return -1;
  }
  return static_cast<int>(Script::other);
}

}  // namespace

Script dominant_script(std::string_view query) {
  std::array<std::uint32_t, kScripts.size()> counts{};
  for (std::size_t i = 0; i < query.size();) {
    const text::Decoded d = text::decode_utf8(query, i);
    i += d.size;
    int s = script_of(d.cp);
    if (s >= 0) ++counts[static_cast<std::size_t>(s)];
  }
  std::size_t best = static_cast<std::size_t>(Script::other);
  std::uint32_t best_count = 0;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    if (counts[s] > best_count) {
      best = s;
      best_count = counts[s];
    }
  }
  return kScripts[best];
}

}  // namespace deter::cli
