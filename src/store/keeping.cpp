#include "store/keeping.hpp"

#include <algorithm>

#include "assess/key_rotation.hpp"
#include "devops_monitor/report_json.hpp"
#include "model/notes.hpp"
#include "store/key_history_store.hpp"
#include "store/prune.hpp"
#include "store/report_dir.hpp"
#include "store/report_files.hpp"
#include "store/report_lock.hpp"
#include "util/atomic_file.hpp"
#include "util/bounded.hpp"

namespace devops_monitor {
namespace {

// A writer finishes a temporary file in far less; older ones were left by a crash.
constexpr std::chrono::seconds kStaleTempAge{3600};

/// Records the report's key fingerprints in the key history. The history is a
/// read-modify-write shared with concurrent checks, so it happens under the directory's lock;
/// any problem is a warning.
void record_key_history(const Settings& settings, const Report& report, SystemTime now,
                        CheckNotes* notes) {
  Result<ReportDirLock> lock = ReportDirLock::acquire(settings.report_dir, kReportLockPatience);
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

Error held_back_warning(const PruneOutcome& pruned, const std::filesystem::path& dir) {
  return Error{"old reports kept",
               std::to_string(pruned.held_back.size()) +
                   " reports past retention come before a gap of " +
                   std::to_string(pruned.gap.count() / 24) +
                   " days in the history (a clock that jumped forward, or a machine that was "
                   "off); `devops-monitor prune --ignore-gaps` deletes them",
               dir.string()};
}

/// What a keeping thread hands back.
struct Kept {
  Result<std::filesystem::path> file;
  CheckNotes notes;
};

}  // namespace

KeyHistory current_key_history(const Settings& settings, CheckNotes* notes) {
  // Every check reads the history, so this is where a run first meets the directory.
  if (std::optional<Error> exposed = report_dir_exposure_once(settings.report_dir)) {
    note_warning(notes, std::move(*exposed));
  }
  Result<KeyHistory> history = read_key_history(settings.report_dir);
  if (history) return std::move(*history);
  note_warning(notes, Error{history.error().what, history.error().detail + "; starting afresh",
                            history.error().where});
  return {};
}

Result<std::filesystem::path> keep_report(const Settings& settings, const Report& report,
                                          CheckNotes* notes) {
  const std::filesystem::path& dir = settings.report_dir;
  if (Result<void> ready = prepare_report_dir(dir); !ready) return ready.error();
  const SystemTime now = std::chrono::system_clock::now();
  const SystemTime checked_at = parse_rfc3339(report.timestamp).value_or(now);
  Result<SavedReport> saved = save_report(dir, to_json(report), checked_at);
  if (!saved) return saved.error();
  if (notes != nullptr) notes->report_file = saved->report;
  if (saved->latest_error) note_warning(notes, *saved->latest_error);

  record_key_history(settings, report, now, notes);
  remove_stale_temp_files(dir, kStaleTempAge);
  Result<PruneOutcome> pruned =
      prune_reports_in(dir, settings.retention_days, now,
                       /*dry_run=*/false, /*ignore_gaps=*/false, saved->report);
  if (!pruned) {
    note_warning(notes, pruned.error());
  } else {
    if (!pruned->held_back.empty()) note_warning(notes, held_back_warning(*pruned, dir));
    if (notes != nullptr) notes->pruned_reports = std::move(pruned->deleted);
  }
  return saved->report;
}

Result<std::filesystem::path> keep_report_until(const Settings& settings, const Report& report,
                                                CheckNotes* notes,
                                                std::chrono::steady_clock::time_point deadline) {
  const auto allowed =
      std::chrono::duration_cast<Milliseconds>(deadline - std::chrono::steady_clock::now());
  // The thread gets copies: if it outlives this call, nothing it touches goes away.
  std::optional<Kept> kept = run_bounded<Kept>(
      [settings, report] {
        Kept result{.file = Error{}, .notes = {}};
        result.file = keep_report(settings, report, &result.notes);
        return result;
      },
      deadline);
  if (!kept) {
    return Error{"cannot save report",
                 "the report directory did not answer within " +
                     format_duration(std::max(allowed, Milliseconds(0))),
                 settings.report_dir.string()};
  }
  if (notes != nullptr) {
    for (Error& warning : kept->notes.warnings) note_warning(notes, std::move(warning));
    notes->report_file = kept->notes.report_file;
    notes->pruned_reports = std::move(kept->notes.pruned_reports);
  }
  return std::move(kept->file);
}

}  // namespace devops_monitor
