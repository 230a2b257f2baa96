// Canary keys must never come out: not on stdout or stderr, not in reports, not in URLs,
// not even when a provider's error body repeats the key whole or in part.
#include <gtest/gtest.h>

#include <cstdio>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

struct Canary {
  std::string id;
  std::string key;
};

std::vector<Canary> canaries() {
  std::vector<Canary> out;
  for (const std::string& id : builtin_ids()) {
    out.push_back({id, "CANARY" + id + "Zq8Xw3Vr7Ty6Ui5Op4As2Df1Gh9Jk"});
  }
  return out;
}

/// Pieces that must not appear: the key, its second half, its last ten characters.
std::vector<std::string> pieces_of(const std::string& key) {
  return {key, key.substr(key.size() / 2), key.substr(key.size() - 10)};
}

void expect_nowhere(const std::string& where, const std::string& text) {
  for (const Canary& c : canaries()) {
    for (const std::string& piece : pieces_of(c.key)) {
      EXPECT_EQ(text.find(piece), std::string::npos)
          << "key material of " << c.id << " in " << where;
    }
  }
}

void expect_no_leak(const RunResult& run, const MonitorWorld& world) {
  expect_nowhere("stdout", run.out);
  expect_nowhere("stderr", run.err);
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(world.dir.path(), ec)) {
    if (!entry.is_regular_file()) continue;
    if (entry.path() == world.config_file || entry.path().filename() == ".env") continue;
    expect_nowhere(entry.path().string(), read_text(entry.path()));
  }
  for (const RecordedRequest& r : world.server.requests())
    expect_nowhere("URL " + r.target, r.target);
}

/// Error bodies that echo the key the ways providers do: whole, masked, as a label, in a URL.
std::string echoing_body(const std::string& key) {
  const std::string masked = key.substr(0, 8) + "****************" + key.substr(key.size() - 4);
  return R"({"error":{"message":"Incorrect API key provided: )" + masked + R"(. Key )" + key +
         R"( rejected","type":"invalid_request_error","code":"invalid_api_key",)" +
         R"("debug":"https://example.test/keys/)" + key + R"(?k=)" + key.substr(6) + R"("}})";
}

TEST(Secrets, ErrorBodiesThatEchoTheKeyAreRedactedEverywhere) {
  MonitorWorld world;
  for (const Canary& c : canaries()) {
    world.set_key(c.id, c.key);
    world.answer(c.id, {.status = 401, .body = echoing_body(c.key)});
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--check", "--json"}, std::vector<std::string>{"--check"}}) {
    const RunResult run = world.check(args);
    EXPECT_EQ(run.exit_code, 2) << run.err;  // every key invalid
    expect_no_leak(run, world);
  }
  // The redacted provider words are still there to help the user.
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_NE(run.out.find("Incorrect API key provided: [REDACTED]"), std::string::npos) << run.out;
}

TEST(Secrets, KeysSpelledWithJsonEscapesAreRedactedToo) {
  // Every character a \u escape: the bytes never show the key, the decoded message would.
  auto escaped = [](const std::string& key) {
    std::string out;
    for (const char c : key) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));
      out += buffer;
    }
    return out;
  };
  MonitorWorld world;
  for (const Canary& c : canaries()) {
    world.set_key(c.id, c.key);
    world.answer(c.id, {.status = 401,
                        .body = R"({"error":{"message":"Incorrect API key provided: )" +
                                escaped(c.key) + R"(","code":"invalid_api_key"}})"});
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--check", "--json"}, std::vector<std::string>{"--check"}}) {
    const RunResult run = world.check(args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    expect_no_leak(run, world);
    EXPECT_NE(run.out.find("Incorrect API key provided: [REDACTED]"), std::string::npos) << run.out;
  }
}

TEST(Secrets, SuccessBodiesThatDescribeTheKeyAreRedactedToo) {
  MonitorWorld world;
  for (const Canary& c : canaries()) {
    world.set_key(c.id, c.key);
    // OpenRouter's /key answer carries a label copied from the key.
    world.answer(c.id, {.status = 200,
                        .body = R"({"data":{"label":")" + c.key.substr(0, 12) + "..." +
                                c.key.substr(c.key.size() - 4) + R"(","limit":null}})"});
  }
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  expect_no_leak(run, world);
}

TEST(Secrets, TransportErrorsAndRefusalsDoNotCarryTheKey) {
  MonitorWorld world;
  std::string toml;
  for (const Canary& c : canaries()) {
    world.set_key(c.id, c.key);
    toml += "[providers." + c.id +
            "]\ntest_endpoint = \"http://127.0.0.1:" + std::to_string(closed_port()) + "/" + c.key +
            "\"\n";
  }
  // A key pasted into a URL by mistake is the user's config, but still never echoed back.
  write_text(world.config_file, toml);
  const RunResult run = world.check({"--check", "--json", "--timeout", "1s"});
  EXPECT_EQ(run.exit_code, 1) << "every key unverifiable is a warning\n" << run.err;
  const nlohmann::json report = stdout_json(run);
  ASSERT_EQ(report["api_keys"].size(), canaries().size()) << run.out;
  for (const auto& key : report["api_keys"]) {
    EXPECT_EQ(key["state"], "unknown") << key.dump();
    EXPECT_NE(key["error_message"].get<std::string>().find("cannot connect to 127.0.0.1"),
              std::string::npos)
        << key.dump();
  }
  expect_nowhere("stdout", run.out);
  expect_nowhere("stderr", run.err);
}

TEST(Secrets, MalformedEnvFileLinesAreNeverQuoted) {
  MonitorWorld world;
  const std::string key = canaries()[1].key;
  write_text(world.dir / ".env",
             "OPENAI_API_KEY=\"" + key + "\n" + key + "\nexport =" + key + "\n");
  const RunResult run =
      world.check({"--check", "--json", "--env-file", (world.dir / ".env").string()});
  EXPECT_EQ(run.exit_code, 1) << "no key configured is a warning\n" << run.err;
  EXPECT_TRUE(stdout_json(run).is_object());
  EXPECT_NE(run.err.find(".env:1"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(".env:3"), std::string::npos) << run.err;
  expect_nowhere("stderr", run.err);
  expect_nowhere("stdout", run.out);
}

TEST(Secrets, KeyPastedAsANameIsNeverQuoted) {
  // "sk-live-...='": a key with an unclosed quote, on a line of its own.
  MonitorWorld world;
  const std::string key = "sk-live-" + canaries()[1].key;
  write_text(world.dir / ".env", key + "='\nOPENAI_API_KEY=x\n" + key + "=\"v\" tail\n");
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_NE(run.err.find("the value of the variable has no closing quote (.env:1)"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("unexpected text after the closing quote of the variable (.env:3)"),
            std::string::npos)
      << run.err;
  expect_nowhere("stderr", run.err);
  expect_nowhere("stdout", run.out);
}

TEST(Secrets, ReportCarriesOnlyAFingerprint) {
  MonitorWorld world;
  world.set_key("openai", canaries()[1].key);
  const nlohmann::json report = stdout_json(world.check({"--check", "--json"}));
  const std::string fp = report["api_keys"][1]["key_fingerprint"];
  EXPECT_EQ(fp.size(), 8u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace devops_monitor::testing
