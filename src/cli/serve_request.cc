#include "cli/serve_request.h"

#include "cli/common.h"

namespace deter::cli {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void skip_space(const char*& p, const char* end) {
  while (p < end && is_space(*p)) ++p;
}

bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// The length of the well-formed UTF-8 sequence at p (its lead byte >= 0x80),
// or 0: the table nlohmann::json's lexer accepts (Unicode's well-formed
// sequences: no overlong forms, no surrogates, nothing past U+10FFFF).
inline std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  const std::size_t left = static_cast<std::size_t>(end - p);
  auto cont = [&](std::size_t i, unsigned char lo, unsigned char hi) {
    return i < left && in(p[i], lo, hi);
  };
  // Devanagari, Bengali, Kannada (U+0900-U+0CFF) first.
  if (c == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (in(c, 0xC2, 0xDF)) return cont(1, 0x80, 0xBF) ? 2 : 0;
  if (in(c, 0xE1, 0xEC) || c == 0xEE || c == 0xEF) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  if (in(c, 0xF1, 0xF3)) {
    return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  }
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

// Four hex digits at p into `out`.
bool hex4(const char* p, const char* end, std::uint32_t& out) {
  if (end - p < 4) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    std::uint32_t v;
    if (c >= '0' && c <= '9') {
      v = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    out = out << 4 | v;
  }
  return true;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

// p is just past the opening quote; on success, just past the closing one.
bool FlatRequest::read_string(const char*& p, const char* end, std::string_view& out) {
  const char* start = p;
  while (p < end) {
    // Most queries are ASCII words: eight bytes a step until something to read.
    while (end - p >= 8 && !json_special_in_8(p)) p += 8;
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      out = std::string_view(start, static_cast<std::size_t>(p - start));
      ++p;
      return true;
    }
    if (c == '\\') return decode_escaped(p, end, start, out);
    if (c < 0x20) return false;
    if (c < 0x80) {
      ++p;
      continue;
    }
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    const auto* u_end = reinterpret_cast<const unsigned char*>(end);
    // A word of an Indic script: U+0800-U+0FFF characters in a row.
    while (u_end - u >= 3 && u[0] == 0xE0 && (u[1] & 0xE0) == 0xA0 && (u[2] & 0xC0) == 0x80) u += 3;
    if (u != reinterpret_cast<const unsigned char*>(p)) {
      p = reinterpret_cast<const char*>(u);
      continue;
    }
    const std::size_t n = utf8_sequence(u, u_end);
    if (n == 0) return false;
    p += n;
  }
  return false;
}

// The rest of a string from its first backslash, decoded into decoded_.
bool FlatRequest::decode_escaped(const char*& p, const char* end, const char* start,
                                 std::string_view& out) {
  const std::size_t at = decoded_.size();
  decoded_.append(start, static_cast<std::size_t>(p - start));
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      out = std::string_view(decoded_.data() + at, decoded_.size() - at);
      ++p;
      return true;
    }
    if (c < 0x20) return false;
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence(reinterpret_cast<const unsigned char*>(p),
                                          reinterpret_cast<const unsigned char*>(end));
      if (n == 0) return false;
      decoded_.append(p, n);
      p += n;
      continue;
    }
    if (c != '\\') {
      decoded_.push_back(static_cast<char>(c));
      ++p;
      continue;
    }
    if (end - p < 2) return false;
    const char e = p[1];
    p += 2;
    switch (e) {
      case '"': decoded_.push_back('"'); break;
      case '\\': decoded_.push_back('\\'); break;
      case '/': decoded_.push_back('/'); break;
      case 'b': decoded_.push_back('\b'); break;
      case 'f': decoded_.push_back('\f'); break;
      case 'n': decoded_.push_back('\n'); break;
      case 'r': decoded_.push_back('\r'); break;
      case 't': decoded_.push_back('\t'); break;
      case 'u': {
        std::uint32_t cp;
        if (!hex4(p, end, cp)) return false;
        p += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low;
          if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end, low) ||
              low < 0xDC00 || low > 0xDFFF) {
            return false;
          }
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(decoded_, cp);
        break;
      }
      default: return false;
    }
  }
  return false;
}

bool FlatRequest::parse(std::string_view body) {
  members_.clear();
  items_.clear();
  decoded_.clear();
  decoded_.reserve(body.size());
  const char* p = body.data();
  const char* end = p + body.size();
  skip_space(p, end);
  if (p == end || *p != '{') return false;
  ++p;
  skip_space(p, end);
  if (p < end && *p == '}') {
    ++p;
    skip_space(p, end);
    return p == end;
  }
  while (true) {
    if (p == end || *p != '"' || members_.size() == kMaxMembers) return false;
    const char* key = ++p;
    while (p < end && *p != '"') {
      const auto c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c >= 0x80 || c == '\\') return false;
      ++p;
    }
    if (p == end) return false;
    Member m;
    m.key = std::string_view(key, static_cast<std::size_t>(p - key));
    ++p;
    for (const Member& seen : members_) {
      if (seen.key == m.key) return false;
    }
    skip_space(p, end);
    if (p == end || *p != ':') return false;
    ++p;
    skip_space(p, end);
    if (p == end) return false;
    if (*p == '"') {
      ++p;
      m.kind = Kind::string;
      if (!read_string(p, end, m.text)) return false;
    } else if (*p == 'n') {
      if (end - p < 4 || std::string_view(p, 4) != "null") return false;
      p += 4;
      m.kind = Kind::null;
    } else if (*p == '[') {
      ++p;
      m.kind = Kind::array;
      m.first = items_.size();
      skip_space(p, end);
      if (p < end && *p == ']') {
        ++p;
      } else {
        while (true) {
          if (p == end || *p != '"') return false;
          ++p;
          std::string_view item;
          if (!read_string(p, end, item)) return false;
          items_.push_back(item);
          skip_space(p, end);
          if (p == end) return false;
          if (*p == ']') {
            ++p;
            break;
          }
          if (*p != ',') return false;
          ++p;
          skip_space(p, end);
        }
      }
      m.count = items_.size() - m.first;
    } else {
      return false;
    }
    members_.push_back(m);
    skip_space(p, end);
    if (p == end) return false;
    if (*p == '}') {
      ++p;
      break;
    }
    if (*p != ',') return false;
    ++p;
    skip_space(p, end);
  }
  skip_space(p, end);
  return p == end;
}

const FlatRequest::Member* FlatRequest::find(std::string_view key) const noexcept {
  for (const Member& m : members_) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

}  // namespace deter::cli
