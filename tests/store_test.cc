// Compiled databases: what save() writes, open() loads to the same
// decisions; a damaged, truncated, foreign or mislabelled file is refused
// with ErrorCode::corrupt and a message saying why; the cache is keyed by
// content, Hyperscan version and platform.
#include <deter/filter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <hs/hs.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "filter_impl.h"
#include "store.h"
#include "test_util.h"

using namespace deter;
using deter::testing::header;
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
  // The entry words a broken query word joins back to are rebuilt at load.
  for (const char* q : {"forb.idden or chard", "छिपी लाल टेन", "moon thief"}) {
    CAPTURE(q);
    CHECK(f.check(q).action == Action::prompt);
  }
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
  version[8] = 17;  // format version field
  std::string format8 = bytes;
  format8[8] = 8;  // before every file held its entry tables
  std::string format10 = bytes;
  format10[8] = 10;  // before the fuzzy indexes held the entries' joined forms
  std::string format11 = bytes;
  format11[8] = 11;  // before the fuzzy indexes held what opening built
  std::string format12 = bytes;
  format12[8] = 12;  // before the atoms were stored as they are in memory
  std::string format13 = bytes;
  format13[8] = 13;  // before the entry words were used where they lie
  std::string format14 = bytes;
  format14[8] = 14;  // before the entries were stored as they are in memory
  std::string format15 = bytes;
  format15[8] = 15;  // before the token index's table was sized to its edges
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
      {"newer format", version, "format 17"},
      {"format 8", format8, "format 8; this deter reads 16: recompile it with 'deter compile'"},
      {"format 10", format10, "format 10; this deter reads 16: recompile it with 'deter compile'"},
      {"format 11", format11, "format 11; this deter reads 16: recompile it with 'deter compile'"},
      {"format 12", format12, "format 12; this deter reads 16: recompile it with 'deter compile'"},
      {"format 13", format13, "format 13; this deter reads 16: recompile it with 'deter compile'"},
      {"format 14", format14, "format 14; this deter reads 16: recompile it with 'deter compile'"},
      {"format 15", format15, "format 15; this deter reads 16: recompile it with 'deter compile'"},
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

  // Sources and content hash edited together: the entry tables decide, as
  // they do on every load (format 9), and the sources, which no longer give
  // the tables' patterns, show nothing.
  std::string other_hash = deter::testing::filter_from(other).content_hash();
  write(file, reseal(edit(edit(bytes, "orchard", "orchird"), f.content_hash(), other_hash)));
  Result<Filter> h = Filter::open(file.string());
  REQUIRE(h);
  CHECK(h.value().check("forbidden orchard").action == Action::prompt);
  CHECK(h.value().entry(0).source.empty());
  CHECK(f.entry(0).source == "forbidden orchard");

  // The patterns as written in the tables edited (with the sources and the
  // hash, as a deter with another normalizer would see them): they no
  // longer give the stored atoms.
  const std::string twice = edit(edit(edit(bytes, "orchard", "orchird"), "orchard", "orchird"),
                                 f.content_hash(), other_hash);
  write(file, reseal(twice));
  Result<Filter> g2 = Filter::open(file.string());
  REQUIRE_FALSE(g2);
  CHECK(g2.error().code == ErrorCode::corrupt);
  CHECK_THAT(g2.error().message, Catch::Contains("normalizes differently"));
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

namespace {

// Where a field of a compiled file with sources (format 8) starts, and its
// length with its length prefix; see store.h's layout.
struct Field {
  std::size_t at = 0;
  std::size_t size = 0;
};

std::uint64_t le64(const std::string& b, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}
std::uint32_t le32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

// [literal database, regex database, token index, atom table (its count
// and atoms), completion index, entry words, fuzzy index, fuzzy index of
// keys, the entry tables' names (count and strings), their entries (count
// and entries)] of a file with sources.
std::array<Field, 10> database_fields(const std::string& b) {
  std::size_t at = 16;
  auto str = [&] { at += 8 + le64(b, at); };
  for (int i = 0; i < 4; ++i) str();  // hs_version platform content_hash pattern_digest
  at += 4 + 8 + 8;                    // views max_entries max_entry_bytes
  str();                              // list_versions
  std::uint32_t files = le32(b, at);
  at += 4;
  for (std::uint32_t i = 0; i < 2 * files; ++i) str();
  // The entry tables (store.cc write_entry_tables), each pattern's text too.
  auto u32 = [&] {
    const std::uint32_t v = le32(b, at);
    at += 4;
    return v;
  };
  for (std::uint32_t i = 0, n = u32(); i < n; ++i) {  // lists
    str(), str(), str();
    at += 8;
    str();
  }
  for (std::uint32_t i = 0, n = u32(); i < n; ++i) {  // messages
    str(), str(), str(), str();
    for (std::uint32_t k = 0, links = u32(); k < links; ++k) str();
  }
  std::array<Field, 10> out;
  out[8].at = at;
  for (std::uint32_t i = 0, n = u32(); i < n; ++i) str();  // names
  out[8].size = at - out[8].at;
  // The entries (format 15): u32 count, zeros to a multiple of 8, 48 bytes
  // each; str ids; u32 count of patterns, zeros to a multiple of 8, 8 bytes
  // each; each pattern's text.
  out[9].at = at;
  const std::uint32_t entries = u32();
  while (at % 8 != 0) ++at;
  at += 48 * std::size_t{entries};
  str();
  const std::uint32_t patterns = u32();
  while (at % 8 != 0) ++at;
  at += 8 * std::size_t{patterns};
  for (std::uint32_t k = 0; k < patterns; ++k) str();
  out[9].size = at - out[9].at;
  out[3].at = at;
  // atoms: zeros to a multiple of 8, then 16 bytes each (u32 entry,
  // pattern, length; u8 view, regex, pad_front, pad_back)
  std::vector<std::pair<bool, std::uint32_t>> atoms(le32(b, at));
  at += 4;
  while (at % 8 != 0) ++at;
  for (auto& [regex, length] : atoms) {
    length = le32(b, at + 8);
    regex = b[at + 13] != 0;
    at += 16;
  }
  out[3].size = at - out[3].at;
  for (const auto& [regex, length] : atoms) {  // each atom's text: a regex's a str
    if (regex) {
      str();
    } else {
      at += length;
    }
  }
  // The parts used where they lie, each after zeros up to a multiple of 64
  // less the 8 bytes of its size.
  for (const std::size_t k : {2, 4, 5, 6, 7}) {
    while ((at + 8) % 64 != 0) ++at;
    out[k].at = at;
    str();
    out[k].size = at - out[k].at;
  }
  for (int i = 0; i < 2; ++i) {
    Field& f = out[static_cast<std::size_t>(i)];
    at += 4;  // count
    str();    // digest
    f.at = at;
    str();
    f.size = at - f.at;
  }
  return out;
}

// Writes `bytes` as a compiled file in `dir`; opening it must fail as corrupt,
// saying `message_part`.
void refused_as_corrupt(const TempDir& dir, const std::string& bytes, const char* message_part) {
  const fs::path file = dir.path / "bad.deterdb";
  write(file, bytes);
  Result<Filter> f = Filter::open(file.string());
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::corrupt);
  CHECK_THAT(f.error().message, Catch::Contains(message_part));
}

std::string saved(const Filter& f, const fs::path& file, const SaveOptions& options = {}) {
  REQUIRE(f.save(file.string(), options));
  return read(file);
}

