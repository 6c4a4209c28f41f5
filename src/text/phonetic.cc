#include "text/phonetic.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "text/normalize.h"
#include "text/scripts.h"
#include "text/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace deter::text {
namespace {

using Script = IndicScript;

enum class Kind : std::uint8_t { skip, consonant, vowel, sign, virama, anusvara, visarga, nukta };

struct Letter {
  Kind kind = Kind::skip;
  std::string_view latin;
};

// The letters by offset within a block, as romanized in Hinglish: aspirates
// keep their h (the key folds them), long and short vowels share a spelling.
constexpr std::array<Letter, 0x80> make_letters() {
  std::array<Letter, 0x80> t{};
  t[0x02] = {Kind::anusvara, "n"};
  t[0x03] = {Kind::visarga, "h"};
  const char* vowels[] = {"a", "a", "i", "i",  "u", "u", "ri", "li",
                          "e", "e", "e", "ai", "o", "o", "o",  "au"};
  for (int k = 0; k < 16; ++k) t[0x05 + k] = {Kind::vowel, vowels[k]};
  const char* consonants[] = {"k", "kh", "g",  "gh", "n",  "ch", "chh", "j", "jh", "n",
                              "t", "th", "d",  "dh", "n",  "t",  "th",  "d", "dh", "n",
                              "n", "p",  "ph", "b",  "bh", "m",  "y",   "r", "r",  "l",
                              "l", "l",  "v",  "sh", "sh", "s",  "h"};
  for (int k = 0; k < 37; ++k) t[0x15 + k] = {Kind::consonant, consonants[k]};
  t[0x3C] = {Kind::nukta, ""};
  const char* signs[] = {"a", "i", "i",  "u", "u", "ri", "ri", "e",
                         "e", "e", "ai", "o", "o", "o",  "au"};
  for (int k = 0; k < 15; ++k) t[0x3E + k] = {Kind::sign, signs[k]};
  t[0x4D] = {Kind::virama, ""};
  t[0x3D] = {Kind::skip, ""};  // avagraha
  t[0x55] = {Kind::skip, ""};  // length marks
  t[0x56] = {Kind::skip, ""};
  t[0x57] = {Kind::skip, ""};
  t[0x5E] = {Kind::consonant, "l"};  // Kannada ೞ
  t[0x60] = {Kind::vowel, "ri"};
  t[0x61] = {Kind::vowel, "li"};
  t[0x62] = {Kind::sign, "li"};
  t[0x63] = {Kind::sign, "li"};
  return t;
}
constexpr std::array<Letter, 0x80> kLetters = make_letters();

// Offsets that exist in the layout but are unassigned or mean something else
// in one script.
constexpr bool assigned(Script s, std::uint32_t off) {
  if (kLetters[off].kind == Kind::skip) {
    return off == 0x3D || (off >= 0x55 && off <= 0x57);
  }
  if (s == Script::bengali) {
    return off != 0x0D && off != 0x0E && off != 0x11 && off != 0x12 && off != 0x29 && off != 0x31 &&
           off != 0x33 && off != 0x34 && off != 0x35 && off != 0x45 && off != 0x46 && off != 0x49 &&
           off != 0x4A && off != 0x5E;
  }
  if (s == Script::kannada) return off != 0x0D && off != 0x11 && off != 0x29 && off != 0x34;
  return off != 0x5E;
}

// Each script's 128 offsets resolved once, into what transliteration does
// with the character: Act::invalid where the offset is unassigned in that
// script (the token then gets no key). Bengali's own readings are folded
// in: য is "j", অ is "o", ৎ (khanda ta) is a "t" with virama, and ড ঢ য
// carry the letter a nukta writes over their first Latin letter (ড় "r",
// ঢ় "rh", য় "y").
enum class Act : std::uint8_t {
  invalid,
  skip,
  consonant,
  vowel,
  sign,
  virama,
  coda,
  nukta,
  khanda
};

struct Cell {
  std::uint32_t latin = 0;  // up to four letters, little-endian: written with one store
  std::uint8_t size = 0;
  Act act = Act::invalid;
  char nukta = 0;
};
using Cells = std::array<Cell, 0x80>;

constexpr Act act_of(Kind k) {
  switch (k) {
    case Kind::skip:
      return Act::skip;
    case Kind::consonant:
      return Act::consonant;
    case Kind::vowel:
      return Act::vowel;
    case Kind::sign:
      return Act::sign;
    case Kind::virama:
      return Act::virama;
    case Kind::anusvara:
    case Kind::visarga:
      return Act::coda;
    case Kind::nukta:
      return Act::nukta;
  }
  return Act::invalid;
}

// Spellings of more than one letter that fold as one ("kh" to "k", "ai" to
// "e") are written by transliteration as one byte, an upper-case code, so
// that the key can be read code by code (indic_key_into); a code stands
// for exactly the letters it replaces.
struct Code {
  char code;
  std::string_view latin;
};
constexpr Code kCodes[] = {{'K', "kh"}, {'G', "gh"}, {'C', "ch"}, {'X', "chh"}, {'J', "jh"},
                           {'T', "th"}, {'D', "dh"}, {'P', "ph"}, {'B', "bh"},  {'S', "sh"},
                           {'R', "rh"}, {'E', "ai"}, {'O', "au"}};

constexpr char code_of(std::string_view latin) {
  for (const Code& c : kCodes) {
    if (c.latin == latin) return c.code;
  }
  return 0;
}

constexpr Cell make_cell(Script s, std::uint32_t off) {
  Cell c;
  if (s == Script::bengali && off == 0x4E) {
    c.act = Act::khanda;
    return c;
  }
  if (!assigned(s, off)) return c;
  c.act = act_of(kLetters[off].kind);
  std::string_view latin = kLetters[off].latin;
  if (s == Script::bengali && off == 0x2F) latin = "j";  // য
  if (s == Script::bengali && off == 0x05) latin = "o";  // অ
  // A consonant's spelling, and a vowel's that folds as one letter ("ai",
  // "au"), is written as one byte: its code (kCodes).
  const char code = code_of(latin);
  if (code != 0) latin = std::string_view(&code, 1);
  for (std::size_t k = 0; k < latin.size(); ++k) {
    c.latin |= static_cast<std::uint32_t>(static_cast<unsigned char>(latin[k])) << (8 * k);
  }
  c.size = static_cast<std::uint8_t>(latin.size());
  // ড় and ঢ় are ড and ঢ with "r" for their first letter: "r" and "rh".
  if (s == Script::bengali) c.nukta = off == 0x21 ? 'r' : off == 0x22 ? 'R' : off == 0x2F ? 'y' : 0;
  return c;
}

template <Script S>
constexpr Cells make_cells() {
  Cells t{};
  for (std::uint32_t off = 0; off < 0x80; ++off) t[off] = make_cell(S, off);
  return t;
}
template <Script S>
constexpr Cells kCells = make_cells<S>();

// A keyed token is at most kMaxKeyedToken bytes, and every syllable takes
// at least one three-byte character, so it has at most 40 syllables: one
// bit each in the masks below.
constexpr std::size_t kMaxUnits = kMaxKeyedToken / 3;
static_assert(kMaxUnits <= 64, "one bit per syllable in a 64-bit mask");

// The most Latin bytes a syllable spells: "chh", "ai" and an anusvara's
// "n" (fewer as transliteration writes it, in codes); spellings are stored
// four bytes at a time, hence the slack.
constexpr std::size_t kMaxUnitSpelling = 6;
constexpr std::size_t kLatinRoom = kMaxUnits * kMaxUnitSpelling + 4;
static_assert(kMaxUnitSpelling * kMaxUnits < 256, "positions fit a byte");

// Transliterates a native-script token of script S (at most kMaxKeyedToken
// bytes) into `latin` (kLatinRoom bytes), in codes and letters (kCodes);
// returns its length, or 0 if the token holds anything else.
//
// One pass, writing Latin as it reads: a written syllable (a unit: a
// consonant or none, its vowel, and a final anusvara or visarga) is only
// ever changed while it is the last one, and those changes (a vowel sign
// replacing the inherent vowel, virama removing it, a nukta or ज्ञ changing
// the consonant's first letter) are made in place. What schwa deletion needs
// of each unit is kept as one bit per unit, bit u for unit u: `inherent`
// (its vowel is the inherent one), `coda`, `vowel` (it has one), and
// `consonant`; the inherent vowels it deletes are removed at the end.
//
// kInherentA (Bengali only, for the other readings of an entry,
// phonetic_spellings) writes the inherent vowel as "a", as Hindi-style and
// Hunterian romanizations of Bengali do ("gopan" for গোপন).
template <Script S, bool kInherentA = false>
[[gnu::always_inline]] inline std::size_t transliterate(std::string_view token, char* latin) {
  constexpr const Cells& cells = kCells<S>;
  constexpr char kInherent = S == Script::bengali && !kInherentA ? 'o' : 'a';
  // U+0900-U+097F (and the Bengali and Kannada blocks likewise) is E0 and
  // a second byte whose low six bits, less the last, are the block's start
  // over 64. Only the low six bits of the second and third bytes count, as
  // in a code point decoded from them: continuation bits are not checked.
  constexpr unsigned kLead = block_start(S) >> 6;
  static_assert((block_start(S) & 0x7F) == 0 && (kLead & 1) == 0);
  const auto* p = reinterpret_cast<const unsigned char*>(token.data());
  const std::size_t n = token.size();
  if (n % 3 != 0) return 0;  // the three scripts are three-byte UTF-8
  std::uint64_t next = 1;    // bit of the next unit; the last one's is next >> 1
  std::uint64_t inherent = 0, coda = 0, vowel = 0, consonant = 0;
  std::uint8_t inherent_at[kMaxUnits];  // where unit u's inherent vowel was written
  std::size_t units = 0;
  std::size_t len = 0;
  std::size_t consonant_at = 0;  // where the last unit's consonant is
  std::uint32_t last_off = 0;    // the last unit's consonant, or 0
  auto put = [&](const Cell& c) {
    std::memcpy(latin + len, &c.latin, 4);
    len += c.size;
  };
  // A vowel with no consonant before it in its unit starts a unit.
  auto open_vowel_unit = [&] {
    vowel |= next;
    next <<= 1;
    ++units;
    last_off = 0;
  };
  static_assert(std::endian::native == std::endian::little, "spellings are packed little-endian");
  for (std::size_t i = 0; i < n; i += 3) {
    std::uint16_t head;  // the first two bytes, as one load
    std::memcpy(&head, p + i, 2);
    if ((head & 0x3EFFu) != (kLead << 8 | 0xE0u)) return 0;  // another script
    const std::uint32_t off = (head >> 2 & 0x40u) | (p[i + 2] & 0x3Fu);
    const Cell& c = cells[off];
    const std::uint64_t last = next >> 1;
    switch (c.act) {
      case Act::invalid:
        return 0;
      case Act::skip:
        break;
      case Act::consonant: {
        const std::size_t before = consonant_at;
        consonant_at = len;
        put(c);
        // ज्ञ is "gy" in Hindi ("gyan"): ज with virama before ञ.
        if (S == Script::devanagari && off == 0x1E && last_off == 0x1C && (vowel & last) == 0) {
          latin[before] = 'g';
          latin[consonant_at] = 'y';
        }
        // Bengali য after a virama is the ya-phala, typed "y" (রহস্য
        // "rohosyo"); only a য that begins a syllable is "j".
        if (S == Script::bengali && off == 0x2F && last_off != 0 && (vowel & last) == 0) {
          latin[consonant_at] = 'y';
        }
        if constexpr (S != Script::kannada) inherent_at[units] = static_cast<std::uint8_t>(len);
        latin[len++] = kInherent;
        inherent |= next;
        vowel |= next;
        consonant |= next;
        next <<= 1;
        ++units;
        last_off = off;
        break;
      }
      case Act::sign:
        if ((inherent & ~coda & last) != 0) {
          inherent &= ~last;  // the sign takes the inherent vowel's place
          --len;
        } else {
          open_vowel_unit();
        }
        put(c);
        break;
      case Act::virama:
        if ((inherent & last) != 0) {
          inherent &= ~last;
          vowel &= ~last;
          if ((coda & last) != 0) latin[len - 2] = latin[len - 1];
          --len;
        }
        break;
      case Act::vowel:
        open_vowel_unit();
        put(c);
        break;
      case Act::coda:
        if (next == 1) {  // an empty unit carries it
          next = 2;
          units = 1;
        }
        if ((coda & next >> 1) != 0) --len;  // a second one replaces the first
        coda |= next >> 1;
        latin[len++] = static_cast<char>(c.latin);
        break;
      case Act::nukta:
        if (S == Script::bengali && cells[last_off].nukta != 0) {
          latin[consonant_at] = cells[last_off].nukta;
        }
        break;
      case Act::khanda:
        consonant |= next;
        next <<= 1;
        ++units;
        last_off = 0;
        latin[len++] = 't';
        break;
    }
  }
  if (next == 1) return 0;
  if constexpr (S != Script::kannada) {
    // Schwa deletion: the inherent vowel is silent at the end of a word,
    // and between a vowel-consonant and a consonant-vowel, deciding from
    // the end of the word backwards (a vowel deleted leaves the unit
    // before it free to keep its own).
    const std::uint64_t last = next >> 1;
    const std::uint64_t bare = inherent & ~coda;  // the inherent vowel ends the unit
    std::uint64_t drop = next > 2 ? bare & last : 0;
    std::uint64_t medial = bare & (vowel << 1) & ((consonant & vowel) >> 1);
    while (medial != 0) {
      const std::uint64_t bit = std::uint64_t{1} << (63 - std::countl_zero(medial));
      medial ^= bit;
      drop |= bit & ~(drop >> 1);
    }
    if ((drop & last) != 0) {
      drop ^= last;
      --len;
    }
    if (drop != 0) {
      std::size_t to = inherent_at[std::countr_zero(drop)];
      std::size_t from = to + 1;
      for (drop &= drop - 1; drop != 0; drop &= drop - 1) {
        const std::size_t at = inherent_at[std::countr_zero(drop)];
        std::memmove(latin + to, latin + from, at - from);
        to += at - from;
        from = at + 1;
      }
      std::memmove(latin + to, latin + from, len - from);
      len -= from - to;
    }
  }
  return len;
}

// The vowels, by table, for code that must not branch on them.
constexpr std::array<std::uint8_t, 256> make_vowels() {
  std::array<std::uint8_t, 256> t{};
  for (char c : {'a', 'e', 'i', 'o', 'u'}) t[static_cast<unsigned char>(c)] = 1;
  return t;
}
constexpr std::array<std::uint8_t, 256> kVowel = make_vowels();

}  // namespace

