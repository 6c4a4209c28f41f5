#include "cli/html_report.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <thread>

namespace deter::cli {
namespace {

constexpr std::string_view kStyle = R"(
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.15em .8em .15em 0;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:.8em 0}figcaption{font-weight:600;margin-bottom:.3em}
svg text{font:12px system-ui,sans-serif;fill:#1d1d1f}
.bar{fill:#3b6ea5}.mark{stroke:#c0392b;stroke-width:1.5}.axis{stroke:#888}
.muted{color:#666}
)";

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Characters, not bytes, so that labels in Indic scripts are sized alike.
std::size_t text_width(std::string_view s) {
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars;
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // Control bytes would make the page invalid; show them as U+FFFD.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

HtmlReport::HtmlReport(std::string title) : title_(std::move(title)) {}

void HtmlReport::heading(std::string_view text) { body_ += "<h2>" + html_escape(text) + "</h2>\n"; }

void HtmlReport::paragraph(std::string_view text) { body_ += "<p>" + html_escape(text) + "</p>\n"; }

void HtmlReport::facts(const std::vector<std::pair<std::string, std::string>>& rows) {
  body_ += "<table class=\"facts\">\n";
  for (const auto& [name, value] : rows) {
    body_ += "<tr><th>" + html_escape(name) + "</th><td>" + html_escape(value) + "</td></tr>\n";
  }
  body_ += "</table>\n";
}

void HtmlReport::table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
  // Columns after the first hold numbers: right-aligned.
  body_ += "<table>\n<tr>";
  for (std::size_t i = 0; i < header.size(); ++i) {
    body_ += std::string(i ? "<th class=\"n\">" : "<th>") + html_escape(header[i]) + "</th>";
  }
  body_ += "</tr>\n";
  for (const auto& row : rows) {
    body_ += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      body_ += std::string(i ? "<td class=\"n\">" : "<td>") + html_escape(row[i]) + "</td>";
    }
    body_ += "</tr>\n";
  }
  body_ += "</table>\n";
}

void HtmlReport::bar_chart(std::string_view title, const std::vector<Bar>& bars,
                           std::string_view empty) {
  body_ += "<figure><figcaption>" + html_escape(title) + "</figcaption>\n";
  if (bars.empty()) {
    body_ += "<p class=\"muted\">" + html_escape(empty) + "</p></figure>\n";
    return;
  }
  double max = 0;
  std::size_t label_chars = 4;
  for (const Bar& b : bars) {
    max = std::max(max, b.value);
    label_chars = std::max(label_chars, text_width(b.label));
  }
  const int label_w = static_cast<int>(std::min<std::size_t>(label_chars, 28) * 8 + 10);
  const int bar_w = 420;
  const int row_h = 22;
  const int width = label_w + bar_w + 150;
  const int height = static_cast<int>(bars.size()) * row_h + 6;
  body_ += "<svg role=\"img\" width=\"" + std::to_string(width) + "\" height=\"" +
           std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
           std::to_string(height) + "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const int y = static_cast<int>(i) * row_h + 3;
    // A non-zero value always shows: at least one pixel.
    double w = max > 0 ? b.value / max * bar_w : 0;
    if (b.value > 0) w = std::max(w, 1.0);
    body_ += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) +
             "\" text-anchor=\"end\">" + html_escape(b.label) + "</text>";
    // No value, no bar (a suppressed count must not leave a trace either).
    if (b.value > 0) {
      body_ += "<rect class=\"bar\" x=\"" + std::to_string(label_w) + "\" y=\"" +
               std::to_string(y + 2) + "\" width=\"" + fmt(w, 1) + "\" height=\"" +
               std::to_string(row_h - 6) + "\"><title>" + html_escape(b.label + ": " + b.text) +
               "</title></rect>";
    }
    body_ += "<text x=\"" + fmt(label_w + w + 6, 1) + "\" y=\"" + std::to_string(y + 15) + "\">" +
             html_escape(b.text) + "</text>\n";
  }
  body_ += "</svg></figure>\n";
}

