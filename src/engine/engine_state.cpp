#include "engine/engine_state.hpp"

#include "assess/assess.hpp"
#include "devops_monitor/version.hpp"

namespace devops_monitor::engine {

Report compose_report(const EngineState& state, const ThresholdSet& thresholds,
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

MetricFacts metric_facts(const EngineState& state) {
  MetricFacts facts;
  facts.check_errors_total = state.check_errors_total;
  facts.probe_requests_total = state.probe_requests_total;
  facts.rounds = RoundFacts{.last_started = state.last_round_started,
                            .last_success = state.last_success,
                            .last_duration = state.last_round_duration,
                            .keys_known = state.ready()};
  return facts;
}

}  // namespace devops_monitor::engine
