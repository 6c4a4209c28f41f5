// Writing and reading the compiled form of a list set (see store.h).
#include "store.h"

#include <fcntl.h>
#include <hs/hs.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#if defined(__x86_64__)
// libxxhash's run-time dispatch (AVX2 where the CPU has it) for the
// checksum; the names are called as they are, not replaced.
#define XXH_DISPATCH_DISABLE_REPLACE
#include <xxh_x86dispatch.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <unordered_map>

#include "filter_impl.h"
#include "hex.h"
#include "text/gapped.h"
#include "text/stored.h"

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
  // A str whose bytes begin at a multiple of 64 from the file's start
  // (a cache line: a mapping begins on a page), after zeros: a part used
  // where it lies in a mapped file. `save`
  // appends the bytes to the string it is given (an index's save()), here
  // in place: a part is tens of MB at 100k entries, and a copy of each was
  // a tenth of `deter compile`.
  template <class Save>
  void aligned_part(Save&& save) {
    while ((out_.size() + 8) % text::stored::kLine != 0) out_.push_back('\0');
    const std::size_t at = out_.size();
    u64(0);
    save(out_);
    const std::uint64_t size = out_.size() - at - 8;
    for (int i = 0; i < 8; ++i) out_[at + i] = static_cast<char>(size >> (8 * i));
  }
  void reserve(std::size_t n) { out_.reserve(n); }
  // Zeros up to a multiple of `n` bytes from the file's start.
  void zeros_to(std::size_t n) {
    while (out_.size() % n != 0) out_.push_back('\0');
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
  // What Writer::aligned_part wrote: its bytes begin at a multiple of 64
  // from the file's start (this reader's begin after kHeaderBytes).
  std::string_view aligned_str() {
    while ((kHeaderBytes + pos_ + 8) % text::stored::kLine != 0 && ok_) {
      if (bytes(1) != std::string_view("\0", 1)) ok_ = false;
    }
    return str();
  }
  // What Writer::zeros_to wrote.
  void zeros_to(std::size_t n) {
    while ((kHeaderBytes + pos_) % n != 0 && ok_) {
      if (bytes(1) != std::string_view("\0", 1)) ok_ = false;
    }
  }
  std::string_view bytes(std::size_t n) {
    if (!need(n)) return {};
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t remaining() const { return in_.size() - pos_; }
  std::size_t pos() const { return pos_; }
  // What was read from `from` (a pos()) on.
  std::string_view since(std::size_t from) const { return in_.substr(from, pos_ - from); }
  void fail() { ok_ = false; }

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

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string hex(const unsigned char* p, std::size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

// The value of the first line of `text` that is neither blank nor a '#'
// comment, if that line is "<tag> <hex of exactly n bytes>".
bool parse_key(std::string_view text, std::string_view tag, unsigned char* out, std::size_t n) {
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    if (line.size() != tag.size() + 1 + 2 * n || line.substr(0, tag.size()) != tag ||
        line[tag.size()] != ' ') {
      return false;
    }
    std::string_view h = line.substr(tag.size() + 1);
    std::size_t len = 0;
    return sodium_hex2bin(out, n, h.data(), h.size(), nullptr, &len, nullptr) == 0 && len == n;
  }
  return false;
}

constexpr std::string_view kPublicTag = "deter-ed25519-public";
constexpr std::string_view kSecretTag = "deter-ed25519-secret";

// The patterns as a compiled file holds them: views into its bytes, the
// literals split once by is_token_literal (the token index's and
// Hyperscan's), each in atom order. Nothing of them is copied on load.
struct StoredPatterns {
  struct Literal {
    std::string_view text;
    unsigned id;
  };
  // The token index's literals, most of them: where each lies in `texts`,
  // by atom id (size 0: the atom is none of them), and their ids in order.
  // Eight bytes an atom and four a literal, where a list of views was 24
  // bytes a literal (11.6 MB of fresh pages on every open of 100k entries).
  std::vector<match::TokenIndex::TextRef> token_at;
  std::vector<std::uint32_t> token_ids;
  std::string_view texts;  // every literal and regex of the atom tables
  std::string_view token(std::uint32_t id) const {
    return texts.substr(token_at[id].offset, token_at[id].size);
  }
  std::vector<Literal> others;   // Hyperscan's literals
  std::vector<Literal> regexes;  // expressions
};

std::string digest_of(const std::vector<match::LiteralPattern>& literals,
                      const std::vector<match::RegexPattern>& regexes) {
  FilterImpl::Patterns p{literals, regexes};
  return p.digest();
}

std::vector<match::LiteralPattern> hyperscan_literals(
    const std::vector<match::LiteralPattern>& all) {
  std::vector<match::LiteralPattern> out;
  for (const auto& l : all) {
    if (!match::is_token_literal(l.text)) out.push_back(l);
  }
  return out;
}

// The literal database must find each of its literals, scanned on its own
// text, under its own id, and report nothing but ids of its own literals:
// a database compiled from other patterns (spliced from another file) fails
// here rather than answering for the wrong entries. The literals are
// scanned in one buffer, joined by a byte none of them holds (so no match
// spans two), which costs one pass over the bytes of all literals plus the
// hits among them; one hs_scan per literal cost 8 us each at 100k entries.
std::optional<std::string> verify_literals(const match::PatternDatabase& db,
                                           const std::vector<StoredPatterns::Literal>& all) {
  if (db.literals() == nullptr) return std::nullopt;
  // Beyond kVerifyAll literals, a random sample of kVerifySample of them
  // (chosen here, so a file cannot be made for the sample): a database
  // compiled from other patterns disagrees on most literals and is caught
  // all the same, at a fixed cost. What the sample can miss, a database
  // wrong on a few literals, only makes entries miss or match wrongly, as
  // an edited list in an unsigned file could anyway; the scan never uses
  // an id outside the entry table (PatternDatabase::scan).
  constexpr std::size_t kVerifyAll = 16384;
  constexpr std::size_t kVerifySample = 4096;
  std::vector<StoredPatterns::Literal> sample;
  const bool sampled = all.size() > kVerifyAll && sodium_ready();
  if (sampled) {
    std::vector<std::size_t> picks(kVerifySample);
    for (std::size_t& i : picks) i = randombytes_uniform(static_cast<std::uint32_t>(all.size()));
    std::sort(picks.begin(), picks.end());
    picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
    for (std::size_t i : picks) sample.push_back(all[i]);
  }
  const std::vector<StoredPatterns::Literal>& literals = sampled ? sample : all;
  bool present[256] = {};
  std::size_t total = 0;
  for (const auto& l : literals) {
    for (char c : l.text) present[static_cast<unsigned char>(c)] = true;
    total += l.text.size() + 1;
  }
  int separator = -1;
  for (int b = 255; b >= 0 && separator < 0; --b) {
    if (!present[b]) separator = b;
  }
  // Groups of literals scanned at once: all of them, or (when every byte
  // value occurs in some literal) one at a time.
  std::vector<std::size_t> group_starts;
  if (separator >= 0 && total <= 0xFFFFFFFFu) {
    group_starts = {0, literals.size()};
  } else {
    for (std::size_t i = 0; i <= literals.size(); ++i) group_starts.push_back(i);
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db.literals(), &scratch) != HS_SUCCESS) {
    return "its literal database cannot be scanned";
  }
  struct Ctx {
    const match::PatternDatabase* db;
    // For each literal of the group: its id and where it ends in the buffer.
    std::vector<std::pair<unsigned long long, unsigned>> ends;  // (end, id), sorted by end
    std::vector<std::uint8_t> found;
    bool foreign = false;
  } ctx{&db, {}, {}};
  auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned,
                     void* p) -> int {
    auto& c = *static_cast<Ctx*>(p);
    if (c.db->owner(id) != match::PatternDatabase::kOwnerLiterals) {
      c.foreign = true;
      return 1;
    }
    auto it = std::lower_bound(c.ends.begin(), c.ends.end(), std::make_pair(to, 0u));
    if (it != c.ends.end() && it->first == to && it->second == id) {
      c.found[static_cast<std::size_t>(it - c.ends.begin())] = 1;
    }
    return 0;
  };
  std::optional<std::string> problem;
  std::string buffer;
  for (std::size_t g = 0; g + 1 < group_starts.size() && !problem; ++g) {
    buffer.clear();
    ctx.ends.clear();
    for (std::size_t i = group_starts[g]; i < group_starts[g + 1]; ++i) {
      if (!buffer.empty()) buffer.push_back(static_cast<char>(separator));
      buffer += literals[i].text;
      ctx.ends.emplace_back(buffer.size(), literals[i].id);
    }
    ctx.found.assign(ctx.ends.size(), 0);
    hs_error_t rc = hs_scan(db.literals(), buffer.data(), static_cast<unsigned>(buffer.size()), 0,
                            scratch, on_match, &ctx);
    if (ctx.foreign) {
      problem = "its literal database reports a pattern that is not in its entry table";
    } else if (rc != HS_SUCCESS) {
      problem = "its literal database cannot be scanned";
    } else {
      for (std::size_t k = 0; k < ctx.found.size(); ++k) {
        if (!ctx.found[k]) {
          problem = "its literal database does not find the literal of pattern " +
                    std::to_string(ctx.ends[k].second) + " of its entry table";
          break;
        }
      }
    }
  }
  hs_free_scratch(scratch);
  return problem;
}

