// Merging defaults, the config file and flags (flags win) into Settings.
#pragma once

#include <vector>

#include "cli.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor::cli {

/// load_settings with --config and --env-file as its sources, then the other flags on top.
/// Warnings (a ./devops-monitor.toml that was ignored) are added to `warnings`.
Result<Settings> settings_from_cli(const CliOptions& options, std::vector<Error>& warnings);

}  // namespace devops_monitor::cli
