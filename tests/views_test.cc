// The views, table by table: the script-aware base form, each view's
// transform (the same code for entries and queries), decisions on the demo
// lists per language and per view (obfuscated positives, near-miss
// negatives), per-list and per-entry switches, spans, and properties.
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/uversion.h>

#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <random>

#include "test_util.h"
#include "text/confusables.h"
#include "text/normalize.h"
#include "text/phonetic.h"
#include "text/utf8.h"
#include "text/views.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;
using deter::testing::source_path;

namespace {

using deter::testing::demo;

std::string key(std::string_view token) {
  std::string out;
  if (!text::phonetic_key(token, out)) return "(none)";
  return out;
}

// "en.list|forbidden orchard" -> "en.list:13": the id of the demo entry
// written so (before any " $" options), looked up so that adding examples to
// the lists does not break the tests.
std::string demo_entry_id(std::string_view spec) {
  const std::size_t bar = spec.find('|');
  const std::string file(spec.substr(0, bar));
  const std::string_view entry = spec.substr(bar + 1);
  std::ifstream in(source_path("lists/demo/" + file));
  std::uint32_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    const std::string_view l(line);
    if (l.substr(0, l.find(" $")) == entry) return file + ":" + std::to_string(n);
  }
  FAIL("no entry '" << entry << "' in " << file);
  return {};
}

// The match of demo entry `spec` (as demo_entry_id reads it) in `d`, or null.
const Match* demo_match(const Decision& d, std::string_view spec) {
  const std::string id = demo_entry_id(spec);
  const Match* m = nullptr;
  for (const Match& x : d.matches) {
    if (x.entry_id == id) m = &x;
  }
  return m;
}

// Checks `query` on the demo lists as a table row does: with `entry` empty
// (a near miss), that nothing matches; else that entry `entry` (as
// demo_entry_id reads it) matches, and returns its match.
std::optional<Match> demo_row(const char* query, std::string_view entry) {
  const Decision d = demo().check(query);
  if (entry.empty()) {
    CHECK(d.matches.empty());
    return std::nullopt;
  }
  const Match* m = demo_match(d, entry);
  REQUIRE(m != nullptr);
  return *m;
}

bool on_boundary(std::string_view s, std::size_t i) {
  return i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

}  // namespace

TEST_CASE("the Indic mark table is ICU's", "[views]") {
  // The spaced view tells a one-character token by its marks; the table
  // of the Indic blocks is a constant, and must say what ICU says.
  for (char32_t c = 0; c < text::kIndicCount; ++c) {
    const bool icu =
        (U_GET_GC_MASK(static_cast<UChar32>(text::kIndicFirst + c)) & U_GC_M_MASK) != 0;
    const bool table = (text::kIndicMarks[c / 64] >> (c % 64)) & 1u;
    INFO("U+" << std::hex << static_cast<unsigned>(text::kIndicFirst + c));
    REQUIRE(table == icu);
  }
}

std::string utf8_of(char32_t cp) {
  std::string s;
  icu::UnicodeString(static_cast<UChar32>(cp)).toUTF8String(s);
  return s;
}

