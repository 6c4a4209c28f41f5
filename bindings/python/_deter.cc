// _deter: the thin extension under the Python package `deter`.
//
// It does only what must happen in C++: loading, checking (with the GIL
// released) and turning a deter::Decision into plain Python values with
// str offsets. deter/__init__.py builds the public classes from those.
#include <deter/filter.h>
#include <deter/reloader.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifdef DETER_PY_LOGS
#include "_logs.h"
#endif

namespace py = pybind11;

namespace {

// One query as UTF-8 bytes, with whatever Python object owns those bytes.
struct QueryBytes {
  std::string_view bytes;
  bool is_str = true;  // spans are reported in code points (str) or bytes (bytes)
  py::object owner;    // the str (its cached UTF-8) or an encoded copy
};

QueryBytes query_bytes(py::handle query) {
  QueryBytes q;
  if (PyUnicode_Check(query.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(query.ptr(), &size);
    if (data != nullptr) {
      q.owner = py::reinterpret_borrow<py::object>(query);
      q.bytes = std::string_view(data, static_cast<std::size_t>(size));
      return q;
    }
    // Lone surrogates have no UTF-8 form; encode them as the three bytes
    // each would take (invalid UTF-8, which check() flags), so one code
    // point is still one lead byte and offsets convert the same way.
    PyErr_Clear();
    PyObject* encoded = PyUnicode_AsEncodedString(query.ptr(), "utf-8", "surrogatepass");
    if (encoded == nullptr) throw py::error_already_set();
    q.owner = py::reinterpret_steal<py::object>(encoded);
    query = q.owner;
  } else if (PyBytes_Check(query.ptr())) {
    q.is_str = false;
    q.owner = py::reinterpret_borrow<py::object>(query);
  } else {
    throw py::type_error("a query must be str or bytes, not " +
                         std::string(py::str(py::type::handle_of(query).attr("__name__"))));
  }
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(q.owner.ptr(), &data, &size) != 0) throw py::error_already_set();
  q.bytes = std::string_view(data, static_cast<std::size_t>(size));
  return q;
}

// Counts the code points of UTF-8 bytes: every byte that is not a
// continuation byte starts one (invalid bytes count one each, as Python's
// surrogateescape would).
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

py::str utf8_str(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogatepass");
  if (o == nullptr) {
    PyErr_Clear();
    o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
    if (o == nullptr) throw py::error_already_set();
  }
  return py::reinterpret_steal<py::str>(o);
}

py::tuple match_tuple(const deter::Match& m, const QueryBytes& q) {
  std::size_t begin = m.begin, end = m.end;
  py::object text;
  if (q.is_str) {
    begin = code_points(q.bytes.substr(0, m.begin));
    end = begin + code_points(q.bytes.substr(m.begin, m.end - m.begin));
    text = utf8_str(q.bytes.substr(m.begin, m.end - m.begin));
  } else {
    text = py::bytes(q.bytes.data() + m.begin, m.end - m.begin);
  }
  return py::make_tuple(utf8_str(m.entry_id), m.entry_index, utf8_str(m.category),
                        static_cast<int>(m.action), m.severity,
                        py::str(std::string(deter::to_string(m.view))), begin, end, m.begin, m.end,
                        text, utf8_str(m.suppressed_by), m.folds.bits());
}

// A decision as Python values: `allow` itself for the common plain allow
// (nothing matched, nothing flagged), else make(action, category, severity,
// message, matches, suppressed, flags).
py::object to_python(const deter::Decision& d, const QueryBytes& q, const py::object& allow,
                     const py::object& make) {
  if (d.action == deter::Action::allow && d.matches.empty() && d.suppressed.empty() &&
      d.flags == deter::kFlagNone) {
    return allow;
  }
  py::object message = py::none();
  if (d.message != nullptr) {
    const deter::Message& m = *d.message;
    py::list links;
    for (const std::string& link : m.links) links.append(utf8_str(link));
    message = py::make_tuple(utf8_str(m.key), utf8_str(m.locale), utf8_str(m.title),
                             utf8_str(m.body), links);
  }
  py::list matches, suppressed;
  for (const deter::Match& m : d.matches) matches.append(match_tuple(m, q));
  for (const deter::Match& m : d.suppressed) suppressed.append(match_tuple(m, q));
  return make(static_cast<int>(d.action), utf8_str(d.category), d.severity, message, matches,
              suppressed, d.flags);
}

// The size_t fields of deter::FilterOptions, by the keyword Python passes
// them as (the C++ name). A new bound is one row here and one keyword in
// deter/__init__.pyi.
struct SizeOption {
  const char* name;
  std::size_t deter::FilterOptions::*field;
};
constexpr SizeOption kSizeOptions[] = {
    {"max_query_bytes", &deter::FilterOptions::max_query_bytes},
    {"max_list_bytes", &deter::FilterOptions::max_list_bytes},
    {"max_entries", &deter::FilterOptions::max_entries},
    {"max_entry_bytes", &deter::FilterOptions::max_entry_bytes},
    {"max_examples", &deter::FilterOptions::max_examples},
    {"max_regexes", &deter::FilterOptions::max_regexes},
    {"max_regex_bytes", &deter::FilterOptions::max_regex_bytes},
    {"max_regex_depth", &deter::FilterOptions::max_regex_depth},
    {"max_regex_cost", &deter::FilterOptions::max_regex_cost},
    {"max_regex_total_cost", &deter::FilterOptions::max_regex_total_cost},
    {"max_rule_parts", &deter::FilterOptions::max_rule_parts},
    {"max_list_files", &deter::FilterOptions::max_list_files},
    {"max_list_set_bytes", &deter::FilterOptions::max_list_set_bytes},
    {"max_compiled_bytes", &deter::FilterOptions::max_compiled_bytes},
};
// The other fields, each converted by hand in set_option.
constexpr const char* kOtherOptions[] = {"views", "on_internal_error", "fail_closed_action",
                                         "cache_dir", "trusted_keys"};

template <class T>
T option_value(const std::string& name, py::handle value, const char* expected) {
  try {
    return py::cast<T>(value);
  } catch (const py::cast_error&) {
    throw py::type_error("option " + name + " must be " + expected + ", not " +
                         std::string(py::str(py::type::handle_of(value).attr("__name__"))));
  }
}

void set_option(deter::FilterOptions& options, const std::string& name, py::handle value) {
  for (const SizeOption& o : kSizeOptions) {
    if (name == o.name) {
      options.*o.field = option_value<std::size_t>(name, value, "a non-negative int");
      return;
    }
  }
  if (name == "views") {
    deter::ViewSet views = deter::ViewSet::only(deter::View::base);
    for (py::handle view : value) {
      std::string s = option_value<std::string>(name, view, "view names");
      std::optional<deter::View> v = deter::parse_view(s);
      if (!v) throw py::value_error("unknown view '" + s + "'");
      views = views.with(*v);
    }
    options.views = views;
  } else if (name == "on_internal_error") {
    std::string s = option_value<std::string>(name, value, "'open' or 'closed'");
    if (s != "open" && s != "closed") {
      throw py::value_error("on_internal_error must be 'open' or 'closed', not '" + s + "'");
    }
    options.on_internal_error = s == "closed" ? deter::FailMode::closed : deter::FailMode::open;
  } else if (name == "fail_closed_action") {
    std::string s = option_value<std::string>(name, value, "an action name");
    std::optional<deter::Action> a = deter::parse_action(s);
    if (!a) throw py::value_error("unknown action '" + s + "'");
    options.fail_closed_action = *a;
  } else if (name == "cache_dir") {
    options.cache_dir = option_value<std::string>(name, value, "a path");
  } else if (name == "trusted_keys") {
    if (py::isinstance<py::str>(value) || py::isinstance<py::bytes>(value)) {
      throw py::type_error("option 'trusted_keys' takes a list of public keys, not one string");
    }
    options.trusted_keys =
        option_value<std::vector<std::string>>(name, value, "a list of public keys (str)");
  } else {
    throw py::type_error("unknown option '" + name + "'");
  }
}

// FilterOptions from keyword arguments; None means the default.
deter::FilterOptions filter_options(const py::dict& o) {
  deter::FilterOptions options;
  for (auto [key, value] : o) {
    if (!value.is_none()) set_option(options, py::cast<std::string>(key), value);
  }
  return options;
}

py::tuple option_names() {
  py::list names;
  for (const SizeOption& o : kSizeOptions) names.append(o.name);
  for (const char* name : kOtherOptions) names.append(name);
  return py::tuple(names);
}

const char* code_name(deter::ErrorCode code) {
  switch (code) {
    case deter::ErrorCode::ok:
      return "ok";
    case deter::ErrorCode::io:
      return "io";
    case deter::ErrorCode::syntax:
      return "syntax";
    case deter::ErrorCode::invalid_entry:
      return "invalid_entry";
    case deter::ErrorCode::compile:
      return "compile";
    case deter::ErrorCode::limit:
      return "limit";
    case deter::ErrorCode::corrupt:
      return "corrupt";
    case deter::ErrorCode::invalid_argument:
      return "invalid_argument";
    case deter::ErrorCode::untrusted:
      return "untrusted";
    case deter::ErrorCode::internal:
      break;
  }
  return "internal";
}

py::tuple error_tuple(const deter::Error& e) {
  return py::make_tuple(code_name(e.code), utf8_str(e.message), utf8_str(e.file), e.line, e.column);
}

// (value, None) on success, (None, (code, message, file, line, column)) on
// failure: the Python layer raises DeterError from it.
template <class T>
py::tuple result_tuple(deter::Result<T> r) {
  if (r) return py::make_tuple(std::move(r).value(), py::none());
  return py::make_tuple(py::none(), error_tuple(r.error()));
}

// A list set served while it changes: a deter::Reloader and the options
// every reload uses.
struct Service {
  explicit Service(const deter::FilterOptions& o)
      : options(o), reloader(deter::ReloaderOptions::from(o)) {}
  const deter::FilterOptions options;
  deter::Reloader reloader;
};

deter::CheckOptions check_options(const std::optional<std::string>& locale, bool explain) {
  deter::CheckOptions o;
  if (locale) o.locale = *locale;
  o.explain = explain;
  return o;
}

// Queries are checked in chunks: the GIL is released for each chunk, and a
// generator of any length needs memory for one chunk only.
constexpr std::size_t kChunk = 4096;

// Decides a batch with the Filter, or with the Reloader when there is none
// (its fail mode answers then).
void check_batch(const deter::Filter* filter, const deter::Reloader* reloader,
                 const std::vector<std::string_view>& queries, std::vector<deter::Decision>& out,
                 const deter::CheckOptions& options) {
  if (filter != nullptr) return filter->check_batch(queries, out, options);
  out.resize(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) out[i] = reloader->check(queries[i], options);
}

py::list check_many_with(const deter::Filter* filter, const deter::Reloader* reloader,
                         const py::iterable& queries, const std::optional<std::string>& locale,
                         bool explain, const py::object& allow, const py::object& make) {
  const deter::CheckOptions options = check_options(locale, explain);
  py::list out;
  std::vector<QueryBytes> chunk;
  std::vector<std::string_view> views;
  std::vector<deter::Decision> decisions;
  chunk.reserve(kChunk);
  views.reserve(kChunk);
  auto flush = [&] {
    {
      py::gil_scoped_release release;
      check_batch(filter, reloader, views, decisions, options);
    }
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      out.append(to_python(decisions[i], chunk[i], allow, make));
    }
    chunk.clear();
    views.clear();
  };
  for (py::handle q : queries) {
    chunk.push_back(query_bytes(q));
    views.push_back(chunk.back().bytes);
    if (chunk.size() == kChunk) flush();
  }
  if (!chunk.empty()) flush();
  return out;
}

