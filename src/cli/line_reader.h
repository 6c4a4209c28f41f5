// Fast line reading from a file descriptor (stdin for `deter check`): large
// read(2) calls into one buffer, lines handed out as views without copying.
#ifndef DETER_CLI_LINE_READER_H_
#define DETER_CLI_LINE_READER_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace deter::cli {

class LineReader {
 public:
  explicit LineReader(int fd, std::size_t buffer_bytes = 1u << 20);

  // The next line, without its "\n" (and "\r\n"); valid until the next call.
  // False at end of input. A last line without "\n" is still returned.
  bool next(std::string_view& line);

  // True when the next call returns without reading (a whole line is
  // buffered, or the input has ended): a caller batching lines from a slow
  // source (a terminal, `tail -f`) stops the batch when this is false.
  bool has_buffered_line() const;

  // True if a read failed (rather than reaching the end).
  bool failed() const { return failed_; }

 private:
  bool fill();

  int fd_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

}  // namespace deter::cli

#endif  // DETER_CLI_LINE_READER_H_
