#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/bytes8.h"
#include "text/scripts.h"
#include "text/utf8.h"

namespace deter::text {
namespace {

// Enclosed Alphanumeric Supplement: negative circled letters (U+1F150) to
// the regional indicators (U+1F1E6..U+1F1FF), read by Writer::enclosed_letter.
constexpr char32_t kEnclosedLettersFirst = 0x1F150;
constexpr char32_t kRegionalFirst = 0x1F1E6;
constexpr char32_t kRegionalLast = 0x1F1FF;

bool is_ascii_letter(char32_t cp) { return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'; }

const icu::Normalizer2& nfkc_cf() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return *instance;
}

// The Indic blocks (Devanagari to Kannada) and the Latin letters with
// diacritics, classified once with ICU so that the common case, a run of
// text NFKC_Casefold would leave unchanged, never calls the normalizer.
// (kIndicFirst, kIndicLast: text/scripts.h)
constexpr char32_t kLatinFirst = 0x00C0;
constexpr char32_t kLatinLast = 0x024F;
constexpr char32_t kLatinExtFirst = 0x1E00;
constexpr char32_t kLatinExtLast = 0x1EFF;

// Indic folds NFKC leaves alone (docs/DESIGN.md §4). Returns 0 to drop the code
// point, or the code point to write instead (an ASCII digit for native ones).
inline char32_t fold_indic(char32_t cp) {
  switch (cp) {
    case 0x093C:  // DEVANAGARI SIGN NUKTA: NFKC has already split क़ into क + nukta
      return 0;
    case 0x0929:
      return 0x0928;  // ऩ -> न (precomposed, so NFKC keeps it)
    case 0x0931:
      return 0x0930;  // ऱ -> र
    case 0x0934:
      return 0x0933;  // ऴ -> ळ
    case 0x0901:
      return 0x0902;  // Devanagari chandrabindu -> anusvara
    case 0x0981:
      return 0x0982;  // Bengali chandrabindu -> anusvara
    case 0x0C81:
      return 0x0C82;  // Kannada candrabindu -> anusvara
    default:
      break;
  }
  if (cp >= 0x0966 && cp <= 0x096F) return '0' + (cp - 0x0966);  // ०-९
  if (cp >= 0x09E6 && cp <= 0x09EF) return '0' + (cp - 0x09E6);  // ০-৯
  if (cp >= 0x0CE6 && cp <= 0x0CEF) return '0' + (cp - 0x0CE6);  // ೦-೯
  return cp;
}

// What the tables know of an Indic code point, packed in one word so that
// the hot loop needs one lookup a character.
enum IndicClass : std::uint8_t {
  kSeparator = 0,   // not a letter, mark or number
  kLetter = 1,      // a letter or number, written as it is
  kMark = 2,        // a combining mark, written as it is unless after a Latin letter
  kFolded = 3,      // written as indic_fold (UTF-8, NUL padded)
  kDropped = 4,     // the Devanagari nukta
  kFoldedMark = 5,  // a combining mark written as indic_fold
};
enum IndicBits : std::uint32_t {
  kClassMask = 0x7,
  // NFKC_Casefold replaces it by the two characters in indic_expand.
  kExpands = 1u << 3,
  // NFKC_Casefold changes it on its own, or it composes with a non-Indic
  // character before it.
  kUnstableAlone = 1u << 4,
  kComposesWithPrevious = 1u << 5,  // composes with some character before it
  kComposesWithNext = 1u << 6,      // some character after it composes with it
  // A letter or mark (kLetter, kMark) without kExpands or kUnstableAlone:
  // most characters of Indic text, written as they are.
  kPlain = 1u << 7,
  // kComposesWithPrevious, or a combining class other than 0: whether it
  // keeps a run stable depends on the character before it.
  kCheckPrevious = 1u << 8,
  // Written from `replacement` in the hot loop: a fold (kFolded,
  // kFoldedMark), or a nukta letter (kExpands) whose two parts are a letter
  // and a letter or mark that keep a run stable together.
  kReplaced = 1u << 10,
  kCccShift = 16,  // bits 16-23: the canonical combining class
  // Bits 24-31: the combining class, or 255 for class 0, so that "a
  // nonzero class below the one before" is one comparison.
  kCccBelowShift = 24,
};

// General Punctuation (U+2000..U+206F, quotation marks and dashes, common
// in Indic text) has no letters; the ones NFKC_Casefold leaves alone and
// that never interact with a neighbour (normalization-inert) are
// separators a stable run may hold.
constexpr char32_t kPunctuationFirst = 0x2000;
constexpr char32_t kPunctuationLast = 0x206F;

constexpr std::size_t kIndicByBytesSize = (0xBF - 0x80) * 256 + (0xB3 - 0xA4) + 1;
inline std::size_t indic_by_bytes_index(char32_t cp) {
  return ((cp & 0x3F) << 8) | (((cp >> 6) & 0x3F) - 0x24);
}

// What a kReplaced character writes, and how it takes part in the
// stable-run rule: `check` against the character before it, `next` as the
// character before the one after it.
struct Replacement {
  std::array<char, 8> bytes;  // NUL padded
  std::uint32_t check;
  std::uint32_t next;
  std::uint32_t size;
};

struct Tables {
  // U+0900..U+0CFF: IndicClass | IndicBits.
  std::array<std::uint32_t, kIndicLast - kIndicFirst + 1> indic{};
  std::array<std::array<char, 4>, kIndicLast - kIndicFirst + 1> indic_fold{};
  // Indic code points that NFKC_Casefold replaces by two Indic ones, each
  // unchanged on its own, the first a starter (the nukta letters, such as
  // Bengali U+09DF): those two, else zeros.
  std::array<std::array<char16_t, 2>, kIndicLast - kIndicFirst + 1> indic_expand{};
  std::array<Replacement, kIndicLast - kIndicFirst + 1> replacement{};
  // `indic` again, indexed by the last two bytes of the UTF-8 form read as
  // one little-endian number, less that of U+0900 (A4 80): any other bytes
  // after E0 index a zero or fall outside, which makes UTF-8 validation and
  // the range check one comparison in the hot loop.
  std::array<std::uint32_t, kIndicByBytesSize> indic_by_bytes{};
  // Latin letters with diacritics (already case folded): the ASCII letters
  // of their base, or empty when the letter is not folded.
  std::array<std::array<char, 3>, kLatinLast - kLatinFirst + 1> latin{};
  std::array<std::array<char, 3>, kLatinExtLast - kLatinExtFirst + 1> latin_ext{};
  // U+2000..U+206F: true for an inert separator.
  std::array<bool, kPunctuationLast - kPunctuationFirst + 1> inert_separator{};
  // U+0080..U+07FF, bit cp % 64 of word cp / 64: left alone by
  // NFKC_Casefold and never composed with the character before it
  // (hasBoundaryBefore), such as lowercase Cyrillic and Greek letters.
  // Before another such character, or ASCII, or at the end, it is a
  // segment of its own that ICU would return as it is: it goes to
  // Writer::code_point without ICU.
  std::array<std::uint64_t, 0x800 / 64> plain2{};
  bool is_plain2(char32_t cp) const { return (plain2[cp >> 6] >> (cp & 63) & 1) != 0; }
};

// A run is stable when NFKC_Casefold leaves it unchanged (up to ASCII
// case, which the writer folds), decided from the tables alone: every
// character is ASCII or a stable Indic character that does not compose with
// the one before it, and combining classes never decrease between
// neighbours (no reordering). Stable runs never reach ICU.
//
// True when the Indic character `e` (table entry) breaks that rule after
// `prev` (the entry of the character before it, 0 for ASCII or none).
inline bool breaks_stable_run(std::uint32_t e, std::uint32_t prev) {
  const unsigned ccc = (e >> kCccShift) & 0xFFu;
  return (e & kUnstableAlone) != 0 ||
         ((e & kComposesWithPrevious) != 0 && (prev & kComposesWithNext) != 0) ||
         (ccc != 0 && ((prev >> kCccShift) & 0xFFu) > ccc);
}

void set_base(std::array<char, 3>& slot, const char* ascii) {
  slot = {ascii[0], ascii[0] ? ascii[1] : '\0', '\0'};
}

const Tables& tables() {
  static const std::unique_ptr<Tables> t = [] {
    auto t = std::make_unique<Tables>();
    constexpr std::size_t kIndicSize = kIndicLast - kIndicFirst + 1;
    // bit 0 = unchanged by NFKC_Casefold on its own, bit 1 = composes with
    // some character before it, bit 2 = some character composes with it from
    // after, bit 3 = composes with a non-Indic character before it.
    std::array<std::uint8_t, kIndicSize> flags{};
    std::array<std::uint8_t, kIndicSize> ccc{};
    std::array<std::uint8_t, kIndicSize> cls{};
    const icu::Normalizer2& n = nfkc_cf();
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    for (char32_t cp = kIndicFirst; cp <= kIndicLast; ++cp) {
      const std::size_t k = cp - kIndicFirst;
      icu::UnicodeString s(static_cast<UChar32>(cp));
      UErrorCode st = U_ZERO_ERROR;
      if (n.isNormalized(s, st) && U_SUCCESS(st)) flags[k] |= 1;
      ccc[k] = n.getCombiningClass(static_cast<UChar32>(cp));
      const auto gc = U_GET_GC_MASK(static_cast<UChar32>(cp));
      cls[k] = (gc & U_GC_M_MASK)                   ? kMark
               : (gc & (U_GC_L_MASK | U_GC_N_MASK)) ? kLetter
                                                    : kSeparator;
      const char32_t folded = fold_indic(cp);
      if (folded == 0) {
        cls[k] = kDropped;
      } else if (folded != cp) {
        // A fold to a combining mark (chandrabindu -> anusvara) is a mark
        // like any other: dropped after a Latin letter, or the second pass
        // would drop what the first one kept.
        cls[k] =
            (U_GET_GC_MASK(static_cast<UChar32>(folded)) & U_GC_M_MASK) ? kFoldedMark : kFolded;
        std::string utf8;
        append_utf8(utf8, folded);
        for (std::size_t b = 0; b < utf8.size(); ++b) t->indic_fold[k][b] = utf8[b];
      }
      if (!(flags[k] & 1)) {
        UErrorCode est = U_ZERO_ERROR;
        const icu::UnicodeString folded_cp = n.normalize(s, est);
        if (U_SUCCESS(est) && folded_cp.length() == 2) {
          const char16_t a = folded_cp.charAt(0);
          const char16_t z = folded_cp.charAt(1);
          auto single_stable = [&](char16_t c) {
            UErrorCode cst = U_ZERO_ERROR;
            return c >= kIndicFirst && c <= kIndicLast &&
                   n.isNormalized(icu::UnicodeString(static_cast<UChar32>(c)), cst) &&
                   U_SUCCESS(cst);
          };
          if (single_stable(a) && single_stable(z) && n.getCombiningClass(a) == 0) {
            t->indic_expand[k] = {a, z};
          }
        }
      }
      icu::UnicodeString raw;
      if (nfd != nullptr && nfd->getRawDecomposition(static_cast<UChar32>(cp), raw) &&
          raw.countChar32() == 2) {
        UChar32 first = raw.char32At(0);
        UChar32 second = raw.char32At(raw.moveIndex32(0, 1));
        if (nfd->composePair(first, second) == static_cast<UChar32>(cp) &&
            static_cast<char32_t>(second) >= kIndicFirst &&
            static_cast<char32_t>(second) <= kIndicLast) {
          flags[second - kIndicFirst] |= 2;
          if (static_cast<char32_t>(first) >= kIndicFirst &&
              static_cast<char32_t>(first) <= kIndicLast) {
            flags[first - kIndicFirst] |= 4;
          } else {
            flags[second - kIndicFirst] |= 8;  // composes with a non-Indic base
          }
        }
      }
    }
    for (std::size_t k = 0; k < kIndicSize; ++k) {
      std::uint32_t e = cls[k];
      if (t->indic_expand[k][0] != 0) e |= kExpands;
      if (!(flags[k] & 1) || (flags[k] & 8)) e |= kUnstableAlone;
      if (flags[k] & 2) e |= kComposesWithPrevious;
      if (flags[k] & 4) e |= kComposesWithNext;
      if ((cls[k] == kLetter || cls[k] == kMark) && !(e & (kExpands | kUnstableAlone))) {
        e |= kPlain;
      }
      if ((flags[k] & 2) || ccc[k] != 0) e |= kCheckPrevious;
      t->indic[k] = e | static_cast<std::uint32_t>(ccc[k]) << kCccShift |
                    static_cast<std::uint32_t>(ccc[k] == 0 ? 255 : ccc[k]) << kCccBelowShift;
    }
    for (std::size_t k = 0; k < kIndicSize; ++k) {
      const std::uint32_t e = t->indic[k];
      Replacement& r = t->replacement[k];
      if ((cls[k] == kFolded || cls[k] == kFoldedMark) && !(e & (kUnstableAlone | kExpands))) {
        const auto& fold = t->indic_fold[k];
        r = {{fold[0], fold[1], fold[2], fold[3]}, e, e, fold[1] == '\0' ? 1u : 3u};
        t->indic[k] |= kReplaced;
      } else if (e & kExpands) {
        const auto& parts = t->indic_expand[k];
        const std::uint32_t first = t->indic[parts[0] - kIndicFirst];
        const std::uint32_t second = t->indic[parts[1] - kIndicFirst];
        if ((first & kClassMask) == kLetter &&
            ((second & kClassMask) == kLetter || (second & kClassMask) == kMark) &&
            !((first | second) & (kUnstableAlone | kExpands)) &&
            !breaks_stable_run(second, first)) {
          std::string utf8;
          append_utf8(utf8, parts[0]);
          append_utf8(utf8, parts[1]);
          r = {{utf8[0], utf8[1], utf8[2], utf8[3], utf8[4], utf8[5]}, first, second, 6};
          t->indic[k] |= kReplaced;
        }
      }
    }
    for (char32_t cp = kIndicFirst; cp <= kIndicLast; ++cp) {
      t->indic_by_bytes[indic_by_bytes_index(cp)] = t->indic[cp - kIndicFirst];
    }
    for (char32_t cp = kPunctuationFirst; cp <= kPunctuationLast; ++cp) {
      const auto gc = U_GET_GC_MASK(static_cast<UChar32>(cp));
      t->inert_separator[cp - kPunctuationFirst] =
          !(gc & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) && n.isInert(static_cast<UChar32>(cp));
    }
    for (char32_t cp = 0x80; cp < 0x800; ++cp) {
      icu::UnicodeString s(static_cast<UChar32>(cp));
      UErrorCode st = U_ZERO_ERROR;
      if (n.hasBoundaryBefore(static_cast<UChar32>(cp)) && n.isNormalized(s, st) && U_SUCCESS(st)) {
        t->plain2[cp >> 6] |= std::uint64_t{1} << (cp & 63);
      }
    }
    auto fill = [&](char32_t first, char32_t last, auto& table) {
      for (char32_t cp = first; cp <= last; ++cp) {
        icu::UnicodeString d;
        if (nfd == nullptr || !nfd->getDecomposition(static_cast<UChar32>(cp), d)) continue;
        UChar32 base = d.char32At(0);
        if (base < 0x80 && is_ascii_letter(static_cast<char32_t>(base))) {
          char b[2] = {static_cast<char>(base | 0x20), '\0'};
          set_base(table[cp - first], b);
        }
      }
    };
    fill(kLatinFirst, kLatinLast, t->latin);
    fill(kLatinExtFirst, kLatinExtLast, t->latin_ext);
    // Letters with a stroke or ligatures have no decomposition; the common
    // ones fold by hand (lowercase only: the text is already case folded).
    const std::pair<char32_t, const char*> extra[] = {
        {0x00F8, "o"},  {0x0111, "d"}, {0x0127, "h"},  {0x0131, "i"},  {0x0142, "l"},
        {0x0167, "t"},  {0x0180, "b"}, {0x00E6, "ae"}, {0x0153, "oe"}, {0x00F0, "d"},
        {0x00FE, "th"}, {0x0138, "k"}, {0x0192, "f"},  {0x01B6, "z"},
    };
    // Only letters inside the table's range: U+0268 (i with stroke) was in
    // this list and wrote past its end (found by the asan preset).
    for (const auto& [cp, ascii] : extra) {
      if (cp >= kLatinFirst && cp <= kLatinLast) set_base(t->latin[cp - kLatinFirst], ascii);
    }
    return t;
  }();
  return *t;
}

// The ASCII base of a Latin letter with diacritics (already case folded), or
// null when the letter has none.
const char* latin_base(const Tables& t, char32_t cp) {
  if (cp >= kLatinFirst && cp <= kLatinLast) {
    const auto& s = t.latin[cp - kLatinFirst];
    return s[0] ? s.data() : nullptr;
  }
  if (cp >= kLatinExtFirst && cp <= kLatinExtLast) {
    const auto& s = t.latin_ext[cp - kLatinExtFirst];
    return s[0] ? s.data() : nullptr;
  }
  return nullptr;
}

// Eight ASCII bytes at a time in a 64-bit word (text/bytes8.h).
using bytes8::bytes_between;
using bytes8::kEveryByte;
using bytes8::kHighBits;

inline std::uint32_t load_le32(const unsigned char* q) {
  std::uint32_t w;
  std::memcpy(&w, q, 4);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
  return w;
}
inline void store_le32(char* p, std::uint32_t w) {
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
  std::memcpy(p, &w, 4);
}

#if defined(__SSE2__)
inline __m128i bytes_between(__m128i x, char lo, char hi) {
  return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
}
#endif

// The hot loop of Indic text in a stable run (not after a Latin letter):
// letters and marks that NFKC_Casefold leaves alone, folds and nukta
// letters from `replacement`, and single spaces between words. Stops, with
// q at the character, before anything else or anything that would make the
// run unstable; the general path takes it from there. Kept out of line so
// that its few variables stay in registers.
[[gnu::noinline]] void write_plain_indic(const Tables& t, const unsigned char* const end,
                                         const char* const out_end, const unsigned char*& q_io,
                                         char*& p_io, std::uint32_t& prev_io, bool& dropped_io) {
  const unsigned char* q = q_io;
  char* p = p_io;
  std::uint32_t prev = prev_io;
  bool dropped = dropped_io;
  const std::uint32_t* const indic_by_bytes = t.indic_by_bytes.data();
  // One character (or space) whose first four bytes (three at the end of
  // the input, then zero) are w. False to stop before it.
  auto step = [&](std::uint32_t w) {
    if ((w & 0xFFu) != 0xE0u) {
      if ((w & 0x80FFu) != 0x8020u) return false;  // not a space before a non-ASCII byte
      *p = ' ';
      p += p[-1] != ' ';
      dropped = false;
      prev = 0;
      ++q;
      return true;
    }
    const std::uint32_t index = ((w >> 8) & 0xFFFFu) - 0x80A4u;
    if (index >= kIndicByBytesSize) return false;
    const std::uint32_t e = indic_by_bytes[index];
    if ((e & kPlain) != 0) {
      // breaks_stable_run(e, prev) for an entry without kUnstableAlone,
      // with no branch on the class: whether a character is a letter or a
      // sign with a combining class (virama, nukta) is data the predictor
      // cannot learn, while each test below fails in all but unstable text.
      // The second is "prev's class above e's" with prev's class moved to
      // the top byte, where e keeps the class it is compared with: prev's
      // is above it exactly when the shifted value is above all of e.
      static_assert(kComposesWithNext >> 1 == kComposesWithPrevious);
      static_assert(kCccShift + 8 == kCccBelowShift && kCccBelowShift + 8 == 32);
      if ((e & (prev >> 1) & kComposesWithPrevious) != 0) return false;
      if (((prev & (0xFFu << kCccShift)) << 8) > e) return false;
      store_le32(p, w);  // room for one byte more than the input's rest
      p += 3;
      q += 3;
      prev = e;
      return true;
    }
    // A zero entry (not Indic, or invalid) is not kReplaced either.
    if ((e & kReplaced) == 0) return false;
    // Eight bytes written, up to six kept.
    const Replacement& r = t.replacement[(index & 0xFFu) << 6 | index >> 8];
    if (((r.check & kCheckPrevious) != 0 && breaks_stable_run(r.check, prev)) ||
        static_cast<std::size_t>(out_end - p) < static_cast<std::size_t>(end - q) + 4) {
      return false;
    }
    std::memcpy(p, r.bytes.data(), 8);
    p += r.size;
    q += 3;
    prev = r.next;
    dropped = false;
    return true;
  };
  bool more = true;
  if (end - q >= 4) {
    // Four bytes or more left while q <= last: one comparison a character.
    const unsigned char* const last = end - 4;
    while (more && q <= last) more = step(load_le32(q));
  }
  if (more && end - q == 3) step(q[0] | q[1] << 8 | q[2] << 16);
  q_io = q;
  p_io = p;
  prev_io = prev;
  dropped_io = dropped;
}

// Writes the base form into `out`, through a pointer: `out` is sized up
// front for the common case (no character writes more bytes than it
// reads) and grown only where a character can expand (ICU output, nukta
// letters). The fast paths keep the write position and state in locals and
// hand them back before calling anything that writes.
class Writer {
 public:
  Writer(std::string& out, OffsetMap* map, bool keep_leet_symbols, const Tables& t,
         std::size_t in_size)
      : out_(out), map_(map), keep_symbols_(keep_leet_symbols), tables_(t) {
    // The padding at each end, one byte for each byte of the input, and
    // room for a few nukta letters (six bytes for three).
    out_.resize(in_size + 16);
    p_ = out_.data();
    end_ = p_ + out_.size();
    *p_++ = ' ';
    if (map_) {
      map_->clear();
      map_->push(0, 0);
    }
  }

