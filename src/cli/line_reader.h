// Fast line reading from a file descriptor (stdin for `deter check`): large
// read(2) calls into one buffer, lines handed out as views without copying.
#ifndef DETER_CLI_LINE_READER_H_
#define DETER_CLI_LINE_READER_H_

#include <cstddef>
#include <limits>
#include <string_view>
#include <vector>

namespace deter::cli {

class LineReader {
 public:
  static constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

  // Lines longer than `max_line_bytes` are cut while they are read: the
  // first max_line_bytes bytes (less, to end on a UTF-8 character boundary:
  // the cut check() makes) are kept and the rest of the line is read past
  // without being stored. So the reader holds at most about
  // buffer_bytes + max_line_bytes, whatever the input (a 100 MB line too).
  explicit LineReader(int fd, std::size_t buffer_bytes = 1u << 20,
                      std::size_t max_line_bytes = kNoLimit);

  // The next line, without its "\n" (and "\r\n"); valid until the next call.
  // False at end of input. A last line without "\n" is still returned.
  // `truncated` (optional) is set when the line was cut.
  bool next(std::string_view& line, bool* truncated = nullptr);

  // True when the next call returns without reading (a whole line is
  // buffered, or the input has ended): a caller batching lines from a slow
  // source (a terminal, `tail -f`) stops the batch when this is false.
  bool has_buffered_line() const;

  // True if a read failed (rather than reaching the end).
  bool failed() const { return failed_; }

  // The bytes the reader holds (for tests of its memory bound).
  std::size_t buffer_bytes() const { return buffer_.size(); }

 private:
  bool fill();
  // The line at begin_ is longer than max_line_bytes_ and has no "\n" in
  // the buffer: keeps its head, reads past its tail.
  std::string_view cut_long_line();

  int fd_;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

}  // namespace deter::cli

#endif  // DETER_CLI_LINE_READER_H_
