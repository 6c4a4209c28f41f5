// Bounds on loading an untrusted list set (see budget.h and FilterOptions).
#include "rules/budget.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "rules/list.h"
#include "text/utf8.h"

namespace deter::rules {
namespace {

// Costs of one regex atom (FilterOptions documents them). A Unicode class
// under HS_FLAG_UCP expands to thousands of code points and costs Hyperscan
// tens of milliseconds per occurrence; '.' and negated classes cost a few.
constexpr std::size_t kLiteralCost = 1;
constexpr std::size_t kWideCost = 8;
constexpr std::size_t kUnicodeCost = 256;

std::size_t saturating_mul(std::size_t a, std::size_t b, std::size_t cap) {
  if (a == 0 || b == 0) return 0;
  if (a > cap / b) return cap + 1;
  return std::min(a * b, cap + 1);
}

std::size_t saturating_add(std::size_t a, std::size_t b, std::size_t cap) {
  return std::min(a > cap ? cap + 1 : a + b, cap + 1);
}

// The cost of \p{NAME} or \pX: letter categories (and Any) are as wide as
// \w; a script or a narrow category costs like '.'.
std::size_t property_cost(std::string_view name) {
  if (!name.empty() && name.front() == '^') name.remove_prefix(1);
  if (name.empty() || name == "Any" || name == "Xan" || name == "Xwd" || name == "Xuc" ||
      name.front() == 'L') {
    return kUnicodeCost;
  }
  return kWideCost;
}

// Reads the escape at p[i] == '\\'; returns its cost and advances i past it.
std::size_t escape_cost(std::string_view p, std::size_t& i) {
  ++i;  // the backslash
  if (i >= p.size()) return kLiteralCost;
  const char c = p[i++];
  switch (c) {
    case 'w':
    case 'W':
      return kUnicodeCost;
    case 'd':
    case 'D':
    case 's':
    case 'S':
    case 'h':
    case 'H':
    case 'v':
    case 'V':
    case 'R':
    case 'N':
      return kWideCost;
    case 'b':
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
      return 0;  // assertions
    case 'p':
    case 'P': {
      std::string_view name;
      if (i < p.size() && p[i] == '{') {
        std::size_t close = p.find('}', i);
        if (close == std::string_view::npos) close = p.size();
        name = p.substr(i + 1, close - i - 1);
        i = std::min(close + 1, p.size());
      } else if (i < p.size()) {
        name = p.substr(i++, 1);
      }
      return property_cost(name);
    }
    case 'x':
    case 'o':
      if (i < p.size() && p[i] == '{') {
        std::size_t close = p.find('}', i);
        i = close == std::string_view::npos ? p.size() : close + 1;
      }
      return kLiteralCost;
    case 'Q': {  // \Q...\E: literal text
      std::size_t end = p.find("\\E", i);
      if (end == std::string_view::npos) end = p.size();
      const std::size_t n = end - i;
      i = std::min(end + 2, p.size());
      return n * kLiteralCost;
    }
    default:
      return kLiteralCost;
  }
}

// Reads a bracket class at p[i] == '['; returns its cost and advances i.
std::size_t class_cost(std::string_view p, std::size_t& i) {
  ++i;
  bool negated = false;
  if (i < p.size() && p[i] == '^') {
    negated = true;
    ++i;
  }
  std::size_t cost = negated ? kWideCost : kLiteralCost;
  bool first = true;
  while (i < p.size()) {
    const char c = p[i];
    if (c == ']' && !first) {
      ++i;
      break;
    }
    first = false;
    if (c == '\\') {
      cost = std::max(cost, escape_cost(p, i));
    } else if (c == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      std::size_t close = p.find(":]", i + 2);
      if (close == std::string_view::npos) close = p.size();
      std::string_view name = p.substr(i + 2, close - i - 2);
      if (!name.empty() && name.front() == '^') name.remove_prefix(1);
      // Under UCP the letter-like POSIX classes are Unicode-wide.
      const bool unicode = name == "alpha" || name == "alnum" || name == "word" ||
                           name == "upper" || name == "lower" || name == "graph" ||
                           name == "print" || name == "punct";
      cost = std::max(cost, unicode ? kUnicodeCost : kWideCost);
      i = std::min(close + 2, p.size());
    } else {
      ++i;
    }
  }
  return cost;
}

// Reads a quantifier at p[i] if there is one: returns the factor it
// multiplies the previous atom's cost by (1 for none) and advances i.
std::size_t quantifier(std::string_view p, std::size_t& i) {
  if (i >= p.size()) return 1;
  std::size_t factor = 1;
  const char c = p[i];
  if (c == '*' || c == '+') {
    factor = 2;
    ++i;
  } else if (c == '?') {
    ++i;
  } else if (c == '{') {
    // {n}, {n,}, {n,m}; anything else is a literal brace.
    std::size_t j = i + 1;
    std::size_t n = 0, m = 0;
    bool has_n = false, has_m = false, comma = false;
    auto digits = [&](std::size_t& v, bool& has) {
      while (j < p.size() && p[j] >= '0' && p[j] <= '9') {
        v = std::min<std::size_t>(v * 10 + static_cast<std::size_t>(p[j] - '0'), 1u << 20);
        has = true;
        ++j;
      }
    };
    digits(n, has_n);
    if (j < p.size() && p[j] == ',') {
      comma = true;
      ++j;
      digits(m, has_m);
    }
    if (!has_n || j >= p.size() || p[j] != '}') return 1;
    i = j + 1;
    factor = comma && !has_m ? n + 1 : std::max<std::size_t>(std::max(n, m), 1);
  } else {
    return 1;
  }
  if (i < p.size() && (p[i] == '?' || p[i] == '+')) ++i;  // lazy or possessive
  return factor;
}

}  // namespace

RegexMeasure measure_regex(std::string_view p, std::size_t cap, std::size_t depth_limit) {
  cap = std::min<std::size_t>(cap, std::size_t{1} << 48);  // cap + 1 must not wrap
  RegexMeasure out;
  struct Frame {
    std::size_t cost = 0;  // alternatives add up
  };
  std::vector<Frame> stack(1);
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    std::size_t atom = 0;
    if (c == '(') {
      ++i;
      if (p.substr(i, 2) == "?#") {  // (?#comment)
        const std::size_t close = p.find(')', i);
        i = close == std::string_view::npos ? p.size() : close + 1;
        continue;
      }
      if (stack.size() > depth_limit && out.too_deep_at == std::string_view::npos) {
        out.too_deep_at = i - 1;
      }
      stack.emplace_back();
      out.depth = std::max(out.depth, stack.size() - 1);
      if (i < p.size() && p[i] == '?') {
        // Skip the group's syntax: (?: (?= (?! (?<= (?<! (?<name> (?P<name> (?i) (?i:
        ++i;
        if (i < p.size() && (p[i] == '=' || p[i] == '!' || p[i] == ':')) {
          ++i;
        } else if (p.substr(i, 2) == "<=" || p.substr(i, 2) == "<!") {
          i += 2;
        } else if (i < p.size() && (p[i] == '<' || p[i] == 'P' || p[i] == '\'')) {
          const std::size_t close = p.find_first_of(">'", i + 1);
          i = close == std::string_view::npos ? p.size() : close + 1;
        } else {
          while (i < p.size() && (std::isalpha(static_cast<unsigned char>(p[i])) || p[i] == '-')) {
            ++i;
          }
          if (i < p.size() && p[i] == ':') ++i;
        }
      }
      continue;
    }
    if (c == ')') {
      ++i;
      if (stack.size() == 1) continue;  // unbalanced: Hyperscan reports it
      atom = stack.back().cost;
      stack.pop_back();
    } else if (c == '|' || c == '^' || c == '$') {
      ++i;
      continue;
    } else if (c == '\\') {
      atom = escape_cost(p, i);
    } else if (c == '[') {
      atom = class_cost(p, i);
    } else if (c == '.') {
      atom = kWideCost;
      ++i;
    } else {
      // One character, however many bytes it takes.
      i += text::decode_utf8(p, i).size;
      atom = kLiteralCost;
    }
    const std::size_t factor = quantifier(p, i);
    stack.back().cost = saturating_add(stack.back().cost, saturating_mul(atom, factor, cap), cap);
  }
  // Unclosed groups count as if closed at the end.
  while (stack.size() > 1) {
    const std::size_t inner = stack.back().cost;
    stack.pop_back();
    stack.back().cost = saturating_add(stack.back().cost, inner, cap);
  }
  out.cost = stack.front().cost;
  return out;
}

