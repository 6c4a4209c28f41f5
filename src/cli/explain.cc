// deter explain: show every view of a query and which entries matched in
// which view (or through which chain of folds, "homoglyph → leet →
// phonetic"), with the matched span marked in the query: the tool a list
// maintainer uses to understand a decision. --format json writes the same
// as one JSON object per query.
#include <unistd.h>

#include <iostream>
#include <set>

#include "cli/common.h"
#include "cli/decision_json.h"
#include "cli/line_reader.h"

namespace deter::cli {
namespace {

struct ExplainArgs {
  std::string lists;
  std::vector<std::string> queries;
  std::string locale;
  std::string format = "text";
};

// The query with [brackets] around bytes [begin, end), escaped (the text
// output's convention, append_escaped) piece by piece.
std::string highlight(std::string_view query, std::size_t begin, std::size_t end) {
  std::string out = escaped(query.substr(0, begin));
  out += "[";
  append_escaped(out, query.substr(begin, end - begin));
  out += "]";
  append_escaped(out, query.substr(end));
  return out;
}

// The space-separated words of a view's text.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// s escaped, then padded with spaces to `width` bytes (one space at least:
// a chain of folds can be longer).
std::string pad(std::string_view s, std::size_t width) {
  std::string out = escaped(s);
  out.append(out.size() < width ? width - out.size() : 1, ' ');
  return out;
}

void explain_one(const Filter& filter, std::string_view query, bool cut,
                 const CheckOptions& options, std::string& out) {
  out += "query      ";
  append_escaped(out, query);
  out += "\n";
  std::string base;
  std::string phonetic;
  for (const auto& [view, text] : filter.views_of(query)) {
    out += "  ";
    out += pad(to_string(view), 10);
    out += "\"" + escaped(text) + "\"";
    if (view == View::base) {
      base = text;
    } else if (text == base) {
      out += "  (same as base)";
    }
    if (view == View::phonetic) phonetic = text;
    out += "\n";
    if (view == View::fuzzy && text != base) {
      // The fuzzy view's lines (its words, its keys, then a line for each
      // further candidate) stand token for token for the base form's or
      // the phonetic view's: say what each corrected.
      const std::string_view from[2] = {base, phonetic.empty() ? base : phonetic};
      const std::vector<std::string_view> was[2] = {words(from[0]), words(from[1])};
      std::set<std::string> said;
      std::size_t begin = 0;
      for (std::size_t line = 0; begin <= text.size(); ++line) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        const std::vector<std::string_view> b = words(std::string_view(text).substr(begin, end - begin));
        begin = end + 1;
        // The first line is words; a further one is words or keys,
        // whichever it shares more tokens with (the second, on a tie: the
        // keys come second when there are any).
        int p = 0;
        if (line > 0) {
          std::size_t same[2] = {0, 0};
          for (int q = 0; q < 2; ++q) {
            for (std::size_t i = 0; i < was[q].size() && i < b.size(); ++i) same[q] += was[q][i] == b[i];
          }
          p = same[0] > same[1] || (same[0] == same[1] && line > 1) ? 0 : 1;
        }
        const std::vector<std::string_view>& a = was[p];
        for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
          if (a[i] == b[i]) continue;
          std::string say = "            corrected " + std::string(p == 0 ? "word " : "key ") + "\"" +
                            escaped(a[i]) + "\" to \"" + escaped(b[i]) + "\"\n";
          if (said.insert(say).second) out += say;
        }
      }
    }
  }
  Decision d = filter.check(query, options);
  if (cut) d.flags |= kFlagTruncated;
  out += "found\n";
  if (d.occurrences.empty()) out += "  (nothing)\n";
  std::set<std::tuple<std::string_view, unsigned, std::size_t, std::size_t>> seen;
  for (const Match& m : d.occurrences) {
    if (!seen.insert({m.entry_id, m.folds.bits(), m.begin, m.end}).second) continue;
    out += "  " + pad(m.entry_id, 18) + pad(fold_chain_text(m.folds), 10) +
           highlight(query, m.begin, m.end) + "\n";
  }
  out += "decision   ";
  out += to_string(d.action);
  if (d.action != Action::allow) {
    out += " category=" + escaped(d.category) + " severity=" + std::to_string(d.severity);
  }
  out += "\n";
  for (const Match& m : d.matches) {
    out += "  match      " + pad(m.entry_id, 18) + pad(fold_chain_text(m.folds), 10) +
           pad(to_string(m.action), 7) + highlight(query, m.begin, m.end) + "\n";
  }
  for (const Match& m : d.suppressed) {
    out += "  suppressed " + pad(m.entry_id, 18) + pad(fold_chain_text(m.folds), 10) + "by " +
           escaped(m.suppressed_by) + "  " + highlight(query, m.begin, m.end) + "\n";
  }
  if (d.flags & kFlagTruncated) out += "  (query truncated)\n";
  if (d.flags & kFlagInvalidUtf8) out += "  (query holds invalid UTF-8)\n";
}