// The token index is stored finished (not rebuilt on load), so it is
// checked as the literal database is: each of its literals (a random sample
// of kVerifySample beyond kVerifyAll), scanned on its own text, must be
// found under its own id, and nothing may be reported under an id that is
// not one of its own. One scan per literal: a token literal is a few words.
std::optional<std::string> verify_tokens(const match::PatternDatabase& db,
                                         const StoredPatterns& patterns) {
  constexpr std::size_t kVerifyAll = 16384;
  constexpr std::size_t kVerifySample = 4096;
  const std::vector<std::uint32_t>& all = patterns.token_ids;
  if (all.size() != db.tokens().literal_count()) {
    return "its token index holds " + std::to_string(db.tokens().literal_count()) +
           " literals, its entry table " + std::to_string(all.size());
  }
  std::vector<std::uint32_t> sample;
  if (all.size() > kVerifyAll && sodium_ready()) {
    sample.resize(kVerifySample);
    for (auto& id : sample) id = all[randombytes_uniform(static_cast<std::uint32_t>(all.size()))];
  }
  for (const std::uint32_t want : sample.empty() ? all : sample) {
    const std::string_view text = patterns.token(want);
    bool found = false;
    bool foreign = false;
    db.tokens().scan(text, [&](unsigned id, std::size_t from, std::size_t to) {
      if (db.owner(id) != match::PatternDatabase::kOwnerTokens) {
        foreign = true;
        return false;
      }
      found |= id == want && from == 0 && to == text.size();
      return true;
    });
    if (foreign) return "its token index reports a pattern that is not in its entry table";
    if (!found) {
      return "its token index does not find the literal of pattern " + std::to_string(want) +
             " of its entry table";
    }
  }
  return std::nullopt;
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

// The entry tables every file holds (format 9), so that loading reads them
// instead of parsing the sources: everything check() and the entry reports
// need, and nothing they do not (no entry source lines, examples or
// comments; the normalized literals and the regexes follow, as Hyperscan
// and the token index need them). A file with sources holds each pattern's
// text as written too, which check_atoms rebuilds a sample of entries
// from; a stripped file holds none.
void write_entry_tables(Writer& w, const FilterImpl& impl, bool pattern_texts) {
  w.u32(static_cast<std::uint32_t>(impl.lists.size()));
  for (const ListInfo& l : impl.lists) {
    w.str(l.file);
    w.str(l.name);
    w.str(l.language);
    w.u64(l.entries);
    w.str(l.version);
  }
  std::uint32_t message_count = 0;
  for (const auto& [key, all] : impl.messages)
    message_count += static_cast<std::uint32_t>(all.size());
  w.u32(message_count);
  for (const auto& [key, all] : impl.messages) {
    for (const Message& m : all) {
      w.str(m.key);
      w.str(m.locale);
      w.str(m.title);
      w.str(m.body);
      w.u32(static_cast<std::uint32_t>(m.links.size()));
      for (const std::string& link : m.links) w.str(link);
    }
  }
  // The entries' files, categories, messages and locales, each once: an
  // entry names them by index (a few distinct strings in 100k entries).
  const rules::EntryTable& t = impl.entries;
  w.u32(static_cast<std::uint32_t>(t.name_count()));
  for (std::uint32_t k = 0; k < t.name_count(); ++k) w.str(t.name(k));
  // The records, their ids and their patterns as they are in memory
  // (rules::EntryTable), used where they lie.
  w.u32(static_cast<std::uint32_t>(t.records().size()));
  w.zeros_to(8);
  w.raw(t.records().data(), t.records().size_bytes());
  w.str(t.ids());
  w.u32(static_cast<std::uint32_t>(t.patterns().size()));
  w.zeros_to(8);
  w.raw(t.patterns().data(), t.patterns().size_bytes());
  if (pattern_texts) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      for (std::size_t k = 0; k < t[i].patterns.size(); ++k) w.str(t.text(i, k));
    }
  }
}

