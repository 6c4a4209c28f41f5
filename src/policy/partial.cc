// Typeahead: Filter::check_partial and Filter::filter_suggestions.
//
// A query typed one keystroke at a time heads into an entry when its end,
// in some view, is the beginning of the entry's literal: the earlier words
// of the entry typed in full, the last one begun ("forbidden orc" into
// " forbidden orchard "). The query's views are built as check() builds
// them; for each word start near the end of each section, the completion
// index (match/completion_index.h) lists the literals that the rest of the
// section begins. Each entry found is then decided the way check() would
// decide the text with its last words completed into the entry: the text up
// to where the tail began, followed by the entry's pattern. Running the
// whole check() on that completion is what keeps rules, negated parts,
// exceptions, the entry's views and its message exactly as check() has them.
#include <algorithm>

#include "filter_impl.h"
#include "policy/scan.h"
#include "text/views.h"

namespace deter {
namespace {

// Completions decided per check_partial call, most severe entry first. A
// text heads into few entries once it is min_partial_chars long; the bound
// keeps a short tail of a huge list from costing hundreds of checks.
constexpr std::size_t kMaxCompletions = 32;

struct Candidate {
  std::uint32_t entry = 0;
  std::uint32_t pattern = 0;
  std::string_view completion;  // the entry's base form, into the index
  std::size_t begin = 0;        // the typed tail [begin, end) of the text
  std::size_t end = 0;
};

struct PartialScratch {
  text::QueryViews views;
  std::vector<Candidate> candidates;
  std::string completion;
};

PartialScratch& partial_scratch() {
  static thread_local PartialScratch scratch;
  return scratch;
}

// What the minimum length counts: the code points typed, spaces left out.
std::size_t typed_chars(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80 && b != ' ' && b != '\t') ++n;
  }
  return n;
}

bool outranks(const Decision& a, const Decision& b) {
  if (a.action != b.action) return a.action > b.action;
  return a.severity > b.severity;
}

bool outranks(const rules::EntryRef& e, const Decision& d) {
  if (e.action != d.action) return e.action > d.action;
  return e.severity > d.severity;
}

// The completion's spans past the start of the tail point into text the
// caller did not type: they cover the tail as typed instead.
void clamp_spans(std::vector<Match>& matches, const Candidate& c) {
  for (Match& m : matches) {
    if (m.begin > c.begin) m.begin = std::min(m.begin, c.begin);
    if (m.end > c.begin) m.end = c.end;
    if (m.begin > m.end) m.begin = m.end;
  }
}

}  // namespace

void FilterImpl::build_completions(const Patterns& patterns) {
  completions.clear();
  // A completion is written in the base form: a file saved without its
  // sources keeps no pattern text, and check() reads the base form in every
  // view the entry has.
  // Found by one pass over the atoms, in runs of one entry's pattern (the
  // order compile() makes them in; a hash map of (entry, pattern) cost a
  // tenth of loading a compiled file): first each atom's literal, then, for
  // the whole run, the first base-view literal of the run, trimmed.
  std::vector<std::string_view> base(atoms.size());
  for (const match::LiteralPattern& l : patterns.literals) {
    if (l.id < atoms.size()) base[l.id] = l.text;
  }
  for (std::size_t run = 0, i = 1; run < atoms.size(); ++i) {
    if (i < atoms.size() && atoms[i].entry == atoms[run].entry &&
        atoms[i].pattern == atoms[run].pattern) {
      continue;
    }
    std::string_view text;
    for (std::size_t j = run; j < i; ++j) {
      if (atoms[j].view == View::base && !base[j].empty()) {
        text = base[j];
        break;
      }
    }
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    for (std::size_t j = run; j < i; ++j) base[j] = text;
    run = i;
  }
  for (const match::LiteralPattern& l : patterns.literals) {
    if (l.id >= atoms.size()) continue;
    const Atom& a = atoms[l.id];
    if (a.regex || a.entry >= entries.size()) continue;
    const rules::EntryRef e = entries[a.entry];
    // Exceptions and negated parts only ever lower a decision: the
    // completion's check() applies them.
    if (e.kind == rules::EntryKind::exception ||
        (a.pattern < e.patterns.size() && e.patterns[a.pattern].negated)) {
      continue;
    }
    const std::string_view completion = base[l.id];
    if (completion.empty()) continue;
    completions.add(l.text, l.id, completion);
  }
  completions.finish();
}

