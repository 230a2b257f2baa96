#include "check/take_snapshot.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <future>
#include <optional>
#include <thread>

#include "check/system_measurements.hpp"
#include "devops_monitor/version.hpp"
#include "system/cpu.hpp"

namespace devops_monitor {
namespace {

/// The first CPU reading, taken at the start of the window.
struct CpuWindowStart {
  CpuStat before;
  SteadyTime started;
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

std::string this_host_name() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

HttpOptions http_options(const Settings& settings, SteadyTime deadline) {
  HttpOptions options;
  options.deadline = deadline;  // no key check runs past it, whatever the provider timeout
  options.ca_bundle = settings.ca_bundle;
  options.user_agent = "devops-monitor/";
  options.user_agent += kVersion;
  return options;
}

Result<SystemSample> measure_system(const Settings& settings, SteadyTime deadline) {
  Result<SystemSample> sample = measure_memory_and_load(settings);
  if (!sample) return sample;
  auto disks = std::async(std::launch::async,
                          [&settings, deadline] { return measure_disks(settings, deadline); });
  Result<CpuWindowStart> window = start_cpu_window(settings);
  Result<void> cpu = window ? finish_cpu_window(settings, *window, *sample) : window.error();
  Result<std::vector<DiskSample>> measured = disks.get();
  if (!cpu) return cpu.error();
  if (!measured) return measured.error();
  sample->disks = std::move(*measured);
  return sample;
}

/// A snapshot's facts about this run: when, where, which version.
Snapshot started_snapshot() {
  Snapshot snapshot;
  snapshot.started_at = std::chrono::system_clock::now();
  snapshot.utc_offset = local_utc_offset(snapshot.started_at);
  snapshot.host = this_host_name();
  snapshot.version = kVersion;
  return snapshot;
}

Result<Snapshot> judge_reading(const Settings& settings, const KeySource& keys,
                               const SystemSample& reading, const HttpOptions& key_options,
                               const KeysWaiting& waiting) {
  Snapshot snapshot = started_snapshot();
  snapshot.system = reading;
  snapshot.keys = check_keys(settings.providers, keys, settings.timeout, key_options, waiting);
  snapshot.finished_at = std::chrono::system_clock::now();
  return snapshot;
}

Result<Snapshot> take_snapshot(const Settings& settings, const KeySource& keys,
                               const HttpOptions& key_options, const KeysWaiting& waiting) {
  const SteadyTime deadline =
      key_options.deadline.value_or(SteadyClock::now() + settings.effective_deadline());
  Snapshot snapshot = started_snapshot();

  Result<SystemSample> sample = measure_memory_and_load(settings);
  if (!sample) return sample.error();
  Result<CpuWindowStart> window = start_cpu_window(settings);
  if (!window) return window.error();
  // The window closes on its own thread, so CPU use is measured over exactly the window
  // however long the key checks take; disks are measured meanwhile on theirs.
  auto cpu = std::async(std::launch::async, [&settings, &window, &sample] {
    return finish_cpu_window(settings, *window, *sample);
  });
  auto disks = std::async(std::launch::async,
                          [&settings, deadline] { return measure_disks(settings, deadline); });
  snapshot.keys = check_keys(settings.providers, keys, settings.timeout, key_options, waiting);
  Result<void> measured_cpu = cpu.get();
  Result<std::vector<DiskSample>> measured_disks = disks.get();
  if (!measured_cpu) return measured_cpu.error();
  if (!measured_disks) return measured_disks.error();
  sample->disks = std::move(*measured_disks);
  snapshot.system = std::move(*sample);
  snapshot.finished_at = std::chrono::system_clock::now();
  return snapshot;
}

}  // namespace devops_monitor
