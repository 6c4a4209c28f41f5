// The variants `deter probe` generates (src/cli/probe_variants.cc): the
// romanizer spells the demo words as people type them, every family yields
// variants, and no variant repeats or equals the entry's own text.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "cli/probe_variants.h"

using deter::cli::probe::families;
using deter::cli::probe::romanizations;
using deter::cli::probe::Script;
using deter::cli::probe::script_of;
using deter::cli::probe::variants_of;

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::set<std::string> families_of(const std::string& clean, const std::string& language) {
  std::set<std::string> out;
  for (const auto& v : variants_of(clean, language)) out.insert(std::string(v.family));
  return out;
}

}  // namespace

TEST_CASE("probe: the script of an entry's text", "[probe]") {
  CHECK(script_of("forbidden orchard") == Script::latin);
  CHECK(script_of("वर्जित बगीचा") == Script::devanagari);
  CHECK(script_of("গোপন লণ্ঠন") == Script::bengali);
  CHECK(script_of("ಚಂದ್ರ ಕಳ್ಳ") == Script::kannada);
  CHECK(script_of("455 !!") == Script::other);
}

TEST_CASE("probe: romanization as people type it", "[probe]") {
  // Each row: native text, and spellings the romanizer must produce.
  struct Row {
    std::string native;
    std::vector<std::string> spellings;
  };
  const Row rows[] = {
      // Final schwa dropped; long vowels doubled or not.
      {"वर्जित बगीचा", {"varjit bageechaa", "varjit bageecha", "varjit bagicha", "warjit bageecha"}},
      // Medial schwa dropped between a vowel and a consonant with a vowel.
      {"लालटेन", {"laalten", "lalten"}},
      // Candrabindu as n; nukta consonants as z and r, or as j and d.
      {"चाँद", {"chaand", "chand"}},
      {"बाज़ार", {"baazaar", "bazar", "bajar"}},
      {"सीढ़ी", {"seerhee", "sidhi"}},
      // Bengali: inherent vowel as o or a; ya-phala as y; kept after a cluster.
      {"গোপন লণ্ঠন", {"gopon lonthon", "gopan lanthan"}},
      {"রহস্য", {"rohosyo", "rahasya"}},
      {"মানচিত্র", {"maanchitro", "manchitro"}},
      {"ছায়া", {"chhaayaa", "chhaya"}},
      // Kannada keeps its final vowels; anusvara before a dental is n.
      {"ಚಂದ್ರ ಕಳ್ಳ", {"chandra kalla"}},
      // Kannada's long e and o are typed e and o (Baraha and ITRANS write
      // E and O, lowercased); "ee" and "oo" would be ಈ and ಊ.
      {"ತೋಟ", {"tota", "thota"}},
      {"ಏಣಿ", {"eni"}},
      // Vocalic r as ri or, in Kannada, ru; ITRANS ii and uu; chandrabindu
      // typed or not.
      {"ಕೃಷಿ", {"krishi", "krushi"}},
      {"बगीचा", {"bagiichaa", "bageecha"}},
      {"चाँदी", {"chandi", "chadee"}},
      {"कैसे", {"kaise", "kaisay"}},
      // Bengali: one word in each style.
      {"গোপন লণ্ঠন", {"gopan lonthon", "gopon lanthan"}},
  };
  for (const char* never : {"toota", "eeni"}) {
    for (const char* native : {"ತೋಟ", "ಏಣಿ"}) {
      INFO(native << " never -> " << never);
      CHECK_FALSE(contains(romanizations(native), never));
    }
  }
  for (const Row& row : rows) {
    const std::vector<std::string> got = romanizations(row.native);
    for (const std::string& s : row.spellings) {
      INFO(row.native << " -> " << s);
      CHECK(contains(got, s));
    }
    // No duplicates.
    CHECK(std::set<std::string>(got.begin(), got.end()).size() == got.size());
  }
  CHECK(romanizations("forbidden orchard").empty());
}

TEST_CASE("probe: every family has variants of a two-word Latin entry", "[probe]") {
  const std::set<std::string> got = families_of("varjit bagicha", "hi");
  for (std::string_view f : families()) {
    INFO(f);
    if (f == "clitics") continue;  // Indonesian only
    CHECK(got.count(std::string(f)) == 1);
  }
  // English has no romanized family, and only Indonesian has clitics.
  CHECK(families_of("forbidden orchard", "en").count("romanized") == 0);
  CHECK(families_of("forbidden orchard", "en").count("clitics") == 0);
  CHECK(families_of("pencuri rembulan", "id").count("clitics") == 1);
}

TEST_CASE("probe: native entries get spacing, joined, hashtag, romanized, composed", "[probe]") {
  for (const char* native : {"वर्जित बगीचा", "গোপন লণ্ঠন", "ಚಂದ್ರ ಕಳ್ಳ"}) {
    INFO(native);
    const std::set<std::string> got = families_of(native, "hi");
    for (const char* f : {"invisible", "spacing", "split", "joined", "hashtag", "romanized",
                          "composed", "typos"}) {
      INFO(f);
      CHECK(got.count(f) == 1);
    }
    // Latin-letter families do not apply to native text itself.
    CHECK(got.count("width") == 0);
  }
}

TEST_CASE("probe: variants are distinct and never the entry's own text", "[probe]") {
  for (const char* clean :
       {"forbidden orchard", "varjit bagicha", "वर्जित बगीचा", "গোপন লণ্ঠন", "ಚಂದ್ರ ಕಳ್ಳ"}) {
    std::set<std::string> texts;
    for (const auto& v : variants_of(clean, "hi")) {
      CHECK(v.text != std::string(clean));
      CHECK(texts.insert(v.text).second);
    }
  }
}

