// The last stage of check(): from the occurrences of entries in a query to a
// Decision. It reads nothing but the entry table, the messages and its
// input, so it can be tested on occurrences written by hand (no views, no
// Hyperscan): tests/policy_test.cc.
#ifndef DETER_POLICY_DECIDE_H_
#define DETER_POLICY_DECIDE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "deter/filter.h"
#include "rules/entry_table.h"
#include "rules/list.h"

namespace deter::policy {

// message key -> one Message per locale (FilterImpl::messages).
using MessageTable = std::map<std::string, std::vector<Message>, std::less<>>;

// One occurrence of one pattern of one entry, mapped back to the query.
struct Occurrence {
  std::uint32_t entry = 0;  // index into the entry table
  std::uint32_t part = 0;   // index into Entry::patterns (a rule's part; 0 otherwise)
  View view = View::base;   // the view it was found in
  std::size_t begin = 0;    // byte span [begin, end) of the original query
  std::size_t end = 0;
  // The folds of a composed section that led to it (text/views.h,
  // kFoldOrder); empty when it is `view` alone.
  ViewSet folds;
};

// What the decision is made from.
struct Evidence {
  // Every occurrence kept, of every kind of entry (patterns, rule parts,
  // negated parts, exceptions), in scan order.
  std::vector<Occurrence> occurrences;
  // The entries some occurrences of which were left out (scan.h,
  // kKeptPerAtom), sorted, each once. Not empty: the decision is flagged
  // kFlagCapped and leans toward the higher action (see decide.cc).
  std::vector<std::uint32_t> capped_entries;
};

// The tables a decision reads.
struct Tables {
  const rules::EntryTable& entries;
  const MessageTable& messages;
};

// Evaluates rules (every positive part hit, no negated one) and exceptions
// (query scope, or overlap), picks the winner (highest action, then
// severity, then the earliest match) and its message. Sets d.matches,
// d.suppressed and d.occurrences (CheckOptions::explain only), action,
// category, severity, message and kFlagCapped; keeps d's other flags.
// `query` is the text the spans point into (the message may follow its
// script). Allocates only when `evidence` is not empty.
void decide(const Tables& tables, const Evidence& evidence, std::string_view query,
            const CheckOptions& options, Decision& d);

// The message for `key`: in the caller's locale (or its language), else the
// locale of the matched text's script, else the entry's locale, else
// English, else the first one defined. Null when the key has none.
const Message* find_message(const MessageTable& messages, std::string_view key,
                            std::string_view caller_locale, std::string_view script_locale,
                            std::string_view entry_locale);

}  // namespace deter::policy

#endif  // DETER_POLICY_DECIDE_H_
