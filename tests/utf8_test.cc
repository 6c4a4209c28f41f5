// The helpers deter keeps one copy of: the UTF-8 decoder (text/utf8.h), the
// table of Indic script blocks (text/scripts.h), the digest writer (hex.h),
// the token index's test of a literal (match/token_index.h), and the
// callers that once had their own copies.
#include <random>
#include <string>

#include "cli/script.h"
#include "hex.h"
#include "match/token_index.h"
#include "test_util.h"
#include "text/scripts.h"
#include "text/utf8.h"

using namespace deter;

TEST_CASE("decode_utf8 is strict: no overlong forms, surrogates or truncated sequences", "[utf8]") {
  struct Row {
    const char* name;
    std::string bytes;
    bool valid;
    char32_t cp;  // when valid
    int size;     // bytes consumed
  };
  auto row = GENERATE(values<Row>({
      {"ascii", "a", true, U'a', 1},
      {"smallest two-byte", "\xC2\x80", true, 0x80, 2},
      {"largest two-byte", "\xDF\xBF", true, 0x7FF, 2},
      {"smallest three-byte", "\xE0\xA0\x80", true, 0x800, 3},
      {"devanagari ka", "\xE0\xA4\x95", true, 0x0915, 3},
      {"last before the surrogates", "\xED\x9F\xBF", true, 0xD7FF, 3},
      {"first after the surrogates", "\xEE\x80\x80", true, 0xE000, 3},
      {"smallest four-byte", "\xF0\x90\x80\x80", true, 0x10000, 4},
      {"largest code point", "\xF4\x8F\xBF\xBF", true, 0x10FFFF, 4},
      {"overlong NUL", std::string("\xC0\x80", 2), false, 0, 1},
      {"overlong two-byte C1", "\xC1\xBF", false, 0, 1},
      {"overlong three-byte", "\xE0\x80\x80", false, 0, 1},
      {"overlong three-byte, largest", "\xE0\x9F\xBF", false, 0, 1},
      {"overlong four-byte", "\xF0\x80\x80\x80", false, 0, 1},
      {"overlong four-byte of devanagari ka", "\xF0\x80\xA4\x95", false, 0, 1},
      {"high surrogate", "\xED\xA0\x80", false, 0, 1},
      {"low surrogate", "\xED\xBF\xBF", false, 0, 1},
      {"above U+10FFFF", "\xF4\x90\x80\x80", false, 0, 1},
      {"F5 lead byte", "\xF5\x80\x80\x80", false, 0, 1},
      {"lone continuation", "\x80", false, 0, 1},
      {"truncated three-byte", "\xE0\xA4", false, 0, 1},
      {"truncated four-byte", "\xF0\x90\x80", false, 0, 1},
      {"continuation missing",
       "\xE0\xA4"
       "a",
       false, 0, 1},
  }));
  CAPTURE(row.name);
  const text::Decoded d = text::decode_utf8(row.bytes, 0);
  CHECK(d.valid == row.valid);
  CHECK(static_cast<int>(d.size) == row.size);
  CHECK(d.cp == (row.valid ? row.cp : text::kReplacement));
  CHECK(text::is_valid_utf8(row.bytes) == row.valid);
}

TEST_CASE("the script of a query counts no overlong or surrogate form as a letter", "[utf8]") {
  // Three overlong encodings of U+0915 and one Latin letter: the letter wins.
  const std::string overlong = "\xF0\x80\xA4\x95\xF0\x80\xA4\x95\xF0\x80\xA4\x95 a";
  CHECK(cli::dominant_script(overlong) == cli::Script::latin);
  // Encoded surrogates are no letters of any script.
  CHECK(cli::dominant_script("\xED\xA0\x80\xED\xA0\x80") == cli::Script::other);
  CHECK(cli::dominant_script("\xE0\xA4\x95\xE0\xA4\x96 a") == cli::Script::devanagari);
}

TEST_CASE("the Indic blocks by code point and by UTF-8 bytes agree", "[utf8]") {
  for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string bytes;
    text::append_utf8(bytes, cp);
    const auto b0 = static_cast<unsigned char>(bytes[0]);
    const auto b1 = static_cast<unsigned char>(bytes[1]);
    if (text::indic_script(cp) != text::indic_script_of_utf8(b0, b1)) {
      FAIL("U+" << std::hex << static_cast<unsigned>(cp));
    }
  }
  CHECK(text::indic_script(0x0900) == text::IndicScript::devanagari);
  CHECK(text::indic_script(0x09FF) == text::IndicScript::bengali);
  CHECK(text::indic_script(0x0A00) == text::IndicScript::none);  // Gurmukhi
  CHECK(text::indic_script(0x0CFF) == text::IndicScript::kannada);
  CHECK(text::indic_script(0x0D00) == text::IndicScript::none);
}

