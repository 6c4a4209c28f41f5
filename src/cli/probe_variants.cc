// Variant generation for `deter probe` (see probe_variants.h).
#include "cli/probe_variants.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace deter::cli::probe {
namespace {

using Text = std::u32string;

Text decode(std::string_view s) {
  Text out;
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(s.size());
  for (std::int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

std::string encode(const Text& t) {
  std::string out;
  for (char32_t c : t) {
    std::uint8_t buf[4];
    std::int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(c));
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
  }
  return out;
}

bool is_mark(char32_t c) {
  const auto gc = u_charType(static_cast<UChar32>(c));
  return gc == U_NON_SPACING_MARK || gc == U_COMBINING_SPACING_MARK;
}

bool is_ascii_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::vector<Text> split_words(const Text& t) {
  std::vector<Text> words;
  Text cur;
  for (char32_t c : t) {
    if (c == U' ') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

Text join(const std::vector<Text>& words, std::u32string_view sep) {
  Text out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += sep;
    out += words[i];
  }
  return out;
}

// A word's characters with their marks: "व र्जि त" for वर्जित (a virama
// keeps the next consonant, so a conjunct stays one unit).
std::vector<Text> units(const Text& word) {
  std::vector<Text> out;
  bool glue = false;  // the previous code point was a virama
  for (char32_t c : word) {
    if (out.empty() || (!is_mark(c) && !glue)) {
      out.push_back(Text(1, c));
    } else {
      out.back().push_back(c);
    }
    glue = c == 0x094D || c == 0x09CD || c == 0x0CCD;
  }
  return out;
}

// Replaces letters through `map` (a table of ASCII letter -> code point),
// every mapped letter (all = true) or the first mapped one of each word.
using LetterMap = std::array<char32_t, 26>;

Text map_letters(const Text& t, const LetterMap& map, bool all) {
  Text out = t;
  bool done_in_word = false;
  for (char32_t& c : out) {
    if (c == U' ') {
      done_in_word = false;
      continue;
    }
    if (!(c >= 'a' && c <= 'z') || map[c - 'a'] == 0) continue;
    if (!all && done_in_word) continue;
    c = map[c - 'a'];
    done_in_word = true;
  }
  return out;
}

constexpr LetterMap make_map(std::initializer_list<std::pair<char, char32_t>> pairs) {
  LetterMap m{};
  for (const auto& [from, to] : pairs) m[static_cast<std::size_t>(from - 'a')] = to;
  return m;
}

constexpr LetterMap kLeet = make_map({{'a', '4'}, {'e', '3'}, {'i', '1'}, {'o', '0'}, {'s', '5'},
                                      {'t', '7'}});
constexpr LetterMap kSymbols = make_map({{'a', '@'}, {'i', '!'}, {'l', '|'}, {'s', '$'}});
// Cyrillic, and Greek omicron for o where Cyrillic has one too: one table.
constexpr LetterMap kLookalikes =
    make_map({{'a', 0x0430}, {'c', 0x0441}, {'e', 0x0435}, {'i', 0x0456}, {'j', 0x0458},
              {'o', 0x043E}, {'p', 0x0440}, {'s', 0x0455}, {'x', 0x0445}, {'y', 0x0443}});
// Latin small capitals (UTS #39 confusables of the Latin letters; NFKC
// leaves them alone).
constexpr LetterMap kSmallCaps = make_map(
    {{'a', 0x1D00}, {'b', 0x0299}, {'c', 0x1D04}, {'d', 0x1D05}, {'e', 0x1D07}, {'f', 0xA730},
     {'g', 0x0262}, {'h', 0x029C}, {'i', 0x026A}, {'j', 0x1D0A}, {'k', 0x1D0B}, {'l', 0x029F},
     {'m', 0x1D0D}, {'n', 0x0274}, {'o', 0x1D0F}, {'p', 0x1D18}, {'r', 0x0280}, {'s', 0xA731},
     {'t', 0x1D1B}, {'u', 0x1D1C}, {'v', 0x1D20}, {'w', 0x1D21}, {'y', 0x028F}, {'z', 0x1D22}});
// Latin letters with hooks and tails, and a "fancy text" alphabet of Lisu
// consonants and Cherokee and Canadian syllabics vowels: look-alikes that
// confusables.txt (UTS #39) lists for the Latin letters, as text generators
// for social media spell whole words with them. (ʋ, v with a hook, is
// listed as a look-alike of u, and no hooked v is listed: v keeps its form.)
constexpr LetterMap kHooked = make_map(
    {{'a', 0x0251}, {'b', 0x0253}, {'c', 0x0188}, {'d', 0x0257}, {'e', 0x0247}, {'g', 0x0260},
     {'h', 0x0266}, {'i', 0x0268}, {'j', 0x029D}, {'k', 0x0199}, {'l', 0x026D}, {'n', 0x0272},
     {'o', 0x0275}, {'p', 0x01A5}, {'q', 0x02A0}, {'r', 0x027D}, {'s', 0x0282}, {'t', 0x01AD},
     {'u', 0x0289}, {'w', 0x026F}, {'y', 0x01B4}, {'z', 0x0290}});
constexpr LetterMap kFancy =
    make_map({{'a', 0x13AA}, {'b', 0xA4D0}, {'c', 0xA4DA}, {'d', 0xA4D3}, {'e', 0x13AC},
              {'f', 0xA4DD}, {'g', 0xA4D6}, {'h', 0xA4E7}, {'i', 0x13A5}, {'j', 0xA4D9},
              {'k', 0xA4D7}, {'l', 0xA4E1}, {'m', 0xA4DF}, {'n', 0xA4E0}, {'o', 0x13BE},
              {'p', 0xA4D1}, {'r', 0xA4E3}, {'s', 0xA4E2}, {'t', 0xA4D4}, {'u', 0x144C},
              {'v', 0xA4E6}, {'w', 0xA4EA}, {'x', 0xA4EB}, {'y', 0xA4EC}, {'z', 0xA4DC}});
// '1' and '|' for both i and l, so that one query reads them both ways
// ("h1dden 1antern gu1ld").
constexpr LetterMap kOneForIL = make_map({{'i', '1'}, {'l', '1'}});
constexpr LetterMap kBarForIL = make_map({{'i', '|'}, {'l', '|'}});
constexpr LetterMap kAcute = make_map({{'a', 0x00E1}, {'e', 0x00E9}, {'i', 0x00ED}, {'o', 0x00F3},
                                       {'u', 0x00FA}});

// Every ASCII letter as an enclosed letter that NFKC leaves alone, from
// `first` (the A of negative circled U+1F150, negative squared U+1F170, or
// the regional indicators U+1F1E6).
Text enclose(const Text& t, char32_t first) {
  Text out = t;
  for (char32_t& c : out) {
    if (c >= 'a' && c <= 'z') c = first + (c - 'a');
  }
  return out;
}

bool is_vowel(char32_t c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

Text upper(const Text& t) {
  Text out = t;
  for (char32_t& c : out)
    if (c >= 'a' && c <= 'z') c -= 32;
  return out;
}

Text title(const Text& t) {
  Text out = t;
  bool start = true;
  for (char32_t& c : out) {
    if (start && c >= 'a' && c <= 'z') c -= 32;
    start = c == U' ';
  }
  return out;
}

Text alternating(const Text& t) {
  Text out = t;
  bool up = false;
  for (char32_t& c : out) {
    if (!(c >= 'a' && c <= 'z')) continue;
    if (up) c -= 32;
    up = !up;
  }
  return out;
}

Text fullwidth(const Text& t) {
  Text out = t;
  for (char32_t& c : out)
    if (c > 0x20 && c < 0x7F) c += 0xFEE0;
  return out;
}

// Inserts `c` in the middle of every word of two or more units.
Text insert_mid(const Text& t, char32_t c) {
  std::vector<Text> words = split_words(t);
  for (Text& w : words) {
    std::vector<Text> u = units(w);
    if (u.size() < 2) continue;
    Text out;
    for (std::size_t i = 0; i < u.size(); ++i) {
      if (i == u.size() / 2) out.push_back(c);
      out += u[i];
    }
    w = std::move(out);
  }
  return join(words, U" ");
}

// Every word's units separated by `sep`, words by `word_sep`.
Text spread(const Text& t, std::u32string_view sep, std::u32string_view word_sep) {
  std::vector<Text> words = split_words(t);
  for (Text& w : words) w = join(units(w), sep);
  return join(words, word_sep);
}

// Repeats the first vowel of each word (or its last letter) `times` more times.
Text stretch(const Text& t, bool last_letter, int times) {
  std::vector<Text> words = split_words(t);
  for (Text& w : words) {
    std::size_t at = Text::npos;
    if (last_letter) {
      if (!w.empty() && is_ascii_letter(w.back())) at = w.size() - 1;
    } else {
      for (std::size_t i = 0; i < w.size(); ++i) {
        if (is_vowel(w[i])) {
          at = i;
          break;
        }
      }
    }
    if (at != Text::npos) w.insert(at, static_cast<std::size_t>(times), w[at]);
  }
  return join(words, U" ");
}

// Chat Indonesian's reduplication with a 2 ("kebun2" for "kebun-kebun"),
// on the first word of three or more ASCII letters.
Text reduplicate_with_2(const Text& t) {
  std::vector<Text> words = split_words(t);
  for (Text& w : words) {
    if (w.size() >= 3 && std::all_of(w.begin(), w.end(), is_ascii_letter)) {
      w.push_back(U'2');
      return join(words, U" ");
    }
  }
  return {};
}

// The entry with its longest word broken in two at its middle by `sep`,
// between characters (aksharas: never between a consonant and its vowel
// sign or virama): "forbi dden orchard", "वर्जि.त बगीचा". Empty for an
// entry whose words are a character each.
Text split_longest(const Text& t, std::u32string_view sep) {
  std::vector<Text> words = split_words(t);
  std::size_t longest = 0;
  std::size_t most = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::size_t n = units(words[i]).size();
    if (n > most) {
      most = n;
      longest = i;
    }
  }
  if (most < 2) return Text();
  const std::vector<Text> u = units(words[longest]);
  Text broken;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (i == u.size() / 2) broken += sep;
    broken += u[i];
  }
  words[longest] = broken;
  return join(words, U" ");
}

Text camel(const Text& t) {
  std::vector<Text> words = split_words(title(t));
  return join(words, U"");
}

// --- Typos: one edit in the middle of a long word ---------------------------

constexpr std::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};

char32_t neighbour(char32_t c) {
  for (std::string_view row : kRows) {
    std::size_t i = row.find(static_cast<char>(c));
    if (i == std::string_view::npos) continue;
    return static_cast<char32_t>(i + 1 < row.size() ? row[i + 1] : row[i - 1]);
  }
  return c;
}

std::vector<Text> typos(const Text& t) {
  std::vector<Text> out;
  std::vector<Text> words = split_words(t);
  for (std::size_t wi = 0; wi < words.size(); ++wi) {
    const Text& w = words[wi];
    if (w.size() < 6 || !std::all_of(w.begin(), w.end(), is_ascii_letter)) continue;
    const std::size_t m = w.size() / 2;
    Text del = w, ins = w, sub = w, swap = w;
    del.erase(m, 1);
    ins.insert(m, 1, neighbour(w[m]));
    sub[m] = neighbour(w[m]);
    std::swap(swap[m], swap[m + 1]);
    for (Text* edited : {&del, &ins, &sub, &swap}) {
      if (*edited == w) continue;
      std::vector<Text> copy = words;
      copy[wi] = *edited;
      out.push_back(join(copy, U" "));
    }
  }
  return out;
}

// Typos in Devanagari, Bengali or Kannada as typed on a phonetic or InScript
// keyboard, where a code point is a keystroke: the one in the middle of a
// word of six or more dropped (a vowel sign, a virama, a consonant), or
// typed after its neighbour (a vowel sign before its consonant).
std::vector<Text> native_typos(const Text& t) {
  std::vector<Text> out;
  std::vector<Text> words = split_words(t);
  for (std::size_t wi = 0; wi < words.size(); ++wi) {
    const Text& w = words[wi];
    if (w.size() < 6 || std::any_of(w.begin(), w.end(), [](char32_t c) { return c < 0x0900; }))
      continue;
    const std::size_t m = w.size() / 2;
    Text del = w, swap = w;
    del.erase(m, 1);
    std::swap(swap[m], swap[m + 1]);
    for (Text* edited : {&del, &swap}) {
      if (*edited == w) continue;
      std::vector<Text> copy = words;
      copy[wi] = *edited;
      out.push_back(join(copy, U" "));
    }
  }
  return out;
}

// --- Spelling variety of romanized Hindi, Bengali and Kannada ---------------

// One rewrite at the first place it applies, per rule: the ways the same
// word is spelled in chat (vowel length, w/v, aspirates, a/o).
std::vector<Text> spellings(const Text& t) {
  static const std::pair<std::u32string_view, std::u32string_view> kRules[] = {
      {U"ee", U"i"}, {U"i", U"ee"}, {U"oo", U"u"}, {U"u", U"oo"}, {U"aa", U"a"},
      {U"v", U"w"},  {U"w", U"v"},  {U"ph", U"f"}, {U"f", U"ph"}, {U"sh", U"s"},
      {U"chh", U"ch"}, {U"z", U"j"}, {U"q", U"k"}, {U"th", U"t"}, {U"dh", U"d"},
      {U"kh", U"k"}, {U"bh", U"b"}, {U"gh", U"g"},
      // ऐ with its letters in the other order, as Hinglish often has it.
      {U"ai", U"ei"},
      // Bengali's inherent vowel typed as a or o ("gopan", "gopon") is a
      // style of the romanizer (romanizations), which knows which vowel is
      // inherent: a rewrite here would also turn a written ো into "a"
      // ("chor" to "char").
  };
  std::vector<Text> out;
  for (const auto& [from, to] : kRules) {
    std::size_t at = t.find(from);
    // "i" inside "ai", "oi" or "ei" is a diphthong, not a short i.
    while (at != Text::npos && from == U"i" && at > 0 && is_vowel(t[at - 1]))
      at = t.find(from, at + 1);
    if (at == Text::npos) continue;
    if (from == U"u" && at > 0 && t[at - 1] == 'o') continue;  // "ou"
    if (from == U"a" && at + 1 < t.size() && t[at + 1] == 'a') continue;
    if (from == U"o" && at + 1 < t.size() && t[at + 1] == 'o') continue;
    Text v = t;
    v.replace(at, from.size(), to);
    out.push_back(std::move(v));
  }
  // A long vowel at the end of a word written double ("bagicha" -> "bagichaa").
  std::vector<Text> words = split_words(t);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].size() < 2 || words[i].back() != 'a' || words[i][words[i].size() - 2] == 'a')
      continue;
    std::vector<Text> copy = words;
    copy[i].push_back('a');
    out.push_back(join(copy, U" "));
    break;
  }
  return out;
}

