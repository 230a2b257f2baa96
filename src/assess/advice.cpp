// Issues and recommendations. The phrases of the old tool that users grep for are kept:
// "No API keys configured", "<provider> API key is invalid", "System resources critically
// high", "System is healthy - continue monitoring".
#include <fmt/format.h>

#include <algorithm>

#include "assess/assess.hpp"
#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kCouldNotVerify = "Could not verify the key: ";

std::string percent(double value) {
  return fmt::format("{:.1f}%", value);
}
std::string limit(double value) {
  return fmt::format("{:g}%", value);
}

/// The reason part of an "unknown" verdict message.
std::string unverified_reason(const ApiKeyStatus& key) {
  const std::string& message = key.error_message;
  if (message.rfind(kCouldNotVerify, 0) == 0) return message.substr(kCouldNotVerify.size());
  return message;
}

constexpr std::string_view kMissingScope = "missing_scope:";

std::string restriction_text(const ApiKeyStatus& key) {
  const std::string why = printable(key.restriction.value_or(""));
  if (why == "region") return "the provider refuses requests from this region";
  if (why == "permission") return "the key has no permission for this API";
  if (why.rfind(kMissingScope, 0) == 0)
    return "the key lacks scope " + why.substr(kMissingScope.size());
  if (why == "SERVICE_DISABLED") return "the API is disabled in the key's project";
  if (why.empty()) return "refused by the provider";
  return "blocked by the key's restrictions (" + why + ")";
}

/// One remedy per documented cause (docs/provider-insight.md "Finer verdicts").
std::string restriction_remedy(const ApiKeyStatus& key) {
  const std::string why = printable(key.restriction.value_or(""));
  if (why == "region") {
    return fmt::format(
        "Call {} from a supported region (the key itself works); until then rely on the "
        "fallback providers",
        key.provider);
  }
  if (why.rfind(kMissingScope, 0) == 0) {
    return fmt::format("Grant scope {} to the {} key (or use a key that has it)",
                       why.substr(kMissingScope.size()), key.provider);
  }
  if (why == "SERVICE_DISABLED") {
    return fmt::format("Enable the API in the Google Cloud project of the {} key", key.provider);
  }
  if (why.rfind("API_KEY_", 0) == 0) {
    return fmt::format(
        "Allow this API, IP address or app in the {} key's restrictions (Google Cloud console, "
        "Credentials)",
        key.provider);
  }
  return fmt::format("Give the {} key permission for this API in the provider's console",
                     key.provider);
}

std::string credit_figure(const ApiKeyStatus& key) {
  return fmt::format("{:.2f} {}", key.credit_remaining.value_or(0.0),
                     printable(key.credit_unit.value_or("")));
}

/// Models, credit and rate-limit headroom (docs/provider-insight.md).
void advise_on_insight(const ApiKeyStatus& key, Advice& advice) {
  for (const std::string& model : key.missing_models) {
    advice.issues.push_back(fmt::format("{} key cannot use {}", key.provider, printable(model)));
  }
  if (!key.missing_models.empty()) {
    advice.recommendations.push_back(fmt::format(
        "Give the {} key access to {} (or remove it from required_models); until then it is "
        "left out of the fallback order",
        key.provider, fmt::join(key.missing_models, ", ")));
  }
  if (!key.models_not_seen.empty()) {
    advice.recommendations.push_back(
        key.models_available
            ? fmt::format("{}'s model list was cut short; {} not seen - raise max_model_pages "
                          "to read it all",
                          key.provider, fmt::join(key.models_not_seen, ", "))
            : fmt::format("{}'s key check lists no models, so {} could not be confirmed (see "
                          "docs/provider-insight.md)",
                          key.provider, fmt::join(key.models_not_seen, ", ")));
  }
  if (key.credit_low && key.state != KeyState::quota_exhausted) {
    advice.issues.push_back(
        fmt::format("{} credit is low: {} left", key.provider, credit_figure(key)));
    advice.recommendations.push_back(
        fmt::format("Top up the {} account (or raise the key's credit limit) before it runs out",
                    key.provider));
  }
  if (key.ratelimit_low && key.ratelimit_limit && key.ratelimit_remaining) {
    advice.issues.push_back(fmt::format("{} rate limit nearly used: {}/{} requests left",
                                        key.provider, *key.ratelimit_remaining,
                                        *key.ratelimit_limit));
    advice.recommendations.push_back(fmt::format(
        "Spread requests to {} out, raise its rate limit, or shift load to the fallback providers",
        key.provider));
  }
}

