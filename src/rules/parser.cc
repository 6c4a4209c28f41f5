// Parser for the v1 list format (docs/DESIGN.md §6, documented for maintainers in
// lists/README.md). Every error names file:line:col; nothing is half-parsed.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>

#include "rules/budget.h"
#include "rules/list.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace deter::rules {
namespace {

constexpr std::string_view kWhitespace = " \t";
// The largest {n,m} bound a regex may use.
constexpr std::uint64_t kMaxRepeat = 100;

std::string_view trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(kWhitespace);
  if (b == std::string_view::npos) return s.substr(s.size());
  std::size_t e = s.find_last_not_of(kWhitespace);
  return s.substr(b, e - b + 1);
}

// 1-based column of byte offset `byte` in `line`, counting characters.
std::uint32_t column_of(std::string_view line, std::size_t byte) {
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < byte && i < line.size(); ++col) {
    i += text::decode_utf8(line, i).size;
  }
  return col;
}

class LineParser {
 public:
  LineParser(std::string_view file, const Limits& limits) : file_(file), limits_(limits) {}

  Error error(std::uint32_t line, std::uint32_t col, std::string message) const {
    return Error{ErrorCode::syntax, std::move(message), std::string(file_), line, col};
  }
  Error invalid(std::uint32_t line, std::uint32_t col, std::string message) const {
    return Error{ErrorCode::invalid_entry, std::move(message), std::string(file_), line, col};
  }

