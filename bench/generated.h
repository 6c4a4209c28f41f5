// Benchmark inputs made from the real text in ../shared/data (or, without
// it, the samples in tests/data): query sets and generated lists.
// Deterministic: the same data gives the same list, byte for byte.
#ifndef DETER_BENCH_GENERATED_H_
#define DETER_BENCH_GENERATED_H_

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <cctype>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "text/normalize.h"

namespace deter::bench {

// $DETER_DATA_DIR, else ../shared/data when present, else tests/data.
inline std::string data_dir() {
  // A worktree has no ../shared beside it: it names the data folder.
  if (const char* dir = std::getenv("DETER_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  std::string shared = std::string(DETER_SOURCE_DIR) + "/../shared/data";
  if (std::filesystem::is_directory(shared)) return shared;
  return std::string(DETER_SOURCE_DIR) + "/tests/data";
}

// The non-empty lines of a file.
inline std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace deter::bench

// A list of `n` two-word phrases (a tenth of them prefixes) made of real
// words from the phrase and query files of all five languages. Real lists
// look like this: ordinary words in unusual combinations. Every 100th entry
// (at most 100 of them) is instead a pair of adjacent words found in exactly
// one real query, so that some queries match (about 1% at 10k entries) and
// every benchmark has hits to count.
inline std::string generated_list(std::size_t n) {
  namespace fs = std::filesystem;
  using deter::bench::data_dir;
  using deter::bench::read_lines;
  std::vector<std::string> words;
  std::map<std::string, int> pair_counts;  // adjacent words of real queries
  std::set<std::string> seen;
  for (const char* kind : {"phrases", "queries"}) {
    for (const char* l : {"en", "hi", "bn", "kn", "id"}) {
      for (const std::string& line :
           read_lines(fs::path(data_dir()) / kind / (std::string(l) + ".txt"))) {
        std::string norm = deter::text::normalize_base(line);
        std::string previous;
        std::size_t pos = 1;
        while (pos < norm.size()) {
          std::size_t sp = norm.find(' ', pos);
          std::string w = norm.substr(pos, sp - pos);
          if (w.size() >= 4 && seen.insert(w).second) words.push_back(w);
          if (std::string(kind) == "queries" && w.size() >= 4 && previous.size() >= 4) {
            ++pair_counts[previous + " " + w];
          }
          previous = w;
          pos = sp + 1;
        }
      }
    }
  }
  // Pairs that occur in one query only: each such entry matches about one
  // query, as a real list entry would match a rare query.
  std::vector<std::string> pairs;
  for (const auto& [pair, count] : pair_counts) {
    if (count == 1) pairs.push_back(pair);
  }
  // mt19937 is specified exactly; the distribution is not, so index by hand.
  std::mt19937 rng(7);
  auto pick = [&] { return words[rng() % words.size()]; };
  std::string list = "! deter-list 1\n! name: generated\n! category: generated\n";
  std::set<std::string> entries;
  std::size_t from_queries = 0;
  while (entries.size() < n) {
    std::string e;
    if (entries.size() % 100 == 50 && from_queries < 100 && !pairs.empty()) {
      e = pairs[rng() % pairs.size()];
      ++from_queries;
    } else {
      e = pick() + " " + pick();
    }
    if (entries.size() % 10 == 9) e += "*";
    if (entries.insert(e).second) list += e + "\n";
  }
  return list;
}

// `n` regex entries for the scale list set (bench/run.sh --write-list N DIR
// R): each takes two words of an entry of generated_list(), the shapes a
// list maintainer writes them in (a word glued to digits, two words with or
// without a space, a word and a stretched letter), so that the regex database
// has the size and kinds of a real list set's.
inline std::string generated_regexes(const std::string& list, std::size_t n) {
  // Escapes ASCII punctuation; other bytes (UTF-8 letters) stand for themselves.
  auto quote = [](const std::string& w) {
    std::string out;
    for (char c : w) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x80 && !std::isalnum(u)) out += '\\';
      out += c;
    }
    return out;
  };
  std::string out = "! deter-list 1\n! name: generated regexes\n! category: generated\n";
  std::size_t made = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; made < n && line_start < list.size(); ++i) {
    std::size_t eol = list.find('\n', line_start);
    if (eol == std::string::npos) eol = list.size();
    std::string line = list.substr(line_start, eol - line_start);
    line_start = eol + 1;
    if (line.empty() || line[0] == '!' || line.back() == '*' || i % 97 != 5) continue;
    const std::size_t sp = line.find(' ');
    if (sp == std::string::npos) continue;
    const std::string a = quote(line.substr(0, sp));
    const std::string b = quote(line.substr(sp + 1));
    switch (made % 3) {
      case 0: out += "/" + a + "[0-9]{3,}/\n"; break;
      case 1: out += "/" + a + "\\s?" + b + "/\n"; break;
      default: out += "/" + a + "\\s+x{2,}/\n"; break;
    }
    ++made;
  }
  return out;
}

#endif  // DETER_BENCH_GENERATED_H_
