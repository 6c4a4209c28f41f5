// The dominant script of a query, for hit rates and counts per language.
// Only letters count, so digits and punctuation never decide.
#ifndef DETER_CLI_SCRIPT_H_
#define DETER_CLI_SCRIPT_H_

#include <array>
#include <string_view>

namespace deter::cli {

enum class Script { latin, devanagari, bengali, kannada, other };
inline constexpr std::array<Script, 5> kScripts = {Script::latin, Script::devanagari,
                                                   Script::bengali, Script::kannada, Script::other};

// "latin", "devanagari", "bengali", "kannada", "other".
std::string_view to_string(Script script);

// The script most of the query's letters are written in; `other` when it is
// another script or the query has no letters. Ties go to the earlier script
// in kScripts. Invalid UTF-8 bytes are skipped.
Script dominant_script(std::string_view query);

}  // namespace deter::cli

#endif  // DETER_CLI_SCRIPT_H_