// --- A romanizer written the way people type --------------------------------

enum class Kind : unsigned char { none, consonant, vowel, sign, virama, nukta, candrabindu,
                                  anusvara, visarga };

struct Style {
  bool long_aa = true;   // आ/া/ಆ as "aa"
  bool long_ii = true;   // ई as "ee"
  bool long_uu = true;   // ऊ as "oo"
  bool inherent_o = false;  // Bengali's inherent vowel as "o"
  bool w_for_v = false;
  bool flap_as_d = false;   // ड़ ढ़ as d dh (and ज़ फ़ as j ph)
  bool dental_th = false;   // Kannada ತ ದ as th dh
  bool drop_candrabindu = false;
  bool itrans_iu = false;   // ई ऊ as "ii" "uu" (ITRANS, ISO 15919 without marks)
  bool vocalic_ru = false;  // ऋ as "ru", as Kannada is typed ("krupa")
  bool final_ay = false;    // a Hindi word's final े ै as "ay" (Roman Urdu: "kaisay", "hay")
};

// The consonants, in the order every Brahmic block of Unicode shares
// (block offset 0x15 to 0x39).
constexpr std::string_view kConsonants[] = {
    "k", "kh", "g", "gh", "ng", "ch", "chh", "j", "jh", "ny", "t", "th", "d", "dh", "n", "t",
    "th", "d", "dh", "n", "n", "p", "ph", "b", "bh", "m", "y", "r", "r", "l", "l", "l", "v",
    "sh", "sh", "s", "h"};

