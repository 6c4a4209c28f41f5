// The adversarial 4 KB queries: one family per shape that costs the most per
// byte in some stage of check(), each a unit repeated to 4,096 bytes (cut at a
// character boundary). A unit is made from the words of one entry of the list
// set under test (its Target), so the costly shapes are the ones near what the
// list holds: look-alike letters, leet, typos and hashtags of its own words.
// Used by BM_WorstQuery (worst_queries_bench.cc) and written out as query
// files by `deter_bench --write-worst DIR`, for `deter check` and callgrind.
#ifndef DETER_BENCH_WORST_QUERIES_H_
#define DETER_BENCH_WORST_QUERIES_H_

#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace deter::bench {

// Two words of one Latin entry and two of one Devanagari entry of a list set,
// and, when known, a romanization of the Devanagari pair.
struct Target {
  std::string latin[2];
  std::string indic[2];
  std::string romanized;  // "" when the list set has none
};

struct WorstQuery {
  std::string family;
  std::string query;  // 4,096 bytes or just under
};

namespace worst_detail {

inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Each ASCII letter of `word` through `map` (0: the letter itself).
template <class Map>
std::string each_letter(const std::string& word, Map map) {
  std::string out;
  for (char ch : word) {
    const char32_t c = map(ch);
    if (c == 0) {
      out += ch;
    } else {
      append_utf8(out, c);
    }
  }
  return out;
}

// A letter's replacement in `from` -> `to` (same positions), or 0.
inline char32_t replace(char c, std::string_view from, std::u32string_view to) {
  const std::size_t at = from.find(c);
  return at == std::string_view::npos ? 0 : to[at];
}

// Cyrillic letters drawn like Latin ones (the confusables the homoglyph view folds).
inline char32_t cyrillic(char c) { return replace(c, "aceiopxy", U"асеіорху"); }

inline char32_t leet(char c) { return replace(c, "abegiost", U"48391057"); }

inline bool vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Units unit(0), unit(1), ... to 4,096 bytes, cut at a character boundary:
// a query of distinct words, which no per-query table of repeated words
// helps.
template <class Unit>
std::string fill_distinct(Unit unit) {
  std::string q;
  for (std::size_t i = 0; q.size() < 4096; ++i) q += unit(i);
  std::size_t cut = 4096;
  while (cut > 0 && (static_cast<unsigned char>(q[cut]) & 0xC0) == 0x80) --cut;
  q.resize(cut);
  return q;
}

// `unit` repeated to 4,096 bytes, cut at a character boundary.
inline std::string fill(const std::string& unit) {
  return fill_distinct([&](std::size_t) { return unit; });
}

// Three letters that tell unit i from the others, of letters no fold here
// changes (not in leet()'s or cyrillic()'s tables, not vowels).
inline std::string tag(std::size_t i) {
  constexpr std::string_view kLetters = "dfhjkmnqrvwz";
  std::string out;
  for (int k = 0; k < 3; ++k, i /= kLetters.size()) out += kLetters[i % kLetters.size()];
  return out;
}

}  // namespace worst_detail

