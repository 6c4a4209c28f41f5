// deter bench: throughput, latency and hit rates of a list set on a query log.
//
// The log is read into memory first, so reading and decompressing never count
// against deter. Then two passes over every distinct log line, on `threads`
// threads taking chunks of the log in turn:
//   1. throughput: check() only; queries/s = lines / wall time of the pass;
//   2. latency: each check() timed with steady_clock (the clock's own cost,
//      a few tens of ns, is included), and every decision counted.
// Each pass also sums its threads' CPU time: queries per CPU second is what
// threads scale by when nothing in deter serializes them, whatever share of
// the cores a shared machine gives the pass.
// Percentiles are over distinct lines (not weighted by count); hit counts are
// given both per line ("queries") and weighted by count ("searches").
#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <new>
#include <thread>
#include <unordered_map>

#include <sys/resource.h>
#include <time.h>

#include "cli/bench_html.h"
#include "cli/common.h"
#include "cli/log_stats.h"
#include "cli/progress.h"
#include "cli/report.h"

namespace deter::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchArgs {
  std::string lists;
  std::string log;
  std::string format = "text";
  int threads = 1;
  std::size_t top = 10;
  // Name the N slowest log lines, query text and all: only when asked, as a
  // log is private and bench output otherwise holds no query text.
  std::size_t slowest = 0;
};

// The slowest lines of the timing pass: (ns, line index), slowest first.
using Slowest = std::vector<std::pair<std::uint32_t, std::size_t>>;

// The source text of each top entry, by id (EntryInfo::source; empty for a
// compiled database stripped of its sources).
std::unordered_map<std::string_view, std::string_view> entry_sources(const Filter& filter) {
  std::unordered_map<std::string_view, std::string_view> sources;
  for (std::size_t i = 0; i < filter.entry_count(); ++i) {
    const EntryInfo e = filter.entry(static_cast<std::uint32_t>(i));
    sources.emplace(e.id, e.source);
  }
  return sources;
}

constexpr std::size_t kChunk = 256;

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// How often the scheduler has taken the CPU from this thread (involuntary
// context switches); 0 where the system does not count them per thread.
long preemptions() {
#ifdef RUSAGE_THREAD
  rusage r{};
  if (getrusage(RUSAGE_THREAD, &r) == 0) return r.ru_nivcsw;
#endif
  return 0;
}

struct PassTime {
  double seconds = 0;      // wall: first thread released to last one done
  double cpu_seconds = 0;  // the threads' CPU time, summed
};

// Runs body(worker, begin, end) over [0, n) in chunks on `threads` threads,
// drawing progress. Each thread first runs warm(): the clock starts once
// every thread has its scratch space and warm caches.
template <class Warm, class Body>
PassTime run_pass(const char* label, std::size_t n, int threads, Warm&& warm, Body&& body) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  // The clock starts when the last thread arrives, before any is released.
  Clock::time_point start;
  auto started = [&start]() noexcept { start = Clock::now(); };
  std::barrier ready(threads + 1, started);
  std::vector<Clock::time_point> ends(static_cast<std::size_t>(threads));
  std::vector<double> cpu(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      warm();
      ready.arrive_and_wait();
      const double cpu_start = thread_cpu_seconds();
      for (;;) {
        std::size_t begin = next.fetch_add(kChunk, std::memory_order_relaxed);
        if (begin >= n) break;
        std::size_t end = std::min(n, begin + kChunk);
        body(w, begin, end);
        done.fetch_add(end - begin, std::memory_order_relaxed);
      }
      ends[static_cast<std::size_t>(w)] = Clock::now();
      cpu[static_cast<std::size_t>(w)] = thread_cpu_seconds() - cpu_start;
    });
  }
  ready.arrive_and_wait();
  Progress progress(label);
  while (done.load(std::memory_order_relaxed) < n) {
    progress.update(done.load(std::memory_order_relaxed), n);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (std::thread& t : workers) t.join();
  progress.finish();
  const Clock::time_point end = *std::max_element(ends.begin(), ends.end());
  PassTime t;
  t.seconds = std::chrono::duration<double>(end - start).count();
  for (double c : cpu) t.cpu_seconds += c;
  return t;
}

