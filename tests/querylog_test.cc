// The query log reader shared by deter impact, bench and stats.
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "cli/querylog.h"
#include "test_util.h"

using deter::cli::LoggedQuery;
using deter::cli::QueryLogReader;
namespace fs = std::filesystem;

namespace {

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() /
         ("deter-querylog-" + std::to_string(reinterpret_cast<std::uintptr_t>(&name)) + name);
}

std::string read_all(const fs::path& p, std::string* error = nullptr) {
  QueryLogReader r;
  REQUIRE(r.open(p.string()));
  std::string out;
  for (LoggedQuery q; r.next(q);) out += q.query + "=" + std::to_string(q.count) + ";";
  if (error) *error = r.error();
  return out;
}

}  // namespace

TEST_CASE("query log lines: plain or query<TAB>count", "[querylog]") {
  struct Row {
    const char* line;
    const char* query;
    std::uint64_t count;
  };
  auto row = GENERATE(values<Row>({
      {"forbidden orchard", "forbidden orchard", 1},
      {"forbidden orchard\t42", "forbidden orchard", 42},
      {"forbidden orchard\t42\r", "forbidden orchard", 42},
      {"a\tb\t7", "a\tb", 7},
      {"tab but no count\tx7", "tab but no count\tx7", 1},
      {"trailing tab\t", "trailing tab\t", 1},
      {"वर्जित बगीचा\t3", "वर्जित बगीचा", 3},
      {"455\t0", "455", 0},
  }));
  LoggedQuery q;
  QueryLogReader::parse_line(row.line, q);
  CHECK(q.query == row.query);
  CHECK(q.count == row.count);
}

TEST_CASE("query logs read plain and gzip, skipping empty lines", "[querylog]") {
  const std::string text = "first query\t3\n\nsecond query\r\nलास्ट\t2";  // no final newline
  fs::path plain = temp_file("plain.txt");
  std::ofstream(plain, std::ios::binary) << text;
  CHECK(read_all(plain) == "first query=3;second query=1;लास्ट=2;");

  fs::path gz = temp_file("log.gz");
  gzFile f = gzopen(gz.string().c_str(), "wb");
  REQUIRE(f != nullptr);
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  CHECK(read_all(gz) == "first query=3;second query=1;लास्ट=2;");

  // A long log crosses buffer boundaries intact.
  fs::path big = temp_file("big.gz");
  f = gzopen(big.string().c_str(), "wb");
  std::uint64_t expected = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string line =
        "query number " + std::to_string(i) + "\t" + std::to_string(i % 7 + 1) + "\n";
    expected += static_cast<std::uint64_t>(i % 7 + 1);
    gzwrite(f, line.data(), static_cast<unsigned>(line.size()));
  }
  gzclose(f);
  QueryLogReader r;
  REQUIRE(r.open(big.string()));
  std::uint64_t n = 0, total = 0;
  for (LoggedQuery q; r.next(q);) {
    CHECK(q.query == "query number " + std::to_string(n));
    CHECK(q.line == n + 1);
    ++n;
    total += q.count;
  }
  CHECK(r.error().empty());
  CHECK(n == 50000);
  CHECK(total == expected);

  // A truncated gzip file is an error, not a silent end.
  std::string bytes;
  {
    std::ifstream in(big, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  fs::path cut = temp_file("cut.gz");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::string error;
  read_all(cut, &error);
  CHECK_THAT(error, Catch::Contains("cut.gz"));

  QueryLogReader missing;
  CHECK_FALSE(missing.open(temp_file("does-not-exist").string()));
  CHECK_THAT(missing.error(), Catch::Contains("cannot open"));
  for (const auto& p : {plain, gz, big, cut}) fs::remove(p);
}
