// Hot reload: checks on several threads while another thread swaps list
// versions; every decision must be exactly what one version decides, a
// failed reload keeps the old version serving, and decisions stay valid
// after their version has been replaced.
#include <deter/reloader.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_util.h"

using namespace deter;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) {
    path = fs::temp_directory_path() / ("deter-reload-test-" + name + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

const std::string kVersionA =
    "! deter-list 1\n! category: version-a\n"
    "forbidden orchard\n"
    "hidden lantern $action=block\n";
const std::string kVersionB =
    "! deter-list 1\n! category: version-b\n"
    "forbidden orchard $action=block\n"
    "hidden lantern $action=inform\n"
    "moonlit bazaar*\n";

// Everything a caller can see of a decision, as one string.
std::string signature(const Decision& d) {
  std::string s = std::string(to_string(d.action)) + "|" + std::string(d.category) + "|" +
                  std::to_string(d.severity) + "|" + std::string(d.message_key);
  for (const Match& m : d.matches) {
    s += "|" + std::string(m.entry_id) + ":" + std::string(m.category) + ":" +
         std::string(to_string(m.action)) + ":" + std::to_string(m.begin) + "-" +
         std::to_string(m.end);
  }
  return s;
}

const std::vector<std::string> kQueries = {
    "forbidden orchard and the hidden lantern at moonlit bazaars",
    "moonlit bazaar",
    "hidden lantern",
    "an ordinary question about rivers",
};

}  // namespace

TEST_CASE("checks during 200+ reloads see exactly one version each", "[reload][threads]") {
  TempDir dir("stress");
  write(dir.path / "a" / "v.list", kVersionA);
  write(dir.path / "b" / "v.list", kVersionB);
  Filter a = Filter::open((dir.path / "a").string()).value();
  Filter b = Filter::open((dir.path / "b").string()).value();
  // Version B also as a compiled database: reloads alternate the two forms.
  REQUIRE(b.save((dir.path / "b.deterdb").string()));

  std::vector<std::pair<std::string, std::string>> expected;  // (A's, B's) per query
  for (const std::string& q : kQueries) {
    expected.emplace_back(signature(a.check(q)), signature(b.check(q)));
  }
  REQUIRE(expected[0].first != expected[0].second);
  REQUIRE(expected[1].first != expected[1].second);

  Reloader reloader(a);
  CHECK(reloader.version() == 1);
  std::atomic<bool> stop{false};
  std::atomic<long> checks{0}, torn{0}, saw_a{0}, saw_b{0};
  std::vector<std::thread> checkers;
  for (int t = 0; t < 4; ++t) {
    checkers.emplace_back([&, t] {
      std::vector<Decision> kept;  // decisions outliving their version
      std::size_t i = static_cast<std::size_t>(t);
      while (!stop.load(std::memory_order_relaxed)) {
        const std::size_t qi = i++ % kQueries.size();
        Decision d = reloader.check(kQueries[qi]);
        std::string s = signature(d);
        if (s == expected[qi].first) {
          ++saw_a;
        } else if (s == expected[qi].second) {
          ++saw_b;
        } else {
          ++torn;
        }
        if (qi == 0 && kept.size() < 64) kept.push_back(std::move(d));
        ++checks;
      }
      // Their tables are still alive: reading them is safe (ASan checks).
      for (const Decision& d : kept) {
        if (signature(d) != expected[0].first && signature(d) != expected[0].second) ++torn;
      }
    });
  }

  int failures = 0;
  const int kReloads = 240;
  for (int r = 0; r < kReloads; ++r) {
    std::string next =
        r % 2 == 0 ? (r % 4 == 0 ? (dir.path / "b.deterdb").string() : (dir.path / "b").string())
                   : (dir.path / "a").string();
    Result<std::uint64_t> v = reloader.reload(next);
    if (!v || v.value() != static_cast<std::uint64_t>(r) + 2) ++failures;
    // Let the checkers run a little on each version.
    for (long until = checks.load() + 20; checks.load() < until && !stop;)
      std::this_thread::yield();
  }
  stop = true;
  for (auto& t : checkers) t.join();
  CHECK(failures == 0);
  CHECK(torn == 0);
  CHECK(saw_a > 0);
  CHECK(saw_b > 0);
  CHECK(reloader.version() == kReloads + 1);
  INFO("checks: " << checks.load());
}

TEST_CASE("a failed reload keeps the old version and says why", "[reload][errors]") {
  TempDir dir("failed");
  write(dir.path / "good" / "v.list", kVersionA);
  write(dir.path / "bad" / "v.list", "! deter-list 1\nforbidden orchard $action=shout\n");
  Reloader reloader;
  CHECK(reloader.version() == 0);
  CHECK_FALSE(reloader.current().has_value());
  REQUIRE(reloader.reload((dir.path / "good").string()));
  CHECK(reloader.version() == 1);

  Result<std::uint64_t> r = reloader.reload((dir.path / "bad").string());
  REQUIRE_FALSE(r);
  CHECK(r.error().to_string() ==
        "v.list:2:27: unknown action 'shout' (expected allow, inform, "
        "prompt or block)");
  REQUIRE(reloader.last_error().has_value());
  CHECK(reloader.last_error()->line == 2);
  CHECK(reloader.version() == 1);
  CHECK(reloader.check("forbidden orchard").action == Action::prompt);

  Result<std::uint64_t> missing = reloader.reload((dir.path / "nowhere").string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::io);
  CHECK(reloader.check("hidden lantern").action == Action::block);

  // A later successful reload clears the error.
  REQUIRE(reloader.reload((dir.path / "good").string()));
  CHECK_FALSE(reloader.last_error().has_value());
  CHECK(reloader.version() == 2);
}

TEST_CASE("background reloads report through their callback", "[reload]") {
  TempDir dir("async");
  write(dir.path / "a" / "v.list", kVersionA);
  write(dir.path / "b" / "v.list", kVersionB);
  write(dir.path / "bad" / "v.list", "forbidden orchard\n");
  Reloader reloader(Filter::open((dir.path / "a").string()).value());
  std::atomic<int> ok{0}, failed{0};
  std::string error;
  reloader.reload_async((dir.path / "bad").string(), {}, [&](const Result<std::uint64_t>& r) {
    if (r) {
      ++ok;
    } else {
      error = r.error().to_string();
      ++failed;
    }
  });
  reloader.wait();
  CHECK(failed == 1);
  CHECK(error == "v.list:1:1: a list file must start with the line '! deter-list 1'");
  CHECK(reloader.check("moonlit bazaar").action == Action::allow);

  reloader.reload_async((dir.path / "b").string(), {}, [&](const Result<std::uint64_t>& r) {
    if (r) ++ok;
  });
  reloader.wait();
  CHECK(ok == 1);
  CHECK(reloader.version() == 2);
  CHECK(reloader.check("moonlit bazaar").action == Action::prompt);
}

TEST_CASE("before any list loads, the reloader answers by its fail mode", "[reload][fail-mode]") {
  struct Row {
    ReloaderOptions options;
    Action expected;
  };
  const Row row = GENERATE(Row{ReloaderOptions{}, Action::allow},
                           Row{ReloaderOptions{FailMode::open, Action::block}, Action::allow},
                           Row{ReloaderOptions{FailMode::closed, Action::prompt}, Action::prompt},
                           Row{ReloaderOptions{FailMode::closed, Action::block}, Action::block});
  Reloader reloader(row.options);
  for (const char* query : {"forbidden orchard", "anything", ""}) {
    const Decision d = reloader.check(query);
    CHECK(d.action == row.expected);
    CHECK(d.flags == kFlagNoList);
    CHECK(d.matches.empty());
    CHECK(d.message == nullptr);
    CHECK(signature(d) == signature(fail_decision(row.options.on_no_list,
                                                  row.options.fail_closed_action, kFlagNoList)));
  }
  CHECK_FALSE(reloader.current().has_value());

  // A failed first reload leaves it failing the same way.
  CHECK_FALSE(reloader.reload("/nonexistent/deter/lists"));
  CHECK(reloader.check("anything").action == row.expected);
  CHECK(reloader.check("anything").has_flag(kFlagNoList));

  reloader.swap(deter::testing::filter_from(kVersionA));
  CHECK(reloader.check("anything").action == Action::allow);
  CHECK_FALSE(reloader.check("anything").has_flag(kFlagNoList));
  CHECK(reloader.check("hidden lantern").action == Action::block);
  CHECK(reloader.version() == 1);
}

TEST_CASE("ReloaderOptions::from takes the fail settings of FilterOptions", "[reload][fail-mode]") {
  FilterOptions options;
  CHECK(ReloaderOptions::from(options).on_no_list == FailMode::open);
  CHECK(ReloaderOptions::from(options).fail_closed_action == Action::prompt);
  options.on_internal_error = FailMode::closed;
  options.fail_closed_action = Action::block;
  const ReloaderOptions r = ReloaderOptions::from(options);
  CHECK(r.on_no_list == FailMode::closed);
  CHECK(r.fail_closed_action == Action::block);
  CHECK(Reloader(r).check("anything").action == Action::block);
}
