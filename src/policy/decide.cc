// Stage 3 of check(): occurrences -> rules, exceptions, the winning action
// and its message.
//
// When occurrences were left out (Evidence::capped_entries; scan.h), the
// decision must never come out lower than it would with all of them, or a
// query could lower its own decision by repeating text. Each piece of
// evidence is either exact under the cap or errs upward:
//   - A rule part is hit when any occurrence of it is kept, and every atom
//     keeps at least one, so which rules fire is exact. A rule's span is the
//     hull of its kept positive parts, inside the true hull: it overlaps no
//     exception the true one would not, so it is never suppressed wrongly.
//   - A query-scope exception depends only on being hit at all: exact.
//   - Fewer exception occurrences can only suppress less: upward.
//   - A pattern entry matches when one of its occurrences overlaps no
//     exception. A kept one that does not is a match (upward, if the
//     exception covering it was left out). But if every kept occurrence is
//     suppressed, a left-out one may not have been: an exception may cover
//     the first repeats and not a later one. So a capped pattern entry
//     whose kept occurrences all sit under exceptions counts as matched.
// Hence with the cap the answer is at least the exact one, equal to it
// when nothing was left out, and kFlagCapped says that it may be above.
#include "policy/decide.h"

#include <algorithm>
#include <bit>

#include "text/scripts.h"
#include "text/utf8.h"

namespace deter::policy {
namespace {

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

bool overlaps(const Occurrence& a, const Occurrence& b) {
  return a.begin < b.end && b.begin < a.end;
}

Match to_match(const rules::EntryRef& e, const Occurrence& o) {
  Match m;
  m.entry_id = e.id;
  m.entry_index = o.entry;
  m.category = e.category;
  m.action = e.action;
  m.severity = e.severity;
  m.view = o.view;
  // A match through the fuzzy view alone (a typo) goes no higher than the
  // entry allows, prompt by default: a corrected word is a guess.
  if (o.view == View::fuzzy && e.fuzzy_action < m.action) m.action = e.fuzzy_action;
  m.folds = o.folds == ViewSet() ? ViewSet::only(o.view) : o.folds;
  m.begin = o.begin;
  m.end = o.end;
  return m;
}

bool is_kind(const Tables& t, const Occurrence& o, rules::EntryKind kind) {
  return o.entry < t.entries.size() && t.entries[o.entry].kind == kind;
}

// The rules that fire, each as one candidate spanning its positive parts
// (in the highest view any of them was found in), appended to `out`.
void fire_rules(const Tables& t, const Evidence& ev, std::vector<Occurrence>& parts,
                std::vector<Occurrence>& out) {
  parts.clear();
  for (const Occurrence& o : ev.occurrences) {
    if (is_kind(t, o, rules::EntryKind::rule)) parts.push_back(o);
  }
  if (parts.empty()) return;
  std::sort(parts.begin(), parts.end(), [](const Occurrence& a, const Occurrence& b) {
    return a.entry != b.entry ? a.entry < b.entry : a.part < b.part;
  });
  for (std::size_t i = 0; i < parts.size();) {
    const std::uint32_t ei = parts[i].entry;
    std::size_t end = i;
    while (end < parts.size() && parts[end].entry == ei) ++end;
    const std::span<const rules::PatternRef> patterns = t.entries[ei].patterns;
    Occurrence hull{ei, 0, View::base, std::string_view::npos, 0, ViewSet()};
    bool fires = true;
    std::size_t k = i;
    for (std::uint32_t pi = 0; pi < patterns.size() && fires; ++pi) {
      bool hit = false;
      for (; k < end && parts[k].part == pi; ++k) {
        hit = true;
        if (patterns[pi].negated) continue;
        hull.begin = std::min(hull.begin, parts[k].begin);
        hull.end = std::max(hull.end, parts[k].end);
        hull.view = std::max(hull.view, parts[k].view);
        for (unsigned b = parts[k].folds.bits(); b != 0; b &= b - 1) {
          hull.folds = hull.folds.with(static_cast<View>(std::countr_zero(b)));
        }
      }
      fires = patterns[pi].negated ? !hit : hit;
    }
    if (fires && hull.begin < hull.end) out.push_back(hull);
    i = end;
  }
}

// Keeps, of each entry, the occurrence first in `candidates` order (the
// pointers all point into that one sorted array), and orders them by entry.
template <class T, class Of>
void first_per_entry(std::vector<T>& v, Of occurrence_of) {
  std::sort(v.begin(), v.end(), [&](const T& a, const T& b) {
    const Occurrence* x = occurrence_of(a);
    const Occurrence* y = occurrence_of(b);
    return x->entry != y->entry ? x->entry < y->entry : x < y;
  });
  v.erase(std::unique(v.begin(), v.end(),
                      [&](const T& a, const T& b) {
                        return occurrence_of(a)->entry == occurrence_of(b)->entry;
                      }),
          v.end());
}

// Whether v[0, n), sorted by entry, holds an occurrence of o's entry.
bool holds_entry(const std::vector<const Occurrence*>& v, std::size_t n, const Occurrence* o) {
  return std::binary_search(
      v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), o,
      [](const Occurrence* a, const Occurrence* b) { return a->entry < b->entry; });
}

// The buffers of one decision, reused by the thread: a decision on a few
// hits then allocates only what it returns.
struct Work {
  std::vector<Occurrence> candidates;
  std::vector<Occurrence> parts;
  std::vector<const Occurrence*> exceptions;  // in scan order
  std::vector<const Occurrence*> by_begin;    // the same, by where they begin
  std::vector<std::size_t> reach;             // the furthest end of by_begin[0, i]
  std::vector<const Occurrence*> unsuppressed;
  std::vector<std::pair<const Occurrence*, std::uint32_t>> suppressed;  // and by which exception
};

Work& thread_work() {
  static thread_local Work work;
  work.candidates.clear();
  work.exceptions.clear();
  work.unsuppressed.clear();
  work.suppressed.clear();
  return work;
}

}  // namespace