// The atoms and the patterns they compile to, in every file: loading reads
// them rather than running every entry through every view again.
// Returns where each literal's text lies, by atom id, from the first text
// (the token index refers to them there).
std::vector<std::uint32_t> write_atom_tables(Writer& w, const FilterImpl& impl,
                                             const FilterImpl::Patterns& patterns) {
  w.u32(static_cast<std::uint32_t>(impl.atoms.size()));
  // The atoms as they are in memory (16 bytes each, from a multiple of 8
  // in the file), used where they lie: four varints each were a quarter
  // of the open, and 7.7 MB of every process at 100k entries.
  w.zeros_to(8);
  w.raw(impl.atoms.span().data(), impl.atoms.span().size_bytes());
  // Every atom is compiled to one pattern whose id is the atom's index
  // (FilterImpl::atoms_of), so each text follows in atom order with no id:
  // a literal's length is its atom's; a regex is a str.
  std::vector<std::string_view> text(impl.atoms.size());
  for (const auto& l : patterns.literals) text.at(l.id) = l.text;
  for (const auto& x : patterns.regexes) text.at(x.id) = x.expression;
  std::vector<std::uint32_t> offsets(impl.atoms.size(), 0);
  const std::size_t first = w.bytes().size();
  for (std::size_t i = 0; i < impl.atoms.size(); ++i) {
    if (impl.atoms[i].regex) {
      w.str(text[i]);
    } else {
      offsets[i] = static_cast<std::uint32_t>(w.bytes().size() - first);
      w.raw(text[i].data(), text[i].size());
    }
  }
  return offsets;
}

// Reads what write_entry_tables wrote, and checks every index and value the
// matcher and check() rely on: a stripped file cannot be checked against
// its sources, so its tables are checked against each other.
Error bad_table(std::string what) { return Error{ErrorCode::corrupt, std::move(what), "", 0, 0}; }

// The place of a record in the file, for errors: `at` is a Reader's pos()
// in the bytes after the header.
std::string at_byte(std::size_t at) { return " at byte " + std::to_string(kHeaderBytes + at); }

// Each element takes at least 4 bytes, so no count can ask for more
// elements than the file has bytes left.
std::uint32_t table_count(Reader& r) {
  std::uint32_t n = r.u32();
  return r.ok() && n <= r.remaining() / 4 ? n : (r.fail(), 0);
}

// With `pattern_texts`, each pattern's text as written is read too, as a
// view into the file, entry by entry (check_atoms); the entries keep none.
Result<std::shared_ptr<FilterImpl>> read_entry_tables(
    Reader& r, const FilterOptions& options, std::vector<std::string_view>* pattern_texts) {
  auto bad = bad_table;
  auto count = [&r] { return table_count(r); };
  auto impl = std::make_shared<FilterImpl>();
  impl->options = options;
  for (std::uint32_t i = 0, n = count(); i < n && r.ok(); ++i) {
    ListInfo l;
    l.file = r.str();
    l.name = r.str();
    l.language = r.str();
    l.entries = r.u64();
    l.version = r.str();
    impl->lists.push_back(std::move(l));
  }
  for (std::uint32_t i = 0, n = count(); i < n && r.ok(); ++i) {
    Message m;
    m.key = r.str();
    m.locale = r.str();
    m.title = r.str();
    m.body = r.str();
    for (std::uint32_t k = 0, links = count(); k < links && r.ok(); ++k)
      m.links.emplace_back(r.str());
    if (!r.ok()) break;
    auto& slot = impl->messages[m.key];
    for (const Message& existing : slot) {
      if (existing.locale == m.locale) return bad("a message is defined twice");
    }
    slot.push_back(std::move(m));
  }
  // The names, each once: a record names them by their place here.
  const std::uint32_t name_count = count();
  for (std::uint32_t k = 0; k < name_count && r.ok(); ++k) {
    if (impl->entries.intern(r.str()) != k && r.ok()) return bad("a name is given twice");
  }
  const std::uint32_t entry_count = count();
  if (entry_count > options.max_entries) return bad("more entries than FilterOptions::max_entries");
  using Record = rules::EntryTable::Record;
  r.zeros_to(8);
  const std::size_t records_at = r.pos();
  const std::string_view records = r.bytes(std::size_t{entry_count} * sizeof(Record));
  const std::string_view ids = r.str();
  const std::uint32_t pattern_count = count();
  r.zeros_to(8);
  const std::size_t patterns_at = r.pos();
  const std::string_view patterns = r.bytes(std::size_t{pattern_count} * sizeof(rules::PatternRef));
  for (std::uint32_t k = 0; pattern_texts != nullptr && k < pattern_count && r.ok(); ++k) {
    pattern_texts->push_back(r.str());
  }
  if (!r.ok()) return bad("truncated" + at_byte(r.pos()));
  // Every byte is checked before it is read as the type it stores (an enum
  // or a bool out of its range may not be read as one).
  const auto* p = reinterpret_cast<const unsigned char*>(patterns.data());
  for (std::uint32_t k = 0; k < pattern_count; ++k, p += sizeof(rules::PatternRef)) {
    if (p[0] > 3 || p[1] > 1 || p[2] != 0 || p[3] != 0) {
      return bad("pattern " + std::to_string(k) + at_byte(patterns_at + k * sizeof(rules::PatternRef)) +
                 " is malformed");
    }
  }
  const auto* e = reinterpret_cast<const unsigned char*>(records.data());
  std::uint64_t next_pattern = 0;
  for (std::uint32_t i = 0; i < entry_count; ++i, e += sizeof(Record)) {
    auto bad_entry = [&](const char* why) {
      return bad("entry " + std::to_string(i) + at_byte(records_at + i * sizeof(Record)) + " " + why);
    };
    auto u32_at = [e](std::size_t at) {
      std::uint32_t v;
      std::memcpy(&v, e + at, 4);
      return v;
    };
    const std::uint32_t views = u32_at(offsetof(rules::EntryFacts, views));
    if (e[0] > 2 || e[1] > 1 || e[2] > 3 || e[3] > 3 || e[5] != 0 || e[6] != 0 || e[7] != 0 ||
        views >= (1u << kViewCount) || !((views >> static_cast<unsigned>(View::base)) & 1u)) {
      return bad_entry("is malformed");
    }
    const std::uint64_t id_at = u32_at(offsetof(Record, id_at));
    const std::uint64_t id_size = u32_at(offsetof(Record, id_size));
    const std::uint32_t first = u32_at(offsetof(Record, first_pattern));
    const std::uint32_t parts = u32_at(offsetof(Record, pattern_count));
    if (id_at + id_size >= ids.size() || ids[id_at + id_size] != '\0' || first != next_pattern ||
        parts == 0 || parts > 0xFFFFu || next_pattern + parts > pattern_count) {
      return bad_entry("is malformed");
    }
    next_pattern += parts;
    const std::uint32_t message = u32_at(offsetof(Record, message));
    for (const std::size_t at : {offsetof(Record, file), offsetof(Record, category),
                                 offsetof(Record, message), offsetof(Record, locale)}) {
      if (u32_at(at) >= name_count) return bad_entry("names a string past the table of names");
    }
    const std::string_view message_name = impl->entries.name(message);
    if (!impl->messages.empty() && !message_name.empty() &&
        impl->messages.find(message_name) == impl->messages.end()) {
      return bad_entry("names a message that is not defined");
    }
    for (int v = 0; v < kViewCount; ++v) {
      if ((views >> v) & 1u) impl->scan_views = impl->scan_views.with(static_cast<View>(v));
    }
    if (e[0] == static_cast<unsigned char>(rules::EntryKind::exception)) impl->has_exceptions = true;
  }
  if (next_pattern != pattern_count) return bad("the entries' patterns are malformed");
  // The bytes lie at a multiple of 8 in the mapping (or its aligned copy).
  impl->entries.use(
      std::span<const Record>(reinterpret_cast<const Record*>(records.data()), entry_count), ids,
      std::span<const rules::PatternRef>(reinterpret_cast<const rules::PatternRef*>(patterns.data()),
                                         pattern_count));
  if (!r.ok()) return bad("truncated" + at_byte(r.pos()));
  return impl;
}

