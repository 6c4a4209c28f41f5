// deter compile: write a list set's compiled database, one file that
// Filter::open (and every deter command's --lists) loads without compiling.
#include <chrono>
#include <iostream>

#include "cli/common.h"

namespace deter::cli {
namespace {

struct CompileArgs {
  std::string lists;
  std::string output;
};

int run_compile(const CompileArgs& args) {
  auto start = std::chrono::steady_clock::now();
  std::optional<Filter> filter = open_lists(args.lists);
  if (!filter) return kExitUsage;
  auto compiled = std::chrono::steady_clock::now();
  Result<std::size_t> written = filter->save(args.output);
  if (!written) {
    std::cerr << "deter: " << escaped(written.error().to_string()) << "\n";
    return kExitUsage;
  }
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::cout << "wrote " << escaped(args.output) << ": " << filter->entry_count() << " entries in "
            << filter->lists().size() << " files, " << written.value() << " bytes, content "
            << filter->content_hash() << "\n";
  for (const ListInfo& l : filter->lists()) {
    std::cout << "  " << escaped(l.file)
              << (l.version.empty() ? "" : " version " + escaped(l.version)) << ": " << l.entries
              << " entries\n";
  }
  std::cout << "compiled in " << static_cast<long>(ms(start, compiled)) << " ms\n";
  return kExitOk;
}

}  // namespace

void add_compile_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CompileArgs>();
  CLI::App* cmd =
      app.add_subcommand("compile", "Compile a list set into one database file for fast loading");
  cmd->add_option("--lists", args->lists, "List set directory")->required();
  cmd->add_option("-o,--output", args->output, "Compiled database file to write")->required();
  cmd->callback([args, &exit_code] { exit_code = run_compile(*args); });
}

}  // namespace deter::cli