// `b` with part `which` (2, 4, 5, 6 or 7 of database_fields: a str used in
// place) replaced by a str of `bytes`, and the zeros before the next part
// made again: as few as begin it on a cache line, as the reader skips.
void replace_part(std::string& b, std::size_t which, const std::string& bytes) {
  const auto fields = database_fields(b);
  const Field f = fields[which];
  const std::size_t next = which == 2 ? 4 : which + 1;
  // The last part is followed by the databases' counts, with no zeros.
  const std::size_t end = which == 7 ? f.at + f.size : fields[next].at;
  std::string part(8, '\0');
  for (int i = 0; i < 8; ++i) part[i] = static_cast<char>(std::uint64_t{bytes.size()} >> (8 * i));
  part += bytes;
  if (which != 7) {
    while ((f.at + part.size() + 8) % 64 != 0) part.push_back('\0');
  }
  b.replace(f.at, end - f.at, part);
}

// `into` with its database field `which` replaced by that of `from`, and its
// checksum recomputed: the forgery a checksum cannot catch.
std::string splice(const std::string& into, const std::string& from, int which) {
  Field a = database_fields(into)[which];
  Field b = database_fields(from)[which];
  std::string out = into;
  out.replace(a.at, a.size, from.substr(b.at, b.size));
  return reseal(out);
}

}  // namespace

// save() writes the patterns from the filter's own tables (the token
// index's literals, the regexes' entries, and the entries of Hyperscan's
// literals made again): a filter loaded from a file saves that same file.
TEST_CASE("a loaded filter saves the file it was loaded from, byte for byte", "[store]") {
  TempDir dir;
  const std::vector<Filter> sources = {
      Filter::open(source_path("lists/demo")).value(),
      deter::testing::filter_from(header() + "forbidden orchard $action=block\n*hidden lantern*\n"
                                             "/lantern[0-9]{3}/\nvelvet k*\n*glass tower*\n"),
  };
  for (const Filter& source : sources) {
    const std::string first = saved(source, dir.path / "first.deterdb");
    Result<Filter> loaded = Filter::open((dir.path / "first.deterdb").string());
    REQUIRE(loaded);
    CHECK(saved(loaded.value(), dir.path / "second.deterdb") == first);
  }
}

TEST_CASE("a Hyperscan database spliced from another list set is refused", "[store][forgery]") {
  // Substrings are compiled by Hyperscan (token-aligned phrases are not).
  TempDir dir;
  const std::string victim = header() + "*forbidden orchard*\n*hidden lantern*\n";
  struct Row {
    const char* name;
    std::string donor;
  };
  auto row = GENERATE(values<Row>({
      // The same shape: before the cross-check this loaded and allowed
      // "forbidden orchard" while prompting for "velvet key".
      {"same shape, other words", header() + "*velvet key*\n*glass tower*\n"},
      // More patterns: ids past the victim's atom table (a crash before).
      {"more patterns",
       [] {
         std::string s = header();
         for (int i = 0; i < 40; ++i) s += "*word" + std::to_string(i) + " tower*\n";
         return s;
       }()},
      // Fewer patterns.
      {"fewer patterns", header() + "*velvet key*\n"},
      // The same list set compiled without a view: other literals, same words.
      {"same words, other views",
       header("! views: base\n") + "*forbidden orchard*\n*hidden lantern*\n"},
  }));
  CAPTURE(row.name);
  const std::string good = saved(deter::testing::filter_from(victim), dir.path / "v.deterdb");
  const std::string donor = saved(deter::testing::filter_from(row.donor), dir.path / "d.deterdb");
  const fs::path file = dir.path / "forged.deterdb";
  write(file, splice(good, donor, 0));
  Result<Filter> f = Filter::open(file.string());
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::corrupt);
  CHECK(f.error().file == file.string());
  CHECK_THAT(f.error().message, Catch::Contains("does not agree with its entry table"));

  // Unspliced, it loads and answers as its list says.
  write(file, good);
  Result<Filter> g = Filter::open(file.string());
  REQUIRE(g);
  CHECK(g.value().check("the forbidden orchard").action == Action::prompt);
  CHECK(g.value().check("velvet key").action == Action::allow);
}

TEST_CASE("a compiled file whose records disagree with its entry table is refused",
          "[store][forgery]") {
  TempDir dir;
  const std::string list = header() + "*forbidden orchard*\n/lantern[0-9]{3}/\n";
  const std::string good = saved(deter::testing::filter_from(list), dir.path / "g.deterdb");
  const auto fields = database_fields(good);
  struct Row {
    const char* name;
    std::string bytes;
    const char* message_part;
  };
  std::string no_literals = good;  // the literal database dropped
  no_literals.replace(fields[0].at, fields[0].size, std::string(8, '\0'));
  std::string count = good;  // the literal count edited
  count[fields[0].at - 8 - 32 - 4] ^= 1;
  std::string swapped = good;  // the two databases swapped
  {
    const std::string lit = good.substr(fields[0].at, fields[0].size);
    const std::string re = good.substr(fields[1].at, fields[1].size);
    swapped.replace(fields[1].at, fields[1].size, lit);
    swapped.replace(fields[0].at, fields[0].size, re);
  }
  auto row = GENERATE_COPY(values<Row>({
      {"literal database missing", reseal(no_literals), "database missing"},
      {"literal count edited", reseal(count), "was not compiled from its entry table"},
      {"databases swapped", reseal(swapped), "does not agree with its entry table"},
  }));
  CAPTURE(row.name);
  const fs::path file = dir.path / "bad.deterdb";
  write(file, row.bytes);
  Result<Filter> f = Filter::open(file.string());
  REQUIRE_FALSE(f);
  CHECK(f.error().code == ErrorCode::corrupt);
  CHECK_THAT(f.error().message, Catch::Contains(row.message_part));
}

TEST_CASE("an id a Hyperscan database was not built with never reaches the tables",
          "[store][forgery]") {
  // What the load cannot prove of a regex database: if it ever reports an id
  // that is not one of its patterns, the scan fails (kFlagInternalError, and
  // the fail mode decides) instead of indexing the atom table with it.
  for (unsigned id : {1u, 1000u, 1u << 30}) {
    CAPTURE(id);
    auto impl =
        FilterImpl::compile({{"t.list", header() + "/lantern[0-9]{3}/\n"}}, FilterOptions{});
    REQUIRE(impl.ok());
    REQUIRE(impl.value()->atoms.size() == 1);
    const char* expression = "lantern";
    const unsigned flags = 0;
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    REQUIRE(hs_compile_multi(&expression, &flags, &id, 1, HS_MODE_BLOCK, nullptr, &db, &err) ==
            HS_SUCCESS);
    impl.value()->database.adopt(nullptr, match::HsDatabasePtr(db));
    const Filter f(impl.value());
    const Decision d = f.check("lantern123");
    CHECK(d.has_flag(kFlagInternalError));
    CHECK(d.matches.empty());
    CHECK(f.check("an ordinary query").flags == kFlagNone);
  }
}

