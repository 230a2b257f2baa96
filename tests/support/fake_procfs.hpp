// A procfs tree for the real binary: stat, meminfo and loadavg with chosen values. The CPU
// counters in stat advance one step right after every read of the file (and every 20 ms
// besides), with the same busy share in every step, so the CPU percent between any two
// readings (any window, any number of runs) is the chosen one.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "support/process.hpp"

namespace devops_monitor::testing {

struct ProcfsValues {
  double cpu_percent = 12.5;     // busy share between the two readings
  double memory_percent = 40.0;  // (MemTotal - MemAvailable) / MemTotal
  int cpu_count = 2;
  std::string loadavg = "0.52 0.40 0.33 2/345 6789\n";
};

class FakeProcfs {
 public:
  explicit FakeProcfs(const ProcfsValues& values = {});
  ~FakeProcfs();
  FakeProcfs(const FakeProcfs&) = delete;
  FakeProcfs& operator=(const FakeProcfs&) = delete;

  [[nodiscard]] std::filesystem::path root() const { return dir_.path(); }
  /// How many times a reader has closed stat so far.
  [[nodiscard]] std::size_t stat_reads() const { return stat_reads_.load(); }

 private:
  void advance_after_each_read(const std::function<std::string(unsigned long long)>& sample);

  TempDir dir_;
  int inotify_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> stat_reads_{0};
  std::thread feeder_;
};

/// /proc/stat text whose aggregate line has the given counters (and cpu_count cpuN lines).
std::string stat_text(unsigned long long busy, unsigned long long idle, int cpu_count);

/// /proc/meminfo text with MemTotal 16 GiB and MemAvailable giving `percent` used.
std::string meminfo_text(double percent);

/// Sets the memory use the next reader of `procfs` sees (a rename: never half a file).
void set_memory_percent(const FakeProcfs& procfs, double percent);

}  // namespace devops_monitor::testing
