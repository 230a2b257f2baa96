// The only requests a key check may send: GETs without a body to the free endpoints a
// provider's table entry lists (model list, key information, balance). Key checks build every
// request here, from the entry, so nothing else can be asked of a provider.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/provider.hpp"
#include "http/http_client.hpp"

namespace devops_monitor {

/// One endpoint a key check may ask, as the provider's entry lists it.
struct FreeEndpoint {
  ProbeKind kind = ProbeKind::model_list;
  std::string url;
};

/// Pure: the provider's free endpoints: test_endpoint with its check_kind (none when empty),
/// then the balance endpoint (resolved against test_endpoint) when the key is sent at all.
std::vector<FreeEndpoint> free_endpoints(const Provider& provider);

/// Pure: the GET, carrying `key` as the provider presents it, to the provider's free endpoint
/// of `kind`; a model list page adds only its query (`cursor`: the page after the first).
/// nullopt when the entry lists no endpoint of that kind: nothing else can be built.
std::optional<HttpRequest> free_probe_request(const Provider& provider, ProbeKind kind,
                                              const std::string& key, Milliseconds timeout,
                                              const std::optional<std::string>& cursor = {});

}  // namespace devops_monitor
