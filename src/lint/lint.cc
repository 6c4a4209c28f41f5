// deter::lint: the checks of include/deter/lint.h. The top layer: it builds
// a Filter of the whole set like any user (the checks that match, shadowed
// and benign-match, ask it) and reads the entries it parsed, so a list set
// that loads is parsed once. One that does not load is parsed file by file,
// so one bad file does not hide the findings of the others. Directories are
// read by the reader Filter::open uses, regexes tried with its flags.
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "deter/lint.h"
#include "filter_impl.h"
#include "list_directory.h"
#include "match/database.h"
#include "rules/list.h"
#include "text/fuzzy.h"
#include "text/normalize.h"
#include "text/phonetic.h"
#include "text/tokens.h"
#include "text/utf8.h"
#include "text/views.h"

namespace deter {
namespace {

using rules::Entry;
using rules::EntryKind;
using rules::Pattern;
using rules::PatternKind;

// Characters other than spaces in a normalized text: " ab c " -> 3.

std::size_t letter_count(std::string_view normalized) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < normalized.size();) {
    text::Decoded d = text::decode_utf8(normalized, i);
    if (d.cp != ' ') ++n;
    i += d.size;
  }
  return n;
}

// The normalized form of a pattern, without the padding spaces: the text a
// literal pattern looks for, or the regex as written.
std::string normalized_text(const Pattern& p) {
  if (p.kind == PatternKind::regex) return p.text;
  std::string n = text::normalize_base(p.text);
  return n.size() >= 2 ? n.substr(1, n.size() - 2) : std::string();
}

// A pattern as written, then its normalized form when that differs, so a
// maintainer can find it in the file: 'चाँदी की सीढ़ी' (normalized 'चांदी की सीढी').
std::string quoted(const Pattern& p) {
  std::string n = normalized_text(p);
  std::string out = "'" + p.text + "'";
  if (n != p.text) out += " (normalized '" + n + "')";
  return out;
}

// What an entry means after normalization, for finding duplicates: its kind
// and its patterns (kind, negation, normalized text), a rule's parts sorted.
// Overrides ($action, ...) are not part of it.
std::string meaning_key(const Entry& e) {
  std::vector<std::string> parts;
  for (const Pattern& p : e.patterns) {
    std::string part;
    part += static_cast<char>('0' + static_cast<int>(p.kind));
    part += p.negated ? '!' : '+';
    part += normalized_text(p);
    parts.push_back(std::move(part));
  }
  if (e.kind == EntryKind::rule) std::sort(parts.begin(), parts.end());
  std::string key(1, static_cast<char>('0' + static_cast<int>(e.kind)));
  if (e.query_scope) key += 'q';
  for (const std::string& p : parts) {
    key += '\x1f';
    key += p;
  }
  return key;
}

constexpr std::string_view kSeverityNames[] = {"warning", "error"};

struct Linter {
  const LintOptions& options;
  LintReport& report;

  void add(std::string check, LintSeverity severity, const Entry& e, std::uint32_t column,
           std::string message, std::vector<std::string> examples = {}) {
    LintFinding f;
    f.check = std::move(check);
    f.severity = severity;
    f.file = e.file;
    f.line = e.line;
    f.column = column;
    f.entry_id = e.id;
    f.message = std::move(message);
    f.examples = std::move(examples);
    report.findings.push_back(std::move(f));
  }

