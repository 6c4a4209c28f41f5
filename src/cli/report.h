// Formatting and log reading shared by `deter bench` and `deter stats`.
#ifndef DETER_CLI_REPORT_H_
#define DETER_CLI_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/querylog.h"

namespace deter::cli {

// "12.34" with `digits` decimals.
std::string format_fixed(double value, int digits);
// "1,234,567".
std::string format_count(std::uint64_t value);
// value / total as a percentage, "0.23%"; "0%" when total is 0.
std::string format_percent(std::uint64_t value, std::uint64_t total);
// value / total, 0 when total is 0.
double ratio(std::uint64_t value, std::uint64_t total);

// Reads a whole query log into memory, drawing a progress bar by bytes.
// Prints "deter: <error>" and returns nullopt on failure.
std::optional<std::vector<LogEntry>> read_log(const std::string& path);

}  // namespace deter::cli

#endif  // DETER_CLI_REPORT_H_
