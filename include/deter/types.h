// deter's vocabulary: the small value types that every layer speaks (actions,
// views, errors, results, messages, examples). The text and rules layers
// include this header and nothing else of the public API, so they cannot
// depend on the Filter; deter/filter.h includes it, so users need not.
#ifndef DETER_TYPES_H_
#define DETER_TYPES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "deter/export.h"

namespace deter {

// What the search service should do with a query. Ordered: when several
// entries match, the highest action wins.
enum class Action : std::uint8_t {
  allow = 0,   // answer normally
  inform = 1,  // answer normally, with a notice above the results
  prompt = 2,  // show the deterrence prompt instead of results
  block = 3,   // show no results at all
};

// Returns "allow", "inform", "prompt" or "block".
DETER_EXPORT std::string_view to_string(Action action) noexcept;
// Parses the names above; nullopt for anything else.
DETER_EXPORT std::optional<Action> parse_action(std::string_view name) noexcept;

// A view is one normalization of the query (and, identically, of every list
// entry). Each undoes one family of obfuscations; each can be switched off
// per list (`! views: -leet`) and per entry (`$views=-leet`).
enum class View : std::uint8_t {
  // Case, width, accents on Latin letters, compatibility forms, invisible
  // characters; punctuation and whitespace runs become one space. Always on.
  base = 0,
  // Digits and symbols used as letters (0→o, 4→a, @→a, $→s) inside tokens
  // that also hold a letter: "f0rbidden" matches, "455" stays a number.
  leet = 1,
  // Repeated letters collapse ("ooorchard" → "orchard").
  squeeze = 2,
  // Runs of three or more single characters join ("o r c h a r d").
  spaced = 3,
  // Missing spaces: an entry of eight or more letters also matches with its
  // spaces removed ("forbiddenorchard").
  joined = 4,
  // Cyrillic and Greek look-alikes inside a mostly-Latin token become Latin.
  homoglyph = 5,
  // Spelling variation of romanized Hindi, Bengali and Kannada, and native
  // script transliterated into the same Latin key ("वर्जित" ~ "varjeet").
  phonetic = 6,
  // Typos: one edit (a letter dropped, added, changed, or two neighbours
  // swapped) in a word of six or more letters that is no dictionary word of
  // the list languages ("forbidden orchrad"). A match through it alone
  // answers at most `prompt` unless the entry allows more (`$fuzzy=`).
  // On by default like every view; off per list or entry (`-fuzzy`).
  fuzzy = 7,
};
inline constexpr int kViewCount = 8;

// Returns "base", "leet", ...
DETER_EXPORT std::string_view to_string(View view) noexcept;
DETER_EXPORT std::optional<View> parse_view(std::string_view name) noexcept;

// A set of views as a bit mask (bit i = View i).
class ViewSet {
 public:
  constexpr ViewSet() = default;
  static constexpr ViewSet all() { return ViewSet((1u << kViewCount) - 1); }
  static constexpr ViewSet only(View v) { return ViewSet(1u << static_cast<unsigned>(v)); }
  constexpr bool has(View v) const { return (bits_ >> static_cast<unsigned>(v)) & 1u; }
  constexpr ViewSet with(View v) const { return ViewSet(bits_ | (1u << static_cast<unsigned>(v))); }
  constexpr ViewSet without(View v) const {
    return ViewSet(bits_ & ~(1u << static_cast<unsigned>(v)));
  }
  constexpr ViewSet operator&(ViewSet o) const { return ViewSet(bits_ & o.bits_); }
  constexpr unsigned bits() const { return bits_; }
  constexpr bool operator==(const ViewSet&) const = default;

 private:
  constexpr explicit ViewSet(unsigned bits) : bits_(bits) {}
  unsigned bits_ = 0;
};

enum class ErrorCode : std::uint8_t {
  ok = 0,
  io,             // a file could not be read
  syntax,         // a list or messages file is malformed
  invalid_entry,  // an entry is empty, too long, or otherwise unusable
  compile,        // the pattern compiler refused an entry or ran out of budget
  limit,          // a configured bound (file size, entry count) was exceeded
  corrupt,        // a compiled database is damaged or from another platform, or a list
                  // file does not match its `! checksum:`
  invalid_argument,
  internal,
  untrusted,      // trusted keys are configured and a compiled database is unsigned or its
                  // signature verifies with none of them
};

// Where and why loading failed. `file`, `line` and `column` are set whenever
// the problem has a place; line and column count from 1.
struct Error {
  ErrorCode code = ErrorCode::ok;
  std::string message;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  // "file:line:col: message" (or less, when the place is unknown).
  DETER_EXPORT std::string to_string() const;
};

// Either a value or an Error; loading functions return this and never throw.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// A localized deterrence message from messages.toml.
struct Message {
  std::string key;     // e.g. "prompt.default"
  std::string locale;  // e.g. "hi"
  std::string title;
  std::string body;
  std::vector<std::string> links;
};

// An inline example of a list entry (`match:` / `no-match:` lines).
struct Example {
  std::string entry_id;  // "hi.list:12"
  std::string file;
  std::uint32_t line = 0;  // line of the example itself
  bool must_match = true;
  std::string query;
};

}  // namespace deter

#endif  // DETER_TYPES_H_