TEST_CASE("the look-alike table is ICU's", "[views][homoglyph]") {
  // Recomputed here from the ICU the tests run with, code point by code
  // point: a letter c that a base form can hold reads as Latin letter x when
  // c's skeleton (uspoof) is x's (or reads as x in a base form, or c is
  // "LATIN LETTER SMALL CAPITAL X"); failing that, when the skeleton of a
  // character whose base form is c does. The generated table, made when the
  // library was built, must say the same: a new ICU fails here until rebuilt.
  UErrorCode status = U_ZERO_ERROR;
  USpoofChecker* sc = uspoof_open(&status);
  REQUIRE(U_SUCCESS(status));
  auto skeleton = [&](char32_t u) {
    icu::UnicodeString out;
    UErrorCode st = U_ZERO_ERROR;
    uspoof_getSkeletonUnicodeString(sc, 0, icu::UnicodeString(static_cast<UChar32>(u)), out, &st);
    std::string s;
    out.toUTF8String(s);
    return s;
  };
  std::map<std::string, char> target;
  for (char c = 'a'; c <= 'z'; ++c) target.emplace(skeleton(c), c);
  for (char c = 'A'; c <= 'Z'; ++c) target.emplace(skeleton(c), static_cast<char>(c | 0x20));
  auto reads = [&](char32_t u) -> char {
    const std::string sk = skeleton(u);
    if (const auto it = target.find(sk); it != target.end()) return it->second;
    const std::string base = text::normalize_base(sk);
    if (base.size() == 3 && base[1] >= 'a' && base[1] <= 'z') return base[1];
    char name[128];
    UErrorCode st = U_ZERO_ERROR;
    const auto n = u_charName(static_cast<UChar32>(u), U_UNICODE_CHAR_NAME, name, 128, &st);
    const std::string_view prefix = "LATIN LETTER SMALL CAPITAL ";
    if (U_SUCCESS(st) && n == static_cast<std::int32_t>(prefix.size() + 1) &&
        std::string_view(name, prefix.size()) == prefix && name[n - 1] >= 'A' &&
        name[n - 1] <= 'Z') {
      return static_cast<char>(name[n - 1] | 0x20);
    }
    return '\0';
  };
  std::map<char32_t, char> own;
  std::map<char32_t, char> other;  // the first other form that reads as a letter
  for (char32_t u = 0x80; u <= 0x10FFFF; ++u) {
    if ((u >= 0xD800 && u <= 0xDFFF) || u_charType(static_cast<UChar32>(u)) == U_UNASSIGNED) {
      continue;
    }
    const char x = reads(u);
    if (x == '\0') continue;
    const std::string base = text::normalize_base(utf8_of(u));
    if (base.size() < 4) continue;
    const text::Decoded d =
        text::decode_valid_utf8(reinterpret_cast<const unsigned char*>(base.data()) + 1);
    if (d.cp < 0x80 || d.size + 2u != base.size()) continue;
    if ((U_GET_GC_MASK(static_cast<UChar32>(d.cp)) & U_GC_L_MASK) == 0) continue;
    if (u == d.cp) {
      own[d.cp] = x;
    } else {
      other.emplace(d.cp, x);
    }
  }
  uspoof_close(sc);
  std::map<char32_t, char> expected = own;
  for (const auto& [c, x] : other) expected.emplace(c, x);
  UVersionInfo icu;
  u_getVersion(icu);
  char running[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(icu, running);
  INFO("table made with ICU " << text::kConfusablesIcuVersion << ", running ICU " << running);
  std::map<char32_t, char> table;
  for (const text::Confusable& e : text::kConfusables) {
    INFO("U+" << std::hex << static_cast<unsigned>(e.cp));
    UErrorCode st = U_ZERO_ERROR;
    CHECK(static_cast<int>(e.script) ==
          static_cast<int>(uscript_getScript(static_cast<UChar32>(e.cp), &st)));
    table[e.cp] = e.letter;
  }
  CHECK(std::is_sorted(text::kConfusables.begin(), text::kConfusables.end(),
                       [](const auto& a, const auto& b) { return a.cp < b.cp; }));
  for (const auto& [c, x] : expected) {
    INFO("U+" << std::hex << static_cast<unsigned>(c) << " " << utf8_of(c) << " reads " << x);
    CHECK(table[c] == x);
  }
  CHECK(table.size() == expected.size());
}

TEST_CASE("the look-alike table keeps the hand-made table's answers", "[views][homoglyph]") {
  // The Cyrillic and Greek letters the homoglyph view read before its table
  // was generated, with the letter each read as. One differs: Unicode's
  // confusables data reads palochka ӏ as i (its capital Ӏ reads l).
  struct Row {
    const char* letter;
    const char* latin;
  };
  auto row = GENERATE(values<Row>({
      {"а", "a"}, {"в", "b"}, {"е", "e"}, {"к", "k"}, {"м", "m"}, {"н", "h"},
      {"о", "o"}, {"р", "p"}, {"с", "c"}, {"т", "t"}, {"у", "y"}, {"х", "x"},
      {"ѕ", "s"}, {"і", "i"}, {"ј", "j"}, {"һ", "h"}, {"ӏ", "i"}, {"ѵ", "v"},
      {"ԁ", "d"}, {"ԛ", "q"}, {"ԝ", "w"}, {"α", "a"}, {"β", "b"}, {"ε", "e"},
      {"ζ", "z"}, {"η", "n"}, {"ι", "i"}, {"κ", "k"}, {"μ", "m"}, {"ν", "v"},
      {"ο", "o"}, {"ρ", "p"}, {"τ", "t"}, {"υ", "u"}, {"χ", "x"}, {"γ", "y"},
  }));
  CAPTURE(row.letter);
  CHECK(text::entry_view(View::homoglyph, std::string("x") + row.letter) ==
        std::string(" x") + row.latin + " ");
}

TEST_CASE("every letter of the look-alike table builds the homoglyph view", "[views][homoglyph]") {
  // The hints find the table's letters by their first two bytes; a letter
  // they missed would leave its query unfolded.
  text::QueryViews views;
  for (const text::Confusable& e : text::kConfusables) {
    const std::string q = "x" + utf8_of(e.cp) + "x";
    INFO("U+" << std::hex << static_cast<unsigned>(e.cp));
    views.build(q, ViewSet::all());
    CHECK(views.present().has(View::homoglyph));
  }
}

TEST_CASE("script-aware base form", "[views][normalize]") {
  struct Row {
    const char* input;
    const char* expected;
  };
  auto row = GENERATE(values<Row>({
      {"Forbídden Örchard", " forbidden orchard "},  // Latin accents go
      {"cafe\xCC\x81 s\xCC\x8C", " cafe s "},        // combining accents after Latin
      {"ﬁre Straße Ærø", " fire strasse aero "},     // ligatures, ß, æ, ø
      {"वर्जित बगीचा", " वर्जित बगीचा "},              // vowel signs and virama stay
      {"बाज़ार", " बाजार "},                          // nukta folded (decomposed by NFKC)
      {"ऩ ऱ ऴ", " न र ळ "},                          // precomposed nukta letters
      {"चाँद", " चांद "},                              // chandrabindu -> anusvara
      {"চাঁদ", " চাংদ "},                             // Bengali chandrabindu too
      {"উৎসব উত্\xE2\x80\x8Dসব", " উৎসব উৎসব "},      // khanda ta, ZWJ spelling
      {"१२३ ১২৩ ೧೨೩", " 123 123 123 "},              // native digits
      {"for\xE2\x80\x8B"
       "bidden\xE2\x80\x8D",
       " forbidden "},  // zero-width characters
      {"\xE2\x80\xAE"
       "orchard\xE2\x80\xAC \xE2\x81\xA6x\xE2\x81\xA9",
       " orchard x "},                                                // bidi
      {"\xF0\x9D\x90\x9F\xF0\x9D\x90\xA8\xF0\x9D\x90\xAB", " for "},  // 𝐟𝐨𝐫
      {"ⓕⓞⓡ Ⓑⓘⓓ", " for bid "},                                       // circled letters
      {"ＦＯＲＢＩＤＤＥＮ", " forbidden "},                          // full width
      {"ನಿಷಿದ್ಧ ತೋಟದಲ್ಲಿ", " ನಿಷಿದ್ಧ ತೋಟದಲ್ಲಿ "},                               // Kannada untouched
      {"নিষিদ্ধ বাগানের", " নিষিদ্ধ বাগানের "},
  }));
  CAPTURE(row.input);
  CHECK(text::normalize_base(row.input) == row.expected);
}

TEST_CASE("the one-pass ASCII path folds a reduplication as normalize_base does",
          "[views][normalize]") {
  // normalize_test.cc ("base form table") has the rows; a query of ASCII
  // only is written by QueryViews::build_ascii, which hands these over.
  auto input = GENERATE(values<const char*>({"kebun2 terlarang", "Kebun2, terlarang!",
                                              "hati2 di jalan2", "python2.7", "b2b mp3 v2",
                                              "abc2def 2", "x22 a22 apa2"}));
  CAPTURE(input);
  text::QueryViews views;
  views.build(input, ViewSet::only(View::base));
  CHECK(std::string(views.base()) == text::normalize_base(input));
  views.build(input, ViewSet::all());
  CHECK(std::string(views.base()) == text::normalize_base(input));
}

TEST_CASE("chat reduplication reaches entries as its hyphenated spelling does", "[views]") {
  struct Row {
    const char* query;
    Action expected;
  };
  auto row = GENERATE(values<Row>({
      {"kebun2 terlarang", Action::prompt},
      {"kebun-kebun terlarang", Action::prompt},
      {"di mana kebun2 terlarang", Action::prompt},
      {"hidden2 lantern guild", Action::block},
      {"kebun2 binatang", Action::allow},
      {"kebun22 terlarang", Action::allow},
      {"kebun2terlarang", Action::allow},  // a 2 inside a word is no reduplication
  }));
  CAPTURE(row.query);
  CHECK(demo().check(row.query).action == row.expected);
}

TEST_CASE("each view's transform", "[views]") {
  struct Row {
    View view;
    const char* input;
    const char* expected;
  };
  auto row = GENERATE(values<Row>({
      {View::leet, "f0rb1dd3n 0rch4rd", " forbidden orchard "},
      {View::leet, "h1dd3n l@nt3rn", " hidden lantern "},
      {View::leet, "$ecret", " secret "},
      {View::leet, "455 717 2024", " 455 717 2024 "},  // numbers stay numbers
      {View::leet, "@home user", " home user "},       // @ first in a token: a separator
      {View::squeeze, "fooorbiddden orrrchard", " forbiden orchard "},
      {View::squeeze, "forbidden orchard", " forbiden orchard "},  // entries are squeezed too
      {View::squeeze, "1000 rooms", " 1000 roms "},                // digits are not letters
      {View::spaced, "o r c h a r d", " orchard "},
      {View::spaced, "o.r.c.h.a.r.d now", " orchard now "},
      {View::spaced, "a b", " a b "},          // fewer than three
      {View::spaced, "ব া গ া ন", " বাগান "},  // spaced-out Bengali joins
      // A conjunct is one character to a reader: spacing keeps it whole.
      {View::spaced, "र ह स्य", " रहस्य "},
      {View::spaced, "মা ন চি ত্র", " মানচিত্র "},
      {View::spaced, "ಗು ಪ್ತ ದೀ", " ಗುಪ್ತದೀ "},
      // Two Indic characters apart are a spaced-out word of two syllables,
      // unless both are common one-character words.
      {View::spaced, "न क्शा", " नक्शा "},
      {View::spaced, "न.क्शा", " नक्शा "},
      {View::spaced, "ন ক্সা", " নক্সা "},
      {View::spaced, "ನ ಕ್ಷೆ", " ನಕ್ಷೆ "},
      {View::spaced, "की है", " की है "},
      {View::spaced, "में से", " में से "},
      {View::spaced, "जो भी है", " जो भी है "},  // three, all common words
      {View::spaced, "কী বা", " কী বা "},
      {View::spaced, "ಈ ಕೈ", " ಈ ಕೈ "},
      {View::spaced, "a न", " a न "},  // two, not both Indic
      {View::spaced, "से ना", " से ना "},  // a known limit: सेना, both common words
      {View::spaced, "तो क्या हुआ", " तो क्या हुआ "},  // हुआ is two characters
      {View::joined, "forbidden orchard", " forbiddenorchard "},
      {View::joined, "red cap", " red cap "},  // fewer than eight letters
      // Indic consonants count two letters (their inherent vowel), a virama
      // one less, vowel signs nothing.
      {View::joined, "वर्जित बगीचा", " वर्जितबगीचा "},  // 2+2-1+2+2 + 2+2+2 = 15
      {View::joined, "চাঁদ চোর", " চাংদচোর "},         // 8 (the base form folds chandrabindu)
      {View::joined, "ಚಂದ್ರ ಕಳ್ಳ", " ಚಂದ್ರಕಳ್ಳ "},
      {View::joined, "आम फल", " आम फल "},                    // 1+2 + 2+2 = 7: stays
      {View::homoglyph, "f\xD0\xBErbidden", " forbidden "},  // Cyrillic о in a Latin word
      {View::homoglyph, "\xD0\xBE\xD1\x80\xD1\x87\xD0\xB0\xD1\x80\xD0\xB4",
       " орчард "},                            // all Cyrillic
      {View::homoglyph, "x\xD0\xB6", " xж "},  // ж looks like no Latin letter
      // Latin look-alikes alone fold: small capitals, hooked letters
      {View::homoglyph, "ꜰᴏʀʙɪᴅᴅᴇɴ ᴏʀᴄʜᴀʀᴅ", " forbidden orchard "},
      {View::homoglyph, "ɦɨɗɗҽɲ ɭɑɲʈҽʀɲ", " hidden lantern "},  // with Cyrillic ҽ
      {View::homoglyph, "ꓝοᖇbidden", " forbidden "},            // Lisu, Greek, syllabics
      {View::homoglyph, "ορс", " opc "},                        // Greek and Cyrillic mixed
      {View::homoglyph, "сосна και", " сосна και "},            // words of one script stay
      {View::homoglyph, "ꓝꓳꓣ", " ꓝꓳꓣ "},                        // Lisu alone too
      {View::homoglyph, "ᴏʀᴄʜᴀʀᴅж", " ᴏʀᴄʜᴀʀᴅж "},              // ж reads as nothing
      {View::homoglyph, "ᴏʀᴄʜᴀʀᴅ42", " orchard42 "},            // digits do not stop it
      {View::phonetic, "वर्जित बगीचा", " varjit bagic "},
      {View::phonetic, "varjeet bageecha", " varjit bagic "},
      {View::phonetic, "নিষিদ্ধ বাগান", " nisid bagan "},
      {View::phonetic, "nishiddho bagan", " nisid bagan "},
      {View::phonetic, "ನಿಷಿದ್ಧ ತೋಟ", " nisid tot "},
      {View::phonetic, "nishiddha thota", " nisid tot "},
      {View::phonetic, "covid19 x", " covid19 ks "},  // tokens with digits keep their form
  }));
  CAPTURE(to_string(row.view), row.input);
  CHECK(text::entry_view(row.view, row.input) == row.expected);
}

TEST_CASE("phonetic keys: native script and common romanizations agree", "[views][phonetic]") {
  struct Row {
    const char* native;
    std::vector<const char*> romanized;
  };
  auto row = GENERATE(values<Row>({
      {"वर्जित", {"varjit", "varjeet", "warjit"}},
      {"बगीचा", {"bagicha", "bageecha", "bagichaa"}},
      {"छिपी", {"chhipi", "chipi", "chhipee"}},
      {"लालटेन", {"lalten", "laaltain", "laltein"}},
      {"चाँद", {"chand", "chaand", "chaamd"}},
      {"रहस्यमय", {"rahasyamay"}},
      {"संग्रहालय", {"sangrahalay", "sangrahaalay"}},
      {"फल", {"phal", "fal"}},
      {"ज़रा", {"zara", "jara"}},
      {"নিষিদ্ধ", {"nishiddho", "nishiddha", "nishidho"}},
      {"চোর", {"chor", "chor"}},
      {"ছায়া", {"chhaya", "chaya"}},
      {"বাজার", {"bajar", "baajaar"}},
      {"মানচিত্র", {"manchitro", "manchitra"}},
      {"সিঁড়ি", {"sinri", "sinrhi"}},
      {"গল্প", {"golpo", "golp"}},
      {"ತೋಟ", {"tota", "thota", "totha"}},
      {"ಕಳ್ಳ", {"kalla", "kala"}},
      {"ಚಂದ್ರ", {"chandra", "chamdra"}},
      {"ಲಾಟೀನು", {"lateenu", "laatinu"}},
  }));
  const std::string native_key = key(text::normalize_base(row.native)
                                         .substr(1)
                                         .substr(0, text::normalize_base(row.native).size() - 2));
  for (const char* r : row.romanized) {
    CAPTURE(row.native, r);
    CHECK(key(r) == native_key);
  }
}

TEST_CASE("phonetic keys keep different words apart", "[views][phonetic]") {
  // Level-1 folding only: vowels that differ in quality, and consonants of
  // different places, still differ.
  const char* pairs[][2] = {{"bagicha", "bagiche"}, {"chor", "chhor"},    {"tota", "tita"},
                            {"kal", "gal"},         {"varjit", "varjat"}, {"lalten", "laltan"}};
  for (const auto& p : pairs) {
    CAPTURE(p[0], p[1]);
    if (std::string_view(p[0]) == "chor") {
      CHECK(key(p[0]) == key(p[1]));  // aspiration is folded on purpose
    } else {
      CHECK(key(p[0]) != key(p[1]));
    }
  }
}

namespace {

// The Latin fold written plainly from its rules (phonetic.h), one letter
// at a time: the reference the fast paths of latin_key_into are held to.
std::string reference_latin_key(std::string_view w) {
  std::string out;
  char prev = '\0';
  auto put = [&](char c) {
    if (c == prev) return;  // doubled letters collapse
    if (prev == 'm' && std::string_view("aeiou").find(c) == std::string_view::npos) {
      out.back() = 'n';  // m before a consonant is the anusvara's n
    }
    out += c;
    prev = c;
  };
  auto letter = [](char c) { return c >= 'a' && c <= 'z'; };
  for (std::size_t i = 0; i < w.size();) {
    const char c = w[i];
    const char d = i + 1 < w.size() && letter(w[i + 1]) ? w[i + 1] : '\0';
    std::size_t used = 1;
    if (!letter(c)) {
      put(c);
    } else if (c == 'c' && d == 'h') {
      put('c');
      used = i + 2 < w.size() && w[i + 2] == 'h' ? 3 : 2;  // "chh" is "c" too
    } else if (c == 'p' && d == 'h') {
      put('f');
      used = 2;
    } else if (std::string_view("skgjtdbr").find(c) != std::string_view::npos && d == 'h') {
      put(c);  // the aspirate's h goes
      used = 2;
    } else if (c == 'e' && (d == 'e' || d == 'i')) {
      put(d == 'e' ? 'i' : 'e');
      used = 2;
    } else if (c == 'o' && (d == 'o' || d == 'u')) {
      put(d == 'o' ? 'u' : 'o');
      used = 2;
    } else if (c == 'a' && (d == 'i' || d == 'u' || d == 'a')) {
      put(d == 'i' ? 'e' : d == 'u' ? 'o' : 'a');
      used = 2;
    } else if (c == 'x') {
      put('k');
      put('s');
    } else {
      const std::string_view from = "cwzq", to = "kvjk";
      const std::size_t k = from.find(c);
      put(k == std::string_view::npos ? c : to[k]);
    }
    i += used;
  }
  if (out.size() >= 3 && (out.back() == 'a' || out.back() == 'o')) out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("the Latin key equals its rules applied letter by letter",
          "[views][phonetic][property]") {
  std::vector<std::string> words = {"",      "a",    "video",  "yang",  "with",
                                    "what",  "back", "chhota", "kamla", "samjha",
                                    "xerox", "aaaa", "eeee",   "mm",    "mango"};
  std::mt19937 rng(7);
  // Alphabets heavy in what the fold treats specially, and one of every letter.
  for (const std::string alphabet :
       {"abcdefghijklmnopqrstuvwxyz", "wzqcxkhmnaeiouv", "chpsaoeium"}) {
    for (int k = 0; k < 20000; ++k) {
      std::string w;
      const std::size_t n = 1 + rng() % 12;
      for (std::size_t i = 0; i < n; ++i) w += alphabet[rng() % alphabet.size()];
      words.push_back(w);
    }
  }
  std::string key;
  for (const std::string& w : words) {
    key.clear();
    text::latin_key(w, key);
    CAPTURE(w);
    REQUIRE(key == reference_latin_key(w));
  }
}

TEST_CASE("demo lists: obfuscated positives and near-miss negatives per language and view",
          "[views][decision]") {
  struct Row {
    const char* query;
    const char* entry;  // "file|entry as written" expected to match, or "" for no match
    View view;          // the view that found it (ignored when entry is "")
  };
  auto row = GENERATE(values<Row>({
      // English
      {"where is the f0rbidden 0rch4rd", "en.list|forbidden orchard", View::leet},
      {"FORBIDDEN ORCH@RD pics", "en.list|forbidden orchard", View::leet},
      {"fooorbidden orchaaard", "en.list|forbidden orchard", View::squeeze},
      {"f o r b i d d e n orchard", "en.list|forbidden orchard", View::spaced},
      {"forbidden o.r.c.h.a.r.d", "en.list|forbidden orchard", View::spaced},
      {"forbiddenorchard", "en.list|forbidden orchard", View::joined},
      {"f\xD0\xBErbidden \xD0\xBErch\xD0\xB0rd", "en.list|forbidden orchard", View::homoglyph},
      {"Forbídden Örchard", "en.list|forbidden orchard", View::base},
      {"ꜰᴏʀʙɪᴅᴅᴇɴ ᴏʀᴄʜᴀʀᴅ", "en.list|forbidden orchard", View::homoglyph},  // small capitals
      {"ꜰᴏʀbiddeɴ ᴏrcʜard", "en.list|forbidden orchard", View::homoglyph},
      {"ʜɪᴅᴅᴇɴ ʟᴀɴᴛᴇʀɴ ɢᴜɪʟᴅ", "en.list|hidden lantern guild", View::homoglyph},
      {"🅵🅾🆁🅱🅸🅳🅳🅴🅽 🅾🆁🅲🅷🅰🆁🅳", "en.list|forbidden orchard", View::base},
      {"🅗🅘🅓🅓🅔🅝 🅛🅐🅝🅣🅔🅡🅝 🅖🅤🅘🅛🅓", "en.list|hidden lantern guild", View::base},
      {"🇫🇴🇷🇧🇮🇩🇩🇪🇳 🇴🇷🇨🇭🇦🇷🇩", "en.list|forbidden orchard", View::base},
      {"forbidden orchard🇮🇹", "en.list|forbidden orchard", View::base},
      {"🇫🇴🇷🇧🇮🇩🇩🇪🇳orchard", "en.list|forbidden orchard", View::base},  // a word apart
      {"сосна и море", "", View::base},           // Russian: words of one script stay
      {"ο κήπος και το φανάρι", "", View::base},  // Greek too
      {"h1dd3n l4nt3rn guild", "en.list|hidden lantern guild", View::leet},
      {"forbidden orchard museum", "", View::base},  // exception, in every view
      {"f0rbidden 0rchard museum", "", View::base},  // exception found in leet too
      {"455 717", "", View::base},
      {"forbidden orchards", "", View::base},  // a longer word
      {"forbiddenorchards", "", View::base},
      {"orchard forbidden", "", View::base},
      {"Harry Potter and the forbidden forest", "", View::base},
      {"gl4ss orchard", "", View::base},       // $views=-leet on that entry
      {"phorbidden orchard", "", View::base},  // no phonetic view for English entries
      // Hindi (Devanagari) and Hinglish
      {"वर्जित बगीचे की तस्वीरें", "hi.list|वर्जित बगीच*", View::base},
      {"varjeet bageeche ki photo", "hi.list|वर्जित बगीच*", View::phonetic},
      {"वर्ज़ित बग़ीचा", "hi.list|वर्जित बगीच*", View::base},  // nukta folded
      {"chhipi laltein kahan", "hi.list|छिपी लालटेन", View::phonetic},
      {"छिपी लालटेन", "hi-latn.list|chhipi lalten",
       View::phonetic},  // romanized entry, native query
      {"chaand chor video", "hi.list|चाँद चोर", View::phonetic},
      {"वर्जित", "", View::base},
      {"बगीचा", "", View::base},
      {"varjit phal", "", View::base},
      // Bengali
      {"নিষিদ্ধ বাগানের ছবি", "bn.list|নিষিদ্ধ বাগান*", View::base},
      {"nishiddho baganer chobi", "bn.list|নিষিদ্ধ বাগান*", View::phonetic},
      {"গোপন লণ্ঠন", "bn.list|গোপন লণ্ঠন", View::base},
      {"gopon lonthon", "bn.list|গোপন লণ্ঠন", View::phonetic},
      {"গো প ন ল ণ্ঠ ন", "bn.list|গোপন লণ্ঠন", View::spaced},  // conjuncts kept whole
      {"বাগান বাড়ি", "", View::base},
      {"লাল কাগজের লণ্ঠন", "", View::base},
      // Kannada (the list switches leet off)
      {"ನಿಷಿದ್ಧ ತೋಟದಲ್ಲಿ ಏನಿದೆ", "kn.list|ನಿಷಿದ್ಧ ತೋಟ*", View::base},
      {"nishiddha totadalli", "kn.list|ನಿಷಿದ್ಧ ತೋಟ*", View::phonetic},
      {"rahasya lateenu", "kn.list|ರಹಸ್ಯ ಲಾಟೀನು", View::phonetic},
      {"ರ.ಹ.ಸ್ಯ ಲಾ.ಟೀ.ನು", "kn.list|ರಹಸ್ಯ ಲಾಟೀನು", View::spaced},
      {"ತೋಟದ ಮನೆ", "", View::base},
      {"ರಹಸ್ಯ", "", View::base},
      // Romanized and run together, as hashtags are typed: the joined view
      // meets the phonetic key.
      {"#rahasyalaateenu", "kn.list|ರಹಸ್ಯ ಲಾಟೀನು", View::phonetic},
      {"#chandrakalla", "kn.list|ಚಂದ್ರ ಕಳ್ಳ", View::phonetic},
      {"goponlonthon", "bn.list|গোপন লণ্ঠন", View::phonetic},
      {"#gopanlanthan", "bn.list|গোপন লণ্ঠন", View::phonetic},  // the "a" reading
      {"#nishiddhobaganer", "bn.list|নিষিদ্ধ বাগান*", View::phonetic},  // a prefix entry
      {"#varjitbageecha", "hi.list|वर्जित बगीच*", View::phonetic},
      {"#rahasyamaydeepakkatha", "hi.list|रहस्यमय दीपक कथा", View::phonetic},
      {"rahasyalaat", "", View::base},  // a word cut short
      {"gopon", "", View::base},
      // Indonesian
      {"k3bun t3rlarangnya", "id.list|kebun terlarang*", View::leet},
      {"kebunnn terlaraaang", "id.list|kebun terlarang*", View::squeeze},
      {"k e b u n terlarang", "id.list|kebun terlarang*", View::spaced},
      {"pencurirembulan", "id.list|pencuri rembulan", View::joined},
      {"kebun binatang", "", View::base},
      {"kebun yang terlarang", "", View::base},
  }));
  CAPTURE(row.query);
  const std::optional<Match> m = demo_row(row.query, row.entry);
  if (!m) return;
  CHECK(to_string(m->view) == to_string(row.view));
  CHECK(m->end > m->begin);
  CHECK(m->end <= std::string_view(row.query).size());
}

TEST_CASE("a romanized entry run together: each word keeps letters of its own", "[views][joined]") {
  // A word whose key is one letter ("na" is "n") could vanish into its
  // neighbour once joined ("hohenjolern" + "n" keys "hohenjolern"): such an
  // entry gets no joined key, and the first word alone never matches it.
  const Filter f = filter_from(header() +
                               "hohenzollern \xE0\xA6\xA8\xE0\xA6\xBE\n"  // ... না
                               "gopon lonthon $views=-joined,locale=bn\n"
                               "rupoli sinri $views=-phonetic-fuzzy,locale=bn\n");
  CHECK(f.check("hohenzollern").matches.empty());
  CHECK(f.check("Where is Hohenzollern Castle?").matches.empty());
  CHECK(f.check("gopon lonthon").matches.size() == 1);
  CHECK(f.check("#goponlonthon").matches.empty());  // joined off
  CHECK(f.check("#gopanlanthan").matches.empty());
  CHECK(f.check("#rupolisinri").matches.size() == 1);  // joined alone, as written
  // A spelling needs the key (and the fuzzy view, off here, reads the
  // squeezed "rupolesinri" as one letter changed).
  CHECK(f.check("#rupoleesinri").matches.empty());
}

TEST_CASE("a dictionary word is no entry's words run together unless it is their letters",
          "[views][joined]") {
  // The key reads long and short vowels, and a doubled or retroflex l,
  // alike: ಚಂದ್ರಕಲಾ (a name) keys as ಚಂದ್ರ ಕಳ್ಳ run together does, and
  // कलाकार (artist) as काला कर does. Each is a dictionary word, which a
  // joined atom reads as an entry only when it is the entry's own letters.
  CHECK(demo().check("ಚಂದ್ರಕಲಾ").matches.empty());
  CHECK(demo().check("ಚಂದ್ರಕಲಾ ನೃತ್ಯ").matches.empty());
  CHECK(demo_row("#ಚಂದ್ರಕಳ್ಳ", "kn.list|ಚಂದ್ರ ಕಳ್ಳ").has_value());
  CHECK(demo_row("ಚಂದ್ರಕಳ್ಳ ವಿಡಿಯೋ", "kn.list|ಚಂದ್ರ ಕಳ್ಳ").has_value());
  CHECK(demo_row("#chandrakalla", "kn.list|ಚಂದ್ರ ಕಳ್ಳ").has_value());
  const Filter f = filter_from(header() +
                               "काला कर\n"
                               "सूर्य मुखी\n"
                               "sun flower $locale=en\n");
  CHECK(f.check("कलाकार").matches.empty());
  CHECK(f.check("#कलाकार").matches.empty());
  CHECK(f.check("कालाकर").matches.size() == 1);   // no word: the entry run together
  CHECK(f.check("#kalakar").matches.size() == 1);  // romanized, the key as typed
  // A compound that is a dictionary word, typed as the entry's words run
  // together, is the letters matched.
  CHECK(f.check("सूर्यमुखी").matches.size() == 1);
  CHECK(f.check("sunflower").matches.size() == 1);
  CHECK(f.check("#sunfl0wer").matches.size() == 1);  // leet: no dictionary word as typed
  // An exception reads broadly: its joined key still lets such a word be.
  const Filter g = filter_from(header() + "कलाकार\n@@काला कर\n");
  CHECK(g.check("कलाकार").matches.empty());
  CHECK(g.check("कलाकार चित्र").matches.empty());
}

TEST_CASE("a word of two Indic syllables spaced out matches; short words stay apart",
          "[views][spaced]") {
  struct Row {
    const char* query;
    Action expected;
  };
  auto row = GENERATE(values<Row>({
      {"छाया बाज़ार न क्शा", Action::prompt},
      {"छाया बाज़ार न.क्शा", Action::prompt},
      {"ನೆರಳು ಸಂತೆ ನ ಕ್ಷೆ", Action::prompt},
      {"ನೆರಳು ಸಂತೆ ನ.ಕ್ಷೆ", Action::prompt},
      {"छाया बाज़ार का नक्शा", Action::prompt},
      // Near misses: ordinary text with one-character words in pairs
      // (the demo lists' entries are two words or longer).
      {"छाया बाज़ार", Action::allow},
      {"बाज़ार में क्या है", Action::allow},
      {"यह किताब की है", Action::allow},
      {"नक्शा में से एक", Action::allow},
      {"ছায়া বাজার কী বা কে", Action::allow},
      {"ನೆರಳು ಈ ಕೈ", Action::allow},
  }));
  CAPTURE(row.query);
  CHECK(demo().check(row.query).action == row.expected);
}

TEST_CASE("two common one-character words never join into an entry", "[views][spaced]") {
  // Entries that are two common words run together: only the spaced view
  // could reach them, and it must not from ordinary text.
  const Filter f = filter_from(header() +
                               "कीहै\nमेंसे\nजोभीहै\nকীবা\nಈಕೈ\nनक्शा\nনক্সা\nಕಪ್ಪು\n");
  struct Row {
    const char* query;
    Action expected;
  };
  auto row = GENERATE(values<Row>({
      {"यह किताब की है", Action::allow},
      {"इन में से एक", Action::allow},
      {"जो भी है ठीक है", Action::allow},
      {"কী বা কেন", Action::allow},
      {"ಈ ಕೈ ಚೀಲ", Action::allow},
      {"न क्शा", Action::prompt},
      {"ন ক্সা", Action::prompt},
      {"ಕ ಪ್ಪು", Action::prompt},
      {"ಕ.ಪ್ಪು ಬಣ್ಣ", Action::prompt},
  }));
  CAPTURE(row.query);
  CHECK(f.check(row.query).action == row.expected);
}

TEST_CASE("a word broken by a separator joins back when it spells an entry word",
          "[views][spaced]") {
  struct Row {
    const char* query;
    const char* entry;  // "file|entry as written" expected to match, or "" for no match
    const char* view = "spaced";  // the view that found it, or "any"
  };
  auto row = GENERATE(values<Row>({
      {"forb.idden orchard", "en.list|forbidden orchard"},
      {"forb-idden orchard", "en.list|forbidden orchard"},
      {"forb_idden orchard", "en.list|forbidden orchard"},
      {"forb*idden orchard", "en.list|forbidden orchard"},
      {"for bidden orchard", "en.list|forbidden orchard"},
      {"forbidden or chard", "en.list|forbidden orchard"},
      {"for bid den orchard", "en.list|forbidden orchard"},  // three pieces
      {"see the forb.idden or.chard now", "en.list|forbidden orchard"},
      {"hidden lan tern guild", "en.list|hidden lantern guild"},
      {"moon thief", "en.list|*moonthief*"},
      {"moon-thief", "en.list|*moonthief*"},
      {"kebun ter larang", "id.list|kebun terlarang*"},
      {"वर्जि.त बगीचा", "hi.list|वर्जित बगीच*"},
      {"छिपी लाल टेन", "hi.list|छिपी लालटेन"},
      {"নিষিদ্ধ বা গান", "bn.list|নিষিদ্ধ বাগান*"},
      {"চাঁ.দ চো.র", "bn.list|চাঁদ চোর"},  // two-akshara words
      {"चाँ द   चो र", "hi.list|चाँद चोर"},
      // (A rule's match names the view of its last part.)
      {"ನೆರಳು ಸಂ ತೆ ನಕ್ಷೆ", "kn.list|ನೆರಳು ಸಂತೆ & ನಕ್ಷೆ", "any"},
      {"ಬೆ.ಳ್ಳಿ ಏ.ಣಿ", "kn.list|ಬೆಳ್ಳಿ ಏಣಿ & !ಕಥೆ"},
      // Near misses: two words that spell an entry word, with no other
      // word of its entry, or pieces that spell no entry word.
      {"or chard", ""},
      {"an or chard tour", ""},
      {"forbid den", ""},
      {"moon light", ""},
      {"moon thieves", ""},
      {"for bidden fruit orchard", ""},
      {"लाल टेन", ""},
      {"लाल टेन की रोशनी", ""},
      {"বা গান বাড়ি", ""},
      {"ಸಂ ತೆ ನಕ್ಷೆ", ""},
      {"kebun ter", ""},
  }));
  CAPTURE(row.query);
  const std::optional<Match> m = demo_row(row.query, row.entry);
  if (!m) return;
  if (std::string_view(row.view) != "any") CHECK(to_string(m->view) == row.view);
  CHECK(m->end > m->begin);
  CHECK(m->end <= std::string_view(row.query).size());
}

TEST_CASE("a broken word joins after the other folds", "[views][spaced][compose]") {
  struct Row {
    const char* query;
    const char* entry;  // "file|entry as written" expected to match, or ""
  };
  auto row = GENERATE(values<Row>({
      {"f0rb idden orchard", "en.list|forbidden orchard"},
      {"forb 1dden 0rchard", "en.list|forbidden orchard"},
      {"f\u043Erb \u0456dden orchard", "en.list|forbidden orchard"},  // Cyrillic о, і
      {"forrrb idden orchard", "en.list|forbidden orchard"},
      {"forb iddddden orchard", "en.list|forbidden orchard"},
      {"h1dden lan7ern gu1 ld", "en.list|hidden lantern guild"},
      {"kebun t3r larang", "id.list|kebun terlarang*"},
      {"m0on thief", "en.list|*moonthief*"},              // the first line joins
      {"m0on thief l3g end", "en.list|moon thief legend"},  // the second keeps apart
      {"mooon thiief leeeg end", "en.list|moon thief legend"},
      // Near misses: pieces that spell no entry word once folded, an entry
      // that switches a fold off, a word of the entry missing.
      {"f0rb idden", ""},
      {"f0r bid orchard", ""},
      {"g1a ss orchard", ""},
      {"or ch4rd", ""},
      {"forrrb iden fruit orchard", ""},
      {"forrb idden orchard", ""},  // a doubled letter alone is ordinary text
  }));
  CAPTURE(row.query);
  const std::optional<Match> m = demo_row(row.query, row.entry);
  if (!m) return;
  CHECK(m->end > m->begin);
  CHECK(m->end <= std::string_view(row.query).size());
}

TEST_CASE("an Indonesian phrase's last word takes a clitic", "[views][id]") {
  struct Row {
    const char* query;
    const char* entry;  // "file|entry as written" expected to match, or ""
  };
  auto row = GENERATE(values<Row>({
      {"pencuri rembulannya", "id.list|pencuri rembulan"},
      {"video pencuri rembulanlah", "id.list|pencuri rembulan"},
      {"Pencuri Rembulankah?", "id.list|pencuri rembulan"},
      {"pencuri rembulanpun", "id.list|pencuri rembulan"},
      {"menara kacanya kunci beludru", "id.list|kunci beludru & menara kaca"},
      // Near misses: another ending, a clitic on the first word, an
      // English entry, a word of the entry missing.
      {"pencuri rembulanan", ""},
      {"pencurinya rembulan", ""},
      {"forbidden orchardnya", ""},
      {"rembulannya", ""},
  }));
  CAPTURE(row.query);
  demo_row(row.query, row.entry);
}

TEST_CASE("a clitic never makes another word of the entry's last word", "[views][id]") {
  const Filter f = filter_from(
      "! deter-list 1\n! name: t\n! language: id\n! category: demo\n! action: prompt\n"
      "mesin masa\nkebun tali\nlampu ta\nlentera tua\nkotak apa\n");
  struct Row {
    const char* query;
    bool match;
  };
  auto row = GENERATE(values<Row>({
      {"mesin masanya", true},
      {"kebun talinya", true},
      {"mesin masalah", false},  // masalah (a problem) is a word of its own
      {"lampu tanya", false},    // a word under three letters takes none
      {"lampu tapun", false},
      // Three letters: the dictionary, not a length, is the guard.
      {"lentera tuanya", true},
      {"lentera tualah", true},
      {"lentera tuapun", true},
      {"lentera tuan", false},     // another word, no clitic
      {"lentera tuas", false},
      {"kotak apakah", false},     // apakah (whether) is a word of its own
      {"kotak apanya", true},
  }));
  CAPTURE(row.query);
  CHECK(f.check(row.query).matches.empty() != row.match);
}

TEST_CASE("a broken word's match spans the pieces in the query", "[views][spaced]") {
  const Decision d = demo().check("see the forb.idden or.chard now");
  REQUIRE(!d.matches.empty());
  CHECK(d.matches[0].begin == 8);
  CHECK(d.matches[0].end == 27);
}

TEST_CASE("a 1 inside a word reads l as well as i", "[views][leet]") {
  struct Row {
    const char* query;
    const char* entry;  // "file|entry as written" expected to match, or ""
  };
  auto row = GENERATE(values<Row>({
      {"hidden 1antern guild", "en.list|hidden lantern guild"},
      {"hidden lantern gui1d", "en.list|hidden lantern guild"},
      {"HIDDEN 1ANTERN GUILD", "en.list|hidden lantern guild"},
      {"h1dden lantern guild", "en.list|hidden lantern guild"},  // still i
      {"g1ass orchard", ""},  // the entry switches leet off
      {"1st orchard", ""},
      {"v1 release", ""},
      {"mp3 b2b", ""},
      {"hidden 1antern", ""},
      // Each word read its own way, in one query.
      {"h1dden 1antern gu1ld", "en.list|hidden lantern guild"},
      {"hidden 1antern gu|ld", "en.list|hidden lantern guild"},
      {"h|dden |antern gu|ld", "en.list|hidden lantern guild"},
      {"H1DDEN 1ANTERN GU1LD", "en.list|hidden lantern guild"},
      {"pencur| rembu|an", "id.list|pencuri rembulan"},  // a final '|' too
      {"chand| k| s|dh|", "hi-latn.list|chandi ki sidhi & !kahani"},
      {"h1dden 1antern", ""},  // a word of the entry missing
      {"g1ass 0rchard", ""},  // the entry switches leet off
      {"g|ass orchard", ""},
      {"1antern gu1ld 1egend", ""},
      {"fi1e 1ist", ""},
      {"orchard| forbidden|", ""},
  }));
  CAPTURE(row.query);
  demo_row(row.query, row.entry);
}

TEST_CASE("views switch off per list and per entry", "[views]") {
  const std::string list = header("! views: -phonetic\n") +
                           "forbidden orchard\n"                          // 7
                           "hidden lantern $views=-leet-squeeze-fuzzy\n"  // 8
                           "varjit bagicha $views=phonetic,locale=hi\n";  // 9: base + phonetic only
  const Filter f = filter_from(list);
  auto ids = [&](const char* q) {
    std::string out;
    for (const Match& m : f.check(q).matches) out += std::string(m.entry_id) + " ";
    return out;
  };
  CHECK(ids("f0rbidden orchard") == "t.list:7 ");
  CHECK(ids("forbiden orchard") == "t.list:7 ");  // squeeze reads both as "forbiden"
  CHECK(ids("h1dden lantern") == "");
  CHECK(ids("hiddden lantern") == "");
  CHECK(ids("hidden l a n t e r n") == "t.list:8 ");  // spaced is still on
  CHECK(ids("varjeet bageecha") == "t.list:9 ");      // list's -phonetic, entry's phonetic
  CHECK(ids("v4rjit bagicha") == "");

  FilterOptions only_base;
  only_base.views = ViewSet::only(View::base);
  const Filter b = filter_from(list, only_base);
  CHECK(b.check("f0rbidden orchard").matches.empty());
  CHECK(b.check("forbidden orchard").matches.size() == 1);
}

namespace {

// A match's folds as the chain explain prints, without arrows: "leet phonetic".
std::string chain_of(ViewSet folds) {
  std::string out;
  for (View v : {View::spaced, View::homoglyph, View::leet, View::squeeze, View::phonetic}) {
    if (!folds.has(v)) continue;
    if (!out.empty()) out += " ";
    out += to_string(v);
  }
  return out;
}

}  // namespace

TEST_CASE("views compose: two folds at once, in every script the demo lists cover",
          "[views][decision][compose]") {
  struct Row {
    const char* query;
    const char* entry;  // "file|entry as written", or "" for no match
    const char* folds;  // the chain that found it (Match::folds)
  };
  auto row = GENERATE(values<Row>({
      // Latin
      {"f0rbbbidden 0rchard", "en.list|forbidden orchard", "leet squeeze"},
      {"f\xD0\xBErb1dden orchard", "en.list|forbidden orchard", "homoglyph leet"},
      {"F0RBIDDEEEN ORCH4RD", "en.list|forbidden orchard", "leet squeeze"},
      {"h i d d 3 n lantern guild",
       "en.list|hidden lantern guild",
       "spaced leet"},
      {"h!dd3n |antern guild",
       "en.list|hidden lantern guild", "leet"},
      {"k3bunnn terlarang", "id.list|kebun terlarang*", "leet squeeze"},
      {"k\xD0\xB5" "bun t3rlarang", "id.list|kebun terlarang*", "homoglyph leet"},
      {"pencur! rembu|an",
       "id.list|pencuri rembulan", "leet"},
      // A fold, then squeeze where it changes nothing the entry's squeezed
      // form matched ("tanga" is *tangga* squeezed): no section of its own.
      {"7anga perak", "id.list|tangga perak & !dongeng", "leet squeeze"},
      {"t\xD0\xB0nga \xD1\x80" "erak", "id.list|tangga perak & !dongeng", "homoglyph squeeze"},
      {"t a n g a perak", "id.list|tangga perak & !dongeng", "spaced squeeze"},
      {"dongeng 7anga perak", "", ""},  // the rule's exception still holds
      // Run together with stretched letters: the squeeze section meets the
      // entry's joined form squeezed ("forbidenorchard").
      {"forbiddenorchaaard", "en.list|forbidden orchard", "squeeze"},
      {"forbbbiddenorchard", "en.list|forbidden orchard", "squeeze"},
      {"f0rbiddenorchaaard", "en.list|forbidden orchard", "leet squeeze"},
      {"forbiddenorchard", "en.list|forbidden orchard", ""},  // as typed: the joined view
      // Romanized Hindi: the Devanagari entry and the romanized one alike
      {"v4rjeet bagicha", "hi.list|वर्जित बगीच*", "leet phonetic"},
      {"v4rjeet bagicha", "hi-latn.list|varjit bagich*", "leet phonetic"},
      {"varjeet b4geecha", "hi.list|वर्जित बगीच*", "leet phonetic"},
      {"v\xD0\xB0rjeet bagicha", "hi.list|वर्जित बगीच*", "homoglyph phonetic"},
      {"v\xD0\xB0rjeet bagicha", "hi-latn.list|varjit bagich*", "homoglyph phonetic"},
      {"vaaarjeeet bagicha", "hi.list|वर्जित बगीच*", "squeeze phonetic"},
      {"vaaarjeeet bagicha", "hi-latn.list|varjit bagich*", "squeeze phonetic"},
      {"v\xD0\xB0rj33t bag!cha", "hi.list|वर्जित बगीच*", "homoglyph leet phonetic"},
      {"v a r j 3 e t bagicha", "hi.list|वर्जित बगीच*", "spaced leet phonetic"},
      // Romanized Bengali
      {"n1shiddho bagaaan", "bn.list|নিষিদ্ধ বাগান*", "leet squeeze phonetic"},
      {"nishiddh0 b4gan", "bn.list|নিষিদ্ধ বাগান*", "leet phonetic"},
      {"g\xD0\xBEpon lonthon", "bn.list|গোপন লণ্ঠন", "homoglyph phonetic"},
      {"gooopon lonthon", "bn.list|গোপন লণ্ঠন", "squeeze phonetic"},
      // stretched o read as o, stretched ee as ee, in one query
      {"rooohosyo prooodeeep kaaahini", "bn.list|রহস্য প্রদীপ কাহিনি", "squeeze phonetic"},
      // keyed after homoglyph, where the look-alikes alone already give the key
      {"ru\xD1\x80oli \xD1\x95inri", "bn.list|রুপোলি সিঁড়ি & !গল্প", "homoglyph phonetic"},
      // Romanized Kannada (the list switches leet off: see below)
      {"r\xD0\xB0hasya laaateenu", "kn.list|ರಹಸ್ಯ ಲಾಟೀನು", "homoglyph squeeze phonetic"},
      {"nishiddhaaa t\xD0\xBEtadalli", "kn.list|ನಿಷಿದ್ಧ ತೋಟ*", "homoglyph squeeze phonetic"},
      {"r4hasya lateenu", "", ""},  // kn.list: ! views: -leet
      {"r@hasya laaateenu", "", ""},
      // Near misses: benign words with two folds stay benign
      {"c0ffee shop", "", ""},
      {"b00kkeeper 2024", "", ""},
      {"forbidden orchard!", "en.list|forbidden orchard", ""},
      {"wow!!! r0ck|roll", "", ""},
      {"v4rjeet phal", "", ""},
      {"b4geecha", "", ""},
      {"vaaarnish bagpack", "", ""},
      {"g\xD0\xBE" "0gle 0rchestra", "", ""},
      {"kebunnn b1natang", "", ""},
  }));
  CAPTURE(row.query);
  const std::optional<Match> m = demo_row(row.query, row.entry);
  if (!m) return;
  CHECK(chain_of(m->folds) == row.folds);
  CHECK(m->begin == 0);
  CHECK(m->end == std::string_view(row.query).size() - (row.query[std::strlen(row.query) - 1] == '!'));
}

TEST_CASE("a composition never reaches an entry with one of its views off", "[views][compose]") {
  const std::string list = header() +
                           "varjit bagicha $views=-leet,locale=hi\n"    // 6
                           "forbidden orchard $views=-squeeze\n"        // 7
                           "hidden lantern $views=-homoglyph\n"         // 8
                           "velvet tower $views=-phonetic,locale=hi\n"  // 9
                           "kebun terlarang $views=-spaced\n"           // 10
                           "tangga perak $views=-squeeze\n"             // 11
                           "tangga emas $views=-leet\n"                 // 12
                           "velvet compass $views=-squeeze-fuzzy\n";    // 13
  const Filter f = filter_from(list);
  auto ids = [&](const char* q) {
    std::string out;
    for (const Match& m : f.check(q).matches) out += std::string(m.entry_id) + " ";
    return out;
  };
  CHECK(ids("v4rjeet bagicha") == "");            // leet and phonetic
  CHECK(ids("v\xD0\xB0rj33t bagicha") == "");   // homoglyph, leet and phonetic
  CHECK(ids("v\xD0\xB0rjeet bagicha") == "t.list:6 ");  // homoglyph and phonetic
  CHECK(ids("vaaarjeeet bagicha") == "t.list:6 ");
  CHECK(ids("f0rbbbidden 0rchard") == "");        // leet and squeeze
  CHECK(ids("f0rbidden 0rchard") == "t.list:7 ");
  CHECK(ids("h\xD1\x96" "dd3n lantern") == "");    // homoglyph and leet
  CHECK(ids("h1dd3n lantern") == "t.list:8 ");
  CHECK(ids("v3lvet t0wer") == "t.list:9 ");
  CHECK(ids("v3lvvvet t0wer") == "t.list:9 ");   // leet and squeeze, no key needed
  CHECK(ids("k 3 b u n terlarang") == "");        // spaced and leet
  CHECK(ids("kebun ter larang") == "");           // a broken word is the spaced view's
  CHECK(ids("k3bunnn terlarang") == "t.list:10 ");
  // Squeeze after a fold that left nothing to squeeze (counts_squeezed):
  // both views must be on.
  CHECK(ids("7anga perak") == "");                // leet, then squeeze
  CHECK(ids("tanga perak") == "");                // squeeze alone
  CHECK(ids("7angga perak") == "t.list:11 ");     // leet alone
  CHECK(ids("7anga emas") == "");                 // leet, then squeeze
  CHECK(ids("tanga emas") == "t.list:12 ");       // squeeze alone
  CHECK(ids("t\xD0\xB0nga emas") == "t.list:12 ");  // homoglyph, then squeeze
  // The joined form squeezed is the squeeze view's (and a letter more or
  // less the fuzzy view's, off here too).
  CHECK(ids("velvetcompass") == "t.list:13 ");
  CHECK(ids("velvetcompasss") == "");
  CHECK(ids("#velvetcompas") == "");
}

TEST_CASE("symbols used as letters inside words, punctuation at their edges", "[views][leet]") {
  struct Row {
    const char* query;
    const char* leet;  // the leet view, "" when it equals the base form
  };
  auto row = GENERATE(values<Row>({
      {"hidden |antern guild", " hidden lantern guild "},
      {"h!dden lantern guild", " hidden lantern guild "},
      {"g|@$$ orch@rd", " glass orchard "},
      {"$!|ver |@dder", " silver ladder "},
      {"forbidden orchard!", ""},      // a final '!' is punctuation
      {"f0rbidden orchard!", " forbidden orchard "},
      {"!important note", ""},         // and a first one
      {"wow!!! so good", ""},
      {"orchard|", ""},                // a final '|' too
      {"a | b", ""},                   // a token without a letter
      {"@home 100$", ""},              // '@' first is not a letter; "100$" has none
  }));
  CAPTURE(row.query);
  text::QueryViews views;
  views.build(row.query, ViewSet::all());
  std::string leet;
  for (std::size_t i = 0; i < views.section_count(); ++i) {
    if (views.section(i).view == View::leet && !views.section(i).composed) {
      leet = views.section_text(i);
    }
  }
  CHECK(leet == row.leet);
}

TEST_CASE("spans point at the original text, whatever view found it", "[views][offsets]") {
  struct Row {
    const char* query;
    const char* text;  // expected query.substr(begin, end - begin)
  };
  auto row = GENERATE(values<Row>({
      {"see the F0RBIDDEN 0rch@rd!!", "F0RBIDDEN 0rch@rd"},
      {"x fooorbidden orchaaard y", "fooorbidden orchaaard"},
      {"see f o r b i d d e n orchard now", "f o r b i d d e n orchard"},
      {"see f.o.r.b.i.d.d.e.n orchard", "f.o.r.b.i.d.d.e.n orchard"},
      {"hey forbiddenorchard", "forbiddenorchard"},
      {"the f\xD0\xBErbidden orchard", "f\xD0\xBErbidden orchard"},
      {"ok ＦＯＲＢＩＤＤＥＮ ＯＲＣＨＡＲＤ ok", "ＦＯＲＢＩＤＤＥＮ ＯＲＣＨＡＲＤ"},
      {"aaj varjeet bageeche ki", "varjeet bageeche"},
      {"আজ nishiddho baganer ছবি", "nishiddho baganer"},
      {"(वर्जित बगीचे)", "वर्जित बगीचे"},
      {"x f0rbbbidden 0rch4rd y", "f0rbbbidden 0rch4rd"},
      {"aaj v\xD0\xB0rj33t bageeche ki", "v\xD0\xB0rj33t bageeche"},
      {"see h i d d 3 n lantern guild!", "h i d d 3 n lantern guild"},
      {"so pencur! rembu|an", "pencur! rembu|an"},
      {"ok vaaarjeeet bagicha", "vaaarjeeet bagicha"},
  }));
  CAPTURE(row.query);
  const Decision d = demo().check(row.query);
  REQUIRE(!d.matches.empty());
  const Match& m = d.matches.front();
  CHECK(std::string_view(row.query).substr(m.begin, m.end - m.begin) == row.text);
}

TEST_CASE("normalizing twice equals normalizing once; token views are idempotent",
          "[views][property]") {
  std::mt19937 rng(1234);
  const std::vector<std::string> pieces = {"Forbidden",
                                           "ORCHARD",
                                           "f0rb1dd3n",
                                           "é",
                                           "e\xCC\x81",
                                           "ﬁ",
                                           "ß",
                                           "Ⓕ",
                                           "\xF0\x9D\x90\x9F",
                                           "वर्जित",
                                           "बाज़ार",
                                           "ऩ",
                                           "चाँद",
                                           "নিষিদ্ধ",
                                           "উত্\xE2\x80\x8Dসব",
                                           "চাঁদ",
                                           "ಕನ್ನಡ",
                                           "೧೨",
                                           "१२",
                                           " ",
                                           "  ",
                                           ".",
                                           "!",
                                           "@",
                                           "$",
                                           "\xE2\x80\x8B",
                                           "\xE2\x80\xAE",
                                           "\xD0\xBE",
                                           "α",
                                           "\xFF",
                                           "ooo",
                                           "a b c",
                                           "ಿ",
                                           "\xCC\x81"};
  for (int i = 0; i < 2000; ++i) {
    std::string q;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) q += pieces[rng() % pieces.size()];
    const std::string once = text::normalize_base(q);
    CAPTURE(q, once);
    REQUIRE(text::normalize_base(once) == once);
    REQUIRE(text::is_valid_utf8(once));
    for (View v : {View::leet, View::squeeze, View::spaced, View::homoglyph}) {
      std::string a, b;
      text::apply_view(v, once, a);
      text::apply_view(v, a, b);
      CAPTURE(to_string(v), a);
      CHECK(a == b);
    }
  }
}

TEST_CASE("spans lie inside the query and on UTF-8 boundaries", "[views][property][offsets]") {
  std::mt19937 rng(99);
  const std::vector<std::string> pieces = {"forbidden",
                                           "f0rbidden",
                                           "FORBIDDEN",
                                           "f o r b i d d e n",
                                           "fooorbidden",
                                           "orchard",
                                           "0rch4rd",
                                           "orchard!",
                                           "forbiddenorchard",
                                           "f\xD0\xBErbidden",
                                           " ",
                                           ", ",
                                           "वर्जित",
                                           "बगीचे",
                                           "varjeet",
                                           "bageeche",
                                           "নিষিদ্ধ",
                                           "বাগানের",
                                           "ನಿಷಿದ್ಧ",
                                           "ತೋಟದ",
                                           "kebun",
                                           "terlarangnya",
                                           "\xE2\x80\x8B",
                                           "é",
                                           "\xFF",
                                           "museum",
                                           "$",
                                           "@",
                                           "Ⓕ",
                                           "\xCC\x81",
                                           // compositions
                                           "v4rjeeet",
                                           "v\xD0\xB0rj33t",
                                           "baaag!cha",
                                           "h i d d 3 n",
                                           "|antern",
                                           "pencur!",
                                           "!",
                                           "|",
                                           "f0rbbbidden"};
  std::size_t matched = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string q;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) {
      q += pieces[rng() % pieces.size()];
      if (rng() % 2) q += " ";
    }
    CheckOptions o;
    o.explain = true;
    const Decision d = demo().check(q, o);
    matched += !d.occurrences.empty();
    CAPTURE(q);
    for (const auto* list : {&d.matches, &d.suppressed, &d.occurrences}) {
      for (const Match& m : *list) {
        CAPTURE(m.entry_id, to_string(m.view), m.begin, m.end);
        REQUIRE(m.begin < m.end);
        REQUIRE(m.end <= q.size());
        CHECK(on_boundary(q, m.begin));
        CHECK(on_boundary(q, m.end));
      }
    }
  }
  CHECK(matched > 200);  // the property was exercised on real matches
}

