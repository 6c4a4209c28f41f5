// Compile and load times and memory of compiled databases at 1k, 10k and
// 100k generated entries (docs/DESIGN.md §8: compile 100k ≤ 10 s, load ≤ 50 ms,
// ≤ 100 MB), and the cost of taking a snapshot of the current version in a
// Reloader (std::atomic<std::shared_ptr> against a mutex-guarded copy).
//
// Each size runs in its own child process so that peak RSS (VmHWM) is that
// size's alone. Every loaded filter is checked against the compiled one on
// real queries before its figures are printed. Run:
//   build/release/bench/deter_store_bench [max_entries]
#include <deter/filter.h>
#include <deter/reloader.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "filter_impl.h"
#include "generated.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// VmRSS or VmHWM of this process, in MiB.
double status_mib(const char* field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field, 0) == 0) return std::atof(line.c_str() + std::strlen(field)) / 1024.0;
  }
  return 0;
}

std::vector<std::string> all_queries() {
  std::vector<std::string> out;
  for (const char* l : {"en", "hi", "bn", "id"}) {
    auto lines = deter::bench::read_lines(fs::path(deter::bench::data_dir()) / "queries" /
                                          (std::string(l) + ".txt"));
    out.insert(out.end(), lines.begin(), lines.end());
  }
  return out;
}

std::size_t prompted(const deter::Filter& f, const std::vector<std::string>& qs) {
  std::size_t n = 0;
  for (const auto& q : qs) n += f.check(q).action != deter::Action::allow;
  return n;
}

// Child 1: generate, compile (timed), save. Prints its part of the row.
int compile_child(std::size_t n, const std::string& list_path, const std::string& db_path) {
  std::string list = generated_list(n);
  { std::ofstream(list_path) << list; }
  double base_rss = status_mib("VmRSS:");
  auto t = Clock::now();
  auto f = deter::Filter::from_sources({{"generated.list", list}});
  double compile_ms = ms_since(t);
  if (!f) {
    std::fprintf(stderr, "%s\n", f.error().to_string().c_str());
    return 1;
  }
  double compiled_rss = status_mib("VmRSS:") - base_rss;
  t = Clock::now();
  auto size = f.value().save(db_path);
  double save_ms = ms_since(t);
  if (!size) return 1;
  std::printf("| %zu | %.0f | %.0f | %.1f | %.1f | %.1f |", n, compile_ms, save_ms,
              static_cast<double>(size.value()) / (1 << 20),
              static_cast<double>(f.value().impl()->database.size_bytes()) / (1 << 20),
              compiled_rss);
  std::fflush(stdout);
  return 0;
}

// Child 2: load the compiled file (best of 5 timed loads), check it decides
// like the source list, report RSS.
int load_child(const std::string& list_path, const std::string& db_path) {
  std::vector<std::string> qs = all_queries();
  // Plus every 10th entry as a query, so that some queries must prompt.
  {
    std::ifstream in(list_path);
    std::size_t i = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '!' || i++ % 10 != 0) continue;
      if (line.back() == '*') line.back() = 's';
      qs.push_back("about " + line + " today");
    }
  }
  double base_rss = status_mib("VmRSS:");
  double best = 1e9;
  std::optional<deter::Filter> loaded;
  for (int i = 0; i < 5; ++i) {
    loaded.reset();
    auto t = Clock::now();
    auto f = deter::Filter::open(db_path);
    best = std::min(best, ms_since(t));
    if (!f) {
      std::fprintf(stderr, "%s\n", f.error().to_string().c_str());
      return 1;
    }
    loaded = std::move(f).value();
  }
  double loaded_rss = status_mib("VmRSS:") - base_rss;
  double peak = status_mib("VmHWM:");
  // Its own answer: the loaded database decides like a fresh compile.
  std::ifstream in(list_path);
  std::string list((std::istreambuf_iterator<char>(in)), {});
  auto fresh = deter::Filter::from_sources({{"generated.list", list}});
  std::size_t a = prompted(*loaded, qs), b = prompted(fresh.value(), qs);
  if (a != b || a == 0) {
    std::fprintf(stderr, "loaded database prompts %zu queries, the compiled one %zu\n", a, b);
    return 1;
  }
  // How much of a load is rebuilding the tables from the stored sources
  // (parse + normalize), the rest being read, checksum and deserialize.
  double tables = 1e9;
  for (int i = 0; i < 3; ++i) {
    deter::FilterImpl::Patterns patterns;
    auto t = Clock::now();
    auto built = deter::FilterImpl::build_tables({{"generated.list", list}}, {}, patterns);
    tables = std::min(tables, ms_since(t));
    if (!built) return 1;
  }
  std::printf(" %.1f | %.1f | %.1f | %.1f | %zu |\n", best, tables, loaded_rss, peak, a);
  return 0;
}

