#include "keys/verdict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

using nlohmann::json;

/// What an error body says, whatever the provider's wording.
struct ErrorInfo {
  std::vector<std::string> codes;      // machine words: error.type, error.code, reasons...
  std::vector<std::string> quota_ids;  // Google QuotaFailure violations[].quotaId
  std::string message;                 // the provider's sentence

  [[nodiscard]] bool has_code(std::string_view code) const {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  }
};

// Error codes that mean "authenticated, but no quota or credit left" (docs/providers.md).
// Together's 429 type "credit_limit" is deliberately absent: it was seen on plain rate limits.
constexpr std::array<std::string_view, 8> kQuotaCodes = {
    "insufficient_quota",                 // OpenAI
    "credit_balance_exhausted",           // OpenAI
    "organization_spend_limit_exceeded",  // OpenAI
    "project_spend_limit_exceeded",       // OpenAI
    "organization_usage_limit_exceeded",  // OpenAI
    "exceeded_current_quota_error",       // Moonshot
    "billing_error",                      // Anthropic
    "enforced_spend_limit_reached",       // Anthropic tier spend cap (error.details.error_code)
};

std::string scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return {};
}

void add_code(ErrorInfo& info, const json& object, const char* field) {
  if (!object.is_object() || !object.contains(field)) return;
  std::string text = scalar_text(object[field]);
  if (!text.empty()) info.codes.push_back(std::move(text));
}

std::string string_field(const json& object, const char* field) {
  if (!object.is_object() || !object.contains(field) || !object[field].is_string()) return {};
  return object[field].get<std::string>();
}

/// Reads OpenAI-style {"error":{"message","type","code"}}, Anthropic's
/// {"type":"error","error":{"type","message"}}, Google's google.rpc.Status
/// {"error":{"code","message","status","details":[{"reason"}]}}, OpenRouter's
/// {"error":{"code":401,"message"}} and plain {"message"} / {"detail"} bodies.
ErrorInfo read_error_body(const std::string& body) {
  ErrorInfo info;
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return info;
  const json& error = doc.contains("error") ? doc["error"] : json();
  // Codes are collected from generic to specific; display_code() takes the last word.
  add_code(info, doc, "code");
  if (error.is_object()) {
    add_code(info, error, "status");
    add_code(info, error, "type");
    add_code(info, error, "code");
    info.message = string_field(error, "message");
    const json& details = error.contains("details") ? error["details"] : json();
    if (details.is_object()) add_code(info, details, "error_code");  // Anthropic
    if (details.is_array()) {                                        // google.rpc.Status
      for (const json& detail : details) {
        add_code(info, detail, "reason");
        if (!detail.is_object() || !detail.contains("violations")) continue;
        for (const json& violation : detail["violations"]) {
          std::string id = string_field(violation, "quotaId");
          if (!id.empty()) info.quota_ids.push_back(std::move(id));
        }
      }
    }
  } else if (error.is_string()) {
    info.message = error.get<std::string>();
  }
  if (info.message.empty()) info.message = string_field(doc, "message");
  if (info.message.empty()) info.message = string_field(doc, "detail");
  return info;
}

/// The most telling machine word for messages: a specific reason or code before a generic
/// type or status; numbers (OpenRouter's and Google's "code": 401) say nothing new.
std::string display_code(const ErrorInfo& info) {
  auto is_number = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  for (auto it = info.codes.rbegin(); it != info.codes.rend(); ++it) {
    if (!is_number(*it)) return *it;
  }
  return {};
}

/// One tidy line of at most ~160 characters, safe for a terminal: provider words are
/// outside text and may carry escape sequences.
std::string tidy_message(std::string_view raw) {
  std::string text = printable(raw);
  text.erase(
      std::unique(text.begin(), text.end(), [](char a, char b) { return a == ' ' && b == ' '; }),
      text.end());
  while (!text.empty() && text.back() == ' ') text.pop_back();
  constexpr std::size_t kMax = 160;
  if (text.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    text.resize(cut);
    text += "...";
  }
  return text;
}

/// "HTTP 401 invalid_api_key: Incorrect API key provided" for messages.
std::string http_detail(int status, const ErrorInfo& info) {
  std::string text = fmt::format("HTTP {}", status);
  if (const std::string code = display_code(info); !code.empty()) text += " " + tidy_message(code);
  if (!info.message.empty()) text += ": " + tidy_message(info.message);
  return text;
}

bool is_quota_signal(const ErrorInfo& info, Dialect dialect) {
  if (std::any_of(kQuotaCodes.begin(), kQuotaCodes.end(),
                  [&](std::string_view code) { return info.has_code(code); })) {
    return true;
  }
  // Google answers 429 RESOURCE_EXHAUSTED for per-minute throttling and for a used-up daily
  // quota alike; only the violated quota's id tells them apart.
  return dialect == Dialect::google &&
         std::any_of(info.quota_ids.begin(), info.quota_ids.end(),
                     [](const std::string& id) { return id.find("PerDay") != std::string::npos; });
}

