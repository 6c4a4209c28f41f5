// Fuzzes check() against a naive reference matcher. The input bytes describe
// a small list (phrases, prefixes, substrings and AND/NOT rules built from an
// alphabet of tokens chosen to collide: case, width, accents, ligatures,
// Indic letters and signs, invisible characters) and a query. The Filter is
// built with the base view only; the reference normalizes the query with the
// same normalizer and finds each entry's literal with std::string::find:
//   phrase " w1 w2 "   prefix " w1 w2"   substring "w1 w2"
// A rule matches when every positive part is found and no negated part is.
// The set of matched entries must be the same, the winning action must be
// the highest matched one, and every span must lie inside the query on
// character boundaries. Exceptions and regexes are left out: the reference
// would have to reimplement them.
#include <deter/filter.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "byte_reader.h"
#include "text/normalize.h"
#include "text/utf8.h"
#include "utf8_boundaries.h"
#include "invariants.h"

namespace {

using deter::fuzzing::ByteReader;

constexpr const char* kFuzzerName = "fuzz_check";

// Pieces of entries and queries. None holds a character with a meaning in
// the list format ('*', '&', '!', '@', '/', '$', newline).
constexpr std::array<std::string_view, 40> kTokens = {
    "a",
    "b",
    "ab",
    "ba",
    "abc",
    "orchard",
    "forbidden",
    "x1",
    "7",
    "07",
    "\xC3\xA9",   // é
    "E\xCC\x81",  // E + combining acute
    "\xC3\x84",   // Ä
    "\xC3\x9F",   // ß
    "ss",
    "SS",
    "\xEF\xAC\x81",  // ﬁ ligature
    "fi",
    "\xC4\xB0",  // İ
    "i",
    "\xE0\xA4\xB5\xE0\xA4\xB0\xE0\xA5\x8D\xE0\xA4\x9C",  // वर्ज
    "\xE0\xA4\xBF\xE0\xA4\xA4",                          // ि त
    "\xE0\xA5\x8D",                                      // Devanagari virama
    "\xE0\xA4\xBC",                                      // Devanagari nukta
    "\xE0\xA4\x81",                                      // chandrabindu
    "\xE0\xA6\x95\xE0\xA6\xBF",                          // কি
    "\xE0\xB2\x95\xE0\xB2\xBF",                          // ಕಿ
    "\xE0\xA5\xA6",                                      // Devanagari digit zero
    "\xEF\xBC\xA1\xEF\xBC\xA2",                          // full-width AB
    "\xE2\x80\x8B",                                      // zero-width space
    "\xC2\xAD",                                          // soft hyphen
    "\xE2\x84\xAA",                                      // Kelvin sign
    "\xCE\xA9",                                          // Omega
    "\xD0\xB0",                                          // Cyrillic a
    "\xCC\x81",                                          // combining acute alone
    "-",
    ".",
    ",",
    "'",
    "_",
};
constexpr std::array<std::string_view, 5> kGaps = {" ", "  ", "", "-", ", "};

std::string draw_text(ByteReader& r, std::size_t max_tokens) {
  std::string s;
  const std::size_t n = 1 + r.below(max_tokens);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) s += kGaps[r.below(kGaps.size())];
    s += kTokens[r.below(kTokens.size())];
  }
  return s;
}

enum class Kind { phrase, prefix, substring };

struct Part {
  Kind kind = Kind::phrase;
  std::string text;
  bool negated = false;
};

struct GeneratedEntry {
  std::vector<Part> parts;  // one, or a rule's parts
  deter::Action action = deter::Action::prompt;
};

std::string written(const Part& p) {
  std::string s = p.negated ? "!" : "";
  switch (p.kind) {
    case Kind::phrase:
      return s + p.text;
    case Kind::prefix:
      return s + p.text + "*";
    case Kind::substring:
      return s + "*" + p.text + "*";
  }
  return s;
}

// The literal the part is matched as in the base view (see compile.cc).
std::string literal(const Part& p) {
  std::string n = deter::text::normalize_base(p.text);
  switch (p.kind) {
    case Kind::phrase:
      return n;
    case Kind::prefix:
      return n.substr(0, n.size() - 1);
    case Kind::substring:
      return n.substr(1, n.size() - 2);
  }
  return n;
}