struct Piece {
  Kind kind = Kind::none;
  std::string latin;  // consonant or explicit vowel
  char32_t cp = 0;
};

// Classifies one code point of Devanagari, Bengali or Kannada.
Piece classify(char32_t c, const Style& st) {
  Piece p;
  p.cp = c;
  char32_t base = 0;
  if (c >= 0x0900 && c <= 0x097F) base = 0x0900;
  if (c >= 0x0980 && c <= 0x09FF) base = 0x0980;
  if (c >= 0x0C80 && c <= 0x0CFF) base = 0x0C80;
  if (base == 0) return p;
  const bool bengali = base == 0x0980;
  const bool kannada = base == 0x0C80;
  const unsigned o = c - base;
  auto vowel = [&](unsigned v) -> std::string {
    switch (v) {
      case 0: return "a";
      case 1: return st.long_aa ? "aa" : "a";
      case 2: return "i";
      case 3: return st.itrans_iu ? "ii" : st.long_ii ? "ee" : "i";
      case 4: return "u";
      case 5: return st.itrans_iu ? "uu" : st.long_uu ? "oo" : "u";
      case 6: case 7: return st.vocalic_ru ? "ru" : "ri";
      // Kannada's long e and o (ಏ ಓ) are "E" "O" in Baraha and ITRANS,
      // which the base form lowercases; "ee" and "oo" are ಈ and ಊ there.
      case 8: case 9: case 10: return "e";
      case 11: return bengali ? "oi" : "ai";
      case 12: case 13: case 14: return "o";
      case 15: return bengali ? "ou" : "au";
      default: return "";
    }
  };
  if (o >= 0x05 && o <= 0x14) {
    p.kind = Kind::vowel;
    p.latin = vowel(o - 0x05);
    if (bengali && o == 0x05 && st.inherent_o) p.latin = "o";  // অ, the inherent vowel alone
  } else if (o >= 0x3E && o <= 0x4C) {
    p.kind = Kind::sign;
    p.latin = vowel(o - 0x3E + 1);
  } else if (o >= 0x15 && o <= 0x39) {
    p.kind = Kind::consonant;
    p.latin = kConsonants[o - 0x15];
    if (bengali && o == 0x2F) p.latin = "j";  // য
    if (kannada && st.dental_th && (o == 0x24 || o == 0x26)) p.latin = o == 0x24 ? "th" : "dh";
  } else if (o == 0x4D) {
    p.kind = Kind::virama;
  } else if (o == 0x3C) {
    p.kind = Kind::nukta;
  } else if (o == 0x01) {
    p.kind = Kind::candrabindu;
  } else if (o == 0x02) {
    p.kind = Kind::anusvara;
  } else if (o == 0x03) {
    p.kind = Kind::visarga;
  } else if (bengali && o == 0x4E) {  // ৎ, a t with no vowel
    p.kind = Kind::consonant;
    p.latin = "t";
  } else if (o >= 0x58 && o <= 0x5F) {  // consonants with nukta, precomposed
    static constexpr std::string_view kDeva[] = {"q", "kh", "g", "z", "r", "rh", "f", "y"};
    static constexpr std::string_view kBeng[] = {"", "", "", "", "r", "rh", "", "y"};
    p.kind = Kind::consonant;
    p.latin = bengali ? kBeng[o - 0x58] : kannada ? "" : kDeva[o - 0x58];
    if (st.flap_as_d) {
      if (p.latin == "r") p.latin = "d";
      if (p.latin == "rh") p.latin = "dh";
      if (p.latin == "z") p.latin = "j";
      if (p.latin == "f") p.latin = "ph";
    }
    if (p.latin.empty()) p.kind = Kind::none;
  } else if (o >= 0x66 && o <= 0x6F) {  // native digits
    p.latin = std::string(1, static_cast<char>('0' + (o - 0x66)));
  }
  if (p.kind == Kind::consonant && st.w_for_v && p.latin == "v") p.latin = "w";
  return p;
}

