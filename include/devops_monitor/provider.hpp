// The AI providers whose keys are checked: the built-in table and the shape of a custom entry.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace devops_monitor {

/// How the key is presented to the provider.
enum class AuthKind {
  bearer,  // Authorization: Bearer <key>
  header,  // <header_name>: <key>
  none,    // the key is not sent (the endpoint only proves reachability)
};

/// How a provider words its answers; selects the response rules in keys/verdict.cpp.
enum class Dialect {
  generic,     // status codes plus OpenAI-style {"error":{"code","type"}} bodies
  anthropic,   // {"type":"error","error":{"type":"authentication_error",...}}
  google,      // google.rpc.Status with details[].reason such as API_KEY_INVALID
  openrouter,  // /api/v1/key answers with the key's credit limit and what remains
};

/// What a free endpoint of a provider answers. A key check sends nothing but GETs without a
/// body to the endpoints a provider's entry lists with one of these kinds (keys/free_probes):
/// each is a read that costs no tokens and no credit.
enum class ProbeKind {
  model_list,  // the models the key may use (pages follow by query on Anthropic and Google)
  key_info,    // what the provider says about the key itself (OpenRouter's /key)
  balance,     // the account's remaining credit (Moonshot's balance)
};

/// "model_list", "key_info", "balance".
std::string_view to_string(ProbeKind kind);

/// One shape a provider's keys have, for `devops-monitor scan`: an ECMAScript regular
/// expression for the whole key that starts with at least 3 literal characters (the scanner
/// looks for those first, then verifies the pattern at each hit).
struct KeyPattern {
  std::string rule{};   // "openai-project-key": stable, the SARIF ruleId and JSON "rule"
  std::string regex{};  // "sk-proj-[A-Za-z0-9_-]{40,250}"
  /// Several services issue keys of this shape (Moonshot's "sk-" + 48 is OpenAI-compatible
  /// services' shape too): `scan --verify` sends such a key to this provider only when asked
  /// (--verify-ambiguous, or the provider's verify_ambiguous_keys).
  bool ambiguous = false;
};

struct Provider {
  std::string id{};             // "openai": stable, used in config tables and JSON
  std::string name{};           // "OpenAI (GPT-4)": shown to people and in the "provider" field
  std::string env_var{};        // "OPENAI_API_KEY"
  std::string test_endpoint{};  // one read-only, token-free request; empty = cannot be checked
  /// What test_endpoint answers: the key's model list, or what the provider says of the key.
  ProbeKind check_kind = ProbeKind::model_list;
  AuthKind auth = AuthKind::bearer;
  std::string auth_header{};  // header name when auth == AuthKind::header
  std::vector<std::pair<std::string, std::string>> headers{};  // extra request headers
  Dialect dialect = Dialect::generic;
  int priority = 100;  // lower comes first in the fallback order
  bool enabled = true;
  /// What this provider's keys look like (docs/secret-formats.md). The scanner looks for
  /// every provider's shapes, enabled or not: a leaked key is leaked either way.
  std::vector<KeyPattern> key_patterns{};
  /// `scan --verify` sends this provider the keys of its ambiguous shapes without being
  /// asked on the command line.
  bool verify_ambiguous_keys = false;
  /// No key check yet: only the scanner knows its key shapes. Such providers come from
  /// scan_only_providers(), never from builtin_providers(), so checks, reports, metrics and
  /// the config never see them; `scan --verify` leaves their keys not_checked.
  bool scan_only = false;

  // What the check's answer tells beyond the verdict (docs/provider-insight.md).
  /// Models the agents call: a valid key whose model list lacks one is not usable.
  std::vector<std::string> required_models{};
  /// Stripped from listed and required ids before comparing ("models/" on Google).
  std::string model_id_prefix{};
  /// Pages of the model list followed at most (Anthropic, Google); then "cut short".
  int max_model_pages = 10;
  /// A read-only request (of kind balance) for the key's credit, run alongside the check; empty:
  /// none. A path starting with "/" is relative to test_endpoint (Moonshot's
  /// "/v1/users/me/balance"). OpenRouter's check answer carries its credit itself.
  std::string balance_endpoint{};
  /// The credit's unit in the report ("USD", "CNY"); empty: from the balance host
  /// (.cn -> CNY, else USD).
  std::string credit_unit{};
  /// Credit below this is a warning (in credit_unit); unset: no threshold.
  std::optional<double> min_credit{};
  /// Rate-limit headroom (remaining / limit) below this is a warning; 0 turns it off.
  double ratelimit_warning_ratio = 0.1;
};

/// The six built-in providers in their default priority order (priorities 10, 20, ... 60).
std::vector<Provider> builtin_providers();

/// AI providers whose keys `scan` finds but nothing checks yet (Groq, Hugging Face, xAI,
/// Perplexity, Replicate, DeepSeek): scan_only is set, test_endpoint is empty.
std::vector<Provider> scan_only_providers();

/// What the scanner looks for: `configured` (the settings' providers) followed by the
/// scan-only providers whose id none of them has. A configured provider of a scan-only id
/// takes that entry's place and keeps its key shapes, its own key_patterns added after them
/// (as a config's key_pattern adds to a built-in's): its keys are then checked like any other.
std::vector<Provider> providers_for_scan(const std::vector<Provider>& configured);

/// The id of the provider a report names only by display name (the old tool's reports): the
/// built-in provider of that name, else the name in lower case with every run of other
/// characters as one '-' ("My Proxy (EU)" -> "my-proxy-eu"); empty for a name without letters
/// or digits.
std::string provider_id_for_name(std::string_view name);

/// Providers sorted by priority (stable: equal priorities keep their table order).
std::vector<Provider> by_priority(std::vector<Provider> providers);

}  // namespace devops_monitor
