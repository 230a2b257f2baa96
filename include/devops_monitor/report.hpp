// The result of one health check. The JSON report file is exactly this struct serialized
// (see report_json.hpp); field names match the JSON fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/settings.hpp"
#include "devops_monitor/silences.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {

/// The verdict on one provider key.
enum class KeyState {
  missing,          // no key in the environment or .env
  valid,            // the provider accepted the key (2xx)
  invalid,          // the provider rejected the credential (401, 403, Google API_KEY_INVALID)
  quota_exhausted,  // authenticated but cannot serve: no credit or quota left (402, 429 quota)
  rate_limited,     // authenticated, temporarily throttled (other 429)
  unknown,          // could not tell: network, timeout, TLS, 5xx, 3xx, unexpected answer
  unsupported,      // no test endpoint configured for this provider
  restricted,       // authenticated but refused this use: region, missing scope, API disabled
};

std::string_view to_string(KeyState state);
std::optional<KeyState> parse_key_state(std::string_view text);

struct ApiKeyStatus {
  // Fields of the old tool, unchanged.
  std::string provider;  // display name
  bool key_present = false;
  std::optional<bool> key_valid;  // true: valid/rate_limited/quota_exhausted/restricted
                                  // false: invalid
  std::string error_message;      // plain words; "API key is valid" when it is
  std::string last_checked;       // RFC 3339
  // Added by devops-monitor.
  std::string id;
  std::string env_var;
  KeyState state = KeyState::missing;
  std::optional<int> http_status;
  std::optional<std::int64_t> latency_ms;
  std::optional<std::string> key_fingerprint;  // first 8 hex digits of SHA-256(key)
  // Key rotation, from the report directory's key history (absent without one).
  std::optional<std::string> key_first_seen;  // RFC 3339: when this fingerprint was first seen
  std::optional<int> key_age_days;            // whole days since key_first_seen
  bool key_rotated = false;                   // the fingerprint changed since the last check
  /// Why a restricted key is refused: "region", "permission", "missing_scope:<scope>", or
  /// Google's reason ("API_KEY_IP_ADDRESS_BLOCKED", "SERVICE_DISABLED", ...).
  std::optional<std::string> restriction;
  // Key insight (docs/provider-insight.md); absent when the answer did not tell.
  std::optional<std::int64_t> models_available;  // ids in the key's model list
  bool models_cut_short = false;             // the list was not read to its end (page or body cap)
  std::vector<std::string> missing_models;   // required, absent from the complete list
  std::vector<std::string> models_not_seen;  // required, not on the pages read (cut short)
  std::optional<std::string> credit_status;  // reported, unlimited, not_available, unreadable
  std::optional<double> credit_remaining;    // in credit_unit
  std::optional<std::string> credit_unit;    // "USD", "CNY"
  std::optional<std::string> credit_scope;   // "key" (the key's own cap) or "account"
  bool credit_low = false;                   // below the provider's min_credit: a warning
  std::optional<double> credit_min;          // the provider's min_credit, in credit_unit
  std::optional<std::int64_t> ratelimit_limit;      // requests per window
  std::optional<std::int64_t> ratelimit_remaining;  // requests left in it
  std::optional<double> ratelimit_reset_seconds;    // until the window resets
  std::optional<std::string> ratelimit_reset_at;    // when it resets (RFC 3339)
  bool ratelimit_unreadable = false;  // a rate-limit header was malformed: nothing read from it
  bool ratelimit_low = false;         // remaining / limit below ratelimit_warning_ratio: a warning
  std::optional<double> retry_after_seconds;  // on rate_limited: how long to wait
  std::optional<std::string> retry_after_at;  // or until when (RFC 3339, UTC)
};

struct DiskHealth {
  std::string path;
  std::uint64_t total_bytes = 0;
  std::uint64_t used_bytes = 0;
  std::uint64_t available_bytes = 0;   // to unprivileged users (reserved blocks excluded)
  double percent = 0.0;                // used / (used + available), one decimal
  Status status = Status::healthy;     // unknown when it could not be measured
  std::optional<std::string> error{};  // why it could not be measured ("statfs did not answer...")
};

struct LoadAverage {
  double one = 0.0;
  double five = 0.0;
  double fifteen = 0.0;
};

/// How cpu_percent was measured: over one window (`check`), or as the rolling average of
/// one-second readings over cpu_window_ms (serve, watch, the dashboard).
enum class CpuBasis { window, average };

/// "window" or "average", as in the report JSON's `cpu_basis`.
std::string_view to_string(CpuBasis basis);

struct SystemHealth {
  // Fields of the old tool, unchanged.
  double cpu_percent = 0.0;
  double memory_percent = 0.0;
  double disk_percent = 0.0;  // the fullest of the checked disks
  std::string timestamp;
  Status status = Status::healthy;
  // Added by devops-monitor.
  Status cpu_status = Status::healthy;
  Status memory_status = Status::healthy;
  Status disk_status = Status::healthy;
  std::uint64_t memory_total_bytes = 0;
  std::uint64_t memory_available_bytes = 0;
  std::vector<DiskHealth> disks;
  LoadAverage load_average;  // informational, never sets a status
  int cpu_count = 0;
  std::int64_t cpu_window_ms = 0;
  CpuBasis cpu_basis = CpuBasis::window;
  ThresholdSet thresholds;
};

struct Report {
  // Fields of the old tool, unchanged.
  std::string timestamp;
  std::vector<ApiKeyStatus> api_keys;
  SystemHealth system_health;
  std::vector<std::string> issues_found;
  std::vector<std::string> recommendations;
  // Added by devops-monitor.
  Status status = Status::healthy;                   // worse of the API part and system health
  std::vector<std::string> provider_fallback_order;  // provider ids, best first
  std::vector<std::string> notices;                  // things worth knowing: "... key rotated"
  std::string host;
  std::string version;
  std::int64_t duration_ms = 0;
  /// The maintenance silences active when the check ran (silences.hpp).
  std::vector<Silence> silences;
};

}  // namespace devops_monitor