TEST_CASE("no view newly flags a line of benign text (tests/data)", "[views][false-positives]") {
  auto open = [](ViewSet views) {
    FilterOptions o;
    o.views = views;
    Result<Filter> r = Filter::open(source_path("lists/demo"), o);
    if (!r) FAIL(r.error().to_string());
    return std::move(r).value();
  };
  const Filter base = open(ViewSet::only(View::base));
  std::vector<std::string> lines;
  for (const char* kind : {"queries", "phrases"}) {
    for (const char* lang : {"en", "hi", "bn", "kn", "id"}) {
      std::ifstream in(source_path(std::string("tests/data/") + kind + "/" + lang + ".txt"));
      for (std::string line; std::getline(in, line);) lines.push_back(line);
    }
  }
  REQUIRE(lines.size() > 2000);
  for (int v = 1; v < kViewCount; ++v) {
    const View view = static_cast<View>(v);
    const Filter f = open(ViewSet::only(View::base).with(view));
    std::size_t flagged = 0;
    for (const std::string& line : lines) {
      if (!f.check(line).matches.empty() && base.check(line).matches.empty()) {
        ++flagged;
        UNSCOPED_INFO(to_string(view) << " flags: " << line);
      }
    }
    CAPTURE(to_string(view));
    CHECK(flagged == 0);
    // The same filter does flag an obfuscated line, so zero means something.
    const char* obfuscated[] = {"",
                                "f0rbidden 0rchard",
                                "fooorbidden orchard",
                                "f o r b i d d e n orchard",
                                "forbiddenorchard",
                                "f\xD0\xBErbidden orchard",
                                "varjeet bageecha",
                                "forbidden orchrad"};
    CHECK(!f.check(lines[0] + " " + obfuscated[v]).matches.empty());
  }
}