TEST_CASE("probe: the issue's composed and typo shapes are generated", "[probe]") {
  auto texts = [](const std::string& clean, const std::string& lang) {
    std::vector<std::string> out;
    for (const auto& v : variants_of(clean, lang)) out.push_back(v.text);
    return out;
  };
  const auto hi = texts("varjit bagicha", "hi");
  CHECK(contains(hi, "v4rjit b4gicha"));      // leet, one letter a word
  CHECK(contains(hi, "varjeet bagicha"));     // romanized spelling variety
  CHECK(contains(hi, "v4rjeet b4gicha"));     // both at once
  const auto en = texts("forbidden orchard", "en");
  CHECK(contains(en, "#forbiddenorchard"));
  CHECK(contains(en, "ꜰᴏʀʙɪᴅᴅᴇɴ ᴏʀᴄʜᴀʀᴅ"));     // Latin small capitals
  CHECK(contains(en, "forbidden orcahrd"));   // two letters swapped
  CHECK(contains(en, "forbdden orchard"));    // a letter deleted
  const auto id = texts("kebun terlarang", "id");
  CHECK(contains(id, "kebun2 terlarang"));  // chat Indonesian's reduplication
}

TEST_CASE("probe: a variant names the views it needs", "[probe]") {
  // deter probe leaves a variant out of recall when its entry switched off
  // one of these views; every family but those the base form reads needs
  // at least one, and a composition names one per part.
  const std::set<std::string> known = {"base",    "leet",      "squeeze",  "spaced",
                                       "joined",  "homoglyph", "phonetic", "fuzzy"};
  for (const auto& [clean, language] : std::vector<std::pair<const char*, const char*>>{
           {"forbidden orchard", "en"}, {"varjit bagicha", "hi"}, {"গোপন লণ্ঠন", "bn"}}) {
    INFO(clean);
    for (const auto& v : variants_of(clean, language)) {
      INFO(v.family << " " << v.text);
      for (std::string_view n : v.needs) CHECK(known.count(std::string(n)) == 1);
      const std::string_view f = v.family;
      const bool base_only = f == "case" || f == "width" || f == "accents" || f == "invisible";
      if (base_only) CHECK(v.needs.empty());
      if (f == "leet" || f == "symbols") CHECK(v.needs == std::vector<std::string_view>{"leet"});
      if (f == "romanized") CHECK(v.needs == std::vector<std::string_view>{"phonetic"});
      if (f == "composed") CHECK(!v.needs.empty());
      if (f == "composed" && std::string_view(language) == "bn") {  // native: romanized first
        CHECK(std::find(v.needs.begin(), v.needs.end(), "phonetic") != v.needs.end());
      }
    }
  }
}

TEST_CASE("probe: typos in the native script, a code point dropped or typed late", "[probe]") {
  auto typos_of = [](const std::string& clean, const std::string& language) {
    std::vector<std::string> out;
    for (const auto& v : variants_of(clean, language)) {
      if (v.family != "typos") continue;
      out.emplace_back(v.text);
      CHECK(v.needs.back() == "fuzzy");
    }
    return out;
  };
  // वर्जित is six code points (व र ् ज ि त): the one in the middle dropped,
  // or typed after its neighbour (the vowel sign before its consonant).
  const std::vector<std::string> hi = typos_of("वर्जित बगीचा", "hi");
  CHECK(contains(hi, "वर्ित बगीचा"));
  CHECK(contains(hi, "वर्िजत बगीचा"));
  // बगीचा is five: too short for the fuzzy view, so no typo of it.
  CHECK_FALSE(contains(hi, "वर्जित बगचा"));
  CHECK(contains(typos_of("ರಹಸ್ಯ ಲಾಟೀನು", "kn"), "ರಹಸ್ಯ ಲಾಟನು"));
  CHECK(contains(typos_of("নিষিদ্ধ বাগান", "bn"), "নিষদ্ধ বাগান"));
}

TEST_CASE("probe: a typo composed with leet, look-alikes, repeats and spacing", "[probe]") {
  std::vector<std::string> texts;
  for (const auto& v : variants_of("forbidden orchard", "en")) {
    if (v.family != "typos") continue;
    texts.emplace_back(v.text);
    CHECK(v.needs.back() == "fuzzy");
  }
  CHECK(contains(texts, "f0rbdden 0rchard"));
  CHECK(contains(texts, "f\xD0\xBErbdden \xD0\xBErchard"));
  CHECK(contains(texts, "fooorbdden ooorchard"));
  CHECK(contains(texts, "f o r b d d e n orchard"));
}

TEST_CASE("probe: split breaks the longest word at its middle, between aksharas", "[probe]") {
  struct Row {
    const char* clean;
    std::vector<std::string> split;
  };
  auto row = GENERATE(values<Row>({
      {"forbidden orchard", {"forb idden orchard", "forb.idden orchard", "forb-idden orchard"}},
      {"moonthief", {"moon thief", "moon.thief", "moon-thief"}},
      {"वर्जित बगीचा", {"व र्जित बगीचा", "व.र्जित बगीचा", "व-र्जित बगीचा"}},
      {"ನೆರಳು ಸಂತೆ", {"ನೆ ರಳು ಸಂತೆ", "ನೆ.ರಳು ಸಂತೆ", "ನೆ-ರಳು ಸಂತೆ"}},
      {"গোপন লণ্ঠন", {"গো পন লণ্ঠন", "গো.পন লণ্ঠন", "গো-পন লণ্ঠন"}},
  }));
  CAPTURE(row.clean);
  std::vector<std::string> got;
  for (const auto& v : variants_of(row.clean, "hi")) {
    if (v.family == "split") got.push_back(v.text);
  }
  CHECK(got == row.split);
}
