// deter::lint: one row per finding (and rows that must stay clean), then the
// demo lists against the bundled benign text.
#include <deter/lint.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

using namespace deter;
using deter::testing::header;
using deter::testing::source_path;

namespace {

// "check@line" for every finding, in order.
std::string summary(const LintReport& r) {
  std::string s;
  for (const LintFinding& f : r.findings) {
    if (!s.empty()) s += " ";
    s += f.check + "@" + std::to_string(f.line);
  }
  return s;
}

const LintFinding* find(const LintReport& r, std::string_view check) {
  for (const LintFinding& f : r.findings) {
    if (f.check == check) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("each lint check finds what it promises", "[lint]") {
  struct Row {
    const char* name;
    std::string entries;  // after the 5-line header: the first entry is line 6
    std::vector<std::string> corpus;
    const char* expected;  // summary(); "" for a clean list
    bool passes;           // no errors (warnings allowed)
  };
  auto row = GENERATE(values<Row>({
      {"clean", "forbidden orchard\nmoonlit bazaar*\n", {"an ordinary line"}, "", true},
      {"list error", "forbidden orchard $colour=red\n", {}, "list-error@6", false},
      {"duplicate after normalization",
       "forbidden orchard\nForbidden,  ORCHARD!\n",
       {},
       "duplicate@7",
       false},
      {"duplicate rule in another order",
       "velvet key & glass tower\nglass tower & velvet key\n",
       {},
       "duplicate@7",
       false},
      {"same text, another kind, is no duplicate",
       "moonthief\n*moonthief*\n",
       {},
       "shadowed@6",
       true},
      {"shadowed by a shorter phrase",
       "forbidden orchard\nforbidden orchard museum\n",
       {},
       "shadowed@7",
       true},
      {"shadowed by a prefix", "forbidden orch*\nforbidden orchards\n", {}, "shadowed@7", true},
      {"shadowed by a substring", "*moonthief*\nthe moonthief club\n", {}, "shadowed@7", true},
      {"a stronger action is not shadowed",
       "forbidden orchard\nforbidden orchard museum $action=block\n",
       {},
       "",
       true},
      {"a phrase is shadowed by its prefix, not the other way round",
       "forbidden orchard\nforbidden orchard*\n",
       {},
       "shadowed@6",
       true},
      {"fewer views are not shadowed",
       "forbidden orchard $views=-leet\nforbidden orchard museum\n",
       {},
       "",
       true},
      {"normalizes to nothing", "forbidden orchard\n?? ..\n", {}, "list-error@7", false},
      {"normalizes to two letters", "A.B\n", {}, "too-short@6", false},
      {"a rule part of one letter", "forbidden orchard & x\n", {}, "too-short@6", false},
      {"a negated short part is fine", "forbidden orchard & !x\n", {}, "", true},
      {"short substring", "*moon*\n", {}, "short-substring@6", true},
      {"short joined form", "moon owl\n", {}, "short-joined@6", true},
      {"joined view off: no warning", "moon owl $views=-joined\n", {}, "", true},
      {"run together, a dictionary word", "sun flower\n", {}, "joined-word@6", true},
      {"run together, a Hindi one", "कला कार\n", {}, "joined-word@6", true},
      {"joined-word: joined view off", "sun flower $views=-joined\n", {}, "", true},
      {"joined-word: an exception reads broadly", "@@sun flower\n", {}, "", true},
      {"regex that does not compile", "/orch(ard/\n", {}, "regex-error@6", false},
      {"regex matching the empty string", "/(orchard)?/\n", {}, "regex-error@6", false},
      {"benign match",
       "forbidden orchard\n",
       {"a line", "the forbidden orchard is a public park", "another line"},
       "benign-match@6",
       false},
      {"benign match of a rule",
       "public & park\n",
       {"a line", "the forbidden orchard is a public park"},
       "benign-match@6",
       false},
  }));
  CAPTURE(row.name);
  LintOptions options;
  if (!row.corpus.empty()) options.corpora.push_back({"corpus.txt", row.corpus});
  LintReport r = lint({{"t.list", header() + row.entries}}, options);
  CHECK(summary(r) == row.expected);
  CHECK(r.passed() == row.passes);
  for (const LintFinding& f : r.findings) {
    CHECK(f.file == "t.list");
    CHECK(f.column >= 1);
    CHECK_THAT(f.to_string(), Catch::StartsWith("t.list:" + std::to_string(f.line) + ":"));
  }
}

TEST_CASE("lint findings carry their evidence", "[lint]") {
  LintOptions options;
  options.corpora.push_back(
      {"queries.txt",
       {"x", "the forbidden orchard is a public park", "y", "forbidden orchard again"}});
  options.max_examples = 1;
  LintReport r = lint({{"t.list", header() + "forbidden orchard\n"}}, options);
  const LintFinding* f = find(r, "benign-match");
  REQUIRE(f != nullptr);
  CHECK(f->entry_id == "t.list:6");
  // The entry as written, the rate, and how to fix it.
  CHECK(f->message ==
        "'forbidden orchard' matches 2 of 4 benign lines (50.000%); fix: narrow it (more words, "
        "or a rule 'a & !b'), or add an @@ exception for the benign use");
  REQUIRE(f->examples.size() == 1);
  CHECK(f->examples[0] == "queries.txt:2: the forbidden orchard is a public park");
  CHECK_THAT(f->to_string(),
             Catch::StartsWith("t.list:6:1: error: 'forbidden orchard' matches 2 of 4") &&
                 Catch::EndsWith("benign use [benign-match]"));

  // Under the threshold: no finding.
  options.max_benign_rate = 0.5;
  CHECK(find(lint({{"t.list", header() + "forbidden orchard\n"}}, options), "benign-match") ==
        nullptr);
}

TEST_CASE("lint names the duplicate and the shadowing entry", "[lint]") {
  LintReport r = lint({{"a.list", header() + "forbidden orchard\n"},
                       {"b.list", header() + "FORBIDDEN orchard $action=block\n"
                                             "forbidden orchard museum\n"}},
                      {});
  const LintFinding* dup = find(r, "duplicate");
  REQUIRE(dup != nullptr);
  CHECK(dup->file == "b.list");
  CHECK(dup->message ==
        "'FORBIDDEN orchard $action=block' is a duplicate of a.list:6 'forbidden orchard' (there "
        "with action prompt, here block)");
  const LintFinding* sh = find(r, "shadowed");
  REQUIRE(sh != nullptr);
  CHECK(sh->line == 7);
  CHECK_THAT(sh->message, Catch::StartsWith("'forbidden orchard museum' is shadowed by a.list:6 "));
}

TEST_CASE("costly regexes are reported against the budget", "[lint]") {
  LintOptions options;
  options.regex_budget_bytes = 1000;  // far below what this regex compiles to
  LintReport r = lint({{"t.list", header() + "/orch[a4]rd\\s+x{2,}/\n"}}, options);
  CHECK(summary(r) == "regex-costly@6");
  CHECK_THAT(r.findings.at(0).message, Catch::Contains("budget"));
  CHECK_FALSE(r.passed());
}

TEST_CASE("an error in one file does not hide findings in another", "[lint]") {
  LintReport r = lint({{"a.list", "! deter-list 1\nx $nope=1\n"},
                       {"b.list", header() + "ab\nforbidden orchard\nforbidden orchard\n"}},
                      {});
  CHECK(summary(r) == "list-error@2 too-short@6 duplicate@8");
  CHECK(r.files == 2);
}

TEST_CASE("phonetic keys that collide with common words", "[lint][phonetic]") {
  // A one-word Hindi entry, romanized: its phonetic key is that of a word
  // the benign text uses three times, spelt differently.
  LintOptions options;
  options.corpora.push_back({"words.txt", {"varjit", "varjit", "varjit today", "other words"}});
  const std::string hindi = "! deter-list 1\n! language: hi\n";
  LintReport r = lint({{"t.list", hindi + "varjeet\n"}}, options);
  const LintFinding* f = find(r, "phonetic-collision");
  REQUIRE(f != nullptr);
  CHECK(f->line == 3);
  CHECK(f->severity == LintSeverity::warning);
  CHECK_THAT(f->message, Catch::Contains("common word 'varjit' (3 times"));

  // A reading of a native entry collides too: চাঁদ with its chandrabindu
  // dropped is typed "chad", a common word here.
  LintOptions chad;
  chad.corpora.push_back({"words.txt", {"chad", "chad", "chad news"}});
  const LintReport cr = lint({{"t.list", hindi + "চাঁদ\n"}}, chad);
  const LintFinding* g = find(cr, "phonetic-collision");
  REQUIRE(g != nullptr);
  CHECK_THAT(g->message, Catch::Contains("common word 'chad'"));

  // Rows that must not be reported.
  struct Row {
    const char* why;
    std::string list;
  };
  auto row = GENERATE_COPY(values<Row>({
      {"the common word itself (benign-match says so)", hindi + "varjit\n"},
      {"an English entry has no phonetic view", "! deter-list 1\n! language: en\nvarjeet\n"},
      {"one word of a phrase may be common", hindi + "varjeet bagicha\n"},
      {"phonetic view switched off", hindi + "varjeet $views=-phonetic\n"},
  }));
  CAPTURE(row.why);
  CHECK(find(lint({{"t.list", row.list}}, options), "phonetic-collision") == nullptr);
}

TEST_CASE("the demo lists pass lint against the bundled benign text", "[lint][demo]") {
  LintOptions options;
  for (const char* kind : {"queries", "phrases"}) {
    for (const auto& de : std::filesystem::directory_iterator(source_path("tests/data/") + kind)) {
      if (de.path().extension() != ".txt") continue;
      LintCorpus c{de.path().filename().string(), {}};
      std::ifstream in(de.path());
      for (std::string line; std::getline(in, line);) c.lines.push_back(line);
      options.corpora.push_back(std::move(c));
    }
  }
  REQUIRE(options.corpora.size() == 10);
  LintReport r = lint_directory(source_path("lists/demo"), options);
  for (const LintFinding& f : r.findings) UNSCOPED_INFO(f.to_string());
  // Clean, warnings included: the reviewed ones are silenced in the lists,
  // each with its reason.
  CHECK(r.errors() == 0);
  CHECK(r.warnings() == 0);
  CHECK(r.suppressed == 7);
  CHECK(r.entries > 40);
  CHECK(r.corpus_lines == 3000);
}

TEST_CASE("a reviewed finding is silenced by a reason above its entry", "[lint][suppress]") {
  struct Row {
    const char* name;
    std::string entries;  // after the 5-line header: the first line is 6
    std::vector<std::string> corpus;
    const char* expected;  // summary() of what is left
    std::size_t suppressed;
  };
  auto row = GENERATE(values<Row>({
      {"silenced",
       "forbidden orchard\n! lint: ignore-next-line shadowed -- kept for its examples\n"
       "forbidden orchard museum\n",
       {},
       "",
       1},
      {"comments may come between",
       "forbidden orchard\n! lint: ignore-next-line shadowed -- kept\n! museum hours\n\n"
       "forbidden orchard museum\n",
       {},
       "",
       1},
      {"several checks, comma separated",
       "moon\n! lint: ignore-next-line shadowed,short-joined -- kept\nmoon owl\n",
       {},
       "",
       2},
      {"only the named check",
       "forbidden orchard\n! lint: ignore-next-line shadowed -- x\nforbidden orchard\n",
       {},
       "lint-directive@7 duplicate@8",
       0},
      {"only the next entry",
       "forbidden orchard\n! lint: ignore-next-line shadowed -- x\nforbidden orchard museum\n"
       "forbidden orchard park\n",
       {},
       "shadowed@9",
       1},
      {"without a reason: silenced, and warned",
       "forbidden orchard\n! lint: ignore-next-line shadowed\nforbidden orchard museum\n",
       {},
       "lint-directive@7",
       1},
      {"an empty reason",
       "forbidden orchard\n! lint: ignore-next-line shadowed --  \nforbidden orchard museum\n",
       {},
       "lint-directive@7",
       1},
      {"an unknown check",
       "forbidden orchard\n! lint: ignore-next-line shadowd -- x\nforbidden orchard museum\n",
       {},
       "lint-directive@7 shadowed@8",
       0},
      {"list-error cannot be silenced",
       "! lint: ignore-next-line list-error -- x\nforbidden orchard\n",
       {},
       "lint-directive@6",
       0},
      {"silencing nothing",
       "forbidden orchard\n! lint: ignore-next-line duplicate -- x\nmoonlit bazaar\n",
       {},
       "lint-directive@7",
       0},
      {"no entry follows",
       "forbidden orchard\n! lint: ignore-next-line shadowed -- x\n",
       {},
       "lint-directive@7",
       0},
      {"an unknown directive",
       "! lint: ignore-line shadowed -- x\nforbidden orchard\n",
       {},
       "lint-directive@6",
       0},
      {"no check named",
       "! lint: ignore-next-line -- x\nforbidden orchard\n",
       {},
       "lint-directive@6",
       0},
      {"a check that did not run is not stale",
       "! lint: ignore-next-line benign-match -- x\nforbidden orchard\n",
       {},
       "",
       0},
      {"benign-match silenced",
       "! lint: ignore-next-line benign-match -- a park of that name\nforbidden orchard\n",
       {"the forbidden orchard is a public park"},
       "",
       1},
  }));
  CAPTURE(row.name);
  LintOptions options;
  if (!row.corpus.empty()) options.corpora.push_back({"corpus.txt", row.corpus});
  LintReport r = lint({{"t.list", header() + row.entries}}, options);
  CHECK(summary(r) == row.expected);
  CHECK(r.suppressed == row.suppressed);
  for (const LintFinding& f : r.findings) {
    if (f.check == "lint-directive") CHECK(f.severity == LintSeverity::warning);
  }
}

TEST_CASE("a lint config sets the severity of checks", "[lint][config]") {
  const std::string dir = std::filesystem::temp_directory_path() / "deter_lint_config";
  std::filesystem::create_directories(dir);
  auto config = [&](const std::string& text) {
    std::ofstream(dir + "/.deter-lint.toml", std::ios::binary) << text;
    return read_lint_config(dir + "/.deter-lint.toml");
  };
  auto levels = config("# reviewed\n[severity]\nshadowed = \"off\"\nshort-joined = \"error\"\n");
  REQUIRE(levels);
  LintOptions options;
  options.levels = levels.value();
  LintReport r = lint(
      {{"t.list", header() + "forbidden orchard\nforbidden orchard museum\nmoon owl\n"}}, options);
  CHECK(summary(r) == "short-joined@8");
  CHECK(r.findings.at(0).severity == LintSeverity::error);
  CHECK(r.suppressed == 1);

  struct Bad {
    std::string text;
    std::uint32_t line;
    const char* message_part;
  };
  auto bad = GENERATE(values<Bad>({
      {"[severity]\nshadowd = \"off\"\n", 2, "'shadowd' is not a check"},
      {"[severity]\nlist-error = \"off\"\n", 2, "'list-error' is not a check"},
      {"[severity]\nshadowed = \"quiet\"\n", 2, "must be \"off\", \"warning\" or \"error\""},
      {"[severity]\nshadowed = 0\n", 2, "must be \"off\""},
      {"[rules]\nshadowed = \"off\"\n", 1, "unknown key 'rules'"},
      {"[severity\n", 1, ""},
  }));
  CAPTURE(bad.text);
  auto result = config(bad.text);
  REQUIRE_FALSE(result);
  CHECK(result.error().line == bad.line);
  CHECK(result.error().column >= 1);
  CHECK_THAT(result.error().message, Catch::Contains(bad.message_part));
  CHECK_THAT(result.error().to_string(), Catch::Contains(".deter-lint.toml:"));
  CHECK_FALSE(read_lint_config(dir + "/missing.toml"));
}

TEST_CASE("lint quotes the entry as written, then its normalized form", "[lint]") {
  struct Row {
    std::string entries;
    const char* check;
    const char* message_part;
  };
  auto row = GENERATE(values<Row>({
      {"*MOON*\n", "short-substring", "substring 'MOON' (normalized 'moon') has 4 letters"},
      {"*moon*\n", "short-substring", "substring 'moon' has 4 letters"},
      {"Moon Owl\n", "short-joined", "'Moon Owl' (normalized 'moon owl') is too short"},
      {"A.B\n", "too-short", "'A.B' normalizes to 'a b'"},
  }));
  CAPTURE(row.entries);
  LintReport r = lint({{"t.list", header() + row.entries}}, {});
  const LintFinding* f = find(r, row.check);
  REQUIRE(f != nullptr);
  CHECK_THAT(f->message, Catch::Contains(row.message_part));
}

TEST_CASE("benign-match names the view to switch off", "[lint]") {
  LintOptions options;
  options.corpora.push_back({"corpus.txt", {"f0rbidden 0rchard", "a line"}});
  LintReport r = lint({{"t.list", header() + "forbidden orchard\n"}}, options);
  const LintFinding* f = find(r, "benign-match");
  REQUIRE(f != nullptr);
  CHECK_THAT(f->message, Catch::Contains("only through the view leet: switch it off for this "
                                         "entry ($views=-leet)"));
  CHECK_THAT(f->message, Catch::Contains("@@ exception"));
}
