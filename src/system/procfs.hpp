// Reading files under a procfs root ("/proc", or a host's /proc mounted into a container).
#pragma once

#include <filesystem>
#include <string>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// Reads <procfs>/<name> whole. Errors name the full path. Procfs files report a size of 0,
/// so this reads until EOF rather than trusting the size.
Result<std::string> read_procfs_file(const std::filesystem::path& procfs, const std::string& name);

}  // namespace devops_monitor
