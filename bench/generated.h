// Inputs shared by the benchmarks: the benign data folder, its lines, and
// generated lists of real words in unusual combinations.
#ifndef DETER_BENCH_GENERATED_H_
#define DETER_BENCH_GENERATED_H_

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "text/normalize.h"

namespace deter::bench {

// ../shared/data when present (the full sets), else the samples in tests/data.
inline std::string data_dir() {
  std::string shared = std::string(DETER_SOURCE_DIR) + "/../shared/data";
  if (std::filesystem::is_directory(shared)) return shared;
  return std::string(DETER_SOURCE_DIR) + "/tests/data";
}

inline std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// A list of `n` two-word phrases (a tenth of them prefixes) made of real
// words from the phrase and query files of all five languages. Real lists
// look like this: ordinary words in unusual combinations.
inline std::string generated_list(std::size_t n) {
  namespace fs = std::filesystem;
  std::vector<std::string> words;
  std::set<std::string> seen;
  for (const char* kind : {"phrases", "queries"}) {
    for (const char* l : {"en", "hi", "bn", "kn", "id"}) {
      for (const std::string& line :
           read_lines(fs::path(data_dir()) / kind / (std::string(l) + ".txt"))) {
        std::string norm = deter::text::normalize_base(line);
        std::size_t pos = 1;
        while (pos < norm.size()) {
          std::size_t sp = norm.find(' ', pos);
          std::string w = norm.substr(pos, sp - pos);
          if (w.size() >= 4 && seen.insert(w).second) words.push_back(w);
          pos = sp + 1;
        }
      }
    }
  }
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::string list = "! deter-list 1\n! name: generated\n! category: generated\n";
  std::set<std::string> entries;
  while (entries.size() < n) {
    std::string e = words[pick(rng)] + " " + words[pick(rng)];
    if (entries.size() % 10 == 9) e += "*";
    if (entries.insert(e).second) list += e + "\n";
  }
  return list;
}

}  // namespace deter::bench

#endif  // DETER_BENCH_GENERATED_H_
