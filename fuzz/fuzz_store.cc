// Fuzzes the reader of compiled databases (store.cc) with any bytes.
//
// A compiled file is untrusted input. Its checksum is unkeyed, so anyone can
// recompute it: this fuzzer does the same, appending the checksum to its
// input, so that mutations reach past it into the field parser, the header
// checks, the rebuilt entry tables and the cross-checks of each Hyperscan
// database against them. The outcome must be a clean refusal (a code, a
// message naming the file) or a filter that answers queries; never a crash,
// a hang or unbounded memory.
//
// The first byte picks the target:
//   0-191    the input after it is a compiled file without its checksum
//   192-223  the input is a sealed file checked against a trusted key: it
//            must be refused (no input can carry a valid signature)
//   224-255  the input is a cache file checked against the cache's key: it
//            must be refused likewise
#include <deter/filter.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>

#include "filter_impl.h"
#include "store.h"
#include "invariants.h"

namespace {

constexpr const char* kFuzzerName = "fuzz_store";

// A fixed key pair: its public half is trusted; inputs cannot sign with it.
const char* kTrusted =
    "deter-ed25519-public 4f1b1d3c3a8f4e4b9b1c7f0e2d6a5c3b8e9f0a1b2c3d4e5f60718293a4b5c6d7\n";

const char* kQueries[] = {"forbidden orchard", "hidden lantern 404", "वर्जित बगीचा", "a b c",
                          "orchard12"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string name = "fuzz.deterdb";

  if (selector >= 192 && selector < 224) {
    auto body = deter::store::unseal(input, {kTrusted}, name);
    REQUIRE_THAT(!body.ok());
    REQUIRE_THAT(body.error().code == deter::ErrorCode::untrusted);
    REQUIRE_THAT(body.error().file == name);
    return 0;
  }
  if (selector >= 224) {
    REQUIRE_THAT(!deter::store::unseal_cache(input, std::string(32, 'k')).has_value());
    return 0;
  }

  std::string file(input);
  const std::uint64_t sum = deter::store::checksum(file);
  for (int i = 0; i < 8; ++i) file.push_back(static_cast<char>(sum >> (8 * i)));
  try {
    auto impl = deter::store::deserialize(file, deter_fuzz::small_options(), name);
    if (!impl) {
      const deter::Error& e = impl.error();
      REQUIRE_THAT(e.code != deter::ErrorCode::ok);
      REQUIRE_THAT(!e.message.empty());
      if (e.line == 0) REQUIRE_THAT(e.file == name);
      return 0;
    }
    const deter::Filter f(impl.value());
    REQUIRE_THAT(f.entry_count() == impl.value()->entries.size());
    for (const char* q : kQueries) {
      // A regex database is not proven by the load (see store.h): if it
      // reports an id it was not built with, check() says kFlagInternalError.
      const deter::Decision d = f.check(q);
      for (const deter::Match& m : d.matches) REQUIRE_THAT(m.entry_index < f.entry_count());
    }
    for (const deter::ExampleResult& r : f.run_examples()) (void)r;
  } catch (const std::bad_alloc&) {
    // Bounded by the input's size; a huge count is refused by the reader.
  }
  return 0;
}
