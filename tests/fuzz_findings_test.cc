// Regressions for problems the fuzzers found (fuzz/regressions/ keeps the
// raw inputs; these are the same problems stated as tests).
#include "test_util.h"
#include "text/normalize.h"

using deter::text::normalize_base;

TEST_CASE("a Bengali nukta between vowel sign parts does not hide the vowel",
          "[normalize][regression]") {
  // চ ে ় া র: NFKC cannot compose ে + া across the nukta; the nukta is then
  // dropped, which must leave ো (as NFKC would), not ে + া. fuzz_normalize
  // found the text changing when normalized twice.
  struct Row {
    const char* input;
    const char* same_as;
  };
  auto row = GENERATE(values<Row>({
      {"\xE0\xA6\x9A\xE0\xA7\x87\xE0\xA6\xBC\xE0\xA6\xBE\xE0\xA6\xB0",
       "\xE0\xA6\x9A\xE0\xA7\x8B\xE0\xA6\xB0"},
      {"\xE0\xA6\x9A\xE0\xA7\x87\xE0\xA6\xBC\xE0\xA7\x97", "\xE0\xA6\x9A\xE0\xA7\x8C"},
      {"\xE0\xA6\x9A\xE0\xA7\x87\xE0\xA6\xBC\xE0\xA6\xBC\xE0\xA6\xBE", "\xE0\xA6\x9A\xE0\xA7\x8B"},
      {"\xE0\xA6\x9A\xE0\xA7\x87\xE0\xA6\xBC", "\xE0\xA6\x9A\xE0\xA7\x87"},
  }));
  CAPTURE(row.input);
  const std::string once = normalize_base(row.input);
  CHECK(once == normalize_base(row.same_as));
  CHECK(normalize_base(once) == once);

  const deter::Filter f =
      deter::testing::filter_from(deter::testing::header() + row.same_as + "\n");
  CHECK(f.check(row.input).action == deter::Action::prompt);
}
