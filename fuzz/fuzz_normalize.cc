// Fuzzes the base normalizer with any bytes and checks the properties every
// normalized text must have (docs/DESIGN.md §4):
//   - the output is valid UTF-8, padded with one space at each end, with no
//     run of two spaces, and holds no ASCII byte that is not [a-z0-9 ];
//   - normalizing the output again gives the output (idempotence);
//   - with an offset map, the text is the same, the map has one source span
//     per output byte, and every span lies inside the input, on character
//     boundaries (an invalid byte counts as a one-byte character);
//   - kInvalidUtf8 is set exactly when the input is not valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "text/normalize.h"
#include "text/utf8.h"
#include "utf8_boundaries.h"
#include "invariants.h"

namespace {

constexpr const char* kFuzzerName = "fuzz_normalize";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace deter::text;
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  std::string out;
  const std::uint32_t flags = normalize_base(in, out, nullptr);

  REQUIRE_THAT(is_valid_utf8(out));
  REQUIRE_THAT(!out.empty() && out.front() == ' ' && out.back() == ' ');
  REQUIRE_THAT(out.find("  ") == std::string::npos);
  for (char c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) REQUIRE_THAT(c == ' ' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
  }
  REQUIRE_THAT(((flags & kInvalidUtf8) != 0) == !is_valid_utf8(in));

  std::string again;
  REQUIRE_THAT(normalize_base(out, again, nullptr) == 0);
  if (again != out) {
    std::fprintf(stderr, "once:  '%s'\ntwice: '%s'\n", out.c_str(), again.c_str());
    deter_fuzz::fail(kFuzzerName, "again == out");
  }

  std::string mapped;
  OffsetMap map;
  REQUIRE_THAT(normalize_base(in, mapped, &map) == flags);
  REQUIRE_THAT(mapped == out);
  REQUIRE_THAT(map.size() == mapped.size());
  const std::vector<bool> boundary = character_boundaries(in);
  for (std::size_t k = 0; k < map.size(); ++k) {
    const std::uint32_t b = map.begin[k];
    const std::uint32_t e = map.end[k];
    REQUIRE_THAT(b <= e);
    REQUIRE_THAT(e <= in.size());
    REQUIRE_THAT(boundary[b]);
    REQUIRE_THAT(boundary[e]);
    // A byte of a token comes from at least one source byte; only the
    // padding and separators may map to an empty span.
    if (mapped[k] != ' ') REQUIRE_THAT(b < e);
  }
  return 0;
}