// Reads what write_atom_tables wrote into `impl`, whose entries are read
// already, and checks each atom against its entry. `texts` is where the
// literals and regexes lie in the file.
std::optional<Error> read_atom_tables(Reader& r, FilterImpl& impl_ref, StoredPatterns& patterns,
                                      std::string_view& texts) {
  auto bad = bad_table;
  auto count = [&r] { return table_count(r); };
  FilterImpl* impl = &impl_ref;
  const std::uint32_t atom_count = count();  // no more than the bytes left
  // Most literals are the token index's: grown one by one, their list was
  // a tenth of opening list-100000.
  patterns.token_ids.reserve(atom_count);
  r.zeros_to(8);
  const std::size_t atoms_at = r.pos();
  const std::string_view stored = r.bytes(std::size_t{atom_count} * sizeof(Atom));
  if (!r.ok()) return bad("truncated" + at_byte(r.pos()));
  // Each atom's bytes are checked before it is read as an Atom (a bool
  // that is neither 0 nor 1 may not be read): its view, its flags, then
  // its entry (in order: an entry's atoms are found by it, check_atoms)
  // and pattern.
  const auto* raw = reinterpret_cast<const unsigned char*>(stored.data());
  std::uint32_t last_entry = 0;
  for (std::uint32_t i = 0; i < atom_count; ++i) {
    const unsigned char* b = raw + std::size_t{i} * sizeof(Atom);
    auto bad_atom = [&](const char* why) {
      return bad("atom " + std::to_string(i) + at_byte(atoms_at + i * sizeof(Atom)) + " " + why);
    };
    if (b[offsetof(Atom, view)] >= kViewCount || b[offsetof(Atom, regex)] > 1 ||
        b[offsetof(Atom, pad_front)] > 1 || b[offsetof(Atom, pad_back)] > 1) {
      return bad_atom("is malformed");
    }
    std::uint32_t entry = 0;
    std::uint32_t pattern = 0;
    std::memcpy(&entry, b + offsetof(Atom, entry), 4);
    std::memcpy(&pattern, b + offsetof(Atom, pattern), 4);
    if (entry < last_entry || entry >= impl->entries.size() ||
        pattern >= impl->entries[entry].patterns.size()) {
      return bad_atom("is malformed");
    }
    last_entry = entry;
    const bool regex = b[offsetof(Atom, regex)] != 0;
    if (regex != (impl->entries[entry].patterns[pattern].kind == rules::PatternKind::regex)) {
      return bad_atom("is not of its pattern's kind");
    }
  }
  // The bytes lie at a multiple of 8 in the mapping (or its aligned copy).
  impl->atoms.use(std::span<const Atom>(reinterpret_cast<const Atom*>(stored.data()), atom_count));
  const std::size_t first = r.pos();
  patterns.token_at.assign(atom_count, {});
  for (std::uint32_t id = 0; id < impl->atoms.size() && r.ok(); ++id) {
    const Atom& a = impl->atoms[id];
    if (a.regex) {
      std::string_view text = r.str();
      if (r.ok()) patterns.regexes.push_back({text, id});
      continue;
    }
    const std::size_t text_at = r.pos();
    std::string_view text = r.bytes(a.length);
    if (!r.ok()) break;
    if (text.empty() || a.pad_front != (text.front() == ' ') || a.pad_back != (text.back() == ' ')) {
      return bad("the literal of atom " + std::to_string(id) + at_byte(text_at) +
                 " does not agree with its atom");
    }
    if (match::is_token_literal(text)) {
      // The token index keeps 32-bit offsets into these texts.
      if (text_at - first > 0xFFFFFFFFu) return bad("its literals are too large");
      patterns.token_at[id] = {static_cast<std::uint32_t>(text_at - first),
                               static_cast<std::uint32_t>(text.size())};
      patterns.token_ids.push_back(id);
    } else {
      patterns.others.push_back({text, id});
    }
  }
  if (!r.ok()) return bad("truncated" + at_byte(r.pos()));
  texts = r.since(first);
  patterns.texts = texts;
  return std::nullopt;
}

// The stored atoms of a file with sources must be the ones its sources
// give, as this deter builds them: a file from a deter that normalizes
// differently, or with atoms edited behind its sources, is refused. Small
// list sets are rebuilt whole; beyond kRebuildAll entries, a random sample
// of kRebuildSample (chosen here, so a file cannot be made for it), which
// catches a normalizer that changed for more than a few entries at a fixed
// cost: rebuilding every entry is most of what loading used to cost.
// The entries were read from the file's tables, without pattern texts:
// `pattern_texts` (read_entry_tables) gives each rebuilt entry its texts
// (atoms_of's `texts`), from the file's table, as written in its sources.
bool check_atoms(const FilterImpl& impl, const StoredPatterns& patterns,
                 const std::vector<std::string_view>& pattern_texts) {
  constexpr std::size_t kRebuildAll = 4096;
  constexpr std::size_t kRebuildSample = 256;
  const std::size_t n = impl.entries.size();
  std::vector<std::uint32_t> first(n + 1, static_cast<std::uint32_t>(impl.atoms.size()));
  for (std::size_t i = impl.atoms.size(); i-- > 0;) first[impl.atoms[i].entry] = static_cast<std::uint32_t>(i);
  for (std::size_t e = n; e-- > 0;) first[e] = std::min(first[e], first[e + 1]);
  // An atom's stored text, by its id: a token literal's from the table by
  // id, another's from its list, which is in id order (read_atom_tables).
  // Only the rebuilt entries' atoms are asked, a few thousand at most,
  // where a table of every atom's text was 7.7 MB of fresh pages at 100k
  // entries.
  auto text = [&patterns](std::uint32_t id) -> std::optional<std::string_view> {
    if (id < patterns.token_at.size() && patterns.token_at[id].size != 0) return patterns.token(id);
    auto find = [id](const auto& list) -> std::optional<std::string_view> {
      const auto it = std::lower_bound(list.begin(), list.end(), id,
                                       [](const auto& l, std::uint32_t x) { return l.id < x; });
      if (it == list.end() || it->id != id) return std::nullopt;
      return it->text;
    };
    if (auto t = find(patterns.others)) return t;
    return find(patterns.regexes);
  };
  std::vector<std::size_t> first_text(n + 1, 0);
  for (std::size_t e = 0; e < n; ++e)
    first_text[e + 1] = first_text[e] + impl.entries[e].patterns.size();
  if (first_text[n] != pattern_texts.size()) return false;
  std::vector<std::uint32_t> picks;
  if (n <= kRebuildAll || !sodium_ready()) {
    for (std::uint32_t e = 0; e < n; ++e) picks.push_back(e);
  } else {
    for (std::size_t k = 0; k < kRebuildSample; ++k)
      picks.push_back(randombytes_uniform(static_cast<std::uint32_t>(n)));
  }
  std::vector<Atom> atoms;
  for (std::uint32_t e : picks) {
    atoms.clear();
    FilterImpl::Patterns rebuilt;
    impl.atoms_of(e, first[e], atoms, rebuilt, nullptr,
                  std::span<const std::string_view>(pattern_texts)
                      .subspan(first_text[e], impl.entries[e].patterns.size()));
    if (atoms.size() != first[e + 1] - first[e]) return false;
    for (std::size_t k = 0; k < atoms.size(); ++k) {
      const Atom& a = atoms[k];
      const Atom& b = impl.atoms[first[e] + k];
      if (a.entry != b.entry || a.pattern != b.pattern || a.length != b.length ||
          a.view != b.view || a.regex != b.regex || a.pad_front != b.pad_front ||
          a.pad_back != b.pad_back) {
        return false;
      }
    }
    for (const auto& l : rebuilt.literals) {
      if (text(l.id) != l.text) return false;
    }
    for (const auto& x : rebuilt.regexes) {
      if (text(x.id) != x.expression) return false;
    }
  }
  return true;
}

