// Decisions end to end: rows of (list, query, expected action and matches),
// in every language, for every kind of entry.
#include <atomic>
#include <thread>

#include "test_util.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;

namespace {

const std::string kList = header() +
    "forbidden orchard\n"                        // 6: phrase
    "moonlit bazaar*\n"                          // 7: prefix
    "*moonthief*\n"                              // 8: substring
    "/lantern[0-9]{3,}/\n"                       // 9: regex
    "velvet key & glass tower\n"                 // 10: rule
    "silver compass & !museum\n"                 // 11: rule with not
    "@@forbidden orchard museum\n"               // 12: exception, overlap scope
    "@@orchard safety report $scope=query\n"     // 13: exception, query scope
    "hidden lantern $action=block,severity=5\n"  // 14: override
    "quiet owl $action=inform,category=other\n"  // 15
    "वर्जित बगीचा\n"                              // 16
    "নিষিদ্ধ বাগান\n"                              // 17
    "ನಿಷಿದ್ಧ ತೋಟ*\n"                               // 18: Kannada stem with suffixes
    "kebun terlarang*\n";                        // 19: Indonesian stem

struct Row {
  const char* query;
  Action action;
  const char* entries;  // space-separated entry ids of the unsuppressed matches
};

std::string ids(const Decision& d) {
  std::string out;
  for (const Match& m : d.matches) {
    if (!out.empty()) out += " ";
    out += m.entry_id;
  }
  return out;
}

}  // namespace

TEST_CASE("decision table", "[decision]") {
  static const Filter f = filter_from(kList);
  auto row = GENERATE(values<Row>({
      // phrases match whole tokens only
      {"where is the forbidden orchard", Action::prompt, "t.list:6"},
      {"Forbidden   ORCHARD!!", Action::prompt, "t.list:6"},
      {"forbidden orchards", Action::allow, ""},
      {"unforbidden orchard", Action::allow, ""},
      {"orchard", Action::allow, ""},
      // prefix: the last token may continue
      {"moonlit bazaars tonight", Action::prompt, "t.list:7"},
      {"moonlit bazaar", Action::prompt, "t.list:7"},
      {"moonlit baza", Action::allow, ""},  // ("bazar" matches: the squeeze view)
      // substring: anywhere
      {"themoonthiefclub", Action::prompt, "t.list:8"},
      {"moon thief", Action::allow, ""},
      // regex over the base view
      {"LANTERN2024 archive", Action::prompt, "t.list:9"},
      {"lantern 12", Action::allow, ""},
      // rules
      {"glass tower with a velvet key", Action::prompt, "t.list:10"},
      {"velvet key", Action::allow, ""},
      {"silver compass shop", Action::prompt, "t.list:11"},
      {"silver compass museum", Action::allow, ""},
      // exceptions
      {"forbidden orchard museum hours", Action::allow, ""},
      {"forbidden orchard museum and the forbidden orchard", Action::prompt, "t.list:6"},
      {"orchard safety report on the forbidden orchard", Action::allow, ""},
      {"forbidden orchard and moonlit bazaar", Action::prompt, "t.list:6 t.list:7"},
      // action and severity overrides; the highest action wins
      {"hidden lantern", Action::block, "t.list:14"},
      {"quiet owl", Action::inform, "t.list:15"},
      {"quiet owl near the hidden lantern", Action::block, "t.list:15 t.list:14"},
      // other languages and scripts
      {"वर्जित बगीचा कहाँ है", Action::prompt, "t.list:16"},
      {"बगीचा", Action::allow, ""},
      {"নিষিদ্ধ বাগানের ছবি", Action::allow, ""},
      {"নিষিদ্ধ বাগান কোথায়", Action::prompt, "t.list:17"},
      {"ನಿಷಿದ್ಧ ತೋಟದಲ್ಲಿ", Action::prompt, "t.list:18"},
      {"ತೋಟ", Action::allow, ""},
      {"dimana kebun terlarangnya", Action::prompt, "t.list:19"},
      {"kebun buah", Action::allow, ""},
  }));
  CAPTURE(row.query);
  Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  CHECK(ids(d) == row.entries);
  for (const Match& m : d.matches) {
    CHECK(m.begin < m.end);
    CHECK(m.end <= std::string_view(row.query).size());
  }
}

