// The vocabulary of include/deter/types.h: names of actions and views, and
// the text of an error. The lowest layer: every other one may use it.
#include "deter/types.h"

#include <array>

namespace deter {
namespace {

constexpr std::array<std::string_view, 4> kActionNames = {"allow", "inform", "prompt", "block"};
constexpr std::array<std::string_view, kViewCount> kViewNames = {
    "base", "leet", "squeeze", "spaced", "joined", "homoglyph", "phonetic", "fuzzy"};

}  // namespace

std::string_view to_string(Action action) noexcept {
  auto i = static_cast<std::size_t>(action);
  return i < kActionNames.size() ? kActionNames[i] : "unknown";
}

std::optional<Action> parse_action(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == name) return static_cast<Action>(i);
  }
  return std::nullopt;
}

std::string_view to_string(View view) noexcept {
  auto i = static_cast<std::size_t>(view);
  return i < kViewNames.size() ? kViewNames[i] : "unknown";
}

std::optional<View> parse_view(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kViewNames.size(); ++i) {
    if (kViewNames[i] == name) return static_cast<View>(i);
  }
  return std::nullopt;
}

std::string Error::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':';
      out += std::to_string(line);
      if (column > 0) {
        out += ':';
        out += std::to_string(column);
      }
    }
    out += ": ";
  }
  out += message;
  return out;
}

}  // namespace deter
