// `devops-monitor scan` through the real binary: a fixture tree with true and false positives,
// the skip rules, exit statuses, the canary (no key in any output), and --verify against fake
// providers on 127.0.0.1.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/fixtures.hpp"
#include "support/monitor_world.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::testing {
namespace {

namespace fs = std::filesystem;

/// A tree to scan, in a temp dir: `keys` in src/app.env (line 2 + index), and around it
/// everything that must not be reported or read.
struct ScanTree {
  TempDir dir;
  fs::path root = dir / "tree";
  std::vector<TestKey> keys = generated_keys();
  std::string key_in_git;     // in .git/config
  std::string key_in_vendor;  // in vendor/lib.js (found unless excluded)
  std::string key_in_min;     // in web/app.min.js (found unless excluded)
  std::string key_in_big;     // in big/large.txt, 20 KiB (found unless --max-file-size 10K)
  std::string key_in_binary;  // in bin/blob.bin, after a NUL
  std::string key_outside;    // outside the tree, reached only through symlinks
  std::string key_allowed;    // on a line with the allow marker

  ScanTree() {
    std::mt19937 rng(99);
    auto github = [&rng] { return std::string("gh") + "p_" + random_chars(rng, kAlnum, 36); };
    key_in_git = github();
    key_in_vendor = github();
    key_in_min = github();
    key_in_big = github();
    key_in_binary = github();
    key_outside = github();
    key_allowed = github();

    std::string env = "# generated keys, one per line\n";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      env += "KEY_" + std::to_string(i) + "=" + keys[i].key + "\n";
    }
    fs::create_directories(root / "src");
    write_text(root / "src/app.env", env);
    fs::create_directories(root / "docs");
    fs::copy_file(kFixturesRoot / "scan/placeholders.md", root / "docs/placeholders.md");
    write_text(root / "docs/allowed.md",
               "Our test key, revoked: " + key_allowed + "  <!-- devops-monitor:allow -->\n");
    fs::create_directories(root / ".git");
    write_text(root / ".git/config", "[credential]\n  token = " + key_in_git + "\n");
    fs::create_directories(root / "vendor");
    write_text(root / "vendor/lib.js", "const token = '" + key_in_vendor + "';\n");
    fs::create_directories(root / "web");
    write_text(root / "web/app.min.js", "var t=\"" + key_in_min + "\";\n");
    fs::create_directories(root / "big");
    write_text(root / "big/large.txt", std::string(20 * 1024, '#') + "\n" + key_in_big + "\n");
    fs::create_directories(root / "bin");
    write_text(root / "bin/blob.bin", std::string("\x7f"
                                                  "ELF\0\0",
                                                  6) +
                                          key_in_binary);
    fs::create_directories(dir / "outside");
    write_text(dir / "outside/secret.env", "TOKEN=" + key_outside + "\n");
    fs::create_symlink(dir / "outside/secret.env", root / "linked.env");
    fs::create_directory_symlink(dir / "outside", root / "linked_dir");
  }

  [[nodiscard]] std::vector<std::string> all_secrets() const {
    std::vector<std::string> out = {key_in_git,    key_in_vendor, key_in_min, key_in_big,
                                    key_in_binary, key_outside,   key_allowed};
    for (const TestKey& key : keys) {
      if (key.kind != "private-key") {
        out.push_back(key.key);
        continue;
      }
      std::istringstream block(key.key);  // the body lines; the header is no secret
      for (std::string line; std::getline(block, line);) {
        if (!line.starts_with("-----")) out.push_back(line);
      }
    }
    return out;
  }
};

nlohmann::json parsed(const RunResult& run) {
  nlohmann::json doc = nlohmann::json::parse(run.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << run.out << run.err;
  return doc;
}

/// No key, and no 12-character piece of its end, in `text`.
void expect_no_secret(const ScanTree& tree, const std::string& where, const std::string& text) {
  for (const std::string& secret : tree.all_secrets()) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "a key in " << where;
    const std::string tail = secret.substr(secret.size() - 12);
    EXPECT_EQ(text.find(tail), std::string::npos) << "the end of a key in " << where;
  }
}