// One match as a JSON object: its entry, view, chain of folds and span.
void append_match_json(std::string& out, std::string_view query, const Match& m) {
  out += "{\"entry\":";
  append_json_string(out, m.entry_id);
  append_match_place_json(out, query, m);
  out += "}";
}

// explain_one as one line of JSON.
void explain_one_json(const Filter& filter, std::string_view query, bool cut,
                      const CheckOptions& options, std::string& out) {
  out += json_record_start() + "\"query\":";
  append_json_string(out, query);
  out += ",\"views\":{";
  bool first = true;
  for (const auto& [view, text] : filter.views_of(query)) {
    if (!first) out += ",";
    first = false;
    out += "\"";
    out += to_string(view);
    out += "\":";
    append_json_string(out, text);
  }
  Decision d = filter.check(query, options);
  if (cut) d.flags |= kFlagTruncated;
  out += "},\"found\":[";
  std::set<std::tuple<std::string_view, unsigned, std::size_t, std::size_t>> seen;
  first = true;
  for (const Match& m : d.occurrences) {
    if (!seen.insert({m.entry_id, m.folds.bits(), m.begin, m.end}).second) continue;
    if (!first) out += ",";
    first = false;
    append_match_json(out, query, m);
  }
  out += "],\"action\":\"";
  out += to_string(d.action);
  out += "\",\"matches\":[";
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    if (i) out += ",";
    append_match_json(out, query, d.matches[i]);
  }
  out += "],\"truncated\":";
  out += (d.flags & kFlagTruncated) ? "true" : "false";
  out += "}\n";
}

int run_explain(const ExplainArgs& args) {
  std::optional<Filter> filter = open_lists(args.lists);
  if (!filter) return kExitUsage;
  CheckOptions options;
  options.explain = true;
  options.locale = args.locale;
  std::string out;
  const bool json = args.format == "json";
  auto one = [&](std::string_view q, bool cut) {
    if (json) {
      explain_one_json(*filter, q, cut, options, out);
      return;
    }
    if (!out.empty()) out += "\n";
    explain_one(*filter, q, cut, options, out);
  };
  if (!args.queries.empty()) {
    for (const std::string& q : args.queries) one(q, false);
  } else {
    // Lines past max_query_bytes are cut while read (check() would look at
    // their first part only), so a huge line costs no memory.
    LineReader reader(STDIN_FILENO, 1u << 20, filter->options().max_query_bytes);
    std::string_view line;
    bool cut = false;
    while (reader.next(line, &cut)) one(line, cut);
  }
  std::cout << out;
  return kExitOk;
}

}  // namespace

void add_explain_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExplainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "Show each view of a query and which entries matched in which view");
  cmd->add_option("--lists", args->lists, "List set directory (*.list + messages.toml)")
      ->required();
  add_trusted_key_option(cmd);
  cmd->add_option("query", args->queries, "Queries to explain; none: read stdin");
  cmd->add_option("--locale", args->locale, "Locale for messages, e.g. hi-IN");
  cmd->add_option("--format", args->format, "Output format: text, or json (one object a line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_explain(*args); });
}

}  // namespace deter::cli
