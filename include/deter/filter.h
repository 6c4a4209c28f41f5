// deter: decide whether a search query matches a maintained blocklist and
// should be met with a deterrence prompt instead of results.
//
// The public C++ API. A list set (a directory of *.list files plus
// messages.toml) is parsed and compiled once into an immutable Filter; the
// Filter answers check() calls from any number of threads.
//
//   deter::Result<deter::Filter> opened = deter::Filter::open("lists/demo");
//   if (!opened) { std::cerr << opened.error().to_string() << "\n"; return 1; }
//   deter::Decision d = opened.value().check("a query", {.locale = "hi-IN"});
//   if (d.action >= deter::Action::prompt) show_prompt(*d.message);
#ifndef DETER_FILTER_H_
#define DETER_FILTER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "deter/export.h"
#include "deter/types.h"

namespace deter {

// One list entry that matched the query.
struct Match {
  std::string_view entry_id;  // "en.list:12": file name and line of the entry
  std::uint32_t entry_index = 0;  // the entry's index in the list set (load order)
  std::string_view category;
  Action action = Action::allow;
  std::uint8_t severity = 0;
  View view = View::base;     // the view in which it was found
  // The folds that led to it, {view} for most matches. A composed reading
  // has several, applied in the order spaced, homoglyph, leet, squeeze,
  // then phonetic ("vаrj33t": {homoglyph, leet, phonetic}); the entry has
  // every one of them on.
  ViewSet folds = ViewSet::only(View::base);
  // Byte span [begin, end) in the original query, on UTF-8 character
  // boundaries, covering the matched text.
  std::size_t begin = 0;
  std::size_t end = 0;
  // Only in Decision::suppressed: the id of the @@ exception that suppressed it.
  std::string_view suppressed_by;
};

// Flags describing the query itself, independent of any match.
enum DecisionFlag : std::uint32_t {
  kFlagNone = 0,
  kFlagTruncated = 1u << 0,     // longer than max_query_bytes; the rest was not checked
  kFlagInvalidUtf8 = 1u << 1,   // held invalid UTF-8; those bytes were treated as separators
  kFlagNoList = 1u << 2,        // no list was loaded (see Reloader); fail-open/closed applied
  kFlagInternalError = 1u << 3, // an unexpected failure (e.g. out of memory); fail policy applied
  // The query repeated some pattern so often that not every occurrence was
  // kept (past 1024 hits, 16 per pattern and view). Nothing is hidden by it:
  // every entry hit keeps its occurrences, and where a left-out one might
  // have escaped an exception the entry counts as matched, so the decision
  // is never lower than with every occurrence, and may be higher.
  kFlagCapped = 1u << 4,
};

// The answer for one query. String views and the message pointer refer to
// the Filter's tables; the decision keeps that Filter version alive, so it
// stays valid even after a Reloader has moved on.
struct Decision {
  Action action = Action::allow;
  std::string_view category;    // of the winning match; empty when allowed
  std::uint8_t severity = 0;
  std::string_view message_key; // e.g. "prompt.default"; empty when allowed
  const Message* message = nullptr;  // localized text, or null if none is defined
  std::vector<Match> matches;   // unsuppressed matches, ordered by begin
  std::vector<Match> suppressed;  // matches an exception removed (CheckOptions::explain only)
  // CheckOptions::explain only: every occurrence of every entry in every
  // view, before rules and exceptions, in scan order (for `deter explain`);
  // under kFlagCapped, the occurrences kept.
  std::vector<Match> occurrences;
  std::uint32_t flags = kFlagNone;