TEST_CASE("exceptions and rules with every kind of pattern", "[decision]") {
  static const Filter f = filter_from(header() +
      "forbidden orchard\n"               // 6
      "*moonthief*\n"                     // 7
      "@@forbidden orchard muse*\n"       // 8: a prefix exception
      "@@*thiefclub*\n"                   // 9: a substring exception
      "velvet key* & /tower[0-9]+/\n"     // 10: a rule of a prefix and a regex
      "silver* & !*museum*\n"             // 11: a prefix, unless a substring
      "@@/orchard (19|20)[0-9]{2}/\n"     // 12: a regex exception
      "quiet owl $action=inform\n"        // 13
      "@@quiet owl* $scope=query\n");     // 14: a prefix exception for the whole query
  auto row = GENERATE(values<Row>({
      {"forbidden orchard", Action::prompt, "t.list:6"},
      {"forbidden orchard museums", Action::allow, ""},
      {"forbidden orchard muse", Action::allow, ""},
      {"forbidden orchard mu", Action::prompt, "t.list:6"},
      {"themoonthiefclub", Action::allow, ""},
      {"moonthief club", Action::prompt, "t.list:7"},
      {"velvet keys tower42", Action::prompt, "t.list:10"},
      {"tower7 of the velvet keyring", Action::prompt, "t.list:10"},
      {"velvet keys tower", Action::allow, ""},
      {"silverware", Action::prompt, "t.list:11"},
      {"silverware museums", Action::allow, ""},
      {"silver supermuseum", Action::allow, ""},
      {"forbidden orchard 1999 photos", Action::allow, ""},
      {"forbidden orchard 2150", Action::prompt, "t.list:6"},
      {"quiet owl", Action::allow, ""},
      {"quiet owl at the forbidden orchard", Action::allow, ""},
      {"the quiet and the owl", Action::allow, ""},
  }));
  CAPTURE(row.query);
  Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  CHECK(ids(d) == row.entries);
}

TEST_CASE("spans point at the matched text of the original query", "[decision][spans]") {
  static const Filter f = filter_from(kList);
  struct Row {
    const char* query;
    const char* text;
  };
  auto row = GENERATE(values<Row>({
      {"where is the Forbidden,  ORCHARD today", "Forbidden,  ORCHARD"},
      {"ＦＯＲＢＩＤＤＥＮ orchard", "ＦＯＲＢＩＤＤＥＮ orchard"},
      {"x वर्जित बगीचा!", "वर्जित बगीचा"},
      {"MOONLIT bazaars", "MOONLIT bazaars"},
      {"themoonthiefclub", "moonthief"},
      {"see lantern404", "lantern404"},
  }));
  Decision d = f.check(row.query);
  REQUIRE(d.matches.size() == 1);
  const Match& m = d.matches[0];
  CHECK(std::string_view(row.query).substr(m.begin, m.end - m.begin) == row.text);
}

TEST_CASE("explain reports suppressed matches and their exception", "[decision]") {
  static const Filter f = filter_from(kList);
  CheckOptions o;
  o.explain = true;
  Decision d = f.check("forbidden orchard museum", o);
  CHECK(d.action == Action::allow);
  REQUIRE(d.suppressed.size() == 1);
  CHECK(d.suppressed[0].entry_id == "t.list:6");
  CHECK(d.suppressed[0].suppressed_by == "t.list:12");
  CHECK(f.check("forbidden orchard museum").suppressed.empty());
}

TEST_CASE("message locale: caller, then script, then list language, then English",
          "[decision][messages]") {
  const std::string messages =
      "[prompt.default.en]\ntitle = \"EN\"\n"
      "[prompt.default.hi]\ntitle = \"HI\"\n"
      "[prompt.default.bn]\ntitle = \"BN\"\n"
      "[special.en]\ntitle = \"SPECIAL\"\n";
  Filter f = filter_from(header() + "forbidden orchard\nवर्जित बगीचा\nnishiddha bagan $locale=bn\n"
                                    "hidden lantern $message=special\n",
                         {}, messages);
  auto title = [&](const char* q, const char* locale) -> std::string {
    CheckOptions o;
    o.locale = locale;
    Decision d = f.check(q, o);
    return d.message ? d.message->title : "(none)";
  };
  CHECK(title("forbidden orchard", "") == "EN");
  CHECK(title("forbidden orchard", "hi-IN") == "HI");
  CHECK(title("forbidden orchard", "bn") == "BN");
  CHECK(title("forbidden orchard", "fr-FR") == "EN");
  CHECK(title("वर्जित बगीचा", "") == "HI");
  CHECK(title("nishiddha bagan", "") == "BN");
  CHECK(title("hidden lantern", "hi") == "SPECIAL");
  Decision d = f.check("forbidden orchard");
  CHECK(d.message_key == "prompt.default");
}

TEST_CASE("filters are immutable and safe to share across threads", "[decision][threads]") {
  static const Filter f = filter_from(kList);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (f.check("the forbidden orchard").action != Action::prompt) ++wrong;
        if (f.check("an ordinary query").action != Action::allow) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}
