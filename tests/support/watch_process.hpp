// A running `devops-monitor watch` for tests: its stderr goes to a file the test reads while
// it runs.
#pragma once

#include <signal.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "support/monitor_world.hpp"
#include "support/process.hpp"

namespace devops_monitor::testing {

class WatchProcess {
 public:
  /// Starts `devops-monitor <args>` with the world's default flags.
  WatchProcess(MonitorWorld& world, const std::vector<std::string>& args);

  /// Everything it logged so far.
  [[nodiscard]] std::string log() const;
  /// How many checks it logged so far.
  [[nodiscard]] std::size_t checks() const;
  bool wait_for_log(const std::string& needle, std::size_t times = 1,
                    std::chrono::milliseconds limit = std::chrono::seconds(15));
  bool wait_for_checks(std::size_t n);
  /// Sends `signal` and waits for the exit; `took` is the time from the signal to the exit.
  RunResult stop(int signal = SIGTERM);
  void signal(int signal) { process_.kill(signal); }

  std::chrono::milliseconds took{0};

 private:
  std::filesystem::path log_file_;
  Process process_;
};

}  // namespace devops_monitor::testing
