// The request bodies of deter serve's JSON endpoints, read in one pass
// without building a document. A batch of 1000 queries as an nlohmann
// document costs a node, a std::string and a map entry per query; read flat,
// it costs a view into the body per query. Only the shapes the endpoints
// take are read: anything else is declined, and the caller parses the body
// as a document instead, which gives the located error or the exact answer.
// So a body the flat reader declines is never answered differently.
#ifndef DETER_CLI_SERVE_REQUEST_H_
#define DETER_CLI_SERVE_REQUEST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace deter::cli {

class FlatRequest {
 public:
  enum class Kind : std::uint8_t { string, null, array };
  struct Member {
    std::string_view key;
    Kind kind = Kind::null;
    std::string_view text;  // Kind::string
    std::size_t first = 0;  // Kind::array: items()[first, first + count)
    std::size_t count = 0;
  };

  // Most members read flat: more (no endpoint takes more than three) are
  // left to the document parser, so that the check for a repeated key stays
  // cheap.
  static constexpr std::size_t kMaxMembers = 16;

  // Reads `body` if it is a JSON object (RFC 8259, as nlohmann::json reads
  // it) whose members are strings, nulls or arrays of strings, with plain
  // ASCII keys, no key twice, and no byte order mark. False otherwise; then
  // nothing read may be used. The views point into `body` or into this
  // object, valid until the next parse().
  bool parse(std::string_view body);

  const Member* find(std::string_view key) const noexcept;
  const std::vector<std::string_view>& items() const noexcept { return items_; }

 private:
  bool read_string(const char*& p, const char* end, std::string_view& out);
  bool decode_escaped(const char*& p, const char* end, const char* start, std::string_view& out);

  std::vector<Member> members_;
  std::vector<std::string_view> items_;  // every array's strings, in order
  // Strings with escapes, decoded. Reserved at the body's size before
  // reading (a decoded string is never longer than its source), so it never
  // moves and the views into it stay valid.
  std::string decoded_;
};

}  // namespace deter::cli

#endif  // DETER_CLI_SERVE_REQUEST_H_
