#include "cli/common.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace deter::cli {
namespace {

// The files of --trusted-key: one subcommand runs per process.
std::vector<std::string>& trusted_key_files() {
  static std::vector<std::string> files;
  return files;
}

}  // namespace

void add_trusted_key_option(CLI::App* cmd) {
  cmd->add_option("--trusted-key", trusted_key_files(),
                  "Public key file (deter keygen): a compiled database given to --lists must be "
                  "signed by one of them (repeatable)");
}

std::optional<Filter> open_lists(const std::string& directory, const FilterOptions& options_in) {
  FilterOptions options = options_in;
  for (const std::string& file : trusted_key_files()) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << "deter: " << file << ": cannot read trusted key\n";
      return std::nullopt;
    }
    options.trusted_keys.push_back(text.str());
  }
  if (const char* cache = std::getenv("DETER_CACHE_DIR");
      cache != nullptr && options.cache_dir.empty()) {
    options.cache_dir = cache;
  }
  Result<Filter> opened = Filter::open(directory, options);
  if (!opened) {
    Error e = opened.error();
    // A malformed key is the key file's fault, not the list set's.
    if (e.code == ErrorCode::invalid_argument && e.file.empty() && !trusted_key_files().empty()) {
      e.message = "--trusted-key: " + e.message;
    }
    std::cerr << "deter: " << e.to_string() << "\n";
    return std::nullopt;
  }
  return std::move(opened).value();
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  // Bytes that need no escaping are copied in runs: [run, i) is pending.
  std::size_t run = 0;
  auto flush = [&](std::size_t i) { out.append(s.data() + run, i - run); };
  for (std::size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\') {
        ++i;
        continue;
      }
      flush(i);
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        }
      }
      run = ++i;
      continue;
    }
    // Keep a valid multi-byte sequence; replace anything else.
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool ok = len > 0 && c <= 0xF4 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
    if (ok && len == 3) {
      unsigned cp = (c & 0x0F) << 12 | (p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F);
      ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
    } else if (ok && len == 4) {
      unsigned cp = (c & 0x07) << 18 | (p[i + 1] & 0x3F) << 12 | (p[i + 2] & 0x3F) << 6;
      ok = cp >= 0x10000 && cp <= 0x10FFFF;
    }
    if (ok) {
      i += len;
    } else {
      flush(i);
      out += "\xEF\xBF\xBD";
      run = ++i;
    }
  }
  flush(n);
  out.push_back('"');
}

}  // namespace deter::cli