namespace {

// What a letter folds to, by the letter after it (index 26: none, or not a
// letter): up to two letters out, how many letters in it consumes, and
// whether a further 'h' goes too ("chh" is "c"). A table and no switch, so
// that keying a word costs no mispredicted branch per letter.
struct Fold {
  char out = 0;
  char out2 = 0;
  std::uint8_t advance = 1;
  bool chh = false;
};
using FoldTable = std::array<std::array<Fold, 27>, 26>;

constexpr Fold fold_of(char c, char d) {
  switch (c) {
    case 'c':
      return d == 'h' ? Fold{'c', 0, 2, true} : Fold{'k', 0, 1, false};
    case 'p':
      return d == 'h' ? Fold{'f', 0, 2, false} : Fold{'p', 0, 1, false};
    case 's':
    case 'k':
    case 'g':
    case 'j':
    case 't':
    case 'd':
    case 'b':
    case 'r':
      return Fold{c, 0, static_cast<std::uint8_t>(d == 'h' ? 2 : 1),
                  false};  // the aspirate's h goes
    case 'w':
      return Fold{'v', 0, 1, false};
    case 'z':
      return Fold{'j', 0, 1, false};
    case 'q':
      return Fold{'k', 0, 1, false};
    case 'x':
      return Fold{'k', 's', 1, false};
    case 'e':
      return d == 'e' ? Fold{'i', 0, 2, false}
                      : Fold{'e', 0, static_cast<std::uint8_t>(d == 'i' ? 2 : 1), false};
    case 'o':
      return d == 'o' ? Fold{'u', 0, 2, false}
                      : Fold{'o', 0, static_cast<std::uint8_t>(d == 'u' ? 2 : 1), false};
    case 'a':
      if (d == 'i') return Fold{'e', 0, 2, false};
      if (d == 'u') return Fold{'o', 0, 2, false};
      return Fold{'a', 0, static_cast<std::uint8_t>(d == 'a' ? 2 : 1), false};
    default:
      return Fold{c, 0, 1, false};
  }
}

constexpr FoldTable make_folds() {
  FoldTable t{};
  for (int ci = 0; ci < 26; ++ci) {
    for (int di = 0; di < 27; ++di) {
      t[static_cast<std::size_t>(ci)][static_cast<std::size_t>(di)] =
          fold_of(static_cast<char>('a' + ci), di < 26 ? static_cast<char>('a' + di) : '\0');
    }
  }
  return t;
}
constexpr FoldTable kFolds = make_folds();

}  // namespace