  // Makes room for `k` more bytes.
  void ensure(std::size_t k) {
    if (static_cast<std::size_t>(end_ - p_) < k) grow(k);
  }

  void token_bytes(std::string_view bytes, std::uint32_t b, std::uint32_t e) {
    dropped_indic_ = false;
    put(bytes.data(), bytes.size());
    if (map_) {
      for (std::size_t k = 0; k < bytes.size(); ++k) map_->push(b, e);
    }
  }
  void token_byte(char c, std::uint32_t b, std::uint32_t e) {
    dropped_indic_ = false;
    put(&c, 1);
    if (map_) map_->push(b, e);
  }
  void separator(std::uint32_t b, std::uint32_t e) {
    after_latin_ = false;
    regional_end_ = kNoRegional;
    dropped_indic_ = false;
    if (at_space()) return;
    put(" ", 1);
    if (map_) map_->push(b, e);
  }
  // One ASCII byte of the source.
  void ascii(unsigned char c, std::uint32_t b, std::uint32_t e) {
    if (kAsciiKeep[c]) {
      token_byte(kAsciiKeep[c], b, e);
      after_latin_ = is_ascii_letter(c);
    } else if (keep_symbols_ && is_leet_symbol(c)) {
      token_byte(static_cast<char>(c), b, e);
      after_latin_ = false;
    } else {
      separator(b, e);
    }
  }
  // One code point of normalized text (bytes `bytes`), from source [b, e).
  void code_point(char32_t cp, std::string_view bytes, std::uint32_t b, std::uint32_t e) {
    if (cp < 0x80) {
      ascii(static_cast<unsigned char>(cp), b, e);
      return;
    }
    if (cp >= kIndicFirst && cp <= kIndicLast) {
      indic(cp - kIndicFirst, bytes, b, e);
      return;
    } else if (const char* base = latin_base(tables_, cp)) {
      // Diacritics go only after a Latin base (never Indic vowel signs).
      token_bytes(base, b, e);
      after_latin_ = true;
      return;
    }
    if (cp >= kEnclosedLettersFirst && cp <= kRegionalLast) {
      if (enclosed_letter(cp, b, e)) return;
    }
    const auto gc = U_GET_GC_MASK(static_cast<UChar32>(cp));
    if (gc & U_GC_M_MASK) {
      if (after_latin_) return;  // a combining accent on a Latin letter
      token_bytes(bytes, b, e);
      return;
    }
    if (gc & (U_GC_L_MASK | U_GC_N_MASK)) {
      token_bytes(bytes, b, e);
      after_latin_ = false;
    } else {
      separator(b, e);
    }
  }
  // The enclosed Latin letters NFKC leaves alone, negative circled 🅕 and
  // negative squared 🅵, are the letters they enclose (as ⓕ and 🄵 are,
  // through NFKC), and regional indicators 🇫 are letters too, but a run of
  // them is a word of its own: two of them make a flag, which glued to a
  // word ("orchard🇮🇹") must not hide it. Returns false for the symbols of
  // the block that are not letters (🄪, 🆎).
  [[gnu::noinline]] bool enclosed_letter(char32_t cp, std::uint32_t b, std::uint32_t e) {
    char letter = 0;
    if (cp >= 0x1F150 && cp <= 0x1F169) {
      letter = static_cast<char>('a' + (cp - 0x1F150));
    } else if (cp >= 0x1F170 && cp <= 0x1F189) {
      letter = static_cast<char>('a' + (cp - 0x1F170));
    } else if (cp >= kRegionalFirst) {
      // The separator the previous indicator wrote after itself, taken back
      // when nothing came between them.
      if (written() == regional_end_) {
        --p_;
        if (map_) map_->pop();
      } else {
        separator(b, e);
      }
      token_byte(static_cast<char>('a' + (cp - kRegionalFirst)), b, e);
      after_latin_ = false;
      separator(b, e);
      regional_end_ = written();
      return true;
    } else {
      return false;
    }
    token_byte(letter, b, e);
    after_latin_ = true;
    return true;
  }
  // code_point for the plain two-byte characters of the fast paths, out of
  // line: inlined there, it changed what the compiler inlines elsewhere
  // (decode_utf8 in normalize_icu, 8% more instructions on marks).
  [[gnu::noinline]] void plain2(char32_t cp, std::string_view bytes, std::uint32_t b,
                                std::uint32_t e) {
    code_point(cp, bytes, b, e);
  }
  // An Indic code point (index k in the tables) of normalized text.
  [[gnu::always_inline]] void indic(std::size_t k, std::string_view bytes, std::uint32_t b, std::uint32_t e) {
    switch (tables_.indic[k] & kClassMask) {
      case kLetter:
        token_bytes(bytes, b, e);
        after_latin_ = false;
        return;
      case kMark:
        if (after_latin_) return;
        if (dropped_indic_ && compose_with_previous(bytes)) return;
        token_bytes(bytes, b, e);
        return;
      case kFoldedMark:
        if (after_latin_) return;
        [[fallthrough]];
      case kFolded: {
        const char* f = tables_.indic_fold[k].data();
        token_bytes(std::string_view(f, f[1] == '\0' ? 1 : 3), b, e);
        after_latin_ = false;
        return;
      }
      case kDropped:
        dropped_indic_ = true;
        return;
      default:
        separator(b, e);
        return;
    }
  }
  // After a dropped code point (a nukta), the Indic letter or sign before it
  // and the mark after it may form a pair NFKC composes but could not across
  // the nukta (Bengali ে + া = ো). Composes it in place, as normalizing
  // again would, so the base form stays idempotent and a nukta slipped
  // between the two halves of a vowel sign cannot hide the word. Returns
  // false (and writes nothing) when the pair does not compose.
  bool compose_with_previous(std::string_view mark) {
    if (p_ - out_.data() < 4 || static_cast<unsigned char>(p_[-3]) != 0xE0) return false;
    const Decoded prev = decode_utf8(std::string_view(p_ - 3, 3), 0);
    const Decoded next = decode_utf8(mark, 0);
    const UChar32 composed =
        nfkc_cf().composePair(static_cast<UChar32>(prev.cp), static_cast<UChar32>(next.cp));
    if (composed < 0x0800 || composed > 0xFFFF) return false;
    // Three bytes for three: the map keeps prev's spans.
    p_[-3] = static_cast<char>(0xE0 | (composed >> 12));
    p_[-2] = static_cast<char>(0x80 | ((composed >> 6) & 0x3F));
    p_[-1] = static_cast<char>(0x80 | (composed & 0x3F));
    dropped_indic_ = false;
    return true;
  }
  // Emits already-normalized UTF-8; every output byte maps to source [b, e).
  void normalized(std::string_view s, std::uint32_t b, std::uint32_t e) {
    for (std::size_t i = 0; i < s.size();) {
      Decoded d = decode_utf8(s, i);
      code_point(d.cp, s.substr(i, d.size), b, e);
      i += d.size;
    }
  }
  void finish(std::uint32_t n) {
    separator(n, n);
    out_.resize(static_cast<std::size_t>(p_ - out_.data()));
  }