void HtmlReport::histogram(std::string_view title, const std::vector<Bar>& buckets,
                           const std::vector<std::pair<std::string, double>>& marks) {
  body_ += "<figure><figcaption>" + html_escape(title) + "</figcaption>\n";
  if (buckets.empty()) {
    body_ += "<p class=\"muted\">no samples</p></figure>\n";
    return;
  }
  double max = 0;
  for (const Bar& b : buckets) max = std::max(max, b.value);
  const int left = 50, top = 24, plot_h = 200, bottom = 40;
  const int bucket_w = std::max(4, 640 / static_cast<int>(buckets.size()));
  const int plot_w = bucket_w * static_cast<int>(buckets.size());
  const int width = left + plot_w + 70;  // room for the last label, "≥12,345"
  const int height = top + plot_h + bottom;
  body_ += "<svg role=\"img\" width=\"" + std::to_string(width) + "\" height=\"" +
           std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
           std::to_string(height) + "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  body_ += "<line class=\"axis\" x1=\"" + std::to_string(left) + "\" y1=\"" +
           std::to_string(top + plot_h) + "\" x2=\"" + std::to_string(left + plot_w) + "\" y2=\"" +
           std::to_string(top + plot_h) + "\"/>\n";
  body_ += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + 4) +
           "\" text-anchor=\"end\">" + fmt(max, 0) + "</text>";
  body_ += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + plot_h) +
           "\" text-anchor=\"end\">0</text>\n";
  const std::size_t label_every = std::max<std::size_t>(1, buckets.size() / 8);
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const Bar& b = buckets[i];
    double h = max > 0 ? b.value / max * plot_h : 0;
    if (b.value > 0) h = std::max(h, 1.0);
    const int x = left + static_cast<int>(i) * bucket_w;
    body_ += "<rect class=\"bar\" x=\"" + std::to_string(x) + "\" y=\"" + fmt(top + plot_h - h, 1) +
             "\" width=\"" + std::to_string(bucket_w - 1) + "\" height=\"" + fmt(h, 1) +
             "\"><title>" + html_escape(b.label + ": " + b.text) + "</title></rect>";
    if (i % label_every == 0) {
      body_ += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(top + plot_h + 16) +
               "\">" + html_escape(b.label) + "</text>";
    }
    body_ += "\n";
  }
  for (const auto& [name, at] : marks) {
    const std::string x = fmt(left + at * bucket_w, 1);
    body_ += "<line class=\"mark\" x1=\"" + x + "\" y1=\"" + std::to_string(top - 4) + "\" x2=\"" +
             x + "\" y2=\"" + std::to_string(top + plot_h) + "\"/>";
    body_ += "<text x=\"" + x + "\" y=\"" + std::to_string(top - 8) + "\" text-anchor=\"middle\">" +
             html_escape(name) + "</text>\n";
  }
  body_ += "</svg></figure>\n";
}

std::string HtmlReport::finish() const {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  // No request leaves the page: styles inline, nothing loaded from anywhere.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n";
  out += "<title>" + html_escape(title_) + "</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n<h1>" + html_escape(title_) + "</h1>\n";
  out += body_;
  out += "</body></html>\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> machine_facts() {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) out.emplace_back("CPU", line.substr(colon + 2));
      break;
    }
  }
  out.emplace_back("hardware threads", std::to_string(std::thread::hardware_concurrency()));
  struct utsname u {};
  if (::uname(&u) == 0) {
    out.emplace_back("system", std::string(u.sysname) + " " + u.release + " " + u.machine);
  }
  out.emplace_back("deter", std::string(DETER_VERSION) + ", built by " + __VERSION__);
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm);
  out.emplace_back("date", date);
  return out;
}

}  // namespace deter::cli
