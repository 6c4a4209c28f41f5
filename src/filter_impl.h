// The compiled form of a list set behind deter::Filter.
#ifndef DETER_FILTER_IMPL_H_
#define DETER_FILTER_IMPL_H_

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "deter/filter.h"
#include "match/completion_index.h"
#include "match/database.h"
#include "rules/entry_table.h"
#include "rules/list.h"
#include "text/entry_words.h"
#include "text/fuzzy.h"

namespace deter {
namespace text {
class WordSpellings;  // text/phonetic.h
}

// One compiled pattern of one entry in one view: the unit the matchers report.
// Its id in the databases is its index in FilterImpl::atoms. A compiled
// file stores these 16 bytes as they are (store.cc), and they are used
// where they lie.
struct Atom {
  std::uint32_t entry = 0;    // index into FilterImpl::entries
  std::uint32_t pattern = 0;  // index into Entry::patterns
  std::uint32_t length = 0;   // literal length in bytes (0 for regexes)
  View view = View::base;
  bool regex = false;
  bool pad_front = false;     // the literal starts with the padding space
  bool pad_back = false;      // the literal ends with the padding space
};
static_assert(sizeof(Atom) == 16 && offsetof(Atom, view) == 12 && offsetof(Atom, regex) == 13 &&
              offsetof(Atom, pad_front) == 14 && offsetof(Atom, pad_back) == 15);

// The atoms: those compile() made, or a compiled file's where they lie
// (the filter keeps the file: FilterImpl::stored_bytes). Read as a span.
class AtomTable {
 public:
  AtomTable() = default;
  AtomTable(const AtomTable&) = delete;
  AtomTable& operator=(const AtomTable&) = delete;
  AtomTable(AtomTable&&) = default;  // a vector's buffer moves with it
  AtomTable& operator=(AtomTable&&) = default;
  std::size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  const Atom& operator[](std::size_t i) const { return view_[i]; }
  const Atom& back() const { return view_.back(); }
  auto begin() const { return view_.begin(); }
  auto end() const { return view_.end(); }
  std::span<const Atom> span() const { return view_; }
  // compile()'s: fills the table, which reads what `atoms` holds.
  void own(std::vector<Atom> atoms) {
    own_ = std::move(atoms);
    view_ = own_;
  }
  // A compiled file's, checked by its reader.
  void use(std::span<const Atom> stored) {
    own_ = {};
    view_ = stored;
  }

 private:
  std::vector<Atom> own_;
  std::span<const Atom> view_;
};

// The limits of `options` that the rules layer checks; the one place they
// are taken from FilterOptions.
inline rules::Limits limits_of(const FilterOptions& options) {
  return rules::Limits{
      .max_list_bytes = options.max_list_bytes,
      .max_entries = options.max_entries,
      .max_entry_bytes = options.max_entry_bytes,
      .max_rule_parts = options.max_rule_parts,
      .max_examples = options.max_examples,
      .max_regexes = options.max_regexes,
      .max_regex_bytes = options.max_regex_bytes,
      .max_regex_depth = options.max_regex_depth,
      .max_regex_cost = options.max_regex_cost,
      .max_regex_total_cost = options.max_regex_total_cost,
  };
}

class FilterImpl {
 public:
  FilterOptions options;
  rules::EntryTable entries;
  AtomTable atoms;
  match::PatternDatabase database;
  // message key -> one Message per locale
  std::map<std::string, std::vector<Message>, std::less<>> messages;
  std::vector<Example> examples;
  std::vector<ListInfo> lists;
  std::string content_hash;
  bool has_exceptions = false;
  // The sources it was built from (sorted by name), for Filter::save.
  std::vector<std::pair<std::string, std::string>> sources;
  // A compiled file's entries, messages and lists are read from its stored
  // tables, not parsed from its sources (format 9, store.h): what only the
  // sources hold (each entry's line as written, `examples`) is parsed on
  // first use. Whatever reads entries.source() or `examples` of a filter that
  // may come from a file calls read_sources() first (Filter::entry,
  // examples, run_examples); check() reads neither, so filling them while
  // other threads check is no data race.
  void read_sources() const;
  bool sources_unread = false;
  // Each pattern's text as the file's tables hold it (entry by entry, in
  // the mapping the token index keeps alive): read_sources shows the
  // sources only if they give these.
  std::vector<std::string_view> stored_pattern_texts;
  std::shared_ptr<const void> stored_bytes;  // what they and the atoms point into
  mutable std::once_flag sources_once;
  // Patterns::digest() of the patterns compiled into `database`.
  std::string pattern_digest;
  // The views any entry uses: the query views that are built and scanned.
  ViewSet scan_views = ViewSet::only(View::base);
  // The views of a list that names none, as its sources were read: a file
  // compiled when fuzzy was off by default keeps it off (store.h).
  ViewSet list_views = rules::kDefaultListViews;
  // The words of the entries that have the fuzzy view on, by their
  // deletions (text/fuzzy.h). Built from the base literals at compile
  // time; a compiled file stores it finished (FuzzyIndex::save).
  text::FuzzyIndex fuzzy;
  // The same for the phonetic keys of those entries (romanized typos).
  text::FuzzyIndex fuzzy_keys{text::kFuzzyMinKeyLetters, true};
  // The words of the entries that have the spaced view on, which a word
  // broken by a separator in a query is joined back to (text/entry_words.h).
  // Stored finished, like the fuzzy index.
  text::EntryWords entry_words;
  // Every literal a query could be typing toward (check_partial): those of
  // pattern entries and of the positive parts of rules, in every view.
  // Stored finished and used where it lies in a mapped file.
  match::CompletionIndex completions;

