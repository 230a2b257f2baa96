// One round of the engine: the check every command runs (src/check), judged with the
// sampler's latest reading or over its own CPU window, then kept like a check's report.
#pragma once

#include <atomic>
#include <optional>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "engine/engine_state.hpp"

namespace devops_monitor::engine {

/// A round that ended.
struct Round {
  SystemTime started_at{};
  Milliseconds duration{0};
  /// The round's report, as kept (a failure to keep is among its issues); an Error when the
  /// check could not run (an unreadable .env file, a broken procfs).
  Result<Report> report = Error{};
  /// Warnings, the report file written, why it was not kept.
  CheckNotes notes;
  /// `cancel` was set while it ran: the results mean nothing and nothing was kept.
  bool cancelled = false;
};

/// Checks the keys (and, without a `reading`, the system over the CPU window), ending by the
/// settings' deadline or as soon as `cancel` is set; keeps the report when `keep` and
/// settings.save_report, unless cancelled. Never throws.
Round run_round(const Settings& settings, const std::optional<SystemReading>& reading, bool keep,
                const std::atomic<bool>& cancel);

/// "openai valid, anthropic invalid" (provider ids and states only, never key material).
std::string key_summary(const std::vector<ApiKeyStatus>& keys);

}  // namespace devops_monitor::engine
