// The JSON object of one decision: a line of `deter check --format jsonl`
// and the answer of the sidecar's POST /v1/check, written by one function so
// that the two never differ.
#ifndef DETER_CLI_DECISION_JSON_H_
#define DETER_CLI_DECISION_JSON_H_

#include <deter/filter.h>

#include <string>
#include <string_view>

namespace deter::cli {

// Appends {"query":..,"action":..,"category":..,"severity":..,"message":..,
// "matches":[..],"flags":[..]} (no newline) for `d`, the decision for `query`.
void append_decision_json(std::string& out, std::string_view query, const Decision& d);

// Appends where a match was found: ,"view":..,"folds":[..],"begin":..,
// "end":..,"text":.. (the matched part of `query`), shared by check's and
// explain's match objects.
void append_match_place_json(std::string& out, std::string_view query, const Match& m);

}  // namespace deter::cli

#endif  // DETER_CLI_DECISION_JSON_H_
