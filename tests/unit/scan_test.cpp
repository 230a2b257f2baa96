// The scanner's pure parts: key patterns, the matcher on every built-in shape, placeholders,
// boundaries, the allow marker, sizes and the three output formats.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "devops_monitor/scan.hpp"
#include "scan/matcher.hpp"
#include "scan/placeholder.hpp"
#include "scan/rules.hpp"
#include "support/scan_keys.hpp"
#include "util/key_pattern.hpp"
#include "util/redact.hpp"
#include "util/sha256.hpp"

namespace devops_monitor {
namespace {

using testing::generated_keys;
using testing::TestKey;

const scan::Matcher& builtin_matcher() {
  static const scan::Matcher matcher = [] {
    Result<std::vector<scan::Rule>> rules = scan::compile_rules(builtin_providers());
    EXPECT_TRUE(rules.ok()) << rules.error().message();
    return scan::Matcher(rules.ok() ? std::move(*rules) : std::vector<scan::Rule>{});
  }();
  return matcher;
}

// Placeholder values are built at run time, like the real-looking keys: no key-shaped text
// in the source for other scanners (or readers) to mistake for a credential.
std::string repeated(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

/// "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEF": a counting run, not a key.
std::string counting_filler() {
  std::string out;
  for (char c = '0'; c <= '9'; ++c) out += c;
  for (char c = 'a'; c <= 'z'; ++c) out += c;
  for (char c = '0'; c <= '9'; ++c) out += c;
  for (char c = 'A'; c <= 'F'; ++c) out += c;
  return out;
}

std::vector<std::string> rules_found(std::string_view text) {
  std::vector<std::string> ids;
  for (const scan::SecretMatch& match : builtin_matcher().find(text)) {
    ids.push_back(builtin_matcher().rules()[match.rule].id);
  }
  return ids;
}

// ---- key patterns ---------------------------------------------------------------------------

TEST(KeyPattern, PrefixIsTheLiteralStart) {
  EXPECT_EQ(key_pattern_prefix("sk-proj-[A-Za-z0-9]{40}"), "sk-proj-");
  EXPECT_EQ(key_pattern_prefix("abc\\-def\\d+"), "abc-def");
  EXPECT_EQ(key_pattern_prefix("abcd?e"), "abc");  // d may be missing
  EXPECT_EQ(key_pattern_prefix("abc{2}"), "ab");
  EXPECT_EQ(key_pattern_prefix("(abc|abd)x"), "");
  EXPECT_EQ(key_pattern_prefix("ab.c"), "ab");
}

TEST(KeyPattern, ProblemsAreNamed) {
  EXPECT_FALSE(key_pattern_problem("acme_[a-z0-9]{32}").has_value());
  EXPECT_NE(key_pattern_problem("ab[0-9]{30}")->find("at least 3 literal"), std::string::npos);
  EXPECT_NE(key_pattern_problem("[a-z]{30}")->find("at least 3 literal"), std::string::npos);
  EXPECT_NE(key_pattern_problem("abc[0-9]+|x")->find("|"), std::string::npos);
  EXPECT_NE(key_pattern_problem("abc[0-9")->find("std::regex"), std::string::npos);
  EXPECT_NE(key_pattern_problem("abc(")->find("std::regex"), std::string::npos);
  EXPECT_NE(key_pattern_problem(std::string(400, 'a'))->find("longer"), std::string::npos);
  EXPECT_FALSE(key_pattern_problem("abc(x|y)[0-9]{4}").has_value());  // grouped | is fine
}

TEST(KeyPattern, EveryBuiltinPatternIsValid) {
  for (const Provider& provider : builtin_providers()) {
    EXPECT_FALSE(provider.key_patterns.empty()) << provider.id;
    for (const KeyPattern& shape : provider.key_patterns) {
      EXPECT_FALSE(key_pattern_problem(shape.regex).has_value()) << shape.rule;
    }
  }
  for (const scan::OtherRule& rule : scan::other_rules()) {
    EXPECT_FALSE(key_pattern_problem(rule.regex).has_value()) << rule.id;
  }
}

// ---- the matcher on every built-in shape ----------------------------------------------------

TEST(ScanMatcher, FindsEveryBuiltinShapeWithItsRule) {
  for (const TestKey& key : generated_keys()) {
    SCOPED_TRACE(key.rule);
    const std::string text = "line one\nexport SECRET=\"" + key.key + "\" # set\nlast\n";
    const std::vector<scan::SecretMatch> matches = builtin_matcher().find(text);
    ASSERT_EQ(matches.size(), 1u);
    const scan::Rule& rule = builtin_matcher().rules()[matches[0].rule];
    EXPECT_EQ(rule.id, key.rule);
    EXPECT_EQ(rule.kind, key.kind);
    EXPECT_EQ(matches[0].offset, text.find(key.key));
    EXPECT_EQ(matches[0].key, key.key);
  }
}

TEST(ScanMatcher, FindsKeysAtTheEdgesOfTheBuffer) {
  for (const TestKey& key : generated_keys()) {
    SCOPED_TRACE(key.rule);
    EXPECT_EQ(rules_found(key.key).size(), 1u);
    EXPECT_EQ(rules_found(key.key + "\n" + key.key).size(), 2u);
  }
}

TEST(ScanMatcher, OtherSeedsToo) {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    for (const TestKey& key : generated_keys(seed)) {
      EXPECT_EQ(rules_found("k=" + key.key + ";").size(), 1u) << key.rule << " seed " << seed;
    }
  }
}

TEST(ScanMatcher, AKeyStartsAndEndsAWord) {
  const std::string aws = generated_keys()[10].key;
  ASSERT_TRUE(aws.starts_with("AKIA"));
  EXPECT_TRUE(rules_found("X" + aws).empty());  // part of a longer word
  EXPECT_TRUE(rules_found(aws + "Q").empty());  // 17 characters: not a key id
  EXPECT_EQ(rules_found("_" + aws + ".").size(), 1u);
  const std::string moonshot = generated_keys()[9].key;
  EXPECT_TRUE(rules_found("task" + moonshot.substr(2)).empty());  // "task-..." is not "sk-"
}

TEST(ScanMatcher, PlaceholdersAreNotFindings) {
  const std::vector<std::string> placeholders = {
      "OPENAI_API_KEY=your_openai_api_key",
      "OPENAI_API_KEY=sk-...",
      "OPENAI_API_KEY=<YOUR_KEY>",
      "OPENAI_API_KEY=sk-" + std::string(48, 'x'),
      "OPENAI_API_KEY=sk-proj-" + std::string(60, 'x'),
      "OPENAI_API_KEY=sk-proj-" + std::string(60, 'x') + "…",
      "OPENAI_API_KEY=sk-proj-" + repeated("ab", 30),
      "OPENAI_API_KEY=sk-proj-" + counting_filler(),
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
      "aws_access_key_id = AKIAI44QH8DHBEXAMPLE",
      "AKIA" + std::string(16, 'A'),
      "AKIA" + repeated("ABCD", 4),
      "token: ghp_" + std::string("EXAMPLEexampleEXAMPLEexampleEXAMPLE1"),
      "token: ghp_" + std::string("yourGitHubTokenGoesHere1a2B3c4D5e6F"),
      "key = AIza" + std::string("SyDUMMY_dummy_DUMMY_dummy_DUMMY_dum"),
      "key = AIza" + std::string("PlaceholderPlaceholderPlaceholder12"),
      "-----BEGIN RSA PRIVATE KEY-----",
      "if (line == \"-----BEGIN PRIVATE KEY-----\") return true;",
      "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
  };
  for (const std::string& text : placeholders) {
    EXPECT_TRUE(rules_found(text).empty()) << text;
  }
}

// Several shapes share "sk-": length and alphabet pick the rule, and what fits none is nothing.
TEST(ScanMatcher, SkPrefixedShapesAreToldApartByLengthAndAlphabet) {
  std::mt19937 rng(7);
  const std::string sk = "sk-";
  const std::string hex32 = testing::random_chars(rng, testing::kHexLower, 32);
  EXPECT_EQ(rules_found("OPENAI_API_KEY=" + sk + hex32),
            std::vector<std::string>{"deepseek-api-key"});
  EXPECT_EQ(rules_found(sk + testing::random_chars(rng, testing::kAlnum, 48)),
            std::vector<std::string>{"moonshot-api-key"});
  // Hex digests after "sk-" that are not 32 long, and a bare MD5, are not keys.
  for (const std::size_t n : {40u, 64u}) {
    EXPECT_TRUE(rules_found(sk + testing::random_chars(rng, testing::kHexLower, n)).empty()) << n;
  }
  EXPECT_TRUE(rules_found("md5 " + hex32).empty());
  // Upper-case hex or 31/33 digits: not DeepSeek's shape.
  EXPECT_TRUE(rules_found(sk + testing::random_chars(rng, "0123456789ABCDEF", 32)).empty());
  EXPECT_TRUE(rules_found(sk + hex32.substr(1)).empty());
  EXPECT_TRUE(rules_found(sk + hex32 + "a").empty());
  EXPECT_TRUE(rules_found("disk-" + hex32).empty());  // a word ending in "sk-"
}

TEST(ScanMatcher, LengthsThatAreSomeOtherToken) {
  std::mt19937 rng(11);
  const auto alnum = [&rng](std::size_t n) {
    return testing::random_chars(rng, testing::kAlnum, n);
  };
  EXPECT_TRUE(rules_found(std::string("gs") + "k_" + alnum(48)).empty());  // 52 or nothing
  EXPECT_TRUE(rules_found(std::string("gs") + "k_" + alnum(53)).empty());
  EXPECT_TRUE(rules_found(std::string("hf") + "_" + alnum(33)).empty());
  EXPECT_TRUE(rules_found(std::string("np") + "m_" + alnum(35)).empty());
  EXPECT_TRUE(rules_found(std::string("sk_") + "live_" + alnum(23)).empty());
  EXPECT_TRUE(rules_found(std::string("glp") + "at-" + alnum(19)).empty());
  EXPECT_TRUE(rules_found(std::string("SG") + "." + alnum(22) + "." + alnum(42)).empty());
}

TEST(ScanMatcher, NewShapesPlaceholdersAndExamples) {
  const std::vector<std::string> placeholders = {
      "GROQ_API_KEY=gsk_" + std::string(52, 'x'),
      "GROQ_API_KEY=gsk_your_groq_api_key_here",
      "HF_TOKEN=hf_" + std::string(34, 'x'),
      "HF_TOKEN=hf_" + repeated("YourHuggingFaceToken", 2).substr(0, 34),
      "XAI_API_KEY=xai-" + repeated("ab", 40),
      "PERPLEXITY_API_KEY=pplx-" + counting_filler().substr(0, 48),
      "DEEPSEEK_API_KEY=sk-" + std::string("0123456789abcdef0123456789abcdef"),
      "STRIPE_SECRET_KEY=sk_" + std::string("live_") + repeated("Example", 4),
      "NPM_TOKEN=npm_" + std::string(36, 'X'),
      "SENDGRID_API_KEY=SG." + std::string(22, 'x') + "." + std::string(43, 'x'),
  };
  for (const std::string& text : placeholders) {
    EXPECT_TRUE(rules_found(text).empty()) << text;
  }
}

TEST(ScanMatcher, StripesDocumentedSampleKeysAreKnownByDigestOnly) {
  // Stripe's two sample keys are not held here, only their digests: obviously fake keys of
  // the same shape stand in for them.
  const std::string fake = "sk_test_" + std::string("FAKEdocSampleNotARealKey");
  const std::string other = "sk_test_" + std::string("FAKEotherSampleNotAKey00");
  ASSERT_EQ(fake.size(), other.size());
  const std::string digest = sha256_hex_prefix(fake, 32);
  const std::vector<std::string_view> listed{digest};
  EXPECT_TRUE(scan::matches_stripe_example(fake, listed));
  EXPECT_FALSE(scan::matches_stripe_example(other, listed));
  EXPECT_FALSE(scan::matches_stripe_example(fake + "9", listed)) << "another length";
  const std::string live = "sk_live_" + fake.substr(8);
  const std::string live_digest = sha256_hex_prefix(live, 32);
  EXPECT_FALSE(scan::matches_stripe_example(live, std::vector<std::string_view>{live_digest}))
      << "live keys are never samples";
  // The built-in list: the two digests docs/secret-formats.md names.
  const std::span<const std::string_view> builtin = scan::stripe_example_digests();
  EXPECT_EQ(std::vector<std::string_view>(builtin.begin(), builtin.end()),
            (std::vector<std::string_view>{
                "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
                "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397"}));
  EXPECT_FALSE(scan::matches_stripe_example(other, builtin));
}

TEST(ScanProviders, ScanOnlyProvidersStayOutOfTheCheckedTable) {
  const std::vector<Provider> checked = builtin_providers();
  const std::vector<Provider> scan_only = scan_only_providers();
  EXPECT_EQ(checked.size(), 6u);
  EXPECT_EQ(scan_only.size(), 6u);
  for (const Provider& provider : checked) EXPECT_FALSE(provider.scan_only) << provider.id;
  for (const Provider& provider : scan_only) {
    EXPECT_TRUE(provider.scan_only) << provider.id;
    EXPECT_TRUE(provider.test_endpoint.empty()) << provider.id;
    EXPECT_FALSE(provider.key_patterns.empty()) << provider.id;
    for (const KeyPattern& shape : provider.key_patterns) {
      EXPECT_FALSE(key_pattern_problem(shape.regex).has_value()) << shape.rule;
    }
    for (const Provider& other : checked) EXPECT_NE(provider.id, other.id);
  }
  // A configured provider of the same id takes the entry's place and keeps its shapes, its
  // own added after them.
  Provider own_groq{.id = "groq",
                    .name = "Our Groq",
                    .test_endpoint = "https://groq.example/v1/models",
                    .key_patterns = {{"groq-project-key", "gsk_proj_[A-Za-z0-9]{40}"}}};
  const std::vector<Provider> scanned = providers_for_scan({own_groq});
  ASSERT_EQ(scanned.size(), scan_only.size());
  EXPECT_EQ(scanned.front().name, "Our Groq");
  EXPECT_FALSE(scanned.front().scan_only);
  ASSERT_EQ(scanned.front().key_patterns.size(), 2u);
  EXPECT_EQ(scanned.front().key_patterns[0].rule, "groq-api-key");
  EXPECT_EQ(scanned.front().key_patterns[1].rule, "groq-project-key");
  Result<std::vector<scan::Rule>> rules = scan::compile_rules({own_groq});
  ASSERT_TRUE(rules.ok());
  std::size_t groq_rules = 0;
  for (const scan::Rule& rule : *rules) {
    if (rule.kind == "groq") {
      ++groq_rules;
      EXPECT_EQ(rule.name, "Our Groq");
    }
  }
  EXPECT_EQ(groq_rules, 2u);
}

TEST(ScanMatcher, PrivateKeyInsideAJsonString) {
  const std::string block = generated_keys().back().key;
  ASSERT_TRUE(block.starts_with("-----BEGIN"));
  std::string escaped;
  for (const char c : block) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  const std::string json =
      "{\"type\": \"service_account\", \"private_key\": \"" + escaped + "\\n\"}";
  EXPECT_EQ(rules_found(json), std::vector<std::string>{"private-key"});
  // The same header followed by code is not a key.
  EXPECT_TRUE(rules_found("-----BEGIN PRIVATE KEY-----\n  for (const std::string& text : all) {\n"
                          "    return check(text, options, more, words, here);\n")
                  .empty());
}

// ssh-keygen's output: the body opens with "openssh-key-v1", cipher and kdf "none" and a key
// count, whose zero bytes make a run of A's in base64. Only the lines after it are random.
TEST(ScanMatcher, RealOpenSshKeysWhoseHeaderIsNotRandom) {
  std::mt19937 rng(5);
  const std::string base64 = std::string(testing::kAlnum) + "+/";
  for (const std::string header :
       {"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABFwAAAAdzc2gtcn"}) {
    std::string block = std::string("-----BEGIN ") + "OPENSSH PRIVATE KEY-----\n" + header + "\n";
    for (int line = 0; line < 3; ++line) block += testing::random_chars(rng, base64, 70) + "\n";
    block += "-----END OPENSSH PRIVATE KEY-----\n";
    EXPECT_EQ(rules_found(block), std::vector<std::string>{"private-key"}) << header;
  }
  // The magic with a placeholder where the key would be is still a placeholder.
  EXPECT_TRUE(rules_found(std::string("-----BEGIN ") + "OPENSSH PRIVATE KEY-----\n" +
                          "b3BlbnNzaC1rZXktdjE" + "YourKeyGoesHere" + repeated("x", 40) +
                          "\n-----END OPENSSH PRIVATE KEY-----\n")
                  .empty());
}

TEST(ScanMatcher, AllowMarkerSuppressesItsLineOnly) {
  const std::string key = generated_keys()[12].key;
  const std::string text = "a = \"" + key + "\"  # devops-monitor:allow\nb = \"" + key + "\"\n";
  const std::vector<scan::SecretMatch> matches = builtin_matcher().find(text);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].offset, text.rfind(key));
}

