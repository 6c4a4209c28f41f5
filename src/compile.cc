// From sources to a FilterImpl: parse every file, turn each entry into atoms
// (one normalized literal or regex per pattern and view), compile them.
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <system_error>
#include <thread>

#include "filter_impl.h"
#include "hex.h"
#include "rules/budget.h"
#include "text/fuzzy.h"
#include "text/normalize.h"
#include "text/phonetic.h"
#include "text/scripts.h"
#include "text/views.h"

namespace deter {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string hex_digest(const std::vector<std::pair<std::string, std::string>>& files) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  for (const auto& [name, contents] : files) {
    std::uint64_t sizes[2] = {name.size(), contents.size()};
    XXH3_128bits_update(state, sizes, sizeof sizes);
    XXH3_128bits_update(state, name.data(), name.size());
    XXH3_128bits_update(state, contents.data(), contents.size());
  }
  XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return hex128(h.high64, h.low64);
}

// The literal a pattern compiles to in `view`, or empty if none. Entries go
// through the very code queries go through (text::entry_view).
std::string literal_of(std::string n, rules::PatternKind kind) {
  if (n.size() < 3) return {};
  switch (kind) {
    case rules::PatternKind::phrase:
      return n;
    case rules::PatternKind::prefix:
      n.pop_back();  // " w1 w2"
      return n;
    case rules::PatternKind::substring:
      return n.substr(1, n.size() - 2);  // "w1 w2"
    case rules::PatternKind::regex:
      break;
  }
  return {};
}

// The views of one entry text, each made once: atoms_of asks for the same
// ones several times (each view's literal, then the joined keys), and
// text::entry_view normalizes the text anew at every call. A view other
// than leet, which has a base form of its own, is entry_view's: the view
// applied to the base form.
class EntryForms {
 public:
  explicit EntryForms(std::string text) : text_(std::move(text)) {}
  const std::string& text() const { return text_; }
  const std::string& view(View view) {
    std::optional<std::string>& slot = views_[static_cast<int>(view)];
    if (!slot) {
      if (view == View::base || view == View::leet) {
        slot = text::entry_view(view, text_);
      } else {
        const std::string& base = this->view(View::base);
        slot.emplace();
        text::apply_view(view, base, *slot);
      }
    }
    return *slot;
  }
  // The literal of a pattern of `kind` with this text, in `view`.
  std::string literal(View view, rules::PatternKind kind) {
    return literal_of(this->view(view), kind);
  }

 private:
  std::string text_;
  std::optional<std::string> views_[kViewCount];
};

// The lengths of the shortest and the longest space-separated word of `text`.
std::pair<std::size_t, std::size_t> word_lengths(std::string_view text) {
  std::size_t shortest = text.size();
  std::size_t longest = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ') {
      if (i > start) {
        shortest = std::min(shortest, i - start);
        longest = std::max(longest, i - start);
      }
      start = i + 1;
    }
  }
  return {shortest, longest};
}

// The joined view's literals of an entry romanized: its words run together
// and keyed ("#rahasyalaateenu" for ರಹಸ್ಯ ಲಾಟೀನು). A key depends on where
// its word ends, so both orders are taken: joined then keyed keeps an
// inherent vowel between the words ("rahasyalatinu", where the words alone
// read "rahasy latinu"), keyed then joined drops it, as Hindi speech does
// ("varjitbagic" for वर्जित बगीच). Each of `texts` (the entry's own text and
// its Latin spellings) gives both; only those the joined view changes.
// The shortest joined form, keyed or squeezed, of a prefix entry that gets
// a literal: one must fill a head of the token index (eight bytes:
// match/token_index.h), as a shorter one adds a head length that every
// query token is then hashed at (keys: +9% instructions a query; squeezed
// joined forms: +17% in the token index).
constexpr std::size_t kShortestJoinedPrefix = 10;

