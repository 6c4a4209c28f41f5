#include "cli/querylog.h"

#include <unistd.h>
#include <zlib.h>

namespace deter::cli {

QueryLogReader::~QueryLogReader() {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
}

bool QueryLogReader::open(const std::string& path) {
  path_ = path;
  // zlib reads uncompressed files unchanged, so one reader serves both forms.
  gzFile f = path == "-" ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    error_ = path + ": cannot open";
    return false;
  }
  gzbuffer(f, 1 << 16);
  gz_ = f;
  return true;
}

bool QueryLogReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  char chunk[1 << 16];
  int n = gzread(static_cast<gzFile>(gz_), chunk, sizeof chunk);
  if (n < 0) {
    int code = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &code);
    error_ = path_ + ": " + (msg ? msg : "read error");
    eof_ = true;
    return false;
  }
  if (n == 0) {
    int code = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &code);
    if (code != Z_OK && code != Z_BUF_ERROR) error_ = path_ + ": " + (msg ? msg : "read error");
    if (code == Z_BUF_ERROR) error_ = path_ + ": unexpected end of compressed file";
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

void QueryLogReader::parse_line(std::string_view line, LoggedQuery& out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  out.count = 1;
  std::size_t tab = line.rfind('\t');
  if (tab != std::string_view::npos && tab + 1 < line.size() && line.size() - tab - 1 <= 19) {
    std::string_view digits = line.substr(tab + 1);
    std::uint64_t count = 0;
    bool numeric = true;
    for (char c : digits) {
      if (c < '0' || c > '9') {
        numeric = false;
        break;
      }
      count = count * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (numeric) {
      out.count = count;
      line = line.substr(0, tab);
    }
  }
  out.query.assign(line);
}

bool QueryLogReader::next(LoggedQuery& out) {
  if (gz_ == nullptr) return false;
  for (;;) {
    std::size_t nl = buffer_.find('\n', pos_);
    while (nl == std::string::npos) {
      std::size_t searched = buffer_.size() - pos_;
      if (!fill()) {
        if (!error_.empty() || pos_ >= buffer_.size()) return false;
        nl = buffer_.size();  // a last line without a newline
        break;
      }
      nl = buffer_.find('\n', pos_ + searched);
    }
    std::string_view line(buffer_.data() + pos_, nl - pos_);
    pos_ = nl < buffer_.size() ? nl + 1 : nl;
    ++line_;
    if (line.empty() || line == "\r") continue;
    parse_line(line, out);
    out.line = line_;
    if (out.query.empty() || out.count == 0) continue;
    return true;
  }
}

}  // namespace deter::cli