TEST_CASE("with trusted keys, only a file signed by one of them loads", "[store][signature]") {
  TempDir dir;
  const Result<SigningKeyPair> fleet = generate_signing_key();
  const Result<SigningKeyPair> other = generate_signing_key();
  REQUIRE(fleet);
  REQUIRE(other);
  CHECK_THAT(fleet.value().public_key, Catch::Contains("deter-ed25519-public "));
  CHECK_THAT(fleet.value().secret_key, Catch::Contains("deter-ed25519-secret "));
  CHECK(fleet.value().public_key != other.value().public_key);

  const Filter source = deter::testing::filter_from(header() + "*forbidden orchard*\n");
  const std::string unsigned_file = saved(source, dir.path / "u.deterdb");
  const std::string signed_file =
      saved(source, dir.path / "s.deterdb", SaveOptions{fleet.value().secret_key});
  const std::string by_other =
      saved(source, dir.path / "o.deterdb", SaveOptions{other.value().secret_key});
  CHECK(signed_file.size() == unsigned_file.size() + 72);
  std::string tampered = signed_file;  // one byte of the body changed, checksum recomputed
  {
    std::string body = tampered.substr(0, tampered.size() - 72);
    body = reseal(edit(body, "orchard", "orchird"));
    tampered = body + tampered.substr(tampered.size() - 72);
  }
  // A header and then garbage: refused for its signature before it is parsed.
  const std::string garbage = unsigned_file.substr(0, 16) + std::string(100, 'x');

  const std::vector<std::string> fleet_keys = {fleet.value().public_key};
  const std::vector<std::string> both = {other.value().public_key, fleet.value().public_key};
  struct Row {
    const char* name;
    std::string bytes;
    std::vector<std::string> keys;
    ErrorCode expected;  // ok: loads
  };
  auto row = GENERATE_COPY(values<Row>({
      {"signed, trusted", signed_file, fleet_keys, ErrorCode::ok},
      {"signed, one of two trusted", signed_file, both, ErrorCode::ok},
      {"signed, no keys configured", signed_file, {}, ErrorCode::ok},
      {"unsigned, no keys configured", unsigned_file, {}, ErrorCode::ok},
      {"unsigned", unsigned_file, fleet_keys, ErrorCode::untrusted},
      {"signed by another key", by_other, fleet_keys, ErrorCode::untrusted},
      {"signed, then tampered with", tampered, fleet_keys, ErrorCode::untrusted},
      {"garbage after a header", garbage, fleet_keys, ErrorCode::untrusted},
      {"a secret key given as trusted",
       signed_file,
       {fleet.value().secret_key},
       ErrorCode::invalid_argument},
      {"not a key", signed_file, {"hello"}, ErrorCode::invalid_argument},
  }));
  CAPTURE(row.name);
  const fs::path file = dir.path / "x.deterdb";
  write(file, row.bytes);
  FilterOptions options;
  options.trusted_keys = row.keys;
  Result<Filter> f = Filter::open(file.string(), options);
  if (row.expected == ErrorCode::ok) {
    REQUIRE(f);
    CHECK(f.value().check("the forbidden orchard").action == Action::prompt);
  } else {
    REQUIRE_FALSE(f);
    CHECK(f.error().code == row.expected);
    if (row.expected == ErrorCode::untrusted) CHECK(f.error().file == file.string());
  }
}

TEST_CASE("signing with something that is not a secret key fails", "[store][signature]") {
  TempDir dir;
  const Filter f = deter::testing::filter_from(header() + "forbidden orchard\n");
  const Result<SigningKeyPair> pair = generate_signing_key();
  REQUIRE(pair);
  for (const std::string& key : {pair.value().public_key, std::string("deter-ed25519-secret 00")}) {
    Result<std::size_t> r = f.save((dir.path / "x.deterdb").string(), SaveOptions{key});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_argument);
  }
  CHECK_FALSE(fs::exists(dir.path / "x.deterdb"));
}

TEST_CASE("a file planted in the cache is recompiled and replaced, not loaded",
          "[store][cache][forgery]") {
  TempDir dir;
  const fs::path lists = dir.path / "lists";
  const fs::path cache = dir.path / "cache";
  fs::create_directories(lists);
  const std::string list = header() + "/orch[a4]rd[0-9]{2}/\n";
  write(lists / "a.list", list);
  FilterOptions options;
  options.cache_dir = cache.string();
  const std::string name =
      store::cache_file_name({{"a.list", list}}, options);  // the file open() will look for

  // The forgery: the same sources, with the regex database of another list
  // set of the same shape spliced in. Nothing short of a key tells it from
  // the real file: loaded directly (unsigned, no trusted keys) it allows
  // what the list prompts for. Planted in the cache, it must not be used.
  fs::create_directories(cache);
  const std::string real =
      saved(Filter::from_sources({{"a.list", list}}, options).value(), dir.path / "r.deterdb");
  const std::string donor =
      saved(deter::testing::filter_from(header() + "/velvet[0-9]{2}/\n"), dir.path / "d.deterdb");
  const std::string forged = splice(real, donor, 1);
  write(dir.path / "forged.deterdb", forged);
  Result<Filter> direct = Filter::open((dir.path / "forged.deterdb").string());
  REQUIRE(direct);
  REQUIRE(direct.value().check("orchard12").action == Action::allow);

  struct Row {
    const char* name;
    std::string bytes;
  };
  auto row = GENERATE_COPY(values<Row>({
      {"untagged", forged},
      {"tagged with another key", store::seal_cache(forged, std::string(32, 'k'))},
      {"garbage", "DETERDB1 garbage"},
  }));
  CAPTURE(row.name);
  write(cache / name, row.bytes);
  Result<Filter> f = Filter::open(lists.string(), options);
  REQUIRE(f);
  CHECK(f.value().check("orchard12").action == Action::prompt);
  // Replaced by a file tagged with this cache's key.
  const std::string now = read(cache / name);
  CHECK(now != row.bytes);
  CHECK_THAT(now, Catch::EndsWith(std::string(store::kCacheTagMark)));

  // The key is private to its owner, and so is every file the cache writes.
  struct stat key {
  }, file{};
  REQUIRE(::stat((cache / "cache.key").c_str(), &key) == 0);
  REQUIRE(::stat((cache / name).c_str(), &file) == 0);
  CHECK((key.st_mode & 0777) == 0600);
  CHECK((file.st_mode & 0777) == 0600);
  CHECK(key.st_size == 32);
}

TEST_CASE("a cache whose key others can read is not used", "[store][cache]") {
  TempDir dir;
  const fs::path lists = dir.path / "lists";
  const fs::path cache = dir.path / "cache";
  fs::create_directories(lists);
  fs::create_directories(cache);
  write(lists / "a.list", header() + "forbidden orchard\n");
  write(cache / "cache.key", std::string(32, 'k'));
  fs::permissions(cache / "cache.key", fs::perms(0644));
  FilterOptions options;
  options.cache_dir = cache.string();
  Result<Filter> f = Filter::open(lists.string(), options);
  REQUIRE(f);
  CHECK(f.value().check("forbidden orchard").action == Action::prompt);
  std::size_t n = 0;
  for (const auto& de : fs::directory_iterator(cache)) n += de.path().extension() == ".deterdb";
  CHECK(n == 0);
}

