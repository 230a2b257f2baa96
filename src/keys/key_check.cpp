#include "keys/key_check.hpp"

#include "util/redact.hpp"

namespace devops_monitor {

HttpRequest build_probe_request(const Provider& provider, const std::string& key,
                                Milliseconds timeout) {
  HttpRequest request;
  request.method = "GET";
  request.url = provider.test_endpoint;
  request.timeout = timeout;
  switch (provider.auth) {
    case AuthKind::bearer:
      request.headers.emplace_back("Authorization", "Bearer " + key);
      request.secrets.push_back(key);
      break;
    case AuthKind::header:
      request.headers.emplace_back(provider.auth_header, key);
      request.secrets.push_back(key);
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
  std::vector<HttpRequest> requests;
  std::vector<std::size_t> probe_of_request;
  for (const Provider& provider : by_priority(providers)) {
    if (!provider.enabled) continue;
    KeyProbe probe{.provider = provider};
    const FoundKey found = keys.find(provider.env_var);
    probe.key_set_but_empty = found.set_but_empty;
    if (const auto& key = found.key) {
      probe.key_present = true;
      probe.fingerprint = key_fingerprint(*key);
      if (!provider.test_endpoint.empty()) {
        requests.push_back(build_probe_request(provider, *key, timeout));
        probe_of_request.push_back(probes.size());
      }
    }
    probes.push_back(std::move(probe));
  }

  std::vector<HttpOutcome> outcomes = perform_requests(requests, options);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    probes[probe_of_request[i]].outcome = std::move(outcomes[i]);
  }
  const auto now = std::chrono::system_clock::now();
  for (KeyProbe& probe : probes) {
    probe.checked_at = probe.outcome ? probe.outcome->finished_at : now;
  }
  return probes;
}

}  // namespace devops_monitor
