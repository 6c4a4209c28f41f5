#include "cli/stats_report.h"

#include <cstdio>

#include "cli/common.h"
#include "cli/report.h"

namespace deter::cli {
namespace {

PublishedCount count_of(std::uint64_t v) { return {v, false}; }

PublishedRow& row_ref(PublishedRow& r) { return r; }
PublishedRow& row_ref(std::pair<std::string, PublishedRow>& r) { return r.second; }

PublishedRow row_of(const ActionTallies& t) {
  PublishedRow r;
  for (std::size_t a = 0; a < kActions.size(); ++a) {
    r.by_action[a] = count_of(t[a].searches);
    r.total.value += t[a].searches;
  }
  r.decided.value = r.total.value - t[0].searches;
  return r;
}

// A total and the cells it is the sum of.
struct Relation {
  std::vector<PublishedCount*> cells;
  PublishedCount* total;
};

// Suppresses cells until no relation gives a suppressed cell back (see the
// header). Returns true when it changed anything.
bool protect(const Relation& r, std::uint64_t min_count) {
  if (r.total->suppressed) {
    // A total recomputable from published cells must have one of them hidden.
    for (const PublishedCount* c : r.cells) {
      if (c->suppressed) return false;
    }
  } else {
    std::size_t hidden = 0;
    std::uint64_t hidden_sum = 0;
    for (const PublishedCount* c : r.cells) {
      if (c->suppressed) {
        ++hidden;
        hidden_sum += c->value;
      }
    }
    if (hidden == 0 || (hidden > 1 && hidden_sum >= min_count)) return false;
  }
  PublishedCount* smallest = nullptr;
  for (PublishedCount* c : r.cells) {
    if (!c->suppressed && (smallest == nullptr || c->value < smallest->value)) smallest = c;
  }
  if (smallest == nullptr) {
    if (r.total->suppressed) return false;
    smallest = r.total;
  }
  smallest->suppressed = true;
  return true;
}

void add_row_relations(std::vector<Relation>& out, PublishedRow& row, bool with_allow) {
  out.push_back({{&row.by_action[1], &row.by_action[2], &row.by_action[3]}, &row.decided});
  if (!with_allow) return;
  out.push_back(
      {{&row.by_action[0], &row.by_action[1], &row.by_action[2], &row.by_action[3]}, &row.total});
  out.push_back({{&row.by_action[0], &row.decided}, &row.total});
}

// The columns of a breakdown add up to the overall row.
template <class Rows>
void add_column_relations(std::vector<Relation>& out, Rows& rows, PublishedRow& overall,
                          bool with_allow) {
  auto column = [&](auto member) {
    Relation r{{}, &member(overall)};
    for (auto& row : rows) r.cells.push_back(&member(row));
    if (!r.cells.empty()) out.push_back(std::move(r));
  };
  for (std::size_t a = with_allow ? 0 : 1; a < kActions.size(); ++a) {
    column([a](auto& row) -> PublishedCount& { return row_ref(row).by_action[a]; });
  }
  column([](auto& row) -> PublishedCount& { return row_ref(row).decided; });
  if (with_allow) column([](auto& row) -> PublishedCount& { return row_ref(row).total; });
}

}  // namespace

PublishedStats publish_stats(const LogStats& s, std::uint64_t min_count) {
  PublishedStats p;
  p.min_count = min_count;
  p.distinct_queries = count_of(s.total.queries);
  p.overall = row_of(s.by_action);
  for (const auto& [k, t] : s.by_category) p.by_category.emplace_back(k, row_of(t));
  for (const auto& [k, t] : s.by_language) p.by_language.emplace_back(k, row_of(t));
  for (std::size_t i = 0; i < kScripts.size(); ++i) p.by_script[i] = row_of(s.by_script[i]);
  for (const auto& [k, t] : s.by_message_locale)
    p.by_message_locale.emplace_back(k, count_of(t.searches));

  // Every published cell, for primary suppression.
  std::vector<PublishedCount*> cells = {&p.distinct_queries};
  auto row_cells = [&](PublishedRow& r) {
    for (PublishedCount& c : r.by_action) cells.push_back(&c);
    cells.push_back(&r.decided);
    cells.push_back(&r.total);
  };
  row_cells(p.overall);
  for (auto& [k, r] : p.by_category) row_cells(r);
  for (auto& [k, r] : p.by_language) row_cells(r);
  for (PublishedRow& r : p.by_script) row_cells(r);
  for (auto& [k, c] : p.by_message_locale) cells.push_back(&c);
  for (PublishedCount* c : cells) c->suppressed = c->value > 0 && c->value < min_count;

  std::vector<Relation> relations;
  add_row_relations(relations, p.overall, true);
  for (PublishedRow& r : p.by_script) add_row_relations(relations, r, true);
  for (auto& [k, r] : p.by_category) add_row_relations(relations, r, false);
  for (auto& [k, r] : p.by_language) add_row_relations(relations, r, false);
  add_column_relations(relations, p.by_category, p.overall, false);
  add_column_relations(relations, p.by_language, p.overall, false);
  add_column_relations(relations, p.by_script, p.overall, true);
  for (bool changed = true; changed;) {
    changed = false;
    for (const Relation& r : relations) changed |= protect(r, min_count);
  }
  // In rows of decided queries the total is the decided count.
  for (auto* rows : {&p.by_category, &p.by_language}) {
    for (auto& [k, r] : *rows) r.total = r.decided;
  }
  // Each cell once: in decided-only rows total mirrors decided.
  for (PublishedCount* c : cells) p.suppressed_cells += c->suppressed;
  for (auto* rows : {&p.by_category, &p.by_language}) {
    for (auto& [k, r] : *rows) p.suppressed_cells -= r.total.suppressed;
  }
  return p;
}

namespace {

void json_count(std::string& out, const PublishedCount& c) {
  out += c.suppressed ? "null" : std::to_string(c.value);
}

void json_row(std::string& out, const PublishedRow& r, bool with_allow) {
  out += "{";
  for (std::size_t a = with_allow ? 0 : 1; a < kActions.size(); ++a) {
    out += "\"" + std::string(to_string(kActions[a])) + "\":";
    json_count(out, r.by_action[a]);
    out += ",";
  }
  out += "\"total\":";
  json_count(out, with_allow ? r.total : r.decided);
  out += "}";
}

void json_rows(std::string& out, const std::vector<std::pair<std::string, PublishedRow>>& rows) {
  out += "{";
  bool first = true;
  for (const auto& [key, r] : rows) {
    if (!first) out += ",";
    first = false;
    append_json_string(out, key);
    out += ":";
    json_row(out, r, false);
  }
  out += "}";
}

}  // namespace

std::string stats_json(const PublishedStats& s) {
  std::string out = json_record_start() + "\"searches\":";
  json_count(out, s.overall.total);
  out += ",\"distinct_queries\":";
  json_count(out, s.distinct_queries);
  out += ",\"suppression\":{\"min_count\":" + std::to_string(s.min_count) +
         ",\"suppressed_cells\":" + std::to_string(s.suppressed_cells) + "}";
  out += ",\"by_action\":";
  json_row(out, s.overall, true);
  out += ",\"by_category\":";
  json_rows(out, s.by_category);
  out += ",\"by_language\":";
  json_rows(out, s.by_language);
  out += ",\"by_script\":{";
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    if (i) out += ",";
    out += "\"" + std::string(to_string(kScripts[i])) + "\":";
    json_row(out, s.by_script[i], true);
  }
  out += "},\"by_message_locale\":{";
  bool first = true;
  for (const auto& [locale, c] : s.by_message_locale) {
    if (!first) out += ",";
    first = false;
    append_json_string(out, locale);
    out += ":";
    json_count(out, c);
  }
  out += "}}\n";
  return out;
}