TEST_CASE("compiled files are created readable by their owner only", "[store]") {
  TempDir dir;
  const mode_t old = ::umask(022);
  const Filter f = deter::testing::filter_from(header() + "forbidden orchard\n");
  const fs::path file = dir.path / "x.deterdb";
  REQUIRE(f.save(file.string()));
  ::umask(old);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a file given to open() is refused by its header and size before it is read",
          "[store][limits]") {
  // Sparse files: 2 GB that cost no disk. Before, each was read whole
  // (9.7 s and 2.1 GB of memory) before its magic was looked at.
  TempDir dir;
  const Filter source = deter::testing::filter_from(header() + "forbidden orchard\n");
  const std::string good = saved(source, dir.path / "good.deterdb");
  struct Row {
    const char* name;
    std::string head;
    ErrorCode code;
    const char* message_part;
  };
  auto row = GENERATE_COPY(values<Row>({
      {"zeros", "", ErrorCode::corrupt, "no DETERDB1 magic"},
      {"a list file", "! deter-list 1\nforbidden orchard\n", ErrorCode::corrupt,
       "no DETERDB1 magic"},
      {"another format", "DETERDB1\x07\0\0\0", ErrorCode::corrupt, "format 7"},
      {"a database header", good.substr(0, 200), ErrorCode::limit, "max_compiled_bytes"},
  }));
  CAPTURE(row.name);
  const fs::path file = dir.path / "big";
  write(file, row.head);
  fs::resize_file(file, std::uintmax_t{2} << 30);
  Result<Filter> f = Filter::open(file.string());
  REQUIRE_FALSE(f);
  CHECK(f.error().code == row.code);
  CHECK(f.error().file == file.string());
  CHECK_THAT(f.error().message, Catch::Contains(row.message_part));

  // The limit is the option's.
  FilterOptions small;
  small.max_compiled_bytes = good.size() - 1;
  write(file, good);
  Result<Filter> g = Filter::open(file.string(), small);
  REQUIRE_FALSE(g);
  CHECK(g.error().code == ErrorCode::limit);
  small.max_compiled_bytes = good.size();
  CHECK(Filter::open(file.string(), small));
}

TEST_CASE("a file's flag of fuzzy by default changes how its sources read, not its tables",
          "[store][fuzzy]") {
  TempDir dir;
  // No views header: fuzzy is on in both entries now; before, only in the
  // one that turned it on.
  const Filter source =
      deter::testing::filter_from(header() + "forbidden orchard\nhidden lantern $views=+fuzzy\n");
  CHECK(source.check("forbidden orchrad").action == Action::prompt);
  const std::string bytes = saved(source, dir.path / "now.deterdb");
  constexpr std::size_t kFlagsAt = store::kMagic.size() + 4;
  REQUIRE((static_cast<unsigned char>(bytes[kFlagsAt]) & store::kFlagListFuzzy) != 0);

  // A file from before fuzzy was on by default is of a format this deter
  // refuses (format 9 stores every entry's views settled); the flag now
  // says only how its sources read. Cleared by hand, the tables decide as
  // they were compiled, and the sources, which read so give other tables,
  // cannot be saved again.
  std::string before = bytes;
  before[kFlagsAt] = static_cast<char>(before[kFlagsAt] & ~store::kFlagListFuzzy);
  write(dir.path / "before.deterdb", reseal(before));
  Result<Filter> old = Filter::open((dir.path / "before.deterdb").string());
  REQUIRE(old);
  CHECK(old.value().check("forbidden orchard").action == Action::prompt);
  CHECK(old.value().check("forbidden orchrad").action == Action::prompt);
  CHECK(old.value().check("hidden lantren").action == Action::prompt);
  CHECK_FALSE(old.value().save((dir.path / "again.deterdb").string()));

  Result<Filter> now = Filter::open((dir.path / "now.deterdb").string());
  REQUIRE(now);
  CHECK(now.value().check("forbidden orchrad").action == Action::prompt);
  CHECK(now.value().check("hidden lantren").action == Action::prompt);
  saved(now.value(), dir.path / "again.deterdb");
}

TEST_CASE("a file saved without its sources decides the same and says what it lacks",
          "[store][strip]") {
  TempDir dir;
  const Filter source = Filter::open(source_path("lists/demo")).value();
  const fs::path file = dir.path / "stripped.deterdb";
  SaveOptions strip;
  strip.strip_sources = true;
  const std::string bytes = saved(source, file, strip);

  // No entry line as written, no example, no comment: only what check() needs.
  for (std::size_t i = 0; i < source.entry_count(); ++i) {
    const std::string line(source.entry(i).source);
    if (line.find('$') != std::string::npos) CHECK(bytes.find(line) == std::string::npos);
  }
  for (const Example& ex : source.examples()) {
    CAPTURE(ex.query);
    CHECK(bytes.find("match: " + ex.query) == std::string::npos);
  }
  CHECK(bytes.find("! name:") == std::string::npos);

  Result<Filter> loaded = Filter::open(file.string());
  REQUIRE(loaded);
  const Filter& f = loaded.value();
  CHECK_FALSE(f.has_sources());
  CHECK(source.has_sources());
  CHECK(f.entry_count() == source.entry_count());
  CHECK(f.content_hash() == source.content_hash());
  CHECK(f.examples().empty());
  CHECK(f.entry(0).source.empty());
  CHECK(f.entry(0).id == source.entry(0).id);
  REQUIRE(f.lists().size() == source.lists().size());
  CHECK(f.lists()[0].version == source.lists()[0].version);
  for (const char* q : kQueries) {
    CAPTURE(q);
    CHECK(summary(f.check(q)) == summary(source.check(q)));
  }
  // Every example query of the demo lists, as a query.
  for (const Example& ex : source.examples()) {
    CAPTURE(ex.query);
    CHECK(summary(f.check(ex.query)) == summary(source.check(ex.query)));
  }
  Decision d = f.check("forbidden orchard", {.locale = "hi"});
  REQUIRE(d.message != nullptr);
  CHECK(d.message->locale == "hi");

  // What needs the sources says so.
  Result<std::size_t> again = f.save((dir.path / "again.deterdb").string());
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error().message, Catch::Contains("stripped of its sources"));
}

TEST_CASE("a stripped file damaged anywhere, checksum recomputed, never crashes a load",
          "[store][strip][robustness]") {
  TempDir dir;
  const Filter source = deter::testing::filter_from(
      header() +
      "forbidden orchard $action=block\n*hidden lantern*\n/lantern[0-9]{3}/\n"
      "velvet & !key\n@@orchard museum\n");
  SaveOptions strip;
  strip.strip_sources = true;
  const std::string bytes = saved(source, dir.path / "s.deterdb", strip);
  const fs::path file = dir.path / "damaged.deterdb";
  std::size_t refused = 0;
  for (std::size_t pos = 16; pos + 8 < bytes.size(); pos += 1 + pos / 128) {
    for (unsigned char flip : {0x01, 0x80, 0xFF}) {
      std::string damaged = bytes;
      damaged[pos] = static_cast<char>(damaged[pos] ^ flip);
      write(file, reseal(damaged));
      Result<Filter> f = Filter::open(file.string());
      if (!f) {
        ++refused;
        CHECK(f.error().code == ErrorCode::corrupt);
        continue;
      }
      for (const char* q : kQueries) (void)f.value().check(q);
      (void)f.value().check("lantern123 velvet forbidden orchard hidden lantern");
    }
  }
  CHECK(refused > 0);
}

namespace {

// Offsets, in a compiled file, of the parts of its token index
// (TokenIndex::save: counts, shifts, a directory of its arrays, the arrays)
// that the forgeries below edit.
struct TokenParts {
  std::size_t start = 0;  // of the index, after its length
  std::size_t slot_directory = 0, slots = 0, slot_count = 0;
  std::size_t first_shift = 0;
  std::size_t nodes = 0, node_count = 0;  // 12 bytes: begin, end, u16 heads, u8 children, u8 0
  std::size_t phrases = 0, phrase_count = 0;  // 12 bytes: id, text offset, size
};

TokenParts token_parts(const std::string& b) {
  const Field f = database_fields(b)[2];
  TokenParts t;
  t.start = f.at + 8;
  t.first_shift = t.start + 8 + 4;
  const std::size_t directory = t.start + 24;  // (u64 offset, u64 count) per array
  t.slot_directory = directory;
  t.slots = t.start + le64(b, directory);
  t.slot_count = le64(b, directory + 8);
  t.nodes = t.start + le64(b, directory + 16 * 5);
  t.node_count = le64(b, directory + 16 * 5 + 8);
  t.phrases = t.start + le64(b, directory + 16 * 6);
  t.phrase_count = le64(b, directory + 16 * 6 + 8);
  return t;
}

void put32(std::string& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (8 * i));
}

