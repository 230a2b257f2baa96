// Merging defaults, the config file and flags (flags win) into Settings.
#pragma once

#include "cli.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor::cli {

Result<Settings> settings_from_cli(const CliOptions& options);

}  // namespace devops_monitor::cli
