// The homoglyph view's table: the letters that look like one Latin letter
// a-z, generated at build time from the ICU the library is built with
// (src/text/gen_confusables.cc writes text/confusables_table.h into the
// build tree). Only views.cc and its test read it.
#ifndef DETER_TEXT_CONFUSABLES_H_
#define DETER_TEXT_CONFUSABLES_H_

#include <array>
#include <cstdint>

namespace deter::text {

struct Confusable {
  char32_t cp;          // a letter as a base form holds it (case folded)
  char letter;          // the Latin letter it looks like, a-z
  std::uint8_t script;  // its UScriptCode (USCRIPT_LATIN = 25)
};

#include "text/confusables_table.h"

}  // namespace deter::text

#endif  // DETER_TEXT_CONFUSABLES_H_