// Where the first atom's 16 bytes begin.
std::size_t first_atom(const std::string& b) {
  std::size_t at = database_fields(b)[3].at + 4;
  while (at % 8 != 0) ++at;
  return at;
}

}  // namespace

TEST_CASE("a token index or atom table forged within a compiled file is refused",
          "[store][forgery]") {
  TempDir dir;
  const std::string list =
      header() + "forbidden orchard\nhidden lantern\nvelvet key*\n/lantern[0-9]{3,}/\n";
  const std::string good = saved(deter::testing::filter_from(list), dir.path / "g.deterdb");
  const TokenParts t = token_parts(good);
  // The regex's atom: the last, as its entry is.
  const auto regex_atom = le32(good, database_fields(good)[3].at) - 1;
  REQUIRE(t.phrase_count >= 2);
  auto forged = [&](auto&& change) {
    std::string b = good;
    change(b);
    return reseal(b);
  };
  struct Row {
    const char* name;
    std::string bytes;
    const char* message_part;
  };
  auto row = GENERATE_COPY(values<Row>({
      {"a slot names a node past the table", forged([&](std::string& b) {
         for (std::size_t i = 0; i < t.slot_count; ++i) {
           const std::size_t at = t.slots + 8 * i;
           if (le32(b, at) != 0 && (le32(b, at + 4) & 7u) != 0) {
             put32(b, at + 4, (0xFFFFFu << 3) | (le32(b, at + 4) & 7u));
             return;
           }
         }
       }),
       "token index"},
      // find() probes until it meets an empty slot.
      {"no empty slot", forged([&](std::string& b) {
         for (std::size_t i = 0; i < t.slot_count; ++i) {
           if (le32(b, t.slots + 8 * i) == 0) put32(b, t.slots + 8 * i, 1);
         }
       }),
       "no empty slot"},
      // Used where they lie: a count that would reach past the file is
      // refused before any slot is read.
      {"a slot count past the file",
       forged([&](std::string& b) { put32(b, t.slot_directory + 8, 1u << 28); }),
       "malformed compiled database (token index at byte"},
      {"a slot count that moves the arrays after it",
       forged([&](std::string& b) { put32(b, t.slot_directory + 8, le32(b, t.slot_directory + 8) / 2); }),
       "out of place"},
      {"the slots off a multiple of 8 bytes",
       forged([&](std::string& b) { put32(b, t.slot_directory, le32(b, t.slot_directory) + 4); }),
       "misaligned"},
      {"a filled slot emptied", forged([&](std::string& b) {
         for (std::size_t i = 0; i < t.slot_count; ++i) {
           if (le32(b, t.slots + 8 * i) != 0) {
             put32(b, t.slots + 8 * i, 0);
             return;
           }
         }
       }),
       "token index"},
      {"a filter of another size than its shift reads",
       forged([&](std::string& b) { put32(b, t.first_shift, le32(b, t.first_shift) - 1); }),
       "token index"},
      {"a node's phrases past the table",
       forged([&](std::string& b) { put32(b, t.nodes + 4, 0xFFFFu); }), "a node is malformed"},
      {"a node's phrases ending before they begin", forged([&](std::string& b) {
         put32(b, t.nodes + 12 * (t.node_count - 1), 1);
         put32(b, t.nodes + 12 * (t.node_count - 1) + 4, 0);
       }),
       "a node is malformed"},
      {"a prefix head longer than 8 bytes",
       forged([&](std::string& b) { put32(b, t.nodes + 8, le32(b, t.nodes + 8) | 0x200u); }),
       "a node is malformed"},
      // Read as a byte where it lies: only 0 and 1 are a bool.
      {"a node's has-children byte neither 0 nor 1",
       forged([&](std::string& b) { b[t.nodes + 10] = 2; }), "a node is malformed"},
      {"a phrase id past the atom table",
       forged([&](std::string& b) { put32(b, t.phrases, 0xFFFFFFu); }), "token index"},
      // The regex atom (key*) has no literal text to point at.
      {"a phrase id of an atom with no token literal",
       forged([&](std::string& b) { put32(b, t.phrases, regex_atom); }), "token index"},
      {"a phrase's text offset off its literal",
       forged([&](std::string& b) { put32(b, t.phrases + 4, le32(b, t.phrases + 4) + 1); }),
       "a literal reference is malformed"},
      {"a phrase's text past the file",
       forged([&](std::string& b) { put32(b, t.phrases + 8, 0xFFFFFFu); }),
       "a literal reference is malformed"},
      {"the token index missing", forged([&](std::string& b) {
         replace_part(b, 2, "");
       }),
       "token index"},
      {"the token index a byte off a multiple of 8", forged([&](std::string& b) {
         b.insert(database_fields(b)[2].at, 1, '\0');
       }),
       "malformed compiled database"},
      // In bounds, but answering for the wrong entries.
      {"two phrases swapped", forged([&](std::string& b) {
         const std::size_t last = t.phrases + 12 * (t.phrase_count - 1);
         const std::string a = b.substr(t.phrases, 12);
         b.replace(t.phrases, 12, b.substr(last, 12));
         b.replace(last, 12, a);
       }),
       "does not agree with its entry table"},
      // The atoms, 16 bytes each from a multiple of 8 (format 13).
      {"an atom's entry past the entries",
       forged([&](std::string& b) { put32(b, first_atom(b), 0x7FFFu); }), "is malformed"},
      // The first atom made one of the second entry's (a phrase too): the
      // next, the first entry's, then comes too late.
      {"atoms out of entry order", forged([&](std::string& b) { put32(b, first_atom(b), 1); }),
       "atom 1 at byte"},
      {"a flag that is neither 0 nor 1",
       forged([&](std::string& b) { b[first_atom(b) + 14] = 2; }), "is malformed"},
      {"a view past the last", forged([&](std::string& b) { b[first_atom(b) + 12] = 0x40; }),
       "is malformed"},
      {"a regex flag on a phrase's atom",
       forged([&](std::string& b) { b[first_atom(b) + 13] = 1; }), "is not of its pattern's kind"},
      {"more atoms than bytes", forged([&](std::string& b) {
         put32(b, database_fields(b)[3].at, 0x7FFFFFFu);
       }),
       "truncated"},
  }));
  CAPTURE(row.name);
  refused_as_corrupt(dir, row.bytes, row.message_part);
}

