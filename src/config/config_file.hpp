// The TOML configuration file: finding it and applying it on top of the defaults.
#pragma once

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
/// duration, bad URL) is an Error whose `where` is "filename:line:column".
Result<Settings> apply_config_text(std::string_view toml_text, const std::string& filename,
                                   Settings base);

/// The config file used when --config is not given, first that exists of:
/// <cwd>/devops-monitor.toml, $XDG_CONFIG_HOME/devops-monitor/config.toml (XDG_CONFIG_HOME
/// defaulting to $HOME/.config), /etc/devops-monitor/config.toml.
std::optional<std::filesystem::path> find_config_file(
    const EnvLookup& environment, const std::filesystem::path& cwd,
    const std::filesystem::path& etc_dir = "/etc");

}  // namespace devops_monitor
