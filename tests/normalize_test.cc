// The base form: a table of inputs and their normalized forms, and the
// properties every normalized text has.
#include <catch2/catch.hpp>

#include <iterator>
#include <random>
#include <string>

#include "text/normalize.h"
#include "text/utf8.h"

using deter::text::normalize_base;
using deter::text::OffsetMap;

TEST_CASE("base form table", "[normalize]") {
  struct Row {
    const char* input;
    const char* expected;
  };
  auto row = GENERATE(values<Row>({
      {"", " "},
      {"   ", " "},
      {"Forbidden ORCHARD", " forbidden orchard "},
      {"  forbidden,,, orchard!!  ", " forbidden orchard "},
      {"forbidden\torchard\n", " forbidden orchard "},
      {"ＦＯＲＢＩＤＤＥＮ", " forbidden "},                       // full width
      {"STRASSE Straße", " strasse strasse "},                   // case folding
      {"e\xCC\x81t\xC3\xA9", " ete "},                          // Latin accents go
      {"वर्जित बगीचा", " वर्जित बगीचा "},                         // vowel signs and virama kept
      {"वर्जित, बगीचा।", " वर्जित बगीचा "},                        // danda is punctuation
      {"নিষিদ্ধ বাগান", " নিষিদ্ধ বাগান "},
      {"ನಿಷಿದ್ಧ ತೋಟ", " ನಿಷಿದ್ಧ ತೋಟ "},
      {"kebun terlarang?", " kebun terlarang "},
      {"a\xE2\x80\x8B" "b", " ab "},                              // zero-width space removed
      {"1,000 455", " 1 000 455 "},
      {"forbidden\xFF" "orchard", " forbidden orchard "},         // invalid byte separates
      {"\xE0\xA7\x9F\xE0\xA6\xBE", " \xE0\xA6\xAF\xE0\xA6\xBC\xE0\xA6\xBE "},  // য় splits
      {"\xE0\xA5\x9C\xE0\xA4\xBE", " \xE0\xA4\xA1\xE0\xA4\xBE "},            // ड़: nukta goes
      {"a\xE0\xA7\x9F", " a\xE0\xA6\xAF\xE0\xA6\xBC "},
      // A Latin word with a final 2 is its reduplication (chat Indonesian).
      {"kebun2 terlarang", " kebun kebun terlarang "},
      {"Kebun2, terlarang!", " kebun kebun terlarang "},
      {"kebun-kebun terlarang", " kebun kebun terlarang "},  // the spelling it stands for
      {"apa2 aja", " apa apa aja "},
      {"hati2 di jalan2", " hati hati di jalan jalan "},
      {"jalan2", " jalan jalan "},
      // ... and its near misses
      {"mp3", " mp3 "},
      {"b2b", " b2b "},
      {"covid19", " covid19 "},
      {"2", " 2 "},
      {"abc2def", " abc2def "},
      {"kebun2an", " kebun2an "},
      {"v2 api", " v2 api "},          // fewer than three letters
      {"mp2", " mp2 "},
      {"python2.7", " python2 7 "},    // a version: a number follows
      {"1.2.2 release", " 1 2 2 release "},
      {"x22 a22", " x22 a22 "},
      {"k3bun2", " k3bun2 "},          // letters only
      {"वन2", " वन2 "},                // Latin words only
      // Enclosed letters NFKC leaves alone: negative squared and circled
      // letters are letters; a run of regional indicators is a word apart.
      {"🅵🅾🆁🅱🅸🅳🅳🅴🅽 🅾🆁🅲🅷🅰🆁🅳", " forbidden orchard "},
      {"🅕🅞🅡🅑🅘🅓🅓🅔🅝", " forbidden "},
      {"f🅾rbidden", " forbidden "},
      {"🄵🄾🅁🄱🄸🄳🄳🄴🄽", " forbidden "},  // squared: NFKC already
      {"🇫🇴🇷🇧🇮🇩🇩🇪🇳 🇴🇷🇨🇭🇦🇷🇩", " forbidden orchard "},
      {"🇫\u200B🇴🇷", " for "},
      // ... and their near misses: a flag glued to a word leaves the word,
      // two flags are two words, the block's other symbols separate.
      {"orchard🇮🇹", " orchard it "},
      {"🇮🇹orchard", " it orchard "},
      {"🇮🇹 🇫🇷", " it fr "},
      {"a🇮🇹b", " a it b "},
      {"🆎🆊x", " x "},
  }));
  CAPTURE(row.input);
  CHECK(normalize_base(row.input) == row.expected);
  // The path with an offset map writes the same text.
  std::string with_map;
  OffsetMap map;
  normalize_base(row.input, with_map, &map);
  CHECK(with_map == row.expected);
  CHECK(map.size() == with_map.size());
}