  // The fast paths (no map). Each writes at most one byte for each byte it
  // reads, so they rely on the room the constructor made, kept by every
  // path that writes more (`ensure`): room for the rest of the input and
  // the closing space.
  std::uint32_t ascii_stretch(const unsigned char* s, std::uint32_t i, std::uint32_t n);
  std::uint32_t fast_run(std::string_view in, std::uint32_t i);

 private:
  bool at_space() const { return p_[-1] == ' '; }  // tokens never hold a space
  void put(const char* bytes, std::size_t size) {
    ensure(size);
    std::memcpy(p_, bytes, size);
    p_ += size;
  }
  void grow(std::size_t k) {
    const auto used = static_cast<std::size_t>(p_ - out_.data());
    out_.resize(std::max(used + k, out_.size() + out_.size() / 2));
    p_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  std::string& out_;
  OffsetMap* map_;
  bool keep_symbols_;
  const Tables& tables_;
  char* p_ = nullptr;    // the next byte to write, in out_
  char* end_ = nullptr;  // out_.data() + out_.size()
  bool after_latin_ = false;
  bool dropped_indic_ = false;  // the last code point was dropped (kDropped)
  // The bytes written after a regional indicator and its separator (an
  // offset: `out_` may move when it grows).
  static constexpr std::size_t kNoRegional = ~std::size_t{0};
  std::size_t regional_end_ = kNoRegional;
  std::size_t written() const { return static_cast<std::size_t>(p_ - out_.data()); }
};

// Bengali khanda ta written as ta + virama + ZWJ; NFKC_Casefold would drop
// the ZWJ and leave a plain ta with virama, so it is mapped to ৎ first.
constexpr std::string_view kKhandaTaSequence = "\xE0\xA6\xA4\xE0\xA7\x8D\xE2\x80\x8D";
constexpr std::string_view kKhandaTa = "\xE0\xA7\x8E";

// Whether NFKC_Casefold leaves the segment in[b, e) (one of ICU's, from a
// character with a boundary before it to the next) as it is but for ASCII
// case, by the tables alone: one ASCII character, or Indic characters that
// make a stable run on their own (breaks_stable_run; none a nukta letter).
// A segment begins where nothing composes with what comes before it, so its
// first character is checked as a run's first.
bool unchanged_segment(const Tables& t, std::string_view in, std::uint32_t b, std::uint32_t e) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  if (s[b] < 0x80) return e == b + 1;
  std::uint32_t prev = 0;
  for (std::uint32_t i = b; i < e; i += 3) {
    if (s[i] != 0xE0 || e - i < 3) return false;
    const char32_t cp = (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
    if (cp < kIndicFirst || cp > kIndicLast) return false;
    const std::uint32_t entry = t.indic[cp - kIndicFirst];
    if ((entry & kExpands) != 0 || breaks_stable_run(entry, prev)) return false;
    prev = entry;
  }
  return true;
}

// Normalizes the valid, non-ASCII-led run in[b, e) through ICU.
void normalize_icu(std::string_view in, std::uint32_t b, std::uint32_t e, Writer& w,
                   bool with_map) {
  static thread_local std::string scratch;
  const icu::Normalizer2& n = nfkc_cf();
  if (!with_map) {
    scratch.clear();
    icu::StringByteSink<std::string> sink(&scratch);
    UErrorCode status = U_ZERO_ERROR;
    n.normalizeUTF8(0, icu::StringPiece(in.data() + b, static_cast<int32_t>(e - b)), sink, nullptr,
                    status);
    w.normalized(scratch, b, e);
    return;
  }
  // With a map, normalize one segment at a time: segments split where the
  // normalizer has a boundary, so the concatenation equals the run's form.
  // A segment the tables show unchanged goes to the writer as it is, with
  // the span ICU's would have: one nukta letter in a query sends its whole
  // run here, words and spaces around it too, and a call of ICU a segment
  // cost a Bengali query with a match a thousand instructions or more.
  const Tables& t = tables();
  std::uint32_t seg = b;
  while (seg < e) {
    std::uint32_t next = seg + decode_utf8(in, seg).size;
    while (next < e) {
      Decoded d = decode_utf8(in, next);
      if (n.hasBoundaryBefore(static_cast<UChar32>(d.cp))) break;
      next += d.size;
    }
    if (unchanged_segment(t, in, seg, next)) {
      w.normalized(in.substr(seg, next - seg), seg, next);
      seg = next;
      continue;
    }
    scratch.clear();
    icu::StringByteSink<std::string> sink(&scratch);
    UErrorCode status = U_ZERO_ERROR;
    n.normalizeUTF8(0, icu::StringPiece(in.data() + seg, static_cast<int32_t>(next - seg)), sink,
                    nullptr, status);
    w.normalized(scratch, seg, next);
    seg = next;
  }
}

// A run NFKC_Casefold may change: khanda ta first, the rest through ICU.
void normalize_unstable_run(std::string_view in, std::uint32_t b, std::uint32_t e, Writer& w,
                            bool with_map) {
  while (b < e) {
    std::size_t k = in.substr(b, e - b).find(kKhandaTaSequence);
    if (k == std::string_view::npos) {
      normalize_icu(in, b, e, w, with_map);
      return;
    }
    const auto at = static_cast<std::uint32_t>(b + k);
    if (at > b) normalize_icu(in, b, at, w, with_map);
    const auto after = static_cast<std::uint32_t>(at + kKhandaTaSequence.size());
    w.token_bytes(kKhandaTa, at, after);
    b = after;
  }
}

// The run in[i, j) of valid characters that begins at i, when normalize_base
// starts one there: up to the next ASCII character that is not followed by a
// non-ASCII one (an ASCII letter and the mark after it belong together), or
// up to an invalid sequence.
std::uint32_t run_end(std::string_view in, std::uint32_t i, std::uint32_t j) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const auto n = static_cast<std::uint32_t>(in.size());
  while (j < n) {
    if (s[j] < 0x80) {
      if (j > i && (j + 1 == n || s[j + 1] < 0x80)) break;
      ++j;
      continue;
    }
    const Decoded d = decode_utf8(in, j);
    if (!d.valid) break;
    j += d.size;
  }
  return j;
}

// Letters, digits and separators of ASCII text, from s[i] on, while each
// byte is ASCII and not followed by a non-ASCII one. Returns where it
// stopped: the end, a non-ASCII byte, or the ASCII byte before one (a run
// begins there). Letters and digits do not touch dropped_indic_, as the
// path they replace never did.
std::uint32_t Writer::ascii_stretch(const unsigned char* s, std::uint32_t i, std::uint32_t n) {
  char* p = p_;
  bool after_latin = after_latin_;
  bool dropped = dropped_indic_;
  const bool keep = keep_symbols_;
  for (;;) {
    // Whole blocks go out at once when they hold no two separators in a row
    // and do not begin with a separator after a space (no separator merges).
#if defined(__SSE2__)
    while (i + 16 <= n) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      if (_mm_movemask_epi8(x) != 0 || (i + 16 < n && s[i + 16] >= 0x80)) break;
      const __m128i lowered =
          _mm_or_si128(x, _mm_and_si128(bytes_between(x, 'A', 'Z'), _mm_set1_epi8(0x20)));
      const __m128i alnum =
          _mm_or_si128(bytes_between(lowered, 'a', 'z'), bytes_between(x, '0', '9'));
      __m128i token = alnum;
      if (keep) {
        token = _mm_or_si128(
            token, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')),
                                             _mm_cmpeq_epi8(x, _mm_set1_epi8('$'))),
                                _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('!')),
                                             _mm_cmpeq_epi8(x, _mm_set1_epi8('|')))));
      }
      const unsigned separators = ~static_cast<unsigned>(_mm_movemask_epi8(token)) & 0xFFFFu;
      if ((separators & (separators << 1)) != 0 || ((separators & 1) != 0 && p[-1] == ' ')) {
        break;
      }
      _mm_storeu_si128(
          reinterpret_cast<__m128i*>(p),
          _mm_or_si128(_mm_and_si128(token, lowered), _mm_andnot_si128(token, _mm_set1_epi8(' '))));
      p += 16;
      after_latin = is_ascii_letter(s[i + 15]);
      if (_mm_movemask_epi8(alnum) != 0xFFFF) dropped = false;
      i += 16;
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
      while (i + 8 <= n) {
        std::uint64_t x;
        std::memcpy(&x, s + i, 8);
        if ((x & kHighBits) != 0 || (i + 8 < n && s[i + 8] >= 0x80)) break;
        const std::uint64_t lowered = x | (bytes_between(x, 'A', 'Z') >> 2);
        const std::uint64_t alnum = bytes_between(lowered, 'a', 'z') | bytes_between(x, '0', '9');
        std::uint64_t token = alnum;
        if (keep) {
          token |= bytes_between(x, '@', '@') | bytes_between(x, '$', '$') |
                   bytes_between(x, '!', '!') | bytes_between(x, '|', '|');
        }
        const std::uint64_t separators = ~token & kHighBits;
        if ((separators & (separators << 8)) != 0 || ((separators & 0x80) != 0 && p[-1] == ' ')) {
          break;
        }
        const std::uint64_t token_bytes = (token >> 7) * 0xFF;
        const std::uint64_t written = (lowered & token_bytes) | (kEveryByte * ' ' & ~token_bytes);
        std::memcpy(p, &written, 8);
        p += 8;
        after_latin = is_ascii_letter(s[i + 7]);
        if (alnum != kHighBits) dropped = false;
        i += 8;
      }
    }
    // A few bytes one at a time, then the blocks again.
    const std::uint32_t stop = std::min(n, i + 16);
    for (; i < stop; ++i) {
      const unsigned char c = s[i];
      if (c >= 0x80 || (i + 1 < n && s[i + 1] >= 0x80)) goto done;
      if (const char lower = kAsciiKeep[c]) {
        *p++ = lower;
        after_latin = lower >= 'a';
        continue;
      }
      if (!(keep && is_leet_symbol(c))) {
        if (p[-1] != ' ') *p++ = ' ';
      } else {
        *p++ = static_cast<char>(c);
      }
      after_latin = false;
      dropped = false;
    }
    if (i == n) break;
  }
