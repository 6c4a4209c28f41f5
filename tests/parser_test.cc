// The list format: every element parses to the behaviour it promises, and
// every broken list names file:line:col and does not load.
#include "test_util.h"

using namespace deter;
using deter::testing::error_from;
using deter::testing::filter_from;
using deter::testing::header;

TEST_CASE("broken lists report file:line:col", "[parser][errors]") {
  struct Row {
    std::string text;
    std::uint32_t line;
    std::uint32_t column;
    std::string message_part;
  };
  auto row = GENERATE(values<Row>({
      {"forbidden orchard\n", 1, 1, "must start with the line '! deter-list 1'"},
      {"! deter-list 1\n! colour: blue\nx y\n", 2, 3, "unknown header field 'colour'"},
      {"! deter-list 1\n! action: shout\nx\n", 2, 11, "unknown action 'shout'"},
      {"! deter-list 1\n! severity: 99\nx\n", 2, 13, "severity"},
      {"! deter-list 1\n@@\n", 2, 3, "empty entry"},
      {"! deter-list 1\nforbidden orchard $action=shout\n", 2, 27, "unknown action"},
      {"! deter-list 1\nforbidden orchard $colour=red\n", 2, 20, "unknown entry option 'colour'"},
      {"! deter-list 1\nforbidden orchard $severity=x\n", 2, 29, "severity"},
      {"! deter-list 1\nforbidden orchard $views=-smell\n", 2, 26, "unknown view 'smell'"},
      {"! deter-list 1\nforbidden orchard $scope=query\n", 2, 20, "only to @@ exceptions"},
      {"! deter-list 1\nforb*idden\n", 2, 5, "'*' may only end a phrase"},
      {"! deter-list 1\n!!!\n???\n", 3, 1, "no letters or digits"},
      {"! deter-list 1\nforbidden & \n", 2, 12, "empty part in rule"},
      {"! deter-list 1\n!forbidden & !orchard\n", 2, 1, ""},  // a comment line: no entries is fine
      {"! deter-list 1\na & !b\n!x & !y\n", 0, 0, ""},
      {"! deter-list 1\n  match: before any entry\n", 2, 3, "example before the first entry"},
      {"! deter-list 1\nforbidden orchard\n  maybe: x\n", 3, 3, "'match: QUERY' or 'no-match: QUERY'"},
      {"! deter-list 1\nforbidden orchard\n  match:   \n", 3, 3, "example without a query"},
      {"! deter-list 1\nforbidden \xFF orchard\n", 2, 11, "invalid UTF-8"},
      {"! deter-list 1\n/unclosed\n", 2, 1, "regex entry must be written /pattern/"},
      {"! deter-list 1\n/orch(ard/\n", 2, 1, "cannot compile"},
      {"! deter-list 1\n@@a & b\n", 2, 1, "cannot be a rule"},
      // Regexes: what Hyperscan refuses or the format forbids, at the right column.
      {"! deter-list 1\n/orch\\bard/\n", 2, 6, "'\\b' is not supported"},
      {"! deter-list 1\n/orch\\Bard/\n", 2, 6, "'\\B' is not supported"},
      {"! deter-list 1\n/orch\\\\bard/\n", 0, 0, ""},  // an escaped backslash, then 'b'
      {"! deter-list 1\n/a{1,500}/\n", 2, 3, "repetition bound over 100"},
      {"! deter-list 1\n/x{101}/\n", 2, 3, "repetition bound over 100"},
      {"! deter-list 1\n/x{2,100}y/\n", 0, 0, ""},
      {"! deter-list 1\n/(orchard)?/\n", 2, 1, "matches empty buffer"},
      {"! deter-list 1\nforbidden & /x(/\n", 2, 13, "cannot compile"},
      {"! deter-list 1\nforbidden & /x\\b/\n", 2, 15, "'\\b' is not supported"},
      {"! deter-list 1\nforbidden & *a*b*\n", 2, 15, "'*' may only end a phrase"},
      {"! deter-list 1\n@@\n", 2, 3, "empty entry"},
      {"! deter-list 1\n@@*!!*\n", 2, 3, "no letters or digits"},
      {"! deter-list 1\nforbidden orchard $scope=page\n", 2, 20, "only to @@ exceptions"},
      {"! deter-list 1\n@@forbidden orchard $scope=page\n", 2, 28, "unknown scope 'page'"},
      {"! deter-list 1\nforbidden orchard $locale=\n", 2, 27, "empty locale"},
      {"! deter-list 1\nforbidden orchard $category=\n", 2, 29, "empty category"},
  }));
  CAPTURE(row.text);
  if (row.message_part.empty()) {
    // Rows without a message are lists that must load.
    filter_from(row.text);
    return;
  }
  Error e = error_from(row.text);
  CHECK(e.file == "t.list");
  CHECK(e.line == row.line);
  CHECK(e.column == row.column);
  CHECK_THAT(e.message, Catch::Contains(row.message_part));
  CHECK_THAT(e.to_string(), Catch::StartsWith("t.list:" + std::to_string(row.line) + ":" +
                                              std::to_string(row.column) + ": "));
}

