// messages.toml: the localized text of deterrence prompts. Each message is a
// table [KEY.LOCALE] with `title`, `body` and optional `links`, e.g.
//   [prompt.default.hi]
//   title = "..."
#include <toml++/toml.h>

#include "rules/list.h"

namespace deter::rules {
namespace {

Error at(std::string_view file, const toml::source_region& where, std::string message) {
  return Error{ErrorCode::syntax, std::move(message), std::string(file),
               static_cast<std::uint32_t>(where.begin.line),
               static_cast<std::uint32_t>(where.begin.column)};
}

// Walks nested tables; a table holding `title` is a message whose path is
// KEY.LOCALE.
std::optional<Error> collect(std::string_view file, const toml::table& table,
                             const std::string& path, std::vector<Message>& out) {
  if (table.contains("title") || table.contains("body")) {
    std::size_t dot = path.rfind('.');
    if (dot == std::string::npos) {
      return at(file, table.source(),
                "message '" + path + "' needs a locale: write [" + path + ".en]");
    }
    Message m;
    m.key = path.substr(0, dot);
    m.locale = path.substr(dot + 1);
    for (auto&& [k, v] : table) {
      std::string_view key = k.str();
      if (key == "title" || key == "body") {
        auto s = v.value<std::string>();
        if (!s) return at(file, v.source(), "'" + std::string(key) + "' must be a string");
        (key == "title" ? m.title : m.body) = *s;
      } else if (key == "links") {
        const toml::array* arr = v.as_array();
        if (!arr) return at(file, v.source(), "'links' must be an array of strings");
        for (auto&& link : *arr) {
          auto s = link.value<std::string>();
          if (!s) return at(file, link.source(), "'links' must be an array of strings");
          m.links.push_back(*s);
        }
      } else {
        return at(file, v.source(),
                  "unknown message field '" + std::string(key) + "' (expected title, body, links)");
      }
    }
    if (m.title.empty()) return at(file, table.source(), "message '" + path + "' has no title");
    out.push_back(std::move(m));
    return std::nullopt;
  }
  for (auto&& [k, v] : table) {
    std::string child = path.empty() ? std::string(k.str()) : path + "." + std::string(k.str());
    const toml::table* sub = v.as_table();
    if (!sub) {
      return at(file, v.source(), "'" + child + "' must be a table [KEY.LOCALE] with a title");
    }
    if (auto err = collect(file, *sub, child, out)) return err;
  }
  return std::nullopt;
}

// toml++ recurses once per level of nesting, with no limit for dotted keys:
// a header like [a.a.a.a...] with 50,000 parts overflows the stack. Message
// files need four or five levels ([prompt.default.en], links = [...]), so a
// line that opens more than kMaxNesting levels (dots, '[' and '{' outside
// strings and comments, plus the brackets still open from earlier lines) is
// refused before toml++ sees it.
constexpr int kMaxNesting = 32;

std::optional<Error> check_nesting(std::string_view file, std::string_view text) {
  int open = 0;  // '[' and '{' not yet closed, carried across lines
  std::uint32_t line = 1;
  std::uint32_t column = 0;
  int on_line = 0;
  std::size_t i = 0;
  auto skip_string = [&](std::string_view quote, bool escapes) {
    i += quote.size();
    column += static_cast<std::uint32_t>(quote.size());
    while (i < text.size()) {
      if (escapes && text[i] == '\\') {
        i += 2;
        column += 2;
        continue;
      }
      if (text.substr(i, quote.size()) == quote) {
        i += quote.size();
        column += static_cast<std::uint32_t>(quote.size());
        return;
      }
      if (text[i] == '\n') {
        ++line;
        column = 0;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++column;
      }
      ++i;
    }
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      column = 0;
      on_line = 0;
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (text.substr(i, 3) == "\"\"\"") {
      skip_string("\"\"\"", true);
      continue;
    }
    if (text.substr(i, 3) == "'''") {
      skip_string("'''", false);
      continue;
    }
    if (c == '"' || c == '\'') {
      skip_string(std::string_view(&text[i], 1), c == '"');
      continue;
    }
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
    if (c == '[' || c == '{') ++open;
    if ((c == ']' || c == '}') && open > 0) --open;
    if (c == '.' || c == '[' || c == '{') {
      if (++on_line + open > kMaxNesting) {
        return Error{ErrorCode::syntax,
                     "tables, arrays or dotted keys nested more than " +
                         std::to_string(kMaxNesting) + " deep",
                     std::string(file), line, column};
      }
    }
    ++i;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<Message>> parse_messages(std::string_view file, std::string_view text) {
  if (auto err = check_nesting(file, text)) return *err;
  toml::table table;
  try {
    table = toml::parse(text, std::string(file));
  } catch (const toml::parse_error& e) {
    return at(file, e.source(), std::string(e.description()));
  }
  std::vector<Message> out;
  if (auto err = collect(file, table, "", out)) return *err;
  return out;
}

}  // namespace deter::rules
