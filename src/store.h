// The compiled form of a list set: one file that loads without compiling.
//
// It holds the list sources (for Filter::save, and parsed on first use for
// each entry's line as written and the examples: FilterImpl::read_sources)
// unless stripped (deter compile --strip-sources); the entry tables (each
// pattern as written too, unless stripped; no entry source line, example
// or comment), which loading reads instead of parsing; and the atom tables: each entry's atoms and the
// normalized literals and regexes they compile to, which Hyperscan and the
// token index need (stripping is not encryption), and which are no longer
// rebuilt from the sources on load: that was most of the cost of loading.
// A file with sources has its atoms checked against its patterns as
// written: every entry's rebuilt in a small list set, a random sample of
// 256 entries beyond 4096; and its sources against its content hash.
// Then the serialized Hyperscan databases, and what they
// depend on: the Hyperscan version, the CPU platform, the views, and a
// digest of every pattern (taken as stored: it and the patterns are the
// file's own bytes, under its checksum). A file from another Hyperscan,
// another CPU feature set or another deter whose normalizer gives different
// patterns is refused with an error saying so; any damaged byte fails the
// checksum.
//
// Hyperscan trusts the databases it deserializes, so nothing in a file may
// reach it unchecked. Every Hyperscan database is recorded with the count and
// a digest of the patterns it was compiled from; on load both must equal what
// the rebuilt tables give, the blob must describe a block-mode database of
// this Hyperscan, and the literal database must report each of its literals
// (a random sample of 4096 beyond 16384), scanned on its own text, under its
// own id and under no id outside its set (a database spliced from another
// list set fails here). A regex database reporting an id outside its set
// fails the scan instead (PatternDatabase::scan). What that cannot
// catch, a malicious blob, only a signature (--sign, trusted_keys) or the
// cache's key does: both are checked before any byte reaches Hyperscan.
//
// Layout (integers little-endian; "str" is a u64 length then the bytes):
//   "DETERDB1"  u32 format (15)  u32 flags (1: stripped; 2: fuzzy on by default, kFlagListFuzzy;
//                                          no other bit is set)
//   str hs_version  str platform  str content_hash  str pattern_digest
//   u32 views  u64 max_entries  u64 max_entry_bytes  str list_versions
//   u32 file count, then per file: str name, str contents   (stripped: 0 files)
//   the entry tables the sources give (store.cc write_entry_tables):
//     u32 n, per list:    str file  str name  str language  u64 entries  str version
//     u32 n, per message: str key  str locale  str title  str body  u32 n, str link...
//     u32 n, per name (files, categories, messages, locales, each once): str
//     u32 n, zeros up to a multiple of 8 from the file's start, then per entry
//                         48 bytes, as rules::EntryTable::Record is in memory:
//                         u8 kind  u8 query_scope  u8 action  u8 fuzzy_action
//                         u8 severity  3 zeros  u32 views  u32 line  u32 id_at
//                         u32 id_size  u32 first_pattern  u32 pattern_count
//                         u32 file  u32 category  u32 message  u32 locale (names)
//     str ids (each entry's, followed by a NUL)
//     u32 n, zeros up to a multiple of 8, then per pattern 8 bytes (rules::PatternRef):
//                         u8 kind  u8 negated  2 zeros  u32 column
//     per pattern, not when stripped: str text (as written)
//   every file, the atom tables (write_atom_tables), atoms in entry order:
//     u32 n, zeros up to a multiple of 8 from the file's start, then per atom
//                         16 bytes, as struct Atom is in memory (filter_impl.h):
//                         u32 entry (atoms come in entry order)  u32 pattern
//                         u32 length  u8 view  u8 regex  u8 pad_front  u8 pad_back
//     per atom, in order, what it compiles to (its id is the atom's index):
//       a literal: its atom's length bytes of normalized text; a regex: str expression
//   then five parts, each an "aligned str": zeros up to a multiple of 64
//   bytes from the file's start less 8, then a str, so that its bytes begin
//   on a cache line and are used where they lie in a mapped file:
//     the token index (TokenIndex::save: a u64 literal count, u32 check mask,
//       three u32 filter shifts, nine (u64 offset, u64 count) of its arrays,
//       then the arrays as they are in memory, each at a multiple of 8 bytes:
//       slots, whole keys, three filters, nodes, phrase and prefix literal
//       references (id, offset in the atoms' texts, size), prefix groups)
//     the completion index (CompletionIndex::save), the entry words
//       (EntryWords::save), the fuzzy index of words and that of phonetic
//       keys (FuzzyIndex::save): each a sequence of text/stored.h arrays
//       (a u64 count, then the elements as in memory, at a multiple of 8;
//       a filter's at a multiple of 64).
//       The completion index is used in place (its texts, its items in
//       sorted order, its first words' hashes), and so are the fuzzy
//       indexes, whole (words, runs, keys, hashes, rekeyed's table, the
//       prefix words, and what finish() builds from them: letters, slots,
//       bucket tables, the prefix trie, filters), and so are the entry
//       words: nothing is sorted or built on load. Each is checked as it is read (every index into another
//       array, counts, order where a search relies on it, a table's last
//       gap), its error naming the part and the byte it begins at.
//   u32 literal count  str literal digest  str literal database
//   u32 regex count    str regex digest    str regex database
//       (count and digest of the patterns compiled into the database that
//        follows, hs_serialize_database; a database is empty when its count is 0)
//   u64 XXH3-64 of every byte before it
// and then at most one seal over every byte before it:
//   64-byte Ed25519 signature (crypto_sign_detached)  "DETERSG1"   deter compile --sign
//   32-byte HMAC-SHA-512-256 tag (crypto_auth)        "DETERMC1"   cache files
#ifndef DETER_STORE_H_
#define DETER_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "deter/filter.h"