struct Latency {
  double mean = 0;
  std::uint32_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
  // The slowest queries timed again, alone, kRetimes times each: the
  // largest of their fastest times. A maximum that this does not repeat
  // was the machine's (the thread preempted for a scheduler tick, about
  // 4 ms), not the query's.
  std::uint32_t max_retimed = 0;
  // The timing pass in blocks of kPreemptBlock queries: how many blocks the
  // scheduler preempted (the thread lost its CPU inside one), and the
  // largest time of any query in the others.
  std::uint64_t preempted_blocks = 0;
  std::uint32_t max_unpreempted = 0;
};
constexpr std::size_t kPreemptBlock = 16;

// Per-thread results on cache lines of their own (64 bytes on the machines
// deter runs on): the timing pass writes a thread's vectors' ends and its
// stats at every query, and two threads' side by side would share a line.
struct alignas(64) Decided {
  std::uint64_t n = 0;
};
struct alignas(64) TimingThread {
  explicit TimingThread(const Filter& filter) : stats(filter) {}
  std::vector<std::uint32_t> ns;
  std::vector<std::uint32_t> lines;  // the log line of each sample
  LogStats stats;
  std::uint64_t preempted_blocks = 0;
  std::uint32_t max_unpreempted = 0;
};
constexpr std::size_t kRetimed = 16;
constexpr int kRetimes = 5;

// Nearest-rank percentiles of the sorted samples.
Latency summarize(std::vector<std::uint32_t>& ns) {
  Latency l;
  if (ns.empty()) return l;
  std::sort(ns.begin(), ns.end());
  auto rank = [&](double p) {
    auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(ns.size())));
    return ns[std::min(ns.size(), std::max<std::size_t>(i, 1)) - 1];
  };
  double sum = 0;
  for (std::uint32_t v : ns) sum += v;
  l.mean = sum / static_cast<double>(ns.size());
  l.p50 = rank(0.50);
  l.p90 = rank(0.90);
  l.p99 = rank(0.99);
  l.p999 = rank(0.999);
  l.max = ns.back();
  return l;
}

std::vector<std::pair<std::string_view, Tally>> top_entries(const LogStats& s, std::size_t top) {
  std::vector<std::pair<std::string_view, Tally>> v(s.by_entry.begin(), s.by_entry.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (a.second.searches != b.second.searches) return a.second.searches > b.second.searches;
    if (a.second.queries != b.second.queries) return a.second.queries > b.second.queries;
    return a.first < b.first;
  });
  if (v.size() > top) v.resize(top);
  return v;
}

void json_tally(std::string& out, const Tally& t, std::uint64_t total_queries) {
  out += "{\"queries\":" + std::to_string(t.queries) +
         ",\"searches\":" + std::to_string(t.searches) +
         ",\"rate\":" + format_fixed(ratio(t.queries, total_queries), 6) + "}";
}