std::optional<Error> check_is_text(std::string_view file, std::string_view text) {
  constexpr std::size_t kWindow = 8192;
  const std::size_t n = std::min(text.size(), kWindow);
  std::size_t bad = 0;
  std::size_t first_bad = std::string_view::npos;
  for (std::size_t i = 0; i < n;) {
    const text::Decoded d = text::decode_utf8(text, i);
    const bool control =
        d.cp == 0x7F || (d.cp < 0x20 && d.cp != '\t' && d.cp != '\n' && d.cp != '\r');
    if (!d.valid || control) {
      bad += d.size;
      if (first_bad == std::string_view::npos) first_bad = i;
    }
    i += d.size;
  }
  if (n == 0 || bad * 10 < n) return std::nullopt;
  // The place of the first such byte, as line and (character) column.
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < first_bad; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::uint32_t column = 1;
  for (std::size_t i = line_start; i < first_bad; ++column) i += text::decode_utf8(text, i).size;
  return Error{ErrorCode::syntax,
               "not a text file: " + std::to_string(bad) + " of its first " + std::to_string(n) +
                   " bytes are NUL, control characters or invalid UTF-8; list and message "
                   "files must be UTF-8 text",
               std::string(file), line, column};
}

std::optional<Error> check_files(const std::vector<std::pair<std::string, std::string>>& files,
                                 const Limits& options) {
  for (const auto& [name, contents] : files) {
    if (contents.size() > options.max_list_bytes) {
      return Error{ErrorCode::limit,
                   "file is " + std::to_string(contents.size()) + " bytes; the limit is " +
                       std::to_string(options.max_list_bytes) + " (FilterOptions::max_list_bytes)",
                   name, 0, 0};
    }
    if (name.size() >= 5 && name.compare(name.size() - 5, 5, ".toml") == 0) {
      if (auto err = check_is_text(name, contents)) return err;
    }
  }
  return std::nullopt;
}

