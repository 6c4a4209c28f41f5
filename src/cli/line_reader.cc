#include "cli/line_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace deter::cli {

namespace {

// Largest n <= limit such that s[0, n) ends on a UTF-8 character boundary;
// s[limit] must be readable. The cut Filter::check makes of a long query, so
// a line cut here is checked as the same query would be.
std::size_t utf8_floor(const char* s, std::size_t limit) {
  std::size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80 && limit - n < 3) --n;
  return n;
}

void drop_cr(std::string_view& line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
}

}  // namespace

LineReader::LineReader(int fd, std::size_t buffer_bytes, std::size_t max_line_bytes)
    : fd_(fd), max_line_bytes_(max_line_bytes), buffer_(std::max<std::size_t>(buffer_bytes, 1)) {}

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

std::string_view LineReader::cut_long_line() {
  const std::size_t keep = utf8_floor(buffer_.data() + begin_, max_line_bytes_);
  std::memmove(buffer_.data(), buffer_.data() + begin_, keep);
  // The bytes after the head hold no "\n" (the caller looked): drop them,
  // and keep reading into the same space until the line ends.
  begin_ = end_ = keep;
  while (!eof_) {
    ssize_t n = ::read(fd_, buffer_.data() + keep, buffer_.size() - keep);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = n < 0;
      eof_ = true;
      break;
    }
    const char* from = buffer_.data() + keep;
    const auto* nl = static_cast<const char*>(std::memchr(from, '\n', static_cast<std::size_t>(n)));
    if (nl != nullptr) {
      begin_ = static_cast<std::size_t>(nl - buffer_.data()) + 1;
      end_ = keep + static_cast<std::size_t>(n);
      break;
    }
  }
  return std::string_view(buffer_.data(), keep);
}

bool LineReader::next(std::string_view& line, bool* truncated) {
  if (truncated != nullptr) *truncated = false;
  std::size_t scanned = begin_;  // no "\n" in [begin_, scanned)
  for (;;) {
    const char* from = buffer_.data() + scanned;
    const auto* nl = static_cast<const char*>(std::memchr(from, '\n', end_ - scanned));
    if (nl != nullptr) {
      std::size_t len = static_cast<std::size_t>(nl - (buffer_.data() + begin_));
      line = std::string_view(buffer_.data() + begin_, len);
      begin_ += len + 1;
      drop_cr(line);
      if (line.size() > max_line_bytes_) {
        line = line.substr(0, utf8_floor(line.data(), max_line_bytes_));
        if (truncated != nullptr) *truncated = true;
      }
      return true;
    }
    // One byte more than the limit may be the "\r" of a "\r\n" not read yet.
    if (end_ - begin_ > max_line_bytes_ && end_ - begin_ - max_line_bytes_ > 1) {
      line = cut_long_line();
      if (truncated != nullptr) *truncated = true;
      return true;
    }
    std::size_t offset = end_ - begin_;
    if (!fill()) {
      if (begin_ == end_) return false;
      line = std::string_view(buffer_.data() + begin_, end_ - begin_);
      begin_ = end_;
      drop_cr(line);
      return true;
    }
    scanned = begin_ + offset;
  }
}

}  // namespace deter::cli
