// The token index against the definition it replaces: a byte search for
// every literal. Each occurrence a byte search finds must be reported once,
// with the same bytes, and nothing else.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "match/database.h"
#include "match/token_index.h"

using deter::match::is_token_literal;
using deter::match::LiteralPattern;
using deter::match::TokenIndex;

namespace {

using Hit = std::tuple<unsigned, std::size_t, std::size_t>;

std::set<Hit> naive(const std::vector<LiteralPattern>& literals, const std::string& text) {
  std::set<Hit> out;
  for (const auto& l : literals) {
    for (std::size_t p = text.find(l.text); p != std::string::npos; p = text.find(l.text, p + 1)) {
      out.insert({l.id, p, p + l.text.size()});
    }
  }
  return out;
}

std::vector<Hit> indexed(const std::vector<LiteralPattern>& literals, std::string_view text,
                         unsigned check_bits = 31, bool* whole_keys = nullptr,
                         std::size_t pair_bits = 0) {
  std::vector<TokenIndex::Literal> in;
  for (const auto& l : literals) in.push_back({l.text, l.id});
  TokenIndex index;
  index.build(in, check_bits, pair_bits);
  if (whole_keys != nullptr) *whole_keys = index.keeps_whole_keys();
  std::vector<Hit> out;
  index.scan(text, [&](unsigned id, std::size_t from, std::size_t to) {
    out.push_back({id, from, to});
    return true;
  });
  return out;
}

}  // namespace

TEST_CASE("token literals are the padded, single-spaced ones") {
  CHECK(is_token_literal(" orchard "));
  CHECK(is_token_literal(" forbidden orchard "));
  CHECK(is_token_literal(" forbidden orch"));
  CHECK(is_token_literal(" वर्जित बगीचा "));
  CHECK_FALSE(is_token_literal("orchard"));     // substring
  CHECK_FALSE(is_token_literal("  orchard "));  // two spaces
  CHECK_FALSE(is_token_literal(" a  b "));
  CHECK_FALSE(is_token_literal(" "));
  CHECK_FALSE(is_token_literal("  "));
  CHECK_FALSE(is_token_literal(" a\nb "));
}

TEST_CASE("phrases, prefixes and sections") {
  const std::vector<LiteralPattern> lits = {
      {" forbidden orchard ", 1}, {" forbidden orch", 2}, {" orchard ", 3}, {" orch", 4},
      {" forbiddenorchard ", 5},  {" वर्जित बगीचा ", 6},   {" वर्ज", 7}};
  const std::string text =
      " the forbidden orchard and forbidden orchards \n forbiddenorchard orchard \n वर्जित बगीचा ";
  const auto got = indexed(lits, text);
  const auto want = naive(lits, text);
  CHECK(std::set<Hit>(got.begin(), got.end()) == want);
  CHECK(got.size() == want.size());
  CHECK(want.size() == 11);
}

TEST_CASE("a walk stops at a section boundary and at double spaces") {
  const std::vector<LiteralPattern> lits = {{" forbidden orchard ", 1}, {" forbidden orch", 2}};
  CHECK(indexed(lits, " forbidden\n orchard ").empty());
  CHECK(indexed(lits, " forbidden  orchard ").empty());
  CHECK(indexed(lits, "forbidden orchard ").empty());
}

