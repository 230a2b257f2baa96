#include "engine/system_sampler.hpp"

#include <chrono>
#include <thread>

#include "check/system_measurements.hpp"
#include "system/cpu.hpp"

namespace devops_monitor::engine {
namespace {

/// A disk may take its mount timeout; the sampler waits no longer than that per tick (a
/// stuck path is not probed again until its probe returns, see measure_disk).
std::chrono::steady_clock::time_point disk_deadline(const Settings& settings) {
  return std::chrono::steady_clock::now() + settings.mount_timeout;
}

}  // namespace

SystemSampler::SystemSampler(Milliseconds cpu_average) : cpu_average_(cpu_average, kTick) {}

Result<SystemSampler> SystemSampler::start(const Settings& settings) {
  SystemSampler sampler(settings.cpu_average);
  Result<SystemSample> sample = measure_memory_and_load(settings);
  if (!sample) return sample.error();
  Result<CpuStat> before = read_cpu_stat(settings.procfs);
  if (!before) return before.error();
  const auto window_start = std::chrono::steady_clock::now();
  // Disks are measured during the first, short CPU window (no later than a check would).
  Result<std::vector<DiskSample>> disks = measure_disks(settings, disk_deadline(settings));
  if (!disks) return disks.error();
  std::this_thread::sleep_until(window_start + kMinCpuWindow);
  const auto window_end = std::chrono::steady_clock::now();
  Result<CpuStat> after = read_cpu_stat(settings.procfs);
  if (!after) return after.error();
  Result<double> percent =
      cpu_busy_percent(before->total, after->total, (settings.procfs / "stat").string());
  if (!percent) return percent.error();
  sampler.cpu_average_.add(*percent,
                           std::chrono::duration_cast<Milliseconds>(window_end - window_start));
  sample->cpu_percent = sampler.cpu_average_.percent();
  sample->cpu_count = after->cpu_count;
  sample->cpu_window = sampler.cpu_average_.covered();
  sample->cpu_basis = CpuBasis::average;
  sample->disks = std::move(*disks);
  sampler.last_cpu_ = *after;
  sampler.last_cpu_started_ = window_end;
  sampler.latest_ = SystemReading{std::move(*sample), std::chrono::system_clock::now()};
  return sampler;
}

std::vector<std::string> SystemSampler::tick(const Settings& settings) {
  std::set<std::string> problems;
  const auto started = std::chrono::steady_clock::now();
  SystemSample next = latest_.sample;
  if (Result<SystemSample> instant = measure_memory_and_load(settings); instant) {
    next.memory = instant->memory;
    next.load = instant->load;
  } else {
    problems.insert(instant.error().message());
  }
  Result<CpuStat> cpu = read_cpu_stat(settings.procfs);
  Result<double> percent =
      cpu ? cpu_busy_percent(last_cpu_.total, cpu->total, (settings.procfs / "stat").string())
          : Result<double>(cpu.error());
  if (percent) {
    cpu_average_.set_span(settings.cpu_average);
    cpu_average_.add(*percent,
                     std::chrono::duration_cast<Milliseconds>(started - last_cpu_started_));
    next.cpu_percent = cpu_average_.percent();
    next.cpu_count = cpu->cpu_count;
    next.cpu_window = cpu_average_.covered();
    last_cpu_ = *cpu;
    last_cpu_started_ = started;
  } else {
    problems.insert(percent.error().message());
  }
  if (Result<std::vector<DiskSample>> disks = measure_disks(settings, disk_deadline(settings));
      disks) {
    next.disks = std::move(*disks);
  } else {
    problems.insert(disks.error().message());
  }
  latest_ = SystemReading{std::move(next), std::chrono::system_clock::now()};

  std::vector<std::string> fresh;
  for (const std::string& problem : problems) {
    if (!known_problems_.contains(problem)) fresh.push_back("system sample: " + problem);
  }
  known_problems_ = std::move(problems);
  return fresh;
}

}  // namespace devops_monitor::engine