// The letter most letters fold to whatever follows them: itself, or for
// w z q c their stand-ins v j k k (c unless before h).
constexpr std::array<char, 256> make_single_folds() {
  std::array<char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kFolds[c - 'a'][26].out;
  return t;
}
constexpr std::array<char, 256> kSingleFold = make_single_folds();

// Whether folding letter c (0-25; 26: not a letter) before letter d (26:
// none, or not a letter) may write anything but c's single fold: its fold
// is not that letter alone (a digraph, or x), the two fold to one letter
// (a doubled letter collapses), or c is an m before a consonant (the
// anusvara's n).
using PlainTable = std::array<std::array<std::uint8_t, 27>, 27>;
constexpr PlainTable make_changes() {
  PlainTable t{};
  for (std::size_t c = 0; c < 27; ++c) {
    for (std::size_t d = 0; d < 27; ++d) {
      if (c == 26) {
        t[c][d] = 1;
        continue;
      }
      const Fold& f = kFolds[c][d];
      const char single = kSingleFold['a' + c];
      const bool same = d < 26 && kSingleFold['a' + d] == single;
      const bool consonant_after = d < 26 && kVowel['a' + d] == 0;
      t[c][d] = f.out != single || f.out2 != 0 || f.advance != 1 || f.chh || same ||
                (single == 'm' && consonant_after);
    }
  }
  return t;
}
constexpr PlainTable kChanges = make_changes();

