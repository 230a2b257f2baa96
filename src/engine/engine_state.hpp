// What the engine knows at a moment, as plain values: the sampler's latest system reading and
// the last key round's verdicts. Front-ends turn a copy of it into metrics, a screen or a
// notification; composing the report is a pure function of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/render.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "system/system_sample.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::engine {

/// The system as the sampler last measured it: memory, load and disks on its tick, CPU over
/// the time since the tick before.
struct SystemReading {
  SystemSample sample;
  SystemTime taken_at{};
};

struct EngineState {
  std::optional<SystemReading> system;
  /// The key verdicts of the last round that produced results (rotation and age marked from
  /// the key history); none before the first one.
  std::optional<std::vector<ApiKeyStatus>> keys;
  std::optional<SystemTime> last_round_started;
  std::optional<SystemTime> last_success;  // the start of the last round that produced results
  std::optional<Milliseconds> last_round_duration;
  std::uint64_t check_errors_total = 0;  // rounds that produced no results
  std::uint64_t rounds_finished = 0;     // with results or without
  /// Requests the rounds' key checks sent since the engine started, per provider id.
  std::map<std::string, std::uint64_t> probe_requests_total;
  bool round_running = false;
  std::optional<SystemTime> next_round;
  /// The latest problem (a failed round, a reading that could not be taken), with its local
  /// time: "03:21:52 key round failed: ...".
  std::optional<std::string> last_problem;

  /// A round has judged the keys: until then no status that needs them was measured.
  [[nodiscard]] bool ready() const { return keys.has_value(); }
};

/// The report of this moment: the latest system reading judged with `thresholds`, with the
/// key verdicts of the last round that produced results. Before the first round it has no keys
/// and its status is the system's alone (nothing makes it worse yet; a caller that shows an
/// overall status checks ready() first).
Report compose_report(const EngineState& state, const ThresholdSet& thresholds,
                      const std::string& host);

/// The rounds' facts for the Prometheus exposition.
MetricFacts metric_facts(const EngineState& state);

}  // namespace devops_monitor::engine
