// Parser for the v1 list format (docs/DESIGN.md §6, documented for maintainers in
// lists/README.md). Every error names file:line:col; nothing is half-parsed.
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <new>
#include <string>
#include <vector>

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

// Columns of one line, for offsets asked mostly in increasing order: each
// answer goes on from the previous one, so the columns of every part and
// option of a line cost one pass over it, not one pass each (a line of
// many parts would otherwise parse in quadratic time).
class Columns {
 public:
  void reset(std::string_view line) {
    line_ = line;
    byte_ = 0;
    col_ = 1;
  }
  std::uint32_t at(std::size_t byte) {
    if (byte < byte_) reset(line_);  // rare: an entry's options are read before its body
    while (byte_ < byte && byte_ < line_.size()) {
      byte_ += text::decode_utf8(line_, byte_).size;
      ++col_;
    }
    return col_;
  }

 private:
  std::string_view line_;
  std::size_t byte_ = 0;
  std::uint32_t col_ = 1;
};

// The checksum line: "! checksum: <hex>", in the header or anywhere else
// (it is never covered by the checksum it holds).
bool is_checksum_line(std::string_view line) {
  if (line.empty() || line[0] != '!') return false;
  line.remove_prefix(1);
  line.remove_prefix(std::min(line.find_first_not_of(kWhitespace), line.size()));
  return line.substr(0, 9) == "checksum:";
}

class LineParser {
 public:
  LineParser(std::string_view file, const Limits& options)
      : file_(file), options_(options) {}

  // Starts the column count of a new entry line.
  void begin_line(std::string_view line) const { columns_.reset(line); }
  std::uint32_t column(std::size_t byte) const { return columns_.at(byte); }
  Error limit(std::uint32_t line, std::uint32_t col, std::string message) const {
    return Error{ErrorCode::limit, std::move(message), std::string(file_), line, col};
  }

  Error error(std::uint32_t line, std::uint32_t col, std::string message) const {
    return Error{ErrorCode::syntax, std::move(message), std::string(file_), line, col};
  }
  Error invalid(std::uint32_t line, std::uint32_t col, std::string message) const {
    return Error{ErrorCode::invalid_entry, std::move(message), std::string(file_), line, col};
  }

