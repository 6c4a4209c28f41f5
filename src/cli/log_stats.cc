#include "cli/log_stats.h"

namespace deter::cli {

LogStats::LogStats(const Filter& filter) {
  for (const ListInfo& list : filter.lists()) {
    language_of_file_[list.file] = list.language.empty() ? "und" : list.language;
  }
}

std::string_view LogStats::decisive_language(const Decision& d) const {
  if (d.action == Action::allow || d.matches.empty()) return {};
  // The same winner check() picks: highest action, then severity, first wins.
  const Match* winner = &d.matches.front();
  for (const Match& m : d.matches) {
    if (m.action > winner->action ||
        (m.action == winner->action && m.severity > winner->severity)) {
      winner = &m;
    }
  }
  std::string_view file = winner->entry_id.substr(0, winner->entry_id.rfind(':'));
  auto it = language_of_file_.find(file);
  return it == language_of_file_.end() ? std::string_view("und") : std::string_view(it->second);
}

void LogStats::add(std::string_view query, std::uint64_t count, const Decision& d) {
  total.add(count);
  const std::size_t a = action_index(d.action);
  by_action[a].add(count);
  by_script[static_cast<std::size_t>(dominant_script(query))][a].add(count);
  if (d.matches.empty()) return;
  std::array<bool, kViewCount> seen{};
  for (const Match& m : d.matches) {
    seen[static_cast<std::size_t>(m.view)] = true;
    by_entry[m.entry_id].add(count);
  }
  for (std::size_t v = 0; v < seen.size(); ++v) {
    if (seen[v]) by_view[v].add(count);
  }
  if (d.action == Action::allow) return;
  auto slot = [](auto& map, std::string_view key) -> auto& {
    auto it = map.find(key);
    if (it == map.end())
      it = map.emplace(std::string(key), typename std::decay_t<decltype(map)>::mapped_type{}).first;
    return it->second;
  };
  slot(by_category, d.category)[a].add(count);
  slot(by_language, decisive_language(d))[a].add(count);
  if (d.message != nullptr) slot(by_message_locale, d.message->locale).add(count);
}

void LogStats::merge(const LogStats& o) {
  total.merge(o.total);
  for (std::size_t a = 0; a < kActions.size(); ++a) by_action[a].merge(o.by_action[a]);
  for (std::size_t s = 0; s < by_script.size(); ++s) {
    for (std::size_t a = 0; a < kActions.size(); ++a) by_script[s][a].merge(o.by_script[s][a]);
  }
  for (std::size_t v = 0; v < by_view.size(); ++v) by_view[v].merge(o.by_view[v]);
  for (const auto& [k, t] : o.by_entry) by_entry[k].merge(t);
  for (const auto& [k, t] : o.by_category) {
    auto& mine = by_category[k];
    for (std::size_t a = 0; a < kActions.size(); ++a) mine[a].merge(t[a]);
  }
  for (const auto& [k, t] : o.by_language) {
    auto& mine = by_language[k];
    for (std::size_t a = 0; a < kActions.size(); ++a) mine[a].merge(t[a]);
  }
  for (const auto& [k, t] : o.by_message_locale) by_message_locale[k].merge(t);
}

}  // namespace deter::cli