TEST_CASE("entry tables forged within a compiled file are refused, saying where",
          "[store][forgery]") {
  TempDir dir;
  const std::string list = header() + "forbidden orchard\n@@orchard museum\n*hidden lantern*\n";
  const std::string good = saved(deter::testing::filter_from(list), dir.path / "g.deterdb");
  const auto fields = database_fields(good);
  const std::size_t names = fields[8].at;
  // The first entry's 48 bytes (format 15: rules::EntryTable::Record), after
  // the count and zeros to a multiple of 8; then the ids and the patterns.
  std::size_t first = fields[9].at + 4;
  while (first % 8 != 0) ++first;
  const std::uint32_t entry_count = le32(good, fields[9].at);
  REQUIRE(entry_count == 3);
  const std::size_t ids = first + 48 * entry_count;  // u64 size, then the ids
  std::size_t patterns = ids + 8 + le64(good, ids) + 4;
  while (patterns % 8 != 0) ++patterns;
  auto forged = [&](auto change) {
    std::string b = good;
    change(b);
    return reseal(b);
  };
  const std::string at = "entry 0 at byte " + std::to_string(first) + " ";
  const std::string at1 = "entry 1 at byte " + std::to_string(first + 48) + " ";
  struct Row {
    const char* name;
    std::string bytes;
    std::string message_part;
  };
  auto row = GENERATE_COPY(values<Row>({
      // An entry's bytes: kind, scope, action, fuzzy action, severity,
      // three zeros, views, line, id (where, how long), patterns (first,
      // how many), file, category, message, locale.
      {"a kind past exception", forged([&](std::string& b) { b[first] = 3; }), at + "is malformed"},
      {"a scope that is no bool", forged([&](std::string& b) { b[first + 1] = 2; }),
       at + "is malformed"},
      {"an action past block", forged([&](std::string& b) { b[first + 2] = 4; }),
       at + "is malformed"},
      {"a zero that is not", forged([&](std::string& b) { b[first + 6] = 1; }), at + "is malformed"},
      {"views without the base view", forged([&](std::string& b) { put32(b, first + 8, 2); }),
       at + "is malformed"},
      {"an id past the ids", forged([&](std::string& b) { put32(b, first + 16, 0xFFFFFFu); }),
       at + "is malformed"},
      {"an id without its NUL", forged([&](std::string& b) {
         put32(b, first + 20, le32(b, first + 20) + 1);
       }),
       at + "is malformed"},
      {"patterns not after the last entry's", forged([&](std::string& b) {
         put32(b, first + 48 + 24, le32(b, first + 48 + 24) + 1);
       }),
       at1 + "is malformed"},
      {"no patterns", forged([&](std::string& b) { put32(b, first + 28, 0); }), at + "is malformed"},
      {"a file past the names", forged([&](std::string& b) { put32(b, first + 32, 0x7Fu); }),
       at + "names a string past the table of names"},
      {"a locale past the names", forged([&](std::string& b) { put32(b, first + 44, 0x7Fu); }),
       at + "names a string past the table of names"},
      // fuzz_store, format 12: an entry whose id was its file and line, with
      // no names at all, read a name past the table before the entry was
      // refused (fuzz/regressions/store/entry-file-name-without-names).
      {"no names at all", forged([&](std::string& b) {
         // The count 0, the entry count, then zeros again to the records.
         std::string head(4, '\0');
         head += b.substr(fields[9].at, 4);
         while ((names + head.size()) % 8 != 0) head.push_back('\0');
         b.replace(names, first - names, head);
       }),
       "names a string past the table of names"},
      {"a name given twice", forged([&](std::string& b) {
         // The second name made the first's: its size, then its bytes.
         const std::size_t one = names + 4;
         const std::size_t size = le64(b, one);
         const std::size_t two = one + 8 + size;
         const std::size_t size2 = le64(b, two);
         b.replace(two, 8 + size2, b.substr(one, 8 + size));
       }),
       "a name is given twice"},
      {"a pattern kind past regex", forged([&](std::string& b) { b[patterns] = 4; }),
       "pattern 0 at byte"},
      {"a negation that is no bool", forged([&](std::string& b) { b[patterns + 1] = 2; }),
       "pattern 0 at byte"},
      {"more names than bytes", forged([&](std::string& b) { b[names + 3] = 0x7F; }), "truncated"},
      {"more entries than bytes", forged([&](std::string& b) { put32(b, fields[9].at, 0x7FFFFFu); }),
       "truncated"},
      {"more patterns than bytes",
       forged([&](std::string& b) { put32(b, ids + 8 + le64(b, ids), 0x7FFFFFu); }), "truncated"},
  }));
  CAPTURE(row.name);
  refused_as_corrupt(dir, row.bytes, row.message_part.c_str());
}

namespace {

// A forged file: `good` changed by `change`, its checksum recomputed.
template <class Change>
std::string forge(const std::string& good, Change&& change) {
  std::string b = good;
  change(b);
  return reseal(b);
}

// A row of the forged-file tests: the file, and what its error must say.
struct ForgedRow {
  const char* name;
  std::string bytes;
  const char* message_part;
};

// Where each array of a part of text/stored.h arrays begins (its u64
// count), given each array's element size; the part's bytes begin at
// `start`, a multiple of 8.
std::vector<std::size_t> stored_arrays(const std::string& b, std::size_t start,
                                       std::initializer_list<std::size_t> sizes) {
  std::vector<std::size_t> out;
  std::size_t at = start;
  for (const std::size_t size : sizes) {
    at = start + ((at - start + 7) & ~std::size_t{7});
    out.push_back(at);
    at += 8 + size * le64(b, at);
  }
  return out;
}

}  // namespace

// The completion index is stored finished and used where it lies: its
// texts, its items (five u32: literal offset and length, atom, completion
// offset and length) in sorted order, its first words' hashes.
TEST_CASE("a completion index forged within a compiled file is refused", "[store][forgery]") {
  TempDir dir;
  const std::string list =
      header() + "forbidden orchard\nhidden lantern\nvelvet key*\n/lantern[0-9]{3,}/\n";
  const std::string good = saved(deter::testing::filter_from(list), dir.path / "g.deterdb");
  const Field f = database_fields(good)[4];
  const std::vector<std::size_t> a = stored_arrays(good, f.at + 8, {1, 20, 8});
  const std::size_t chars = le64(good, a[0]);
  const std::size_t items = a[1] + 8;
  REQUIRE(le64(good, a[1]) >= 3);
  REQUIRE(le64(good, a[2]) >= 2);
  const auto atom_count = le32(good, database_fields(good)[3].at);
  auto forged = [&](auto&& change) { return forge(good, change); };
  auto row = GENERATE_COPY(values<ForgedRow>({
      {"missing", forged([&](std::string& b) { replace_part(b, 4, ""); }),
       "(completion index at byte"},
      {"cut short", forged([&](std::string& b) { put32(b, f.at, le32(b, f.at) - 8); }),
       "malformed compiled database"},
      // Used where they lie: a count past the part is refused before any
      // item is read.
      {"an item count past the part", forged([&](std::string& b) { put32(b, a[1], 1u << 30); }),
       "completion index"},
      {"padding that is not zeros", forged([&](std::string& b) {
         if (a[1] != a[0] + 8 + chars)
           b[a[0] + 8 + chars] = 'x';
         else
           put32(b, a[1], 1u << 30);
       }),
       "completion index"},
      {"a literal past the texts", forged([&](std::string& b) { put32(b, items, 0xFFFFFF00u); }),
       "an item is malformed"},
      {"a literal long enough to wrap",
       forged([&](std::string& b) { put32(b, items + 4, 0xFFFFFFFFu); }), "an item is malformed"},
      {"a completion past the texts",
       forged([&](std::string& b) { put32(b, items + 12, static_cast<std::uint32_t>(chars)); }),
       "an item is malformed"},
      // Every search begins at a word, with a space.
      {"a literal that does not begin a word",
       forged([&](std::string& b) { put32(b, items, le32(b, items) + 1); }),
       "an item is malformed"},
      {"an atom past the atom table",
       forged([&](std::string& b) { put32(b, items + 8, atom_count); }), "an item is malformed"},
      {"first words out of order", forged([&](std::string& b) {
         const std::string first = b.substr(a[2] + 8, 8);
         b.replace(a[2] + 8, 8, b.substr(a[2] + 16, 8));
         b.replace(a[2] + 16, 8, first);
       }),
       "out of order"},
  }));
  CAPTURE(row.name);
  refused_as_corrupt(dir, row.bytes, row.message_part);
}

