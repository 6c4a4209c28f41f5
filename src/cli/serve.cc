// deter serve: an HTTP/1.1 JSON sidecar for search services written in any
// language, with the reference search page (--demo).
//
// Built on Boost.Beast (Debian's libboost-dev): asynchronous, so an idle
// keep-alive connection costs a socket and a buffer rather than a thread,
// and every bound is the parser's or the stream's own (header_limit,
// body_limit, one deadline for a whole request). Debian 12's cpp-httplib
// (0.11) holds a thread per connection and has no bound on the number of
// header lines or on a request's total time (HACKING.md "deter serve").
// Beast's string_view is std::string_view, so request fields pass to the
// service as they are. <utility> first: Boost 1.74's Asio uses std::exchange
// without including it.
#define BOOST_BEAST_USE_STD_STRING_VIEW
#include <utility>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deter/reloader.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "cli/common.h"
#include "cli/decision_json.h"
#include "cli/serve_demo.h"
#include "cli/serve_metrics.h"
#include "cli/serve_request.h"

namespace deter::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct ServeArgs {
  std::string lists;
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  int threads = 2;
  std::size_t max_connections = 1024;
  std::size_t max_body_bytes = 1u << 20;
  std::size_t max_header_bytes = 8192;
  std::size_t max_batch = 10000;
  std::size_t max_candidates = 100;
  double request_timeout = 10;
  double drain_timeout = 10;
  double watch_interval = 0.5;
  double reload_quiet = 1;
  bool no_watch = false;
  bool access_log = false;
  std::size_t max_query_bytes = FilterOptions{}.max_query_bytes;
  std::string fonts_dir = "/usr/share/fonts/truetype/noto";
};

std::chrono::milliseconds to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// ---------------------------------------------------------------------------
// Reloading: SIGHUP, or the list files changed and then stayed quiet.

class ListWatcher {
 public:
  ListWatcher(const ServeArgs& args, const FilterOptions& options, Reloader& reloader,
              ServeMetrics& metrics)
      : args_(args), options_(options), reloader_(reloader), metrics_(metrics) {}
  ~ListWatcher() { stop(); }

  // Loads the list set once, on the calling thread; false if it failed.
  bool load() { return reload_now(); }

  void start() {
    seen_ = fingerprint();
    thread_ = std::thread([this] { run(); });
  }
  void request_reload() {
    std::lock_guard<std::mutex> lock(mutex_);
    reload_requested_ = true;
    cv_.notify_all();
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  // What changes when a list file is written, renamed in or removed: the
  // name, size and modification time of each *.list and *.toml file (or of
  // the compiled file). Errors (a directory half renamed) read as a change.
  std::string fingerprint() const {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> parts;
    auto add = [&](const fs::path& p) {
      std::error_code e;
      auto size = fs::file_size(p, e);
      auto time = fs::last_write_time(p, e);
      parts.push_back(p.filename().string() + '\t' + std::to_string(size) + '\t' +
                      std::to_string(time.time_since_epoch().count()) + (e ? "!" : ""));
    };
    if (fs::is_directory(args_.lists, ec)) {
      for (fs::directory_iterator it(args_.lists, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string ext = it->path().extension().string();
        if (ext == ".list" || ext == ".toml") add(it->path());
      }
    } else {
      add(args_.lists);
    }
    if (ec) parts.push_back("!" + ec.message());
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (const std::string& p : parts) out += p + '\n';
    return out;
  }

  bool reload_now() {
    const auto t0 = Clock::now();
    std::optional<Filter> next = open_lists(args_.lists, options_);  // prints the error
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!next) {
      metrics_.record_reload(false, seconds, 0, 0, {});
      std::cerr << "deter serve: reload failed; version " << reloader_.version()
                << " keeps serving\n";
      return false;
    }
    const std::size_t entries = next->entry_count();
    const std::string hash = next->content_hash();
    const std::uint64_t version = reloader_.swap(std::move(*next));
    metrics_.record_reload(true, seconds, version, entries, hash);
    std::cerr << "deter serve: list set version " << version << " loaded (" << entries
              << " entries, " << static_cast<long>(seconds * 1000) << " ms)\n";
    return true;
  }

  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    bool changed = false;
    Clock::time_point changed_at;
    while (!stopping_) {
      cv_.wait_for(lock, to_ms(args_.watch_interval),
                   [&] { return stopping_ || reload_requested_; });
      if (stopping_) break;
      if (reload_requested_) {
        reload_requested_ = false;
        lock.unlock();
        seen_ = fingerprint();
        changed = false;
        reload_now();
        lock.lock();
        continue;
      }
      if (args_.no_watch) continue;
      lock.unlock();
      std::string now = fingerprint();
      // Debounce: a change starts the quiet period, and each further change
      // restarts it, so a list set copied file by file loads once, whole.
      if (now != seen_) {
        seen_ = std::move(now);
        changed = true;
        changed_at = Clock::now();
      } else if (changed && Clock::now() - changed_at >= to_ms(args_.reload_quiet)) {
        changed = false;
        reload_now();
      }
      lock.lock();
    }
  }

