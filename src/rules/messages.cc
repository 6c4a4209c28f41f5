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

}  // namespace

Result<std::vector<Message>> parse_messages(std::string_view file, std::string_view text) {
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
