// Romanization as people type it (text/phonetic.h): an entry in Devanagari,
// Bengali or Kannada script is matched by the spellings of its words that
// the common romanizations give (ISO 15919 and Hunterian without marks,
// ITRANS lowercased, chat), and each fold or reading is held to the near
// misses that decided it: distinct words stay distinct.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "test_util.h"
#include "text/normalize.h"
#include "text/phonetic.h"

using namespace deter;
using deter::testing::filter_from;
using deter::testing::header;

namespace {

std::string key(std::string_view token) {
  std::string out;
  if (!text::phonetic_key(token, out)) return "(none)";
  return out;
}

// Native-script entries (the phonetic view applies to them whatever the
// list's language), one per line from line 6.
const char* const kEntries =
    "গোপন লণ্ঠন\n"        // 6: Bengali inherent vowel
    "চাঁদ চোর\n"          // 7: Bengali chandrabindu
    "রুপোলি সিঁড়ি\n"      // 8: Bengali chandrabindu and flap
    "चाँदी की सीढ़ी\n"      // 9: Hindi chandrabindu and flap
    "ಕೃಷಿ ತೋಟ\n"          // 10: Kannada vocalic r
    "রহস্য প্রদীপ\n"       // 11: Bengali ya-phala
    "বাংলা মানচিত্র\n"     // 12: Bengali anusvara (not a chandrabindu)
    "बंद दरवाज़ा\n"        // 13: Hindi anusvara
    "डर घर\n"             // 14: Hindi ड with no nukta
    "নিষিদ্ধ বাগান*\n"     // 15: Bengali prefix
    "पहाड़ी रास्त*\n"       // 16: Hindi prefix with a flap
    "তৈল প্রদীপ\n"         // 17: Bengali ai
    "कहीं नहीं\n"          // 18: Hindi final nasal vowels
    "অচল প্রদীপ\n"         // 19: Bengali অ
    "कैसे बगीचे\n";         // 20: Hindi final e

const Filter& romanized_filter() {
  static const Filter f = filter_from(header() + kEntries);
  return f;
}

std::string ids(const std::string& query) {
  std::string out;
  for (const Match& m : romanized_filter().check(query).matches) {
    if (!out.empty()) out += ' ';
    out += std::string(m.entry_id);
  }
  return out;
}

}  // namespace

TEST_CASE("romanized spellings people type reach native-script entries", "[phonetic][romanized]") {
  struct Row {
    const char* query;
    const char* entry;  // "" for none
    const char* why;
  };
  auto row = GENERATE(values<Row>({
      // Bengali's inherent vowel typed o or a, word by word.
      {"gopon lonthon", "t.list:6", "inherent o"},
      {"gopan lanthan", "t.list:6", "inherent a (Hunterian, Hindi-style)"},
      {"gopan lonthon", "t.list:6", "one word each way"},
      {"gopon lanthan", "t.list:6", "one word each way"},
      {"gapon lonthon", "", "a written ো is o, never a"},
      // Chandrabindu typed n or nothing.
      {"chand chor", "t.list:7", "chandrabindu as n"},
      {"chad chor", "t.list:7", "chandrabindu dropped"},
      {"chandi chor", "", "chandi is another word"},
      {"rupoli sinri", "t.list:8", "chandrabindu n, flap r"},
      {"rupoli siri", "t.list:8", "chandrabindu dropped, flap r"},
      {"rupoli sindi", "t.list:8", "flap typed d"},
      {"rupoli sidi", "t.list:8", "both"},
      {"chandi ki sidhi", "t.list:9", "ढ़ as the base form reads it, dh"},
      {"chaandee kee seerhee", "t.list:9", "ढ़ typed rh"},
      {"chadi ki sirhi", "t.list:9", "chandrabindu dropped"},
      {"chand ki sidhi", "", "chand is not chandi"},
      // Kannada vocalic r typed ri or ru.
      {"krishi tota", "t.list:10", "ri"},
      {"krushi thota", "t.list:10", "ru, as Kannada is typed"},
      {"kroshi tota", "", "ro is not a reading of ೃ"},
      // Bengali ya-phala is y.
      {"rohosyo prodip", "t.list:11", "ya-phala y"},
      {"rahasya pradeep", "t.list:11", "ya-phala y, inherent a"},
      // An anusvara is a consonant's nasal, never dropped; ड is d.
      {"bangla manchitro", "t.list:12", "anusvara ng"},
      {"bala manchitro", "", "বালা is another word: only a chandrabindu may go"},
      {"band darwaza", "t.list:13", "anusvara n"},
      {"bad darwaza", "", "बड़ is another word"},
      {"dar ghar", "t.list:14", "ड is d"},
      {"rar ghar", "", "only a ड़ written with its nukta is also r"},
      // Prefix entries: the other readings of a stem are stems too.
      {"nishiddho baganer", "t.list:15", "inherent o"},
      {"nishiddha baganer", "t.list:15", "inherent a"},
      {"pahari raste", "t.list:16", "flap r"},
      {"pahadi rasta", "t.list:16", "flap d"},
      {"pahari rasoi", "", "a stem still has to begin the word"},
      // Bengali ঐ typed ai or oi.
      {"tel prodip", "t.list:17", "ai folds to e"},
      {"toil prodip", "t.list:17", "oi, as Bengali is typed"},
      {"tul prodip", "", "u is not a reading of ৈ"},
      // A Hindi final nasal vowel typed with n or without.
      {"kahin nahin", "t.list:18", "nasal as n"},
      {"kahi nahi", "t.list:18", "nasal dropped"},
      {"kahee nahin", "t.list:18", "one each way"},
      {"kaho nahi", "", "o is not i"},
      // অ, the inherent vowel alone, read with the inherent vowel.
      {"ochol prodip", "t.list:19", "o"},
      {"achal pradip", "t.list:19", "a"},
      {"uchol prodip", "", "u is not a reading of অ"},
      // A Hindi final e typed e or, as in Roman Urdu, ay.
      {"kaise bagiche", "t.list:20", "e"},
      {"kaisay bageechay", "t.list:20", "ay"},
      {"kaisa bagicha", "", "a final a is another ending"},
  }));
  CAPTURE(row.query, row.why);
  CHECK(ids(row.query) == row.entry);
}

