// Helpers shared by the tests: build filters from inline list text.
#ifndef DETER_TESTS_TEST_UTIL_H_
#define DETER_TESTS_TEST_UTIL_H_

#include <deter/filter.h>

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

namespace deter::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(DETER_SOURCE_DIR) + "/" + relative;
}

// A filter from one list file; fails the test if it does not load.
inline Filter filter_from(const std::string& list_text, const FilterOptions& options = {},
                          const std::string& messages = {}) {
  std::vector<std::pair<std::string, std::string>> files = {{"t.list", list_text}};
  if (!messages.empty()) files.emplace_back("messages.toml", messages);
  Result<Filter> f = Filter::from_sources(files, options);
  if (!f) FAIL("list did not load: " << f.error().to_string());
  return std::move(f).value();
}

// The error from loading one list file; fails the test if it loads.
inline Error error_from(const std::string& list_text, const std::string& file = "t.list") {
  Result<Filter> f = Filter::from_sources({{file, list_text}});
  if (f) FAIL("list loaded but should not have:\n" << list_text);
  return f.error();
}

// The bundled demo lists, loaded once per test process.
inline const Filter& demo() {
  static const Filter f = [] {
    Result<Filter> r = Filter::open(source_path("lists/demo"));
    if (!r) FAIL(r.error().to_string());
    return std::move(r).value();
  }();
  return f;
}

inline std::string header(const std::string& extra = {}) {
  return "! deter-list 1\n! name: t\n! language: en\n! category: demo\n! action: prompt\n" + extra;
}

}  // namespace deter::testing

#endif  // DETER_TESTS_TEST_UTIL_H_
