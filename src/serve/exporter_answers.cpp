#include "serve/exporter_answers.hpp"

#include <initializer_list>
#include <nlohmann/json.hpp>

#include "devops_monitor/report_json.hpp"

namespace devops_monitor::serve {

namespace {

using PublicJson = nlohmann::ordered_json;

// What /report keeps of the report's JSON (report_json.cpp), by name: a field not named here
// is left out, so what is served grows only by a decision made here.
const std::initializer_list<const char*> kPublicReportFields{
    "timestamp", "api_keys", "system_health", "status", "provider_fallback_order",
    "host",      "version",  "duration_ms"};
const std::initializer_list<const char*> kPublicKeyFields{
    "provider", "key_present", "key_valid", "last_checked", "id", "state", "latency_ms"};
const std::initializer_list<const char*> kPublicDiskFields{
    "path", "total_bytes", "used_bytes", "available_bytes", "percent", "status"};

/// `object` with only the `kept` fields, in its own order.
PublicJson only_fields(const PublicJson& object, std::initializer_list<const char*> kept) {
  PublicJson out = PublicJson::object();
  for (const auto& [name, value] : object.items()) {
    for (const char* each : kept) {
      if (name == each) out[name] = value;
    }
  }
  return out;
}

}  // namespace

std::string public_report_json(const Report& report) {
  // to_json replaces invalid UTF-8, so its text always parses; an empty object is the answer
  // if it ever did not, never the whole report.
  const PublicJson full = PublicJson::parse(to_json(report), nullptr, false);
  if (!full.is_object()) return "{}\n";
  PublicJson view = only_fields(full, kPublicReportFields);
  PublicJson keys = PublicJson::array();
  for (const PublicJson& key : full.value("api_keys", PublicJson::array())) {
    keys.push_back(only_fields(key, kPublicKeyFields));
  }
  view["api_keys"] = std::move(keys);
  PublicJson& system = view["system_health"];
  PublicJson disks = PublicJson::array();
  for (const PublicJson& disk : system.value("disks", PublicJson::array())) {
    disks.push_back(only_fields(disk, kPublicDiskFields));
  }
  system["disks"] = std::move(disks);
  return view.dump(2, ' ', false, PublicJson::error_handler_t::replace) + "\n";
}

std::string render_metrics(const engine::EngineState& state, const ThresholdSet& thresholds,
                           const std::string& host, const history::Forecasts& forecasts,
                           std::vector<Silence> silences) {
  MetricFacts facts = engine::metric_facts(state);
  // Counted down with the readings, so the series moves between rounds as time passes.
  const history::Forecasts now =
      history::seen_at(forecasts, state.system ? state.system->taken_at : forecasts.as_of);
  facts.disk_full_eta_seconds = now.disk_full_in_seconds;
  facts.credit_exhausted_eta_seconds = now.credit_exhausted_in_seconds;
  Report report = engine::compose_report(state, thresholds, host);
  report.silences = std::move(silences);
  return render_prometheus(report, facts);
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