std::vector<std::string> joined_key_literals(std::span<EntryForms> texts, rules::PatternKind kind) {
  std::vector<std::string> out;
  std::size_t longest_key = 0;
  auto add = [&](std::string n) {
    // " key ": two letters more than any word's key; a prefix's fills a
    // head (kShortestJoinedPrefix).
    const std::size_t shortest = kind == rules::PatternKind::prefix ? kShortestJoinedPrefix : 0;
    if (n.size() < std::max(longest_key + 4, shortest)) return;
    std::string l = literal_of(std::move(n), kind);
    if (!l.empty() && std::find(out.begin(), out.end(), l) == out.end()) out.push_back(std::move(l));
  };
  for (EntryForms& t : texts) {
    const std::string& joined = t.view(View::joined);
    if (joined == t.view(View::base)) continue;  // one word, or too short
    // Every word must leave two letters of its own in the joined key: a
    // word whose key is one letter could vanish into its neighbour
    // ("hohenzollern na" keys "hohenjolern n", joined "hohenjolern").
    const std::string& keys = t.view(View::phonetic);
    const auto [shortest, longest] = word_lengths(keys);
    if (shortest < 2) continue;
    longest_key = longest;
    std::string key;
    text::apply_view(View::phonetic, joined, key);
    add(std::move(key));
    // And keyed once more, where two words' letters meet and change the
    // key ("dipak kat" reads "dipakat" as one word, doubled letters
    // collapsing). A key is not always its own key (its "c" is a "ch"),
    // so both are taken. Not when a word's key is one letter: it could
    // vanish into its neighbour ("hohenjolern" + "n" is "hohenjolern").
    std::string keys_joined;
    text::apply_view(View::joined, keys, keys_joined);
    std::string rekeyed;
    text::apply_view(View::phonetic, keys_joined, rekeyed);
    add(std::move(keys_joined));
    add(std::move(rekeyed));
  }
  return out;
}

// The phonetic view serves romanized Hindi, Bengali and Kannada: it applies
// to entries of those languages (the entry's locale, from `$locale` or the
// list's `! language:`, in any script: "hi", "hi-Latn") and to entries
// written in their scripts. For other entries it would only add literals
// and chances of a false positive.
// The most literals a pattern gets in the phonetic view, its own reading
// included: a phrase whose words have several readings each is matched in
// every combination up to this, and beyond it in the readings applied to
// all words alike.
constexpr std::size_t kMaxPhoneticSpellings = 16;

// Indonesian writes its clitics and particles on the word before them:
// "kebun terlarangnya" (-nya, its), "-lah", "-kah", "-pun". A phrase of an
// Indonesian entry (`! language: id` or `$locale=id`) also matches with one
// of them on its last word, as more literals of the same views. Not when
// the word and the ending make a dictionary word of their own ("masa" and
// "masalah", "lang" and "langkah", "apa" and "apakah"): those are other
// words, not the entry's. That guard, not a length, keeps a short word's
// clitic form out ("tua" takes them: "tuanya" is no word of its own); a
// word of two letters or one is a particle or an abbreviation ("ta" and
// "tanya"), never given one. (The clitics: text::kIndonesianClitics.)
constexpr std::size_t kMinCliticStemLetters = 3;

// The texts of phrase `pattern` of an entry of `locale` with a clitic on
// its last word, in base form; none for other entries and patterns.
std::vector<std::string> clitic_texts(std::string_view locale, rules::PatternKind kind,
                                      std::string_view pattern) {
  std::vector<std::string> out;
  const std::string_view lang = locale.substr(0, locale.find_first_of("-_"));
  if (lang != "id" || kind != rules::PatternKind::phrase) return out;
  const std::string base = text::normalize_base(pattern);  // " w1 w2 "
  if (base.size() < 3) return out;
  const std::string_view words = std::string_view(base).substr(1, base.size() - 2);
  const std::string_view last = words.substr(words.rfind(' ') + 1);
  if (last.size() < kMinCliticStemLetters) return out;
  for (char c : last) {
    if (c < 'a' || c > 'z') return out;
  }
  for (std::string_view clitic : text::kIndonesianClitics) {
    const std::string word = std::string(last) + std::string(clitic);
    if (text::is_dictionary_word(word)) continue;
    out.push_back(std::string(words) + std::string(clitic));
  }
  return out;
}

