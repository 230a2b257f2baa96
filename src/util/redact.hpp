// Keeping key material out of everything the tool shows or stores.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor {

/// Replaces every word of `text` that contains the secret, or any 6-character piece of it,
/// with "[REDACTED]". Providers echo keys whole, masked ("sk-abc***xyz") or as a label, so
/// matching pieces catches partial echoes too; an over-eager match only hides a harmless word.
/// Words are split at blanks, quotes and JSON/URL punctuation, so JSON stays parseable.
/// Secrets under 4 characters are left alone (they are typos, not keys); under 12, only
/// whole occurrences are replaced.
std::string redact_secret(std::string_view text, std::string_view secret);

/// redact_secret for each of `secrets` in turn (a key and a token, a webhook URL, ...).
std::string redact_secrets(std::string_view text, const std::vector<std::string>& secrets);

/// A short non-reversible identifier of a key: the first 8 hex digits of its SHA-256.
std::string key_fingerprint(std::string_view key);

}  // namespace devops_monitor
