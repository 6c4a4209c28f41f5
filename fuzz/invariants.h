// What every fuzzer shares: REQUIRE_THAT, which aborts with the invariant's
// text when it does not hold (so libFuzzer keeps the input as a crash), and
// the small limits of the fuzzers that load lists.
//
// A fuzzer defines `constexpr const char* kFuzzerName = "fuzz_x";` before
// its first REQUIRE_THAT.
#ifndef DETER_FUZZ_INVARIANTS_H_
#define DETER_FUZZ_INVARIANTS_H_

#include <deter/filter.h>

#include <cstdio>
#include <cstdlib>

namespace deter_fuzz {

[[noreturn]] inline void fail(const char* fuzzer, const char* what) {
  std::fprintf(stderr, "%s: invariant violated: %s\n", fuzzer, what);
  std::abort();
}

// Small limits, so that the limit paths are reached and no input is slow.
inline deter::FilterOptions small_options() {
  deter::FilterOptions o;
  o.max_list_bytes = 64 * 1024;
  o.max_entries = 500;
  o.max_entry_bytes = 2000;
  return o;
}

}  // namespace deter_fuzz

#define REQUIRE_THAT(cond)                               \
  do {                                                   \
    if (!(cond)) ::deter_fuzz::fail(kFuzzerName, #cond); \
  } while (0)

#endif  // DETER_FUZZ_INVARIANTS_H_
