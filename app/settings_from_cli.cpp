#include "settings_from_cli.hpp"

#include <filesystem>

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

Result<Settings> settings_from_cli(const CliOptions& options) {
  Settings settings;
  std::optional<std::filesystem::path> config_file;
  if (options.config) {
    config_file = *options.config;
  } else {
    config_file = default_config_file();
  }
  if (config_file) {
    Result<Settings> configured = apply_config_file(*config_file, settings);
    if (!configured) return configured.error();
    settings = std::move(*configured);
  }

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
  if (options.env_file) {
    settings.env_file = *options.env_file;
  } else if (!settings.env_file && std::filesystem::exists(".env")) {
    settings.env_file = ".env";
  }
  return settings;
}

}  // namespace devops_monitor::cli
