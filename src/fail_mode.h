// FailMode applied to a decision that could not be made (see filter.h).
#ifndef DETER_FAIL_MODE_H_
#define DETER_FAIL_MODE_H_

#include "deter/filter.h"

namespace deter {

// Turns `d`, which carries kFlagInternalError or kFlagNoList, into the
// answer `mode` asks for: allow (open) or `closed_action` (closed), with no
// matches and no message. Keeps the flags. Does not allocate. Called by
// FilterImpl::check (policy/check.cc), for every path that checks a query,
// and by fail_decision; nowhere else.
inline void apply_fail_mode(Decision& d, FailMode mode, Action closed_action) noexcept {
  d.matches.clear();
  d.suppressed.clear();
  d.occurrences.clear();
  d.category = {};
  d.severity = 0;
  d.message_key = {};
  d.message = nullptr;
  d.action = mode == FailMode::closed ? closed_action : Action::allow;
}

}  // namespace deter

#endif  // DETER_FAIL_MODE_H_
