#include "text/views.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/confusables.h"
#include "text/endings.h"
#include "text/fuzzy.h"
#include "text/phonetic.h"
#include "text/scripts.h"
#include "text/utf8.h"

namespace deter::text {

constexpr std::array<std::uint64_t, kIndicCount / 64> kIndicMarks = {
    0xDC0000000000000Full, 0x0000000C00FEFFFFull, 0xD00000000000000Eull, 0x4000000C0080399Full,
    0xD00000000000000Eull, 0x0023000000023987ull, 0xD00000000000000Eull, 0xFC00000C00003BBFull,
    0xD00000000000000Eull, 0x0000000C00E0399Full, 0xC000000000000004ull, 0x0000000000803DC7ull,
    0xD00000000000001Full, 0x0000000C00603DDFull, 0xD00000000000000Eull, 0x0008000C00603DDFull,
    0xD80000000000000Full, 0x0000000C00803DDFull, 0x000000000000000Eull, 0x000C0000FF5F8400ull,
};

// What one pass over a base form tells about which views may differ from
// it; a view that cannot differ is not built (most queries have no digits,
// no doubled letters, no one-letter runs and no look-alike letters).
struct Hints {
  bool leet = false;
  bool squeeze = false;
  bool spaced = false;
  bool homoglyph = false;
};

namespace {

// Every text the views read is a base form, valid UTF-8: characters are
// decoded with decode_valid_utf8.

// Writes a space-padded view and, optionally, its map back to the source.
class ViewWriter {
 public:
  // Writes after out[0, start), which it keeps.
  ViewWriter(std::string& out, OffsetMap* map, std::size_t start = 0) : out_(out), map_(map) {
    out_.resize(start);
    if (map_) map_->clear();
    out_.push_back(' ');
    if (map_) map_->push(0, 1);
  }
  void bytes(std::string_view b, std::uint32_t from, std::uint32_t to) {
    out_.append(b);
    if (map_) {
      for (std::size_t k = 0; k < b.size(); ++k) map_->push(from, to);
    }
    last_len_ = b.size();
    at_space_ = false;
  }
  // Source bytes [b, e) of `s`, each mapped to itself (so that a later fold
  // of a composed section still maps each byte back on its own).
  void copy(std::string_view s, std::uint32_t b, std::uint32_t e) {
    out_.append(s.substr(b, e - b));
    if (map_) {
      for (std::uint32_t k = b; k < e; ++k) map_->push(k, k + 1);
    }
    last_len_ = e - b;
    at_space_ = false;
  }
  void byte(char c, std::uint32_t from, std::uint32_t to) {
    out_.push_back(c);
    if (map_) map_->push(from, to);
    last_len_ = 1;
    at_space_ = false;
  }
  // Widens the span of the last character written to end at `to`.
  void extend_last(std::uint32_t to) {
    if (!map_) return;
    for (std::size_t k = map_->size() - last_len_; k < map_->size(); ++k) map_->end[k] = to;
  }
  void space(std::uint32_t from, std::uint32_t to) {
    if (at_space_) return;
    out_.push_back(' ');
    if (map_) map_->push(from, to);
    at_space_ = true;
  }

 private:
  std::string& out_;
  OffsetMap* map_;
  std::size_t last_len_ = 0;
  bool at_space_ = true;
};

// Calls f(begin, end) for each token of a space-padded text.
template <class F>
void for_each_token(std::string_view s, F&& f) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    while (i < n && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < n && s[j] != ' ') ++j;
    if (j > i) f(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
    i = j;
  }
}

bool is_lower_ascii(char c) { return c >= 'a' && c <= 'z'; }
bool is_alnum_ascii(char c) { return is_lower_ascii(c) || (c >= '0' && c <= '9'); }

// Whether an ASCII letter of `s` is written three times in a row.
bool has_letter_thrice(std::string_view s) {
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (s[i] == s[i - 1] && s[i] == s[i - 2] && is_lower_ascii(s[i])) return true;
  }
  return false;
}

// Where a character stands in its token, for the symbols, which are
// punctuation at a token's edges ("orchard!", "!!", "@home"). `first`: the
// token's first byte; `before_last`: before its last byte that is neither
// '!' nor '|' (a letter, a digit, or a symbol read at the end: "gl@$$");
// `final_bang`: the token's last byte is this '!', after one that is not,
// and it is to be read as i ("pencur!"; see leet()).
struct LeetPlace {
  bool first;
  bool before_last;
  bool final_bang;
  bool one_as_l;  // '1' reads l, not i (a second reading, add_composed)
};

char leet_letter(char c, LeetPlace at) {
  switch (c) {
    case '0':
      return 'o';
    case '1':
      return at.one_as_l ? 'l' : 'i';
    case '3':
      return 'e';
    case '4':
      return 'a';
    case '5':
      return 's';
    case '7':
      return 't';
    case '8':
      return 'b';
    case '9':
      return 'g';
    case '$':
      return 's';
    case '@':
      return at.first ? '\0' : 'a';
    case '!':
      // "h!dden"; at either edge it is punctuation ("orchard!", "!important").
      return (!at.first && at.before_last) || at.final_bang ? 'i' : '\0';
    case '|':
      // "|antern", "h|dden"; a trailing one is a separator ("orchard|").
      return at.before_last ? 'l' : '\0';
    default:
      return '\0';
  }
}

bool is_symbol(char c) { return is_leet_symbol(static_cast<unsigned char>(c)); }

// `final_bang`: a '!' that ends a token after a letter or digit is read as
// i too. The leet view never does ("orchard!" is punctuation); a composed
// section does when a query has one, besides the leet view's own reading,
// for the word-final i of romanized Hindi and Indonesian ("pencur!", "k!").
// `words` (the second reading of '1', add_composed): a token in which '1'
// or '|' stands for a letter is read, each of them as i or l, the way that
// spells an entry word ("h1dden 1antern gu1ld" is "hidden lantern guild",
// "gu|ld" is "guild"), else with both as l. One section then holds every
// mixed reading, where a section for each way would not: four such
// characters a token at most, each reading one hash and one lookup.
constexpr std::size_t kMaxTwoWayLetters = 4;

// Writes token s[b, e) read by `place` with the i-or-l characters read to
// spell an entry word, and returns true; false when no reading does.
template <typename Place>
bool leet_by_word(std::string_view s, std::uint32_t b, std::uint32_t e, Place place,
                  const EntryWords& words, ViewWriter& w) {
  if (e - b > kJoinMaxBytes) return false;
  char read[kJoinMaxBytes];
  std::array<std::uint32_t, kMaxTwoWayLetters> two_way{};
  std::size_t n = 0;
  for (std::uint32_t k = b; k < e; ++k) {
    const char c = s[k];
    const char l = leet_letter(c, place(k));
    // A final '|' too ("pencur|", "chh|p|"): the reading must spell an
    // entry word, where the leet view takes it for punctuation.
    if (l == '\0' && is_symbol(c) && c != '|') return false;  // the token splits
    read[k - b] = l != '\0' ? l : c;
    if (c == '1' || c == '|') {
      if (n == two_way.size()) return false;
      two_way[n++] = k - b;
    }
  }
  if (n == 0) return false;
  for (std::uint32_t way = 0; way < (1u << n); ++way) {
    for (std::size_t i = 0; i < n; ++i) read[two_way[i]] = (way >> i & 1) ? 'l' : 'i';
    if (!words.has(token_hash(read, e - b))) continue;
    for (std::uint32_t k = b; k < e; ++k) w.byte(read[k - b], k, k + 1);
    w.space(e, e + 1);
    return true;
  }
  // No word: '1' and '|' as l, but a final '|' as i, the ending of words
  // too short to be entry words ("k|" for ki) more often than l.
  if (s[e - 1] != '|' || e - b < 2) return false;
  for (std::size_t i = 0; i < n; ++i) read[two_way[i]] = 'l';
  read[e - 1 - b] = 'i';
  for (std::uint32_t k = b; k < e; ++k) w.byte(read[k - b], k, k + 1);
  w.space(e, e + 1);
  return true;
}

void leet(std::string_view s, ViewWriter& w, bool final_bang = false, bool one_as_l = false,
          const EntryWords* words = nullptr) {
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    bool letter = false;
    bool candidate = false;  // a digit or symbol, which may read as a letter
    std::uint32_t last_plain = b;  // the last byte that is neither '!' nor '|'
    for (std::uint32_t k = b; k < e; ++k) {
      const char c = s[k];
      letter |= is_lower_ascii(c);
      candidate |= (c >= '0' && c <= '9') || is_symbol(c);
      if (c != '!' && c != '|') last_plain = k;
    }
    if (!letter || !candidate) {
      // Most tokens: nothing to read; symbols (in a token without a letter) separate.
      if (!candidate) {
        w.copy(s, b, e);
      } else {
        for (std::uint32_t k = b; k < e; ++k) {
          if (is_symbol(s[k])) {
            w.space(k, k + 1);
          } else {
            w.byte(s[k], k, k + 1);
          }
        }
      }
      w.space(e, e + 1);
      return;
    }
    bool digit_or_symbol = false;
    const bool bang = final_bang && e - b >= 2 && s[e - 1] == '!' && is_alnum_ascii(s[e - 2]);
    auto place = [&](std::uint32_t k) {
      return LeetPlace{k == b, k < last_plain, bang && k == e - 1, one_as_l};
    };
    for (std::uint32_t k = b; k < e; ++k) digit_or_symbol |= leet_letter(s[k], place(k)) != '\0';
    const bool read_leet = letter && digit_or_symbol;
    if (words != nullptr && leet_by_word(s, b, e, place, *words, w)) return;
    for (std::uint32_t k = b; k < e; ++k) {
      const char c = s[k];
      const char l = read_leet ? leet_letter(c, place(k)) : '\0';
      if (l != '\0') {
        w.byte(l, k, k + 1);
      } else if (is_symbol(c)) {
        w.space(k, k + 1);
      } else {
        w.byte(c, k, k + 1);
      }
    }
    w.space(e, e + 1);
  });
}

bool is_letter_or_mark(char32_t cp) {
  if (cp < 0x80) return is_lower_ascii(static_cast<char>(cp));
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

// A letter repeated in a row is written `keep` times at most: once for the
// squeeze view; twice before the phonetic key of a composed section, which
// reads "ee" as i and "oo" as u ("vaaarjeeet" is "vaarjeet", key "varjit").
void squeeze(std::string_view s, ViewWriter& w, std::size_t keep = 1) {
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    std::string_view prev;
    std::size_t run = 0;
    for (std::uint32_t k = b; k < e;) {
      Decoded d = decode_valid_utf8(reinterpret_cast<const unsigned char*>(s.data()) + k);
      std::string_view cur = s.substr(k, d.size);
      const auto next = static_cast<std::uint32_t>(k + d.size);
      if (cur == prev && is_letter_or_mark(d.cp) && ++run >= keep) {
        w.extend_last(next);
      } else {
        if (cur != prev) run = 0;
        w.bytes(cur, k, next);
        prev = cur;
      }
      k = next;
    }
    w.space(e, e + 1);
  });
}

// Before the phonetic key of a composed section, a third reading of
// stretched letters: a run of three or more is one letter, but "e" two
// ("prooodeeep" is "prodeep": the key reads "ee" as i and "oo" as u, and
// a long e is written "ee" far more often than a long u "oo"). Runs of two
// are left to the key.
void squeeze_runs_keep_ee(std::string_view s, ViewWriter& w) {
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    for (std::uint32_t k = b; k < e;) {
      Decoded d = decode_valid_utf8(reinterpret_cast<const unsigned char*>(s.data()) + k);
      const std::string_view cur = s.substr(k, d.size);
      auto next = static_cast<std::uint32_t>(k + d.size);
      std::size_t run = 1;
      if (is_letter_or_mark(d.cp)) {
        while (next + d.size <= e && s.substr(next, d.size) == cur) {
          next += static_cast<std::uint32_t>(d.size);
          ++run;
        }
      }
      const std::size_t keep = run < 3 ? run : (cur == "e" ? 2 : 1);
      for (std::size_t i = 0; i < keep; ++i) {
        const auto at = static_cast<std::uint32_t>(k + i * d.size);
        w.bytes(cur, at, static_cast<std::uint32_t>(at + d.size));
      }
      w.extend_last(next);
      k = next;
    }
    w.space(e, e + 1);
  });
}

// Whether `cp` is a combining mark (general category M). The Indic blocks
// (U+0900-U+0DFF), whose marks every query is full of, are read from a
// constant table, one bit per code point, taken from ICU 72 (Unicode 15);
// tests/views_test.cc holds it to the ICU the library runs with.
bool is_mark(char32_t cp) {
  const char32_t i = cp - kIndicFirst;
  if (i < kIndicCount) return (kIndicMarks[i / 64] >> (i % 64)) & 1u;
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & U_GC_M_MASK) != 0;
}

// What is_single_character reads of a code point of U+0900-U+0DFF, one
// byte each, so that the Indic characters of a token (three UTF-8 bytes,
// E0 first) cost one load instead of a decode and three range tests.
enum : std::uint8_t {
  kSingleMark = 1,       // is_mark
  kSingleVirama = 2,     // is_indic_virama (a mark too)
  kSingleConsonant = 4,  // is_indic_consonant
};
constexpr std::array<std::uint8_t, kIndicCount> make_single_classes() {
  std::array<std::uint8_t, kIndicCount> t{};
  for (char32_t i = 0; i < kIndicCount; ++i) {
    const char32_t cp = kIndicFirst + i;
    std::uint8_t c = 0;
    if ((kIndicMarks[i / 64] >> (i % 64)) & 1u) c |= kSingleMark;
    if (is_indic_virama(cp)) c |= kSingleVirama;
    if (is_indic_consonant(cp)) c |= kSingleConsonant;
    t[i] = c;
  }
  return t;
}
constexpr std::array<std::uint8_t, kIndicCount> kSingleClasses = make_single_classes();
static_assert(kIndicFirst + kIndicCount <= 0x1000, "every code point of the table is E0 x x");
static_assert(kSingleClasses[0x94D - kIndicFirst] == (kSingleMark | kSingleVirama) &&
              kSingleClasses[0x915 - kIndicFirst] == kSingleConsonant &&
              kSingleClasses[0x93E - kIndicFirst] == kSingleMark);

// The class of the character at p, outside U+0900-U+0DFF (a mark or
// nothing), with its size in bits 8 and up. Out of line, so that the Indic
// path stays a leaf with nothing in memory (it runs for most tokens of an
// Indic query; this, almost never).
[[gnu::noinline, gnu::cold]] std::uint32_t other_single_class(const unsigned char* p) {
  const Decoded m = decode_valid_utf8(p);
  return static_cast<std::uint32_t>(m.size) << 8 |
         (is_mark(m.cp) ? std::uint32_t{kSingleMark} : 0u);
}

// A token of one character as a reader sees it: one letter or digit and any
// marks on it, where an Indic letter may be a conjunct, consonants joined by
// viramas ("স্য", "ಕ್ಷೆ", "क्शा"): someone spacing out "रहस्य" writes
// "र ह स्य", never splitting the conjunct.
bool is_single_character(std::string_view token) {
  const auto* p = reinterpret_cast<const unsigned char*>(token.data());
  const std::size_t n = token.size();
  bool after_virama = false;
  for (std::size_t k = valid_utf8_size(p[0]); k < n;) {
    std::uint8_t c = 0;
    // A three-byte character below U+1000 is E0 and two continuation
    // bytes whose low six bits are its code point.
    const char32_t i =
        p[k] == 0xE0
            ? (static_cast<char32_t>(p[k + 1] & 0x3Fu) << 6 | (p[k + 2] & 0x3Fu)) - kIndicFirst
            : kIndicCount;
    if (i < kIndicCount) {
      c = kSingleClasses[i];
      k += 3;
    } else {
      const std::uint32_t other = other_single_class(p + k);
      c = static_cast<std::uint8_t>(other);
      k += other >> 8;
    }
    if (after_virama && (c & kSingleConsonant) != 0) {
      after_virama = false;
    } else if ((c & kSingleMark) != 0) {
      after_virama = (c & kSingleVirama) != 0;
    } else {
      return false;
    }
  }
  return true;
}