TEST_CASE("random literals and texts agree with a byte search") {
  std::mt19937 rng(11);
  // A small alphabet so that words repeat, prefixes share heads and
  // phrases overlap; multi-byte letters so that heads cut characters.
  const std::vector<std::string> letters = {"a", "b", "c", "ab", "ज", "ि", "ক"};
  auto word = [&](std::size_t max_letters) {
    std::string w;
    const std::size_t n = 1 + rng() % max_letters;
    for (std::size_t k = 0; k < n; ++k) w += letters[rng() % letters.size()];
    return w;
  };
  int whole_keys = 0;
  for (int round = 0; round < 200; ++round) {
    std::vector<LiteralPattern> lits;
    const std::size_t count = 1 + rng() % 40;
    for (unsigned id = 0; id < count; ++id) {
      std::string l = " ";
      const std::size_t words = 1 + rng() % 3;
      for (std::size_t k = 0; k < words; ++k) l += (k ? " " : "") + word(1 + rng() % 12);
      if (rng() % 3 != 0) l += ' ';  // a phrase; else a prefix
      REQUIRE(is_token_literal(l));
      lits.push_back({l, id});
    }
    std::string text = " ";
    const std::size_t tokens = rng() % 30;
    for (std::size_t k = 0; k < tokens; ++k) {
      text += word(14);
      const unsigned sep = rng() % 10;
      text += sep == 0 ? " \n " : sep == 1 ? "  " : " ";
    }
    const auto want = naive(lits, text);
    INFO("text: " << text);
    // Slots that keep 31 bits of a key, and slots that keep one or two, so
    // that keys collide, are shadowed, and the whole keys are kept; a pair
    // filter that turns most root words away, and one of 64 bits, so that
    // pairs absent share a bit with pairs present.
    for (unsigned bits : {31u, 2u, 1u}) {
      for (std::size_t pair_bits : {std::size_t{0}, std::size_t{64}}) {
        INFO("check bits: " << bits << ", pair bits: " << pair_bits);
        bool whole = false;
        const auto got = indexed(lits, text, bits, &whole, pair_bits);
        whole_keys += whole;
        REQUIRE(std::set<Hit>(got.begin(), got.end()) == want);
        REQUIRE(got.size() == want.size());  // each occurrence once
      }
    }
  }
  CHECK(whole_keys > 0);  // the fallback was exercised
}

TEST_CASE("the slot table is sized to its edges, a whole number of cache lines") {
  // One-word phrases: one root edge each. Every size from one literal to
  // past a power of two, so that the probes wrap at the end of tables of
  // every length; each literal is found, and no word that is none.
  for (unsigned n = 1; n <= 300; ++n) {
    CAPTURE(n);
    std::vector<LiteralPattern> lits;
    std::string text = " ";
    for (unsigned id = 0; id < n; ++id) {
      const std::string w = "w" + std::to_string(id);
      lits.push_back({" " + w + " ", id});
      text += w + " x" + std::to_string(id) + " ";
    }
    std::vector<TokenIndex::Literal> in;
    for (const auto& l : lits) in.push_back({l.text, l.id});
    TokenIndex index;
    index.build(in);
    // At most half full, and no more than a line past that (a table that
    // met a shadowed key is grown by an eighth: none here, at 31 bits).
    CHECK(index.slot_count() % 8 == 0);
    CHECK(index.slot_count() >= std::max(16u, 2 * n));
    CHECK(index.slot_count() < std::max(16u, 2 * n) + 8);
    std::set<unsigned> found;
    index.scan(text, [&](unsigned id, std::size_t, std::size_t) {
      found.insert(id);
      return true;
    });
    CHECK(found.size() == n);
  }
}

TEST_CASE("stopping from the callback ends the scan") {
  std::vector<TokenIndex::Literal> in = {{" a ", 1}};
  TokenIndex index;
  index.build(in);
  int calls = 0;
  index.scan(" a a a a ", [&](unsigned, std::size_t, std::size_t) { return ++calls < 2; });
  CHECK(calls == 2);
}

TEST_CASE("a key absent from the table is never taken for one of the other kind") {
  // With two check bits, many keys absent from the table share a present
  // key's bits and land on its slot: a prefix head must not be read as a
  // phrase edge, nor an edge as a prefix group. Every two-byte token is
  // tried as a prefix head and as a word, at the root and after a word.
  const std::vector<LiteralPattern> lits = {{" ab cd ", 1}, {" ab cd ef ", 2}, {" gh ij ", 3},
                                            {" zz", 4},     {" ab zz", 5},     {" ab zzz", 6}};
  std::string text = " ";
  std::string after_word = " ";
  for (int a = 1; a < 256; ++a) {
    if (a == ' ' || a == '\n') continue;
    for (int b = 0; b < 256; ++b) {
      if (b == ' ' || b == '\n') continue;
      std::string t(1, static_cast<char>(a));
      if (b != 0) t += static_cast<char>(b);  // else a one-byte token
      text += t + " ";
      after_word += "ab " + t + " ";
    }
  }
  for (const std::string& t : {text, after_word, text + after_word}) {
    for (unsigned bits : {31u, 2u}) {
      INFO("check bits: " << bits);
      const auto got = indexed(lits, t, bits);
      const auto want = naive(lits, t);
      CHECK(std::set<Hit>(got.begin(), got.end()) == want);
      CHECK(got.size() == want.size());
    }
  }
}

