// Checking every configured provider key at once: the imperative shell around the HTTP layer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/provider.hpp"
#include "http/http_client.hpp"
#include "keys/key_source.hpp"
#include "keys/model_list.hpp"

namespace devops_monitor {

/// One provider's key as found, and what its check request brought back. No verdict yet.
struct KeyProbe {
  Provider provider;
  bool key_present = false;
  bool key_set_but_empty = false;            // the variable is set but empty: missing, said so
  std::optional<std::string> fingerprint{};  // of the key, never the key itself
  std::optional<HttpOutcome> outcome{};      // set when a request was made
  /// The key's model list, read from a 2xx answer (and the pages after it) when it had one.
  std::optional<ModelSummary> models{};
  /// The balance request's outcome, when the provider has a balance_endpoint.
  std::optional<HttpOutcome> balance{};
  std::chrono::system_clock::time_point checked_at{};
  /// Requests sent to the provider for this key, retries and later pages included (what
  /// monitoring costs, counted in devops_monitor_probe_requests_total).
  std::uint64_t requests_sent = 0;
};

/// Told while the first requests of a key check run, at least every 100 ms, the names of the
/// providers that have not answered yet.
using KeysWaiting = std::function<void(const std::vector<std::string>& providers)>;

/// Looks up the key of every enabled provider (in priority order) and checks all present
/// keys concurrently, each check with its balance request (if any) alongside. Every request
/// is a free probe (keys/free_probes): a GET to an endpoint the provider's entry lists. Model list
/// pages after the first follow within the same timeout. Missing keys and providers without
/// a test endpoint make no request.
std::vector<KeyProbe> check_keys(const std::vector<Provider>& providers, const KeySource& keys,
                                 Milliseconds timeout, const HttpOptions& options,
                                 const KeysWaiting& waiting = {});

}  // namespace devops_monitor
