#include "exporter/key_round.hpp"

#include "assess/assess.hpp"
#include "assess/keeping.hpp"
#include "assess/key_rotation.hpp"
#include "check/take_snapshot.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/version.hpp"
#include "keys/key_check.hpp"
#include "monitor/keeping.hpp"
#include "monitor/load_keys.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::exporter {
namespace {

// Saving a round's report normally takes milliseconds; a hung report directory must not
// hold the next rounds back for long.
constexpr Milliseconds kRoundKeepBudget{5000};
// The HTTP layer's deadline for a round: every provider gets its timeout, and a little more
// for the loop to end an attempt libcurl did not.
constexpr Milliseconds kRoundMargin{1000};

Milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Milliseconds>(std::chrono::steady_clock::now() - start);
}

void add_warnings(RoundOutcome& outcome, const CheckNotes& notes) {
  for (const Error& warning : notes.warnings) {
    outcome.log_lines.push_back("warning: " + warning.message());
  }
}

}  // namespace

std::string key_summary(const std::vector<ApiKeyStatus>& keys) {
  std::string text;
  for (const ApiKeyStatus& key : keys) {
    if (!text.empty()) text += ", ";
    text += key.id + " " + std::string(to_string(key.state));
  }
  return text.empty() ? "no providers enabled" : text;
}

RoundOutcome run_key_round(const Settings& settings, const SystemReading& system,
                           const std::string& host, const std::atomic<bool>& cancel) {
  RoundOutcome outcome;
  outcome.started_at = std::chrono::system_clock::now();
  const auto steady_start = std::chrono::steady_clock::now();
  CheckNotes notes;
  Result<KeySource> keys = load_keys(settings, std::nullopt, &notes);
  add_warnings(outcome, notes);
  notes.warnings.clear();
  if (!keys) {
    outcome.duration = since(steady_start);
    outcome.log_lines.push_back("key round failed, keeping the previous results: " +
                                keys.error().message());
    return outcome;
  }
  HttpOptions options = http_options(settings, steady_start + settings.timeout + kRoundMargin);
  options.cancel = &cancel;
  std::vector<KeyProbe> probes = check_keys(settings.providers, *keys, settings.timeout, options);
  if (cancel.load()) {
    outcome.cancelled = true;
    return outcome;
  }

  Snapshot snapshot;
  snapshot.started_at = outcome.started_at;
  snapshot.finished_at = std::chrono::system_clock::now();
  snapshot.utc_offset = local_utc_offset(snapshot.started_at);
  snapshot.system = system.sample;
  snapshot.keys = std::move(probes);
  snapshot.host = host;
  snapshot.version = kVersion;
  Report report = assess(snapshot, settings.thresholds);
  report.duration_ms = since(steady_start).count();  // the round, not the system sample
  apply_key_history(report, current_key_history(settings, &notes), snapshot.finished_at,
                    settings.rotation_days);
  std::string saved;
  if (settings.save_report) {
    Result<std::filesystem::path> kept = keep_report_until(
        settings, report, &notes, std::chrono::steady_clock::now() + kRoundKeepBudget);
    if (kept) {
      saved = "; report " + kept->string();
    } else {
      outcome.log_lines.push_back("report not saved: " + kept.error().message());
      report = with_keeping_failure(std::move(report), kept.error(), settings.report_dir.string());
    }
  }
  add_warnings(outcome, notes);
  outcome.duration = since(steady_start);
  outcome.log_lines.insert(outcome.log_lines.begin(),
                           "keys checked in " + std::to_string(outcome.duration.count()) +
                               " ms: " + key_summary(report.api_keys) + "; status " +
                               std::string(to_string(report.status)) + saved);
  outcome.report_json = to_json(report) + "\n";
  outcome.keys = std::move(report.api_keys);
  return outcome;
}

}  // namespace devops_monitor::exporter
