// The system measurements a check and serve's sampler both take: one implementation, so a
// stuck mount or a broken procfs is handled the same way in both.
#pragma once

#include <chrono>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor {

/// Memory and load (cpu and disk fields left empty): procfs reads that take no time. Fails
/// naming the file when one cannot be read.
Result<SystemSample> measure_memory_and_load(const Settings& settings);

/// Every disk of settings.disks at once, each given at most the mount timeout (and never past
/// `deadline`), so several stuck mounts cost one timeout, not one each. A stuck or failing
/// disk is that disk's `error`; a path that names no file system fails the whole call.
Result<std::vector<DiskSample>> measure_disks(const Settings& settings,
                                              std::chrono::steady_clock::time_point deadline);

}  // namespace devops_monitor
