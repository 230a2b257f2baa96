#include "keys/free_probes.hpp"

#include "keys/credit.hpp"
#include "keys/model_list.hpp"

namespace devops_monitor {

std::vector<FreeEndpoint> free_endpoints(const Provider& provider) {
  std::vector<FreeEndpoint> endpoints;
  if (!provider.test_endpoint.empty()) {
    endpoints.push_back({provider.check_kind, provider.test_endpoint});
  }
  // A balance read only makes sense for the key that is sent.
  const std::string balance = resolve_balance_endpoint(provider);
  if (!balance.empty() && provider.auth != AuthKind::none) {
    endpoints.push_back({ProbeKind::balance, balance});
  }
  return endpoints;
}

std::optional<HttpRequest> free_probe_request(const Provider& provider, ProbeKind kind,
                                              const std::string& key, Milliseconds timeout,
                                              const std::optional<std::string>& cursor) {
  for (const FreeEndpoint& endpoint : free_endpoints(provider)) {
    if (endpoint.kind != kind) continue;
    HttpRequest request;
    request.method = "GET";  // and no body: the one shape of a probe
    request.url = kind == ProbeKind::model_list ? model_page_url(provider, endpoint.url, cursor)
                                                : endpoint.url;
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
  return std::nullopt;
}

}  // namespace devops_monitor