TEST_CASE("hex128 writes 32 lowercase digits, high word first", "[hex]") {
  CHECK(hex128(0, 0) == "00000000000000000000000000000000");
  CHECK(hex128(0x0123456789abcdefULL, 0xfedcba9876543210ULL) == "0123456789abcdeffedcba9876543210");
  CHECK(hex128(1, 0xA) == "0000000000000001000000000000000a");
  // The content hash of a list set is written with it.
  const Filter f = deter::testing::filter_from(deter::testing::header() + "forbidden orchard\n");
  CHECK(f.content_hash().size() == 32);
  CHECK(f.content_hash().find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("code_point_count counts characters eight bytes at a time and in the tail", "[utf8]") {
  // Against a byte loop, on strings of every length 0-40 cut from text of
  // one- to four-byte characters, so that each length meets both loops and
  // every alignment of a character across an eight-byte word.
  const std::string text = "aé" "\u0935\u0930\u094D" "z" "\U0001F600" "\u09AC\u09BE" "xyz" "\u0C95";
  const std::string all = text + text + text;
  for (std::size_t from = 0; from < 8; ++from) {
    for (std::size_t n = 0; from + n <= all.size() && n <= 40; ++n) {
      const std::string_view s = std::string_view(all).substr(from, n);
      std::size_t want = 0;
      for (const char c : s) want += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      INFO("from " << from << " size " << n);
      CHECK(text::code_point_count(s) == want);
    }
  }
}

TEST_CASE("is_valid_utf8 reads eight ASCII bytes at a time and still sees every bad byte",
          "[utf8]") {
  // A bad byte (a lone continuation, a truncated lead, an overlong form) at
  // every position of strings around the eight-byte steps, among ASCII and
  // among three-byte characters.
  for (const std::string_view bad : {"\x80", "\xE0\xA4", "\xC0\xAF"}) {
    for (const std::string_view fill : {"a", "\u0935"}) {
      for (std::size_t before = 0; before < 20; ++before) {
        std::string s;
        for (std::size_t k = 0; k < before; ++k) s += fill;
        const std::string good = s + "abcdefghij";
        s += bad;
        s += "abcdefghij";
        INFO("before " << before);
        CHECK(text::is_valid_utf8(good));
        CHECK_FALSE(text::is_valid_utf8(s));
      }
    }
  }
}

TEST_CASE("utf8_sequence_size accepts exactly what decode_utf8 decodes", "[utf8]") {
  // Every one-, two- and three-byte string, then every lead byte with its
  // continuation bytes' edges and random ones for four; each also cut short.
  auto same = [](std::string_view s) {
    const text::Decoded d = text::decode_utf8(s, 0);
    return text::utf8_sequence_size(s, 0) == (d.valid ? d.size : 0u);
  };
  std::size_t differ = 0;
  for (unsigned a = 0; a < 256; ++a) {
    const char one[1] = {static_cast<char>(a)};
    differ += !same(std::string_view(one, 1));
    for (unsigned b = 0; b < 256; ++b) {
      const char two[2] = {static_cast<char>(a), static_cast<char>(b)};
      differ += !same(std::string_view(two, 2));
      for (unsigned c = 0; c < 256; ++c) {
        const char three[3] = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
        differ += !same(std::string_view(three, 3));
      }
    }
  }
  std::mt19937 rng(13);
  const unsigned edges[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
  for (unsigned a = 0xC0; a < 256; ++a) {
    for (int round = 0; round < 4000; ++round) {
      char four[4] = {static_cast<char>(a)};
      for (int k = 1; k < 4; ++k) {
        four[k] = static_cast<char>(round % 2 == 0 ? edges[rng() % std::size(edges)] : rng());
      }
      differ += !same(std::string_view(four, 4));
    }
  }
  CHECK(differ == 0);
}

TEST_CASE("is_token_literal answers as a byte loop does, at every length and place",
          "[property]") {
  // It reads a literal of 8 to 16 bytes as two words of eight that
  // overlap, a longer one sixteen pairs of bytes at a time (the last block
  // overlapping the one before): a double space or a newline at every
  // place of literals 2-70 bytes long, among one- and three-byte
  // characters.
  auto slow = [](std::string_view s) {
    if (s.size() < 2 || s[0] != ' ' || s[1] == ' ') return false;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s[i] == '\n' || (s[i] == ' ' && s[i - 1] == ' ')) return false;
    }
    return true;
  };
  std::mt19937 rng(3);
  const std::string_view pieces[] = {"a", "b", " ", "\n", "\u0935", "\xA0", "\x0A\x20"};
  int yes = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s = " ";
    const std::size_t n = 1 + rng() % 70;
    while (s.size() < n) s += pieces[rng() % 7 < 5 ? rng() % 2 : rng() % std::size(pieces)];
    if (rng() % 4 == 0 && s.size() > 2) s[1 + rng() % (s.size() - 1)] = ' ';
    INFO("'" << s << "'");
    REQUIRE(match::is_token_literal(s) == slow(s));
    yes += slow(s);
  }
  CHECK(yes > 2000);
  CHECK(yes < 18000);
  // And each place of a double space, a single one and a newline, in
  // literals of every length up to 70 (four blocks of sixteen).
  for (std::size_t n = 3; n <= 70; ++n) {
    for (std::size_t at = 2; at + 1 < n; ++at) {
      std::string one(n, 'a');
      one[0] = ' ';
      one[at] = ' ';
      std::string two = one;
      two[at + 1] = ' ';
      std::string newline = one;
      newline[at] = '\n';
      INFO("size " << n << " at " << at);
      CHECK(match::is_token_literal(one) == slow(one));
      CHECK_FALSE(match::is_token_literal(two));
      CHECK_FALSE(match::is_token_literal(newline));
    }
  }
}
