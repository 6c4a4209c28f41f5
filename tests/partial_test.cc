// Typeahead: Filter::check_partial and Filter::filter_suggestions. Rows of
// (text as typed so far, the decision check_partial gives it), in every
// script, through the views, with the near misses the minimum length keeps
// from being withheld.
#include <unistd.h>

#include <filesystem>
#include <string>

#include "test_util.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;

namespace {

const std::string kList = header() +
                          "forbidden orchard\n"                        // 6
                          "moonlit bazaar*\n"                          // 7: prefix
                          "*moonthief*\n"                              // 8: substring
                          "/lantern[0-9]{3,}/\n"                       // 9: regex
                          "velvet key & glass tower\n"                 // 10: rule
                          "silver compass & !museum\n"                 // 11: rule with not
                          "@@forbidden orchard museum\n"               // 12: exception
                          "hidden lantern $action=block,severity=5\n"  // 13
                          "quiet owl $action=inform,category=other\n"  // 14
                          "वर्जित बगीचा\n"                              // 15
                          "গোপন লণ্ঠন\n"                                // 16
                          "ನಿಷಿದ್ಧ ತೋಟ*\n"                                // 17
                          "kebun terlarang*\n"                         // 18
                          "varjit bagicha $locale=hi\n";               // 19: romanized Hindi

struct Row {
  const char* text;
  Action partial;     // check_partial
  const char* entry;  // the winning match's entry, or ""
};

}  // namespace

TEST_CASE("check_partial table", "[partial]") {
  static const Filter f = filter_from(kList);
  auto row = GENERATE(values<Row>({
      // English: the first word begun, then the next one.
      {"forbi", Action::prompt, "t.list:6"},
      {"forbidden", Action::prompt, "t.list:6"},
      {"forbidden ", Action::prompt, "t.list:6"},
      {"forbidden o", Action::prompt, "t.list:6"},
      {"forbidden orc", Action::prompt, "t.list:6"},
      {"where is the forbidden orc", Action::prompt, "t.list:6"},
      {"forbidden orchard", Action::prompt, "t.list:6"},
      {"FORBIDDEN Orc", Action::prompt, "t.list:6"},
      {"ｆｏｒｂｉｄｄｅｎ ｏｒｃ", Action::prompt, "t.list:6"},  // full width
      {"f0rbidd3n 0rc", Action::prompt, "t.list:6"},              // leet
      {"fooorbidden orc", Action::prompt, "t.list:6"},            // squeezed
      {"fоrbidden оrc", Action::prompt, "t.list:6"},              // Cyrillic о
      {"hidden lant", Action::block, "t.list:13"},
      {"moonlit baz", Action::prompt, "t.list:7"},
      {"moonth", Action::prompt, "t.list:8"},
      {"quiet o", Action::inform, "t.list:14"},
      // A rule heads in only with its other parts typed.
      {"glass tower velvet k", Action::prompt, "t.list:10"},
      {"velvet k", Action::allow, ""},
      {"silver comp", Action::prompt, "t.list:11"},
      {"museum silver comp", Action::allow, ""},
      // The exception applies to the completion: typing toward it is not
      // lower than what was typed, and the exception alone heads nowhere.
      {"forbidden orchard mus", Action::prompt, "t.list:6"},
      // Hindi, Bengali, Kannada, Indonesian, romanized Hindi.
      {"वर्जि", Action::prompt, "t.list:15"},
      {"वर्जित ब", Action::prompt, "t.list:15"},
      {"वर्जित बगी", Action::prompt, "t.list:15"},
      {"গোপন ল", Action::prompt, "t.list:16"},
      {"গোপন লণ্", Action::prompt, "t.list:16"},
      {"ನಿಷಿದ", Action::prompt, "t.list:17"},
      {"ನಿಷಿದ್ಧ ತೋ", Action::prompt, "t.list:17"},
      {"kebun terl", Action::prompt, "t.list:18"},
      {"kebun", Action::prompt, "t.list:18"},
      // Romanized, the phonetic key reaches the Devanagari entry too, and
      // it comes first (in list order among equals).
      {"varji", Action::prompt, "t.list:15"},
      {"varjit bag", Action::prompt, "t.list:15"},
      {"varjeet bag", Action::prompt, "t.list:15"},
      {"kebun terlarang varjit bag", Action::prompt, "t.list:18"},
      // Near misses: short prefixes begin too many words to withhold.
      {"for", Action::allow, ""},
      {"forb", Action::allow, ""},
      {"fo", Action::allow, ""},
      {"वर", Action::allow, ""},
      {"वर्ज", Action::allow, ""},
      {"গোপন", Action::allow, ""},
      {"ನಿ", Action::allow, ""},
      {"ನಿಷಿ", Action::allow, ""},
      {"kebu", Action::allow, ""},
      {"var", Action::allow, ""},
      {"varj", Action::allow, ""},
      // The text's end must begin the entry, at a word.
      {"orc", Action::allow, ""},
      {"orchard", Action::allow, ""},
      {"forbidden fruit orc", Action::allow, ""},
      {"xforbidden orc", Action::allow, ""},
      {"forbidden orcx", Action::allow, ""},
      {"lantern12", Action::allow, ""},  // regexes are not completed
      {"", Action::allow, ""},
  }));
  CAPTURE(row.text);
  const Decision d = f.check_partial(row.text);
  CHECK(d.action == row.partial);
  const std::string entry = d.matches.empty() ? "" : std::string(d.matches.front().entry_id);
  CHECK(entry == row.entry);
  // Never lower than the full decision, and spans stay inside the text.
  const Decision full = f.check(row.text);
  CHECK(d.action >= full.action);
  for (const Match& m : d.matches) {
    CHECK(m.begin <= m.end);
    CHECK(m.end <= std::string_view(row.text).size());
  }
}

