// deter::Reloader: the current Filter behind a mutex, and a per-thread
// copy of it that a check reuses while the version number is unchanged.
//
// The check path reads one atomic counter and touches no shared cache line
// (no lock, no reference count) unless a reload happened since the thread's
// last check. Measured against std::atomic<std::shared_ptr> and a plain
// mutex-guarded copy in bench/store_bench.cc (see bench/README.md). The
// atomic<shared_ptr> of libstdc++ 12 was also ruled out for correctness:
// its load() releases its lock bit with a relaxed store, which ThreadSanitizer
// reports as a data race against a concurrent store().
#include "deter/reloader.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <utility>

#include "fail_mode.h"
#include "filter_impl.h"

namespace deter {

namespace {

std::atomic<std::uint64_t> next_reloader_id{1};

// The version a thread last used, per thread (one Reloader at a time: a
// thread that alternates between Reloaders takes the locked path).
// Set when this thread's snapshot has been destroyed (at thread or process
// exit). A bool has no destructor, so it stays readable after that: a
// Reloader destroyed later during exit (a static one) must not touch the
// destroyed snapshot, or it releases its version a second time (found by the
// asan preset with examples/service.cc).
thread_local bool snapshot_destroyed = false;
struct ThreadSnapshot {
  std::uint64_t reloader = 0;
  std::uint64_t version = 0;
  std::shared_ptr<const FilterImpl> impl;
  ~ThreadSnapshot() { snapshot_destroyed = true; }
};
thread_local ThreadSnapshot snapshot;

}  // namespace

struct Reloader::State {
  ReloaderOptions options;
  const std::uint64_t id = next_reloader_id.fetch_add(1);
  mutable std::mutex current_mutex;  // guards current; version changes under it
  std::shared_ptr<const FilterImpl> current;
  std::atomic<std::uint64_t> version{0};
  std::mutex reload_mutex;  // one reload (compile + swap) at a time
  mutable std::mutex error_mutex;
  std::optional<Error> last_error;
  mutable std::mutex worker_mutex;
  mutable std::thread worker;

  std::uint64_t install(std::shared_ptr<const FilterImpl> next) {
    std::shared_ptr<const FilterImpl> old;
    std::uint64_t v;
    {
      std::lock_guard lock(current_mutex);
      old = std::exchange(current, std::move(next));
      v = version.load(std::memory_order_relaxed) + 1;
      version.store(v, std::memory_order_release);
    }
    return v;  // `old` is released outside the lock
  }

  // The current version and its number, under the lock.
  std::pair<std::shared_ptr<const FilterImpl>, std::uint64_t> load() const {
    std::lock_guard lock(current_mutex);
    return {current, version.load(std::memory_order_relaxed)};
  }

  // The calling thread's copy of the current version, refreshed when a
  // reload has happened since. Null before any list has loaded.
  const std::shared_ptr<const FilterImpl>& thread_current() const noexcept {
    ThreadSnapshot& s = snapshot;
    const std::uint64_t v = version.load(std::memory_order_acquire);
    if (s.reloader != id || s.version != v || !s.impl) {
      auto [impl, loaded] = load();
      s.impl = std::move(impl);
      s.version = loaded;
      s.reloader = id;
    }
    return s.impl;
  }
  void join_worker() const {
    std::lock_guard lock(worker_mutex);
    if (worker.joinable()) worker.join();
  }
};

Reloader::Reloader(const ReloaderOptions& options) : state_(std::make_unique<State>()) {
  state_->options = options;
}

Reloader::Reloader(Filter initial, const ReloaderOptions& options) : Reloader(options) {
  state_->install(initial.impl());
}

Reloader::~Reloader() {
  state_->join_worker();
  // Drop this thread's copy now; other threads drop theirs on their next
  // check of any Reloader, or when they exit.
  if (!snapshot_destroyed && snapshot.reloader == state_->id) {
    snapshot.impl.reset();
    snapshot.reloader = 0;
    snapshot.version = 0;
  }
}

Decision Reloader::check(std::string_view query, const CheckOptions& options) const noexcept {
  const std::shared_ptr<const FilterImpl>& impl = state_->thread_current();
  if (!impl) {
    return fail_decision(state_->options.on_no_list, state_->options.fail_closed_action,
                         kFlagNoList);
  }
  return impl->check(query, options, impl);
}

std::optional<Filter> Reloader::current() const noexcept {
  std::shared_ptr<const FilterImpl> impl = state_->load().first;
  if (!impl) return std::nullopt;
  return Filter(std::move(impl));
}

std::uint64_t Reloader::version() const noexcept {
  return state_->version.load(std::memory_order_acquire);
}

std::uint64_t Reloader::swap(Filter next) noexcept {
  std::lock_guard lock(state_->reload_mutex);
  return state_->install(next.impl());
}

Result<std::uint64_t> Reloader::reload(const std::string& path, const FilterOptions& options) {
  std::lock_guard lock(state_->reload_mutex);
  Result<Filter> opened = Filter::open(path, options);
  if (!opened) {
    std::lock_guard elock(state_->error_mutex);
    state_->last_error = opened.error();
    return opened.error();
  }
  std::uint64_t v = state_->install(opened.value().impl());
  std::lock_guard elock(state_->error_mutex);
  state_->last_error.reset();
  return v;
}

void Reloader::reload_async(std::string path, FilterOptions options,
                            std::function<void(const Result<std::uint64_t>&)> done) {
  std::lock_guard lock(state_->worker_mutex);
  if (state_->worker.joinable()) state_->worker.join();
  state_->worker = std::thread(
      [this, path = std::move(path), options = std::move(options), done = std::move(done)] {
        Result<std::uint64_t> r = reload(path, options);
        if (done) done(r);
      });
}

void Reloader::wait() const { state_->join_worker(); }

std::optional<Error> Reloader::last_error() const {
  std::lock_guard lock(state_->error_mutex);
  return state_->last_error;
}

}  // namespace deter
