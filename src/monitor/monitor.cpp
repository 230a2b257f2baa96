#include "devops_monitor/monitor.hpp"

#include "assess/assess.hpp"
#include "assess/keeping.hpp"
#include "assess/key_rotation.hpp"
#include "check/take_snapshot.hpp"
#include "devops_monitor/report_json.hpp"
#include "keys/dotenv.hpp"
#include "keys/key_source.hpp"
#include "report/key_history_store.hpp"
#include "report/prune.hpp"
#include "report/report_lock.hpp"
#include "report/report_store.hpp"
#include "util/atomic_file.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

// A concurrent check holds the lock for milliseconds; one that holds it longer is stuck.
constexpr Milliseconds kLockPatience{5000};
// A writer finishes a temporary file in far less; older ones were left by a crash.
constexpr std::chrono::seconds kStaleTempAge{3600};

/// Adds a warning unless the same one is already there (check and keep may both meet it).
void note_warning(CheckNotes* notes, Error warning) {
  if (notes == nullptr) return;
  for (const Error& known : notes->warnings) {
    if (known.message() == warning.message()) return;
  }
  notes->warnings.push_back(std::move(warning));
}

/// The key history as it stands; an unreadable one counts as empty (with a warning), since
/// history problems never fail a check.
KeyHistory current_key_history(const Settings& settings, CheckNotes* notes) {
  Result<KeyHistory> history = read_key_history(settings.report_dir);
  if (history) return std::move(*history);
  note_warning(notes, Error{history.error().what, history.error().detail + "; starting afresh",
                            history.error().where});
  return {};
}

/// Records the report's key fingerprints in the key history. The history is a
/// read-modify-write shared with concurrent checks, so it happens under the directory's lock;
/// any problem is a warning.
void record_key_history(const Settings& settings, const Report& report, SystemTime now,
                        CheckNotes* notes) {
  Result<ReportDirLock> lock = ReportDirLock::acquire(settings.report_dir, kLockPatience);
  if (!lock) {
    note_warning(notes, Error{"key history not updated", lock.error().message(), ""});
    return;
  }
  Report scratch = report;
  const KeyHistory updated =
      apply_key_history(scratch, current_key_history(settings, notes), now, settings.rotation_days);
  if (Result<void> written = write_key_history(settings.report_dir, updated); !written) {
    note_warning(notes, written.error());
  }
}

// Keys are read afresh for every check, so a rotated key in .env is seen without a restart.
Result<KeySource> load_keys(const Settings& settings,
                            const std::optional<std::map<std::string, std::string>>& env,
                            CheckNotes* notes) {
  const EnvLookup environment = env ? environment_from(*env) : process_environment();
  DotenvFile dotenv;
  if (settings.env_file) {
    Result<DotenvFile> loaded = load_dotenv(*settings.env_file, environment);
    if (!loaded) return loaded.error();
    dotenv = std::move(*loaded);
  }
  for (const Error& warning : dotenv.warnings) note_warning(notes, warning);
  return KeySource(environment, std::move(dotenv));
}

}  // namespace

Monitor::Monitor(Settings settings) : settings_(std::move(settings)) {}

Monitor::Monitor(Settings settings, std::map<std::string, std::string> environment)
    : settings_(std::move(settings)), environment_(std::move(environment)) {}

Result<Report> Monitor::perform_health_check(CheckNotes* notes) const {
  Result<Report> report = check(notes);
  if (!report || !settings_.save_report) return report;
  Result<std::filesystem::path> kept = keep(*report, notes);
  if (kept) return report;
  if (notes != nullptr) notes->keep_error = kept.error();
  return with_keeping_failure(std::move(*report), kept.error(), settings_.report_dir.string());
}

Result<Report> Monitor::check(CheckNotes* notes) const {
  Result<KeySource> keys = load_keys(settings_, environment_, notes);
  if (!keys) return keys.error();
  Result<Snapshot> snapshot = take_snapshot(settings_, *keys);
  if (!snapshot) return snapshot.error();
  Report report = assess(*snapshot, settings_.thresholds);
  // Reading the history only marks rotations and ages; keep() records the fingerprints.
  apply_key_history(report, current_key_history(settings_, notes), snapshot->finished_at,
                    settings_.rotation_days);
  return report;
}

Result<std::filesystem::path> Monitor::keep(const Report& report, CheckNotes* notes) const {
  const std::filesystem::path& dir = settings_.report_dir;
  if (Result<void> ready = prepare_report_dir(dir); !ready) return ready.error();
  const SystemTime now = std::chrono::system_clock::now();
  const SystemTime checked_at = parse_rfc3339(report.timestamp).value_or(now);
  Result<SavedReport> saved = save_report(dir, to_json(report), checked_at);
  if (!saved) return saved.error();
  if (notes != nullptr) notes->report_file = saved->report;
  if (saved->latest_error) note_warning(notes, *saved->latest_error);

  record_key_history(settings_, report, now, notes);
  remove_stale_temp_files(dir, kStaleTempAge);
  Result<std::vector<std::filesystem::path>> pruned = devops_monitor::prune_reports(
      dir, settings_.retention_days, now, /*dry_run=*/false, saved->report);
  if (!pruned) {
    note_warning(notes, pruned.error());
  } else if (notes != nullptr) {
    notes->pruned_reports = std::move(*pruned);
  }
  return saved->report;
}

Result<SystemHealth> Monitor::check_system_health() const {
  Result<SystemSample> sample = measure_system(settings_);
  if (!sample) return sample.error();
  const auto now = std::chrono::system_clock::now();
  return assess_system(*sample, settings_.thresholds, format_rfc3339(now, local_utc_offset(now)));
}

Result<std::vector<ApiKeyStatus>> Monitor::check_api_keys(CheckNotes* notes) const {
  Result<KeySource> keys = load_keys(settings_, environment_, notes);
  if (!keys) return keys.error();
  const auto offset = local_utc_offset(std::chrono::system_clock::now());
  std::vector<ApiKeyStatus> statuses;
  for (const KeyProbe& probe :
       check_keys(settings_.providers, *keys, settings_.timeout, http_options(settings_))) {
    statuses.push_back(assess_key(probe, offset));
  }
  return statuses;
}

Result<ApiKeyStatus> Monitor::check_api_key_status(const std::string& env_var,
                                                   const Provider& provider) const {
  Provider checked = provider;
  checked.env_var = env_var;
  checked.enabled = true;
  Result<KeySource> keys = load_keys(settings_, environment_, nullptr);
  if (!keys) return keys.error();
  const std::vector<KeyProbe> probes =
      check_keys({checked}, *keys, settings_.timeout, http_options(settings_));
  return assess_key(probes.front(), local_utc_offset(std::chrono::system_clock::now()));
}

Result<std::vector<std::string>> Monitor::provider_fallback_order() const {
  Result<std::vector<ApiKeyStatus>> keys = check_api_keys();
  if (!keys) return keys.error();
  return fallback_order(*keys);
}

std::string Monitor::status_badge(BadgeFormat format, CheckNotes* notes) const {
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

Result<std::vector<std::filesystem::path>> Monitor::prune_reports(bool dry_run) const {
  return devops_monitor::prune_reports(settings_.report_dir, settings_.retention_days,
                                       std::chrono::system_clock::now(), dry_run);
}

}  // namespace devops_monitor