// One-character words of ordinary Hindi, Bengali and Kannada text:
// postpositions, forms of "to be", pronouns, particles ("की है", "में से",
// "কী বা", "ಈ ಕೈ"), the most frequent one-character tokens of the benign
// corpora (../shared/data, tests/data). Two Indic characters apart join
// unless both are in here, and a longer run of them only does not join.
// Sorted by bytes (static_assert below).
constexpr std::string_view kCommonIndicWords[] = {
    "ए",  "ओ",  "का", "कि", "की", "के", "को", "क्या", "क्यों", "जा", "जी", "जो", "तू",
    "तो", "था", "थी", "थे", "दी", "दे", "दें", "दो",    "न",     "ना", "ने", "भी", "में",
    "मैं", "या", "ये", "यो", "ले", "लो", "व",  "वे",    "वो",    "सा", "सी", "से", "सो",
    "ही", "हूँ", "है", "हैं", "हो", "ই",  "এ",  "ও",    "কি",    "কী", "কে", "কো", "ছে",
    "টা", "টি", "তা", "তো", "দু", "দে", "না", "নি",    "নে",    "বা", "মা", "যা", "যে",
    "র",  "সে", "হ্যাঁ", "ಆ", "ಈ",  "ಏ",  "ಓ",  "ಕೈ",    "ನ"};
static_assert(std::is_sorted(std::begin(kCommonIndicWords), std::end(kCommonIndicWords)),
              "kCommonIndicWords must stay sorted for binary_search");

bool is_common_indic_word(std::string_view token) {
  return std::binary_search(std::begin(kCommonIndicWords), std::end(kCommonIndicWords), token);
}

// What the spaced view needs to know of a one-character token.
enum class SingleKind : std::uint8_t {
  none,    // not one character
  other,   // a Latin letter, a digit, a character of another script
  indic,   // one Devanagari, Bengali or Kannada character
  common,  // ... that is a word of its own, in kCommonIndicWords
};

SingleKind single_kind(std::string_view token) {
  if (!is_single_character(token)) return SingleKind::none;
  const auto* p = reinterpret_cast<const unsigned char*>(token.data());
  if (token.size() < 3 || indic_script_of_utf8(p[0], p[1]) == IndicScript::none) {
    return SingleKind::other;
  }
  return is_common_indic_word(token) ? SingleKind::common : SingleKind::indic;
}

// Whether the spaced view joins a run of `size` one-character tokens of
// which `indic` are Indic and `common` of those common words. Three or more
// join (a one-character word is rare in Latin text, three in a row rarer
// still), unless all are common Indic words ("जो भी है"). Two join when
// both are Indic characters and not both common words: the unit a reader
// of Hindi, Bengali or Kannada spaces out is a syllable, and a word of two
// ("न क्शा", "ನ ಕ್ಷೆ") is as common as a long one, while a pair of
// one-syllable words ("की है") is ordinary text.
bool joins_run(std::size_t size, std::size_t indic, std::size_t common) {
  if (size >= 3) return common < size;
  return size == 2 && indic == 2 && common < 2;
}

void spaced(std::string_view s, ViewWriter& w) {
  // Tokens are collected first: whether a run joins depends on its length.
  struct Token {
    std::uint32_t b, e;
    SingleKind kind;
  };
  static thread_local std::vector<Token> tokens;
  tokens.clear();
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    tokens.push_back({b, e, single_kind(s.substr(b, e - b))});
  });
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t j = i;
    std::size_t indic = 0;
    std::size_t common = 0;
    for (; j < tokens.size() && tokens[j].kind != SingleKind::none; ++j) {
      indic += tokens[j].kind >= SingleKind::indic;
      common += tokens[j].kind == SingleKind::common;
    }
    if (joins_run(j - i, indic, common)) {
      for (std::size_t k = i; k < j; ++k) w.copy(s, tokens[k].b, tokens[k].e);
      w.space(tokens[j - 1].e, tokens[j - 1].e + 1);
      i = j;
      continue;
    }
    // A run that does not join holds none that would: write it as it is.
    for (j = std::max(j, i + 1); i < j; ++i) {
      w.copy(s, tokens[i].b, tokens[i].e);
      w.space(tokens[i].e, tokens[i].e + 1);
    }
  }
}

// The tokens of `s` with those of each join (in order) written as one.
void join_tokens(std::string_view s, const std::vector<TokenJoin>& joins, ViewWriter& w) {
  std::uint32_t t = 0;
  std::size_t j = 0;
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    const bool inside = j < joins.size() && t >= joins[j].token;
    const bool last = !inside || t + 1 == joins[j].token + joins[j].count;
    w.copy(s, b, e);
    if (last) w.space(e, e + 1);
    if (inside && last) ++j;
    ++t;
  });
}

// The joined view's length guard counts letters as a Latin spelling would.
// A Devanagari, Bengali or Kannada consonant is a syllable, its inherent
// vowel included ("चाँद चोर", four consonants, is "chaand chor"): it counts
// two; a virama takes the vowel away again (one less); an independent
// vowel counts one, vowel signs and other marks nothing.
int joined_weight(char32_t cp) {
  const IndicScript script = indic_script(cp);
  if (script != IndicScript::none) {
    if (is_indic_virama(cp)) return -1;
    if (is_indic_consonant(cp)) return 2;
    const char32_t offset = cp - block_start(script);
    if (offset >= 0x05 && offset <= 0x14) return 1;      // independent vowels
    if (offset == 0x4E && script == IndicScript::bengali) return 1;  // khanda ta
  }
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & U_GC_M_MASK) ? 0 : 1;
}

void joined(std::string_view s, ViewWriter& w) {
  std::size_t tokens = 0;
  int letters = 0;
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    ++tokens;
    for (std::uint32_t k = b; k < e;) {
      Decoded d = decode_valid_utf8(reinterpret_cast<const unsigned char*>(s.data()) + k);
      letters += joined_weight(d.cp);
      k += d.size;
    }
  });
  const bool join = tokens >= 2 && letters >= 8;
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    w.bytes(s.substr(b, e - b), b, e);
    if (!join) w.space(e, e + 1);
  });
  w.space(static_cast<std::uint32_t>(s.size() - 1), static_cast<std::uint32_t>(s.size()));
}

// The entry of kConfusables (text/confusables.h, generated from ICU's
// confusables data) for `cp`, a letter of a base form, or null.
const Confusable* find_confusable(char32_t cp) {
  const auto it = std::lower_bound(kConfusables.begin(), kConfusables.end(), cp,
                                   [](const Confusable& e, char32_t c) { return e.cp < c; });
  return it != kConfusables.end() && it->cp == cp ? &*it : nullptr;
}

// The Latin letter `cp` (case folded) looks like, or '\0'. The uppercase
// forms' look-alikes count, because case folding has already lowered them
// (Н → н reads h).
char confusable_latin(char32_t cp) {
  const Confusable* e = find_confusable(cp);
  return e != nullptr ? e->letter : '\0';
}

constexpr std::uint8_t kLatinScript = USCRIPT_LATIN;

// A token folds when every letter in it is an ASCII letter or a look-alike
// (digits may be there too) and it is not a word of one other script: it
// holds an ASCII letter, a look-alike that is itself Latin (ᴏ, ɑ), or
// look-alikes of two scripts. "сосна" (Cyrillic only) and "και" stay.
void homoglyph(std::string_view s, ViewWriter& w) {
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    bool latin = false;
    bool lookalike = false;
    bool other = false;
    int script = -1;  // the script of the look-alikes, or -2 when they mix
    for (std::uint32_t k = b; k < e;) {
      Decoded d = decode_valid_utf8(reinterpret_cast<const unsigned char*>(s.data()) + k);
      if (d.cp < 0x80) {
        latin |= is_lower_ascii(static_cast<char>(d.cp));
      } else if (const Confusable* c = find_confusable(d.cp)) {
        lookalike = true;
        latin |= c->script == kLatinScript;
        script = script == -1 || script == c->script ? c->script : -2;
      } else {
        other = true;
      }
      k += d.size;
    }
    const bool fold = lookalike && !other && (latin || script == -2);
    for (std::uint32_t k = b; k < e;) {
      Decoded d = decode_valid_utf8(reinterpret_cast<const unsigned char*>(s.data()) + k);
      const auto next = static_cast<std::uint32_t>(k + d.size);
      const char l = fold && d.cp >= 0x80 ? confusable_latin(d.cp) : '\0';
      if (l != '\0') {
        w.byte(l, k, next);
      } else {
        w.bytes(s.substr(k, d.size), k, next);
      }
      k = next;
    }
    w.space(e, e + 1);
  });
}

void phonetic(std::string_view s, std::string& out, OffsetMap* map, std::size_t start = 0) {
  out.resize(start);
  if (map) map->clear();
  out.push_back(' ');
  if (map) map->push(0, 1);
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    const std::size_t before = out.size();
    if (!phonetic_key(s.substr(b, e - b), out)) out.append(s.substr(b, e - b));
    if (map) {
      for (std::size_t k = before; k < out.size(); ++k) map->push(b, e);
    }
    out.push_back(' ');
    if (map) map->push(e, e + 1);
  });
}

// One token of the phonetic view into `out` (room for
// phonetic_key_bound(token.size()) bytes): its key, or the token itself
// when it has none; `letters` says it is known to be ASCII letters only.
// Returns the bytes written.
std::size_t phonetic_token(std::string_view token, bool letters, char* out) {
  const std::ptrdiff_t key = letters && token.size() <= kMaxKeyedToken
                                 ? static_cast<std::ptrdiff_t>(latin_key_into(token, out))
                                 : phonetic_key_into(token, out);
  if (key >= 0) return static_cast<std::size_t>(key);
  std::memcpy(out, token.data(), token.size());
  return token.size();
}

// The phonetic view without a map, written straight into `out` after
// out[0, start).
void phonetic_fast(std::string_view s, std::string& out, std::size_t start) {
  out.resize(start + phonetic_key_bound(s.size()) + 1);
  char* o = out.data() + start;
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    *o++ = ' ';
    o += phonetic_token(s.substr(b, e - b), false, o);
  });
  *o++ = ' ';
  out.resize(static_cast<std::size_t>(o - out.data()));
}

// Whether the `size` bytes (1 to 4) at a and b are the same character, and
// the copy of one: compares and copies of a size the compiler knows, where a
// memcmp or memcpy of a size known only at run time is a call (most of an
// Indic token's squeeze, when they were).
inline bool same_character(const unsigned char* a, const unsigned char* b, std::size_t size) {
  switch (size) {
    case 1:
      return a[0] == b[0];
    case 2:
      return std::memcmp(a, b, 2) == 0;
    case 3:
      return std::memcmp(a, b, 3) == 0;
    default:
      return std::memcmp(a, b, 4) == 0;
  }
}
inline void copy_character(char* to, const unsigned char* from, std::size_t size) {
  switch (size) {
    case 1:
      *to = static_cast<char>(*from);
      break;
    case 2:
      std::memcpy(to, from, 2);
      break;
    case 3:
      std::memcpy(to, from, 3);
      break;
    default:
      std::memcpy(to, from, 4);
      break;
  }
}

// Squeezes one token p[0, n) (no spaces) into `out` (room for n bytes): a
// letter repeated in a row is written once; ASCII bytes are compared as
// bytes, other characters whole. Returns the bytes written.
std::size_t squeeze_token(const unsigned char* p, std::size_t n, char* out) {
  char* o = out;
  std::size_t prev_at = 0;  // the last character written: p[prev_at, prev_at + prev_len)
  std::size_t prev_len = 0;
  for (std::size_t i = 0; i < n;) {
    // (A character cut short at n, which valid text never has, is kept.)
    const std::size_t size = std::min(valid_utf8_size(p[i]), n - i);
    if (prev_len == size && size == valid_utf8_size(p[i]) &&
        same_character(p + prev_at, p + i, size) &&
        (size == 1 ? is_lower_ascii(static_cast<char>(p[i]))
                   : is_letter_or_mark(decode_valid_utf8(p + i).cp))) {
      i += size;
      continue;
    }
    copy_character(o, p + i, size);
    o += size;
    prev_at = i;
    prev_len = size;
    i += size;
  }
  return static_cast<std::size_t>(o - out);
}

// squeeze_token for a token of ASCII only: a letter equal to the byte
// before it is dropped, with no branch per byte.
std::size_t squeeze_ascii_token(const unsigned char* p, std::size_t n, char* out) {
  std::size_t k = 0;
  unsigned prev = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned c = p[i];
    out[k] = static_cast<char>(c);
    k += static_cast<std::size_t>((c != prev) | (c - 'a' > 25u));
    prev = c;
  }
  return k;
}

// The squeeze view without a map, written after out[0, start).
void squeeze_fast(std::string_view s, std::string& out, std::size_t start) {
  out.resize(start + s.size());
  char* o = out.data() + start;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for_each_token(s, [&](std::uint32_t b, std::uint32_t e) {
    *o++ = ' ';
    o += squeeze_token(p + b, e - b, o);
  });
  *o++ = ' ';
  out.resize(static_cast<std::size_t>(o - out.data()));
}

// Byte classes for hints_for.
enum : std::uint8_t {
  kHintLetter = 1,  // a-z
  kHintLeet = 2,    // a digit or symbol the leet view reads
  kHintLead2 = 8,   // lead byte of a two-byte character
  kHintLead3 = 16,  // lead byte of a three-byte character
  kHintLead4 = 32,  // lead byte of a four-byte character
};

constexpr std::array<std::uint8_t, 256> make_hint_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kHintLetter;
  for (char c : {'0', '1', '3', '4', '5', '7', '8', '9'}) t[static_cast<unsigned char>(c)] = kHintLeet;
  for (int c = 0; c < 128; ++c) {
    if (is_leet_symbol(static_cast<unsigned char>(c))) t[c] = kHintLeet;
  }
  for (int c = 0xC2; c <= 0xDF; ++c) t[c] = kHintLead2;
  for (int c = 0xE0; c <= 0xEF; ++c) t[c] = kHintLead3;
  for (int c = 0xF0; c <= 0xF4; ++c) t[c] = kHintLead4;
  return t;
}
constexpr std::array<std::uint8_t, 256> kHintClasses = make_hint_classes();

// Which characters may be look-alikes, by their first two UTF-8 bytes: bit
// b1 & 63 of word b0 says some character of kConfusables begins b0 b1. That
// is exact for two-byte characters, a block of 64 code points for
// three-byte ones (U+1D00-U+1D3F, the small capitals, is one) and of 4,096
// for four-byte ones. The blocks of Devanagari, Bengali and Kannada (E0
// A4-A7, E0 B2-B3) hold no look-alike, so their queries never build the view
// (asserted below: an ICU that put one there would cost those queries a view).
constexpr std::array<std::uint64_t, 256> make_lookalike_leads() {
  std::array<std::uint64_t, 256> t{};
  for (const Confusable& e : kConfusables) {
    const char32_t cp = e.cp;
    unsigned b0 = 0;
    unsigned b1 = 0;
    if (cp < 0x800) {
      b0 = 0xC0 | cp >> 6;
      b1 = cp & 0x3F;
    } else if (cp < 0x10000) {
      b0 = 0xE0 | cp >> 12;
      b1 = cp >> 6 & 0x3F;
    } else {
      b0 = 0xF0 | cp >> 18;
      b1 = cp >> 12 & 0x3F;
    }
    t[b0] |= std::uint64_t{1} << b1;
  }
  return t;
}
constexpr std::array<std::uint64_t, 256> kLookalikeLeads = make_lookalike_leads();
static_assert((kLookalikeLeads[0xE0] & (std::uint64_t{0xF} << 0x24 | std::uint64_t{0x3} << 0x32)) ==
                  0,
              "a look-alike in the Devanagari, Bengali or Kannada block");

