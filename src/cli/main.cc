// deter: check queries against block lists, and test, lint and measure lists.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>

#include "cli/common.h"

namespace {

// The long option names of a command, "--lists" ..., for "did you mean".
std::vector<std::string> option_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd.get_options()) {
    for (const std::string& n : o->get_lnames()) names.push_back("--" + n);
  }
  return names;
}

// "deter chek", "deter --bogus", "deter check --lsts x": names the unknown
// word and the nearest known one, rather than CLI11's "A subcommand is
// required". Returns false when the command line has no such word.
bool report_unknown_word(const CLI::App& app, int argc, char** argv) {
  if (argc < 2) return false;
  const std::string word = argv[1];
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  std::vector<std::string> options = option_names(app);
  options.push_back("-h");
  if (std::find(commands.begin(), commands.end(), word) != commands.end() ||
      std::find(options.begin(), options.end(), word) != options.end()) {
    return false;
  }
  const bool is_option = word.starts_with("-");
  std::string hint = deter::cli::nearest_word(word, is_option ? options : commands);
  std::cerr << "deter: unknown " << (is_option ? "option" : "command") << " '"
            << deter::cli::escaped(word) << "'";
  if (!hint.empty()) std::cerr << "; did you mean '" << hint << "'?";
  std::cerr << "\nRun 'deter --help' for the commands.\n";
  return true;
}

// After a parse that left words over in a subcommand: the same, for its options.
bool report_unexpected(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands()) {
    std::vector<std::string> extra = sub->remaining();
    if (extra.empty()) extra = app.remaining();
    if (extra.empty()) continue;
    const std::string& word = extra.front();
    std::cerr << "deter " << sub->get_name() << ": unexpected '" << deter::cli::escaped(word)
              << "'";
    if (word.starts_with("-")) {
      std::string hint = deter::cli::nearest_word(word, option_names(*sub));
      if (!hint.empty()) std::cerr << "; did you mean '" << hint << "'?";
    }
    std::cerr << "\nRun 'deter " << sub->get_name() << " --help' for its options.\n";
    return true;
  }
  return false;
}

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
  if (report_unknown_word(app, argc, argv)) return deter::cli::kExitUsage;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    if (report_unexpected(app)) return deter::cli::kExitUsage;
    app.exit(e);
    return deter::cli::kExitUsage;
  } catch (const CLI::ParseError& e) {
    // "--lists is required" when the word meant to be --lists was misspelt:
    // name the misspelling first.
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && report_unexpected(app)) {
      return deter::cli::kExitUsage;
    }
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
