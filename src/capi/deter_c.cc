// The C API (include/deter/deter.h) over the C++ API. Every entry point
// catches everything: no exception reaches C.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "deter/deter.h"
#include "deter/filter.h"
#include "deter/reloader.h"

struct deter_filter {
  explicit deter_filter(deter::Filter f) : filter(std::move(f)) {}
  deter::Filter filter;
};

struct deter_decision {
  deter::Decision decision;
};

// A service is a deter::Reloader: checks read its per-thread reference to
// the current version (no lock, no reference count on the hot path), and
// it answers by the options' fail mode while it holds no list set.
struct deter_service {
  explicit deter_service(const deter::FilterOptions& o)
      : options(o), reloader(deter::ReloaderOptions::from(o)) {}
  const deter::FilterOptions options;
  deter::Reloader reloader;
  std::mutex reload_mutex;  // guards directory; never held by checks
  std::string directory;    // empty: none yet (deter_service_new_empty)
};

namespace {

// The C enums are the C++ ones, value for value.
static_assert(DETER_ACTION_ALLOW == static_cast<int>(deter::Action::allow) &&
              DETER_ACTION_INFORM == static_cast<int>(deter::Action::inform) &&
              DETER_ACTION_PROMPT == static_cast<int>(deter::Action::prompt) &&
              DETER_ACTION_BLOCK == static_cast<int>(deter::Action::block));
static_assert(DETER_VIEW_BASE == static_cast<int>(deter::View::base) &&
              DETER_VIEW_LEET == static_cast<int>(deter::View::leet) &&
              DETER_VIEW_SQUEEZE == static_cast<int>(deter::View::squeeze) &&
              DETER_VIEW_SPACED == static_cast<int>(deter::View::spaced) &&
              DETER_VIEW_JOINED == static_cast<int>(deter::View::joined) &&
              DETER_VIEW_HOMOGLYPH == static_cast<int>(deter::View::homoglyph) &&
              DETER_VIEW_PHONETIC == static_cast<int>(deter::View::phonetic) &&
              DETER_VIEW_FUZZY == static_cast<int>(deter::View::fuzzy));
static_assert(DETER_VIEWS_ALL == deter::ViewSet::all().bits());
static_assert(unsigned{DETER_FLAG_TRUNCATED} == deter::kFlagTruncated &&
              unsigned{DETER_FLAG_INVALID_UTF8} == deter::kFlagInvalidUtf8 &&
              unsigned{DETER_FLAG_NO_LIST} == deter::kFlagNoList &&
              unsigned{DETER_FLAG_INTERNAL_ERROR} == deter::kFlagInternalError &&
              unsigned{DETER_FLAG_CAPPED} == deter::kFlagCapped);
static_assert(DETER_FAIL_OPEN == static_cast<int>(deter::FailMode::open) &&
              DETER_FAIL_CLOSED == static_cast<int>(deter::FailMode::closed));

// The calling thread's last error.
struct LastError {
  deter_status_t status = DETER_OK;
  std::string text;  // "file:line:col: message"
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

LastError& last_error() {
  static thread_local LastError error;
  return error;
}

// Records an error; if even that cannot allocate, keeps a static message.
deter_status_t fail(deter_status_t status, const char* message, const std::string& file = {},
                    std::uint32_t line = 0, std::uint32_t column = 0) noexcept {
  LastError& e = last_error();
  e.status = status;
  try {
    deter::Error err{deter::ErrorCode::internal, message, file, line, column};
    e.text = err.to_string();
    e.file = file;
    e.line = line;
    e.column = column;
  } catch (...) {
    e.text.clear();
    e.file.clear();
    e.line = e.column = 0;
  }
  return status;
}

deter_status_t status_of(deter::ErrorCode code) {
  switch (code) {
    case deter::ErrorCode::ok:
      return DETER_OK;
    case deter::ErrorCode::io:
      return DETER_E_IO;
    case deter::ErrorCode::syntax:
      return DETER_E_SYNTAX;
    case deter::ErrorCode::invalid_entry:
      return DETER_E_INVALID_ENTRY;
    case deter::ErrorCode::compile:
      return DETER_E_COMPILE;
    case deter::ErrorCode::limit:
      return DETER_E_LIMIT;
    case deter::ErrorCode::corrupt:
      return DETER_E_CORRUPT;
    case deter::ErrorCode::invalid_argument:
      return DETER_E_INVALID_ARGUMENT;
    case deter::ErrorCode::untrusted:
      return DETER_E_UNTRUSTED;
    case deter::ErrorCode::internal:
      break;
  }
  return DETER_E_INTERNAL;
}

deter_status_t fail(const deter::Error& error) noexcept {
  deter_status_t status = status_of(error.code);
  if (status == DETER_OK) status = DETER_E_INTERNAL;
  return fail(status, error.message.c_str(), error.file, error.line, error.column);
}

// Runs f, turning any exception into a status. f returns a status.
template <class F>
deter_status_t guarded(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(DETER_E_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(DETER_E_INTERNAL, e.what());
  } catch (...) {
    return fail(DETER_E_INTERNAL, "unknown failure");
  }
}

// The size of the first published version of each versioned struct: a
// caller's struct_size below it is an error, anything above is a newer
// header whose extra fields this library ignores.
constexpr std::size_t kFilterOptionsV1 = offsetof(deter_filter_options_t, max_entry_bytes) +
                                         sizeof(deter_filter_options_t::max_entry_bytes);
constexpr std::size_t kCheckOptionsV1 =
    offsetof(deter_check_options_t, explain) + sizeof(deter_check_options_t::explain);
constexpr std::size_t kMatchV1 =
    offsetof(deter_match_t, suppressed_by_len) + sizeof(deter_match_t::suppressed_by_len);
static_assert(deter::kViewCount <= 32, "deter_match_t.folds holds one bit a view");

// True when the caller's struct (of in->struct_size bytes) holds the member
// at [offset, offset + size): a caller built against an older header has
// no such field, and the option keeps its default.
template <class Struct>
bool holds(const Struct* in, std::size_t offset, std::size_t size) {
  return in->struct_size >= offset + size;
}
#define DETER_HOLDS(in, field) \
  holds((in), offsetof(deter_filter_options_t, field), sizeof(deter_filter_options_t::field))

deter_status_t to_filter_options(const deter_filter_options_t* in, deter::FilterOptions& out) {
  out = deter::FilterOptions{};
  if (in == nullptr) return DETER_OK;
  if (in->struct_size < kFilterOptionsV1) {
    return fail(DETER_E_INVALID_ARGUMENT,
                "deter_filter_options_t.struct_size is too small; call deter_filter_options_init");
  }
  if ((in->views & ~DETER_VIEWS_ALL) != 0) {
    return fail(DETER_E_INVALID_ARGUMENT, "deter_filter_options_t.views has unknown bits");
  }
  deter::ViewSet views = deter::ViewSet::only(deter::View::base);
  for (int v = 0; v < deter::kViewCount; ++v) {
    if ((in->views >> v) & 1u) views = views.with(static_cast<deter::View>(v));
  }
  out.views = views;
  // The size_t bounds, by the name they share with deter::FilterOptions;
  // a new bound is one line here, in the header's struct and in
  // deter_filter_options_init.
#define DETER_COPY_SIZE(field) \
  if (DETER_HOLDS(in, field)) out.field = in->field
  DETER_COPY_SIZE(max_query_bytes);
  DETER_COPY_SIZE(max_list_bytes);
  DETER_COPY_SIZE(max_entries);
  DETER_COPY_SIZE(max_entry_bytes);
  DETER_COPY_SIZE(max_examples);
  DETER_COPY_SIZE(max_regexes);
  DETER_COPY_SIZE(max_regex_bytes);
  DETER_COPY_SIZE(max_regex_depth);
  DETER_COPY_SIZE(max_regex_cost);
  DETER_COPY_SIZE(max_regex_total_cost);
  DETER_COPY_SIZE(max_rule_parts);
  DETER_COPY_SIZE(max_list_files);
  DETER_COPY_SIZE(max_list_set_bytes);
  DETER_COPY_SIZE(max_compiled_bytes);
#undef DETER_COPY_SIZE
  if (DETER_HOLDS(in, on_internal_error)) {
    if (in->on_internal_error != DETER_FAIL_OPEN && in->on_internal_error != DETER_FAIL_CLOSED) {
      return fail(DETER_E_INVALID_ARGUMENT,
                  "deter_filter_options_t.on_internal_error is not a deter_fail_mode_t");
    }
    out.on_internal_error = static_cast<deter::FailMode>(in->on_internal_error);
  }
  if (DETER_HOLDS(in, fail_closed_action)) {
    if (in->fail_closed_action < DETER_ACTION_ALLOW ||
        in->fail_closed_action > DETER_ACTION_BLOCK) {
      return fail(DETER_E_INVALID_ARGUMENT,
                  "deter_filter_options_t.fail_closed_action is not a deter_action_t");
    }
    out.fail_closed_action = static_cast<deter::Action>(in->fail_closed_action);
  }
  if (DETER_HOLDS(in, cache_dir) && in->cache_dir != nullptr) out.cache_dir = in->cache_dir;
  if (DETER_HOLDS(in, trusted_key_count) && in->trusted_key_count != 0) {
    if (in->trusted_keys == nullptr) {
      return fail(DETER_E_INVALID_ARGUMENT,
                  "deter_filter_options_t.trusted_keys is NULL but trusted_key_count is not 0");
    }
    for (std::size_t i = 0; i < in->trusted_key_count; ++i) {
      if (in->trusted_keys[i] == nullptr) {
        return fail(DETER_E_INVALID_ARGUMENT, "deter_filter_options_t.trusted_keys holds NULL");
      }
      out.trusted_keys.emplace_back(in->trusted_keys[i]);
    }
  }
  return DETER_OK;
}
#undef DETER_HOLDS

deter_status_t to_check_options(const deter_check_options_t* in, deter::CheckOptions& out) {
  out = deter::CheckOptions{};
  if (in == nullptr) return DETER_OK;
  if (in->struct_size < kCheckOptionsV1) {
    return fail(DETER_E_INVALID_ARGUMENT,
                "deter_check_options_t.struct_size is too small; call deter_check_options_init");
  }
  if (in->locale != nullptr) out.locale = in->locale;
  out.explain = in->explain != 0;
  if (holds(in, offsetof(deter_check_options_t, min_partial_chars),
            sizeof(deter_check_options_t::min_partial_chars))) {
    out.min_partial_chars = in->min_partial_chars;
  }
  if (holds(in, offsetof(deter_check_options_t, withhold_from),
            sizeof(deter_check_options_t::withhold_from))) {
    if (in->withhold_from < DETER_ACTION_ALLOW || in->withhold_from > DETER_ACTION_BLOCK) {
      return fail(DETER_E_INVALID_ARGUMENT, "deter_check_options_t.withhold_from is not an action");
    }
    out.withhold_from = static_cast<deter::Action>(in->withhold_from);
  }
  return DETER_OK;
}

// A string view as (NUL-terminated pointer, length). The views a Decision
// holds all cover whole std::strings of the Filter, so they are terminated;
// an empty view may have a null data pointer.
const char* out_string(std::string_view s, std::size_t* len) {
  if (len != nullptr) *len = s.size();
  return s.empty() ? "" : s.data();
}

const deter::Decision& decision_of(const deter_decision_t* d) {
  static const deter::Decision kEmpty;
  return d != nullptr ? d->decision : kEmpty;
}

deter_status_t write_match(const std::vector<deter::Match>& matches, std::size_t i,
                           deter_match_t* out, const char* what) {
  if (out == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "out is NULL");
  if (out->struct_size < kMatchV1) {
    return fail(DETER_E_INVALID_ARGUMENT,
                "deter_match_t.struct_size is too small; set it to sizeof(deter_match_t)");
  }
  if (i >= matches.size()) return fail(DETER_E_INVALID_ARGUMENT, what);
  const deter::Match& m = matches[i];
  deter_match_t full{};
  full.struct_size = out->struct_size;
  full.entry_id = out_string(m.entry_id, &full.entry_id_len);
  full.entry_index = m.entry_index;
  full.category = out_string(m.category, &full.category_len);
  full.action = static_cast<int>(m.action);
  full.severity = m.severity;
  full.view = static_cast<int>(m.view);
  full.begin = m.begin;
  full.end = m.end;
  full.suppressed_by = out_string(m.suppressed_by, &full.suppressed_by_len);
  full.folds = m.folds.bits();
  std::memcpy(out, &full, std::min(out->struct_size, sizeof full));
  return DETER_OK;
}

// Validates the arguments of one check, then decides with `checker` (a
// deter::Filter or a deter::Reloader).
template <class Checker>
deter_status_t check_into(const Checker& checker, const char* query, std::size_t len,
                          const deter_check_options_t* opts, deter_decision_t* decision) {
  if (decision == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "decision is NULL");
  if (query == nullptr && len != 0) return fail(DETER_E_INVALID_ARGUMENT, "query is NULL");
  deter::CheckOptions options;
  if (deter_status_t s = to_check_options(opts, options); s != DETER_OK) return s;
  decision->decision = checker.check(std::string_view(query == nullptr ? "" : query, len), options);
  return DETER_OK;
}

// Opens `dir` for `service` and swaps it in; the caller holds reload_mutex.
deter_status_t reload_locked(deter_service_t* service, const std::string& dir) {
  deter::Result<std::uint64_t> loaded = service->reloader.reload(dir, service->options);
  if (!loaded) return fail(loaded.error());
  service->directory = dir;
  return DETER_OK;
}

}  // namespace

extern "C" {

const char* deter_last_error(void) { return last_error().text.c_str(); }

deter_status_t deter_last_error_location(const char** file, uint32_t* line, uint32_t* column) {
  const LastError& e = last_error();
  if (file != nullptr) *file = e.file.c_str();
  if (line != nullptr) *line = e.line;
  if (column != nullptr) *column = e.column;
  return e.status;
}

const char* deter_status_string(deter_status_t status) {
  switch (status) {
    case DETER_OK:
      return "ok";
    case DETER_E_INVALID_ARGUMENT:
      return "invalid argument";
    case DETER_E_IO:
      return "i/o error";
    case DETER_E_SYNTAX:
      return "syntax error";
    case DETER_E_INVALID_ENTRY:
      return "invalid entry";
    case DETER_E_COMPILE:
      return "compile error";
    case DETER_E_LIMIT:
      return "limit exceeded";
    case DETER_E_CORRUPT:
      return "corrupt database";
    case DETER_E_NO_MEMORY:
      return "out of memory";
    case DETER_E_INTERNAL:
      return "internal error";
    case DETER_E_UNTRUSTED:
      return "untrusted database";
    case DETER_E_NO_LIST:
      return "no list set";
    default:
      return "unknown status";
  }
}

const char* deter_version(void) { return DETER_VERSION_STRING; }

const char* deter_action_string(int action) {
  if (action < 0 || action > DETER_ACTION_BLOCK) return "unknown";
  return deter::to_string(static_cast<deter::Action>(action)).data();
}

const char* deter_view_string(int view) {
  if (view < 0 || view >= deter::kViewCount) return "unknown";
  return deter::to_string(static_cast<deter::View>(view)).data();
}

void deter_filter_options_init(deter_filter_options_t* opts) {
  if (opts == nullptr) return;
  const deter::FilterOptions defaults;
  *opts = deter_filter_options_t{};
  opts->struct_size = sizeof *opts;
  opts->views = defaults.views.bits();
  opts->max_query_bytes = defaults.max_query_bytes;
  opts->max_list_bytes = defaults.max_list_bytes;
  opts->max_entries = defaults.max_entries;
  opts->max_entry_bytes = defaults.max_entry_bytes;
  opts->max_examples = defaults.max_examples;
  opts->max_regexes = defaults.max_regexes;
  opts->max_regex_bytes = defaults.max_regex_bytes;
  opts->max_regex_depth = defaults.max_regex_depth;
  opts->max_regex_cost = defaults.max_regex_cost;
  opts->max_regex_total_cost = defaults.max_regex_total_cost;
  opts->max_rule_parts = defaults.max_rule_parts;
  opts->max_list_files = defaults.max_list_files;
  opts->max_list_set_bytes = defaults.max_list_set_bytes;
  opts->max_compiled_bytes = defaults.max_compiled_bytes;
  opts->on_internal_error = static_cast<int>(defaults.on_internal_error);
  opts->fail_closed_action = static_cast<int>(defaults.fail_closed_action);
  opts->cache_dir = nullptr;
  opts->trusted_keys = nullptr;
  opts->trusted_key_count = 0;
}

void deter_check_options_init(deter_check_options_t* opts) {
  if (opts == nullptr) return;
  const deter::CheckOptions defaults;
  *opts = deter_check_options_t{};
  opts->struct_size = sizeof *opts;
  opts->min_partial_chars = defaults.min_partial_chars;
  opts->withhold_from = static_cast<int>(defaults.withhold_from);
}

deter_status_t deter_filter_open(const char* dir, const deter_filter_options_t* opts,
                                 deter_filter_t** out) {
  return guarded([&]() -> deter_status_t {
    if (out == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (dir == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "dir is NULL");
    deter::FilterOptions options;
    if (deter_status_t s = to_filter_options(opts, options); s != DETER_OK) return s;
    deter::Result<deter::Filter> opened = deter::Filter::open(dir, options);
    if (!opened) return fail(opened.error());
    *out = new deter_filter(std::move(opened).value());
    return DETER_OK;
  });
}

deter_status_t deter_filter_from_sources(const deter_source_t* sources, size_t count,
                                         const deter_filter_options_t* opts, deter_filter_t** out) {
  return guarded([&]() -> deter_status_t {
    if (out == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (sources == nullptr && count != 0) return fail(DETER_E_INVALID_ARGUMENT, "sources is NULL");
    deter::FilterOptions options;
    if (deter_status_t s = to_filter_options(opts, options); s != DETER_OK) return s;
    std::vector<std::pair<std::string, std::string>> files;
    files.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const deter_source_t& src = sources[i];
      if (src.name == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "a source has a NULL name");
      if (src.data == nullptr && src.size != 0) {
        return fail(DETER_E_INVALID_ARGUMENT, "a source has NULL data", src.name);
      }
      files.emplace_back(src.name, std::string(src.data == nullptr ? "" : src.data, src.size));
    }
    deter::Result<deter::Filter> built = deter::Filter::from_sources(files, options);
    if (!built) return fail(built.error());
    *out = new deter_filter(std::move(built).value());
    return DETER_OK;
  });
}

void deter_filter_free(deter_filter_t* filter) { delete filter; }

size_t deter_filter_entry_count(const deter_filter_t* filter) {
  return filter != nullptr ? filter->filter.entry_count() : 0;
}

const char* deter_filter_content_hash(const deter_filter_t* filter) {
  return filter != nullptr ? filter->filter.content_hash().c_str() : "";
}

deter_status_t deter_decision_new(deter_decision_t** out) {
  return guarded([&]() -> deter_status_t {
    if (out == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "out is NULL");
    *out = new deter_decision;
    return DETER_OK;
  });
}

void deter_decision_free(deter_decision_t* decision) { delete decision; }

deter_status_t deter_check(const deter_filter_t* filter, const char* query, size_t len,
                           const deter_check_options_t* opts, deter_decision_t* decision) {
  return guarded([&]() -> deter_status_t {
    if (filter == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "filter is NULL");
    return check_into(filter->filter, query, len, opts, decision);
  });
}

deter_status_t deter_check_partial(const deter_filter_t* filter, const char* text, size_t len,
                                   const deter_check_options_t* opts, deter_decision_t* decision) {
  return guarded([&]() -> deter_status_t {
    if (filter == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "filter is NULL");
    if (decision == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "decision is NULL");
    if (text == nullptr && len != 0) return fail(DETER_E_INVALID_ARGUMENT, "text is NULL");
    deter::CheckOptions options;
    if (deter_status_t s = to_check_options(opts, options); s != DETER_OK) return s;
    decision->decision =
        filter->filter.check_partial(std::string_view(text == nullptr ? "" : text, len), options);
    return DETER_OK;
  });
}

deter_status_t deter_filter_suggestions(const deter_filter_t* filter, const char* typed,
                                        size_t typed_len, const char* const* candidates,
                                        const size_t* lens, size_t count,
                                        const deter_check_options_t* opts, int* shown,
                                        size_t* shown_count) {
  return guarded([&]() -> deter_status_t {
    if (shown_count != nullptr) *shown_count = 0;
    if (filter == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "filter is NULL");
    if (typed == nullptr && typed_len != 0) return fail(DETER_E_INVALID_ARGUMENT, "typed is NULL");
    if (count != 0 && candidates == nullptr) {
      return fail(DETER_E_INVALID_ARGUMENT, "candidates is NULL");
    }
    if (count != 0 && shown == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "shown is NULL");
    deter::CheckOptions options;
    if (deter_status_t s = to_check_options(opts, options); s != DETER_OK) return s;
    std::vector<std::string_view> views;
    views.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      if (candidates[i] == nullptr && (lens == nullptr || lens[i] != 0)) {
        return fail(DETER_E_INVALID_ARGUMENT, "a candidate is NULL");
      }
      const char* c = candidates[i] == nullptr ? "" : candidates[i];
      views.emplace_back(c, lens != nullptr ? lens[i] : std::strlen(c));
    }
    const std::vector<std::string_view> kept = filter->filter.filter_suggestions(
        std::string_view(typed == nullptr ? "" : typed, typed_len), views, options);
    // The kept views are the candidates' own, in order: match them by address.
    std::size_t k = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const bool keep =
          k < kept.size() && kept[k].data() == views[i].data() && kept[k].size() == views[i].size();
      shown[i] = keep ? 1 : 0;
      k += keep;
    }
    if (shown_count != nullptr) *shown_count = k;
    return DETER_OK;
  });
}

deter_status_t deter_check_batch(const deter_filter_t* filter, const char* const* queries,
                                 const size_t* lens, size_t count,
                                 const deter_check_options_t* opts,
                                 deter_decision_t* const* decisions) {
  return guarded([&]() -> deter_status_t {
    if (filter == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "filter is NULL");
    if (count == 0) return DETER_OK;
    if (queries == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "queries is NULL");
    if (decisions == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "decisions is NULL");
    deter::CheckOptions options;
    if (deter_status_t s = to_check_options(opts, options); s != DETER_OK) return s;
    // Validate everything first, so a bad argument leaves every decision as it was.
    for (std::size_t i = 0; i < count; ++i) {
      if (decisions[i] == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "a decision is NULL");
      if (queries[i] == nullptr && (lens == nullptr || lens[i] != 0)) {
        return fail(DETER_E_INVALID_ARGUMENT, "a query is NULL");
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      const char* q = queries[i] == nullptr ? "" : queries[i];
      std::size_t n = lens != nullptr ? lens[i] : std::strlen(q);
      decisions[i]->decision = filter->filter.check(std::string_view(q, n), options);
    }
    return DETER_OK;
  });
}

int deter_decision_action(const deter_decision_t* decision) {
  return static_cast<int>(decision_of(decision).action);
}

const char* deter_decision_category(const deter_decision_t* decision, size_t* len) {
  return out_string(decision_of(decision).category, len);
}

int deter_decision_severity(const deter_decision_t* decision) {
  return decision_of(decision).severity;
}

uint32_t deter_decision_flags(const deter_decision_t* decision) {
  return decision_of(decision).flags;
}

int deter_decision_has_message(const deter_decision_t* decision) {
  return decision_of(decision).message != nullptr;
}

const char* deter_decision_message_key(const deter_decision_t* decision, size_t* len) {
  const deter::Message* m = decision_of(decision).message;
  return out_string(m != nullptr ? std::string_view(m->key) : std::string_view(), len);
}

const char* deter_decision_message_locale(const deter_decision_t* decision, size_t* len) {
  const deter::Message* m = decision_of(decision).message;
  return out_string(m != nullptr ? std::string_view(m->locale) : std::string_view(), len);
}

const char* deter_decision_message_title(const deter_decision_t* decision, size_t* len) {
  const deter::Message* m = decision_of(decision).message;
  return out_string(m != nullptr ? std::string_view(m->title) : std::string_view(), len);
}

const char* deter_decision_message_body(const deter_decision_t* decision, size_t* len) {
  const deter::Message* m = decision_of(decision).message;
  return out_string(m != nullptr ? std::string_view(m->body) : std::string_view(), len);
}

size_t deter_decision_message_link_count(const deter_decision_t* decision) {
  const deter::Message* m = decision_of(decision).message;
  return m != nullptr ? m->links.size() : 0;
}

const char* deter_decision_message_link(const deter_decision_t* decision, size_t i, size_t* len) {
  const deter::Message* m = decision_of(decision).message;
  if (m == nullptr || i >= m->links.size()) {
    if (len != nullptr) *len = 0;
    return nullptr;
  }
  return out_string(m->links[i], len);
}

size_t deter_decision_match_count(const deter_decision_t* decision) {
  return decision_of(decision).matches.size();
}

deter_status_t deter_decision_match(const deter_decision_t* decision, size_t i,
                                    deter_match_t* out) {
  return guarded([&]() -> deter_status_t {
    if (decision == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "decision is NULL");
    return write_match(decision->decision.matches, i, out, "match index out of range");
  });
}

size_t deter_decision_suppressed_count(const deter_decision_t* decision) {
  return decision_of(decision).suppressed.size();
}

deter_status_t deter_decision_suppressed(const deter_decision_t* decision, size_t i,
                                         deter_match_t* out) {
  return guarded([&]() -> deter_status_t {
    if (decision == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "decision is NULL");
    return write_match(decision->decision.suppressed, i, out, "suppressed index out of range");
  });
}

deter_status_t deter_service_new(const char* dir, const deter_filter_options_t* opts,
                                 deter_service_t** out) {
  return guarded([&]() -> deter_status_t {
    if (out == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (dir == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "dir is NULL");
    deter::FilterOptions options;
    if (deter_status_t s = to_filter_options(opts, options); s != DETER_OK) return s;
    auto service = std::make_unique<deter_service>(options);
    if (deter_status_t s = reload_locked(service.get(), dir); s != DETER_OK) return s;
    *out = service.release();
    return DETER_OK;
  });
}

deter_status_t deter_service_new_empty(const deter_filter_options_t* opts, deter_service_t** out) {
  return guarded([&]() -> deter_status_t {
    if (out == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    deter::FilterOptions options;
    if (deter_status_t s = to_filter_options(opts, options); s != DETER_OK) return s;
    *out = new deter_service(options);
    return DETER_OK;
  });
}

void deter_service_free(deter_service_t* service) { delete service; }

deter_status_t deter_service_reload(deter_service_t* service, const char* dir) {
  return guarded([&]() -> deter_status_t {
    if (service == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "service is NULL");
    // Compiling takes long; checks keep using the current version meanwhile.
    std::lock_guard<std::mutex> lock(service->reload_mutex);
    if (dir == nullptr && service->directory.empty()) {
      return fail(DETER_E_INVALID_ARGUMENT, "dir is NULL and the service has no directory yet");
    }
    return reload_locked(service, dir != nullptr ? std::string(dir) : service->directory);
  });
}

deter_status_t deter_service_check(const deter_service_t* service, const char* query, size_t len,
                                   const deter_check_options_t* opts, deter_decision_t* decision) {
  return guarded([&]() -> deter_status_t {
    if (service == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "service is NULL");
    return check_into(service->reloader, query, len, opts, decision);
  });
}

deter_status_t deter_service_filter(const deter_service_t* service, deter_filter_t** out) {
  return guarded([&]() -> deter_status_t {
    if (out == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (service == nullptr) return fail(DETER_E_INVALID_ARGUMENT, "service is NULL");
    std::optional<deter::Filter> current = service->reloader.current();
    if (!current) return fail(DETER_E_NO_LIST, "the service has no list set yet");
    *out = new deter_filter(std::move(*current));
    return DETER_OK;
  });
}

uint64_t deter_service_generation(const deter_service_t* service) {
  return service != nullptr ? service->reloader.version() : 0;
}

}  // extern "C"
