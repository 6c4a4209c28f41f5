// Writing and reading the compiled form of a list set (see store.h).
#include "store.h"

#include <hs/hs.h>
#include <xxhash.h>

#include <cstdio>
#include <cstring>

#include "filter_impl.h"
#include "hex.h"

namespace deter::store {
namespace {

class Writer {
 public:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  void u32(std::uint32_t v) {
    unsigned char b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    raw(b, 4);
  }
  void u64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    raw(b, 8);
  }
  void str(std::string_view s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads with bounds checks; any read past the end makes ok() false.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    if (!need(4)) return 0;
    for (int i = 0; i < 4; ++i)
      v |= std::uint32_t(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    if (!need(8)) return 0;
    for (int i = 0; i < 8; ++i)
      v |= std::uint64_t(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += 8;
    return v;
  }
  std::string_view str() {
    std::uint64_t n = u64();
    if (!ok_ || n > in_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t remaining() const { return in_.size() - pos_; }

 private:
  bool need(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

std::string serialize_db(hs_database_t* db) {
  if (db == nullptr) return {};
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return {};
  std::string out(bytes, length);
  std::free(bytes);
  return out;
}

std::string list_versions(const FilterImpl& impl) {
  std::string out;
  for (const ListInfo& l : impl.lists) {
    if (!out.empty()) out += ',';
    out += l.file;
    if (!l.version.empty()) out += "@" + l.version;
  }
  return out;
}

}  // namespace

std::uint64_t checksum(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

bool has_magic(std::string_view head) { return head.substr(0, kMagic.size()) == kMagic; }

std::string platform() {
  hs_platform_info_t p{};
  hs_populate_platform(&p);
#if defined(__x86_64__)
  const char* arch = "x86_64";
#elif defined(__aarch64__)
  const char* arch = "aarch64";
#else
  const char* arch = "other";
#endif
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s tune=%u features=0x%llx", arch, p.tune,
                static_cast<unsigned long long>(p.cpu_features));
  return buf;
}

std::string hyperscan_version() { return hs_version(); }

Result<std::string> serialize(const FilterImpl& impl) {
  Writer w;
  w.raw(kMagic.data(), kMagic.size());
  w.u32(kFormatVersion);
  w.u32(0);
  w.str(hyperscan_version());
  w.str(platform());
  w.str(impl.content_hash);
  w.str(impl.pattern_digest);
  w.u32(impl.options.views.bits());
  w.u64(impl.options.max_entries);
  w.u64(impl.options.max_entry_bytes);
  w.str(list_versions(impl));
  w.u32(static_cast<std::uint32_t>(impl.sources.size()));
  for (const auto& [name, contents] : impl.sources) {
    w.str(name);
    w.str(contents);
  }
  for (hs_database_t* db : {impl.database.literals(), impl.database.regexes()}) {
    std::string s = serialize_db(db);
    if (db != nullptr && s.empty()) {
      return Error{ErrorCode::internal, "cannot serialize a Hyperscan database", "", 0, 0};
    }
    w.str(s);
  }
  w.u64(checksum(w.bytes()));
  return std::move(w.bytes());
}

Result<std::shared_ptr<FilterImpl>> deserialize(std::string_view bytes,
                                                const FilterOptions& options,
                                                const std::string& name) {
  auto corrupt = [&](std::string message) {
    return Error{ErrorCode::corrupt, std::move(message), name, 0, 0};
  };
  if (!has_magic(bytes)) return corrupt("not a compiled deter database (no DETERDB1 magic)");
  Reader head(bytes.substr(kMagic.size()));
  std::uint32_t format = head.u32();
  if (!head.ok()) return corrupt("truncated compiled database");
  if (format != kFormatVersion) {
    return corrupt("compiled database format " + std::to_string(format) + "; this deter reads " +
                   std::to_string(kFormatVersion) + ": recompile it with 'deter compile'");
  }
  if (bytes.size() < kMagic.size() + 8 + 8) return corrupt("truncated compiled database");
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  Reader tail(bytes.substr(bytes.size() - 8));
  if (tail.u64() != checksum(body)) {
    return corrupt("checksum mismatch: the compiled database is truncated or damaged");
  }

  Reader r(body.substr(kMagic.size() + 8));
  std::string_view hs = r.str();
  std::string_view plat = r.str();
  std::string_view content_hash = r.str();
  std::string_view digest = r.str();
  std::uint32_t views = r.u32();
  r.u64();  // max_entries and max_entry_bytes at compile time: informational
  r.u64();
  r.str();  // list versions: informational (deter compile prints them)
  if (!r.ok()) return corrupt("truncated compiled database");
  if (hs != hyperscan_version()) {
    return corrupt("compiled with Hyperscan '" + std::string(hs) + "', but this is '" +
                   hyperscan_version() + "': recompile it with 'deter compile'");
  }
  if (plat != platform()) {
    return corrupt("compiled for platform '" + std::string(plat) + "', but this machine is '" +
                   platform() + "': recompile it with 'deter compile'");
  }
  std::uint32_t file_count = r.u32();
  std::vector<std::pair<std::string, std::string>> files;
  for (std::uint32_t i = 0; i < file_count && r.ok(); ++i) {
    std::string_view n = r.str();
    std::string_view c = r.str();
    files.emplace_back(std::string(n), std::string(c));
  }
  std::string_view literal_db = r.str();
  std::string_view regex_db = r.str();
  if (!r.ok() || r.remaining() != 0) return corrupt("malformed compiled database");

  FilterOptions opts = options;
  opts.views = ViewSet::only(View::base);
  for (int v = 0; v < kViewCount; ++v) {
    if ((views >> v) & 1u) opts.views = opts.views.with(static_cast<View>(v));
  }
  FilterImpl::Patterns patterns;
  auto built = FilterImpl::build_tables(files, opts, patterns);
  if (!built) {
    Error e = built.error();
    e.message = "in compiled database " + name + ": " + e.message;
    return e;
  }
  FilterImpl& impl = *built.value();
  if (impl.content_hash != content_hash || impl.pattern_digest != digest) {
    return corrupt(
        "the compiled database was made by a deter that normalizes differently: recompile it "
        "with 'deter compile'");
  }
  if ((match::PatternDatabase::hyperscan_literal_count(patterns.literals) == 0) !=
          literal_db.empty() ||
      patterns.regexes.empty() != regex_db.empty()) {
    return corrupt("malformed compiled database (database missing)");
  }
  match::HsDatabasePtr dbs[2];
  std::string_view blobs[2] = {literal_db, regex_db};
  for (int i = 0; i < 2; ++i) {
    if (blobs[i].empty()) continue;
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(blobs[i].data(), blobs[i].size(), &db) != HS_SUCCESS) {
      return corrupt("a Hyperscan database in the file cannot be read on this machine");
    }
    dbs[i].reset(db);
  }
  impl.database.adopt(std::move(dbs[0]), std::move(dbs[1]));
  impl.database.build_tokens(patterns.literals);
  return built;
}

std::string cache_file_name(const std::vector<std::pair<std::string, std::string>>& sorted_files,
                            const FilterOptions& options) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  for (const auto& [name, contents] : sorted_files) {
    std::uint64_t sizes[2] = {name.size(), contents.size()};
    XXH3_128bits_update(state, sizes, sizeof sizes);
    XXH3_128bits_update(state, name.data(), name.size());
    XXH3_128bits_update(state, contents.data(), contents.size());
  }
  std::string env = hyperscan_version() + "\n" + platform() + "\n" +
                    std::to_string(options.views.bits()) + "\n" + std::to_string(kFormatVersion);
  XXH3_128bits_update(state, env.data(), env.size());
  XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return hex128(h.high64, h.low64) + ".deterdb";
}

}  // namespace deter::store
