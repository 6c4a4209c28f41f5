// Every bound of FilterOptions, and the fail-open / fail-closed policy. An
// untrusted list set that is too large, not text, too deeply nested or full
// of costly regexes is refused with a clear error that names the place.
#include <hs/hs.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "fail_mode.h"
#include "filter_impl.h"
#include "rules/budget.h"
#include "test_util.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;

namespace {

Error load_error(const std::string& list_text, const FilterOptions& options,
                 const std::string& file = "t.list") {
  Result<Filter> f = Filter::from_sources({{file, list_text}}, options);
  if (f) FAIL("list loaded but should not have");
  return f.error();
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A directory under the system temp dir, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("deter-limits-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& contents) const {
    std::ofstream(path / name, std::ios::binary) << contents;
  }
};

}  // namespace

TEST_CASE("a long query is checked on its first max_query_bytes and flagged", "[limits]") {
  FilterOptions o;
  o.max_query_bytes = 32;
  const Filter f = filter_from(header() + "forbidden orchard\nवर्जित\n", o);
  struct Row {
    std::string query;
    Action action;
    bool truncated;
  };
  auto row = GENERATE(values<Row>({
      {"forbidden orchard", Action::prompt, false},
      // Ends "orc": too short for the fuzzy view to read as "orchard".
      {std::string(32 - 14, 'x') + " forbidden orchard", Action::allow, true},
      {"forbidden orchard " + std::string(100, 'y'), Action::prompt, true},
      {std::string(40, 'z') + " forbidden orchard", Action::allow, true},  // past the limit
      {std::string(31, 'a'), Action::allow, false},
      {std::string(32, 'a'), Action::allow, false},
      {std::string(33, 'a'), Action::allow, true},
      // 26 bytes, then "वर्जित" (18 bytes): the cut at 32 falls inside a
      // character and moves back to its start, so no invalid UTF-8 is seen.
      {std::string(25, 'a') + " वर्जित", Action::allow, true},
      {"a वर्जित " + std::string(40, 'b'), Action::prompt, true},
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  CHECK(d.has_flag(kFlagTruncated) == row.truncated);
  CHECK(!d.has_flag(kFlagInvalidUtf8));
  for (const Match& m : d.matches) CHECK(m.end <= o.max_query_bytes);
}

TEST_CASE("the default query limit is a few KB", "[limits]") {
  const Filter f = filter_from(header() + "forbidden orchard\n");
  CHECK(f.options().max_query_bytes == 4096);
  CHECK(f.check(std::string(4096, 'a')).flags == kFlagNone);
  CHECK(f.check(std::string(4097, 'a')).flags == kFlagTruncated);
  CHECK(f.check(std::string(1 << 20, 'a')).flags == kFlagTruncated);
}

TEST_CASE("list set bounds are refused with the place and the option", "[limits]") {
  struct Row {
    std::string name;
    FilterOptions options;
    std::string list;
    ErrorCode code;
    std::uint32_t line;
    std::uint32_t column;
    std::string message_part;
  };
  FilterOptions bytes;
  bytes.max_list_bytes = 200;
  FilterOptions entries;
  entries.max_entries = 3;
  FilterOptions entry_bytes;
  entry_bytes.max_entry_bytes = 20;
  FilterOptions examples;
  examples.max_examples = 2;
  FilterOptions regexes;
  regexes.max_regexes = 2;
  FilterOptions regex_bytes;
  regex_bytes.max_regex_bytes = 10;
  FilterOptions total;
  total.max_regex_total_cost = 100;
  FilterOptions parts;
  parts.max_rule_parts = 3;
  auto rule = [](int parts, const std::string& word) {
    std::string out = word + "0";
    for (int i = 1; i < parts; ++i) out += " & " + word + std::to_string(i);
    return out + "\n";
  };
  const std::string h = header();  // 5 lines
  auto row = GENERATE_COPY(values<Row>({
      {"file size", bytes, h + repeat("forbidden orchard\n", 20), ErrorCode::limit, 0, 0,
       "the limit is 200 (FilterOptions::max_list_bytes)"},
      {"entries", entries, h + "a1\na2\na3\na4\na5\n", ErrorCode::limit, 9, 1,
       "more than 3 entries"},
      {"entry bytes", entry_bytes, h + "a\n" + std::string(21, 'b') + "\n",
       ErrorCode::invalid_entry, 7, 1, "21 bytes; the limit is 20"},
      {"examples", examples, h + "a\n  match: a\n  match: a a\nb\n  no-match: c\n",
       ErrorCode::limit, 10, 1, "more than 2 match:/no-match: examples"},
      {"regexes", regexes, h + "/a1/\n/a2/\nplain\n/a3/\n", ErrorCode::limit, 9, 1,
       "more than 2 regexes"},
      {"regex bytes", regex_bytes, h + "ok\n/abcdefghijk/\n", ErrorCode::compile, 7, 2,
       "regex is 11 bytes; the limit is 10"},
      {"regex depth", FilterOptions{}, h + "/" + repeat("(", 40) + "a" + repeat(")", 40) + "/\n",
       ErrorCode::compile, 6, 2 + 32, "more than 32 deep"},
      {"regex cost", FilterOptions{}, h + "/lantern\\w{3}/\n", ErrorCode::compile, 6, 2,
       "too costly to compile"},
      {"nested repeats", FilterOptions{}, h + "/((ab){10}){30}/\n", ErrorCode::compile, 6, 2,
       "too costly to compile"},
      {"dot repeat", FilterOptions{}, h + "/a.{0,90}z.{0,90}/\n", ErrorCode::compile, 6, 2,
       "too costly to compile"},
      {"total regex cost", total, h + "/a.{5}b/\n/c.{5}d/\n/e.{5}f/\n", ErrorCode::limit, 8, 2,
       "max_regex_total_cost"},
      // The part one too many is named; a 16-bit part counter wrapped at
      // 65,536 parts and grew without bound.
      {"rule parts", parts, h + "ok\n" + rule(4, "ab"), ErrorCode::limit, 7, 19,
       "a rule has more than 3 parts (FilterOptions::max_rule_parts)"},
      {"rule parts, negated", parts, h + "a & b & !c & !d\n", ErrorCode::limit, 6, 14,
       "more than 3 parts"},
      {"rule parts, default", FilterOptions{}, h + rule(65, "वर्जित"), ErrorCode::limit, 6,
       695, "a rule has more than 64 parts"},  // characters, not bytes
      {"rule parts, 65536", FilterOptions{}, h + rule(65536, "ab"), ErrorCode::limit, 6,
       439, "a rule has more than 64 parts"},
  }));
  CAPTURE(row.name);
  const Error e = load_error(row.list, row.options);
  CAPTURE(e.to_string());
  CHECK(e.code == row.code);
  CHECK(e.file == "t.list");
  CHECK(e.line == row.line);
  CHECK(e.column == row.column);
  CHECK_THAT(e.message, Catch::Contains(row.message_part));
}

TEST_CASE("lists within every bound load", "[limits]") {
  FilterOptions o;
  o.max_list_bytes = 400;
  o.max_entries = 4;
  o.max_examples = 2;
  o.max_regexes = 2;
  o.max_regex_bytes = 20;
  const Filter f = filter_from(header() +
                                   "forbidden orchard\n  match: forbidden orchard\n"
                                   "/orch[a4]rd\\s+x{2,}/\n  no-match: orchard\n"
                                   "/lantern[0-9]+/\nmoonthief\n",
                               o);
  CHECK(f.entry_count() == 4);
  CHECK(f.check("orch4rd xxx").action == Action::prompt);
  o.max_rule_parts = 3;
  CHECK(filter_from(header() + "a & b & !c\n", o).entry_count() == 1);
  std::string parts64 = "p0";
  for (int i = 1; i < 64; ++i) parts64 += " & p" + std::to_string(i);
  const Filter wide = filter_from(header() + parts64 + "\n");
  CHECK(wide.check("p0 p1 p2").action == Action::allow);
  std::string all;
  for (int i = 0; i < 64; ++i) all += " p" + std::to_string(i);
  CHECK(wide.check(all).action == Action::prompt);
}

TEST_CASE("the demo lists are well within the default bounds", "[limits]") {
  FilterOptions o;
  o.max_regex_total_cost = 1000;
  o.max_regexes = 20;
  o.max_examples = 1000;
  CHECK(Filter::open(testing::source_path("lists/demo"), o).ok());
}

TEST_CASE("regex cost estimates", "[limits]") {
  struct Row {
    const char* pattern;
    std::size_t cost;
    std::size_t depth;
  };
  auto row = GENERATE(values<Row>({
      {"abc", 3, 0},
      {"a.b", 10, 0},
      {"x{2,}", 3, 0},
      {"x{2,5}?", 5, 0},
      {"a{1000}", 1000, 0},
      {"a{,5}", 5, 0},  // not a quantifier: five literal characters
      {"(ab){3}", 6, 1},
      {"((ab){3}){4}", 24, 2},
      {"(?:a|b|c)*", 6, 1},
      {"\\w", 256, 0},
      {"\\W+", 512, 0},
      {"\\d\\s", 16, 0},
      {"[ab]", 1, 0},
      {"[^ab]", 8, 0},
      {"[[:alpha:]]", 256, 0},
      {"[a-z\\w]", 256, 0},
      {"\\p{Devanagari}{2}", 16, 0},
      {"\\pL", 256, 0},
      {"\\p{Lu}", 256, 0},
      {"\\Qa.b\\E", 3, 0},
      {"(?#note)ab", 2, 0},
      {"\xE0\xA4\xB5\xE0\xA4\xB0\xE0\xA5\x8D\xE0\xA4\x9C\xE0\xA4\xBF\xE0\xA4\xA4", 6, 0},  // वर्जित
      {"^a$|\\bb\\b", 2, 0},
      {"(((a", 1, 3},  // unbalanced: Hyperscan reports it; the estimate stays finite
  }));
  CAPTURE(row.pattern);
  const rules::RegexMeasure m = rules::measure_regex(row.pattern, 1u << 20, 100);
  CHECK(m.cost == row.cost);
  CHECK(m.depth == row.depth);
  CHECK(m.too_deep_at == std::string_view::npos);
}

TEST_CASE("regex cost saturates instead of overflowing", "[limits]") {
  std::string p = "a";
  for (int i = 0; i < 20; ++i) p = "(" + p + "){1000}";
  const rules::RegexMeasure m = rules::measure_regex(p, 512, 100);
  CHECK(m.cost == 513);
  CHECK(m.depth == 20);
  const rules::RegexMeasure unbounded = rules::measure_regex(p, SIZE_MAX, 100);
  CHECK(unbounded.cost > (std::size_t{1} << 40));
  CHECK(rules::measure_regex(p, 512, 5).too_deep_at == 5);
}

TEST_CASE("a regex Hyperscan refuses is reported at its entry", "[limits]") {
  // "a\wb" under UCP is within a raised cost budget but too large for
  // Hyperscan: its refusal must name the entry, not the whole set.
  FilterOptions o;
  o.max_regex_cost = 100000;
  o.max_regex_total_cost = 100000;
  const Error e = load_error(header() + "fine\n/lantern/\n/a\\wb/\n", o);
  CAPTURE(e.to_string());
  CHECK(e.code == ErrorCode::compile);
  CHECK(e.line == 8);
  CHECK(e.column == 1);
  CHECK_THAT(e.message, Catch::Contains("too large"));
}

TEST_CASE("files that are not text are refused", "[limits]") {
  std::mt19937 rng(7);
  std::string random_bytes(4000, '\0');
  for (char& c : random_bytes) c = static_cast<char>(rng());
  std::string elf =
      "\x7f"
      "ELF\x02\x01\x01" +
      std::string(200, '\0');
  std::string utf16 =
      "\xFF\xFE!\0 \0d\0e\0t\0e\0r\0-\0l\0i\0s\0t\0 \0"
      "1\0";
  for (const std::string& contents : {header() + random_bytes, elf, utf16}) {
    for (const char* file : {"t.list", "messages.toml"}) {
      CAPTURE(file);
      std::vector<std::pair<std::string, std::string>> files = {{file, contents}};
      if (std::string(file) == "messages.toml") files.emplace_back("ok.list", header() + "a\n");
      Result<Filter> f = Filter::from_sources(files);
      REQUIRE(!f.ok());
      CAPTURE(f.error().to_string());
      CHECK(f.error().code == ErrorCode::syntax);
      CHECK(f.error().file == file);
      CHECK(f.error().line >= 1);
      CHECK_THAT(f.error().message, Catch::Contains("not a text file"));
    }
  }
}

TEST_CASE("a control character in a text list names its place", "[limits]") {
  const Error e = testing::error_from(header() + "forbidden\x01orchard\n");
  CHECK(e.to_string() == "t.list:6:10: control character U+0001 in list file");
  const Error nul = testing::error_from(header() + std::string("ab\0c\n", 5));
  CHECK(nul.to_string() == "t.list:6:3: NUL byte in list file");
  // Tabs and CRLF line ends are text.
  CHECK(filter_from(header() + "forbidden\torchard\r\nmoonthief\r\n").entry_count() == 2);
}

TEST_CASE("deeply nested or huge messages files fail cleanly", "[limits]") {
  for (const std::string& toml :
       {"a = " + std::string(100000, '['), "a = " + repeat("{b = ", 100000),
        "[" + repeat("a.", 50000) + "b]\n", "x = \"" + std::string(100000, 'y')}) {
    Result<Filter> f =
        Filter::from_sources({{"t.list", header() + "a\n"}, {"messages.toml", toml}});
    CHECK(!f.ok());
  }
}

TEST_CASE("open() reads no file past max_list_bytes", "[limits]") {
  TempDir dir;
  dir.write("a.list", header() + "forbidden orchard\n");
  FilterOptions o;
  CHECK(Filter::open(dir.path.string(), o).ok());

  dir.write("b.list", header() + repeat("moonthief\n", 1000));
  o.max_list_bytes = 5000;
  Result<Filter> f = Filter::open(dir.path.string(), o);
  REQUIRE(!f.ok());
  CHECK(f.error().code == ErrorCode::limit);
  CHECK(f.error().file == "b.list");
  CHECK_THAT(f.error().message, Catch::Contains("max_list_bytes"));

  std::filesystem::remove(dir.path / "b.list");
  dir.write("messages.toml", "# " + std::string(6000, 'x') + "\n");
  f = Filter::open(dir.path.string(), o);
  REQUIRE(!f.ok());
  CHECK(f.error().file == "messages.toml");
}

TEST_CASE("pathological regexes are refused without compiling them", "[limits]") {
  // Each of these would cost Hyperscan seconds (a Unicode class repeated)
  // or is refused by it after long work; the estimate refuses all of them
  // before Hyperscan sees them, however many there are.
  std::string list = header();
  for (int i = 0; i < 2000; ++i) list += "/\\w{" + std::to_string(3 + i % 90) + "}/\n";
  const Error e = load_error(list, FilterOptions{});
  CHECK(e.code == ErrorCode::compile);
  CHECK(e.line == 6);
  for (const char* p :
       {"\\pL{100}", "(\\w+\\s+){20}", "[^a]{300}", ".{0,500}z", "\\W{20}", "(a|b){0,1000}c"}) {
    CAPTURE(p);
    // Repeat bounds over 100 the parser refuses first; the rest the estimate.
    const Error one = load_error(header() + "/" + p + "/\n", FilterOptions{});
    CAPTURE(one.to_string());
    CHECK((one.code == ErrorCode::compile || one.code == ErrorCode::invalid_entry));
    CHECK((one.message.find("too costly") != std::string::npos ||
           one.message.find("repetition bound") != std::string::npos));
  }
}

TEST_CASE("fail_decision answers by the fail mode", "[limits][fail-mode]") {
  struct Row {
    FailMode mode;
    Action closed_action;
    std::uint32_t flag;
    Action expected;
  };
  auto row = GENERATE(values<Row>({
      {FailMode::open, Action::prompt, kFlagNoList, Action::allow},
      {FailMode::open, Action::block, kFlagInternalError, Action::allow},
      {FailMode::closed, Action::prompt, kFlagNoList, Action::prompt},
      {FailMode::closed, Action::block, kFlagInternalError, Action::block},
      {FailMode::closed, Action::inform, kFlagNoList, Action::inform},
  }));
  const Decision d = fail_decision(row.mode, row.closed_action, row.flag);
  CHECK(d.action == row.expected);
  CHECK(d.flags == row.flag);
  CHECK(d.matches.empty());
  CHECK(d.message == nullptr);
  CHECK(to_string(FailMode::open) == "open");
  CHECK(to_string(FailMode::closed) == "closed");
}

TEST_CASE("check() applies the fail mode when scanning fails", "[limits][fail-mode]") {
  // A database compiled for streaming cannot scan blocks: hs_scan fails,
  // as it would with a damaged database, and check() must not pretend.
  auto broken = [](const FilterOptions& o) {
    auto impl = FilterImpl::compile({{"t.list", header() + "forbidden orchard\n"}}, o);
    REQUIRE(impl.ok());
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    REQUIRE(hs_compile("orchard", 0, HS_MODE_STREAM, nullptr, &db, &err) == HS_SUCCESS);
    impl.value()->database.adopt(match::HsDatabasePtr(db), nullptr);
    return Filter(impl.value());
  };
  FilterOptions open;
  const Filter f_open = broken(open);
  for (const char* q : {"forbidden orchard", "ordinary query"}) {
    const Decision d = f_open.check(q);
    CHECK(d.action == Action::allow);
    CHECK(d.flags == kFlagInternalError);
  }
  FilterOptions closed;
  closed.on_internal_error = FailMode::closed;
  const Filter f_closed = broken(closed);
  CHECK(f_closed.check("ordinary query").action == Action::prompt);
  CHECK(f_closed.check("ordinary query").has_flag(kFlagInternalError));
  closed.fail_closed_action = Action::block;
  const Filter f_block = broken(closed);
  std::vector<Decision> out;
  f_block.check_batch({"a", "forbidden orchard"}, out);
  REQUIRE(out.size() == 2);
  for (const Decision& d : out) {
    CHECK(d.action == Action::block);
    CHECK(d.matches.empty());
    CHECK(d.has_flag(kFlagInternalError));
  }
  // A working filter is not affected by the fail mode.
  const Filter fine = filter_from(header() + "forbidden orchard\n", closed);
  CHECK(fine.check("ordinary query").action == Action::allow);
  CHECK(fine.check("ordinary query").flags == kFlagNone);
}
