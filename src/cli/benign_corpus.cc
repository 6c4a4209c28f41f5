#include "cli/benign_corpus.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace deter::cli {
namespace {

namespace fs = std::filesystem;

// Where the shipped samples are: the source tree (a build used in place),
// then <prefix>/share/deter/benign beside <prefix>/bin/deter, found from the
// executable so that an installed tree can be moved.
std::vector<fs::path> bundled_roots() {
  std::vector<fs::path> roots{fs::path(DETER_SOURCE_DIR) / "tests/data/queries",
                              fs::path(DETER_SOURCE_DIR) / "tests/data/phrases"};
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) roots.push_back(exe.parent_path().parent_path() / "share/deter/benign");
  return roots;
}

bool is_corpus_file(const fs::path& p) { return p.extension() == ".txt" || p.extension() == ".gz"; }

void add_directory(const fs::path& dir, std::vector<std::string>& out) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& de : fs::recursive_directory_iterator(dir, ec)) {
    if (de.is_regular_file(ec) && is_corpus_file(de.path())) found.push_back(de.path().string());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

std::vector<std::string> default_benign_corpus() {
  std::vector<std::string> out;
  const std::vector<fs::path> roots = bundled_roots();
  std::error_code ec;
  // The two source folders together, else the installed one.
  for (std::size_t i = 0; i < 2; ++i) {
    if (fs::is_directory(roots[i], ec)) add_directory(roots[i], out);
  }
  if (out.empty() && roots.size() > 2 && fs::is_directory(roots[2], ec))
    add_directory(roots[2], out);
  return out;
}

bool expand_corpus_paths(const std::vector<std::string>& paths, std::vector<std::string>& out,
                         std::string& error) {
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-") {
      out.push_back(path);
    } else if (fs::is_directory(path, ec)) {
      const std::size_t before = out.size();
      add_directory(path, out);
      if (out.size() == before) {
        error = "benign corpus " + path + ": a directory without *.txt or *.gz files";
        return false;
      }
    } else if (fs::exists(path, ec)) {
      out.push_back(path);
    } else {
      error = "benign corpus " + path + ": no such file or directory";
      return false;
    }
  }
  return true;
}

}  // namespace deter::cli