bool phonetic_applies(const rules::Entry& e) {
  const std::string_view lang = std::string_view(e.locale).substr(0, e.locale.find_first_of("-_"));
  if (lang == "hi" || lang == "bn" || lang == "kn") return true;
  for (const rules::Pattern& p : e.patterns) {
    for (std::size_t i = 0; i + 2 < p.text.size(); ++i) {
      if (text::indic_script_of_utf8(static_cast<unsigned char>(p.text[i]),
                                     static_cast<unsigned char>(p.text[i + 1])) !=
          text::IndicScript::none) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

FilterImpl::PatternDigest::PatternDigest() : state_(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}

FilterImpl::PatternDigest::~PatternDigest() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void FilterImpl::PatternDigest::add(std::uint64_t kind, std::string_view text, unsigned id) {
  constexpr std::size_t kChunk = 1 << 16;
  const std::uint64_t head[3] = {kind, id, text.size()};
  pending_.append(reinterpret_cast<const char*>(head), sizeof head);
  if (pending_.size() + text.size() > kChunk) flush();
  if (text.size() > kChunk) {
    XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), text.data(), text.size());
  } else {
    pending_.append(text);
  }
}

void FilterImpl::PatternDigest::flush() {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), pending_.data(), pending_.size());
  pending_.clear();
}

std::string FilterImpl::PatternDigest::finish() {
  flush();
  XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
  return hex128(h.high64, h.low64);
}

std::string FilterImpl::Patterns::digest() const {
  PatternDigest d;
  for (const auto& l : literals) d.literal(l.text, l.id);
  for (const auto& r : regexes) d.regex(r.expression, r.id);
  return d.finish();
}

std::string FilterImpl::content_hash_of(
    const std::vector<std::pair<std::string, std::string>>& sorted_files) {
  return hex_digest(sorted_files);
}

namespace {

// Runs `beside` on a second thread, if the machine has a second core and a
// thread can be had, while `here` runs on this one; else one after the
// other. Returns when both are done; rethrows what either threw.
void side_by_side(const std::function<void()>& beside, const std::function<void()>& here) {
  std::exception_ptr thrown;
  auto run = [&]() noexcept {
    try {
      beside();
    } catch (...) {
      thrown = std::current_exception();
    }
  };
  std::thread t;
  if (std::thread::hardware_concurrency() > 1) {
    try {
      t = std::thread(run);
    } catch (const std::system_error&) {
      // No thread to be had: one after the other.
    }
  }
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{t};
  here();
  if (t.joinable()) {
    t.join();
  } else {
    run();
  }
  if (thrown) std::rethrow_exception(thrown);
}

}  // namespace

Result<std::shared_ptr<FilterImpl>> FilterImpl::compile(
    const std::vector<std::pair<std::string, std::string>>& files, const FilterOptions& options) {
  Patterns patterns;
  auto built = build_tables(files, options, patterns);
  if (!built) return built;
  FilterImpl& impl = *built.value();
  // Hyperscan's compile and the indexes built from the literals read the
  // same patterns and write other members (`database`; `fuzzy`,
  // `fuzzy_keys`, `entry_words`, `completions`), so they run side by side:
  // each is a third of compiling 100k entries.
  std::optional<Error> failed;
  side_by_side([&] { failed = compile_databases(impl, patterns); },
               [&] { impl.build_fuzzy(patterns); });
  if (failed) return *failed;
  return built;
}

