// Loading the fault-injection library (tests/faults/fault_inject.c) into a child process, and
// reading back which faults really fired, so a test can never pass without its fault.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace devops_monitor::testing {

/// `env` plus what makes the child load the fault library with `rules` (the DM_FAULTS syntax:
/// "FUNCTION[@PATH]:NTH:ACTION;..."), logging each fired fault to `log`.
std::map<std::string, std::string> with_faults(std::map<std::string, std::string> env,
                                               const std::string& rules,
                                               const std::filesystem::path& log);

/// The faults that fired, one "function[@path] #call" line each, in order.
std::vector<std::string> fired_faults(const std::filesystem::path& log);

}  // namespace devops_monitor::testing
