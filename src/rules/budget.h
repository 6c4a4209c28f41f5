// Bounds on what an untrusted list set may cost to load (FilterOptions'
// limits), checked before anything is compiled.
#ifndef DETER_RULES_BUDGET_H_
#define DETER_RULES_BUDGET_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deter/types.h"
#include "rules/list.h"

namespace deter::rules {

// What a regex would cost Hyperscan to compile, estimated from its text
// (FilterOptions documents the model), and how deeply its groups nest.
struct RegexMeasure {
  std::size_t cost = 0;   // saturates at `cap` + 1
  std::size_t depth = 0;  // deepest group nesting
  // Byte offset in the pattern of the first '(' that reached `depth_limit`
  // (npos if none did), so the error can point at it.
  std::size_t too_deep_at = std::string_view::npos;
};

RegexMeasure measure_regex(std::string_view pattern, std::size_t cap, std::size_t depth_limit);

// Refuses a file that is not text: when at least 10% of its first 8 KiB are
// NUL bytes, control characters or invalid UTF-8, with a message that says
// so and the place of the first such byte.
std::optional<Error> check_is_text(std::string_view file, std::string_view text);

// Checks what can be checked of a list set before anything is parsed:
// every file's size, and that a messages file is text (the parser checks
// list files itself). The first problem is returned as an error.
std::optional<Error> check_files(const std::vector<std::pair<std::string, std::string>>& files,
                                 const Limits& options);

// The bounds only the whole set can be checked against (examples, regexes,
// their total cost), counted list by list as each is parsed, so that a set
// is parsed once: add() each parsed list; the first one over a bound gets
// an error with file:line:col.
class SetBudget {
 public:
  explicit SetBudget(const Limits& limits) : limits_(limits) {}
  std::optional<Error> add(const ListFile& list);

 private:
  Limits limits_;
  std::size_t examples = 0;
  std::size_t regexes = 0;
  std::size_t total_cost = 0;
};

}  // namespace deter::rules

#endif  // DETER_RULES_BUDGET_H_
