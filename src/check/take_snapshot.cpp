#include "check/take_snapshot.hpp"

#include <unistd.h>

#include <array>
#include <future>
#include <thread>

#include "devops_monitor/version.hpp"
#include "system/cpu.hpp"
#include "system/disk.hpp"
#include "system/load.hpp"
#include "system/memory.hpp"

namespace devops_monitor {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string host_name() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

/// The measurements that take no time; read before the window so a broken procfs or disk
/// path fails at once instead of after it.
Result<SystemSample> instant_measurements(const Settings& settings) {
  SystemSample sample;
  Result<MemoryInfo> memory = read_meminfo(settings.procfs);
  if (!memory) return memory.error();
  sample.memory = *memory;
  Result<LoadAverage> load = read_loadavg(settings.procfs);
  if (!load) return load.error();
  sample.load = *load;
  for (const auto& path : settings.disks) {
    Result<DiskSample> disk = measure_disk(path);
    if (!disk) return disk.error();
    sample.disks.push_back(*disk);
  }
  return sample;
}

/// The first CPU reading, taken at the start of the window.
struct CpuWindowStart {
  CpuStat before;
  SteadyClock::time_point started;
};

Result<CpuWindowStart> start_cpu_window(const Settings& settings) {
  const auto started = SteadyClock::now();
  Result<CpuStat> before = read_cpu_stat(settings.procfs);
  if (!before) return before.error();
  return CpuWindowStart{*before, started};
}

/// Waits out the window, takes the second reading and fills the CPU fields of `sample`.
Result<void> finish_cpu_window(const Settings& settings, const CpuWindowStart& start,
                               SystemSample& sample) {
  std::this_thread::sleep_until(start.started + settings.cpu_window);
  Result<CpuStat> after = read_cpu_stat(settings.procfs);
  if (!after) return after.error();
  Result<double> percent =
      cpu_busy_percent(start.before.total, after->total, (settings.procfs / "stat").string());
  if (!percent) return percent.error();
  sample.cpu_percent = *percent;
  sample.cpu_count = after->cpu_count;
  sample.cpu_window = settings.cpu_window;
  return {};
}

}  // namespace

HttpOptions http_options(const Settings& settings) {
  HttpOptions options;
  options.ca_bundle = settings.ca_bundle;
  options.user_agent = std::string("devops-monitor/") + kVersion;
  return options;
}

Result<SystemSample> measure_system(const Settings& settings) {
  Result<SystemSample> sample = instant_measurements(settings);
  if (!sample) return sample;
  Result<CpuWindowStart> window = start_cpu_window(settings);
  if (!window) return window.error();
  if (Result<void> cpu = finish_cpu_window(settings, *window, *sample); !cpu) return cpu.error();
  return sample;
}

Result<Snapshot> take_snapshot(const Settings& settings, const KeySource& keys) {
  Snapshot snapshot;
  snapshot.started_at = std::chrono::system_clock::now();
  snapshot.utc_offset = local_utc_offset(snapshot.started_at);
  snapshot.host = host_name();
  snapshot.version = kVersion;

  Result<SystemSample> sample = instant_measurements(settings);
  if (!sample) return sample.error();
  Result<CpuWindowStart> window = start_cpu_window(settings);
  if (!window) return window.error();
  // The window closes on its own thread, so CPU use is measured over exactly the window
  // however long the key checks take, and the checks run meanwhile.
  auto cpu = std::async(std::launch::async, [&settings, &window, &sample] {
    return finish_cpu_window(settings, *window, *sample);
  });
  snapshot.keys = check_keys(settings.providers, keys, settings.timeout, http_options(settings));
  if (Result<void> measured = cpu.get(); !measured) return measured.error();
  snapshot.system = std::move(*sample);
  snapshot.finished_at = std::chrono::system_clock::now();
  return snapshot;
}

}  // namespace devops_monitor