// The hints of base form `s`, and its tokens appended to `tokens`.
Hints hints_for(std::string_view s, bool want_spaced, std::vector<Token>& tokens) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::uint8_t seen = 0;
  std::uint64_t lookalike = 0;  // bit 0: a character that may be in kConfusables
  bool doubled = false;
  std::size_t singles = 0;  // one-character tokens in a row
  std::size_t indic = 0;    // of which Indic characters
  std::size_t common = 0;   // of which common words (kCommonIndicWords)
  std::string_view previous;  // the run's last token
  bool previous_indic = false;
  bool spaced_run = false;
  std::size_t token_start = 1;
  // The token that ends at the space p[i].
  auto end_token = [&](std::size_t i) {
    const std::size_t len = i - token_start;
    tokens.push_back(Token{static_cast<std::uint32_t>(token_start),
                           static_cast<std::uint32_t>(len),
                           token_hash(s.data() + token_start, len)});
    if (!want_spaced) {
      token_start = i + 1;
      return;
    }
    // 24 bytes: a conjunct of three consonants with a vowel sign and a
    // nasal mark ("ন্ত্রী" is 18).
    const std::string_view token = s.substr(token_start, len);
    const bool single = len == 1 || (len <= 24 && p[token_start] >= 0x80 &&
                                     is_single_character(token));
    if (!single) {
      singles = indic = common = 0;
    } else if (!spaced_run) {
      const bool is_indic = len >= 3 && indic_script_of_utf8(p[token_start], p[token_start + 1]) !=
                                            IndicScript::none;
      ++singles;
      indic += is_indic;
      // Common words are looked up only in a run of two or more: one
      // Indic character alone ("है") is in most Hindi queries.
      if (singles == 2) common = previous_indic && is_common_indic_word(previous);
      if (singles >= 2) {
        common += is_indic && is_common_indic_word(token);
        // A run that joins later joins now, or stays all common words.
        spaced_run = joins_run(singles, indic, common);
      }
      previous = token;
      previous_indic = is_indic;
    }
    token_start = i + 1;
  };
  std::size_t i = 1;
#if defined(__SSE2__)
  // Sixteen positions at a time while p[i - 1, i + 21) is inside the text,
  // so that every character starting in the block has its next one loaded
  // (the checks below need no bound). Each fact the loop below finds
  // character by character is found here for every byte at once: letters,
  // leet digits and symbols, and continuation bytes, have no class to
  // confuse, and in valid UTF-8 a lead byte starts a character wherever it
  // is. Indic text (three bytes a letter) costs the loop below about 30
  // instructions a character; this, about 4.
  if (n >= 22) {
    const __m128i space = _mm_set1_epi8(' ');
    const auto in = [](__m128i x, char lo, char hi) {  // lo <= x <= hi, signed
      return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    const auto eq = [](__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
    const auto load = [&](std::size_t at) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    };
    __m128i letters = _mm_setzero_si128();
    __m128i leet = _mm_setzero_si128();
    __m128i doubles = _mm_setzero_si128();
    for (; i + 21 <= n; i += 16) {
      const __m128i x = load(i);
      const auto high = static_cast<unsigned>(_mm_movemask_epi8(x));
      const auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, space)));
      if ((high | spaces) != 0xFFFF) {  // some ASCII besides spaces
        const __m128i letter = in(x, 'a', 'z');
        letters = _mm_or_si128(letters, letter);
        // kHintLeet: the digits but 2 and 6, and the leet symbols.
        const __m128i digit =
            _mm_andnot_si128(_mm_or_si128(eq(x, '2'), eq(x, '6')), in(x, '0', '9'));
        leet = _mm_or_si128(
            leet, _mm_or_si128(_mm_or_si128(digit, _mm_or_si128(eq(x, '@'), eq(x, '$'))),
                               _mm_or_si128(eq(x, '!'), eq(x, '|'))));
        // A letter after itself.
        doubles = _mm_or_si128(doubles, _mm_and_si128(letter, _mm_cmpeq_epi8(x, load(i - 1))));
      }
      if (high != 0) {
        const __m128i x1 = load(i + 1);
        const __m128i x2 = load(i + 2);
        const __m128i x3 = load(i + 3);
        // A two-byte character before itself (lead C2-DF: C0 and C1 are
        // not UTF-8); a three-byte one (E0-EF).
        const auto top = [](__m128i v, char mask, char value) {
          return _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(mask)), _mm_set1_epi8(value));
        };
        const __m128i same2 = _mm_and_si128(_mm_cmpeq_epi8(x, x2), _mm_cmpeq_epi8(x1, x3));
        const __m128i same3 = _mm_and_si128(
            _mm_and_si128(_mm_cmpeq_epi8(x, x3), _mm_cmpeq_epi8(x1, load(i + 4))),
            _mm_cmpeq_epi8(x2, load(i + 5)));
        doubles = _mm_or_si128(doubles,
                               _mm_or_si128(_mm_and_si128(same2, top(x, '\xE0', '\xC0')),
                                            _mm_and_si128(same3, top(x, '\xF0', '\xE0'))));
        // Lead bytes, less those of the Devanagari, Bengali and Kannada
        // blocks (E0 A4-A7, E0 B2-B3), which hold no look-alike (asserted
        // at kLookalikeLeads): the others are looked up one by one.
        const __m128i indic = _mm_and_si128(
            eq(x, '\xE0'), _mm_or_si128(top(x1, '\xFC', '\xA4'), top(x1, '\xFE', '\xB2')));
        auto leads = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_andnot_si128(indic, top(x, '\xC0', '\xC0'))));
        for (; leads != 0; leads &= leads - 1) {
          const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(leads));
          lookalike |= kLookalikeLeads[p[at]] >> (p[at + 1] & 63);
        }
      }
      for (unsigned rest = spaces; rest != 0; rest &= rest - 1) {
        end_token(i + static_cast<std::size_t>(std::countr_zero(rest)));
      }
    }
    if (_mm_movemask_epi8(letters) != 0) seen |= kHintLetter;
    if (_mm_movemask_epi8(leet) != 0) seen |= kHintLeet;
    doubled = _mm_movemask_epi8(doubles) != 0;
  }
  // The rest, from where the blocks stopped (perhaps inside a character:
  // its continuation bytes have no class).
#endif
  for (; i < n; ++i) {
    const unsigned char c = p[i];
    if (c == ' ') {
      end_token(i);
      continue;
    }
    const std::uint8_t k = kHintClasses[c];
    seen |= k;
    if (k & kHintLetter) {
      doubled |= p[i - 1] == c;
    } else if (k & kHintLead3) {
      lookalike |= kLookalikeLeads[c] >> (p[i + 1] & 63);
      // Compared with | rather than &&: Indic letters share their first
      // byte, so a short-circuit would branch on the second at random.
      if (i + 5 < n) {
        doubled |= ((p[i] ^ p[i + 3]) | (p[i + 1] ^ p[i + 4]) | (p[i + 2] ^ p[i + 5])) == 0;
      }
      i += 2;  // continuation bytes (a base form is valid UTF-8) tell nothing
    } else if (k & kHintLead2) {
      lookalike |= kLookalikeLeads[c] >> (p[i + 1] & 63);
      if (i + 3 < n) doubled |= ((p[i] ^ p[i + 2]) | (p[i + 1] ^ p[i + 3])) == 0;
      i += 1;
    } else if (k & kHintLead4) {
      lookalike |= kLookalikeLeads[c] >> (p[i + 1] & 63);
      i += 3;
    }
  }
  const bool letter = seen & kHintLetter;
  return {letter && (seen & kHintLeet), doubled, spaced_run, (lookalike & 1) != 0};
}

// Writes view `view` of `source` to out, after out[0, start).
void write_view(View view, std::string_view source, std::string& out, OffsetMap* map,
                std::size_t start) {
  if (view == View::phonetic && map == nullptr) {
    phonetic_fast(source, out, start);
  } else if (view == View::phonetic) {
    phonetic(source, out, map, start);
  } else if (view == View::squeeze && map == nullptr) {
    squeeze_fast(source, out, start);
  } else {
    ViewWriter w(out, map, start);
    switch (view) {
      // An entry's fuzzy view is its base form: the query side corrects.
      case View::fuzzy:
      case View::base:
        for_each_token(source, [&](std::uint32_t b, std::uint32_t e) {
          w.bytes(source.substr(b, e - b), b, e);
          w.space(e, e + 1);
        });
        break;
      case View::leet:
        leet(source, w);
        break;
      case View::squeeze:
        squeeze(source, w);
        break;
      case View::spaced:
        spaced(source, w);
        break;
      case View::joined:
        joined(source, w);
        break;
      case View::homoglyph:
        homoglyph(source, w);
        break;
      case View::phonetic:
        break;
    }
  }
}

}  // namespace

bool apply_view(View view, std::string_view source, std::string& out, OffsetMap* map) {
  write_view(view, source, out, map, 0);
  return out != source;
}

bool squeeze_keeps(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::string out;
  bool keeps = true;
  for_each_token(text, [&](std::uint32_t b, std::uint32_t e) {
    out.resize(e - b);
    keeps = keeps && squeeze_token(p + b, e - b, out.data()) == e - b;
  });
  return keeps;
}

std::string entry_view(View view, std::string_view text) {
  std::string base;
  normalize_base(text, base, nullptr, view == View::leet);
  if (view == View::base) return base;
  std::string out;
  apply_view(view, base, out);
  return out;
}

QueryViews::QueryViews() {
  scan_.reserve(1024);
  tokens_.reserve(256);
  base_.reserve(512);
  work_.reserve(512);
}

// Whether a[0, n) and b[0, n) hold the same bytes, for 1 <= n <= 32: two
// overlapping loads from each, where memcmp is a call and a loop that
// cost a remembered key's look-up more than the rest of it.
namespace {
bool same_short_bytes(const char* a, const char* b, std::size_t n) {
  auto differ = [&](auto word, std::size_t at) {
    decltype(word) x, y;
    std::memcpy(&x, a + at, sizeof x);
    std::memcpy(&y, b + at, sizeof y);
    return x ^ y;
  };
  if (n >= 16) {
#if defined(__SSE2__)
    auto same16 = [&](std::size_t at) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + at));
      const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + at));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) == 0xFFFF;
    };
    return same16(0) && same16(n - 16);
#else
    return std::memcmp(a, b, n) == 0;
#endif
  }
  if (n >= 8) return (differ(std::uint64_t{}, 0) | differ(std::uint64_t{}, n - 8)) == 0;
  if (n >= 4) return (differ(std::uint32_t{}, 0) | differ(std::uint32_t{}, n - 4)) == 0;
  if (n >= 2) return (differ(std::uint16_t{}, 0) | differ(std::uint16_t{}, n - 2)) == 0;
  return a[0] == b[0];
}
}  // namespace

// What the phonetic section holds for base token `bt` (text `token`, whose
// first byte is not ASCII), written to `out`: its key, or the token itself.
// Returns its hash and sets `n` to its length. Native-script words come from
// the memo when it holds them: transliterated, a word costs some 30
// instructions a byte, and Hindi and Bengali queries repeat a few hundred
// words most of the time. (ASCII words key faster than they are looked up.)
[[gnu::noinline]] std::uint64_t QueryViews::native_key(const Token& bt, const char* token,
                                                       char* out, std::size_t& n) {
  KeyMemo* memo = nullptr;
  if (bt.size <= sizeof memo->token) {
    // Made on first use: a thread that sees no native script pays nothing.
    if (key_memo_.empty()) key_memo_.resize(kKeyMemoSlots);
    memo = &key_memo_[bt.hash % kKeyMemoSlots];
    if (memo->hash == bt.hash && memo->size == bt.size &&
        same_short_bytes(memo->token, token, bt.size)) {
      // The whole slot, in two moves: `out` has room (write_phonetic).
      std::memcpy(out, memo->key, sizeof memo->key);
      n = memo->key_size;
      return memo->key_hash;
    }
  }
  n = phonetic_token(std::string_view(token, bt.size), false, out);
  const std::uint64_t hash = token_hash_padded(out, n);
  if (memo != nullptr && n <= sizeof memo->key) {
    memo->hash = bt.hash;
    memo->key_hash = hash;
    memo->size = static_cast<std::uint8_t>(bt.size);
    memo->key_size = static_cast<std::uint8_t>(n);
    std::memcpy(memo->token, token, bt.size);
    std::memcpy(memo->key, out, n);
  }
  return hash;
}

// The phonetic section, written after scan_[0, begin) from the first
// `base_tokens` tokens (those of the base form `base`): each token's key, or
// the token itself when it has none, with the tokens recorded as they are
// written. Bit t of `letters_only` says base token t (of the first 64) is
// made of ASCII letters only.
bool QueryViews::write_phonetic(std::string_view base, std::size_t base_tokens, std::size_t begin,
                                std::uint64_t letters_only) {
  // Written in a scratch buffer that only grows, then appended: resizing
  // scan_ to the bound would clear six bytes per byte of the base form.
  // (And 16 bytes more, for token_hash_padded, and 30 for a remembered
  // key, which native_key copies whole.)
  const std::size_t bound = phonetic_key_bound(base.size()) + 17 + sizeof(KeyMemo::key);
  if (section_.size() < bound) section_.resize(bound);
  char* w = section_.data();
  std::size_t at = 0;
  w[at++] = ' ';
  for (std::size_t t = 0; t < base_tokens; ++t) {
    const Token& bt = tokens_[t];
    const char* token = base.data() + bt.begin;
    std::size_t n = 0;
    std::uint64_t hash = 0;
    if (static_cast<unsigned char>(token[0]) >= 0x80) {
      hash = native_key(bt, token, w + at, n);
    } else {
      n = phonetic_token(std::string_view(token, bt.size), t < 64 && (letters_only >> t & 1),
                         w + at);
      hash = token_hash_padded(w + at, n);
    }
    tokens_.push_back(
        Token{static_cast<std::uint32_t>(begin + at), static_cast<std::uint32_t>(n), hash});
    at += n;
    w[at++] = ' ';
  }
  if (std::string_view(w, at) == base) return false;
  scan_.append(w, at);
  return true;
}

// Writes the sections of the views in `views` after the base form (and
// their tokens after the base form's), in scan order, each only when
// `hints` say it may differ and kept only when it does.
void QueryViews::add_views(std::string_view base, ViewSet views, const Hints& hints,
                           std::uint64_t letters_only, bool ascii) {
  const std::size_t base_tokens = tokens_.size();
  thrice_ = false;
  // A base form with no token (an empty query, or punctuation only) reads
  // the same in every view; only the leet view's symbols could make one.
  if (base_tokens == 0 && !symbols_used_) return;
  // The views to try, in scan order (that of their numbers): those enabled
  // that the hints do not rule out.
  ViewSet tried = ViewSet::only(View::phonetic);
  if (hints.leet || symbols_used_) tried = tried.with(View::leet);
  if (hints.squeeze) tried = tried.with(View::squeeze);
  if (hints.spaced || entry_words_ != nullptr) tried = tried.with(View::spaced);
  if (hints.homoglyph) tried = tried.with(View::homoglyph);
  if (fuzzy_ != nullptr || fuzzy_keys_ != nullptr) tried = tried.with(View::fuzzy);
  base_tokens_ = base_tokens;
  for (unsigned bits = (tried & views).bits(); bits != 0; bits &= bits - 1) {
    const auto v = static_cast<View>(std::countr_zero(bits));
    const bool symbols = v == View::leet && symbols_used_;
    const std::size_t before = scan_.size();
    const std::size_t tokens_before = tokens_.size();
    scan_.push_back('\n');
    const auto begin = static_cast<std::uint32_t>(scan_.size());
    // The phonetic and squeeze writers append their section only when it
    // differs from the base form.
    bool differs = false;
    if (v == View::phonetic) {
      differs = write_phonetic(base, base_tokens, begin, letters_only);
      phonetic_first_ = tokens_before;
    } else if (v == View::fuzzy) {
      differs = write_fuzzy(base, base_tokens, begin);
    } else if (v == View::squeeze) {
      differs = write_squeeze(base, base_tokens, begin, ascii);
    } else if (v == View::spaced) {
      differs = write_spaced(base, base_tokens, begin, hints.spaced);
    } else {
      write_view(v, symbols ? std::string_view(symbols_) : base, scan_, nullptr, begin);
      differs = std::string_view(scan_).substr(begin) != base;
    }
    if (!differs) {
      scan_.resize(before);
      tokens_.resize(tokens_before);
      continue;
    }
    if (v != View::phonetic && v != View::squeeze && v != View::fuzzy) {
      append_tokens(std::string_view(scan_).substr(begin), begin, tokens_);
    }
    view_tokens_[static_cast<std::size_t>(v)] = {tokens_before, tokens_.size()};
    sections_[count_++] = Section{v, begin, static_cast<std::uint32_t>(scan_.size()),
                                  ViewSet::only(v), false};
    present_ = present_.with(v);
  }
  if (fuzzy_ != nullptr || fuzzy_keys_ != nullptr) add_fuzzy_folded(base_tokens, views);
  add_composed(base, views, hints);
}

