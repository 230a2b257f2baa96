#include "flags.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <utility>

#include "devops_monitor/config.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

std::string with_default(const std::string& help, const std::string& fallback) {
  return help + " [default: " + fallback + "]";
}

/// Each metric's warning must stay below its critical, whichever of flag and config set them.
Result<void> check_threshold_order(const ThresholdSet& set) {
  for (const auto& [name, pair] : {std::pair{"cpu", &set.cpu}, std::pair{"memory", &set.memory},
                                   std::pair{"disk", &set.disk}}) {
    if (pair->warning < pair->critical) continue;
    return Error{"invalid thresholds",
                 fmt::format("{} warning {:g}% must be below {} critical {:g}%", name,
                             pair->warning, name, pair->critical),
                 "-w/--warning, -c/--critical"};
  }
  return {};
}

void apply_threshold(std::optional<double> value, double Thresholds::*level, ThresholdSet& set) {
  if (!value) return;
  set.cpu.*level = *value;
  set.memory.*level = *value;
  set.disk.*level = *value;
}

}  // namespace

void value_flag(CLI::App& app, const std::string& names, std::optional<std::string>& target,
                const std::string& type, const std::string& help, const std::string& fallback) {
  app.add_option_function<std::string>(
         names, [&target](const std::string& value) { target = value; },
         with_default(help, fallback))
      ->type_name(type);
}

void switch_flag(CLI::App& app, const std::string& names, bool& target, const std::string& help) {
  app.add_flag(names, target, with_default(help, "off"));
}

void list_flag(CLI::App& app, const std::string& names, std::vector<std::string>& target,
               const std::string& type, const std::string& help, const std::string& fallback) {
  app.add_option(names, target, with_default(help, fallback))
      ->type_name(type)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_settings_flags(CLI::App& app, SettingsFlags& flags, unsigned groups) {
  if (groups & kConfigFlag) {
    value_flag(app, "--config", flags.config, "FILE",
               "TOML config file; never name one from a checkout you do not trust",
               "$DEVOPS_MONITOR_CONFIG, else ~/.config/devops-monitor/config.toml, else "
               "/etc/devops-monitor/config.toml");
  }
  if (groups & kEnvFileFlag) {
    value_flag(app, "--env-file", flags.env_file, "FILE",
               "Read API keys from FILE; the environment wins over it",
               "env_file of the config, else ./.env if present");
  }
  if (groups & kTimeoutFlag) {
    value_flag(app, "--timeout", flags.timeout, "DURATION",
               "Time allowed per provider, retry included (100ms to 5m)", "10s");
  }
  if (groups & kReportDirFlag) {
    value_flag(app, "--report-dir", flags.report_dir, "DIR",
               "The report directory (created with parents when a report is written)",
               "./monitoring_reports");
  }
  if (groups & kNoSaveFlag) switch_flag(app, "--no-save", flags.no_save, "Write no report file");
  if (groups & kRetentionFlag) {
    app.add_option_function<int>(
           "--retention-days", [&flags](int days) { flags.retention_days = days; },
           with_default("Reports older than this are deleted (1 to 36500)", "90"))
        ->type_name("DAYS")
        ->check(CLI::Range(1, 36500).description(""));
  }
  if (groups & kSystemFlags) {
    value_flag(app, "--procfs", flags.procfs, "DIR",
               "procfs root to read CPU, memory and load from", "/proc");
    list_flag(app, "--disk", flags.disks, "PATH", "Path whose file system is checked; repeatable",
              "/");
    value_flag(app, "--mount-timeout", flags.mount_timeout, "DURATION",
               "Time a disk may take to answer before it is reported as stuck (100ms to 5m)", "5s");
    app.add_option_function<double>(
           "-w,--warning", [&flags](double percent) { flags.warning = percent; },
           with_default("Warning threshold in percent for CPU, memory and disk (0 to 100)",
                        "80, or [thresholds] of the config"))
        ->type_name("PERCENT")
        ->check(CLI::Range(0.0, 100.0).description(""));
    app.add_option_function<double>(
           "-c,--critical", [&flags](double percent) { flags.critical = percent; },
           with_default("Critical threshold in percent for CPU, memory and disk (0 to 100)",
                        "90, or [thresholds] of the config"))
        ->type_name("PERCENT")
        ->check(CLI::Range(0.0, 100.0).description(""));
  }
  if (groups & kWindowFlags) {
    value_flag(app, "--cpu-window", flags.cpu_window, "DURATION",
               "How long CPU use is sampled (100ms to 10m)", "1s");
    value_flag(app, "--deadline", flags.deadline, "DURATION",
               "The most a whole check may take, saving included (1s to 1h)",
               "cpu-window + timeout + 5s");
  }
}

Result<Milliseconds> duration_flag(const std::string& text, const char* flag, Milliseconds min,
                                   Milliseconds max) {
  Result<Milliseconds> value = parse_duration_between(text, min, max);
  if (!value) return Error{value.error().what, value.error().detail, flag};
  return value;
}

Result<Settings> settings_from_flags(const SettingsFlags& flags) {
  SettingsSources sources;
  if (flags.config) sources.config_file = *flags.config;
  if (flags.env_file) sources.env_file = *flags.env_file;
  SettingsNotes notes;
  Result<Settings> loaded = load_settings(sources, &notes);
  print_warnings(notes.warnings);
  if (!loaded) return loaded.error();
  Settings settings = std::move(*loaded);

  if (flags.report_dir) settings.report_dir = *flags.report_dir;
  if (flags.no_save) settings.save_report = false;
  if (flags.procfs) settings.procfs = *flags.procfs;
  if (!flags.disks.empty()) settings.disks.assign(flags.disks.begin(), flags.disks.end());
  if (flags.retention_days) settings.retention_days = *flags.retention_days;
  const struct {
    const std::optional<std::string>& text;
    const char* flag;
    Milliseconds min;
    Milliseconds max;
    Milliseconds& target;
  } durations[] = {
      {flags.cpu_window, "--cpu-window", kMinCpuWindow, kMaxCpuWindow, settings.cpu_window},
      {flags.timeout, "--timeout", kMinTimeout, kMaxTimeout, settings.timeout},
      {flags.mount_timeout, "--mount-timeout", kMinMountTimeout, kMaxMountTimeout,
       settings.mount_timeout},
  };
  for (const auto& duration : durations) {
    if (!duration.text) continue;
    Result<Milliseconds> value =
        duration_flag(*duration.text, duration.flag, duration.min, duration.max);
    if (!value) return value.error();
    duration.target = *value;
  }
  if (flags.deadline) {
    Result<Milliseconds> deadline =
        duration_flag(*flags.deadline, "--deadline", kMinDeadline, kMaxDeadline);
    if (!deadline) return deadline.error();
    settings.deadline = *deadline;
  }
  apply_threshold(flags.warning, &Thresholds::warning, settings.thresholds);
  apply_threshold(flags.critical, &Thresholds::critical, settings.thresholds);
  if (flags.warning || flags.critical) {
    if (Result<void> ordered = check_threshold_order(settings.thresholds); !ordered) {
      return ordered.error();
    }
  }
  return settings;
}

}  // namespace devops_monitor::cli