const std::vector<std::string> kSkipFlags = {"--exclude", "vendor/*",        "--exclude",
                                             "*.min.js",  "--max-file-size", "10K"};

TEST(ScanCommand, FindsTheKeysAndNothingElse) {
  ScanTree tree;
  std::vector<std::string> args = kSkipFlags;
  args.push_back("--json");
  const RunResult run = run_scan(args, tree.root);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const nlohmann::json doc = parsed(run);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["tool"], "devops-monitor");
  EXPECT_EQ(doc["paths"], nlohmann::json::array({"."}));
  EXPECT_TRUE(doc["scanned_at"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(doc["files_scanned"], 3);  // src/app.env, docs/placeholders.md, docs/allowed.md
  ASSERT_EQ(doc["findings"].size(), tree.keys.size()) << doc.dump(2);
  for (std::size_t i = 0; i < tree.keys.size(); ++i) {
    const nlohmann::json& finding = doc["findings"][i];
    SCOPED_TRACE(tree.keys[i].rule);
    EXPECT_EQ(finding["file"], "src/app.env");
    EXPECT_EQ(finding["line"], i + 2);
    EXPECT_EQ(finding["column"], ("KEY_" + std::to_string(i) + "=").size() + 1);
    EXPECT_EQ(finding["rule"], tree.keys[i].rule);
    EXPECT_EQ(finding["kind"], tree.keys[i].kind);
    EXPECT_TRUE(finding["provider"].is_string());
    EXPECT_EQ(finding["verification"], "not_checked");
    const std::string fingerprint = finding["fingerprint"];
    EXPECT_EQ(fingerprint.size(), 8u);
    const std::string redacted = finding["redacted"];
    EXPECT_TRUE(redacted.ends_with("…")) << redacted;
    if (tree.keys[i].kind != "private-key") {
      EXPECT_TRUE(tree.keys[i].key.starts_with(redacted.substr(0, redacted.size() - 3)));
    }
  }
  ASSERT_EQ(doc["warnings"].size(), 1u) << doc["warnings"];
  EXPECT_EQ(doc["warnings"][0], "skipped big/large.txt: larger than 10240 bytes (--max-file-size)");
  EXPECT_EQ(run.err,
            "devops-monitor: warning: skipped big/large.txt: larger than 10240 bytes "
            "(--max-file-size)\n");
}

TEST(ScanCommand, WithoutExcludesTheExcludedFilesAreFoundButGitBinariesAndSymlinksNever) {
  ScanTree tree;
  const RunResult run = run_scan({}, tree.root);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  std::set<std::string> files;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) files.insert(line.substr(0, line.find(':')));
  EXPECT_EQ(files, (std::set<std::string>{"big/large.txt", "src/app.env", "vendor/lib.js",
                                          "web/app.min.js"}));
  EXPECT_EQ(run.err, "");
  // A symlink that is named is followed: the user asked for that file.
  const RunResult named = run_scan({"linked.env"}, tree.root);
  EXPECT_EQ(named.exit_code, 1);
  EXPECT_TRUE(named.out.starts_with("linked.env:1:7 github ghp_")) << named.out;
}

TEST(ScanCommand, NoKeyInAnyOutput) {
  ScanTree tree;
  for (const std::vector<std::string>& format :
       {std::vector<std::string>{}, {"--json"}, {"--sarif"}}) {
    std::vector<std::string> args = format;
    const RunResult run = run_scan(args, tree.root);
    EXPECT_EQ(run.exit_code, 1);
    expect_no_secret(tree, "stdout", run.out);
    expect_no_secret(tree, "stderr", run.err);
  }
}

TEST(ScanCommand, Sarif) {
  ScanTree tree;
  const RunResult run = run_scan({"--sarif", "src"}, tree.root);
  EXPECT_EQ(run.exit_code, 1);
  const nlohmann::json doc = parsed(run);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["version"], "2.1.0");
  const nlohmann::json& results = doc["runs"][0]["results"];
  ASSERT_EQ(results.size(), tree.keys.size());
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/app.env");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
}