// The stored entry words (the spaced view's, text/entry_words.h) must hold
// every word this deter finds in the literals: those of every literal up to
// kCheckAll, of a random sample of kCheckSample beyond. A file made by a
// deter that finds other words (a changed EntryWords::add) is refused; one
// that finds more than this one is not caught.
bool check_entry_words(const FilterImpl& impl, const text::EntryWords& stored,
                       const StoredPatterns& patterns) {
  constexpr std::size_t kCheckAll = 16384;
  constexpr std::size_t kCheckSample = 4096;
  if (!impl.scan_views.has(View::spaced)) return stored.empty();
  // The literals as one sequence: the token index's, then Hyperscan's.
  const std::size_t tokens = patterns.token_ids.size();
  const std::size_t count = tokens + patterns.others.size();
  text::EntryWords part;
  auto add = [&](std::size_t k) {
    if (k < tokens) {
      const std::uint32_t id = patterns.token_ids[k];
      impl.adds_entry_words(patterns.token(id), id, &part);
    } else {
      const auto& l = patterns.others[k - tokens];
      impl.adds_entry_words(l.text, l.id, &part);
    }
  };
  if (count <= kCheckAll || !sodium_ready()) {
    for (std::size_t k = 0; k < count; ++k) add(k);
  } else {
    for (std::size_t k = 0; k < kCheckSample; ++k)
      add(randombytes_uniform(static_cast<std::uint32_t>(count)));
  }
  return stored.contains_added(part);
}

// The patterns `impl`'s databases were compiled from, in the order
// compile() made them, into `out`: what serialize() writes. compile() keeps
// no copy of them, and making them again (parsing the sources, atoms_of for
// every entry, and the indexes built from the literals) cost `deter compile`
// half its time. A token literal's text is the token index's, a regex's its
// pattern's; only the entries with a literal Hyperscan holds are rebuilt
// (FilterImpl::atoms_of). False if the result is not what compile() digested.
bool saved_patterns(const FilterImpl& impl, FilterImpl::Patterns& out) {
  const AtomTable& atoms = impl.atoms;
  std::vector<std::string_view> text(atoms.size());
  std::vector<bool> known(atoms.size(), false);
  impl.database.tokens().for_each_literal([&](unsigned id, std::string_view t) {
    if (id < atoms.size()) text[id] = t, known[id] = true;
  });
  FilterImpl::Patterns rebuilt;
  std::vector<Atom> rebuilt_atoms;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    if (atoms[i].regex || known[i]) continue;
    // Atoms come entry by entry: rebuild the entry from its first atom.
    const std::uint32_t e = atoms[i].entry;
    std::size_t first = i;
    while (first > 0 && atoms[first - 1].entry == e) --first;
    const std::size_t before = rebuilt_atoms.size();
    impl.atoms_of(e, static_cast<std::uint32_t>(first), rebuilt_atoms, rebuilt);
    while (i + 1 < atoms.size() && atoms[i + 1].entry == e) ++i;
    if (rebuilt_atoms.size() - before != i + 1 - first) return false;
  }
  for (const match::LiteralPattern& l : rebuilt.literals) {
    if (l.id < atoms.size() && !known[l.id]) text[l.id] = l.text, known[l.id] = true;
  }
  out.literals.reserve(atoms.size());
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    const Atom& a = atoms[i];
    const auto id = static_cast<unsigned>(i);
    if (a.regex) {
      if (a.entry >= impl.entries.size() || a.pattern >= impl.entries[a.entry].patterns.size()) {
        return false;
      }
      out.regexes.push_back({std::string(impl.entries.text(a.entry, a.pattern)), id});
    } else {
      if (!known[i]) return false;
      out.literals.push_back({std::string(text[i]), id});
    }
  }
  return out.digest() == impl.pattern_digest;
}

}  // namespace

std::uint64_t checksum(std::string_view bytes, const std::function<void()>& after_piece) {
  constexpr std::size_t kPiece = 8 << 20;
  XXH3_state_t* state = XXH3_createState();
  if (state == nullptr) throw std::bad_alloc();
  XXH3_64bits_reset(state);
  for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
    // Every byte of a compiled file goes through here on every open: the
    // SSE2 code the library is built with hashes 126 MB in 16.5 ms here,
    // its AVX2 code in 7.5 ms, and the hash is the same.
#if defined(__x86_64__)
    XXH3_64bits_update_dispatch(state, bytes.data() + at, std::min(kPiece, bytes.size() - at));
#else
    XXH3_64bits_update(state, bytes.data() + at, std::min(kPiece, bytes.size() - at));
#endif
    if (after_piece) after_piece();
  }
  const std::uint64_t sum = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return sum;
}

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

std::optional<Error> check_header(std::string_view head, const std::string& name) {
  auto corrupt = [&](std::string message) {
    return Error{ErrorCode::corrupt, std::move(message), name, 0, 0};
  };
  if (!has_magic(head)) return corrupt("not a compiled deter database (no DETERDB1 magic)");
  Reader r(head.substr(kMagic.size()));
  std::uint32_t format = r.u32();
  if (!r.ok()) return corrupt("truncated compiled database");
  if (format != kFormatVersion) {
    return corrupt("compiled database format " + std::to_string(format) + "; this deter reads " +
                   std::to_string(kFormatVersion) + ": recompile it with 'deter compile'");
  }
  return std::nullopt;
}

