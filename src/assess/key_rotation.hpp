// Key rotation: which fingerprint each provider had, since when, and what that means.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "devops_monitor/report.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

/// What the report directory remembers of one provider's key: never the key, only its
/// fingerprint.
struct KeyRecord {
  std::string fingerprint;
  std::string first_seen;  // RFC 3339
  std::optional<std::string> previous_fingerprint{};
  std::optional<std::string> rotated_at{};  // RFC 3339
};

/// Provider id -> record.
using KeyHistory = std::map<std::string, KeyRecord>;

/// Pure. Compares the report's key fingerprints with `history`: marks rotated keys (and
/// adds "<provider> key rotated" to the notices), fills key_first_seen and key_age_days, and
/// recommends rotating keys older than `rotation_days`. Returns the updated history; keys
/// that are absent now keep their record, so a key that comes back is not a rotation.
KeyHistory apply_key_history(Report& report, const KeyHistory& history, SystemTime now,
                             int rotation_days);

}  // namespace devops_monitor
