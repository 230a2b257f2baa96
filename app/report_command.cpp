// `devops-monitor report --html FILE`: the status page of the report directory, as a file.
#include <CLI/CLI.hpp>
#include <memory>

#include "command.hpp"
#include "devops_monitor/report_store.hpp"
#include "devops_monitor/status_page.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kReportFooter =
    "Writes the status page that serve answers on / as one self-contained HTML file (inline\n"
    "CSS and SVG, no script, nothing fetched): the overall status and last check, each\n"
    "provider's last 90 checks and availability, latency, CPU, memory and disk charts with\n"
    "their thresholds, the issues and recommendations of latest_report.json, the badge.\n"
    "Read from the report directory: the reports of the last 90 days (unreadable ones skipped\n"
    "with a warning each). All four ranges are in the file; links switch between them without\n"
    "script. The file is replaced atomically; its directory is created when missing. No key\n"
    "and no fingerprint is on the page.\n"
    "Exit status: 0 written, 3 failed (report directory missing or unreadable, file not\n"
    "writable, bad flag).\n"
    "Examples:\n"
    "  devops-monitor report --html status.html\n"
    "  devops-monitor report --html public/index.html --since 30d --report-dir /var/lib/dm";

struct ReportFlags {
  SettingsFlags settings;
  std::optional<std::string> html;
  std::optional<std::string> since;
};

int run_report(const ReportFlags& flags) {
  if (!flags.html) return fail({"invalid command line", "report needs --html FILE", "--html"});
  const std::string since = flags.since.value_or("7d");
  const std::optional<PageRange> shown = parse_page_range(since);
  if (!shown) {
    return fail({"invalid command line", "--since " + since + " is not one of 24h, 7d, 30d, 90d",
                 "--since"});
  }
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  CheckNotes notes;
  Result<std::string> page = ReportStore(std::move(*settings)).status_page(*shown, &notes);
  print_warnings(notes.warnings);
  if (!page) return fail(page.error());
  if (Result<void> written = write_page_file(*flags.html, *page); !written) {
    return fail(written.error());
  }
  return 0;
}

}  // namespace

Command report_command() {
  return {"report", "Write the HTML status page of the report directory to a file",
          [](CLI::App& app) -> Run {
            auto flags = std::make_shared<ReportFlags>();
            app.footer(kReportFooter);
            value_flag(app, "--html", flags->html, "FILE",
                       "Write the status page to FILE (required; replaced atomically)", "none");
            value_flag(app, "--since", flags->since, "RANGE",
                       "The range shown first: 24h, 7d, 30d or 90d (the file has all four)", "7d");
            add_settings_flags(app, flags->settings, kConfigFlag | kReportDirFlag);
            return [flags] { return run_report(*flags); };
          }};
}

}  // namespace devops_monitor::cli
