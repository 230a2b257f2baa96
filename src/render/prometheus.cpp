// The Prometheus text exposition format 0.0.4: one family per name of the metric contract
// (tests/deploy/metric_names.txt), HELP and TYPE first. Names are a stable contract.
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "devops_monitor/render.hpp"
#include "devops_monitor/rules.hpp"
#include "devops_monitor/silences.hpp"
#include "devops_monitor/text.hpp"
#include "devops_monitor/version.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {
namespace {

constexpr std::array kAllKeyStates = {
    KeyState::missing,      KeyState::valid,   KeyState::invalid,     KeyState::quota_exhausted,
    KeyState::rate_limited, KeyState::unknown, KeyState::unsupported, KeyState::restricted};

/// A sample value: shortest round-trip decimal; the format's spelling of NaN and infinities.
std::string sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

/// A percentage as a 0-1 ratio, to 1/10000: the report keeps one decimal of percent, and the
/// plain division would print 12.3% as 0.12300000000000001.
double percent_ratio(double percent) {
  return std::round(percent * 100.0) / 10000.0;
}

struct Exposition {
  std::string text;

  void family(std::string_view name, std::string_view type, std::string_view help) {
    text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  /// `labels` is already `name="escaped value",...` or empty.
  void sample(std::string_view name, const std::string& labels, double value) {
    text += labels.empty() ? fmt::format("{} {}\n", name, sample_value(value))
                           : fmt::format("{}{{{}}} {}\n", name, labels, sample_value(value));
  }
};

std::string label(std::string_view name, std::string_view value) {
  return fmt::format("{}=\"{}\"", name, escape_label_value(value));
}

double status_value(Status status) {
  return static_cast<double>(exit_code(status));
}

std::optional<double> epoch_seconds(const std::string& rfc3339) {
  const std::optional<SystemTime> time = parse_rfc3339(rfc3339);
  if (!time) return std::nullopt;
  return std::chrono::duration<double>(time->time_since_epoch()).count();
}

/// The families every exposition has, whether or not the check produced a report.
void process_families(Exposition& out, const MetricFacts& facts, std::optional<double> last_check,
                      std::optional<double> last_success) {
  out.family("devops_monitor_last_check_timestamp_seconds", "gauge",
             "When the last check ran, in seconds since the Unix epoch.");
  if (last_check) out.sample("devops_monitor_last_check_timestamp_seconds", "", *last_check);
  out.family("devops_monitor_last_success_timestamp_seconds", "gauge",
             "When the last check that produced a report ran, in seconds since the Unix epoch.");
  if (last_success) out.sample("devops_monitor_last_success_timestamp_seconds", "", *last_success);
  out.family("devops_monitor_check_errors_total", "counter",
             "Checks that could not produce a report (a one-shot check exports 0 or 1).");
  out.sample("devops_monitor_check_errors_total", "",
             static_cast<double>(facts.check_errors_total));
  out.family("devops_monitor_build_info", "gauge", "Always 1; the version in its label.");
  out.sample("devops_monitor_build_info", label("version", kVersion), 1);
}

void status_family(Exposition& out, const Report& report, bool keys_known) {
  const SystemHealth& s = report.system_health;
  out.family("devops_monitor_status", "gauge",
             "Status per component: 0 healthy, 1 warning, 2 critical, 3 unknown.");
  const std::pair<const char*, Status> components[] = {
      {"overall", report.status},
      {"cpu", s.cpu_status},
      {"memory", s.memory_status},
      {"disk", s.disk_status},
      {"api_keys", api_keys_status(report.api_keys)}};
  for (const auto& [component, status] : components) {
    // serve before its first key round: no key verdict yet, so neither the api_keys status nor
    // the overall one (which needs it) was measured. Exporting the system's alone as overall
    // would resolve a firing alert that the first round then fires again.
    const std::string_view name(component);
    if (!keys_known && (name == "api_keys" || name == "overall")) continue;
    out.sample("devops_monitor_status", label("component", component), status_value(status));
  }
}

void system_families(Exposition& out, const SystemHealth& s) {
  out.family("devops_monitor_cpu_usage_ratio", "gauge", "CPU in use over the sample window, 0-1.");
  out.sample("devops_monitor_cpu_usage_ratio", "", percent_ratio(s.cpu_percent));
  out.family("devops_monitor_memory_usage_ratio", "gauge",
             "Memory in use (total less available), 0-1.");
  out.sample("devops_monitor_memory_usage_ratio", "", percent_ratio(s.memory_percent));
  out.family("devops_monitor_disk_usage_ratio", "gauge",
             "Disk space in use per checked path, 0-1 (absent when it could not be measured).");
  for (const DiskHealth& disk : s.disks) {
    if (disk.status == Status::unknown) continue;  // no number is better than a wrong one
    out.sample("devops_monitor_disk_usage_ratio", label("path", disk.path),
               percent_ratio(disk.percent));
  }
  out.family("devops_monitor_load1", "gauge", "Load average over 1 minute.");
  out.sample("devops_monitor_load1", "", s.load_average.one);
  out.family("devops_monitor_load5", "gauge", "Load average over 5 minutes.");
  out.sample("devops_monitor_load5", "", s.load_average.five);
  out.family("devops_monitor_load15", "gauge", "Load average over 15 minutes.");
  out.sample("devops_monitor_load15", "", s.load_average.fifteen);
  out.family("devops_monitor_threshold_ratio", "gauge",
             "The configured warning and critical thresholds per resource, 0-1.");
  const std::pair<const char*, Thresholds> thresholds[] = {
      {"cpu", s.thresholds.cpu}, {"memory", s.thresholds.memory}, {"disk", s.thresholds.disk}};
  for (const auto& [resource, levels] : thresholds) {
    const std::string resource_label = label("resource", resource) + ",";
    out.sample("devops_monitor_threshold_ratio", resource_label + label("level", "warning"),
               percent_ratio(levels.warning));
    out.sample("devops_monitor_threshold_ratio", resource_label + label("level", "critical"),
               percent_ratio(levels.critical));
  }
}

/// Provider ids and states only: never a key, its fingerprint or the provider's message.
void key_families(Exposition& out, const std::vector<ApiKeyStatus>& keys) {
  out.family("devops_monitor_api_key_state", "gauge",
             "1 for the provider key's current state, 0 for every other state (a state set).");
  for (const ApiKeyStatus& key : keys) {
    for (const KeyState state : kAllKeyStates) {
      out.sample("devops_monitor_api_key_state",
                 label("provider", key.id) + "," + label("state", to_string(state)),
                 key.state == state ? 1 : 0);
    }
  }
  out.family("devops_monitor_api_key_check_duration_seconds", "gauge",
             "How long the provider's key check took (absent when no request was made).");
  for (const ApiKeyStatus& key : keys) {
    if (!key.latency_ms) continue;
    out.sample("devops_monitor_api_key_check_duration_seconds", label("provider", key.id),
               static_cast<double>(*key.latency_ms) / 1000.0);
  }
}

/// What the key's answer told beyond its state (docs/provider-insight.md). A series exists only
/// where the provider reported the figure: absent means "not known", never zero.
void insight_families(Exposition& out, const std::vector<ApiKeyStatus>& keys) {
  // The unit is the report's credit_unit ("USD", "CNY" or the configured one); remaining and
  // min share the label set, so an alert compares them without on().
  const auto credit_labels = [](const ApiKeyStatus& key) {
    return label("provider", key.id) + "," + label("unit", key.credit_unit.value_or(""));
  };
  out.family("devops_monitor_api_key_credit_remaining", "gauge",
             "What the key may still spend, in the unit label (only where the provider reports "
             "it: OpenRouter's key cap, Moonshot's balance).");
  for (const ApiKeyStatus& key : keys) {
    if (!key.credit_remaining) continue;
    out.sample("devops_monitor_api_key_credit_remaining", credit_labels(key),
               *key.credit_remaining);
  }
  out.family("devops_monitor_api_key_credit_min", "gauge",
             "The provider's configured min_credit, beside a reported credit_remaining.");
  for (const ApiKeyStatus& key : keys) {
    if (!key.credit_remaining || !key.credit_min) continue;
    out.sample("devops_monitor_api_key_credit_min", credit_labels(key), *key.credit_min);
  }
  // The report reads the requests family of the rate-limit headers (not tokens), and only
  // when limit and remaining were both readable.
  const auto ratelimit_labels = [](const ApiKeyStatus& key) {
    return label("provider", key.id) + "," + label("resource", "requests");
  };
  out.family("devops_monitor_api_key_ratelimit_remaining", "gauge",
             "Rate-limit headroom left in the current window, from the check answer's headers.");
  for (const ApiKeyStatus& key : keys) {
    if (!key.ratelimit_limit || !key.ratelimit_remaining) continue;
    out.sample("devops_monitor_api_key_ratelimit_remaining", ratelimit_labels(key),
               static_cast<double>(*key.ratelimit_remaining));
  }
  out.family("devops_monitor_api_key_ratelimit_limit", "gauge",
             "Rate limit of the current window, from the check answer's headers.");
  for (const ApiKeyStatus& key : keys) {
    if (!key.ratelimit_limit || !key.ratelimit_remaining) continue;
    out.sample("devops_monitor_api_key_ratelimit_limit", ratelimit_labels(key),
               static_cast<double>(*key.ratelimit_limit));
  }
  // Both only where the model list was read: OpenRouter's check lists none, a key that did
  // not authenticate has none.
  out.family("devops_monitor_api_key_models_available", "gauge",
             "Models in the key's model list (the pages read).");
  for (const ApiKeyStatus& key : keys) {
    if (!key.models_available) continue;
    out.sample("devops_monitor_api_key_models_available", label("provider", key.id),
               static_cast<double>(*key.models_available));
  }
  out.family("devops_monitor_api_key_models_missing", "gauge",
             "required_models absent from the key's complete model list (0 when none required).");
  for (const ApiKeyStatus& key : keys) {
    if (!key.models_available) continue;
    out.sample("devops_monitor_api_key_models_missing", label("provider", key.id),
               static_cast<double>(key.missing_models.size()));
  }
}

/// What serve counts and foresees; a one-shot check has the families without samples.
void serve_families(Exposition& out, const MetricFacts& facts) {
  out.family("devops_monitor_probe_requests_total", "counter",
             "Free GET requests the key checks sent to the provider.");
  for (const auto& [provider, sent] : facts.probe_requests_total) {
    out.sample("devops_monitor_probe_requests_total", label("provider", provider),
               static_cast<double>(sent));
  }
  out.family("devops_monitor_disk_full_eta_seconds", "gauge",
             "Seconds until the disk is full, by its 7-day trend.");
  for (const auto& [path, eta] : facts.disk_full_eta_seconds) {
    out.sample("devops_monitor_disk_full_eta_seconds", label("path", path), eta);
  }
  out.family("devops_monitor_credit_exhausted_eta_seconds", "gauge",
             "Seconds until the provider's credit runs out, by its trend.");
  for (const auto& [provider, eta] : facts.credit_exhausted_eta_seconds) {
    out.sample("devops_monitor_credit_exhausted_eta_seconds", label("provider", provider), eta);
  }
}

std::optional<double> epoch_seconds(const std::optional<SystemTime>& time) {
  if (!time) return std::nullopt;
  return std::chrono::duration<double>(time->time_since_epoch()).count();
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  // Outside text (provider ids, paths): each line made valid UTF-8 without control characters,
  // then the format's three escapes.
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = value.find('\n', start);
    const std::string line = printable(value.substr(start, end - start));
    for (const char c : line) {
      if (c == '\\' || c == '"') out += '\\';
      out += c;
    }
    if (end == std::string_view::npos) break;
    out += "\\n";
    start = end + 1;
  }
  return out;
}

std::string render_prometheus(const Report& report, const MetricFacts& facts) {
  Exposition out;
  status_family(out, report, !facts.rounds || facts.rounds->keys_known);
  system_families(out, report.system_health);
  key_families(out, report.api_keys);
  insight_families(out, report.api_keys);
  out.family("devops_monitor_silenced", "gauge",
             "1 for each component a maintenance silence covers now.");
  for (const std::string& component : silenced_components(report.silences)) {
    out.sample("devops_monitor_silenced", label("component", component), 1);
  }
  serve_families(out, facts);
  out.family("devops_monitor_check_duration_seconds", "gauge", "How long the last check took.");
  if (!facts.rounds) {
    out.sample("devops_monitor_check_duration_seconds", "",
               static_cast<double>(report.duration_ms) / 1000.0);
    const std::optional<double> checked = epoch_seconds(report.timestamp);
    process_families(out, facts, checked, checked);
    return out.text;
  }
  // serve: a check is a key round; the system part of the report is fresher than it.
  const RoundFacts& rounds = *facts.rounds;
  if (rounds.last_duration) {
    out.sample("devops_monitor_check_duration_seconds", "",
               static_cast<double>(rounds.last_duration->count()) / 1000.0);
  }
  process_families(out, facts, epoch_seconds(rounds.last_started),
                   epoch_seconds(rounds.last_success));
  return out.text;
}

std::string render_prometheus_failure(SystemTime when, const MetricFacts& facts) {
  Exposition out;
  process_families(out, facts, std::chrono::duration<double>(when.time_since_epoch()).count(),
                   std::nullopt);
  return out.text;
}

}  // namespace devops_monitor