namespace {

// Whether a token of `s` ends in one '!' after a letter or digit.
bool has_final_bang(std::string_view s) {
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (s[i] == ' ' && s[i - 1] == '!' && is_alnum_ascii(s[i - 2])) return true;
  }
  return false;
}


// Whether `s` holds an ASCII letter twice in a row.
bool has_doubled_letter(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == s[i - 1] && is_lower_ascii(s[i])) return true;
  }
  return false;
}

// Whether a token of `s` holds `two_way` ('1' or '|') and an ASCII letter.
bool has_letter_one(std::string_view s, char two_way = '1') {
  bool one = false;
  bool letter = false;
  for (char c : s) {
    if (c == ' ') {
      if (one && letter) return true;
      one = letter = false;
    }
    one |= c == two_way;
    letter |= is_lower_ascii(c);
  }
  return one && letter;
}

std::size_t count(ViewSet v) { return static_cast<std::size_t>(std::popcount(v.bits())); }

}  // namespace

ViewSet QueryViews::write_chain(std::size_t c, std::string_view source, std::string& out,
                                bool maps) {
  const Chain& chain = chains_[c];
  ViewSet used;
  std::string_view text = source;
  std::size_t step = 0;
  for (View v : kFoldOrder) {
    if (!chain.folds.has(v)) continue;
    // A join_words chain's spaced fold is its last step (below).
    if (v == View::spaced && chain.join_words) continue;
    // The first fold, read plainly from the source its own section was
    // read from, wrote that section already: each composed section would
    // otherwise fold the whole query again.
    const bool plain = v == View::homoglyph || v == View::spaced ||
                       (v == View::leet && !chain.final_bang && !chain.one_as_l);
    const bool same_source =
        v == View::leet || !(symbols_used_ && chain.folds.has(View::leet));
    if (step == 0 && plain && same_source && present_.has(v)) {
      if (const int own = own_section(v); own >= 0) {
        const std::string_view t = section_text(static_cast<std::size_t>(own));
        if (t == text) continue;
        if (maps) {
          // work_ is `out` here too, but only written after the folds.
          map_section(static_cast<std::size_t>(own));
          compose_maps_[c][0] = view_maps_[static_cast<std::size_t>(v)];
        }
        used = used.with(v);
        text = t;
        ++step;
        continue;
      }
    }
    std::string& o = chain_text_[step % 2];
    OffsetMap* map = maps ? &compose_maps_[c][step] : nullptr;
    if (v == View::squeeze && chain.pairs) {
      ViewWriter w(o, map);
      squeeze(text, w, 2);
    } else if (v == View::squeeze && chain.keep_ee) {
      ViewWriter w(o, map);
      squeeze_runs_keep_ee(text, w);
    } else if (v == View::leet && (chain.final_bang || chain.one_as_l)) {
      ViewWriter w(o, map);
      const bool by_word = chain.one_as_l && entry_words_ != nullptr && !entry_words_->empty();
      leet(text, w, chain.final_bang, chain.one_as_l, by_word ? entry_words_ : nullptr);
    } else {
      write_view(v, text, o, map, 0);
    }
    // A fold that changed nothing is not one the match went through.
    if (o == text) continue;
    used = used.with(v);
    text = o;
    ++step;
  }
  if (chain.join_words) {
    chain_tokens_.clear();
    append_tokens(text, 0, chain_tokens_);
    chain_joins_.clear();
    find_joins(text, chain_tokens_.data(), chain_tokens_.size(), false, chain_joins_);
    if (!chain_joins_.empty()) {
      // A second line, when it differs, leaves apart the pieces of which
      // one is an entry word, as the spaced section's does: "m0on thief"
      // joined for *moonthief* would hide "moon thief legend", and a
      // squeezed piece ("mon", from "mooon") is too short to be a word.
      chain_apart_.clear();
      find_joins(text, chain_tokens_.data(), chain_tokens_.size(), true, chain_apart_, true);
      std::string& o = chain_text_[step % 2];
      OffsetMap* map = maps ? &compose_maps_[c][step] : nullptr;
      {
        ViewWriter w(o, map);
        join_tokens(text, chain_joins_, w);
      }
      if (!chain_apart_.empty() && chain_apart_ != chain_joins_) {
        const std::size_t line = o.size();
        o.push_back('\n');
        if (map) map->push(0, 1);
        ViewWriter w(o, map ? &chain_line_map_ : nullptr, line + 1);
        join_tokens(text, chain_apart_, w);
        if (map) {
          for (std::size_t k = 0; k < chain_line_map_.size(); ++k) {
            map->push(chain_line_map_.begin[k], chain_line_map_.end[k]);
          }
        }
      }
      used = used.with(View::spaced);
      text = o;
      ++step;
    }
  }
  if (chain.phonetic) {
    write_view(View::phonetic, text, out, maps ? &compose_maps_[c][step] : nullptr, 0);
    used = used.with(View::phonetic);
  } else {
    out.assign(text);
  }
  return used;
}

// Tokens a separator broke a word into ("forb.idden", "or chard", "लाल
// टेन"): two or three adjacent tokens of `text` whose concatenation is an
// entry word, or begins with the last word of a prefix entry ("ter
// larangnya"), left to right, into `out`. Each pair and triple is first
// asked of the entry words' filter by the hashes the views recorded (a
// multiply and a load); only those that pass are concatenated and looked
// up. With `skip_words`, pieces that are all entry words stay apart.
// The first piece of a prefix entry's broken word has three bytes or more
// ("ter larangnya"): shorter ones ("a", "in", "of") begin some entry's word
// in most queries, and each would probe every byte of the next token. That
// path cost English queries 12% more instructions per check on list-10000;
// with this bound, 3%.
constexpr std::size_t kMinStemPieceBytes = 3;

void QueryViews::find_joins(std::string_view text, const Token* tokens, std::size_t n,
                            bool skip_words, std::vector<TokenJoin>& out, bool skip_any) const {
  const EntryWords& words = *entry_words_;
  char joined[kJoinMaxBytes];
  // Whether tokens [t, t + k] are one word: `stem` asks for an open-ended
  // word that ends inside the last of them.
  auto joins = [&](std::size_t t, std::size_t k, std::size_t stem_end) {
    std::size_t len = 0;
    for (std::size_t i = t; i <= t + k; ++i) {
      const std::size_t size = i == t + k && stem_end != 0 ? stem_end : tokens[i].size;
      if (len + size > kJoinMaxBytes) return false;
      std::memcpy(joined + len, text.data() + tokens[i].begin, size);
      len += size;
    }
    const std::uint64_t h = token_hash(joined, len);
    if (stem_end != 0 ? !words.has_stem(h) : !words.has(h)) return false;
    // Common one-character words side by side ("की है") stay apart, as
    // they do in a run of single characters (hints_for), even when an
    // entry spells them together.
    bool common = true;
    for (std::size_t i = t; i <= t + k && common; ++i) {
      common = is_common_indic_word(text.substr(tokens[i].begin, tokens[i].size));
    }
    if (common) return false;
    if (!skip_words) return true;
    for (std::size_t i = t; i <= t + k; ++i) {
      if (words.has(tokens[i].hash) == skip_any) return !skip_any;
    }
    return skip_any;
  };
  for (std::size_t t = 0; t + 1 < n; ++t) {
    const std::uint64_t a = tokens[t].hash;
    const Token& next = tokens[t + 1];
    // Most pairs begin no entry word's split: a small filter says so
    // before the pieces' filter is read.
    if (!words.may_begin(a, EntryWords::lead_of(text.data() + next.begin))) continue;
    const std::uint64_t ab = EntryWords::piece_key(a, next.hash);
    std::size_t k = 0;
    // The two tokens and the three that begin with them: one line of the
    // filter (EntryWords::maybe).
    if (words.maybe(ab, ab) && joins(t, 1, 0)) {
      k = 1;
    } else if (t + 2 < n && words.maybe(ab, EntryWords::piece_key(ab, tokens[t + 2].hash)) &&
               joins(t, 2, 0)) {
      k = 2;
    } else if (tokens[t].size >= kMinStemPieceBytes && words.maybe_stem(a)) {
      // The rest of a prefix entry's word, then an ending.
      const std::uint32_t lead = EntryWords::lead_of(text.data() + next.begin);
      const std::uint64_t stem = EntryWords::stem_line(a);
      for (std::size_t m = 1; m < next.size && k == 0; ++m) {
        const auto c = static_cast<unsigned char>(text[next.begin + m]);
        if ((c & 0xC0) != 0x80 && words.maybe(stem, EntryWords::stem_key(a, m, lead)) &&
            joins(t, 1, m)) {
          k = 1;
        }
      }
    }
    if (k == 0) continue;
    out.push_back(TokenJoin{static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(k + 1)});
    t += k;
  }
}

// Two lines at most. The first joins the runs of one-character tokens,
// then the tokens that spell an entry word. The second, written only when
// it differs, joins base tokens alone, and not those that are entry words
// themselves: a run may take an akshara a word needed ("चाँ दी की", where
// "की" is a word), and "moon thief" joined for *moonthief* would hide
// "moon thief legend" from an entry of those words.
bool QueryViews::write_spaced(std::string_view base, std::size_t base_tokens, std::size_t begin,
                              bool runs) {
  joins_.clear();
  base_joins_.clear();
  spaced_runs_ = runs;
  std::string_view text = base;
  const Token* tokens = tokens_.data();
  std::size_t n = base_tokens;
  if (runs) {
    write_view(View::spaced, base, spaced_text_, nullptr, 0);
    text = spaced_text_;
    spaced_tokens_.clear();
    append_tokens(text, 0, spaced_tokens_);
    tokens = spaced_tokens_.data();
    n = spaced_tokens_.size();
  }
  if (entry_words_ == nullptr) {
    if (text == base) return false;
    scan_.append(text);
    return true;
  }
  find_joins(text, tokens, n, false, joins_);
  if (runs || !joins_.empty()) find_joins(base, tokens_.data(), base_tokens, true, base_joins_);
  if (!runs && base_joins_ == joins_) base_joins_.clear();
  if (joins_.empty() && base_joins_.empty()) {
    if (text == base) return false;
    scan_.append(text);
    return true;
  }
  {
    ViewWriter w(scan_, nullptr, begin);
    join_tokens(text, joins_, w);
  }
  if (!base_joins_.empty()) {
    const std::size_t line = scan_.size();
    scan_.push_back('\n');
    ViewWriter w(scan_, nullptr, line + 1);
    join_tokens(base, base_joins_, w);
    if (std::string_view(scan_).substr(line + 1) == std::string_view(scan_).substr(begin, line - begin)) {
      scan_.resize(line);
      base_joins_.clear();
    }
  }
  spaced_joined_ = true;
  return true;
}

// The spaced section's map when it joined tokens: the runs' map, then the
// join's on top of it; then the second line's.
void QueryViews::spaced_map(OffsetMap& map) {
  std::string_view text = map_base_;
  if (spaced_runs_) {
    write_view(View::spaced, map_base_, spaced_text_, &join_map_, 0);
    text = spaced_text_;
  }
  {
    ViewWriter w(work_, &map);
    join_tokens(text, joins_, w);
  }
  if (spaced_runs_) {
    for (std::size_t k = 0; k < map.size(); ++k) {
      const std::uint32_t b = map.begin[k];
      const std::uint32_t e = map.end[k];
      if (e <= b || e > join_map_.size()) continue;
      map.begin[k] = join_map_.begin[b];
      map.end[k] = join_map_.end[e - 1];
    }
  }
  if (base_joins_.empty()) return;
  map.push(0, 1);  // the '\n'
  ViewWriter w(spaced_text_, &join_map_);
  join_tokens(map_base_, base_joins_, w);
  for (std::size_t k = 0; k < join_map_.size(); ++k) map.push(join_map_.begin[k], join_map_.end[k]);
}

// Squeeze only with a letter three times in a row ("forrrb idden", not
// "forrb idden"): most English queries have a doubled letter ("hidden"),
// and asking every pair of their squeeze section cost them 7% more
// instructions per check; asking only when a word with a doubled letter is
// no dictionary word, 5%.
bool QueryViews::folds_break_word(ViewSet folds) {
  for (View v : {View::homoglyph, View::leet, View::squeeze}) {
    if (!folds.has(v) || (v == View::squeeze && !thrice_)) continue;
    const int own = own_section(v);
    if (own < 0) continue;
    const Section& sec = sections_[static_cast<std::size_t>(own)];
    // Its tokens, which the views recorded with their hashes.
    std::size_t first = 0;
    while (first < tokens_.size() && tokens_[first].begin < sec.begin) ++first;
    std::size_t last = first;
    while (last < tokens_.size() && tokens_[last].begin < sec.end) ++last;
    if (last - first < 2) continue;
    chain_joins_.clear();
    find_joins(scan_, tokens_.data() + first, last - first, false, chain_joins_);
    if (!chain_joins_.empty()) return true;
  }
  return false;
}

