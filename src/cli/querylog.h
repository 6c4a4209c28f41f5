// Reading query logs, for the tools that replay real traffic (impact,
// bench, stats).
//
// A query log is UTF-8 text, one query per line, in either form:
//   forbidden orchard history             one search of this query
//   forbidden orchard history<TAB>42      42 searches of this query
// A line counts as `query<TAB>count` only when the text after its last TAB
// is a decimal number; otherwise the whole line is the query (count 1).
// Empty lines are skipped, "\r\n" endings are accepted. The file may be
// gzip-compressed (detected from its bytes, not its name); "-" reads stdin.
// Queries are passed on as bytes: invalid UTF-8 is the checker's business.
//
//   QueryLogReader log;
//   if (!log.open(path)) { std::cerr << log.error() << "\n"; return 2; }
//   for (LoggedQuery q; log.next(q);) use(q.query, q.count);
//   if (!log.error().empty()) { ... a read error part way ... }
#ifndef DETER_CLI_QUERYLOG_H_
#define DETER_CLI_QUERYLOG_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace deter::cli {

struct LoggedQuery {
  std::string query;
  std::uint64_t count = 1;
  std::uint64_t line = 0;  // 1-based line number in the log
};

class QueryLogReader {
 public:
  QueryLogReader() = default;
  ~QueryLogReader();
  QueryLogReader(const QueryLogReader&) = delete;
  QueryLogReader& operator=(const QueryLogReader&) = delete;

  // Opens a plain or gzip file, or stdin for "-". False (see error()) if it
  // cannot be opened.
  bool open(const std::string& path);
  // Reads the next non-empty line into `out`. False at the end or on a
  // read error (then error() is set).
  bool next(LoggedQuery& out);
  // Empty, or why opening or reading failed ("queries.gz: unexpected end of file").
  const std::string& error() const { return error_; }

  // Splits one line (without its newline) into query and count.
  static void parse_line(std::string_view line, LoggedQuery& out);

 private:
  bool fill();
  void* gz_ = nullptr;  // gzFile; kept opaque so zlib.h stays out of this header
  std::string path_;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::uint64_t line_ = 0;
  std::string error_;
};

}  // namespace deter::cli

#endif  // DETER_CLI_QUERYLOG_H_