std::optional<Error> SetBudget::add(const ListFile& list) {
  const Limits& options = limits_;
  const std::string& name = list.file;
  for (const Entry& e : list.entries) {
    examples += e.examples.size();
    if (examples > options.max_examples) {
      const Example& ex = e.examples.back();
      return Error{ErrorCode::limit,
                   "more than " + std::to_string(options.max_examples) +
                       " match:/no-match: examples in the list set "
                       "(FilterOptions::max_examples)",
                   name, ex.line, 1};
    }
    for (const Pattern& p : e.patterns) {
      if (p.kind != PatternKind::regex) continue;
      const std::uint32_t col = p.column + 1;  // after the opening '/'
      if (++regexes > options.max_regexes) {
        return Error{ErrorCode::limit,
                     "more than " + std::to_string(options.max_regexes) +
                         " regexes in the list set (FilterOptions::max_regexes)",
                     name, e.line, p.column};
      }
      if (p.text.size() > options.max_regex_bytes) {
        return Error{ErrorCode::compile,
                     "regex is " + std::to_string(p.text.size()) + " bytes; the limit is " +
                         std::to_string(options.max_regex_bytes) +
                         " (FilterOptions::max_regex_bytes)",
                     name, e.line, col};
      }
      const RegexMeasure m = measure_regex(p.text, options.max_regex_cost, options.max_regex_depth);
      if (m.too_deep_at != std::string_view::npos) {
        std::uint32_t at = col;
        for (std::size_t i = 0; i < m.too_deep_at; ++at) i += text::decode_utf8(p.text, i).size;
        return Error{ErrorCode::compile,
                     "regex nests groups more than " + std::to_string(options.max_regex_depth) +
                         " deep (FilterOptions::max_regex_depth)",
                     name, e.line, at};
      }
      if (m.cost > options.max_regex_cost) {
        return Error{ErrorCode::compile,
                     "regex is too costly to compile: estimated cost over " +
                         std::to_string(options.max_regex_cost) +
                         " (FilterOptions::max_regex_cost); Unicode classes such as \\w "
                         "and large repeats cost most",
                     name, e.line, col};
      }
      total_cost += m.cost;
      if (total_cost > options.max_regex_total_cost) {
        return Error{ErrorCode::limit,
                     "the regexes of the list set are too costly to compile: estimated cost "
                     "over " +
                         std::to_string(options.max_regex_total_cost) +
                         " (FilterOptions::max_regex_total_cost)",
                     name, e.line, col};
      }
    }
  }
  return std::nullopt;
}

}  // namespace deter::rules