Result<std::string> serialize(const FilterImpl& impl, bool strip_sources) {
  if (impl.sources.empty()) return Error{ErrorCode::invalid_argument, kStrippedMessage, "", 0, 0};
  FilterImpl::Patterns patterns;
  // A filter built from its sources in this process gives the patterns
  // from its own tables (saved_patterns, which checks them against the
  // digest taken at compile time). One read from a file is built again
  // from its sources, whose tables must be its own: a file whose sources
  // and tables disagree is not written again.
  const FilterImpl* tables = &impl;
  Result<std::shared_ptr<FilterImpl>> rebuilt = std::shared_ptr<FilterImpl>();
  if (impl.sources_unread || !saved_patterns(impl, patterns)) {
    patterns = FilterImpl::Patterns();
    rebuilt = FilterImpl::build_tables(impl.sources, impl.options, patterns, true, impl.list_views);
    auto same_tables = [&] {
      Writer mine, theirs;
      write_entry_tables(mine, impl, false);
      write_entry_tables(theirs, *rebuilt.value(), false);
      return mine.bytes() == theirs.bytes();
    };
    if (!rebuilt || rebuilt.value()->pattern_digest != impl.pattern_digest || !same_tables()) {
      return Error{ErrorCode::internal, "cannot rebuild the tables of the list set to save it", "",
                   0, 0};
    }
    tables = rebuilt.value().get();
  }
  const std::vector<match::LiteralPattern> literals = hyperscan_literals(patterns.literals);

  Writer w;
  // Room for the whole file, reserved once: grown by doubling, its copies
  // and the pages each new buffer faulted in were a fifth of `deter
  // compile` at 100k entries (about 220 bytes an atom there). Room not
  // used is never touched, so a generous guess costs no memory.
  std::size_t guess = 4096 + 256 * tables->entries.size() + 512 * tables->atoms.size();
  for (const auto& [name, contents] : impl.sources) guess += name.size() + contents.size() + 16;
  w.reserve(guess);
  w.raw(kMagic.data(), kMagic.size());
  w.u32(kFormatVersion);
  w.u32((strip_sources ? kFlagStripped : 0) |
        (impl.list_views.has(View::fuzzy) ? kFlagListFuzzy : 0));
  w.str(hyperscan_version());
  w.str(platform());
  w.str(impl.content_hash);
  w.str(impl.pattern_digest);
  w.u32(impl.options.views.bits());
  w.u64(impl.options.max_entries);
  w.u64(impl.options.max_entry_bytes);
  w.str(list_versions(impl));
  if (strip_sources) {
    w.u32(0);
  } else {
    w.u32(static_cast<std::uint32_t>(impl.sources.size()));
    for (const auto& [name, contents] : impl.sources) {
      w.str(name);
      w.str(contents);
    }
  }
  write_entry_tables(w, *tables, !strip_sources);
  const std::vector<std::uint32_t> text_offsets = write_atom_tables(w, *tables, patterns);
  // The token index and the tables built from the literals, each used
  // where it lies or read without sorting (store.h).
  w.aligned_part([&](std::string& out) { impl.database.tokens().save(out, &text_offsets); });
  w.aligned_part([&](std::string& out) { impl.completions.save(out); });
  w.aligned_part([&](std::string& out) { impl.entry_words.save(out); });
  for (const text::FuzzyIndex* index : {&impl.fuzzy, &impl.fuzzy_keys}) {
    w.aligned_part([&](std::string& out) { index->save(out); });
  }
  const std::size_t counts[2] = {literals.size(), patterns.regexes.size()};
  const std::string digests[2] = {digest_of(literals, {}), digest_of({}, patterns.regexes)};
  hs_database_t* dbs[2] = {impl.database.literals(), impl.database.regexes()};
  for (int i = 0; i < 2; ++i) {
    std::string s = serialize_db(dbs[i]);
    if ((dbs[i] != nullptr && s.empty()) || (counts[i] == 0) != (dbs[i] == nullptr)) {
      return Error{ErrorCode::internal, "cannot serialize a Hyperscan database", "", 0, 0};
    }
    w.u32(static_cast<std::uint32_t>(counts[i]));
    w.str(digests[i]);
    w.str(s);
  }
  w.u64(checksum(w.bytes()));
  return std::move(w.bytes());
}

