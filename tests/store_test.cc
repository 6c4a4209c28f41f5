// Compiled databases: what save() writes, open() loads to the same
// decisions; a damaged, truncated, foreign or mislabelled file is refused
// with ErrorCode::corrupt and a message saying why; the cache is keyed by
// content, Hyperscan version and platform.
#include <deter/filter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store.h"
#include "test_util.h"

using namespace deter;
using deter::testing::source_path;

namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("deter-store-test-" + std::to_string(std::hash<std::string>{}(
                                      std::to_string(reinterpret_cast<std::uintptr_t>(this)) +
                                      std::to_string(std::rand()))));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Replaces the trailing checksum so that only the edited field is wrong.
std::string reseal(std::string bytes) {
  bytes.resize(bytes.size() - 8);
  std::uint64_t sum = store::checksum(bytes);
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(sum >> (8 * i)));
  return bytes;
}

// Replaces the first occurrence of `from` by `to` (same length).
std::string edit(std::string bytes, const std::string& from, const std::string& to) {
  REQUIRE(from.size() == to.size());
  std::size_t at = bytes.find(from);
  REQUIRE(at != std::string::npos);
  bytes.replace(at, from.size(), to);
  return bytes;
}

const std::vector<const char*> kQueries = {
    "where is the forbidden orchard today",
    "forbidden orchard museum hours",
    "lantern404 archive",
    "वर्जित बगीचा कहाँ है",
    "ನಿಷಿದ್ಧ ತೋಟದಲ್ಲಿ",
    "an ordinary question about rivers",
    "velvet key for the glass tower",
    "silver ladder bedtime story",
};

std::string summary(const Decision& d) {
  std::string s(to_string(d.action));
  for (const Match& m : d.matches) {
    s +=
        " " + std::string(m.entry_id) + "@" + std::to_string(m.begin) + "-" + std::to_string(m.end);
  }
  return s;
}

}  // namespace

TEST_CASE("a compiled database loads to the same decisions", "[store]") {
  TempDir dir;
  Filter source = Filter::open(source_path("lists/demo")).value();
  fs::path file = dir.path / "demo.deterdb";
  Result<std::size_t> written = source.save(file.string());
  REQUIRE(written);
  CHECK(written.value() == fs::file_size(file));

  Result<Filter> loaded = Filter::open(file.string());
  REQUIRE(loaded);
  const Filter& f = loaded.value();
  CHECK(f.entry_count() == source.entry_count());
  CHECK(f.content_hash() == source.content_hash());
  CHECK(f.lists().size() == source.lists().size());
  CHECK(f.examples().size() == source.examples().size());
  for (const char* q : kQueries) {
    CAPTURE(q);
    CHECK(summary(f.check(q)) == summary(source.check(q)));
  }
  for (const ExampleResult& r : f.run_examples()) CHECK(r.passed);
  // Messages come along too.
  Decision d = f.check("forbidden orchard", {.locale = "hi"});
  REQUIRE(d.message != nullptr);
  CHECK(d.message->locale == "hi");
}

TEST_CASE("a list set of only literals or only regexes round-trips", "[store]") {
  TempDir dir;
  for (std::string list :
       {"! deter-list 1\nforbidden orchard\n", "! deter-list 1\n/lantern[0-9]{3}/\n"}) {
    Filter f = deter::testing::filter_from(list);
    fs::path file = dir.path / "one.deterdb";
    REQUIRE(f.save(file.string()));
    Result<Filter> g = Filter::open(file.string());
    REQUIRE(g);
    CHECK(g.value().check("forbidden orchard lantern123").action == Action::prompt);
    CHECK(g.value().check("orchard").action == Action::allow);
  }
}

TEST_CASE("damaged compiled databases are refused with a clear error", "[store][errors]") {
  TempDir dir;
  Filter source = Filter::open(source_path("lists/demo")).value();
  fs::path good = dir.path / "good.deterdb";
  REQUIRE(source.save(good.string()));
  const std::string bytes = read(good);

  struct Row {
    const char* name;
    std::string bytes;
    const char* message_part;
  };
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x01;
  std::string version = bytes;
  version[8] = 9;  // format version field
  const std::string hs = store::hyperscan_version();
  std::string foreign_hs = hs;
  foreign_hs[0] = foreign_hs[0] == '9' ? '8' : '9';
  const std::string plat = store::platform();
  std::string foreign_plat = plat;
  foreign_plat.back() = foreign_plat.back() == '0' ? '1' : '0';

  auto row = GENERATE_COPY(values<Row>({
      {"empty", "", "no DETERDB1 magic"},
      {"wrong magic", "DETERDB2" + bytes.substr(8), "no DETERDB1 magic"},
      {"a list file", "! deter-list 1\nforbidden orchard\n", "no DETERDB1 magic"},
      {"truncated header", bytes.substr(0, 10), "truncated"},
      {"truncated", bytes.substr(0, bytes.size() / 3), "checksum mismatch"},
      {"last byte missing", bytes.substr(0, bytes.size() - 1), "checksum mismatch"},
      {"one bit flipped", flipped, "checksum mismatch"},
      {"newer format", version, "format 9"},
      {"foreign Hyperscan", reseal(edit(bytes, hs, foreign_hs)), "compiled with Hyperscan"},
      {"foreign platform", reseal(edit(bytes, plat, foreign_plat)), "compiled for platform"},
  }));
  CAPTURE(row.name);
  fs::path file = dir.path / "bad.deterdb";
  write(file, row.bytes);
  Result<Filter> f = Filter::open(file.string());
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::corrupt);
  CHECK(f.error().file == file.string());
  CHECK_THAT(f.error().message, Catch::Contains(row.message_part));
}