TEST_CASE("views stay well-behaved on adversarial queries", "[views][robustness]") {
  auto repeat = [](std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  const std::vector<std::string> queries = {
      repeat("क्", 600),         // one huge conjunct: more units than a key holds
      repeat("ব", 2000),        // one long Bengali token
      repeat("ab", 2000),       // one long Latin token: no key
      repeat("a ", 2000),       // a 2000-letter spaced run
      repeat("$", 3000) + "x",  // symbols only
      repeat("f0", 1500),       // a long leet token
      repeat("\xD0\xBE"
             "a",
             1000),       // a long homoglyph token
      repeat("o", 4000),  // one letter repeated
      repeat("ि", 3000),  // marks with no base
      "f o r b i d d e n " + repeat("o", 3000) + "rchard",
  };
  for (const std::string& q : queries) {
    CAPTURE(q.size());
    CheckOptions o;
    o.explain = true;
    const Decision d = demo().check(q, o);
    for (const Match& m : d.occurrences) {
      REQUIRE(m.begin < m.end);
      REQUIRE(m.end <= q.size());
    }
    for (const auto& [view, text] : demo().views_of(q)) {
      CAPTURE(to_string(view));
      CHECK(text::is_valid_utf8(text));
      CHECK(text.size() <= 2 * q.size() + 2);
    }
  }
}

namespace {

// The scan text QueryViews should build for `query`, made the slow way:
// the base form, then each view written by the writers that also build
// offset maps, kept when it differs from the base form.
std::string expected_scan_text(std::string_view query, ViewSet views) {
  const std::string base = text::normalize_base(query);
  std::string symbols;
  text::normalize_base(query, symbols, nullptr, true);
  const bool has_symbols = query.find_first_of("@$!|") != std::string_view::npos;
  std::string scan = base;
  for (View v : {View::leet, View::squeeze, View::spaced, View::homoglyph, View::phonetic}) {
    if (!views.has(v)) continue;
    std::string out;
    text::OffsetMap map;
    text::apply_view(v, v == View::leet && has_symbols ? symbols : base, out, &map);
    if (out != base) scan += "\n" + out;
  }
  return scan;
}

// The scan text before the composed sections (which the slow writers do
// not make; their own tests are the composition rows).
std::string own_sections(const text::QueryViews& views) {
  for (std::size_t i = 0; i < views.section_count(); ++i) {
    const text::Section& s = views.section(i);
    if (s.composed) return std::string(views.scan_text().substr(0, s.begin - 1));
  }
  return std::string(views.scan_text());
}

}  // namespace

TEST_CASE("the one-pass ASCII path and the token list agree with the general path",
          "[views][property]") {
  std::vector<std::string> queries = {"",
                                      " ",
                                      "Forbidden ORCHARD",
                                      "f0rb1dd3n 0rch4rd",
                                      "o r c h a r d",
                                      "ooorchard  Hello!!",
                                      "455 717",
                                      "a.b.c.d",
                                      "x@y $5",
                                      "café orchard",
                                      "tab\there\nnew"};
  std::mt19937 rng(99);
  const std::string alphabet = "aAbBeEoOhHcC0134579 .,!-_'\t@$kKpPsSxXwWzZqQ";
  for (int k = 0; k < 3000; ++k) {
    std::string q;
    const std::size_t n = rng() % 24;
    for (std::size_t i = 0; i < n; ++i) q += alphabet[rng() % alphabet.size()];
    queries.push_back(q);
  }
  // Long queries and long tokens: the ASCII path classifies 16 bytes at a
  // time into 64-bit masks and copies tokens 16 bytes at a time.
  const std::string letters = "aAbBcCdDeEhHmMnNoOsStT0135 ";
  for (int k = 0; k < 1000; ++k) {
    std::string q;
    const std::size_t n = rng() % 300;
    const bool sparse = k % 2 == 0;  // few separators: tokens of 20-60 bytes
    for (std::size_t i = 0; i < n; ++i) {
      const char c = letters[rng() % letters.size()];
      q += c == ' ' && sparse && rng() % 8 != 0 ? 'a' : c;
    }
    queries.push_back(q);
  }
  for (const char* lang : {"en", "id", "hi", "bn"}) {
    std::ifstream in(source_path(std::string("tests/data/queries/") + lang + ".txt"));
    for (std::string line; std::getline(in, line);) queries.push_back(line);
  }
  text::QueryViews views;
  const ViewSet without_leet = ViewSet::all().without(View::leet);
  for (const std::string& q : queries) {
    INFO("query: " << q);
    views.build(q, without_leet);
    REQUIRE(own_sections(views) == expected_scan_text(q, without_leet));
    views.build(q, ViewSet::all());
    REQUIRE(own_sections(views) == expected_scan_text(q, ViewSet::all()));
    std::vector<text::Token> want;
    text::append_tokens(views.scan_text(), 0, want);
    const std::vector<text::Token>& got = views.tokens();
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      REQUIRE(got[i].begin == want[i].begin);
      REQUIRE(got[i].size == want[i].size);
      REQUIRE(got[i].hash == want[i].hash);
    }
  }
}