// kChanges by byte: bit d of row b is kChanges[letter b][d]; and each
// byte's column (0-25 for a-z, 26 otherwise).
constexpr std::array<std::uint32_t, 256> make_change_rows() {
  std::array<std::uint32_t, 256> t{};
  for (std::size_t b = 0; b < 256; ++b) {
    const std::size_t c = b >= 'a' && b <= 'z' ? b - 'a' : 26;
    for (std::size_t d = 0; d < 27; ++d) t[b] |= std::uint32_t{kChanges[c][d]} << d;
  }
  return t;
}
constexpr std::array<std::uint32_t, 256> kChangeRows = make_change_rows();
constexpr std::array<std::uint8_t, 256> make_letter_index() {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t b = 0; b < 256; ++b) {
    t[b] = b >= 'a' && b <= 'z' ? static_cast<std::uint8_t>(b - 'a') : 26;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> kLetterIndex = make_letter_index();

namespace latin_detail {
constexpr LetterTables kLetterTables{kChangeRows, kLetterIndex, kSingleFold};
}  // namespace latin_detail

namespace {

// Folded letters go out one behind: `held` is the last letter folded, not
// yet written, so that a letter equal to it is dropped (doubled letters
// collapse) and an m held before a consonant is written as the anusvara's
// n, without a branch on either.
constexpr unsigned kNone = 0x100;  // held before the first letter: no byte
struct Held {
  char* a;
  std::size_t len = 0;
  unsigned held = kNone;
  void put(unsigned c) {
    const unsigned fresh = c != held;
    const unsigned anusvara = static_cast<unsigned>(held == 'm') & ~kVowel[c & 0xFF] & 1u;
    a[len] = static_cast<char>(anusvara != 0 ? 'n' : held);
    len += fresh & static_cast<unsigned>(held != kNone);
    held = c;
  }
  // The key's length: the held letter written, less a final a or o.
  std::size_t finish() {
    a[len] = static_cast<char>(held);
    len += static_cast<std::size_t>(held != kNone);
    if (len >= 3 && (a[len - 1] == 'a' || a[len - 1] == 'o')) --len;
    return len;
  }
};

// The whole fold of p[0, n) into `a`, position by position.
std::size_t fold_every_letter(const unsigned char* p, std::size_t n, char* a) {
  Held h{a};
  // Each position is folded with the letter after it, independently of the
  // others; `skip` counts the letters a digraph before it consumed ("ee",
  // "kh", "chh"), so that no load waits on the previous letter's fold.
  unsigned skip = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned c = static_cast<unsigned>(p[i]) - 'a';
    if (c > 25) {  // not a letter: kept as it is (a digraph never covers one)
      h.put(p[i]);
      continue;
    }
    unsigned d = i + 1 < n ? static_cast<unsigned>(p[i + 1]) - 'a' : 26;
    d = d > 25 ? 26 : d;
    const Fold f = kFolds[c][d];
    const bool active = skip == 0;
    h.put(active ? static_cast<unsigned char>(f.out) : h.held);
    const unsigned out2 = active ? static_cast<unsigned char>(f.out2) : 0u;
    if (out2 != 0) h.put(out2);  // only x, "ks"
    const unsigned after = i + 2 < n ? p[i + 2] : 0;
    const unsigned covered = f.advance - 1u + static_cast<unsigned>(f.chh && after == 'h');
    skip = active ? covered : skip - 1;
  }
  return h.finish();
}

}  // namespace

