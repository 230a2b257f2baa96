// The imperative shell of a check: measure the system and check the keys, concurrently.
#pragma once

#include "assess/snapshot.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"
#include "keys/key_source.hpp"

namespace devops_monitor {

/// Reads memory, load and disks, takes the first CPU reading, checks all keys concurrently
/// while the CPU window runs, and takes the second CPU reading when the window ends: a check
/// lasts about max(CPU window, slowest provider).
/// Fails (naming the file or path) when a system measurement cannot be taken.
Result<Snapshot> take_snapshot(const Settings& settings, const KeySource& keys);

/// Only the system measurements (memory, load, disks, CPU over the window).
Result<SystemSample> measure_system(const Settings& settings);

/// The HTTP options every key check uses.
HttpOptions http_options(const Settings& settings);

}  // namespace devops_monitor
