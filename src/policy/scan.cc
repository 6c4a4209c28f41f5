// Stages 1 and 2 of check(): scan the query's views, and map what was hit
// back to entries and to the query as typed.
#include "policy/scan.h"

#include <algorithm>

#include "text/fuzzy.h"
#include "text/normalize.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace deter::policy {

// Whether a hit of atom `a` inside section `sec` counts. The entry must
// have every fold of the section on: that view, or each view a composed
// section applied (so `$views=-leet` keeps "v4rjeet" from reaching the
// phonetic key of an entry through leet and phonetic together). An atom
// made for one view counts in a section that applied it, or in the base
// section when that view had no section of its own (the query's view
// equals its base form there). Base atoms stand for every view whose
// literal equals the base one, and joined atoms are matched against queries
// as they are, so both count in any section. Regexes run over the base
// view only. The fuzzy section's second part is the phonetic keys,
// corrected: phonetic atoms count there too.
bool counts(const Atom& a, const rules::EntryRef& e, const text::Section& sec, ViewSet present) {
  if ((e.views & sec.folds) != sec.folds) return false;
  if (a.regex) return sec.view == View::base;
  if (a.view == View::base || a.view == View::joined || sec.folds.has(a.view)) return true;
  if (sec.view == View::fuzzy && a.view == View::phonetic) return true;
  return sec.view == View::base && !present.has(a.view);
}

// A squeeze atom in a section of folds that come before squeeze (spaced,
// homoglyph, leet) and are not squeeze: when squeezing would change
// nothing of what it matched, the hit is the one a section of those folds
// and then squeeze would hold, so it counts as that reading. Such a
// section is written only when squeeze changes something of the query
// (add_composed); without this, "7anga perak" (leet) missed *tangga
// perak*'s squeezed form "tanga perak", which its leet section holds. The
// entry must have every fold on, squeeze too.
bool counts_squeezed(const Atom& a, const rules::EntryRef& e, const text::Section& sec,
                     std::string_view matched) {
  if (a.regex || a.view != View::squeeze || sec.view == View::base) return false;
  const ViewSet before = ViewSet::only(View::spaced).with(View::homoglyph).with(View::leet);
  if ((sec.folds & before) != sec.folds) return false;
  const ViewSet need = sec.folds.with(View::squeeze);
  return (e.views & need) == need && text::squeeze_keeps(matched);
}

namespace {

// Whether a joined atom (an entry's words run together, or that keyed or
// squeezed) that met the query word `typed` (bytes of the query as typed)
// as `matched` (the section's text) reads an ordinary word as the entry:
// the word is one word, a dictionary word (or one with an inflection,
// text/fuzzy.h), and not the letters matched, so only a fold, a key or a
// correction made it the entry's. ಚಂದ್ರಕಲಾ, a name, keys as "candrakal",
// as the Kannada entry ಚಂದ್ರ ಕಳ್ಳ (*moon thief*) run together does: the key
// reads long and short vowels and a doubled or retroflex l alike, which
// a word of two parts of real words meets by chance. A hashtag of the
// entry itself (#ಚಂದ್ರಕಳ್ಳ) is no dictionary word; a compound that is
// one, typed as the entry's words run together (सूर्यमुखी for सूर्य मुखी),
// is the letters matched. Asked only of a joined atom's hit, rare: the word's base form
// is written again into `work`. Never of an exception's hit: an exception
// reads broadly, since what it lets be is text that would otherwise prompt.
bool joined_reads_ordinary_word(std::string_view typed, std::string_view matched,
                                std::string& work) {
  text::normalize_base(typed, work);
  std::string_view word(work);
  while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
  while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
  if (word.empty() || word == matched || word.find(' ') != std::string_view::npos) return false;
  return text::is_ordinary_word(text::token_hash(word.data(), word.size()), word);
}

}  // namespace

void HitBuffer::sort_by_end() {
  // Token literals, substrings and regexes are found in separate passes:
  // put the hits in one order, by where they end.
  std::sort(hits_.begin(), hits_.end(), [](const Hit& a, const Hit& b) {
    return a.to != b.to ? a.to < b.to : a.atom < b.atom;
  });
}