std::string to_json(const BenchArgs& args, const Filter& filter, const LogStats& s, PassTime pass,
                    const Latency& l, double load_seconds, const std::vector<LogEntry>& log,
                    const Slowest& slowest) {
  const std::uint64_t n = s.total.queries;
  const auto sources = entry_sources(filter);
  std::string out = json_record_start() + "\"lists\":";
  append_json_string(out, args.lists);
  out += ",\"log\":";
  append_json_string(out, args.log);
  out += ",\"entries\":" + std::to_string(filter.entry_count());
  out += ",\"load_seconds\":" + format_fixed(load_seconds, 6);
  out += ",\"threads\":" + std::to_string(args.threads);
  out += ",\"queries\":" + std::to_string(n);
  out += ",\"searches\":" + std::to_string(s.total.searches);
  out += ",\"seconds\":" + format_fixed(pass.seconds, 6);
  out += ",\"queries_per_second\":" + format_fixed(pass.seconds > 0 ? n / pass.seconds : 0, 0);
  out += ",\"cpu_seconds\":" + format_fixed(pass.cpu_seconds, 6);
  out += ",\"queries_per_cpu_second\":" +
         format_fixed(pass.cpu_seconds > 0 ? n / pass.cpu_seconds : 0, 0);
  out += ",\"latency_ns\":{\"mean\":" + format_fixed(l.mean, 1) +
         ",\"p50\":" + std::to_string(l.p50) + ",\"p90\":" + std::to_string(l.p90) +
         ",\"p99\":" + std::to_string(l.p99) + ",\"p99_9\":" + std::to_string(l.p999) +
         ",\"max\":" + std::to_string(l.max) +
         ",\"max_retimed\":" + std::to_string(l.max_retimed) +
         ",\"max_unpreempted\":" + std::to_string(l.max_unpreempted) +
         ",\"preempted_blocks\":" + std::to_string(l.preempted_blocks) + "}";
  out += ",\"actions\":{";
  for (std::size_t a = 0; a < kActions.size(); ++a) {
    if (a) out += ",";
    out += "\"" + std::string(to_string(kActions[a])) + "\":";
    json_tally(out, s.by_action[a], n);
  }
  out += "},\"categories\":{";
  bool first = true;
  for (const auto& [category, tallies] : s.by_category) {
    Tally t;
    for (const Tally& x : tallies) t.merge(x);
    if (!first) out += ",";
    first = false;
    append_json_string(out, category);
    out += ":";
    json_tally(out, t, n);
  }
  out += "},\"scripts\":{";
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    Tally all, hit;
    for (std::size_t a = 0; a < kActions.size(); ++a) {
      all.merge(s.by_script[i][a]);
      if (a > 0) hit.merge(s.by_script[i][a]);
    }
    if (i) out += ",";
    out += "\"" + std::string(to_string(kScripts[i])) +
           "\":{\"queries\":" + std::to_string(all.queries) +
           ",\"searches\":" + std::to_string(all.searches) +
           ",\"hits\":" + std::to_string(hit.queries) +
           ",\"hit_searches\":" + std::to_string(hit.searches) +
           ",\"hit_rate\":" + format_fixed(ratio(hit.queries, all.queries), 6) + "}";
  }
  out += "},\"views\":{";
  for (int v = 0; v < kViewCount; ++v) {
    if (v) out += ",";
    out += "\"" + std::string(to_string(static_cast<View>(v))) + "\":";
    json_tally(out, s.by_view[static_cast<std::size_t>(v)], n);
  }
  out += "},\"top_entries\":[";
  first = true;
  for (const auto& [entry, t] : top_entries(s, args.top)) {
    if (!first) out += ",";
    first = false;
    out += "{\"entry\":";
    append_json_string(out, entry);
    out += ",\"text\":";
    const auto source = sources.find(entry);
    append_json_string(out, source == sources.end() ? std::string_view() : source->second);
    out += ",\"queries\":" + std::to_string(t.queries) +
           ",\"searches\":" + std::to_string(t.searches) + "}";
  }
  out += "]";
  if (args.slowest > 0) {
    out += ",\"slowest\":[";
    for (std::size_t i = 0; i < slowest.size(); ++i) {
      if (i) out += ",";
      out += "{\"query\":";
      append_json_string(out, log[slowest[i].second].query);
      out += ",\"ns\":" + std::to_string(slowest[i].first) + "}";
    }
    out += "]";
  }
  out += "}\n";
  return out;
}

