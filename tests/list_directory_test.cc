// Reading a list directory (src/list_directory.h): the same outcome whatever
// order the directory lists its names in, an error naming the file for a
// link that dangles or loops and for a name that is not a regular file, and
// the bounds on files and bytes. Filter::open and lint read alike.
#include <deter/lint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "test_util.h"

using namespace deter;
using deter::testing::header;

namespace {

namespace fs = std::filesystem;

// A fresh directory under the system's temporary one, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("deter-listdir-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

enum class Odd { dangling, loop, directory, fifo, good_link };

void make(const TempDir& d, const std::string& name, Odd odd) {
  switch (odd) {
    case Odd::dangling:
      fs::create_symlink(d.path / "missing-target", d.path / name);
      break;
    case Odd::loop:
      fs::create_symlink(d.path / name, d.path / name);
      break;
    case Odd::directory:
      fs::create_directory(d.path / name);
      break;
    case Odd::fifo:
      REQUIRE(::mkfifo((d.path / name).c_str(), 0600) == 0);
      break;
    case Odd::good_link:
      d.write("target.txt", header() + "hidden lantern\n");
      fs::create_symlink(d.path / "target.txt", d.path / name);
      break;
  }
}

}  // namespace

TEST_CASE("a list directory entry that is not a readable file fails the load, naming it",
          "[list_directory]") {
  struct Row {
    const char* name;  // the odd entry's name
    Odd odd;
    const char* message;  // "" when the set must load
  };
  auto row = GENERATE(values<Row>({
      // Before and after en.list in name order: the outcome must not depend on it.
      {"a.list", Odd::dangling, "dangling symbolic link"},
      {"z.list", Odd::dangling, "dangling symbolic link"},
      {"a.list", Odd::loop, "symbolic link loop"},
      {"z.list", Odd::loop, "symbolic link loop"},
      {"a.list", Odd::directory, "not a regular file: a directory"},
      {"z.list", Odd::fifo, "not a regular file: a FIFO"},
      {"messages.toml", Odd::dangling, "dangling symbolic link"},
      {"messages.toml", Odd::loop, "symbolic link loop"},
      {"messages.toml", Odd::directory, "not a regular file: a directory"},
      {"messages.toml", Odd::fifo, "not a regular file: a FIFO"},
      {"a.list", Odd::good_link, ""},
  }));
  CAPTURE(row.name, row.message);
  TempDir d;
  d.write("en.list", header() + "forbidden orchard\n");
  d.write("notes.txt", "not part of the list set\n");
  make(d, row.name, row.odd);

  Result<Filter> f = Filter::open(d.path.string());
  LintOptions lint_options;
  LintReport report = lint_directory(d.path.string(), lint_options);
  if (*row.message == '\0') {
    REQUIRE(f);
    CHECK(f.value().entry_count() == 2);
    CHECK(report.passed());
    return;
  }
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::io);
  CHECK(f.error().file == row.name);
  CHECK(f.error().message == row.message);
  CHECK(f.error().to_string() == std::string(row.name) + ": " + row.message);
  // lint reads the directory with the same reader, so it reports the same.
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].check == "list-error");
  CHECK(report.findings[0].file == row.name);
  CHECK(report.findings[0].message == row.message);
}

TEST_CASE("a list directory is read within the file and byte bounds", "[list_directory][limits]") {
  TempDir d;
  for (const char* name : {"a.list", "b.list", "c.list"}) {
    d.write(name, header() + "forbidden orchard\n");
  }
  const std::size_t one = header().size() + std::string("forbidden orchard\n").size();

  FilterOptions three;
  three.max_list_files = 3;
  CHECK(Filter::open(d.path.string(), three));

  FilterOptions two;
  two.max_list_files = 2;
  Result<Filter> f = Filter::open(d.path.string(), two);
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::limit);
  CHECK(f.error().message.find("FilterOptions::max_list_files") != std::string::npos);

  FilterOptions bytes;
  bytes.max_list_set_bytes = 3 * one;
  CHECK(Filter::open(d.path.string(), bytes));
  bytes.max_list_set_bytes = 3 * one - 1;
  f = Filter::open(d.path.string(), bytes);
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::limit);
  CHECK(f.error().file == "c.list");  // the file that went over, in name order
  CHECK(f.error().message.find("FilterOptions::max_list_set_bytes") != std::string::npos);

  FilterOptions per_file;
  per_file.max_list_bytes = one - 1;
  f = Filter::open(d.path.string(), per_file);
  REQUIRE_FALSE(f);
  CHECK(f.error().file == "a.list");
  CHECK(f.error().message.find("FilterOptions::max_list_bytes") != std::string::npos);
}

TEST_CASE("a list directory with only messages.toml has no list", "[list_directory]") {
  TempDir d;
  d.write("messages.toml", "");
  Result<Filter> f = Filter::open(d.path.string());
  REQUIRE_FALSE(f);
  CHECK(f.error().message == "no *.list files");
}