int run_child(int (*fn)(std::size_t, const std::string&, const std::string&), std::size_t n,
              const std::string& a, const std::string& b) {
  pid_t pid = fork();
  if (pid == 0) {
    int r = fn(n, a, b);
    std::fflush(stdout);
    std::_Exit(r);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  std::fprintf(stderr, "child for %zu entries failed (status %d)\n", n, status);
  return 1;
}

// Snapshot cost: what a check pays to pin the current version.
template <class Snapshot>
double snapshot_ns(int threads, Snapshot&& snap) {
  constexpr int kIters = 2000000;
  std::atomic<long> sink{0};
  auto t = Clock::now();
  std::vector<std::thread> ts;
  for (int i = 0; i < threads; ++i) {
    ts.emplace_back([&] {
      long local = 0;
      for (int k = 0; k < kIters; ++k) local += snap() != nullptr;
      sink += local;
    });
  }
  for (auto& th : ts) th.join();
  if (sink != static_cast<long>(threads) * kIters) std::abort();
  return ms_since(t) * 1e6 / kIters;  // wall ns per snapshot per thread
}

void snapshot_rows() {
  auto impl = std::make_shared<const int>(1);
  std::atomic<std::shared_ptr<const int>> atomic_ptr(impl);
  std::mutex mu;
  std::shared_ptr<const int> guarded = impl;
  // What deter::Reloader does: a per-thread copy, refreshed only when the
  // version counter moved.
  std::atomic<std::uint64_t> version{1};
  auto per_thread = [&]() -> const std::shared_ptr<const int>& {
    thread_local std::uint64_t seen = 0;
    thread_local std::shared_ptr<const int> mine;
    std::uint64_t v = version.load(std::memory_order_acquire);
    if (v != seen) {
      std::lock_guard lock(mu);
      mine = guarded;
      seen = v;
    }
    return mine;
  };
  const char* names[] = {"std::atomic<std::shared_ptr> load", "mutex + shared_ptr copy",
                         "per-thread copy + version check (Reloader)"};
  std::printf(
      "\n| snapshot of the current version | 1 thread ns | 2 threads ns |\n|---|---|---|\n");
  for (int variant = 0; variant < 3; ++variant) {
    double r[2];
    for (int t = 1; t <= 2; ++t) {
      if (variant == 0) {
        r[t - 1] = snapshot_ns(t, [&] { return atomic_ptr.load(std::memory_order_acquire); });
      } else if (variant == 1) {
        r[t - 1] = snapshot_ns(t, [&] {
          std::lock_guard lock(mu);
          return guarded;
        });
      } else {
        r[t - 1] = snapshot_ns(t, [&] { return per_thread().get(); });
      }
    }
    std::printf("| %s | %.1f | %.1f |\n", names[variant], r[0], r[1]);
  }
}

// Reloader::check against Filter::check on the same version.
void reloader_row() {
  std::vector<std::string> qs = all_queries();
  auto f = deter::Filter::open(std::string(DETER_SOURCE_DIR) + "/lists/demo").value();
  deter::Reloader reloader(f);
  auto time = [&](auto&& check) {
    auto t = Clock::now();
    std::size_t n = 0;
    for (int pass = 0; pass < 20; ++pass) {
      for (const auto& q : qs) n += check(q).action != deter::Action::allow;
    }
    return std::make_pair(ms_since(t) * 1e6 / (20.0 * static_cast<double>(qs.size())), n);
  };
  auto direct = time([&](const std::string& q) { return f.check(q); });
  auto via = time([&](const std::string& q) { return reloader.check(q); });
  if (direct.second != via.second) std::abort();
  std::printf("\n| demo lists, %zu real queries | ns per check |\n|---|---|\n", qs.size());
  std::printf("| Filter::check | %.0f |\n| Reloader::check | %.0f |\n", direct.first, via.first);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t max_entries = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  fs::path dir = fs::temp_directory_path() / ("deter-store-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::printf(
      "| entries | compile ms | save ms | file MiB | matcher MiB | compile RSS MiB | load ms "
      "(best of 5) | of which parse + tables ms | load RSS MiB | peak RSS MiB (load process) | "
      "queries prompted |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::fflush(stdout);
  int rc = 0;
  for (std::size_t n : {std::size_t{1000}, std::size_t{10000}, std::size_t{100000}}) {
    if (n > max_entries) break;
    std::string list = (dir / ("list-" + std::to_string(n))).string();
    std::string db = (dir / ("db-" + std::to_string(n) + ".deterdb")).string();
    rc |= run_child(compile_child, n, list, db);
    rc |= run_child(
        [](std::size_t, const std::string& l, const std::string& d) { return load_child(l, d); }, n,
        list, db);
  }
  snapshot_rows();
  reloader_row();
  fs::remove_all(dir);
  return rc;
}