TEST(ScanMatcher, ArbitraryBytesAroundKeys) {
  const std::string key = generated_keys()[0].key;
  std::string text(300, '\0');
  text += key;
  text += std::string("\xff\xfe\x80", 3);
  ASSERT_EQ(rules_found(text).size(), 1u);
}

TEST(ScanMatcher, CustomPatterns) {
  Provider acme{.id = "acme", .name = "Acme", .key_patterns = {{"acme-key", "acme_[a-z0-9]{32}"}}};
  Result<std::vector<scan::Rule>> rules = scan::compile_rules({acme});
  ASSERT_TRUE(rules.ok());
  const scan::Matcher matcher(std::move(*rules));
  std::mt19937 rng(3);
  const std::string key =
      "acme_" + testing::random_chars(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 32);
  const std::vector<scan::SecretMatch> matches = matcher.find("x " + key + " y");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matcher.rules()[matches[0].rule].kind, "acme");
  EXPECT_TRUE(matcher.rules()[matches[0].rule].provider_key);

  Provider bad = acme;
  bad.key_patterns = {{"bad", "a[0-9]+"}};
  EXPECT_FALSE(scan::compile_rules({bad}).ok());
}

// ---- placeholders -----------------------------------------------------------------------------

TEST(ScanPlaceholder, Entropy) {
  EXPECT_DOUBLE_EQ(scan::shannon_entropy(""), 0.0);
  EXPECT_DOUBLE_EQ(scan::shannon_entropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(scan::shannon_entropy("abab"), 1.0);
  EXPECT_DOUBLE_EQ(scan::shannon_entropy("abcd"), 2.0);
}

TEST(ScanPlaceholder, Rules) {
  EXPECT_TRUE(scan::looks_like_placeholder("AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE"));
  EXPECT_TRUE(scan::looks_like_placeholder("k_Example_3fJ9qLm2", "Example_3fJ9qLm2"));
  EXPECT_TRUE(scan::looks_like_placeholder("k_aZ9qLLLLLLLm2x", "aZ9qLLLLLLLm2x"));
  EXPECT_TRUE(scan::looks_like_placeholder("k_zq1234567Wp", "zq1234567Wp"));
  EXPECT_FALSE(scan::looks_like_placeholder("k_Q7fJ9qLm2xZ8vR4t", "Q7fJ9qLm2xZ8vR4t"));
  EXPECT_FALSE(scan::looks_like_placeholder("k_eXaMpLe7fJ9qLm2xZ8", "eXaMpLe7fJ9qLm2xZ8"));
}

// ---- sizes ---------------------------------------------------------------------------------

TEST(ScanSize, Parse) {
  EXPECT_EQ(*parse_size("512"), 512u);
  EXPECT_EQ(*parse_size("512K"), 512u * 1024);
  EXPECT_EQ(*parse_size("10M"), 10u * 1024 * 1024);
  EXPECT_EQ(*parse_size("1g"), 1024ull * 1024 * 1024);
  for (const char* bad :
       {"", "K", "10MB", "-1", "1.5M", "0", "99999999999999999999", "16777216T", "17179869184G"}) {
    EXPECT_FALSE(parse_size(bad).ok()) << bad;
  }
}

// ---- outputs ---------------------------------------------------------------------------------

ScanResult sample_result() {
  ScanResult result;
  result.paths = {"."};
  result.scanned_at = "2026-11-25T16:00:00.000Z";
  result.files_scanned = 3;
  result.bytes_scanned = 1234;
  result.findings.push_back({.file = "src/app.py",
                             .line = 3,
                             .column = 9,
                             .kind = "openai",
                             .provider = "OpenAI (GPT-4)",
                             .rule = "openai-project-key",
                             .redacted = "sk-proj-AbCd…",
                             .fingerprint = "1a2b3c4d",
                             .verification = Verification::live});
  result.findings.push_back({.file = "dir with space/\x1b[31mx.env",
                             .line = 1,
                             .column = 1,
                             .kind = "aws",
                             .provider = "AWS",
                             .rule = "aws-access-key-id",
                             .redacted = "AKIAQ2ZX…",
                             .fingerprint = "9f8e7d6c"});
  result.warnings = {"cannot read secret.txt: Permission denied"};
  return result;
}

TEST(ScanOutput, TextIsOneLinePerFindingAndPrintable) {
  const std::string text = render_scan_text(sample_result());
  EXPECT_EQ(text,
            "src/app.py:3:9 openai sk-proj-AbCd… 1a2b3c4d live\n"
            "dir with space/[31mx.env:1:1 aws AKIAQ2ZX… 9f8e7d6c\n");
}

TEST(ScanOutput, JsonContract) {
  const nlohmann::json doc = nlohmann::json::parse(render_scan_json(sample_result()));
  EXPECT_EQ(doc["tool"], "devops-monitor");
  EXPECT_TRUE(doc["version"].is_string());
  EXPECT_EQ(doc["scanned_at"], "2026-11-25T16:00:00.000Z");
  EXPECT_EQ(doc["paths"], nlohmann::json::array({"."}));
  EXPECT_EQ(doc["files_scanned"], 3);
  EXPECT_EQ(doc["bytes_scanned"], 1234);
  ASSERT_EQ(doc["findings"].size(), 2u);
  const nlohmann::json& first = doc["findings"][0];
  EXPECT_EQ(first["file"], "src/app.py");
  EXPECT_EQ(first["line"], 3);
  EXPECT_EQ(first["column"], 9);
  EXPECT_EQ(first["kind"], "openai");
  EXPECT_EQ(first["provider"], "OpenAI (GPT-4)");
  EXPECT_EQ(first["rule"], "openai-project-key");
  EXPECT_EQ(first["redacted"], "sk-proj-AbCd…");
  EXPECT_EQ(first["fingerprint"], "1a2b3c4d");
  EXPECT_EQ(first["verification"], "live");
  EXPECT_EQ(doc["findings"][1]["verification"], "not_checked");
  EXPECT_EQ(doc["warnings"][0], "cannot read secret.txt: Permission denied");
}

TEST(ScanOutput, Sarif) {
  const nlohmann::json doc =
      nlohmann::json::parse(render_scan_sarif(sample_result(), builtin_providers()));
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_TRUE(doc["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
  const nlohmann::json& run = doc["runs"][0];
  const nlohmann::json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "devops-monitor");
  EXPECT_TRUE(driver["version"].is_string());
  EXPECT_TRUE(driver["informationUri"].get<std::string>().starts_with("https://"));
  std::set<std::string> rule_ids;
  for (const nlohmann::json& rule : driver["rules"]) rule_ids.insert(rule["id"]);
  EXPECT_TRUE(rule_ids.contains("openai-project-key"));
  EXPECT_TRUE(rule_ids.contains("aws-access-key-id"));
  EXPECT_TRUE(rule_ids.contains("private-key"));
  ASSERT_EQ(run["results"].size(), 2u);
  const nlohmann::json& result = run["results"][0];
  EXPECT_EQ(result["ruleId"], "openai-project-key");
  EXPECT_EQ(driver["rules"][result["ruleIndex"].get<std::size_t>()]["id"], "openai-project-key");
  EXPECT_EQ(result["level"], "error");
  EXPECT_TRUE(result["message"]["text"].is_string());
  const nlohmann::json& location = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "src/app.py");
  EXPECT_EQ(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(location["region"]["startLine"], 3);
  EXPECT_EQ(location["region"]["startColumn"], 9);
  EXPECT_TRUE(
      result["partialFingerprints"]["secretFingerprint/v2"].get<std::string>().ends_with(":1"));
  EXPECT_EQ(run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "dir%20with%20space/%1B%5B31mx.env");
}

}  // namespace
}  // namespace devops_monitor

namespace devops_monitor::scan {
namespace {

// Built-in patterns are compiled only when a candidate needs them, so nothing at start-up
// would tell a broken one: this does.
TEST(ScanRules, EveryBuiltInPatternCompiles) {
  ASSERT_GE(builtin_patterns().size(), 40u);
  for (const std::string& pattern : builtin_patterns()) {
    EXPECT_NO_THROW(std::regex(pattern, std::regex::ECMAScript)) << pattern;
  }
  Result<std::vector<Rule>> rules = compile_rules(builtin_providers());
  ASSERT_TRUE(rules);
  for (const Rule& rule : *rules) EXPECT_NO_THROW((void)rule.pattern.get()) << rule.id;
}

TEST(ScanRules, ACustomPatternThatDoesNotCompileFailsBeforeTheScan) {
  Provider custom{.id = "mine", .name = "Mine"};
  custom.key_patterns.push_back({.rule = "mine-key", .regex = "mine_[A-Z"});
  Result<std::vector<Rule>> rules = compile_rules({custom});
  ASSERT_FALSE(rules);
  EXPECT_EQ(rules.error().what, "invalid key pattern");
}

}  // namespace
}  // namespace devops_monitor::scan