TEST_CASE("token hashes spread their top and low bits over similar tokens") {
  // The root filter takes a token hash's top bits and the table its low
  // bits, both unmixed: tokens that differ in one letter, at any position
  // and length, must not crowd into a few values of either.
  for (std::size_t size : {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 24, 33}) {
    for (std::size_t pos = 0; pos<size; pos += size> 8 ? 3 : 1) {
      std::set<std::uint64_t> top;
      std::set<std::uint64_t> low;
      std::string w(size, 'm');
      for (int c = 0; c < 256; ++c) {
        if (c == ' ' || c == '\n') continue;
        w[pos] = static_cast<char>(c);
        const std::uint64_t h = deter::text::token_hash(w.data(), w.size());
        top.insert(h >> 54);
        low.insert(h & 1023);
      }
      INFO("size " << size << ", letter " << pos);
      // 254 values thrown into 1024 bins land in about 225 distinct ones.
      CHECK(top.size() > 180);
      CHECK(low.size() > 180);
    }
  }
}

TEST_CASE("the padded token hash agrees with the plain one, whatever follows the token") {
  // token_hash_padded reads 16 bytes and masks off those past the token;
  // the views hash with it and the index with token_hash.
  std::mt19937_64 rng(11);
  for (int round = 0; round < 2000; ++round) {
    const std::size_t n = rng() % 24;
    std::string buf(n + 16, '\0');
    for (char& c : buf) c = static_cast<char>(rng());
    const std::uint64_t plain = deter::text::token_hash(buf.data(), n);
    INFO("length " << n);
    REQUIRE(deter::text::token_hash_padded(buf.data(), n) == plain);
    // The bytes after the token do not count.
    for (std::size_t i = n; i < buf.size(); ++i) buf[i] = static_cast<char>(~buf[i]);
    REQUIRE(deter::text::token_hash_padded(buf.data(), n) == plain);
    // Every byte of the token does.
    if (n > 0) {
      buf[rng() % n] ^= static_cast<char>(1 + rng() % 255);
      REQUIRE(deter::text::token_hash_padded(buf.data(), n) != plain);
    }
  }
}

TEST_CASE("a text that ends in a literal is read no further than its last byte") {
  // Each text is copied into a buffer of exactly its size (no terminator,
  // no spare capacity), so that AddressSanitizer sees any read past it,
  // by the root filter, the hashing of prefix heads or the byte compare.
  std::vector<LiteralPattern> lits;
  const std::string letters = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned id = 0;
  for (std::size_t n = 1; n <= 33; ++n) {
    const std::string w =
        letters.substr(0, n % letters.size()) + std::string(n / letters.size(), 'z');
    lits.push_back({" " + w + " ", id++});    // a phrase
    lits.push_back({" " + w, id++});          // a prefix
    lits.push_back({" q " + w + " ", id++});  // after a word
    lits.push_back({" q " + w, id++});
  }
  for (const auto& l : lits) {
    for (const std::string& before : {std::string(), std::string(" q"), std::string(" q r")}) {
      const std::string t = before + l.text;
      const std::unique_ptr<char[]> buf(new char[t.size()]);
      std::memcpy(buf.get(), t.data(), t.size());
      const std::string_view text(buf.get(), t.size());
      INFO("text: " << t);
      const auto got = indexed(lits, text);
      const auto want = naive(lits, t);
      CHECK(std::set<Hit>(got.begin(), got.end()) == want);
      CHECK(got.size() == want.size());
      // The same text less its last byte.
      const auto cut = indexed(lits, text.substr(0, text.size() - 1));
      const auto cut_want = naive(lits, t.substr(0, t.size() - 1));
      CHECK(std::set<Hit>(cut.begin(), cut.end()) == cut_want);
    }
  }
}