  // Parses and compiles; the only way a FilterImpl is made from sources.
  static Result<std::shared_ptr<FilterImpl>> compile(
      const std::vector<std::pair<std::string, std::string>>& files, const FilterOptions& options);

  // The deterministic half of compile(): parses every file and builds the
  // entry and atom tables and the patterns the matchers are built from, but
  // compiles nothing. A compiled database (store.cc) reruns this on its
  // stored sources, rebuilds the token index and deserializes the
  // Hyperscan databases instead of compiling them.
  struct Patterns {
    std::vector<match::LiteralPattern> literals;
    std::vector<match::RegexPattern> regexes;
    // Digest of every pattern and id: a stored database is used only when
    // the tables rebuilt here give the same patterns it was compiled from.
    std::string digest() const;
  };
  // What Patterns::digest hashes, pattern by pattern: a compiled file's
  // loader digests the literals of its Hyperscan database where they lie,
  // without copying them into Patterns. Literals first, then regexes, each
  // in id order as given.
  class PatternDigest {
   public:
    PatternDigest();
    ~PatternDigest();
    PatternDigest(const PatternDigest&) = delete;
    PatternDigest& operator=(const PatternDigest&) = delete;
    void literal(std::string_view text, unsigned id) { add(0, text, id); }
    void regex(std::string_view expression, unsigned id) { add(1, expression, id); }
    std::string finish();

   private:
    void add(std::uint64_t kind, std::string_view text, unsigned id);
    void flush();
    void* state_;
    // Bytes gathered for the hash: a million small updates cost three times
    // what the same bytes do in large ones (the hash is the same).
    std::string pending_;
  };
  // The content hash of sources sorted by name (content_hash).
  static std::string content_hash_of(
      const std::vector<std::pair<std::string, std::string>>& sorted_files);
  // Without `with_atoms`, it stops once the entries are parsed and their
  // views settled: a compiled file brings its own atoms (store.cc). The
  // indexes built from the literals (build_fuzzy) and the databases are
  // compile()'s.
  // `list_views` is rules::parse_list's default_views.
  static Result<std::shared_ptr<FilterImpl>> build_tables(
      const std::vector<std::pair<std::string, std::string>>& files, const FilterOptions& options,
      Patterns& patterns, bool with_atoms = true, ViewSet list_views = rules::kDefaultListViews);
  // Entry `e`'s views narrowed to the options' and to where the phonetic
  // view applies; records the views scanned and whether any entry is an
  // exception.
  ViewSet settled_views(const rules::Entry& e);
  // Appends the atoms of entry `ei` to `out`, and their patterns, with ids
  // from `first_id` on. Deterministic and independent of other entries, so
  // a loader can rebuild any entry's atoms alone to check stored ones.
  // `spellings` keeps the words' phonetic readings for the next call.
  // `texts`, when given, are the entry's pattern texts (a table read from a
  // compiled file keeps none).
  void atoms_of(std::uint32_t ei, std::uint32_t first_id, std::vector<Atom>& out,
                Patterns& patterns, text::WordSpellings* spellings = nullptr,
                std::span<const std::string_view> texts = {}) const;
  // Fills `fuzzy`, `fuzzy_keys`, `entry_words` and `completions` from the
  // literals: compile() calls it beside compile_databases (they share no
  // member); a compiled file stores all four.
  void build_fuzzy(const Patterns& patterns);
  // Whether `entry_words` holds the words of literal `l`, and adds them if
  // `to` is given (store.cc checks a sample of a file's against it).
  bool adds_entry_words(std::string_view text, unsigned id, text::EntryWords* to) const;
  // Fills `completions` (policy/partial.cc); build_fuzzy calls it.
  void build_completions(const Patterns& patterns);
  // The other half: compiles `patterns` into impl.database.
  static std::optional<Error> compile_databases(FilterImpl& impl, const Patterns& patterns);

  // Decides one query (policy/check.cc): scan, resolve, decide, and the
  // fail mode applied when a stage fails. `self` owns this object; the
  // decision keeps it alive when it points into the tables.
  Decision check(std::string_view query, const CheckOptions& options,
                 const std::shared_ptr<const FilterImpl>& self) const noexcept;
  // Filter::check_partial (policy/partial.cc).
  Decision check_partial(std::string_view text, const CheckOptions& options,
                         const std::shared_ptr<const FilterImpl>& self) const noexcept;
};

}  // namespace deter

#endif  // DETER_FILTER_IMPL_H_
