// A progress bar on stderr for long logs. Drawn only when stderr is a
// terminal, so redirected runs and pipelines see nothing.
#ifndef DETER_CLI_PROGRESS_H_
#define DETER_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace deter::cli {

class Progress {
 public:
  // `label` is printed before the bar ("reading", "checking").
  explicit Progress(std::string label, bool enabled = true);
  ~Progress();

  // Redraws at most ten times a second. `total` 0 means unknown: then only
  // `done` is shown.
  void update(std::uint64_t done, std::uint64_t total);
  // Clears the line.
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace deter::cli

#endif  // DETER_CLI_PROGRESS_H_
