#include "cli/report.h"

#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "cli/progress.h"

namespace deter::cli {

std::string format_fixed(double value, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

std::string format_count(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double ratio(std::uint64_t value, std::uint64_t total) {
  return total == 0 ? 0.0 : static_cast<double>(value) / static_cast<double>(total);
}

std::string format_percent(std::uint64_t value, std::uint64_t total) {
  double p = 100.0 * ratio(value, total);
  if (p == 0) return "0%";
  return format_fixed(p, p < 0.01 ? 4 : 2) + "%";
}

std::optional<std::vector<LogEntry>> read_log(const std::string& path) {
  std::string error;
  std::optional<QueryLogReader> reader = QueryLogReader::open(path, error);
  if (!reader) {
    std::cerr << "deter: " << escaped(error) << "\n";
    return std::nullopt;
  }
  Progress progress("reading ");
  std::vector<LogEntry> entries;
  LogEntry entry;
  while (reader->next(entry)) {
    entries.push_back(std::move(entry));
    if ((entries.size() & 0xFFF) == 0) progress.update(reader->bytes_read(), reader->total_bytes());
  }
  progress.finish();
  if (!reader->error().empty()) {
    std::cerr << "deter: " << escaped(reader->error()) << "\n";
    return std::nullopt;
  }
  return entries;
}

}  // namespace deter::cli
