// The counters of `deter serve`, written as the Prometheus text format
// (version 0.0.4) for GET /metrics. Labels are fixed names (endpoint, status
// code, action) or list text (category): never query text.
#ifndef DETER_CLI_SERVE_METRICS_H_
#define DETER_CLI_SERVE_METRICS_H_

#include <deter/filter.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace deter::cli {

enum class Endpoint : std::uint8_t {
  check,
  check_batch,
  suggestions_filter,
  healthz,
  readyz,
  metrics,
  demo,
  other,  // unknown paths and requests refused before routing
};
inline constexpr std::size_t kEndpointCount = 8;
std::string_view endpoint_name(Endpoint e) noexcept;

// Safe from every request thread at once: counters are relaxed atomics, and
// the one map (decisions by category, for decisions that are not allow) is
// locked only when a query matched.
class ServeMetrics {
 public:
  // One answered request: its endpoint, HTTP status and time in the server.
  void record_request(Endpoint e, int status, double seconds) noexcept;
  // Decisions (each query of a batch counts). A batch is tallied first and
  // added once: a lock and a counter update per query would make request
  // threads queue on each other.
  void record_decision(const Decision& d) { record_decisions(&d, 1); }
  void record_decisions(const Decision* d, std::size_t n);
  // One /v1/suggestions:filter: candidates shown and withheld.
  void record_suggestions(std::size_t shown, std::size_t withheld) noexcept {
    suggestions_shown_.fetch_add(shown, std::memory_order_relaxed);
    suggestions_withheld_.fetch_add(withheld, std::memory_order_relaxed);
  }
  void record_reload(bool ok, double seconds, std::uint64_t version, std::size_t entries,
                     std::string_view content_hash);

  std::string render() const;

  // Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 14> kBuckets = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
      0.01,    0.025,  0.05,    0.1,    0.25,  0.5,   1.0};

 private:
  // Status codes the server answers, each with its own counter; any other
  // code is counted under the last slot, "other".
  static constexpr std::array<int, 9> kStatuses = {200, 400, 404, 405, 413, 431, 500, 503, 0};
  struct EndpointCounters {
    std::array<std::atomic<std::uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> nanoseconds{0};
  };
  std::array<EndpointCounters, kEndpointCount> endpoints_;
  std::array<std::atomic<std::uint64_t>, 4> by_action_{};  // indexed by Action
  mutable std::mutex category_mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> by_category_;  // (category, action)
  std::atomic<std::uint64_t> suggestions_shown_{0};
  std::atomic<std::uint64_t> suggestions_withheld_{0};
  std::atomic<std::uint64_t> reload_ok_{0};
  std::atomic<std::uint64_t> reload_failed_{0};
  mutable std::mutex load_mutex_;
  std::uint64_t version_ = 0;
  std::size_t entries_ = 0;
  double load_seconds_ = 0;
  double loaded_at_ = 0;  // Unix time
  std::string content_hash_;
};

}  // namespace deter::cli

#endif  // DETER_CLI_SERVE_METRICS_H_