  const ServeArgs& args_;
  FilterOptions options_;
  Reloader& reloader_;
  ServeMetrics& metrics_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool reload_requested_ = false;
  bool stopping_ = false;
  std::string seen_;
};

// ---------------------------------------------------------------------------
// The endpoints: a request in, a Reply out; no sockets here.

struct Reply {
  Reply() = default;
  Reply(int s, std::string b) : status(s), body(std::move(b)) {}

  int status = 200;
  std::string body;
  std::string_view content_type = "application/json";
  std::string_view allow;             // for 405
  std::string_view content_language;  // demo page
  bool cacheable = false;             // fonts: everything else is no-store
};

Reply error_reply(int status, std::string_view code, std::string_view message) {
  Reply r;
  r.status = status;
  r.body = "{\"error\":{\"code\":";
  append_json_string(r.body, code);
  r.body += ",\"message\":";
  append_json_string(r.body, message);
  r.body += "}}";
  return r;
}

// A request body: read flat (FlatRequest) when it has the shape the
// endpoints take, else parsed as a document. Both answer the same errors,
// in the same order: the document path for everything the flat reader
// declines, and the shared messages below for the rest.
Reply missing_field(const char* name) {
  return error_reply(400, "missing_field", std::string("\"") + name + "\" is required");
}
Reply not_string(const char* name) {
  return error_reply(400, "wrong_type", std::string("\"") + name + "\" must be a string");
}
Reply not_array(const char* name) {
  return error_reply(400, "wrong_type", std::string("\"") + name + "\" must be an array");
}
Reply too_many_items(const char* name, std::size_t limit) {
  return error_reply(413, "too_many_items",
                     std::string("\"") + name + "\" holds more than " + std::to_string(limit) +
                         " items");
}

class Body {
 public:
  // Errors name the byte, never echo the text.
  bool parse(std::string_view body, Reply& error) {
    flat_ = flat().parse(body);
    if (flat_) return true;
    try {
      doc_ = Json::parse(body);
    } catch (const Json::parse_error& e) {
      error = error_reply(400, "malformed_json",
                          "the body is not valid JSON (at byte " + std::to_string(e.byte) + ")");
      return false;
    }
    if (!doc_.is_object()) {
      error = error_reply(400, "wrong_type", "the body must be a JSON object");
      return false;
    }
    return true;
  }

  // The string member `name`: absent (optional: nullopt) or a string.
  bool string_member(const char* name, bool required, std::optional<std::string_view>& out,
                     Reply& error) const {
    out.reset();
    if (flat_) {
      const FlatRequest::Member* m = flat().find(name);
      if (m == nullptr || (!required && m->kind == FlatRequest::Kind::null)) {
        if (!required) return true;
        error = missing_field(name);
        return false;
      }
      if (m->kind != FlatRequest::Kind::string) {
        error = not_string(name);
        return false;
      }
      out = m->text;
      return true;
    }
    auto it = doc_.find(name);
    if (it == doc_.end() || (!required && it->is_null())) {
      if (!required) return true;
      error = missing_field(name);
      return false;
    }
    if (!it->is_string()) {
      error = not_string(name);
      return false;
    }
    out = it->get_ref<const std::string&>();
    return true;
  }