// The composed sections. A query that needs two folds at once ("v4rjeet"
// to the key "varjit", "f0rbbbidden") meets no entry in any one view's
// section. Tried only when two folds apply, or one before the phonetic
// key: most queries have no composed section. The folds are those whose
// own section differs (or, once the spaced view joined letters, those the
// hints allow, since joined tokens are new), applied in kFoldOrder. Each
// section records the folds that changed it, and counts() requires an
// entry to have every one of them on.
void QueryViews::add_composed(std::string_view base, ViewSet views, const Hints& hints) {
  const bool spaced = present_.has(View::spaced);
  ViewSet may;
  for (View v : kFoldOrder) {
    if (!views.has(v)) continue;
    // Squeeze only when its own section differs: one-character words are
    // common in Hindi and Bengali queries, and a chain for each would cost.
    const bool hinted = v == View::leet        ? hints.leet || symbols_used_
                        : v == View::homoglyph ? hints.homoglyph
                                               : false;
    if (present_.has(v) || (spaced && hinted)) may = may.with(v);
  }
  // A token ending in "x!" is read with a final i as well (leet()).
  const bool bang = symbols_used_ && has_final_bang(symbols_);
  if (bang) may = may.with(View::leet);
  // A doubled letter that leet made ("m00nlit" reads "moonlit", squeezed
  // "monlit" as the entry's `moonlit bazaar*` is): the squeeze section,
  // written from the base form, did not see it.
  if (views.has(View::squeeze) && may.has(View::leet) && !may.has(View::squeeze)) {
    if (const int own = own_section(View::leet); own >= 0 && has_doubled_letter(section_text(static_cast<std::size_t>(own)))) {
      may = may.with(View::squeeze);
    }
  }
  if (may == ViewSet()) return;
  std::array<Chain, kMaxComposed> tries{};
  std::size_t n = 0;
  // A word a separator broke, spelled with another fold ("f0rb idden",
  // "forrb idden"): the spaced view joins pieces into entry words, which
  // only the folded pieces spell. Joined after the folds, in one section,
  // only when some fold's own section holds such pieces.
  // Without squeeze too, when another fold is there, so that an entry
  // with squeeze off still meets "f0rb idden"; with it, "forrb idden"
  // meets the entry's squeezed word.
  if (views.has(View::spaced) && entry_words_ != nullptr && !entry_words_->empty() &&
      folds_break_word(may)) {
    const ViewSet folds = may.without(View::spaced);
    const ViewSet plain = folds.without(View::squeeze);
    for (int with_squeeze = 0; with_squeeze <= 1; ++with_squeeze) {
      const ViewSet f = with_squeeze != 0 ? folds : plain;
      if (f == ViewSet() || (with_squeeze != 0 && folds == plain)) continue;
      Chain join{f, false, false, false, false};
      join.join_words = true;
      tries[n++] = join;
    }
  }
  // Spaced-out words and doubled letters alone are common (one-character
  // words in Hindi and Bengali, "hidden"), and both at once read the same
  // in spaced's section: a chain needs leet, homoglyph or a run of three
  // (found by write_squeeze).
  const bool thrice = may.has(View::squeeze) && thrice_;
  const bool fold_pair = may.has(View::leet) || may.has(View::homoglyph) || thrice;
  // Repeats before the phonetic key: runs of two are the key's own
  // ("ee" is i), so a composed key squeezes only runs of three or more,
  // both to one ("gooopon") and to two ("vaaarjeeet").
  ViewSet keyed = may;
  if (may.has(View::squeeze) && !thrice) {
    keyed = keyed.without(View::squeeze);
  }
  // With a final '!', each chain is tried reading it both ways.
  for (int final_bang = 0; fold_pair && final_bang <= (bang ? 1 : 0); ++final_bang) {
    const bool b = final_bang != 0;
    if (count(may) >= 2 || b) tries[n++] = Chain{may, false, false, b, false};
    // Doubled letters are common in plain words ("hidden"): the others
    // without squeeze too, for entries that switch it off.
    if (may.has(View::squeeze) && count(may) >= 3) {
      tries[n++] = Chain{may.without(View::squeeze), false, false, b, false};
    }
    if (views.has(View::phonetic) && keyed != ViewSet()) {
      tries[n++] = Chain{keyed, true, false, b, false};
      if (keyed.has(View::squeeze)) {
        tries[n++] = Chain{keyed, true, true, b, false};
        tries[n++] = Chain{keyed, true, false, b, true};
      }
    }
  }
  // A '1' is l as often as i ("1antern", "gui1d"): a query with one in a
  // token that holds a letter is read once more with l, in one section
  // (not every chain twice: "1st" and "v1" are common); with entry words,
  // each token the way that spells one (leet_by_word), so a '|' read as i
  // ("gu|ld") is read there too.
  if (may.has(View::leet) && n < kMaxComposed &&
      (has_letter_one(base) || (symbols_used_ && entry_words_ != nullptr &&
                                !entry_words_->empty() && has_letter_one(symbols_, '|')))) {
    Chain one{thrice ? may : may.without(View::squeeze), false, false, false, false};
    one.one_as_l = true;
    tries[n++] = one;
  }
  for (std::size_t t = 0; t < n; ++t) {
    const std::size_t c = composed_;
    chains_[c] = tries[t];
    const bool symbols = symbols_used_ && tries[t].folds.has(View::leet);
    std::string& text = composed_text_;
    const ViewSet used = write_chain(c, symbols ? std::string_view(symbols_) : base, text, false);
    const ViewSet folds = used.without(View::phonetic);
    // One fold alone, or none, is a view's own section (but for the final
    // '!', which the leet view does not read).
    if (count(folds) < (tries[t].phonetic || tries[t].final_bang || tries[t].one_as_l ? 1 : 2)) {
      continue;
    }
    // Nor is a section with the same text and folds (the final '!' read as
    // i where no letter is). Only the same folds: the same text made by
    // others counts other atoms ("bеlli" keyed after homoglyph is "beli",
    // as squeezed after homoglyph, but only the key counts for phonetic
    // atoms).
    bool seen = false;
    for (std::size_t i = 1; i < count_ && !seen; ++i) {
      seen = sections_[i].folds == used && text == section_text(i);
    }
    if (seen) continue;
    chains_[c].folds = folds;
    scan_.push_back('\n');
    const auto begin = static_cast<std::uint32_t>(scan_.size());
    scan_.append(text);
    append_tokens(std::string_view(scan_).substr(begin), begin, tokens_);
    View last = View::phonetic;
    if (!tries[t].phonetic) {
      for (View v : kFoldOrder) {
        if (folds.has(v)) last = v;
      }
    }
    sections_[count_++] =
        Section{last, begin, static_cast<std::uint32_t>(scan_.size()), used, true};
    ++composed_;
  }
}

namespace {
// Whether a base token has the letters (code points) a corrected word has
// at least: one short of kFuzzyMinLetters (near_all, near_prefix and
// rekeyed ask as much of the word, and of the word a key spells). Counted
// by letters, not bytes: a Devanagari, Bengali or Kannada letter is three
// bytes, and most words of an Indic query are two to four letters long.
bool may_be_typo(const char* p, std::size_t size) {
  if (size + 1 < kFuzzyMinLetters) return false;
  // A word that begins with an ASCII letter is a Latin one: a byte a letter
  // (and where it is not, the searches count again).
  if (static_cast<unsigned char>(p[0]) < 0x80) return true;
  return code_point_count(std::string_view(p, size)) + 1 >= kFuzzyMinLetters;
}

// A word's slot in the fuzzy memo (or FuzzySeen), by its hash and its
// key's. Most words key as themselves (an English or Indonesian word, or
// any where the phonetic section equals the base form), so the two hashes
// are often equal: they are mixed, never xored (which put every such word
// in slot 0).
std::size_t memo_slot(std::uint64_t hash, std::uint64_t key_hash, std::size_t slots) {
  const std::uint64_t x = (hash + (key_hash << 1 | key_hash >> 63)) * 0x9E3779B97F4A7C15ull;
  return static_cast<std::size_t>(x >> 32) % slots;
}
}  // namespace

// The entry words (or, `key`, entry keys) that `typed` (the query word
// `word`, or its key) is a typo of, up to kFuzzyMaxCandidates, into `out`;
// returns how many. near_all's; else a prefix entry's word at the token's
// start, or a romanized word whose key one letter moved by two
// (text/fuzzy.h). A romanized word near one entry key can be meant for
// another, whose key the typed letter moved by two ("katjhaa": its key
// "katj" is one edit from "kate", and, less the j, keys as "kat",
// kathaa's): rekeyed()'s answer then joins near_all's as the last, when
// there is room and it is not one already (asked only of a key near_all
// found near some entry key: no cost to the rest). Case endings are
// dropped (text/endings.h). Inlined: write_fuzzy asks it of every long
// word, and a call of its own cost more than its work for most.
[[gnu::always_inline]] inline std::size_t QueryViews::candidates(const FuzzyIndex& index, bool key,
                                                                 std::string_view word,
                                                                 std::string_view typed,
                                                                 std::string_view* out) {
  const FuzzyTyped letters(typed, word);  // decoded once, for both searches
  std::size_t found = index.near_all(letters, out, kFuzzyMaxCandidates);
  if (found == 0 &&
      (index.near_prefix(letters, fix_) || (key && index.rekeyed(word, typed, fix_)))) {
    fixed_words_.push_back(fix_);
    out[found++] = fixed_words_.back();
  } else if (key && found > 0 && found < kFuzzyMaxCandidates && index.rekeyed(word, typed, fix_) &&
             std::find(out, out + found, std::string_view(fix_)) == out + found) {
    fixed_words_.push_back(fix_);
    out[found++] = fixed_words_.back();
  }
  return drop_endings(word, typed, out, found);
}

// The corrections of base token t (text `word`, no dictionary word): the
// entry words it is one edit from (part 0), and the entry keys its key is
// one edit from (part 1), into corrections_ and key_corrections_, with the
// ranks they fill and the bytes they add, as write_fuzzy counts them.
void QueryViews::correct_token(std::size_t t, std::string_view word, FuzzyRanks& ranks,
                               std::size_t& grow) {
  const bool phonetic = present_.has(View::phonetic);
  const Token& bt = tokens_[t];
  for (int part = 0; part < 2; ++part) {
    const FuzzyIndex* index = part == 0 ? fuzzy_ : fuzzy_keys_;
    if (index == nullptr) continue;
    // A word (or key) of an entry reads as itself, by the hash the views
    // recorded: most tokens of a query that are no dictionary word and
    // near an entry word are one.
    const Token& kt = part == 1 && phonetic ? tokens_[phonetic_first_ + t] : bt;
    if (index->is_word_hash(kt.hash)) continue;
    std::array<std::string_view, kFuzzyMaxCandidates> fixed;
    const std::string_view typed = std::string_view(scan_).substr(kt.begin, kt.size);
    const std::size_t found = candidates(*index, part == 1, word, typed, fixed.data());
    for (std::size_t r = 0; r < found; ++r) {
      (part == 0 ? corrections_ : key_corrections_)
          .push_back(Correction{static_cast<std::uint32_t>(t), fixed[r], part == 1,
                                static_cast<std::uint8_t>(r)});
      ranks[part][r] = true;
      grow += fixed[r].size();
    }
  }
}

// The fuzzy section, written like the phonetic one: each base token, or
// the entry word it is one edit from; then, with an index of keys, '\n' and
// each token's phonetic key (the phonetic section's, or the token when that
// section equals the base form), or the entry key it is one edit from.
// Only when some token is corrected; FuzzyIndex::correct turns most tokens
// away by their size or a bit set.
bool QueryViews::write_fuzzy(std::string_view base, std::size_t base_tokens, std::size_t begin) {
  static_assert(kFuzzyLineRanks == kFuzzyMaxCandidates);
  corrections_.clear();
  key_corrections_.clear();
  fixed_words_.clear();
  std::size_t grow = 0;
  const bool phonetic = present_.has(View::phonetic);
  // Which ranks of candidates some word (part 0) or key (part 1) has.
  FuzzyRanks ranks{};
  if (fuzzy_memo_.empty()) fuzzy_memo_.resize(kFuzzyMemoSlots);
  ++fuzzy_query_;
  // Most words are too short to be corrected, and are let be here; most
  // of the rest are dictionary words, let be next. Every long word's
  // dictionary line is fetched before the first is asked, then every other
  // word's memo set: most are cache misses, which then overlap, and a
  // dictionary word reads no memo line.
  long_tokens_.clear();
  for (std::size_t t = 0; t < base_tokens; ++t) {
    const Token& bt = tokens_[t];
    if (!may_be_typo(scan_.data() + bt.begin, bt.size)) continue;
    long_tokens_.push_back(static_cast<std::uint32_t>(t));
    prefetch_dictionary(bt.hash);
  }
  std::size_t kept = 0;
  for (const std::uint32_t t : long_tokens_) {
    const Token& bt = tokens_[t];
    if (is_dictionary_hash(bt.hash)) continue;
    long_tokens_[kept++] = t;
    const std::uint64_t key_hash = phonetic ? tokens_[phonetic_first_ + t].hash : bt.hash;
    const FuzzyMemo* set = memo_set(bt.hash, key_hash);
    __builtin_prefetch(set);
    __builtin_prefetch(set + 1);
  }
  long_tokens_.resize(kept);
  for (const std::uint32_t t : long_tokens_) {
    const Token& bt = tokens_[t];
    const std::string_view word(scan_.data() + bt.begin, bt.size);
    // Then a word this object met before (the memo).
    const std::uint64_t key_hash = phonetic ? tokens_[phonetic_first_ + t].hash : bt.hash;
    FuzzyMemo* set = nullptr;
    if (bt.size <= sizeof set->token) {
      set = memo_set(bt.hash, key_hash);
      const FuzzyMemo* hit = nullptr;
      for (std::size_t way = 0; way < kFuzzyMemoWays && hit == nullptr; ++way) {
        const FuzzyMemo& m = set[way];
        if (m.indexes == fuzzy_indexes_ && m.hash == bt.hash && m.key_hash == key_hash &&
            m.size == bt.size && std::memcmp(m.token, word.data(), bt.size) == 0) {
          hit = &m;
        }
      }
      if (hit != nullptr) {
        replay(*hit, t, ranks, grow);
        continue;
      }
    }
    // A word met earlier in this query takes the corrections it had: a
    // long query that repeats a word near an entry's corrects it once.
    FuzzySeen& seen = fuzzy_seen_[memo_slot(bt.hash, key_hash, fuzzy_seen_.size())];
    if (seen.query == fuzzy_query_ && seen.hash == bt.hash && seen.key_hash == key_hash &&
        std::string_view(scan_).substr(tokens_[seen.token].begin, tokens_[seen.token].size) ==
            word) {
      for (std::uint32_t i = seen.words; i < seen.words + seen.word_count; ++i) {
        Correction c = corrections_[i];
        c.token = static_cast<std::uint32_t>(t);
        grow += c.word.size();
        corrections_.push_back(c);
      }
      for (std::uint32_t i = seen.keys; i < seen.keys + seen.key_count; ++i) {
        Correction c = key_corrections_[i];
        c.token = static_cast<std::uint32_t>(t);
        grow += c.word.size();
        key_corrections_.push_back(c);
      }
      continue;
    }
    const auto words = static_cast<std::uint32_t>(corrections_.size());
    const auto keys = static_cast<std::uint32_t>(key_corrections_.size());
    const std::size_t written = fixed_words_.size();
    // A dictionary word with an inflection is an ordinary word too, asked
    // only here, after the memo: remembered as a word with no correction.
    if (!is_inflected_dictionary_word(word)) correct_token(t, word, ranks, grow);
    const auto word_count = static_cast<std::uint32_t>(corrections_.size()) - words;
    const auto key_count = static_cast<std::uint32_t>(key_corrections_.size()) - keys;
    if (word_count + key_count != 0) {
      seen = FuzzySeen{fuzzy_query_, bt.hash, key_hash, t, words, word_count, keys, key_count};
    }
    // The newest word of a set is its first way; the older moves to the
    // second, and the oldest leaves.
    FuzzyMemo fresh;
    if (set != nullptr && remember(fresh, corrections_.data() + words, word_count,
                                   key_corrections_.data() + keys, key_count, written)) {
      fresh.hash = bt.hash;
      fresh.key_hash = key_hash;
      fresh.indexes = fuzzy_indexes_;
      fresh.size = static_cast<std::uint8_t>(bt.size);
      std::memcpy(fresh.token, word.data(), bt.size);
      std::copy_backward(set, set + kFuzzyMemoWays - 1, set + kFuzzyMemoWays);
      set[0] = fresh;
    }
  }
  // Words first, then keys: the order explain lists them in.
  corrections_.insert(corrections_.end(), key_corrections_.begin(), key_corrections_.end());
  if (corrections_.empty()) return false;
  index_corrections(base_tokens);
  // The lines: the words and the keys with each word's first candidate,
  // then a line for each further rank some word or key has.
  fuzzy_line_count_ = 0;
  fuzzy_lines_[fuzzy_line_count_++] = FuzzyLine{false, 0};
  if (fuzzy_keys_ != nullptr) fuzzy_lines_[fuzzy_line_count_++] = FuzzyLine{true, 0};
  for (std::uint8_t r = 1; r < kFuzzyLineRanks; ++r) {
    for (int part = 0; part < 2; ++part) {
      if (ranks[part][r]) fuzzy_lines_[fuzzy_line_count_++] = FuzzyLine{part == 1, r};
    }
  }
  const std::size_t keys_size =
      (phonetic ? sections_[count_ - 1].end - sections_[count_ - 1].begin : base.size()) + 1;
  const std::size_t bound =
      fuzzy_line_count_ * (std::max(base.size(), keys_size) + 1) + grow * fuzzy_line_count_ + 17;
  if (section_.size() < bound) section_.resize(bound);
  char* w = section_.data();
  std::size_t at = 0;
  fuzzy_first_ = tokens_.size();
  for (std::size_t line = 0; line < fuzzy_line_count_; ++line) {
    const FuzzyLine l = fuzzy_lines_[line];
    if (line > 0) w[at++] = '\n';
    w[at++] = ' ';
    for (std::size_t t = 0; t < base_tokens; ++t) {
      const Token& st = l.key && phonetic ? tokens_[phonetic_first_ + t] : tokens_[t];
      std::string_view word = std::string_view(scan_).substr(st.begin, st.size);
      // This line's rank of the token's candidates, else its first.
      const std::size_t ranks = (2 * t + (l.key ? 1 : 0)) * kFuzzyLineRanks;
      std::int32_t c = correction_at_[ranks + l.rank];
      if (c < 0) c = correction_at_[ranks];
      if (c >= 0) word = corrections_[static_cast<std::size_t>(c)].word;
      std::memcpy(w + at, word.data(), word.size());
      tokens_.push_back(Token{static_cast<std::uint32_t>(begin + at),
                              static_cast<std::uint32_t>(word.size()),
                              token_hash(w + at, word.size())});
      at += word.size();
      w[at++] = ' ';
    }
  }
  scan_.append(w, at);
  return true;
}

