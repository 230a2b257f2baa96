// Running a check: the keys (the environment, then .env), the system (measured over the CPU
// window, or a reading the caller already took), the verdicts, and the key history's marks.
// The one path every check takes: a command's check, the library's Monitor, the engine's
// rounds under serve, watch and the dashboard, and `scan --verify`. Nothing is kept here.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "check/take_snapshot.hpp"
#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

struct CheckInputs {
  /// Keys come from this map instead of the process environment (then settings.env_file).
  std::optional<std::map<std::string, std::string>> environment{};
  /// A system reading to judge instead of measuring one over the CPU window (the engine's
  /// sampler took it); the report's CPU window is the reading's.
  std::optional<SystemSample> system{};
  /// Set by another thread to abandon the key checks at once (a daemon told to stop).
  const std::atomic<bool>* cancel = nullptr;
  /// Told which providers are still awaited once the check has waited a while.
  const CheckProgress* progress = nullptr;
};

/// A whole check, judged, ending by `deadline`. Fails (naming file, path or setting) only when
/// it cannot run: bad settings, an unreadable .env file or procfs, a --disk path that names no
/// file system. Key history problems are warnings in `notes`.
Result<Report> run_check(const Settings& settings, const CheckInputs& inputs, SteadyTime deadline,
                         CheckNotes* notes);

/// Every enabled provider's key, concurrently, in priority order, judged.
Result<std::vector<ApiKeyStatus>> check_api_keys(const Settings& settings,
                                                 const CheckInputs& inputs, SteadyTime deadline,
                                                 CheckNotes* notes);

/// One key: the value of `env_var` (from inputs.environment or the process environment, then
/// settings.env_file), checked the way `provider` says, enabled or not.
Result<ApiKeyStatus> check_one_key(const Settings& settings, const CheckInputs& inputs,
                                   const std::string& env_var, const Provider& provider,
                                   SteadyTime deadline);

/// CPU over settings.cpu_window, memory and disks, judged against the thresholds.
Result<SystemHealth> check_system(const Settings& settings, SteadyTime deadline);

}  // namespace devops_monitor