// The fuzzy indexes are stored finished (FuzzyIndex::save), with what was
// built from them, and read without sorting or building: every index into
// another array, every word's UTF-8, and what a lookup relies on (a table's
// last gap, a filter's size) are checked.
TEST_CASE("a fuzzy index forged within a compiled file is refused", "[store][forgery]") {
  TempDir dir;
  const std::string list = header() +
                           "forbidden orchard\nhidden lantern*\nmoonlit bazaar*\nvelvet key*\n"
                           "/lantern[0-9]{3,}/\n";
  const Filter compiled = deter::testing::filter_from(list);
  const std::string good = saved(compiled, dir.path / "g.deterdb");
  const Field f = database_fields(good)[6];
  // kind; words (ends, bytes); runs, words run together (ends, bytes);
  // hashes; deletion keys (hashes, words); runs' keys (hashes, runs);
  // prefix words (ends, bytes); rekeyed keys and texts (ends, bytes each);
  // rekeyed (hashes, texts, keys, deleted); then what finish() builds from
  // them (format 12): four u64 (shifts and bits, the longest prefix word,
  // two filter masks); the root's letters and children; the trie (nodes of
  // four u32: letter, first child, children, word); the words' letters
  // (code points, where each word's begin); the buckets of the keys and
  // of the runs' keys; then, each from a cache line, the words' slots, two
  // prefix filters and three line filters.
  const std::vector<std::size_t> a =
      stored_arrays(good, f.at + 8, {0, 8, 1, 8, 1, 8, 8, 4, 8, 4, 8, 1, 8, 1, 8, 1, 8, 4, 4, 1,
                                     0, 0, 0, 0, 8, 4, 16, 4, 4, 4, 4});
  const std::size_t trie = a[26] + 8;
  const std::size_t letters_at = a[28];
  const std::size_t key_buckets = a[29];
  // The arrays from a cache line on: zeros, then each at a multiple of 64
  // from the part's start (text/stored.h Writer::lines).
  std::vector<std::size_t> lines;
  for (std::size_t at = a[30] + 8 + 4 * le64(good, a[30]), k = 0; k < 6; ++k) {
    while ((at + 8 - (f.at + 8)) % 64 != 0) ++at;
    lines.push_back(at);
    at += 8 + 8 * le64(good, at);
  }
  REQUIRE(lines.back() + 8 + 8 * le64(good, lines.back()) == f.at + f.size);
  REQUIRE(le64(good, a[26]) >= 3);  // the root and a child each of "lantern" and "bazaar"
  const std::size_t word_bytes = a[2] + 8;
  const std::size_t run_ends = a[3];
  const std::size_t key_words = a[7];
  const std::size_t run_words = a[9];
  const std::size_t prefix_ends = a[10];
  REQUIRE(le64(good, a[1]) >= 3);
  REQUIRE(le64(good, run_ends) >= 2);  // forbiddenorchard, hiddenlantern
  REQUIRE(le64(good, key_words) >= 3);
  REQUIRE(le64(good, prefix_ends) >= 2);  // lantern, bazaar
  {
    // A typo decides the same in the file as in the list set.
    Result<Filter> loaded = Filter::open((dir.path / "g.deterdb").string());
    REQUIRE(loaded);
    // Runs too, used where they lie in the file: a typo inside the run, a
    // letter added at its end (no typo of it), and a run itself.
    for (const char* q : {"forbiden orchard", "hiden lanterns", "moonlit bazsaars", "velvet kye",
                          "#forbiddenorchrad", "forbiddenorchards", "#forbiddenorchard"}) {
      CAPTURE(q);
      CHECK(summary(loaded.value().check(q)) == summary(compiled.check(q)));
    }
    CHECK(loaded.value().check("#forbiddenorchrad").action == Action::prompt);
    CHECK(loaded.value().check("forbiddenorchards").action == Action::allow);
  }
  auto forged = [&](auto&& change) { return forge(good, change); };
  auto row = GENERATE_COPY(values<ForgedRow>({
      {"missing", forged([&](std::string& b) { replace_part(b, 6, ""); }),
       "(fuzzy index at byte"},
      {"the index of keys in place of that of words", forged([&](std::string& b) {
         const Field k = database_fields(b)[7];
         b.replace(f.at, f.size, b.substr(k.at, k.size));
       }),
       "another kind"},
      {"a word's end past its bytes", forged([&](std::string& b) { put32(b, a[1] + 8, 0xFFFFu); }),
       "fuzzy index"},
      {"a word that is not UTF-8",
       forged([&](std::string& b) { b[word_bytes] = static_cast<char>(0xF0); }),
       "a word is not one the index takes"},
      {"a word with a digit", forged([&](std::string& b) { b[word_bytes] = '7'; }),
       "a word is not one the index takes"},
      // A word's bytes past its last eight-byte step are read a character
      // at a time, as a run's are (below).
      {"a digit at the end of the first word",
       forged([&](std::string& b) { b[word_bytes + le64(b, a[1] + 8) - 1] = '7'; }),
       "a word is not one the index takes"},
      {"a word that ends in half a letter", forged([&](std::string& b) {
         b[word_bytes + le64(b, a[1] + 8) - 1] = static_cast<char>(0xE0);
       }),
       "a word is not one the index takes"},
      {"a deletion key naming no word",
       forged([&](std::string& b) { put32(b, key_words + 8, 0xFFFFu); }), "a deletion key"},
      {"deletion keys out of order",
       forged([&](std::string& b) { b.replace(a[6] + 8, 8, std::string(8, '\xff')); }),
       "a deletion key"},
      // near_runs() decodes a run where it lies, trusting load() to have.
      {"a run's end past its bytes", forged([&](std::string& b) { put32(b, run_ends + 8, 0xFFFFu); }),
       "fuzzy index"},
      {"a run with a digit", forged([&](std::string& b) { b[a[4] + 8] = '7'; }),
       "a run is not one the index takes"},
      {"a run that is not UTF-8", forged([&](std::string& b) { b[a[4] + 8] = static_cast<char>(0xC3); }),
       "a run is not one the index takes"},
      // The last bytes of a run, past its last eight-byte step (runs of 16
      // and 13 bytes), are read a character at a time.
      {"a digit at the end of the first run",
       forged([&](std::string& b) { b[a[4] + 8 + le64(b, run_ends + 8) - 1] = '7'; }),
       "a run is not one the index takes"},
      {"a digit at the end of the second run",
       forged([&](std::string& b) { b[a[4] + 8 + le64(b, run_ends + 16) - 1] = '7'; }),
       "a run is not one the index takes"},
      // E0 then A0-BF is a three-byte letter (the Indic blocks' fast path);
      // E0 then 9F is the overlong form of one.
      {"a run with an overlong three-byte letter",
       forged([&](std::string& b) { b.replace(a[4] + 8, 3, "\xE0\x9F\xBF"); }),
       "a run is not one the index takes"},
      {"a run that ends in half a letter", forged([&](std::string& b) {
         b[a[4] + 8 + le64(b, run_ends + 16) - 1] = static_cast<char>(0xE0);
       }),
       "a run is not one the index takes"},
      {"a run's key naming no run", forged([&](std::string& b) { put32(b, run_words + 8, 0xFFFFu); }),
       "a run's key is malformed"},
      {"runs' keys out of order",
       forged([&](std::string& b) { b.replace(a[8] + 8, 8, std::string(8, '\xff')); }),
       "a run's key is malformed"},
      // What finish() built, read where it lies (format 12).
      {"a trie node's children past the trie",
       forged([&](std::string& b) { put32(b, trie + 4, 0xFFFFu); }), "its prefix trie is malformed"},
      {"a trie node's word past the prefix words", forged([&](std::string& b) {
         put32(b, trie + 16 + 12, 0xFFFFu);
       }),
       "its prefix trie is malformed"},
      {"a root child past the trie", forged([&](std::string& b) {
         put32(b, a[25] + 8 + 4 * ('l' & 1023), 0xFFFFu);
       }),
       "its prefix trie is malformed"},
      {"a word's letters past their pool", forged([&](std::string& b) {
         put32(b, letters_at + 8 + 4, 0xFFFFu);
       }),
       "its letters disagree with its words"},
      {"a word of too few letters", forged([&](std::string& b) {
         put32(b, letters_at + 8 + 4, le32(b, letters_at + 8 + 8));
       }),
       "a word is too short"},
      {"a bucket past its keys", forged([&](std::string& b) {
         put32(b, key_buckets + 8 + 4, 0xFFFFFFu);
       }),
       "a bucket table is malformed"},
      {"words' slots without their last gap", forged([&](std::string& b) {
         const std::size_t n = le64(b, lines[0]);
         b.replace(lines[0] + 8 * n, 8, std::string(8, '\0'));
       }),
       "its words' slots are malformed"},
      {"a filter of no power of two lines", forged([&](std::string& b) {
         put32(b, lines[3], static_cast<std::uint32_t>(le64(b, lines[3]) - 8));
       }),
       "fuzzy index"},
      {"an array count past the part", forged([&](std::string& b) { put32(b, a[5], 1u << 30); }),
       "fuzzy index"},
  }));
  CAPTURE(row.name);
  refused_as_corrupt(dir, row.bytes, row.message_part);
}

