#include "keys/key_check.hpp"

#include <algorithm>

#include "keys/free_probes.hpp"
#include "util/redact.hpp"

namespace devops_monitor {
namespace {

bool answered_2xx(const HttpOutcome& outcome) {
  return outcome.failure == TransportFailure::none && outcome.http_status &&
         *outcome.http_status >= 200 && *outcome.http_status < 300;
}

/// One more page of a key's model list to ask for.
struct PendingPage {
  std::size_t probe = 0;
  std::string key;
  std::string cursor;
};

/// Adds a page to the probe's model summary; returns the page to ask for next, if any.
std::optional<std::string> take_page(KeyProbe& probe, ModelPage page, bool body_truncated) {
  ModelSummary& summary = *probe.models;
  summary.pages += 1;
  summary.count += page.count;
  summary.found.merge(page.found);
  if (!page.is_list || !page.complete || body_truncated) summary.cut_short = true;
  if (!page.next) return std::nullopt;
  if (summary.pages >= std::max(1, probe.provider.max_model_pages)) {
    summary.cut_short = true;
    return std::nullopt;
  }
  return std::move(page.next);
}

}  // namespace

std::vector<KeyProbe> check_keys(const std::vector<Provider>& providers, const KeySource& keys,
                                 Milliseconds timeout, const HttpOptions& options,
                                 const KeysWaiting& waiting) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<KeyProbe> probes;
  std::vector<std::string> key_of_probe;
  std::vector<HttpRequest> requests;
  struct Target {
    std::size_t probe;
    bool balance;
  };
  std::vector<Target> target_of_request;
  for (const Provider& provider : by_priority(providers)) {
    if (!provider.enabled) continue;
    KeyProbe probe{.provider = provider};
    const FoundKey found = keys.find(provider.env_var);
    probe.key_set_but_empty = found.set_but_empty;
    key_of_probe.emplace_back();
    if (const auto& key = found.key) {
      probe.key_present = true;
      probe.fingerprint = key_fingerprint(*key);
      if (auto check = free_probe_request(provider, provider.check_kind, *key, timeout)) {
        requests.push_back(std::move(*check));
        target_of_request.push_back({probes.size(), false});
        // The balance request goes alongside the check, under the same timeout.
        if (auto balance = free_probe_request(provider, ProbeKind::balance, *key, timeout)) {
          requests.push_back(std::move(*balance));
          target_of_request.push_back({probes.size(), true});
        }
        key_of_probe.back() = *key;
      }
    }
    probes.push_back(std::move(probe));
  }

  HttpOptions watched = options;
  if (waiting) {
    watched.on_waiting = [&](const std::vector<std::size_t>& unfinished) {
      std::vector<std::string> names;
      for (const std::size_t request : unfinished) {
        const std::string& name = probes[target_of_request[request].probe].provider.name;
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      }
      waiting(names);
    };
  }
  std::vector<HttpOutcome> outcomes = perform_requests(requests, watched);
  requests.clear();
  std::vector<PendingPage> pending;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    KeyProbe& probe = probes[target_of_request[i].probe];
    probe.requests_sent += static_cast<std::uint64_t>(std::max(0, outcomes[i].attempts));
    if (target_of_request[i].balance) {
      probe.balance = std::move(outcomes[i]);
      continue;
    }
    probe.outcome = std::move(outcomes[i]);
    if (probe.provider.check_kind != ProbeKind::model_list ||
        probe.provider.auth == AuthKind::none || !answered_2xx(*probe.outcome)) {
      continue;
    }
    ModelPage first =
        read_model_page(probe.provider, probe.outcome->body, required_model_set(probe.provider));
    if (!first.is_list) continue;  // a 2xx that is no model list: models not known
    probe.models = ModelSummary{};
    if (auto next = take_page(probe, std::move(first), probe.outcome->body_truncated)) {
      pending.push_back(
          {target_of_request[i].probe, key_of_probe[target_of_request[i].probe], std::move(*next)});
    }
  }

  // Later pages, one round per page number, all within the check's own timeout.
  HttpOptions later = options;
  const auto budget_end = started + timeout;
  later.deadline = options.deadline ? std::min(*options.deadline, budget_end) : budget_end;
  while (!pending.empty()) {
    std::vector<HttpRequest> page_requests;
    for (const PendingPage& p : pending) {
      // Only model-list probes have pages, so the request always exists.
      page_requests.push_back(*free_probe_request(probes[p.probe].provider, ProbeKind::model_list,
                                                  p.key, timeout, p.cursor));
    }
    const std::vector<HttpOutcome> pages = perform_requests(page_requests, later);
    std::vector<PendingPage> next_round;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      KeyProbe& probe = probes[pending[i].probe];
      probe.requests_sent += static_cast<std::uint64_t>(std::max(0, pages[i].attempts));
      if (!answered_2xx(pages[i])) {
        probe.models->cut_short = true;  // what was read stands; the rest is not known
        continue;
      }
      ModelPage page =
          read_model_page(probe.provider, pages[i].body, required_model_set(probe.provider));
      if (page.next == pending[i].cursor) {
        // The same cursor again: the server ignores it and answered the same page. Stop
        // rather than count that page twice or ask up to the cap.
        probe.models->cut_short = true;
        continue;
      }
      if (auto next = take_page(probe, std::move(page), pages[i].body_truncated)) {
        next_round.push_back({pending[i].probe, pending[i].key, std::move(*next)});
      }
    }
    pending = std::move(next_round);
  }

  const auto now = std::chrono::system_clock::now();
  for (KeyProbe& probe : probes) {
    probe.checked_at = probe.outcome ? probe.outcome->finished_at : now;
  }
  return probes;
}

}  // namespace devops_monitor
