// deter compile: write a list set's compiled database, one file that
// Filter::open (and every deter command's --lists) loads without compiling.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.h"

namespace deter::cli {
namespace {

struct CompileArgs {
  std::string lists;
  std::string output;
  std::string sign;  // secret key file
  bool strip_sources = false;
};

int run_compile(const CompileArgs& args) {
  auto start = std::chrono::steady_clock::now();
  std::optional<Filter> filter = open_lists(args.lists);
  if (!filter) return kExitUsage;
  auto compiled = std::chrono::steady_clock::now();
  SaveOptions save;
  save.strip_sources = args.strip_sources;
  if (!args.sign.empty()) {
    std::ifstream in(args.sign, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << "deter: " << escaped(args.sign) << ": cannot read the signing key\n";
      return kExitUsage;
    }
    save.sign_key = text.str();
  }
  Result<std::size_t> written = filter->save(args.output, save);
  if (!written) {
    std::cerr << "deter: " << escaped(written.error().to_string()) << "\n";
    return kExitUsage;
  }
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::cout << "wrote " << escaped(args.output) << (args.sign.empty() ? "" : " (signed)")
            << (args.strip_sources ? " (sources stripped)" : "") << ": " << filter->entry_count()
            << " entries in " << filter->lists().size() << " files, " << written.value()
            << " bytes, content " << filter->content_hash() << "\n";
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
  cmd->add_option("-o,--output", args->output,
                  "Compiled database file to write (created 0600: it holds the list sources)")
      ->required();
  cmd->add_option("--sign", args->sign,
                  "Sign the file with this secret key (deter keygen), for --trusted-key");
  cmd->add_flag("--strip-sources", args->strip_sources,
                "Leave out the list sources (entry lines, examples, comments); the normalized "
                "patterns stay in the file");
  add_trusted_key_option(cmd);
  cmd->callback([args, &exit_code] { exit_code = run_compile(*args); });
}

}  // namespace deter::cli
