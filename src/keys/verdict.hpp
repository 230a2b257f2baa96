// Judging a provider's answer to a key check: the per-provider response rules.
#pragma once

#include <string>

#include "devops_monitor/provider.hpp"
#include "devops_monitor/report.hpp"
#include "http/http_client.hpp"

namespace devops_monitor {

struct KeyVerdict {
  KeyState state = KeyState::unknown;
  std::string message;        // the report's error_message: plain words, no key material
  std::string restriction{};  // restricted only: "region", "permission", "missing_scope:<s>"...
};

/// Pure: the verdict on a present key from the outcome of its check request. The message is
/// one printable line (see printable()): provider words never reach a terminal raw.
///   auth = none -> unsupported whatever the answer: no key was sent, so none was verified
///   2xx -> valid (OpenRouter: quota_exhausted when the key's credit limit is used up)
///   401/403 (Google 400) the provider documents as region block, missing scope or a
///     restricted/disabled API -> restricted (docs/provider-insight.md "Finer verdicts")
///   403 with a quota error code (Moonshot) -> quota_exhausted
///   other 401, 403, Google 400 API_KEY_INVALID -> invalid
///   402, 429 with a quota/credit error code -> quota_exhausted; other 429 -> rate_limited
///   anything else (transport failure, 3xx, 5xx, other 4xx) -> unknown: never a bad key
KeyVerdict judge_response(const Provider& provider, const HttpOutcome& outcome);

/// Verdicts that need no request. A missing key says whether its variable is unset or set
/// but empty (an empty variable in the environment hides the .env file's value).
KeyVerdict missing_key_verdict(const Provider& provider, bool set_but_empty = false);
KeyVerdict unsupported_verdict();

}  // namespace devops_monitor