void advise_on_keys(const std::vector<ApiKeyStatus>& keys, Advice& advice) {
  std::vector<const ApiKeyStatus*> present;
  std::vector<const ApiKeyStatus*> usable;
  for (const ApiKeyStatus& key : keys) {
    if (!key.key_present) continue;
    present.push_back(&key);
    if ((key.state == KeyState::valid || key.state == KeyState::rate_limited) &&
        key.missing_models.empty()) {
      usable.push_back(&key);
    }
  }

  if (present.empty()) {
    advice.issues.emplace_back("No API keys configured - AI features will not work");
    std::vector<std::string> names;
    names.reserve(keys.size());
    for (const ApiKeyStatus& key : keys) names.push_back(key.env_var);
    advice.recommendations.push_back(
        names.empty()
            ? std::string("Add at least one API key to .env file")
            : fmt::format("Add at least one API key to .env file ({})", fmt::join(names, ", ")));
    return;
  }

  const bool all_unusable = std::all_of(present.begin(), present.end(), [](const auto* key) {
    return key->state == KeyState::invalid || key->state == KeyState::quota_exhausted ||
           key->state == KeyState::restricted;
  });
  if (all_unusable) {
    advice.issues.emplace_back(
        "All configured API keys are invalid or out of quota - AI features will not work");
  }

  for (const ApiKeyStatus* key : present) {
    switch (key->state) {
      case KeyState::invalid:
        advice.issues.push_back(key->provider + " API key is invalid");
        advice.recommendations.push_back(fmt::format(
            "Verify or regenerate the {} API key and update {}", key->provider, key->env_var));
        break;
      case KeyState::quota_exhausted:
        advice.issues.push_back(key->provider + " API key has no quota or credit left");
        advice.recommendations.push_back(fmt::format(
            "Add credit or raise the quota of the {} account, or rely on the fallback providers",
            key->provider));
        break;
      case KeyState::restricted:
        advice.issues.push_back(fmt::format("{} API key is valid but not allowed this use: {}",
                                            key->provider, restriction_text(*key)));
        advice.recommendations.push_back(restriction_remedy(*key));
        break;
      case KeyState::unknown:
        advice.issues.push_back(fmt::format("{} API key could not be verified: {}", key->provider,
                                            unverified_reason(*key)));
        advice.recommendations.push_back(fmt::format(
            "Check network access to the {} API, then run the check again", key->provider));
        break;
      case KeyState::rate_limited:
        advice.recommendations.push_back(fmt::format(
            "{} is rate limiting requests - the key works; spread requests out or raise the limit",
            key->provider));
        break;
      case KeyState::unsupported:
        // A request was made (it has a latency) only when there is an endpoint: then what is
        // missing is the key in the request (auth = "none").
        advice.recommendations.push_back(
            key->latency_ms
                ? fmt::format("Set auth for {} in the config file (\"bearer\" or "
                              "\"header:<Name>\") so its key is sent and verified",
                              key->provider)
                : fmt::format(
                      "Set a test_endpoint for {} in the config file so its key can be verified",
                      key->provider));
        break;
      case KeyState::valid:
      case KeyState::missing:
        break;
    }
    advise_on_insight(*key, advice);
  }

  if (usable.size() == 1) {
    advice.recommendations.push_back(fmt::format(
        "Only one usable provider ({}) - configure a backup provider", usable.front()->provider));
  }
}

void advise_on_metric(const std::string& label, double value, Status status,
                      const Thresholds& thresholds, const std::string& remedy, Advice& advice) {
  if (status == Status::critical) {
    advice.issues.push_back(
        fmt::format("System resources critically high: {} at {} (critical above {})", label,
                    percent(value), limit(thresholds.critical)));
  } else if (status == Status::warning) {
    advice.issues.push_back(fmt::format("High {} usage: {} (warning at {})", label, percent(value),
                                        limit(thresholds.warning)));
  } else {
    return;
  }
  advice.recommendations.push_back(
      fmt::format("High {} usage ({}) - {}", label, percent(value), remedy));
}

void advise_on_system(const SystemHealth& system, Advice& advice) {
  const ThresholdSet& t = system.thresholds;
  advise_on_metric("CPU", system.cpu_percent, system.cpu_status, t.cpu,
                   "close unnecessary processes", advice);
  advise_on_metric("memory", system.memory_percent, system.memory_status, t.memory,
                   "restart memory-heavy applications or add RAM", advice);
  for (const DiskHealth& disk : system.disks) {
    if (disk.error) {
      advice.issues.push_back(fmt::format("Disk {} could not be measured: {}", printable(disk.path),
                                          printable(*disk.error)));
      advice.recommendations.push_back(fmt::format(
          "Check the mount at {} (a stuck NFS or FUSE mount hangs every program that touches it)",
          printable(disk.path)));
      continue;
    }
    advise_on_metric("disk " + printable(disk.path), disk.percent, disk.status, t.disk,
                     "clean up files or expand storage", advice);
  }
}

}  // namespace

Advice advise(const std::vector<ApiKeyStatus>& keys, const SystemHealth& system) {
  Advice advice;
  advise_on_keys(keys, advice);
  advise_on_system(system, advice);
  if (advice.issues.empty()) {
    advice.recommendations.emplace_back("System is healthy - continue monitoring");
  }
  return advice;
}

}  // namespace devops_monitor
