// Monitor: the checking facade. Every operation runs the one check path (src/check) inside
// guarded(), so no exception crosses the library's API.
#include "devops_monitor/monitor.hpp"

#include "assess/keeping.hpp"
#include "check/run_check.hpp"
#include "devops_monitor/rules.hpp"
#include "store/keeping.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

// Saving gets at least this much of the deadline, whatever the measuring took.
constexpr Milliseconds kKeepReserve{1000};

}  // namespace

Monitor::Monitor(Settings settings) : settings_(std::move(settings)) {}

Monitor::Monitor(Settings settings, std::map<std::string, std::string> environment)
    : settings_(std::move(settings)), environment_(std::move(environment)) {}

Result<Report> Monitor::perform_health_check(CheckNotes* notes,
                                             const CheckProgress& progress) const {
  return guarded<Report>("health check failed", [&]() -> Result<Report> {
    const SteadyTime deadline = SteadyClock::now() + settings_.effective_deadline();
    Result<Report> report = check_until(notes, progress, deadline - kKeepReserve);
    if (!report || !settings_.save_report) return report;
    Result<std::filesystem::path> kept = keep_report_until(settings_, *report, notes, deadline);
    if (kept) return report;
    if (notes != nullptr) notes->keep_error = kept.error();
    return with_keeping_failure(std::move(*report), kept.error(), settings_.report_dir.string());
  });
}

Result<Report> Monitor::check(CheckNotes* notes, const CheckProgress& progress) const {
  return check_until(notes, progress, SteadyClock::now() + settings_.effective_deadline());
}

Result<Report> Monitor::check_until(CheckNotes* notes, const CheckProgress& progress,
                                    SteadyTime deadline) const {
  return guarded<Report>("health check failed", [&]() -> Result<Report> {
    return run_check(settings_, {.environment = environment_, .progress = &progress}, deadline,
                     notes);
  });
}

Result<SystemHealth> Monitor::check_system_health() const {
  return guarded<SystemHealth>("system health check failed", [&]() -> Result<SystemHealth> {
    return check_system(settings_, SteadyClock::now() + settings_.effective_deadline());
  });
}

Result<std::vector<ApiKeyStatus>> Monitor::check_api_keys(CheckNotes* notes,
                                                          const CheckProgress& progress) const {
  return guarded<std::vector<ApiKeyStatus>>(
      "key check failed", [&]() -> Result<std::vector<ApiKeyStatus>> {
        return devops_monitor::check_api_keys(
            settings_, {.environment = environment_, .progress = &progress},
            SteadyClock::now() + settings_.effective_deadline(), notes);
      });
}

Result<ApiKeyStatus> Monitor::check_api_key_status(const std::string& env_var,
                                                   const Provider& provider) const {
  return guarded<ApiKeyStatus>("key check failed", [&]() -> Result<ApiKeyStatus> {
    return check_one_key(settings_, {.environment = environment_}, env_var, provider,
                         SteadyClock::now() + settings_.effective_deadline());
  });
}

Result<std::vector<std::string>> Monitor::provider_fallback_order() const {
  return guarded<std::vector<std::string>>(
      "key check failed", [&]() -> Result<std::vector<std::string>> {
        Result<std::vector<ApiKeyStatus>> keys = check_api_keys();
        if (!keys) return keys.error();
        return fallback_order(*keys);
      });
}

}  // namespace devops_monitor
