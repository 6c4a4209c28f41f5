// The fuzzy view: one edit in a word of six letters or more, never a
// dictionary word, never above prompt unless the entry says so, switched
// off like every view.
#include <algorithm>
#include <array>
#include <filesystem>
#include <random>

#include "test_util.h"
#include "text/fuzzy.h"
#include "text/gapped.h"
#include "text/normalize.h"
#include "text/phonetic.h"
#include "text/tokens.h"
#include "text/utf8.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;

namespace {

const std::string kList = header("! views: +fuzzy\n") +
                          "forbidden orchard\n"                                         // 7
                          "hidden lantern guild $action=block,message=block.default\n"  // 8
                          "velvet compass $action=block,fuzzy=block\n"                  // 9
                          "silver ladder $views=-fuzzy\n"                               // 10
                          "quiet owl\n"                    // 11: words under six letters
                          "वर्जित बगीचा\n"                  // 12
                          "@@forbidden orchard museum\n";  // 13

struct Row {
  const char* query;
  Action action;
  const char* entry;  // the entry id that matched, or "" for none
  View view;
};

std::string first_id(const Decision& d) {
  return d.matches.empty() ? std::string() : std::string(d.matches[0].entry_id);
}

}  // namespace

TEST_CASE("fuzzy: one edit in a long word matches, through the fuzzy view", "[fuzzy]") {
  const Filter f = filter_from(kList);
  const Row row = GENERATE(values<Row>({
      {"forbidden orchrad", Action::prompt, "t.list:7", View::fuzzy},   // transposition
      {"forbidden orchad", Action::prompt, "t.list:7", View::fuzzy},    // deletion
      {"forbidden orchbard", Action::prompt, "t.list:7", View::fuzzy},  // insertion
      {"forbidden orchird", Action::prompt, "t.list:7", View::fuzzy},   // substitution
      {"forbiden orchrad", Action::prompt, "t.list:7", View::fuzzy},    // one edit in each word
      {"where is the forbidden orcahrd today", Action::prompt, "t.list:7", View::fuzzy},
      {"forbidden orchard", Action::prompt, "t.list:7", View::base},  // exact: the base view
      {"वर्जित बगीचा", Action::prompt, "t.list:12", View::base},
      {"वर्मित बगीचा", Action::prompt, "t.list:12", View::fuzzy},  // a code point changed
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  REQUIRE(first_id(d) == row.entry);
  CHECK(d.matches[0].view == row.view);
}

TEST_CASE("fuzzy: near misses stay apart", "[fuzzy]") {
  const Filter f = filter_from(kList);
  const Row row = GENERATE(values<Row>({
      // Dictionary words one edit from an entry word: the benign-word guard.
      {"forbidden orchards", Action::allow, "", View::base},
      {"hidden lanterns guild", Action::allow, "", View::base},
      {"ridden lantern guild", Action::allow, "", View::base},
      {"bidden lantern guild", Action::allow, "", View::base},
      // Two edits in one word, or words under six letters.
      {"forbidden orhcrad", Action::allow, "", View::base},
      {"quite owl", Action::allow, "", View::base},
      {"quiet owls", Action::allow, "", View::base},
      // Digits are no letters: a word with one is corrected only once leet
      // read it, and "orch4rd5" reads "orchards", a dictionary word.
      {"forbidden orch4rd5", Action::allow, "", View::base},
      // The entry switched it off.
      {"silver laddr", Action::allow, "", View::base},
      // An exception read through the fuzzy view still suppresses.
      {"forbidden orchrad museum", Action::allow, "", View::base},
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  CHECK(first_id(d) == row.entry);
}

TEST_CASE("fuzzy: a typo answers at most prompt unless the entry raises it", "[fuzzy]") {
  const Filter f = filter_from(kList);
  const Row row = GENERATE(values<Row>({
      {"hidden lantern guild", Action::block, "t.list:8", View::base},
      {"hidden lantren guild", Action::prompt, "t.list:8", View::fuzzy},  // capped
      {"velvet compass", Action::block, "t.list:9", View::base},
      {"velvet compazs", Action::block, "t.list:9", View::fuzzy},  // $fuzzy=block
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  REQUIRE(first_id(d) == row.entry);
  CHECK(d.matches[0].view == row.view);
  CHECK(d.matches[0].action == row.action);

  // The list header sets the cap for every entry, here lower than prompt.
  const Filter informed =
      filter_from(header("! views: +fuzzy\n! fuzzy: inform\n") + "forbidden orchard\n");
  CHECK(informed.check("forbidden orchrad").action == Action::inform);
  CHECK(informed.check("forbidden orchard").action == Action::prompt);

  // A capped match does not show the entry's stronger message ($message=block.default).
  const Decision capped = deter::testing::demo().check("hidden lantren guild");
  CHECK(capped.action == Action::prompt);
  CHECK(capped.message_key == "prompt.default");
}

TEST_CASE("fuzzy: on by default like every view; off per list, per entry and by FilterOptions",
          "[fuzzy]") {
  const std::string query = "forbidden orchrad";
  const std::string off = "! views: -fuzzy\n";
  // A list that names no views has every view, fuzzy too; `+fuzzy` is
  // still accepted, and changes nothing.
  CHECK(filter_from(header() + "forbidden orchard\n").check(query).action == Action::prompt);
  CHECK(filter_from(header("! views: +fuzzy\n") + "forbidden orchard\n").check(query).action ==
        Action::prompt);
  CHECK(filter_from(header() + "forbidden orchard $views=+fuzzy\n").check(query).action ==
        Action::prompt);
  CHECK(filter_from(header(off) + "forbidden orchard\n").check(query).action == Action::allow);
  CHECK(
      filter_from(header("! views: -leet,-fuzzy\n") + "forbidden orchard\n").check(query).action ==
      Action::allow);
  CHECK(filter_from(header() + "forbidden orchard $views=-fuzzy\n").check(query).action ==
        Action::allow);
  // An entry turns it back on in a list that turned it off.
  CHECK(filter_from(header(off) + "forbidden orchard $views=+fuzzy\n").check(query).action ==
        Action::prompt);
  // A list of named views has those alone: fuzzy only when named.
  CHECK(
      filter_from(header("! views: base,squeeze\n") + "forbidden orchard\n").check(query).action ==
      Action::allow);
  CHECK(filter_from(header("! views: base,fuzzy\n") + "forbidden orchard\n").check(query).action ==
        Action::prompt);
  FilterOptions options;
  options.views = ViewSet::all().without(View::fuzzy);
  CHECK(filter_from(header() + "forbidden orchard\n", options).check(query).action ==
        Action::allow);
  // Only fuzzy entries lend their words: a typo of another entry's word
  // does not complete a fuzzy entry.
  const Filter mixed =
      filter_from(header() + "forbidden orchard $views=-fuzzy\nforbidden garden\n");
  CHECK(mixed.check("forbidden orchrad").action == Action::allow);
  CHECK(mixed.check("forbiden garden").action == Action::prompt);
}

TEST_CASE("fuzzy: the list format refuses a bad cap", "[fuzzy][parser]") {
  Error e = deter::testing::error_from(header() + "forbidden orchard $fuzzy=loud\n");
  CHECK(e.line == 6);  // the header's five lines, then the entry
  CHECK(e.message.find("unknown action 'loud'") != std::string::npos);
  e = deter::testing::error_from(header("! fuzzy: loud\n") + "forbidden orchard\n");
  CHECK(e.message.find("unknown action 'loud'") != std::string::npos);
}

TEST_CASE("fuzzy: spans and explain point at the corrected word", "[fuzzy]") {
  const Filter f = filter_from(kList);
  CheckOptions explain;
  explain.explain = true;
  const std::string query = "the forbidden orcahrd";
  const Decision d = f.check(query, explain);
  REQUIRE(d.matches.size() == 1);
  CHECK(d.matches[0].view == View::fuzzy);
  CHECK(query.substr(d.matches[0].begin, d.matches[0].end - d.matches[0].begin) ==
        "forbidden orcahrd");
  const auto views = f.views_of(query);
  bool seen = false;
  for (const auto& [view, text] : views) {
    if (view == View::fuzzy) {
      seen = true;
      // Then the phonetic keys, for the Hindi entry's key index.
      CHECK(text.substr(0, 24) == " the forbidden orchard \n");
    }
  }
  CHECK(seen);
}

TEST_CASE("fuzzy: the dictionary and the index", "[fuzzy]") {
  // The built-in dictionary holds the words of every language it was made from.
  CHECK(text::dictionary_size() > 100000);
  for (const char* word : {"orchards", "lanterns", "ridden", "kebun", "বাগান"}) {
    CAPTURE(word);
    const std::string base = text::normalize_base(word);  // " word "
    CHECK(text::is_dictionary_word(std::string_view(base).substr(1, base.size() - 2)));
  }
  CHECK_FALSE(text::is_dictionary_word("orchrad"));
  // The table's ends and its empty slots (which hold the largest hash):
  // every lookup stops, and none answers for a hash no word has.
  CHECK_FALSE(text::is_dictionary_hash(0));
  CHECK_FALSE(text::is_dictionary_hash(~std::uint64_t{0}));
  CHECK_FALSE(text::is_dictionary_hash(~std::uint64_t{0} - 1));
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  std::size_t found = 0;
  for (int i = 0; i < 100000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    found += text::is_dictionary_hash(x) ? 1 : 0;
  }
  CHECK(found == 0);

  text::FuzzyIndex index;
  index.add(" forbidden orchard ");
  index.add(" owl lantern ");
  index.finish();
  CHECK(index.word_count() == 3);  // "owl" is too short
  struct Case {
    const char* token;
    const char* word;
  };
  const Case c = GENERATE(values<Case>({
      {"orchrad", "orchard"},
      {"orchad", "orchard"},
      {"orcxhard", "orchard"},
      {"lanturn", "lantern"},
      {"orchard", ""},   // an entry word itself
      {"orchards", ""},  // a dictionary word
      {"orhcrad", ""},   // two edits
      {"lant", ""},      // too short
      {"0rchard", ""},   // a digit
  }));
  CAPTURE(c.token);
  CHECK(index.correct(c.token) == c.word);
}

TEST_CASE("fuzzy: every one-edit neighbour of an entry word is found", "[fuzzy]") {
  // The filters and buckets in front of the comparison must never turn
  // away a true neighbour: every deletion, insertion, substitution and
  // swap, at every place, of words of each length from four letters up,
  // in two scripts.
  const std::vector<std::u32string> words = {
      U"wxyv", U"abcde", U"orchard", U"lantern", U"forbidden", U"bagicha",
      U"rahasyamay", U"anthropologies", U"\u092C\u0917\u0940\u091A\u093E",
      U"\u0935\u0930\u094D\u091C\u093F\u0924", U"xyzzyx"};
  auto utf8 = [](const std::u32string& w) {
    std::string out;
    for (char32_t c : w) {
      if (c < 0x80) {
        out += static_cast<char>(c);
      } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    return out;
  };
  for (std::size_t min : {std::size_t{4}, text::kFuzzyMinLetters}) {
    text::FuzzyIndex index(min);
    for (const std::u32string& w : words) index.add(utf8(w));
    index.finish();
    for (const std::u32string& w : words) {
      if (w.size() < min) continue;
      std::vector<std::u32string> edits;
      const char32_t other = w[0] < 0x80 ? U'q' : U'\u0915';
      for (std::size_t i = 0; i <= w.size(); ++i) {
        std::u32string ins = w;
        ins.insert(i, 1, other);
        edits.push_back(ins);
        if (i == w.size()) break;
        std::u32string del = w, sub = w;
        del.erase(i, 1);
        sub[i] = other;
        edits.push_back(del);
        edits.push_back(sub);
        if (i + 1 < w.size()) {
          std::u32string swap = w;
          std::swap(swap[i], swap[i + 1]);
          edits.push_back(swap);
        }
      }
      for (const std::u32string& e : edits) {
        if (e == w || e.size() + 1 < min || e.size() + 1 < text::kFuzzyMinLetters) continue;
        const std::string token = utf8(e);
        CAPTURE(min, utf8(w), token);
        CHECK(index.near(token, token) == utf8(w));
      }
    }
  }
}

TEST_CASE("fuzzy: every neighbour of a short key is found", "[fuzzy]") {
  // A key of four or five letters is corrected whatever its length, as
  // the key of a longer word (the guard), so every edit of it must pass
  // near_all's filter (by a deletion's first and last letter and length),
  // the two middle letters of four swapped too; among a few words and
  // among thousands.
  const std::vector<std::string> keys = {"wxyv", "bagan", "kathaa", "orchard"};
  for (const std::size_t extra : {std::size_t{0}, std::size_t{3000}}) {
    text::FuzzyIndex index(text::kFuzzyMinKeyLetters);
    for (const std::string& k : keys) index.add(" " + k + " ");
    for (std::size_t n = 0; n < extra; ++n) {
      std::string w = "zz";
      for (std::size_t m = n; m > 0 || w.size() < 6; m /= 26) w += static_cast<char>('a' + m % 26);
      index.add(" " + w + " ");
    }
    index.finish();
    for (const std::string& k : keys) {
      std::vector<std::string> edits;
      for (std::size_t i = 0; i <= k.size(); ++i) {
        std::string ins = k;
        ins.insert(i, 1, 'q');
        edits.push_back(ins);
        if (i == k.size()) break;
        std::string del = k, sub = k;
        del.erase(i, 1);
        sub[i] = 'q';
        edits.insert(edits.end(), {del, sub});
        if (i + 1 < k.size() && k[i] != k[i + 1]) {
          std::string swap = k;
          std::swap(swap[i], swap[i + 1]);
          edits.push_back(swap);
        }
      }
      for (const std::string& e : edits) {
        if (e.size() + 1 < text::kFuzzyMinKeyLetters) continue;
        CAPTURE(extra, k, e);
        CHECK(index.near(e, "guarded") == k);
      }
    }
  }
}

TEST_CASE("fuzzy: a token that is a short entry word or key stays itself", "[fuzzy]") {
  // "kat" is too short to be indexed, yet it is a word of an entry: it is
  // not corrected to "kate", the word of another.
  text::FuzzyIndex index(text::kFuzzyMinKeyLetters);
  index.add(" rahasyamay dipak kat ");
  index.add(" gupta dipada kate ");
  index.finish();
  CHECK(index.near("kat", "kathaa").empty());
  CHECK(index.near("kaet", "kathaa") == "kate");  // not an entry word: one edit from one
  // Through the filter: the key of "kathaa" reads as itself, so a typo in
  // another word of the same entry still finds it.
  const Filter f = filter_from(
      "! deter-list 1\n! name: t\n! language: hi-Latn\n! category: demo\n! action: prompt\n"
      "! views: +fuzzy\n"
      "rahasyamay deepak kathaa\n"  // 7
      "gupta deepada kathe\n");     // 8
  CHECK(first_id(f.check("rahasyamay deeak kathaa")) == "t.list:7");
}

TEST_CASE("fuzzy: a typo one edit from two entry words reads as each", "[fuzzy]") {
  // "lanterx" is one edit from "lanterm" and from "lantern": only the
  // query's other words tell which entry was meant, so the fuzzy section
  // holds a line for each candidate.
  text::FuzzyIndex index;
  index.add(" silver lantern ");
  index.add(" golden lanterm ");
  index.finish();
  std::array<std::string_view, text::kFuzzyMaxCandidates> out;
  REQUIRE(index.near_all("lanterx", "lanterx", out.data(), out.size()) == 2);
  CHECK(out[0] == "lanterm");
  CHECK(out[1] == "lantern");
  CHECK(index.near("lanterx", "lanterx") == "lanterm");
  const Filter f = filter_from(header("! views: +fuzzy\n") +
                               "silver lantern\n"   // 7
                               "golden lanterm\n");  // 8
  CHECK(first_id(f.check("silver lanterx")) == "t.list:7");
  CHECK(first_id(f.check("golden lanterx")) == "t.list:8");
  // A word and its neighbour, each corrected, in one query.
  CHECK(first_id(f.check("silvre lanterx")) == "t.list:7");
}

TEST_CASE("fuzzy: a file saved without its sources still corrects", "[fuzzy][store]") {
  namespace fs = std::filesystem;
  const Filter f = filter_from(kList);
  const fs::path dir = fs::temp_directory_path() / "deter_fuzzy_test";
  fs::create_directories(dir);
  for (bool strip : {false, true}) {
    CAPTURE(strip);
    SaveOptions options;
    options.strip_sources = strip;
    const fs::path file = dir / (strip ? "stripped.deterdb" : "full.deterdb");
    REQUIRE(f.save(file.string(), options));
    Result<Filter> loaded = Filter::open(file.string());
    REQUIRE(loaded);
    const Decision d = loaded.value().check("forbidden orchrad");
    CHECK(d.action == Action::prompt);
    REQUIRE(!d.matches.empty());
    CHECK(d.matches[0].view == View::fuzzy);
    CHECK(loaded.value().check("hidden lantren guild").action == Action::prompt);
  }
  fs::remove_all(dir);
}

namespace {

const std::string kPrefixList = header("! views: +fuzzy\n") +
                                "moonlit bazaar*\n"                       // 7
                                "kebun terlarang*\n"                      // 8
                                "নিষিদ্ধ বাগান*\n"                          // 9
                                "वर्जित बगीच*\n"                             // 10
                                "hidden planet*\n"                        // 11
                                "silver market* $views=-fuzzy\n"          // 12
                                "velvet harbour* $action=block\n"         // 13
                                "quiet meadow\n"                          // 14
                                "shadow meadow*\n";                       // 15

}  // namespace

TEST_CASE("fuzzy: a prefix entry's last word, one edit off at a token's start", "[fuzzy]") {
  const Filter f = filter_from(kPrefixList);
  const Row row = GENERATE(values<Row>({
      {"moonlit bazsaars", Action::prompt, "t.list:7", View::fuzzy},  // a letter typed too
      {"moonlit bazqar", Action::prompt, "t.list:7", View::fuzzy},    // a letter changed
      {"moonlit bazaars", Action::prompt, "t.list:7", View::base},    // as it is
      {"kebun terlarngnya", Action::prompt, "t.list:8", View::fuzzy},
      {"kebun terlarsangnya", Action::prompt, "t.list:8", View::fuzzy},
      {"kebun terlarnagnya", Action::prompt, "t.list:8", View::fuzzy},  // two swapped
      {"নিষিদ্ধ বাগনে", Action::prompt, "t.list:9", View::fuzzy},         // a vowel sign left out
      {"nishiddho baagsaane", Action::prompt, "t.list:9", View::fuzzy},  // in the key
      {"varjit bagerechaa", Action::prompt, "t.list:10", View::fuzzy},   // re-keyed
      {"velvet harbxours", Action::prompt, "t.list:13", View::fuzzy},    // capped at prompt
      {"velvet harbours", Action::block, "t.list:13", View::base},
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  REQUIRE(first_id(d) == row.entry);
  CHECK(d.matches[0].view == row.view);
}

TEST_CASE("fuzzy: prefix near misses stay apart", "[fuzzy]") {
  const Filter f = filter_from(kPrefixList);
  const char* query = GENERATE(values<const char*>({
      "moonlit azaars",     // the first letter: a typo is after it
      // The prefix word's last letter changed, or left out ("bazaa*" would
      // be a shorter prefix). As a whole word, "bazaax" is one edit from
      // "bazaar", as in a phrase entry.
      "moonlit bazaaxes",
      "moonlit bazaaes",
      "moonlit bazxqars",   // two edits
      "hidden plants",      // a dictionary word ("plant" is "planet" less a letter)
      "silver markxets",    // the entry switched the view off
      "quiet meadxowland",  // the prefix word and the token's rest: no phrase matches it
  }));
  CAPTURE(query);
  CHECK(f.check(query).action == Action::allow);
  // The views off by FilterOptions: no correction either.
  FilterOptions no_fuzzy;
  no_fuzzy.views = no_fuzzy.views.without(View::fuzzy);
  CHECK(filter_from(kPrefixList, no_fuzzy).check("moonlit bazsaars").action == Action::allow);
}

TEST_CASE("fuzzy: every one-edit neighbour of a prefix word is found at a token's start",
          "[fuzzy]") {
  // The filter of first letters, last letters and length in front of the
  // trie walk must never turn one away: every edit after the first letter
  // and before the last, followed by an ending or by nothing.
  const std::vector<std::string> words = {"bazaar", "terlarang", "planet", "bagan", "bazooka",
                                          "lanterns"};
  text::FuzzyIndex index;
  for (const std::string& w : words) index.add_prefix(" x " + w);
  index.finish();
  std::string fixed;
  for (const std::string& w : words) {
    std::vector<std::string> edits;
    for (std::size_t i = 1; i + 1 < w.size(); ++i) {
      std::string ins = w, del = w, sub = w;
      ins.insert(i, 1, 'q');
      del.erase(i, 1);
      sub[i] = 'q';
      edits.insert(edits.end(), {ins, del, sub});
      if (i + 2 < w.size() && w[i] != w[i + 1]) {
        std::string swap = w;
        std::swap(swap[i], swap[i + 1]);
        edits.push_back(swap);
      }
    }
    for (const std::string& e : edits) {
      for (const char* rest : {"", "s", "nya"}) {
        const std::string token = e + rest;
        if (token.size() < text::kFuzzyMinPrefixLetters) continue;
        CAPTURE(w, token);
        REQUIRE(index.near_prefix(token, token, fixed));
        CHECK(fixed.substr(0, w.size()) == w);
        CHECK(fixed.substr(w.size()) == rest);
      }
    }
  }
  CHECK_FALSE(index.near_prefix("bazaars", "bazaars", fixed));  // begins with it as it is
  CHECK_FALSE(index.near_prefix("qazaar", "qazaar", fixed));    // the first letter
  CHECK_FALSE(index.near_prefix("bazaaq", "bazaaq", fixed));    // the last letter
}

TEST_CASE("fuzzy: a romanized typo whose key moves by two", "[fuzzy]") {
  const Filter f = filter_from(
      "! deter-list 1\n! name: t\n! language: hi-Latn\n! category: demo\n! action: prompt\n"
      "! views: +fuzzy\n"
      "chhaya bazaar\n"           // 7
      "chand chor\n"              // 8
      "gupta deepada dantakathe\n"  // 9
      "ghuri wala\n"              // 10
      "maanchitro khoj\n");       // 11
  const Row row = GENERATE(values<Row>({
      // A consonant typed inside a vowel run: the key gains two letters.
      {"chhasaya bazaar", Action::prompt, "t.list:7", View::fuzzy},
      {"chasand chor", Action::prompt, "t.list:8", View::fuzzy},
      // A consonant left out joins two vowel runs.
      {"gupta deepada dantaathe", Action::prompt, "t.list:9", View::fuzzy},
      // A digraph broken.
      {"maancjhitro khoj", Action::prompt, "t.list:11", View::fuzzy},
      // Near misses: distinct words stay distinct.
      {"chandi chor", Action::allow, "", View::base},    // an ending, not a typo
      {"chaandi chor", Action::allow, "", View::base},
      {"chandni chor", Action::allow, "", View::base},
      {"ghori wala", Action::allow, "", View::base},     // a vowel for another in a short word
      {"chhaya bazaars", Action::allow, "", View::base},  // an English word
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  REQUIRE(first_id(d) == row.entry);
  if (!d.matches.empty()) CHECK(d.matches[0].view == row.view);
}

TEST_CASE("fuzzy: a romanized typo inside a digraph of a native entry's spelling", "[fuzzy]") {
  // A native entry's romanized forms meet it only by their keys; a letter
  // changed or two swapped inside a digraph moves the key by two letters
  // (FuzzyIndex::digraph_undone).
  struct DemoRow {
    const char* query;
    const char* entry;  // "" for a near miss
  };
  const DemoRow row = GENERATE(values<DemoRow>({
      {"gopon lonyhon", "bn.list:12"},          // lonthon, its t changed
      {"ছায়া বাজার maancihtro", "bn.list:43"},  // maanchitro, h and i swapped
      {"varjit bagecehaa", "hi-latn.list:13"},  // bageechaa, e and c swapped
      // Near misses: two edits, or a vowel the key keeps apart.
      {"gopon lonyhin", ""},
      {"gopon lonyhonx", ""},
      {"ছায়া বাজার maancihtrx", ""},
  }));
  CAPTURE(row.query);
  const Decision d = deter::testing::demo().check(row.query);
  if (row.entry[0] == '\0') {
    CHECK(d.matches.empty());
  } else {
    REQUIRE(first_id(d) == row.entry);
    CHECK(d.matches[0].view == View::fuzzy);
  }
}

TEST_CASE("fuzzy: every letter typed too in a romanized word is rekeyed", "[fuzzy]") {
  // rekeyed() hashes a deletion's key from the word's single folds when
  // the word folds letter by letter, and keys the rest afresh; its filters
  // (the table's bits, the prefix trie's first letters) must never turn a
  // true one away: every letter typed too, at every place, in words that
  // fold letter by letter and in words with digraphs, vowel runs, doubled
  // letters, an m before a consonant and an x.
  const std::vector<std::string> words = {"bagicha",    "chhaya",    "dantakathe", "rahasyamay",
                                          "kampung",    "terlarang", "maanchitro", "sahitya",
                                          "pustakalay", "bazaar",    "taksir",     "lekhak"};
  auto key_of = [](const std::string& w) {
    std::string k;
    REQUIRE(text::phonetic_key(w, k));
    return k;
  };
  for (const bool prefix : {false, true}) {
    text::FuzzyIndex index(text::kFuzzyMinKeyLetters, true);
    for (const std::string& w : words) {
      if (prefix) {
        index.add_prefix(" x " + key_of(w));
      } else {
        index.add(" " + key_of(w) + " ");
      }
    }
    index.finish();
    std::string fixed;
    for (const std::string& w : words) {
      if (prefix && key_of(w).size() < text::kFuzzyMinPrefixLetters) continue;
      for (std::size_t i = 0; i < w.size(); ++i) {
        for (const char c : std::string("abhkmrtxy")) {
          std::string typed = w;
          typed.insert(i, 1, c);
          if (prefix) typed += "nya";
          const std::string key = key_of(typed);
          // A letter that does not move the key is no typo of it; a
          // doubled letter is left out as its twin.
          if (key == key_of(prefix ? w + "nya" : w) || c == w[i]) continue;
          CAPTURE(prefix, w, typed, key);
          REQUIRE(index.rekeyed(typed, key, fixed));
          CHECK(fixed.substr(0, 1) == key_of(w).substr(0, 1));
        }
      }
    }
  }
  // Near misses stay apart with the filters as without.
  text::FuzzyIndex index(text::kFuzzyMinKeyLetters, true);
  index.add(" " + key_of("dantakathe") + " ");
  index.finish();
  std::string fixed;
  for (const char* typed : {"pustakalay", "kampungan", "terlarang", "bagichaaa"}) {
    CAPTURE(typed);
    CHECK_FALSE(index.rekeyed(typed, key_of(typed), fixed));
  }
}

TEST_CASE("fuzzy: a list that crowds one trie node keeps a token's walk bounded", "[fuzzy]") {
  // 3000 prefix words that share their first letter and differ in their
  // second: a token beginning with that letter would try each, twice, at
  // each of its letters. The walk stops after a fixed number of tries.
  text::FuzzyIndex index;
  for (char32_t k = 0; k < 3000; ++k) {
    const char32_t c = 0x4E00 + k;
    std::string w = "a";
    w += static_cast<char>(0xE0 | (c >> 12));
    w += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    w += static_cast<char>(0x80 | (c & 0x3F));
    w += "bcd";
    index.add_prefix(" x " + w);
  }
  index.finish();
  std::string fixed;
  // No crash, and an answer: one of the words, or none once the tries run out.
  const bool found = index.near_prefix("aqbcdqqqqqqqqqqqqqqqq", "aqbcdqqqqqqqqqqqqqqqq", fixed);
  if (found) CHECK(fixed.substr(0, 1) == "a");
  CHECK_FALSE(index.near_prefix("zzzzzzzz", "zzzzzzzz", fixed));
}

TEST_CASE("fuzzy: a reading through folds stands before a typo, and is not capped", "[fuzzy]") {
  // "vaaarjeeet" is squeezed and keyed to "varjit" (a composition), and its
  // key is also one edit from it (a typo): the composition stands, with the
  // entry's own action, and the match maps to the whole query.
  const Filter f = filter_from(
      "! deter-list 1\n! name: t\n! language: hi-Latn\n! category: demo\n! action: prompt\n"
      "! views: +fuzzy\n"
      "varjit bagicha $action=block\n");  // 7
  const Decision d = f.check("vaaarjeeet bagicha");
  CHECK(d.action == Action::block);
  REQUIRE(first_id(d) == "t.list:7");
  CHECK(d.matches[0].view != View::fuzzy);
  CHECK(d.matches[0].begin == 0);
  CHECK(d.matches[0].end == std::string_view("vaaarjeeet bagicha").size());
  // A typo where no fold reads it: through the fuzzy view, capped.
  const Decision typo = f.check("varjit bagihca");
  CHECK(typo.action == Action::prompt);
  REQUIRE(first_id(typo) == "t.list:7");
  CHECK(typo.matches[0].view == View::fuzzy);
}

TEST_CASE("fuzzy: benign words one edit from a demo entry's word stay allowed", "[fuzzy][benign]") {
  // Each query is a demo entry with one word changed for an ordinary word
  // one edit from the entry's (another word, a plural, a case ending, a
  // derived word): with the default views, fuzzy among them, none matches.
  struct Row {
    const char* query;
    const char* entry_word;  // the word of the entry it is one edit from
  };
  auto row = GENERATE(values<Row>({
      {"forbidden orchards", "orchard"},
      {"hidden lanterns guild", "lantern"},
      {"ridden lantern guild", "hidden"},
      {"bidden lantern guild", "hidden"},
      {"sliver ladder", "silver"},
      {"silvery ladder", "silver"},
      {"silver larder", "ladder"},
      {"silver lander", "ladder"},
      {"velvety key glass tower", "velvet"},
      {"tanggal perak", "tangga"},
      {"bangga perak", "tangga"},
      {"legenda jentera tua", "lentera"},
      {"pencari rembulan", "pencuri"},  // pen- + cari: a derived word, not a stem
      {"candi ki sidhi", "chandi"},
      {"রুপালি সিঁড়ি", "রুপোলি"},
      {"রুপোলি পিঁড়ি", "সিঁড়ি"},
      {"রুপোলি ছিঁড়ি", "সিঁড়ি"},
      {"রহস্য প্রতীপ কাহিনি", "প্রদীপ"},
      {"রহস্য প্রদীপন কাহিনি", "প্রদীপ"},
      {"রহস্য প্রদীপ কাহিনির", "কাহিনি"},  // a case ending added
      {"अर्जित बगीचा", "वर्जित"},
      {"वर्जिन बगीचा", "वर्जित"},
      {"रहस्यमयी दीपक कथा", "रहस्यमय"},  // a feminine ending added
      {"ಬಳ್ಳಿ ಏಣಿ", "ಬೆಳ್ಳಿ"},
      {"ಬೆಳ್ಳಿಯ ಏಣಿ", "ಬೆಳ್ಳಿ"},
      {"ಗುಪ್ತ ದೀಪದ ದಂತಕಥೆಯ", "ದಂತಕಥೆ"},
  }));
  CAPTURE(row.query, row.entry_word);
  const Decision d = deter::testing::demo().check(row.query);
  CHECK(d.action == Action::allow);
  CHECK(d.matches.empty());
}

TEST_CASE("fuzzy: a dictionary word with an inflection its word list lacks is an ordinary word",
          "[fuzzy][benign]") {
  // The word lists hold no Bengali inflection and few Indonesian ones; a
  // stem of the dictionary with one of its language's endings or affixes
  // is an ordinary word, never a typo.
  auto inflected = [](const std::string& word) {
    const std::string base = text::normalize_base(word);  // " word "
    return text::is_inflected_dictionary_word(std::string_view(base).substr(1, base.size() - 2));
  };
  for (const std::string_view ending : text::kBengaliEndings) {
    const std::string word = "বাংলাদেশ" + std::string(ending);
    CAPTURE(word);
    CHECK(text::normalize_base(word) == " " + word + " ");  // spelled as the base form spells it
    CHECK(inflected(word));
  }
  for (const char* word : {"ভারতের", "বর্তমানে", "সাম্রাজ্যের", "চলচ্চিত্রের", "siapakah",
                           "berapakah", "dilahirkan", "diciptakan", "pemerintahan", "rumahnya"}) {
    CAPTURE(word);
    CHECK(inflected(word));
  }
  // Typos of entry words (demo's pencuri and menara, fountain, orchard):
  // a prefix and a short word, a suffix alone, a one-letter affix.
  for (const char* word : {"penuri", "menra", "mensara", "fountan", "orchardi", "dilahirkat",
                           "বাংলাদেশব", "ভারতেব"}) {
    CAPTURE(word);
    CHECK_FALSE(inflected(word));
  }
  const Filter f = filter_from(header() + "ভারতেব গান\ndilahirkar bintang\n");
  struct Row {
    const char* query;
    Action action;
  };
  auto row = GENERATE(values<Row>({
      {"ভারতের গান", Action::allow},  // ভারত, genitive: one edit from ভারতেব, but a word
      {"ভারতেপ গান", Action::prompt},
      {"dilahirkan bintang", Action::allow},  // di-, lahir, -kan
      {"dilahirkat bintang", Action::prompt},
  }));
  CAPTURE(row.query);
  CHECK(f.check(row.query).action == row.action);
}

TEST_CASE("fuzzy: an entry word with one more letter at its end in Indic script is no typo",
          "[fuzzy]") {
  // Words of the generated 10k-entry benchmark list that benign questions
  // hold with another case ending: মানবদেহের (of the human body) is not a
  // typo of মানবদেহে (in it), the word of the second entry, whose joined
  // reading matches the first. A typo inside the word is still read.
  const Filter f =
      filter_from(header() + "মানব দেহে\nথাইল্যান্ড মানবদেহে\nফ্যানারোজোয়িক অধিযুগে\nರಹಸ್ಯ ದಂತಕಥೆ\n");
  struct Row {
    const char* query;
    Action action;
  };
  auto row = GENERATE(values<Row>({
      {"মানবদেহের স্বাভাবিক তাপমাত্রা কত", Action::allow},
      {"ফ্যানারোজোয়িক অধিযুগের তিনটি মহাযুগ", Action::allow},
      {"ರಹಸ್ಯ ದಂತಕಥೆಯ", Action::allow},
      {"মানব দেহে", Action::prompt},
      {"মানবদেহে স্বাভাবিক", Action::prompt},
      {"মানবদহে স্বাভাবিক", Action::prompt},
      {"ফ্যানারোজোয়িক অধিুগে", Action::prompt},
      {"ರಹಸ್ಯ ದಂತಥೆ", Action::prompt},
  }));
  CAPTURE(row.query);
  CHECK(f.check(row.query).action == row.action);
}

TEST_CASE("fuzzy: a word let be under one list set is corrected under another on the same thread",
          "[fuzzy]") {
  // The views remember, per thread, the long words they found no
  // correction for; that memory answers only for the indexes it was made
  // with, so a second list set (or a reloaded one) is asked afresh.
  const Filter other = filter_from(header() + "hidden lantern guild\n");
  const Filter orchard = filter_from(header() + "forbidden orchard\n");
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    CHECK(other.check("forbiden orchard").action == Action::allow);
    CHECK(orchard.check("forbiden orchard").action == Action::prompt);
    CHECK(other.check("forbiden orchard").action == Action::allow);
  }
  // The same list set built again (a reload) corrects it too.
  const Filter again = filter_from(header() + "forbidden orchard\n");
  CHECK(other.check("forbiden orchard").action == Action::allow);
  CHECK(again.check("forbiden orchard").action == Action::prompt);
  // And a word first let be in one query is still corrected in the next
  // by the same list set, once a list word it is near is in that query.
  CHECK(orchard.check("forbiden").action == Action::allow);
  CHECK(orchard.check("forbiden orchard").action == Action::prompt);
}

TEST_CASE("fuzzy: a word's remembered corrections read as the first time, after the memo fills too",
          "[fuzzy]") {
  // The views remember each long word's corrections per thread (those of
  // a word that keys as itself too, as English and Indonesian words do),
  // and copy the ones they wrote (a prefix word with the token's rest) to
  // a fixed store; when it fills, the memo starts afresh.
  const Filter f = filter_from(header() + "forbidden orchard\nmoonlit bazaar*\n");
  auto spans = [](const Decision& d) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const Match& m : d.matches) out.emplace_back(m.begin, m.end);
    return out;
  };
  const Decision first = f.check("forbiden orchard");
  REQUIRE(first.action == Action::prompt);
  const Decision prefix = f.check("moonlit bazsaarsxyz");
  REQUIRE(prefix.action == Action::prompt);
  // Distinct words, each corrected to a prefix word and its own rest: more
  // of them than the store holds.
  std::size_t missed = 0;
  for (int i = 0; i < 8000; ++i) {
    std::string word = "bazsaars";
    for (int n = i; n > 0 || word.size() == 8; n /= 26) word += static_cast<char>('a' + n % 26);
    missed += f.check("moonlit " + word).action == Action::prompt ? 0 : 1;
  }
  CHECK(missed == 0);
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    const Decision again = f.check("forbiden orchard");
    CHECK(again.action == Action::prompt);
    CHECK(spans(again) == spans(first));
    const Decision prefix_again = f.check("moonlit bazsaarsxyz");
    CHECK(prefix_again.action == Action::prompt);
    CHECK(spans(prefix_again) == spans(prefix));
  }
}

TEST_CASE("fuzzy: a word repeated in a query is corrected at each place", "[fuzzy]") {
  // The second and later places take the corrections the first had
  // (write_fuzzy's per-query table): the section reads the same as if
  // each had been corrected on its own, and the match is at the right one.
  const Filter f = filter_from(kList);
  const std::string query = "orcahrd forbidden orcahrd";
  for (const auto& [view, text] : f.views_of(query)) {
    if (view == View::fuzzy) CHECK(text.substr(0, 27) == " orchard forbidden orchard ");
  }
  const Decision d = f.check(query);
  REQUIRE(d.matches.size() == 1);
  CHECK(query.substr(d.matches[0].begin, d.matches[0].end - d.matches[0].begin) ==
        "forbidden orcahrd");
  // Many times over, in a long query: each place is corrected.
  std::string longer;
  for (int i = 0; i < 200; ++i) longer += "orcahrd ";
  longer += "forbidden orcahrd";
  CHECK(f.check(longer).action != Action::allow);
}

TEST_CASE("fuzzy: a folded word repeated in a query is corrected at each place", "[fuzzy]") {
  // A word that a fold and a typo both changed ("0rcahrd": leet, then one
  // swap) is folded and looked up once a query (add_fuzzy_folded's table);
  // a later place takes what the first had, at its own token: the match is
  // the second place, the one after "forbidden".
  const Filter f = filter_from(kList);
  const std::string query = "0rcahrd forbidden 0rcahrd";
  const Decision d = f.check(query);
  REQUIRE(d.matches.size() == 1);
  CHECK(query.substr(d.matches[0].begin, d.matches[0].end - d.matches[0].begin) ==
        "forbidden 0rcahrd");
  CHECK(d.matches[0].view == View::fuzzy);
  // Many times over, with the entry's words only at the end.
  std::string longer;
  for (int i = 0; i < 200; ++i) longer += "0rcahrd ";
  longer += "forbidden 0rcahrd";
  const Decision far = f.check(longer);
  REQUIRE(far.matches.size() == 1);
  CHECK(longer.substr(far.matches[0].begin) == "forbidden 0rcahrd");
}

TEST_CASE("fuzzy: the sorted table with gaps finds what it holds, and only that", "[fuzzy]") {
  std::uint64_t x = 0x2545F4914F6CDD1Dull;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (const std::size_t count : {0u, 1u, 7u, 1000u, 50000u}) {
    CAPTURE(count);
    std::vector<std::uint64_t> set;
    for (std::size_t i = 0; i < count; ++i) set.push_back(next());
    // Crowded at the top, where a scan runs into the last slot.
    for (std::uint64_t k = 2; k < 40; ++k) set.push_back(text::kGapSlot - k);
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    std::vector<std::uint64_t> slots;
    unsigned shift = 0;
    CHECK_FALSE(text::gapped_slots(set, slots, shift));
    CHECK(slots.size() <= (std::size_t{1} << (64 - shift)) + set.size() + 1);
    std::size_t missing = 0;
    for (const std::uint64_t h : set) missing += text::gapped_contains(slots.data(), shift, h) ? 0 : 1;
    CHECK(missing == 0);
    std::size_t extra = 0;
    for (int i = 0; i < 20000; ++i) {
      const std::uint64_t h = next();
      if (!std::binary_search(set.begin(), set.end(), h)) {
        extra += text::gapped_contains(slots.data(), shift, h) ? 1 : 0;
      }
    }
    CHECK(extra == 0);
    CHECK_FALSE(text::gapped_contains(slots.data(), shift, text::kGapSlot));
    CHECK_FALSE(text::gapped_contains(slots.data(), shift, text::kGapSlot - 1));
  }
  // The value of a gap is left out and told; a forged set (out of order,
  // repeated) makes a table of bounded size whose every lookup ends.
  std::vector<std::uint64_t> slots;
  unsigned shift = 0;
  CHECK(text::gapped_slots(std::vector<std::uint64_t>{1, 5, text::kGapSlot}, slots, shift));
  CHECK(text::gapped_contains(slots.data(), shift, 5));
  const std::vector<std::uint64_t> forged = {text::kGapSlot - 1, 3, 3, 0, text::kGapSlot - 1, 9};
  CHECK_FALSE(text::gapped_slots(forged, slots, shift));
  CHECK(slots.size() <= (std::size_t{1} << (64 - shift)) + forged.size() + 1);
  for (const std::uint64_t h : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{9},
                                text::kGapSlot - 1, text::kGapSlot}) {
    (void)text::gapped_contains(slots.data(), shift, h);
  }
}

TEST_CASE("fuzzy: words made to crowd the index's table are searched by halves", "[fuzzy]") {
  // Words whose hashes share their top bits fill one run of the table
  // with gaps; past kGappedLongestRun the index searches its sorted
  // hashes instead, so a lookup stays logarithmic whatever the list.
  std::vector<std::string> crowd;
  for (std::size_t n = 0; crowd.size() < 300; ++n) {
    std::string w = "crowd";  // and n in letters: an index takes no digits
    for (std::size_t m = n; m > 0 || w.size() < 6; m /= 26) w += static_cast<char>('a' + m % 26);
    if (text::token_hash(w.data(), w.size()) >> 54 == 0x155) crowd.push_back(w);
  }
  std::vector<std::uint64_t> hashes;
  for (const std::string& w : crowd) hashes.push_back(text::token_hash(w.data(), w.size()));
  std::sort(hashes.begin(), hashes.end());
  std::vector<std::uint64_t> slots;
  unsigned shift = 0;
  std::size_t longest = 0;
  text::gapped_slots(hashes, slots, shift, &longest);
  CHECK(longest > text::kGappedLongestRun);

  text::FuzzyIndex index;
  std::string line = " ";
  for (const std::string& w : crowd) line += w + " ";
  index.add(line);
  index.finish();
  for (const std::string& w : crowd) {
    CAPTURE(w);
    CHECK(index.is_word_hash(text::token_hash(w.data(), w.size())));
  }
  CHECK_FALSE(index.is_word_hash(text::token_hash("crowded", 7)));
}

TEST_CASE("fuzzy: a stored word's letters are counted as a check, a digit scan and a count would",
          "[fuzzy][utf8][property]") {
  // stored_letters reads five Indic letters at a time, eight ASCII bytes
  // at a time, else a character at a time: words of Indic letters (a
  // letter of each of the first and last second bytes), ASCII, digits,
  // other characters, and bytes that break UTF-8 near an Indic letter (an
  // overlong E0 9F BF, a lone E0, a stray continuation byte), at every
  // length up to 64 bytes.
  auto slow = [](std::string_view w) -> std::size_t {
    if (!deter::text::is_valid_utf8(w)) return 0;
    for (char c : w) {
      if (c >= '0' && c <= '9') return 0;
    }
    return deter::text::code_point_count(w);
  };
  const std::string_view pieces[] = {"\u0915", "\u093F", "\u09B2", "\u0CAE", "\u0A80", "\u0BFF",
                                     "a",      "orchard", "\u00E9", "\U0001F600", "7",
                                     "\xE0\x9F\xBF", "\xE0", "\xA4", "\xE0\xA4"};
  std::mt19937 rng(5);
  std::size_t valid = 0;
  for (int round = 0; round < 40000; ++round) {
    std::string w;
    const std::size_t n = rng() % 65;
    while (w.size() < n) {
      // Mostly Indic letters, so that runs of five meet a break anywhere.
      const std::size_t k = rng() % 10 < 7 ? rng() % 6 : rng() % std::size(pieces);
      w += pieces[k];
    }
    INFO("'" << w << "'");
    REQUIRE(deter::text::stored_letters(w) == slow(w));
    valid += slow(w) != 0;
  }
  CHECK(valid > 4000);
  CHECK(valid < 36000);
}
