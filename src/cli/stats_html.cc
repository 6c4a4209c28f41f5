#include "cli/stats_html.h"

#include "cli/html_report.h"
#include "cli/report.h"
#include "cli/script.h"

namespace deter::cli {
namespace {

std::string count_text(const PublishedCount& c) {
  return c.suppressed ? "x" : format_count(c.value);
}

std::string share_text(const PublishedCount& part, const PublishedCount& whole) {
  if (part.suppressed || whole.suppressed) return "-";
  return format_percent(part.value, whole.value);
}

// The searches with a decision in a row that has every action (overall, a
// script): the JSON publishes allow and total there, not this count, so it
// is shown only when those two give it.
PublishedCount decided_of(const PublishedRow& r) {
  const PublishedCount& allow = r.by_action[0];
  if (r.total.suppressed || allow.suppressed) return {0, true};
  return {r.total.value - allow.value, false};
}

// A bar of a published count; a suppressed one has none.
Bar count_bar(std::string label, const PublishedCount& c, const PublishedCount& whole) {
  if (c.suppressed) return {std::move(label), 0, "x (suppressed)"};
  return {std::move(label), static_cast<double>(c.value),
          format_count(c.value) + " (" + share_text(c, whole) + ")"};
}

void row_section(HtmlReport& page, const char* title, const char* chart,
                 const std::vector<std::pair<std::string, PublishedRow>>& rows,
                 const PublishedCount& total) {
  page.heading(title);
  std::vector<Bar> bars;
  std::vector<std::vector<std::string>> cells;
  for (const auto& [key, r] : rows) {
    bars.push_back(count_bar(key, r.decided, total));
    cells.push_back({key, count_text(r.decided), count_text(r.by_action[1]),
                     count_text(r.by_action[2]), count_text(r.by_action[3]),
                     share_text(r.decided, total)});
  }
  page.bar_chart(chart, bars, "no searches with a decision");
  if (!cells.empty()) {
    page.table({"", "decided", "inform", "prompt", "block", "share of all searches"}, cells);
  }
}

}  // namespace

std::string stats_html(const PublishedStats& s, std::string_view lists, std::size_t entries,
                       std::string_view log_name) {
  HtmlReport page("deter stats: " + std::string(log_name));
  const PublishedCount& total = s.overall.total;
  const PublishedCount decided = decided_of(s.overall);
  page.facts({{"searches", count_text(total)},
              {"distinct queries", count_text(s.distinct_queries)},
              {"with a decision", count_text(decided) + " (" + share_text(decided, total) + ")"}});
  if (s.min_count > 1) {
    page.paragraph("Small counts are suppressed: x is a count below " +
                   std::to_string(s.min_count) +
                   " or one that would give such a count back by subtraction (" +
                   std::to_string(s.suppressed_cells) +
                   " cells); a share that would need one is shown as -. No query text and no "
                   "entry is shown.");
  } else {
    page.paragraph("Every count is shown (--min-count " + std::to_string(s.min_count) +
                   "). No query text and no entry is shown.");
  }

  page.heading("By action");
  std::vector<Bar> actions;
  for (std::size_t a = 0; a < kActions.size(); ++a) {
    actions.push_back(
        count_bar(std::string(to_string(kActions[a])), s.overall.by_action[a], total));
  }
  page.bar_chart("Searches by action", actions, "no searches");

  row_section(page, "By category", "Searches with a decision, by category", s.by_category, total);
  row_section(page, "By language",
              "Searches with a decision, by the language of the list that decided", s.by_language,
              total);

  page.heading("By script of the query");
  std::vector<Bar> scripts;
  std::vector<std::vector<std::string>> cells;
  for (std::size_t i = 0; i < kScripts.size(); ++i) {
    const PublishedRow& r = s.by_script[i];
    if (!r.total.suppressed && r.total.value == 0) continue;
    const std::string name(to_string(kScripts[i]));
    const PublishedCount d = decided_of(r);
    if (d.suppressed) {
      scripts.push_back({name, 0, "x (suppressed)"});
    } else {
      scripts.push_back({name, 100.0 * ratio(d.value, r.total.value),
                         format_count(d.value) + " of " + format_count(r.total.value) + " (" +
                             share_text(d, r.total) + ")"});
    }
    cells.push_back({name, count_text(r.total), count_text(r.by_action[0]),
                     count_text(r.by_action[1]), count_text(r.by_action[2]),
                     count_text(r.by_action[3]), share_text(d, r.total)});
  }
  page.bar_chart("Share of the searches in each script that got a decision", scripts,
                 "no searches");
  if (!cells.empty()) {
    page.table({"", "searches", "allow", "inform", "prompt", "block", "share decided"}, cells);
  }

  page.heading("Prompts shown, by message language");
  std::vector<Bar> locales;
  for (const auto& [locale, c] : s.by_message_locale) {
    locales.push_back(count_bar(locale, c, decided));
  }
  page.bar_chart("Prompts and blocks shown, by the language of the message", locales,
                 "no prompts shown");

  page.heading("Lists and machine");
  std::vector<std::pair<std::string, std::string>> facts = {
      {"lists", std::string(lists)},
      {"entries", format_count(entries)},
      {"query log", std::string(log_name)},
      {"--min-count", std::to_string(s.min_count)}};
  for (auto& fact : machine_facts()) facts.push_back(std::move(fact));
  page.facts(facts);
  return page.finish();
}

}  // namespace deter::cli
