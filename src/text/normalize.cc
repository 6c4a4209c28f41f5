#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <array>

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

const icu::Normalizer2& nfkc_cf() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return *instance;
}

// A code point of normalized text is part of a token when it is a letter, a
// combining mark (Indic vowel signs and virama are marks) or a number.
bool is_token_char(char32_t cp) {
  if (cp < 0x80) return kAscii[cp] != 0;
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

// Indic folds NFKC leaves alone (DESIGN §4): the nukta is dropped (NFKC has
// already split क़ into क + nukta, but not the precomposed ऩ ऱ ऴ) and
// chandrabindu becomes anusvara. Returns 0 to drop the code point.
char32_t fold_indic(char32_t cp) {
  switch (cp) {
    case 0x093C:  // DEVANAGARI SIGN NUKTA
    case 0x09BC:  // BENGALI SIGN NUKTA
      return 0;
    case 0x0929: return 0x0928;  // ऩ -> न
    case 0x0931: return 0x0930;  // ऱ -> र
    case 0x0934: return 0x0933;  // ऴ -> ळ
    case 0x0901: return 0x0902;  // chandrabindu -> anusvara
    default: return cp;
  }
}

class Writer {
 public:
  Writer(std::string& out, OffsetMap* map) : out_(out), map_(map) {
    out_.clear();
    if (map_) map_->clear();
    out_.push_back(' ');
    if (map_) map_->push(0, 0);
  }
  void token_bytes(std::string_view bytes, std::uint32_t b, std::uint32_t e) {
    out_.append(bytes);
    if (map_) {
      for (std::size_t k = 0; k < bytes.size(); ++k) map_->push(b, e);
    }
    at_space_ = false;
  }
  void token_byte(char c, std::uint32_t b, std::uint32_t e) {
    out_.push_back(c);
    if (map_) map_->push(b, e);
    at_space_ = false;
  }
  void separator(std::uint32_t b, std::uint32_t e) {
    if (at_space_) return;
    out_.push_back(' ');
    if (map_) map_->push(b, e);
    at_space_ = true;
  }
  // Emits already-normalized UTF-8, splitting it into tokens and separators;
  // every output byte maps to source span [b, e).
  void normalized(std::string_view s, std::uint32_t b, std::uint32_t e) {
    for (std::size_t i = 0; i < s.size();) {
      Decoded d = decode_utf8(s, i);
      if (d.cp >= 0x0900 && d.cp <= 0x09FF) {
        char32_t folded = fold_indic(d.cp);
        if (folded != d.cp) {
          // Dropping a Bengali nukta between the vowel sign E and AA or AU
          // length mark leaves a pair NFKC composes (ে + া = ো, ে + ৗ = ৌ):
          // compose it here, or the text would change when normalized again
          // and a nukta slipped into "চো" would hide it from an entry.
          if (d.cp == 0x09BC && i + d.size < s.size() && out_.size() >= 3 &&
              out_.compare(out_.size() - 3, 3, "\xE0\xA7\x87") == 0) {
            Decoded next = decode_utf8(s, i + d.size);
            if (next.cp == 0x09BE || next.cp == 0x09D7) {
              out_.back() = next.cp == 0x09BE ? '\x8B' : '\x8C';  // U+09CB, U+09CC
              i += d.size + next.size;
              continue;
            }
          }
          if (folded != 0) {
            std::string buf;
            append_utf8(buf, folded);
            token_bytes(buf, b, e);
          }
          i += d.size;
          continue;
        }
      }
      if (is_token_char(d.cp)) {
        token_bytes(s.substr(i, d.size), b, e);
      } else {
        separator(b, e);
      }
      i += d.size;
    }
  }
  void finish(std::uint32_t n) { separator(n, n); }

 private:
  std::string& out_;
  OffsetMap* map_;
  bool at_space_ = true;
};

// Normalizes the valid, non-ASCII-led run in[b, e) through ICU.
void normalize_run(std::string_view in, std::uint32_t b, std::uint32_t e, Writer& w,
                   bool with_map) {
  static thread_local std::string scratch;
  const icu::Normalizer2& n = nfkc_cf();
  if (!with_map) {
    scratch.clear();
    icu::StringByteSink<std::string> sink(&scratch);
    UErrorCode status = U_ZERO_ERROR;
    n.normalizeUTF8(0, icu::StringPiece(in.data() + b, static_cast<int32_t>(e - b)), sink,
                    nullptr, status);
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
    n.normalizeUTF8(0, icu::StringPiece(in.data() + seg, static_cast<int32_t>(next - seg)),
                    sink, nullptr, status);
    w.normalized(scratch, seg, next);
    seg = next;
  }
}

}  // namespace

std::uint32_t normalize_base(std::string_view in, std::string& out, OffsetMap* map) {
  Writer w(out, map);
  std::uint32_t flags = 0;
  const auto n = static_cast<std::uint32_t>(in.size());
  std::uint32_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      // A following combining mark composes with this character, so an ASCII
      // character only takes the fast path when the next byte is ASCII too.
      if (i + 1 == n || static_cast<unsigned char>(in[i + 1]) < 0x80) {
        if (kAscii[c]) {
          w.token_byte(kAscii[c], i, i + 1);
        } else {
          w.separator(i, i + 1);
        }
        ++i;
        continue;
      }
    }
    // A run of valid characters up to the next ASCII character that is not
    // followed by a non-ASCII one, or up to an invalid sequence.
    std::uint32_t j = i;
    while (j < n) {
      const auto cj = static_cast<unsigned char>(in[j]);
      if (cj < 0x80 && j > i && (j + 1 == n || static_cast<unsigned char>(in[j + 1]) < 0x80)) {
        break;
      }
      Decoded d = decode_utf8(in, j);
      if (!d.valid) break;
      j += d.size;
    }
    if (j > i) normalize_run(in, i, j, w, map != nullptr);
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
