#include "scan/rules.hpp"

#include <algorithm>
#include <set>

#include "util/key_pattern.hpp"

namespace devops_monitor::scan {

// Formats and sources: docs/secret-formats.md. One literal prefix per row (the prefilter
// needs one), so families with several prefixes have several rows with the same id.
const std::vector<OtherRule>& other_rules() {
  static const std::vector<OtherRule> table = {
      {"aws-access-key-id", "aws", "AWS", "AWS access key ID (long-term IAM user key)",
       "AKIA[A-Z2-7]{16}"},
      {"aws-access-key-id", "aws", "AWS", "AWS access key ID (temporary STS key)",
       "ASIA[A-Z2-7]{16}"},
      {"aws-access-key-id", "aws", "AWS", "AWS access key ID (STS service bearer token)",
       "ABIA[A-Z2-7]{16}"},
      {"aws-access-key-id", "aws", "AWS", "AWS access key ID (context-specific credential)",
       "ACCA[A-Z2-7]{16}"},
      {"github-token", "github", "GitHub", "GitHub personal access token (classic)",
       "ghp_[A-Za-z0-9]{36}"},
      {"github-token", "github", "GitHub", "GitHub OAuth access token", "gho_[A-Za-z0-9]{36}"},
      {"github-token", "github", "GitHub", "GitHub App user-to-server token",
       "ghu_[A-Za-z0-9]{36}"},
      {"github-token", "github", "GitHub", "GitHub App server-to-server token",
       "ghs_[A-Za-z0-9]{36}"},
      {"github-token", "github", "GitHub", "GitHub App refresh token", "ghr_[A-Za-z0-9]{36}"},
      {"github-fine-grained-token", "github", "GitHub", "GitHub fine-grained personal access token",
       "github_pat_[A-Za-z0-9_]{82}"},
      {"slack-token", "slack", "Slack", "Slack bot token", "xoxb-[0-9]{6,20}-[0-9A-Za-z-]{8,250}"},
      {"slack-token", "slack", "Slack", "Slack user token", "xoxp-[0-9]{6,20}-[0-9A-Za-z-]{8,250}"},
      {"slack-token", "slack", "Slack", "Slack workspace access token",
       "xoxa-[0-9]{1,20}-[0-9A-Za-z-]{8,250}"},
      {"slack-token", "slack", "Slack", "Slack refresh token",
       "xoxr-[0-9]{1,20}-[0-9A-Za-z-]{8,250}"},
      {"slack-token", "slack", "Slack", "Slack session token",
       "xoxs-[0-9]{1,20}-[0-9A-Za-z-]{8,250}"},
      {"slack-app-token", "slack", "Slack", "Slack app-level token",
       "xapp-[0-9]-[A-Z0-9]{6,20}-[0-9]{6,20}-[a-f0-9]{32,128}"},
      {"gitlab-personal-access-token", "gitlab", "GitLab",
       "GitLab personal access token (routable form)",
       "glpat-[0-9A-Za-z_-]{27,300}\\.[0-9a-z]{2}\\.?[0-9a-z]{7,9}"},
      {"gitlab-personal-access-token", "gitlab", "GitLab", "GitLab personal access token",
       "glpat-[0-9A-Za-z_-]{20}"},
      {"npm-access-token", "npm", "npm", "npm access token", "npm_[A-Za-z0-9]{36}"},
      {"stripe-secret-key", "stripe", "Stripe", "Stripe secret key (live mode)",
       "sk_live_[0-9A-Za-z]{24,247}"},
      {"stripe-secret-key", "stripe", "Stripe", "Stripe secret key (test mode)",
       "sk_test_[0-9A-Za-z]{24,247}"},
      {"stripe-restricted-key", "stripe", "Stripe", "Stripe restricted key (live mode)",
       "rk_live_[0-9A-Za-z]{24,247}"},
      {"stripe-restricted-key", "stripe", "Stripe", "Stripe restricted key (test mode)",
       "rk_test_[0-9A-Za-z]{24,247}"},
      {"sendgrid-api-key", "sendgrid", "SendGrid", "SendGrid API key",
       "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}"},
      {"private-key", "private-key", "Private key", "Private key block (PEM or OpenSSH)",
       "-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY( BLOCK)?-----"},
  };
  return table;
}

const std::set<std::string>& builtin_patterns() {
  static const std::set<std::string> patterns = [] {
    std::set<std::string> all;
    for (const std::vector<Provider>& table : {builtin_providers(), scan_only_providers()}) {
      for (const Provider& provider : table) {
        for (const KeyPattern& shape : provider.key_patterns) all.insert(shape.regex);
      }
    }
    for (const OtherRule& other : other_rules()) all.insert(other.regex);
    return all;
  }();
  return patterns;
}

Result<std::vector<Rule>> compile_rules(const std::vector<Provider>& providers) {
  std::vector<Rule> rules;
  const std::set<std::string>& known = builtin_patterns();
  auto add = [&rules, &known](Rule rule, const std::string& regex) -> Result<void> {
    // The built-in patterns compile (a unit test compiles each); any other is checked whole
    // here, so a bad one fails the scan before it starts.
    const bool builtin = known.count(regex) != 0;
    const std::optional<std::string> problem =
        builtin ? key_pattern_shape_problem(regex) : key_pattern_problem(regex);
    if (problem) {
      return Error{"invalid key pattern", "rule " + rule.id + " " + *problem, rule.kind};
    }
    rule.prefix = key_pattern_prefix(regex);
    rule.pattern = LazyPattern(regex);
    rules.push_back(std::move(rule));
    return {};
  };
  for (const Provider& provider : providers_for_scan(providers)) {
    for (const KeyPattern& shape : provider.key_patterns) {
      Rule rule{.id = shape.rule,
                .kind = provider.id,
                .name = provider.name,
                .description = provider.name + " API key",
                .provider_key = true};
      if (Result<void> added = add(std::move(rule), shape.regex); !added) return added.error();
    }
  }
  for (const OtherRule& other : other_rules()) {
    Rule rule{.id = other.id,
              .kind = other.kind,
              .name = other.name,
              .description = other.description,
              .pem_block = std::string_view(other.kind) == "private-key"};
    if (Result<void> added = add(std::move(rule), other.regex); !added) return added.error();
  }
  std::stable_sort(rules.begin(), rules.end(),
                   [](const Rule& a, const Rule& b) { return a.prefix.size() > b.prefix.size(); });
  return rules;
}

}  // namespace devops_monitor::scan