Result<std::shared_ptr<FilterImpl>> deserialize(std::string_view bytes,
                                                const FilterOptions& options,
                                                const std::string& name,
                                                std::shared_ptr<const void> keep_alive,
                                                const std::function<void()>& let_go) {
  auto passed = [&let_go] {
    if (let_go) let_go();
  };
  auto corrupt = [&](std::string message) {
    return Error{ErrorCode::corrupt, std::move(message), name, 0, 0};
  };
  if (auto err = check_header(bytes, name)) return *err;
  // The parts are used where they lie, so their bytes must last as long
  // as the filter and begin on a cache line as in the file (a filter's
  // line is one): bytes that are not kept, or not so aligned, are copied.
  if (!keep_alive || reinterpret_cast<std::uintptr_t>(bytes.data()) % text::stored::kLine != 0) {
    auto copy = std::make_shared<std::vector<std::uint64_t>>(bytes.size() / 8 + 9);
    const std::size_t first = text::first_line_word(copy->data());
    std::memcpy(copy->data() + first, bytes.data(), bytes.size());
    bytes = std::string_view(reinterpret_cast<const char*>(copy->data() + first), bytes.size());
    keep_alive = std::move(copy);
  }
  if (bytes.size() < kHeaderBytes + 8) return corrupt("truncated compiled database");
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  Reader tail(bytes.substr(bytes.size() - 8));
  // The checksum's pieces are let go one by one: 135 MB at 100k entries.
  if (tail.u64() != checksum(body, let_go)) {
    return corrupt("checksum mismatch: the compiled database is truncated or damaged");
  }

  const std::uint32_t flags = Reader(body.substr(kMagic.size() + 4)).u32();
  if ((flags & ~(kFlagStripped | kFlagListFuzzy)) != 0) {
    return corrupt("malformed compiled database (unknown flags)");
  }
  const bool stripped = (flags & kFlagStripped) != 0;
  const ViewSet list_views = (flags & kFlagListFuzzy) != 0 ? rules::kDefaultListViews
                                                           : rules::kDefaultListViewsWithoutFuzzy;
  Reader r(body.substr(kHeaderBytes));
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
    if (r.ok()) files.emplace_back(std::string(n), std::string(c));
  }
  if (stripped != files.empty()) return corrupt("malformed compiled database (sources)");
  FilterOptions opts = options;
  opts.views = ViewSet::only(View::base);
  for (int v = 0; v < kViewCount; ++v) {
    if ((views >> v) & 1u) opts.views = opts.views.with(static_cast<View>(v));
  }
  // The entries, messages and lists from the stored tables, not from the
  // sources (format 9): those are parsed only when what they alone hold is
  // asked for (FilterImpl::read_sources).
  std::vector<std::string_view> pattern_texts;
  auto read = read_entry_tables(r, opts, stripped ? nullptr : &pattern_texts);
  if (!read) return corrupt("malformed compiled database (tables): " + read.error().message);
  std::shared_ptr<FilterImpl> built = std::move(read.value());
  built->list_views = list_views;
  built->content_hash = std::string(content_hash);
  if (!stripped) {
    // The sources' hash as building from them would give it: sources edited
    // behind the tables change it.
    std::sort(files.begin(), files.end());
    if (FilterImpl::content_hash_of(files) != content_hash) {
      return corrupt(
          "the compiled database was made by a deter that normalizes differently: recompile it "
          "with 'deter compile'");
    }
    built->sources = std::move(files);
    built->sources_unread = true;
  }
  std::string_view texts;
  StoredPatterns patterns;
  if (auto err = read_atom_tables(r, *built, patterns, texts)) {
    return corrupt("malformed compiled database (tables): " + err->message);
  }
  passed();
  // Zeros up to a multiple of 64 bytes before each of the parts used where
  // they lie: the token index, then the tables built from the literals.
  static_assert(kHeaderBytes % 8 == 0);
  enum Part { kTokens, kCompletions, kEntryWords, kFuzzy, kFuzzyKeys, kParts };
  static constexpr const char* kPartNames[kParts] = {
      "token index", "completion index", "entry words", "fuzzy index", "fuzzy index of keys"};
  std::string_view parts[kParts];
  std::size_t part_at[kParts];
  for (int k = 0; k < kParts; ++k) {
    parts[k] = r.aligned_str();
    part_at[k] = kHeaderBytes + r.pos() - parts[k].size();
  }
  std::uint32_t counts[2];
  std::string_view digests[2];
  std::string_view blobs[2];
  for (int i = 0; i < 2; ++i) {
    counts[i] = r.u32();
    digests[i] = r.str();
    blobs[i] = r.str();
  }
  if (!r.ok() || r.remaining() != 0) return corrupt("malformed compiled database");

  FilterImpl& impl = *built;
  // The digest of every pattern is the one compile() took and wrote beside
  // the patterns, under the checksum. Digesting half a million literals
  // again (100k entries) to compare was a seventh of the open's
  // instructions, and compared two things the file holds: it caught no
  // damage the checksum does not, and no forgery (a forger writes both).
  // What ties a file to this deter is check_atoms, and each Hyperscan
  // database to its table, the digests below.
  impl.pattern_digest = std::string(digest);
  if (!stripped && !check_atoms(impl, patterns, pattern_texts)) {
    return corrupt(
        "the compiled database was made by a deter that normalizes differently: recompile it "
        "with 'deter compile'");
  }
  impl.stored_bytes = keep_alive;  // the atoms lie in it
  if (!stripped) impl.stored_pattern_texts = std::move(pattern_texts);
  passed();
  // Each part's error names it and where it begins in the file.
  auto bad_part = [&](int k, const std::string& why) {
    return corrupt("malformed compiled database (" + std::string(kPartNames[k]) + " at byte " +
                   std::to_string(part_at[k]) + ": " + why + ")");
  };
  std::string why;
  if (!impl.entry_words.load(parts[kEntryWords], keep_alive)) {
    return bad_part(kEntryWords, "malformed");
  }
  if (!check_entry_words(impl, impl.entry_words, patterns)) {
    return corrupt(
        "the compiled database's entry words are not the ones this deter finds: recompile it "
        "with 'deter compile'");
  }
  passed();
  if (!impl.fuzzy.load(parts[kFuzzy], keep_alive, &why)) return bad_part(kFuzzy, why);
  passed();
  if (!impl.fuzzy_keys.load(parts[kFuzzyKeys], keep_alive, &why)) return bad_part(kFuzzyKeys, why);
  passed();
  if (!impl.completions.load(parts[kCompletions], impl.atoms.size(), keep_alive, &why)) {
    return bad_part(kCompletions, why);
  }
  passed();

  // Each Hyperscan database must be the one its entry table says: the same
  // number of patterns, the same patterns, a block-mode database of this
  // Hyperscan. Only then is it handed to Hyperscan.
  const std::size_t want_counts[2] = {patterns.others.size(), patterns.regexes.size()};
  std::string want_digests[2];
  {
    FilterImpl::PatternDigest of_literals;
    for (const auto& l : patterns.others) of_literals.literal(l.text, l.id);
    want_digests[0] = of_literals.finish();
    FilterImpl::PatternDigest of_regexes;
    for (const auto& x : patterns.regexes) of_regexes.regex(x.text, x.id);
    want_digests[1] = of_regexes.finish();
  }
  const char* what[2] = {"literal", "regex"};
  match::HsDatabasePtr dbs[2];
  for (int i = 0; i < 2; ++i) {
    if (counts[i] != want_counts[i] || digests[i] != want_digests[i]) {
      return corrupt(std::string("its ") + what[i] + " database was not compiled from its entry " +
                     "table (" + std::to_string(counts[i]) + " patterns recorded, the table has " +
                     std::to_string(want_counts[i]) + ")");
    }
    if (blobs[i].empty() != (counts[i] == 0)) {
      return corrupt(std::string("malformed compiled database (") + what[i] + " database missing)");
    }
    if (blobs[i].empty()) continue;
    char* info = nullptr;
    std::size_t size = 0;
    bool block = false;
    if (hs_serialized_database_info(blobs[i].data(), blobs[i].size(), &info) == HS_SUCCESS) {
      block = std::strstr(info, "Mode: BLOCK") != nullptr;
      std::free(info);
    }
    if (!block ||
        hs_serialized_database_size(blobs[i].data(), blobs[i].size(), &size) != HS_SUCCESS) {
      return corrupt(std::string("its ") + what[i] +
                     " database is not a block-mode Hyperscan database for this machine");
    }
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(blobs[i].data(), blobs[i].size(), &db) != HS_SUCCESS) {
      return corrupt("a Hyperscan database in the file cannot be read on this machine");
    }
    dbs[i].reset(db);
  }
  match::TokenIndex tokens;
  if (!tokens.load(parts[kTokens], patterns.token_at, texts, keep_alive, &why)) {
    return bad_part(kTokens, why);
  }
  passed();
  // Which matcher reports each id, from the split read_atom_tables made.
  using Db = match::PatternDatabase;
  std::vector<std::uint8_t> owners(impl.atoms.size(), Db::kOwnerNone);
  for (const std::uint32_t id : patterns.token_ids) owners[id] = Db::kOwnerTokens;
  for (const auto& l : patterns.others) owners[l.id] = Db::kOwnerLiterals;
  for (const auto& x : patterns.regexes) owners[x.id] = Db::kOwnerRegexes;
  impl.database.adopt(std::move(dbs[0]), std::move(dbs[1]), std::move(owners), std::move(tokens));
  if (auto problem = verify_tokens(impl.database, patterns)) {
    return corrupt("the compiled database does not agree with its entry table: " + *problem);
  }
  if (auto problem = verify_literals(impl.database, patterns.others)) {
    return corrupt("the compiled database does not agree with its entry table: " + *problem);
  }
  return built;
}

