// Any byte string is a valid query; the demo lists pass their own examples
// and stay silent on real benign text.
#include <fstream>

#include "test_util.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;
using deter::testing::source_path;

namespace {

using deter::testing::demo;

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("bad queries never crash and are flagged", "[robustness]") {
  const Filter f = filter_from(header() + "forbidden orchard\n*moonthief*\n/lantern[0-9]+/\n");
  struct Row {
    std::string query;
    Action action;
    std::uint32_t flags;
  };
  std::string big(1 << 20, 'a');
  std::string big_with_hit = "forbidden orchard " + big;
  std::string late_hit = big + " forbidden orchard";
  std::string marks = "a" + [] {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += "\xCC\x81";
    return s;
  }();
  auto row = GENERATE_COPY(values<Row>({
      {"", Action::allow, kFlagNone},
      {std::string("\0\0\0", 3), Action::allow, kFlagNone},
      {std::string("forbidden\0orchard", 17), Action::prompt, kFlagNone},
      {"forbidden \xFF\xFE orchard", Action::prompt, kFlagInvalidUtf8},  // a separator
      {"forbidden orchard \xC0\xAF", Action::prompt, kFlagInvalidUtf8},
      {"\xED\xA0\x80\xED\xB0\x80", Action::allow, kFlagInvalidUtf8},
      {big, Action::allow, kFlagTruncated},
      {big_with_hit, Action::prompt, kFlagTruncated},
      {late_hit, Action::allow, kFlagTruncated},
      {marks, Action::allow, kFlagTruncated},
      {"\xE2\x80\xAE" "forbidden orchard\xE2\x80\xAC", Action::prompt, kFlagNone},  // RTL override
      {std::string(4000, ' '), Action::allow, kFlagNone},
  }));
  CAPTURE(row.query.size());
  Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  CHECK(d.flags == row.flags);
  for (const Match& m : d.matches) CHECK(m.end <= row.query.size());
}

TEST_CASE("a query of one entry repeated is bounded", "[robustness]") {
  const Filter f = filter_from(header() + "*a*\n");
  std::string q;
  for (int i = 0; i < 2000; ++i) q += "a ";
  Decision d = f.check(q);
  CHECK(d.action == Action::prompt);
  CHECK(d.matches.size() == 1);
}

TEST_CASE("the demo lists pass their inline examples", "[demo]") {
  std::size_t count = 0;
  for (const ExampleResult& r : demo().run_examples()) {
    CAPTURE(r.example.file, r.example.line, r.example.query);
    CHECK(r.passed);
    if (!r.passed) INFO(r.detail);
    ++count;
  }
  CHECK(count >= 50);
  CHECK(demo().lists().size() == 6);
}

TEST_CASE("every demo list prompts on a query in its language", "[demo]") {
  for (const char* q : {"forbidden orchard", "वर्जित बगीचा", "varjit bagicha", "নিষিদ্ধ বাগান",
                        "ನಿಷಿದ್ಧ ತೋಟ", "kebun terlarang"}) {
    CAPTURE(q);
    CHECK(demo().check(q).action >= Action::prompt);
  }
}

TEST_CASE("the demo lists prompt on no line of real benign text", "[demo][false-positives]") {
  std::size_t lines = 0;
  for (const char* file :
       {"tests/data/queries/en.txt", "tests/data/queries/hi.txt", "tests/data/queries/bn.txt",
        "tests/data/queries/id.txt", "tests/data/phrases/en.txt", "tests/data/phrases/hi.txt",
        "tests/data/phrases/bn.txt", "tests/data/phrases/kn.txt", "tests/data/phrases/id.txt"}) {
    for (const std::string& line : read_lines(source_path(file))) {
      Decision d = demo().check(line);
      CAPTURE(file, line);
      CHECK(d.action == Action::allow);
      ++lines;
    }
  }
  CHECK(lines > 2000);
}
