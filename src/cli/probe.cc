// deter probe: the list maintainer's evasion report. For every entry, spell
// the text it matches in each family of obfuscations (probe_variants.h),
// check each variant, and report which get through: per entry, and as a
// recall table per family and language. Then the benign side: the same list
// set over benign text, by the view that matched. --fail-under makes it a
// CI gate.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/benign_corpus.h"
#include "cli/common.h"
#include "cli/probe_variants.h"

namespace deter::cli {
namespace {

namespace fs = std::filesystem;

struct ProbeArgs {
  std::string lists;
  std::string format = "text";
  double fail_under = -1;
  std::vector<std::string> families;
  std::vector<std::string> benign;
  bool no_benign = false;
  std::size_t show = 20;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// What an entry's word looks like completed, for prefix entries ("bazaar*"):
// a common ending of the language, so the probe queries a real-looking word.
std::string_view completion(std::string_view language, probe::Script script) {
  switch (script) {
    case probe::Script::devanagari: return "\u093E";  // -ā
    case probe::Script::bengali: return "\u09C7";     // -e
    case probe::Script::kannada: return "\u0CA6";     // -da
    default: break;
  }
  if (language.substr(0, 2) == "en") return "s";
  if (language.substr(0, 2) == "id") return "nya";
  return "a";
}

// The text an entry matches as written, from its source line: one part, or
// a rule's positive parts; nullopt for exceptions and regexes, which have no
// one text to spell.
std::optional<std::vector<std::string>> clean_parts(std::string_view source,
                                                    std::string_view language) {
  std::string_view body = trim(source);
  if (body.substr(0, 2) == "@@") return std::nullopt;
  if (std::size_t dollar = body.rfind(" $"); dollar != std::string_view::npos) {
    std::string_view spec = body.substr(dollar + 2);
    if (spec.find('=') != std::string_view::npos) body = trim(body.substr(0, dollar));
  }
  if (body.size() >= 2 && body.front() == '/' && body.back() == '/') return std::nullopt;
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view part = trim(body.substr(pos, amp - pos));
    pos = amp + 1;
    if (part.empty() || part.front() == '!') continue;
    if (part.size() >= 2 && part.front() == '/' && part.back() == '/') return std::nullopt;
    if (part.size() >= 2 && part.front() == '*' && part.back() == '*') {
      parts.emplace_back(part.substr(1, part.size() - 2));
    } else if (part.back() == '*') {
      part.remove_suffix(1);
      parts.push_back(std::string(part) + std::string(completion(language, probe::script_of(part))));
    } else {
      parts.emplace_back(part);
    }
  }
  if (parts.empty()) return std::nullopt;
  return parts;
}

std::string join_parts(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// Every variant of an entry: each part spelled in turn, the other parts of
// a rule as written (an obfuscation lives inside one part; joining two
// parts of a rule is no variant of it).
std::vector<probe::Variant> entry_variants(const std::vector<std::string>& parts,
                                           std::string_view language) {
  std::vector<probe::Variant> out;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    for (probe::Variant& v : probe::variants_of(parts[k], language)) {
      std::vector<std::string> copy = parts;
      copy[k] = std::move(v.text);
      out.push_back(probe::Variant{v.family, join_parts(copy), std::move(v.needs)});
    }
  }
  return out;
}

// Whether the entry switched off a view the variant needs. A name this
// build does not know is no view of it: the variant counts, and misses.
bool view_off(const probe::Variant& v, ViewSet entry_views) {
  return std::any_of(v.needs.begin(), v.needs.end(), [&](std::string_view name) {
    const std::optional<View> view = parse_view(name);
    return view && !entry_views.has(*view);
  });
}

bool matches_entry(const Decision& d, std::uint32_t entry) {
  return std::any_of(d.matches.begin(), d.matches.end(),
                     [&](const Match& m) { return m.entry_index == entry; });
}

struct Tally {
  std::size_t caught = 0;
  std::size_t total = 0;
  double rate() const { return total == 0 ? 1.0 : static_cast<double>(caught) / total; }
};

std::string percent(const Tally& t) {
  if (t.total == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%% %zu/%zu", 100.0 * t.rate(), t.caught, t.total);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  // Pads by characters, not bytes, so columns line up under Indic text too.
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  if (chars < width) s.append(width - chars, ' ');
  return s;
}

struct EntryReport {
  std::uint32_t index = 0;
  std::string id;
  std::string language;  // "en", "hi", "hi-Latn"
  std::string query;
  bool clean_matches = true;
  struct Tried {
    probe::Variant variant;
    bool caught = false;
    bool off = false;  // a view it needs is off for the entry: not counted
  };
  std::vector<Tried> variants;
};

struct BenignReport {
  std::size_t files = 0;
  std::size_t lines = 0;
  std::size_t prompted = 0;  // lines answered prompt or block
  std::size_t matched = 0;   // lines with any match
  std::map<std::string, std::size_t> by_view;  // lines with a match in that view
  std::vector<std::string> examples;           // "file:line: entry view"
};

int run_probe(const ProbeArgs& args) {
  auto opened = open_lists(args.lists);
  if (!opened) return kExitUsage;
  const Filter& filter = *opened;
  for (const std::string& f : args.families) {
    const auto& all = probe::families();
    if (std::find(all.begin(), all.end(), f) == all.end()) {
      std::cerr << "deter probe: unknown family '" << f << "'\n";
      return kExitUsage;
    }
  }
  auto wanted = [&](std::string_view family) {
    return args.families.empty() ||
           std::find(args.families.begin(), args.families.end(), family) != args.families.end();
  };

  std::map<std::string, std::string, std::less<>> language_of_file;
  for (const ListInfo& l : filter.lists()) language_of_file[l.file] = l.language;

  std::vector<EntryReport> entries;
  std::size_t skipped = 0;
  std::size_t switched_off = 0;  // variants needing a view their entry switched off
  // family -> language -> tally
  std::map<std::string, std::map<std::string, Tally>> table;
  std::set<std::string> languages;
  for (std::uint32_t i = 0; i < filter.entry_count(); ++i) {
    const EntryInfo info = filter.entry(i);
    if (info.exception) continue;
    std::string language = "und";
    if (auto it = language_of_file.find(info.file); it != language_of_file.end() &&
                                                    !it->second.empty())
      language = it->second;
    std::optional<std::vector<std::string>> parts = clean_parts(info.source, language);
    if (!parts) {
      ++skipped;
      continue;
    }
    const std::string clean = join_parts(*parts);
    EntryReport r;
    r.index = i;
    r.id = info.id;
    r.query = clean;
    const probe::Script script = probe::script_of(clean);
    r.language = language;
    const std::string_view lang = std::string_view(language).substr(0, 2);
    if (script == probe::Script::latin && (lang == "hi" || lang == "bn" || lang == "kn"))
      r.language = std::string(lang) + "-Latn";
    r.clean_matches = matches_entry(filter.check(clean), i);
    if (r.clean_matches) {
      for (probe::Variant& v : entry_variants(*parts, language)) {
        if (!wanted(v.family)) continue;
        const bool caught = matches_entry(filter.check(v.text), i);
        const bool off = view_off(v, info.views);
        if (off) {
          ++switched_off;
        } else {
          Tally& t = table[std::string(v.family)][r.language];
          t.total++;
          t.caught += caught;
        }
        r.variants.push_back(EntryReport::Tried{std::move(v), caught, off});
      }
    }
    languages.insert(r.language);
    entries.push_back(std::move(r));
  }

  BenignReport benign;
  std::vector<std::string> corpora;
  std::string corpus_error;
  if (!expand_corpus_paths(args.benign, corpora, corpus_error)) {
    std::cerr << "deter probe: " << escaped(corpus_error) << "\n";
    return kExitUsage;
  }
  if (args.benign.empty() && !args.no_benign) corpora = default_benign_corpus();
  for (const std::string& path : corpora) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "deter probe: cannot read benign corpus " << path << "\n";
      return kExitUsage;
    }
    benign.files++;
    std::size_t lineno = 0;
    for (std::string line; std::getline(in, line);) {
      ++lineno;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (std::size_t tab = line.find('\t'); tab != std::string::npos) line.resize(tab);
      if (line.empty()) continue;
      benign.lines++;
      const Decision d = filter.check(line);
      if (d.matches.empty()) continue;
      benign.matched++;
      if (d.action >= Action::prompt) benign.prompted++;
      std::set<std::string_view> views;
      for (const Match& m : d.matches) views.insert(to_string(m.view));
      for (std::string_view v : views) benign.by_view[std::string(v)]++;
      if (benign.examples.size() < 10) {
        benign.examples.push_back(path + ":" + std::to_string(lineno) + ": " +
                                  std::string(d.matches.front().entry_id) + " " +
                                  std::string(to_string(d.matches.front().view)));
      }
    }
  }

