#include "list_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace deter {
namespace {

namespace fs = std::filesystem;

// Closes the descriptor on every path out of read_one.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string limit_text(std::size_t limit, std::string_view option) {
  return "the limit is " + std::to_string(limit) + " (FilterOptions::" + std::string(option) + ")";
}

// Why `path`, which could not be opened, could not be: the two ways a
// symbolic link fails get their own words, since "No such file" for a name
// that `ls` shows is a puzzle.
std::string open_failure(const fs::path& path, int error) {
  std::error_code ec;
  const bool link = fs::is_symlink(fs::symlink_status(path, ec));
  if (link && error == ENOENT) return "dangling symbolic link";
  if (error == ELOOP) return "symbolic link loop";
  return std::string("cannot read file: ") + std::strerror(error);
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// Reads one file of the set into `out`, at most `limit` bytes (one more
// tells that it is too large).
std::optional<Error> read_one(const fs::path& path, const std::string& name, std::size_t limit,
                              std::string& out) {
  Fd f;
  // O_NONBLOCK: a FIFO named en.list must be refused, not waited on; it has
  // no effect on a regular file.
  f.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (f.fd < 0) return Error{ErrorCode::io, open_failure(path, errno), name, 0, 0};
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) {
    return Error{ErrorCode::io, std::string("cannot read file: ") + std::strerror(errno), name, 0,
                 0};
  }
  if (!S_ISREG(st.st_mode)) {
    return Error{ErrorCode::io, "not a regular file: " + kind_of(st.st_mode), name, 0, 0};
  }
  if (static_cast<std::uint64_t>(st.st_size) > limit) {
    return Error{
        ErrorCode::limit,
        "file is " + std::to_string(st.st_size) + " bytes; " + limit_text(limit, "max_list_bytes"),
        name, 0, 0};
  }
  // The size may be wrong by the time we read (a file that grows), so the
  // read itself stops one byte past the limit.
  out.clear();
  constexpr std::size_t kChunk = 1 << 16;
  while (out.size() <= limit) {
    const std::size_t want = std::min(kChunk, limit + 1 - out.size());
    const std::size_t old = out.size();
    out.resize(old + want);
    const ssize_t got = ::read(f.fd, out.data() + old, want);
    if (got < 0 && errno == EINTR) {
      out.resize(old);
      continue;
    }
    if (got < 0) {
      return Error{ErrorCode::io, std::string("cannot read file: ") + std::strerror(errno), name, 0,
                   0};
    }
    out.resize(old + static_cast<std::size_t>(got));
    if (got == 0) break;
  }
  if (out.size() > limit) {
    return Error{ErrorCode::limit,
                 "file is larger than the limit of " + std::to_string(limit) +
                     " bytes (FilterOptions::max_list_bytes)",
                 name, 0, 0};
  }
  return std::nullopt;
}

}  // namespace

bool is_list_set_file(std::string_view name) {
  return name == "messages.toml" || fs::path(name).extension() == ".list";
}

Result<SourceFiles> read_list_directory(const std::string& directory,
                                        const FilterOptions& options) {
  std::error_code ec;
  std::vector<std::string> names;
  fs::directory_iterator it(directory, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!is_list_set_file(name)) continue;
    if (names.size() >= options.max_list_files) {
      return Error{ErrorCode::limit,
                   "more than " + std::to_string(options.max_list_files) + " list files; " +
                       limit_text(options.max_list_files, "max_list_files"),
                   directory, 0, 0};
    }
    names.push_back(std::move(name));
  }
  if (ec) return Error{ErrorCode::io, "cannot list directory: " + ec.message(), directory, 0, 0};
  std::sort(names.begin(), names.end());
  if (std::none_of(names.begin(), names.end(),
                   [](const std::string& n) { return n != "messages.toml"; })) {
    return Error{ErrorCode::io, "no *.list files", directory, 0, 0};
  }

  SourceFiles files;
  files.reserve(names.size());
  std::size_t total = 0;
  for (const std::string& name : names) {
    const std::size_t left = options.max_list_set_bytes - total;
    std::string contents;
    if (auto err = read_one(fs::path(directory) / name, name,
                            std::min(options.max_list_bytes, left), contents)) {
      // Over what is left of the set's budget, not over the file's own.
      if (err->code == ErrorCode::limit && left < options.max_list_bytes) {
        return Error{ErrorCode::limit,
                     "the list set is larger than " + std::to_string(options.max_list_set_bytes) +
                         " bytes (FilterOptions::max_list_set_bytes)",
                     name, 0, 0};
      }
      return *err;
    }
    total += contents.size();
    files.emplace_back(name, std::move(contents));
  }
  return files;
}

}  // namespace deter