  // Parses "key=value,key=value" (after " $"); `offset` is its byte offset in line.
  std::optional<Error> parse_overrides(std::string_view spec, std::size_t offset,
                                       std::uint32_t lineno, Entry& e, const Defaults& d) const {
    // Each key at most once: a second one would silently override the
    // first. With unknown keys refused, that bounds an entry's options to
    // the eight keys, so no more than nine items are ever read.
    std::array<std::pair<std::string_view, std::uint32_t>, 9> seen;  // key, its column
    std::size_t seen_count = 0;
    std::size_t pos = 0;
    while (pos <= spec.size()) {
      std::size_t comma = spec.find(',', pos);
      if (comma == std::string_view::npos) comma = spec.size();
      std::string_view item = spec.substr(pos, comma - pos);
      std::uint32_t col = column(offset + pos);
      std::size_t eq = item.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        return error(lineno, col, "expected key=value in entry options, found '" +
                                      std::string(item) + "'");
      }
      std::string_view key = item.substr(0, eq);
      std::string_view value = item.substr(eq + 1);
      std::uint32_t vcol = column(offset + pos + eq + 1);
      for (std::size_t k = 0; k < seen_count; ++k) {
        if (seen[k].first != key) continue;
        return error(lineno, col, "entry option '" + std::string(key) +
                                      "' is given twice (first at column " +
                                      std::to_string(seen[k].second) + ")");
      }
      if (seen_count < seen.size()) seen[seen_count++] = {key, col};
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
                                         "homoglyph, phonetic or fuzzy)");
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
      } else if (key == "fuzzy") {
        auto a = parse_action(value);
        if (!a) {
          return error(lineno, vcol, "unknown action '" + std::string(value) +
                                         "' (expected allow, inform, prompt or block)");
        }
        e.fuzzy_action = *a;
      } else {
        return error(lineno, col, "unknown entry option '" + std::string(key) +
                                      "' (expected action, category, severity, message, "
                                      "views, locale, scope or fuzzy)");
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
  // Braces that are not a repeat are skipped: those of an escape
  // (\x{915}, \o{4425}, \p{Devanagari}, \N{U+915}), of \Q...\E and of a
  // character class, and any brace not written {n}, {n,}, {n,m} or {,m}.
  // `offset` is the byte offset of the expression in the line.
  std::optional<Error> check_regex(std::string_view re, std::size_t offset,
                                   std::uint32_t lineno) const {
    constexpr auto npos = std::string_view::npos;
    bool in_class = false;
    for (std::size_t i = 0; i < re.size(); ++i) {
      const char c = re[i];
      if (c == '\\' && i + 1 < re.size()) {
        const char escaped = re[i + 1];
        if (escaped == 'b' || escaped == 'B') {
          return invalid(lineno, column(offset + i),
                         std::string("'\\") + escaped +
                             "' is not supported: word boundaries are ASCII-only in Hyperscan; "
                             "write a plain phrase for whole words, or use \\s, ^ and $");
        }
        if (escaped == 'Q') {
          const std::size_t end = re.find("\\E", i + 2);
          if (end == npos) break;  // literal to the end
          i = end + 1;
          continue;
        }
        ++i;
        const bool braced = escaped == 'x' || escaped == 'o' || escaped == 'p' ||
                            escaped == 'P' || escaped == 'N';
        if (braced && i + 1 < re.size() && re[i + 1] == '{') {
          const std::size_t close = re.find('}', i + 2);
          if (close == npos) break;  // Hyperscan reports the open brace
          i = close;
        }
        continue;
      }
      if (in_class) {
        if (c == '[' && i + 1 < re.size() && re[i + 1] == ':') {  // [:alpha:]
          const std::size_t close = re.find(":]", i + 2);
          if (close != npos) i = close + 1;
        } else if (c == ']') {
          in_class = false;
        }
        continue;
      }
      if (c == '[') {
        in_class = true;
        // A ']' right after '[' or '[^' is a member, not the end.
        if (i + 1 < re.size() && re[i + 1] == '^') ++i;
        if (i + 1 < re.size() && re[i + 1] == ']') ++i;
        continue;
      }
      if (c != '{') continue;
      std::size_t j = i + 1;
      std::uint64_t bound = 0;
      std::uint64_t number = 0;
      bool digits = false;
      while (j < re.size() && ((re[j] >= '0' && re[j] <= '9') || re[j] == ',')) {
        if (re[j] == ',') {
          number = 0;
        } else {
          const auto digit = static_cast<unsigned>(re[j] - '0');
          number = std::min<std::uint64_t>(number * 10 + digit, 1u << 30);
          bound = std::max(bound, number);
          digits = true;
        }
        ++j;
      }
      if (!digits || j >= re.size() || re[j] != '}') continue;  // a literal brace
      if (bound > kMaxRepeat) {
        return invalid(lineno, column(offset + i),
                       "repetition bound over " + std::to_string(kMaxRepeat) +
                           " in a regex (queries are short; large bounds make the "
                           "database huge)");
      }
      i = j;
    }
    return std::nullopt;
  }

  // Parses one pattern (a whole entry, or one part of a rule) at byte offset
  // `offset` of `line`.
  std::optional<Error> parse_pattern(std::string_view text, std::size_t offset,
                                     std::uint32_t lineno, Pattern& p) const {
    std::uint32_t col = column(offset);
    p.column = col;
    if (text.empty()) return invalid(lineno, col, "empty pattern");
    if (text.size() > options_.max_entry_bytes) {
      return invalid(lineno, col, "entry is " + std::to_string(text.size()) +
                                      " bytes; the limit is " +
                                      std::to_string(options_.max_entry_bytes));
    }
    if (text.front() == '/') {
      if (text.size() < 3 || text.back() != '/') {
        return error(lineno, col, "a regex entry must be written /pattern/");
      }
      p.kind = PatternKind::regex;
      p.text = text.substr(1, text.size() - 2);
      return check_regex(p.text, offset + 1, lineno);
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
      return error(lineno, column(at),
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
    begin_line(line);
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
    e.fuzzy_action = d.fuzzy_action;

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
        const auto spec_offset =
            body_offset + static_cast<std::size_t>(spec.data() - body.data());
        if (auto err = parse_overrides(spec, spec_offset, lineno, e, d)) {
          return err;
        }
        body = body.substr(0, dollar);
      }
    }
    std::string_view stripped = trim(body);
    body_offset += static_cast<std::size_t>(stripped.data() - body.data());
    body = stripped;
    if (body.empty()) return invalid(lineno, column(body_offset), "empty entry");

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
        if (e.patterns.size() >= options_.max_rule_parts) {
          return limit(lineno, column(part_offset),
                       "a rule has more than " + std::to_string(options_.max_rule_parts) +
                           " parts (FilterOptions::max_rule_parts)");
        }
        if (part.empty()) {
          return invalid(lineno, column(body_offset + pos), "empty part in rule");
        }
        Pattern p;
        if (part.front() == '!') {
          p.negated = true;
          part = trim(part.substr(1));
          part_offset = body_offset + pos + static_cast<std::size_t>(part.data() - raw.data());
        } else {
          any_positive = true;
        }
        if (auto err = parse_pattern(part, part_offset, lineno, p)) return err;
        e.patterns.push_back(std::move(p));
        pos = amp + 1;
      }
      if (!any_positive) {
        return invalid(lineno, column(body_offset),
                       "a rule needs at least one part that is not negated");
      }
      return std::nullopt;
    }
    Pattern p;
    if (auto err = parse_pattern(body, body_offset, lineno, p)) return err;
    e.patterns.push_back(std::move(p));
    return std::nullopt;
  }

  // A list whose `! checksum:` disagrees with its text was changed after the
  // checksum was written: most often cut short while it was being rewritten,
  // so its entries past the cut would be lost without a word.
  std::optional<Error> verify_checksum(std::string_view text, std::string_view value,
                                       std::uint32_t lineno, std::uint32_t vcol) const {
    const std::string expected = list_checksum(text);
    std::string given(value);
    for (char& c : given) c = static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    if (given == expected) return std::nullopt;
    return Error{ErrorCode::corrupt,
                 "the list does not match its checksum (" + std::string(value) +
                     "; its lines give " + expected +
                     "): it was changed after `deter checksum` wrote it, or is incomplete",
                 std::string(file_), lineno, vcol};
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
      // d.views holds the list default still: a header field is given once.
      if (!parse_views(value, d.views, d.views, bad)) {
        return error(lineno, vcol, "unknown view '" + bad + "'");
      }
    } else if (key == "fuzzy") {
      auto a = parse_action(value);
      if (!a) {
        return error(lineno, vcol, "unknown action '" + std::string(value) +
                                       "' (expected allow, inform, prompt or block)");
      }
      d.fuzzy_action = *a;
    } else if (key == "description" || key == "version" || key == "license" ||
               key == "maintainer" || key == "expires" || key == "homepage") {
      // Informational; kept in ListFile::header.
    } else {
      return error(lineno, 3, "unknown header field '" + std::string(key) +
                                  "' (expected name, language, category, action, severity, "
                                  "message, views, fuzzy, description, version, license, "
                                  "maintainer, expires, homepage or checksum)");
    }
    lf.header[std::string(key)] = value;
    return std::nullopt;
  }

 private:
  std::string_view file_;
  const Limits& options_;
  mutable Columns columns_;
};