TEST_CASE("an error in any file fails the whole set", "[parser][errors]") {
  Result<Filter> f = Filter::from_sources({{"good.list", header() + "forbidden orchard\n"},
                                           {"bad.list", "! deter-list 1\nx $nope=1\n"}});
  REQUIRE_FALSE(f);
  CHECK(f.error().file == "bad.list");
  CHECK(f.error().line == 2);
}

TEST_CASE("entries longer than the limit are refused", "[parser][limits]") {
  std::string long_entry(17000, 'a');
  Error e = error_from("! deter-list 1\n" + long_entry + "\n");
  CHECK(e.code == ErrorCode::invalid_entry);
  CHECK(e.line == 2);
  CHECK_THAT(e.message, Catch::Contains("limit"));
}

TEST_CASE("too many entries are refused", "[parser][limits]") {
  FilterOptions options;
  options.max_entries = 3;
  Result<Filter> f = Filter::from_sources(
      {{"t.list", "! deter-list 1\naa one\naa two\naa three\naa four\n"}}, options);
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::limit);
  CHECK(f.error().line == 5);
}

TEST_CASE("messages.toml errors name file:line:col", "[parser][errors]") {
  Result<Filter> f = Filter::from_sources(
      {{"t.list", header() + "forbidden orchard\n"},
       {"messages.toml", "[prompt.default.en]\ntitle = \"x\"\nbody = 3\n"}});
  REQUIRE_FALSE(f);
  CHECK(f.error().to_string().rfind("messages.toml:3:", 0) == 0);

  Result<Filter> g = Filter::from_sources(
      {{"t.list", header() + "forbidden orchard $message=nowhere\n"},
       {"messages.toml", "[prompt.default.en]\ntitle = \"x\"\n"}});
  REQUIRE_FALSE(g);
  CHECK(g.error().to_string() == "t.list:6:1: message 'nowhere' is not defined in messages.toml");
}

TEST_CASE("header fields set every entry's defaults; overrides win", "[parser]") {
  Filter f = filter_from(
      "! deter-list 1\n! action: inform\n! category: cat-a\n! severity: 4\n"
      "forbidden orchard\n"
      "hidden lantern $action=block,category=cat-b,severity=7\n");
  Decision a = f.check("the forbidden orchard");
  CHECK(a.action == Action::inform);
  CHECK(a.category == "cat-a");
  CHECK(a.severity == 4);
  Decision b = f.check("a hidden lantern");
  CHECK(b.action == Action::block);
  CHECK(b.category == "cat-b");
  CHECK(b.severity == 7);
}

TEST_CASE("inline examples are collected with their lines", "[parser]") {
  Filter f = filter_from(header() + "forbidden orchard\n  match: the forbidden orchard\n"
                                    "  no-match: orchard\n");
  REQUIRE(f.examples().size() == 2);
  CHECK(f.examples()[0].entry_id == "t.list:6");
  CHECK(f.examples()[0].line == 7);
  CHECK(f.examples()[0].must_match);
  CHECK_FALSE(f.examples()[1].must_match);
  for (const ExampleResult& r : f.run_examples()) CHECK(r.passed);
}

TEST_CASE("a failing example is reported with its line", "[parser]") {
  Filter f = filter_from(header() + "forbidden orchard\n  match: the orchard\n");
  auto results = f.run_examples();
  REQUIRE(results.size() == 1);
  CHECK_FALSE(results[0].passed);
  CHECK_THAT(results[0].detail, Catch::Contains("expected a match of t.list:6"));
}
