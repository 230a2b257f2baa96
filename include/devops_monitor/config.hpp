// Reading the TOML configuration file (docs/configuration.md).
#pragma once

#include <filesystem>
#include <optional>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

/// Applies a config file on top of `base`. Every problem (syntax, unknown key, wrong type,
/// value out of range) is an Error whose `where` is "file:line:column".
Result<Settings> apply_config_file(const std::filesystem::path& file, Settings base);

/// The config file to use when none is named, first that exists of ./devops-monitor.toml,
/// $XDG_CONFIG_HOME/devops-monitor/config.toml (~/.config/...), /etc/devops-monitor/config.toml.
std::optional<std::filesystem::path> default_config_file();

}  // namespace devops_monitor