  // An array member of strings, at most `limit` of them.
  bool string_array_member(const char* name, std::size_t limit,
                           std::vector<std::string_view>& out, Reply& error) const {
    out.clear();
    if (flat_) {
      const FlatRequest::Member* m = flat().find(name);
      if (m == nullptr) {
        error = missing_field(name);
        return false;
      }
      if (m->kind != FlatRequest::Kind::array) {
        error = not_array(name);
        return false;
      }
      if (m->count > limit) {
        error = too_many_items(name, limit);
        return false;
      }
      const auto first = flat().items().begin() + static_cast<std::ptrdiff_t>(m->first);
      out.assign(first, first + static_cast<std::ptrdiff_t>(m->count));
      return true;
    }
    auto it = doc_.find(name);
    if (it == doc_.end()) {
      error = missing_field(name);
      return false;
    }
    if (!it->is_array()) {
      error = not_array(name);
      return false;
    }
    if (it->size() > limit) {
      error = too_many_items(name, limit);
      return false;
    }
    out.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& v = (*it)[i];
      if (!v.is_string()) {
        error = error_reply(400, "wrong_type", std::string("\"") + name + "[" + std::to_string(i) +
                                                   "]\" must be a string");
        return false;
      }
      out.push_back(v.get_ref<const std::string&>());
    }
    return true;
  }

 private:
  // One reader a thread, so that its buffers keep their capacity between
  // requests; a handler reads one body at a time.
  static FlatRequest& flat() {
    thread_local FlatRequest reader;
    return reader;
  }

  bool flat_ = false;
  Json doc_;
};

class Service {
 public:
  Service(const ServeArgs& args, Reloader& reloader, ServeMetrics& metrics, const DemoAssets* demo)
      : args_(args), reloader_(reloader), metrics_(metrics), demo_(demo) {}

  Reply handle(http::verb method, std::string_view target, const std::string& body,
               std::string_view accept_language, Endpoint& endpoint) {
    const std::string_view path = target.substr(0, target.find('?'));
    struct Route {
      std::string_view path;
      Endpoint endpoint;
      http::verb method;
    };
    static constexpr Route kRoutes[] = {
        {"/v1/check", Endpoint::check, http::verb::post},
        {"/v1/check:batch", Endpoint::check_batch, http::verb::post},
        {"/v1/suggestions:filter", Endpoint::suggestions_filter, http::verb::post},
        {"/healthz", Endpoint::healthz, http::verb::get},
        {"/readyz", Endpoint::readyz, http::verb::get},
        {"/metrics", Endpoint::metrics, http::verb::get},
    };
    endpoint = Endpoint::other;
    for (const Route& r : kRoutes) {
      if (path != r.path) continue;
      endpoint = r.endpoint;
      if (method != r.method && !(r.method == http::verb::get && method == http::verb::head)) {
        Reply e = error_reply(405, "method_not_allowed",
                              std::string("use ") + std::string(http::to_string(r.method)));
        e.allow = r.method == http::verb::get ? "GET, HEAD" : "POST";
        return e;
      }
      switch (r.endpoint) {
        case Endpoint::check: return check(body);
        case Endpoint::check_batch: return check_batch(body);
        case Endpoint::suggestions_filter: return suggestions_filter(body);
        case Endpoint::healthz: return Reply{200, "{\"status\":\"ok\"}"};
        case Endpoint::readyz: return readyz();
        case Endpoint::metrics: {
          Reply m{200, metrics_.render()};
          m.content_type = "text/plain; version=0.0.4; charset=utf-8";
          return m;
        }
        default: break;
      }
    }
    if (demo_ != nullptr && (method == http::verb::get || method == http::verb::head)) {
      endpoint = Endpoint::demo;
      if (path == "/") {
        Reply page;
        page.content_type = "text/html; charset=utf-8";
        page.content_language = demo_locale(accept_language);
        page.body = demo_->page(page.content_language);
        return page;
      }
      if (const std::string* font = demo_->font(path)) {
        Reply f{200, *font};
        f.content_type = "font/ttf";
        f.cacheable = true;
        return f;
      }
    }
    return error_reply(404, "not_found", "no such endpoint");
  }

