// Turning results into text for people and for other tools.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
enum class OutputFormat { human, json };

/// "human", "json".
std::optional<OutputFormat> parse_output_format(std::string_view text);

struct RenderOptions {
  HumanOptions human;  // for OutputFormat::human
};

/// The report in `format`: the one place that maps a format to its renderer.
std::string render(const Report& report, OutputFormat format, const RenderOptions& options = {});

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
