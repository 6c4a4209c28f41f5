// From a query to a Decision: normalize, scan, and, only when something was
// hit, map spans back to the query, evaluate rules and exceptions, and pick
// the winning action and its message.
#include <algorithm>

#include "filter_impl.h"
#include "text/normalize.h"
#include "text/scripts.h"
#include "text/utf8.h"
#include "text/views.h"

namespace deter {
namespace {

// Occurrences recorded per query; beyond this the scan stops (a query made
// of one entry repeated thousands of times needs no more evidence).
constexpr std::size_t kMaxHits = 1024;

struct Hit {
  unsigned atom;
  std::size_t from;  // as reported (regexes only)
  std::size_t to;
};

// Per-thread buffers, reused across calls so the no-match path never allocates.
struct ThreadState {
  text::QueryViews views;
  std::vector<Hit> hits;
  ThreadState() { hits.reserve(64); }
};

ThreadState& thread_state() {
  static thread_local ThreadState state;
  return state;
}

// A match before suppression: entry, view and spans.
struct Found {
  std::uint32_t entry;
  View view;
  std::size_t begin;  // original query bytes
  std::size_t end;
};

// The locale suggested by the script of the matched text.
std::string_view script_locale(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    text::Decoded d = text::decode_utf8(s, i);
    switch (text::indic_script(d.cp)) {
      case text::IndicScript::devanagari:
        return "hi";
      case text::IndicScript::bengali:
        return "bn";
      case text::IndicScript::kannada:
        return "kn";
      case text::IndicScript::none:
        break;
    }
    i += d.size;
  }
  return {};
}

bool overlaps(const Found& a, const Found& b) { return a.begin < b.end && b.begin < a.end; }

// Whether a hit of atom `a` inside the section of view `section` counts.
// The entry must have that view on. An atom made for one view counts in
// that view's section, or in the base section when that view had no section
// of its own (the query's view equals its base form there). Base atoms stand
// for every view whose literal equals the base one, and joined atoms are
// matched against queries as they are, so both count in any section.
// Regexes run over the base view only.
bool counts(const Atom& a, const rules::Entry& e, View section, ViewSet present) {
  if (!e.views.has(section)) return false;
  if (a.regex) return section == View::base;
  if (a.view == View::base || a.view == View::joined || a.view == section) return true;
  return section == View::base && !present.has(a.view);
}

Match to_match(const rules::Entry& e, const Found& f) {
  Match m;
  m.entry_id = e.id;
  m.entry_index = f.entry;
  m.category = e.category;
  m.action = e.action;
  m.severity = e.severity;
  m.view = f.view;
  m.begin = f.begin;
  m.end = f.end;
  return m;
}

}  // namespace

const Message* FilterImpl::find_message(std::string_view key, std::string_view caller_locale,
                                        std::string_view script,
                                        std::string_view entry_locale) const {
  auto it = messages.find(key);
  if (it == messages.end() || it->second.empty()) return nullptr;
  const std::vector<Message>& all = it->second;
  auto find = [&](std::string_view locale) -> const Message* {
    if (locale.empty()) return nullptr;
    for (const Message& m : all) {
      if (m.locale == locale) return &m;
    }
    std::size_t dash = locale.find_first_of("-_");
    if (dash != std::string_view::npos) {
      std::string_view lang = locale.substr(0, dash);
      for (const Message& m : all) {
        if (m.locale == lang) return &m;
      }
    }
    return nullptr;
  };
  for (std::string_view candidate : {caller_locale, script, entry_locale, std::string_view("en")}) {
    if (const Message* m = find(candidate)) return m;
  }
  return &all.front();
}

