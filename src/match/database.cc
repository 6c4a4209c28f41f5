#include "match/database.h"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <chrono>

namespace deter::match {
namespace {

std::atomic<std::uint64_t> next_generation{1};

// Every regex is compiled with these, in the database and when lint tries
// one alone, so that lint refuses exactly what loading refuses.
constexpr unsigned kRegexFlags = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SOM_LEFTMOST;

struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  std::uint64_t generation = 0;
  ~ThreadScratch() { hs_free_scratch(scratch); }
};

std::string take_message(hs_compile_error_t* err, int& index) {
  std::string message = err ? err->message : "unknown compile error";
  index = err ? err->expression : -1;
  hs_free_compile_error(err);
  return message;
}

}  // namespace

RegexTrial try_compile_regex(const std::string& expression) {
  RegexTrial trial;
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  const auto start = std::chrono::steady_clock::now();
  const hs_error_t rc =
      hs_compile(expression.c_str(), kRegexFlags, HS_MODE_BLOCK, nullptr, &db, &err);
  trial.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (db != nullptr) hs_database_size(db, &trial.bytes);
  hs_free_database(db);
  trial.compiled = rc == HS_SUCCESS;
  if (!trial.compiled) trial.error = explain_compile_error(err != nullptr ? err->message : "");
  hs_free_compile_error(err);
  return trial;
}

std::string explain_compile_error(std::string_view m) {
  std::string_view hint;
  if (m.find("matches empty buffer") != std::string_view::npos) {
    hint = "the regex can match the empty string, so it would match every query";
  } else if (m.find("too large") != std::string_view::npos) {
    hint = "the regex is too large to compile: simplify it or split it into several entries";
  } else if (m.find("unsupported") != std::string_view::npos ||
             m.find("not supported") != std::string_view::npos) {
    hint = "the regex uses a construct Hyperscan does not support";
  }
  if (hint.empty()) return std::string(m);
  return std::string(hint) + " (" + std::string(m) + ")";
}

bool PatternDatabase::build(const std::vector<LiteralPattern>& literals,
                            const std::vector<RegexPattern>& regexes, CompileFailure& failure) {
  generation_ = next_generation.fetch_add(1);
  build_tokens(literals);
  record_owners(literals, regexes);
  if (hyperscan_literal_count(literals) != 0) {
    std::vector<const char*> exprs;
    std::vector<std::size_t> lens;
    std::vector<unsigned> ids;
    std::vector<std::size_t> index;  // into `literals`, for failures
    for (std::size_t i = 0; i < literals.size(); ++i) {
      const auto& l = literals[i];
      if (is_token_literal(l.text)) continue;
      exprs.push_back(l.text.data());
      lens.push_back(l.text.size());
      ids.push_back(l.id);
      index.push_back(i);
    }
    // Every occurrence is reported: an exception may cover one occurrence of
    // an entry but not another.
    std::vector<unsigned> flags(exprs.size(), 0);
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                             static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                             &err) != HS_SUCCESS) {
      failure.regex = false;
      failure.message = take_message(err, failure.index);
      if (failure.index >= 0 && static_cast<std::size_t>(failure.index) < index.size())
        failure.index = static_cast<int>(index[failure.index]);
      return false;
    }
    literals_.reset(db);
  }
  if (!regexes.empty()) {
    std::vector<const char*> exprs;
    std::vector<unsigned> flags(regexes.size(), kRegexFlags);
    std::vector<unsigned> ids;
    for (const auto& r : regexes) {
      exprs.push_back(r.expression.c_str());
      ids.push_back(r.id);
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(regexes.size()), HS_MODE_BLOCK, nullptr, &db,
                         &err) != HS_SUCCESS) {
      failure.regex = true;
      failure.message = explain_compile_error(take_message(err, failure.index));
      return false;
    }
    regexes_.reset(db);
  }
  return true;
}

void PatternDatabase::build_tokens(const std::vector<LiteralPattern>& literals) {
  std::vector<TokenIndex::Literal> aligned;
  for (const auto& l : literals) {
    if (is_token_literal(l.text)) aligned.push_back({l.text, l.id});
  }
  tokens_.build(aligned);
}

std::size_t PatternDatabase::hyperscan_literal_count(const std::vector<LiteralPattern>& literals) {
  return static_cast<std::size_t>(std::count_if(
      literals.begin(), literals.end(), [](const auto& l) { return !is_token_literal(l.text); }));
}