// The squeeze section (squeeze_token, which compares and copies a character
// by its size) against the writer with offset maps, on tokens of characters of
// every UTF-8 size, each often twice in a row: letters, marks, ASCII letters
// beside them, and a native digit and a dash, which the base form makes a
// digit (never dropped) and a separator.
TEST_CASE("the squeeze section drops repeated characters of every size as the slow writer does",
          "[views][property]") {
  const std::vector<std::string> characters = {
      "a",  "b",  "1",  "é",  "\xD0\xBE", "क",  "ि",  "्",  "ং",  "প",
      "৯",  "ಕ",  "ಾ",  "—",  "𝐚",        "😀", "o",  "त",  "্য", "ಿ"};
  std::mt19937 rng(11);
  text::QueryViews views;
  const ViewSet squeeze = ViewSet::only(View::base).with(View::squeeze);
  for (int k = 0; k < 4000; ++k) {
    std::string q;
    const std::size_t n = 1 + rng() % 14;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& c = characters[rng() % characters.size()];
      for (std::size_t times = 1 + (rng() % 3 == 0 ? 1 + rng() % 3 : 0); times > 0; --times) q += c;
      if (rng() % 6 == 0) q += ' ';
    }
    INFO("query: " << q);
    views.build(q, squeeze);
    REQUIRE(own_sections(views) == expected_scan_text(q, squeeze));
  }
}