done:
  p_ = p;
  after_latin_ = after_latin;
  dropped_indic_ = dropped;
  return i;
}

// The run that begins at in[i] (see run_end), written on the assumption
// that it is stable, in one pass that decodes each character once. On the
// first character that makes it unstable, takes back what it wrote and
// hands the whole run to ICU. Returns the run's end.
std::uint32_t Writer::fast_run(std::string_view in, std::uint32_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const auto n = static_cast<std::uint32_t>(in.size());
  const std::uint32_t* const indic_table = tables_.indic.data();
  const bool keep = keep_symbols_;
  const auto start = static_cast<std::size_t>(p_ - out_.data());
  const bool start_after_latin = after_latin_;
  const bool start_dropped = dropped_indic_;
  char* p = p_;
  bool after_latin = after_latin_;
  bool dropped = dropped_indic_;
  std::uint32_t prev = 0;  // the table entry of the character before, 0 for none or ASCII
  std::uint32_t j = i;
  while (j < n) {
    const unsigned c = s[j];
    if (c < 0x80) {
      if (j > i && (j + 1 == n || s[j + 1] < 0x80)) break;
      if (const char lower = kAsciiKeep[c]) {
        *p++ = lower;
        after_latin = lower >= 'a';
      } else if (keep && is_leet_symbol(c)) {
        *p++ = static_cast<char>(c);
        after_latin = false;
      } else {
        if (p[-1] != ' ') *p++ = ' ';
        after_latin = false;
      }
      dropped = false;
      prev = 0;
      ++j;
      continue;
    }
    if (!after_latin) {
      // The bulk of Indic text: letters and marks that go out unchanged (a
      // mark after a nukta is not composed here: in a stable run it cannot
      // compose with the letter before the nukta), and the spaces between
      // words.
      const unsigned char* q = s + j;
      write_plain_indic(tables_, s + n, end_, q, p, prev, dropped);
      const auto stop = static_cast<std::uint32_t>(q - s);
      if (stop != j) {
        j = stop;
        continue;
      }
    }
    if (j + 2 < n) {
      const unsigned high = s[j + 1] - 0xA4u;
      const unsigned low = s[j + 2] - 0x80u;
      if (c == 0xE0 && high < 0x10 && low < 0x40) {
        const std::size_t k = high << 6 | low;
        const std::uint32_t e = indic_table[k];
        if ((e & kExpands) != 0) {
          // A nukta letter: its two parts, one at a time.
          const auto& parts = tables_.indic_expand[k];
          const std::uint32_t first = indic_table[parts[0] - kIndicFirst];
          const std::uint32_t second = indic_table[parts[1] - kIndicFirst];
          if (breaks_stable_run(first, prev) || breaks_stable_run(second, first)) goto unstable;
          prev = second;
          p_ = p;
          after_latin_ = after_latin;
          dropped_indic_ = dropped;
          ensure(n - j + 4);  // six bytes for three
          for (const char16_t part : parts) {
            const char bytes[3] = {static_cast<char>(0xE0 | (part >> 12)),
                                   static_cast<char>(0x80 | ((part >> 6) & 0x3F)),
                                   static_cast<char>(0x80 | (part & 0x3F))};
            indic(part - kIndicFirst, std::string_view(bytes, 3), j, j + 3);
          }
          p = p_;
          after_latin = after_latin_;
          dropped = dropped_indic_;
          j += 3;
          continue;
        }
        if (breaks_stable_run(e, prev)) goto unstable;
        prev = e;
        const unsigned cls = e & kClassMask;
        if (cls == kLetter || cls == kMark) {
          std::memcpy(p, s + j, 3);
          if (cls == kLetter || !after_latin) p += 3;
          after_latin = after_latin && cls == kMark;
        } else if (cls == kFolded || (cls == kFoldedMark && !after_latin)) {
          const char* f = tables_.indic_fold[k].data();
          if (f[1] == '\0') {
            *p++ = f[0];
          } else {
            std::memcpy(p, f, 3);
            p += 3;
          }
          after_latin = false;
          dropped = false;
        } else if (cls == kDropped) {
          dropped = true;
        } else if (cls == kSeparator) {
          if (p[-1] != ' ') *p++ = ' ';
          after_latin = false;
          dropped = false;
        }
        j += 3;
        continue;
      }
      const unsigned punctuation = (s[j + 1] - 0x80u) << 6 | low;
      if (c == 0xE2 && punctuation <= kPunctuationLast - kPunctuationFirst && low < 0x40 &&
          tables_.inert_separator[punctuation]) {
        if (p[-1] != ' ') *p++ = ' ';
        after_latin = false;
        dropped = false;
        prev = 0;
        j += 3;
        continue;
      }
    }
    // A plain two-byte character (Tables::plain2: a Cyrillic or Greek
    // look-alike) before ASCII, another one or the end: what ICU would hand
    // code_point, without ICU. Before anything else the run is unstable.
    if (c >= 0xC2 && c <= 0xDF && j + 1 < n && (s[j + 1] & 0xC0u) == 0x80u) {
      const char32_t cp = (c & 0x1Fu) << 6 | (s[j + 1] & 0x3Fu);
      bool next_starts = j + 2 == n || s[j + 2] < 0x80;
      if (!next_starts && j + 3 < n && s[j + 2] >= 0xC2 && s[j + 2] <= 0xDF &&
          (s[j + 3] & 0xC0u) == 0x80u) {
        next_starts = tables_.is_plain2((s[j + 2] & 0x1Fu) << 6 | (s[j + 3] & 0x3Fu));
      }
      if (next_starts && tables_.is_plain2(cp)) {
        p_ = p;
        after_latin_ = after_latin;
        dropped_indic_ = dropped;
        plain2(cp, in.substr(j, 2), j, j + 2);
        ensure(n - j + 1);
        p = p_;
        after_latin = after_latin_;
        dropped = dropped_indic_;
        prev = 0;
        j += 2;
        continue;
      }
    }
    // Any other character makes the run unstable; an invalid one ends it.
    if (!decode_utf8(in, j).valid) break;
    goto unstable;
  }
  p_ = p;
  after_latin_ = after_latin;
  dropped_indic_ = dropped;
  return j;

unstable:
  p_ = out_.data() + start;
  after_latin_ = start_after_latin;
  dropped_indic_ = start_dropped;
  j = run_end(in, i, j);
  normalize_unstable_run(in, i, j, *this, false);
  ensure(n - j + 1);
  return j;
}

