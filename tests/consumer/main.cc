// Uses both public APIs of an installed deter: the C++ API and the C API.
// Usage: consumer LIST_DIR; prints "consumer: <action> <entry id>".
#include <deter/deter.h>
#include <deter/filter.h>

#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  deter::Result<deter::Filter> opened = deter::Filter::open(argv[1]);
  if (!opened) {
    std::cerr << opened.error().to_string() << "\n";
    return 1;
  }
  // As the README calls it: a designated initializer, C++20.
  deter::Decision d = opened.value().check("a forbidden orchard walk", {.locale = "en"});
  if (d.matches.empty()) return 1;

  // The C API must agree.
  deter_filter_t* filter = nullptr;
  deter_decision_t* decision = nullptr;
  if (deter_filter_open(argv[1], nullptr, &filter) != DETER_OK ||
      deter_decision_new(&decision) != DETER_OK) {
    std::cerr << deter_last_error() << "\n";
    return 1;
  }
  const char query[] = "a forbidden orchard walk";
  deter_check(filter, query, std::strlen(query), nullptr, decision);
  bool same = deter_decision_action(decision) == static_cast<int>(d.action);
  deter_decision_free(decision);
  deter_filter_free(filter);
  if (!same) return 1;

  std::cout << "consumer: " << deter::to_string(d.action) << " " << d.matches[0].entry_id
            << " (deter " << deter_version() << ")\n";
  return 0;
}