void QueryViews::index_corrections(std::size_t base_tokens) {
  correction_at_.assign(2 * base_tokens * kFuzzyLineRanks, -1);
  for (std::size_t i = 0; i < corrections_.size(); ++i) {
    const Correction& c = corrections_[i];
    if (c.token >= base_tokens || c.rank >= kFuzzyLineRanks) continue;
    std::int32_t& at = correction_at_[(2 * c.token + (c.key ? 1 : 0)) * kFuzzyLineRanks + c.rank];
    if (at < 0) at = static_cast<std::int32_t>(i);
  }
}

QueryViews::FuzzyMemo* QueryViews::memo_set(std::uint64_t hash, std::uint64_t key_hash) {
  return &fuzzy_memo_[kFuzzyMemoWays * memo_slot(hash, key_hash, kFuzzyMemoSets)];
}

void QueryViews::replay(const FuzzyMemo& memo, std::uint32_t t, FuzzyRanks& ranks,
                        std::size_t& grow) {
  for (std::size_t part = 0; part < 2; ++part) {
    for (std::uint8_t r = 0; r < memo.count[part]; ++r) {
      const std::string_view word(memo.fixed[part][r], memo.fixed_size[part][r]);
      (part == 0 ? corrections_ : key_corrections_).push_back(Correction{t, word, part == 1, r});
      ranks[part][r] = true;
      grow += word.size();
    }
  }
}

bool QueryViews::remember(FuzzyMemo& memo, const Correction* words, std::size_t word_count,
                          const Correction* keys, std::size_t key_count, std::size_t written) {
  const std::array<const Correction*, 2> from{words, keys};
  const std::array<std::size_t, 2> count{word_count, key_count};
  // A correction the views wrote (fixed_words_ from `written` on) is
  // copied into memo_text_; the rest lie in the indexes.
  auto wrote = [&](std::string_view w) {
    for (std::size_t i = written; i < fixed_words_.size(); ++i) {
      if (fixed_words_[i].data() == w.data()) return true;
    }
    return false;
  };
  std::size_t text = 0;
  for (std::size_t part = 0; part < 2; ++part) {
    // A correction longer than a slot records (255 bytes: no entry word of
    // kFuzzyMaxLetters letters is), or more of them than it holds, leave
    // the word out of the memo.
    if (count[part] > kFuzzyLineRanks) return false;
    for (std::size_t r = 0; r < count[part]; ++r) {
      const std::string_view w = from[part][r].word;
      if (w.size() > UINT8_MAX) return false;
      if (wrote(w)) text += w.size();
    }
  }
  if (text > 0 && memo_text_used_ + text > kFuzzyMemoText) {
    // The copies fill their store: the memo starts afresh (its slots
    // point into the store).
    std::fill(fuzzy_memo_.begin(), fuzzy_memo_.end(), FuzzyMemo{});
    memo_text_used_ = 0;
  }
  if (text > 0 && memo_text_.empty()) memo_text_.resize(kFuzzyMemoText);
  for (std::size_t part = 0; part < 2; ++part) {
    for (std::size_t r = 0; r < count[part]; ++r) {
      std::string_view w = from[part][r].word;
      if (wrote(w)) {
        char* copy = memo_text_.data() + memo_text_used_;
        std::memcpy(copy, w.data(), w.size());
        memo_text_used_ += w.size();
        w = std::string_view(copy, w.size());
      }
      memo.fixed[part][r] = w.data();
      memo.fixed_size[part][r] = static_cast<std::uint8_t>(w.size());
    }
    memo.count[part] = static_cast<std::uint8_t>(count[part]);
  }
  return true;
}

// The fuzzy section's map to the base form (or a typo section's, from
// add_fuzzy_folded): each word of its `lines` lines from tokens_[first]
// maps, every byte, to the base token it stands for.
void QueryViews::fuzzy_map(OffsetMap& map, std::size_t first, std::size_t lines) const {
  map.clear();
  const std::size_t fuzzy_first = first;
  const std::size_t fuzzy_end = fuzzy_first + base_tokens_ * lines;
  for (std::size_t k = fuzzy_first; k < fuzzy_end; ++k) {
    const std::size_t t = (k - fuzzy_first) % base_tokens_;
    if (t == 0) {
      if (k != fuzzy_first) map.push(0, 1);  // the '\n'
      map.push(0, 1);
    }
    const Token& bt = tokens_[t];
    for (std::size_t b = 0; b < tokens_[k].size; ++b) map.push(bt.begin, bt.begin + bt.size);
    map.push(bt.begin + bt.size, bt.begin + bt.size + 1);
  }
}

namespace {

// A one-token text's token, or empty when the fold split it.
std::string_view only_token(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s.find(' ') == std::string_view::npos ? s : std::string_view();
}

// phonetic_token's answer, through the general entry point: a third
// caller would change how phonetic_token is inlined into the phonetic
// section's writer, which every query runs.
std::size_t key_of(std::string_view token, char* out) {
  const std::ptrdiff_t key = phonetic_key_into(token, out);
  if (key >= 0) return static_cast<std::size_t>(key);
  std::memcpy(out, token.data(), token.size());
  return token.size();
}

// The key of `word` (key_of) in `buffer`, grown to hold it: the typo
// sections' keys of folded and joined words.
std::string_view key_into(std::string& buffer, std::string_view word) {
  const std::size_t room = phonetic_key_bound(word.size()) + 17;
  if (buffer.size() < room) buffer.resize(room);
  return std::string_view(buffer.data(), key_of(word, buffer.data()));
}

// Runs of one letter that a typo section shortens, at most: each is tried
// on its own.
constexpr std::size_t kFoldedRuns = 3;

}  // namespace

// A typo in a token that a fold changed ("forbidd3n", "fоrbiden" with a
// Cyrillic о, "forrbiddn"): the fuzzy section corrects tokens as typed,
// and such a token is one edit from an entry word only once folded. Only
// the tokens a fold changes are tried (a digit with leet on, a non-ASCII
// letter with homoglyph on, a doubled ASCII letter with squeeze on), so
// most queries pay a byte scan of their longer tokens. Each is folded in
// kFoldOrder and corrected as write_fuzzy corrects (its first candidate),
// or read as itself when the fold alone made an entry word ("m00nlit",
// for "m00nlit bazar"). The dictionary guard is asked of the word as
// typed and of the folded word: "0rchards" folds to a word and stays one.
// A doubled letter is shortened one run at a time ("forrbiddn" reads
// "forbiddn"), not squeezed: the index holds entry words as spelled.
// A line of words, and one of keys, each a section of its own written
// only when a fold and a typo both made it, base token for base token
// (the fuzzy section's corrections fill the tokens no fold changed). Its
// folds are those used, fuzzy (and phonetic for the keys): counts() wants
// each on in the entry, and the fuzzy view's cap holds.
void QueryViews::add_fuzzy_folded(std::size_t base_tokens, ViewSet views) {
  if (present_.has(View::spaced) && spaced_runs_) {
    const auto [first, end] = view_tokens_[static_cast<std::size_t>(View::spaced)];
    add_fuzzy_spaced(first, end);
  }
  folded_fixes_.clear();
  // A fold whose own section equals the base form changes no token: most
  // queries have none of the three.
  const bool leet_on = views.has(View::leet) && present_.has(View::leet);
  const bool homoglyph_on = views.has(View::homoglyph) && present_.has(View::homoglyph);
  const bool squeeze_on = views.has(View::squeeze) && present_.has(View::squeeze);
  if (!leet_on && !homoglyph_on && !squeeze_on) return;
  const bool phonetic = present_.has(View::phonetic);
  auto& variants = fold_variants_;
  static_assert(std::tuple_size_v<std::remove_reference_t<decltype(variants)>> ==
                3 + 2 * kFoldedRuns);
  std::array<ViewSet, 3 + 2 * kFoldedRuns> variant_folds;
  std::array<std::string_view, kFuzzyMaxCandidates> found;
  // Whether view v's own section changed base token t: its token there
  // (they are written token for token) has another hash. A leet section
  // that read symbols can have more tokens: then each token is folded.
  auto changed = [&](bool on, View v, std::size_t t) {
    if (!on) return false;
    const auto [first, end] = view_tokens_[static_cast<std::size_t>(v)];
    return end - first != base_tokens || tokens_[first + t].hash != tokens_[t].hash;
  };
  // Token t (`word`), folded and looked up; its fixes appended to
  // folded_fixes_.
  auto fold_token = [&](std::size_t t, std::string_view word, bool leet_may, bool high) {
    const Token& bt = tokens_[t];
    // A dictionary word as typed is never corrected; an entry word reads
    // as itself.
    if (is_ordinary_word(bt.hash, word) || (fuzzy_ != nullptr && fuzzy_->is_word_hash(bt.hash))) {
      return;
    }
    // The folds, in kFoldOrder: look-alikes, then leet (reading '1' as i,
    // and as l in a second variant).
    std::size_t n = 0;
    variants[0].assign(word);
    variant_folds[0] = ViewSet();
    if (homoglyph_on && high) {
      fold_text_.assign(" ").append(word).append(" ");
      write_view(View::homoglyph, fold_text_, fold_out_, nullptr, 0);
      const std::string_view f = only_token(fold_out_);
      if (!f.empty() && f != word) {
        variants[0].assign(f);
        variant_folds[0] = ViewSet::only(View::homoglyph);
      }
    }
    n = 1;
    if (leet_may) {
      fold_text_.assign(" ").append(variants[0]).append(" ");
      const ViewSet before = variant_folds[0];
      for (int one_as_l = 0; one_as_l < 2; ++one_as_l) {
        if (one_as_l == 1 && fold_text_.find('1') == std::string::npos) break;
        {
          ViewWriter w(fold_out_, nullptr);
          leet(fold_text_, w, false, one_as_l == 1);
        }
        const std::string_view f = only_token(fold_out_);
        if (f.empty() || f == only_token(fold_text_)) continue;
        const std::size_t at = one_as_l == 1 && variant_folds[0].has(View::leet) ? n++ : 0;
        variants[at].assign(f);
        variant_folds[at] = before.with(View::leet);
      }
    }
    // Then each run of a letter squeezed to one on its own, in the first
    // variant ("mooonlit" reads "monlit", one edit from *moonlit*), and a
    // run of three or more to two as well ("moooonhief" reads "moonhief",
    // one edit from *moonthief*: a stretched word keeps its double).
    const std::size_t first_squeezed = n;
    // The variant the keys read: every run of three or more squeezed to
    // one ("looonhon" reads "lonhon"); a key reads a run of two as it
    // reads its letters ("ee" is i), not as one.
    std::size_t keyed = variants.size();
    if (squeeze_on) {
      const std::string& first = variants[0];
      std::size_t runs = 0;
      bool thrice = false;
      for (std::size_t i = 0; i + 1 < first.size() && runs < kFoldedRuns; ++i) {
        if (first[i + 1] != first[i] || !is_lower_ascii(first[i])) continue;
        std::size_t e = i + 2;
        while (e < first.size() && first[e] == first[i]) ++e;
        ++runs;
        thrice |= e - i >= 3;
        for (std::size_t keep = 1; keep <= (e - i >= 3 ? 2u : 1u); ++keep) {
          variants[n].assign(first, 0, i + keep).append(first, e, std::string::npos);
          variant_folds[n++] = variant_folds[0].with(View::squeeze);
        }
        i = e - 1;
      }
      if (thrice) {
        std::string& key_variant = variants[n];
        key_variant.clear();
        for (std::size_t i = 0; i < first.size();) {
          std::size_t e = i + 1;
          while (e < first.size() && first[e] == first[i] && is_lower_ascii(first[i])) ++e;
          key_variant.insert(key_variant.end(), first.begin() + static_cast<std::ptrdiff_t>(i),
                             first.begin() + static_cast<std::ptrdiff_t>(e - i >= 3 ? i + 1 : e));
          i = e;
        }
        keyed = n;
        variant_folds[n++] = variant_folds[0].with(View::squeeze);
      }
    }
    for (int part = 0; part < 2; ++part) {
      const FuzzyIndex* index = part == 0 ? fuzzy_ : fuzzy_keys_;
      if (index == nullptr) continue;
      for (std::size_t v = 0; v < n; ++v) {
        // The keys read a run of two as they read it (above); and
        // near_prefix is asked of the first variant only, rekeyed never:
        // those cost.
        if (variant_folds[v] == ViewSet() || (part == 1 && v >= first_squeezed && v != keyed)) {
          continue;
        }
        const std::string& folded = variants[v];
        std::string_view typed = folded;
        if (part == 1) {
          typed = key_into(fold_key_, folded);
        }
        // Every candidate, a line each, as write_fuzzy writes them.
        std::size_t count = 0;
        bool typo = false;
        if (index->is_word_hash(token_hash(typed.data(), typed.size()))) {
          fixed_words_.emplace_back(typed);
          found[count++] = fixed_words_.back();
        } else if (!is_ordinary_word(token_hash(folded.data(), folded.size()), folded)) {
          // The first variant as write_fuzzy reads a word (candidates:
          // near_all, near_prefix, and for a key rekeyed, which finds
          // "gооpon" with Cyrillic о, "goopon" keyed "gupon", near
          // *gopon*); the others by near_all alone.
          if (v == 0) {
            count = candidates(*index, part == 1, folded, typed, found.data());
          } else {
            count = index->near_all(FuzzyTyped(typed, folded), found.data(), found.size());
          }
          typo = count > 0;
        }
        if (count == 0) continue;
        for (std::size_t r = 0; r < count; ++r) {
          folded_fixes_.push_back(FoldedFix{static_cast<std::uint32_t>(t), part == 1, typo,
                                            variant_folds[v], found[r],
                                            static_cast<std::uint8_t>(r)});
        }
        break;
      }
      // Else the folded word (or its key) as it is, for a typo in another
      // ("m0olit b4zaars": "bazaars" is a dictionary word, for a prefix
      // entry).
      if (variant_folds[0] != ViewSet() &&
          (folded_fixes_.empty() || folded_fixes_.back().token != t ||
           folded_fixes_.back().key != (part == 1))) {
        const std::string& folded = variants[0];
        if (part == 0) {
          fixed_words_.push_back(folded);
        } else {
          fixed_words_.emplace_back(phonetic_key_bound(folded.size()) + 17, '\0');
          fixed_words_.back().resize(
              key_of(folded, fixed_words_.back().data()));
        }
        folded_fixes_.push_back(FoldedFix{static_cast<std::uint32_t>(t), part == 1, false,
                                          variant_folds[0], fixed_words_.back()});
      }
    }
  };
  ++folded_query_;
  for (std::size_t t = 0; t < base_tokens; ++t) {
    const Token& bt = tokens_[t];
    // A typo is in a word of kFuzzyMinLetters or more (and one letter
    // fewer once a run is shortened; leet and look-alikes keep the
    // length). A shorter word is only read folded (fold_token).
    if (bt.size + 1 < kFuzzyMinLetters) continue;
    const bool leet_may = changed(leet_on, View::leet, t);
    const bool high = changed(homoglyph_on, View::homoglyph, t);
    const bool squeezed = bt.size >= kFuzzyMinLetters && changed(squeeze_on, View::squeeze, t);
    if (!leet_may && !high && !squeezed) continue;
    const std::string_view word = std::string_view(scan_).substr(bt.begin, bt.size);
    // A token met earlier in this query has the fixes it had there: what
    // fold_token finds depends on the word alone (its folds read no
    // neighbour, and where the flags above differ for one word, the fold
    // one of them lets run changes nothing of it).
    FoldedSeen& seen = folded_seen_[bt.hash % folded_seen_.size()];
    if (seen.query == folded_query_ && seen.hash == bt.hash &&
        std::string_view(scan_).substr(tokens_[seen.token].begin, tokens_[seen.token].size) ==
            word) {
      for (std::uint32_t i = seen.first; i < seen.first + seen.count; ++i) {
        FoldedFix f = folded_fixes_[i];
        f.token = static_cast<std::uint32_t>(t);
        folded_fixes_.push_back(f);
      }
      continue;
    }
    const auto first = static_cast<std::uint32_t>(folded_fixes_.size());
    fold_token(t, word, leet_may, high);
    seen = FoldedSeen{folded_query_, bt.hash, static_cast<std::uint32_t>(t), first,
                      static_cast<std::uint32_t>(folded_fixes_.size()) - first};
  }
  if (folded_fixes_.empty() && corrections_.empty()) return;
  fix_at_.assign(2 * base_tokens, -1);
  index_corrections(base_tokens);
  auto slot = [](std::size_t t, bool key) { return 2 * t + (key ? 1 : 0); };
  // A token's candidates start at rank 0: it has one if it has any.
  auto first_correction = [&](std::size_t t, bool key) {
    return correction_at_[slot(t, key) * kFuzzyLineRanks];
  };
  auto add_fix = [&](const FoldedFix& f) {
    std::int32_t& at = fix_at_[slot(f.token, f.key)];
    if (at < 0) at = static_cast<std::int32_t>(folded_fixes_.size());
    folded_fixes_.push_back(f);
  };
  for (std::size_t i = 0; i < folded_fixes_.size(); ++i) {
    std::int32_t& at = fix_at_[slot(folded_fixes_[i].token, folded_fixes_[i].key)];
    if (at < 0) at = static_cast<std::int32_t>(i);
  }
  // With a typo somewhere, every other word a fold changed is read folded
  // (its own section's token), so that one line holds them all ("v3let
  // k3y", "veeelet keeey", "m0on thief legnd"). Rarely reached: no cost
  // to the token loop above.
  for (int part = 0; part < 2; ++part) {
    if ((part == 0 ? fuzzy_ : fuzzy_keys_) == nullptr) continue;
    for (std::size_t t = 0; t < base_tokens; ++t) {
      if (!changed(leet_on, View::leet, t) && !changed(homoglyph_on, View::homoglyph, t) &&
          !changed(squeeze_on, View::squeeze, t)) {
        continue;
      }
      const bool fixed = fix_at_[slot(t, part == 1)] >= 0 || first_correction(t, part == 1) >= 0;
      if (fixed || is_ordinary_word(tokens_[t].hash, std::string_view(scan_).substr(
                                                         tokens_[t].begin, tokens_[t].size))) {
        continue;
      }
      for (const View v : {View::homoglyph, View::leet, View::squeeze}) {
        const bool on = v == View::leet ? leet_on : v == View::homoglyph ? homoglyph_on : squeeze_on;
        if (!changed(on, v, t)) continue;
        const auto [first, end] = view_tokens_[static_cast<std::size_t>(v)];
        if (end - first != base_tokens) break;
        const Token& st = tokens_[first + t];
        const std::string_view w = std::string_view(scan_).substr(st.begin, st.size);
        if (part == 0) {
          fixed_words_.emplace_back(w);
        } else {
          fixed_words_.emplace_back(phonetic_key_bound(w.size()) + 17, '\0');
          fixed_words_.back().resize(key_of(w, fixed_words_.back().data()));
        }
        add_fix(FoldedFix{static_cast<std::uint32_t>(t), part == 1, false, ViewSet::only(v),
                          fixed_words_.back()});
        break;
      }
    }
  }
  for (int part = 0; part < 2; ++part) {
    const bool key = part == 1;
    ViewSet folds = ViewSet::only(View::fuzzy);
    if (key) folds = folds.with(View::phonetic);
    bool fold = false;
    bool typo = false;
    // Token t's candidate of rank `rank`, else its first: a token's
    // candidates lie together from its first, by rank.
    auto fix_of = [&](std::size_t t, std::size_t rank = 0) -> const FoldedFix* {
      const std::int32_t at = t < base_tokens ? fix_at_[slot(t, key)] : -1;
      if (at < 0) return nullptr;
      const auto first = static_cast<std::size_t>(at);
      for (std::size_t i = first; i < folded_fixes_.size() && i < first + kFuzzyMaxCandidates; ++i) {
        const FoldedFix& f = folded_fixes_[i];
        if (f.token != t || f.key != key) break;
        if (f.rank == rank) return &f;
      }
      return &folded_fixes_[first];
    };
    std::size_t lines = 1;
    for (const FoldedFix& f : folded_fixes_) {
      if (f.key != key) continue;
      fold = true;
      typo |= f.typo;
      lines = std::max<std::size_t>(lines, f.rank + 1u);
      for (unsigned b = f.folds.bits(); b != 0; b &= b - 1) {
        folds = folds.with(static_cast<View>(std::countr_zero(b)));
      }
    }
    for (const Correction& c : corrections_) {
      if (c.key == key && c.rank == 0 && fix_of(c.token) == nullptr) typo = true;
    }
    if (!fold || !typo) continue;
    // With squeeze among the folds, the words are squeezed, corrections
    // too: the entry's squeeze literal is what such a line meets ("moolit
    // baaazaars" reads "monlit bazars", as `moonlit bazaar*` squeezed).
    const bool squeezed = !key && folds.has(View::squeeze);
    fold_out_.assign(" ");
    const std::size_t first = tokens_.size();
    const std::size_t begin = scan_.size() + 1;
    for (std::size_t line = 0; line < lines; ++line) {
      if (line > 0) {
        fold_out_.push_back('\n');
        fold_out_.push_back(' ');
      }
      for (std::size_t t = 0; t < base_tokens; ++t) {
        std::string_view w;
        if (const FoldedFix* f = fix_of(t, line)) {
          w = f->word;
        } else {
          const Token& st = key && phonetic ? tokens_[phonetic_first_ + t] : tokens_[t];
          w = std::string_view(scan_).substr(st.begin, st.size);
          if (const std::int32_t c = first_correction(t, key); c >= 0) {
            w = corrections_[static_cast<std::size_t>(c)].word;
          }
        }
        const std::size_t at = fold_out_.size();
        if (squeezed) {
          fold_out_.resize(at + w.size());
          fold_out_.resize(at + squeeze_token(reinterpret_cast<const unsigned char*>(w.data()),
                                              w.size(), fold_out_.data() + at));
        } else {
          fold_out_.append(w);
        }
        const std::size_t size = fold_out_.size() - at;
        tokens_.push_back(Token{static_cast<std::uint32_t>(begin + at),
                                static_cast<std::uint32_t>(size),
                                token_hash(fold_out_.data() + at, size)});
        fold_out_.push_back(' ');
      }
    }
    scan_.push_back('\n');
    scan_.append(fold_out_);
    folded_section_[part] = static_cast<int>(count_);
    folded_first_[part] = first;
    folded_lines_[part] = lines;
    sections_[count_++] =
        Section{View::fuzzy, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(scan_.size()),
                folds, true};
  }
}

