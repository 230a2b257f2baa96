// parse_report(): report files on disk are outside input. Any text is an error or a report
// that writes back to JSON which reads back to the same JSON, and whose human summary and
// badge print nothing a terminal could act on.
#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"
#include "fuzz_support.hpp"

using namespace devops_monitor;

FUZZ_TARGET(report_json) {
  const Result<Report> report = parse_report(fuzz::as_text(data, size), "fuzz.json");
  if (!report) {
    FUZZ_CHECK(report.error().where == "fuzz.json", report.error().message());
    return 0;
  }
  const std::string json = to_json(*report);
  const Result<Report> again = parse_report(json, "written.json");
  FUZZ_CHECK(again.ok(), json);
  FUZZ_CHECK(to_json(*again) == json, json);

  const std::string human =
      render_human(*report, {.color = false, .report_path = report->host, .pruned_reports = 1});
  FUZZ_CHECK(fuzz::first_unsafe_byte(human, /*newline_allowed=*/true) == std::string::npos, human);
  const std::string providers = render_providers(report->api_keys, report->provider_fallback_order);
  FUZZ_CHECK(fuzz::first_unsafe_byte(providers, /*newline_allowed=*/true) == std::string::npos,
             providers);
  for (const BadgeFormat format : {BadgeFormat::markdown, BadgeFormat::svg, BadgeFormat::json}) {
    const std::string badge = render_badge(report->status, format);
    FUZZ_CHECK(fuzz::first_unsafe_byte(badge, true) == std::string::npos, badge);
  }
  return 0;
}