  // The gate: every (family, language) cell with variants at RATE or more.
  std::vector<std::string> failing;
  Tally overall;
  for (const auto& [family, by_lang] : table) {
    for (const auto& [lang, t] : by_lang) {
      overall.total += t.total;
      overall.caught += t.caught;
      if (args.fail_under >= 0 && t.total > 0 && t.rate() < args.fail_under)
        failing.push_back(family + "/" + lang + " " + percent(t));
    }
  }
  std::size_t clean_misses = 0;
  for (const EntryReport& r : entries) clean_misses += !r.clean_matches;

  std::string out;
  if (args.format == "jsonl") {
    for (const EntryReport& r : entries) {
      out += json_record_start() + "\"entry\":";
      append_json_string(out, r.id);
      out += ",\"language\":";
      append_json_string(out, r.language);
      out += ",\"query\":";
      append_json_string(out, r.query);
      out += ",\"clean_matches\":";
      out += r.clean_matches ? "true" : "false";
      out += ",\"variants\":[";
      for (std::size_t i = 0; i < r.variants.size(); ++i) {
        if (i) out += ',';
        const EntryReport::Tried& t = r.variants[i];
        out += "{\"family\":";
        append_json_string(out, t.variant.family);
        out += ",\"text\":";
        append_json_string(out, t.variant.text);
        out += ",\"caught\":";
        out += t.caught ? "true" : "false";
        if (t.off) out += ",\"view_off\":true";
        out += '}';
      }
      out += "]}\n";
    }
    out += json_record_start() + "\"summary\":{\"entries\":" + std::to_string(entries.size()) +
           ",\"skipped\":" + std::to_string(skipped) +
           ",\"variants\":" + std::to_string(overall.total) +
           ",\"caught\":" + std::to_string(overall.caught) +
           ",\"view_off\":" + std::to_string(switched_off) + ",\"families\":{";
    bool first_family = true;
    for (const auto& [family, by_lang] : table) {
      if (!first_family) out += ',';
      first_family = false;
      append_json_string(out, family);
      out += ":{";
      bool first = true;
      for (const auto& [lang, t] : by_lang) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, lang);
        out += ":[" + std::to_string(t.caught) + "," + std::to_string(t.total) + "]";
      }
      out += '}';
    }
    out += "},\"benign\":{\"files\":" + std::to_string(benign.files) +
           ",\"lines\":" + std::to_string(benign.lines) +
           ",\"matched\":" + std::to_string(benign.matched) +
           ",\"prompted\":" + std::to_string(benign.prompted) + ",\"by_view\":{";
    bool first_view = true;
    for (const auto& [view, n] : benign.by_view) {
      if (!first_view) out += ',';
      first_view = false;
      append_json_string(out, view);
      out += ":" + std::to_string(n);
    }
    out += "}}}}\n";
  } else {
    char head[160];
    std::snprintf(head, sizeof head,
                  "probe: %zu entries (%zu regexes and exceptions not probed), %zu variants, "
                  "%zu caught (%.1f%%)\n",
                  entries.size(), skipped, overall.total, overall.caught, 100.0 * overall.rate());
    out += head;
    out += "\n" + pad("family", 13);
    for (const std::string& lang : languages) out += pad(lang, 17);
    out += "all\n";
    for (std::string_view family : probe::families()) {
      auto it = table.find(std::string(family));
      if (it == table.end()) continue;
      out += pad(std::string(family), 13);
      Tally all;
      for (const std::string& lang : languages) {
        auto lt = it->second.find(lang);
        const Tally t = lt == it->second.end() ? Tally{} : lt->second;
        all.caught += t.caught;
        all.total += t.total;
        out += pad(percent(t), 17);
      }
      out += percent(all) + "\n";
    }
    if (clean_misses) {
      out += "\nentries whose own text does not match (not probed):\n";
      for (const EntryReport& r : entries) {
        if (!r.clean_matches) out += "  " + r.id + "  \"" + r.query + "\"\n";
      }
    }
    if (switched_off) {
      out += "\n" + std::to_string(switched_off) +
             " variants not counted: they need a view their entry switches off "
             "($views=, ! views:)\n";
    }
    std::size_t shown = 0, missed = 0;
    std::string misses;
    for (const EntryReport& r : entries) {
      for (const EntryReport::Tried& t : r.variants) {
        if (t.caught || t.off) continue;
        ++missed;
        if (shown++ < args.show) {
          misses += "  " + pad(r.id, 14) + pad(std::string(t.variant.family), 12) + "\"" +
                    t.variant.text + "\"\n";
        }
      }
    }
    if (missed) {
      out += "\nvariants that get through (" + std::to_string(missed) + "):\n" + misses;
      if (missed > args.show) out += "  ... (--show N for more)\n";
    }
    out += "\nbenign: " + std::to_string(benign.lines) + " lines in " +
           std::to_string(benign.files) + " files: " + std::to_string(benign.matched) +
           " matched, " + std::to_string(benign.prompted) + " prompted or blocked";
    if (!benign.by_view.empty()) {
      out += " (by view:";
      for (const auto& [view, n] : benign.by_view) out += " " + view + " " + std::to_string(n);
      out += ")";
    }
    out += "\n";
    for (const std::string& e : benign.examples) out += "  " + e + "\n";
    if (!failing.empty()) {
      out += "\nbelow --fail-under:\n";
      for (const std::string& f : failing) out += "  " + f + "\n";
    }
  }
  std::cout << out;
  return failing.empty() && clean_misses == 0 ? kExitOk : kExitFindings;
}

}  // namespace

void add_probe_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ProbeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "probe", "Spell every entry the ways people obfuscate it and report which variants get "
               "through (recall per family and language), and what matches benign text");
  cmd->add_option("--lists", args->lists, "List directory or compiled database")->required();
  cmd->add_option("--format", args->format, "text or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}));
  cmd->add_option("--fail-under", args->fail_under,
                  "Exit 1 when any family's recall in any language is below this rate (0 to 1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--families", args->families,
                  "Only these families (comma separated): case, width, accents, invisible, "
                  "spacing, repeats, leet, symbols, lookalikes, confusables, joined, hashtag, "
                  "romanized, composed, typos")
      ->delimiter(',');
  cmd->add_option("--benign", args->benign,
                  "Benign text files (one query per line) or directories of *.txt files "
                  "(default: the bundled samples, as deter lint)");
  cmd->add_flag("--no-benign", args->no_benign, "Skip the benign side");
  cmd->add_option("--show", args->show, "How many variants that get through to list (text)");
  cmd->callback([args, &exit_code] { exit_code = run_probe(*args); });
}

}  // namespace deter::cli
