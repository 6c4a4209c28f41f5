// The C API's hot path allocates nothing: with a reused decision, checking
// queries that match nothing makes no call to operator new, through
// deter_check, deter_check_batch and deter_service_check alike.
//
// This program replaces the global operator new to count calls; the shared
// library's calls resolve to it too. Usage: c_api_alloc_test LIST_DIR
#include <deter/deter.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {
std::atomic<long> allocations{0};
}

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& t) noexcept {
  return operator new(size, t);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  // Ordinary queries in several scripts, none of which the demo lists match.
  const char* queries[] = {
      "weather in jakarta tomorrow",
      "\xe0\xa4\xad\xe0\xa4\xbe\xe0\xa4\xb0\xe0\xa4\xa4 \xe0\xa4\x95\xe0\xa5\x80 "
      "\xe0\xa4\xb0\xe0\xa4\xbe\xe0\xa4\x9c\xe0\xa4\xa7\xe0\xa4\xbe\xe0\xa4\xa8\xe0\xa5\x80",
      "orchard opening hours",
      "F0R 455 items \xff\xfe",
      "",
  };
  constexpr std::size_t n = sizeof queries / sizeof queries[0];
  std::size_t lens[n];
  for (std::size_t i = 0; i < n; ++i) lens[i] = std::strlen(queries[i]);

  deter_filter_t* filter = nullptr;
  deter_service_t* service = nullptr;
  deter_decision_t* decisions[n] = {};
  if (deter_filter_open(argv[1], nullptr, &filter) != DETER_OK ||
      deter_service_new(argv[1], nullptr, &service) != DETER_OK) {
    std::fprintf(stderr, "%s\n", deter_last_error());
    return 1;
  }
  for (auto& d : decisions) deter_decision_new(&d);
  deter_check_options_t options;
  deter_check_options_init(&options);
  options.locale = "hi-IN";

  auto round = [&] {
    int bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      bad += deter_check(filter, queries[i], lens[i], &options, decisions[0]) != DETER_OK;
      bad += deter_decision_action(decisions[0]) != DETER_ACTION_ALLOW;
      bad += deter_service_check(service, queries[i], lens[i], nullptr, decisions[1]) != DETER_OK;
    }
    bad += deter_check_batch(filter, queries, lens, n, nullptr, decisions) != DETER_OK;
    return bad;
  };
  int bad = round();  // the first round sets up this thread's buffers and scratch
  long before = allocations.load();
  for (int r = 0; r < 1000; ++r) bad += round();
  long during = allocations.load() - before;

  for (auto& d : decisions) deter_decision_free(d);
  deter_service_free(service);
  deter_filter_free(filter);
  std::printf("c_api_alloc_test: %ld allocations in 1000 rounds, %d bad results\n", during, bad);
  return during == 0 && bad == 0 ? 0 : 1;
}