// With an offset map: every character on its own, so that each output byte
// gets its source span. A nukta letter makes its run unstable (ICU's
// segments give its spans).
void normalize_stable_run_mapped(std::string_view in, std::uint32_t b, std::uint32_t e, Writer& w) {
  // Only ASCII, plain two-byte characters (Tables::plain2) and three-byte
  // Indic characters here.
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  for (std::uint32_t i = b; i < e;) {
    if (p[i] < 0x80) {
      w.ascii(p[i], i, i + 1);
      ++i;
      continue;
    }
    if (p[i] < 0xE0) {
      const char32_t cp = (p[i] & 0x1Fu) << 6 | (p[i + 1] & 0x3Fu);
      w.plain2(cp, in.substr(i, 2), i, i + 2);
      i += 2;
      continue;
    }
    const char32_t cp = (p[i] & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
    w.indic(cp - kIndicFirst, in.substr(i, 3), i, i + 3);
    i += 3;
  }
}

std::uint32_t normalize_mapped(std::string_view in, Writer& w, const Tables& t) {
  std::uint32_t flags = 0;
  const auto n = static_cast<std::uint32_t>(in.size());
  std::uint32_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(in[i]);
    // A following combining mark composes with this character, so an ASCII
    // character is written on its own only when the next byte is ASCII too.
    if (c < 0x80 && (i + 1 == n || static_cast<unsigned char>(in[i + 1]) < 0x80)) {
      w.ascii(c, i, i + 1);
      ++i;
      continue;
    }
    // The run that begins here (see run_end), and whether it is stable.
    bool stable = true;
    // Plain two-byte characters (Tables::plain2) keep a run stable only
    // among ASCII and each other: every character is then a segment of its
    // own, as the unstable path would cut it, so the spans are the same
    // either way.
    bool plain2 = false;
    bool indic = false;
    std::uint32_t prev = 0;
    std::uint32_t j = i;
    while (j < n) {
      const auto cj = static_cast<unsigned char>(in[j]);
      if (cj < 0x80) {
        if (j > i && (j + 1 == n || static_cast<unsigned char>(in[j + 1]) < 0x80)) break;
        prev = 0;
        ++j;
        continue;
      }
      const Decoded d = decode_utf8(in, j);
      if (!d.valid) break;
      j += d.size;
      if (!stable) continue;
      if (d.cp < 0x800 && t.is_plain2(d.cp)) {
        plain2 = true;
        stable = !indic;
        prev = 0;
        continue;
      }
      if (d.cp < kIndicFirst || d.cp > kIndicLast || plain2) {
        stable = false;
        continue;
      }
      indic = true;
      const std::uint32_t e = t.indic[d.cp - kIndicFirst];
      if ((e & kExpands) != 0 || breaks_stable_run(e, prev)) stable = false;
      prev = e;
    }
    if (j > i) {
      if (stable) {
        normalize_stable_run_mapped(in, i, j, w);
      } else {
        normalize_unstable_run(in, i, j, w, true);
      }
    }
    if (j < n && !decode_utf8(in, j).valid) {
      flags |= kInvalidUtf8;
      w.separator(j, j + 1);
      ++j;
    }
    i = j;
  }
  return flags;
}

