// The public facade: deter::Filter and the small value types of filter.h.
#include <algorithm>
#include <array>
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

bool read_file(const std::filesystem::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  if (!in) return false;
  const std::streamoff size = in.tellg();
  if (size < 0) return false;
  out.resize(static_cast<std::size_t>(size));
  in.seekg(0);
  in.read(out.data(), size);
  return in.gcount() == size;
}

// Writes `bytes` to `path` through a temporary file and a rename, so a
// reader never sees half a file.
std::optional<Error> write_atomically(const std::string& path, const std::string& bytes) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path tmp = target;
  tmp += ".tmp" + std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error{ErrorCode::io, "cannot write file", tmp.string(), 0, 0};
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return Error{ErrorCode::io, "cannot write file", tmp.string(), 0, 0};
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Error{ErrorCode::io, "cannot rename into place: " + ec.message(), path, 0, 0};
  }
  return std::nullopt;
}

Result<Filter> from_compiled(std::string_view bytes, const FilterOptions& options,
                             const std::string& name) {
  try {
    auto impl = store::deserialize(bytes, options, name);
    if (!impl) return impl.error();
    return Filter(std::move(impl.value()));
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::limit, "out of memory while loading a compiled database", name, 0, 0};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, e.what(), name, 0, 0};
  }
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
    std::string bytes;
    if (!read_file(directory, bytes)) {
      return Error{ErrorCode::io, "cannot read file", directory, 0, 0};
    }
    return from_compiled(bytes, options, directory);
  }
  if (!fs::is_directory(directory, ec)) {
    return Error{ErrorCode::io, "not a list directory or compiled database", directory, 0, 0};
  }
  Result<SourceFiles> read = read_list_directory(directory, options);
  if (!read) return read.error();
  SourceFiles& files = read.value();
  if (options.cache_dir.empty()) return from_sources(files, options);

  // The cache: a hit loads without compiling; anything wrong with the cached
  // file (stale, damaged, foreign) falls back to compiling and replaces it.
  std::sort(files.begin(), files.end());
  fs::path cached = fs::path(options.cache_dir) / store::cache_file_name(files, options);
  std::string bytes;
  if (fs::is_regular_file(cached, ec) && read_file(cached, bytes)) {
    Result<Filter> hit = from_compiled(bytes, options, cached.string());
    if (hit && hit.value().impl()->sources == files) return hit;
  }
  Result<Filter> compiled = from_sources(files, options);
  if (compiled) {
    fs::create_directories(options.cache_dir, ec);
    (void)compiled.value().save(cached.string());  // a cache that cannot be written is no error
  }
  return compiled;
}

Result<std::size_t> Filter::save(const std::string& path) const {
  try {
    Result<std::string> bytes = store::serialize(*impl_);
    if (!bytes) return bytes.error();
    if (auto err = write_atomically(path, bytes.value())) return *err;
    return bytes.value().size();
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::limit, "out of memory while saving a compiled database", path, 0, 0};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, e.what(), path, 0, 0};
  }
}

EntryInfo Filter::entry(std::uint32_t index) const {
  const rules::Entry& e = impl_->entries.at(index);
  return EntryInfo{e.id, e.file, e.line, e.source, e.kind == rules::EntryKind::exception};
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
  views.build(query, impl_->scan_views);
  std::vector<std::pair<View, std::string>> out;
  for (int v = 0; v < kViewCount; ++v) {
    const auto view = static_cast<View>(v);
    if (!impl_->scan_views.has(view) || view == View::joined) continue;
    std::string text(views.base());
    for (std::size_t i = 0; i < views.section_count(); ++i) {
      if (views.section(i).view == view) text = views.section_text(i);
    }
    out.emplace_back(view, std::move(text));
  }
  return out;
}

const std::vector<Example>& Filter::examples() const { return impl_->examples; }
const std::vector<ListInfo>& Filter::lists() const { return impl_->lists; }
std::size_t Filter::entry_count() const { return impl_->entries.size(); }
const std::string& Filter::content_hash() const { return impl_->content_hash; }
const FilterOptions& Filter::options() const { return impl_->options; }

std::vector<ExampleResult> Filter::run_examples() const {
  std::vector<ExampleResult> results;
  CheckOptions opts;
  opts.explain = true;
  for (const Example& ex : impl_->examples) {
    Decision d = check(ex.query, opts);
    ExampleResult r;
    r.example = ex;
    bool is_exception = false;
    for (const auto& e : impl_->entries) {
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