std::string to_text(const BenchArgs& args, const Filter& filter, const LogStats& s, PassTime pass,
                    const Latency& l, double load_seconds, const std::vector<LogEntry>& log,
                    const Slowest& slowest) {
  const std::uint64_t n = s.total.queries;
  const auto sources = entry_sources(filter);
  std::string out;
  out += "log          " + escaped(args.log) + ": " + format_count(n) + " queries, " +
         format_count(s.total.searches) + " searches\n";
  out += "lists        " + escaped(args.lists) + ": " + format_count(filter.entry_count()) +
         " entries, loaded in " + format_fixed(load_seconds * 1000, 1) + " ms\n";
  out += "throughput   " +
         format_count(static_cast<std::uint64_t>(pass.seconds > 0 ? n / pass.seconds : 0)) +
         " queries/s on " + std::to_string(args.threads) + " thread" +
         (args.threads == 1 ? "" : "s") + " (" + format_fixed(pass.seconds, 3) + " s; " +
         format_count(static_cast<std::uint64_t>(pass.cpu_seconds > 0 ? n / pass.cpu_seconds : 0)) +
         " per CPU second, " + format_fixed(pass.cpu_seconds, 3) + " s of CPU)\n";
  out += "latency      p50 " + std::to_string(l.p50) + " ns, p90 " + std::to_string(l.p90) +
         " ns, p99 " + std::to_string(l.p99) + " ns, p99.9 " + std::to_string(l.p999) +
         " ns, max " + std::to_string(l.max) + " ns (" + std::to_string(l.max_retimed) +
         " ns timed again; " + std::to_string(l.max_unpreempted) + " ns in the blocks of " +
         std::to_string(kPreemptBlock) + " not preempted, " + format_count(l.preempted_blocks) +
         " preempted), mean " + format_fixed(l.mean, 0) + " ns\n";
  out += "actions     ";
  for (std::size_t a = 0; a < kActions.size(); ++a) {
    out += " " + std::string(to_string(kActions[a])) + " " + format_count(s.by_action[a].queries) +
           " (" + format_percent(s.by_action[a].queries, n) + ")";
  }
  out += "\n";
  if (!s.by_category.empty()) {
    out += "categories  ";
    for (const auto& [category, tallies] : s.by_category) {
      Tally t;
      for (const Tally& x : tallies) t.merge(x);
      out += " " + escaped(category) + " " + format_count(t.queries) + " (" +
             format_percent(t.queries, n) + ")";
    }
    out += "\n";
  }
  out += "scripts     ";
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    Tally all, hit;
    for (std::size_t a = 0; a < kActions.size(); ++a) {
      all.merge(s.by_script[i][a]);
      if (a > 0) hit.merge(s.by_script[i][a]);
    }
    if (all.queries == 0) continue;
    out += " " + std::string(to_string(kScripts[i])) + " " + format_count(hit.queries) + "/" +
           format_count(all.queries) + " (" + format_percent(hit.queries, all.queries) + ")";
  }
  out += "\n";
  out += "views       ";
  if (s.by_view == decltype(s.by_view){}) out += " (no matches)";
  for (int v = 0; v < kViewCount; ++v) {
    const Tally& t = s.by_view[static_cast<std::size_t>(v)];
    if (t.queries == 0) continue;
    out += " " + std::string(to_string(static_cast<View>(v))) + " " + format_count(t.queries) +
           " (" + format_percent(t.queries, n) + ")";
  }
  out += "\n";
  const auto top = top_entries(s, args.top);
  if (!top.empty()) {
    out += "top entries  (queries / searches)\n";
    for (const auto& [entry, t] : top) {
      out += "  " + escaped(entry) + "  " + format_count(t.queries) + " / " +
             format_count(t.searches);
      const auto source = sources.find(entry);
      if (source != sources.end() && !source->second.empty()) {
        out += "  " + escaped(source->second);
      }
      out += "\n";
    }
  }
  if (args.slowest > 0) {
    out += "slowest      (ns, query)\n";
    for (const auto& [ns, i] : slowest) {
      out += "  " + std::to_string(ns) + "  " + escaped(log[i].query) + "\n";
    }
  }
  return out;
}

