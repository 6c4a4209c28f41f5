// deter::Reloader: serve checks from the current list version while new
// versions are compiled and swapped in.
//
//   deter::Reloader reloader(deter::Filter::open("lists/v1").value());
//   // request threads:
//   deter::Decision d = reloader.check(query);
//   // a maintenance thread, when a new list version is published:
//   deter::Result<std::uint64_t> v = reloader.reload("lists/v2");
//   if (!v) log_error(v.error().to_string());   // v1 is still serving
#ifndef DETER_RELOADER_H_
#define DETER_RELOADER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "deter/export.h"
#include "deter/filter.h"

namespace deter {

// What a Reloader answers while it holds no list set (before the first
// successful reload): fail_decision(on_no_list, fail_closed_action,
// kFlagNoList). The same settings as FilterOptions' on_internal_error and
// fail_closed_action, so a service configured by one FilterOptions fails the
// same way whether no list has loaded or a check failed inside a list set.
//
//   option              default   meaning
//   on_no_list          open      FailMode::open allows; FailMode::closed answers
//                                 fail_closed_action (no matches, no message)
//   fail_closed_action  prompt    the action FailMode::closed answers
struct ReloaderOptions {
  FailMode on_no_list = FailMode::open;
  Action fail_closed_action = Action::prompt;

  // The fail settings of `options` (on_internal_error, fail_closed_action).
  static ReloaderOptions from(const FilterOptions& options) noexcept {
    return ReloaderOptions{options.on_internal_error, options.fail_closed_action};
  }
};

// Holds the current Filter and replaces it atomically.
//
// check() and current() are safe from any number of threads at once, also
// while reload() runs. A check takes the version current when it starts and
// finishes on it, even if a reload swaps in another meanwhile; the Decision
// keeps its version's tables alive (Decision::keep_alive) for as long as the
// caller holds it. A reload compiles the new version completely before the
// swap: a list set with any error is never swapped in, the old version keeps
// serving, and the error is returned and kept in last_error().
//
// Cost: a check reads one atomic counter more than Filter::check. Each
// thread keeps a reference to the version it last checked with, refreshed
// on its first check after a reload; so a thread that stops checking keeps
// its last version in memory until it checks again or exits. The reference
// is kept for one Reloader per thread: a thread that checks with several
// Reloaders in turn takes a lock and a reference count on each switch.
//
// The C API's deter_service_t and Python's deter.Service are this class.
class DETER_EXPORT Reloader {
 public:
  // Starts with no list: check() answers by options (see ReloaderOptions)
  // until a reload or swap succeeds.
  explicit Reloader(const ReloaderOptions& options = {});
  // Starts serving `initial` as version 1.
  explicit Reloader(Filter initial, const ReloaderOptions& options = {});
  ~Reloader();
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Decides with the current version. Never throws.
  Decision check(std::string_view query, const CheckOptions& options = {}) const noexcept;

  // The current version (null before any list has loaded). Callers that
  // need several checks on one version hold on to it.
  std::optional<Filter> current() const noexcept;
  // How many versions have been swapped in (0: none yet).
  std::uint64_t version() const noexcept;

  // Opens `path` (a list directory or a compiled database, as Filter::open)
  // on the calling thread and swaps it in. Returns the new version number,
  // or the error; on error the old version keeps serving. Reloads are
  // serialized: a second caller waits for the first.
  Result<std::uint64_t> reload(const std::string& path, const FilterOptions& options = {});
  // Swaps in a Filter built elsewhere; returns its version number.
  std::uint64_t swap(Filter next) noexcept;

  // Like reload(), on a background thread; `done` (optional) is called on
  // that thread with the outcome. A reload still running when the next
  // starts is waited for first; the destructor waits for the last one.
  void reload_async(std::string path, FilterOptions options = {},
                    std::function<void(const Result<std::uint64_t>&)> done = {});
  // Waits until no background reload is running.
  void wait() const;

  // The error of the last failed reload, cleared by a successful one.
  std::optional<Error> last_error() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace deter

#endif  // DETER_RELOADER_H_