TEST_CASE("invalid UTF-8 is flagged and never passed through", "[normalize]") {
  std::string out;
  for (std::string in : {std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                         std::string("ab\xF5"), std::string("\xE0\xA4")}) {
    CAPTURE(in);
    CHECK((normalize_base(in, out) & deter::text::kInvalidUtf8) != 0);
    CHECK(deter::text::is_valid_utf8(out));
  }
  CHECK(normalize_base("valid text", out) == 0);
}

TEST_CASE("normalizing twice equals normalizing once", "[normalize][property]") {
  const char* inputs[] = {"Forbidden ORCHARD", "ＦＯＲＢＩＤＤＥＮ ① ½", "e\xCC\x81\xCC\x81",
                          "वर्जित बगीचा", "নিষিদ্ধ বাগান", "ನಿಷಿದ್ಧ ತೋಟ", "ﬁ ﬀ ß ǅ",
                          "a\xCC\x8A" "b", "\xFF\xFE" "abc", "Ω Å K"};
  for (const char* in : inputs) {
    std::string once = normalize_base(in);
    CAPTURE(in, once);
    CHECK(normalize_base(once) == once);
  }
}

TEST_CASE("offset maps cover every output byte with spans inside the input", "[normalize][property]") {
  const char* inputs[] = {"Forbidden, ORCHARD", "ＦＯＲＢＩＤＤＥＮ ½", "वर्जित बगीचा",
                          "x\xFFy", "e\xCC\x81t\xC3\xA9", "ಕನ್ನಡ 123"};
  for (const char* in_c : inputs) {
    std::string in = in_c;
    std::string plain, mapped;
    OffsetMap map;
    normalize_base(in, plain);
    normalize_base(in, mapped, &map);
    CAPTURE(in);
    REQUIRE(mapped == plain);
    REQUIRE(map.size() == mapped.size());
    for (std::size_t i = 0; i < map.size(); ++i) {
      CHECK(map.begin[i] <= map.end[i]);
      CHECK(map.end[i] <= in.size());
    }
  }
}

