// Checks and wording for single config values: names, URLs, near-miss suggestions. Pure.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace devops_monitor {

bool is_control(char c);

/// A TOML key as written, in single quotes; control characters escaped to keep one line.
std::string key_name(std::string_view key);

/// [a-z0-9_-]+
bool valid_provider_id(std::string_view id);
/// [A-Za-z_][A-Za-z0-9_]*
bool valid_env_var(std::string_view name);
/// RFC 9110 token: what a header name may be.
bool valid_header_name(std::string_view name);

/// "; did you mean 'x'?" for a near miss or an abbreviation of a known key, else "".
std::string suggestion(std::string_view unknown, std::span<const std::string_view> known);

/// Why `url` is not an http(s) URL with a host, or nullopt when it is fine. The URL itself is
/// never quoted back: people paste keys into URLs.
std::optional<std::string> endpoint_problem(std::string_view url);

/// endpoint_problem, and plain http only to a loopback host (localhost, 127.0.0.0/8, [::1]):
/// a webhook carries the report, and often a secret in its URL. Never quotes the URL.
std::optional<std::string> webhook_url_problem(std::string_view url);

}  // namespace devops_monitor
