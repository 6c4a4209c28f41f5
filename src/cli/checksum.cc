// deter checksum: write or verify the `! checksum:` header of list files
// (lists/README.md "Checksum"), so that a list cut short while it is copied
// or rewritten fails to load instead of losing its last entries.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/common.h"

namespace deter::cli {
namespace {

struct ChecksumArgs {
  std::vector<std::string> files;
  bool check = false;
};

// Reads `path` whole, refusing anything larger than a list may be; says why
// it could not.
bool read_list(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "deter: " << path << ": cannot read file\n";
    return false;
  }
  const std::size_t limit = FilterOptions{}.max_list_bytes;
  out.clear();
  char buf[1 << 16];
  while (in && out.size() <= limit) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    std::cerr << "deter: " << path << ": cannot read file\n";
    return false;
  }
  if (out.size() > limit) {
    std::cerr << "deter: " << path << ": larger than a list may be ("
              << limit << " bytes, FilterOptions::max_list_bytes)\n";
    return false;
  }
  return true;
}

bool is_list(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  std::string_view first = text.substr(start, text.find('\n', start) - start);
  while (!first.empty() && (first.back() == '\r' || first.back() == ' ' || first.back() == '\t')) {
    first.remove_suffix(1);
  }
  return first == "! deter-list 1";
}

// Replaces `path` by `text` the way a list should be published: a temporary
// file in the same directory (same file system), with the original's
// permissions, flushed, then renamed over it. A reader sees the old file or
// the new one, never a mix.
bool replace_file(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path tmp = target;
  tmp += ".checksum-" + std::to_string(::getpid()) + ".tmp";
  std::error_code ec;
  const fs::perms perms = fs::status(target, ec).permissions();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      std::cerr << "deter: " << tmp.string() << ": cannot write\n";
      return false;
    }
  }
  if (!ec) fs::permissions(tmp, perms, ec);
  fs::rename(tmp, target, ec);
  if (ec) {
    std::cerr << "deter: " << path << ": cannot rename into place: " << ec.message() << "\n";
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

int run_checksum(const ChecksumArgs& args) {
  int status = kExitOk;
  for (const std::string& path : args.files) {
    std::string text;
    if (!read_list(path, text)) {
      status = kExitUsage;
      continue;
    }
    if (!is_list(text)) {
      std::cerr << "deter: " << path << ": not a list file (no '! deter-list 1' line)\n";
      status = kExitUsage;
      continue;
    }
    const std::string sealed = with_list_checksum(text);
    const std::string sum = list_checksum(text);
    if (args.check) {
      if (sealed == text) {
        std::cout << path << ": checksum ok\n";
      } else {
        std::cout << path << ": checksum missing or wrong (its lines give " << sum << ")\n";
        if (status == kExitOk) status = kExitFindings;
      }
      continue;
    }
    if (sealed != text && !replace_file(path, sealed)) {
      status = kExitUsage;
      continue;
    }
    std::cout << path << ": checksum " << sum << "\n";
  }
  return status;
}

}  // namespace

void add_checksum_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ChecksumArgs>();
  CLI::App* cmd = app.add_subcommand(
      "checksum", "Write the '! checksum:' header of list files (in place, atomically)");
  cmd->add_option("files", args->files, "List files")->required();
  cmd->add_flag("--check", args->check,
                "Change nothing; exit 1 unless every file carries the checksum line this "
                "command would write");
  cmd->callback([args, &exit_code] { exit_code = run_checksum(*args); });
}

}  // namespace deter::cli
