// The compiled form of a list set behind deter::Filter.
#ifndef DETER_FILTER_IMPL_H_
#define DETER_FILTER_IMPL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "deter/filter.h"
#include "match/database.h"
#include "rules/list.h"

namespace deter {

// One compiled pattern of one entry in one view: the unit Hyperscan reports.
// Its id in the databases is its index in FilterImpl::atoms.
struct Atom {
  std::uint32_t entry = 0;    // index into FilterImpl::entries
  std::uint16_t pattern = 0;  // index into Entry::patterns
  View view = View::base;
  bool regex = false;
  std::uint32_t length = 0;   // literal length in bytes (0 for regexes)
  bool pad_front = false;     // the literal starts with the padding space
  bool pad_back = false;      // the literal ends with the padding space
};

class FilterImpl {
 public:
  FilterOptions options;
  std::vector<rules::Entry> entries;
  std::vector<Atom> atoms;
  match::PatternDatabase database;
  // message key -> one Message per locale
  std::map<std::string, std::vector<Message>, std::less<>> messages;
  std::vector<Example> examples;
  std::vector<ListInfo> lists;
  std::string content_hash;
  bool has_exceptions = false;
  // The views any entry uses: the query views that are built and scanned.
  ViewSet scan_views = ViewSet::only(View::base);

  // Parses and compiles; the only way a FilterImpl is made from sources.
  static Result<std::shared_ptr<FilterImpl>> compile(
      const std::vector<std::pair<std::string, std::string>>& files, const FilterOptions& options);

  Decision check(std::string_view query, const CheckOptions& options,
                 const std::shared_ptr<const FilterImpl>& self) const noexcept;

  const Message* find_message(std::string_view key, std::string_view caller_locale,
                              std::string_view script_locale, std::string_view entry_locale) const;
};

}  // namespace deter

#endif  // DETER_FILTER_IMPL_H_