TEST(ScanCommand, ExitStatuses) {
  TempDir clean;
  write_text(clean / "README.md", "Set OPENAI_API_KEY=sk-... in .env\n");
  const RunResult ok = run_scan({}, clean.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "");
  const RunResult ok_json = run_scan({"--json"}, clean.path());
  EXPECT_EQ(ok_json.exit_code, 0);
  EXPECT_EQ(parsed(ok_json)["findings"], nlohmann::json::array());

  const RunResult missing = run_scan({"README.md", "no-such-dir"}, clean.path());
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "devops-monitor: cannot scan: No such file or directory (no-such-dir)\n");

  const RunResult bad_size = run_scan({"--max-file-size", "12Q"}, clean.path());
  EXPECT_EQ(bad_size.exit_code, 3);
  EXPECT_NE(bad_size.err.find("invalid size"), std::string::npos) << bad_size.err;
  EXPECT_NE(bad_size.err.find("(--max-file-size)"), std::string::npos) << bad_size.err;

  const RunResult both = run_scan({"--json", "--sarif"}, clean.path());
  EXPECT_EQ(both.exit_code, 3);

  const RunResult bad_flag = run_scan({"--no-such-flag"}, clean.path());
  EXPECT_EQ(bad_flag.exit_code, 3);

  write_text(clean / "config.toml", "[providers.acme]\nkey_pattern = \"ab[0-9]{30}\"\n");
  const RunResult bad_config =
      run_scan({"--config", (clean / "config.toml").string()}, clean.path());
  EXPECT_EQ(bad_config.exit_code, 3);
  EXPECT_NE(bad_config.err.find("providers.acme.key_pattern must start with at least 3 literal"),
            std::string::npos)
      << bad_config.err;
  EXPECT_NE(bad_config.err.find("config.toml:2:15)"), std::string::npos) << bad_config.err;
}

TEST(ScanCommand, HelpDescribesTheCommand) {
  TempDir dir;
  const RunResult help = run_scan({"--help"}, dir.path());
  EXPECT_EQ(help.exit_code, 0);
  for (const char* text : {"--max-file-size", "--exclude", "--sarif", "--verify",
                           "devops-monitor:allow", "not\nfollowed", "Exit status"}) {
    EXPECT_NE(help.out.find(text), std::string::npos) << text;
  }
}

TEST(ScanCommand, UnreadableFilesAreWarningsAndTheScanGoesOn) {
  ScanTree tree;
  const fs::path locked = tree.root / "src/locked.env";
  write_text(locked, "TOKEN=" + tree.key_outside + "\n");
  ::chmod(locked.c_str(), 0);
  RunOptions options;
  options.args = {"scan", "--json", "src"};
  options.cwd = tree.root;
  options.as_nobody = true;  // when root: permissions apply
  const RunResult run = run_process(monitor_binary(), options);
  // Warnings do not change the status: 1 because app.env's keys were still found.
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err, "devops-monitor: warning: cannot read src/locked.env: Permission denied\n");
  EXPECT_EQ(parsed(run)["warnings"][0], "cannot read src/locked.env: Permission denied");
}

// ---- --verify -------------------------------------------------------------------------------

