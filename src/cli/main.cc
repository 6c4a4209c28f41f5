// deter: check queries against block lists, and test, lint and measure lists.
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>

#include "cli/common.h"

namespace {

// Builds the command line and runs the subcommand it names (subcommands run
// inside parse()).
int run(int argc, char** argv) {
  CLI::App app{"deter: decide whether search queries match a deterrence block list"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("deter ") + DETER_VERSION);
  int exit_code = deter::cli::kExitOk;
  deter::cli::add_check_command(app, exit_code);
  deter::cli::add_test_command(app, exit_code);
  deter::cli::add_lint_command(app, exit_code);
  deter::cli::add_impact_command(app, exit_code);
  deter::cli::add_compile_command(app, exit_code);
  deter::cli::add_keygen_command(app, exit_code);
  deter::cli::add_explain_command(app, exit_code);
  deter::cli::add_bench_command(app, exit_code);
  deter::cli::add_stats_command(app, exit_code);
  deter::cli::add_checksum_command(app, exit_code);
  deter::cli::add_probe_command(app, exit_code);
  deter::cli::add_serve_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : deter::cli::kExitUsage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // Anything thrown while the command line is built or a subcommand runs
  // ends here, with a message and an exit code of its own, never as an abort.
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("deter: out of memory\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "deter: unexpected failure: %s\n", e.what());
  } catch (...) {
    std::fputs("deter: unexpected failure\n", stderr);
  }
  return deter::cli::kExitFailure;
}
