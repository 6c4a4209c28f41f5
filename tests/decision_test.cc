// Decisions end to end: rows of (list, query, expected action and matches),
// in every language, for every kind of entry.
#include <algorithm>
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
      {"moon thief", Action::prompt, "t.list:8"},  // a word broken by a space (spaced view)
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

// Padding: no query may lower its own decision by repeating text. Past 1024
// hits check() keeps a bounded number of occurrences per pattern and view,
// never a bounded number in total, so a blocked term after a long run of an
// exception, a low-action entry or a rule part still decides; the decision
// says kFlagCapped. Every padding before every term, in every script and view.
namespace {

const std::string kPaddingList = header() +
    "zz $action=inform\n"                     // 6
    "hidden lantern $action=block\n"          // 7
    "@@qq\n"                                  // 8
    "वर्जित बगीच* $action=block\n"              // 9
    "গোপন লণ্ঠন $action=block\n"                // 10
    "ರಹಸ್ಯ ಲಾಟೀನು $action=block\n"              // 11
    "velvet key & glass tower $action=block\n"  // 12
    "silver compass & !museum $action=block\n"  // 13
    "forbidden orchard $action=block\n"       // 14
    "@@forbidden orchard museum\n"            // 15
    "@@ठीक है\n"                               // 16
    "@@ভাল আছি\n"                              // 17
    "@@ಸರಿ ಇದೆ\n"                              // 18
    "@@theek hai\n";                          // 19

const Filter& padding_filter() {
  static const Filter f = [] {
    FilterOptions o;
    o.max_query_bytes = 1 << 16;  // room for 1100 repeats of any padding
    return filter_from(kPaddingList, o);
  }();
  return f;
}

std::string repeat(const std::string& unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit + " ";
  return out;
}

bool has_entry(const Decision& d, std::string_view id) {
  return std::any_of(d.matches.begin(), d.matches.end(),
                     [&](const Match& m) { return m.entry_id == id; });
}

}  // namespace

TEST_CASE("padding never hides a blocked term", "[decision][padding]") {
  const Filter& f = padding_filter();
  struct Term {
    const char* text;
    const char* entry;
    View view;  // the view the term is found in when alone
  };
  const std::string padding = GENERATE(as<std::string>{},
      "qq",                        // an exception
      "zz",                        // an entry of a lower action
      "velvet key",                // one part of a rule
      "museum",                    // the negated part of another rule
      "forbidden orchard museum",  // a match under an exception
      "ठीक है",                     // exceptions in each script
      "ভাল আছি",
      "ಸರಿ ಇದೆ",
      "theek hai");
  const Term term = GENERATE(values<Term>({
      {"hidden lantern", "t.list:7", View::base},
      {"h1dden l4ntern", "t.list:7", View::leet},
      {"hiddden lanttern", "t.list:7", View::squeeze},
      {"the h i d d e n lantern", "t.list:7", View::spaced},
      {"hiddenlantern", "t.list:7", View::joined},
      {"hіdden lantern", "t.list:7", View::homoglyph},  // Cyrillic і
      {"वर्जित बगीचा", "t.list:9", View::base},
      {"varjeet bageeche", "t.list:9", View::phonetic},
      {"গোপন লণ্ঠন", "t.list:10", View::base},
      {"gopon lonthon", "t.list:10", View::phonetic},
      {"ರಹಸ್ಯ ಲಾಟೀನು", "t.list:11", View::base},
      {"rahasya lateenu", "t.list:11", View::phonetic},
      {"velvet key and the glass tower", "t.list:12", View::squeeze},
      {"forbidden orchard today", "t.list:14", View::base},
  }));
  CAPTURE(padding, term.text);
  const Decision alone = f.check(term.text);
  REQUIRE(alone.action == Action::block);
  REQUIRE(has_entry(alone, term.entry));
  REQUIRE(alone.matches.front().view == term.view);
  CHECK(!alone.has_flag(kFlagCapped));

  for (const std::string& query :
       {repeat(padding, 1100) + term.text, term.text + (" " + repeat(padding, 1100)),
        repeat(padding, 600) + term.text + " " + repeat(padding, 600)}) {
    const Decision d = f.check(query);
    CHECK(d.action == Action::block);
    CHECK(has_entry(d, term.entry));
    CHECK(d.has_flag(kFlagCapped));
    CHECK(!d.has_flag(kFlagTruncated));
    for (const Match& m : d.matches) CHECK(m.end <= query.size());
  }
}

TEST_CASE("padding keeps rules and exceptions exact where it can", "[decision][padding]") {
  const Filter& f = padding_filter();
  struct Row {
    std::string query;
    Action action;
    const char* entries;
  };
  auto row = GENERATE(values<Row>({
      // A rule's negated part after the padding still counts.
      {repeat("silver compass", 1100) + "museum", Action::allow, ""},
      {repeat("museum", 1100) + "silver compass", Action::allow, ""},
      {repeat("silver compass", 1100), Action::block, "t.list:13"},
      // Each part of a rule keeps its own occurrences.
      {repeat("velvet key", 1100) + "glass tower", Action::block, "t.list:12"},
      {repeat("glass tower", 1100) + "velvet key", Action::block, "t.list:12"},
      // An exception on the first repeats of an entry, not on the last.
      {repeat("forbidden orchard museum", 1100) + "forbidden orchard", Action::block, "t.list:14"},
      {repeat("zz", 1100), Action::inform, "t.list:6"},
      {repeat("qq", 1100), Action::allow, ""},
      // When every occurrence kept sits under an exception but some were left
      // out, one of those may not: the entry counts (flagged kFlagCapped).
      {repeat("forbidden orchard museum", 1100), Action::block, "t.list:14"},
  }));
  CAPTURE(row.query.substr(0, 40));
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  CHECK(ids(d) == row.entries);
  CHECK(d.has_flag(kFlagCapped));
}

TEST_CASE("nested phrases repeated past the bound still decide", "[decision][padding]") {
  // Every token of the query ends up to 200 entries: the hits run to the
  // hundreds of thousands, each atom keeps its first ones, and a blocked
  // term after them is still seen.
  std::string list = header() + "hidden lantern $action=block\n";
  std::string phrase = "ab";
  for (int i = 0; i < 200; ++i, phrase += " ab") list += phrase + "\n";
  FilterOptions o;
  o.max_query_bytes = 1 << 16;
  const Filter f = filter_from(list, o);
  const std::string padding = repeat("ab", 1000);
  Decision d = f.check(padding + "hidden lantern");
  CHECK(d.action == Action::block);
  CHECK(has_entry(d, "t.list:6"));
  CHECK(d.has_flag(kFlagCapped));
  d = f.check(padding);
  CHECK(d.action == Action::prompt);
  CHECK(d.matches.size() == 200);
  CHECK(d.has_flag(kFlagCapped));
  CHECK(f.check("hidden lantern").action == Action::block);
}
