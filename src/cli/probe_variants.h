// The variants `deter probe` tries: each entry's clean text rewritten the
// ways people obfuscate a search, one family at a time.
//
// The generator is deliberately independent of the matcher: it spells
// variants from its own small tables (keyboard neighbours, look-alikes, a
// romanizer written the way people type), never from the views' folds. A
// probe that generated variants with the matcher's own tables would measure
// nothing but agreement with itself.
#ifndef DETER_CLI_PROBE_VARIANTS_H_
#define DETER_CLI_PROBE_VARIANTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace deter::cli::probe {

enum class Script : unsigned char { latin, devanagari, bengali, kannada, other };

// The script most letters of `text` are written in (digits and symbols do
// not count); `other` when there are no letters.
Script script_of(std::string_view text);

// "Latn", "Deva", "Beng", "Knda" or "Zyyy".
std::string_view script_code(Script script);

// The families, in report order. Each has one paragraph in lists/README.md.
//   case         upper case, title case, alternating case (Latin)
//   width        fullwidth letters (Latin)
//   accents      accented vowels, precomposed and combining (Latin)
//   invisible    zero-width space, soft hyphen, ZWJ/ZWNJ inside words
//   spacing      letters (aksharas) spaced or dotted; words joined by - _ .
//   split        one word broken at its middle by a space, '.' or '-'
//                ("forbi dden", "वर्जि.त"; Indic words between aksharas)
//   repeats      stretched letters ("fooorbidden")
//   leet         digits for letters (0 1 3 4 5 7)
//   symbols      symbols for letters (| ! @ $)
//   lookalikes   Cyrillic and Greek look-alike letters
//   confusables  other look-alikes from Unicode's confusables: small capitals,
//                hooked Latin letters, a fancy-text alphabet (Lisu, Cherokee)
//   joined       words run together
//   hashtag      words run together after '#'
//   romanized    native script romanized as people type it; spelling
//                variety of romanized entries
//   composed     two families at once (romanized + leet, leet + repeats, ...)
//   typos        one deletion, insertion, substitution or transposition in a
//                word of six or more letters
const std::vector<std::string_view>& families();

struct Variant {
  std::string_view family;  // one of families()
  std::string text;
  // The views (by name, as lists/README.md spells them) a matcher needs to
  // read it: "leet" for a leet variant, "phonetic squeeze" for a romanized
  // spelling stretched. `deter probe` does not count a variant against an
  // entry that switched one of them off (`$views=`, `! views:`): the
  // maintainer asked for it to get through.
  std::vector<std::string_view> needs;
};

// The views a variant of `family` needs, when its family alone says:
// nothing for "composed" (each composition names its own).
std::vector<std::string_view> family_needs(std::string_view family);

// Every variant of `clean` (a query the entry matches as written) for an
// entry of `language` ("en", "hi", ...). No variant equals `clean`, and no
// two are equal.
std::vector<Variant> variants_of(std::string_view clean, std::string_view language);

// Romanized spellings of native-script text, most common first: long vowels
// doubled ("bageechaa"), short ("bagicha"), mixed, and the script's own
// habits (Bengali's inherent o or a, w for v, d for the flap consonants,
// th for the Kannada dental t). Empty for Latin text.
std::vector<std::string> romanizations(std::string_view native);

}  // namespace deter::cli::probe

#endif  // DETER_CLI_PROBE_VARIANTS_H_
