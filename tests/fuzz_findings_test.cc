// Regressions for problems the fuzzers found (fuzz/regressions/ keeps the
// raw inputs; these are the same problems stated as tests).
#include <cstring>

#include "test_util.h"
#include "text/normalize.h"

using deter::text::normalize_base;

TEST_CASE("the base form is idempotent where fuzz_normalize found it was not",
          "[normalize][regression]") {
  struct Row {
    const char* input;
    const char* expected;
  };
  auto row = GENERATE(values<Row>({
      // A chandrabindu after a Latin letter folded to an anusvara that the
      // next pass dropped as an accent on that letter; now it is dropped at
      // once, like any other Indic mark after a Latin letter.
      {"nrm\xE0\xA4\x81\xE0\xA4\x81", " nrm "},
      {"a\xE0\xA6\x81 b", " a b "},
      {"\xE0\xA4\x95\xE0\xA4\x81", " \xE0\xA4\x95\xE0\xA4\x82 "},  // after an Indic letter: kept
      // চ ে ় া: the Bengali nukta is kept, and ে + া stay apart around it.
      {"\xE0\xA6\x9A\xE0\xA7\x87\xE0\xA6\xBC\xE0\xA6\xBE", nullptr},
      // চ ে ़ া with the Devanagari nukta, which is dropped: ে + া must then
      // compose to ো, as a second pass would, and as the entry "চো" is.
      {"\xE0\xA6\x9A\xE0\xA7\x87\xE0\xA4\xBC\xE0\xA6\xBE", " \xE0\xA6\x9A\xE0\xA7\x8B "},
      {"\xE0\xA6\x9A\xE0\xA7\x87\xE0\xA4\xBC\xE0\xA7\x97", " \xE0\xA6\x9A\xE0\xA7\x8C "},
      // Kannada ೆ + ़ + ೕ composes to ೇ the same way.
      {"\xE0\xB2\x95\xE0\xB3\x86\xE0\xA4\xBC\xE0\xB3\x95", " \xE0\xB2\x95\xE0\xB3\x87 "},
      // A nukta between letters that do not compose is just dropped.
      {"\xE0\xA4\x95\xE0\xA4\xBC\xE0\xA4\xBE", " \xE0\xA4\x95\xE0\xA4\xBE "},
  }));
  CAPTURE(row.input);
  const std::string once = normalize_base(row.input);
  if (row.expected != nullptr) CHECK(once == row.expected);
  CHECK(normalize_base(once) == once);
  if (row.expected != nullptr) {
    // A list entry written in the composed form matches the query.
    const std::string entry(row.expected + 1, std::strlen(row.expected) - 2);
    const deter::Filter f = deter::testing::filter_from(deter::testing::header() + entry + "\n");
    CHECK(f.check(row.input).action == deter::Action::prompt);
  }
}
