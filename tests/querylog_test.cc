// The query-log reader and the other pieces of the log tools: rows of
// (file contents, expected entries), plain and gzip-compressed.
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "cli/line_reader.h"
#include "cli/ordered_parallel.h"
#include "cli/querylog.h"
#include "cli/script.h"
#include "test_util.h"

using deter::cli::LogEntry;
using deter::cli::QueryLogReader;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("deter-querylog-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::string write_plain(const std::string& name, const std::string& contents) {
  std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::string write_gzip(const std::string& name, const std::string& contents) {
  std::string path = temp_path(name);
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, contents.data(), static_cast<unsigned>(contents.size())) ==
          static_cast<int>(contents.size()));
  gzclose(f);
  return path;
}

std::vector<LogEntry> read_all(const std::string& path) {
  std::string error;
  std::optional<QueryLogReader> reader = QueryLogReader::open(path, error);
  REQUIRE(reader.has_value());
  std::vector<LogEntry> out;
  LogEntry e;
  while (reader->next(e)) out.push_back(e);
  CHECK(reader->error().empty());
  CHECK(reader->bytes_read() == reader->total_bytes());
  return out;
}

struct Row {
  std::string contents;
  std::vector<std::pair<std::string, std::uint64_t>> expected;
};

}  // namespace

TEST_CASE("query logs: plain and query<TAB>count lines, plain or gzip", "[querylog]") {
  const Row row = GENERATE(
      Row{"forbidden orchard\nordinary question\n",
          {{"forbidden orchard", 1}, {"ordinary question", 1}}},
      Row{"forbidden orchard\t12\nवर्जित बगीचा\t3\n",
          {{"forbidden orchard", 12}, {"वर्जित बगीचा", 3}}},
      Row{"a\tb\t7\r\n", {{"a\tb", 7}}},                     // the last TAB splits
      Row{"tab\tnot a count\n", {{"tab\tnot a count", 1}}},  // not a number: all query
      Row{"trailing tab\t\n", {{"trailing tab\t", 1}}},
      Row{"\n\nmiddle\n\n", {{"middle", 1}}},  // empty lines skipped
      Row{"zero\t0\n", {{"zero", 0}}}, Row{"no newline at end", {{"no newline at end", 1}}},
      Row{"crlf\r\nlast\r", {{"crlf", 1}, {"last", 1}}}, Row{"", {}});
  for (bool gzip : {false, true}) {
    CAPTURE(row.contents, gzip);
    const std::string path =
        gzip ? write_gzip("rows.gz", row.contents) : write_plain("rows.txt", row.contents);
    const std::vector<LogEntry> got = read_all(path);
    REQUIRE(got.size() == row.expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].query == row.expected[i].first);
      CHECK(got[i].count == row.expected[i].second);
    }
    std::filesystem::remove(path);
  }
}

TEST_CASE("query logs: lines longer than the read buffer", "[querylog]") {
  std::string contents;
  std::vector<std::string> queries;
  std::mt19937 rng(3);
  for (int i = 0; i < 200; ++i) {
    queries.push_back(std::string(1 + rng() % 40000, static_cast<char>('a' + i % 26)));
    contents += queries.back() + "\t" + std::to_string(i) + "\n";
  }
  for (bool gzip : {false, true}) {
    const std::string path =
        gzip ? write_gzip("long.gz", contents) : write_plain("long.txt", contents);
    const std::vector<LogEntry> got = read_all(path);
    REQUIRE(got.size() == queries.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].query == queries[i]);
      CHECK(got[i].count == i);
    }
    std::filesystem::remove(path);
  }
}

TEST_CASE("query logs: a missing file is an error naming it", "[querylog]") {
  std::string error;
  CHECK_FALSE(QueryLogReader::open("/nonexistent/log.txt", error).has_value());
  CHECK(error.find("/nonexistent/log.txt") != std::string::npos);
  CHECK_FALSE(QueryLogReader::open(std::filesystem::temp_directory_path().string(), error));
  CHECK(error.find("directory") != std::string::npos);
}

