// `devops-monitor history`: load the report directory, summarise, print. The statistics and
// both output forms are the library's (devops_monitor/history.hpp); this is wiring only.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>

#include "command.hpp"
#include "devops_monitor/history.hpp"
#include "devops_monitor/text.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kHistoryFooter =
    "Reads the reports in the report directory (ours and the old tool's) from --since ago\n"
    "until now: per provider the checks, availability (valid checks / checks), time per\n"
    "state, latency p50/p95/max and the last change; per resource min/avg/max and time above\n"
    "the warning and critical thresholds, with a fill forecast for disks; the overall time per\n"
    "status and its changes; when a disk fills or a provider's credit runs out by the last 7\n"
    "days' trend. Sparklines only on a terminal. Rules and the --json shape:\n"
    "docs/history.md. A file that cannot be read or is not a report is skipped with one\n"
    "warning line on stderr.\n"
    "Exit status: 0 shown (also when there are no reports), 3 could not run (bad flag, missing\n"
    "or unreadable report directory).\n"
    "Examples:\n"
    "  devops-monitor history\n"
    "  devops-monitor history --since 90d --json > history.json\n"
    "  devops-monitor history --since 1d12h --report-dir /var/lib/devops-monitor";

struct HistoryFlags {
  SettingsFlags settings;
  std::optional<std::string> since;
  bool json = false;
};

Result<void> report_dir_exists(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return {};
  return Error{"no report directory", "it does not exist or is not a directory; run a check first",
               dir.string()};
}

int run_history(const HistoryFlags& flags) {
  const std::string since_text = flags.since.value_or("7d");
  Result<Milliseconds> range =
      duration_flag(since_text, "--since", history::kMinHistoryRange, history::kMaxHistoryRange);
  if (!range) return fail(range.error());
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return fail(settings.error());
  if (Result<void> there = report_dir_exists(settings->report_dir); !there) {
    return fail(there.error());
  }
  const SystemTime now = std::chrono::system_clock::now();
  const SystemTime since = now - *range;
  Result<history::LoadedHistory> loaded = history::load_history(settings->report_dir, since);
  if (!loaded) return fail(loaded.error());
  // One line per skipped file; the paths and reasons come from the disk.
  for (const std::string& warning : loaded->warnings) {
    std::fprintf(stderr, "devops-monitor: %s\n", printable(warning).c_str());
  }
  const history::HistorySummary summary = history::summarize(loaded->samples, since, now);
  if (flags.json) {
    print(history::render_history_json(summary, loaded->warnings.size()));
    return 0;
  }
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  history::HistoryRenderOptions render;
  render.sparklines = tty;
  render.color = use_color();
  render.utc_offset = history::local_offset_at(now);
  render.range = since_text;
  print(history::render_history_human(summary, loaded->samples, render));
  return 0;
}

}  // namespace

Command history_command() {
  return {"history", "Summarise the saved reports: availability, latency, resources, forecast",
          [](CLI::App& app) -> Run {
            auto flags = std::make_shared<HistoryFlags>();
            app.footer(kHistoryFooter);
            value_flag(app, "--since", flags->since, "DURATION",
                       "How far back (1m to 3650d; like 90d, 36h, 1d12h)", "7d");
            switch_flag(app, "--json", flags->json, "The summary as JSON (docs/history.md)");
            add_settings_flags(app, flags->settings, kConfigFlag | kReportDirFlag);
            return [flags] { return run_history(*flags); };
          }};
}

}  // namespace devops_monitor::cli