TEST(ScanVerify, LiveDeadUnknownAndNotChecked) {
  MonitorWorld world;
  std::mt19937 rng(5);
  const std::string acme_key =
      "acme_" + random_chars(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 32);
  const std::vector<TestKey> keys = generated_keys(77);
  const std::string openai_key = keys[0].key;  // openai-project-key
  const std::string google_key = keys[7].key;  // google-api-key
  const std::string aws_key = keys[10].key;    // aws-access-key-id
  ASSERT_EQ(keys[7].kind, "google");
  world.answer("openai",
               FakeResponse{.status = 401, .body = provider_fixture("openai", "invalid")});
  world.answer("google", FakeResponse{.status = 503, .body = "{}"});
  world.server.on("/acme/v1/models", FakeResponse{});
  world.write_config(
      "", {{"moonshot",
            "\n[providers.acme]\nname = \"Acme AI\"\nenv_var = "
            "\"ACME_API_KEY\"\ntest_endpoint = \"" +
                world.server.url("/acme/v1/models") + "\"\nkey_pattern = \"acme_[a-z0-9]{32}\""}});
  const fs::path tree = world.dir / "tree";
  fs::create_directories(tree);
  write_text(tree / "keys.env", "ACME_API_KEY=" + acme_key + "\nOPENAI_API_KEY=" + openai_key +
                                    "\nOLD_OPENAI=" + openai_key + "\nGOOGLE_API_KEY=" +
                                    google_key + "\nAWS_ACCESS_KEY_ID=" + aws_key + "\n");
  RunOptions options;
  options.args = {"scan", "--json", "--verify", "--config", world.config_file.string(), "tree"};
  options.cwd = world.dir.path();
  const RunResult run = run_process(monitor_binary(), options);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const nlohmann::json doc = parsed(run);
  ASSERT_EQ(doc["findings"].size(), 5u) << run.out << run.err;
  std::vector<std::string> verdicts;
  for (const nlohmann::json& finding : doc["findings"]) verdicts.push_back(finding["verification"]);
  EXPECT_EQ(verdicts, (std::vector<std::string>{"live", "dead", "dead", "unknown", "not_checked"}));
  EXPECT_EQ(doc["findings"][0]["kind"], "acme");
  EXPECT_EQ(doc["findings"][0]["provider"], "Acme AI");
  EXPECT_EQ(doc["findings"][0]["rule"], "acme-key");
  // One request per distinct key (the OpenAI key is there twice), each to its own provider.
  EXPECT_EQ(world.server.request_count("/acme/v1/models"), 1u);
  EXPECT_EQ(world.server.request_count(world.route("openai")), 1u);
  EXPECT_GE(world.server.request_count(world.route("google")), 1u);  // 503 is retried once
  for (const RecordedRequest& request : world.server.requests()) {
    if (request.path == "/acme/v1/models") {
      EXPECT_EQ(request.headers.find("Authorization")->second, "Bearer " + acme_key);
    }
  }
  for (const std::string& key : {acme_key, openai_key, google_key, aws_key}) {
    EXPECT_EQ(run.out.find(key), std::string::npos);
    EXPECT_EQ(run.err.find(key), std::string::npos);
  }
}

TEST(ScanVerify, WithoutVerifyNoRequestIsMade) {
  MonitorWorld world;
  const std::vector<TestKey> keys = generated_keys(78);
  const fs::path tree = world.dir / "tree";
  fs::create_directories(tree);
  write_text(tree / "keys.env", "OPENAI_API_KEY=" + keys[0].key + "\n");
  RunOptions options;
  options.args = {"scan", "--json", "--config", world.config_file.string(), "tree"};
  options.cwd = world.dir.path();
  const RunResult run = run_process(monitor_binary(), options);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(world.server.requests().size(), 0u);
  EXPECT_EQ(parsed(run)["findings"][0]["verification"], "not_checked");
}

// ---- what --verify may send, and to whom ------------------------------------------------------

/// `scan --json --verify` of `tree` below the world's directory, with the world's config.
RunResult scan_verify_run(MonitorWorld& world, const std::vector<std::string>& extra = {}) {
  RunOptions options;
  options.args = {"scan", "--json", "--verify", "--config", world.config_file.string(), "tree"};
  options.args.insert(options.args.end(), extra.begin(), extra.end());
  options.cwd = world.dir.path();
  return run_process(monitor_binary(), options);
}

/// A tree with one key of Moonshot's shape (sk- + 48, which other services issue too) and one
/// of OpenRouter's.
void scan_write_shared_shape_tree(const MonitorWorld& world, unsigned seed) {
  const std::vector<TestKey> keys = generated_keys(seed);
  ASSERT_EQ(keys[9].rule, "moonshot-api-key");
  ASSERT_EQ(keys[6].rule, "openrouter-api-key");
  fs::create_directories(world.dir / "tree");
  write_text(world.dir / "tree/keys.env",
             "SOME_KEY=" + keys[9].key + "\nOPENROUTER_API_KEY=" + keys[6].key + "\n");
}

bool scan_warned(const RunResult& run, const std::string& words) {
  return run.err.find(words) != std::string::npos;
}

