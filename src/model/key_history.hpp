// What the report directory remembers of each provider's key: never the key, only its
// fingerprint and when it changed.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace devops_monitor {

struct KeyRecord {
  std::string fingerprint;
  std::string first_seen;  // RFC 3339
  std::optional<std::string> previous_fingerprint{};
  std::optional<std::string> rotated_at{};  // RFC 3339
};

/// Provider id -> record.
using KeyHistory = std::map<std::string, KeyRecord>;

}  // namespace devops_monitor
