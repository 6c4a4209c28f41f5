// The decision stage alone (policy/decide.h), on occurrences written by
// hand: rules, negations, exceptions of both scopes, ties, and what a cap on
// occurrences does. No list is parsed and nothing is scanned.
#include "policy/decide.h"

#include <catch2/catch.hpp>

using namespace deter;
using deter::policy::Evidence;
using deter::policy::Occurrence;

namespace {

rules::Entry make(rules::EntryKind kind, const char* id, Action action, std::uint8_t severity,
                  std::vector<bool> negated = {false}, bool query_scope = false) {
  rules::Entry e;
  e.kind = kind;
  e.id = id;
  e.action = action;
  e.severity = severity;
  e.category = std::string("cat-") + id;
  e.locale = "en";
  e.query_scope = query_scope;
  for (bool n : negated) {
    rules::Pattern p;
    p.negated = n;
    e.patterns.push_back(p);
  }
  return e;
}

using K = rules::EntryKind;

// Entry indices, as used in the rows below.
enum : std::uint32_t {
  kPrompt,       // a pattern, prompt, severity 1
  kBlock,        // a pattern, block, severity 2
  kBlockSevere,  // a pattern, block, severity 5
  kBlockToo,     // a pattern, block, severity 2 (ties with kBlock)
  kInform,       // a pattern, inform
  kRuleAnd,      // rule: part 0 & part 1, prompt
  kRuleAndNot,   // rule: part 0 & !part 1, block
  kException,    // @@, overlap scope
  kQueryScope,   // @@ $scope=query
  kWide,         // a rule of three parts: 0 & !1 & 2, prompt
};

// The entries as written; table() as the filter holds them.
const std::vector<rules::Entry>& entry_list() {
  static const std::vector<rules::Entry> entries = {
      make(K::pattern, "prompt", Action::prompt, 1),
      make(K::pattern, "block", Action::block, 2),
      make(K::pattern, "severe", Action::block, 5),
      make(K::pattern, "block2", Action::block, 2),
      make(K::pattern, "inform", Action::inform, 1),
      make(K::rule, "and", Action::prompt, 1, {false, false}),
      make(K::rule, "andnot", Action::block, 1, {false, true}),
      make(K::exception, "exc", Action::allow, 1),
      make(K::exception, "qexc", Action::allow, 1, {false}, true),
      make(K::rule, "wide", Action::prompt, 1, {false, true, false}),
  };
  return entries;
}

rules::EntryTable table_of(const std::vector<rules::Entry>& entries) {
  rules::EntryTable t;
  for (const rules::Entry& e : entries) t.add(e, true);
  return t;
}

const rules::EntryTable& table() {
  static const rules::EntryTable entries = table_of(entry_list());
  return entries;
}

Occurrence at(std::uint32_t entry, std::size_t begin, std::size_t end, std::uint32_t part = 0,
              View view = View::base) {
  return Occurrence{entry, part, view, begin, end, ViewSet()};
}

// "id@begin-end" of each match, in order.
std::string spans(const std::vector<Match>& matches) {
  std::string out;
  for (const Match& m : matches) {
    if (!out.empty()) out += ' ';
    out += std::string(m.entry_id) + "@" + std::to_string(m.begin) + "-" + std::to_string(m.end);
  }
  return out;
}

Decision run(const Evidence& ev, bool explain = false) {
  static const policy::MessageTable messages;
  CheckOptions o;
  o.explain = explain;
  Decision d;
  policy::decide(policy::Tables{table(), messages}, ev, std::string(64, 'x'), o, d);
  return d;
}

struct Row {
  const char* what;
  std::vector<Occurrence> occurrences;
  std::vector<std::uint32_t> capped;
  Action action;
  const char* matches;
};

}  // namespace

