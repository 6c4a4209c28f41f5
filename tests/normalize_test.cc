// The base form: a table of inputs and their normalized forms, and the
// properties every normalized text has.
#include <catch2/catch.hpp>

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
