// deter keygen: make an Ed25519 key pair for signing compiled databases
// (deter compile --sign NAME.key) and checking them (--trusted-key NAME.pub,
// FilterOptions::trusted_keys).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli/common.h"

namespace deter::cli {
namespace {

// Creates `path` with `mode`, refusing to replace an existing file: a key
// overwritten by mistake cannot be recovered.
bool write_new_file(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    std::cerr << "deter: " << path << ": cannot create: " << std::strerror(errno) << "\n";
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    std::cerr << "deter: " << path << ": cannot write\n";
    ::unlink(path.c_str());
  }
  return ok;
}

int run_keygen(const std::string& name) {
  Result<SigningKeyPair> pair = generate_signing_key();
  if (!pair) {
    std::cerr << "deter: " << pair.error().to_string() << "\n";
    return kExitUsage;
  }
  const std::string secret = name + ".key";
  const std::string pub = name + ".pub";
  if (!write_new_file(secret, pair.value().secret_key, 0600)) return kExitUsage;
  if (!write_new_file(pub, pair.value().public_key, 0644)) {
    ::unlink(secret.c_str());
    return kExitUsage;
  }
  std::cout << "wrote " << secret << " (secret: sign with 'deter compile --sign " << secret
            << "') and " << pub << " (public: check with --trusted-key " << pub << ")\n";
  return kExitOk;
}

}  // namespace

void add_keygen_command(CLI::App& app, int& exit_code) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "keygen", "Make a key pair for signing compiled databases: NAME.key and NAME.pub");
  cmd->add_option("-o,--output", *name, "NAME: writes NAME.key (0600) and NAME.pub")->required();
  cmd->callback([name, &exit_code] { exit_code = run_keygen(*name); });
}

}  // namespace deter::cli