// The header fields, and `lint`, the directive deter lint reads (the parser
// takes it as a comment, anywhere in the file).
constexpr std::string_view kDirectives[] = {
    "name",    "language", "category",   "action",  "severity", "message",  "views",   "fuzzy",
    "description", "version", "license", "maintainer", "expires", "homepage", "checksum", "lint"};

// Edit distance (insertions, deletions, substitutions, swaps of neighbours),
// of two short ASCII words; a word longer than 32 letters is far from all.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 32 || b.size() > 32) return 99;
  std::size_t d[33][33];
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// Below the first entry, "! word: ..." is a comment (`! romanized: ...` is
// common), unless the word is a directive or a misspelling of one: a field
// there would silently do nothing. Returns the error message, or "".
std::string misplaced_directive(std::string_view word) {
  if (word == "lint") return "";
  for (std::string_view d : kDirectives) {
    if (word == d) {
      return "header field '" + std::string(word) +
             "' below the first entry: it would be a comment; move it into the header";
    }
  }
  for (std::string_view d : kDirectives) {
    // One edit in a short word, two in a long one (`acton`, `catgeory`).
    if (edit_distance(word, d) <= (d.size() < 6 ? 1u : 2u)) {
      return "unknown directive '" + std::string(word) + "' (did you mean '" + std::string(d) +
             "'?); a comment must not begin with a word that looks like one";
    }
  }
  return "";
}

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

std::string list_checksum(std::string_view text) {
  XXH3_state_t* state = XXH3_createState();
  if (state == nullptr) throw std::bad_alloc();
  XXH3_128bits_reset(state);
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_checksum_line(line)) continue;
    XXH3_128bits_update(state, line.data(), line.size());
    XXH3_128bits_update(state, "\n", 1);
  }
  const XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