TEST_CASE("a compiled file's completions decide as the list set's do", "[store][partial]") {
  TempDir dir;
  const std::string list = header() +
                           "forbidden orchard\nhidden lantern $action=block\nvelvet key*\n"
                           "@@hidden lantern festival\n";
  const Filter compiled = deter::testing::filter_from(list);
  saved(compiled, dir.path / "c.deterdb");
  Result<Filter> loaded = Filter::open((dir.path / "c.deterdb").string());
  REQUIRE(loaded);
  for (const char* typed : {"forb", "the hidden lan", "velvet", "hidden lantern fes", "orch",
                            "forbidden orchard and hid"}) {
    CAPTURE(typed);
    const Decision a = compiled.check_partial(typed);
    const Decision b = loaded.value().check_partial(typed);
    CHECK(a.action == b.action);
    CHECK(a.matches.size() == b.matches.size());
  }
}

// A compiled file's token index is used where it lies in the file's
// mapping, which the filter keeps for as long as it is used; bytes that do
// not begin at a multiple of 8 (or are not kept) are copied first.
TEST_CASE("a compiled file is used where it lies, for as long as its filter is",
          "[store][mmap]") {
  TempDir dir;
  const Filter source = deter::testing::filter_from(
      header() + "forbidden orchard $action=block\nhidden lant*\n*velvet key*\n/lantern[0-9]{3}/\n");
  const fs::path file = dir.path / "m.deterdb";
  const std::string bytes = saved(source, file);
  const char* queries[] = {"a forbidden orchard", "hidden lanterns", "avelvet keys", "lantern123",
                           "an orchard"};
  std::optional<Filter> f;
  {
    Result<Filter> opened = Filter::open(file.string());
    REQUIRE(opened);
    f.emplace(opened.value());
  }
  fs::remove(file);  // the mapping outlives the name
  for (const char* q : queries) {
    CAPTURE(q);
    CHECK(summary(f->check(q)) == summary(source.check(q)));
  }
  std::string shifted = "x" + bytes;
  auto impl = deter::store::deserialize(std::string_view(shifted).substr(1), FilterOptions{},
                                        "shifted", std::make_shared<int>(0));
  REQUIRE(impl);
  shifted.assign(shifted.size(), '\0');  // a copy was made: this buffer is not used
  const Filter g(impl.value());
  for (const char* q : queries) {
    CAPTURE(q);
    CHECK(summary(g.check(q)) == summary(source.check(q)));
  }
}

// The spaced view's entry words are stored finished (EntryWords::save) and
// read with every size and bucket checked, and the words of the literals
// (all of them in a small list set) must be among them.
TEST_CASE("entry words forged within a compiled file are refused", "[store][forgery]") {
  TempDir dir;
  const std::string list = header() + "forbidden orchard\nhidden lantern*\n";
  const std::string good = saved(deter::testing::filter_from(list), dir.path / "g.deterdb");
  const Field f = database_fields(good)[5];
  const std::size_t start = f.at + 8;  // u64 bits, u64 mask, then u64 count and words
  const std::size_t words = le64(good, start + 16);
  REQUIRE(words >= 2);
  const std::size_t buckets = start + 24 + 8 * words;  // u64 count, then u32 each
  const std::size_t bucket_count = le64(good, buckets);
  auto forged = [&](auto&& change) {
    std::string b = good;
    change(b);
    return reseal(b);
  };
  struct Row {
    const char* name;
    std::string bytes;
    const char* message_part;
  };
  auto row = GENERATE_COPY(values<Row>({
      {"cut", forged([&](std::string& b) {
         replace_part(b, 5, b.substr(start, 16));
       }),
       "(entry words at byte"},
      {"a bucket past the words",
       forged([&](std::string& b) { put32(b, buckets + 8 + 4 * (bucket_count - 2), 0xFFFFu); }),
       "(entry words at byte"},
      {"buckets out of order", forged([&](std::string& b) { put32(b, buckets + 8, 1); }),
       "(entry words at byte"},
      {"a filter that is not its mask's size",
       forged([&](std::string& b) { put32(b, start + 8, le32(b, start + 8) * 2 + 1); }),
       "(entry words at byte"},
      {"a word another deter would not find",
       forged([&](std::string& b) { b[start + 24] = static_cast<char>(b[start + 24] ^ 1); }),
       "entry words are not the ones"},
      // The first pieces' filter (format 10) is the part's last array: one
      // word fewer makes a size no mask reads.
      {"a first-piece filter that is not a power of two", forged([&](std::string& b) {
         const std::size_t end = f.at + f.size;
         std::size_t count = 1;
         while (count < (1u << 20) && le64(b, end - 8 * count - 8) != count) count *= 2;
         REQUIRE(count >= 4);
         put32(b, end - 8 * count - 8, static_cast<std::uint32_t>(count - 1));
         replace_part(b, 5, b.substr(f.at + 8, f.size - 16));  // its last word left out
       }),
       "(entry words at byte"},
  }));
  CAPTURE(row.name);
  refused_as_corrupt(dir, row.bytes, row.message_part);
}

TEST_CASE("entry words hold the words added to a part, an open-ended one as open-ended",
          "[store]") {
  // What a loader asks of the words it finds in a sample of literals:
  // contains_added reads the part's words as added, without finishing it.
  text::EntryWords stored;
  stored.add("forbidden orchard");
  stored.add("kebun terlarang", true);
  stored.finish();
  auto part_of = [](std::string_view text, bool open_end) {
    text::EntryWords part;
    part.add(text, open_end);
    return part;
  };
  CHECK(stored.contains_added(text::EntryWords()));
  CHECK(stored.contains_added(part_of("orchard forbidden", false)));
  CHECK(stored.contains_added(part_of("kebun terlarang", true)));
  CHECK(stored.contains_added(part_of("terlarang", false)));  // an open-ended word is a word too
  CHECK_FALSE(stored.contains_added(part_of("forbidden orchid", false)));
  CHECK_FALSE(stored.contains_added(part_of("orchard", true)));  // not open-ended there
}