  // Parses "key=value,key=value" (after " $"); `offset` is its byte offset in line.
  std::optional<Error> parse_overrides(std::string_view spec, std::string_view line,
                                       std::size_t offset, std::uint32_t lineno, Entry& e,
                                       const Defaults& d) const {
    std::size_t pos = 0;
    while (pos <= spec.size()) {
      std::size_t comma = spec.find(',', pos);
      if (comma == std::string_view::npos) comma = spec.size();
      std::string_view item = spec.substr(pos, comma - pos);
      std::uint32_t col = column_of(line, offset + pos);
      std::size_t eq = item.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        return error(lineno, col, "expected key=value in entry options, found '" +
                                      std::string(item) + "'");
      }
      std::string_view key = item.substr(0, eq);
      std::string_view value = item.substr(eq + 1);
      std::uint32_t vcol = column_of(line, offset + pos + eq + 1);
      if (key == "action") {
        auto a = parse_action(value);
        if (!a) {
          return error(lineno, vcol, "unknown action '" + std::string(value) +
                                         "' (expected allow, inform, prompt or block)");
        }
        e.action = *a;
      } else if (key == "category") {
        if (value.empty()) return error(lineno, vcol, "empty category");
        e.category = value;
      } else if (key == "severity") {
        auto s = parse_severity(value);
        if (!s) return error(lineno, vcol, "severity must be an integer from 0 to 10");
        e.severity = *s;
      } else if (key == "message") {
        if (value.empty()) return error(lineno, vcol, "empty message key");
        e.message = value;
      } else if (key == "views") {
        std::string bad;
        if (!parse_views(value, d.views, e.views, bad)) {
          return error(lineno, vcol, "unknown view '" + bad +
                                         "' (expected base, leet, squeeze, spaced, joined, "
                                         "homoglyph or phonetic)");
        }
      } else if (key == "locale") {
        if (value.empty()) return error(lineno, vcol, "empty locale");
        e.locale = value;
      } else if (key == "scope") {
        if (e.kind != EntryKind::exception) {
          return error(lineno, col, "'scope' applies only to @@ exceptions");
        }
        if (value == "query") {
          e.query_scope = true;
        } else if (value == "overlap") {
          e.query_scope = false;
        } else {
          return error(lineno, vcol, "unknown scope '" + std::string(value) +
                                         "' (expected overlap or query)");
        }
      } else {
        return error(lineno, col, "unknown entry option '" + std::string(key) +
                                      "' (expected action, category, severity, message, "
                                      "views, locale or scope)");
      }
      pos = comma + 1;
    }
    return std::nullopt;
  }

  static std::optional<std::uint8_t> parse_severity(std::string_view v) {
    int s = -1;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
    if (ec != std::errc() || p != v.data() + v.size() || s < 0 || s > 10) return std::nullopt;
    return static_cast<std::uint8_t>(s);
  }

  // What Hyperscan would accept but the format does not: \b and \B (ASCII
  // only in Hyperscan, refused with Unicode), and repetition bounds beyond
  // kMaxRepeat, which take seconds to compile or blow up the database.
  // `offset` is the byte offset of the expression in `line`.
  std::optional<Error> check_regex(std::string_view re, std::string_view line, std::size_t offset,
                                   std::uint32_t lineno) const {
    for (std::size_t i = 0; i < re.size(); ++i) {
      if (re[i] == '\\' && i + 1 < re.size()) {
        if (re[i + 1] == 'b' || re[i + 1] == 'B') {
          return invalid(lineno, column_of(line, offset + i),
                         std::string("'\\") + re[i + 1] +
                             "' is not supported: word boundaries are ASCII-only in Hyperscan; "
                             "write a plain phrase for whole words, or use \\s, ^ and $");
        }
        ++i;
        continue;
      }
      if (re[i] != '{') continue;
      std::size_t j = i + 1;
      std::uint64_t bound = 0;
      while (j < re.size() && ((re[j] >= '0' && re[j] <= '9') || re[j] == ',')) {
        if (re[j] == ',') {
          bound = 0;
        } else {
          const auto digit = static_cast<unsigned>(re[j] - '0');
          bound = std::min<std::uint64_t>(bound * 10 + digit, 1u << 30);
          if (bound > kMaxRepeat) {
            return invalid(lineno, column_of(line, offset + i),
                           "repetition bound over " + std::to_string(kMaxRepeat) +
                               " in a regex (queries are short; large bounds make the "
                               "database huge)");
          }
        }
        ++j;
      }
    }
    return std::nullopt;
  }

  // Parses one pattern (a whole entry, or one part of a rule) at byte offset
  // `offset` of `line`.
  std::optional<Error> parse_pattern(std::string_view text, std::string_view line,
                                     std::size_t offset, std::uint32_t lineno,
                                     Pattern& p) const {
    std::uint32_t col = column_of(line, offset);
    p.column = col;
    if (text.empty()) return invalid(lineno, col, "empty pattern");
    if (text.size() > limits_.max_entry_bytes) {
      return invalid(lineno, col, "entry is " + std::to_string(text.size()) +
                                      " bytes; the limit is " +
                                      std::to_string(limits_.max_entry_bytes));
    }
    if (text.front() == '/') {
      if (text.size() < 3 || text.back() != '/') {
        return error(lineno, col, "a regex entry must be written /pattern/");
      }
      p.kind = PatternKind::regex;
      p.text = text.substr(1, text.size() - 2);
      return check_regex(p.text, line, offset + 1, lineno);
    }
    if (text.size() >= 2 && text.front() == '*' && text.back() == '*') {
      p.kind = PatternKind::substring;
      p.text = text.substr(1, text.size() - 2);
    } else if (text.back() == '*') {
      p.kind = PatternKind::prefix;
      p.text = text.substr(0, text.size() - 1);
    } else {
      p.kind = PatternKind::phrase;
      p.text = text;
    }
    std::size_t star = p.text.find('*');
    if (star != std::string::npos) {
      std::size_t at = offset + (p.kind == PatternKind::substring ? 1 : 0) + star;
      return error(lineno, column_of(line, at),
                   "'*' may only end a phrase (prefix) or surround a substring (*text*)");
    }
    if (text::normalize_base(p.text) == " ") {
      return invalid(lineno, col, "entry '" + std::string(text) +
                                      "' has no letters or digits: it would match nothing");
    }
    return std::nullopt;
  }

  // Parses one entry line (not a comment, example or blank line).
  std::optional<Error> parse_entry(std::string_view line, std::uint32_t lineno,
                                   const Defaults& d, Entry& e) const {
    e.line = lineno;
    e.file = file_;
    e.id = std::string(file_) + ":" + std::to_string(lineno);
    e.source = line;
    e.action = d.action;
    e.category = d.category;
    e.severity = d.severity;
    e.message = d.message;
    e.views = d.views;
    e.locale = d.locale;

    std::string_view body = line;
    std::size_t body_offset = 0;
    if (body.substr(0, 2) == "@@") {
      e.kind = EntryKind::exception;
      body.remove_prefix(2);
      body_offset = 2;
    }
    // Per-entry options: the last " $" followed by key=value pairs.
    std::size_t dollar = body.rfind(" $");
    if (dollar != std::string_view::npos) {
      std::string_view spec = trim(body.substr(dollar + 2));
      std::size_t eq = spec.find('=');
      bool looks_like_options = eq != std::string_view::npos && eq > 0 &&
                                spec.substr(0, eq).find_first_not_of(
                                    "abcdefghijklmnopqrstuvwxyz") == std::string_view::npos;
      if (looks_like_options) {
        if (auto err = parse_overrides(spec, line, body_offset + dollar + 2, lineno, e, d)) {
          return err;
        }
        body = body.substr(0, dollar);
      }
    }
    std::string_view stripped = trim(body);
    body_offset += static_cast<std::size_t>(stripped.data() - body.data());
    body = stripped;
    if (body.empty()) return invalid(lineno, column_of(line, body_offset), "empty entry");

    const bool is_regex = body.size() >= 2 && body.front() == '/' && body.back() == '/';
    if (!is_regex && body.find('&') != std::string_view::npos) {
      if (e.kind == EntryKind::exception) {
        return error(lineno, 1, "an exception (@@) cannot be a rule with '&'");
      }
      e.kind = EntryKind::rule;
      std::size_t pos = 0;
      bool any_positive = false;
      while (pos <= body.size()) {
        std::size_t amp = body.find('&', pos);
        if (amp == std::string_view::npos) amp = body.size();
        std::string_view raw = body.substr(pos, amp - pos);
        std::string_view part = trim(raw);
        std::size_t part_offset =
            body_offset + pos + static_cast<std::size_t>(part.data() - raw.data());
        if (part.empty()) {
          return invalid(lineno, column_of(line, body_offset + pos), "empty part in rule");
        }
        Pattern p;
        if (part.front() == '!') {
          p.negated = true;
          part = trim(part.substr(1));
          part_offset = body_offset + pos + static_cast<std::size_t>(part.data() - raw.data());
        } else {
          any_positive = true;
        }
        if (auto err = parse_pattern(part, line, part_offset, lineno, p)) return err;
        e.patterns.push_back(std::move(p));
        pos = amp + 1;
      }
      if (!any_positive) {
        return invalid(lineno, column_of(line, body_offset),
                       "a rule needs at least one part that is not negated");
      }
      return std::nullopt;
    }
    Pattern p;
    if (auto err = parse_pattern(body, line, body_offset, lineno, p)) return err;
    e.patterns.push_back(std::move(p));
    return std::nullopt;
  }

  // Applies one header field.
  std::optional<Error> header_field(std::string_view key, std::string_view value,
                                    std::uint32_t lineno, std::uint32_t vcol, ListFile& lf) {
    Defaults& d = lf.defaults;
    if (key == "name") {
      lf.name = value;
    } else if (key == "language") {
      lf.language = value;
      d.locale = value;
    } else if (key == "category") {
      if (value.empty()) return error(lineno, vcol, "empty category");
      d.category = value;
    } else if (key == "action") {
      auto a = parse_action(value);
      if (!a) {
        return error(lineno, vcol, "unknown action '" + std::string(value) +
                                       "' (expected allow, inform, prompt or block)");
      }
      d.action = *a;
    } else if (key == "severity") {
      auto s = parse_severity(value);
      if (!s) return error(lineno, vcol, "severity must be an integer from 0 to 10");
      d.severity = *s;
    } else if (key == "message") {
      d.message = value;
    } else if (key == "views") {
      std::string bad;
      if (!parse_views(value, ViewSet::all(), d.views, bad)) {
        return error(lineno, vcol, "unknown view '" + bad + "'");
      }
    } else if (key == "description" || key == "version" || key == "license" ||
               key == "maintainer" || key == "expires" || key == "homepage") {
      // Informational; kept in ListFile::header.
    } else {
      return error(lineno, 3, "unknown header field '" + std::string(key) +
                                  "' (expected name, language, category, action, severity, "
                                  "message, views, description, version, license, "
                                  "maintainer, expires or homepage)");
    }
    lf.header[std::string(key)] = value;
    return std::nullopt;
  }

 private:
  std::string_view file_;
  const Limits& limits_;
};

