// Keeping key material out of everything the tool shows or stores.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor {

/// Replaces every occurrence of the secret, and every word of `text` that echoes it in part,
/// with "[REDACTED]". Providers echo keys whole, masked ("sk-abc***xyz"), truncated
/// ("sk-ab...yz") or as a label, so a word leaks when it contains a piece of the key (6
/// characters; 4 or 5 for keys under 8, and then only pieces with a digit, symbol or inner
/// capital, which words rarely have), a `***` mask, or a "..." whose visible start or end is
/// the key's. An over-eager match only hides a harmless word. Words are split at blanks,
/// quotes and JSON/URL punctuation, so JSON stays parseable. Secrets under 4 characters are
/// left alone (they are typos, not keys). The secret never survives: should it overlap the
/// marker itself, another marker is used, or the key is deleted.
std::string redact_secret(std::string_view text, std::string_view secret);

/// redact_secret() for an HTTP answer's body. A JSON body is also redacted as decoded
/// text: escapes ("sk\/abc", "\u0073k-") can spell a key the bytes do not show, and the
/// verdict reads the decoded strings. Such a body is written back as compact JSON, or
/// dropped (returns "") if it is nested too deep to write back safely.
std::string redact_body(std::string_view body, std::string_view secret);

/// redact_secret for each of `secrets` in turn (a key and a token, a webhook URL, ...).
std::string redact_secrets(std::string_view text, const std::vector<std::string>& secrets);

/// redact_body for each of `secrets` in turn.
std::string redact_body_secrets(std::string_view body, const std::vector<std::string>& secrets);

/// A short non-reversible identifier of a key: the first 8 hex digits of its SHA-256.
std::string key_fingerprint(std::string_view key);

}  // namespace devops_monitor
