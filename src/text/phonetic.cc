#include "text/phonetic.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "text/utf8.h"

namespace deter::text {
namespace {

enum class Script : std::uint8_t { none, devanagari, bengali, kannada };

// Devanagari, Bengali and Kannada share one layout (inherited from ISCII):
// the same letter sits at the same offset from the start of each block.
constexpr char32_t block_start(Script s) {
  return s == Script::devanagari ? 0x0900 : s == Script::bengali ? 0x0980 : 0x0C80;
}

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

// A short Latin spelling (at most four letters), packed in a word so that
// units are small and a spelling is written with one store; trivial, so
// that arrays of units cost nothing to create.
struct Spelling {
  std::uint32_t bytes;
  std::uint8_t n;
  Spelling() = default;
  constexpr Spelling(const char* p, std::size_t len) : bytes(0), n(static_cast<std::uint8_t>(len)) {
    for (std::size_t k = 0; k < len && k < 4; ++k) {
      bytes |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[k])) << (8 * k);
    }
  }
  bool empty() const { return n == 0; }
  constexpr Spelling& operator=(std::string_view s) { return *this = Spelling(s.data(), s.size()); }
};

// Each script's 128 offsets resolved once: the letter, or Kind::skip with
// `valid` false where the offset is unassigned in that script (the token
// then gets no key). Bengali's own readings are folded in: য is "j", অ is
// "o", and ৎ (khanda ta) is marked by `khanda`.
struct Cell {
  Kind kind = Kind::skip;
  bool valid = false;
  bool khanda = false;
  Spelling latin{"", 0};
};
using Cells = std::array<Cell, 0x80>;

constexpr Cells make_cells(Script s) {
  Cells t{};
  for (std::uint32_t off = 0; off < 0x80; ++off) {
    Cell& c = t[off];
    if (s == Script::bengali && off == 0x4E) {
      c.valid = true;
      c.khanda = true;
      continue;
    }
    c.valid = assigned(s, off);
    if (!c.valid) continue;
    c.kind = kLetters[off].kind;
    std::string_view latin = kLetters[off].latin;
    if (s == Script::bengali && off == 0x2F) latin = "j";  // য
    if (s == Script::bengali && off == 0x05) latin = "o";  // অ
    c.latin = Spelling(latin.data(), latin.size());
  }
  return t;
}
constexpr Cells kDevanagariCells = make_cells(Script::devanagari);
constexpr Cells kBengaliCells = make_cells(Script::bengali);
constexpr Cells kKannadaCells = make_cells(Script::kannada);

// One written syllable: a consonant (or none, for a vowel letter), the vowel
// that follows it, and a final anusvara or visarga.
struct Unit {
  Spelling consonant;
  Spelling vowel;
  Spelling coda;
  bool inherent;  // the vowel is the consonant's inherent one
  bool deleted;   // the inherent vowel is not pronounced
  bool virama;
  std::uint8_t offset;  // of the consonant, for nukta and conjunct rules
};

// Units are stored uninitialized (a token's worth at a time, on the stack);
// each is made whole here.
Unit make_unit() { return Unit{{"", 0}, {"", 0}, {"", 0}, false, false, false, 0}; }

bool has_vowel(const Unit& u) { return !u.virama && !u.deleted && !u.vowel.empty(); }

// Longest token (in syllables) that gets a key; longer ones are not words.
constexpr std::size_t kMaxUnits = 48;

// A fixed-capacity list of units on the stack: no allocation, no
// thread-local lookups on the query path.
class Units {
 public:
  bool empty() const { return n_ == 0; }
  std::size_t size() const { return n_; }
  Unit& back() { return u_[n_ - 1]; }
  Unit& operator[](std::size_t i) { return u_[i]; }
  bool push_back(const Unit& u) {
    if (n_ == kMaxUnits) return false;
    u_[n_++] = u;
    return true;
  }
  const Unit* begin() const { return u_; }
  const Unit* end() const { return u_ + n_; }

 private:
  Unit u_[kMaxUnits];  // not initialized: only [0, n_) is ever read
  std::size_t n_ = 0;
};