Result<std::shared_ptr<FilterImpl>> FilterImpl::build_tables(
    const std::vector<std::pair<std::string, std::string>>& files, const FilterOptions& options,
    Patterns& patterns, bool with_atoms, ViewSet list_views) {
  auto impl = std::make_shared<FilterImpl>();
  impl->options = options;
  impl->list_views = list_views;
  const rules::Limits limits = limits_of(options);
  rules::SetBudget budget(limits);

  impl->sources = files;
  std::sort(impl->sources.begin(), impl->sources.end());
  const auto& sorted = impl->sources;
  impl->content_hash = hex_digest(sorted);
  std::vector<std::string> lines;  // each entry's as written

  for (const auto& [name, contents] : sorted) {
    if (ends_with(name, ".toml")) {
      auto parsed = rules::parse_messages(name, contents);
      if (!parsed) return parsed.error();
      for (Message& m : parsed.value()) {
        auto& slot = impl->messages[m.key];
        for (const Message& existing : slot) {
          if (existing.locale == m.locale) {
            return Error{ErrorCode::syntax,
                         "message '" + m.key + "." + m.locale + "' is defined twice", name, 0, 0};
          }
        }
        slot.push_back(std::move(m));
      }
      continue;
    }
    auto parsed = rules::parse_list(name, contents, limits, list_views);
    if (!parsed) return parsed.error();
    if (auto err = budget.add(parsed.value())) return *err;
    rules::ListFile& lf = parsed.value();
    impl->lists.push_back(ListInfo{lf.file, lf.name, lf.language, lf.entries.size(), {}});
    if (auto v = lf.header.find("version"); v != lf.header.end()) {
      impl->lists.back().version = v->second;
    }
    for (rules::Entry& e : lf.entries) {
      if (impl->entries.size() >= options.max_entries) {
        return Error{ErrorCode::limit,
                     "the list set has more than " + std::to_string(options.max_entries) +
                         " entries",
                     e.file, e.line, 1};
      }
      for (const Example& ex : e.examples) impl->examples.push_back(ex);
      e.views = impl->settled_views(e);
      impl->entries.add(e, true);
      lines.push_back(std::move(e.source));
    }
  }
  impl->entries.set_sources(std::move(lines));

  // Entries that name a message explicitly must name one that exists.
  if (!impl->messages.empty()) {
    for (std::size_t i = 0; i < impl->entries.size(); ++i) {
      const rules::EntryRef e = impl->entries[i];
      if (!e.message.empty() && impl->messages.find(e.message) == impl->messages.end()) {
        return Error{ErrorCode::invalid_entry,
                     "message '" + std::string(e.message) + "' is not defined in messages.toml",
                     std::string(e.file), e.line, 1};
      }
    }
  }

  if (!with_atoms) return impl;
  // Each entry's atoms depend on that entry alone (atoms_of): the second
  // half of the entries is made beside the first, its ids counted from 0
  // and moved past the first half's after. A sixth of compiling 100k.
  const auto n = static_cast<std::uint32_t>(impl->entries.size());
  const std::uint32_t half = n / 2;
  std::vector<Atom> atoms;
  std::vector<Atom> second_atoms;
  Patterns second;
  auto atoms_from = [&impl](std::uint32_t from, std::uint32_t to, std::vector<Atom>& atoms,
                            Patterns& out) {
    text::WordSpellings spellings;
    for (std::uint32_t ei = from; ei < to; ++ei) {
      impl->atoms_of(ei, static_cast<std::uint32_t>(atoms.size()), atoms, out, &spellings);
    }
  };
  side_by_side([&] { atoms_from(half, n, second_atoms, second); },
               [&] { atoms_from(0, half, atoms, patterns); });
  const auto first = static_cast<unsigned>(atoms.size());
  atoms.insert(atoms.end(), second_atoms.begin(), second_atoms.end());
  impl->atoms.own(std::move(atoms));
  for (match::LiteralPattern& l : second.literals) {
    l.id += first;
    patterns.literals.push_back(std::move(l));
  }
  for (match::RegexPattern& r : second.regexes) {
    r.id += first;
    patterns.regexes.push_back(std::move(r));
  }
  impl->pattern_digest = patterns.digest();
  return impl;
}

