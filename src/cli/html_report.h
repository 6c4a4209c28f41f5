// One self-contained HTML page for `deter bench --format html` and `deter
// stats --format html`: inline CSS and SVG charts, no script, no font, no
// request to any network, so the file can be mailed, archived or opened
// offline and shows the same thing everywhere.
#ifndef DETER_CLI_HTML_REPORT_H_
#define DETER_CLI_HTML_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace deter::cli {

// A bar of a chart: its label, its value, and the text shown beside it
// (e.g. "1,204 (3.1%)").
struct Bar {
  std::string label;
  double value = 0;
  std::string text;
};

class HtmlReport {
 public:
  explicit HtmlReport(std::string title);

  void heading(std::string_view text);
  void paragraph(std::string_view text);
  // A two-column table of facts (name, value).
  void facts(const std::vector<std::pair<std::string, std::string>>& rows);
  // A table with a header row; every cell is text.
  void table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows);
  // Horizontal bars scaled to the largest value; `empty` is said when there
  // are none.
  void bar_chart(std::string_view title, const std::vector<Bar>& bars, std::string_view empty);
  // Vertical bars over ordered buckets (a histogram), with vertical lines
  // at marked positions (e.g. percentiles) given as fractional bucket indices.
  void histogram(std::string_view title, const std::vector<Bar>& buckets,
                 const std::vector<std::pair<std::string, double>>& marks);

  std::string finish() const;

 private:
  std::string title_;
  std::string body_;
};

// Text for HTML element content and attribute values.
std::string html_escape(std::string_view s);

// The machine a report was made on: CPU model, cores, kernel, deter's
// version and compiler, and the date (UTC).
std::vector<std::pair<std::string, std::string>> machine_facts();

}  // namespace deter::cli

#endif  // DETER_CLI_HTML_REPORT_H_
