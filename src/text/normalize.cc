#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <memory>

#include "text/utf8.h"

namespace deter::text {
namespace {

// ASCII bytes: lowercase letter or digit to keep, 0 for a separator.
constexpr std::array<char, 128> make_ascii_table() {
  std::array<char, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<char>(c - 'A' + 'a');
  return t;
}
constexpr std::array<char, 128> kAscii = make_ascii_table();

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
constexpr char32_t kIndicFirst = 0x0900;
constexpr char32_t kIndicLast = 0x0CFF;
constexpr char32_t kLatinFirst = 0x00C0;
constexpr char32_t kLatinLast = 0x024F;
constexpr char32_t kLatinExtFirst = 0x1E00;
constexpr char32_t kLatinExtLast = 0x1EFF;

// Indic folds NFKC leaves alone (DESIGN §4). Returns 0 to drop the code
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

struct Tables {
  // Indic code points: bit 0 = unchanged by NFKC_Casefold on its own,
  // bit 1 = composes with some character before it, bit 2 = some character
  // composes with it from after, bit 3 = composes with a non-Indic character
  // before it; ccc = combining class.
  std::array<std::uint8_t, kIndicLast - kIndicFirst + 1> indic_flags{};
  std::array<std::uint8_t, kIndicLast - kIndicFirst + 1> indic_ccc{};
  // Indic code points: 0 separator, 1 letter or number, 2 combining mark,
  // 3 folded to indic_fold (UTF-8, NUL padded), 4 dropped, 5 folded to a
  // combining mark in indic_fold.
  std::array<std::uint8_t, kIndicLast - kIndicFirst + 1> indic_class{};
  std::array<std::array<char, 4>, kIndicLast - kIndicFirst + 1> indic_fold{};
  // Indic code points that NFKC_Casefold replaces by two Indic ones, each
  // unchanged on its own, the first a starter (the nukta letters, such as
  // Bengali U+09DF): those two, else zeros.
  std::array<std::array<char16_t, 2>, kIndicLast - kIndicFirst + 1> indic_expand{};
  // Latin letters with diacritics (already case folded): the ASCII letters
  // of their base, or empty when the letter is not folded.
  std::array<std::array<char, 3>, kLatinLast - kLatinFirst + 1> latin{};
  std::array<std::array<char, 3>, kLatinExtLast - kLatinExtFirst + 1> latin_ext{};
};

void set_base(std::array<char, 3>& slot, const char* ascii) {
  slot = {ascii[0], ascii[0] ? ascii[1] : '\0', '\0'};
}

const Tables& tables() {
  static const std::unique_ptr<Tables> t = [] {
    auto t = std::make_unique<Tables>();
    const icu::Normalizer2& n = nfkc_cf();
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    for (char32_t cp = kIndicFirst; cp <= kIndicLast; ++cp) {
      const std::size_t k = cp - kIndicFirst;
      icu::UnicodeString s(static_cast<UChar32>(cp));
      UErrorCode st = U_ZERO_ERROR;
      if (n.isNormalized(s, st) && U_SUCCESS(st)) t->indic_flags[k] |= 1;
      t->indic_ccc[k] = n.getCombiningClass(static_cast<UChar32>(cp));
      const auto gc = U_GET_GC_MASK(static_cast<UChar32>(cp));
      t->indic_class[k] = (gc & U_GC_M_MASK) ? 2 : (gc & (U_GC_L_MASK | U_GC_N_MASK)) ? 1 : 0;
      const char32_t folded = fold_indic(cp);
      if (folded == 0) {
        t->indic_class[k] = 4;
      } else if (folded != cp) {
        // A fold to a combining mark (chandrabindu -> anusvara) is a mark
        // like any other: dropped after a Latin letter, or the second pass
        // would drop what the first one kept.
        t->indic_class[k] = (U_GET_GC_MASK(static_cast<UChar32>(folded)) & U_GC_M_MASK) ? 5 : 3;
        std::string utf8;
        append_utf8(utf8, folded);
        for (std::size_t b = 0; b < utf8.size(); ++b) t->indic_fold[k][b] = utf8[b];
      }
      if (!(t->indic_flags[k] & 1)) {
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
          t->indic_flags[second - kIndicFirst] |= 2;
          if (static_cast<char32_t>(first) >= kIndicFirst &&
              static_cast<char32_t>(first) <= kIndicLast) {
            t->indic_flags[first - kIndicFirst] |= 4;
          } else {
            t->indic_flags[second - kIndicFirst] |= 8;  // composes with a non-Indic base
          }
        }
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
const char* latin_base(char32_t cp) {
  const Tables& t = tables();
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

class Writer {
 public:
  Writer(std::string& out, OffsetMap* map, bool keep_leet_symbols)
      : out_(out), map_(map), keep_symbols_(keep_leet_symbols), tables_(tables()) {
    out_.clear();
    if (map_) map_->clear();
    out_.push_back(' ');
    if (map_) map_->push(0, 0);
  }
  void token_bytes(std::string_view bytes, std::uint32_t b, std::uint32_t e) {
    dropped_indic_ = false;
    out_.append(bytes);
    if (map_) {
      for (std::size_t k = 0; k < bytes.size(); ++k) map_->push(b, e);
    }
    at_space_ = false;
  }
  void token_byte(char c, std::uint32_t b, std::uint32_t e) {
    dropped_indic_ = false;
    out_.push_back(c);
    if (map_) map_->push(b, e);
    at_space_ = false;
  }
  void separator(std::uint32_t b, std::uint32_t e) {
    after_latin_ = false;
    dropped_indic_ = false;
    if (at_space_) return;
    out_.push_back(' ');
    if (map_) map_->push(b, e);
    at_space_ = true;
  }
  // One ASCII byte of the source.
  void ascii(unsigned char c, std::uint32_t b, std::uint32_t e) {
    if (kAscii[c]) {
      token_byte(kAscii[c], b, e);
      after_latin_ = is_ascii_letter(c);
    } else if (keep_symbols_ && (c == '@' || c == '$')) {
      token_byte(static_cast<char>(c), b, e);
      after_latin_ = false;
    } else {
      separator(b, e);
    }
  }
  bool has_map() const { return map_ != nullptr; }
  // Letters and digits of the source copied as they are, lowercased (no map).
  void ascii_run(std::string_view run) {
    const std::size_t at = out_.size();
    out_.append(run);
    for (std::size_t k = at; k < out_.size(); ++k) {
      out_[k] = kAscii[static_cast<unsigned char>(out_[k])];
    }
    at_space_ = false;
    after_latin_ = is_ascii_letter(static_cast<unsigned char>(run.back()));
  }
  // Indic letters and marks written as they are (no map); a mark after a
  // Latin letter must not be in it.
  void indic_run(std::string_view run) {
    out_.append(run);
    at_space_ = false;
    after_latin_ = false;
  }
  bool after_latin() const { return after_latin_; }
  std::uint8_t indic_class(std::size_t k) const { return tables_.indic_class[k]; }
  const std::array<char16_t, 2>& indic_expand(std::size_t k) const {
    return tables_.indic_expand[k];
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
    } else if (const char* base = latin_base(cp)) {
      // Diacritics go only after a Latin base (never Indic vowel signs).
      token_bytes(base, b, e);
      after_latin_ = true;
      return;
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
  // An Indic code point (index k in the tables) of normalized text.
  void indic(std::size_t k, std::string_view bytes, std::uint32_t b, std::uint32_t e) {
    switch (tables_.indic_class[k]) {
      case 1:
        token_bytes(bytes, b, e);
        after_latin_ = false;
        return;
      case 2:
        if (after_latin_) return;
        if (dropped_indic_ && compose_with_previous(bytes)) return;
        token_bytes(bytes, b, e);
        return;
      case 5:
        if (after_latin_) return;
        [[fallthrough]];
      case 3: {
        const char* f = tables_.indic_fold[k].data();
        token_bytes(std::string_view(f, f[1] == '\0' ? 1 : 3), b, e);
        after_latin_ = false;
        return;
      }
      case 4:
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
    if (out_.size() < 4 || static_cast<unsigned char>(out_[out_.size() - 3]) != 0xE0) {
      return false;
    }
    const Decoded prev = decode_utf8(out_, out_.size() - 3);
    const Decoded next = decode_utf8(mark, 0);
    const UChar32 composed = nfkc_cf().composePair(static_cast<UChar32>(prev.cp),
                                                   static_cast<UChar32>(next.cp));
    if (composed < 0x0800 || composed > 0xFFFF) return false;
    out_.resize(out_.size() - 3);
    append_utf8(out_, static_cast<char32_t>(composed));  // the map keeps prev's spans
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
  void finish(std::uint32_t n) { separator(n, n); }

 private:
  std::string& out_;
  OffsetMap* map_;
  bool keep_symbols_;
  const Tables& tables_;
  bool at_space_ = true;
  bool after_latin_ = false;
  bool dropped_indic_ = false;  // the last code point was dropped (case 4)
};

// A run is stable when NFKC_Casefold leaves it unchanged (up to ASCII
// case, which the writer folds), decided from the tables alone: every
// character is ASCII or a stable Indic character that does not compose with
// the one before it, and combining classes never decrease between
// neighbours (no reordering). Stable runs never reach ICU.

// Bengali khanda ta written as ta + virama + ZWJ; NFKC_Casefold would drop
// the ZWJ and leave a plain ta with virama, so it is mapped to ৎ first.
constexpr std::string_view kKhandaTaSequence = "\xE0\xA6\xA4\xE0\xA7\x8D\xE2\x80\x8D";
constexpr std::string_view kKhandaTa = "\xE0\xA7\x8E";

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
  std::uint32_t seg = b;
  while (seg < e) {
    std::uint32_t next = seg + decode_utf8(in, seg).size;
    while (next < e) {
      Decoded d = decode_utf8(in, next);
      if (n.hasBoundaryBefore(static_cast<UChar32>(d.cp))) break;
      next += d.size;
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

void normalize_run(std::string_view in, std::uint32_t b, std::uint32_t e, Writer& w, bool with_map,
                   bool stable) {
  if (stable) {
    // Only ASCII and three-byte Indic characters here.
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const bool batch = !w.has_map();
    for (std::uint32_t i = b; i < e;) {
      if (batch && p[i] >= 0x80) {
        // Letters, and marks not after a Latin letter, go out unchanged in
        // one append.
        std::uint32_t j = i;
        bool after_latin = w.after_latin();
        while (j < e && p[j] >= 0x80) {
          const char32_t cp = (p[j] & 0x0Fu) << 12 | (p[j + 1] & 0x3Fu) << 6 | (p[j + 2] & 0x3Fu);
          const std::uint8_t cls = w.indic_class(cp - kIndicFirst);
          if (w.indic_expand(cp - kIndicFirst)[0] != 0) break;
          if (cls == 1) {
            after_latin = false;
          } else if (cls != 2 || after_latin) {
            break;
          }
          j += 3;
        }
        if (j > i) {
          w.indic_run(in.substr(i, j - i));
          i = j;
          continue;
        }
      }
      if (p[i] < 0x80) {
        w.ascii(p[i], i, i + 1);
        ++i;
        continue;
      }
      const char32_t cp = (p[i] & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
      const auto& expand = w.indic_expand(cp - kIndicFirst);
      if (expand[0] != 0) {
        for (const char16_t part : expand) {
          const char bytes[3] = {static_cast<char>(0xE0 | (part >> 12)),
                                 static_cast<char>(0x80 | ((part >> 6) & 0x3F)),
                                 static_cast<char>(0x80 | (part & 0x3F))};
          w.indic(part - kIndicFirst, std::string_view(bytes, 3), i, i + 3);
        }
        i += 3;
        continue;
      }
      w.indic(cp - kIndicFirst, in.substr(i, 3), i, i + 3);
      i += 3;
    }
    return;
  }
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

}  // namespace

std::uint32_t normalize_base(std::string_view in, std::string& out, OffsetMap* map,
                             bool keep_leet_symbols) {
  Writer w(out, map, keep_leet_symbols);
  std::uint32_t flags = 0;
  const auto n = static_cast<std::uint32_t>(in.size());
  std::uint32_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      // A following combining mark composes with this character, so an ASCII
      // character only takes the fast path when the next byte is ASCII too.
      if (!w.has_map() && kAscii[c] != 0) {
        // A run of letters and digits, less its last byte when a non-ASCII
        // character follows it.
        std::uint32_t j = i + 1;
        while (j < n && static_cast<unsigned char>(in[j]) < 0x80 &&
               kAscii[static_cast<unsigned char>(in[j])] != 0) {
          ++j;
        }
        if (j < n && static_cast<unsigned char>(in[j]) >= 0x80) --j;
        if (j > i) {
          w.ascii_run(in.substr(i, j - i));
          i = j;
          continue;
        }
      }
      if (i + 1 == n || static_cast<unsigned char>(in[i + 1]) < 0x80) {
        w.ascii(c, i, i + 1);
        ++i;
        continue;
      }
    }
    // A run of valid characters up to the next ASCII character that is not
    // followed by a non-ASCII one, or up to an invalid sequence.
    // Whether NFKC_Casefold leaves it unchanged (see the stable-run rule) is
    // decided on the way.
    const Tables& t = tables();
    bool stable = true;
    std::uint8_t prev_ccc = 0;
    std::uint8_t prev_flags = 0;
    std::uint32_t j = i;
    while (j < n) {
      const auto cj = static_cast<unsigned char>(in[j]);
      if (cj < 0x80 && j > i && (j + 1 == n || static_cast<unsigned char>(in[j + 1]) < 0x80)) {
        break;
      }
      if (cj < 0x80) {
        prev_ccc = 0;
        prev_flags = 0;
        ++j;
        continue;
      }
      Decoded d;
      const auto* pj = reinterpret_cast<const unsigned char*>(in.data()) + j;
      if ((cj & 0xF0) == 0xE0 && j + 2 < n && (pj[1] & 0xC0) == 0x80 && (pj[2] & 0xC0) == 0x80 &&
          ((cj & 0x0Fu) << 12 | (pj[1] & 0x3Fu) << 6) - kIndicFirst <= kIndicLast - kIndicFirst) {
        // An Indic character (the common case), decoded without the general
        // decoder's checks, which its range makes needless.
        d = {(cj & 0x0Fu) << 12 | (pj[1] & 0x3Fu) << 6 | (pj[2] & 0x3Fu), 3, true};
      } else {
        d = decode_utf8(in, j);
      }
      if (!d.valid) break;
      j += d.size;
      if (!stable) continue;
      if (d.cp < kIndicFirst || d.cp > kIndicLast) {
        stable = false;
        continue;
      }
      const std::size_t k = d.cp - kIndicFirst;
      // A nukta letter counts as the two characters it becomes (without a
      // map only: with one, ICU's segments give the spans).
      const auto& expand = t.indic_expand[k];
      if (expand[0] != 0 && map != nullptr) {
        stable = false;
        continue;
      }
      for (std::size_t part = 0; part < (expand[0] != 0 ? 2u : 1u); ++part) {
        const std::size_t kk = expand[0] != 0 ? expand[part] - kIndicFirst : k;
        const std::uint8_t f = t.indic_flags[kk];
        const std::uint8_t ccc = t.indic_ccc[kk];
        if (!(f & 1) || (f & 8) || ((f & 2) && (prev_flags & 4)) || (ccc != 0 && prev_ccc > ccc)) {
          stable = false;
        }
        prev_ccc = ccc;
        prev_flags = f;
      }
    }
    if (j > i) normalize_run(in, i, j, w, map != nullptr, stable);
    if (j < n && !decode_utf8(in, j).valid) {
      flags |= kInvalidUtf8;
      w.separator(j, j + 1);
      ++j;
    }
    i = j;
  }
  w.finish(n);
  return flags;
}

std::string normalize_base(std::string_view in) {
  std::string out;
  normalize_base(in, out, nullptr);
  return out;
}

}  // namespace deter::text
