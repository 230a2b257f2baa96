// devops-monitor: command-line wiring only. Measuring, judging and writing live in the library.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "assess/assess.hpp"
#include "check/take_snapshot.hpp"
#include "cli.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/version.hpp"
#include "keys/dotenv.hpp"
#include "render/human.hpp"
#include "report/report_store.hpp"
#include "settings_from_cli.hpp"

namespace devops_monitor::cli {
namespace {

constexpr int kCannotRun = 3;  // Nagios UNKNOWN: the check itself could not run

int fail(const Error& error) {
  std::fprintf(stderr, "devops-monitor: %s\n", error.message().c_str());
  return kCannotRun;
}

void warn(const Error& warning) {
  std::fprintf(stderr, "devops-monitor: warning: %s\n", warning.message().c_str());
}

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

Result<KeySource> load_keys(const Settings& settings) {
  DotenvFile dotenv;
  if (settings.env_file) {
    Result<DotenvFile> loaded = load_dotenv(*settings.env_file, process_environment());
    if (!loaded) return loaded.error();
    dotenv = std::move(*loaded);
  }
  for (const Error& warning : dotenv.warnings) warn(warning);
  return KeySource(process_environment(), std::move(dotenv));
}

int run_check(const CliOptions& options) {
  Result<Settings> settings = settings_from_cli(options);
  if (!settings) return fail(settings.error());
  if (settings->save_report) {
    if (Result<void> ready = prepare_report_dir(settings->report_dir); !ready) {
      return fail(ready.error());
    }
  }
  Result<KeySource> keys = load_keys(*settings);
  if (!keys) return fail(keys.error());

  Result<Snapshot> snapshot = take_snapshot(*settings, *keys);
  if (!snapshot) return fail(snapshot.error());
  const Report report = assess(*snapshot, settings->thresholds);
  const std::string json = to_json(report);

  std::optional<std::string> saved_path;
  std::optional<Error> save_error;
  if (settings->save_report) {
    Result<std::filesystem::path> saved =
        save_report(settings->report_dir, json, snapshot->started_at);
    if (saved) {
      saved_path = saved->string();
    } else {
      save_error = saved.error();
    }
  }

  const std::string output =
      options.json ? json : render_human(report, {.color = use_color(), .report_path = saved_path});
  std::fwrite(output.data(), 1, output.size(), stdout);
  std::fflush(stdout);
  if (save_error) return fail(*save_error);
  return exit_code(report.status);
}

}  // namespace
}  // namespace devops_monitor::cli

int main(int argc, char** argv) {
  using namespace devops_monitor;
  using namespace devops_monitor::cli;
  Result<CliOptions> options = parse_command_line(argc, argv);
  if (!options) return fail(options.error());
  switch (options->command) {
    case Command::help:
      std::fputs(options->help_text.c_str(), stdout);
      return 0;
    case Command::version:
      std::printf("devops-monitor %s\n", devops_monitor::kVersion);
      return 0;
    case Command::check:
      break;
  }
  return run_check(*options);
}
