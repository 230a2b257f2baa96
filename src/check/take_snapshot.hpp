// The imperative shell of a check: measure the system and check the keys, concurrently.
#pragma once

#include <chrono>
#include <string>

#include "assess/snapshot.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"
#include "keys/key_source.hpp"

namespace devops_monitor {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;

/// Reads memory and load, takes the first CPU reading, then measures the disks and checks all
/// keys concurrently while the CPU window runs, and takes the second CPU reading when the
/// window ends: a check lasts about max(CPU window, slowest provider, slowest disk). No key
/// check and no disk measurement runs past `key_options.deadline`: a stuck mount or a silent
/// provider becomes that disk's or key's error. Fails (naming the file or path) when a system
/// measurement cannot be taken.
Result<Snapshot> take_snapshot(const Settings& settings, const KeySource& keys,
                               const HttpOptions& key_options, const KeysWaiting& waiting = {});

/// The keys checked now beside a system reading already taken (the engine's sampler).
Result<Snapshot> judge_reading(const Settings& settings, const KeySource& keys,
                               const SystemSample& reading, const HttpOptions& key_options,
                               const KeysWaiting& waiting = {});

/// Only the system measurements (memory, load, disks, CPU over the window).
Result<SystemSample> measure_system(const Settings& settings, SteadyTime deadline);

/// gethostname(), or "unknown".
std::string this_host_name();

/// The HTTP options every key check uses, none running past `deadline`.
HttpOptions http_options(const Settings& settings, SteadyTime deadline);

}  // namespace devops_monitor