 private:
  Reply check(const std::string& body) {
    Body doc;
    Reply error;
    std::optional<std::string_view> query;
    std::optional<std::string_view> locale;
    if (!doc.parse(body, error) || !doc.string_member("query", true, query, error) ||
        !doc.string_member("locale", false, locale, error)) {
      return error;
    }
    CheckOptions options;
    if (locale) options.locale = *locale;
    const Decision d = reloader_.check(*query, options);
    metrics_.record_decision(d);
    Reply r;
    append_decision_json(r.body, *query, d);
    return r;
  }

  Reply check_batch(const std::string& body) {
    Body doc;
    Reply error;
    std::optional<std::string_view> locale;
    thread_local std::vector<std::string_view> queries;
    thread_local std::vector<Decision> decisions;
    if (!doc.parse(body, error) ||
        !doc.string_array_member("queries", args_.max_batch, queries, error) ||
        !doc.string_member("locale", false, locale, error)) {
      return error;
    }
    CheckOptions options;
    if (locale) options.locale = *locale;
    // One version for the whole batch, even if a reload lands meanwhile.
    if (std::optional<Filter> filter = reloader_.current()) {
      filter->check_batch(queries, decisions, options);
    } else {
      decisions.resize(queries.size());
      for (std::size_t i = 0; i < queries.size(); ++i) decisions[i] = reloader_.check(queries[i], options);
    }
    Reply r;
    // Each answer repeats its query and adds about 130 bytes when allowed:
    // one allocation for most batches instead of a doubling series.
    r.body.reserve(body.size() + queries.size() * 160 + 16);
    r.body += "{\"results\":[";
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (i) r.body += ',';
      append_decision_json(r.body, queries[i], decisions[i]);
    }
    metrics_.record_decisions(decisions.data(), decisions.size());
    r.body += "]}";
    decisions.clear();  // drops the version's keep_alive references
    return r;
  }

  Reply suggestions_filter(const std::string& body);

  Reply readyz() {
    const std::uint64_t version = reloader_.version();
    if (version == 0) return error_reply(503, "not_ready", "no list set is loaded");
    return Reply{200, "{\"status\":\"ready\",\"version\":" + std::to_string(version) + "}"};
  }

  const ServeArgs& args_;
  Reloader& reloader_;
  ServeMetrics& metrics_;
  const DemoAssets* demo_;
};

// {typed, candidates, locale} -> {"suggestions": [the candidates that may
// be shown, in their order]}: Filter::filter_suggestions on one version.
// Before any list set has loaded, every candidate, as check() fails open.
Reply Service::suggestions_filter(const std::string& body) {
  Body doc;
  Reply error;
  std::optional<std::string_view> typed;
  std::optional<std::string_view> locale;
  thread_local std::vector<std::string_view> candidates;
  if (!doc.parse(body, error) || !doc.string_member("typed", true, typed, error) ||
      !doc.string_array_member("candidates", args_.max_candidates, candidates, error) ||
      !doc.string_member("locale", false, locale, error)) {
    return error;
  }
  CheckOptions options;
  if (locale) options.locale = *locale;
  std::vector<std::string_view> shown;
  if (std::optional<Filter> filter = reloader_.current()) {
    shown = filter->filter_suggestions(*typed, candidates, options);
  } else {
    shown = candidates;
  }
  metrics_.record_suggestions(shown.size(), candidates.size() - shown.size());
  Reply r;
  r.body = "{\"suggestions\":[";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (i) r.body += ',';
    append_json_string(r.body, shown[i]);
  }
  r.body += "]}";
  return r;
}

// ---------------------------------------------------------------------------
// The network: one acceptor, a session per connection, on `threads` threads.

class Server;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server& server);
  ~Session();
  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::read, shared_from_this()));
  }
  // Ends the connection once its request in flight (if any) is answered:
  // an idle connection now; one whose request has begun to arrive after
  // that request (within its deadline).
  void drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->draining_ = true;
      if (self->reading_ && !self->parser_->got_some() && self->buffer_.size() == 0) {
        self->stream_.cancel();
      }
    });
  }

 private:
  void read();
  void on_header(beast::error_code ec, std::size_t);
  void on_read(beast::error_code ec, std::size_t);
  void reply(Reply r, unsigned version, bool keep_alive, http::verb method);
  void fail(int status, std::string_view code, std::string_view message);
  void on_write(bool close, beast::error_code ec, std::size_t);
  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  Server& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  Endpoint endpoint_ = Endpoint::other;
  Clock::time_point started_;
  bool reading_ = false;
  bool draining_ = false;
};

