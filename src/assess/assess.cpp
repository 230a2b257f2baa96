#include "assess/assess.hpp"

namespace devops_monitor {

Report assess(const Snapshot& snapshot, const ThresholdSet& thresholds) {
  Report report;
  report.timestamp = format_rfc3339(snapshot.started_at, snapshot.utc_offset);
  report.host = snapshot.host;
  report.version = snapshot.version;
  report.duration_ms =
      std::chrono::duration_cast<Milliseconds>(snapshot.finished_at - snapshot.started_at).count();
  for (const KeyProbe& probe : snapshot.keys) {
    report.api_keys.push_back(assess_key(probe, snapshot.utc_offset));
  }
  report.system_health = assess_system(snapshot.system, thresholds,
                                       format_rfc3339(snapshot.finished_at, snapshot.utc_offset));
  conclude(report);
  return report;
}

void conclude(Report& report) {
  Advice advice = advise(report.api_keys, report.system_health);
  report.issues_found = std::move(advice.issues);
  report.recommendations = std::move(advice.recommendations);
  report.provider_fallback_order = fallback_order(report.api_keys);
  report.status = worse(api_keys_status(report.api_keys), report.system_health.status);
}

}  // namespace devops_monitor
