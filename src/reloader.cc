// deter::Reloader: the current Filter behind an atomic shared pointer.
//
// std::atomic<std::shared_ptr> (libstdc++: a lock bit in the pointer, held
// for the reference count increment) was measured against a mutex-guarded
// shared_ptr copy in bench/store_bench.cc (BM_Snapshot*): see bench/README.md.
#include "deter/reloader.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "filter_impl.h"

namespace deter {

struct Reloader::State {
  ReloaderOptions options;
  std::atomic<std::shared_ptr<const FilterImpl>> current;
  std::atomic<std::uint64_t> version{0};
  std::mutex reload_mutex;  // one reload (compile + swap) at a time
  mutable std::mutex error_mutex;
  std::optional<Error> last_error;
  mutable std::mutex worker_mutex;
  mutable std::thread worker;

  std::uint64_t install(std::shared_ptr<const FilterImpl> next) {
    current.store(std::move(next), std::memory_order_release);
    return version.fetch_add(1, std::memory_order_acq_rel) + 1;
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

Reloader::~Reloader() { state_->join_worker(); }

Decision Reloader::check(std::string_view query, const CheckOptions& options) const noexcept {
  std::shared_ptr<const FilterImpl> impl = state_->current.load(std::memory_order_acquire);
  if (!impl) {
    Decision d;
    d.action = state_->options.no_list_action;
    d.flags = kFlagNoList;
    return d;
  }
  return impl->check(query, options, impl);
}

std::optional<Filter> Reloader::current() const noexcept {
  std::shared_ptr<const FilterImpl> impl = state_->current.load(std::memory_order_acquire);
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
