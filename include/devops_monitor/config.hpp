// Settings as the command line builds them: the TOML configuration file, the .env file, and
// the trust rules for both (docs/configuration.md, README "Security").
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

/// What load_settings reads. Each member left unset is found the way the command line finds
/// it when the matching flag is not given.
struct SettingsSources {
  /// The config file (--config). Unset: $DEVOPS_MONITOR_CONFIG when set and not empty, else
  /// the installed $XDG_CONFIG_HOME/devops-monitor/config.toml (XDG_CONFIG_HOME defaulting to
  /// $HOME/.config; a relative one is ignored), else /etc/devops-monitor/config.toml, else
  /// none. ./devops-monitor.toml is never read unless named here.
  std::optional<std::filesystem::path> config_file{};
  /// The .env file with API keys (--env-file). Unset: the config file's env_file, else ./.env
  /// when it exists, else none.
  std::optional<std::filesystem::path> env_file{};
};

/// What load_settings found on the way, besides the settings.
struct SettingsNotes {
  std::optional<std::filesystem::path> config_file{};  // the config file applied, if any
  std::vector<Error> warnings{};  // e.g. ./devops-monitor.toml ignored because it was not named
};

/// The settings the command line starts from before its flags: the built-in defaults, then
/// the config file, then the .env file to read keys from, as SettingsSources describes. Keys
/// themselves are read by each check (the process environment wins over the .env file).
///
/// Every config file, named or installed, must be trusted: a regular file owned by the caller
/// (effective uid) or root, not group- or world-writable, in directories (up to /, symlinks
/// resolved) owned by the caller or root and writable by nobody else unless sticky (/tmp).
/// Otherwise it is refused: Error{"untrusted config file", reason, file}. Any other problem
/// in the file is an Error whose `where` is "file:line:column". Never throws, prints or exits.
Result<Settings> load_settings(const SettingsSources& sources = {}, SettingsNotes* notes = nullptr);

/// Applies one config file on top of `base`, after the same trust check as load_settings.
/// Every problem (syntax, unknown key, wrong type, value out of range, an env_var that is not
/// an API key variable without trust_env_var = true) is an Error whose `where` is
/// "file:line:column".
Result<Settings> apply_config_file(const std::filesystem::path& file, Settings base);

/// The config file load_settings uses when SettingsSources names none: $DEVOPS_MONITOR_CONFIG,
/// else the first installed one that exists ($XDG_CONFIG_HOME/devops-monitor/config.toml,
/// /etc/devops-monitor/config.toml). Never a file in the working directory.
std::optional<std::filesystem::path> default_config_file();

/// One threshold level given outside a config file (the Python package's WARNING_THRESHOLD),
/// checked with the config file's rule and words: `key` is its name under [thresholds]
/// ("warning", "cpu_critical", ...), and the Error reads "invalid thresholds:
/// thresholds.warning = 120 is outside 0 to 100". nan and infinities are outside too.
Result<void> check_threshold_level(std::string_view key, double value);

/// Every level of `thresholds` as above, then each metric's warning below its critical, as
/// the config file requires: "invalid thresholds: cpu warning 95 (thresholds.cpu_warning)
/// must be below cpu critical 90 (thresholds.cpu_critical)".
Result<void> check_thresholds(const ThresholdSet& thresholds);

}  // namespace devops_monitor