class Server {
 public:
  Server(const ServeArgs& args, Service& service, ServeMetrics& metrics, ListWatcher& watcher)
      : args_(args),
        service_(service),
        metrics_(metrics),
        watcher_(watcher),
        ioc_(args.threads),
        acceptor_(ioc_),
        signals_(ioc_, SIGINT, SIGTERM, SIGHUP),
        drain_timer_(ioc_),
        retry_timer_(ioc_) {}

  bool listen(const tcp::endpoint& at) {
    beast::error_code ec;
    acceptor_.open(at.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(at, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      std::cerr << "deter serve: cannot listen on " << at << ": " << ec.message() << "\n";
      return false;
    }
    std::cerr << "deter serve: listening on http://" << acceptor_.local_endpoint(ec) << "\n";
    return true;
  }

  void run() {
    accept();
    wait_signal();
    std::vector<std::thread> threads;
    for (int i = 1; i < args_.threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (std::thread& t : threads) t.join();
  }

  const ServeArgs& args() const { return args_; }
  Service& service() { return service_; }
  ServeMetrics& metrics() { return metrics_; }

  void add(Session* s, const std::shared_ptr<Session>& p) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_[s] = p;
  }
  void remove(Session* s) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(s);
    // The timer is armed and cancelled under mutex_ only, so the last
    // session cannot slip out between the drain's snapshot and its wait.
    if (draining_ && sessions_.empty()) drain_timer_.cancel();
  }

 private:
  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (ec) {
        // Out of file descriptors, say: try again shortly instead of spinning.
        retry_timer_.expires_after(std::chrono::milliseconds(50));
        retry_timer_.async_wait([this](beast::error_code e) {
          if (!e) accept();
        });
        return;
      }
      beast::error_code ignored;
      s.set_option(tcp::no_delay(true), ignored);
      std::size_t open;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        open = sessions_.size();
      }
      if (open >= args_.max_connections) {
        refuse(std::move(s));
      } else {
        auto session = std::make_shared<Session>(std::move(s), *this);
        add(session.get(), session);
        session->start();
      }
      accept();
    });
  }

  // Over max_connections: a fixed 503, written without reading the request.
  void refuse(tcp::socket s) {
    static const std::string kBusy = [] {
      const Reply busy =
          error_reply(503, "too_many_connections", "the server's connection limit is reached");
      return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
             "Connection: close\r\nRetry-After: 1\r\nContent-Length: " +
             std::to_string(busy.body.size()) + "\r\n\r\n" + busy.body;
    }();
    metrics_.record_request(Endpoint::other, 503, 0);
    auto socket = std::make_shared<tcp::socket>(std::move(s));
    asio::async_write(*socket, asio::buffer(kBusy), [socket](beast::error_code, std::size_t) {
      beast::error_code ec;
      socket->shutdown(tcp::socket::shutdown_both, ec);
    });
  }

  void wait_signal() {
    signals_.async_wait([this](beast::error_code ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        std::cerr << "deter serve: SIGHUP: reloading\n";
        watcher_.request_reload();
        wait_signal();
        return;
      }
      drain();
    });
  }

  // Graceful shutdown: stop accepting, let each request in flight finish,
  // close idle connections; after drain_timeout, stop whatever is left.
  void drain() {
    std::cerr << "deter serve: draining\n";
    beast::error_code ec;
    acceptor_.close(ec);
    signals_.cancel(ec);
    retry_timer_.cancel();
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      draining_ = true;
      for (auto& [raw, weak] : sessions_) {
        if (auto s = weak.lock()) open.push_back(std::move(s));
      }
      if (!sessions_.empty()) {
        drain_timer_.expires_after(to_ms(args_.drain_timeout));
        drain_timer_.async_wait([this](beast::error_code e) {
          if (!e) {
            std::cerr << "deter serve: drain timeout; closing the connections left\n";
            ioc_.stop();
          }
        });
      }
    }
    for (auto& s : open) s->drain();
  }

  const ServeArgs& args_;
  Service& service_;
  ServeMetrics& metrics_;
  ListWatcher& watcher_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_;
  asio::steady_timer retry_timer_;
  std::mutex mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  bool draining_ = false;
};

