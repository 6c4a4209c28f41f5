// The one UTF-8 decoder of deter (library and tool). Decoding never fails:
// an invalid sequence decodes to U+FFFD, one byte at a time, and is reported,
// so any byte string can be normalized. Header-only and dependency-free.
#ifndef DETER_TEXT_UTF8_H_
#define DETER_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace deter::text {

inline constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
  char32_t cp;        // the code point, or kReplacement
  std::uint8_t size;  // bytes consumed, 1..4 (1 for an invalid byte)
  bool valid;
};

// Decodes the character at p of text known to be valid UTF-8 (a base form
// or a view of one, which the normalizer wrote), without the checks
// decode_utf8 makes: on other bytes it would accept overlong forms and
// surrogates and read past the end, so never give it input.
inline Decoded decode_valid_utf8(const unsigned char* p) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return {b0, 1, true};
  if (b0 < 0xE0) return {char32_t((b0 & 0x1F) << 6 | (p[1] & 0x3F)), 2, true};
  if (b0 < 0xF0) {
    return {char32_t((b0 & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F)), 3, true};
  }
  return {char32_t((b0 & 0x07) << 18 | (p[1] & 0x3F) << 12 | (p[2] & 0x3F) << 6 | (p[3] & 0x3F)), 4,
          true};
}

// The size of the character whose first byte is `lead`, in text known to be
// valid UTF-8: decode_valid_utf8(p).size without the decode.
constexpr std::size_t valid_utf8_size(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Decodes the code point starting at s[i] (i < s.size()). Strict: rejects
// overlong forms, surrogates (U+D800-U+DFFF), code points above U+10FFFF and
// truncated sequences; each byte of a rejected sequence is its own U+FFFD.
[[gnu::always_inline]] inline Decoded decode_utf8(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t left = s.size() - i;
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return {b0, 1, true};
  auto cont = [&](std::size_t k) { return k < left && (p[k] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (cont(1)) return {char32_t((b0 & 0x1F) << 6 | (p[1] & 0x3F)), 2, true};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (cont(1) && cont(2)) {
      char32_t cp = char32_t((b0 & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F));
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3, true};
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (cont(1) && cont(2) && cont(3)) {
      char32_t cp =
          char32_t((b0 & 0x07) << 18 | (p[1] & 0x3F) << 12 | (p[2] & 0x3F) << 6 | (p[3] & 0x3F));
      if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4, true};
    }
  }
  return {kReplacement, 1, false};
}

// Appends the UTF-8 encoding of cp (a valid scalar value) to out.
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The size of the character that begins at s[i] (i < s.size()) if it is
// valid UTF-8 as decode_utf8 takes it, else 0: its bytes checked, no code
// point made. A loader checks millions of Indic letters (three bytes, E0
// and a second byte of A4-B7) on every open, for about half of a decode.
inline std::size_t utf8_sequence_size(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t left = s.size() - i;
  const unsigned b0 = p[0];
  if (b0 < 0x80) return 1;
  auto cont = [p](std::size_t k) { return (p[k] & 0xC0u) == 0x80u; };
  if (b0 < 0xC2) return 0;  // a continuation byte, or an overlong lead
  if (b0 < 0xE0) return left >= 2 && cont(1) ? 2 : 0;
  // The second byte's range: A0-BF after E0 (no overlong form), 80-9F
  // after ED (no surrogate), 90-BF after F0, 80-8F after F4 (none above
  // U+10FFFF), else 80-BF.
  if (b0 < 0xF0) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
    return left >= 3 && p[1] >= lo && p[1] <= hi && cont(2) ? 3 : 0;
  }
  if (b0 > 0xF4) return 0;
  const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
  const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
  return left >= 4 && p[1] >= lo && p[1] <= hi && cont(2) && cont(3) ? 4 : 0;
}

// True when every byte of s is valid UTF-8.
inline bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // Eight ASCII bytes at a time: a compiled file's words and literals
    // are checked on every open, and most Latin text is ASCII.
    std::uint64_t w;
    if (s.size() - i >= 8 && (std::memcpy(&w, s.data() + i, 8), (w & 0x8080808080808080ull) == 0)) {
      i += 8;
      continue;
    }
    const std::size_t size = utf8_sequence_size(s, i);
    if (size == 0) return false;
    i += size;
  }
  return true;
}

// The continuation bytes (10xxxxxx) among the eight bytes of `w`: bit 7 of
// a byte set and bit 6 (shifted up to bit 7) clear, each such byte's bit
// moved to bit 0 and the eight summed by a multiply (no popcount
// instruction in the baseline x86-64 the build targets).
constexpr std::size_t continuation_bytes(std::uint64_t w) {
  return static_cast<std::size_t>(
      ((w & ~(w << 1) & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull >> 56);
}

// The characters (code points) of `s`, counted as the bytes that do not
// continue one, a word of eight bytes at a time: a Devanagari, Bengali or
// Kannada word is three bytes a letter, and a loop over its bytes was a
// twentieth of an Indic query's check.
inline std::size_t code_point_count(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t continuing = 0;
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i) {
      continuing += (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
    }
    return n - continuing;
  }
  std::size_t i = 0;
  std::uint64_t w;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&w, p + i, 8);
    continuing += continuation_bytes(w);
  }
  if (i < n) {  // the last n - i bytes, from a word that ends where s does
    std::memcpy(&w, p + n - 8, 8);
    continuing += continuation_bytes(w >> (8 * (8 - (n - i))));
  }
  return n - continuing;
}

// Whether every byte of `s` is ASCII.
inline bool is_ascii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Largest n <= limit such that s[0, n) ends on a character boundary.
inline std::size_t utf8_floor(std::string_view s, std::size_t limit) {
  if (limit >= s.size()) return s.size();
  std::size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80 && limit - n < 3) --n;
  return n;
}

}  // namespace deter::text

#endif  // DETER_TEXT_UTF8_H_