// A typo in a word spelled out letter by letter ("f o r b i d e n
// orchard"): the spaced section joins the run into a token no base token
// is, and that token is corrected as write_fuzzy corrects one, by the
// words (part 0) and by the keys (part 1: "g o p o n   l o n h o n"), each
// of its candidates on a line of its own, as there. A joined token whose
// key is an entry key as it is ("c h a a d e e": chaadee, key "cadi")
// reads as that key, as write_fuzzy's keys do: the spaced section's words
// are never keyed otherwise. The base tokens in it take their own first
// correction, if any. Each part is a section of its own, written only when
// a joined token was corrected or keyed so, with the spaced fold, fuzzy
// when some token of it is corrected, and phonetic for the keys; its map,
// built as it is written (rarely), goes to the spaced section.
void QueryViews::add_fuzzy_spaced(std::size_t first, std::size_t end) {
  // Only runs of one-character tokens make a word no entry spells: the
  // spaced section's other joins are entry words, or a prefix entry's.
  const int source = own_section(View::spaced);
  if (source < 0 || !spaced_runs_) return;
  // First the joined tokens' corrections: most write nothing here.
  folded_fixes_.clear();
  std::array<std::string_view, kFuzzyMaxCandidates> found;
  for (std::size_t k = first; k < end; ++k) {
    const Token& tk = tokens_[k];
    if (tk.size + 1 < kFuzzyMinLetters ||
        is_ordinary_word(tk.hash, std::string_view(scan_).substr(tk.begin, tk.size))) {
      continue;
    }
    bool base_token = false;
    for (std::size_t t = 0; t < base_tokens_ && !base_token; ++t) base_token = tokens_[t].hash == tk.hash;
    if (base_token) continue;
    // An entry word reads as itself (its key may still be an entry's).
    const bool entry_word = fuzzy_ != nullptr && fuzzy_->is_word_hash(tk.hash);
    const std::string_view word = std::string_view(scan_).substr(tk.begin, tk.size);
    for (int part = 0; part < 2; ++part) {
      const FuzzyIndex* index = part == 0 ? fuzzy_ : fuzzy_keys_;
      if (index == nullptr) continue;
      std::string_view typed = word;
      if (part == 1) {
        typed = key_into(fold_key_, word);
      }
      if (index->is_word_hash(token_hash(typed.data(), typed.size()))) {
        if (part == 1) {
          fixed_words_.emplace_back(typed);
          folded_fixes_.push_back(FoldedFix{static_cast<std::uint32_t>(k), true, false, ViewSet(),
                                            fixed_words_.back()});
        }
        continue;
      }
      if (entry_word) continue;
      const std::size_t n = candidates(*index, part == 1, word, typed, found.data());
      for (std::size_t r = 0; r < n; ++r) {
        folded_fixes_.push_back(FoldedFix{static_cast<std::uint32_t>(k), part == 1, true, ViewSet(),
                                          found[r], static_cast<std::uint8_t>(r)});
      }
    }
  }
  if (folded_fixes_.empty()) return;
  spaced_fix_source_ = source;
  const Section src = sections_[static_cast<std::size_t>(source)];
  for (int part = 0; part < 2; ++part) {
    const bool key = part == 1;
    std::size_t lines = 0;
    for (const FoldedFix& f : folded_fixes_) {
      if (f.key == key) lines = std::max<std::size_t>(lines, f.rank + 1u);
    }
    if (lines == 0) continue;
    OffsetMap& map = spaced_fix_maps_[static_cast<std::size_t>(part)];
    map.clear();
    std::string& out = spaced_fix_text_;
    out.clear();
    bool typo = false;
    for (std::size_t line = 0; line < lines; ++line) {
      if (line > 0) {
        out.push_back('\n');
        map.push(0, 1);
      }
      std::size_t at = src.begin;  // in scan_
      auto copy_to = [&](std::size_t stop) {
        for (; at < stop; ++at) {
          out.push_back(scan_[at]);
          map.push(static_cast<std::uint32_t>(at - src.begin),
                   static_cast<std::uint32_t>(at - src.begin + 1));
        }
      };
      for (std::size_t k = first; k < end; ++k) {
        const Token tk = tokens_[k];
        copy_to(tk.begin);
        const std::string_view word = std::string_view(scan_).substr(tk.begin, tk.size);
        std::string_view w = word;
        if (key) {
          w = key_into(fold_key_, word);
        }
        std::size_t base_token = base_tokens_;
        for (std::size_t t = 0; t < base_tokens_ && base_token == base_tokens_; ++t) {
          if (tokens_[t].hash == tk.hash) base_token = t;
        }
        for (const Correction& c : corrections_) {
          if (c.token == base_token && c.key == key && c.rank == 0) {
            w = c.word;
            typo = true;
          }
        }
        // This line's rank of the token's candidates, else its first.
        const FoldedFix* fix = nullptr;
        for (const FoldedFix& f : folded_fixes_) {
          if (f.token != k || f.key != key) continue;
          if (f.rank == 0 && fix == nullptr) fix = &f;
          if (f.rank == line) fix = &f;
        }
        if (fix != nullptr) {
          w = fix->word;
          typo |= fix->typo;
        }
        out.append(w);
        for (std::size_t b = 0; b < w.size(); ++b) {
          map.push(static_cast<std::uint32_t>(tk.begin - src.begin),
                   static_cast<std::uint32_t>(tk.begin - src.begin + tk.size));
        }
        at = tk.begin + tk.size;
      }
      copy_to(src.end);
    }
    scan_.push_back('\n');
    const auto begin = static_cast<std::uint32_t>(scan_.size());
    scan_.append(out);
    append_tokens(std::string_view(scan_).substr(begin), begin, tokens_);
    ViewSet folds = ViewSet::only(View::spaced);
    if (typo) folds = folds.with(View::fuzzy);
    if (key) folds = folds.with(View::phonetic);
    spaced_fix_section_[static_cast<std::size_t>(part)] = static_cast<int>(count_);
    sections_[count_++] = Section{typo ? View::fuzzy : View::phonetic, begin,
                                  static_cast<std::uint32_t>(scan_.size()), folds, true};
  }
}

std::vector<std::pair<std::string_view, std::string_view>> QueryViews::corrections() const {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  if (!present_.has(View::fuzzy)) return out;
  for (const Correction& c : corrections_) {
    const Token& bt = tokens_[c.token];
    out.emplace_back(std::string_view(scan_).substr(bt.begin, bt.size), c.word);
  }
  return out;
}

// The squeeze section, written like the phonetic one: token by token from
// the base tokens, recording each. `ascii`: the base form is ASCII only,
// with 16 readable bytes after every token.
bool QueryViews::write_squeeze(std::string_view base, std::size_t base_tokens, std::size_t begin,
                               bool ascii) {
  // Room for a 16-byte store, and token_hash_padded, at the end.
  if (section_.size() < base.size() + 16) section_.resize(base.size() + 16);
  char* w = section_.data();
  std::size_t at = 0;
  w[at++] = ' ';
  bool changed = false;
  for (std::size_t t = 0; t < base_tokens; ++t) {
    const Token& bt = tokens_[t];
    const auto* p = reinterpret_cast<const unsigned char*>(base.data()) + bt.begin;
    std::size_t n;
#if defined(__SSE2__)
    if (ascii && bt.size <= 16) {
      // Most tokens have no letter twice in a row and are copied whole.
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i twice = _mm_and_si128(_mm_cmpeq_epi8(x, _mm_srli_si128(x, 1)),
                                          _mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)));
      const unsigned pairs = (1u << (bt.size - 1)) - 1;  // letter i with letter i + 1
      const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(twice)) & pairs;
      if (m == 0) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w + at), x);
        n = bt.size;
      } else {
        n = squeeze_ascii_token(p, bt.size, w + at);
        thrice_ |= (m & (m >> 1)) != 0;  // a letter three times in a row
      }
    } else
#endif
    {
      n = ascii ? squeeze_ascii_token(p, bt.size, w + at) : squeeze_token(p, bt.size, w + at);
      if (n + 2 <= bt.size) {
        thrice_ |= has_letter_thrice(std::string_view(reinterpret_cast<const char*>(p), bt.size));
      }
    }
    // Squeezing only drops bytes: a token as long as before is unchanged,
    // and keeps its hash.
    changed |= n != bt.size;
    tokens_.push_back(Token{static_cast<std::uint32_t>(begin + at), static_cast<std::uint32_t>(n),
                            n == bt.size ? bt.hash : token_hash_padded(w + at, n)});
    at += n;
    w[at++] = ' ';
  }
  if (!changed) return false;
  scan_.append(w, at);
  return true;
}

