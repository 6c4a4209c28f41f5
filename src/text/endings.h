// A case ending is not a typo. Hindi, Bengali and Kannada attach case
// endings and plurals to the word (বাগান, বাগানের; ದಂತಕಥೆ, ದಂತಕಥೆಯ), and
// the dictionaries that guard the fuzzy view hold few inflected forms, so a
// query word that is an entry word with one more letter at its end is most
// often that word in another case, spelled right: a benign word the fuzzy
// view must not read as the entry's (a list that wants the forms writes a
// stem: `বাগান*`, lists/README.md "Writing stems and affixes").
#ifndef DETER_TEXT_ENDINGS_H_
#define DETER_TEXT_ENDINGS_H_

#include <cstddef>
#include <string_view>

#include "text/scripts.h"
#include "text/utf8.h"

namespace deter::text {

// True when `word` (the query's token, as typed) is in Devanagari, Bengali
// or Kannada and `typed` (that word, or its phonetic key) is `fixed` (the
// entry word or key it is one edit from) with one character added at its end.
inline bool adds_an_ending(std::string_view word, std::string_view typed,
                           std::string_view fixed) noexcept {
  if (word.size() < 2 || typed.size() <= fixed.size() || typed.substr(0, fixed.size()) != fixed ||
      indic_script_of_utf8(static_cast<unsigned char>(word[0]),
                           static_cast<unsigned char>(word[1])) == IndicScript::none) {
    return false;
  }
  return code_point_count(typed.substr(fixed.size())) == 1;
}

// Drops from the `found` corrections in `fixed` those adds_an_ending
// refuses, keeping the order of the rest; returns how many are left.
inline std::size_t drop_endings(std::string_view word, std::string_view typed,
                                std::string_view* fixed, std::size_t found) noexcept {
  std::size_t kept = 0;
  for (std::size_t r = 0; r < found; ++r) {
    if (!adds_an_ending(word, typed, fixed[r])) fixed[kept++] = fixed[r];
  }
  return kept;
}

}  // namespace deter::text

#endif  // DETER_TEXT_ENDINGS_H_
