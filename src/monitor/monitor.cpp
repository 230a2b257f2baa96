#include "devops_monitor/monitor.hpp"

#include "assess/assess.hpp"
#include "assess/keeping.hpp"
#include "check/take_snapshot.hpp"
#include "config/settings_check.hpp"
#include "devops_monitor/report_json.hpp"
#include "keys/dotenv.hpp"
#include "keys/key_source.hpp"
#include "monitor/keeping.hpp"
#include "monitor/load_keys.hpp"
#include "monitor/notes.hpp"
#include "report/prune.hpp"
#include "report/report_store.hpp"
#include "util/file_io.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

// Saving gets at least this much of the deadline, whatever the measuring took.
constexpr Milliseconds kKeepReserve{1000};

}  // namespace

Monitor::Monitor(Settings settings) : settings_(std::move(settings)) {}

Monitor::Monitor(Settings settings, std::map<std::string, std::string> environment)
    : settings_(std::move(settings)), environment_(std::move(environment)) {}

Result<Report> Monitor::perform_health_check(CheckNotes* notes) const {
  return guarded<Report>("health check failed", [&]() -> Result<Report> {
    const SteadyTime deadline = SteadyClock::now() + settings_.effective_deadline();
    Result<Report> report = check_until(notes, deadline - kKeepReserve);
    if (!report || !settings_.save_report) return report;
    Result<std::filesystem::path> kept = keep_report_until(settings_, *report, notes, deadline);
    if (kept) return report;
    if (notes != nullptr) notes->keep_error = kept.error();
    return with_keeping_failure(std::move(*report), kept.error(), settings_.report_dir.string());
  });
}

Result<Report> Monitor::check(CheckNotes* notes) const {
  return check_until(notes, SteadyClock::now() + settings_.effective_deadline());
}

Result<Report> Monitor::check_until(CheckNotes* notes, SteadyTime deadline) const {
  return guarded<Report>("health check failed", [&]() -> Result<Report> {
    if (Result<void> valid = check_settings(settings_); !valid) return valid.error();
    Result<KeySource> keys = load_keys(settings_, environment_, notes);
    if (!keys) return keys.error();
    Result<Snapshot> snapshot = take_snapshot(settings_, *keys, deadline);
    if (!snapshot) return snapshot.error();
    Report report = assess(*snapshot, settings_.thresholds);
    // Reading the history only marks rotations and ages; keep() records the fingerprints.
    apply_key_history(report, current_key_history(settings_, notes), snapshot->finished_at,
                      settings_.rotation_days);
    return report;
  });
}

Result<std::filesystem::path> Monitor::keep(const Report& report, CheckNotes* notes) const {
  return guarded<std::filesystem::path>(
      "cannot save report", [&]() -> Result<std::filesystem::path> {
        return keep_report_until(settings_, report, notes,
                                 SteadyClock::now() + settings_.effective_deadline());
      });
}

Result<SystemHealth> Monitor::check_system_health() const {
  return guarded<SystemHealth>("system health check failed", [&]() -> Result<SystemHealth> {
    if (Result<void> valid = check_settings(settings_); !valid) return valid.error();
    Result<SystemSample> sample =
        measure_system(settings_, SteadyClock::now() + settings_.effective_deadline());
    if (!sample) return sample.error();
    const auto now = std::chrono::system_clock::now();
    return assess_system(*sample, settings_.thresholds, format_rfc3339(now, local_utc_offset(now)));
  });
}

Result<std::vector<ApiKeyStatus>> Monitor::check_api_keys(CheckNotes* notes) const {
  return guarded<std::vector<ApiKeyStatus>>(
      "key check failed", [&]() -> Result<std::vector<ApiKeyStatus>> {
        Result<KeySource> keys = load_keys(settings_, environment_, notes);
        if (!keys) return keys.error();
        const auto offset = local_utc_offset(std::chrono::system_clock::now());
        std::vector<ApiKeyStatus> statuses;
        for (const KeyProbe& probe : check_keys(
                 settings_.providers, *keys, settings_.timeout,
                 http_options(settings_, SteadyClock::now() + settings_.effective_deadline()))) {
          statuses.push_back(assess_key(probe, offset));
        }
        return statuses;
      });
}

Result<ApiKeyStatus> Monitor::check_api_key_status(const std::string& env_var,
                                                   const Provider& provider) const {
  return guarded<ApiKeyStatus>("key check failed", [&]() -> Result<ApiKeyStatus> {
    Provider checked = provider;
    checked.env_var = env_var;
    checked.enabled = true;
    Result<KeySource> keys = load_keys(settings_, environment_, nullptr);
    if (!keys) return keys.error();
    const std::vector<KeyProbe> probes =
        check_keys({checked}, *keys, settings_.timeout,
                   http_options(settings_, SteadyClock::now() + settings_.effective_deadline()));
    return assess_key(probes.front(), local_utc_offset(std::chrono::system_clock::now()));
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

std::string Monitor::status_badge(BadgeFormat format, CheckNotes* notes) const {
  Result<std::string> badge = guarded<std::string>(
      "cannot read report", [&] { return status_badge_of_latest(format, notes); });
  return badge ? std::move(*badge) : render_badge(Status::unknown, format);
}

std::string Monitor::status_badge_of_latest(BadgeFormat format, CheckNotes* notes) const {
  const std::filesystem::path latest = settings_.report_dir / kLatestReportName;
  std::error_code ec;
  if (!std::filesystem::exists(latest, ec)) return render_badge(Status::unknown, format);
  Result<std::string> text = read_file(latest, "cannot read report");
  Result<Report> report =
      text ? parse_report(*text, latest.string()) : Result<Report>(text.error());
  if (!report) {
    note_warning(notes, report.error());
    return render_badge(Status::unknown, format);
  }
  return render_badge(report->status, format);
}

Result<PruneSummary> Monitor::prune(const PruneOptions& options) const {
  return guarded<PruneSummary>("cannot prune reports", [&]() -> Result<PruneSummary> {
    Result<PruneOutcome> outcome =
        prune_reports_in(settings_.report_dir, settings_.retention_days,
                         std::chrono::system_clock::now(), options.dry_run, options.ignore_gaps);
    if (!outcome) return outcome.error();
    return PruneSummary{.deleted = std::move(outcome->deleted),
                        .held_back = std::move(outcome->held_back),
                        .gap_days = static_cast<int>(outcome->gap.count() / 24)};
  });
}

Result<std::vector<std::filesystem::path>> Monitor::prune_reports(bool dry_run) const {
  Result<PruneSummary> summary = prune({.dry_run = dry_run});
  if (!summary) return summary.error();
  return std::move(summary->deleted);
}

}  // namespace devops_monitor
