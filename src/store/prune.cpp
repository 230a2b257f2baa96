#include "store/prune.hpp"

#include <algorithm>

#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

/// Index of the first report after the newest suspicious gap (0: no such gap); the reports
/// before it are held back. A gap between the newest report and `now` holds back all.
std::size_t first_after_last_gap(const std::vector<StoredReport>& reports, SystemTime now,
                                 std::chrono::hours suspicious, std::chrono::hours& gap) {
  if (reports.empty()) return 0;
  if (now - reports.back().time > suspicious) {
    gap = std::chrono::duration_cast<std::chrono::hours>(now - reports.back().time);
    return reports.size();
  }
  for (std::size_t i = reports.size() - 1; i > 0; --i) {
    if (reports[i].time - reports[i - 1].time > suspicious) {
      gap = std::chrono::duration_cast<std::chrono::hours>(reports[i].time - reports[i - 1].time);
      return i;
    }
  }
  return 0;
}

}  // namespace

bool past_retention(SystemTime report_time, SystemTime now, int retention_days) {
  return now - report_time > std::chrono::hours(24) * retention_days;
}

PrunePlan plan_pruning(const std::vector<StoredReport>& reports, SystemTime now, int retention_days,
                       bool ignore_gaps, const std::filesystem::path& keep) {
  PrunePlan plan;
  const std::chrono::hours suspicious =
      std::max(kMinSuspiciousGap, std::chrono::hours(24) * retention_days);
  const std::size_t first_free =
      ignore_gaps ? 0 : first_after_last_gap(reports, now, suspicious, plan.gap);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const StoredReport& report = reports[i];
    if (!past_retention(report.time, now, retention_days)) continue;
    if (!keep.empty() && report.path.filename() == keep.filename()) continue;
    (i < first_free ? plan.held_back : plan.to_delete).push_back(report.path);
  }
  if (plan.held_back.empty()) plan.gap = std::chrono::hours(0);
  return plan;
}

Result<PruneOutcome> prune_reports_in(const std::filesystem::path& dir, int retention_days,
                                      SystemTime now, bool dry_run, bool ignore_gaps,
                                      const std::filesystem::path& keep) {
  Result<std::vector<StoredReport>> reports = list_reports(dir);
  if (!reports) return Error{"cannot prune reports", reports.error().detail, dir.string()};
  PrunePlan plan = plan_pruning(*reports, now, retention_days, ignore_gaps, keep);
  PruneOutcome outcome{.deleted = {}, .held_back = std::move(plan.held_back), .gap = plan.gap};
  std::sort(plan.to_delete.begin(), plan.to_delete.end());
  if (dry_run) {
    outcome.deleted = std::move(plan.to_delete);
    return outcome;
  }
  for (const auto& file : plan.to_delete) {
    std::error_code ec;
    if (!std::filesystem::remove(file, ec) && ec) {
      return Error{"cannot delete old report", ec.message(), file.string()};
    }
    outcome.deleted.push_back(file);
  }
  return outcome;
}

}  // namespace devops_monitor