namespace latin_detail {

std::size_t fold_long(const unsigned char* p, std::size_t n, char* a) {
  return fold_every_letter(p, n, a);
}

std::size_t fold_flagged(const unsigned char* p, std::size_t n, char* a, unsigned char* pair) {
  // Some pair needs the whole fold. Between the flagged positions run
  // letters that are written as their single fold (already in `a`), and
  // only the first of a run meets the letter before it.
  std::uint64_t flagged = 0;
#if defined(__SSE2__)
  std::memset(pair + n, 0, 16);  // the bytes past the word count as unflagged
  for (std::size_t i = 0; i < n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pair + i));
    flagged |=
        static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_slli_epi16(x, 7))))
        << i;
  }
#else
  for (std::size_t i = 0; i < n; ++i) flagged |= static_cast<std::uint64_t>(pair[i] & 1u) << i;
#endif
  Held h{a};
  for (std::size_t i = 0; i < n;) {
    const std::uint64_t rest = flagged >> i;
    const std::size_t j = rest == 0 ? n : i + static_cast<std::size_t>(std::countr_zero(rest));
    if (j > i) {
      // A run: its letters differ from their neighbours and hold no m
      // before a consonant, so all but the first go out as they are. The
      // key is never longer than the letters read, so a[len] is behind.
      h.put(static_cast<unsigned char>(a[i]));
      for (std::size_t k = i + 1; k < j; ++k) {
        a[h.len++] = static_cast<char>(h.held);
        h.held = static_cast<unsigned char>(a[k]);
      }
      i = j;
      if (i == n) break;
    }
    const unsigned c = static_cast<unsigned>(p[i]) - 'a';
    if (c > 25) {  // not a letter: kept as it is
      h.put(p[i]);
      ++i;
      continue;
    }
    // An x (always flagged, never inside a digraph) writes two letters,
    // which this pass cannot: the word is folded anew, position by position.
    if (p[i] == 'x') return fold_every_letter(p, n, a);
    unsigned d = i + 1 < n ? static_cast<unsigned>(p[i + 1]) - 'a' : 26;
    d = d > 25 ? 26 : d;
    const Fold f = kFolds[c][d];
    h.put(static_cast<unsigned char>(f.out));
    const unsigned after = i + 2 < n ? p[i + 2] : 0;
    i += f.advance + static_cast<std::size_t>(f.chh && after == 'h');
  }
  return h.finish();
}

}  // namespace latin_detail

namespace {

// The letters a byte of a transliteration stands for: a code's, a letter
// itself, or none (a byte transliteration never writes).
constexpr std::string_view letters_of(unsigned b) {
  for (const Code& c : kCodes) {
    if (static_cast<unsigned char>(c.code) == b) return c.latin;
  }
  constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz";
  return b >= 'a' && b <= 'z' ? kAlphabet.substr(b - 'a', 1) : std::string_view();
}

constexpr const Fold& fold_at(char c, char d) {  // d == 0: no letter after c
  return kFolds[static_cast<std::size_t>(c - 'a')][d != 0 ? static_cast<std::size_t>(d - 'a') : 26];
}

// Transliterations are read as bytes 'A' to 'z' (codes and letters), by
// their offset from 'A'; kCodedEnd is the end of the token.
constexpr unsigned kCodedEnd = 'z' - 'A' + 1;

// What a code or letter folds to alone: its first letter's fold, which for
// a code covers the whole code.
constexpr std::array<char, 256> make_coded_folds() {
  std::array<char, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    const std::string_view s = letters_of(b);
    if (!s.empty()) t[b] = fold_at(s[0], s.size() > 1 ? s[1] : 0).out;
  }
  return t;
}
constexpr std::array<char, 256> kCodedFold = make_coded_folds();

