// The list format: every element parses to the behaviour it promises, and
// every broken list names file:line:col and does not load.
#include <cctype>

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
      // Below the first entry a field, or a misspelt one, is an error, not a
      // comment; other "! word:" lines stay comments, `! lint:` is deter lint's.
      {"! deter-list 1\nx y\n! acton: block\n", 3, 3,
       "unknown directive 'acton' (did you mean 'action'?)"},
      {"! deter-list 1\nx y\n!  catgeory: demo\n", 3, 4,
       "unknown directive 'catgeory' (did you mean 'category'?)"},
      {"! deter-list 1\nx y\n! lnit: ignore-next-line duplicate -- x\n", 3, 3,
       "did you mean 'lint'?"},
      {"! deter-list 1\nx y\n! action: block\n", 3, 3,
       "header field 'action' below the first entry"},
      {"! deter-list 1\nx y\n! views: -leet\n", 3, 3, "header field 'views' below the first entry"},
      {"! deter-list 1\nx y\n! romanized: x y\n! note: z\n! Action: w\n", 0, 0, ""},
      {"! deter-list 1\n! lint: ignore-next-line duplicate -- x\nx y\n! lint: ignore-next-line "
       "shadowed -- x\nx z\n",
       0, 0, ""},
      {"! deter-list 1\n! action: shout\nx\n", 2, 11, "unknown action 'shout'"},
      {"! deter-list 1\n! severity: 99\nx\n", 2, 13, "severity"},
      {"! deter-list 1\n@@\n", 2, 3, "empty entry"},
      {"! deter-list 1\nforbidden orchard $action=shout\n", 2, 27, "unknown action"},
      {"! deter-list 1\n! fuzzy: shout\nx\n", 2, 10, "unknown action 'shout'"},
      {"! deter-list 1\nforbidden orchard $fuzzy=shout\n", 2, 26, "unknown action 'shout'"},
      {"! deter-list 1\nforbidden orchard $views=-fuzzy,fuzzy=block,fuzzy=prompt\n", 2, 45,
       "entry option 'fuzzy' is given twice"},
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
      {"! deter-list 1\nforbidden orchard\n  maybe: x\n", 3, 3,
       "'match: QUERY' or 'no-match: QUERY'"},
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
      // A field or option given twice is an error at the second, not a
      // silent override by the last.
      {"! deter-list 1\n! action: block\n! action: inform\nx\n", 3, 3,
       "header field 'action' is given twice (first on line 2)"},
      {"! deter-list 1\n! version: 1\n! name: t\n!version: 2\nx\n", 4, 2,
       "header field 'version' is given twice"},
      {"! deter-list 1\nforbidden orchard $action=block,action=inform\n", 2, 33,
       "entry option 'action' is given twice (first at column 20)"},
      {"! deter-list 1\n@@x $scope=query,severity=2,scope=overlap\n", 2, 29,
       "entry option 'scope' is given twice"},
      // Columns are counted in characters, also when the options are read
      // before the parts of the rule they follow.
      {"! deter-list 1\nवर्जित & *a*b* $severity=2\n", 2, 12, "'*' may only end a phrase"},
      {"! deter-list 1\nवर्जित & बगीचा $severity=22\n", 2, 26, "severity"},
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

TEST_CASE("braces of an escape, a class or \\Q...\\E are not repeat bounds", "[parser][regex]") {
  struct Row {
    std::string regex;
    std::uint32_t column;  // of the error; 0: the regex must load
  };
  auto row = GENERATE(values<Row>({
      {"/\\x{0915}/", 0},
      {"/\\x{915}\\x{930}\\x{94d}/", 0},
      {"/\\x{0915}{2}/", 0},
      {"/[\\x{0915}-\\x{0939}]{1,3}/", 0},
      {"/\\p{Devanagari}{3}/", 0},
      {"/x\\P{Latin}/", 0},
      {"/\\o{4425}/", 0},
      {"/\\Qa{200}\\E/", 0},
      {"/[{]{2}/", 0},
      {"/[a{500}]/", 0},
      {"/[]{500}]/", 0},
      {"/[[:digit:]{500}]/", 0},
      {"/a{500/", 0},   // no closing brace: a literal
      {"/a{x500}/", 0},  // not a number: a literal
      // Bounds that are repeats stay refused, after an escape too.
      {"/\\x{0915}{101}/", 10},
      {"/\\p{Devanagari}{2,500}/", 16},
      {"/[a]{101}/", 5},
      {"/\\Qa\\E{101}/", 7},
      {"/(ab){2,500}/", 6},
      {"/a{,200}/", 3},
  }));
  CAPTURE(row.regex);
  const std::string list = "! deter-list 1\n" + row.regex + "\n";
  Result<Filter> f = Filter::from_sources({{"t.list", list}});
  if (row.column == 0) {
    if (!f) FAIL(f.error().to_string());
    return;
  }
  REQUIRE_FALSE(f);
  CHECK(f.error().line == 2);
  CHECK(f.error().column == row.column);
  CHECK_THAT(f.error().message, Catch::Contains("repetition bound over 100"));
}