namespace {

// What the first pass of build_ascii finds in a query of ASCII only: per
// byte (bit i of word i / 64), whether it is a letter or digit (kept in
// the base form) and whether it is a digit; the query lowercased; and the
// hints that do not depend on tokens.
struct AsciiScan {
  bool symbols = false;  // a symbol the leet view reads (is_leet_symbol)
  bool letter = false;
  bool leet_digit = false;  // a digit the leet view reads (not 2 or 6)
  bool doubled = false;     // a letter twice in a row
  bool high = false;        // a byte outside ASCII: build_ascii does not apply
};

// Classifies q[0, n) into `keep`, `digit` (n / 64 + 1 words each) and
// `lowered` (n + 17 bytes, lowered[0] a space, the query from lowered + 1).
AsciiScan scan_ascii(const unsigned char* q, std::size_t n, std::uint64_t* keep,
                     std::uint64_t* digit, char* lowered) {
  AsciiScan r;
  const std::size_t words = n / 64 + 1;
  // One word for a query of up to 63 bytes: cleared without a call.
  keep[0] = digit[0] = 0;
  for (std::size_t w = 1; w < words; ++w) keep[w] = digit[w] = 0;
  lowered[0] = ' ';
  char* low = lowered + 1;
  std::size_t i = 0;
#if defined(__SSE2__)
  __m128i any_letter = _mm_setzero_si128();
  __m128i any_leet = _mm_setzero_si128();
  __m128i any_symbol = _mm_setzero_si128();
  __m128i any_double = _mm_setzero_si128();
  // The lowered bytes before each chunk's, kept in a register: loading
  // them back from `low` just after storing it would stall the load.
  __m128i previous = _mm_set1_epi8(' ');
  auto chunk = [&](__m128i x, std::size_t at, unsigned valid) {
    const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                                        _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
    const __m128i l = _mm_or_si128(x, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
    const __m128i dig = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(low + at), l);
    const __m128i before = _mm_or_si128(_mm_slli_si128(l, 1), _mm_srli_si128(previous, 15));
    previous = l;
    any_letter = _mm_or_si128(any_letter, letter);
    any_double = _mm_or_si128(any_double, _mm_and_si128(letter, _mm_cmpeq_epi8(l, before)));
    any_leet =
        _mm_or_si128(any_leet, _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('2')),
                                                             _mm_cmpeq_epi8(x, _mm_set1_epi8('6'))),
                                                dig));
    any_symbol = _mm_or_si128(
        any_symbol, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8('$'))),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('!')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8('|')))));
    const auto k = static_cast<std::uint64_t>(
        static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(letter, dig))) & valid);
    const auto d =
        static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(dig)) & valid);
    keep[at / 64] |= k << (at % 64);
    digit[at / 64] |= d << (at % 64);
  };
  // A byte outside ASCII ends the pass: the query takes the general path.
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + i));
    if (_mm_movemask_epi8(x) != 0) {
      r.high = true;
      return r;
    }
    chunk(x, i, 0xFFFFu);
  }
  if (i < n) {
    // The last n - i bytes, gathered in registers (a small copy to memory
    // and a vector load from it would stall too), zero-filled.
    const std::size_t m = n - i;
    const unsigned char* t = q + i;
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    if (m >= 8) {
      std::memcpy(&lo, t, 8);
      std::memcpy(&hi, t + m - 8, 8);
      hi = m == 8 ? 0 : hi >> (8 * (16 - m));
    } else if (m >= 4) {
      std::uint32_t a;
      std::uint32_t b;
      std::memcpy(&a, t, 4);
      std::memcpy(&b, t + m - 4, 4);
      lo = a | static_cast<std::uint64_t>(b) << (8 * (m - 4));
    } else {
      for (std::size_t k = 0; k < m; ++k) lo |= static_cast<std::uint64_t>(t[k]) << (8 * k);
    }
    if (((lo | hi) & 0x8080808080808080ull) != 0) {
      r.high = true;
      return r;
    }
    chunk(_mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo)), i, (1u << m) - 1);
  }
  r.letter = _mm_movemask_epi8(any_letter) != 0;
  r.leet_digit = _mm_movemask_epi8(any_leet) != 0;
  r.symbols = _mm_movemask_epi8(any_symbol) != 0;
  r.doubled = _mm_movemask_epi8(any_double) != 0;
#else
  for (; i < n; ++i) {
    const unsigned char c = q[i];
    const char k = kAsciiKeep[c];
    low[i] = k != 0 ? k : static_cast<char>(c);
    r.symbols |= is_leet_symbol(c);
    r.high |= c >= 0x80;
    if (k == 0) continue;
    keep[i / 64] |= std::uint64_t{1} << (i % 64);
    if (k >= 'a') {
      r.letter = true;
      r.doubled |= low[i - 1] == k;
    } else {
      digit[i / 64] |= std::uint64_t{1} << (i % 64);
      r.leet_digit |= k != '2' && k != '6';
    }
  }
#endif
  return r;
}

// The first position at or after `from` whose bit in `bits` is `value`, or
// n if none is.
std::size_t next_bit(const std::uint64_t* bits, std::size_t from, std::size_t n, bool value) {
  while (from < n) {
    std::uint64_t w = bits[from / 64];
    if (!value) w = ~w;
    w &= ~std::uint64_t{0} << (from % 64);
    if (w != 0) return std::min(n, (from & ~std::size_t{63}) + std::countr_zero(w));
    from = (from & ~std::size_t{63}) + 64;
  }
  return n;
}

}  // namespace

// The common case: a query of ASCII only, without the symbols the leet
// view reads (is_leet_symbol). Its base form is its letters and digits, lowercased, in
// space-separated tokens. One vector pass classifies and lowers every byte
// and finds the hints; the tokens are then copied run by run from the bit
// masks. The phonetic view is keyed from the base tokens. Writes exactly
// what the general path would; returns false, having written nothing the
// general path reads, for a query with a byte outside ASCII (or with a leet
// symbol when the leet view is on).
bool QueryViews::build_ascii(std::string_view query, ViewSet views) {
  const std::size_t n = query.size();
  const std::size_t words = n / 64 + 1;
  // Buffers only grow: resizing a string down and up again would clear it.
  if (masks_.size() < 2 * words) masks_.resize(2 * words);
  if (work_.size() < 2 * n + 36) work_.resize(2 * n + 36);
  const AsciiScan a = scan_ascii(reinterpret_cast<const unsigned char*>(query.data()), n,
                                 masks_.data(), masks_.data() + words, work_.data());
  const bool leet = views.has(View::leet);
  if (a.high || (a.symbols && leet)) return false;
  const char* low = work_.data() + 1;
  const std::uint64_t* keep = masks_.data();
  const std::uint64_t* digit = masks_.data() + words;

  char* o = work_.data() + n + 18;  // the base form, with room for 16-byte copies past its end
  std::size_t len = 0;
  o[len++] = ' ';
  tokens_.clear();
  int singles = 0;
  bool spaced_run = false;
  // Whether each base token holds a digit: those without are all letters,
  // keyed without checking.
  std::uint64_t has_digit = 0;  // bit t: token t (the first 64)
  // Tokens are the runs of kept bytes: each run's first and one-past-last
  // byte are the set bits of keep ^ (keep << 1), met in order, in pairs.
  // Bit n is clear and lies in the last word, so every run ends.
  std::uint64_t digits = 0;
  for (std::size_t w = 0; w < words; ++w) digits |= digit[w];
  // A reduplication ("kebun2") makes the base form longer than the query:
  // the general path writes it.
  if (digits != 0 && may_hold_reduplication(query)) return false;
  // One token, the kept bytes [b, e).
  auto token = [&](std::size_t b, std::size_t e) {
    const std::size_t size = e - b;
    for (std::size_t c = 0; c < size; c += 16) std::memcpy(o + len + c, low + b + c, 16);
    if (digits != 0 && tokens_.size() < 64 && next_bit(digit, b, e, true) < e) {
      has_digit |= std::uint64_t{1} << tokens_.size();
    }
    tokens_.push_back(Token{static_cast<std::uint32_t>(len), static_cast<std::uint32_t>(size),
                            token_hash_padded(o + len, size)});
    singles = size == 1 ? singles + 1 : 0;
    spaced_run |= singles >= 3;
    len += size;
    o[len++] = ' ';
  };
  if (words == 1) {
    // A query of up to 63 bytes: no run crosses a word, and the runs'
    // starts and ends pair off in order.
    const std::uint64_t k = keep[0];
    std::uint64_t starts = k & ~(k << 1);
    std::uint64_t ends = ~k & (k << 1);
    for (; starts != 0; starts &= starts - 1, ends &= ends - 1) {
      token(static_cast<std::size_t>(std::countr_zero(starts)),
            static_cast<std::size_t>(std::countr_zero(ends)));
    }
  } else {
    std::uint64_t carry = 0;  // the last bit of the word before
    std::size_t b = 0;
    bool inside = false;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t k = keep[w];
      std::uint64_t edges = k ^ ((k << 1) | carry);
      carry = k >> 63;
      for (; edges != 0; edges &= edges - 1) {
        const std::size_t at = w * 64 + static_cast<std::size_t>(std::countr_zero(edges));
        inside = !inside;
        if (inside) {
          b = at;
        } else {
          token(b, at);
        }
      }
    }
  }
  scan_.assign(o, len);
  base_size_ = len;
  sections_[0] = Section{View::base, 0, static_cast<std::uint32_t>(len)};
  count_ = 1;
  present_ = ViewSet::only(View::base);
  symbols_used_ = false;
  if (views == ViewSet::only(View::base)) return true;
  const Hints hints{a.letter && a.leet_digit, a.doubled, views.has(View::spaced) && spaced_run,
                    false};
  // The views read the base form where it was written (work_ is not
  // touched again before the next build).
  add_views(std::string_view(o, len), views, hints, ~has_digit, true);
  return true;
}

std::uint32_t QueryViews::build(std::string_view query, ViewSet views, const FuzzyIndex* fuzzy,
                                const FuzzyIndex* fuzzy_keys, const EntryWords* words) {
  query_ = query;
  entry_words_ = views.has(View::spaced) && words != nullptr && !words->empty() ? words : nullptr;
  spaced_joined_ = false;
  maps_built_ = false;
  fuzzy_ = views.has(View::fuzzy) && fuzzy != nullptr && !fuzzy->empty() ? fuzzy : nullptr;
  fuzzy_keys_ = views.has(View::fuzzy) && fuzzy_keys != nullptr && !fuzzy_keys->empty() ? fuzzy_keys
                                                                                        : nullptr;
  fuzzy_indexes_ = std::uint64_t{fuzzy_ != nullptr ? fuzzy_->serial() : 0} << 32 |
                   (fuzzy_keys_ != nullptr ? fuzzy_keys_->serial() : 0);
  corrections_.clear();
  composed_ = 0;
  folded_section_ = {-1, -1};
  spaced_fix_section_ = {-1, -1};
  if (build_ascii(query, views)) return 0;
  const std::uint32_t flags = normalize_base(query, base_);
  scan_.assign(base_);
  base_size_ = scan_.size();
  sections_[0] = Section{View::base, 0, static_cast<std::uint32_t>(base_size_)};
  count_ = 1;
  present_ = ViewSet::only(View::base);
  // One memchr per symbol: find_first_of would call memchr once per byte.
  const auto has = [&](char c) { return std::memchr(query.data(), c, query.size()) != nullptr; };
  const bool symbols = views.has(View::leet) && (has('@') || has('$') || has('!') || has('|'));
  symbols_used_ = symbols;
  if (symbols) normalize_base(query, symbols_, nullptr, true);
  tokens_.clear();
  const Hints hints = hints_for(base_, views.has(View::spaced), tokens_);
  if (views == ViewSet::only(View::base)) return flags;
  add_views(base_, views, hints, 0, false);
  return flags;
}

int QueryViews::own_section(View v) const {
  for (std::size_t i = 1; i < count_; ++i) {
    if (sections_[i].view == v && !sections_[i].composed) return static_cast<int>(i);
  }
  return -1;
}

int QueryViews::section_of(std::size_t begin, std::size_t end) const {
  for (std::size_t i = 0; i < count_; ++i) {
    if (begin >= sections_[i].begin && end <= sections_[i].end) return static_cast<int>(i);
  }
  return -1;
}

// Builds the offset maps of section `s` (after base_map_), once per build.
void QueryViews::map_section(std::size_t s) {
  if (s == 0 || s >= count_ || (sections_mapped_ >> s & 1) != 0) return;
  sections_mapped_ |= std::uint32_t{1} << s;
  const bool symbols = symbols_used_;
  const std::size_t first_composed = count_ - composed_;
  if (s >= first_composed) {
    const std::size_t c = s - first_composed;
    const bool from_symbols = symbols && chains_[c].folds.has(View::leet);
    write_chain(c, from_symbols ? std::string_view(symbols_) : std::string_view(map_base_), work_,
                true);
  } else if (spaced_fix_part(s) >= 0) {
    // Mapped when written.
  } else if (const int p = folded_part(s); p >= 0) {
    fuzzy_map(folded_maps_[static_cast<std::size_t>(p)], folded_first_[static_cast<std::size_t>(p)],
              folded_lines_[static_cast<std::size_t>(p)]);
  } else if (const View v = sections_[s].view; v == View::fuzzy) {
    fuzzy_map(view_maps_[static_cast<std::size_t>(v)], fuzzy_first_, fuzzy_line_count_);
  } else if (v == View::spaced && spaced_joined_) {
    spaced_map(view_maps_[static_cast<std::size_t>(v)]);
  } else {
    apply_view(v, v == View::leet && symbols ? std::string_view(symbols_) : std::string_view(map_base_),
               work_, &view_maps_[static_cast<std::size_t>(v)]);
  }
}

std::pair<std::size_t, std::size_t> QueryViews::original_span(std::size_t s, std::size_t begin,
                                                              std::size_t end) {
  const bool symbols = symbols_used_;
  const std::size_t first_composed = count_ - composed_;
  if (!maps_built_) {
    normalize_base(query_, map_base_, &base_map_);
    if (symbols) normalize_base(query_, symbols_, &symbols_map_, true);
    sections_mapped_ = 0;
    maps_built_ = true;
  }
  // Each section's maps only when a hit in it asks: a long query hits in
  // few of its sections, and mapping every one cost as much as building
  // them all again.
  map_section(s);
  if (end <= begin) return {0, 0};
  const Section& sec = sections_[s];
  const OffsetMap* map = &base_map_;
  // Back through each step that wrote the section, last first.
  auto back = [&](const OffsetMap& m) {
    if (end <= begin || end > m.size()) return false;
    const std::size_t sb = m.begin[begin];
    end = m.end[end - 1];
    begin = sb;
    return end > begin;
  };
  if (s >= first_composed) {
    const std::size_t c = s - first_composed;
    std::size_t steps = count(chains_[c].folds) + (chains_[c].phonetic ? 1 : 0);
    while (steps-- > 0) {
      if (!back(compose_maps_[c][steps])) return {0, 0};
    }
    if (symbols && chains_[c].folds.has(View::leet)) map = &symbols_map_;
  } else if (const int p = spaced_fix_part(s); p >= 0) {
    // Back to the spaced section's text, then as from there.
    if (!back(spaced_fix_maps_[static_cast<std::size_t>(p)])) return {0, 0};
    return original_span(static_cast<std::size_t>(spaced_fix_source_), begin, end);
  } else if (const int p = folded_part(s); p >= 0) {
    if (!back(folded_maps_[static_cast<std::size_t>(p)])) return {0, 0};
  } else if (sec.view != View::base) {
    if (!back(view_maps_[static_cast<std::size_t>(sec.view)])) return {0, 0};
    map = sec.view == View::leet && symbols ? &symbols_map_ : &base_map_;
  }
  if (end > map->size()) return {0, 0};
  return {map->begin[begin], map->end[end - 1]};
}

}  // namespace deter::text