// Transliterates a native-script token into `latin` (room for 8 bytes per
// unit); returns its length, or 0 if the token holds anything else.
std::size_t transliterate(std::string_view token, Script script, char* latin) {
  Units units;
  const Spelling inherent = script == Script::bengali ? Spelling("o", 1) : Spelling("a", 1);
  const char32_t start = block_start(script);
  const Cells& cells = script == Script::devanagari ? kDevanagariCells
                       : script == Script::bengali  ? kBengaliCells
                                                    : kKannadaCells;
  const auto* p = reinterpret_cast<const unsigned char*>(token.data());
  for (std::size_t i = 0; i < token.size();) {
    // The three scripts are three-byte UTF-8; anything else ends the key.
    if ((p[i] & 0xF0) != 0xE0 || i + 3 > token.size()) return 0;
    const char32_t cp = (p[i] & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
    i += 3;
    const auto off = static_cast<std::uint32_t>(cp - start);
    if (off >= 0x80) return 0;  // another script
    if (units.size() == kMaxUnits) return 0;
    const Cell& l = cells[off];
    if (!l.valid) return 0;
    if (l.khanda) {
      Unit u = make_unit();
      u.consonant = "t";
      u.virama = true;
      units.push_back(u);
      continue;
    }
    switch (l.kind) {
      case Kind::skip:
        break;
      case Kind::consonant: {
        Unit u = make_unit();
        u.consonant = l.latin;
        u.vowel = inherent;
        u.inherent = true;
        u.offset = static_cast<std::uint8_t>(off);
        // ज्ञ is "gy" in Hindi ("gyan").
        if (script == Script::devanagari && off == 0x1E && !units.empty() && units.back().virama &&
            units.back().offset == 0x1C) {
          units.back().consonant = "g";
          u.consonant = "y";
        }
        units.push_back(u);
        break;
      }
      case Kind::nukta:
        // Bengali ড় ঢ় য় are letters of their own (Devanagari nukta is
        // already gone from the base form).
        if (!units.empty() && script == Script::bengali) {
          Unit& u = units.back();
          if (u.offset == 0x21) u.consonant = "r";
          if (u.offset == 0x22) u.consonant = "rh";
          if (u.offset == 0x2F) u.consonant = "y";
        }
        break;
      case Kind::sign:
        if (!units.empty() && units.back().inherent && units.back().coda.empty()) {
          units.back().vowel = l.latin;
          units.back().inherent = false;
        } else {
          Unit u = make_unit();
          u.vowel = l.latin;
          units.push_back(u);
        }
        break;
      case Kind::virama:
        if (!units.empty() && units.back().inherent) {
          units.back().vowel = std::string_view();
          units.back().inherent = false;
          units.back().virama = true;
        }
        break;
      case Kind::vowel: {
        Unit u = make_unit();
        u.vowel = l.latin;
        units.push_back(u);
        break;
      }
      case Kind::anusvara:
      case Kind::visarga:
        if (units.empty()) units.push_back(make_unit());
        units.back().coda = l.latin;
        break;
    }
  }
  if (units.empty()) return 0;
  // Schwa deletion (Hindi and Bengali, not Kannada): the inherent vowel is
  // silent at the end of a word, and between a vowel-consonant and a
  // consonant-vowel, deciding from the end of the word backwards.
  if (script != Script::kannada) {
    const std::size_t n = units.size();
    Unit& last = units[n - 1];
    if (n > 1 && last.inherent && last.coda.empty()) last.deleted = true;
    for (std::size_t k = n >= 2 ? n - 2 : 0; k >= 1; --k) {
      Unit& u = units[k];
      if (u.inherent && u.coda.empty() && !u.consonant.empty() && has_vowel(units[k - 1]) &&
          !units[k + 1].consonant.empty() && has_vowel(units[k + 1])) {
        u.deleted = true;
      }
      if (k == 1) break;
    }
  }
  std::size_t len = 0;
  // Four bytes are stored whatever the length: `latin` has room to spare.
  static_assert(std::endian::native == std::endian::little, "spellings are packed little-endian");
  auto put = [&](Spelling s) {
    std::memcpy(latin + len, &s.bytes, 4);
    len += s.n;
  };
  for (const Unit& u : units) {
    put(u.consonant);
    if (!u.deleted) put(u.vowel);
    put(u.coda);
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

std::size_t latin_key_into(std::string_view w, char* a) {
  const auto* p = reinterpret_cast<const unsigned char*>(w.data());
  const std::size_t n = w.size();
  // Most words fold letter by letter ("video" to "vide", "yang" to "yang",
  // "with" to "vith"): every letter is looked at with the next one, in no
  // order and with no branch, and written as its single fold; the word is
  // done, less a final a or o, unless some pair needs the whole fold.
  if (n == 0) return 0;
  unsigned changes = 0;
  unsigned c = std::min(static_cast<unsigned>(p[0]) - 'a', 26u);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const unsigned d = std::min(static_cast<unsigned>(p[i + 1]) - 'a', 26u);
    changes |= kChanges[c][d];
    a[i] = kSingleFold[p[i]];
    c = d;
  }
  changes |= kChanges[c][26];
  a[n - 1] = kSingleFold[p[n - 1]];
  if (changes == 0) return n >= 3 && (p[n - 1] == 'a' || p[n - 1] == 'o') ? n - 1 : n;
  // Folded letters go out one behind: `held` is the last letter folded, not
  // yet written, so that a letter equal to it is dropped (doubled letters
  // collapse) and an m held before a consonant is written as the
  // anusvara's n, without a branch on either.
  constexpr unsigned kNone = 0x100;  // held before the first letter: no byte
  std::size_t len = 0;
  unsigned held = kNone;
  auto put = [&](unsigned c) {
    const unsigned fresh = c != held;
    const unsigned anusvara = static_cast<unsigned>(held == 'm') & ~kVowel[c & 0xFF] & 1u;
    a[len] = static_cast<char>(anusvara != 0 ? 'n' : held);
    len += fresh & static_cast<unsigned>(held != kNone);
    held = c;
  };
  // Each position is folded with the letter after it, independently of the
  // others; `skip` counts the letters a digraph before it consumed ("ee",
  // "kh", "chh"), so that no load waits on the previous letter's fold.
  unsigned skip = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned c = static_cast<unsigned>(p[i]) - 'a';
    if (c > 25) {  // not a letter: kept as it is (a digraph never covers one)
      put(p[i]);
      continue;
    }
    unsigned d = i + 1 < n ? static_cast<unsigned>(p[i + 1]) - 'a' : 26;
    d = d > 25 ? 26 : d;
    const Fold f = kFolds[c][d];
    const bool active = skip == 0;
    put(active ? static_cast<unsigned char>(f.out) : held);
    const unsigned out2 = active ? static_cast<unsigned char>(f.out2) : 0u;
    if (out2 != 0) put(out2);  // only x, "ks"
    const unsigned after = i + 2 < n ? p[i + 2] : 0;
    const unsigned covered = f.advance - 1u + static_cast<unsigned>(f.chh && after == 'h');
    skip = active ? covered : skip - 1;
  }
  a[len] = static_cast<char>(held);
  len += static_cast<std::size_t>(held != kNone);
  if (len >= 3 && (a[len - 1] == 'a' || a[len - 1] == 'o')) --len;
  return len;
}

void latin_key(std::string_view w, std::string& out) {
  // Room for the longest keyed Latin token and the longest transliteration.
  char stack[2 * 8 * kMaxUnits + 1];
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
  // The script from the first character's first two bytes: U+0900-U+097F
  // is E0 A4-A5, U+0980-U+09FF is E0 A6-A7, U+0C80-U+0CFF is E0 B2-B3.
  if (c0 != 0xE0 || token.size() < 3) return -1;
  const auto c1 = static_cast<unsigned char>(token[1]);
  const Script s = (c1 == 0xA4 || c1 == 0xA5)   ? Script::devanagari
                   : (c1 == 0xA6 || c1 == 0xA7) ? Script::bengali
                   : (c1 == 0xB2 || c1 == 0xB3) ? Script::kannada
                                                : Script::none;
  if (s == Script::none) return -1;
  char latin[kMaxUnits * 8];
  const std::size_t len = transliterate(token, s, latin);
  if (len == 0) return -1;
  // A unit is at least one three-byte character and spells at most 8
  // bytes, and a key at most doubles its spelling: 16n/3 + 1 <= 6n + 1.
  return static_cast<std::ptrdiff_t>(latin_key_into(std::string_view(latin, len), out));
}

bool phonetic_key(std::string_view token, std::string& out) {
  char key[phonetic_key_bound(kMaxKeyedToken)];
  const std::ptrdiff_t len = phonetic_key_into(token, key);
  if (len < 0) return false;
  out.append(key, static_cast<std::size_t>(len));
  return true;
}

}  // namespace deter::text
