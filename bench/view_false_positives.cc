// Measures the false positives each view adds: the list set is loaded once
// with the base view alone and once more with the base view plus each other
// view (and once with all views), and every line of every text file under
// the data directory (benign real text) is checked with each. A line a view
// newly flags is a false positive of that view. Prints a table and the
// flagged lines, so each can be fixed or explained in lists/README.md.
//
//   deter_view_fp [LIST_DIR [DATA_DIR]]   (defaults: lists/demo, ../shared/data)
#include <deter/filter.h>

#include <algorithm>
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

  auto open = [&](deter::ViewSet views) {
    deter::FilterOptions o;
    o.views = views;
    auto f = deter::Filter::open(lists, o);
    if (!f) {
      std::cerr << f.error().to_string() << "\n";
      std::exit(2);
    }
    return std::move(f).value();
  };
  const deter::Filter base = open(deter::ViewSet::only(deter::View::base));
  std::vector<std::pair<std::string, deter::Filter>> filters;
  for (int v = 1; v < deter::kViewCount; ++v) {
    const auto view = static_cast<deter::View>(v);
    filters.emplace_back(std::string(deter::to_string(view)),
                         open(deter::ViewSet::only(deter::View::base).with(view)));
  }
  filters.emplace_back("all", open(deter::ViewSet::all()));

  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(data)) {
    if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());

  std::map<std::string, std::size_t> flagged;
  std::size_t lines = 0;
  std::size_t base_flagged = 0;
  std::vector<std::string> report;
  for (const fs::path& path : files) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      ++lines;
      const bool in_base = !base.check(line).matches.empty();
      base_flagged += in_base;
      for (const auto& [name, f] : filters) {
        const deter::Decision d = f.check(line);
        if (in_base || d.matches.empty()) continue;
        ++flagged[name];
        std::string r = name + "\t" + fs::relative(path, data).string() + "\t" + line + "\t";
        for (const deter::Match& m : d.matches) {
          r += std::string(m.entry_id) + "(" + std::string(deter::to_string(m.view)) + ") ";
        }
        report.push_back(r);
      }
    }
  }
  std::cout << "data " << data << ": " << files.size() << " files, " << lines << " lines\n";
  std::cout << "base view flags " << base_flagged << " lines\n";
  std::cout << "view       newly flagged lines\n";
  for (const auto& [name, f] : filters) {
    std::cout << name << std::string(11 - name.size(), ' ') << flagged[name] << "\n";
  }
  for (const std::string& r : report) std::cout << "  " << r << "\n";
  return 0;
}