// Rows that take each path of the normalizer: ASCII eight and sixteen bytes
// at a time (with separators that merge or not, '@' and '$' kept for the
// leet view), Indic runs written without ICU (inert quotation marks and
// dashes, native digits, chandrabindu, nukta letters, more of them than the
// output has room for up front) and runs that need it (ZWNJ, khanda ta, a
// Latin accent, a nukta between two halves of a vowel sign), and invalid or
// cut sequences inside a run. Each is checked through a fresh buffer, a
// buffer that held a longer text, and the offset-map path.
TEST_CASE("every path of the normalizer writes the same base form", "[normalize]") {
  struct Row {
    const char* input;
    bool keep_leet_symbols;
    const char* expected;
    std::uint32_t flags;
  };
  auto row = GENERATE(values<Row>({
      {"FORBIDDEN ORCHARD, HIDDEN LANTERN", false, " forbidden orchard hidden lantern ", 0},
      {"forbidden,  orchard -- hidden...lantern!!", false, " forbidden orchard hidden lantern ", 0},
      {"   moonthief    moonthief moonthief   ", false, " moonthief moonthief moonthief ", 0},
      {"M00NTH1EF@$ F0RBIDDEN $ORCHARD@ hidden@@lantern", false,
       " m00nth1ef f0rbidden orchard hidden lantern ", 0},
      {"M00NTH1EF@$ F0RBIDDEN $ORCHARD@ hidden@@lantern", true,
       " m00nth1ef@$ f0rbidden $orchard@ hidden@@lantern ", 0},
      {"forbidden orchard\xCC\x81 hidden lantern", false, " forbidden orchard hidden lantern ", 0},
      {"वर्जित “बगीचा” — वर्जित", false, " वर्जित बगीचा वर्जित ", 0},
      {"নিষিদ্ধ\xE2\x80\x8C"
       "বাগান",
       false, " নিষিদ্ধবাগান ", 0},  // ZWNJ goes
      {"\xE0\xA7\x9F\xE0\xA7\x9F\xE0\xA7\x9F\xE0\xA7\x9F\xE0\xA7\x9F\xE0\xA7\x9F\xE0\xA7\x9F"
       "\xE0\xA7\x9F\xE0\xA7\x9F\xE0\xA7\x9F \xE0\xA7\x9C\xE0\xA7\x9D \xE0\xA5\x9C\xE0\xA5\x9D",
       false, " য়য়য়য়য়য়য়য়য়য় ড়ঢ় डढ ", 0},  // precomposed nukta letters
      {"वर्जित १२३ বাগান ৪৫ ತೋಟ ೬೭", false, " वर्जित 123 বাগান 45 ತೋಟ 67 ", 0},
      {"बगीचाँ a\xE0\xA4\x81 a\xE0\xA4\xBE বাগাঁন", false, " बगीचां a a বাগাংন ", 0},
      {"\xE0\xA6\x95\xE0\xA7\x87\xE0\xA4\xBC\xE0\xA6\xBE", false, " \xE0\xA6\x95\xE0\xA7\x8B ", 0},
      {"ত্\xE2\x80\x8D"
       "বাগান",
       false, " ৎবাগান ", 0},  // khanda ta
      {"Pok\xC3\xA9mon वर्जित ORCHARD", false, " pokemon वर्जित orchard ", 0},
      {"वर्\xFFजित", false, " वर् जित ", deter::text::kInvalidUtf8},
      {"वर्जित बगी\xE0\xA4", false, " वर्जित बगी ", deter::text::kInvalidUtf8},
      {"वर्जित बगीचा?", false, " वर्जित बगीचा ", 0},
      {"ನಿಷಿದ್ಧ ತೋಟ, ನಿಷಿದ್ಧ!", false, " ನಿಷಿದ್ಧ ತೋಟ ನಿಷಿದ್ಧ ", 0},
      // Lowercase Cyrillic and Greek letters go without ICU (Tables::plain2);
      // capitals, a mark that composes with one, or Indic text beside one
      // take ICU as before.
      {"f\xD0\xBErb\xD1\x96" "dd\xD0\xB5n \xD0\xBErch\xD0\xB0rd", false,
       " f\xD0\xBErb\xD1\x96" "dd\xD0\xB5n \xD0\xBErch\xD0\xB0rd ", 0},
      {"F\xD0\x9ERB\xD0\x86" "DD\xD0\x95N", false, " f\xD0\xBErb\xD1\x96" "dd\xD0\xB5n ", 0},
      {"\xD0\xBE\xCC\x88rchard \xCE\xB1\xCE\xB2\xCE\xB3 \xCE\xAC", false,
       " \xD3\xA7rchard \xCE\xB1\xCE\xB2\xCE\xB3 \xCE\xAC ", 0},
      {"\xD1\x95inri\xE0\xA4\x95 \xD0\xB0\xE0\xA6\xBE", false,
       " \xD1\x95inri\xE0\xA4\x95 \xD0\xB0\xE0\xA6\xBE ", 0},
  }));
  CAPTURE(row.input, row.keep_leet_symbols);
  std::string fresh;
  CHECK(normalize_base(row.input, fresh, nullptr, row.keep_leet_symbols) == row.flags);
  CHECK(fresh == row.expected);
  std::string reused;
  normalize_base(std::string(300, 'x') + " वर्जित", reused);
  CHECK(normalize_base(row.input, reused, nullptr, row.keep_leet_symbols) == row.flags);
  CHECK(reused == row.expected);
  std::string mapped;
  OffsetMap map;
  CHECK(normalize_base(row.input, mapped, &map, row.keep_leet_symbols) == row.flags);
  CHECK(mapped == row.expected);
  CHECK(map.size() == mapped.size());
}