  void check_lengths(const Entry& e) {
    for (const Pattern& p : e.patterns) {
      if (p.kind == PatternKind::regex || p.negated) continue;
      std::string n = normalized_text(p);
      std::size_t letters = letter_count(n);
      if (letters < options.min_letters) {
        add("too-short", LintSeverity::error, e, p.column,
            "'" + p.text + "' normalizes to '" + n + "' (" + std::to_string(letters) +
                (letters == 1 ? " letter" : " letters") + "): it would match far too many queries");
        continue;
      }
      if (p.kind == PatternKind::substring && letters < options.min_substring_letters) {
        add("short-substring", LintSeverity::warning, e, p.column,
            "substring " + quoted(p) + " has " + std::to_string(letters) + " letters (fewer than " +
                std::to_string(options.min_substring_letters) +
                "): it also matches inside unrelated words");
      }
      // Ask the joined view itself whether it joins this entry, so that the
      // warning follows the engine's rule (two words, eight letters).
      bool several_words = n.find(' ') != std::string::npos;
      if (several_words && e.views.has(View::joined) && p.kind != PatternKind::substring) {
        std::string joined_view = text::entry_view(View::joined, p.text);
        std::size_t b = joined_view.find_first_not_of(' ');
        std::size_t z = joined_view.find_last_not_of(' ');
        if (b != std::string::npos &&
            joined_view.substr(b, z - b + 1).find(' ') != std::string::npos) {
          std::string joined = n;
          std::erase(joined, ' ');
          add("short-joined", LintSeverity::warning, e, p.column,
              quoted(p) + " is too short for the joined view (it needs two words and " +
                  std::to_string(options.min_joined_letters) +
                  " letters, counted as a Latin spelling would): '" + joined + "' is not matched");
        } else if (b != std::string::npos && e.kind != EntryKind::exception) {
          // Joined, and run together it spells a word of the dictionaries:
          // the joined view matches that word, as typed, as this entry (the
          // letters themselves; a fold or a key of it does not count:
          // policy/scan.cc).
          const std::string_view joined = std::string_view(joined_view).substr(b, z - b + 1);
          if (text::is_ordinary_word(text::token_hash(joined.data(), joined.size()), joined)) {
            add("joined-word", LintSeverity::warning, e, p.column,
                quoted(p) + " run together is '" + std::string(joined) +
                    "', a dictionary word: the joined view matches that word as this entry "
                    "wherever it is written ($views=-joined keeps the words apart)");
          }
        }
      }
    }
  }

