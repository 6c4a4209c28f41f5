#include "cli/line_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace deter::cli {

LineReader::LineReader(int fd, std::size_t buffer_bytes) : fd_(fd), buffer_(buffer_bytes) {}

// Moves the unread tail to the front (growing the buffer when one line fills
// it) and reads more after it.
bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  for (;;) {
    ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = n < 0;
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

bool LineReader::has_buffered_line() const {
  return eof_ || std::memchr(buffer_.data() + begin_, '\n', end_ - begin_) != nullptr;
}

bool LineReader::next(std::string_view& line) {
  std::size_t scanned = begin_;  // no "\n" in [begin_, scanned)
  for (;;) {
    const char* from = buffer_.data() + scanned;
    const auto* nl = static_cast<const char*>(std::memchr(from, '\n', end_ - scanned));
    if (nl != nullptr) {
      std::size_t len = static_cast<std::size_t>(nl - (buffer_.data() + begin_));
      line = std::string_view(buffer_.data() + begin_, len);
      begin_ += len + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return true;
    }
    std::size_t offset = end_ - begin_;
    if (!fill()) {
      if (begin_ == end_) return false;
      line = std::string_view(buffer_.data() + begin_, end_ - begin_);
      begin_ = end_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return true;
    }
    scanned = begin_ + offset;
  }
}

}  // namespace deter::cli