Decision FilterImpl::check_partial(std::string_view text, const CheckOptions& options,
                                   const std::shared_ptr<const FilterImpl>& self) const noexcept {
  Decision best = check(text, options, self);
  // A truncated text's last word was not read; a failed check has its
  // answer already.
  if ((best.flags & (kFlagTruncated | kFlagInternalError)) != 0 || completions.empty()) {
    return best;
  }
  try {
    PartialScratch& s = partial_scratch();
    s.candidates.clear();
    // The fuzzy view corrects whole words only; a word being typed is not one.
    s.views.build(text, scan_views.without(View::fuzzy));
    for (std::size_t i = 0; i < s.views.section_count(); ++i) {
      const text::Section& sec = s.views.section(i);
      std::string_view t = s.views.section_text(i);
      while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
      if (t.empty()) continue;
      // Each word start from the last back, while the tail could still
      // begin a literal.
      for (std::size_t p = t.rfind(' '); p != std::string_view::npos;
           p = p == 0 ? std::string_view::npos : t.rfind(' ', p - 1)) {
        if (t.size() - p > completions.longest()) break;
        const std::size_t next = t.find(' ', p + 1);
        if (next != std::string_view::npos &&
            !completions.has_first_word(t.substr(p + 1, next - p - 1))) {
          continue;
        }
        const std::span<const match::CompletionIndex::Item> found =
            completions.starting_with(t.substr(p));
        if (found.empty() || p + 1 >= t.size()) continue;
        const auto [ob, oe] = s.views.original_span(i, p + 1, t.size());
        if (oe <= ob || typed_chars(text.substr(ob, oe - ob)) < options.min_partial_chars) continue;
        for (const match::CompletionIndex::Item& item : found) {
          const Atom& a = atoms[item.atom];
          if (!policy::counts(a, entries[a.entry], sec, s.views.present())) continue;
          s.candidates.push_back(
              Candidate{a.entry, a.pattern, completions.completion(item), ob, oe});
        }
      }
    }
    std::vector<Candidate>& cs = s.candidates;
    std::sort(cs.begin(), cs.end(), [this](const Candidate& a, const Candidate& b) {
      const rules::EntryRef ea = entries[a.entry];
      const rules::EntryRef eb = entries[b.entry];
      if (ea.action != eb.action) return ea.action > eb.action;
      if (ea.severity != eb.severity) return ea.severity > eb.severity;
      if (a.entry != b.entry) return a.entry < b.entry;
      if (a.pattern != b.pattern) return a.pattern < b.pattern;
      return a.begin < b.begin;
    });
    cs.erase(std::unique(cs.begin(), cs.end(),
                         [](const Candidate& a, const Candidate& b) {
                           return a.entry == b.entry && a.pattern == b.pattern &&
                                  a.begin == b.begin;
                         }),
             cs.end());
    std::size_t decided = 0;
    for (const Candidate& c : cs) {
      // Sorted most severe first: once none can outrank, none will.
      if (!outranks(entries[c.entry], best) || decided == kMaxCompletions) break;
      ++decided;
      s.completion.assign(text.substr(0, c.begin));
      s.completion += c.completion;
      Decision d = check(s.completion, options, self);
      if ((d.flags & kFlagInternalError) != 0 || !outranks(d, best)) continue;
      clamp_spans(d.matches, c);
      clamp_spans(d.suppressed, c);
      clamp_spans(d.occurrences, c);
      d.flags = (d.flags & ~kFlagTruncated) | (best.flags & kFlagInvalidUtf8);
      best = std::move(d);
    }
  } catch (...) {
    // Out of memory: the full decision stands (the partial one is never lower).
  }
  return best;
}

Decision Filter::check_partial(std::string_view text, const CheckOptions& options) const noexcept {
  return impl()->check_partial(text, options, impl());
}

std::vector<std::string_view> Filter::filter_suggestions(
    std::string_view typed, const std::vector<std::string_view>& candidates,
    const CheckOptions& options) const noexcept {
  std::vector<std::string_view> shown;
  try {
    if (check_partial(typed, options).action >= options.withhold_from) return shown;
    shown.reserve(candidates.size());
    for (const std::string_view c : candidates) {
      if (check(c, options).action < options.withhold_from) shown.push_back(c);
    }
  } catch (...) {
    // Out of memory: show nothing rather than something unchecked.
    shown.clear();
  }
  return shown;
}

}  // namespace deter