TEST_CASE("no list at all is an error, not a filter that allows everything", "[parser][errors]") {
  for (const auto& files : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {}, {{"messages.toml", "[prompt.default]\nen.title = \"t\"\n"}}}) {
    Result<Filter> f = Filter::from_sources(files);
    REQUIRE_FALSE(f);
    CHECK(f.error().code == ErrorCode::invalid_argument);
    CHECK_THAT(f.error().message, Catch::Contains("no *.list files"));
  }
}

TEST_CASE("a list whose checksum disagrees with its text does not load", "[parser][checksum]") {
  const std::string body = header("! version: 3\n") +
                           "forbidden orchard $action=block\n"
                           "hidden lantern\n"
                           "  match: the hidden lantern\n"
                           "quiet harbour & amber\n";
  const std::string sealed = with_list_checksum(body);
  REQUIRE(sealed.rfind("! deter-list 1\n! checksum: " + list_checksum(body) + "\n", 0) == 0);
  CHECK(list_checksum(body).size() == 32);
  // The line it holds is not covered: sealing again changes nothing.
  CHECK(list_checksum(sealed) == list_checksum(body));
  CHECK(with_list_checksum(sealed) == sealed);
  CHECK(filter_from(sealed).entry_count() == 3);

  SECTION("cut short at any byte past the checksum line, it is refused at that line") {
    const std::size_t header_end = sealed.find("! name:");
    for (std::size_t cut = header_end; cut < sealed.size() - 1; cut += 7) {
      CAPTURE(cut);
      Result<Filter> f = Filter::from_sources({{"t.list", sealed.substr(0, cut)}});
      REQUIRE_FALSE(f);
      CHECK(f.error().code == ErrorCode::corrupt);
      CHECK(f.error().line == 2);
      CHECK(f.error().column == 13);
      CHECK_THAT(f.error().message, Catch::Contains("does not match its checksum"));
    }
  }
  SECTION("an entry changed after the checksum was written") {
    std::string edited = sealed;
    edited.replace(edited.find("hidden lantern\n"), 6, "silent");
    CHECK(error_from(edited).code == ErrorCode::corrupt);
  }
  SECTION("line endings and hex case do not matter") {
    std::string crlf;
    for (char c : sealed) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK(filter_from(crlf).entry_count() == 3);
    CHECK(with_list_checksum(crlf) == crlf);
    std::string upper = sealed;
    for (std::size_t i = upper.find("checksum: ") + 10; upper[i] != '\n'; ++i) {
      upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
    }
    CHECK(filter_from(upper).entry_count() == 3);
  }
  SECTION("a stale checksum line is replaced, a second one dropped") {
    const std::string stale = "! deter-list 1\n! checksum: 00\n! name: t\n! checksum: 11\nx\n";
    CHECK(error_from(stale).line == 2);
    const std::string fixed = with_list_checksum(stale);
    CHECK(fixed == "! deter-list 1\n! checksum: " + list_checksum(stale) + "\n! name: t\nx\n");
    CHECK(filter_from(fixed).entry_count() == 1);
  }
  SECTION("twice, or below the first entry, is an error") {
    const std::string line = "! checksum: " + list_checksum(body) + "\n";
    Error twice = error_from("! deter-list 1\n" + line + line + body.substr(15));
    CHECK(twice.line == 3);
    CHECK_THAT(twice.message, Catch::Contains("given twice"));
    Error below = error_from(body + line);
    CHECK(below.line == 11);
    CHECK_THAT(below.message, Catch::Contains("must be in the header"));
  }
}