TEST_CASE("prefix heads of every length, at the root and after a word") {
  // Prefix words of 1 to 10 bytes (heads of 1 to 8), one-byte and
  // multi-byte letters, against tokens that extend them, equal them, fall
  // one byte short or differ in their last byte.
  std::vector<LiteralPattern> lits;
  std::vector<std::string> words;
  unsigned id = 0;
  for (const std::string& letter : {std::string("k"), std::string("ख")}) {
    for (std::size_t n = 1; n <= 10; ++n) {
      std::string w;
      for (std::size_t i = 0; i < n; ++i) w += i % 2 ? std::string("m") : letter;
      words.push_back(w);
      lits.push_back({" " + w, id++});
      lits.push_back({" pa " + w, id++});
      lits.push_back({" pa pb " + w, id++});
    }
  }
  std::string text = " ";
  for (const std::string& w : words) {
    for (const std::string& t :
         {w, w + "x", w + "ख", w.substr(0, w.size() - 1), w.substr(0, w.size() - 1) + "y"}) {
      if (t.empty()) continue;
      text += t + " pa " + t + " pa pb " + t + " \n ";
    }
  }
  for (unsigned bits : {31u, 2u}) {
    const auto got = indexed(lits, text, bits);
    const auto want = naive(lits, text);
    CHECK(std::set<Hit>(got.begin(), got.end()) == want);
    CHECK(got.size() == want.size());
    CHECK(want.size() > 300);
  }
}

TEST_CASE("a literal found twice through colliding keys is reported once") {
  // Keys of different head lengths, or of different nodes, may collide
  // (these two heads once hashed alike): each lookup reports only the
  // literals that end where it says they must.
  const std::vector<LiteralPattern> lits = {{" abab", 1}, {" zzzzzzz", 2}, {" q abab", 3}};
  for (const std::string text : {" ababbab ", " q ababbab ", " dbcabca dbca "}) {
    for (unsigned bits : {31u, 2u, 1u}) {
      const auto got = indexed(lits, text, bits);
      const auto want = naive(lits, text);
      CHECK(std::set<Hit>(got.begin(), got.end()) == want);
      CHECK(got.size() == want.size());
    }
  }
  // And many literals, long texts and few check bits.
  std::mt19937 rng(5);
  const std::vector<std::string> letters = {"a", "b", "ab", "ज", "x"};
  auto word = [&](std::size_t max_letters) {
    std::string w;
    const std::size_t n = 1 + rng() % max_letters;
    for (std::size_t k = 0; k < n; ++k) w += letters[rng() % letters.size()];
    return w;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<LiteralPattern> many;
    const std::size_t count = 1 + rng() % 200;
    for (unsigned id = 0; id < count; ++id) {
      std::string l = " ";
      const std::size_t words = 1 + rng() % 4;
      for (std::size_t k = 0; k < words; ++k) l += (k ? " " : "") + word(1 + rng() % 14);
      if (rng() % 3 != 0) l += ' ';
      many.push_back({l, id});
    }
    std::string text = " ";
    const std::size_t tokens = rng() % 60;
    for (std::size_t k = 0; k < tokens; ++k) text += word(16) + (rng() % 12 == 0 ? " \n " : " ");
    const auto want = naive(many, text);
    for (unsigned bits : {31u, 3u, 2u}) {
      for (std::size_t pair_bits : {std::size_t{0}, std::size_t{64}, std::size_t{256}}) {
        const auto got = indexed(many, text, bits, nullptr, pair_bits);
        REQUIRE(std::set<Hit>(got.begin(), got.end()) == want);
        REQUIRE(got.size() == want.size());
      }
    }
  }
}