// A consonant followed by a nukta sign (the form NFC gives: the
// precomposed letters are composition exclusions), by the consonant's code
// point; empty when the nukta changes nothing people type.
std::string_view with_nukta(char32_t consonant, const Style& st) {
  switch (consonant) {
    case 0x0915: return "q";
    case 0x091C: return st.flap_as_d ? "j" : "z";
    case 0x0921: case 0x09A1: return st.flap_as_d ? "d" : "r";
    case 0x0922: case 0x09A2: return st.flap_as_d ? "dh" : "rh";
    case 0x092B: return st.flap_as_d ? "ph" : "f";
    case 0x092F: case 0x09AF: return "y";
    default: return {};
  }
}

enum class Lang : unsigned char { hindi, bengali, kannada };

std::string romanize_word(const Text& word, const Style& st, Lang lang) {
  // A unit is a consonant cluster plus its vowel (or the inherent one),
  // or an independent vowel; modifiers follow their unit.
  struct Unit {
    int consonants = 0;
    std::string text;      // consonants as written in Latin
    std::string vowel;     // explicit vowel, or empty
    bool inherent = false; // the inherent vowel is pronounced, unless deleted
    std::string tail;      // anusvara, candrabindu, visarga
    bool nasal_next = false;  // an anusvara: its letter depends on what follows
    char32_t last_cp = 0;     // the cluster's last consonant, for a nukta
    std::size_t last_len = 0; // and the length of its Latin spelling
  };
  std::vector<Unit> us;
  std::string raw;  // anything that is not of the three scripts, kept as is
  bool open = false;  // the last unit is a consonant waiting for its vowel
  for (char32_t c : word) {
    Piece p = classify(c, st);
    switch (p.kind) {
      case Kind::consonant:
        if (open && !us.empty() && !us.back().text.empty() && us.back().text.back() == '\x01') {
          // After a virama: the same cluster. Bengali ya-phala (্য)
          // doubles the consonant; people write it y.
          us.back().text.pop_back();
          if (c == 0x09AF) p.latin = "y";
          us.back().text += p.latin;
          us.back().consonants++;
        } else {
          if (open) us.back().inherent = true;
          Unit u;
          u.consonants = 1;
          u.text = p.latin;
          us.push_back(std::move(u));
        }
        us.back().last_cp = c;
        us.back().last_len = p.latin.size();
        open = true;
        break;
      case Kind::nukta:
        if (!us.empty() && open) {
          const std::string_view latin = with_nukta(us.back().last_cp, st);
          if (!latin.empty()) {
            std::string& t = us.back().text;
            t.replace(t.size() - us.back().last_len, us.back().last_len, latin);
            us.back().last_len = latin.size();
          }
        }
        break;
      case Kind::virama:
        if (!us.empty() && open) us.back().text.push_back('\x01');  // cluster continues
        break;
      case Kind::sign:
        if (!us.empty() && open) {
          if (us.back().text.back() == '\x01') us.back().text.pop_back();
          us.back().vowel = p.latin;
        }
        open = false;
        break;
      case Kind::vowel: {
        if (open) us.back().inherent = true;
        Unit u;
        u.vowel = p.latin;
        us.push_back(std::move(u));
        open = false;
        break;
      }
      case Kind::candrabindu:
      case Kind::anusvara:
      case Kind::visarga:
        if (us.empty()) break;
        if (open) {
          if (us.back().text.back() == '\x01') {
            us.back().text.pop_back();
          } else {
            us.back().inherent = true;
          }
          open = false;
        }
        if (p.kind == Kind::visarga) {
          us.back().tail += "h";
        } else if (p.kind == Kind::candrabindu) {
          if (!st.drop_candrabindu) us.back().tail += "n";
        } else {
          us.back().nasal_next = true;
        }
        break;
      case Kind::none:
        if (open) us.back().inherent = true;
        open = false;
        raw += p.latin;
        break;
    }
  }
  if (open && !us.empty()) {
    if (us.back().text.back() == '\x01') {
      us.back().text.pop_back();  // a word ending in a virama: no vowel
    } else {
      us.back().inherent = true;
    }
  }
  if (us.empty()) return raw;

  // Schwa deletion. Hindi drops the inherent vowel at the end of a word of
  // two or more units, and in the middle between a vowel and a consonant
  // that carries a vowel (V C a C V: "laalaten" -> "laalten"). Bengali drops
  // it in the middle the same way ("manchitro") and at the end after a single
  // consonant ("gopon"), but keeps it after a cluster ("nishiddho"). Kannada
  // keeps it.
  std::vector<bool> keep(us.size());
  for (std::size_t i = 0; i < us.size(); ++i) keep[i] = us[i].inherent;
  const std::size_t last = us.size() - 1;
  if (lang != Lang::kannada && us.size() >= 2 && us[last].inherent && us[last].tail.empty() &&
      !us[last].nasal_next && (lang == Lang::hindi || us[last].consonants == 1)) {
    keep[last] = false;
  }
  if (lang != Lang::kannada) {
    for (std::size_t i = us.size() - 1; i-- > 1;) {
      const Unit& u = us[i];
      if (!keep[i] || u.consonants != 1 || !u.tail.empty() || u.nasal_next) continue;
      const bool vowel_before = !us[i - 1].vowel.empty() || keep[i - 1];
      const Unit& next = us[i + 1];
      const bool cv_after =
          next.consonants == 1 && (!next.vowel.empty() || keep[i + 1]);
      if (vowel_before && cv_after && keep[i - 1] == us[i - 1].inherent) keep[i] = false;
    }
  }

  std::string out;
  for (std::size_t i = 0; i < us.size(); ++i) {
    const Unit& u = us[i];
    out += u.text;
    if (!u.vowel.empty() && st.final_ay && lang == Lang::hindi && i == last && raw.empty() &&
        (u.vowel == "e" || u.vowel == "ai")) {
      out += "ay";
    } else if (!u.vowel.empty()) {
      out += u.vowel;
    } else if (keep[i]) {
      out += lang == Lang::bengali && st.inherent_o ? "o" : "a";
    }
    out += u.tail;
    if (u.nasal_next) {
      // Before p, b, m: m. At the end of a word: m (Bengali: ng). Else n.
      const std::string next = i + 1 < us.size() ? us[i + 1].text : std::string();
      const char n0 = next.empty() ? 0 : next[0];
      if (next.empty() && lang == Lang::hindi && !u.vowel.empty()) {
        // After a written vowel, a final anusvara is the vowel's nasal:
        // "hain", "nahin", or nothing in chat ("nahi").
        if (!st.drop_candrabindu) out += "n";
      } else if (next.empty()) {
        out += lang == Lang::bengali ? "ng" : "m";
      } else if (n0 == 'p' || n0 == 'b' || n0 == 'm') {
        out += "m";
      } else {
        out += "n";
      }
    }
  }
  return out + raw;
}

}  // namespace

