#include "support/faults.hpp"

#include <fstream>

namespace devops_monitor::testing {

std::map<std::string, std::string> with_faults(std::map<std::string, std::string> env,
                                               const std::string& rules,
                                               const std::filesystem::path& log) {
  env["LD_PRELOAD"] = DEVOPS_MONITOR_FAULT_INJECT;
  env["DM_FAULTS"] = rules;
  env["DM_FAULTS_LOG"] = log.string();
  // A sanitized child checks that its runtime comes first among the loaded libraries; the
  // fault library only wraps libc calls and may come before it.
  const std::string asan = env.count("ASAN_OPTIONS") != 0 ? env["ASAN_OPTIONS"] + ":" : "";
  env["ASAN_OPTIONS"] = asan + "verify_asan_link_order=0";
  return env;
}

std::vector<std::string> fired_faults(const std::filesystem::path& log) {
  std::vector<std::string> lines;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace devops_monitor::testing
