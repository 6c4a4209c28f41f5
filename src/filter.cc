// The public facade: deter::Filter and the small value types of filter.h.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fail_mode.h"
#include "filter_impl.h"
#include "list_directory.h"
#include "rules/budget.h"
#include "store.h"
#include "text/normalize.h"
#include "text/views.h"

namespace deter {
namespace {

// A compiled database mapped read-only: the filter uses its token index
// where it lies, and processes that open one file share its pages.
struct MappedFile {
  const char* data = nullptr;
  std::size_t size = 0;
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data != nullptr) ::munmap(const_cast<char*>(data), size);
  }
  std::string_view bytes() const { return {data, size}; }
};

// Maps a compiled database: its header first, so that any other file is
// refused after 16 bytes, then the rest, if it is within
// max_compiled_bytes. A file that is truncated while mapped makes a read
// past its new end fault (SIGBUS): deter replaces its files by rename
// (write_atomically), never in place, and so must whatever deploys them.
Result<std::shared_ptr<const MappedFile>> map_compiled_file(const std::string& path,
                                                            const FilterOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::io, "cannot read file", path, 0, 0};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  std::string head(store::kHeaderBytes, '\0');
  ssize_t got = 0;
  do {
    got = ::pread(fd, head.data(), head.size(), 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return Error{ErrorCode::io, "cannot read file", path, 0, 0};
  head.resize(static_cast<std::size_t>(got));
  if (auto err = store::check_header(head, path)) return *err;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error{ErrorCode::io, "cannot read file", path, 0, 0};
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > options.max_compiled_bytes) {
    return Error{ErrorCode::limit,
                 "file is " + std::to_string(size) + " bytes; the limit is " +
                     std::to_string(options.max_compiled_bytes) +
                     " (FilterOptions::max_compiled_bytes)",
                 path, 0, 0};
  }
  auto file = std::make_shared<MappedFile>();
  // Not populated: opening reads the pages it checks once, then lets them
  // go (from_compiled), and a query maps in only the pages it reads.
  void* p = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) {
    return Error{ErrorCode::io, std::string("cannot map file: ") + std::strerror(errno), path, 0,
                 0};
  }
  file->data = static_cast<const char*>(p);
  file->size = static_cast<std::size_t>(size);
  return std::shared_ptr<const MappedFile>(std::move(file));
}

// Writes `bytes` to `path` through a temporary file and a rename, so a
// reader never sees half a file. The file is created 0600: a compiled
// database holds the list sources, which are confidential.
std::optional<Error> write_atomically(const std::string& path, const std::string& bytes) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path tmp = target;
  tmp += ".tmp" + std::to_string(::getpid()) + "-" +
         std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error{ErrorCode::io, std::string("cannot write file: ") + std::strerror(errno),
                 tmp.string(), 0, 0};
  }
  bool ok = true;
  for (std::size_t done = 0; ok && done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  std::error_code ec;
  if (!ok) {
    fs::remove(tmp, ec);
    return Error{ErrorCode::io, "cannot write file", tmp.string(), 0, 0};
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Error{ErrorCode::io, "cannot rename into place: " + ec.message(), path, 0, 0};
  }
  return std::nullopt;
}

// `mapped`, when the bytes lie in a mapped file, is that file.
Result<Filter> from_compiled(std::string_view bytes, const FilterOptions& options,
                             const std::string& name, std::shared_ptr<const void> keep_alive,
                             const MappedFile* mapped = nullptr) {
  try {
    // Opening reads every page of the file (its checksum, the checks of
    // each part); a query reads few. The pages are dropped from this
    // process's mapping between those passes and once open, not from
    // memory: they stay in the page cache, shared by every process that
    // maps the file, and a page read again is mapped in again from there
    // (a minor fault for 64 KB). So opening never holds the whole file, and
    // an open process holds its own memory and the pages its queries use
    // (list-100000: 154 -> 37 MB resident when idle). The file is never
    // written to (PROT_READ, MAP_PRIVATE), so nothing is lost.
    auto let_go = [mapped] {
      if (mapped != nullptr) ::madvise(const_cast<char*>(mapped->data), mapped->size, MADV_DONTNEED);
    };
    auto impl = store::deserialize(bytes, options, name, std::move(keep_alive), let_go);
    let_go();
#if defined(__GLIBC__)
    // Loading frees most of what it allocates (the parsed sources' copies,
    // the literals, the checks' tables), and glibc keeps freed pages below
    // the top of its heap: without this, they stay resident (and counted
    // in every process's PSS) for the life of the process.
    ::malloc_trim(0);
#endif
    if (!impl) return impl.error();
    return Filter(std::move(impl.value()));
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::limit, "out of memory while loading a compiled database", name, 0, 0};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, e.what(), name, 0, 0};
  }
}

