#include "keys/key_check.hpp"

#include "keys/redact.hpp"

namespace devops_monitor {

ProbeRequest build_probe_request(const Provider& provider, const std::string& key,
                                 Milliseconds timeout) {
  ProbeRequest request;
  request.url = provider.test_endpoint;
  request.timeout = timeout;
  switch (provider.auth) {
    case AuthKind::bearer:
      request.headers.emplace_back("Authorization", "Bearer " + key);
      request.secret = key;
      break;
    case AuthKind::header:
      request.headers.emplace_back(provider.auth_header, key);
      request.secret = key;
      break;
    case AuthKind::none:
      break;
  }
  request.headers.insert(request.headers.end(), provider.headers.begin(), provider.headers.end());
  return request;
}

std::vector<KeyProbe> check_keys(const std::vector<Provider>& providers, const KeySource& keys,
                                 Milliseconds timeout, const HttpOptions& options) {
  std::vector<KeyProbe> probes;
  std::vector<ProbeRequest> requests;
  std::vector<std::size_t> probe_of_request;
  for (const Provider& provider : by_priority(providers)) {
    if (!provider.enabled) continue;
    KeyProbe probe{.provider = provider};
    if (const auto key = keys.key_for(provider.env_var)) {
      probe.key_present = true;
      probe.fingerprint = key_fingerprint(*key);
      if (!provider.test_endpoint.empty()) {
        requests.push_back(build_probe_request(provider, *key, timeout));
        probe_of_request.push_back(probes.size());
      }
    }
    probes.push_back(std::move(probe));
  }

  std::vector<HttpOutcome> outcomes = run_probes(requests, options);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    // The HTTP layer redacts bytes; JSON escapes can still spell the key (redact_body).
    outcomes[i].body = redact_body(outcomes[i].body, requests[i].secret);
    probes[probe_of_request[i]].outcome = std::move(outcomes[i]);
  }
  const auto now = std::chrono::system_clock::now();
  for (KeyProbe& probe : probes) {
    probe.checked_at = probe.outcome ? probe.outcome->finished_at : now;
  }
  return probes;
}

}  // namespace devops_monitor