py::list check_many(const deter::Filter& filter, const py::iterable& queries,
                    const std::optional<std::string>& locale, bool explain, const py::object& allow,
                    const py::object& make) {
  return check_many_with(&filter, nullptr, queries, locale, explain, allow, make);
}

// A service's batch is decided on one list version: the current one when
// the batch starts.
py::list service_check_many(const Service& s, const py::iterable& queries,
                            const std::optional<std::string>& locale, bool explain,
                            const py::object& allow, const py::object& make) {
  std::optional<deter::Filter> current = s.reloader.current();
  return check_many_with(current ? &*current : nullptr, &s.reloader, queries, locale, explain,
                         allow, make);
}

// For bindings/python/bench.py: seconds that `rounds` passes of the C++
// check_batch take over these queries, without any Python in the loop. With
// `chunk` > 0 each pass calls check_batch on `chunk` queries at a time, as
// check_many does; 0 means one call for all of them.
double time_check_batch(const deter::Filter& filter, const py::list& queries, int rounds,
                        std::size_t chunk) {
  std::vector<QueryBytes> owned;
  std::vector<std::string_view> views;
  for (py::handle q : queries) {
    owned.push_back(query_bytes(q));
    views.push_back(owned.back().bytes);
  }
  if (chunk == 0) chunk = std::max<std::size_t>(views.size(), 1);
  std::vector<std::vector<std::string_view>> batches;
  for (std::size_t i = 0; i < views.size(); i += chunk) {
    batches.emplace_back(
        views.begin() + static_cast<std::ptrdiff_t>(i),
        views.begin() + static_cast<std::ptrdiff_t>(std::min(i + chunk, views.size())));
  }
  std::vector<deter::Decision> decisions;
  py::gil_scoped_release release;
  for (const auto& b : batches) filter.check_batch(b, decisions);  // warm up
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& b : batches) filter.check_batch(b, decisions);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