namespace {

std::string text_count(const PublishedCount& c) {
  return c.suppressed ? "x" : format_count(c.value);
}

std::string text_share(const PublishedCount& part, const PublishedCount& whole) {
  return part.suppressed || whole.suppressed ? "-" : format_percent(part.value, whole.value);
}

std::string text_row(std::string_view name, const PublishedRow& r, const PublishedCount& whole) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-14.*s %14s %12s %12s %12s %9s\n",
                static_cast<int>(name.size()), name.data(), text_count(r.decided).c_str(),
                text_count(r.by_action[1]).c_str(), text_count(r.by_action[2]).c_str(),
                text_count(r.by_action[3]).c_str(), text_share(r.decided, whole).c_str());
  return buf;
}

}  // namespace

std::string stats_text(const PublishedStats& s, std::string_view log_name) {
  const PublishedCount& total = s.overall.total;
  std::string out = "searches       " + text_count(total) + " (" + text_count(s.distinct_queries) +
                    " distinct queries) in " + escaped(log_name) + "\n";
  out += "with a decision " + text_count(s.overall.decided) + " (" +
         text_share(s.overall.decided, total) + ")\n";
  if (s.min_count > 1) {
    out += "small counts suppressed: x is a count below " + std::to_string(s.min_count) +
           " or one that would give such a count back by subtraction (" +
           std::to_string(s.suppressed_cells) + " cells)\n";
  }
  out += "\n";
  char head[256];
  std::snprintf(head, sizeof head, "  %-14s %14s %12s %12s %12s %9s\n", "", "decided", "inform",
                "prompt", "block", "share");
  auto table = [&](const char* title, const auto& rows) {
    out += title;
    out += "\n";
    out += head;
    if (rows.empty()) out += "  (none)\n";
    for (const auto& [key, r] : rows) out += text_row(escaped(key), r, total);
    out += "\n";
  };
  table("by category", s.by_category);
  table("by language (of the list that decided)", s.by_language);
  out += "by script of the query (share: of the searches in that script)\n";
  out += head;
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    const PublishedRow& r = s.by_script[i];
    if (!r.total.suppressed && r.total.value == 0) continue;
    out += text_row(to_string(kScripts[i]), r, r.total);
  }
  out += "\nprompts shown by message language\n";
  if (s.by_message_locale.empty()) out += "  (none)\n";
  for (const auto& [locale, c] : s.by_message_locale) {
    out += "  " + escaped(locale) + " " + text_count(c) + "\n";
  }
  return out;
}

}  // namespace deter::cli
