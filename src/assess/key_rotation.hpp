// Key rotation: which fingerprint each provider had, since when, and what that means.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "devops_monitor/report.hpp"
#include "model/key_history.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

/// Pure. Compares the report's key fingerprints with `history`: marks rotated keys (and
/// adds "<provider> key rotated" to the notices), fills key_first_seen and key_age_days, and
/// recommends rotating keys older than `rotation_days`. Returns the updated history; keys
/// that are absent now keep their record, so a key that comes back is not a rotation.
KeyHistory apply_key_history(Report& report, const KeyHistory& history, SystemTime now,
                             int rotation_days);

}  // namespace devops_monitor