TEST_CASE("query logs: a truncated gzip file is an error, not a short log", "[querylog]") {
  std::string contents;
  for (int i = 0; i < 50000; ++i) contents += "query number " + std::to_string(i) + "\t3\n";
  const std::string whole = write_gzip("whole.gz", contents);
  std::string bytes;
  {
    std::ifstream in(whole, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string cut = write_plain("cut.gz", bytes.substr(0, bytes.size() / 2));
  std::string error;
  std::optional<QueryLogReader> reader = QueryLogReader::open(cut, error);
  REQUIRE(reader.has_value());
  std::size_t n = 0;
  for (LogEntry e; reader->next(e);) ++n;
  CHECK(n < 50000);
  CHECK(reader->error().find("cut.gz") != std::string::npos);
  std::filesystem::remove(whole);
  std::filesystem::remove(cut);
}

TEST_CASE("line reader: lines across reads, CRLF, no final newline", "[querylog]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string input;
  for (int i = 0; i < 1000; ++i)
    input += std::string(static_cast<std::size_t>(i % 97), 'x') + "\r\n";
  input += "last";
  std::thread writer([&] {
    ::ssize_t n = ::write(fds[1], input.data(), input.size());
    (void)n;
    ::close(fds[1]);
  });
  deter::cli::LineReader reader(fds[0], 64);  // tiny buffer: lines span reads
  std::string_view line;
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(reader.next(line));
    CHECK(line == std::string(static_cast<std::size_t>(i % 97), 'x'));
  }
  REQUIRE(reader.next(line));
  CHECK(line == "last");
  CHECK_FALSE(reader.next(line));
  CHECK_FALSE(reader.failed());
  writer.join();
  ::close(fds[0]);
}

TEST_CASE("dominant script of a query", "[querylog]") {
  using deter::cli::Script;
  struct ScriptRow {
    const char* query;
    Script script;
  };
  const ScriptRow row = GENERATE(
      ScriptRow{"forbidden orchard", Script::latin}, ScriptRow{"Pokémon pertama", Script::latin},
      ScriptRow{"वर्जित बगीचा", Script::devanagari}, ScriptRow{"নিষিদ্ধ বাগান ২০২৪", Script::bengali},
      ScriptRow{"ನಿಷಿದ್ಧ ತೋಟ", Script::kannada},
      ScriptRow{"covid १९ टीका कहाँ", Script::devanagari},  // 8 to 5; digits do not count
      ScriptRow{"Москва", Script::other}, ScriptRow{"12345 !!", Script::other},
      ScriptRow{"\xff\xfe", Script::other});
  CAPTURE(row.query);
  CHECK(deter::cli::dominant_script(row.query) == row.script);
}

TEST_CASE("ordered parallel: results come out in input order", "[querylog]") {
  const int threads = GENERATE(1, 2, 4);
  int next = 0;
  std::vector<int> written;
  std::atomic<int> max_worker{0};
  deter::cli::run_ordered<int, int>(
      threads,
      [&](int& batch) {
        if (next == 500) return false;
        batch = next++;
        return true;
      },
      [&](int worker, const int& batch, int& result) {
        // Uneven work, so later batches often finish first.
        std::this_thread::sleep_for(std::chrono::microseconds((batch * 7919) % 300));
        result = batch * 2;
        int seen = max_worker.load();
        while (worker > seen && !max_worker.compare_exchange_weak(seen, worker)) {
        }
      },
      [&](const int& batch, const int& result) {
        CHECK(result == batch * 2);
        written.push_back(batch);
      });
  REQUIRE(written.size() == 500);
  for (int i = 0; i < 500; ++i) CHECK(written[static_cast<std::size_t>(i)] == i);
  CHECK(max_worker.load() < threads);
}

namespace {

// Feeds `input` through a pipe from another thread and reads it back.
std::vector<std::pair<std::string, bool>> read_lines(const std::string& input,
                                                     std::size_t buffer_bytes,
                                                     std::size_t max_line_bytes,
                                                     std::size_t* held = nullptr) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&] {
    for (std::size_t at = 0; at < input.size();) {
      ::ssize_t n =
          ::write(fds[1], input.data() + at, std::min<std::size_t>(input.size() - at, 7000));
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  deter::cli::LineReader reader(fds[0], buffer_bytes, max_line_bytes);
  std::vector<std::pair<std::string, bool>> out;
  std::string_view line;
  bool truncated = true;
  while (reader.next(line, &truncated)) out.emplace_back(std::string(line), truncated);
  CHECK_FALSE(reader.failed());
  if (held != nullptr) *held = reader.buffer_bytes();
  writer.join();
  ::close(fds[0]);
  return out;
}

}  // namespace

TEST_CASE("line reader: long lines are cut while read, on a character boundary",
          "[querylog][line-reader]") {
  struct Row {
    std::string input;
    std::size_t buffer_bytes;
    std::vector<std::pair<std::string, bool>> lines;  // (line, truncated)
  };
  const std::string ka = "\xE0\xA4\x95";  // क: three bytes
  const Row row = GENERATE_COPY(
      // Within the limit, exactly at it, one byte over.
      Row{"abcdefgh\nabcdefghi\nab\n",
          64,
          {{"abcdefgh", false}, {"abcdefgh", true}, {"ab", false}}},
      // CRLF at the limit is not a cut, wherever the reads split it.
      Row{"abcdefgh\r\nxy\r\n", 9, {{"abcdefgh", false}, {"xy", false}}},
      Row{"abcdefgh\r\nxy\r\n", 64, {{"abcdefgh", false}, {"xy", false}}},
      // A line far longer than the buffer: its head, then the next line whole.
      Row{std::string(100000, 'z') + "\nnext\n", 64, {{"zzzzzzzz", true}, {"next", false}}},
      Row{std::string(100000, 'z') + "\nnext\n", 1u << 20, {{"zzzzzzzz", true}, {"next", false}}},
      // The last line, long and without a newline.
      Row{"ok\n" + std::string(5000, 'q'), 64, {{"ok", false}, {"qqqqqqqq", true}}},
      // A character across the cut is left out whole (7 bytes kept, not 8).
      Row{"abcdef" + ka + ka + "\nz\n", 64, {{"abcdef", true}, {"z", false}}},
      Row{"abcdef" + ka + std::string(90000, 'y') + "\nz", 64, {{"abcdef", true}, {"z", false}}},
      Row{"abcde" + ka + std::string(90000, 'y') + "\n", 16, {{"abcde" + ka, true}}});
  CAPTURE(row.input.size(), row.buffer_bytes);
  CHECK(read_lines(row.input, row.buffer_bytes, 8) == row.lines);
}

TEST_CASE("line reader: a 64 MB line is read in bounded memory", "[querylog][line-reader]") {
  std::string input = "first\n" + std::string(64u << 20, 'w') + "\nlast\n";
  std::size_t held = 0;
  auto lines = read_lines(input, 1u << 16, 4096, &held);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1] == std::pair<std::string, bool>(std::string(4096, 'w'), true));
  CHECK(lines[2] == std::pair<std::string, bool>("last", false));
  CHECK(held == 1u << 16);  // the buffer never grew
}

TEST_CASE("run_ordered: an exception in any stage reaches the caller after the workers stop",
          "[querylog][line-reader]") {
  for (int threads : {1, 2, 4}) {
    for (int stage = 0; stage < 3; ++stage) {
      CAPTURE(threads, stage);
      int batches = 0;
      auto read = [&](int& b) {
        if (stage == 0 && batches == 7) throw std::bad_alloc();
        b = batches++;
        return batches < 1000;
      };
      auto work = [&](int, const int& b, int& r) {
        if (stage == 1 && b == 9) throw std::bad_alloc();
        r = b;
      };
      int written = 0;
      auto write = [&](const int&, const int&) {
        if (stage == 2 && written == 11) throw std::bad_alloc();
        ++written;
      };
      CHECK_THROWS_AS((deter::cli::run_ordered<int, int>(threads, read, work, write)),
                      std::bad_alloc);
    }
  }
}
