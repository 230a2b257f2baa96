// Declaring flags the same way in every command: each help line ends with its default, and the
// flags that become Settings come in groups a command picks from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace devops_monitor::cli {

/// `--name VALUE`, kept as text (the command parses it, naming the flag in errors).
void value_flag(CLI::App& app, const std::string& names, std::optional<std::string>& target,
                const std::string& type, const std::string& help, const std::string& fallback);

/// `--name` without a value.
void switch_flag(CLI::App& app, const std::string& names, bool& target, const std::string& help);

/// `--name VALUE`, repeatable; every value kept in order.
void list_flag(CLI::App& app, const std::string& names, std::vector<std::string>& target,
               const std::string& type, const std::string& help, const std::string& fallback);

/// The flags that become Settings, on top of the config file. A command declares the groups it
/// uses and nothing else, so its --help lists exactly what it accepts.
enum SettingsFlagGroup : unsigned {
  kConfigFlag = 1U << 0,     // --config
  kEnvFileFlag = 1U << 1,    // --env-file
  kTimeoutFlag = 1U << 2,    // --timeout
  kReportDirFlag = 1U << 3,  // --report-dir
  kNoSaveFlag = 1U << 4,     // --no-save
  kRetentionFlag = 1U << 5,  // --retention-days
  kSystemFlags = 1U << 6,    // --procfs, --disk, --mount-timeout, -w/--warning, -c/--critical
  kWindowFlags = 1U << 7,    // --cpu-window, --deadline
};

struct SettingsFlags {
  std::optional<std::string> config;
  std::optional<std::string> env_file;
  std::optional<std::string> timeout;
  std::optional<std::string> report_dir;
  bool no_save = false;
  std::optional<int> retention_days;
  std::optional<std::string> procfs;
  std::vector<std::string> disks;
  std::optional<std::string> mount_timeout;
  std::optional<double> warning;
  std::optional<double> critical;
  std::optional<std::string> cpu_window;
  std::optional<std::string> deadline;
};

void add_settings_flags(CLI::App& app, SettingsFlags& flags, unsigned groups);

/// load_settings with --config and --env-file as its sources, then the other flags on top.
/// Warnings (a ./devops-monitor.toml that was ignored) go to stderr, one line each. Errors
/// name the flag.
Result<Settings> settings_from_flags(const SettingsFlags& flags);

/// A flag's duration within [min, max], the error naming the flag.
Result<Milliseconds> duration_flag(const std::string& text, const char* flag, Milliseconds min,
                                   Milliseconds max);

}  // namespace devops_monitor::cli
