// Report retention: deleting monitoring_report_*.json files past their time, without letting
// a clock that jumped forward delete the whole history.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

#include "devops_monitor/error.hpp"
#include "store/report_listing.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

/// Pure: is a report of `report_time` older than `retention_days` at `now`?
bool past_retention(SystemTime report_time, SystemTime now, int retention_days);

/// A gap in the history at least this long (or the retention period, if longer) means the
/// clock jumped or the machine was off.
inline constexpr std::chrono::hours kMinSuspiciousGap{24 * 90};

struct PrunePlan {
  std::vector<std::filesystem::path> to_delete;  // past retention
  std::vector<std::filesystem::path> held_back;  // past retention, but from before a gap
  std::chrono::hours gap{0};                     // the gap that held them back
};

/// Pure: which reports go. A report goes once it is older than the retention period, unless
/// it comes before a gap in the history (between two reports, or between the newest and
/// `now`) longer than both the retention period and kMinSuspiciousGap: after a clock jump forward
/// every earlier report looks old, and deleting them would wipe the whole history. Those are
/// held back unless `ignore_gaps`. `keep` is never deleted. `reports` is oldest first.
PrunePlan plan_pruning(const std::vector<StoredReport>& reports, SystemTime now, int retention_days,
                       bool ignore_gaps, const std::filesystem::path& keep = {});

struct PruneOutcome {
  std::vector<std::filesystem::path> deleted;  // or, in a dry run, what would be
  std::vector<std::filesystem::path> held_back;
  std::chrono::hours gap{0};
};

/// Deletes (or with `dry_run` only lists) the reports plan_pruning selects in `dir`.
Result<PruneOutcome> prune_reports_in(const std::filesystem::path& dir, int retention_days,
                                      SystemTime now, bool dry_run, bool ignore_gaps = false,
                                      const std::filesystem::path& keep = {});

}  // namespace devops_monitor