TEST(ScanVerify, ADisabledProviderIsNeverSentAKey) {
  MonitorWorld world;
  scan_write_shared_shape_tree(world, 81);
  world.write_config("", {{"moonshot", "enabled = false"}, {"openrouter", "enabled = false"}});
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--verify-ambiguous"}}) {
    const RunResult run = scan_verify_run(world, extra);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_EQ(world.server.request_count(world.route("moonshot")), 0u) << run.err;
    EXPECT_EQ(world.server.request_count(world.route("openrouter")), 0u) << run.err;
    const nlohmann::json doc = parsed(run);
    for (const nlohmann::json& finding : doc["findings"]) {
      EXPECT_EQ(finding["verification"], "not_checked");
    }
    EXPECT_TRUE(scan_warned(run, "1 key of OpenRouter not verified: the provider is disabled"))
        << run.err;
  }
}

TEST(ScanVerify, KeysOfProvidersWithoutACheckStayNotChecked) {
  MonitorWorld world;
  std::map<std::string, std::string> by_rule;
  for (const TestKey& key : generated_keys(83)) by_rule.emplace(key.rule, key.key);
  fs::create_directories(world.dir / "tree");
  // DeepSeek's key under OpenAI's variable, as OpenAI-compatible clients carry it.
  write_text(world.dir / "tree/agent.env",
             "GROQ_API_KEY=" + by_rule.at("groq-api-key") + "\nOPENAI_API_KEY=" +
                 by_rule.at("deepseek-api-key") + "\nOPENAI_API_KEY=" + by_rule.at("xai-api-key") +
                 "\nOPENROUTER_API_KEY=" + by_rule.at("openrouter-api-key") + "\n");
  const RunResult run = scan_verify_run(world);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(world.server.request_count(world.route("openrouter")), 1u) << run.err;
  const nlohmann::json doc = parsed(run);
  ASSERT_EQ(doc["findings"].size(), 4u) << run.out;
  std::vector<std::string> kinds;
  for (const nlohmann::json& finding : doc["findings"]) {
    kinds.push_back(finding["kind"]);
    if (finding["kind"] != "openrouter") {
      EXPECT_EQ(finding["verification"], "not_checked");
    }
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"groq", "deepseek", "xai", "openrouter"}));
  EXPECT_TRUE(scan_warned(run,
                          "warning: 3 keys of providers without a check (Groq, xAI (Grok), "
                          "DeepSeek) were not verified\n"))
      << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

// A provider of the config with a scan-only provider's id takes over: its keys are verified,
// and the shape's ambiguity (DeepSeek's sk- + 32 hex is DashScope's too) still holds.
TEST(ScanVerify, AConfiguredProviderOfAScanOnlyIdIsVerifiedWhenItsShapeIsAskedFor) {
  MonitorWorld world;
  std::string deepseek_key;
  for (const TestKey& key : generated_keys(84)) {
    if (key.rule == "deepseek-api-key") deepseek_key = key.key;
  }
  fs::create_directories(world.dir / "tree");
  write_text(world.dir / "tree/agent.env", "OPENAI_API_KEY=" + deepseek_key + "\n");
  world.write_config();
  write_text(world.config_file, read_text(world.config_file) +
                                    "[providers.deepseek]\nenv_var = \"DEEPSEEK_API_KEY\"\n"
                                    "test_endpoint = \"" +
                                    world.server.url(world.route("openai")) + "\"\n");
  const RunResult by_default = scan_verify_run(world);
  EXPECT_EQ(by_default.exit_code, 1) << by_default.err;
  EXPECT_EQ(world.server.request_count(world.route("openai")), 0u) << by_default.err;
  EXPECT_EQ(parsed(by_default)["findings"][0]["kind"], "deepseek");
  EXPECT_EQ(parsed(by_default)["findings"][0]["verification"], "not_checked");
  EXPECT_TRUE(scan_warned(by_default, "1 key of a shape other services issue too not sent to "))
      << by_default.err;
  EXPECT_FALSE(scan_warned(by_default, "without a check")) << by_default.err;

  const RunResult asked = scan_verify_run(world, {"--verify-ambiguous"});
  EXPECT_EQ(world.server.request_count(world.route("openai")), 1u) << asked.err;
  EXPECT_EQ(parsed(asked)["findings"][0]["verification"], "live") << asked.err;
}

