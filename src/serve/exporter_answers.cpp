#include "serve/exporter_answers.hpp"

namespace devops_monitor::serve {

std::string render_metrics(const engine::EngineState& state, const ThresholdSet& thresholds,
                           const std::string& host) {
  return render_prometheus(engine::compose_report(state, thresholds, host),
                           engine::metric_facts(state));
}

HttpAnswer answer(std::string_view path, const Published& published) {
  constexpr const char* kText = "text/plain; charset=utf-8";
  if (path == "/metrics") {
    return {200, std::string(kMetricsContentType), *published.metrics};
  }
  if (path == "/healthz") {
    if (!published.ready) return {503, kText, "starting: the first key round has not finished\n"};
    return {200, kText, "ok\n"};
  }
  if (path == "/report") {
    if (!published.report_json) {
      return {503, kText, "no key round has produced a report yet; try again soon\n"};
    }
    return {200, "application/json", *published.report_json};
  }
  return {404, kText, "not found: try /, /metrics, /healthz or /report\n"};
}

}  // namespace devops_monitor::serve
