// --verify: each found provider key checked once, with the key check every health check runs
// (src/check), a few at a time. The key goes only to the provider's configured endpoint, through
// the HTTP layer and its transport rules, exactly as a health check would send it.
#include <algorithm>
#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

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

}  // namespace

void verify_findings(ScanResult& result, const ScanKeys& keys, const Settings& settings) {
  std::vector<const std::pair<const std::string, ScanKeys::Key>*> work;
  for (const auto& entry : keys.by_fingerprint) work.push_back(&entry);
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

  std::map<std::string, Verification> by_fingerprint;
  for (std::size_t i = 0; i < work.size(); ++i) by_fingerprint[work[i]->first] = verdicts[i];
  for (ScanFinding& finding : result.findings) {
    const auto verdict = by_fingerprint.find(finding.fingerprint);
    if (verdict != by_fingerprint.end()) finding.verification = verdict->second;
  }
}

}  // namespace devops_monitor