TEST_CASE("stored sources must give the stored patterns", "[store][errors]") {
  TempDir dir;
  const std::string list = "! deter-list 1\nforbidden orchard\n";
  const std::string other = "! deter-list 1\nforbidden orchird\n";
  Filter f = deter::testing::filter_from(list);
  fs::path file = dir.path / "t.deterdb";
  REQUIRE(f.save(file.string()));
  const std::string bytes = read(file);

  // Sources edited behind the content hash's back.
  write(file, reseal(edit(bytes, "orchard", "orchird")));
  Result<Filter> g = Filter::open(file.string());
  REQUIRE_FALSE(g);
  CHECK_THAT(g.error().message, Catch::Contains("normalizes differently"));

  // Sources and content hash edited together, as a deter with another
  // normalizer would see them: the patterns no longer match the databases.
  std::string other_hash = deter::testing::filter_from(other).content_hash();
  write(file, reseal(edit(edit(bytes, "orchard", "orchird"), f.content_hash(), other_hash)));
  Result<Filter> h = Filter::open(file.string());
  REQUIRE_FALSE(h);
  CHECK(h.error().code == ErrorCode::corrupt);
  CHECK_THAT(h.error().message, Catch::Contains("normalizes differently"));
}

TEST_CASE("the cache compiles once and then loads", "[store][cache]") {
  TempDir dir;
  fs::path lists = dir.path / "lists";
  fs::path cache = dir.path / "cache";
  fs::create_directories(lists);
  write(lists / "a.list", "! deter-list 1\nforbidden orchard\n");
  FilterOptions options;
  options.cache_dir = cache.string();

  Result<Filter> first = Filter::open(lists.string(), options);
  REQUIRE(first);
  std::vector<fs::path> cached;
  for (const auto& de : fs::directory_iterator(cache)) {
    if (de.path().extension() == ".deterdb") cached.push_back(de.path());
  }
  REQUIRE(cached.size() == 1);
  CHECK(cached[0].extension() == ".deterdb");
  CHECK(cached[0].stem().string().size() == 32);

  // A hit loads the cached file (same decisions, same file).
  auto stamp = fs::last_write_time(cached[0]);
  Result<Filter> second = Filter::open(lists.string(), options);
  REQUIRE(second);
  CHECK(second.value().check("forbidden orchard").action == Action::prompt);
  CHECK(fs::last_write_time(cached[0]) == stamp);

  // A damaged cache file is ignored and replaced.
  write(cached[0], "garbage");
  Result<Filter> third = Filter::open(lists.string(), options);
  REQUIRE(third);
  CHECK(third.value().check("forbidden orchard").action == Action::prompt);
  CHECK(Filter::open(cached[0].string()));

  // Other sources get another key.
  write(lists / "a.list", "! deter-list 1\nhidden lantern\n");
  Result<Filter> fourth = Filter::open(lists.string(), options);
  REQUIRE(fourth);
  CHECK(fourth.value().check("forbidden orchard").action == Action::allow);
  CHECK(fourth.value().check("hidden lantern").action == Action::prompt);
  std::size_t n = 0;
  for (const auto& de : fs::directory_iterator(cache)) n += de.path().extension() == ".deterdb";
  CHECK(n == 2);
}

TEST_CASE("the cache key covers content, Hyperscan version and platform", "[store][cache]") {
  std::vector<std::pair<std::string, std::string>> a = {{"a.list", "! deter-list 1\nx y z\n"}};
  std::vector<std::pair<std::string, std::string>> b = {{"a.list", "! deter-list 1\nx y zz\n"}};
  FilterOptions o;
  CHECK(store::cache_file_name(a, o) == store::cache_file_name(a, o));
  CHECK(store::cache_file_name(a, o) != store::cache_file_name(b, o));
  FilterOptions no_leet;
  no_leet.views = ViewSet::all().without(View::leet);
  CHECK(store::cache_file_name(a, o) != store::cache_file_name(a, no_leet));
  CHECK_THAT(store::platform(), Catch::Contains("features=0x"));
}

TEST_CASE("saving to an unwritable place fails with the path", "[store][errors]") {
  Filter f = deter::testing::filter_from("! deter-list 1\nforbidden orchard\n");
  Result<std::size_t> r = f.save("/nonexistent-dir/x/demo.deterdb");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::io);
  CHECK_THAT(r.error().file, Catch::Contains("/nonexistent-dir/x/"));
}

TEST_CASE("a compiled file damaged anywhere, checksum recomputed, never crashes a load",
          "[store][robustness]") {
  // The checksum catches accidental damage; this checks that the parser
  // behind it survives deliberate damage too (every length field, every
  // source byte, the Hyperscan blobs).
  TempDir dir;
  Filter source = Filter::open(source_path("lists/demo")).value();
  fs::path good = dir.path / "good.deterdb";
  REQUIRE(source.save(good.string()));
  const std::string bytes = read(good);
  fs::path file = dir.path / "damaged.deterdb";
  std::size_t loaded = 0, refused = 0;
  for (std::size_t pos = 8; pos + 8 < bytes.size(); pos += 1 + pos / 64) {
    for (unsigned char flip : {0x01, 0x80, 0xFF}) {
      std::string damaged = bytes;
      damaged[pos] = static_cast<char>(damaged[pos] ^ flip);
      write(file, reseal(damaged));
      Result<Filter> f = Filter::open(file.string());
      if (!f) {
        ++refused;
        CHECK_FALSE(f.error().message.empty());
        continue;
      }
      ++loaded;
      for (const char* q : kQueries) (void)f.value().check(q);
    }
  }
  CHECK(refused > 0);
  INFO("loaded " << loaded << ", refused " << refused);
}
