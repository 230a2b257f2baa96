#include "exporter/exporter_state.hpp"

#include "assess/assess.hpp"
#include "devops_monitor/rules.hpp"
#include "devops_monitor/version.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::exporter {

Report compose_report(const ExporterState& state, const ThresholdSet& thresholds,
                      const std::string& host) {
  Snapshot snapshot;
  if (state.system) {
    snapshot.system = state.system->sample;
    snapshot.started_at = state.system->taken_at;
    snapshot.finished_at = state.system->taken_at;
  }
  snapshot.utc_offset = local_utc_offset(snapshot.started_at);
  snapshot.host = host;
  snapshot.version = kVersion;
  Report report = assess(snapshot, thresholds);
  // assess() takes "no keys" for a warning; before the first round it means "not yet known".
  report.status = report.system_health.status;
  if (!state.keys) return report;
  // The round's verdicts in place of fresh probes, judged as assess() judges.
  report.api_keys = *state.keys;
  conclude(report);
  return report;
}

std::string render_metrics(const ExporterState& state, const ThresholdSet& thresholds,
                           const std::string& host) {
  MetricFacts facts;
  facts.check_errors_total = state.check_errors_total;
  facts.rounds = RoundFacts{.last_started = state.last_round_started,
                            .last_success = state.last_success,
                            .last_duration = state.last_round_duration,
                            .keys_known = state.keys.has_value()};
  return render_prometheus(compose_report(state, thresholds, host), facts);
}

serve::HttpAnswer answer(std::string_view path, std::string_view metrics,
                         std::optional<std::string_view> report_json) {
  if (path == "/metrics") return {200, std::string(kMetricsContentType), std::string(metrics)};
  if (path == "/healthz") return {200, "text/plain; charset=utf-8", "ok\n"};
  if (path == "/report") {
    if (!report_json) {
      return {503, "text/plain; charset=utf-8",
              "no key round has produced a report yet; try again soon\n"};
    }
    return {200, "application/json", std::string(*report_json)};
  }
  return {404, "text/plain; charset=utf-8", "not found: try /metrics, /healthz or /report\n"};
}

}  // namespace devops_monitor::exporter