Decision FilterImpl::check(std::string_view query, const CheckOptions& options_in,
                           const std::shared_ptr<const FilterImpl>& self) const noexcept {
  Decision d;
  try {
    if (query.size() > options.max_query_bytes) {
      query = query.substr(0, text::utf8_floor(query, options.max_query_bytes));
      d.flags |= kFlagTruncated;
    }
    ThreadState& st = thread_state();
    if (st.views.build(query, scan_views) & text::kInvalidUtf8) d.flags |= kFlagInvalidUtf8;
    st.hits.clear();
    std::vector<text::Token>& tokens = st.views.tokens();
    bool scanned =
        database.scan(st.views.scan_text(), tokens.data(), tokens.size(), st.views.base().size(),
                      [&st](unsigned id, std::size_t from, std::size_t to) {
                        st.hits.push_back(Hit{id, from, to});
                        return st.hits.size() < kMaxHits;
                      });
    if (!scanned) {
      d.flags |= kFlagInternalError;
      return d;
    }
    if (st.hits.empty()) return d;
    // Token literals, substrings and regexes are found in separate passes:
    // put the hits in one order, by where they end.
    std::sort(st.hits.begin(), st.hits.end(), [](const Hit& a, const Hit& b) {
      return a.to != b.to ? a.to < b.to : a.atom < b.atom;
    });

    // Something was hit: now, and only now, offset maps are built (by
    // original_span, on first use).
    text::QueryViews& views = st.views;

    std::vector<Found> found;                                         // pattern entries and rules
    std::vector<Found> exceptions;                                    // exception hits
    std::vector<std::pair<std::uint32_t, std::uint16_t>> rule_parts;  // (entry, pattern) hit
    std::vector<Found> rule_spans;
    bool query_exception = false;
    std::uint32_t query_exception_entry = 0;

    for (const Hit& h : st.hits) {
      const Atom& a = atoms[h.atom];
      const rules::Entry& e = entries[a.entry];
      const std::size_t hb = a.regex ? h.from : h.to - a.length;
      const int s = views.section_of(hb, h.to);
      if (s < 0) continue;
      const text::Section& sec = views.section(static_cast<std::size_t>(s));
      if (!counts(a, e, sec.view, views.present())) continue;
      const std::string_view mapped = views.section_text(static_cast<std::size_t>(s));
      std::size_t nb = hb - sec.begin;
      std::size_t ne = h.to - sec.begin;
      if (a.pad_front) ++nb;
      if (a.pad_back) --ne;
      // A prefix entry's span runs to the end of the word it starts.
      if (!a.regex && !a.pad_back && a.pad_front) {
        while (ne < mapped.size() && mapped[ne] != ' ') ++ne;
      }
      while (nb < ne && mapped[nb] == ' ') ++nb;
      while (ne > nb && mapped[ne - 1] == ' ') --ne;
      if (ne <= nb) continue;  // a regex that matched only spaces
      const auto [ob, oe] = views.original_span(static_cast<std::size_t>(s), nb, ne);
      if (oe <= ob) continue;
      const View view = sec.view == View::base ? a.view : sec.view;
      Found f{a.entry, view, ob, oe};
      if (options_in.explain) d.occurrences.push_back(to_match(e, f));
      switch (e.kind) {
        case rules::EntryKind::pattern:
          found.push_back(f);
          break;
        case rules::EntryKind::exception:
          if (e.query_scope && !query_exception) {
            query_exception = true;
            query_exception_entry = a.entry;
          }
          exceptions.push_back(f);
          break;
        case rules::EntryKind::rule:
          rule_parts.emplace_back(a.entry, a.pattern);
          if (!e.patterns[a.pattern].negated) rule_spans.push_back(f);
          break;
      }
    }

    if (!rule_parts.empty()) {
      std::sort(rule_parts.begin(), rule_parts.end());
      rule_parts.erase(std::unique(rule_parts.begin(), rule_parts.end()), rule_parts.end());
      std::vector<std::uint32_t> rules_hit;
      for (const auto& rp : rule_parts) rules_hit.push_back(rp.first);
      rules_hit.erase(std::unique(rules_hit.begin(), rules_hit.end()), rules_hit.end());
      for (std::uint32_t ei : rules_hit) {
        const rules::Entry& e = entries[ei];
        bool fires = true;
        for (std::uint16_t pi = 0; pi < e.patterns.size() && fires; ++pi) {
          bool hit =
              std::binary_search(rule_parts.begin(), rule_parts.end(), std::make_pair(ei, pi));
          fires = e.patterns[pi].negated ? !hit : hit;
        }
        if (!fires) continue;
        Found f{ei, View::base, std::string_view::npos, 0};
        for (const Found& s : rule_spans) {
          if (s.entry != ei) continue;
          f.begin = std::min(f.begin, s.begin);
          f.end = std::max(f.end, s.end);
          f.view = std::max(f.view, s.view);
        }
        found.push_back(f);
      }
    }

    // Base-view occurrences first: when an entry is found in several views,
    // the plainest reading stands for it.
    auto order = [](const Found& a, const Found& b) {
      if (a.view != b.view) return a.view < b.view;
      return a.begin != b.begin ? a.begin < b.begin : a.entry < b.entry;
    };
    std::sort(found.begin(), found.end(), order);
    for (const Found& f : found) {
      const Found* by = nullptr;
      std::uint32_t by_entry = 0;
      if (query_exception) {
        by = &f;
        by_entry = query_exception_entry;
      } else {
        for (const Found& x : exceptions) {
          if (overlaps(f, x)) {
            by = &x;
            by_entry = x.entry;
            break;
          }
        }
      }
      if (by == nullptr) {
        // The first unsuppressed occurrence stands for its entry.
        auto it = std::find_if(d.matches.begin(), d.matches.end(),
                               [&](const Match& m) { return m.entry_index == f.entry; });
        if (it == d.matches.end()) d.matches.push_back(to_match(entries[f.entry], f));
      } else if (options_in.explain) {
        Match m = to_match(entries[f.entry], f);
        m.suppressed_by = entries[by_entry].id;
        auto it = std::find_if(d.suppressed.begin(), d.suppressed.end(),
                               [&](const Match& s) { return s.entry_index == f.entry; });
        if (it == d.suppressed.end()) d.suppressed.push_back(m);
      }
    }
    // An entry with an unsuppressed occurrence is not reported as suppressed.
    std::erase_if(d.suppressed, [&](const Match& s) {
      return std::any_of(d.matches.begin(), d.matches.end(),
                         [&](const Match& m) { return m.entry_index == s.entry_index; });
    });
    auto by_position = [](const Match& a, const Match& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.entry_id < b.entry_id;
    };
    std::sort(d.matches.begin(), d.matches.end(), by_position);
    std::sort(d.suppressed.begin(), d.suppressed.end(), by_position);
    d.keep_alive = self;
    if (d.matches.empty()) return d;

    const Match* winner = &d.matches.front();
    for (const Match& m : d.matches) {
      if (m.action > winner->action ||
          (m.action == winner->action && m.severity > winner->severity)) {
        winner = &m;
      }
    }
    const rules::Entry* we = &entries[winner->entry_index];
    d.action = winner->action;
    d.category = winner->category;
    d.severity = winner->severity;
    if (d.action != Action::allow) {
      std::string_view key = we->message;
      std::string fallback;
      if (key.empty()) {
        fallback = std::string(to_string(d.action)) + ".default";
        key = fallback;
      }
      d.message = find_message(
          key, options_in.locale,
          script_locale(query.substr(winner->begin, winner->end - winner->begin)), we->locale);
      if (d.message) d.message_key = d.message->key;
    }
  } catch (...) {
    d.matches.clear();
    d.flags |= kFlagInternalError;
  }
  return d;
}

}  // namespace deter