  bool has_flag(DecisionFlag f) const { return (flags & f) != 0; }
  std::shared_ptr<const void> keep_alive;  // internal: pins the Filter version
};

// What to answer when no decision can be made: when scanning fails inside
// check() (kFlagInternalError: Hyperscan could not get scratch memory, a
// damaged database) or, in a service that reloads lists, before any list set
// has loaded (kFlagNoList). Either way the decision carries the flag, so the
// service can count and alert on it.
enum class FailMode : std::uint8_t {
  // Allow the query. Search keeps working, unprotected, while the failure
  // lasts. The default: an outage of the filter must not become an outage of
  // search.
  open = 0,
  // Answer FilterOptions::fail_closed_action (prompt unless configured) for
  // every query, with no matches and no message. For deployments where an
  // unchecked query is worse than a prompt shown to everyone.
  closed = 1,
};

// Returns "open" or "closed".
DETER_EXPORT std::string_view to_string(FailMode mode) noexcept;

// The decision for a query that could not be checked: allow under
// FailMode::open, `closed_action` under FailMode::closed; `flag` (kFlagNoList
// or kFlagInternalError) is set either way. Does not allocate. Filter::check
// answers the same when scanning fails; a caller that has no Filter to ask
// (a service before its first list set has loaded) answers this.
DETER_EXPORT Decision fail_decision(FailMode mode, Action closed_action,
                                    std::uint32_t flag) noexcept;

// Options fixed when a Filter is built. Every bound makes an untrusted list
// set fail to load with ErrorCode::limit (or ::compile for regexes) and a
// file:line:col message, at a cost bounded by the limit, instead of using
// unbounded time or memory.
//
//   option               default   meaning
//   views                all       views compiled and scanned; lists narrow this further
//                                  (fuzzy too; a list turns a view off: `! views: -fuzzy`)
//   max_query_bytes      4096      longer queries are checked on their first part (cut on a
//                                  character boundary) and flagged kFlagTruncated
//   max_list_bytes       64 MiB    a list or messages file larger than this is refused, before
//                                  it is read beyond the limit
//   max_list_files       1000      a list directory with more *.list files (and messages.toml)
//                                  is refused, before any is read
//   max_list_set_bytes   256 MiB   a list directory whose files hold more bytes in all is refused
//   max_entries          1000000   a list set with more entries is refused
//   max_entry_bytes      16000     a longer entry is refused (docs/DESIGN.md §5)
//   max_rule_parts       64        a rule ("a & b & !c") with more parts is refused, at the
//                                  first part too many
//   max_examples         200000    a list set with more match:/no-match: lines is refused
//   max_regexes          10000     a list set with more /regex/ patterns is refused
//   max_regex_bytes      1000      a longer regex is refused
//   max_regex_depth      32        a regex with groups nested deeper is refused
//   max_regex_cost       512       a regex whose estimated compile cost is higher is refused
//   max_regex_total_cost 20000     a list set whose regexes cost more in total is refused
//   cache_dir            ""        Filter::open of a directory keeps compiled databases here
//   trusted_keys         {}        when set, a compiled database must be signed by one of these
//   max_compiled_bytes   1 GiB     a compiled database larger than this is refused unread
//   on_internal_error    open      see FailMode
//   fail_closed_action   prompt    the action FailMode::closed answers
//
// The regex cost estimates what Hyperscan will spend compiling a pattern,
// which it cannot bound itself (with HS_FLAG_UCP one \w costs it about 0.1 s,
// and \w{50} five seconds before it gives up). Each literal character costs
// 1; '.', a negated class, \d \s and a script such as \p{Devanagari} cost
// 8; a letter class (\w \W \pL, [[:alpha:]]) costs 256; a repeat
// multiplies the cost of what it repeats by its count ({n,m} by the larger
// of n and m, * and + by 2), and alternatives add up. At the defaults one
// regex compiles in well under a second and all of a list set's regexes in
// seconds. Hyperscan's own refusals ("Pattern is too large") are reported as
// compile errors at the entry.
struct FilterOptions {
  ViewSet views = ViewSet::all();
  std::size_t max_query_bytes = 4096;
  std::size_t max_list_bytes = 64u << 20;
  std::size_t max_list_files = 1000;
  std::size_t max_list_set_bytes = 256u << 20;
  std::size_t max_entries = 1000000;
  std::size_t max_entry_bytes = 16000;
  std::size_t max_rule_parts = 64;
  std::size_t max_examples = 200000;
  std::size_t max_regexes = 10000;
  std::size_t max_regex_bytes = 1000;
  std::size_t max_regex_depth = 32;
  std::size_t max_regex_cost = 512;
  std::size_t max_regex_total_cost = 20000;
  FailMode on_internal_error = FailMode::open;
  Action fail_closed_action = Action::prompt;
  // When set, Filter::open(directory) looks for a compiled database of the
  // same sources in this directory (file name: content hash + Hyperscan
  // version + CPU platform + views) and loads it instead of compiling; on a
  // miss it compiles and writes one there. A stale, corrupt or foreign cache
  // file is ignored and replaced; a cache that cannot be written is not an error.
  // Cache files carry a tag keyed by a secret in the directory (cache.key,
  // created 0600 on first use), so a file planted there is recompiled and
  // replaced, never loaded.
  std::string cache_dir;
  // Public keys (the text of .pub files from `deter keygen`). When any is
  // given, Filter::open(file) refuses with ErrorCode::untrusted a compiled
  // database that is unsigned or whose signature verifies with none of them,
  // before anything in it is parsed or handed to Hyperscan. For fleets that
  // receive compiled databases from one build machine. Directories and the
  // cache are not affected.
  std::vector<std::string> trusted_keys;
  // Filter::open(file) refuses a larger file with ErrorCode::limit before
  // reading it; a file that is not a compiled database is refused after
  // reading its first 16 bytes. A compiled file is about the size of its
  // sources plus its Hyperscan databases (100,000 entries: 3 MB of phrases,
  // 14 MB of substrings).
  std::size_t max_compiled_bytes = std::size_t{1} << 30;
};

// Options for Filter::save.
struct SaveOptions {
  // The text of a secret key file from `deter keygen` (generate_signing_key):
  // the file is signed with it (Ed25519), for FilterOptions::trusted_keys.
  std::string sign_key;
  // Leave the list sources out: entry source lines, inline examples and
  // comments. The file holds the entry tables instead, with the normalized
  // literals and the regexes Hyperscan needs (so it is not encryption: the
  // patterns can be read from it). A filter loaded from it has no examples,
  // EntryInfo::source is empty, has_sources() is false, and it cannot be
  // saved again.
  bool strip_sources = false;
};

// An Ed25519 key pair in the text forms `deter keygen` writes. Each is one
// line "deter-ed25519-secret HEX" / "deter-ed25519-public HEX" (64 and 32
// bytes as lowercase hex) after '#' comment lines.
struct SigningKeyPair {
  std::string secret_key;  // for SaveOptions::sign_key; keep it private
  std::string public_key;  // for FilterOptions::trusted_keys
};

// Makes a new signing key pair from the system's random source.
DETER_EXPORT Result<SigningKeyPair> generate_signing_key();

// Options for one check() call.
struct CheckOptions {
  // BCP 47 locale of the user ("hi-IN", "bn", "en"); chooses the message
  // language. Empty: the script of the matched text, else the list language.
  std::string_view locale;
  // Also report the matches that exceptions suppressed (Decision::suppressed).
  // For tools that explain decisions; costs nothing when nothing matched.
  bool explain = false;
  // Typeahead (Filter::check_partial, Filter::filter_suggestions):
  //
  //   option             default  meaning
  //   min_partial_chars  5        a text heads into an entry only when the part of it the
  //                               entry begins with (its last word, and the entry's earlier
  //                               words typed before it) has at least this many characters
  //                               (code points, spaces left out): "for", "forb" and "वर"
  //                               head into nothing, "forbi", "वर्जि" and "forbidden o" do.
  //                               0 or 1: every character typed counts.
  //   withhold_from      inform   filter_suggestions withholds a candidate whose check()
  //                               action is at least this, and every candidate while the
  //                               typed text's check_partial() action is
  //
  // The default minimum is measured on benign text of every language
  // (README.md "Typeahead"): at 4, up to 2.8% of benign queries lose their
  // suggestions at some keystroke, at 5 at most 1.3%, and each candidate
  // is checked in full whatever the minimum.
  std::size_t min_partial_chars = 5;
  Action withhold_from = Action::inform;
};

// The outcome of running one inline example against the Filter.
struct ExampleResult {
  Example example;
  bool passed = false;
  std::string detail;  // why it failed, for people: "expected ... but ..."
};

// Summary of a loaded list set.
struct ListInfo {
  std::string file;      // file name within the list directory
  std::string name;      // `! name:`
  std::string language;  // `! language:`
  std::size_t entries = 0;
  std::string version;   // `! version:`, if given
};

// One entry of a loaded list set, for tools that report on entries.
struct EntryInfo {
  std::string_view id;      // "hi.list:12"
  std::string_view file;    // "hi.list"
  std::uint32_t line = 0;
  std::string_view source;  // the line as written, e.g. "forbidden orchard $action=block"
  bool exception = false;   // an @@ entry
  ViewSet views;            // the views it is matched in, after `! views:`, `$views=`,
                            // FilterOptions::views and the phonetic view's languages
};

// The checksum of a list file's text, as its optional `! checksum:` header
// carries it (lists/README.md "Checksum"): 32 lowercase hex digits of
// XXH3-128 over every line except those that begin "! checksum:", each line
// without a trailing '\r' and followed by '\n'. A list whose header checksum
// differs fails to load with ErrorCode::corrupt at that line: a file cut
// short while it was rewritten is refused instead of losing its last entries.
// It detects accidents, not forgery: anyone who can edit the list can
// recompute it.
DETER_EXPORT std::string list_checksum(std::string_view list_text);
// `list_text` with its `! checksum:` header line set to list_checksum():
// the existing line replaced, or a new one inserted after the first line.
// Line endings are kept; the new line takes those of the first line.
DETER_EXPORT std::string with_list_checksum(std::string_view list_text);

class FilterImpl;

// A compiled list set. Immutable once built, cheap to copy (copies share the
// compiled tables), and safe for concurrent use: any number of threads may
// call check() on the same Filter at once. Each thread keeps its own
// scanning scratch space out of sight.
class DETER_EXPORT Filter {
 public:
  // Parses and compiles the list set in `path` (every *.list file plus an
  // optional messages.toml). Any error in any file fails the whole load.
  // If `path` is a file written by save() (`deter compile`), loads it without
  // compiling; a damaged file, one whose Hyperscan databases disagree with
  // its entry table, or one compiled with another Hyperscan version or for
  // another CPU platform, is refused with ErrorCode::corrupt; a file over
  // max_compiled_bytes with ErrorCode::limit; with trusted_keys, an unsigned
  // or wrongly signed file with ErrorCode::untrusted.
  static Result<Filter> open(const std::string& path, const FilterOptions& options = {});
  // Builds from in-memory files: (file name, contents) pairs. Names ending in
  // ".toml" are message files; all others are lists. At least one list is
  // needed (ErrorCode::invalid_argument otherwise), as Filter::open needs a
  // *.list file: no list would be a filter that allows everything.
  static Result<Filter> from_sources(const std::vector<std::pair<std::string, std::string>>& files,
                                     const FilterOptions& options = {});

