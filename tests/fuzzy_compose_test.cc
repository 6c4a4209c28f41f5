// The fuzzy view composed with the other folds: a typo in a word that leet,
// look-alikes, repeats or letter-by-letter spacing also changed. The typo
// is still capped at prompt, the dictionary still guards the word as typed
// and as folded, and a view an entry switches off stays off inside the
// composition.
#include <string>

#include "test_util.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;

namespace {

const std::string kList = header("! views: +fuzzy\n") +
                          "forbidden orchard\n"                                         // 7
                          "hidden lantern guild $action=block,message=block.default\n"  // 8
                          "copper meadow $views=-leet\n"                                // 9
                          "silver ladder $views=-fuzzy\n"                               // 10
                          "amber fountain $views=-squeeze\n"                            // 11
                          "moonlit bazaar*\n"                                           // 12
                          "velvet key\n";                                               // 13

const std::string kRomanized =
    "! deter-list 1\n! name: t\n! language: hi-Latn\n! category: demo\n! action: prompt\n"
    "! views: +fuzzy\n"
    "varjit bagicha\n";  // 7

struct Row {
  const char* query;
  const char* entry;  // the entry id that matched
  View fold;          // a fold the match went through besides fuzzy
};

std::string first_id(const Decision& d) {
  return d.matches.empty() ? std::string() : std::string(d.matches[0].entry_id);
}

}  // namespace