TEST_CASE("check_partial spans cover the words typed", "[partial]") {
  static const Filter f = filter_from(kList);
  const std::string text = "where is the forbidden orc";
  const Decision d = f.check_partial(text);
  REQUIRE(d.matches.size() == 1);
  CHECK(text.substr(d.matches[0].begin, d.matches[0].end - d.matches[0].begin) == "forbidden orc");
}

TEST_CASE("check_partial minimum length", "[partial]") {
  static const Filter f = filter_from(kList);
  auto row = GENERATE(values<std::pair<std::size_t, Action>>({
      {0, Action::prompt},
      {1, Action::prompt},
      {3, Action::prompt},
      {4, Action::allow},
  }));
  CheckOptions o;
  o.min_partial_chars = row.first;
  CAPTURE(row.first);
  CHECK(f.check_partial("for", o).action == row.second);
}

TEST_CASE("check_partial in the demo lists", "[partial]") {
  const Filter& f = deter::testing::demo();
  auto row = GENERATE(values<std::pair<const char*, Action>>({
      {"वर्जि", Action::prompt},
      {"forbidden orc", Action::prompt},
      {"নিষিদ্ধ বা", Action::prompt},
      {"ನಿಷಿದ್ಧ ತೋ", Action::prompt},
      {"kebun terl", Action::prompt},
      {"varjit bag", Action::prompt},
      {"for", Action::allow},
      {"वर", Action::allow},
  }));
  CAPTURE(row.first);
  CHECK(f.check_partial(row.first).action == row.second);
}

TEST_CASE("filter_suggestions", "[partial]") {
  static const Filter f = filter_from(kList);
  const std::vector<std::string_view> candidates = {"forest walks", "forbidden orchard",
                                                    "fort history", "quiet owl songs"};
  SECTION("a short prefix keeps the candidates that are allowed") {
    const auto shown = f.filter_suggestions("for", candidates);
    CHECK(shown == std::vector<std::string_view>{"forest walks", "fort history"});
    // The views point into the caller's candidates.
    CHECK(shown[0].data() == candidates[0].data());
  }
  SECTION("withhold_from raises what is withheld") {
    CheckOptions o;
    o.withhold_from = Action::prompt;
    CHECK(f.filter_suggestions("for", candidates, o) ==
          std::vector<std::string_view>{"forest walks", "fort history", "quiet owl songs"});
  }
  SECTION("text heading into an entry withholds every candidate") {
    CHECK(f.filter_suggestions("forbi", candidates).empty());
    CHECK(f.filter_suggestions("वर्जि", {"वर्षा"}).empty());
  }
  SECTION("no candidates") { CHECK(f.filter_suggestions("for", {}).empty()); }
}

TEST_CASE("check_partial is never lower than check, keystroke by keystroke", "[partial]") {
  const Filter& f = deter::testing::demo();
  for (const Example& ex : f.examples()) {
    const std::string& q = ex.query;
    for (std::size_t end = 0; end <= q.size(); ++end) {
      if (end < q.size() && (static_cast<unsigned char>(q[end]) & 0xC0) == 0x80) continue;
      const std::string_view prefix = std::string_view(q).substr(0, end);
      CAPTURE(prefix);
      CHECK(f.check_partial(prefix).action >= f.check(prefix).action);
    }
  }
}

TEST_CASE("check_partial from compiled files, with and without sources", "[partial]") {
  const Filter source = filter_from(kList);
  const std::string path = std::filesystem::temp_directory_path() /
                           ("deter-partial-" + std::to_string(::getpid()) + ".deter");
  auto strip = GENERATE(false, true);
  SaveOptions so;
  so.strip_sources = strip;
  REQUIRE(source.save(path, so).ok());
  Result<Filter> loaded = Filter::open(path);
  std::filesystem::remove(path);
  REQUIRE(loaded.ok());
  CHECK(loaded.value().check_partial("forbidden orc").action == Action::prompt);
  CHECK(loaded.value().check_partial("वर्जि").action == Action::prompt);
  CHECK(loaded.value().check_partial("for").action == Action::allow);
}