  // Decides one query. Never throws, never fails: any byte string is a valid
  // query. Does not allocate when nothing matches.
  Decision check(std::string_view query, const CheckOptions& options = {}) const noexcept;
  // Decides many queries; out is resized to queries.size().
  void check_batch(const std::vector<std::string_view>& queries, std::vector<Decision>& out,
                   const CheckOptions& options = {}) const noexcept;

  // Typeahead. The decision `text` would get if its last word were typed
  // out: besides everything check() finds, each entry that the end of the
  // text begins, in any view check() uses (case, width, look-alikes,
  // leet, squeezed letters, the phonetic key): its earlier words typed in
  // full and its next word begun ("forbidden orc", "वर्जि", "f0rbidd"),
  // counted only once that part is CheckOptions::min_partial_chars long.
  // Each such entry is decided as check() decides the text completed into
  // it (the text up to where the entry begins, then the entry), so rules,
  // exceptions, categories and messages apply as they would; the most
  // severe wins, and the answer is never lower than check(text). Spans of
  // a completed match cover the words typed. A word being typed is not
  // corrected for typos (the fuzzy view needs whole words); a regex entry
  // is not completed. For each keystroke of a search box: a decision above
  // allow means the text is heading into a listed term, and no
  // suggestion should lead on from it. Costs a check() when nothing is
  // begun, and one more check() per entry begun (at most 32, most severe
  // first, stopping when none can outrank what was found).
  Decision check_partial(std::string_view text, const CheckOptions& options = {}) const noexcept;
  // The candidates (suggested completions of `typed`) that may be shown, in
  // their order: none when check_partial(typed) is at least
  // options.withhold_from, else each candidate whose check() as a full
  // query is below it. The views point into `candidates`. One call per
  // keystroke; a candidate costs one check(). Out of memory: none.
  std::vector<std::string_view> filter_suggestions(std::string_view typed,
                                                   const std::vector<std::string_view>& candidates,
                                                   const CheckOptions& options = {}) const noexcept;

