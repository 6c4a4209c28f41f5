// Fuzzes the list parser (and, for inputs that parse, the whole load: the
// compiler and Hyperscan) with any bytes. A list set is untrusted input: the
// outcome must be an error with a place and a message, or a list whose
// entries are well formed; never a crash, a hang or unbounded memory.
//
// The first byte picks the target: 0-191 a list file, 192-223 a messages
// file, 224-255 a list file that is also compiled into a Filter.
#include <deter/filter.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "filter_impl.h"
#include "rules/list.h"
#include "text/utf8.h"
#include "invariants.h"

namespace {

constexpr const char* kFuzzerName = "fuzz_parse";

void check_error(const deter::Error& e, std::string_view file) {
  REQUIRE_THAT(e.code != deter::ErrorCode::ok);
  REQUIRE_THAT(!e.message.empty());
  REQUIRE_THAT(deter::text::is_valid_utf8(e.message) || e.code == deter::ErrorCode::compile);
  if (e.line > 0) REQUIRE_THAT(e.file == file);
  if (e.column > 0) REQUIRE_THAT(e.line > 0);
}

void check_list(const deter::rules::ListFile& lf, const deter::FilterOptions& options) {
  using deter::rules::PatternKind;
  REQUIRE_THAT(lf.entries.size() <= options.max_entries);
  for (const deter::rules::Entry& e : lf.entries) {
    REQUIRE_THAT(e.line > 0);
    REQUIRE_THAT(!e.patterns.empty());
    REQUIRE_THAT(e.patterns.size() <= options.max_rule_parts);
    REQUIRE_THAT(e.views.has(deter::View::base));
    REQUIRE_THAT(e.severity <= 10);
    for (const deter::rules::Pattern& p : e.patterns) {
      REQUIRE_THAT(!p.text.empty());
      REQUIRE_THAT(p.text.size() <= options.max_entry_bytes);
      REQUIRE_THAT(p.column >= 1);
      if (p.kind != PatternKind::regex) REQUIRE_THAT(p.text.find('*') == std::string::npos);
    }
    for (const deter::Example& ex : e.examples) {
      REQUIRE_THAT(ex.line > e.line);
      REQUIRE_THAT(!ex.query.empty());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const deter::FilterOptions options = deter_fuzz::small_options();

  if (selector >= 192 && selector < 224) {
    auto messages = deter::rules::parse_messages("messages.toml", text);
    if (!messages) {
      check_error(messages.error(), "messages.toml");
    } else {
      for (const deter::Message& m : messages.value()) {
        REQUIRE_THAT(!m.key.empty());
        REQUIRE_THAT(!m.locale.empty());
      }
    }
    return 0;
  }

  const deter::rules::Limits limits = deter::limits_of(options);
  auto parsed = deter::rules::parse_list("fuzz.list", text, limits);
  if (!parsed) {
    check_error(parsed.error(), "fuzz.list");
  } else {
    check_list(parsed.value(), options);
    // A list that loads still loads, with the same entries, once
    // `deter checksum` has sealed it; sealing twice changes nothing.
    const std::string sealed = deter::with_list_checksum(text);
    REQUIRE_THAT(deter::list_checksum(sealed) == deter::list_checksum(text));
    REQUIRE_THAT(deter::with_list_checksum(sealed) == sealed);
    auto reparsed = deter::rules::parse_list("fuzz.list", sealed, limits);
    REQUIRE_THAT(reparsed.ok() || reparsed.error().code == deter::ErrorCode::limit);
    if (reparsed) REQUIRE_THAT(reparsed.value().entries.size() == parsed.value().entries.size());
  }

  if (selector >= 224) {
    auto filter = deter::Filter::from_sources({{"fuzz.list", std::string(text)}}, options);
    if (!filter) {
      check_error(filter.error(), "fuzz.list");
      // The compiler sees what the parser accepted; a parse error must stay one.
      if (!parsed) REQUIRE_THAT(filter.error().code == parsed.error().code);
    } else {
      REQUIRE_THAT(parsed.ok());
      REQUIRE_THAT(filter.value().entry_count() == parsed.value().entries.size());
      // The list's own examples are queries too.
      for (const deter::ExampleResult& r : filter.value().run_examples()) (void)r;
    }
  }
  return 0;
}