HitBuffer::Slot& HitBuffer::slot(std::uint32_t atom) {
  if (2 * (used_ + 1) > slots_.size()) {
    std::vector<Slot> old(std::max<std::size_t>(64, 2 * slots_.size()));
    old.swap(slots_);
    used_ = 0;
    for (const Slot& s : old) {
      if (s.key != 0) slot(s.key - 1) = s;
    }
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(atom);
  while (slots_[i].key != 0 && slots_[i].key != atom + 1) i = (i + 1) & mask;
  if (slots_[i].key == 0) {
    slots_[i].key = atom + 1;
    ++used_;
  }
  return slots_[i];
}

HitBuffer::Slot* HitBuffer::find(std::uint32_t atom) {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(atom);; i = (i + 1) & mask) {
    if (slots_[i].key == atom + 1) return &slots_[i];
    if (slots_[i].key == 0) return nullptr;
  }
}

void HitBuffer::count(const Hit& h) {
  Slot& s = slot(h.atom);
  if (s.kept < kKeptPerAtom) {
    ++s.kept;
    hits_.push_back(h);
  } else if (s.kept == kKeptPerAtom) {
    ++s.kept;
    capped_.push_back(h.atom);
  }
}

void HitBuffer::start_counting() {
  counting_ = true;
  std::vector<Hit> first;
  first.swap(hits_);
  hits_.reserve(first.size());
  for (const Hit& h : first) count(h);
}

void HitBuffer::stop_counting() {
  counting_ = false;
  std::fill(slots_.begin(), slots_.end(), Slot{});
  used_ = 0;
}

namespace {

// The matcher's callback: records every hit, and lets the matcher skip
// token literals of atoms that have all they keep.
struct Recorder {
  HitBuffer& hits;
  bool operator()(unsigned id, std::size_t from, std::size_t to) {
    hits.add(Hit{id, from, to});
    return true;
  }
  bool skip(unsigned id) { return hits.skip(id); }
};

}  // namespace

bool scan(const FilterImpl& filter, std::string_view query, Scratch& s, std::uint32_t& flags) {
  if (query.size() > filter.options.max_query_bytes) {
    query = query.substr(0, text::utf8_floor(query, filter.options.max_query_bytes));
    flags |= kFlagTruncated;
  }
  if (s.views.build(query, filter.scan_views, &filter.fuzzy, &filter.fuzzy_keys,
                    &filter.entry_words) & text::kInvalidUtf8) flags |= kFlagInvalidUtf8;
  HitBuffer& hits = s.hits;
  hits.clear();
  std::vector<text::Token>& tokens = s.views.tokens();
  const bool scanned = filter.database.scan(s.views.scan_text(), tokens.data(), tokens.size(),
                                            s.views.base().size(), Recorder{hits});
  if (!scanned) return false;
  if (!hits.empty()) hits.sort_by_end();
  return true;
}

void resolve(const FilterImpl& filter, Scratch& s) {
  Evidence& ev = s.evidence;
  ev.occurrences.clear();
  ev.capped_entries.clear();
  // Offset maps are built here, by original_span on first use: only when
  // something was hit.
  text::QueryViews& views = s.views;
  for (const Hit& h : s.hits.hits()) {
    const Atom& a = filter.atoms[h.atom];
    const rules::EntryRef e = filter.entries[a.entry];
    const std::size_t hb = a.regex ? h.from : h.to - a.length;
    const int si = views.section_of(hb, h.to);
    if (si < 0) continue;
    const auto section = static_cast<std::size_t>(si);
    const text::Section& sec = views.section(section);
    bool squeezed = false;
    if (!counts(a, e, sec, views.present())) {
      if (!counts_squeezed(a, e, sec, views.scan_text().substr(hb, h.to - hb))) continue;
      squeezed = true;
    }
    const std::string_view mapped = views.section_text(section);
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
    const auto [ob, oe] = views.original_span(section, nb, ne);
    if (oe <= ob) continue;
    if (a.view == View::joined && !a.regex && e.kind != rules::EntryKind::exception &&
        joined_reads_ordinary_word(views.query().substr(ob, oe - ob), mapped.substr(nb, ne - nb),
                                   s.word)) {
      continue;
    }
    const View view = squeezed ? View::squeeze : sec.view == View::base ? a.view : sec.view;
    const ViewSet folds = squeezed       ? sec.folds.with(View::squeeze)
                          : sec.composed ? sec.folds
                                         : ViewSet();
    ev.occurrences.push_back(Occurrence{a.entry, a.pattern, view, ob, oe, folds});
  }
  for (std::uint32_t atom : s.hits.capped_atoms()) {
    ev.capped_entries.push_back(filter.atoms[atom].entry);
  }
  std::sort(ev.capped_entries.begin(), ev.capped_entries.end());
  ev.capped_entries.erase(std::unique(ev.capped_entries.begin(), ev.capped_entries.end()),
                          ev.capped_entries.end());
}

}  // namespace deter::policy