  void check_regex(const Entry& e, const Pattern& p) {
    const match::RegexTrial trial = match::try_compile_regex(p.text);
    const double ms = trial.milliseconds;
    const std::size_t size = trial.bytes;
    if (!trial.compiled) {
      add("regex-error", LintSeverity::error, e, p.column,
          "regex /" + p.text + "/ does not compile: " + trial.error);
    } else if (ms > options.regex_budget_ms || size > options.regex_budget_bytes) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "compiles in %.0f ms to %zu bytes (budget %.0f ms, %zu bytes)",
                    ms, size, options.regex_budget_ms, options.regex_budget_bytes);
      add("regex-costly", LintSeverity::error, e, p.column,
          "regex /" + p.text + "/ is too costly: " + buf);
    }
  }

  void check_duplicates(const std::vector<const Entry*>& entries) {
    std::unordered_map<std::string, const Entry*> first;
    for (const Entry* e : entries) {
      auto [it, inserted] = first.emplace(meaning_key(*e), e);
      if (inserted) continue;
      const Entry& o = *it->second;
      std::string detail = o.action == e->action
                               ? ""
                               : " (there with action " + std::string(to_string(o.action)) +
                                     ", here " + std::string(to_string(e->action)) + ")";
      add("duplicate", LintSeverity::error, *e, 1,
          "'" + e->source + "' is a duplicate of " + o.id + " '" + o.source + "'" + detail);
    }
  }

  // Queries that any query matching `p` contains, one per way it can match.
  static std::vector<std::string> probes(const Pattern& p) {
    switch (p.kind) {
      case PatternKind::phrase:
        return {p.text};
      case PatternKind::prefix:
        return {p.text, p.text + "qx"};
      case PatternKind::substring:
        return {p.text, "qx" + p.text + "qx"};
      case PatternKind::regex:
        break;
    }
    return {};
  }

  void check_shadowed(const Filter& filter, const std::vector<const Entry*>& entries) {
    std::unordered_map<std::string_view, std::size_t> index_of;
    for (std::size_t i = 0; i < entries.size(); ++i) index_of.emplace(entries[i]->id, i);
    const auto& compiled = filter.impl()->entries;  // views as compiled (narrowed)
    auto views = [&](std::size_t i) {
      return i < compiled.size() ? compiled[i].views : entries[i]->views;
    };
    CheckOptions explain;
    explain.explain = true;
    // First pass: for each entry, the first other entry that shadows it.
    std::vector<std::size_t> shadowed_by(entries.size(), entries.size());
    for (std::size_t ai = 0; ai < entries.size(); ++ai) {
      const Entry* a = entries[ai];
      if (a->kind != EntryKind::pattern || a->patterns[0].kind == PatternKind::regex) continue;
      std::string a_key = meaning_key(*a);
      std::map<std::string_view, int> shadowing;  // entry id -> probes it matched
      auto ps = probes(a->patterns[0]);
      for (const std::string& probe : ps) {
        Decision d = filter.check(probe, explain);
        std::set<std::string_view> here;
        for (const auto* list : {&d.matches, &d.suppressed}) {
          for (const Match& m : *list) here.insert(m.entry_id);
        }
        for (std::string_view id : here) ++shadowing[id];
      }
      for (const auto& [id, count] : shadowing) {
        if (count != static_cast<int>(ps.size()) || id == a->id) continue;
        auto it = index_of.find(id);
        if (it == index_of.end()) continue;
        const Entry& b = *entries[it->second];
        bool negated_part = std::any_of(b.patterns.begin(), b.patterns.end(),
                                        [](const Pattern& p) { return p.negated; });
        if (b.kind == EntryKind::exception || negated_part || b.action < a->action ||
            (views(it->second) & views(ai)) != views(ai) || meaning_key(b) == a_key) {
          continue;
        }
        shadowed_by[ai] = it->second;
        break;
      }
    }
    // Second pass: two entries that shadow each other match the same
    // queries (e.g. a native-script entry and its romanized twin, through
    // the phonetic view): reported once, on the later one.
    for (std::size_t ai = 0; ai < entries.size(); ++ai) {
      const std::size_t bi = shadowed_by[ai];
      if (bi == entries.size()) continue;
      const Entry& a = *entries[ai];
      const Entry& b = *entries[bi];
      const bool mutual = shadowed_by[bi] == ai;
      if (mutual && ai < bi) continue;
      if (mutual) {
        add("shadowed", LintSeverity::warning, a, a.patterns[0].column,
            "'" + a.source + "' matches the same queries as " + b.id + " '" + b.source +
                "' (through the views): one of the two is enough");
      } else {
        add("shadowed", LintSeverity::warning, a, a.patterns[0].column,
            "'" + a.source + "' is shadowed by " + b.id + " '" + b.source + "' (action " +
                std::string(to_string(b.action)) +
                "): every query this entry matches is already matched");
      }
    }
  }

  void check_benign(const Filter& filter, const std::vector<const Entry*>& entries) {
    struct Hits {
      std::size_t lines = 0;
      std::vector<std::string> examples;
      std::set<View> views;  // the views the benign lines were matched in
    };
    std::unordered_map<std::uint32_t, Hits> hits;
    for (const LintCorpus& corpus : options.corpora) {
      for (std::size_t i = 0; i < corpus.lines.size(); ++i) {
        Decision d = filter.check(corpus.lines[i]);
        for (const Match& m : d.matches) {
          Hits& h = hits[m.entry_index];
          ++h.lines;
          h.views.insert(m.view);
          if (h.examples.size() < options.max_examples) {
            h.examples.push_back(corpus.name + ":" + std::to_string(i + 1) + ": " +
                                 corpus.lines[i]);
          }
        }
      }
    }
    const double total = static_cast<double>(report.corpus_lines);
    for (const auto& [index, h] : hits) {
      if (static_cast<double>(h.lines) <= options.max_benign_rate * total) continue;
      const Entry& e = *entries[index];
      char rate[32];
      std::snprintf(rate, sizeof rate, "%.3f%%", 100.0 * static_cast<double>(h.lines) / total);
      add("benign-match", LintSeverity::error, e, 1,
          "'" + e.source + "' matches " + std::to_string(h.lines) + " of " +
              std::to_string(report.corpus_lines) + " benign lines (" + rate + "); " +
              benign_fix(e, h.views),
          h.examples);
    }
  }

  // How to stop an entry matching benign text, most specific first.
  static std::string benign_fix(const Entry& e, const std::set<View>& views) {
    std::string fix;
    if (!views.empty() && views.count(View::base) == 0) {
      std::string names;
      for (View v : views) names += (names.empty() ? "-" : ",-") + std::string(to_string(v));
      fix = "only through the " + std::string(views.size() == 1 ? "view " : "views ") +
            names.substr(1) + ": switch it off for this entry ($views=" + names + "), or ";
    } else {
      fix = "fix: ";
    }
    const bool wildcard =
        e.kind == EntryKind::pattern &&
        (e.patterns[0].kind == PatternKind::prefix || e.patterns[0].kind == PatternKind::substring);
    fix += wildcard ? "narrow it to a phrase (drop a '*')"
                    : "narrow it (more words, or a rule 'a & !b')";
    fix += ", or add an @@ exception for the benign use";
    return fix;
  }

  static std::string view_text(const Filter& filter, std::string_view text, View view) {
    for (auto& [v, s] : filter.views_of(text)) {
      if (v != view) continue;
      std::size_t b = s.find_first_not_of(' ');
      std::size_t e = s.find_last_not_of(' ');
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    }
    return {};
  }

  void check_phonetic(const Filter& filter, const std::vector<const Entry*>& entries) {
    auto probe = filter.views_of("varjit");
    bool has_phonetic = std::any_of(probe.begin(), probe.end(),
                                    [](const auto& v) { return v.first == View::phonetic; });
    if (!has_phonetic) {
      report.notes.push_back("phonetic-collision not checked: the phonetic view is not enabled");
      return;
    }
    if (options.corpora.empty()) {
      report.notes.push_back("phonetic-collision not checked: no corpus gives the common words");
      return;
    }
    // Common words of the corpora by phonetic key: key -> (word, count).
    std::unordered_map<std::string, std::size_t> counts;
    for (const LintCorpus& corpus : options.corpora) {
      for (const std::string& line : corpus.lines) {
        std::string n = text::normalize_base(line);
        std::size_t pos = 1;
        while (pos < n.size()) {
          std::size_t sp = n.find(' ', pos);
          if (sp == std::string::npos) break;
          if (sp > pos) ++counts[n.substr(pos, sp - pos)];
          pos = sp + 1;
        }
      }
    }
    std::unordered_map<std::string, std::pair<std::string, std::size_t>> common;
    for (const auto& [word, count] : counts) {
      if (count < options.common_word_count) continue;
      std::string key = view_text(filter, word, View::phonetic);
      auto& slot = common[key];
      if (count > slot.second) slot = {word, count};
    }
    // Only one-word entries: a word of a longer phrase or a rule part may
    // well be common (the phrase as a whole is what benign-match checks).
    const auto& compiled = filter.impl()->entries;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const Entry* e = entries[i];
      if (i >= compiled.size() || !compiled[i].views.has(View::phonetic)) continue;
      if (e->kind != EntryKind::pattern) continue;
      const Pattern& p = e->patterns[0];
      if (p.kind != PatternKind::phrase && p.kind != PatternKind::prefix) continue;
      std::string word = normalized_text(p);
      if (word.empty() || word.find(' ') != std::string::npos) continue;
      // The entry's key, and those of its other readings (a dropped
      // chandrabindu, a Bengali inherent "a", ...), which it also matches.
      std::vector<std::string> keys{view_text(filter, word, View::phonetic)};
      for (const std::string& alt : text::phonetic_spellings(p.text, 16)) {
        std::string k = view_text(filter, alt, View::phonetic);
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
      }
      for (const std::string& key : keys) {
        if (key.empty()) continue;
        // A prefix entry collides with every common word its key begins.
        const std::pair<std::string, std::size_t>* hit = nullptr;
        if (p.kind == PatternKind::phrase) {
          auto it = common.find(key);
          if (it != common.end()) hit = &it->second;
        } else {
          for (const auto& [k, w] : common) {
            if (k.size() >= key.size() && k.compare(0, key.size(), key) == 0 &&
                (hit == nullptr || w.second > hit->second)) {
              hit = &w;
            }
          }
        }
        if (hit == nullptr || hit->first == word) continue;
        add("phonetic-collision", LintSeverity::warning, *e, p.column,
            "the phonetic key '" + key + "' of " + quoted(p) +
                "' is also the key of the common word '" + hit->first + "' (" +
                std::to_string(hit->second) +
                " times in the corpora): in the phonetic view this entry matches ordinary text");
        break;
      }
    }
  }
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

