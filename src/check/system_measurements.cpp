#include "check/system_measurements.hpp"

#include <algorithm>
#include <future>
#include <optional>

#include "system/disk.hpp"
#include "system/load.hpp"
#include "system/memory.hpp"

namespace devops_monitor {

Result<SystemSample> measure_memory_and_load(const Settings& settings) {
  SystemSample sample;
  Result<MemoryInfo> memory = read_meminfo(settings.procfs);
  if (!memory) return memory.error();
  sample.memory = *memory;
  Result<LoadAverage> load = read_loadavg(settings.procfs);
  if (!load) return load.error();
  sample.load = *load;
  return sample;
}

Result<std::vector<DiskSample>> measure_disks(const Settings& settings,
                                              std::chrono::steady_clock::time_point deadline) {
  const Milliseconds left = std::max(
      Milliseconds(0),
      std::chrono::duration_cast<Milliseconds>(deadline - std::chrono::steady_clock::now()));
  const Milliseconds timeout = std::min(settings.mount_timeout, left);
  std::vector<std::future<Result<DiskSample>>> pending;
  for (const auto& path : settings.disks) {
    pending.push_back(
        std::async(std::launch::async, [path, timeout] { return measure_disk(path, timeout); }));
  }
  std::vector<DiskSample> disks;
  std::optional<Error> first_error;
  for (auto& disk : pending) {
    Result<DiskSample> measured = disk.get();
    if (!measured && !first_error) first_error = measured.error();
    if (measured) disks.push_back(std::move(*measured));
  }
  if (first_error) return *first_error;
  return disks;
}

}  // namespace devops_monitor