// The phonetic section keeps the keys of native-script words it has seen
// (QueryViews::KeyMemo, a slot per token hash): a word met again, a word
// sharing a slot with another, a word too long to keep, and Latin words
// beside them must all read as the slow writer reads them.
TEST_CASE("remembered keys of native-script words are each word's own", "[views][phonetic]") {
  // Syllables of the three scripts (consonant, then a vowel sign or none),
  // so that words repeat often while thousands of distinct ones compete
  // for the slots.
  const std::vector<std::vector<std::string>> consonants = {
      {"क", "म", "र", "ज", "त"}, {"ত", "ম", "য", "গ", "প"}, {"ಕ", "ನ", "ರ", "ಮ", "ತ"}};
  const std::vector<std::vector<std::string>> signs = {
      {"", "ि", "ा", "्र"}, {"", "ো", "া", "্য"}, {"", "ಾ", "ಿ", "್ರ"}};
  std::mt19937 rng(7);
  text::QueryViews views;
  for (int k = 0; k < 4000; ++k) {
    std::string q;
    const std::size_t words = 1 + rng() % 6;
    for (std::size_t w = 0; w < words; ++w) {
      if (rng() % 5 == 0) {
        q += "varjit ";
        continue;
      }
      // Mostly short words (many repeats), some of 11 to 14 syllables
      // (over 30 bytes: never kept).
      const std::size_t n = rng() % 8 == 0 ? 11 + rng() % 4 : 1 + rng() % 3;
      const std::size_t script = rng() % 3;
      for (std::size_t i = 0; i < n; ++i) {
        q += consonants[script][rng() % 5];
        q += signs[script][rng() % 4];
      }
      q += ' ';
    }
    INFO("query: " << q);
    for (int twice = 0; twice < 2; ++twice) {
      views.build(q, ViewSet::all());
      REQUIRE(own_sections(views) == expected_scan_text(q, ViewSet::all()));
      std::vector<text::Token> want;
      text::append_tokens(views.scan_text(), 0, want);
      const std::vector<text::Token>& got = views.tokens();
      REQUIRE(got.size() == want.size());
      for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(got[i].hash == want[i].hash);
    }
  }
}

