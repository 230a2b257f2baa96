// The TOML configuration file: finding it and applying it on top of the defaults.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/config.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"
#include "util/environment.hpp"

namespace devops_monitor {

/// Applies a config file's text on top of `base` and returns the result. Every problem
/// (syntax, unknown key, wrong type, threshold outside 0-100 or warning >= critical, bad
/// duration, bad URL, an env_var that is not a key variable without trust_env_var) is an
/// Error whose `where` is "filename:line:column".
Result<Settings> apply_config_text(std::string_view toml_text, const std::string& filename,
                                   Settings base);

/// apply_config_file, with the file's trust checked for `caller` (an effective uid).
Result<Settings> apply_trusted_config_file(const std::filesystem::path& file, Settings base,
                                           uid_t caller);

/// The config file the user named: `flag` (--config), else $DEVOPS_MONITOR_CONFIG when it is
/// set and not empty.
std::optional<std::filesystem::path> named_config_file(
    const std::optional<std::filesystem::path>& flag, const EnvLookup& environment);

/// The installed config file, first that exists of $XDG_CONFIG_HOME/devops-monitor/config.toml
/// (XDG_CONFIG_HOME defaulting to $HOME/.config) and <etc_dir>/devops-monitor/config.toml.
/// Never a file in the working directory.
std::optional<std::filesystem::path> find_installed_config(
    const EnvLookup& environment, const std::filesystem::path& etc_dir = "/etc");

}  // namespace devops_monitor
