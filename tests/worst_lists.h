// List files of the worst shapes a list set can take within FilterOptions'
// default bounds, and just past them. Each loads, or is refused at a known
// place, in bounded time and memory: tests/worst_lists_test.cc loads every
// one under a ctest timeout, bench/worst_lists_bench.cc times them.
#ifndef DETER_TESTS_WORST_LISTS_H_
#define DETER_TESTS_WORST_LISTS_H_

#include <deter/filter.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace deter::worst {

struct Shape {
  std::string name;
  std::string list;  // the text of one list file, "t.list"
  // Refused with this code at this place; ErrorCode::ok: loads, with
  // `entries` entries.
  ErrorCode code = ErrorCode::ok;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t entries = 0;
};

// A distinct word of letters for each i: "bab", "bac", ...
inline std::string word(std::size_t i) {
  static constexpr char kConsonants[] = "bcdfghjklmnprstv";
  static constexpr char kVowels[] = "aeiou";
  std::string out;
  do {
    out += kConsonants[i % 16];
    i /= 16;
    out += kVowels[i % 5];
    i /= 5;
  } while (i != 0);
  return out;
}

inline std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Words joined by spaces, up to `bytes` bytes.
inline std::string phrase_of(std::size_t first, std::size_t bytes) {
  std::string out;
  for (std::size_t i = first;; ++i) {
    const std::string w = word(i);
    if (out.size() + 1 + w.size() > bytes) break;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

inline std::vector<Shape> shapes() {
  const std::string h = "! deter-list 1\n! name: worst\n";  // 2 lines
  const FilterOptions d;
  std::vector<Shape> out;

  // A line of 80,000 options (880 KB): once quadratic (86 s); now the
  // second one is a duplicate.
  out.push_back({"options_80000", h + "forbidden orchard $" + repeat("severity=3,", 80000) + "\n",
                 ErrorCode::syntax, 3, 31});
  // Entries of the maximum size, each with every option once.
  {
    // All seven options: `scope` is for exceptions, so the first line is
    // refused at it.
    const std::string line = phrase_of(0, d.max_entry_bytes - 120) +
                             " $action=block,category=c,severity=3,message=m,views=-leet,"
                             "locale=en,scope=overlap\n";
    const auto column = static_cast<std::uint32_t>(line.find("scope=") + 1);
    out.push_back(
        {"seven_options_on_a_max_entry", h + repeat(line, 200), ErrorCode::syntax, 3, column});
  }
  {
    std::string list = h;
    for (std::size_t i = 0; i < 200; ++i) {
      list += phrase_of(i * 3000, d.max_entry_bytes - 120) +
              " $action=block,category=c,severity=3,views=-leet,locale=en\n";
    }
    out.push_back({"max_entries_with_options", list, ErrorCode::ok, 0, 0, 200});
  }
  // Rules at the parts limit, and one far past it (once: a 16-bit counter
  // wrapped and memory grew without bound).
  {
    std::string list = h;
    for (std::size_t r = 0; r < 200; ++r) {
      std::string rule;
      for (std::size_t p = 0; p < d.max_rule_parts; ++p) {
        if (p != 0) rule += p % 2 ? " & !" : " & ";
        rule += word(r * 100 + p) + " " + word(r * 100 + p + 50);
      }
      list += rule + "\n";
    }
    out.push_back({"rules_at_parts_limit", list, ErrorCode::ok, 0, 0, 200});
  }
  {
    // A rule of the most parts, each of the most bytes: a 1 MB line.
    std::string rule;
    for (std::size_t p = 0; p < d.max_rule_parts; ++p) {
      if (p != 0) rule += " & ";
      rule += phrase_of(p * 2500, d.max_entry_bytes);
    }
    out.push_back({"rule_of_max_parts_of_max_bytes", h + rule + "\n", ErrorCode::ok, 0, 0, 1});
  }
  {
    std::string rule = "ab";
    for (int i = 1; i < 65536; ++i) rule += "&ab";
    out.push_back({"rule_of_65536_parts", h + rule + "\n", ErrorCode::limit, 3,
                   1 + 3 * static_cast<std::uint32_t>(d.max_rule_parts)});
  }
  // Multi-byte text: a line of 16,000 Devanagari characters (48,000 bytes)
  // is over the entry bound; entries of 5,333 characters are not.
  {
    const std::string syllables = "वर्जित बगीचा ";  // 13 characters, 35 bytes
    out.push_back({"line_of_16000_devanagari_chars",
                   h + repeat(syllables, 16000 / 13) + repeat("क", 16000 % 13) + "\n",
                   ErrorCode::invalid_entry, 3, 1});
    std::string list = h;
    for (std::size_t i = 0; i < 20; ++i) {
      std::string e = repeat(syllables, 456) + word(i);  // 15,960 bytes
      list += e + "\n";
    }
    out.push_back({"max_devanagari_entries", list, ErrorCode::ok, 0, 0, 20});
  }
  // Regexes: the most a list set may spend on them, a long one of escapes,
  // and nesting past the depth bound.
  {
    std::string list = h;
    const std::size_t n = d.max_regex_total_cost / d.max_regex_cost;
    for (std::size_t i = 0; i < n; ++i) {
      std::string re;
      for (std::size_t j = 0; re.size() + 8 < d.max_regex_cost; ++j) re += word(i * 1000 + j);
      list += "/" + re + "/\n";
    }
    out.push_back({"regexes_at_total_cost", list, ErrorCode::ok, 0, 0, n});
    out.push_back({"regex_of_escapes", h + "/" + repeat("\\x{0915}", 1999) + "/\n",
                   ErrorCode::compile, 3, 2});
    out.push_back({"regex_nested_past_depth",
                   h + "/" + repeat("(", 499) + "a" + repeat(")", 499) + "/\n", ErrorCode::compile,
                   3, 2 + static_cast<std::uint32_t>(d.max_regex_depth)});
    out.push_back({"entry_of_16000_open_parens", h + "/" + repeat("(", 15998) + "/\n",
                   ErrorCode::compile, 3, 2});
  }
  // The most examples a list set may hold, on one entry.
  out.push_back({"max_examples",
                 h + "forbidden orchard\n" +
                     repeat("  match: forbidden orchard\n", d.max_examples - 1) +
                     "  no-match: orchard\n",
                 ErrorCode::ok, 0, 0, 1});
  // 64 MiB of comment lines with an entry at the end: parsed, never compiled.
  out.push_back({"max_bytes_of_comments",
                 h + repeat("! a comment\n", (d.max_list_bytes - 100) / 12) + "moonthief\n",
                 ErrorCode::ok, 0, 0, 1});
  // Many short entries, each a distinct phrase.
  {
    std::string list = h;
    for (std::size_t i = 0; i < 50000; ++i) list += word(i) + " " + word(i + 7) + "\n";
    out.push_back({"entries_50000", list, ErrorCode::ok, 0, 0, 50000});
  }
  // A checksummed list cut short: refused at its checksum line.
  {
    std::string list = with_list_checksum(h + repeat("forbidden orchard & lantern\n", 1000));
    list.resize(list.size() / 2);
    out.push_back({"checksummed_and_cut", list, ErrorCode::corrupt, 2, 13});
  }
  return out;
}

}  // namespace deter::worst

#endif  // DETER_TESTS_WORST_LISTS_H_
