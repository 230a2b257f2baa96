#include <algorithm>

#include "assess/assess.hpp"
#include "system/disk.hpp"
#include "system/memory.hpp"

namespace devops_monitor {

Status metric_status(double percent, const Thresholds& thresholds) {
  if (percent > thresholds.critical) return Status::critical;
  if (percent >= thresholds.warning) return Status::warning;
  return Status::healthy;
}

SystemHealth assess_system(const SystemSample& sample, const ThresholdSet& thresholds,
                           const std::string& timestamp) {
  SystemHealth health;
  health.timestamp = timestamp;
  health.cpu_percent = sample.cpu_percent;
  health.memory_percent = memory_percent(sample.memory);
  health.memory_total_bytes = sample.memory.total_bytes;
  health.memory_available_bytes = sample.memory.available_bytes;
  health.cpu_count = sample.cpu_count;
  health.cpu_window_ms = sample.cpu_window.count();
  health.cpu_basis = sample.cpu_basis;
  health.load_average = sample.load;
  health.thresholds = thresholds;

  health.cpu_status = metric_status(health.cpu_percent, thresholds.cpu);
  health.memory_status = metric_status(health.memory_percent, thresholds.memory);
  health.disk_status = Status::healthy;
  for (const DiskSample& disk : sample.disks) {
    DiskHealth d{.path = disk.path.string(),
                 .total_bytes = disk.total_bytes,
                 .used_bytes = disk.used_bytes,
                 .available_bytes = disk.available_bytes,
                 .percent = disk_percent(disk),
                 .error = disk.error};
    if (d.error) {
      // A disk that does not answer proves nothing about its fill level, but a machine with a
      // stuck mount is in trouble: a warning, never a silent 0%.
      d.status = Status::unknown;
      health.disk_status = worse(health.disk_status, Status::warning);
    } else {
      d.status = metric_status(d.percent, thresholds.disk);
      health.disk_percent = std::max(health.disk_percent, d.percent);
      health.disk_status = worse(health.disk_status, d.status);
    }
    health.disks.push_back(std::move(d));
  }
  health.status = worse(worse(health.cpu_status, health.memory_status), health.disk_status);
  return health;
}

}  // namespace devops_monitor