void PatternDatabase::adopt(HsDatabasePtr literals, HsDatabasePtr regexes,
                            const std::vector<LiteralPattern>& literals_in,
                            const std::vector<RegexPattern>& regexes_in, TokenIndex* tokens) {
  generation_ = next_generation.fetch_add(1);
  if (tokens != nullptr) {
    tokens_ = std::move(*tokens);
  } else {
    build_tokens(literals_in);
  }
  record_owners(literals_in, regexes_in);
  literals_ = std::move(literals);
  regexes_ = std::move(regexes);
}

void PatternDatabase::adopt(HsDatabasePtr literals, HsDatabasePtr regexes,
                            std::vector<std::uint8_t> owners, TokenIndex&& tokens) {
  generation_ = next_generation.fetch_add(1);
  tokens_ = std::move(tokens);
  owners_ = std::move(owners);
  literals_ = std::move(literals);
  regexes_ = std::move(regexes);
}

void PatternDatabase::adopt(HsDatabasePtr literals, HsDatabasePtr regexes) {
  generation_ = next_generation.fetch_add(1);
  literals_ = std::move(literals);
  regexes_ = std::move(regexes);
}

void PatternDatabase::record_owners(const std::vector<LiteralPattern>& literals,
                                    const std::vector<RegexPattern>& regexes) {
  unsigned top = 0;
  for (const auto& l : literals) top = std::max(top, l.id + 1);
  for (const auto& r : regexes) top = std::max(top, r.id + 1);
  owners_.assign(top, kOwnerNone);
  for (const auto& l : literals)
    owners_[l.id] = is_token_literal(l.text) ? kOwnerTokens : kOwnerLiterals;
  for (const auto& r : regexes) owners_[r.id] = kOwnerRegexes;
}

std::size_t PatternDatabase::size_bytes() const {
  std::size_t total = tokens_.size_bytes();
  for (hs_database_t* db : {literals_.get(), regexes_.get()}) {
    std::size_t n = 0;
    if (db && hs_database_size(db, &n) == HS_SUCCESS) total += n;
  }
  return total;
}

// The calling thread's scratch, grown to fit `db`. Null if allocation failed.
hs_scratch_t* thread_scratch(const PatternDatabase& db) {
  static thread_local ThreadScratch ts;
  if (ts.generation == db.generation() && ts.scratch != nullptr) return ts.scratch;
  for (hs_database_t* d : {db.literals(), db.regexes()}) {
    if (d && hs_alloc_scratch(d, &ts.scratch) != HS_SUCCESS) return nullptr;
  }
  ts.generation = db.generation();
  return ts.scratch;
}

void HsDatabaseDeleter::operator()(hs_database_t* db) const { hs_free_database(db); }

namespace {

// The caller's callback behind a check of every id Hyperscan reports: an id
// the database was not compiled with (a damaged or forged database) stops
// the scan, which then fails, instead of indexing the caller's tables.
struct Guarded {
  PatternDatabase::HsCallback callback;
  void* context;
  const std::uint8_t* owners;
  std::size_t owner_count;
  std::uint8_t owner;
  bool foreign;
};

int guarded_callback(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                     void* p) {
  auto& g = *static_cast<Guarded*>(p);
  if (id >= g.owner_count || g.owners[id] != g.owner) {
    g.foreign = true;
    return 1;
  }
  return g.callback(id, from, to, flags, g.context);
}

}  // namespace

bool PatternDatabase::scan_hyperscan(std::string_view text, std::size_t regex_end,
                                     HsCallback callback, void* context) const {
  hs_scratch_t* scratch = thread_scratch(*this);
  if (scratch == nullptr) return false;
  Guarded g{callback, context, owners_.data(), owners_.size(), kOwnerLiterals, false};
  for (hs_database_t* db : {literals_.get(), regexes_.get()}) {
    if (db == nullptr) continue;
    const bool regex = db == regexes_.get();
    g.owner = regex ? kOwnerRegexes : kOwnerLiterals;
    const auto len = static_cast<unsigned>(regex ? std::min(regex_end, text.size()) : text.size());
    const hs_error_t rc = hs_scan(db, text.data(), len, 0, scratch, guarded_callback, &g);
    if (rc == HS_SCAN_TERMINATED) return !g.foreign;
    if (rc != HS_SUCCESS) return false;
  }
  return true;
}

}  // namespace deter::match