const std::vector<std::string> kCheckNames = {
    "list-error",      "duplicate",          "shadowed",     "too-short",
    "short-substring", "short-joined",       "joined-word",  "regex-error",
    "regex-costly",    "phonetic-collision", "benign-match", "lint-directive"};

bool known_check(std::string_view name) {
  return std::find(kCheckNames.begin(), kCheckNames.end(), name) != kCheckNames.end();
}

std::string_view trim_spaces(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// One `! lint: ignore-next-line CHECK[,CHECK] -- reason` line and the entry
// line it applies to: the next line that is neither blank, a comment nor an
// example, so that the directive may sit above the entry's own comments.
struct Suppression {
  std::string file;
  std::uint32_t line = 0;    // of the directive
  std::uint32_t target = 0;  // of the entry; 0: none follows
  std::vector<std::string> checks;
  std::vector<bool> used;
};

void directive_warning(LintReport& report, const std::string& file, std::uint32_t line,
                       std::uint32_t column, std::string message) {
  LintFinding f;
  f.check = "lint-directive";
  f.severity = LintSeverity::warning;
  f.file = file;
  f.line = line;
  f.column = column;
  f.message = std::move(message);
  report.findings.push_back(std::move(f));
}

std::vector<Suppression> read_suppressions(const std::string& file, std::string_view text,
                                           LintReport& report) {
  std::vector<Suppression> out;
  std::vector<std::size_t> waiting;  // directives still looking for their entry
  std::uint32_t lineno = 0;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim_spaces(line).empty() || line[0] == ' ' || line[0] == '\t') continue;
    if (line[0] != '!') {
      if (lineno > 1) {
        for (std::size_t i : waiting) out[i].target = lineno;
        waiting.clear();
      }
      continue;
    }
    std::string_view rest = trim_spaces(line.substr(1));
    if (rest.substr(0, 5) != "lint:") continue;
    const auto col = [&](std::string_view part) {
      return static_cast<std::uint32_t>(part.data() - line.data()) + 1;
    };
    std::string_view body = trim_spaces(rest.substr(5));
    std::string_view reason;
    if (std::size_t dash = body.find("--"); dash != std::string_view::npos) {
      reason = trim_spaces(body.substr(dash + 2));
      body = trim_spaces(body.substr(0, dash));
    }
    std::string_view verb = body.substr(0, body.find_first_of(" \t"));
    if (verb != "ignore-next-line") {
      directive_warning(report, file, lineno, col(rest),
                        "unknown lint directive '" + std::string(verb) +
                            "' (expected '! lint: ignore-next-line CHECK -- reason')");
      continue;
    }
    Suppression sup{file, lineno, 0, {}, {}};
    std::string_view names = trim_spaces(body.substr(verb.size()));
    for (std::size_t p = 0; p < names.size();) {
      std::size_t end = names.find_first_of(", \t", p);
      if (end == std::string_view::npos) end = names.size();
      std::string_view name = names.substr(p, end - p);
      p = end + 1;
      if (name.empty()) continue;
      if (!known_check(name) || name == "list-error" || name == "lint-directive") {
        directive_warning(report, file, lineno, col(name),
                          "'" + std::string(name) +
                              "' is not a check that can be silenced (expected one of "
                              "duplicate, shadowed, too-short, short-substring, short-joined, "
                              "joined-word, regex-error, regex-costly, phonetic-collision, "
                              "benign-match)");
        continue;
      }
      sup.checks.emplace_back(name);
    }
    if (sup.checks.empty() && names.empty()) {
      directive_warning(report, file, lineno, col(verb),
                        "ignore-next-line names no check: nothing is silenced");
    }
    if (reason.empty()) {
      directive_warning(report, file, lineno, col(verb),
                        "a suppression needs a reason: write it after ' -- '");
    }
    if (sup.checks.empty()) continue;
    sup.used.assign(sup.checks.size(), false);
    waiting.push_back(out.size());
    out.push_back(std::move(sup));
  }
  return out;
}