Script script_of(std::string_view text) {
  std::array<int, 5> count{};
  for (char32_t c : decode(text)) {
    UErrorCode err = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(static_cast<UChar32>(c), &err);
    if (U_FAILURE(err)) continue;
    switch (sc) {
      case USCRIPT_LATIN: count[0]++; break;
      case USCRIPT_DEVANAGARI: count[1]++; break;
      case USCRIPT_BENGALI: count[2]++; break;
      case USCRIPT_KANNADA: count[3]++; break;
      case USCRIPT_COMMON: case USCRIPT_INHERITED: break;
      default: count[4]++; break;
    }
  }
  const auto best = std::max_element(count.begin(), count.end());
  if (*best == 0) return Script::other;
  return static_cast<Script>(best - count.begin());
}

std::string_view script_code(Script script) {
  switch (script) {
    case Script::latin: return "Latn";
    case Script::devanagari: return "Deva";
    case Script::bengali: return "Beng";
    case Script::kannada: return "Knda";
    case Script::other: break;
  }
  return "Zyyy";
}

const std::vector<std::string_view>& families() {
  static const std::vector<std::string_view> kFamilies = {
      "case",    "width",     "accents",  "invisible",  "spacing",     "split",
      "repeats", "leet",      "symbols",  "lookalikes", "confusables", "joined",
      "hashtag", "romanized", "composed", "typos",      "enclosed",    "clitics"};
  return kFamilies;
}

