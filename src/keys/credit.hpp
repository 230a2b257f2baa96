// What a key may still spend, where a provider tells a normal key (docs/provider-insight.md):
// OpenRouter's /key answer (the key's own cap) and Moonshot's balance endpoint (the account).
// Everything else is "not available", never a guess.
#pragma once

#include <optional>
#include <string>

#include "devops_monitor/provider.hpp"
#include "http/http_client.hpp"

namespace devops_monitor {

enum class CreditStatus {
  reported,       // remaining is the provider's figure
  unlimited,      // OpenRouter key without a cap
  not_available,  // the provider offers no way to read it with a normal key
  unreadable,     // the balance request failed or answered something else
};

struct Credit {
  CreditStatus status = CreditStatus::not_available;
  std::optional<double> remaining{};
  std::string unit{};   // "USD", "CNY"
  std::string scope{};  // "key" (OpenRouter's cap) or "account"
};

std::string_view to_string(CreditStatus status);

/// Pure: the credit facts of one key from its check answer and its balance request, if any.
/// `check` must be the check's outcome (its 2xx body is OpenRouter's /key answer).
Credit read_credit(const Provider& provider, const HttpOutcome& check,
                   const std::optional<HttpOutcome>& balance);

/// Pure: a Moonshot-shaped balance answer
/// {"code":0,"data":{"available_balance":...},"status":true} -> the available balance.
std::optional<double> read_balance_body(const std::string& body);

/// The URL of the balance request. A balance_endpoint starting with "/" (the built-in
/// Moonshot one, "/v1/users/me/balance") is taken relative to test_endpoint: it replaces the
/// part from test_endpoint's "/v1/" on (else its whole path), so the China host, a gateway or a
/// test server set in test_endpoint gets the balance request too. Empty: none.
std::string resolve_balance_endpoint(const Provider& provider);

/// The unit of a balance: the configured one, else from the endpoint's host (.cn -> CNY).
std::string balance_unit(const Provider& provider);

}  // namespace devops_monitor