// The cache: a hit loads without compiling; anything wrong with the cached
// file (stale, damaged, foreign, or not tagged with this cache's key)
// falls back to compiling and replaces it. Without a usable key (the
// directory cannot be written, or its key file is not private) nothing is
// read from or written to the cache.
Result<Filter> open_cached(std::vector<std::pair<std::string, std::string>>& files,
                           const FilterOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::sort(files.begin(), files.end());
  fs::create_directories(options.cache_dir, ec);
  std::optional<std::string> key;
  try {
    key = store::cache_key(options.cache_dir);
  } catch (const std::exception&) {
  }
  if (!key) return Filter::from_sources(files, options);
  fs::path cached = fs::path(options.cache_dir) / store::cache_file_name(files, options);
  if (fs::is_regular_file(cached, ec)) {
    try {
      auto file = map_compiled_file(cached.string(), options);
      std::optional<std::string_view> body;
      if (file) body = store::unseal_cache(file.value()->bytes(), *key);
      if (body) {
        Result<Filter> hit =
            from_compiled(*body, options, cached.string(), file.value(), file.value().get());
        if (hit && hit.value().impl()->sources == files) return hit;
      }
    } catch (const std::bad_alloc&) {
    }
  }
  Result<Filter> compiled = Filter::from_sources(files, options);
  if (compiled) {
    // A cache that cannot be written is no error.
    try {
      Result<std::string> bytes = store::serialize(*compiled.value().impl());
      if (bytes) {
        (void)write_atomically(cached.string(), store::seal_cache(std::move(bytes.value()), *key));
      }
    } catch (const std::exception&) {
    }
  }
  return compiled;
}

}  // namespace

std::string_view to_string(FailMode mode) noexcept {
  return mode == FailMode::closed ? "closed" : "open";
}

Decision fail_decision(FailMode mode, Action closed_action, std::uint32_t flag) noexcept {
  Decision d;
  d.flags = flag;
  apply_fail_mode(d, mode, closed_action);
  return d;
}

Filter::Filter(std::shared_ptr<const FilterImpl> impl) : impl_(std::move(impl)) {}

Result<Filter> Filter::from_sources(const std::vector<std::pair<std::string, std::string>>& files,
                                    const FilterOptions& options) {
  try {
    const bool any_list = std::any_of(files.begin(), files.end(), [](const auto& f) {
      const std::string& name = f.first;
      return name.size() < 5 || name.compare(name.size() - 5, 5, ".toml") != 0;
    });
    if (!any_list) return Error{ErrorCode::invalid_argument, "no *.list files", "", 0, 0};
    // Bounds first: an untrusted list set is refused before it costs more
    // (the bounds of the whole set are checked as compile() parses it).
    if (auto err = rules::check_files(files, limits_of(options))) return *err;
    auto compiled = FilterImpl::compile(files, options);
    if (!compiled) return compiled.error();
    return Filter(std::move(compiled.value()));
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::limit, "out of memory while compiling the list set", "", 0, 0};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, e.what(), "", 0, 0};
  }
}

Result<Filter> Filter::open(const std::string& directory, const FilterOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(directory, ec)) {
    try {
      auto file = map_compiled_file(directory, options);
      if (!file) return file.error();
      // A signature is checked before anything else in the file is read.
      Result<std::string_view> body =
          store::unseal(file.value()->bytes(), options.trusted_keys, directory);
      if (!body) return body.error();
      return from_compiled(body.value(), options, directory, file.value(), file.value().get());
    } catch (const std::bad_alloc&) {
      return Error{ErrorCode::limit, "out of memory while reading a compiled database", directory,
                   0, 0};
    }
  }
  if (!fs::is_directory(directory, ec)) {
    return Error{ErrorCode::io, "not a list directory or compiled database", directory, 0, 0};
  }
  Result<SourceFiles> read = read_list_directory(directory, options);
  if (!read) return read.error();
  SourceFiles& files = read.value();
  if (options.cache_dir.empty()) return from_sources(files, options);
  return open_cached(files, options);
}

Result<std::size_t> Filter::save(const std::string& path) const { return save(path, {}); }

