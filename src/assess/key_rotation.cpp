#include "assess/key_rotation.hpp"

#include <fmt/format.h>

namespace devops_monitor {
namespace {

constexpr long long kSecondsPerDay = 24 * 60 * 60;

int whole_days_between(SystemTime from, SystemTime to) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
  return seconds <= 0 ? 0 : static_cast<int>(seconds / kSecondsPerDay);
}

}  // namespace

KeyHistory apply_key_history(Report& report, const KeyHistory& history, SystemTime now,
                             int rotation_days) {
  KeyHistory next = history;
  const std::string now_text = report.timestamp;
  for (ApiKeyStatus& key : report.api_keys) {
    if (!key.key_fingerprint) continue;
    auto known = history.find(key.id);
    KeyRecord record;
    if (known == history.end()) {
      record = {.fingerprint = *key.key_fingerprint, .first_seen = now_text};
    } else if (known->second.fingerprint != *key.key_fingerprint) {
      record = {.fingerprint = *key.key_fingerprint,
                .first_seen = now_text,
                .previous_fingerprint = known->second.fingerprint,
                .rotated_at = now_text};
      key.key_rotated = true;
      report.notices.push_back(fmt::format("{} key rotated (fingerprint {}, was {})", key.provider,
                                           *key.key_fingerprint, known->second.fingerprint));
    } else {
      record = known->second;
    }
    key.key_first_seen = record.first_seen;
    const std::optional<SystemTime> first_seen = parse_rfc3339(record.first_seen);
    key.key_age_days = first_seen ? whole_days_between(*first_seen, now) : 0;
    if (*key.key_age_days > rotation_days) {
      report.recommendations.push_back(
          fmt::format("Rotate the {} API key: in use for {} days (rotate every {} days)",
                      key.provider, *key.key_age_days, rotation_days));
    }
    next[key.id] = std::move(record);
  }
  return next;
}

}  // namespace devops_monitor
