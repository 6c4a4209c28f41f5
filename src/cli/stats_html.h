// deter stats --format html: the published counts as a self-contained page.
#ifndef DETER_CLI_STATS_HTML_H_
#define DETER_CLI_STATS_HTML_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "cli/stats_report.h"

namespace deter::cli {

// Drawn from the PublishedStats the JSON and text writers read, so that the
// page shows exactly what they publish: a suppressed count gets no bar and
// reads "x", a share that would need one reads "-".
std::string stats_html(const PublishedStats& stats, std::string_view lists, std::size_t entries,
                       std::string_view log_name);

}  // namespace deter::cli

#endif  // DETER_CLI_STATS_HTML_H_