Result<std::size_t> Filter::save(const std::string& path, const SaveOptions& options) const {
  try {
    Result<std::string> bytes = store::serialize(*impl_, options.strip_sources);
    if (!bytes) {
      Error e = bytes.error();
      e.file = path;
      return e;
    }
    if (!options.sign_key.empty()) {
      bytes = store::sign(std::move(bytes.value()), options.sign_key);
      if (!bytes) {
        Error e = bytes.error();
        e.file = path;
        return e;
      }
    }
    if (auto err = write_atomically(path, bytes.value())) return *err;
    return bytes.value().size();
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::limit, "out of memory while saving a compiled database", path, 0, 0};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, e.what(), path, 0, 0};
  }
}

Result<SigningKeyPair> generate_signing_key() {
  try {
    return store::generate_key_pair();
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, e.what(), "", 0, 0};
  }
}

EntryInfo Filter::entry(std::uint32_t index) const {
  impl_->read_sources();
  const rules::EntryRef e = impl_->entries.at(index);
  return EntryInfo{e.id, e.file, e.line, impl_->entries.source(index),
                   e.kind == rules::EntryKind::exception, e.views};
}

Decision Filter::check(std::string_view query, const CheckOptions& options) const noexcept {
  return impl_->check(query, options, impl_);
}

void Filter::check_batch(const std::vector<std::string_view>& queries, std::vector<Decision>& out,
                         const CheckOptions& options) const noexcept {
  try {
    out.resize(queries.size());
  } catch (...) {
    return;
  }
  for (std::size_t i = 0; i < queries.size(); ++i) out[i] = check(queries[i], options);
}

std::string Filter::normalize(std::string_view query) const {
  if (query.size() > impl_->options.max_query_bytes) {
    query = query.substr(0, impl_->options.max_query_bytes);
  }
  return text::normalize_base(query);
}

std::vector<std::pair<View, std::string>> Filter::views_of(std::string_view query) const {
  if (query.size() > impl_->options.max_query_bytes) {
    query = query.substr(0, impl_->options.max_query_bytes);
  }
  text::QueryViews views;
  views.build(query, impl_->scan_views, &impl_->fuzzy, &impl_->fuzzy_keys,
              &impl_->entry_words);
  std::vector<std::pair<View, std::string>> out;
  for (int v = 0; v < kViewCount; ++v) {
    const auto view = static_cast<View>(v);
    if (!impl_->scan_views.has(view) || view == View::joined) continue;
    std::string text(views.base());
    for (std::size_t i = 0; i < views.section_count(); ++i) {
      const text::Section& sec = views.section(i);
      if (sec.view == view && !sec.composed) text = views.section_text(i);
    }
    out.emplace_back(view, std::move(text));
  }
  return out;
}

const std::vector<Example>& Filter::examples() const {
  impl_->read_sources();
  return impl_->examples;
}
const std::vector<ListInfo>& Filter::lists() const { return impl_->lists; }
bool Filter::has_sources() const { return !impl_->sources.empty(); }
std::size_t Filter::entry_count() const { return impl_->entries.size(); }
const std::string& Filter::content_hash() const { return impl_->content_hash; }
const FilterOptions& Filter::options() const { return impl_->options; }

std::vector<ExampleResult> Filter::run_examples() const {
  std::vector<ExampleResult> results;
  CheckOptions opts;
  opts.explain = true;
  impl_->read_sources();
  for (const Example& ex : impl_->examples) {
    Decision d = check(ex.query, opts);
    ExampleResult r;
    r.example = ex;
    bool is_exception = false;
    for (std::size_t i = 0; i < impl_->entries.size(); ++i) {
      const rules::EntryRef e = impl_->entries[i];
      if (e.id == ex.entry_id) {
        is_exception = e.kind == rules::EntryKind::exception;
        break;
      }
    }
    bool hit = false;
    if (is_exception) {
      hit = std::any_of(d.suppressed.begin(), d.suppressed.end(),
                        [&](const Match& m) { return m.suppressed_by == ex.entry_id; });
    } else {
      hit = std::any_of(d.matches.begin(), d.matches.end(),
                        [&](const Match& m) { return m.entry_id == ex.entry_id; });
    }
    r.passed = hit == ex.must_match;
    if (!r.passed) {
      std::string what = is_exception ? "the exception to suppress a match" : "a match";
      r.detail = std::string(ex.must_match ? "expected " : "expected no ") + what + " of " +
                 ex.entry_id + " for '" + ex.query + "'; the decision was " +
                 std::string(to_string(d.action));
      if (!d.matches.empty()) {
        r.detail += " by";
        for (const Match& m : d.matches) {
          r.detail += ' ';
          r.detail += m.entry_id;
        }
      }
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace deter
