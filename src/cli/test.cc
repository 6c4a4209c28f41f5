// deter test: run every inline match:/no-match: example of a list set.
#include <iostream>

#include "cli/common.h"

namespace deter::cli {
namespace {

int run_test(const std::string& lists, bool verbose) {
  std::optional<Filter> filter = open_lists(lists);
  if (!filter) return kExitUsage;
  if (!filter->has_sources()) {
    std::cerr << "deter: " << lists
              << ": this compiled database was stripped of its sources; run it on the list "
                 "directory\n";
    return kExitUsage;
  }
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const ExampleResult& r : filter->run_examples()) {
    if (r.passed) {
      ++passed;
      if (verbose) {
        std::cout << "ok   " << escaped(r.example.file) << ":" << r.example.line << ": "
                  << (r.example.must_match ? "match: " : "no-match: ") << escaped(r.example.query)
                  << "\n";
      }
    } else {
      ++failed;
      std::cout << "FAIL " << escaped(r.example.file) << ":" << r.example.line << ": "
                << escaped(r.detail) << "\n";
    }
  }
  std::cout << filter->entry_count() << " entries in " << filter->lists().size() << " files\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitFindings;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
  auto lists = std::make_shared<std::string>();
  auto verbose = std::make_shared<bool>(false);
  CLI::App* cmd =
      app.add_subcommand("test", "Run the inline match:/no-match: examples of a list set");
  cmd->add_option("--lists", *lists, "List set directory")->required();
  add_trusted_key_option(cmd);
  cmd->add_flag("-v,--verbose", *verbose, "Print passing examples too");
  cmd->callback([lists, verbose, &exit_code] { exit_code = run_test(*lists, *verbose); });
}

}  // namespace deter::cli