/// Anthropic reports an empty credit balance and a user-set spend limit as 400
/// invalid_request_error; only the message tells them from other bad requests.
bool is_anthropic_credit_problem(const ErrorInfo& info) {
  return info.has_code("invalid_request_error") &&
         (info.message.find("credit balance") != std::string::npos ||
          info.message.find("usage limits") != std::string::npos);
}

// Google ErrorInfo reasons for a real key that its own restrictions or project forbid here.
constexpr std::array<std::string_view, 6> kGoogleRestrictionReasons = {
    "API_KEY_SERVICE_BLOCKED",     "API_KEY_IP_ADDRESS_BLOCKED", "API_KEY_HTTP_REFERRER_BLOCKED",
    "API_KEY_ANDROID_APP_BLOCKED", "API_KEY_IOS_APP_BLOCKED",    "SERVICE_DISABLED",
};

/// "...Missing scopes: api.model.read. Check that..." -> "api.model.read" (bounded, printable).
std::string missing_scope(const std::string& message) {
  constexpr std::string_view kMarker = "Missing scopes:";
  const std::size_t at = message.find(kMarker);
  if (at == std::string::npos) return {};
  std::string_view rest = std::string_view(message).substr(at + kMarker.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const std::size_t end = rest.find(". ");
  rest = rest.substr(0, std::min<std::size_t>(end, 80));
  while (!rest.empty() && (rest.back() == '.' || rest.back() == ' ')) rest.remove_suffix(1);
  std::string scope = printable(rest);
  return scope.empty() ? "unknown" : scope;
}

/// Why an authenticated key is refused this use, when the provider documents it
/// (docs/provider-insight.md "Finer verdicts"); empty when the refusal means a bad key.
std::string restriction_of(int status, const ErrorInfo& info, Dialect dialect) {
  if (status == 401 || status == 403) {
    if (std::string scope = missing_scope(info.message); !scope.empty()) {
      return "missing_scope:" + scope;
    }
  }
  if (status == 403) {
    if (info.has_code("unsupported_country_region_territory")) return "region";
    if (info.has_code("permission_error") || info.has_code("permission_denied_error")) {
      return "permission";
    }
    // Anthropic's region refusal: {"error":{"type":"forbidden","message":"Request not allowed"}}.
    if (dialect == Dialect::anthropic && info.has_code("forbidden")) return "region";
    if (dialect == Dialect::google) {
      for (std::string_view reason : kGoogleRestrictionReasons) {
        if (info.has_code(reason)) return std::string(reason);
      }
    }
  }
  if (status == 400 && dialect == Dialect::google && info.has_code("FAILED_PRECONDITION") &&
      (info.message.find("location") != std::string::npos ||
       info.message.find("country") != std::string::npos)) {
    return "region";
  }
  return {};
}

/// What a restriction means, for the verdict message.
std::string restriction_words(const std::string& restriction) {
  if (restriction == "region") return "the provider refuses requests from this region";
  if (restriction == "permission") return "the key has no permission for this API";
  if (restriction.rfind("missing_scope:", 0) == 0) {
    return "the key lacks scope " + restriction.substr(std::string_view("missing_scope:").size());
  }
  if (restriction == "SERVICE_DISABLED") return "the API is disabled in the key's project";
  return "the key's restrictions block this use (" + restriction + ")";
}

/// OpenRouter's /key answer: a key with a credit limit and nothing of it left cannot serve.
bool openrouter_limit_used_up(const std::string& body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_object()) return false;
  const json& data = doc["data"];
  const bool has_limit = data.contains("limit") && data["limit"].is_number();
  const bool has_remaining =
      data.contains("limit_remaining") && data["limit_remaining"].is_number();
  return has_limit && has_remaining && data["limit_remaining"].get<double>() <= 0.0;
}

std::string unreachable_reason(const HttpOutcome& out) {
  // Hosts and curl's words are outside text too, and as unbounded as a body.
  const std::string host = tidy_message(out.host);
  std::string detail = tidy_message(out.failure_detail);
  switch (out.failure) {
    case TransportFailure::invalid_request:
    case TransportFailure::refused_insecure:
    case TransportFailure::proxy:  // names the proxy and, for a refused tunnel, the host
      return detail;
    case TransportFailure::dns:
      return fmt::format("cannot resolve {}", host);
    case TransportFailure::connect:
      return fmt::format("cannot connect to {}: {}", host, detail);
    case TransportFailure::tls:
      return fmt::format("TLS failure with {}: {}", host, detail);
    case TransportFailure::timeout:
      if (out.attempts == 0) return fmt::format("no time left to ask {}", host);
      return fmt::format("no answer from {} within {}", host, format_duration(out.budget));
    case TransportFailure::interrupted:
      return fmt::format("the connection to {} broke off: {}", host, detail);
    case TransportFailure::other:
    case TransportFailure::none:
      break;
  }
  // No host when nothing could be sent at all (libcurl could not be loaded): the detail says.
  if (host.empty()) return detail;
  return fmt::format("request to {} failed: {}", host, detail);
}

