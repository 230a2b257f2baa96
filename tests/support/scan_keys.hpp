// Keys for the scanner's tests, built at run time from pieces and random bodies: no
// key-shaped string is committed (GitHub push protection and our own scan would flag it).
// Bodies come from a fixed seed, so every run sees the same keys and a key that happened to
// look like a placeholder would fail every run, not one in a thousand.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor::testing {

inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
inline constexpr std::string_view kHexLower = "0123456789abcdef";
inline constexpr std::string_view kDigits = "0123456789";
inline constexpr std::string_view kBase36 = "0123456789abcdefghijklmnopqrstuvwxyz";

inline std::string random_chars(std::mt19937& rng, std::string_view alphabet, std::size_t n) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(rng)];
  return out;
}

struct TestKey {
  std::string rule;  // the rule that must report it
  std::string kind;
  std::string key;
};

/// One key of every built-in shape.
/// A GitHub classic token drawn from `seed`: the shape the git and ignore tests plant.
inline std::string generated_github_token(unsigned seed) {
  std::mt19937 rng(seed);
  return std::string("gh") + "p_" + random_chars(rng, kAlnum, 36);
}

/// The body lines of a private key block: its key material (the header line is shown).
inline std::vector<std::string> pem_body_lines(const std::string& block) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find('\n', start);
    if (end == std::string::npos) end = block.size();
    const std::string line = block.substr(start, end - start);
    if (!line.empty() && !line.starts_with("-----")) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

inline std::vector<TestKey> generated_keys(unsigned seed = 20261125) {
  std::mt19937 rng(seed);
  auto r = [&rng](std::string_view alphabet, std::size_t n) {
    return random_chars(rng, alphabet, n);
  };
  const std::string url_safe = std::string(kAlnum) + "_-";
  const std::string sk = "sk-";
  std::vector<TestKey> keys = {
      {"openai-project-key", "openai", sk + "proj-" + r(url_safe, 156)},
      {"openai-service-account-key", "openai", sk + "svcacct-" + r(url_safe, 120)},
      {"openai-admin-key", "openai", sk + "admin-" + r(url_safe, 100)},
      {"openai-legacy-key", "openai", sk + r(kAlnum, 20) + "T3Blbk" + "FJ" + r(kAlnum, 20)},
      {"anthropic-api-key", "anthropic", sk + "ant-api03-" + r(url_safe, 93) + "AA"},
      {"anthropic-admin-key", "anthropic", sk + "ant-admin01-" + r(url_safe, 93) + "AA"},
      {"openrouter-api-key", "openrouter", sk + "or-v1-" + r(kHexLower, 64)},
      {"google-api-key", "google", std::string("AI") + "za" + r(url_safe, 35)},
      {"together-api-key", "together", std::string("tgp_") + "v1_" + r(url_safe, 43)},
      {"moonshot-api-key", "moonshot", sk + r(kAlnum, 48)},
      {"aws-access-key-id", "aws", std::string("AK") + "IA" + r(kBase32, 16)},
      {"aws-access-key-id", "aws", std::string("AS") + "IA" + r(kBase32, 16)},
      {"github-token", "github", std::string("gh") + "p_" + r(kAlnum, 36)},
      {"github-token", "github", std::string("gh") + "s_" + r(kAlnum, 36)},
      {"github-fine-grained-token", "github",
       std::string("github_") + "pat_" + r(kAlnum, 22) + "_" + r(kAlnum, 59)},
      {"slack-token", "slack",
       std::string("xo") + "xb-" + r(kDigits, 11) + "-" + r(kDigits, 13) + "-" + r(kAlnum, 24)},
      {"slack-app-token", "slack",
       std::string("xa") + "pp-1-A" + r(kBase32, 10) + "-" + r(kDigits, 13) + "-" +
           r(kHexLower, 64)},
      {"groq-api-key", "groq", std::string("gs") + "k_" + r(kAlnum, 52)},
      {"huggingface-access-token", "huggingface", std::string("hf") + "_" + r(kAlnum, 34)},
      {"huggingface-org-token", "huggingface", std::string("api_") + "org_" + r(kAlnum, 34)},
      {"xai-api-key", "xai", std::string("xa") + "i-" + r(kAlnum, 80)},
      {"perplexity-api-key", "perplexity", std::string("pp") + "lx-" + r(kAlnum, 48)},
      {"replicate-api-token", "replicate", std::string("r8") + "_" + r(kAlnum, 37)},
      {"deepseek-api-key", "deepseek", sk + r(kHexLower, 32)},
      {"gitlab-personal-access-token", "gitlab", std::string("glp") + "at-" + r(url_safe, 20)},
      {"gitlab-personal-access-token", "gitlab",
       std::string("glp") + "at-" + r(url_safe, 40) + ".01" + r(kBase36, 7)},
      {"npm-access-token", "npm", std::string("np") + "m_" + r(kAlnum, 36)},
      {"stripe-secret-key", "stripe", std::string("sk_") + "live_" + r(kAlnum, 99)},
      {"stripe-secret-key", "stripe", std::string("sk_") + "test_" + r(kAlnum, 24)},
      {"stripe-restricted-key", "stripe", std::string("rk_") + "live_" + r(kAlnum, 99)},
      {"stripe-restricted-key", "stripe", std::string("rk_") + "test_" + r(kAlnum, 99)},
      {"sendgrid-api-key", "sendgrid",
       std::string("SG") + "." + r(url_safe, 22) + "." + r(url_safe, 43)},
  };
  std::string block = std::string("-----BEGIN ") + "OPENSSH PRIVATE KEY-----\n";
  for (int line = 0; line < 4; ++line) block += r(std::string(kAlnum) + "+/", 70) + "\n";
  block += "-----END OPENSSH PRIVATE KEY-----";
  keys.push_back({"private-key", "private-key", block});
  return keys;
}

}  // namespace devops_monitor::testing