const Message* find_message(const MessageTable& messages, std::string_view key,
                            std::string_view caller_locale, std::string_view script,
                            std::string_view entry_locale) {
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

void decide(const Tables& t, const Evidence& ev, std::string_view query,
            const CheckOptions& options, Decision& d) {
  const rules::EntryTable& entries = t.entries;
  if (options.explain) {
    for (const Occurrence& o : ev.occurrences) {
      if (o.entry < entries.size()) d.occurrences.push_back(to_match(entries[o.entry], o));
    }
  }
  if (!ev.capped_entries.empty()) d.flags |= kFlagCapped;

  // Candidates: pattern occurrences and fired rules. Exceptions, in scan order.
  Work& work = thread_work();
  std::vector<Occurrence>& candidates = work.candidates;
  std::vector<const Occurrence*>& exceptions = work.exceptions;
  const Occurrence* query_exception = nullptr;
  for (const Occurrence& o : ev.occurrences) {
    if (is_kind(t, o, rules::EntryKind::pattern)) {
      candidates.push_back(o);
    } else if (is_kind(t, o, rules::EntryKind::exception)) {
      if (entries[o.entry].query_scope && query_exception == nullptr) query_exception = &o;
      exceptions.push_back(&o);
    }
  }
  fire_rules(t, ev, work.parts, candidates);

  // Base-view occurrences first: when an entry is found in several views,
  // the plainest reading stands for it, and one view before a composition;
  // a typo (the fuzzy view) last, since it is a guess and capped. A joined
  // match is the query as typed (its joined view is its base form), so it
  // ranks as base: "#ForbiddenOrchard" is joined, though its squeeze
  // section meets the entry's joined form squeezed too.
  auto plainness = [](View v) { return v == View::joined ? View::base : v; };
  std::sort(candidates.begin(), candidates.end(), [&](const Occurrence& a, const Occurrence& b) {
    const bool fa = a.view == View::fuzzy;
    const bool fb = b.view == View::fuzzy;
    if (fa != fb) return fb;
    if (a.folds != b.folds) return a.folds.bits() < b.folds.bits();
    if (plainness(a.view) != plainness(b.view)) return plainness(a.view) < plainness(b.view);
    if (a.view != b.view) return a.view < b.view;
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.entry != b.entry ? a.entry < b.entry : a.end < b.end;
  });
  // Whether a candidate overlaps an exception is a binary search: the
  // exceptions by where they begin, with the furthest end reached so far.
  // Which exception it was (the first in scan order) is looked for only
  // when explaining, so that no list and query can make a check quadratic.
  std::vector<const Occurrence*>& by_begin = work.by_begin;
  std::vector<std::size_t>& reach = work.reach;
  by_begin.assign(exceptions.begin(), exceptions.end());
  std::sort(by_begin.begin(), by_begin.end(),
            [](const Occurrence* a, const Occurrence* b) { return a->begin < b->begin; });
  reach.resize(by_begin.size());
  for (std::size_t i = 0; i < by_begin.size(); ++i) {
    reach[i] = std::max(i == 0 ? 0 : reach[i - 1], by_begin[i]->end);
  }
  std::vector<const Occurrence*>& unsuppressed = work.unsuppressed;
  auto& suppressed = work.suppressed;  // and by which exception
  for (const Occurrence& c : candidates) {
    const Occurrence* by = query_exception;
    if (by == nullptr) {
      const auto k = static_cast<std::size_t>(
          std::partition_point(by_begin.begin(), by_begin.end(),
                               [&](const Occurrence* x) { return x->begin < c.end; }) -
          by_begin.begin());
      if (k > 0 && reach[k - 1] > c.begin) {
        by = by_begin[k - 1];
        for (std::size_t x = 0; options.explain && x < exceptions.size(); ++x) {
          if (overlaps(c, *exceptions[x])) {
            by = exceptions[x];
            break;
          }
        }
      }
    }
    if (by == nullptr) {
      unsuppressed.push_back(&c);
    } else {
      suppressed.emplace_back(&c, by->entry);
    }
  }
  // The first unsuppressed occurrence stands for its entry.
  const auto occurrence = [](const Occurrence* o) { return o; };
  first_per_entry(unsuppressed, occurrence);
  // See the top of this file: a capped pattern entry with no occurrence
  // kept free counts, at its first one. Only positions can be wrong, so an
  // entry a query-scope exception suppressed stays suppressed.
  if (!ev.capped_entries.empty() && query_exception == nullptr) {
    const std::size_t free = unsuppressed.size();
    for (const auto& [o, by] : suppressed) {
      if (entries[o->entry].kind == rules::EntryKind::pattern &&
          std::binary_search(ev.capped_entries.begin(), ev.capped_entries.end(), o->entry) &&
          !holds_entry(unsuppressed, free, o)) {
        unsuppressed.push_back(o);
      }
    }
    if (unsuppressed.size() != free) first_per_entry(unsuppressed, occurrence);
  }
  for (const Occurrence* o : unsuppressed) d.matches.push_back(to_match(entries[o->entry], *o));

  if (options.explain) {
    // An entry with an unsuppressed occurrence is not reported as suppressed.
    first_per_entry(suppressed, [](const auto& s) { return s.first; });
    for (const auto& [o, by] : suppressed) {
      if (holds_entry(unsuppressed, unsuppressed.size(), o)) continue;
      Match m = to_match(entries[o->entry], *o);
      m.suppressed_by = entries[by].id;
      d.suppressed.push_back(m);
    }
  }
  auto by_position = [](const Match& a, const Match& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.entry_id < b.entry_id;
  };
  std::sort(d.matches.begin(), d.matches.end(), by_position);
  std::sort(d.suppressed.begin(), d.suppressed.end(), by_position);
  if (d.matches.empty()) return;

  const Match* winner = &d.matches.front();
  for (const Match& m : d.matches) {
    if (m.action > winner->action ||
        (m.action == winner->action && m.severity > winner->severity)) {
      winner = &m;
    }
  }
  const rules::EntryRef we = entries[winner->entry_index];
  d.action = winner->action;
  d.category = winner->category;
  d.severity = winner->severity;
  if (d.action == Action::allow) return;
  std::string_view key = we.message;
  std::string fallback;
  // A match capped below its entry's action (the fuzzy view) gets the
  // message of the action it answers, not the entry's own.
  if (key.empty() || winner->action != we.action) {
    fallback = std::string(to_string(d.action)) + ".default";
    key = fallback;
  }
  const std::string_view matched_text =
      winner->begin < query.size() ? query.substr(winner->begin, winner->end - winner->begin)
                                   : std::string_view();
  d.message = find_message(t.messages, key, options.locale, script_locale(matched_text), we.locale);
  if (d.message) d.message_key = d.message->key;
}

}  // namespace deter::policy
