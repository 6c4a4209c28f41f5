#include "cli/common.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "text/utf8.h"

namespace deter::cli {

std::optional<Filter> open_lists(const std::string& directory, const FilterOptions& options_in) {
  FilterOptions options = options_in;
  if (const char* cache = std::getenv("DETER_CACHE_DIR");
      cache != nullptr && options.cache_dir.empty()) {
    options.cache_dir = cache;
  }
  Result<Filter> opened = Filter::open(directory, options);
  if (!opened) {
    std::cerr << "deter: " << opened.error().to_string() << "\n";
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
    const text::Decoded d = text::decode_utf8(s, i);
    if (d.valid) {
      i += d.size;
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
