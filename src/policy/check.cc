// FilterImpl::check: the three stages (scan.h, decide.h) in order, and the
// one place where a check that failed becomes the fail mode's answer.
#include "fail_mode.h"
#include "filter_impl.h"
#include "policy/decide.h"
#include "policy/scan.h"

namespace deter {
namespace {

policy::Scratch& thread_scratch() {
  static thread_local policy::Scratch scratch;
  return scratch;
}

}  // namespace

Decision FilterImpl::check(std::string_view query, const CheckOptions& check_options,
                           const std::shared_ptr<const FilterImpl>& self) const noexcept {
  Decision d;
  try {
    policy::Scratch& s = thread_scratch();
    if (!policy::scan(*this, query, s, d.flags)) {
      d.flags |= kFlagInternalError;
    } else if (!s.hits.empty()) {
      // Something was hit: only now are spans mapped and rules weighed.
      policy::resolve(*this, s);
      policy::decide(policy::Tables{entries, messages}, s.evidence, query, check_options, d);
      // The decision's string views and message point into this version.
      d.keep_alive = self;
    }
  } catch (...) {
    d.flags |= kFlagInternalError;
  }
  if (d.flags & kFlagInternalError) {
    apply_fail_mode(d, options.on_internal_error, options.fail_closed_action);
  }
  return d;
}

}  // namespace deter