TEST_CASE("decide: rules, exceptions, winner and the cap", "[policy]") {
  auto row = GENERATE(values<Row>({
      {"nothing", {}, {}, Action::allow, ""},
      {"one pattern", {at(kPrompt, 3, 8)}, {}, Action::prompt, "prompt@3-8"},
      {"the first occurrence stands for its entry",
       {at(kPrompt, 9, 12), at(kPrompt, 3, 8)},
       {},
       Action::prompt,
       "prompt@3-8"},
      {"the base view before others",
       {at(kPrompt, 0, 4, 0, View::leet), at(kPrompt, 10, 14)},
       {},
       Action::prompt,
       "prompt@10-14"},
      // rules
      {"a rule with every part",
       {at(kRuleAnd, 10, 12, 1), at(kRuleAnd, 2, 5, 0)},
       {},
       Action::prompt,
       "and@2-12"},
      {"a rule missing a part",
       {at(kRuleAnd, 2, 5, 0), at(kRuleAnd, 9, 12, 0)},
       {},
       Action::allow,
       ""},
      {"a rule whose negated part is absent",
       {at(kRuleAndNot, 2, 5, 0)},
       {},
       Action::block,
       "andnot@2-5"},
      {"a rule whose negated part is present",
       {at(kRuleAndNot, 2, 5, 0), at(kRuleAndNot, 20, 25, 1)},
       {},
       Action::allow,
       ""},
      {"a negated part does not widen the span",
       {at(kWide, 2, 5, 0), at(kWide, 8, 9, 2), at(kWide, 30, 35, 2)},
       {},
       Action::prompt,
       "wide@2-35"},
      {"a negated middle part",
       {at(kWide, 2, 5, 0), at(kWide, 6, 7, 1), at(kWide, 8, 9, 2)},
       {},
       Action::allow,
       ""},
      {"a rule is one span in its highest view",
       {at(kRuleAnd, 2, 5, 0), at(kRuleAnd, 7, 9, 1, View::squeeze)},
       {},
       Action::prompt,
       "and@2-9"},
      // exceptions
      {"an overlapping exception", {at(kBlock, 3, 8), at(kException, 0, 4)}, {}, Action::allow, ""},
      {"an adjacent exception does not overlap",
       {at(kBlock, 3, 8), at(kException, 8, 12)},
       {},
       Action::block,
       "block@3-8"},
      {"an exception on one occurrence, not the other",
       {at(kBlock, 3, 8), at(kException, 0, 10), at(kBlock, 20, 25)},
       {},
       Action::block,
       "block@20-25"},
      {"an exception over a rule's span",
       {at(kRuleAnd, 2, 5, 0), at(kRuleAnd, 20, 22, 1), at(kException, 10, 12)},
       {},
       Action::allow,
       ""},
      {"a query-scope exception anywhere",
       {at(kBlock, 3, 8), at(kQueryScope, 40, 44)},
       {},
       Action::allow,
       ""},
      // the winner
      {"the highest action",
       {at(kInform, 0, 2), at(kPrompt, 3, 5), at(kBlock, 6, 8)},
       {},
       Action::block,
       "inform@0-2 prompt@3-5 block@6-8"},
      {"a tie on action: the higher severity",
       {at(kBlock, 0, 2), at(kBlockSevere, 6, 8)},
       {},
       Action::block,
       "block@0-2 severe@6-8"},
      {"a tie on action and severity: the earliest",
       {at(kBlockToo, 6, 8), at(kBlock, 0, 2)},
       {},
       Action::block,
       "block@0-2 block2@6-8"},
      // the cap
      {"capped, one kept occurrence free",
       {at(kBlock, 3, 8), at(kException, 0, 10), at(kBlock, 30, 35)},
       {kBlock},
       Action::block,
       "block@30-35"},
      {"capped, every kept occurrence under an exception: counts",
       {at(kBlock, 3, 8), at(kException, 0, 10), at(kBlock, 13, 18), at(kException, 12, 20)},
       {kBlock},
       Action::block,
       "block@3-8"},
      {"not capped, every occurrence under an exception",
       {at(kBlock, 3, 8), at(kException, 0, 10), at(kBlock, 13, 18), at(kException, 12, 20)},
       {},
       Action::allow,
       ""},
      {"capped exception: its kept occurrences still suppress",
       {at(kException, 0, 10), at(kBlock, 3, 8)},
       {kException},
       Action::allow,
       ""},
      {"capped, under a query-scope exception: stays suppressed",
       {at(kBlock, 3, 8), at(kQueryScope, 40, 44)},
       {kBlock},
       Action::allow,
       ""},
      {"a capped rule is weighed on its kept parts",
       {at(kRuleAnd, 2, 5, 0), at(kRuleAnd, 20, 22, 1), at(kException, 10, 12)},
       {kRuleAnd},
       Action::allow,
       ""},
  }));
  CAPTURE(row.what);
  Evidence ev;
  ev.occurrences = row.occurrences;
  ev.capped_entries = row.capped;
  const Decision d = run(ev);
  CHECK(d.action == row.action);
  CHECK(spans(d.matches) == row.matches);
  CHECK(d.has_flag(kFlagCapped) == !row.capped.empty());
  if (!d.matches.empty()) {
    const Match* w = &d.matches.front();
    for (const Match& m : d.matches) {
      if (m.action > w->action || (m.action == w->action && m.severity > w->severity)) w = &m;
    }
    CHECK(d.category == w->category);
    CHECK(d.severity == w->severity);
  } else {
    CHECK(d.category.empty());
  }
  CHECK(d.occurrences.empty());
  CHECK(d.suppressed.empty());
}