// A nukta letter (here Bengali য় as one code point, U+09DF) makes its run
// go segment by segment, ICU's segments: each begins at a character with a
// boundary before it. The segments NFKC_Casefold leaves as they are (the
// tables say which) skip ICU, and keep the span ICU's segment would give:
// in "বাগান" a vowel sign া that can compose with the sign before it has no
// boundary before it, so "বা" is one segment, both its letters mapped to its
// six bytes.
TEST_CASE("a run with a nukta letter keeps ICU's segments for its other words", "[normalize]") {
  const std::string in = "\xE0\xA6\xA8\xE0\xA6\xAF\xE0\xA7\x9F \xE0\xA6\xAC\xE0\xA6\xBE"
                         "\xE0\xA6\x97\xE0\xA6\xBE\xE0\xA6\xA8";  // নযয় বাগান
  std::string plain, mapped;
  OffsetMap map;
  normalize_base(in, plain);
  normalize_base(in, mapped, &map);
  REQUIRE(mapped == plain);
  REQUIRE(map.size() == mapped.size());
  const std::size_t ba = mapped.find("\xE0\xA6\xAC\xE0\xA6\xBE");  // বা
  REQUIRE(ba != std::string::npos);
  for (std::size_t k = ba; k < ba + 6; ++k) {
    CAPTURE(k);
    CHECK(map.begin[k] == 10);
    CHECK(map.end[k] == 16);
  }
  CHECK(map.begin[1] == 0);  // ন, a segment of its own
  CHECK(map.end[1] == 3);
}

// Random text of the characters that decide how a run is normalized (nukta
// letters precomposed and spelled out, vowel signs that compose, viramas,
// joiners, Latin letters and accents, spaces): the path with an offset map
// writes what the fast path writes, and every span lies in the input.
TEST_CASE("random Indic runs normalize the same with and without a map", "[normalize][property]") {
  const char* alphabet[] = {
      "\xE0\xA6\x95", "\xE0\xA6\xAC", "\xE0\xA6\xAF", "\xE0\xA6\xA1",   // ক ব য ড
      "\xE0\xA6\xBE", "\xE0\xA6\xBF", "\xE0\xA7\x87", "\xE0\xA7\x8B",   // া ি ে ো
      "\xE0\xA7\x97", "\xE0\xA7\x8D", "\xE0\xA6\xBC", "\xE0\xA7\x9F",   // ৗ ্ ় য়
      "\xE0\xA7\x9C", "\xE0\xA4\x95", "\xE0\xA4\x9C", "\xE0\xA4\xBE",   // ড় क ज ा
      "\xE0\xA5\x8D", "\xE0\xA4\xBC", "\xE0\xA5\x9B", "\xE0\xA5\x9C",   // ् ़ ज़ ड़
      "\xE0\xA4\x81", "\xE0\xB2\x95", "\xE0\xB3\x8A", "\xE0\xB3\x95",   // ँ ಕ ೊ ೕ
      "\xE2\x80\x8C", "\xE2\x80\x8D", " ", " ", "a", "E", "\xCC\x81", "-"};
  std::mt19937 rng(17);
  std::string in, plain, mapped;
  OffsetMap map;
  for (int i = 0; i < 20000; ++i) {
    in.clear();
    const std::size_t n = 1 + rng() % 24;
    for (std::size_t k = 0; k < n; ++k) in += alphabet[rng() % std::size(alphabet)];
    normalize_base(in, plain);
    normalize_base(in, mapped, &map);
    CAPTURE(in);
    REQUIRE(mapped == plain);
    REQUIRE(map.size() == mapped.size());
    for (std::size_t k = 0; k < map.size(); ++k) {
      REQUIRE(map.begin[k] <= map.end[k]);
      REQUIRE(map.end[k] <= in.size());
    }
  }
}
