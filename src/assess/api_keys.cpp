#include <fmt/format.h>

#include <algorithm>

#include "assess/assess.hpp"
#include "devops_monitor/text.hpp"
#include "keys/credit.hpp"
#include "keys/rate_limit.hpp"
#include "keys/verdict.hpp"

namespace devops_monitor {
namespace {

bool can_serve(KeyState state) {
  return state == KeyState::valid || state == KeyState::rate_limited;
}
/// A key that serves, and serves every model the agents need.
bool can_serve(const ApiKeyStatus& key) {
  return can_serve(key.state) && key.missing_models.empty();
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

/// Required models against the pages read: missing from a complete list, "not seen" when
/// the list was cut short or the check lists no models (OpenRouter's /key).
void assess_models(const KeyProbe& probe, ApiKeyStatus& status) {
  const Provider& provider = probe.provider;
  if (probe.models) {
    status.models_available = static_cast<std::int64_t>(probe.models->count);
    status.models_cut_short = probe.models->cut_short;
  }
  if (provider.required_models.empty()) return;
  if (!probe.models) {
    // Nothing was read: only a provider that never lists models says so for every model; a
    // key that did not answer 2xx already has its verdict.
    if (provider.check_kind != ProbeKind::model_list) {
      for (const std::string& m : provider.required_models)
        status.models_not_seen.push_back(printable(m));
    }
    return;
  }
  for (const std::string& model : provider.required_models) {
    if (probe.models->found.count(normalise_model_id(provider, model)) != 0) continue;
    (probe.models->cut_short ? status.models_not_seen : status.missing_models)
        .push_back(printable(model));
  }
}

void assess_credit(const KeyProbe& probe, ApiKeyStatus& status) {
  const Credit credit = read_credit(probe.provider, *probe.outcome, probe.balance);
  status.credit_status = std::string(to_string(credit.status));
  if (!credit.unit.empty()) status.credit_unit = printable(credit.unit);
  if (!credit.scope.empty()) status.credit_scope = credit.scope;
  status.credit_remaining = credit.remaining;
  // The threshold travels with the figure so that the exporter can compare them (alert rules).
  status.credit_min = probe.provider.min_credit;
  if (!credit.remaining) return;
  if (*credit.remaining <= 0.0 && status.state == KeyState::valid) {
    // An empty balance: the documented cause of the refusals to come.
    status.state = KeyState::quota_exhausted;
    status.error_message =
        fmt::format("API key has no credit left ({:g} {} {} balance)", *credit.remaining,
                    *status.credit_unit, credit.scope == "key" ? "key" : "account");
  }
  const auto& minimum = probe.provider.min_credit;
  status.credit_low = minimum && *credit.remaining < *minimum;
}

void assess_rate_limit(const KeyProbe& probe, ApiKeyStatus& status) {
  const RateLimitInfo info = read_rate_limit(probe.provider, *probe.outcome);
  status.ratelimit_limit = info.limit;
  status.ratelimit_remaining = info.remaining;
  status.ratelimit_reset_seconds = info.reset_seconds;
  status.ratelimit_reset_at = info.reset_at;
  status.ratelimit_unreadable = info.unreadable;
  if (status.state == KeyState::rate_limited) {
    status.retry_after_seconds = info.retry_after_seconds;
    status.retry_after_at = info.retry_after_at;
  }
  const double ratio = probe.provider.ratelimit_warning_ratio;
  if (info.limit && info.remaining && *info.limit > 0 && ratio > 0) {
    status.ratelimit_low =
        static_cast<double>(*info.remaining) < ratio * static_cast<double>(*info.limit);
  }
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
    // What the answer says beyond the verdict, only where the key was sent and authenticated
    // (auth = none proves nothing about a key).
    if (probe.provider.auth != AuthKind::none) {
      assess_rate_limit(probe, status);
      if (status.key_valid == std::optional<bool>(true)) {
        assess_models(probe, status);
        assess_credit(probe, status);
      }
    }
  }
  return status;
}

Status api_keys_status(const std::vector<ApiKeyStatus>& keys) {
  std::vector<KeyState> present;
  for (const ApiKeyStatus& key : keys) {
    if (key.key_present) present.push_back(key.state);
  }
  if (present.empty()) return Status::warning;
  const bool any_problem = std::any_of(present.begin(), present.end(), [](KeyState s) {
    return is_unusable(s) || s == KeyState::unknown;
  });
  // A key that serves but lacks a required model, runs low on credit or on rate-limit
  // headroom is a warning; missing models also take it out of the usable set.
  bool any_usable = false;
  bool any_warning = false;
  bool all_unusable = true;
  for (const ApiKeyStatus& key : keys) {
    if (!key.key_present) continue;
    any_usable = any_usable || can_serve(key);
    any_warning = any_warning || !key.missing_models.empty() || key.credit_low || key.ratelimit_low;
    all_unusable = all_unusable && (is_unusable(key.state) || !key.missing_models.empty());
  }
  if (all_unusable) return Status::critical;
  return (any_problem || any_warning || !any_usable) ? Status::warning : Status::healthy;
}

std::vector<std::string> fallback_order(const std::vector<ApiKeyStatus>& keys) {
  std::vector<std::string> order;
  for (const ApiKeyStatus& key : keys) {
    if (can_serve(key)) order.push_back(key.id);
  }
  for (const ApiKeyStatus& key : keys) {
    if (key.state == KeyState::unknown || key.state == KeyState::unsupported) {
      order.push_back(key.id);
    }
  }
  return order;
}

}  // namespace devops_monitor
