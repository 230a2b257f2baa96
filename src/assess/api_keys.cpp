#include <algorithm>

#include "assess/assess.hpp"
#include "devops_monitor/text.hpp"
#include "keys/verdict.hpp"

namespace devops_monitor {
namespace {

bool can_serve(KeyState state) {
  return state == KeyState::valid || state == KeyState::rate_limited;
}
bool is_unusable(KeyState state) {
  return state == KeyState::invalid || state == KeyState::quota_exhausted ||
         state == KeyState::restricted;
}

std::optional<bool> key_valid_field(KeyState state) {
  switch (state) {
    case KeyState::valid:
    case KeyState::rate_limited:
    case KeyState::quota_exhausted:
    case KeyState::restricted:
      return true;  // the provider authenticated the key
    case KeyState::invalid:
      return false;
    case KeyState::missing:
    case KeyState::unknown:
    case KeyState::unsupported:
      break;
  }
  return std::nullopt;
}

KeyVerdict verdict_for(const KeyProbe& probe) {
  if (!probe.key_present) return missing_key_verdict(probe.provider, probe.key_set_but_empty);
  if (!probe.outcome) return unsupported_verdict();
  return judge_response(probe.provider, *probe.outcome);
}

}  // namespace

ApiKeyStatus assess_key(const KeyProbe& probe, std::chrono::seconds utc_offset) {
  const KeyVerdict verdict = verdict_for(probe);
  ApiKeyStatus status;
  // Names come from the config file or an embedding application: a report is shown and
  // grepped, so they go in printable like the provider's own words.
  status.provider = printable(probe.provider.name);
  status.key_present = probe.key_present;
  status.key_valid = key_valid_field(verdict.state);
  status.error_message = verdict.message;
  status.last_checked = format_rfc3339(probe.checked_at, utc_offset);
  status.id = probe.provider.id;
  status.env_var = printable(probe.provider.env_var);
  status.state = verdict.state;
  if (!verdict.restriction.empty()) status.restriction = verdict.restriction;
  status.key_fingerprint = probe.fingerprint;
  if (probe.outcome) {
    status.http_status = probe.outcome->http_status;
    if (probe.outcome->attempts > 0) status.latency_ms = probe.outcome->latency.count();
  }
  return status;
}

Status api_keys_status(const std::vector<ApiKeyStatus>& keys) {
  std::vector<KeyState> present;
  for (const ApiKeyStatus& key : keys) {
    if (key.key_present) present.push_back(key.state);
  }
  if (present.empty()) return Status::warning;
  if (std::all_of(present.begin(), present.end(), is_unusable)) return Status::critical;
  const bool any_problem = std::any_of(present.begin(), present.end(), [](KeyState s) {
    return is_unusable(s) || s == KeyState::unknown;
  });
  const bool any_usable = std::any_of(present.begin(), present.end(), can_serve);
  return (any_problem || !any_usable) ? Status::warning : Status::healthy;
}

std::vector<std::string> fallback_order(const std::vector<ApiKeyStatus>& keys) {
  std::vector<std::string> order;
  for (const ApiKeyStatus& key : keys) {
    if (can_serve(key.state)) order.push_back(key.id);
  }
  for (const ApiKeyStatus& key : keys) {
    if (key.state == KeyState::unknown || key.state == KeyState::unsupported) {
      order.push_back(key.id);
    }
  }
  return order;
}

}  // namespace devops_monitor