namespace deter {
class FilterImpl;
}

namespace deter::store {

inline constexpr std::string_view kMagic = "DETERDB1";
// 4: the fuzzy view (a view set of 8 bits: a file of format 3 compiled with
// every view would lack it) and each entry's fuzzy_action.
// 5: every file holds its atom tables (the atoms, literals and regexes), so
// that loading parses the sources but no longer runs each entry through
// every view; a sample of entries is rebuilt to check them (store.cc
// check_atoms).
// 6: the completion index's order (CompletionIndex::order), so that loading
// checks it in one pass instead of sorting it (a third of format 5's load).
// 7: the token index as it is in memory, at a multiple of 8 bytes, so that
// a mapped file's index is used where it lies (TokenIndex::save); the
// spaced view's entry words finished (EntryWords::save).
// 8: the completion index finished and used in place, the fuzzy indexes
// finished, the entry words' arrays aligned (text/stored.h): loading
// neither sorts nor builds them (two thirds of format 7's open).
// 9: every file holds the entry tables (a file with sources, each
// pattern's text too): loading reads them instead of parsing the sources,
// which are parsed only for what they alone hold (FilterImpl::read_sources);
// the entry words' filter kept in cache lines, a line for two tokens and
// the three that begin with them (EntryWords::maybe).
// 10: the entry words' filter of first pieces (EntryWords::may_begin), in
// front of the pieces' lines: most pairs of a query's tokens stop there.
// 11: the fuzzy indexes hold the entries' joined forms as runs, keyed by
// their halves and used in place (FuzzyIndex::add's run_together).
// 12: the fuzzy indexes hold what was built again on every open (their
// filters, bucket tables, words' letters and slots, the prefix trie), used
// in place; the parts used in place begin on a cache line (64 bytes), and
// each filter's lines too (text/stored.h Writer::lines).
// 13: the atoms as they are in memory (16 bytes each, at a multiple of 8),
// used where they lie, not four varints each.
// 14: the entry words used where they lie, their filter from a cache line.
// 15: the entries as they are in memory (rules::EntryTable's records, ids
// and patterns), used where they lie, not varints each.
// 16: the token index's slot table sized to its edges (at most half full,
// a whole number of cache lines), each probe starting at the key's low 32
// bits scaled to the table, not at its low bits under a power-of-two mask.
inline constexpr std::uint32_t kFormatVersion = 16;
// Header flag: the file holds tables instead of sources (--strip-sources).
inline constexpr std::uint32_t kFlagStripped = 1;
// Header flag: its sources are read with fuzzy on in a list that names no
// views (rules::kDefaultListViews). A file without it was compiled when
// fuzzy was off by default, and is read so, to decide as it did; a flag and
// not a new format, so that such files still load (a stripped file stores
// each entry's views and needs neither).
inline constexpr std::uint32_t kFlagListFuzzy = 2;
inline constexpr const char* kStrippedMessage =
    "this compiled database was stripped of its sources; run it on the list directory";
// The first bytes of a file: magic, format, flags. Enough to refuse a file
// that is not a compiled database before reading the rest.
inline constexpr std::size_t kHeaderBytes = 16;
inline constexpr std::string_view kSignatureMark = "DETERSG1";
inline constexpr std::string_view kCacheTagMark = "DETERMC1";
inline constexpr std::size_t kSignatureBytes = 64;
inline constexpr std::size_t kCacheTagBytes = 32;
inline constexpr std::size_t kCacheKeyBytes = 32;
// The name of the cache's key file in FilterOptions::cache_dir.
inline constexpr std::string_view kCacheKeyFile = "cache.key";

// XXH3-64 of `bytes`: the checksum that ends every compiled file. Taken a
// few MB at a time (the same value as one call), with `after_piece` called
// after each: deserialize lets a mapped file's pages go between pieces.
std::uint64_t checksum(std::string_view bytes, const std::function<void()>& after_piece = {});

// True if `head` (the first bytes of a file) starts with the magic.
bool has_magic(std::string_view head);

// Checks the first kHeaderBytes (or fewer) of a file: the magic and the
// format version. The error names `name`.
std::optional<Error> check_header(std::string_view head, const std::string& name);

// "x86_64 tune=T features=0xF" for this machine, as Hyperscan sees it.
std::string platform();

// hs_version() of the linked Hyperscan.
std::string hyperscan_version();

// The whole compiled file for `impl`, unsealed. With `strip_sources`, the
// tables instead of the sources. A filter loaded from a stripped file
// cannot be saved again.
Result<std::string> serialize(const FilterImpl& impl, bool strip_sources = false);

// Loads a compiled file (unsealed: see unseal). `name` is used in errors.
// Runtime options (max_query_bytes, limits) come from `options`; the views
// are the file's. The filter uses parts of `bytes` where they lie and holds
// `keep_alive` (what owns them, e.g. the file's mapping) for that; without
// it, or if `bytes` does not begin at a multiple of 8, they are copied.
// `let_go`, when given, is called between the passes that read the file
// (every few MB of the checksum, after each part's checks): a mapped
// file's pages can be dropped from the process then (Filter::open), so
// that opening never holds the whole file, only the part being read.
Result<std::shared_ptr<FilterImpl>> deserialize(std::string_view bytes,
                                                const FilterOptions& options,
                                                const std::string& name,
                                                std::shared_ptr<const void> keep_alive = nullptr,
                                                const std::function<void()>& let_go = {});

// Appends an Ed25519 signature by `secret_key` (the text of a .key file).
Result<std::string> sign(std::string bytes, std::string_view secret_key);

// A key pair in the text forms of the .key and .pub files.
Result<SigningKeyPair> generate_key_pair();

// Returns the file without its seal. With `trusted_keys`, the file must be
// signed by one of them (ErrorCode::untrusted otherwise); without, a
// signature or cache tag is dropped unchecked.
Result<std::string_view> unseal(std::string_view bytes,
                                const std::vector<std::string>& trusted_keys,
                                const std::string& name);

// The cache's secret: read from `dir`/cache.key, or created there (0600,
// O_EXCL) on first use. nullopt if the key cannot be made or is not private
// to this user; the cache is then not used.
std::optional<std::string> cache_key(const std::string& dir);
// Appends a tag by `key`.
std::string seal_cache(std::string bytes, std::string_view key);
// The file without its tag, if it carries a valid tag by `key`.
std::optional<std::string_view> unseal_cache(std::string_view bytes, std::string_view key);

// The cache file name for sources (sorted by name) under options:
// content hash + Hyperscan version + platform + views, as hex + ".deterdb".
std::string cache_file_name(const std::vector<std::pair<std::string, std::string>>& sorted_files,
                            const FilterOptions& options);

}  // namespace deter::store

#endif  // DETER_STORE_H_
