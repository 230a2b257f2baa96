// What serve answers, as pure functions over plain values: the engine's state rendered as the
// exposition, and the answer of each path from what was last published.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/report.hpp"
#include "engine/engine_state.hpp"
#include "history/forecast.hpp"
#include "serve/http_server.hpp"

namespace devops_monitor::serve {

/// The exposition's content type (format 0.0.4).
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

/// The /metrics body of a state: its report (engine::compose_report) with the rounds' facts
/// and the forecasts, seen at the state's system reading. Before the first round has judged
/// the keys, no status series needs them: neither `overall` nor `api_keys` is exported (a
/// restart must not claim "healthy" unmeasured). `silences` (the active ones, read now) become
/// devops_monitor_silenced.
std::string render_metrics(const engine::EngineState& state, const ThresholdSet& thresholds,
                           const std::string& host, const history::Forecasts& forecasts = {},
                           std::vector<Silence> silences = {});

/// The report as /report serves it: what the status page shows of it, nothing more. Kept: the
/// overall status, timestamp, host, version and duration; each key's provider, id, state,
/// key_present, key_valid, last_checked and latency_ms; the fallback order (provider ids);
/// system_health without the disks' error text. Left out: key fingerprints and key history,
/// env var names, provider error messages, HTTP statuses, restrictions, models, credit and rate
/// limits, issues, recommendations and notices (they quote env var names, fingerprints and
/// provider errors, which can name internal hosts of custom endpoints). A field added to the
/// report later stays out until it is added here. The whole report stays in the report
/// directory.
std::string public_report_json(const Report& report);

/// What serve last published: the exposition, the last round's report and readiness, all of
/// one moment, so a scrape after /healthz turns 200 carries the key series too.
struct Published {
  std::shared_ptr<const std::string> metrics = std::make_shared<const std::string>();
  std::shared_ptr<const std::string> report_json{};  // public_report_json; null before a round
  bool ready = false;                                // a round has judged the keys
};

/// /metrics the exposition; /healthz "ok" once ready, 503 before; /report the last round's
/// public_report_json (503 before there is one); anything else 404. `/` is the page's
/// (page_endpoint).
HttpAnswer answer(std::string_view path, const Published& published);

}  // namespace devops_monitor::serve
