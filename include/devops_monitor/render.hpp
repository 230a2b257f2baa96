// Turning results into text for people and for other tools.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {

struct HumanOptions {
  bool color = false;                      // ANSI colours (a TTY without NO_COLOR)
  std::optional<std::string> report_path;  // where the report was saved, if it was
  std::optional<std::string> save_error;   // why it was not saved, if saving failed
  std::size_t pruned_reports = 0;          // old reports deleted after this check
};

/// The human summary of a check: the overall status, then the old tool's sections (API keys,
/// system health, issues, recommendations, report path) and last the provider fallback order.
std::string render_human(const Report& report, const HumanOptions& options);

/// The formats a check's result can be printed in: the sinks `render` chooses between. Each is a
/// pure function of the Report (plus the options below); the caller only picks one.
enum class OutputFormat { human, json, nagios, prometheus };

/// "human", "json", "nagios", "prometheus".
std::optional<OutputFormat> parse_output_format(std::string_view text);

/// What a long-running exporter (serve) knows beyond the report it renders: its checks are
/// key rounds on their own schedule, while the report's system part is measured afresh.
struct RoundFacts {
  std::optional<std::chrono::system_clock::time_point> last_started{};  // of the last round
  std::optional<std::chrono::system_clock::time_point> last_success{};  // of the last that worked
  std::optional<std::chrono::milliseconds> last_duration{};             // of the last round
  /// A round has produced key results; until then the report carries none, and the
  /// api_keys and overall components are left out of devops_monitor_status.
  bool keys_known = false;
};

/// Facts about the process rather than the check, for the Prometheus exposition.
struct MetricFacts {
  /// Checks that could not produce a report. A one-shot check exports 0 (it produced one) or 1
  /// (render_prometheus_failure); serve counts its failed key rounds.
  std::uint64_t check_errors_total = 0;
  /// serve's rounds: when set, the last check/success timestamps and the check duration come
  /// from here instead of the report's timestamp and duration.
  std::optional<RoundFacts> rounds{};
  /// serve: requests its key rounds sent since it started, per provider id (a check exports
  /// the family without samples).
  std::map<std::string, std::uint64_t> probe_requests_total{};
  /// serve: seconds until each disk path is full and each provider's credit runs out, where
  /// the forecast over the report history gave one (docs/history.md, "Forecasts").
  std::map<std::string, double> disk_full_eta_seconds{};
  std::map<std::string, double> credit_exhausted_eta_seconds{};
};

struct RenderOptions {
  HumanOptions human;   // for OutputFormat::human
  MetricFacts metrics;  // for OutputFormat::prometheus
};

/// The report in `format`: the one place that maps a format to its renderer.
std::string render(const Report& report, OutputFormat format, const RenderOptions& options = {});

/// The Monitoring Plugins line: "DEVOPS OK - <summary> | <perfdata>" (cpu, memory, one
/// 'disk_<path>' per disk in percent with warn;crit;0;100, load1/5/15, keys_usable), then
/// one line per issue. The exit status stays exit_code(report.status).
std::string render_nagios(const Report& report);

/// The plugin line of a check that could not run: "DEVOPS UNKNOWN - the check could not run:
/// <reason>" (exit 3).
std::string render_nagios_failure(std::string_view reason);

/// A perfdata label: as is when only letters, digits and '_', else single-quoted with a
/// quote doubled; '=' and '|' (which would break the line) become '_'.
std::string perfdata_label(std::string_view name);

/// The Prometheus text exposition format 0.0.4 with HELP and TYPE, exactly the names of
/// tests/deploy/metric_names.txt. Provider ids, states and paths only: never key material.
std::string render_prometheus(const Report& report, const MetricFacts& facts);

/// The exposition of a check that produced no report (ran at `when`): the timestamps, errors
/// and build info, so a textfile shows the failure instead of keeping the last result.
std::string render_prometheus_failure(std::chrono::system_clock::time_point when,
                                      const MetricFacts& facts);

/// A label value escaped for the exposition format (backslash, double quote, newline), made
/// valid UTF-8 without control characters first: ids and paths are outside text.
std::string escape_label_value(std::string_view value);

/// node_exporter's textfile collector: writes `exposition` to DIR/devops_monitor.prom
/// atomically (a temp file in DIR, then rename), so a scrape never reads half a file. DIR is
/// created with its parents when missing.
Result<void> write_textfile(const std::filesystem::path& dir, std::string_view exposition);

/// The key states and the fallback order, as `devops-monitor providers` prints them.
std::string render_providers(const std::vector<ApiKeyStatus>& keys,
                             const std::vector<std::string>& fallback_order);

enum class BadgeFormat {
  markdown,  // the old tool's shields.io image link
  svg,       // a self-contained flat badge, drawn locally
  json,      // the shields.io endpoint format, for a self-hosted badge
};

std::optional<BadgeFormat> parse_badge_format(std::string_view text);

/// A status badge ("status | healthy"); unknown is grey. Ends with a newline.
std::string render_badge(Status status, BadgeFormat format);

}  // namespace devops_monitor