Session::Session(tcp::socket&& socket, Server& server)
    : stream_(std::move(socket)), server_(server) {}

Session::~Session() { server_.remove(this); }

void Session::read() {
  if (draining_) return close();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(server_.args().max_header_bytes));
  parser_->body_limit(server_.args().max_body_bytes);
  reading_ = true;
  // One deadline for the whole request (headers and body) and for an idle
  // keep-alive connection: a client sending a byte at a time holds a
  // connection for request_timeout at most.
  stream_.expires_after(to_ms(server_.args().request_timeout));
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::on_header, shared_from_this()));
}

// A client that sent "Expect: 100-continue" (curl does, for bodies over
// 1 KiB) waits for the interim answer before sending its body; without it,
// curl stalls a second. A body over the limit was refused with the headers.
void Session::on_header(beast::error_code ec, std::size_t) {
  if (ec) return on_read(ec, 0);
  auto read_body = [self = shared_from_this()] {
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     beast::bind_front_handler(&Session::on_read, self));
  };
  if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this(), read_body](beast::error_code e, std::size_t) {
                        if (e) return self->close();
                        read_body();
                      });
    return;
  }
  read_body();
}

void Session::on_read(beast::error_code ec, std::size_t) {
  reading_ = false;
  if (ec) {
    const bool started = parser_->got_some();
    // At the deadline the stream has closed the socket already: a client
    // too slow to send its request gets no answer, only the closed connection.
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == beast::error::timeout || !started) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return fail(413, "body_too_large",
                  "the body is larger than " + std::to_string(server_.args().max_body_bytes) +
                      " bytes");
    }
    if (ec == http::error::header_limit) {
      return fail(431, "headers_too_large",
                  "the headers are larger than " +
                      std::to_string(server_.args().max_header_bytes) + " bytes");
    }
    return fail(400, "bad_request", "the request is not valid HTTP/1.1");
  }
  started_ = Clock::now();
  http::request<http::string_body> req = parser_->release();
  Reply r;
  try {
    r = server_.service().handle(req.method(), req.target(), req.body(),
                                 req[http::field::accept_language], endpoint_);
  } catch (const std::bad_alloc&) {
    r = error_reply(503, "out_of_memory", "the server is out of memory");
  } catch (const std::exception&) {
    r = error_reply(500, "internal_error", "the request failed inside the server");
  }
  reply(std::move(r), req.version(), req.keep_alive() && !draining_, req.method());
}

void Session::fail(int status, std::string_view code, std::string_view message) {
  started_ = Clock::now();
  endpoint_ = Endpoint::other;
  reply(error_reply(status, code, message), 11, false, http::verb::get);
}

void Session::reply(Reply r, unsigned version, bool keep_alive, http::verb method) {
  response_ = {};
  response_.version(version);
  response_.result(static_cast<unsigned>(r.status));
  response_.set(http::field::content_type, r.content_type);
  response_.set(http::field::cache_control, r.cacheable ? "max-age=86400" : "no-store");
  response_.set("X-Content-Type-Options", "nosniff");
  if (!r.allow.empty()) response_.set(http::field::allow, r.allow);
  if (!r.content_language.empty()) {
    response_.set(http::field::content_language, r.content_language);
    response_.set(http::field::vary, "Accept-Language");
  }
  response_.keep_alive(keep_alive);
  response_.body() = std::move(r.body);
  response_.prepare_payload();
  if (method == http::verb::head) response_.body().clear();
  const int status = r.status;
  // Counted before the answer is written, not when the write completes: a
  // client that has read it may ask /metrics on another connection before
  // this thread runs the completion, and must find its request counted.
  // The latency is the time to answer, up to handing it to the socket.
  const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  server_.metrics().record_request(endpoint_, status, seconds);
  if (server_.args().access_log) {
    // Never the target or the body: a client may put a query in either.
    std::ostringstream line;
    line << "deter serve: access " << endpoint_name(endpoint_) << " " << status << " "
         << static_cast<long>(seconds * 1e6) << "us\n";
    std::cerr << line.str();
  }
  stream_.expires_after(to_ms(server_.args().request_timeout));
  http::async_write(stream_, response_,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t n) {
                      self->on_write(!keep_alive, ec, n);
                    });
}