std::vector<std::string> romanizations(std::string_view native) {
  const Script script = script_of(native);
  Lang lang;
  switch (script) {
    case Script::devanagari: lang = Lang::hindi; break;
    case Script::bengali: lang = Lang::bengali; break;
    case Script::kannada: lang = Lang::kannada; break;
    default: return {};
  }
  std::vector<Style> styles;
  Style full;  // long vowels doubled
  Style chat;  // the common chat spelling: aa as a, ee and oo kept
  chat.long_aa = false;
  Style shortv;  // every vowel short
  shortv.long_aa = shortv.long_ii = shortv.long_uu = false;
  if (lang == Lang::bengali) {
    // Bengali is mostly typed with its inherent vowel as o ("gopon").
    Style o_full = full, o_chat = chat, o_short = shortv, o_no_cb = chat;
    o_full.inherent_o = o_chat.inherent_o = o_short.inherent_o = o_no_cb.inherent_o = true;
    o_no_cb.drop_candrabindu = true;
    styles = {o_full, o_chat, o_short, full, chat, shortv, o_no_cb};
  } else {
    Style w = chat;
    w.w_for_v = true;
    Style itrans = full;
    itrans.itrans_iu = true;
    Style no_cb = chat;
    no_cb.drop_candrabindu = true;
    styles = {full, chat, shortv, w, itrans, no_cb};
    if (lang == Lang::hindi) {
      Style ay = chat;
      ay.final_ay = true;
      styles.push_back(ay);
    }
    if (lang == Lang::kannada) {
      Style ru = chat;
      ru.vocalic_ru = true;
      styles.push_back(ru);
    }
  }
  Style flap = shortv;
  flap.flap_as_d = true;
  if (lang == Lang::bengali) flap.inherent_o = true;
  styles.push_back(flap);
  if (lang == Lang::kannada) {
    Style th = shortv;
    th.dental_th = true;
    styles.push_back(th);
  }
  std::vector<std::string> out;
  const std::vector<Text> words = split_words(decode(native));
  for (const Style& st : styles) {
    std::string r;
    for (const Text& w : words) {
      if (!r.empty()) r += ' ';
      r += romanize_word(w, st, lang);
    }
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(std::move(r));
  }
  if (lang == Lang::bengali && words.size() >= 2) {
    // One word with its inherent vowel as "a", the others as "o", and the
    // other way round: a query need not keep to one style.
    Style o_chat = chat;
    o_chat.inherent_o = true;
    for (const Style* first : {&chat, &o_chat}) {
      const Style& rest = first == &chat ? o_chat : chat;
      std::string r = romanize_word(words[0], *first, lang);
      for (std::size_t i = 1; i < words.size(); ++i) r += ' ' + romanize_word(words[i], rest, lang);
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<std::string_view> family_needs(std::string_view family) {
  if (family == "repeats") return {"squeeze"};
  if (family == "leet" || family == "symbols") return {"leet"};
  if (family == "lookalikes" || family == "confusables") return {"homoglyph"};
  if (family == "joined" || family == "hashtag") return {"joined"};
  if (family == "split") return {"spaced"};
  if (family == "romanized") return {"phonetic"};
  if (family == "typos") return {"fuzzy"};
  // case, width, accents, invisible, enclosed, clitics: the base form;
  // spacing: per variant
  return {};
}

std::vector<Variant> variants_of(std::string_view clean_utf8, std::string_view language) {
  const Text clean = decode(clean_utf8);
  const Script script = script_of(clean_utf8);
  const std::vector<Text> words = split_words(clean);
  const std::string_view lang = language.substr(0, language.find_first_of("-_"));
  const bool indic_language = lang == "hi" || lang == "bn" || lang == "kn";

  std::vector<Variant> out;
  std::set<Text> seen{clean};
  auto add_needing = [&](std::string_view family, const Text& t,
                         std::vector<std::string_view> needs) {
    if (t.empty() || !seen.insert(t).second) return;
    out.push_back(Variant{family, encode(t), std::move(needs)});
  };
  auto add = [&](std::string_view family, const Text& t) {
    add_needing(family, t, family_needs(family));
  };
  // A composition, with the views its parts need.
  auto add_composed = [&](const Text& t, std::vector<std::string_view> needs) {
    add_needing("composed", t, std::move(needs));
  };

  // A typo (the first of typos()) with another fold over the whole text:
  // each fold reaches the word the typo is in. `also`: views the text
  // needs besides (phonetic, for a romanized spelling).
  auto typo_compose = [&](const Text& t, std::vector<std::string_view> also) {
    const std::vector<Text> ty = typos(t);
    if (ty.empty()) return;
    const Text& one = ty.front();
    auto needs = [&](std::string_view fold) {
      std::vector<std::string_view> n = also;
      n.push_back(fold);
      n.push_back("fuzzy");
      return n;
    };
    add_needing("typos", map_letters(one, kLeet, false), needs("leet"));
    add_needing("typos", map_letters(one, kLookalikes, false), needs("homoglyph"));
    add_needing("typos", stretch(one, false, 2), needs("squeeze"));
    // The word with the typo spelled letter by letter, the others as they are.
    std::vector<Text> spaced = split_words(one);
    const std::vector<Text> plain = split_words(t);
    for (std::size_t i = 0; i < spaced.size() && i < plain.size(); ++i) {
      if (spaced[i] != plain[i]) spaced[i] = spread(spaced[i], U" ", U" ");
    }
    add_needing("typos", join(spaced, U" "), needs("spaced"));
    // Run together, as a hashtag is typed.
    if (plain.size() >= 2) add_needing("typos", U"#" + join(split_words(one), U""), needs("joined"));
  };
  // Families that spell Latin letters differently, applied to `t`.
  auto latin_families = [&](const Text& t, bool typos_too) {
    add("case", upper(t));
    add("case", title(t));
    add("case", alternating(t));
    add("width", fullwidth(t));
    add("accents", map_letters(t, kAcute, true));
    {
      Text combining;
      bool done = false;
      for (char32_t c : t) {
        combining.push_back(c);
        if (!done && is_vowel(c)) {
          combining.push_back(0x0301);
          done = true;
        }
      }
      add("accents", combining);
    }
    add("repeats", stretch(t, false, 2));
    add("repeats", stretch(t, true, 3));
    add_needing("repeats", reduplicate_with_2(t), {});  // the base form reads it
    add("leet", map_letters(t, kLeet, true));
    add("leet", map_letters(t, kLeet, false));
    add("symbols", map_letters(t, kSymbols, true));
    add("symbols", map_letters(t, kSymbols, false));
    add("leet", map_letters(t, kOneForIL, true));
    add("symbols", map_letters(t, kBarForIL, true));
    add("enclosed", enclose(t, 0x1F170));
    add("enclosed", enclose(t, 0x1F150));
    add("enclosed", enclose(t, 0x1F1E6));
    add("lookalikes", map_letters(t, kLookalikes, true));
    add("lookalikes", map_letters(t, kLookalikes, false));
    add("confusables", map_letters(t, kSmallCaps, true));
    add("confusables", map_letters(t, kSmallCaps, false));
    add("confusables", map_letters(t, kHooked, true));
    add("confusables", map_letters(t, kHooked, false));
    add("confusables", map_letters(t, kFancy, true));
    if (typos_too) {
      for (const Text& ty : typos(t)) add("typos", ty);
      typo_compose(t, {});
    }
  };
  auto compose = [&](const Text& t) {
    add_composed(stretch(map_letters(t, kLeet, false), false, 2), {"leet", "squeeze"});
    add_composed(map_letters(map_letters(t, kLookalikes, false), kLeet, false),
                 {"homoglyph", "leet"});
    add_composed(map_letters(upper(t), kSymbols, false), {"leet"});
    add_composed(map_letters(t, kSymbols, false) == t
                     ? Text()
                     : stretch(map_letters(t, kSymbols, false), true, 3),
                 {"leet", "squeeze"});
    // A word broken in two, and spelled with another fold.
    add_composed(split_longest(map_letters(t, kLeet, false), U" "), {"spaced", "leet"});
    add_composed(split_longest(map_letters(t, kLookalikes, false), U" "), {"spaced", "homoglyph"});
    add_composed(stretch(split_longest(t, U" "), false, 2), {"spaced", "squeeze"});
    if (words.size() >= 2) {
      add_composed(map_letters(join(split_words(t), U""), kLeet, false), {"joined", "leet"});
      add_composed(U"#" + map_letters(join(split_words(t), U""), kLookalikes, false),
                   {"joined", "homoglyph"});
      // Run together with stretched letters: a word spelled with a double
      // must keep it ("forbiddenooorchard").
      add_composed(join(split_words(stretch(t, false, 2)), U""), {"joined", "squeeze"});
      add_composed(U"#" + join(split_words(stretch(t, true, 3)), U""), {"joined", "squeeze"});
    }
  };

  // Families that apply in every script.
  add("invisible", insert_mid(clean, 0x200B));
  add("invisible", insert_mid(clean, 0x00AD));
  add("invisible", insert_mid(clean, script == Script::latin ? 0x200D : 0x200C));
  add_needing("spacing", spread(clean, U" ", U"   "), {"spaced"});
  add_needing("spacing", spread(clean, U".", U" "), {"spaced"});
  for (std::u32string_view sep : {U" ", U".", U"-"}) add("split", split_longest(clean, sep));
  if (words.size() >= 2) {
    add("spacing", join(words, U"-"));
    add("spacing", join(words, U"_"));
    add("spacing", join(words, U"."));
    add("joined", join(words, U""));
    add("hashtag", U"#" + join(words, U""));
    if (script == Script::latin) add("hashtag", U"#" + camel(clean));
  }

  if (script == Script::latin && lang == "id") {
    // Indonesian clitics and particles written on the last word.
    for (std::u32string_view clitic : {U"nya", U"lah", U"kah", U"pun"}) {
      add_needing("clitics", clean + Text(clitic), {});
    }
  }
  if (script == Script::latin) {
    latin_families(clean, true);
    compose(clean);
    if (indic_language) {
      for (const Text& s : spellings(clean)) {
        add("romanized", s);
        add_composed(map_letters(s, kLeet, false), {"phonetic", "leet"});
        add_composed(map_letters(s, kLookalikes, false), {"phonetic", "homoglyph"});
        add_composed(stretch(s, false, 2), {"phonetic", "squeeze"});
      }
    }
  } else if (script != Script::other) {
    const std::vector<Text> native = native_typos(clean);
    for (const Text& ty : native) add("typos", ty);
    if (words.size() >= 2 && !native.empty()) {
      // The first typo in a hashtag.
      add_needing("typos", U"#" + join(split_words(native.front()), U""), {"joined", "fuzzy"});
    }
    const std::vector<std::string> roman = romanizations(clean_utf8);
    for (std::size_t i = 0; i < roman.size(); ++i) {
      const Text r = decode(roman[i]);
      add("romanized", r);
      if (i < 2) {
        add_composed(map_letters(r, kLeet, false), {"phonetic", "leet"});
        add_composed(map_letters(r, kLookalikes, false), {"phonetic", "homoglyph"});
        add_composed(stretch(r, false, 2), {"phonetic", "squeeze"});
        add_composed(map_letters(r, kSymbols, false), {"phonetic", "leet"});
        add_composed(upper(r), {"phonetic"});
      }
      if (i < 2 && words.size() >= 2) {
        // Romanized and run together, as a hashtag is typed.
        const Text run = join(split_words(r), U"");
        add_needing("joined", run, {"joined", "phonetic"});
        add_needing("hashtag", U"#" + run, {"joined", "phonetic"});
      }
      if (i == 0) {
        for (const Text& s : spellings(r)) add("romanized", s);
        for (const Text& ty : typos(r)) add_needing("typos", ty, {"phonetic", "fuzzy"});
        typo_compose(r, {"phonetic"});
      }
    }
  }
  return out;
}

}  // namespace deter::cli::probe