TEST_CASE("fuzzy composed: a typo in a word another fold changed", "[fuzzy][composed]") {
  const Filter f = filter_from(kList);
  const Row row = GENERATE(values<Row>({
      // typo + leet
      {"forbidd3n orchrad", "t.list:7", View::leet},
      {"f0rbidden orchrad", "t.list:7", View::leet},
      {"forbidde 0rchard", "t.list:7", View::leet},
      {"f0rbiddn orchard", "t.list:7", View::leet},
      {"h1ddn lantern guild", "t.list:8", View::leet},  // '1' read as i
      // typo + look-alike (a Cyrillic о)
      {"f\xD0\xBErbiddn orchard", "t.list:7", View::homoglyph},
      // typo + repeats
      {"forrbiddn orchard", "t.list:7", View::squeeze},
      {"fooorbiddn orchard", "t.list:7", View::squeeze},
      // A short word read folded, for the typo in the other.
      {"v3let k3y", "t.list:13", View::leet},
      {"veeelet keeey", "t.list:13", View::squeeze},
      // typo + letter by letter
      {"f o r b i d d n orchard", "t.list:7", View::spaced},
      {"forbidden o r c h r a d", "t.list:7", View::spaced},
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  // A typo is a guess: prompt, even for the block entry.
  CHECK(d.action == Action::prompt);
  REQUIRE(first_id(d) == row.entry);
  CHECK(d.matches[0].view == View::fuzzy);
  CHECK(d.matches[0].folds.has(View::fuzzy));
  CHECK(d.matches[0].folds.has(row.fold));
  // The span is the query's words, as typed.
  CHECK(d.matches[0].begin == 0);
  CHECK(d.matches[0].end == std::string_view(row.query).size());
}

TEST_CASE("fuzzy composed: a doubled letter written once is the squeeze view's, after any fold",
          "[fuzzy][composed]") {
  // "hiden" is *hidden* squeezed, which the squeeze view matches exactly:
  // with leet or a look-alike too, it is that reading (leet, then squeeze),
  // not a typo, and takes the entry's action as "hiden lantern guild" does.
  const Filter f = filter_from(kList);
  struct Squeezed {
    const char* query;
    View fold;
    Action action;
  };
  const Squeezed row = GENERATE(values<Squeezed>({
      {"hiden lantern guild", View::squeeze, Action::block},
      {"h1den lantern guild", View::leet, Action::block},
      {"h\xD1\x96" "den lantern guild", View::homoglyph, Action::block},
      {"forbiden 0rchard", View::leet, Action::prompt},
      {"f0rbiden orchard", View::leet, Action::prompt},
      {"f o r b i d e n orchard", View::spaced, Action::prompt},
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == row.action);
  REQUIRE_FALSE(d.matches.empty());
  CHECK(d.matches[0].view == View::squeeze);
  CHECK(d.matches[0].folds.has(row.fold));
  CHECK_FALSE(d.matches[0].folds.has(View::fuzzy));
}

TEST_CASE("fuzzy composed: a romanized typo with leet", "[fuzzy][composed]") {
  const Filter f = filter_from(kRomanized);
  const char* query = GENERATE("v4rjeet bagcha", "varj33t bagcha", "v4rjit bagihca");
  CAPTURE(query);
  const Decision d = f.check(query);
  CHECK(d.action == Action::prompt);
  REQUIRE(first_id(d) == "t.list:7");
  CHECK(d.matches[0].view == View::fuzzy);
  CHECK(d.matches[0].folds.has(View::leet));
}

TEST_CASE("fuzzy composed: a romanized word that only rekeyed corrects, after a fold",
          "[fuzzy][composed]") {
  // "goopon" keys "gupon", one edit from *gopon* only when keyed again
  // without an o (FuzzyIndex::rekeyed); with a Cyrillic о or a 0 it is a
  // folded word, which add_fuzzy_folded now reads the same way.
  const std::string list =
      "! deter-list 1\n! name: t\n! language: bn\n! category: demo\n! action: prompt\n"
      "! views: +fuzzy\n"
      "গোপন লণ্ঠন\n";  // 7
  const Filter f = filter_from(list);
  struct Row {
    const char* query;
    View fold;
  };
  const Row row = GENERATE(values<Row>({
      {"goopon lonthon", View::fuzzy},
      {"g\xD0\xBE\xD0\xBEpon lonthon", View::homoglyph},
      {"g0opon lonthon", View::leet},
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  CHECK(d.action == Action::prompt);
  REQUIRE(first_id(d) == "t.list:7");
  CHECK(d.matches[0].view == View::fuzzy);
  CHECK(d.matches[0].folds.has(row.fold));
  // A word as far from every entry stays apart.
  CHECK(f.check("gaapan lanthan").action == Action::allow);
}

TEST_CASE("fuzzy composed: leet's doubled letters are squeezed with it", "[composed]") {
  // "m00nlit" reads "moonlit", squeezed "monlit" as the entry's squeeze
  // view has it ("bazar" is how squeeze reads *bazaar*).
  const Filter f = filter_from(kList);
  const Decision d = f.check("m00nlit bazar");
  REQUIRE(first_id(d) == "t.list:12");
  CHECK(d.matches[0].folds.has(View::leet));
  CHECK(d.matches[0].folds.has(View::squeeze));
}

TEST_CASE("fuzzy composed: near misses stay apart", "[fuzzy][composed]") {
  const Filter f = filter_from(kList);
  const char* query = GENERATE(values<const char*>({
      // A digit or a doubled letter that folds to a dictionary word one
      // edit from an entry word: the guard asks the folded word too.
      "forbidden 0rchards",
      "forbidden orchardss",
      "hidden lanterrns guild",
      "ridd3n lantern guild",
      "b1dden lantern guild",
      // Two edits besides the fold.
      "f0rbdden orhcrad",
      // The entry switched leet off: no leet inside the composition either.
      "c0pper meadw",
      "copp3r meadw",
      "c0pper meadow",
      // Fuzzy off.
      "s1lver laddr",
      // Squeeze off.
      "amberr fountan",
  }));
  CAPTURE(query);
  const Decision d = f.check(query);
  CHECK(d.action == Action::allow);
  CHECK(first_id(d).empty());
}

TEST_CASE("fuzzy composed: the controls of the near misses match", "[fuzzy][composed]") {
  const Filter f = filter_from(kList);
  const Row row = GENERATE(values<Row>({
      {"copper meadw", "t.list:9", View::fuzzy},  // leet off, but no leet needed
      {"amber fountan", "t.list:11", View::fuzzy},
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  REQUIRE(first_id(d) == row.entry);
  CHECK(d.matches[0].view == row.fold);
}

// The composed paths hold the plain path's rules (views.cc,
// add_fuzzy_folded and add_fuzzy_spaced): every candidate a line of its
// own, a stretched run read with its double, a letter-by-letter word's key
// read as the entry key it is, and rekeyed()'s answer beside near_all's.
// In every script the demo lists hold, the typo and its near misses.
TEST_CASE("fuzzy composed: the composed paths hold the plain path's rules", "[fuzzy][composed]") {
  struct DemoRow {
    const char* query;
    const char* entry;  // the demo entry id that matched, or "" (a near miss)
  };
  const DemoRow row = GENERATE(values<DemoRow>({
      // A key one edit from two entry keys ("cadr": cadi, candr): the one
      // the query's other words meet, after a look-alike or spacing.
      {"\xD1\x81hadra k\xD0\xB0lla", "kn.list:39"},  // Cyrillic с and а
      {"c h a d r a kalla", "kn.list:39"},
      {"\xE0\xB2\xA8\xE0\xB3\x86\xE0\xB2\xB0\xE0\xB2\xB3\xE0\xB3\x81 "
       "\xE0\xB2\xB8\xE0\xB2\x82\xE0\xB2\xA4\xE0\xB3\x86 n\xD0\xB0khe",
       "kn.list:44"},  // ನೆರಳು ಸಂತೆ nаkhe
      {"\xE0\xB2\xA8\xE0\xB3\x86\xE0\xB2\xB0\xE0\xB2\xB3\xE0\xB3\x81 "
       "\xE0\xB2\xB8\xE0\xB2\x82\xE0\xB2\xA4\xE0\xB3\x86 n a k h e",
       "kn.list:44"},
      // A stretched run keeps its double; the keys read it as one.
      {"moooonhief", "en.list:36"},
      {"moooolit baaazaars", "en.list:30"},
      {"gooopon looonhon", "bn.list:12"},
      {"rooohsyo prooodeep kaaaahini", "bn.list:55"},
      {"neeerlu saaante \xE0\xB2\xA8\xE0\xB2\x95\xE0\xB3\x8D\xE0\xB2\xB7\xE0\xB3\x86", "kn.list:44"},
      // A word spelled letter by letter whose key is an entry key.
      {"c h a n d chor", "bn.list:37"},
      {"c h a n d chor", "hi.list:36"},
      {"c h a a d e e kee seerhee", "hi.list:50"},
      {"c h h a y a a baazaar \xE0\xA4\xA8\xE0\xA4\x95\xE0\xA5\x8D\xE0\xA4\xB6\xE0\xA4\xBE",
       "hi.list:43"},  // नक्शा
      // A key near one entry key, meant for another (kathaa's "kat").
      {"rahasyamay deepak katjhaa", "hi.list:56"},
      {"rahasyamay deepak katjaa", "hi.list:56"},
      // Near misses: distinct words stay distinct through the folds.
      {"c h a n d i chor", ""},  // chandi, an ending
      {"ch4ndi chor", ""},
      {"\xD1\x81handi chor", ""},
      {"c h a n d n i chor", ""},
      {"chaandeee chor", ""},
      {"ghooori wala", ""},
      {"forbidden orchaaards", ""},  // orchards, a word
      {"hidden laaanterns guild", ""},
      {"moooonlight", ""},
      {"rahasyamay deepak kathi", ""},  // another ending
      {"rahasyamay deepak katjhi", ""},
      {"c h a d r i kalla", ""},
      {"\xD1\x81handi k\xD0\xB0lla", ""},
  }));
  CAPTURE(row.query);
  const Decision d = deter::testing::demo().check(row.query);
  bool matched = false;
  for (const Match& m : d.matches) matched |= m.entry_id == row.entry;
  if (*row.entry == '\0') {
    CHECK(d.matches.empty());
  } else {
    CHECK(matched);
  }
}

// An entry's words run together are one word more in the fuzzy index
// (FilterImpl::build_fuzzy): a typo in a hashtag is one edit from it, and
// the joined atom finds the correction in the fuzzy section. The edit must
// be inside the run, its first and last letters typed as they are (or
// swapped with their neighbours): a letter more or less at its end is
// another word's ending, as "orchards" is no typo of "orchard".
TEST_CASE("fuzzy composed: a typo in an entry run together, or in its hashtag",
          "[fuzzy][composed][joined]") {
  const Filter f = filter_from(kList);
  struct JoinedRow {
    const char* query;
    const char* entry;  // empty: no match
  };
  const JoinedRow row = GENERATE(values<JoinedRow>({
      {"#forbiddenorchrad", "t.list:7"},      // two letters swapped
      {"forbiddenorcard", "t.list:7"},        // a letter dropped
      {"#forbidenorchrad", "t.list:7"},       // squeezed, then a typo
      {"#ofrbiddenorchard", "t.list:7"},      // swapped at the front
      {"#forbiddenorchadr", "t.list:7"},      // swapped at the end
      {"#hiddenlanterngiuld", "t.list:8"},    // block, capped at prompt below
      {"#f0rbiddenorchrad", "t.list:7"},      // leet too
      {"forbiddenorchards", ""},              // a letter added at the end
      {"#forbiddenorchar", ""},               // dropped at the end
      {"#gorbiddenorchard", ""},              // changed at the front
      {"#silverladdr", ""},                   // fuzzy off
      {"#forbiddenorchrads", ""},             // two edits
  }));
  CAPTURE(row.query);
  const Decision d = f.check(row.query);
  REQUIRE(first_id(d) == row.entry);
  if (d.matches.empty()) return;
  CHECK(d.action == Action::prompt);
  CHECK(d.matches[0].view == View::fuzzy);
}

TEST_CASE("fuzzy composed: a typo in a hashtag in every script, romanized too",
          "[fuzzy][composed][joined]") {
  const std::string list =
      "! deter-list 1\n! name: t\n! language: bn\n! category: demo\n! action: prompt\n"
      "! views: +fuzzy\n"
      "গোপন লণ্ঠন\n"                        // 7
      "অর্ধবৃত্ত euro\n";                     // 8: a short last word
  const Filter f = filter_from(list);
  // A virama dropped inside the run; the romanized run with two letters
  // swapped. A vowel for another in a run's key is no typo: the run's
  // words may each be short, and a short word's vowel never is one
  // (kFuzzyMinVowelLetters; "gaapan lanthan" is allowed too).
  CHECK(first_id(f.check("#গোপনলণঠন")) == "t.list:7");
  const Decision swapped = f.check("#gopnolonthon");
  REQUIRE(first_id(swapped) == "t.list:7");
  CHECK(swapped.matches[0].view == View::fuzzy);
  CHECK(f.check("#gaapanlanthan").action == Action::allow);
  CHECK(f.check("gaapan lanthan").action == Action::allow);
  // A joined key is a romanized hashtag's: a word in its own script whose
  // key is one letter from it (the first word and an ending, "অর্ধবৃত্তের")
  // is not read as that run.
  CHECK(f.check("অর্ধবৃত্তের").action == Action::allow);
  // Nor is a joined key shorter than ten letters a typo's ("candcor").
  const Filter g = filter_from(
      "! deter-list 1\n! name: t\n! language: hi\n! category: demo\n! action: prompt\n"
      "! views: +fuzzy\n"
      "\xE0\xA4\x9A\xE0\xA4\xBE\xE0\xA4\x81\xE0\xA4\xA6 \xE0\xA4\x9A\xE0\xA5\x8B\xE0\xA4\xB0\n");
  CHECK(first_id(g.check("#chaandchor")) == "t.list:7");
  CHECK(g.check("#chaandcjor").action == Action::allow);
}