void FilterImpl::read_sources() const {
  if (!sources_unread) return;
  std::call_once(sources_once, [this] {
    // The filter is made non-const (make_shared) and these members are
    // written once, here, before anything reads them (filter_impl.h).
    auto& self = const_cast<FilterImpl&>(*this);
    Patterns none;
    auto parsed = build_tables(sources, options, none, false, list_views);
    if (!parsed) return;
    const FilterImpl& from = *parsed.value();
    // Tables and sources were written together; sources that disagree with
    // the tables (a forged file) give no entry lines or examples, rather
    // than lines of other entries.
    if (from.entries.size() != entries.size()) return;
    std::size_t k = 0;
    std::vector<std::string> lines(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const rules::EntryRef a = from.entries[i];
      const rules::EntryRef b = entries[i];
      if (a.id != b.id || a.kind != b.kind || a.patterns.size() != b.patterns.size()) return;
      for (std::size_t pi = 0; pi < a.patterns.size(); ++pi) {
        if (k == stored_pattern_texts.size() || from.entries.text(i, pi) != stored_pattern_texts[k++]) {
          return;
        }
      }
      lines[i] = from.entries.source(i);
    }
    if (k != stored_pattern_texts.size()) return;
    self.entries.set_sources(std::move(lines));
    self.examples = std::move(parsed.value()->examples);
  });
}

ViewSet FilterImpl::settled_views(const rules::Entry& e) {
  ViewSet views = e.views & options.views.with(View::base);
  if (!phonetic_applies(e)) views = views.without(View::phonetic);
  for (int v = 0; v < kViewCount; ++v) {
    if (views.has(static_cast<View>(v))) scan_views = scan_views.with(static_cast<View>(v));
  }
  if (e.kind == rules::EntryKind::exception) has_exceptions = true;
  return views;
}

void FilterImpl::atoms_of(std::uint32_t ei, std::uint32_t first_id, std::vector<Atom>& out,
                          Patterns& patterns, text::WordSpellings* spellings,
                          std::span<const std::string_view> texts) const {
  const rules::EntryRef e = entries[ei];
  std::uint32_t id = first_id;
  for (std::uint32_t pi = 0; pi < e.patterns.size(); ++pi) {
    const rules::PatternRef p = e.patterns[pi];
    const std::string_view written =
        texts.empty() ? entries.text(ei, pi) : pi < texts.size() ? texts[pi] : std::string_view();
    Atom atom;
    atom.entry = ei;
    atom.pattern = pi;
    atom.view = View::base;
    if (p.kind == rules::PatternKind::regex) {
      atom.regex = true;
      patterns.regexes.push_back({std::string(written), id++});
      out.push_back(atom);
      continue;
    }
    // One atom per view whose literal differs from the base literal; a
    // base literal also stands for every view that leaves it unchanged.
    // forms[0]: the pattern's text; then the entry's other readings
    // (text::phonetic_spellings).
    std::vector<EntryForms> forms{EntryForms(std::string(written))};
    if (e.views.has(View::phonetic)) {
      for (std::string& alt : text::phonetic_spellings(written, kMaxPhoneticSpellings, spellings)) {
        forms.emplace_back(std::move(alt));
      }
    }
    const std::string base = forms[0].literal(View::base, p.kind);
    // With a clitic (clitic_texts), and those texts' base literals, which
    // stand for the views that leave them unchanged, as `base` does.
    std::vector<EntryForms> clitics;
    std::vector<std::string> clitic_bases;
    for (std::string& t : clitic_texts(e.locale, p.kind, written)) {
      clitics.emplace_back(std::move(t));
      clitic_bases.push_back(clitics.back().literal(View::base, p.kind));
    }
    for (int v = 0; v < kViewCount; ++v) {
      const auto view = static_cast<View>(v);
      if (!e.views.has(view)) continue;
      std::vector<std::string> lits{view == View::base ? base : forms[0].literal(view, p.kind)};
      for (std::size_t k = 0; k < clitics.size(); ++k) {
        std::string l = view == View::base ? clitic_bases[k] : clitics[k].literal(view, p.kind);
        if (view != View::base && l == clitic_bases[k]) continue;
        if (std::find(lits.begin(), lits.end(), l) == lits.end()) lits.push_back(std::move(l));
      }
      if (view == View::phonetic) {
        // One more literal for each other reading, in the same view.
        for (std::size_t k = 1; k < forms.size(); ++k) {
          std::string l = forms[k].literal(view, p.kind);
          if (std::find(lits.begin(), lits.end(), l) == lits.end()) lits.push_back(std::move(l));
        }
      }
      if (view == View::joined && e.views.has(View::squeeze)) {
        // Squeezed too: a query's squeeze section writes every run of a
        // letter once, so words run together with stretched letters
        // ("#forbiddenorchaaard", "glassssstowerrrr") read
        // "forbidenorchard", which the joined literal, spelled with its
        // doubles, is not. A joined atom counts in every section; this one
        // is made only for entries with squeeze on, and a prefix's only when
        // it fills a head (kShortestJoinedPrefix).
        std::string squeezed;
        const std::string& joined = forms[0].view(View::joined);
        if (joined != forms[0].view(View::base) &&
            text::apply_view(View::squeeze, joined, squeezed) &&
            (p.kind != rules::PatternKind::prefix || squeezed.size() >= kShortestJoinedPrefix)) {
          std::string l = literal_of(std::move(squeezed), p.kind);
          if (std::find(lits.begin(), lits.end(), l) == lits.end()) lits.push_back(std::move(l));
        }
      }
      if (view == View::joined && e.views.has(View::phonetic)) {
        // A joined atom counts in every section, the query's phonetic one
        // too (policy/scan.cc), so a romanized hashtag meets these keys:
        // those of the entry's text and of its other readings.
        for (std::string& l : joined_key_literals(forms, p.kind)) {
          if (std::find(lits.begin(), lits.end(), l) == lits.end()) lits.push_back(std::move(l));
        }
      }
      for (std::string& lit : lits) {
        if (lit.empty() || (view != View::base && lit == base)) continue;
        atom.view = view;
        atom.length = static_cast<std::uint32_t>(lit.size());
        atom.pad_front = lit.front() == ' ';
        atom.pad_back = lit.back() == ' ';
        patterns.literals.push_back({std::move(lit), id++});
        out.push_back(atom);
      }
    }
  }
}