TEST_CASE("a root word starts a walk only with a next token that some literal may need") {
  // The pair filter lets a root word's walk start for a one-word phrase of
  // it, for the whole second word of a longer literal, or for the first
  // byte of a prefix second word; every other walk is skipped, and the
  // skipped ones must be exactly those that report nothing.
  std::mt19937 rng(23);
  const std::vector<std::string> vocab = {"oak", "elm", "ash", "fig", "yew", "o",        "e",
                                          "oa",  "el",  "ज",   "जि",  "ক",   "oakoakoak"};
  auto pick = [&] { return vocab[rng() % vocab.size()]; };
  std::size_t hits = 0;
  for (int round = 0; round < 2000; ++round) {
    std::vector<LiteralPattern> lits;
    const std::size_t count = 1 + rng() % 12;
    for (unsigned id = 0; id < count; ++id) {
      std::string l = " " + pick();
      const unsigned kind = rng() % 5;
      if (kind == 0) {
        l += ' ';  // one word
      } else {
        l += " " + pick();
        if (kind == 1) l.resize(l.size() - rng() % 2);  // a prefix, maybe cut
        if (kind == 2) l += " " + pick();               // three words, a prefix
        if (kind >= 3) l += ' ';                        // a phrase
      }
      if (l.back() == ' ' && l[l.size() - 2] == ' ') l.pop_back();
      REQUIRE(is_token_literal(l));
      lits.push_back({l, id});
    }
    std::string text = " ";
    const std::size_t tokens = rng() % 12;
    for (std::size_t k = 0; k < tokens; ++k) {
      text += pick();
      const unsigned sep = rng() % 8;
      text += sep == 0 ? " \n " : sep == 1 ? "  " : " ";
    }
    const auto want = naive(lits, text);
    hits += want.size();
    INFO("text: " << text);
    for (std::size_t pair_bits : {std::size_t{0}, std::size_t{64}, std::size_t{128}}) {
      for (unsigned bits : {31u, 2u}) {
        INFO("check bits: " << bits << ", pair bits: " << pair_bits);
        const auto got = indexed(lits, text, bits, nullptr, pair_bits);
        REQUIRE(std::set<Hit>(got.begin(), got.end()) == want);
        REQUIRE(got.size() == want.size());
      }
    }
  }
  CHECK(hits > 1000);
}

namespace {
// What load() is given of the literals an index was built from: where each
// lies in `text`, by id, ids below `bound` (a literal of a larger id is
// left out, as an atom the caller does not have).
std::vector<TokenIndex::TextRef> text_refs(const std::vector<TokenIndex::Literal>& literals,
                                           std::string_view text, std::size_t bound) {
  std::vector<TokenIndex::TextRef> at(bound);
  for (const auto& l : literals) {
    if (l.id >= bound) continue;
    at[l.id] = {static_cast<std::uint32_t>(l.text.data() - text.data()),
                static_cast<std::uint32_t>(l.text.size())};
  }
  return at;
}
}  // namespace

TEST_CASE("a saved token index loads to the same answers, and a cut one is refused") {
  const std::vector<LiteralPattern> lits = {
      {" forbidden orchard ", 1}, {" forbidden orch", 2}, {" orchard ", 3}, {" orch", 4},
      {" forbiddenorchard ", 5},  {" वर्जित बगीचा ", 6},   {" वर्ज", 7}};
  const std::string text =
      " the forbidden orchard and forbidden orchards \n forbiddenorchard orchard \n वर्जित बगीचा ";
  std::vector<TokenIndex::Literal> in;
  for (const auto& l : lits) in.push_back({l.text, l.id});
  TokenIndex built;
  built.build(in);
  // load() is given the literals as views into one text, as a compiled
  // file holds them; without offsets, save() puts them where build() did:
  // concatenated in order.
  std::string texts;
  for (const auto& l : lits) texts += l.text;
  std::vector<TokenIndex::Literal> in_texts;
  for (std::size_t at = 0; const auto& l : lits) {
    in_texts.push_back({std::string_view(texts).substr(at, l.text.size()), l.id});
    at += l.text.size();
  }
  // Aligned as a mapped file's parts are (save() asks for a multiple of 8).
  std::vector<std::uint64_t> storage;
  auto aligned = [&](const std::string& bytes) {
    storage.assign(bytes.size() / 8 + 2, 0);
    std::memcpy(storage.data(), bytes.data(), bytes.size());
    return std::string_view(reinterpret_cast<const char*>(storage.data()), bytes.size());
  };
  std::string saved;
  built.save(saved);
  const std::string_view bytes = aligned(saved);
  TokenIndex loaded;
  REQUIRE(loaded.load(bytes, text_refs(in_texts, texts, 8), texts, nullptr));
  auto hits = [&](const TokenIndex& index) {
    std::vector<Hit> out;
    index.scan(text, [&](unsigned id, std::size_t from, std::size_t to) {
      out.push_back({id, from, to});
      return true;
    });
    return out;
  };
  CHECK(hits(loaded) == hits(built));
  CHECK(loaded.literal_count() == built.literal_count());
  // Ids must stay below the bound the caller gives (its atom count), and
  // each must be a literal where the caller has it.
  CHECK_FALSE(loaded.load(bytes, text_refs(in_texts, texts, 7), texts, nullptr));
  {
    auto moved = text_refs(in_texts, texts, 8);
    moved[3].offset += 1;
    CHECK_FALSE(loaded.load(bytes, moved, texts, nullptr));
    auto absent = text_refs(in_texts, texts, 8);
    absent[6] = {};
    CHECK_FALSE(loaded.load(bytes, absent, texts, nullptr));
    auto outside = text_refs(in_texts, texts, 8);
    outside[0] = {static_cast<std::uint32_t>(texts.size()), 1};  // id 0 is no literal
    std::string why;
    CHECK_FALSE(loaded.load(bytes, outside, texts, nullptr, &why));
    CHECK(why == "a literal lies outside its text");
  }
  // Every cut, and one byte more, is refused and leaves an empty index.
  for (std::size_t n = 0; n < saved.size(); ++n) {
    CAPTURE(n);
    TokenIndex cut;
    CHECK_FALSE(cut.load(bytes.substr(0, n), text_refs(in_texts, texts, 8), texts, nullptr));
    CHECK(cut.empty());
  }
  CHECK_FALSE(loaded.load(aligned(saved + "x"), text_refs(in_texts, texts, 8), texts, nullptr));
}

