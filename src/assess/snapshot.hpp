// Everything one check measured, with no judgement yet: the input of assess().
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "keys/key_check.hpp"
#include "system/system_sample.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

struct Snapshot {
  SystemTime started_at{};
  SystemTime finished_at{};
  std::chrono::seconds utc_offset{0};  // of the local time zone, for report timestamps
  SystemSample system{};
  std::vector<KeyProbe> keys{};  // enabled providers, in priority order
  std::string host{};
  std::string version{};
};

}  // namespace devops_monitor
