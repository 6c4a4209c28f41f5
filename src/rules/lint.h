// Pieces of deter::lint (include/deter/lint.h) that are about one entry.
#ifndef DETER_RULES_LINT_H_
#define DETER_RULES_LINT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "rules/list.h"

namespace deter::rules {

// Characters other than spaces in a normalized text: " ab c " -> 3.
std::size_t letter_count(std::string_view normalized);

// What an entry means after normalization, for finding duplicates: its kind
// and its patterns (kind, negation, normalized text), a rule's parts sorted.
// Overrides ($action, ...) are not part of it.
std::string meaning_key(const Entry& entry);

// The normalized form of a pattern, without the padding spaces: the text a
// literal pattern looks for, or the regex as written.
std::string normalized_text(const Pattern& pattern);

}  // namespace deter::rules

#endif  // DETER_RULES_LINT_H_