Result<std::string> sign(std::string bytes, std::string_view secret_key) {
  if (!sodium_ready()) return Error{ErrorCode::internal, "libsodium cannot start", "", 0, 0};
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  if (!parse_key(secret_key, kSecretTag, sk, sizeof sk)) {
    sodium_memzero(sk, sizeof sk);
    return Error{ErrorCode::invalid_argument,
                 "not a deter secret key (a line 'deter-ed25519-secret' and 128 hex digits)", "", 0,
                 0};
  }
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size(), sk);
  sodium_memzero(sk, sizeof sk);
  bytes.append(reinterpret_cast<const char*>(sig), sizeof sig);
  bytes.append(kSignatureMark);
  return bytes;
}

Result<SigningKeyPair> generate_key_pair() {
  if (!sodium_ready()) return Error{ErrorCode::internal, "libsodium cannot start", "", 0, 0};
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  SigningKeyPair pair;
  pair.secret_key =
      "# deter signing key (Ed25519). Keep it secret: it signs compiled databases.\n" +
      std::string(kSecretTag) + " " + hex(sk, sizeof sk) + "\n";
  pair.public_key =
      "# deter public key (Ed25519), for --trusted-key / FilterOptions::trusted_keys\n" +
      std::string(kPublicTag) + " " + hex(pk, sizeof pk) + "\n";
  sodium_memzero(sk, sizeof sk);
  return pair;
}

Result<std::string_view> unseal(std::string_view bytes,
                                const std::vector<std::string>& trusted_keys,
                                const std::string& name) {
  static_assert(kSignatureBytes == crypto_sign_BYTES && kCacheTagBytes == crypto_auth_BYTES &&
                kCacheKeyBytes == crypto_auth_KEYBYTES);
  const bool signed_file = bytes.size() >= kHeaderBytes + kSignatureBytes + kSignatureMark.size() &&
                           ends_with(bytes, kSignatureMark);
  std::string_view body = bytes;
  std::string_view sig;
  if (signed_file) {
    body = bytes.substr(0, bytes.size() - kSignatureMark.size() - kSignatureBytes);
    sig = bytes.substr(body.size(), kSignatureBytes);
  } else if (bytes.size() >= kHeaderBytes + kCacheTagBytes + kCacheTagMark.size() &&
             ends_with(bytes, kCacheTagMark)) {
    body = bytes.substr(0, bytes.size() - kCacheTagMark.size() - kCacheTagBytes);
  }
  if (trusted_keys.empty()) return body;
  if (!sodium_ready()) return Error{ErrorCode::internal, "libsodium cannot start", name, 0, 0};
  std::vector<std::array<unsigned char, crypto_sign_PUBLICKEYBYTES>> keys(trusted_keys.size());
  for (std::size_t i = 0; i < trusted_keys.size(); ++i) {
    if (!parse_key(trusted_keys[i], kPublicTag, keys[i].data(), keys[i].size())) {
      return Error{ErrorCode::invalid_argument,
                   "trusted key " + std::to_string(i + 1) +
                       " is not a deter public key (a line 'deter-ed25519-public' and 64 hex "
                       "digits)",
                   "", 0, 0};
    }
  }
  if (!signed_file) {
    return Error{ErrorCode::untrusted,
                 "the compiled database is not signed, and trusted keys are configured: sign it "
                 "with 'deter compile --sign KEY'",
                 name, 0, 0};
  }
  for (const auto& pk : keys) {
    if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                    reinterpret_cast<const unsigned char*>(body.data()),
                                    body.size(), pk.data()) == 0) {
      return body;
    }
  }
  return Error{ErrorCode::untrusted,
               "the compiled database's signature does not verify with any trusted key", name, 0,
               0};
}

std::optional<std::string> cache_key(const std::string& dir) {
  if (!sodium_ready()) return std::nullopt;
  const std::string path = (std::filesystem::path(dir) / kCacheKeyFile).string();
  auto read_key = [&]() -> std::optional<std::string> {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    std::string key(kCacheKeyBytes, '\0');
    // A key others can read or write, or that is not ours, keys nothing.
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
              (st.st_mode & 077) == 0 && st.st_size == static_cast<off_t>(kCacheKeyBytes) &&
              ::read(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
    ::close(fd);
    if (!ok) return std::nullopt;
    return key;
  };
  if (auto key = read_key()) return key;
  if (errno != ENOENT) return std::nullopt;
  // First use: write the key under a private temporary name, then link it
  // into place; link() fails if another process got there first, and then
  // its key (complete, as it was linked only once written) is used.
  std::random_device rd;
  const std::string tmp = path + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(rd());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return std::nullopt;
  unsigned char key[kCacheKeyBytes];
  crypto_auth_keygen(key);
  bool written = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key);
  written = ::close(fd) == 0 && written;
  sodium_memzero(key, sizeof key);
  if (written) (void)::link(tmp.c_str(), path.c_str());
  ::unlink(tmp.c_str());
  return read_key();
}

std::string seal_cache(std::string bytes, std::string_view key) {
  unsigned char tag[crypto_auth_BYTES];
  crypto_auth(tag, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
              reinterpret_cast<const unsigned char*>(key.data()));
  bytes.append(reinterpret_cast<const char*>(tag), sizeof tag);
  bytes.append(kCacheTagMark);
  return bytes;
}

std::optional<std::string_view> unseal_cache(std::string_view bytes, std::string_view key) {
  if (key.size() != kCacheKeyBytes || bytes.size() < kCacheTagBytes + kCacheTagMark.size() ||
      !ends_with(bytes, kCacheTagMark)) {
    return std::nullopt;
  }
  std::string_view body = bytes.substr(0, bytes.size() - kCacheTagBytes - kCacheTagMark.size());
  const auto* tag = reinterpret_cast<const unsigned char*>(bytes.data() + body.size());
  if (crypto_auth_verify(tag, reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                         reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return std::nullopt;
  }
  return body;
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
  // The list default too: sources read with another default are another list set.
  std::string env = hyperscan_version() + "\n" + platform() + "\n" +
                    std::to_string(options.views.bits()) + "\n" + std::to_string(kFormatVersion) +
                    "\n" + std::to_string(rules::kDefaultListViews.bits());
  XXH3_128bits_update(state, env.data(), env.size());
  XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return hex128(h.high64, h.low64) + ".deterdb";
}

}  // namespace deter::store