TEST_CASE("folds rejected for romanization: their near misses keep distinct keys",
          "[phonetic][romanized]") {
  // Each pair is two real words that a tempting fold would merge; the
  // fold was rejected (HACKING.md, "Romanization").
  const char* pairs[][3] = {
      {"ghuri", "ghori", "u and o stay apart (oo is u)"},
      {"chand", "chandi", "a final i stays"},
      {"raton", "ratan", "a and o after the first syllable (रातों, रतन)"},
      {"bol", "bal", "a and o (बोल, बल)"},
      {"gaay", "gai", "ay as ai (गाय, गई)"},
      {"band", "bad", "n before a consonant dropped (बंद, बड़)"},
      {"par", "pad", "r and d (पर, पद)"},
      {"mane", "mana", "Kannada final e and a (ಮನೆ, ಮನ)"},
      {"kelu", "kela", "Kannada final u and a"},
      {"sidi", "sudi", "i and u"},
  };
  for (const auto& p : pairs) {
    CAPTURE(p[0], p[1], p[2]);
    CHECK(key(p[0]) != key(p[1]));
  }
}

TEST_CASE("phonetic_spellings: readings of an entry's words, bounded", "[phonetic][romanized]") {
  using text::phonetic_spellings;
  // No word with a second reading: nothing.
  CHECK(phonetic_spellings("वर्जित बगीचा", 16).empty());
  CHECK(phonetic_spellings("forbidden orchard", 16).empty());
  // The own reading first, then the others; every combination.
  const std::vector<std::string> two = phonetic_spellings("গোপন লণ্ঠন", 16);
  CHECK(two == std::vector<std::string>{"gopon lonthon", "gopon lanthan", "gopan lonthon",
                                        "gopan lanthan"});
  // Past the bound, each reading applied to every word alike.
  const std::vector<std::string> many = phonetic_spellings("গোপন গোপন গোপন গোপন গোপন", 16);
  CHECK(many == std::vector<std::string>{"gopon gopon gopon gopon gopon",
                                         "gopan gopan gopan gopan gopan"});
  CHECK(phonetic_spellings("গোপন লণ্ঠন", 2).size() == 2);
  // A token with no key keeps its base form.
  CHECK(phonetic_spellings("গোপন 42", 16) == std::vector<std::string>{"gopon 42", "gopan 42"});
}

TEST_CASE("phonetic_spellings on random words: bounded, own reading first",
          "[phonetic][romanized][property]") {
  // Random words of each script's letters and signs (chandrabindu, nukta,
  // virama, anusvara, ...): at most `max` texts, and the first one keys as
  // the word does.
  const char32_t blocks[] = {0x0900, 0x0980, 0x0C80};
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int n = 0; n < 3000; ++n) {
    const char32_t block = blocks[next() % 3];
    std::string word;
    const std::size_t len = 1 + next() % 8;
    for (std::size_t i = 0; i < len; ++i) {
      const char32_t cp = block + 0x01 + static_cast<char32_t>(next() % 0x62);
      word += static_cast<char>(0xE0 | (cp >> 12));
      word += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      word += static_cast<char>(0x80 | (cp & 0x3F));
    }
    const std::string text = word + " " + word;
    const std::vector<std::string> got = text::phonetic_spellings(text, 16);
    CAPTURE(word);
    REQUIRE(got.size() <= 16);
    if (got.empty()) continue;
    const std::string base = text::normalize_base(text);
    const std::string own = text::normalize_base(got.front());
    std::string key_base, key_own;
    for (const std::string* s : {&base, &own}) {
      std::string& k = s == &base ? key_base : key_own;
      for (std::size_t b = 1; b < s->size();) {
        const std::size_t e = s->find(' ', b);
        if (e == std::string::npos) break;
        if (e > b) {
          const std::string_view token(s->data() + b, e - b);
          if (!text::phonetic_key(token, k)) k.append(token);
          k += ' ';
        }
        b = e + 1;
      }
    }
    CHECK(key_own == key_base);
  }
}
