// The sinks seam: one function from a format to its renderer, so callers pick and never format.
#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"

namespace devops_monitor {

std::optional<OutputFormat> parse_output_format(std::string_view text) {
  if (text == "human") return OutputFormat::human;
  if (text == "json") return OutputFormat::json;
  if (text == "nagios") return OutputFormat::nagios;
  if (text == "prometheus") return OutputFormat::prometheus;
  return std::nullopt;
}

std::string render(const Report& report, OutputFormat format, const RenderOptions& options) {
  switch (format) {
    case OutputFormat::json:
      return to_json(report);
    case OutputFormat::nagios:
      return render_nagios(report);
    case OutputFormat::prometheus:
      return render_prometheus(report, options.metrics);
    case OutputFormat::human:
      break;
  }
  return render_human(report, options.human);
}

}  // namespace devops_monitor