Result<ListFile> parse_list(std::string_view file, std::string_view text, const Limits& options,
                            ViewSet default_views) {
  LineParser lp(file, options);
  ListFile lf;
  lf.file = file;
  lf.defaults.views = default_views;
  if (text.size() > options.max_list_bytes) {
    return Error{ErrorCode::limit,
                 "list file is " + std::to_string(text.size()) + " bytes; the limit is " +
                     std::to_string(options.max_list_bytes),
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
    lf.entries.reserve(std::min(starts, options.max_entries));
  }
  std::map<std::string, std::uint32_t, std::less<>> header_lines;  // field -> its line
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
      const auto byte = static_cast<unsigned char>(line[i]);
      if (byte >= 0x20 && byte < 0x7F) {  // printable ASCII, most of any list
        ++i;
        continue;
      }
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
        if (colon != std::string_view::npos && rest.substr(0, colon) == "lint") {
          // deter lint's directive, read by deter lint; any number of them.
        } else if (colon != std::string_view::npos && is_header_key(rest.substr(0, colon))) {
          std::string_view key = rest.substr(0, colon);
          std::string_view value = trim(rest.substr(colon + 1));
          std::uint32_t vcol =
              column_of(line, static_cast<std::size_t>(value.data() - line.data()));
          if (auto [first, fresh] = header_lines.emplace(key, lineno); !fresh) {
            const auto key_offset = static_cast<std::size_t>(key.data() - line.data());
            return lp.error(lineno, column_of(line, key_offset),
                            "header field '" + std::string(key) +
                                "' is given twice (first on line " +
                                std::to_string(first->second) + ")");
          }
          if (key == "checksum") {
            if (auto err = lp.verify_checksum(text, value, lineno, vcol)) return *err;
          } else if (auto err = lp.header_field(key, value, lineno, vcol, lf)) {
            return *err;
          }
        }
      } else if (is_checksum_line(line)) {
        // Below the first entry it would be a comment that checks nothing.
        return lp.error(lineno, 1, "'! checksum:' must be in the header, before the first entry");
      } else {
        std::string_view rest = trim(line.substr(1));
        std::size_t colon = rest.find(':');
        if (colon != std::string_view::npos && is_header_key(rest.substr(0, colon))) {
          std::string message = misplaced_directive(rest.substr(0, colon));
          if (!message.empty()) {
            const auto key_offset = static_cast<std::size_t>(rest.data() - line.data());
            return lp.error(lineno, column_of(line, key_offset), std::move(message));
          }
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
    if (lf.entries.size() >= options.max_entries) {
      return Error{ErrorCode::limit,
                   "more than " + std::to_string(options.max_entries) + " entries",
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

namespace deter {

std::string list_checksum(std::string_view list_text) { return rules::list_checksum(list_text); }

std::string with_list_checksum(std::string_view text) {
  const std::string checksum_line = "! checksum: " + rules::list_checksum(text);
  std::vector<std::string_view> lines;  // each with its line ending
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  auto content = [](std::string_view line) { return line.substr(0, line.find_first_of("\r\n")); };
  // A line's ending as written: "\n", "\r\n", or none on a last line.
  auto ending = [&](std::string_view line) { return line.substr(content(line).size()); };
  // The header: the first line that is not blank (the magic line), then
  // every '!' or blank line below it. Its first checksum line is replaced;
  // any other is dropped, since a second one is refused as given twice.
  constexpr auto npos = std::string_view::npos;
  std::size_t magic = npos;
  std::size_t replace = npos;
  std::vector<bool> drop(lines.size(), false);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view c = content(lines[i]);
    if (rules::trim(c).empty()) continue;
    if (magic == npos) {
      magic = i;
      continue;
    }
    if (c[0] != '!') break;
    if (!rules::is_checksum_line(c)) continue;
    if (replace == npos) {
      replace = i;
    } else {
      drop[i] = true;
    }
  }
  std::string out;
  out.reserve(text.size() + checksum_line.size() + 2);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (drop[i]) continue;
    if (i == replace) {
      out += checksum_line;
      out += ending(lines[i]);
      continue;
    }
    if (i == magic && replace == npos) {
      const std::string_view e = ending(lines[i]);
      out += content(lines[i]);
      out += e.empty() ? std::string_view("\n") : e;
      out += checksum_line;
      out += e;
      continue;
    }
    out += lines[i];
  }
  if (magic == npos) out += checksum_line + "\n";
  return out;
}

}  // namespace deter
