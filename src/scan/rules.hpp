// The credential shapes the scanner looks for: every provider's key_patterns (the configured
// ones and the scan-only AI providers), plus one table of credentials that belong to no
// provider (AWS, GitHub, GitLab, npm, Slack, Stripe, SendGrid, private keys).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/provider.hpp"
#include "scan/lazy_pattern.hpp"

namespace devops_monitor::scan {

struct Rule {
  std::string id{};           // "openai-project-key"
  std::string kind{};         // provider id, or "aws", "github", "stripe", "private-key", ...
  std::string name{};         // "OpenAI (GPT-4)", "AWS", ...
  std::string description{};  // one sentence, for SARIF
  std::string prefix{};       // the literal start (at least 3 characters)
  LazyPattern pattern{};      // the whole key, matched from the prefix on
  bool provider_key = false;  // belongs to a Provider: --verify can check it
  bool pem_block = false;     // a private key header: a real key has a body after it
};

/// A rule that belongs to no provider, as written in the table.
struct OtherRule {
  const char* id;
  const char* kind;
  const char* name;
  const char* description;
  const char* regex;
};
const std::vector<OtherRule>& other_rules();

/// Every built-in provider's and the table's pattern text (they are known to compile).
const std::set<std::string>& builtin_patterns();

/// The rules of `providers` and of the scan-only providers none of them replaces
/// (providers_for_scan), then the table; patterns compile when first needed (LazyPattern),
/// other than built-in ones are compiled here to fail early. Longer prefixes come first, then table
/// order, so "sk-proj-" is tried before "sk-" and OpenAI's legacy shape before Moonshot's.
Result<std::vector<Rule>> compile_rules(const std::vector<Provider>& providers);

}  // namespace devops_monitor::scan
