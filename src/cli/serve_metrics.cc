#include "cli/serve_metrics.h"

#include <algorithm>
#include <chrono>
#include <vector>
#include <cstdio>

namespace deter::cli {
namespace {

// A label value as the text format wants it: \\, \" and \n escaped.
void append_label(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_number(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  out += buf;
}

}  // namespace

std::string_view endpoint_name(Endpoint e) noexcept {
  switch (e) {
    case Endpoint::check: return "/v1/check";
    case Endpoint::check_batch: return "/v1/check:batch";
    case Endpoint::suggestions_filter: return "/v1/suggestions:filter";
    case Endpoint::healthz: return "/healthz";
    case Endpoint::readyz: return "/readyz";
    case Endpoint::metrics: return "/metrics";
    case Endpoint::demo: return "demo";
    case Endpoint::other: break;
  }
  return "other";
}

void ServeMetrics::record_request(Endpoint e, int status, double seconds) noexcept {
  EndpointCounters& c = endpoints_[static_cast<std::size_t>(e)];
  std::size_t slot = kStatuses.size() - 1;
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) slot = i;
  }
  c.by_status[slot].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  c.buckets[b].fetch_add(1, std::memory_order_relaxed);
  c.nanoseconds.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void ServeMetrics::record_decisions(const Decision* d, std::size_t n) {
  std::array<std::uint64_t, 4> actions{};
  std::vector<std::pair<std::string_view, int>> matched;
  for (std::size_t i = 0; i < n; ++i) {
    ++actions[static_cast<std::size_t>(d[i].action) & 3];
    if (d[i].action != Action::allow) matched.emplace_back(d[i].category, static_cast<int>(d[i].action));
  }
  for (std::size_t a = 0; a < actions.size(); ++a) {
    if (actions[a]) by_action_[a].fetch_add(actions[a], std::memory_order_relaxed);
  }
  if (matched.empty()) return;
  std::sort(matched.begin(), matched.end());
  std::lock_guard<std::mutex> lock(category_mutex_);
  for (std::size_t i = 0; i < matched.size();) {
    std::size_t j = i;
    while (j < matched.size() && matched[j] == matched[i]) ++j;
    auto key = std::make_pair(std::string(matched[i].first), matched[i].second);
    by_category_[key] += j - i;
    i = j;
  }
}

void ServeMetrics::record_reload(bool ok, double seconds, std::uint64_t version,
                                 std::size_t entries, std::string_view content_hash) {
  (ok ? reload_ok_ : reload_failed_).fetch_add(1, std::memory_order_relaxed);
  if (!ok) return;
  std::lock_guard<std::mutex> lock(load_mutex_);
  version_ = version;
  entries_ = entries;
  load_seconds_ = seconds;
  loaded_at_ = std::chrono::duration<double>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  content_hash_ = content_hash;
}

std::string ServeMetrics::render() const {
  std::string out;
  out.reserve(16384);
  out += "# HELP deter_http_requests_total HTTP requests answered, by endpoint and status code.\n";
  out += "# TYPE deter_http_requests_total counter\n";
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      std::uint64_t n = endpoints_[e].by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "deter_http_requests_total{endpoint=\"";
      out += endpoint_name(static_cast<Endpoint>(e));
      out += "\",code=\"";
      out += kStatuses[s] == 0 ? std::string("other") : std::to_string(kStatuses[s]);
      out += "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP deter_http_request_duration_seconds Time from the request's routing to its "
         "answer, by endpoint.\n";
  out += "# TYPE deter_http_request_duration_seconds histogram\n";
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    const EndpointCounters& c = endpoints_[e];
    const std::string label = "endpoint=\"" + std::string(endpoint_name(static_cast<Endpoint>(e))) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += c.buckets[b].load(std::memory_order_relaxed);
      out += "deter_http_request_duration_seconds_bucket{" + label + ",le=\"";
      if (b < kBuckets.size()) {
        append_number(out, kBuckets[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "deter_http_request_duration_seconds_sum{" + label + "} ";
    append_number(out, static_cast<double>(c.nanoseconds.load(std::memory_order_relaxed)) / 1e9);
    out += "\ndeter_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(cumulative) + "\n";
  }
  out += "# HELP deter_decisions_total Decisions made (each query of a batch counts), by action.\n";
  out += "# TYPE deter_decisions_total counter\n";
  for (int a = 0; a < 4; ++a) {
    out += "deter_decisions_total{action=\"";
    out += to_string(static_cast<Action>(a));
    out += "\"} " + std::to_string(by_action_[a].load(std::memory_order_relaxed)) + "\n";
  }
  out += "# HELP deter_decisions_by_category_total Decisions other than allow, by action and "
         "the winning entry's category.\n";
  out += "# TYPE deter_decisions_by_category_total counter\n";
  {
    std::lock_guard<std::mutex> lock(category_mutex_);
    for (const auto& [key, n] : by_category_) {
      out += "deter_decisions_by_category_total{action=\"";
      out += to_string(static_cast<Action>(key.second));
      out += "\",category=\"";
      append_label(out, key.first);
      out += "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP deter_suggestions_total Typeahead candidates, by whether they may be shown.\n";
  out += "# TYPE deter_suggestions_total counter\n";
  out += "deter_suggestions_total{result=\"shown\"} " +
         std::to_string(suggestions_shown_.load(std::memory_order_relaxed)) + "\n";
  out += "deter_suggestions_total{result=\"withheld\"} " +
         std::to_string(suggestions_withheld_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP deter_reloads_total List set loads, by result; a failed one keeps the old version.\n";
  out += "# TYPE deter_reloads_total counter\n";
  out += "deter_reloads_total{result=\"success\"} " +
         std::to_string(reload_ok_.load(std::memory_order_relaxed)) + "\n";
  out += "deter_reloads_total{result=\"failure\"} " +
         std::to_string(reload_failed_.load(std::memory_order_relaxed)) + "\n";
  std::lock_guard<std::mutex> lock(load_mutex_);
  out += "# HELP deter_list_version Version of the list set serving (0: none loaded).\n";
  out += "# TYPE deter_list_version gauge\n";
  out += "deter_list_version " + std::to_string(version_) + "\n";
  out += "# HELP deter_list_info The list set serving, by the digest of its sources.\n";
  out += "# TYPE deter_list_info gauge\n";
  out += "deter_list_info{content_hash=\"";
  append_label(out, content_hash_);
  out += "\"} 1\n";
  out += "# HELP deter_list_entries Entries in the list set serving.\n";
  out += "# TYPE deter_list_entries gauge\n";
  out += "deter_list_entries " + std::to_string(entries_) + "\n";
  out += "# HELP deter_list_load_duration_seconds Time the serving list set took to load.\n";
  out += "# TYPE deter_list_load_duration_seconds gauge\n";
  out += "deter_list_load_duration_seconds ";
  append_number(out, load_seconds_);
  out += "\n# HELP deter_list_loaded_timestamp_seconds When the serving list set was loaded.\n";
  out += "# TYPE deter_list_loaded_timestamp_seconds gauge\n";
  out += "deter_list_loaded_timestamp_seconds ";
  append_number(out, loaded_at_);
  out += "\n";
  return out;
}

}  // namespace deter::cli