// The families, in a fixed order. Each name says what the unit is.
inline std::vector<WorstQuery> worst_queries(const Target& t) {
  using namespace worst_detail;
  const std::string& a = t.latin[0];
  const std::string& b = t.latin[1];
  auto both = [&](auto&& f) { return f(a) + " " + f(b) + " "; };
  std::vector<std::pair<std::string, std::string>> units = {
      // The entry itself, as often as fits: every view finds it.
      {"matches", a + " " + b + " "},
      // Look-alike letters: Cyrillic, fullwidth and mathematical bold.
      {"lookalikes", both([](const std::string& w) { return each_letter(w, cyrillic); })},
      {"fullwidth", both([](const std::string& w) {
         return each_letter(w, [](char c) -> char32_t { return U'ａ' + (c - 'a'); });
       })},
      {"math-bold", both([](const std::string& w) {
         return each_letter(w, [](char c) -> char32_t { return U'𝐚' + (c - 'a'); });
       })},
      // Invisible characters between the letters.
      {"zero-width", both([](const std::string& w) {
         std::string out;
         for (char c : w) out += std::string(1, c) + "\u200b";
         return out;
       })},
      // A combining mark on every letter, and a letter with a stack of them.
      {"marks-each", both([](const std::string& w) {
         std::string out;
         for (char c : w) out += std::string(1, c) + "\u0303";
         return out;
       })},
      {"marks-stacked", "a\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301 "},
      // Leet: the words, one run of them without spaces, and digits alone.
      {"leet", both([](const std::string& w) { return each_letter(w, leet); })},
      {"leet-run", each_letter(a + b, leet)},
      {"digits", "8675309 1337 42 "},
      {"digit-run", "0123456789"},
      // Letters stretched, typos, and tokens near the entry's words (the fuzzy view).
      {"stretched", both([](const std::string& w) {
         std::string out;
         for (char c : w) out += vowel(c) ? std::string(3, c) : std::string(1, c);
         return out;
       })},
      {"typos", both([](const std::string& w) {
         std::string s = w;
         if (s.size() > 3) std::swap(s[s.size() / 2], s[s.size() / 2 + 1]);
         return s;
       })},
      {"near-long", both([](const std::string& w) { return "x" + w + "ness" + w.substr(1); })},
      {"joined", a + b + " "},
      {"one-token", a + b},
      // Hashtags of the entry (camel case), which the hashtag fold splits.
      {"hashtags", "#" + std::string(1, static_cast<char>(a[0] - 32)) + a.substr(1) +
                       std::string(1, static_cast<char>(b[0] - 32)) + b.substr(1) + " "},
      // One-letter and two-letter tokens: the spaced view's joins.
      {"spaced", both([](const std::string& w) {
         std::string out;
         for (char c : w) out += std::string(1, c) + " ";
         return out.substr(0, out.size() - 1);
       })},
      {"short-tokens", "q w e r t y u i o p a s d f g h j k l z x c v b n m "},
      {"pairs", "qw er ty ui op as df gh jk lz xc vb nm "},
      // Indic: the entry, a consonant with every sign stacked, conjuncts with
      // joiners, and the entry romanized.
      {"devanagari", t.indic[0] + " " + t.indic[1] + " "},
      {"indic-marks", "क़ि़ंँः़ "},
      {"conjuncts", "क्\u200dष्\u200cत्र्य "},
      {"bengali-marks", "ক্ষ্ম্যঁংঃ়ি "},
      // Ordinary words: the floor.
      {"words", "an ordinary question about rivers "},
  };
  if (!t.romanized.empty()) units.emplace_back("romanized", t.romanized + " ");
  std::vector<WorstQuery> out;
  for (auto& [name, unit] : units) out.push_back({name, fill(unit)});
  // The costliest folds again with every word distinct ("-distinct"): each
  // word of the entry with a tag of its own, then folded, so that every
  // token is folded and looked up afresh.
  auto distinct = [&](const std::string& name, auto&& f) {
    out.push_back({name + "-distinct", fill_distinct([&](std::size_t i) {
                     return f(a + tag(i)) + " " + f(b + tag(i)) + " ";
                   })});
  };
  distinct("leet", [](const std::string& w) { return each_letter(w, leet); });
  distinct("lookalikes", [](const std::string& w) { return each_letter(w, cyrillic); });
  distinct("stretched", [](const std::string& w) {
    std::string out;
    for (char c : w) out += vowel(c) ? std::string(3, c) : std::string(1, c);
    return out;
  });
  distinct("marks-each", [](const std::string& w) {
    std::string out;
    for (char c : w) out += std::string(1, c) + "\u0303";
    return out;
  });
  // Words of sixteen letters with an h after every other letter that
  // begins no digraph: each such h is a place a typo may have changed a
  // digraph's first letter (FuzzyIndex::digraph_undone), each word met
  // afresh.
  out.push_back({"digraphs-distinct",
                 fill_distinct([](std::size_t i) { return "lhmhnhrh" + tag(i) + "yhwhz "; })});
  return out;
}

// The demo lists' targets.
inline Target demo_target() {
  return {{"forbidden", "orchard"}, {"वर्जित", "बगीचा"}, "varjit bagicha"};
}

// The first entry of two lowercase ASCII words and the first of two words in
// Devanagari (U+0900-U+097F, three bytes a character) of a generated list.
inline Target generated_target(const std::string& list) {
  Target t;
  std::istringstream in(list);
  for (std::string line; std::getline(in, line);) {
    const std::size_t space = line.find(' ');
    if (line.empty() || line[0] == '!' || space == std::string::npos ||
        line.find(' ', space + 1) != std::string::npos)
      continue;
    const std::string w[2] = {line.substr(0, space), line.substr(space + 1)};
    auto ascii = [](const std::string& s) {
      if (s.size() < 4) return false;
      for (char c : s)
        if (c < 'a' || c > 'z') return false;
      return true;
    };
    auto devanagari = [](const std::string& s) {
      if (s.empty() || s.size() % 3 != 0) return false;
      for (std::size_t i = 0; i < s.size(); i += 3)
        if (static_cast<unsigned char>(s[i]) != 0xE0 ||
            (static_cast<unsigned char>(s[i + 1]) != 0xA4 &&
             static_cast<unsigned char>(s[i + 1]) != 0xA5))
          return false;
      return true;
    };
    if (t.latin[0].empty() && ascii(w[0]) && ascii(w[1])) {
      t.latin[0] = w[0];
      t.latin[1] = w[1];
    }
    if (t.indic[0].empty() && devanagari(w[0]) && devanagari(w[1])) {
      t.indic[0] = w[0];
      t.indic[1] = w[1];
    }
    if (!t.latin[0].empty() && !t.indic[0].empty()) break;
  }
  return t;
}

}  // namespace deter::bench

#endif  // DETER_BENCH_WORST_QUERIES_H_
