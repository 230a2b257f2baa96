#include "settings_from_cli.hpp"

#include <utility>

#include "devops_monitor/config.hpp"

namespace devops_monitor::cli {
namespace {

Result<Milliseconds> duration_flag(const std::string& text, const char* flag, Milliseconds min,
                                   Milliseconds max) {
  Result<Milliseconds> value = parse_duration_between(text, min, max);
  if (!value) return Error{value.error().what, value.error().detail, flag};
  return value;
}

}  // namespace

Result<Settings> settings_from_cli(const CliOptions& options, std::vector<Error>& warnings) {
  // The library's load_settings is the command line's behaviour; the flags go on top.
  SettingsSources sources;
  if (options.config) sources.config_file = *options.config;
  if (options.env_file) sources.env_file = *options.env_file;
  SettingsNotes notes;
  Result<Settings> loaded = load_settings(sources, &notes);
  warnings.insert(warnings.end(), notes.warnings.begin(), notes.warnings.end());
  if (!loaded) return loaded.error();
  Settings settings = std::move(*loaded);

  if (options.report_dir) settings.report_dir = *options.report_dir;
  if (options.no_save) settings.save_report = false;
  if (options.procfs) settings.procfs = *options.procfs;
  if (!options.disks.empty()) settings.disks.assign(options.disks.begin(), options.disks.end());
  if (options.cpu_window) {
    Result<Milliseconds> window =
        duration_flag(*options.cpu_window, "--cpu-window", kMinCpuWindow, kMaxCpuWindow);
    if (!window) return window.error();
    settings.cpu_window = *window;
  }
  if (options.timeout) {
    Result<Milliseconds> timeout =
        duration_flag(*options.timeout, "--timeout", kMinTimeout, kMaxTimeout);
    if (!timeout) return timeout.error();
    settings.timeout = *timeout;
  }
  if (options.mount_timeout) {
    Result<Milliseconds> timeout = duration_flag(*options.mount_timeout, "--mount-timeout",
                                                 kMinMountTimeout, kMaxMountTimeout);
    if (!timeout) return timeout.error();
    settings.mount_timeout = *timeout;
  }
  if (options.deadline) {
    Result<Milliseconds> deadline =
        duration_flag(*options.deadline, "--deadline", kMinDeadline, kMaxDeadline);
    if (!deadline) return deadline.error();
    settings.deadline = *deadline;
  }
  if (options.retention_days) settings.retention_days = *options.retention_days;
  if (options.serve.key_interval) {
    Result<Milliseconds> interval = duration_flag(*options.serve.key_interval, "--key-interval",
                                                  kMinKeyInterval, kMaxKeyInterval);
    if (!interval) return interval.error();
    settings.key_interval = *interval;
  }
  if (options.interval) {
    Result<Milliseconds> interval =
        duration_flag(*options.interval, "--interval", kMinWatchInterval, kMaxWatchInterval);
    if (!interval) return interval.error();
    settings.watch_interval = *interval;
  }
  return settings;
}

}  // namespace devops_monitor::cli