TEST_CASE("decide: explain reports occurrences and what suppressed what", "[policy]") {
  Evidence ev;
  ev.occurrences = {at(kBlock, 3, 8), at(kException, 0, 4), at(kPrompt, 10, 12),
                    at(kQueryScope, 20, 22)};
  Decision d = run(ev, true);
  CHECK(d.action == Action::allow);
  CHECK(d.occurrences.size() == 4);
  CHECK(spans(d.suppressed) == "block@3-8 prompt@10-12");
  for (const Match& m : d.suppressed) CHECK(m.suppressed_by == "qexc");

  ev.occurrences = {at(kBlock, 3, 8), at(kException, 0, 4), at(kBlock, 20, 22)};
  d = run(ev, true);
  CHECK(spans(d.matches) == "block@20-22");
  CHECK(d.suppressed.empty());  // an entry with a match is not also suppressed

  ev.occurrences = {at(kBlock, 3, 8), at(kException, 0, 4)};
  d = run(ev, true);
  REQUIRE(d.suppressed.size() == 1);
  CHECK(d.suppressed[0].suppressed_by == "exc");
}

TEST_CASE("decide: the winner's message", "[policy]") {
  std::vector<rules::Entry> written = entry_list();
  written[kBlock].message = "special";
  const rules::EntryTable entries = table_of(written);
  policy::MessageTable messages;
  messages["special"] = {Message{"special", "hi", "HI", "", {}},
                         Message{"special", "en", "EN", "", {}}};
  messages["prompt.default"] = {Message{"prompt.default", "en", "P", "", {}}};
  Evidence ev;
  ev.occurrences = {at(kBlock, 0, 3), at(kPrompt, 4, 6)};
  auto title = [&](std::string_view query, const char* locale) -> std::string {
    CheckOptions o;
    o.locale = locale;
    Decision d;
    policy::decide(policy::Tables{entries, messages}, ev, query, o, d);
    return d.message ? d.message->title + "/" + std::string(d.message_key) : "(none)";
  };
  CHECK(title("abc de", "") == "EN/special");
  CHECK(title("abc de", "hi-IN") == "HI/special");
  CHECK(title("\xE0\xA4\x95 de", "") == "HI/special");  // Devanagari text: Hindi
  ev.occurrences = {at(kPrompt, 4, 6)};
  CHECK(title("abc de", "hi") == "P/prompt.default");
  ev.occurrences = {at(kInform, 4, 6)};
  CHECK(title("abc de", "") == "(none)");  // no inform message defined
}
