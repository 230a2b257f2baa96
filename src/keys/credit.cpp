#include "keys/credit.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "http/url.hpp"

namespace devops_monitor {
namespace {

using nlohmann::json;

bool is_2xx(const HttpOutcome& outcome) {
  return outcome.failure == TransportFailure::none && outcome.http_status &&
         *outcome.http_status >= 200 && *outcome.http_status < 300;
}

std::optional<double> finite_number(const json& object, const char* field) {
  if (!object.is_object() || !object.contains(field) || !object[field].is_number()) {
    return std::nullopt;
  }
  const double value = object[field].get<double>();
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

/// OpenRouter's /key: {"data":{"limit": number|null, "limit_remaining": number|null, ...}}.
Credit openrouter_credit(const HttpOutcome& check) {
  Credit credit{.status = CreditStatus::unreadable, .unit = "USD", .scope = "key"};
  if (!is_2xx(check)) return credit;
  const json doc = json::parse(check.body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_object()) return credit;
  const json& data = doc["data"];
  if (data.contains("limit") && data["limit"].is_null()) {
    credit.status = CreditStatus::unlimited;
    return credit;
  }
  const std::optional<double> remaining = finite_number(data, "limit_remaining");
  if (!finite_number(data, "limit") || !remaining) return credit;
  credit.status = CreditStatus::reported;
  credit.remaining = std::max(0.0, *remaining);
  return credit;
}

}  // namespace

std::string_view to_string(CreditStatus status) {
  switch (status) {
    case CreditStatus::reported:
      return "reported";
    case CreditStatus::unlimited:
      return "unlimited";
    case CreditStatus::not_available:
      return "not_available";
    case CreditStatus::unreadable:
      return "unreadable";
  }
  return "unreadable";
}

std::optional<double> read_balance_body(const std::string& body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return std::nullopt;
  // code != 0 or status != true: the read failed, whatever data says.
  if (doc.contains("code") &&
      !(doc["code"].is_number_integer() && doc["code"].get<long long>() == 0)) {
    return std::nullopt;
  }
  if (doc.contains("status") && !(doc["status"].is_boolean() && doc["status"].get<bool>())) {
    return std::nullopt;
  }
  if (!doc.contains("data")) return std::nullopt;
  return finite_number(doc["data"], "available_balance");
}

std::string resolve_balance_endpoint(const Provider& provider) {
  const std::string& balance = provider.balance_endpoint;
  if (balance.empty() || balance.front() != '/') return balance;
  const std::string& test = provider.test_endpoint;
  const std::size_t scheme = test.find("://");
  if (test.empty() || scheme == std::string::npos) return {};
  const std::size_t path = test.find_first_of("/?#", scheme + 3);
  const std::string origin = test.substr(0, path);
  std::string base_path = path == std::string::npos ? std::string() : test.substr(path);
  base_path = base_path.substr(0, base_path.find_first_of("?#"));
  const std::size_t version = base_path.rfind("/v1/");
  const std::string prefix =
      version == std::string::npos ? std::string() : base_path.substr(0, version);
  const bool has_version = balance.rfind("/v1/", 0) == 0;
  return origin + (has_version ? prefix : std::string()) + balance;
}

std::string balance_unit(const Provider& provider) {
  if (!provider.credit_unit.empty()) return provider.credit_unit;
  const std::string host = url_host(resolve_balance_endpoint(provider));
  const bool china = host.size() >= 3 && host.compare(host.size() - 3, 3, ".cn") == 0;
  return china ? "CNY" : "USD";
}

Credit read_credit(const Provider& provider, const HttpOutcome& check,
                   const std::optional<HttpOutcome>& balance) {
  if (provider.dialect == Dialect::openrouter && provider.auth != AuthKind::none) {
    return openrouter_credit(check);
  }
  if (provider.balance_endpoint.empty()) return {};
  Credit credit{
      .status = CreditStatus::unreadable, .unit = balance_unit(provider), .scope = "account"};
  if (!balance || !is_2xx(*balance) || balance->body_truncated) return credit;
  if (const std::optional<double> remaining = read_balance_body(balance->body)) {
    credit.status = CreditStatus::reported;
    credit.remaining = *remaining;
  }
  return credit;
}

}  // namespace devops_monitor
