// The engine's system measurements, taken on a tick by a background thread, so that a scrape
// or a screen never waits for a CPU window or a disk. The same measuring code as a check (check/
// system_measurements.hpp, system/cpu.hpp); this class only remembers the last CPU counters.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"
#include "engine/cpu_average.hpp"
#include "engine/engine_state.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor::engine {

class SystemSampler {
 public:
  /// The first reading: memory, load and disks, and CPU use over a first short window
  /// (kMinCpuWindow, 100 ms: CPU use since boot would say little about now). Fails, naming the
  /// file or path, the way a check fails: a broken or stale procfs (CPU counters that do not
  /// move) or a --disk path that names no file system is a mistake, not a state.
  static Result<SystemSampler> start(const Settings& settings);

  /// How often tick() is meant to run: the unit of the CPU average's ring.
  static constexpr Milliseconds kTick{1000};

  [[nodiscard]] const SystemReading& latest() const { return latest_; }

  /// A new reading: CPU over the time since the previous one, averaged with the readings before
  /// over settings.cpu_average (the reading's cpu_window is the time averaged, its basis
  /// "average"), memory, load and disks. What cannot be measured now keeps its previous value;
  /// the problems that are new since the last tick come back (one line each) for the log, so a
  /// lasting one is logged once.
  std::vector<std::string> tick(const Settings& settings);

 private:
  explicit SystemSampler(Milliseconds cpu_average);
  SystemReading latest_;
  CpuAverage cpu_average_;
  CpuStat last_cpu_;
  std::chrono::steady_clock::time_point last_cpu_started_ = std::chrono::steady_clock::now();
  std::set<std::string> known_problems_;
};

}  // namespace devops_monitor::engine