// The arrays of a saved index are used where they lie: each must be where
// save() puts it, at a multiple of 8 bytes, within the bytes; the bytes
// themselves must begin at a multiple of 8.
TEST_CASE("a saved token index with an array misaligned or out of range is refused") {
  const std::vector<LiteralPattern> lits = {{" forbidden orchard ", 1}, {" hidden lant", 2}};
  std::vector<TokenIndex::Literal> in;
  std::string texts;
  for (const auto& l : lits) texts += l.text;
  for (std::size_t at = 0; const auto& l : lits) {
    in.push_back({std::string_view(texts).substr(at, l.text.size()), l.id});
    at += l.text.size();
  }
  TokenIndex built;
  built.build(in);
  std::string saved;
  built.save(saved);
  constexpr std::size_t kDirectory = 8 + 4 + 12;  // then (offset, count) per array
  auto put64 = [](std::string& b, std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b[at + i] = static_cast<char>(v >> (8 * i));
  };
  auto get64 = [](const std::string& b, std::size_t at) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(b[at + i])) << (8 * i);
    return v;
  };
  struct Row {
    const char* name;
    std::string bytes;
    std::size_t shift;  // where in its buffer the bytes begin
    const char* why;
  };
  auto edited = [&](auto&& change) {
    std::string b = saved;
    change(b);
    return b;
  };
  const std::size_t nodes = kDirectory + 16 * 5;  // the sixth array's offset
  auto row = GENERATE_COPY(values<Row>({
      {"the bytes begin off a multiple of 8", saved, 4, "misaligned"},
      {"an array's offset off a multiple of 8",
       edited([&](std::string& b) { put64(b, nodes, get64(b, nodes) + 4); }), 0, "misaligned"},
      {"an array moved by 8 bytes",
       edited([&](std::string& b) { put64(b, nodes, get64(b, nodes) + 8); }), 0, "out of place"},
      {"an array's offset past the end",
       edited([&](std::string& b) { put64(b, nodes, std::uint64_t{1} << 40); }), 0,
       "out of place"},
      {"an array's count past the end",
       edited([&](std::string& b) { put64(b, nodes + 8, std::uint64_t{1} << 60); }), 0,
       "lie past its end"},
      {"the last array cut", saved.substr(0, saved.size() - 4), 0, "lie past its end"},
  }));
  CAPTURE(row.name);
  std::vector<std::uint64_t> storage(row.bytes.size() / 8 + 2, 0);
  char* base = reinterpret_cast<char*>(storage.data()) + row.shift;
  std::memcpy(base, row.bytes.data(), row.bytes.size());
  TokenIndex loaded;
  std::string why;
  CHECK_FALSE(loaded.load(std::string_view(base, row.bytes.size()), text_refs(in, texts, 8), texts,
                          nullptr, &why));
  CHECK_THAT(why, Catch::Contains(row.why));
  CHECK(loaded.empty());
}