TEST(ScanVerify, AKeyOfAShapeOtherServicesIssueIsSentOnlyWhenAsked) {
  MonitorWorld world;
  scan_write_shared_shape_tree(world, 82);
  const RunResult by_default = scan_verify_run(world);
  EXPECT_EQ(by_default.exit_code, 1) << by_default.err;
  EXPECT_EQ(world.server.request_count(world.route("moonshot")), 0u);
  EXPECT_EQ(world.server.request_count(world.route("openrouter")), 1u) << "its shape is its own";
  EXPECT_EQ(parsed(by_default)["findings"][0]["verification"], "not_checked");
  EXPECT_TRUE(scan_warned(by_default,
                          "1 key of a shape other services issue too not sent to "
                          "Moonshot AI for verification: --verify-ambiguous"))
      << by_default.err;

  const RunResult asked = scan_verify_run(world, {"--verify-ambiguous"});
  EXPECT_EQ(world.server.request_count(world.route("moonshot")), 1u) << asked.err;
  EXPECT_EQ(parsed(asked)["findings"][0]["verification"], "live");

  world.write_config("", {{"moonshot", "verify_ambiguous_keys = true"}});
  const RunResult configured = scan_verify_run(world);
  EXPECT_EQ(world.server.request_count(world.route("moonshot")), 2u) << configured.err;
  EXPECT_EQ(parsed(configured)["findings"][0]["verification"], "live");
}

TEST(ScanVerify, AtMostTheLimitOfKeysIsVerifiedPerRun) {
  MonitorWorld world;
  std::string env;
  for (unsigned seed = 0; seed < 60; ++seed) {
    env +=
        "OPENAI_API_KEY_" + std::to_string(seed) + "=" + generated_keys(1000 + seed)[0].key + "\n";
  }
  fs::create_directories(world.dir / "tree");
  write_text(world.dir / "tree/keys.env", env);
  const RunResult run = scan_verify_run(world);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(world.server.request_count(world.route("openai")), 50u) << "the default limit";
  EXPECT_TRUE(scan_warned(run,
                          "10 keys not verified: at most 50 are verified per run "
                          "(--verify-limit)"))
      << run.err;
  const nlohmann::json findings = parsed(run)["findings"];
  ASSERT_EQ(findings.size(), 60u);
  EXPECT_EQ(findings[49]["verification"], "live") << "the first ones found are verified";
  EXPECT_EQ(findings[50]["verification"], "not_checked");

  const RunResult five = scan_verify_run(world, {"--verify-limit", "5"});
  EXPECT_EQ(world.server.request_count(world.route("openai")), 55u) << five.err;
  EXPECT_TRUE(scan_warned(five, "55 keys not verified: at most 5 are")) << five.err;
}

TEST(ScanVerify, TheVerifyFlagsAreCheckedBeforeAnythingIsSent) {
  MonitorWorld world;
  scan_write_shared_shape_tree(world, 83);
  for (const std::vector<std::string>& flags : {std::vector<std::string>{"--verify-limit", "0"},
                                                std::vector<std::string>{"--verify-limit", "10001"},
                                                std::vector<std::string>{"--verify-limit", "5x"}}) {
    const RunResult run = scan_verify_run(world, flags);
    EXPECT_EQ(run.exit_code, 3) << run.err;
    EXPECT_EQ(run.err,
              "devops-monitor: invalid command line: must be a whole number from 1 to 10000 "
              "(--verify-limit)\n");
  }
  RunOptions options;
  options.args = {"scan", "--verify-ambiguous", "tree"};
  options.cwd = world.dir.path();
  const RunResult alone = run_process(monitor_binary(), options);
  EXPECT_EQ(alone.exit_code, 3);
  EXPECT_EQ(alone.err,
            "devops-monitor: invalid command line: --verify-ambiguous needs --verify (scan)\n");
  EXPECT_TRUE(world.server.requests().empty());
}

}  // namespace
}  // namespace devops_monitor::testing
