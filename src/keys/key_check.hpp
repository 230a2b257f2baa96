// Checking every configured provider key at once: the imperative shell around the HTTP layer.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/provider.hpp"
#include "http/http_client.hpp"
#include "keys/key_source.hpp"

namespace devops_monitor {

/// One provider's key as found, and what its check request brought back. No verdict yet.
struct KeyProbe {
  Provider provider;
  bool key_present = false;
  bool key_set_but_empty = false;            // the variable is set but empty: missing, said so
  std::optional<std::string> fingerprint{};  // of the key, never the key itself
  std::optional<HttpOutcome> outcome{};      // set when a request was made
  std::chrono::system_clock::time_point checked_at{};
};

/// The request that checks `key` with `provider` (pure): a GET carrying the key, which is
/// the request's secret.
HttpRequest build_probe_request(const Provider& provider, const std::string& key,
                                Milliseconds timeout);

/// Looks up the key of every enabled provider (in priority order) and checks all present
/// keys concurrently. Missing keys and providers without a test endpoint make no request.
std::vector<KeyProbe> check_keys(const std::vector<Provider>& providers, const KeySource& keys,
                                 Milliseconds timeout, const HttpOptions& options);

}  // namespace devops_monitor