KeyVerdict could_not_verify(std::string reason, const HttpOutcome& out) {
  if (out.attempts > 1) reason += fmt::format(" (after {} attempts)", out.attempts);
  return {KeyState::unknown, "Could not verify the key: " + reason};
}

KeyVerdict judge_status(const Provider& provider, const HttpOutcome& out) {
  const int status = *out.http_status;
  const ErrorInfo info = status >= 300 ? read_error_body(out.body) : ErrorInfo{};

  if (status >= 200 && status < 300) {
    if (provider.dialect == Dialect::openrouter && openrouter_limit_used_up(out.body)) {
      return {KeyState::quota_exhausted,
              "API key has no credit left (its credit limit is used up)"};
    }
    return {KeyState::valid, "API key is valid"};
  }
  if (std::string restriction = restriction_of(status, info, provider.dialect);
      !restriction.empty()) {
    return {KeyState::restricted,
            "API key is valid but not allowed this use: " + restriction_words(restriction) + " (" +
                http_detail(status, info) + ")",
            restriction};
  }
  if (status == 403 && is_quota_signal(info, provider.dialect)) {
    return {KeyState::quota_exhausted,
            "API key has no quota or credit left (" + http_detail(status, info) + ")"};
  }
  if (status == 401 || status == 403) {
    return {KeyState::invalid, "API key is invalid (" + http_detail(status, info) + ")"};
  }
  if (status == 400 && (info.has_code("API_KEY_INVALID") || info.has_code("invalid_api_key"))) {
    return {KeyState::invalid, "API key is invalid (" + http_detail(status, info) + ")"};
  }
  const bool quota_signal = status == 402 ||
                            (status == 429 && is_quota_signal(info, provider.dialect)) ||
                            (status == 400 && provider.dialect == Dialect::anthropic &&
                             is_anthropic_credit_problem(info));
  if (quota_signal) {
    return {KeyState::quota_exhausted,
            "API key has no quota or credit left (" + http_detail(status, info) + ")"};
  }
  if (status == 429) {
    return {KeyState::rate_limited,
            "API key is valid but rate limited right now (" + http_detail(status, info) + ")"};
  }
  if (status >= 300 && status < 400) {
    const std::string target =
        out.redirect_host.empty() ? "another location" : tidy_message(out.redirect_host);
    return could_not_verify(fmt::format("{} redirected to {} (HTTP {}); redirects are not followed",
                                        tidy_message(out.host), target, status),
                            out);
  }
  if (status >= 500) {
    return could_not_verify(fmt::format("{} answered {} (provider-side error)",
                                        tidy_message(out.host), http_detail(status, info)),
                            out);
  }
  return could_not_verify(
      fmt::format("{} answered {} unexpectedly", tidy_message(out.host), http_detail(status, info)),
      out);
}

/// auth = "none" sends no key, so no answer can say anything about the key: a 2xx proves only
/// that the endpoint is up. What it answered stays in the message for the user.
KeyVerdict not_verified_without_key(const HttpOutcome& out) {
  const bool answered = out.failure == TransportFailure::none && out.http_status;
  const std::string answer =
      answered ? fmt::format("{} answered HTTP {}", tidy_message(out.host), *out.http_status)
               : unreachable_reason(out);
  return {KeyState::unsupported,
          "API key present but not verified: auth = none sends no key (" + answer + ")"};
}

KeyVerdict judge_outcome(const Provider& provider, const HttpOutcome& outcome) {
  if (provider.auth == AuthKind::none) return not_verified_without_key(outcome);
  if (outcome.failure != TransportFailure::none || !outcome.http_status) {
    return could_not_verify(unreachable_reason(outcome), outcome);
  }
  return judge_status(provider, outcome);
}

}  // namespace

KeyVerdict judge_response(const Provider& provider, const HttpOutcome& outcome) {
  KeyVerdict verdict = judge_outcome(provider, outcome);
  // Not only the body is outside text: hosts, redirect targets and transport details are too.
  verdict.message = printable(verdict.message);
  return verdict;
}

KeyVerdict missing_key_verdict(const Provider& provider, bool set_but_empty) {
  return {KeyState::missing, "API key not configured (" + provider.env_var +
                                 (set_but_empty ? " is set but empty)" : " is not set)")};
}

KeyVerdict unsupported_verdict() {
  return {KeyState::unsupported, "API key present but not verified: no test endpoint configured"};
}

}  // namespace devops_monitor
