#include "engine/round.hpp"

#include "assess/keeping.hpp"
#include "check/run_check.hpp"
#include "store/keeping.hpp"
#include "util/guard.hpp"

namespace devops_monitor::engine {
namespace {

// Keeping gets at least this much of the round's deadline, whatever the checking took.
constexpr Milliseconds kRoundKeepReserve{1000};

Result<Report> check_and_keep(const Settings& settings, const std::optional<SystemReading>& reading,
                              bool keep, const std::atomic<bool>& cancel, CheckNotes& notes) {
  const SteadyTime deadline = SteadyClock::now() + settings.effective_deadline();
  CheckInputs inputs;
  if (reading) inputs.system = reading->sample;
  inputs.cancel = &cancel;
  Result<Report> report = run_check(settings, inputs, deadline - kRoundKeepReserve, &notes);
  if (!report || !keep || !settings.save_report || cancel.load()) return report;
  Result<std::filesystem::path> kept = keep_report_until(settings, *report, &notes, deadline);
  if (kept) return report;
  notes.keep_error = kept.error();
  return with_keeping_failure(std::move(*report), kept.error(), settings.report_dir.string());
}

}  // namespace

Round run_round(const Settings& settings, const std::optional<SystemReading>& reading, bool keep,
                const std::atomic<bool>& cancel) {
  Round round;
  round.started_at = std::chrono::system_clock::now();
  const SteadyTime started = SteadyClock::now();
  round.report = guarded<Report>("key round failed", [&] {
    return check_and_keep(settings, reading, keep, cancel, round.notes);
  });
  round.duration = std::chrono::duration_cast<Milliseconds>(SteadyClock::now() - started);
  round.cancelled = cancel.load();
  return round;
}

std::string key_summary(const std::vector<ApiKeyStatus>& keys) {
  std::string text;
  for (const ApiKeyStatus& key : keys) {
    if (!text.empty()) text += ", ";
    text += key.id + " " + std::string(to_string(key.state));
  }
  return text.empty() ? "no providers enabled" : text;
}

}  // namespace devops_monitor::engine
