// Measures what the typeahead minimum length (CheckOptions::min_partial_chars)
// withholds from benign text: every line of every text file under the data
// directory is typed one character at a time, and each prefix is asked
// check_partial() with each minimum from 1 to 8. A prefix is withheld when
// its partial decision is inform or higher while check() allows it. Prints,
// per file and minimum, the share of prefixes withheld and the share of
// lines that lose their suggestions at some keystroke; then, for the
// minimum given, the prefixes withheld most often (to read what they head
// into). Lines check() itself flags are left out: they are check()'s false
// positives, not typeahead's.
//
//   deter_typeahead_prefixes [LIST_DIR [DATA_DIR [MIN]]]
//   (defaults: lists/demo, ../shared/data, the CheckOptions default)
#include <deter/filter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const std::string lists = argc > 1 ? argv[1] : std::string(DETER_SOURCE_DIR) + "/lists/demo";
  std::string data = argc > 2 ? argv[2] : std::string(DETER_SOURCE_DIR) + "/../shared/data";
  if (!fs::is_directory(data)) data = std::string(DETER_SOURCE_DIR) + "/tests/data";
  const std::size_t chosen =
      argc > 3 ? std::stoul(argv[3]) : deter::CheckOptions{}.min_partial_chars;
  auto opened = deter::Filter::open(lists);
  if (!opened) {
    std::cerr << opened.error().to_string() << "\n";
    return 2;
  }
  const deter::Filter& f = opened.value();
  constexpr std::size_t kMaxMin = 8;

  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());

  std::printf("%-14s %8s %9s", "file", "lines", "prefixes");
  for (std::size_t m = 1; m <= kMaxMin; ++m) std::printf("  min=%zu      ", m);
  std::printf("\n%-14s %8s %9s", "", "", "");
  for (std::size_t m = 1; m <= kMaxMin; ++m) std::printf("  pfx%%  line%%");
  std::printf("\n");
  std::map<std::string, std::size_t> examples;
  for (const fs::path& path : files) {
    std::ifstream in(path);
    std::size_t lines = 0;
    std::size_t prefixes = 0;
    std::vector<std::size_t> withheld(kMaxMin + 1, 0);
    std::vector<std::size_t> lines_hit(kMaxMin + 1, 0);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || f.check(line).action != deter::Action::allow) continue;
      ++lines;
      std::vector<bool> hit(kMaxMin + 1, false);
      for (std::size_t end = 1; end <= line.size(); ++end) {
        if (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) continue;
        const std::string_view prefix = std::string_view(line).substr(0, end);
        ++prefixes;
        if (f.check(prefix).action != deter::Action::allow) continue;
        // Withholding only shrinks as the minimum grows: stop at the first
        // minimum that lets the prefix through.
        for (std::size_t m = 1; m <= kMaxMin; ++m) {
          deter::CheckOptions o;
          o.min_partial_chars = m;
          if (f.check_partial(prefix, o).action == deter::Action::allow) break;
          ++withheld[m];
          hit[m] = true;
          if (m == chosen) ++examples[std::string(prefix)];
        }
      }
      for (std::size_t m = 1; m <= kMaxMin; ++m) lines_hit[m] += hit[m];
    }
    const std::string name = path.parent_path().filename().string() + "/" + path.stem().string();
    std::printf("%-14s %8zu %9zu", name.c_str(), lines, prefixes);
    for (std::size_t m = 1; m <= kMaxMin; ++m) {
      std::printf("  %4.1f  %5.1f", prefixes ? 100.0 * withheld[m] / prefixes : 0.0,
                  lines ? 100.0 * lines_hit[m] / lines : 0.0);
    }
    std::printf("\n");
  }
  std::vector<std::pair<std::size_t, std::string>> top;
  for (const auto& [prefix, n] : examples) top.emplace_back(n, prefix);
  std::sort(top.rbegin(), top.rend());
  std::printf("\nwithheld most often at min=%zu:\n", chosen);
  for (std::size_t i = 0; i < top.size() && i < 40; ++i) {
    std::printf("%6zu  %s\n", top[i].first, top[i].second.c_str());
  }
  return 0;
}