bool is_header_key(std::string_view k) {
  if (k.empty() || !(k[0] >= 'a' && k[0] <= 'z')) return false;
  for (char c : k) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

bool parse_views(std::string_view spec, ViewSet inherited, ViewSet& out, std::string& bad) {
  ViewSet result = inherited;
  bool first = true;
  std::size_t pos = 0;
  // Items are separated by commas, spaces, or start at a +/- sign.
  while (pos < spec.size()) {
    while (pos < spec.size() && (spec[pos] == ',' || spec[pos] == ' ')) ++pos;
    if (pos >= spec.size()) break;
    char sign = 0;
    if (spec[pos] == '+' || spec[pos] == '-') sign = spec[pos++];
    std::size_t end = spec.find_first_of(",+- ", pos);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view name = spec.substr(pos, end - pos);
    auto v = parse_view(name);
    if (!v) {
      bad = name;
      return false;
    }
    if (sign == 0 && first) result = ViewSet::only(View::base);
    result = sign == '-' ? result.without(*v) : result.with(*v);
    first = false;
    pos = end;
  }
  out = result.with(View::base);
  return true;
}

Result<ListFile> parse_list(std::string_view file, std::string_view text, const Limits& limits) {
  LineParser lp(file, limits);
  ListFile lf;
  lf.file = file;
  if (text.size() > limits.max_list_bytes) {
    return Error{ErrorCode::limit,
                 "list file is " + std::to_string(text.size()) + " bytes; the limit is " +
                     std::to_string(limits.max_list_bytes),
                 std::string(file), 0, 0};
  }
  if (auto err = check_is_text(file, text)) return *err;
  {
    // Lines that start an entry, so that entries are never moved to grow.
    std::size_t starts = 0;
    for (std::size_t p = 0; p < text.size();) {
      char c = text[p];
      starts += c != '!' && c != ' ' && c != '\t' && c != '\r' && c != '\n';
      std::size_t nl = text.find('\n', p);
      p = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    lf.entries.reserve(std::min(starts, limits.max_entries));
  }
  std::uint32_t lineno = 0;
  bool seen_magic = false;
  bool in_header = true;
  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a byte order mark is harmless
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    for (std::size_t i = 0; i < line.size();) {
      auto d = text::decode_utf8(line, i);
      if (!d.valid) return lp.error(lineno, column_of(line, i), "invalid UTF-8");
      if (d.cp == 0) return lp.error(lineno, column_of(line, i), "NUL byte in list file");
      if ((d.cp < 0x20 && d.cp != '\t') || d.cp == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(d.cp));
        return lp.error(lineno, column_of(line, i),
                        std::string("control character U+") + hex + " in list file");
      }
      i += d.size;
    }
    if (trim(line).empty()) continue;

    if (!seen_magic) {
      if (trim(line) != "! deter-list 1") {
        return lp.error(lineno, 1,
                        "a list file must start with the line '! deter-list 1'");
      }
      seen_magic = true;
      continue;
    }

    if (line[0] == '!') {
      if (in_header) {
        std::string_view rest = trim(line.substr(1));
        std::size_t colon = rest.find(':');
        if (colon != std::string_view::npos && is_header_key(rest.substr(0, colon))) {
          std::string_view key = rest.substr(0, colon);
          std::string_view value = trim(rest.substr(colon + 1));
          std::uint32_t vcol =
              column_of(line, static_cast<std::size_t>(value.data() - line.data()));
          if (auto err = lp.header_field(key, value, lineno, vcol, lf)) return *err;
        }
      }
      continue;  // a comment
    }

    if (line[0] == ' ' || line[0] == '\t') {
      std::string_view ex = trim(line);
      std::size_t ex_offset = static_cast<std::size_t>(ex.data() - line.data());
      bool must_match;
      std::string_view query;
      if (ex.substr(0, 6) == "match:") {
        must_match = true;
        query = ex.substr(6);
      } else if (ex.substr(0, 9) == "no-match:") {
        must_match = false;
        query = ex.substr(9);
      } else {
        return lp.error(lineno, column_of(line, ex_offset),
                        "an indented line must be 'match: QUERY' or 'no-match: QUERY'");
      }
      if (lf.entries.empty()) {
        return lp.error(lineno, column_of(line, ex_offset),
                        "example before the first entry");
      }
      query = trim(query);
      if (query.empty()) {
        return lp.error(lineno, column_of(line, ex_offset), "example without a query");
      }
      Entry& owner = lf.entries.back();
      owner.examples.push_back(Example{owner.id, owner.file, lineno, must_match, std::string(query)});
      continue;
    }

    in_header = false;
    if (lf.entries.size() >= limits.max_entries) {
      return Error{ErrorCode::limit,
                   "more than " + std::to_string(limits.max_entries) + " entries",
                   std::string(file), lineno, 1};
    }
    Entry e;
    if (auto err = lp.parse_entry(line, lineno, lf.defaults, e)) return *err;
    lf.entries.push_back(std::move(e));
  }
  if (!seen_magic) {
    return lp.error(1, 1, "a list file must start with the line '! deter-list 1'");
  }
  return lf;
}

}  // namespace deter::rules