// Whether the Latin fold of code or letter x (offset from 'A') before y
// (kCodedEnd: none) may write anything but x's fold alone: the fold step at
// x's first letter does not cover exactly x's letters (a letter before an
// "h", a vowel that pairs with y's first letter), or x and y fold to one
// letter, or to an m before a consonant. When no pair of a token does, the
// fold goes code by code, one letter each.
using CodedTable = std::array<std::array<std::uint8_t, kCodedEnd + 1>, kCodedEnd>;
constexpr CodedTable make_coded_changes() {
  CodedTable t{};
  for (unsigned x = 0; x < kCodedEnd; ++x) {
    const std::string_view lx = letters_of('A' + x);
    const char fx = kCodedFold['A' + x];
    for (unsigned y = 0; y <= kCodedEnd; ++y) {
      const std::string_view ly = y < kCodedEnd ? letters_of('A' + y) : std::string_view();
      if (lx.empty() || (y < kCodedEnd && ly.empty())) {  // never written
        t[x][y] = 1;
        continue;
      }
      // The two letters after x's first, as far as its fold step looks
      // ("chh" looks two ahead); one beyond y is not known here.
      char next[2] = {0, 0};
      std::size_t k = 0;
      for (std::size_t i = 1; i < lx.size() && k < 2; ++i) next[k++] = lx[i];
      for (std::size_t i = 0; i < ly.size() && k < 2; ++i) next[k++] = ly[i];
      const bool unknown = k < 2 && y < kCodedEnd;
      const Fold& f = fold_at(lx[0], next[0]);
      const std::size_t covered = f.advance + static_cast<std::size_t>(f.chh && next[1] == 'h');
      bool changes = f.out != fx || f.out2 != 0 || covered != lx.size() || (f.chh && unknown);
      if (y < kCodedEnd) {
        const char fy = kCodedFold['A' + y];
        changes = changes || fx == fy || (fx == 'm' && kVowel[static_cast<unsigned char>(fy)] == 0);
      }
      t[x][y] = changes;
    }
  }
  return t;
}
constexpr CodedTable kCodedChanges = make_coded_changes();

// The spellings of the codes and letters, for the fold of a token that
// does not go code by code.
struct Spelling {
  std::uint32_t latin = 0;
  std::uint8_t size = 0;
};
constexpr std::array<Spelling, 256> make_spellings() {
  std::array<Spelling, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    const std::string_view s = letters_of(b);
    for (std::size_t k = 0; k < s.size(); ++k) {
      t[b].latin |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[k])) << (8 * k);
    }
    t[b].size = static_cast<std::uint8_t>(s.size());
  }
  return t;
}
constexpr std::array<Spelling, 256> kSpellings = make_spellings();

// Transliteration writes codes and letters only (tables are indexed by
// them), and the fold by codes agrees with the Latin fold on a few pairs.
template <Script S>
constexpr bool writes_codes_and_letters() {
  for (const Cell& c : kCells<S>) {
    for (std::size_t k = 0; k < c.size; ++k) {
      if (letters_of(c.latin >> (8 * k) & 0xFF).empty()) return false;
    }
    if (c.nukta != 0 && letters_of(static_cast<unsigned char>(c.nukta)).empty()) return false;
  }
  return true;
}
static_assert(writes_codes_and_letters<Script::devanagari>() &&
              writes_codes_and_letters<Script::bengali>() &&
              writes_codes_and_letters<Script::kannada>());
constexpr bool pair_changes(char x, char y) { return kCodedChanges[x - 'A'][y - 'A'] != 0; }
static_assert(!pair_changes('K', 'h') && pair_changes('C', 'h') && !pair_changes('X', 'h') &&
              pair_changes('k', 'h') && pair_changes('a', 'i') && pair_changes('a', 'E') &&
              !pair_changes('E', 'i') && pair_changes('k', 'K') && pair_changes('m', 'b') &&
              !pair_changes('m', 'E'));

// The key of a transliteration (codes and lower-case letters, n >= 1),
// exactly latin_key_into of the letters it stands for. Most tokens fold
// code by code (kCodedChanges), each code or letter to one letter; the
// others are spelled out and folded letter by letter.
std::size_t indic_key_into(const char* coded, std::size_t n, char* a) {
  const auto* p = reinterpret_cast<const unsigned char*>(coded);
  unsigned changes = 0;
  unsigned c = p[0] - 'A';
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const unsigned d = p[i + 1] - 'A';
    changes |= kCodedChanges[c][d];
    a[i] = kCodedFold[p[i]];
    c = d;
  }
  changes |= kCodedChanges[c][kCodedEnd];
  a[n - 1] = kCodedFold[p[n - 1]];
  if (changes == 0) return n >= 3 && (a[n - 1] == 'a' || a[n - 1] == 'o') ? n - 1 : n;
  char latin[kLatinRoom];
  std::size_t len = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Spelling& s = kSpellings[p[i]];
    std::memcpy(latin + len, &s.latin, 4);
    len += s.size;
  }
  return latin_key_into(std::string_view(latin, len), a);
}

}  // namespace

void latin_key(std::string_view w, std::string& out) {
  // Room for the longest keyed Latin token and the longest transliteration.
  char stack[2 * kLatinRoom + 1];
  static_assert(sizeof stack >= 2 * kMaxKeyedToken + 1);
  if (2 * w.size() + 1 <= sizeof stack) {
    out.append(stack, latin_key_into(w, stack));
    return;
  }
  std::string heap(2 * w.size() + 1, '\0');  // only for callers outside phonetic_key
  out.append(heap.data(), latin_key_into(w, heap.data()));
}