  // The base normalized form of a query, space padded (" forbidden orchard ").
  std::string normalize(std::string_view query) const;
  // Every view of the query the list set uses, in View order (for
  // explanations). The joined view of a query is its base form (joined
  // changes entries only) and is not listed.
  std::vector<std::pair<View, std::string>> views_of(std::string_view query) const;

  const std::vector<Example>& examples() const;
  // Runs every inline example. A `match:` example passes when the decision
  // for its query holds a match of its entry; for an @@ exception, when the
  // exception suppressed a match. `no-match:` is the converse.
  std::vector<ExampleResult> run_examples() const;
  const std::vector<ListInfo>& lists() const;
  std::size_t entry_count() const;
  // Hex digest of the list set's sources; equal sources give equal digests.
  const std::string& content_hash() const;
  const FilterOptions& options() const;
  // False for a filter loaded from a file saved with strip_sources.
  bool has_sources() const;
  // Describes entry `index` (Match::entry_index); index < entry_count().
  EntryInfo entry(std::uint32_t index) const;

  // Writes the compiled form to `path` (atomically: a temporary file, then a
  // rename): the list sources, the serialized Hyperscan databases, the
  // Hyperscan version, the CPU platform and a checksum. Returns its size.
  // The file is created readable by its owner only (0600): it holds the
  // list sources.
  Result<std::size_t> save(const std::string& path) const;
  // The same, signed when options.sign_key is set.
  Result<std::size_t> save(const std::string& path, const SaveOptions& options) const;

  explicit Filter(std::shared_ptr<const FilterImpl> impl);
  const std::shared_ptr<const FilterImpl>& impl() const { return impl_; }

 private:
  std::shared_ptr<const FilterImpl> impl_;
};

}  // namespace deter

#endif  // DETER_FILTER_H_
