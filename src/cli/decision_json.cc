#include "cli/decision_json.h"

#include <charconv>

#include "cli/common.h"

namespace deter::cli {
namespace {

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void append_flags(std::string& out, std::uint32_t flags) {
  out += "[";
  bool first = true;
  auto add = [&](DecisionFlag f, std::string_view name) {
    if (!(flags & f)) return;
    if (!first) out += ",";
    out += "\"";
    out += name;
    out += "\"";
    first = false;
  };
  add(kFlagTruncated, "truncated");
  add(kFlagInvalidUtf8, "invalid_utf8");
  add(kFlagNoList, "no_list");
  add(kFlagInternalError, "internal_error");
  add(kFlagCapped, "capped");
  out += "]";
}

}  // namespace

void append_decision_json(std::string& out, std::string_view query, const Decision& d) {
  // Built once: the sidecar writes a thousand of these a batch.
  static const std::string record_start = json_record_start();
  out += record_start;
  out += "\"query\":";
  append_json_string(out, query);
  out += ",\"action\":\"";
  out += to_string(d.action);
  out += "\",\"category\":";
  append_json_string(out, d.category);
  out += ",\"severity\":";
  append_number(out, d.severity);
  out += ",\"message\":";
  if (d.message == nullptr) {
    out += "null";
  } else {
    out += "{\"key\":";
    append_json_string(out, d.message->key);
    out += ",\"locale\":";
    append_json_string(out, d.message->locale);
    out += ",\"title\":";
    append_json_string(out, d.message->title);
    out += ",\"body\":";
    append_json_string(out, d.message->body);
    out += ",\"links\":[";
    for (std::size_t i = 0; i < d.message->links.size(); ++i) {
      if (i) out += ",";
      append_json_string(out, d.message->links[i]);
    }
    out += "]}";
  }
  out += ",\"matches\":[";
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    const Match& m = d.matches[i];
    if (i) out += ",";
    out += "{\"entry\":";
    append_json_string(out, m.entry_id);
    out += ",\"action\":\"";
    out += to_string(m.action);
    out += "\",\"category\":";
    append_json_string(out, m.category);
    append_match_place_json(out, query, m);
    out += "}";
  }
  out += "],\"flags\":";
  append_flags(out, d.flags);
  out += "}";
}

void append_match_place_json(std::string& out, std::string_view query, const Match& m) {
  out += ",\"view\":\"";
  out += to_string(m.view);
  out += "\",\"folds\":";
  append_fold_chain_json(out, m.folds);
  out += ",\"begin\":";
  append_number(out, m.begin);
  out += ",\"end\":";
  append_number(out, m.end);
  out += ",\"text\":";
  append_json_string(out, query.substr(m.begin, m.end - m.begin));
}

}  // namespace deter::cli
