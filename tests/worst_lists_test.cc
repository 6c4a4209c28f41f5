// Loads every list of tests/worst_lists.h and checks that it loads, or is
// refused at its place. Registered with a ctest TIMEOUT: a shape that makes
// loading quadratic or unbounded again fails by running out of time. It
// prints each shape's load time, but asserts none (bench/ measures them).
//
//   deter_worst_lists [NAME...]      only the shapes named
//   deter_worst_lists --write DIR    writes each shape to DIR/NAME/t.list, to
//                                    time another build on them (deter test)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "worst_lists.h"

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--write") == 0) {
    for (const deter::worst::Shape& s : deter::worst::shapes()) {
      const std::filesystem::path dir = std::filesystem::path(argv[2]) / s.name;
      std::filesystem::create_directories(dir);
      std::ofstream(dir / "t.list", std::ios::binary) << s.list;
    }
    return 0;
  }
  int failures = 0;
  for (const deter::worst::Shape& s : deter::worst::shapes()) {
    if (argc > 1 && std::find(argv + 1, argv + argc, s.name) == argv + argc) continue;
    const auto start = std::chrono::steady_clock::now();
    deter::Result<deter::Filter> f = deter::Filter::from_sources({{"t.list", s.list}});
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::string outcome;
    bool ok = false;
    if (f) {
      outcome = "loaded, " + std::to_string(f.value().entry_count()) + " entries";
      ok = s.code == deter::ErrorCode::ok && f.value().entry_count() == s.entries;
    } else {
      const deter::Error& e = f.error();
      outcome = e.to_string().substr(0, 160);
      ok = e.code == s.code && e.file == "t.list" && e.line == s.line && e.column == s.column;
    }
    std::printf("%-34s %9zu bytes %8.3f s  %s%s\n", s.name.c_str(), s.list.size(), took.count(),
                ok ? "" : "UNEXPECTED: ", outcome.c_str());
    if (!ok) {
      std::printf("%34s expected code %d at %u:%u (%zu entries)\n", "", static_cast<int>(s.code),
                  s.line, s.column, s.entries);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
