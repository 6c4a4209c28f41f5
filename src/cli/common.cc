#include "cli/common.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "text/utf8.h"

namespace deter::cli {
namespace {

// The files of --trusted-key: one subcommand runs per process.
std::vector<std::string>& trusted_key_files() {
  static std::vector<std::string> files;
  return files;
}

}  // namespace

void add_trusted_key_option(CLI::App* cmd) {
  // One file per --trusted-key, so that the queries after it stay queries.
  cmd->add_option("--trusted-key", trusted_key_files(),
                  "Public key file (deter keygen): a compiled database given to --lists must be "
                  "signed by one of them (repeatable)")
      ->allow_extra_args(false);
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
    std::cerr << "deter: " << escaped(e.to_string()) << "\n";
    return std::nullopt;
  }
  return std::move(opened).value();
}

void keep_until_exit(const Filter& filter) {
  static auto* const held = new std::vector<Filter>();
  held->push_back(filter);
}

std::vector<View> fold_chain(ViewSet folds) {
  std::vector<View> out;
  for (View v : {View::spaced, View::homoglyph, View::leet, View::squeeze}) {
    if (folds.has(v)) out.push_back(v);
  }
  for (int i = 0; i < kViewCount; ++i) {
    const auto v = static_cast<View>(i);
    if (folds.has(v) && v != View::phonetic && v != View::fuzzy &&
        std::find(out.begin(), out.end(), v) == out.end()) {
      out.push_back(v);
    }
  }
  if (folds.has(View::phonetic)) out.push_back(View::phonetic);
  // A typo is corrected in the folded word, or in its key.
  if (folds.has(View::fuzzy)) out.push_back(View::fuzzy);
  return out;
}

std::string fold_chain_text(ViewSet folds) {
  std::string out;
  for (View v : fold_chain(folds)) {
    if (!out.empty()) out += " \u2192 ";
    out += to_string(v);
  }
  return out;
}

void append_fold_chain_json(std::string& out, ViewSet folds) {
  out += "[";
  bool first = true;
  for (View v : fold_chain(folds)) {
    if (!first) out += ",";
    first = false;
    out += "\"";
    out += to_string(v);
    out += "\"";
  }
  out += "]";
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  // Bytes that need no escaping are copied in runs: [run, i) is pending.
  std::size_t run = 0;
  auto flush = [&](std::size_t i) { out.append(s.data() + run, i - run); };
  for (std::size_t i = 0; i < n;) {
    // Eight plain ASCII bytes a step (no quote, backslash, control or
    // non-ASCII byte among them), then the characters of an Indic word
    // (U+0800-U+0FFF, always valid) three bytes a step: the sidecar writes
    // a thousand queries and their messages an answer.
    while (n - i >= 8 && !json_special_in_8(s.data() + i)) i += 8;
    while (n - i >= 3 && p[i] == 0xE0 && (p[i + 1] & 0xE0) == 0xA0 && (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
    }
    if (i == n) break;
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

void append_escaped(std::string& out, std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t run = 0;  // bytes [run, i) need no escaping and are pending
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    std::size_t len = 0;  // bytes of the character to escape; 0: none
    char buf[8];
    const char* esc = nullptr;
    if (c < 0x20 || c == 0x7F || c == '\\') {
      len = 1;
      switch (c) {
        case '\\':
          esc = "\\\\";
          break;
        case '\n':
          esc = "\\n";
          break;
        case '\r':
          esc = "\\r";
          break;
        case '\t':
          esc = "\\t";
          break;
        default:
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          esc = buf;
      }
    } else if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) {
      len = 2;
      std::snprintf(buf, sizeof buf, "\\u%04x", p[i + 1]);
      esc = buf;
    } else if (c == 0xE2 && i + 2 < n && p[i + 1] == 0x80 &&
               (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
      len = 3;
      esc = p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
    }
    if (len == 0) {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    out += esc;
    i += len;
    run = i;
  }
  out.append(s.data() + run, n - run);
}

CLI::Validator positive_count() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        std::uint64_t n = 0;
        const char* end = value.data() + value.size();
        auto [ptr, ec] = std::from_chars(value.data(), end, n);
        if (value.empty() || value[0] == '-' || value[0] == '+' || ec != std::errc() ||
            ptr != end) {
          return "'" + value + "' is not a whole number";
        }
        if (n == 0) return "must be at least 1, not 0";
        return {};
      },
      "POSITIVE");
}

std::string escaped(std::string_view s) {
  std::string out;
  append_escaped(out, s);
  return out;
}

std::string json_record_start() {
  return "{\"schema_version\":" + std::to_string(kJsonSchemaVersion) + ",";
}

bool use_color(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fd) == 1;
}

std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates) {
  // Edit distance counting a swap of two neighbours as one edit (optimal
  // string alignment): "chekc" is one slip from "check". Words here are short.
  auto distance = [](std::string_view a, std::string_view b) {
    const std::size_t w = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * w);
    for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t& x = d[i * w + j];
        x = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1,
                      d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1])});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          x = std::min(x, d[(i - 2) * w + j - 2] + 1);
        }
      }
    }
    return d.back();
  };
  const std::size_t limit = word.size() <= 3 ? 1 : word.size() < 9 ? 2 : 3;
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace deter::cli