std::ptrdiff_t phonetic_key_into(std::string_view token, char* out) {
  if (token.empty() || token.size() > kMaxKeyedToken) return -1;
  const auto c0 = static_cast<unsigned char>(token[0]);
  if (c0 < 0x80) {
    unsigned other = 0;  // any byte outside a-z
    for (char c : token) other |= static_cast<unsigned>(static_cast<unsigned char>(c) - 'a') > 25u;
    if (other != 0) return -1;
    return static_cast<std::ptrdiff_t>(latin_key_into(token, out));
  }
  // The script from the first character's first two bytes.
  if (c0 != 0xE0 || token.size() < 3) return -1;
  const Script s = indic_script_of_utf8(c0, static_cast<unsigned char>(token[1]));
  if (s == Script::none) return -1;
  char latin[kLatinRoom];
  const std::size_t len = s == Script::devanagari ? transliterate<Script::devanagari>(token, latin)
                          : s == Script::bengali  ? transliterate<Script::bengali>(token, latin)
                                                  : transliterate<Script::kannada>(token, latin);
  if (len == 0) return -1;
  // A unit is at least one three-byte character and spells at most 6
  // bytes, and a key at most doubles its spelling: 4n + 1 <= 6n + 1.
  return static_cast<std::ptrdiff_t>(indic_key_into(latin, len, out));
}

bool phonetic_key(std::string_view token, std::string& out) {
  char key[phonetic_key_bound(kMaxKeyedToken)];
  const std::ptrdiff_t len = phonetic_key_into(token, key);
  if (len < 0) return false;
  out.append(key, static_cast<std::size_t>(len));
  return true;
}

