// `devops-monitor badge`: the status badge of the report directory's latest report.
#include <CLI/CLI.hpp>
#include <memory>

#include "command.hpp"
#include "devops_monitor/report_store.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kBadgeFooter =
    "Reads latest_report.json of the report directory: the overall status, or the system's\n"
    "for a report of the old tool; unknown (grey) when there is no report yet or it does not\n"
    "parse (with a warning). Exit status: 0 printed, 3 no report directory or bad flag.\n"
    "Examples:\n"
    "  devops-monitor badge >> README.md\n"
    "  devops-monitor badge --format svg --report-dir /var/lib/devops-monitor > status.svg";

struct BadgeFlags {
  SettingsFlags settings;
  std::optional<std::string> format;
};

int run_badge(const BadgeFlags& flags) {
  const std::optional<BadgeFormat> format = parse_badge_format(flags.format.value_or("markdown"));
  if (!format) {
    return fail({"invalid command line",
                 "--format " + *flags.format + " is not one of markdown, svg, json", "--format"});
  }
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  CheckNotes notes;
  Result<std::string> badge = ReportStore(std::move(*settings)).badge(*format, &notes);
  print_warnings(notes.warnings);
  if (!badge) return fail(badge.error());
  print(*badge);
  return 0;
}

}  // namespace

Command badge_command() {
  return {"badge", "Print a status badge for the latest report", [](CLI::App& app) -> Run {
            auto flags = std::make_shared<BadgeFlags>();
            app.footer(kBadgeFooter);
            value_flag(app, "--format", flags->format, "FORMAT",
                       "markdown (a shields.io image link), svg (drawn here) or json (a shields.io "
                       "endpoint)",
                       "markdown");
            add_settings_flags(app, flags->settings, kConfigFlag | kReportDirFlag);
            return [flags] { return run_badge(*flags); };
          }};
}

}  // namespace devops_monitor::cli