namespace {

// The shortest joined key (an Indic entry's words run together and keyed)
// that a romanized hashtag's typo is corrected to: at eight letters, real
// queries' long words ("rajadhani", "perancis") were one edit from a joined
// key of list-10000, at ten none of list-10000's or list-100000's were.
constexpr std::size_t kShortestJoinedTypoKey = 10;

// The joined literals of a pattern whose base literal is `base`, padded as
// its kind pads it: its words run together, and that squeezed (atoms_of's
// first and squeezed joined literals); empty where the joined view changes
// nothing.
std::array<std::string, 2> joined_word_literals(std::string_view base, bool pad_front,
                                                bool pad_back) {
  const rules::PatternKind kind = pad_front && pad_back ? rules::PatternKind::phrase
                                  : pad_front           ? rules::PatternKind::prefix
                                                        : rules::PatternKind::substring;
  std::string padded(pad_front ? "" : " ");
  padded.append(base);
  if (!pad_back) padded.push_back(' ');
  std::array<std::string, 2> out;
  std::string joined;
  std::string squeezed;
  if (!text::apply_view(View::joined, padded, joined)) return out;
  if (text::apply_view(View::squeeze, joined, squeezed)) out[1] = literal_of(squeezed, kind);
  out[0] = literal_of(std::move(joined), kind);
  return out;
}

}  // namespace

