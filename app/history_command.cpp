// `devops-monitor history`: load the report directory, summarise, print. The statistics and
// both output forms are the library's (devops_monitor/history.hpp); this is wiring only.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "cli.hpp"
#include "devops_monitor/history.hpp"
#include "devops_monitor/text.hpp"

namespace devops_monitor::cli {

int run_history(const CliOptions& options, const Settings& settings) {
  constexpr int kHistoryCannotRun = 3;
  Result<std::chrono::milliseconds> range =
      parse_duration_between(options.since, history::kMinHistoryRange, history::kMaxHistoryRange);
  if (!range) {
    Error error = range.error();
    error.where = "--since";
    std::fprintf(stderr, "devops-monitor: %s\n", printable(error.message()).c_str());
    return kHistoryCannotRun;
  }
  const SystemTime now = std::chrono::system_clock::now();
  const SystemTime since = now - *range;
  Result<history::LoadedHistory> loaded = history::load_history(settings.report_dir, since);
  if (!loaded) {
    std::fprintf(stderr, "devops-monitor: %s\n", printable(loaded.error().message()).c_str());
    return kHistoryCannotRun;
  }
  // One line per skipped file; the paths and reasons come from the disk.
  for (const std::string& warning : loaded->warnings) {
    std::fprintf(stderr, "devops-monitor: %s\n", printable(warning).c_str());
  }
  const history::HistorySummary summary = history::summarize(loaded->samples, since, now);
  std::string out;
  if (options.json) {
    out = history::render_history_json(summary, loaded->warnings.size());
  } else {
    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    const char* no_color = std::getenv("NO_COLOR");
    history::HistoryRenderOptions render;
    render.sparklines = tty;
    render.color = tty && (no_color == nullptr || no_color[0] == '\0');
    render.utc_offset = history::local_offset_at(now);
    render.range = options.since;
    out = history::render_history_human(summary, loaded->samples, render);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace devops_monitor::cli
