// Raw system measurements: what the collectors read, before any threshold is applied.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/report.hpp"

namespace devops_monitor {

/// Cumulative CPU time counters of the aggregate "cpu" line of /proc/stat, in USER_HZ ticks.
struct CpuTimes {
  std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0;
  std::uint64_t irq = 0, softirq = 0, steal = 0, guest = 0, guest_nice = 0;
};

/// One reading of /proc/stat.
struct CpuStat {
  CpuTimes total;     // the aggregate "cpu" line
  int cpu_count = 0;  // number of "cpuN" lines
};

struct MemoryInfo {
  std::uint64_t total_bytes = 0;
  std::uint64_t available_bytes = 0;
};

struct DiskSample {
  std::filesystem::path path;
  std::uint64_t total_bytes = 0;
  std::uint64_t used_bytes = 0;        // (f_blocks - f_bfree) * f_frsize
  std::uint64_t available_bytes = 0;   // f_bavail * f_frsize: what unprivileged users may still use
  std::optional<std::string> error{};  // why it could not be measured (stuck mount, I/O error)
};

/// Everything the system collectors measured during one check.
struct SystemSample {
  double cpu_percent = 0.0;  // busy share of the window, one decimal
  int cpu_count = 0;
  Milliseconds cpu_window{0};
  /// window: cpu_percent is one measurement over cpu_window (check); average: the daemons'
  /// rolling average of one-second readings, over the last cpu_window.
  CpuBasis cpu_basis = CpuBasis::window;
  MemoryInfo memory;
  std::vector<DiskSample> disks;
  LoadAverage load;
};

/// psutil's rounding of percentages: one decimal place.
double round_to_tenth(double value);

}  // namespace devops_monitor
