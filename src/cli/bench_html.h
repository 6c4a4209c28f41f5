// deter bench --format html: the figures of one run as a self-contained page.
#ifndef DETER_CLI_BENCH_HTML_H_
#define DETER_CLI_BENCH_HTML_H_

#include <deter/filter.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cli/log_stats.h"

namespace deter::cli {

struct BenchFigures {
  std::string lists;
  std::string log;
  double load_seconds = 0;
  int threads = 1;
  double seconds = 0;  // the throughput pass
  // Every timed check, in ns, sorted; and its summary as the text output has it.
  const std::vector<std::uint32_t>* latencies = nullptr;
  double mean_ns = 0;
  std::vector<std::pair<std::string, std::uint32_t>> percentiles;  // "p50", ns
  const LogStats* stats = nullptr;
  std::vector<std::pair<std::string_view, Tally>> top_entries;
};

std::string bench_html(const Filter& filter, const BenchFigures& f);

}  // namespace deter::cli

#endif  // DETER_CLI_BENCH_HTML_H_
