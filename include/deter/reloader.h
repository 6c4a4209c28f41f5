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

struct ReloaderOptions {
  // What check() answers while no list has ever loaded (the decision also
  // carries kFlagNoList). allow fails open; prompt or block fail closed.
  Action no_list_action = Action::allow;
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
// its last version in memory until it checks again or exits.
class DETER_EXPORT Reloader {
 public:
  // Starts with no list: check() answers options.no_list_action.
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