void FilterImpl::build_fuzzy(const Patterns& patterns) {
  build_completions(patterns);
  entry_words = text::EntryWords();
  if (scan_views.has(View::spaced)) {
    for (const match::LiteralPattern& l : patterns.literals)
      adds_entry_words(l.text, l.id, &entry_words);
    entry_words.finish();
  }
  fuzzy = text::FuzzyIndex();
  fuzzy_keys = text::FuzzyIndex(text::kFuzzyMinKeyLetters, true);
  if (!scan_views.has(View::fuzzy)) return;
  // The joined literals of the pattern whose base literal was read last
  // (atoms_of writes a pattern's base atom before its joined ones): its
  // words run together, and squeezed. The pattern's other joined literals
  // are keys (joined_key_literals).
  std::uint64_t joined_of = UINT64_MAX;
  std::array<std::string, 2> joined_words;
  for (const match::LiteralPattern& l : patterns.literals) {
    if (l.id >= atoms.size()) continue;
    const Atom& a = atoms[l.id];
    if (a.entry >= entries.size() || !entries[a.entry].views.has(View::fuzzy)) continue;
    // A prefix entry's literal is " w1 w2": its last word is typed at the
    // start of a longer token (the literal alone tells: stripped files
    // keep no patterns).
    const bool prefix = a.pad_front && !a.pad_back;
    const std::uint64_t pattern = std::uint64_t{a.entry} << 32 | a.pattern;
    if (a.view == View::base) {
      joined_of = pattern;
      joined_words = joined_word_literals(l.text, a.pad_front, a.pad_back);
    }
    // A joined literal is one more word: a typo in an entry run together
    // ("#forbiddenorchrad") is one edit from it, and the joined atom, which
    // counts in every section, finds the correction in the fuzzy one. An
    // entry with the phonetic view has joined keys too, which go to the
    // keys' index, for a romanized hashtag's typo; another entry's other
    // joined literals are words (a clitic's).
    const bool joined_key = a.view == View::joined && entries[a.entry].views.has(View::phonetic) &&
                            !(joined_of == pattern && (l.text == joined_words[0] ||
                                                       l.text == joined_words[1]));
    text::FuzzyIndex* index = nullptr;
    if (a.view == View::phonetic) {
      index = &fuzzy_keys;
    } else if (joined_key) {
      if (l.text.size() >= kShortestJoinedTypoKey + 2) index = &fuzzy_keys;  // " key "
    } else if (a.view == View::base || a.view == View::joined) {
      index = &fuzzy;
    }
    if (index == nullptr) continue;
    index->add(l.text, a.view == View::joined);
    // A joined prefix is a prefix word too: "#moolitbazaars" is a typo
    // and an ending (FuzzyIndex::near_prefix).
    if (prefix) index->add_prefix(l.text);
  }
  fuzzy.finish();
  fuzzy_keys.finish();
}

bool FilterImpl::adds_entry_words(std::string_view text, unsigned id, text::EntryWords* to) const {
  if (id >= atoms.size()) return false;
  const Atom& a = atoms[id];
  // The squeeze view's words too: a broken word with a repeated letter
  // ("forrrb idden") joins after the squeeze into the entry's squeezed
  // word (QueryViews::add_composed).
  if ((a.view != View::base && a.view != View::squeeze) || a.entry >= entries.size() ||
      !entries[a.entry].views.has(View::spaced)) {
    return false;
  }
  if (to != nullptr) to->add(text, !a.pad_back);
  return true;
}

std::optional<Error> FilterImpl::compile_databases(FilterImpl& impl, const Patterns& patterns) {
  const auto& literals = patterns.literals;
  const auto& regexes = patterns.regexes;
  match::CompileFailure failure;
  if (!impl.database.build(literals, regexes, failure)) {
    if (failure.index >= 0) {
      unsigned id = failure.regex ? regexes[failure.index].id : literals[failure.index].id;
      const Atom& a = impl.atoms[id];
      const rules::EntryRef e = impl.entries[a.entry];
      return Error{ErrorCode::compile,
                   "cannot compile '" + std::string(impl.entries.source(a.entry)) +
                       "': " + failure.message,
                   std::string(e.file), e.line, e.patterns[a.pattern].column};
    }
    return Error{ErrorCode::compile, "cannot compile the list set: " + failure.message, "", 0, 0};
  }
  return std::nullopt;
}

}  // namespace deter
