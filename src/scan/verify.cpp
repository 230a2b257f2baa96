// --verify: each found provider key checked once, with the key check every health check runs
// (src/check), a few at a time. The key goes only to the provider's configured endpoint, through
// the HTTP layer and its transport rules, exactly as a health check would send it; never to a
// disabled provider, to a provider whose shape other services share unless asked, nor more
// than the limit per run (a scan of a leaked dump must not become a flood of requests).
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "check/run_check.hpp"
#include "devops_monitor/scan.hpp"

namespace devops_monitor {
namespace {

constexpr std::size_t kMaxConcurrentChecks = 4;
// Used when a provider built in code has no env_var: the key has to be "in" some variable.
constexpr const char* kScanKeyVariable = "DEVOPS_MONITOR_SCAN_KEY";

/// A key that authenticates is live even when it cannot serve right now (quota, rate limit):
/// whoever holds it can use it once the limit lifts.
Verification verification_of(KeyState state) {
  switch (state) {
    case KeyState::valid:
    case KeyState::rate_limited:
    case KeyState::quota_exhausted:
    case KeyState::restricted:  // authenticates; refused only here (region, scope)
      return Verification::live;
    case KeyState::invalid:
      return Verification::dead;
    default:
      return Verification::unknown;
  }
}

Verification check_one(const ScanKeys::Key& key, const Settings& settings) {
  const auto provider = std::find_if(settings.providers.begin(), settings.providers.end(),
                                     [&](const Provider& p) { return p.id == key.provider_id; });
  if (provider == settings.providers.end()) return Verification::unknown;
  Settings only_this = settings;
  only_this.env_file.reset();  // the found key and nothing else
  const std::string variable = provider->env_var.empty() ? kScanKeyVariable : provider->env_var;
  // Liveness needs the check request alone: no balance read, no further model pages.
  Provider just_the_check = *provider;
  just_the_check.balance_endpoint.clear();
  just_the_check.max_model_pages = 1;
  const CheckInputs inputs{.environment = std::map<std::string, std::string>{{variable, key.key}}};
  const Result<ApiKeyStatus> status =
      check_one_key(only_this, inputs, variable, just_the_check,
                    SteadyClock::now() + only_this.effective_deadline());
  return status ? verification_of(status->state) : Verification::unknown;
}

/// Why a found key is not sent to its provider, if it is not.
enum class Held { no, disabled, ambiguous, over_limit, no_check };

/// The scan-only provider a key belongs to, when no configured provider took its id.
const Provider* scan_only_provider_of(const ScanKeys::Key& key) {
  static const std::vector<Provider> table = scan_only_providers();
  const auto provider = std::find_if(table.begin(), table.end(),
                                     [&](const Provider& p) { return p.id == key.provider_id; });
  return provider == table.end() ? nullptr : &*provider;
}

const Provider* provider_of(const ScanKeys::Key& key, const Settings& settings) {
  const auto provider = std::find_if(settings.providers.begin(), settings.providers.end(),
                                     [&](const Provider& p) { return p.id == key.provider_id; });
  return provider == settings.providers.end() ? nullptr : &*provider;
}

bool ambiguous_shape(const ScanKeys::Key& key, const Provider& provider) {
  // A configured provider with a scan-only provider's id scans with that entry's shapes too
  // (providers_for_scan): their ambiguity travels with them.
  for (const Provider& with_shapes : providers_for_scan({provider})) {
    if (with_shapes.id != provider.id) continue;
    if (std::any_of(with_shapes.key_patterns.begin(), with_shapes.key_patterns.end(),
                    [&](const KeyPattern& p) { return p.rule == key.rule && p.ambiguous; })) {
      return true;
    }
  }
  return false;
}

Held held_back(const ScanKeys::Key& key, const Settings& settings, const VerifyOptions& options) {
  const Provider* provider = provider_of(key, settings);
  // A scan-only provider's key stays not_checked: no request exists that tells live from dead.
  if (provider == nullptr && scan_only_provider_of(key) != nullptr) return Held::no_check;
  if (provider == nullptr) return Held::no;  // checked as unknown
  if (!provider->enabled) return Held::disabled;
  if (ambiguous_shape(key, *provider) && !options.ambiguous && !provider->verify_ambiguous_keys) {
    return Held::ambiguous;
  }
  return Held::no;
}

/// The keys in the order the scan found them (the limit keeps the first ones), each once.
std::vector<const std::pair<const std::string, ScanKeys::Key>*> keys_in_found_order(
    const ScanResult& result, const ScanKeys& keys) {
  std::vector<const std::pair<const std::string, ScanKeys::Key>*> ordered;
  std::set<std::string> seen;
  for (const ScanFinding& finding : result.findings) {
    const auto key = keys.by_fingerprint.find(finding.fingerprint);
    if (key != keys.by_fingerprint.end() && seen.insert(finding.fingerprint).second) {
      ordered.push_back(&*key);
    }
  }
  for (const auto& entry : keys.by_fingerprint) {  // keys without a finding, if any, last
    if (seen.insert(entry.first).second) ordered.push_back(&entry);
  }
  return ordered;
}

std::string keys_word(std::size_t count) {
  return count == 1 ? "1 key" : std::to_string(count) + " keys";
}

/// One warning per reason and provider: how many keys were held back, and why.
void warn_held(ScanResult& result, const std::map<std::pair<Held, std::string>, std::size_t>& held,
               const Settings& settings, const VerifyOptions& options) {
  for (const auto& entry : held) {
    const Held why = entry.first.first;
    const std::string& provider_id = entry.first.second;
    const std::size_t count = entry.second;
    const auto provider = std::find_if(settings.providers.begin(), settings.providers.end(),
                                       [&](const Provider& p) { return p.id == provider_id; });
    const std::string name = provider == settings.providers.end() ? provider_id : provider->name;
    switch (why) {
      case Held::no_check:  // one warning for them all, below
        break;
      case Held::disabled:
        result.warnings.push_back(keys_word(count) + " of " + name +
                                  " not verified: the provider is disabled (enabled = false)");
        break;
      case Held::ambiguous:
        result.warnings.push_back(
            keys_word(count) + " of a shape other services issue too not sent to " + name +
            " for verification: --verify-ambiguous (or verify_ambiguous_keys = true in its "
            "config) sends them");
        break;
      case Held::over_limit:
        result.warnings.push_back(keys_word(count) + " not verified: at most " +
                                  std::to_string(options.limit) +
                                  " are verified per run (--verify-limit)");
        break;
      case Held::no:
        break;
    }
  }
  // "2 keys of providers without a check (Groq, xAI (Grok)) were not verified"
  std::size_t unchecked = 0;
  std::string names;
  for (const Provider& provider : scan_only_providers()) {
    const auto entry = held.find({Held::no_check, provider.id});
    if (entry == held.end()) continue;
    unchecked += entry->second;
    names += (names.empty() ? "" : ", ") + provider.name;
  }
  if (unchecked > 0) {
    result.warnings.push_back(keys_word(unchecked) + " of providers without a check (" + names +
                              ") " + (unchecked == 1 ? "was" : "were") + " not verified");
  }
}

/// Checks `work` a few keys at a time; one verdict per key, in order.
std::vector<Verification> check_all(
    const std::vector<const std::pair<const std::string, ScanKeys::Key>*>& work,
    const Settings& settings) {
  std::vector<Verification> verdicts(work.size(), Verification::unknown);
  std::atomic<std::size_t> next{0};
  auto worker = [&]() {
    for (std::size_t i = next++; i < work.size(); i = next++) {
      try {  // an exception must not leave a thread: that key stays unknown
        verdicts[i] = check_one(work[i]->second, settings);
      } catch (const std::exception&) {
        verdicts[i] = Verification::unknown;
      }
    }
  };
  std::vector<std::thread> threads;
  const std::size_t count = std::min(kMaxConcurrentChecks, work.size());
  try {
    for (std::size_t t = 0; t < count; ++t) threads.emplace_back(worker);
  } catch (const std::system_error&) {
    // No thread could be started: the rest are checked on this one.
  }
  if (threads.empty()) worker();
  for (std::thread& thread : threads) thread.join();
  return verdicts;
}

}  // namespace

void verify_findings(ScanResult& result, const ScanKeys& keys, const Settings& settings,
                     const VerifyOptions& options) {
  std::vector<const std::pair<const std::string, ScanKeys::Key>*> work;
  std::map<std::pair<Held, std::string>, std::size_t> held;
  for (const auto* entry : keys_in_found_order(result, keys)) {
    Held why = held_back(entry->second, settings, options);
    if (why == Held::no && work.size() >= options.limit) why = Held::over_limit;
    if (why == Held::no) {
      work.push_back(entry);
    } else {
      ++held[{why, why == Held::over_limit ? std::string() : entry->second.provider_id}];
    }
  }
  const std::vector<Verification> verdicts = check_all(work, settings);
  warn_held(result, held, settings, options);

  std::map<std::string, Verification> by_fingerprint;
  for (std::size_t i = 0; i < work.size(); ++i) by_fingerprint[work[i]->first] = verdicts[i];
  for (ScanFinding& finding : result.findings) {
    const auto verdict = by_fingerprint.find(finding.fingerprint);
    if (verdict != by_fingerprint.end()) finding.verification = verdict->second;
  }
}

}  // namespace devops_monitor