// Drops the findings a suppression or a level of off silences, changes the
// severity of the others as configured, and warns about suppressions that
// silenced nothing (for the checks that ran: `ran` tells).
void apply_suppressions(LintReport& report, std::vector<Suppression>& sups,
                        const LintOptions& options,
                        const std::function<bool(std::string_view)>& ran) {
  std::vector<LintFinding> kept;
  for (LintFinding& f : report.findings) {
    bool silenced = false;
    for (Suppression& s : sups) {
      if (s.file != f.file || s.target != f.line || s.target == 0) continue;
      for (std::size_t i = 0; i < s.checks.size(); ++i) {
        if (s.checks[i] == f.check) {
          s.used[i] = true;
          silenced = true;
        }
      }
    }
    if (f.check != "list-error" && f.check != "lint-directive") {
      for (const auto& [check, level] : options.levels) {
        if (check != f.check) continue;
        if (level == LintLevel::off) silenced = true;
        f.severity = level == LintLevel::error ? LintSeverity::error : LintSeverity::warning;
      }
    }
    if (silenced) {
      ++report.suppressed;
    } else {
      kept.push_back(std::move(f));
    }
  }
  report.findings = std::move(kept);
  for (const Suppression& s : sups) {
    for (std::size_t i = 0; i < s.checks.size(); ++i) {
      if (s.used[i] || !ran(s.checks[i])) continue;
      directive_warning(report, s.file, s.line, 1,
                        s.target == 0
                            ? "ignore-next-line " + s.checks[i] + ": no entry follows it"
                            : "ignore-next-line " + s.checks[i] + " silences nothing: line " +
                                  std::to_string(s.target) + " has no " + s.checks[i] +
                                  " finding (remove the directive)");
    }
  }
}

}  // namespace

