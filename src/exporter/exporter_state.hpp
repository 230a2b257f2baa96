// serve's state and what it answers, as pure functions over plain values: the sampler and the
// key rounds fill an ExporterState; a scrape is a rendering of it. No threads, no I/O here.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/render.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "serve/http_server.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor::exporter {

/// The system as the sampler last measured it: memory, load and disks on its tick, CPU over
/// the last tick (since boot for the very first reading).
struct SystemReading {
  SystemSample sample;
  std::chrono::system_clock::time_point taken_at{};
};

/// Everything a scrape shows. The key part only changes when a key round ends.
struct ExporterState {
  std::optional<SystemReading> system;
  /// The key verdicts of the last round that produced results (rotation and age marked from
  /// the key history); none before the first one. Verdicts, not probes: a probe holds the
  /// provider's whole answer, which a scrape has no use for.
  std::optional<std::vector<ApiKeyStatus>> keys;
  std::optional<std::chrono::system_clock::time_point> last_round_started;
  std::optional<std::chrono::system_clock::time_point> last_success;  // its start
  std::optional<Milliseconds> last_round_duration;
  std::uint64_t check_errors_total = 0;  // rounds that produced no results
};

/// The Report a scrape renders: the latest system reading judged with `thresholds`, with the
/// cached key verdicts of the last successful round. Before the first round it has no keys and
/// its status is the system's alone (no key verdict exists yet to make it worse).
Report compose_report(const ExporterState& state, const ThresholdSet& thresholds,
                      const std::string& host);

/// The /metrics body: compose_report rendered by render_prometheus with the rounds' facts
/// (last round start, last success, last round's duration, errors counter).
std::string render_metrics(const ExporterState& state, const ThresholdSet& thresholds,
                           const std::string& host);

/// The exposition's content type (format 0.0.4).
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

/// What a path answers: /metrics the given exposition, /healthz "ok", /report the last
/// round's report JSON (503 with one line before there is one), anything else 404.
serve::HttpAnswer answer(std::string_view path, std::string_view metrics,
                         std::optional<std::string_view> report_json);

}  // namespace devops_monitor::exporter