// The hints read long base forms sixteen bytes at a time: a view they rule
// out wrongly would be missing from the scan text. Characters of one, two
// and three bytes, doubled or not, look-alikes among them, at every offset.
TEST_CASE("the block-wise hints of long queries miss no view", "[views][property]") {
  const std::vector<std::string> pieces = {
      "a",      "o",      "r",      "e",      "0",      "4",      "@",       "$",      " ",
      " ",      " ",      "\xD0\xBE" /* Cyrillic o */, "\xD0\xB6" /* zhe */,
      "\xC3\xA9" /* e acute */, "\xCE\xBB" /* lambda */, "\xE0\xA4\x95" /* ka */,
      "\xE0\xA4\xBE" /* aa sign */, "\xE0\xA5\x8D" /* virama */,
      "\xE0\xA6\x95" /* Bengali ka */, "\xE0\xB2\x95" /* Kannada ka */,
      "\xE1\xB4\x8F" /* small capital o */, "\xE4\xB8\xAD" /* a CJK letter */,
      "\xF0\x9D\x90\x9F" /* bold f */};
  std::mt19937 rng(16);
  text::QueryViews views;
  // Without the spaced view: its hint and its writer disagree on a token of
  // a digit and vowel signs ("4ााा"), whatever reads the bytes.
  const ViewSet tried = ViewSet::all().without(View::spaced);
  for (int k = 0; k < 3000; ++k) {
    std::string q;
    const std::size_t n = 8 + rng() % 60;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& piece = pieces[rng() % pieces.size()];
      q += piece;
      if (rng() % 6 == 0) q += piece;  // doubled
    }
    INFO("query: " << q);
    views.build(q, tried);
    REQUIRE(own_sections(views) == expected_scan_text(q, tried));
    std::vector<text::Token> want;
    text::append_tokens(views.scan_text(), 0, want);
    const std::vector<text::Token>& got = views.tokens();
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      REQUIRE(got[i].begin == want[i].begin);
      REQUIRE(got[i].hash == want[i].hash);
    }
  }
}