std::uint32_t normalize_fast(std::string_view in, Writer& w) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const auto n = static_cast<std::uint32_t>(in.size());
  std::uint32_t flags = 0;
  std::uint32_t i = 0;
  while (i < n) {
    i = w.ascii_stretch(s, i, n);
    if (i == n) break;
    i = w.fast_run(in, i);
    // A run stops at a non-ASCII byte only when it is invalid.
    if (i < n && s[i] >= 0x80) {
      flags |= kInvalidUtf8;
      w.separator(i, i + 1);
      ++i;
    }
  }
  return flags;
}

bool is_lower_ascii_letter(char c) { return c >= 'a' && c <= 'z'; }

// Whether token out[b, e) of a base form is a reduplication written with
// a 2 ("kebun2"): three or more ASCII letters and a final 2, not followed
// by a number ("python2.7" is "python2 7").
bool is_reduplication(std::string_view out, std::size_t b, std::size_t e) {
  if (e - b < kMinReduplicatedLetters + 1 || out[e - 1] != '2') return false;
  for (std::size_t k = b; k + 1 < e; ++k) {
    if (!is_lower_ascii_letter(out[k])) return false;
  }
  std::size_t k = e + 1;
  if (k >= out.size()) return true;
  for (; k < out.size() && out[k] != ' '; ++k) {
    if (out[k] < '0' || out[k] > '9') return true;
  }
  return false;
}