std::string LintFinding::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0)
      out += ":" + std::to_string(line) + ":" + std::to_string(column == 0 ? 1 : column);
    out += ": ";
  }
  out += kSeverityNames[static_cast<int>(severity)];
  out += ": " + message + " [" + check + "]";
  return out;
}

LintReport lint(const std::vector<std::pair<std::string, std::string>>& files_in,
                const LintOptions& options) {
  LintReport report;
  Linter linter{options, report};
  auto files = files_in;
  std::sort(files.begin(), files.end());
  std::set<std::pair<std::string, std::uint32_t>> error_places;
  auto list_error = [&](const Error& e) {
    if (!error_places.insert({e.file, e.line}).second) return;
    LintFinding f;
    f.check = "list-error";
    f.severity = LintSeverity::error;
    f.file = e.file;
    f.line = e.line;
    f.column = e.column;
    f.message = e.message;
    report.findings.push_back(std::move(f));
  };
  for (const auto& [name, contents] : files) report.files += !ends_with(name, ".toml");

  // A set that loads is linted on the entries the Filter parsed, with their
  // views as compiled (narrowed by the options and the list language).
  Result<Filter> filter = Filter::from_sources(files, options.filter_options);
  // Parsed again here: the Filter keeps only what check() needs of an
  // entry (rules::EntryTable). In load order (by file name), so that an
  // index is Match::entry_index.
  std::vector<std::pair<std::string, std::string>> sorted = files;
  std::sort(sorted.begin(), sorted.end());
  std::vector<rules::ListFile> lists;
  std::vector<const Entry*> entries;
  const rules::Limits limits = limits_of(options.filter_options);
  for (const auto& [name, contents] : sorted) {
    if (ends_with(name, ".toml")) continue;
    auto parsed = rules::parse_list(name, contents, limits);
    if (!parsed) {
      if (!filter) list_error(parsed.error());
      continue;
    }
    lists.push_back(std::move(parsed.value()));
  }
  std::size_t index = 0;
  for (rules::ListFile& lf : lists) {
    for (Entry& e : lf.entries) {
      if (filter && index < filter.value().impl()->entries.size()) {
        e.views = filter.value().impl()->entries[index].views;
      }
      ++index;
      entries.push_back(&e);
    }
  }
  report.entries = entries.size();
  for (const LintCorpus& c : options.corpora) report.corpus_lines += c.lines.size();

  for (const Entry* e : entries) {
    linter.check_lengths(*e);
    for (const Pattern& p : e->patterns) {
      if (p.kind == PatternKind::regex) linter.check_regex(*e, p);
    }
  }
  linter.check_duplicates(entries);

  // The checks that match need the whole set to load.
  if (!filter) {
    bool regex_reported =
        std::any_of(report.findings.begin(), report.findings.end(), [&](const auto& f) {
          return f.check == "regex-error" && f.file == filter.error().file &&
                 f.line == filter.error().line;
        });
    if (!regex_reported) list_error(filter.error());
    report.notes.push_back(
        "shadowed, benign-match and phonetic-collision not checked: the list set does not load");
  } else {
    linter.check_shadowed(filter.value(), entries);
    if (options.corpora.empty()) {
      report.notes.push_back("benign-match not checked: no corpus");
    } else {
      linter.check_benign(filter.value(), entries);
    }
    linter.check_phonetic(filter.value(), entries);
  }
  // A check that did not run cannot tell whether a suppression is stale.
  const bool loaded = filter.ok();
  const bool benign_ran = loaded && !options.corpora.empty();
  const bool phonetic_ran = std::none_of(
      report.notes.begin(), report.notes.end(),
      [](const std::string& n) { return n.rfind("phonetic-collision not checked", 0) == 0; });
  auto ran = [&](std::string_view check) {
    if (check == "shadowed") return loaded;
    if (check == "benign-match") return benign_ran;
    if (check == "phonetic-collision") return loaded && phonetic_ran;
    return true;
  };
  std::vector<Suppression> sups;
  for (const auto& [name, contents] : files) {
    if (ends_with(name, ".toml")) continue;
    std::vector<Suppression> file_sups = read_suppressions(name, contents, report);
    sups.insert(sups.end(), std::make_move_iterator(file_sups.begin()),
                std::make_move_iterator(file_sups.end()));
  }
  apply_suppressions(report, sups, options, ran);
  report.load_failed = !loaded;
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const auto& a, const auto& b) {
                     return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
                   });
  return report;
}