PYBIND11_MODULE(_deter, m) {
  m.doc() = "deter's C++ core; use the `deter` package instead";
  m.attr("version") = DETER_PY_VERSION;
  m.attr("OPTION_NAMES") = option_names();
#ifdef DETER_PY_LOGS
  add_logs_functions(m);
#endif

  py::class_<deter::Filter>(m, "Filter")
      .def_static(
          "open",
          [](const std::string& directory, const py::dict& options) {
            deter::FilterOptions o = filter_options(options);
            deter::Result<deter::Filter> r = [&] {
              py::gil_scoped_release release;
              return deter::Filter::open(directory, o);
            }();
            return result_tuple(std::move(r));
          },
          py::arg("directory"), py::arg("options"))
      .def_static(
          "from_sources",
          [](const std::vector<std::pair<std::string, std::string>>& files,
             const py::dict& options) {
            deter::FilterOptions o = filter_options(options);
            deter::Result<deter::Filter> r = [&] {
              py::gil_scoped_release release;
              return deter::Filter::from_sources(files, o);
            }();
            return result_tuple(std::move(r));
          },
          py::arg("files"), py::arg("options"))
      .def(
          "check",
          [](const deter::Filter& f, py::handle query, const std::optional<std::string>& locale,
             bool explain, const py::object& allow, const py::object& make) {
            QueryBytes q = query_bytes(query);
            // One query is too short to pay for releasing the GIL.
            deter::Decision d = f.check(q.bytes, check_options(locale, explain));
            return to_python(d, q, allow, make);
          },
          py::arg("query"), py::arg("locale"), py::arg("explain"), py::arg("allow"),
          py::arg("make"))
      .def("check_many", &check_many, py::arg("queries"), py::arg("locale"), py::arg("explain"),
           py::arg("allow"), py::arg("make"))
      .def(
          "check_partial",
          [](const deter::Filter& f, py::handle text, const std::optional<std::string>& locale,
             std::optional<std::size_t> min_partial_chars, const py::object& allow,
             const py::object& make) {
            QueryBytes q = query_bytes(text);
            deter::CheckOptions o = check_options(locale, false);
            if (min_partial_chars) o.min_partial_chars = *min_partial_chars;
            deter::Decision d = f.check_partial(q.bytes, o);
            return to_python(d, q, allow, make);
          },
          py::arg("text"), py::arg("locale"), py::arg("min_partial_chars"), py::arg("allow"),
          py::arg("make"))
      .def(
          "filter_suggestions",
          // The indices of the candidates that may be shown; the GIL is
          // released while they are checked.
          [](const deter::Filter& f, py::handle typed, const py::iterable& candidates,
             const std::optional<std::string>& locale, std::optional<std::size_t> min_partial_chars,
             int withhold_from) {
            if (withhold_from < 0 || withhold_from > static_cast<int>(deter::Action::block)) {
              throw py::value_error("withhold_from is not an Action");
            }
            QueryBytes t = query_bytes(typed);
            std::vector<QueryBytes> owned;
            for (py::handle c : candidates) owned.push_back(query_bytes(c));
            std::vector<std::string_view> views;
            views.reserve(owned.size());
            for (const QueryBytes& c : owned) views.push_back(c.bytes);
            deter::CheckOptions o = check_options(locale, false);
            if (min_partial_chars) o.min_partial_chars = *min_partial_chars;
            o.withhold_from = static_cast<deter::Action>(withhold_from);
            std::vector<std::string_view> kept;
            {
              py::gil_scoped_release release;
              kept = f.filter_suggestions(t.bytes, views, o);
            }
            py::list out;
            std::size_t k = 0;
            for (std::size_t i = 0; i < views.size() && k < kept.size(); ++i) {
              if (kept[k].data() == views[i].data() && kept[k].size() == views[i].size()) {
                out.append(i);
                ++k;
              }
            }
            return out;
          },
          py::arg("typed"), py::arg("candidates"), py::arg("locale"),
          py::arg("min_partial_chars"), py::arg("withhold_from"))
      .def("time_check_batch", &time_check_batch, py::arg("queries"), py::arg("rounds"),
           py::arg("chunk") = 0)
      .def_property_readonly("entry_count", &deter::Filter::entry_count)
      .def_property_readonly("content_hash", &deter::Filter::content_hash)
      .def_property_readonly(
          "options",
          [](const deter::Filter& f) {
            const deter::FilterOptions& o = f.options();
            py::dict d;
            for (const SizeOption& so : kSizeOptions) d[so.name] = o.*so.field;
            py::list views;
            for (int v = 0; v < deter::kViewCount; ++v) {
              if (o.views.has(static_cast<deter::View>(v))) {
                views.append(std::string(deter::to_string(static_cast<deter::View>(v))));
              }
            }
            d["views"] = views;
            d["on_internal_error"] = std::string(deter::to_string(o.on_internal_error));
            d["fail_closed_action"] = std::string(deter::to_string(o.fail_closed_action));
            d["cache_dir"] = utf8_str(o.cache_dir);
            py::list keys;
            for (const std::string& k : o.trusted_keys) keys.append(utf8_str(k));
            d["trusted_keys"] = keys;
            return d;
          })
      .def_property_readonly("lists", [](const deter::Filter& f) {
        py::list out;
        for (const deter::ListInfo& l : f.lists()) {
          py::dict d;
          d["file"] = utf8_str(l.file);
          d["name"] = utf8_str(l.name);
          d["language"] = utf8_str(l.language);
          d["entries"] = l.entries;
          out.append(d);
        }
        return out;
      });

  py::class_<Service>(m, "Service")
      .def(py::init([](const py::dict& options) {
             return std::make_unique<Service>(filter_options(options));
           }),
           py::arg("options"))
      .def(
          "reload",
          [](Service& s, const std::string& path) {
            deter::Result<std::uint64_t> r = [&] {
              py::gil_scoped_release release;
              return s.reloader.reload(path, s.options);
            }();
            return result_tuple(std::move(r));
          },
          py::arg("path"))
      .def(
          "check",
          [](const Service& s, py::handle query, const std::optional<std::string>& locale,
             bool explain, const py::object& allow, const py::object& make) {
            QueryBytes q = query_bytes(query);
            deter::Decision d = s.reloader.check(q.bytes, check_options(locale, explain));
            return to_python(d, q, allow, make);
          },
          py::arg("query"), py::arg("locale"), py::arg("explain"), py::arg("allow"),
          py::arg("make"))
      .def("check_many", &service_check_many, py::arg("queries"), py::arg("locale"),
           py::arg("explain"), py::arg("allow"), py::arg("make"))
      .def_property_readonly("version", [](const Service& s) { return s.reloader.version(); })
      .def_property_readonly("current", [](const Service& s) -> py::object {
        std::optional<deter::Filter> f = s.reloader.current();
        if (!f) return py::none();
        return py::cast(std::move(*f));
      });
}