// Writes "kebun kebun" for each reduplication "kebun2" of a base form, as
// "kebun-kebun" reads; every byte of the two words maps to the token's span.
void fold_reduplications(std::string& out, OffsetMap* map) {
  if (std::memchr(out.data(), '2', out.size()) == nullptr) return;
  static thread_local std::string folded;
  static thread_local OffsetMap folded_map;
  folded.clear();
  folded_map.clear();
  bool changed = false;
  std::size_t copied = 0;  // out[0, copied) is in `folded`
  for (std::size_t b = 1; b < out.size();) {
    std::size_t e = out.find(' ', b);
    if (e == std::string::npos) e = out.size();
    if (is_reduplication(out, b, e)) {
      folded.append(out, copied, b - copied);
      const std::string_view word(out.data() + b, e - 1 - b);
      folded.append(word).push_back(' ');
      folded.append(word);
      if (map != nullptr) {
        for (std::size_t k = copied; k < b; ++k) folded_map.push(map->begin[k], map->end[k]);
        for (std::size_t k = 0; k < 2 * word.size() + 1; ++k) {
          folded_map.push(map->begin[b], map->end[e - 1]);
        }
      }
      copied = e;
      changed = true;
    }
    b = e + 1;
  }
  if (!changed) return;
  folded.append(out, copied, out.size() - copied);
  out.swap(folded);
  if (map != nullptr) {
    for (std::size_t k = copied; k < map->size(); ++k) folded_map.push(map->begin[k], map->end[k]);
    std::swap(*map, folded_map);
  }
}

}  // namespace

bool may_hold_reduplication(std::string_view text) {
  for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(
                                         p, '2', text.data() + text.size() - p))) != nullptr;
       ++p) {
    const std::size_t i = static_cast<std::size_t>(p - text.data());
    if (i > 0 && ((text[i - 1] | 0x20) >= 'a' && (text[i - 1] | 0x20) <= 'z') &&
        (i + 1 == text.size() || static_cast<unsigned char>(text[i + 1]) >= 0x80 ||
         kAsciiKeep[static_cast<unsigned char>(text[i + 1])] == 0)) {
      return true;
    }
  }
  return false;
}

std::uint32_t normalize_base(std::string_view in, std::string& out, OffsetMap* map,
                             bool keep_leet_symbols) {
  const Tables& t = tables();
  Writer w(out, map, keep_leet_symbols, t, in.size());
  const std::uint32_t flags = map != nullptr ? normalize_mapped(in, w, t) : normalize_fast(in, w);
  w.finish(static_cast<std::uint32_t>(in.size()));
  fold_reduplications(out, map);
  return flags;
}

std::string normalize_base(std::string_view in) {
  std::string out;
  normalize_base(in, out, nullptr);
  return out;
}

}  // namespace deter::text
