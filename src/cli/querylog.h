// Reading query logs: one query per line, either plain or `query<TAB>count`
// (how many times it was searched), optionally gzip-compressed. Shared by the
// commands that measure a list set on a real log (bench, stats, impact).
#ifndef DETER_CLI_QUERYLOG_H_
#define DETER_CLI_QUERYLOG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace deter::cli {

struct LogEntry {
  std::string query;
  std::uint64_t count = 1;  // searches of this query; 1 for plain lines
};

// Streams a log line by line. "-" reads stdin. Gzip input (any file starting
// with the gzip magic, whatever its name) is decompressed on the fly.
//
// A line is split at its last TAB when everything after it is a decimal
// number: "forbidden orchard\t12" is the query "forbidden orchard" searched 12
// times. A line whose last field is made of number characters but is not a
// whole count ("q\t-5", "q\t1.5") stops the log with an error naming its
// line. Any other line is one query searched once, TABs and all. A trailing
// CR is dropped; empty lines are skipped.
class QueryLogReader {
 public:
  // Opens `path`; on failure returns nullopt and sets `error` to a message
  // naming the file.
  static std::optional<QueryLogReader> open(const std::string& path, std::string& error);

  QueryLogReader(QueryLogReader&&) noexcept;
  QueryLogReader& operator=(QueryLogReader&&) noexcept;
  ~QueryLogReader();

  // Reads the next entry; false at the end of the log (or on a read error,
  // which error() then describes).
  bool next(LogEntry& out);

  // Bytes consumed from the file so far (compressed bytes for gzip input).
  std::uint64_t bytes_read() const;
  // Size of the file in bytes; 0 when unknown (stdin, pipes).
  std::uint64_t total_bytes() const;
  // Empty unless reading failed part-way.
  const std::string& error() const;

 private:
  struct State;
  explicit QueryLogReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace deter::cli

#endif  // DETER_CLI_QUERYLOG_H_