namespace {

// The letters a native token is transliterated to (codes spelled out), in
// the reading kInherentA picks; `oi` spells Bengali ঐ and ৈ "oi". Empty
// when the token has no key.
template <Script S, bool kInherentA>
std::string spelled(std::string_view token, bool oi) {
  char latin[kLatinRoom];
  const std::size_t len = transliterate<S, kInherentA>(token, latin);
  std::string out;
  for (std::size_t i = 0; i < len; ++i) {
    const unsigned char b = static_cast<unsigned char>(latin[i]);
    if (oi && b == 'E') {
      out += "oi";
      continue;
    }
    const Spelling& sp = kSpellings[b];
    for (std::size_t k = 0; k < sp.size; ++k) out.push_back(static_cast<char>(sp.latin >> (8 * k)));
  }
  return out;
}

// Linear in the word, whatever it holds (list text is untrusted).
void replace_all(std::string& s, std::string_view from, std::string_view to) {
  std::size_t at = s.find(from);
  if (at == std::string::npos) return;
  std::string out;
  out.reserve(s.size() + s.size() / from.size() * to.size());
  std::size_t done = 0;
  for (; at != std::string::npos; at = s.find(from, done)) {
    out.append(s, done, at - done);
    out.append(to);
    done = at + from.size();
  }
  out.append(s, done, std::string::npos);
  s = std::move(out);
}

// A word as written, rewritten the ways its spelling may be typed before
// it is read: chandrabindu typed or not; a Hindi final nasal vowel typed
// with n or without; Bengali anusvara typed "ng"; a flap (Devanagari ड़ ढ़, which the
// base form reads d, dh; Bengali ড় ঢ়, read r, rh) typed r or d; Kannada
// vocalic r (ಋ, ೃ) typed "ru". The word itself first.
std::vector<std::string> written_forms(std::string_view word) {
  std::vector<std::string> forms{std::string(word)};
  auto add = [&](std::string w) {
    if (std::find(forms.begin(), forms.end(), w) == forms.end()) forms.push_back(std::move(w));
  };
  {
    std::string w(word);
    replace_all(w, "\u0901", "");  // Devanagari, Bengali, Kannada candrabindu
    replace_all(w, "\u0981", "");
    replace_all(w, "\u0C81", "");
    add(std::move(w));
  }
  {
    // A Hindi word ending in a long vowel and anusvara ends in a nasal
    // vowel, typed with its n or without (नहीं "nahin", "nahi"; मैं "main",
    // "mai"). After a short vowel the anusvara is a consonant (अहं "aham")
    // and stays.
    static constexpr std::string_view kLong[] = {"\u093E", "\u0940", "\u0942", "\u0947",
                                                 "\u0948", "\u094B", "\u094C"};
    constexpr std::string_view kBindu = "\u0902";
    const std::string_view w = word;
    if (w.size() >= 6 && w.substr(w.size() - 3) == kBindu) {
      const std::string_view vowel = w.substr(w.size() - 6, 3);
      for (std::string_view l : kLong) {
        if (vowel == l) add(std::string(w.substr(0, w.size() - 3)));
      }
    }
  }
  {
    // Bengali anusvara is typed "ng" (বাংলা "bangla", রং "rong"): ন্গ্ spells it.
    std::string w(word);
    replace_all(w, "\u0982", "\u09A8\u09CD\u0997\u09CD");
    if (w != word) forms.push_back(std::move(w));
  }
  const std::size_t unflapped = forms.size();
  for (std::size_t i = 0; i < unflapped; ++i) {
    std::string w = forms[i];
    replace_all(w, "\u0921\u093C", "\u0930");  // ड़ as र
    replace_all(w, "\u0922\u093C", "\u0930");  // ढ़ as र ("rh" keys as r)
    replace_all(w, "\u095C", "\u0930");
    replace_all(w, "\u095D", "\u0930");
    replace_all(w, "\u09A1\u09BC", "\u09A1");  // ড় as ড
    replace_all(w, "\u09A2\u09BC", "\u09A2");  // ঢ় as ঢ
    replace_all(w, "\u09DC", "\u09A1");
    replace_all(w, "\u09DD", "\u09A2");
    replace_all(w, "\u0C8B", "\u0CB0\u0CC1");        // ಋ as ರು
    replace_all(w, "\u0CC3", "\u0CCD\u0CB0\u0CC1");  // ೃ as ್ರು
    add(std::move(w));
  }
  return forms;
}

// The Latin spellings of one word as written: each written form, read as
// its script reads it and, for Bengali, with the inherent vowel "a" and ঐ
// "oi"; for Hindi, with a final e or ai as "ay". A token with no key is kept as its base form writes it.
std::vector<std::string> word_spellings(std::string_view word) {
  std::vector<std::string> out;
  for (const std::string& form : written_forms(word)) {
    const std::string base_o = normalize_base(form);
    // Read with the inherent vowel "a", অ (the inherent vowel written
    // alone) is "a" too: অচল "achal" beside "ochol".
    std::string form_a = form;
    replace_all(form_a, "\u0985", "\u0986");
    const std::string base_a = form_a == form ? base_o : normalize_base(form_a);
    for (int reading = 0; reading < 3; ++reading) {
      const std::string& base = reading == 0 ? base_o : base_a;
      std::string text;
      bool changed = false;
      for (std::size_t b = 0; b < base.size();) {
        const std::size_t e = std::min(base.find(' ', b), base.size());
        if (e > b) {
          const std::string_view token(base.data() + b, e - b);
          std::string latin;
          const auto c0 = static_cast<unsigned char>(token[0]);
          const Script s = token.size() >= 3 && token.size() <= kMaxKeyedToken
                               ? indic_script_of_utf8(c0, static_cast<unsigned char>(token[1]))
                               : Script::none;
          if (s == Script::devanagari) {
            latin = spelled<Script::devanagari, false>(token, false);
            // A final e or ai is also typed "ay", as Roman Urdu has it
            // ("kaisay", "hay").
            if (reading == 1 && latin.size() >= 2) {
              const std::size_t cut = latin.ends_with("ai") ? 2 : latin.ends_with("e") ? 1 : 0;
              if (cut != 0) {
                latin.replace(latin.size() - cut, cut, "ay");
                changed = true;
              }
            }
          } else if (s == Script::kannada) {
            latin = spelled<Script::kannada, false>(token, false);
          } else if (s == Script::bengali) {
            latin = reading == 0 ? spelled<Script::bengali, false>(token, false)
                                 : spelled<Script::bengali, true>(token, reading == 2);
            changed = changed || reading != 0;
          }
          if (!text.empty()) text += ' ';
          text += latin.empty() ? std::string(token) : latin;
        }
        b = e + 1;
      }
      if (reading != 0 && !changed) break;
      if (!text.empty() && std::find(out.begin(), out.end(), text) == out.end()) {
        out.push_back(std::move(text));
      }
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& WordSpellings::of(std::string_view word) {
  auto it = readings_.find(word);
  if (it == readings_.end()) it = readings_.emplace(std::string(word), word_spellings(word)).first;
  return it->second;
}

std::vector<std::string> phonetic_spellings(std::string_view text, std::size_t max,
                                            WordSpellings* memo) {
  std::vector<std::vector<std::string>> words;
  std::size_t combinations = 1;
  bool any = false;
  for (std::size_t b = 0; b < text.size();) {
    const std::size_t e = std::min(text.find(' ', b), text.size());
    if (e > b) {
      const std::string_view word = text.substr(b, e - b);
      words.push_back(memo != nullptr ? memo->of(word) : word_spellings(word));
      if (words.back().empty()) words.back().push_back(std::string(word));
      any = any || words.back().size() > 1;
      combinations = std::min<std::size_t>(combinations * words.back().size(), 1u << 20);
    }
    b = e + 1;
  }
  std::vector<std::string> out;
  if (!any || max == 0) return out;
  auto add = [&](const std::vector<std::size_t>& pick) {
    std::string t;
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (w != 0) t += ' ';
      t += words[w][std::min(pick[w], words[w].size() - 1)];
    }
    if (out.size() < max && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  };
  std::vector<std::size_t> pick(words.size(), 0);
  if (combinations <= max) {
    // Every combination: a query may spell one word one way and the next
    // another ("gopan lonthon").
    for (std::size_t k = 0; k < combinations; ++k) {
      std::size_t rest = k;
      for (std::size_t w = words.size(); w-- > 0;) {
        pick[w] = rest % words[w].size();
        rest /= words[w].size();
      }
      add(pick);
    }
  } else {
    // Too many to list: each reading applied to every word alike.
    std::size_t most = 0;
    for (const auto& w : words) most = std::max(most, w.size());
    for (std::size_t k = 0; k < most; ++k) {
      std::fill(pick.begin(), pick.end(), k);
      add(pick);
    }
  }
  return out;
}

}  // namespace deter::text
