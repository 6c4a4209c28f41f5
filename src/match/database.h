// Compiled Hyperscan databases: one of literals, one of regexes. Immutable
// and shared by every thread; each thread scans with its own scratch.
#ifndef DETER_MATCH_DATABASE_H_
#define DETER_MATCH_DATABASE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "match/token_index.h"

// Hyperscan's handle types, declared as <hs/hs.h> declares them, so that the
// many files that include this header (through filter_impl.h) need not
// include Hyperscan; database.cc and store.cc do.
typedef struct hs_database hs_database_t;  // NOLINT: Hyperscan's own spelling

namespace deter::match {

struct LiteralPattern {
  std::string text;  // bytes to find, e.g. " forbidden orchard "
  unsigned id;       // returned in hits
};

struct RegexPattern {
  std::string expression;
  unsigned id;
};

// When compiling fails, which pattern (index into the input vector) and why.
struct CompileFailure {
  bool regex = false;
  int index = -1;  // -1: not attributable to one pattern
  std::string message;
};

// A Hyperscan compile error in words a list maintainer can act on; the
// original text follows in brackets.
std::string explain_compile_error(std::string_view hyperscan_message);

// One regex compiled alone, as the regex database would compile it: whether
// it compiles (else why, explained), and what it costs.
struct RegexTrial {
  bool compiled = false;
  std::string error;
  double milliseconds = 0;
  std::size_t bytes = 0;
};
RegexTrial try_compile_regex(const std::string& expression);

struct HsDatabaseDeleter {
  void operator()(hs_database_t* db) const;
};
using HsDatabasePtr = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;

// Literals aligned on tokens (" w1 w2 ", " w1 w2") go to a TokenIndex;
// the others (substrings) and regexes to Hyperscan.
class PatternDatabase {
 public:
  // Builds the token index and compiles both Hyperscan databases. Returns
  // false and fills `failure` on error.
  bool build(const std::vector<LiteralPattern>& literals, const std::vector<RegexPattern>& regexes,
             CompileFailure& failure);
  // Builds the token index alone, from the same literals; for databases
  // whose Hyperscan half is deserialized (adopt).
  void build_tokens(const std::vector<LiteralPattern>& literals);
  // How many of `literals` Hyperscan compiles.
  static std::size_t hyperscan_literal_count(const std::vector<LiteralPattern>& literals);

  // Calls on_hit(id, from, to) for every occurrence in `text` (`from` is
  // exact for token literals and regexes only); on_hit returns false to
  // stop scanning. Regexes are scanned over text[0, regex_end) only. An
  // on_hit with a member skip(id) returning true may not be told of more
  // token-literal occurrences of `id` (they cost a compare each).
  // Returns false only if Hyperscan failed (no scratch, corrupt database) or
  // reported an id it was not built with.
  template <class OnHit>
  bool scan(std::string_view text, std::size_t regex_end, OnHit&& on_hit) const {
    const Tokens toks = tokenize(text);
    return scan(text, toks.data, toks.size, regex_end, on_hit);
  }
  // The same, given the tokens of `text` (see text/tokens.h).
  template <class OnHit>
  bool scan(std::string_view text, Token* tokens, std::size_t token_count, std::size_t regex_end,
            OnHit&& on_hit) const;

  const TokenIndex& tokens() const { return tokens_; }
  bool has_literals() const { return literals_ != nullptr; }
  bool has_regexes() const { return regexes_ != nullptr; }
  hs_database_t* literals() const { return literals_.get(); }
  hs_database_t* regexes() const { return regexes_.get(); }
  // Bytes used by the compiled databases.
  std::size_t size_bytes() const;

  // Takes ownership of deserialized databases (either may be null), built
  // from `literals` and `regexes`; builds the token index from `literals`, or takes `tokens`, one
  // loaded from a compiled file, if given.
  void adopt(HsDatabasePtr literals, HsDatabasePtr regexes,
             const std::vector<LiteralPattern>& literals_in,
             const std::vector<RegexPattern>& regexes_in,
             TokenIndex* tokens = nullptr);
  // The same for a compiled file's databases and token index, given which
  // matcher reports each id (`owners`, by id: Owner values), which its
  // loader knows without a pass over the literals.
  void adopt(HsDatabasePtr literals, HsDatabasePtr regexes, std::vector<std::uint8_t> owners,
             TokenIndex&& tokens);
  // Replaces the Hyperscan databases only (tests: a database that fails).
  void adopt(HsDatabasePtr literals, HsDatabasePtr regexes);

  // Which matcher reports id `id`: kOwnerNone if none.
  enum Owner : std::uint8_t { kOwnerNone = 0, kOwnerTokens, kOwnerLiterals, kOwnerRegexes };
  Owner owner(unsigned id) const { return id < owners_.size() ? Owner(owners_[id]) : kOwnerNone; }

  // A process-unique number; thread scratch is prepared per generation.
  std::uint64_t generation() const { return generation_; }

  // Hyperscan's match callback (match_event_handler of <hs/hs.h>).
  using HsCallback = int (*)(unsigned id, unsigned long long from, unsigned long long to,
                             unsigned flags, void* context);

 private:
  // The Hyperscan half of scan(), out of line: scans both databases with the
  // calling thread's scratch. False only if Hyperscan failed.
  bool scan_hyperscan(std::string_view text, std::size_t regex_end, HsCallback callback,
                      void* context) const;

  TokenIndex tokens_;
  HsDatabasePtr literals_;
  HsDatabasePtr regexes_;
  std::uint64_t generation_ = 0;
  // owners_[id]: the Owner of each id. A Hyperscan database that reports an
  // id it was not compiled with (a damaged or forged database) fails the
  // scan instead of indexing the caller's tables with it.
  std::vector<std::uint8_t> owners_;
  void record_owners(const std::vector<LiteralPattern>& literals,
                     const std::vector<RegexPattern>& regexes);
};

template <class OnHit>
bool PatternDatabase::scan(std::string_view text, Token* tokens, std::size_t token_count,
                           std::size_t regex_end, OnHit&& on_hit) const {
  struct Forward {
    OnHit& on_hit;
    bool stopped = false;
    bool operator()(unsigned id, std::size_t from, std::size_t to) {
      if (on_hit(id, from, to)) return true;
      stopped = true;
      return false;
    }
    bool skip(unsigned id) {
      if constexpr (requires { on_hit.skip(id); }) return on_hit.skip(id);
      return false;
    }
  };
  Forward forward{on_hit};
  tokens_.scan(text, tokens, token_count, forward);
  const bool stopped = forward.stopped;
  if (stopped || (!literals_ && !regexes_)) return true;
  HsCallback callback = [](unsigned id, unsigned long long from, unsigned long long to, unsigned,
                           void* ctx) -> int {
    bool more = (*static_cast<std::remove_reference_t<OnHit>*>(ctx))(
        id, static_cast<std::size_t>(from), static_cast<std::size_t>(to));
    return more ? 0 : 1;
  };
  void* ctx = const_cast<void*>(static_cast<const void*>(&on_hit));
  return scan_hyperscan(text, regex_end, callback, ctx);
}

}  // namespace deter::match

#endif  // DETER_MATCH_DATABASE_H_