const std::vector<std::string>& lint_check_names() { return kCheckNames; }

Result<std::vector<std::pair<std::string, LintLevel>>> read_lint_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::io, "cannot read lint config", path, 0, 0};
  std::stringstream text;
  text << in.rdbuf();
  toml::table table;
  try {
    table = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    return Error{ErrorCode::syntax, std::string(e.description()), path,
                 static_cast<std::uint32_t>(e.source().begin.line),
                 static_cast<std::uint32_t>(e.source().begin.column)};
  }
  auto at = [&](const toml::source_region& where, std::string message) {
    return Error{ErrorCode::syntax, std::move(message), path,
                 static_cast<std::uint32_t>(where.begin.line),
                 static_cast<std::uint32_t>(where.begin.column)};
  };
  std::vector<std::pair<std::string, LintLevel>> levels;
  for (const auto& [key, node] : table) {
    if (key.str() != "severity" || !node.is_table()) {
      return at(key.source(), "unknown key '" + std::string(key.str()) +
                                  "' (a lint config holds one table, [severity])");
    }
    for (const auto& [check, level] : *node.as_table()) {
      const std::string name(check.str());
      if (!known_check(name) || name == "list-error" || name == "lint-directive") {
        return at(check.source(), "'" + name + "' is not a check whose severity can be set");
      }
      const std::optional<std::string_view> value = level.value<std::string_view>();
      if (value == "off") {
        levels.emplace_back(name, LintLevel::off);
      } else if (value == "warning") {
        levels.emplace_back(name, LintLevel::warning);
      } else if (value == "error") {
        levels.emplace_back(name, LintLevel::error);
      } else {
        return at(level.source(),
                  "the level of '" + name + "' must be \"off\", \"warning\" or \"error\"");
      }
    }
  }
  return levels;
}

LintReport lint_directory(const std::string& directory, const LintOptions& options) {
  Result<SourceFiles> files = read_list_directory(directory, options.filter_options);
  if (!files) {
    LintReport failed;
    LintFinding f;
    f.check = "list-error";
    f.file = files.error().file;
    f.message = files.error().message;
    failed.findings.push_back(std::move(f));
    failed.load_failed = true;
    return failed;
  }
  return lint(files.value(), options);
}

}  // namespace deter