int run_bench(const BenchArgs& args) {
  const Clock::time_point load_start = Clock::now();
  std::optional<Filter> filter = open_lists(args.lists);
  if (!filter) return kExitUsage;
  const double load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();
  std::optional<std::vector<LogEntry>> log = read_log(args.log);
  if (!log) return kExitUsage;
  const std::vector<LogEntry>& entries = *log;
  const std::size_t n = entries.size();
  if (n == 0) {
    std::cerr << "deter: " << escaped(args.log) << ": no queries\n";
    return kExitUsage;
  }
  const auto threads = static_cast<std::size_t>(args.threads);

  // Scratch space, caches and branch predictors, on every thread of a pass.
  auto warm = [&] {
    for (std::size_t i = 0; i < std::min<std::size_t>(n, 2048); ++i) {
      (void)filter->check(entries[i].query);
    }
  };

  std::vector<Decided> sink(threads);
  const PassTime throughput =
      run_pass("checking ", n, args.threads, warm, [&](int w, std::size_t b, std::size_t e) {
        std::uint64_t decided = 0;
        for (std::size_t i = b; i < e; ++i) {
          decided += filter->check(entries[i].query).action != Action::allow;
        }
        sink[static_cast<std::size_t>(w)].n += decided;
      });

  std::vector<TimingThread> per;
  per.reserve(threads);
  for (std::size_t w = 0; w < threads; ++w) {
    per.emplace_back(*filter);
    per.back().ns.reserve(n / threads + kChunk);
    per.back().lines.reserve(n / threads + kChunk);
  }
  run_pass("timing   ", n, args.threads, warm, [&](int w, std::size_t b, std::size_t e) {
    TimingThread& t = per[static_cast<std::size_t>(w)];
    for (std::size_t block = b; block < e; block += kPreemptBlock) {
      const std::size_t first = t.ns.size();
      const long preempted_before = preemptions();
      for (std::size_t i = block; i < std::min(e, block + kPreemptBlock); ++i) {
        const Clock::time_point t0 = Clock::now();
        Decision d = filter->check(entries[i].query);
        const Clock::time_point t1 = Clock::now();
        t.ns.push_back(static_cast<std::uint32_t>(
            std::min<std::int64_t>(std::chrono::nanoseconds(t1 - t0).count(), UINT32_MAX)));
        t.lines.push_back(static_cast<std::uint32_t>(i));
        t.stats.add(entries[i].query, entries[i].count, d);
      }
      if (preemptions() != preempted_before) {
        ++t.preempted_blocks;
      } else {
        for (std::size_t k = first; k < t.ns.size(); ++k)
          t.max_unpreempted = std::max(t.max_unpreempted, t.ns[k]);
      }
    }
  });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> retime;  // (ns, log line)
  for (const TimingThread& t : per) {
    for (std::size_t k = 0; k < t.ns.size(); ++k) retime.emplace_back(t.ns[k], t.lines[k]);
  }
  const std::size_t top = std::min(kRetimed, retime.size());
  std::partial_sort(retime.begin(), retime.begin() + static_cast<std::ptrdiff_t>(top),
                    retime.end(), std::greater<>());
  std::uint32_t max_retimed = 0;
  for (std::size_t k = 0; k < top; ++k) {
    std::int64_t best = INT64_MAX;
    for (int r = 0; r < kRetimes; ++r) {
      const Clock::time_point t0 = Clock::now();
      (void)filter->check(entries[retime[k].second].query);
      best = std::min<std::int64_t>(best, std::chrono::nanoseconds(Clock::now() - t0).count());
    }
    max_retimed =
        std::max(max_retimed, static_cast<std::uint32_t>(std::min<std::int64_t>(best, UINT32_MAX)));
  }

  // Workers took chunks of kChunk lines in turn, so sample j of worker w is
  // not line j: each sample carries its log line (indices).
  Slowest slowest;
  if (args.slowest > 0) {
    for (const TimingThread& t : per) {
      for (std::size_t j = 0; j < t.ns.size(); ++j) slowest.emplace_back(t.ns[j], t.lines[j]);
    }
    const std::size_t keep = std::min(args.slowest, slowest.size());
    std::partial_sort(slowest.begin(), slowest.begin() + static_cast<std::ptrdiff_t>(keep),
                      slowest.end(), std::greater<>());
    slowest.resize(keep);
  }

  std::vector<std::uint32_t> all;
  all.reserve(n);
  for (const TimingThread& t : per) all.insert(all.end(), t.ns.begin(), t.ns.end());
  Latency latency = summarize(all);
  latency.max_retimed = max_retimed;
  for (const TimingThread& t : per) {
    latency.preempted_blocks += t.preempted_blocks;
    latency.max_unpreempted = std::max(latency.max_unpreempted, t.max_unpreempted);
  }
  LogStats& stats = per[0].stats;
  for (std::size_t w = 1; w < threads; ++w) stats.merge(per[w].stats);
  std::uint64_t decided = 0;
  for (const Decided& x : sink) decided += x.n;
  if (decided != stats.total.queries - stats.by_action[0].queries) {
    std::cerr << "deter: decisions differ between passes\n";
    return kExitFindings;
  }

  if (args.format == "html") {
    const std::string page = bench_html(
        *filter, {args.lists, args.log, load_seconds, args.threads, throughput.seconds, &all, latency.mean,
                  {{"p50", latency.p50}, {"p90", latency.p90}, {"p99", latency.p99},
                   {"p99.9", latency.p999}, {"max", latency.max}},
                  &stats, top_entries(stats, args.top)});
    std::fwrite(page.data(), 1, page.size(), stdout);
    return kExitOk;
  }
  const std::string out = args.format == "json"
                              ? to_json(args, *filter, stats, throughput, latency, load_seconds,
                                        entries, slowest)
                              : to_text(args, *filter, stats, throughput, latency, load_seconds,
                                        entries, slowest);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Measure throughput, latency and hit rates of a list set on a query log");
  cmd->add_option("--lists", args->lists, "List set directory")->required();
  add_trusted_key_option(cmd);
  cmd->add_option("querylog", args->log,
                  "Query log: one query per line or query<TAB>count; .gz accepted; - for stdin")
      ->required();
  cmd->add_option("-j,--threads", args->threads, "Threads checking queries")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->capture_default_str();
  cmd->add_option("--top", args->top, "How many entries to list by hits")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--slowest", args->slowest,
                  "Name the N slowest queries with their time (query text: only when asked)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_bench(*args); });
}

}  // namespace deter::cli