// A composed section takes its first fold from that fold's own section, and
// each section's offset maps are built only when a hit in it asks: the
// spans must not depend on which sections were asked first.
TEST_CASE("spans of every section agree in whatever order the sections are mapped",
          "[views][offsets][compose]") {
  std::string long_lookalikes;
  while (long_lookalikes.size() < 4000) long_lookalikes += "f\xD0\xBErb\xD1\x96" "dd\xD0\xB5n \xD0\xBErch\xD0\xB0rd ";
  const std::string query = GENERATE_COPY(values<std::string>({
      "x f\xD0\xBErbbbidden \xD0\xBErchard y",
      "f0rbbbidden 0rch4rd",
      "v\xD0\xB0rj33t bag!cha",
      "see h i d d 3 n lantern guild!",
      "so pencur! rembu|an h\xD1\x96" "dd3n",
      "g\xD0\xBEpon lonthon gooopon",
      "nishiddhaaa t\xD0\xBEtadalli",
      "k\xD0\xB5" "bun t3rlarang k 3 b u n",
      long_lookalikes,
  }));
  CAPTURE(query);
  // Each section's words, as section-local [begin, end).
  using Spans = std::vector<std::pair<std::size_t, std::size_t>>;
  auto words = [](std::string_view t) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t i = 0; i < t.size();) {
      while (i < t.size() && t[i] == ' ') ++i;
      const std::size_t b = i;
      while (i < t.size() && t[i] != ' ') ++i;
      if (i > b) out.emplace_back(b, i);
    }
    return out;
  };
  auto spans_of = [&](text::QueryViews& v, std::size_t s) {
    Spans out;
    for (const auto& [b, e] : words(v.section_text(s))) out.push_back(v.original_span(s, b, e));
    return out;
  };
  text::QueryViews forward;
  forward.build(query, ViewSet::all());
  const std::size_t n = forward.section_count();
  std::size_t composed = 0;
  std::vector<Spans> want(n);
  for (std::size_t s = 0; s < n; ++s) {
    want[s] = spans_of(forward, s);
    composed += forward.section(s).composed ? 1 : 0;
  }
  CHECK(composed > 0);
  text::QueryViews backward;
  backward.build(query, ViewSet::all());
  REQUIRE(backward.section_count() == n);
  for (std::size_t s = n; s-- > 0;) CHECK(spans_of(backward, s) == want[s]);
  // Each section alone, its own fold's section never mapped before.
  for (std::size_t s = 0; s < n; ++s) {
    text::QueryViews alone;
    alone.build(query, ViewSet::all());
    CHECK(spans_of(alone, s) == want[s]);
  }
}

// The composed section that reads a look-alike and a stretched letter at
// once, while no view alone meets the entry: its first fold comes from the
// homoglyph section, and its span still covers the original words.
TEST_CASE("a composed section built on its first fold's own section maps to the query",
          "[views][offsets][compose]") {
  struct Row {
    const char* query;
    const char* text;  // expected query.substr(begin, end - begin)
    const char* folds;
  };
  auto row = GENERATE(values<Row>({
      {"x f\xD0\xBErbbbidden \xD0\xBErchard y", "f\xD0\xBErbbbidden \xD0\xBErchard",
       "homoglyph squeeze"},
      {"see h\xD1\x96" "dd3n lantern guild ok", "h\xD1\x96" "dd3n lantern guild",
       "homoglyph leet"},
      {"aaj v\xD0\xB0rjeet bageeche ki", "v\xD0\xB0rjeet bageeche", "homoglyph phonetic"},
  }));
  CAPTURE(row.query);
  const Decision d = demo().check(row.query);
  REQUIRE(!d.matches.empty());
  const Match& m = d.matches.front();
  CHECK(chain_of(m.folds) == row.folds);
  CHECK(std::string_view(row.query).substr(m.begin, m.end - m.begin) == row.text);
}