std::size_t count_occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader r(data, size);

  std::vector<GeneratedEntry> entries(1 + r.below(12));
  for (GeneratedEntry& e : entries) {
    const std::size_t parts = r.chance(48) ? 2 + r.below(2) : 1;
    for (std::size_t i = 0; i < parts; ++i) {
      Part p;
      p.kind = static_cast<Kind>(r.below(3));
      p.text = draw_text(r, 3);
      // An entry with no letters or digits is refused by the parser.
      if (deter::text::normalize_base(p.text) == " ") p.text += "a";
      p.negated = i > 0 && r.chance(96);
      e.parts.push_back(std::move(p));
    }
    e.action = static_cast<deter::Action>(r.below(4));
  }

  std::string query;
  const std::size_t query_pieces = r.below(16);
  for (std::size_t i = 0; i < query_pieces && query.size() < 60; ++i) {
    if (r.chance(24)) {
      query += static_cast<char>(r.byte());  // any byte, even invalid UTF-8 or NUL
    } else {
      query += kGaps[r.below(kGaps.size())];
      query += kTokens[r.below(kTokens.size())];
    }
  }

  std::string list = "! deter-list 1\n! name: fuzz\n! language: en\n";
  for (const GeneratedEntry& e : entries) {
    for (std::size_t i = 0; i < e.parts.size(); ++i) {
      if (i > 0) list += " & ";
      list += written(e.parts[i]);
    }
    list += " $action=";
    list += deter::to_string(e.action);
    list += '\n';
  }

  deter::FilterOptions options;
  options.views = deter::ViewSet::only(deter::View::base);
  auto built = deter::Filter::from_sources({{"f.list", list}}, options);
  if (!built) {
    std::fprintf(stderr, "fuzz_check: generated list did not load: %s\n%s",
                 built.error().to_string().c_str(), list.c_str());
    deter_fuzz::fail(kFuzzerName, "every generated list loads");
  }
  const deter::Filter& filter = built.value();

  // The reference.
  const std::string normalized = deter::text::normalize_base(query);
  std::set<std::uint32_t> expected;
  std::size_t occurrences = 0;
  deter::Action expected_action = deter::Action::allow;
  for (std::uint32_t ei = 0; ei < entries.size(); ++ei) {
    bool fires = true;
    for (const Part& p : entries[ei].parts) {
      const std::string lit = literal(p);
      const std::size_t n = count_occurrences(normalized, lit);
      occurrences += n;
      fires = fires && (p.negated ? n == 0 : n > 0);
    }
    if (fires) {
      expected.insert(ei);
      expected_action = std::max(expected_action, entries[ei].action);
    }
  }
  // check() stops recording after 1024 occurrences; the reference does not.
  if (occurrences >= 1000) return 0;

  deter::CheckOptions check_options;
  check_options.explain = true;
  const deter::Decision d = filter.check(query, check_options);

  REQUIRE_THAT(filter.normalize(query) == normalized);
  REQUIRE_THAT(!d.has_flag(deter::kFlagInternalError));
  REQUIRE_THAT(!d.has_flag(deter::kFlagTruncated));
  REQUIRE_THAT(d.has_flag(deter::kFlagInvalidUtf8) == !deter::text::is_valid_utf8(query));
  REQUIRE_THAT(d.suppressed.empty());

  std::set<std::uint32_t> actual;
  const std::vector<bool> boundary = character_boundaries(query);
  for (const deter::Match& m : d.matches) {
    REQUIRE_THAT(actual.insert(m.entry_index).second);  // one match per entry
    REQUIRE_THAT(m.entry_index < entries.size());
    REQUIRE_THAT(m.action == entries[m.entry_index].action);
    REQUIRE_THAT(m.view == deter::View::base);
    REQUIRE_THAT(m.begin < m.end);
    REQUIRE_THAT(m.end <= query.size());
    REQUIRE_THAT(boundary[m.begin] && boundary[m.end]);
  }
  if (actual != expected) {
    std::fprintf(stderr, "fuzz_check: list:\n%squery: '%s'\nnormalized: '%s'\n", list.c_str(),
                 query.c_str(), normalized.c_str());
    for (std::uint32_t e : expected) std::fprintf(stderr, "  expected entry %u\n", e);
    for (std::uint32_t e : actual) std::fprintf(stderr, "  actual entry %u\n", e);
    deter_fuzz::fail(kFuzzerName, "check() matches the entries the reference matches");
  }
  REQUIRE_THAT(d.action == expected_action);
  REQUIRE_THAT(d.matches.empty() || d.keep_alive != nullptr);
  return 0;
}
