// `devops-monitor watch`: the daemon loop around the library's check and Watcher.
#pragma once

#include "cli.hpp"

namespace devops_monitor::cli {

/// Runs until SIGTERM or SIGINT (exit 0); 3 when the first settings cannot be loaded.
int run_watch(const CliOptions& options);

}  // namespace devops_monitor::cli
