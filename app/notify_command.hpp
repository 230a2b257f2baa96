// `devops-monitor notify github`: its flags and its run, kept out of cli.cpp and main.cpp
// except for one call each.
#pragma once

#include "cli.hpp"
#include "devops_monitor/settings.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace devops_monitor::cli {

/// Adds `notify github` and its flags to `app`; parsing it sets Command::notify_github.
void add_notify_command(CLI::App& app, CliOptions& options);

/// Runs it: 0 when the intended action was done (nothing to do included), 3 otherwise.
int run_notify_github(const CliOptions& options, const Settings& settings);

}  // namespace devops_monitor::cli
