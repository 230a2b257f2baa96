// One key round of serve: the keys checked the way a check checks them, judged with the
// sampler's latest system reading, and kept like a check's report. The imperative shell
// around assess(); it never throws and never prints (lines to log come back as values).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/settings.hpp"
#include "exporter/exporter_state.hpp"

namespace devops_monitor::exporter {

struct RoundOutcome {
  std::chrono::system_clock::time_point started_at{};
  Milliseconds duration{0};
  /// The key verdicts (the report's api_keys), when the round produced results; none when it
  /// failed (an unreadable .env) or was cancelled.
  std::optional<std::vector<ApiKeyStatus>> keys;
  std::optional<std::string> report_json;  // the round's report, as kept
  bool cancelled = false;                  // `cancel` was set: the results mean nothing
  /// What to log, one line each: the round's summary or why it failed, .env warnings, a
  /// report that could not be saved. Outside text, not yet through printable().
  std::vector<std::string> log_lines;
};

/// Loads the keys (environment, then .env), checks them all at once (at most
/// settings.timeout, ending early when `cancel` becomes true), judges them with `system`,
/// and unless settings.save_report is false keeps the report (report file,
/// latest_report.json, key history, pruning).
RoundOutcome run_key_round(const Settings& settings, const SystemReading& system,
                           const std::string& host, const std::atomic<bool>& cancel);

/// "openai valid, anthropic invalid" (provider ids and states only, never key material).
std::string key_summary(const std::vector<ApiKeyStatus>& keys);

}  // namespace devops_monitor::exporter
