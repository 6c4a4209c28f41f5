#include "cli/querylog.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace deter::cli {
namespace {
const char* parse_line(const char* data, std::size_t size, LogEntry& out);
}  // namespace

struct QueryLogReader::State {
  gzFile file = nullptr;
  std::string path;
  std::uint64_t total = 0;
  std::vector<char> buffer = std::vector<char>(1u << 20);
  std::size_t begin = 0;  // unread bytes are buffer[begin, end)
  std::size_t end = 0;
  bool eof = false;
  std::string pending;  // a line that spans reads
  std::string error;
  std::uint64_t line = 0;  // lines read so far, for errors

  // Parses one line; false (with `error` set) for a malformed count.
  bool parse(const char* data, std::size_t size, LogEntry& out) {
    ++line;
    if (const char* problem = parse_line(data, size, out)) {
      error = path + ":" + std::to_string(line) + ": " + problem;
      eof = true;
      return false;
    }
    return true;
  }

  ~State() {
    if (file != nullptr) gzclose(file);
  }

  // Refills the buffer; false at end of input or on error.
  bool fill() {
    if (eof) return false;
    int n = gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()));
    if (n < 0) {
      int code = 0;
      error = path + ": " + gzerror(file, &code);
      eof = true;
      return false;
    }
    if (n == 0) {
      // A gzip file cut short reads as a normal end unless zlib is asked.
      int code = 0;
      const char* message = gzerror(file, &code);
      if (code == Z_BUF_ERROR) {
        error = path + ": unexpected end of compressed data (is the file truncated?)";
      } else if (code != Z_OK) {
        error = path + ": " + (message != nullptr ? message : "read error");
      }
      eof = true;
      return false;
    }
    begin = 0;
    end = static_cast<std::size_t>(n);
    return true;
  }
};

QueryLogReader::QueryLogReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
QueryLogReader::QueryLogReader(QueryLogReader&&) noexcept = default;
QueryLogReader& QueryLogReader::operator=(QueryLogReader&&) noexcept = default;
QueryLogReader::~QueryLogReader() = default;

std::optional<QueryLogReader> QueryLogReader::open(const std::string& path, std::string& error) {
  auto state = std::make_unique<State>();
  state->path = path == "-" ? "<stdin>" : path;
  int fd = path == "-" ? dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      close(fd);
      error = path + ": is a directory";
      return std::nullopt;
    }
    if (S_ISREG(st.st_mode)) state->total = static_cast<std::uint64_t>(st.st_size);
  }
  // zlib reads plain files through unchanged, so one path serves both.
  state->file = gzdopen(fd, "rb");
  if (state->file == nullptr) {
    close(fd);
    error = path + ": cannot open for reading";
    return std::nullopt;
  }
  gzbuffer(state->file, 1u << 18);
  return QueryLogReader(std::move(state));
}

namespace {

// Splits "query\tcount" when the part after the last TAB is a number. A
// part made only of number characters that is not a whole count ("-5",
// "1.5", "1e3", 20 digits) is an error, not text of the query: a log whose
// counts went wrong must not be measured as if they were queries. Returns
// the error, or nullptr.
const char* parse_line(const char* data, std::size_t size, LogEntry& out) {
  if (size > 0 && data[size - 1] == '\r') --size;
  std::string_view line(data, size);
  out.count = 1;
  std::size_t tab = line.rfind('\t');
  if (tab != std::string_view::npos && tab + 1 < line.size()) {
    const std::string_view field = line.substr(tab + 1);
    bool digits = true, numeric = true, any_digit = false;
    for (char c : field) {
      const bool digit = c >= '0' && c <= '9';
      any_digit |= digit;
      digits &= digit;
      numeric &= digit || c == '-' || c == '+' || c == '.' || c == ',' || c == 'e' || c == 'E';
    }
    if (digits && field.size() <= 19) {
      std::uint64_t count = 0;
      for (char c : field) count = count * 10 + static_cast<std::uint64_t>(c - '0');
      out.count = count;
      line = line.substr(0, tab);
    } else if (numeric && any_digit) {
      return "the count after the last TAB is not a whole number of searches "
             "(0 to 9999999999999999999)";
    }
  }
  out.query.assign(line.data(), line.size());
  return nullptr;
}

}  // namespace

bool QueryLogReader::next(LogEntry& out) {
  State& s = *state_;
  if (!s.error.empty()) return false;
  for (;;) {
    if (s.begin == s.end && !s.fill()) {
      if (s.pending.empty()) return false;
      const bool parsed = s.parse(s.pending.data(), s.pending.size(), out);
      s.pending.clear();
      if (!parsed) return false;
      if (out.query.empty()) continue;
      return true;
    }
    const char* start = s.buffer.data() + s.begin;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', s.end - s.begin));
    if (nl == nullptr) {
      s.pending.append(start, s.end - s.begin);
      s.begin = s.end;
      continue;
    }
    const auto len = static_cast<std::size_t>(nl - start);
    s.begin += len + 1;
    if (!s.pending.empty()) {
      s.pending.append(start, len);
      const bool parsed = s.parse(s.pending.data(), s.pending.size(), out);
      s.pending.clear();
      if (!parsed) return false;
    } else if (!s.parse(start, len, out)) {
      return false;
    }
    if (!out.query.empty()) return true;
  }
}

std::uint64_t QueryLogReader::bytes_read() const {
  if (state_->file == nullptr) return 0;
  z_off_t off = gzoffset(state_->file);
  return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

std::uint64_t QueryLogReader::total_bytes() const { return state_->total; }

const std::string& QueryLogReader::error() const { return state_->error; }

}  // namespace deter::cli
