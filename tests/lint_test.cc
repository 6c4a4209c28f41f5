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
  CHECK(f->message == "matches 2 of 4 benign lines (50.000%)");
  REQUIRE(f->examples.size() == 1);
  CHECK(f->examples[0] == "queries.txt:2: the forbidden orchard is a public park");
  CHECK(f->to_string() ==
        "t.list:6:1: error: matches 2 of 4 benign lines (50.000%) [benign-match]");

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
        "duplicate of a.list:6 'forbidden orchard' (there with action prompt, here block)");
  const LintFinding* sh = find(r, "shadowed");
  REQUIRE(sh != nullptr);
  CHECK(sh->line == 7);
  CHECK_THAT(sh->message, Catch::StartsWith("shadowed by "));
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
  REQUIRE(options.corpora.size() == 9);
  LintReport r = lint_directory(source_path("lists/demo"), options);
  for (const LintFinding& f : r.findings) UNSCOPED_INFO(f.to_string());
  CHECK(r.errors() == 0);
  CHECK(r.entries > 40);
  CHECK(r.corpus_lines == 2700);
}
