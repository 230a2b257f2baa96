// One report -> one Sample: the few numbers the history keeps of it.
#include "history/history.hpp"

namespace devops_monitor::history {

Sample sample_of(const Report& report, SystemTime time) {
  Sample sample;
  sample.time = time;
  sample.status = report.status;
  const SystemHealth& system = report.system_health;
  sample.cpu_percent = system.cpu_percent;
  sample.memory_percent = system.memory_percent;
  sample.thresholds = system.thresholds;
  for (const DiskHealth& disk : system.disks) {
    // A disk that did not answer has no figure; 0% would be a lie in the min and the trend.
    if (disk.error || disk.path.empty()) continue;
    sample.disks.push_back({disk.path, disk.percent, disk.total_bytes, disk.used_bytes});
  }
  if (system.disks.empty()) sample.disks.push_back({"/", system.disk_percent, 0, 0});
  for (const ApiKeyStatus& key : report.api_keys) {
    KeySample k;
    k.provider = key.provider;
    k.id = key.id.empty() ? provider_id_for_name(key.provider) : key.id;
    k.state = key.state;
    k.latency_ms = key.latency_ms;
    k.credit_remaining = key.credit_remaining;
    sample.keys.push_back(std::move(k));
  }
  return sample;
}

}  // namespace devops_monitor::history