void Session::on_write(bool close_after, beast::error_code ec, std::size_t) {
  if (ec || close_after || draining_) return close();
  read();
}

bool parse_listen(const std::string& text, tcp::endpoint& out) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    return false;
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return false;
  out = tcp::endpoint(address, static_cast<unsigned short>(std::stoul(port)));
  return true;
}

int run_serve(const ServeArgs& args) {
  tcp::endpoint at;
  if (!parse_listen(args.listen, at)) {
    std::cerr << "deter serve: --listen wants ADDRESS:PORT (an IP address), got "
              << escaped(args.listen) << "\n";
    return kExitUsage;
  }
  std::optional<DemoAssets> demo;
  if (args.demo) {
    demo.emplace();
    std::string problem = demo->load_fonts(args.fonts_dir);
    if (!problem.empty()) std::cerr << "deter serve: --demo: " << problem << "\n";
  }
  FilterOptions options;
  options.max_query_bytes = args.max_query_bytes;
  Reloader reloader;
  ServeMetrics metrics;
  ListWatcher watcher(args, options, reloader, metrics);
  if (!watcher.load()) return kExitUsage;
  Service service(args, reloader, metrics, demo ? &*demo : nullptr);
  Server server(args, service, metrics, watcher);
  if (!server.listen(at)) return kExitUsage;
  watcher.start();
  server.run();
  watcher.stop();
  std::cerr << "deter serve: stopped\n";
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Serve decisions over HTTP/1.1 JSON (a sidecar next to a search node)");
  cmd->add_option("--lists", args->lists, "List set directory, or a compiled database")
      ->required();
  add_trusted_key_option(cmd);
  cmd->add_option("--listen", args->listen, "ADDRESS:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_flag("--demo", args->demo, "Also serve the reference search page at /");
  cmd->add_option("-j,--threads", args->threads, "Threads answering requests")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--max-connections", args->max_connections,
                  "Open connections at most; more get a 503 and are closed")
      ->check(positive_count())
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", args->max_body_bytes, "Largest request body (else 413)")
      ->check(positive_count())
      ->capture_default_str();
  cmd->add_option("--max-header-bytes", args->max_header_bytes,
                  "Largest request line and headers together (else 431)")
      ->check(positive_count())
      ->capture_default_str();
  cmd->add_option("--max-batch", args->max_batch, "Most queries in one /v1/check:batch (else 413)")
      ->check(positive_count())
      ->capture_default_str();
  cmd->add_option("--max-candidates", args->max_candidates,
                  "Most candidates in one /v1/suggestions:filter (else 413)")
      ->check(positive_count())
      ->capture_default_str();
  cmd->add_option("--request-timeout", args->request_timeout,
                  "Seconds a request may take to arrive, and a connection may idle, before it is closed")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  cmd->add_option("--drain-timeout", args->drain_timeout,
                  "Seconds SIGTERM waits for requests in flight before closing")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  cmd->add_flag("--no-watch", args->no_watch, "Reload on SIGHUP only, not when the files change");
  cmd->add_option("--watch-interval", args->watch_interval, "Seconds between looks at the files")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  cmd->add_option("--reload-quiet", args->reload_quiet,
                  "Seconds the files must stay unchanged before a reload")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  cmd->add_flag("--access-log", args->access_log,
                "Log each request to stderr: endpoint, status, time (never the query)");
  cmd->add_option("--max-query-bytes", args->max_query_bytes,
                  "Longer queries are checked on their first part and flagged (at least 1)")
      ->check(positive_count())
      ->capture_default_str();
  cmd->add_option("--fonts-dir", args->fonts_dir,
                  "Where --demo finds the Noto fonts it serves (Debian: fonts-noto-core)")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_serve(*args); });
}

}  // namespace deter::cli
