// `devops-monitor dashboard`: the live terminal view (and its --simple summary) around the
// library's Dashboard; the terminal, the keyboard and the signals are this command's.
#pragma once

#include "cli.hpp"

namespace devops_monitor::cli {

/// Runs until `q`, SIGTERM or SIGINT (exit 0); 3 when it cannot start (bad flag or config,
/// unreadable procfs).
int run_dashboard(const CliOptions& options);

}  // namespace devops_monitor::cli
