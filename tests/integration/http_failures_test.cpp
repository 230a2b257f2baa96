// What the network can do to a key check, over real HTTP on 127.0.0.1: a provider outage
// is never a bad key, and every failure is explained.
#include <gtest/gtest.h>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

const std::string kFailuresKey = "CANARY-openai-not-a-real-key-5e6f7a8b";

/// Runs a check where only OpenAI has a key and returns its api_keys entry.
nlohmann::json openai_entry(MonitorWorld& world, const std::vector<std::string>& extra = {}) {
  world.set_key("openai", kFailuresKey);
  std::vector<std::string> args{"--check", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const RunResult run = world.check(args);
  EXPECT_EQ(run.exit_code, 1) << "an unverifiable key is a warning\n" << run.err;
  const nlohmann::json report = stdout_json(run);
  for (const auto& k : report["api_keys"]) {
    if (k["id"] == "openai") return k;
  }
  ADD_FAILURE() << "no openai entry";
  return {};
}

std::string message(const nlohmann::json& entry) {
  return entry["error_message"].get<std::string>();
}

TEST(HttpFailures, HangingProviderIsCutOffAtTheTimeout) {
  MonitorWorld world;
  world.answer("openai", {.hang = true});
  const auto started = std::chrono::steady_clock::now();
  const nlohmann::json k = openai_entry(world, {"--timeout", "700ms"});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_TRUE(k["key_valid"].is_null());
  EXPECT_NE(message(k).find("no answer from 127.0.0.1 within 700ms"), std::string::npos)
      << message(k);
  // Generous for sanitizers on a loaded machine; the hang itself would last a minute.
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(elapsed).count(), 6000);
}

TEST(HttpFailures, ConnectionRefusedIsRetriedOnceThenUnknown) {
  MonitorWorld world;
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1/models";
  write_text(world.config_file, "[providers.openai]\ntest_endpoint = \"" + url + "\"\n");
  const nlohmann::json k = openai_entry(world);
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_NE(message(k).find("cannot connect to 127.0.0.1"), std::string::npos) << message(k);
  EXPECT_NE(message(k).find("(after 2 attempts)"), std::string::npos) << message(k);
}

TEST(HttpFailures, AnswerCutOffMidBodyIsRetriedThenUnknown) {
  MonitorWorld world;
  world.answer("openai",
               {.status = 200, .body = provider_fixture("openai", "valid"), .cut_mid_body = true});
  const nlohmann::json k = openai_entry(world);
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_NE(message(k).find("broke off"), std::string::npos) << message(k);
  EXPECT_EQ(world.server.request_count(world.route("openai")), 2u);
}

TEST(HttpFailures, ServiceUnavailableThenSuccessCountsAsValid) {
  MonitorWorld world;
  world.server.on_sequence(world.route("openai"),
                           {{.status = 503, .body = provider_fixture("openai", "overloaded")},
                            {.status = 200, .body = provider_fixture("openai", "valid")}});
  world.set_key("openai", kFailuresKey);
  const nlohmann::json report = stdout_json(world.check({"--check", "--json"}));
  EXPECT_EQ(report["api_keys"][1]["id"], "openai");
  EXPECT_EQ(report["api_keys"][1]["state"], "valid");
  EXPECT_EQ(world.server.request_count(world.route("openai")), 2u);
}

TEST(HttpFailures, InternalServerErrorIsUnknownAndNotRetried) {
  MonitorWorld world;
  world.answer("openai",
               {.status = 500, .body = R"({"error":{"message":"The server had an error"}})"});
  const nlohmann::json k = openai_entry(world);
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_EQ(k["http_status"], 500);
  EXPECT_NE(message(k).find("HTTP 500"), std::string::npos) << message(k);
  EXPECT_EQ(world.server.request_count(world.route("openai")), 1u);
}

TEST(HttpFailures, NonJsonBodiesAreJudgedByStatus) {
  MonitorWorld world;
  world.answer("openai", {.status = 502, .body = "<html><body>Bad Gateway</body></html>"});
  const nlohmann::json k = openai_entry(world);
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_EQ(k["http_status"], 502);

  MonitorWorld other;
  other.answer("openai", {.status = 401, .body = "<html>Unauthorized</html>"});
  other.set_key("openai", kFailuresKey);
  const nlohmann::json report = stdout_json(other.check({"--check", "--json"}));
  EXPECT_EQ(report["api_keys"][1]["state"], "invalid");
}

TEST(HttpFailures, BodyOverTheCapIsNotReadToTheEnd) {
  MonitorWorld world;
  constexpr std::size_t kAnswer = 256u * 1024 * 1024;
  world.answer("openai", {.status = 200, .body_bytes = kAnswer});
  world.set_key("openai", kFailuresKey);
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  // The status line proved the key; the rest of the answer was never needed.
  EXPECT_EQ(report["api_keys"][1]["state"], "valid");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  world.server.stop();
  // The client hung up after the 1 MiB cap: the server could hand over that plus what the
  // kernel's socket buffers hold, nowhere near the whole answer.
  EXPECT_GT(world.server.streamed_bytes(), 0u);
  EXPECT_LT(world.server.streamed_bytes(), kAnswer / 4) << "the answer was read to the end";
}

TEST(HttpFailures, RedirectIsNotFollowedAndNamesTheTarget) {
  MonitorWorld world;
  world.answer(
      "openai",
      {.status = 302, .body = "", .headers = {{"Location", "https://login.example.test/next"}}});
  const nlohmann::json k = openai_entry(world);
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_NE(message(k).find("redirected to login.example.test (HTTP 302)"), std::string::npos)
      << message(k);
  EXPECT_EQ(world.server.requests().size(), 1u);
}

TEST(HttpFailures, PlainHttpToAnotherHostIsRefusedWithoutSending) {
  MonitorWorld world;
  write_text(world.config_file,
             "[providers.openai]\ntest_endpoint = \"http://api.example.test/v1/models\"\n");
  const nlohmann::json k = openai_entry(world);
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_NE(message(k).find("refusing plain http to api.example.test"), std::string::npos)
      << message(k);
}

TEST(HttpFailures, LoopbackHttpIsNeverSentThroughAProxy) {
  MonitorWorld world;
  const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(closed_port());
  for (const char* name : {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"})
    world.env[name] = dead_proxy;
  world.set_key("openai", kFailuresKey);
  const nlohmann::json report = stdout_json(world.check({"--check", "--json"}));
  EXPECT_EQ(report["api_keys"][1]["state"], "valid") << report["api_keys"][1]["error_message"];
  EXPECT_EQ(world.server.request_count(world.route("openai")), 1u);
}

TEST(HttpFailures, HttpsHonoursTheProxyEnvironment) {
  MonitorWorld world;
  // With a proxy set, curl connects to it instead of resolving the provider's host itself:
  // a dead proxy on loopback turns "cannot resolve" into "cannot connect to proxy".
  const int port = closed_port();
  world.env["https_proxy"] = "http://127.0.0.1:" + std::to_string(port);
  write_text(world.config_file,
             "[providers.openai]\ntest_endpoint = \"https://api.example.test/v1/models\"\n");
  const nlohmann::json k = openai_entry(world, {"--timeout", "2s"});
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_NE(message(k).find("cannot connect to proxy 127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << message(k);
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    const RunResult made = make_loopback_certificate(dir.path());
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  TempDir dir;
};

TEST_F(Tls, UntrustedCertificateIsUnknownNotValid) {
  FakeProviderServer https(std::chrono::seconds(60),
                           TlsFiles{(dir / "cert.pem").string(), (dir / "key.pem").string()});
  https.on("/v1/models", {.body = provider_fixture("openai", "valid")});
  MonitorWorld world;
  write_text(world.config_file,
             "[providers.openai]\ntest_endpoint = \"" + https.url("/v1/models") + "\"\n");
  const nlohmann::json k = openai_entry(world);
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_NE(message(k).find("TLS failure with 127.0.0.1"), std::string::npos) << message(k);
}

TEST_F(Tls, ConfiguredCaBundleIsTrusted) {
  FakeProviderServer https(std::chrono::seconds(60),
                           TlsFiles{(dir / "cert.pem").string(), (dir / "key.pem").string()});
  https.on("/v1/models", {.body = provider_fixture("openai", "valid")});
  MonitorWorld world;
  write_text(world.config_file, "ca_bundle = \"" + (dir / "cert.pem").string() +
                                    "\"\n[providers.openai]\ntest_endpoint = \"" +
                                    https.url("/v1/models") + "\"\n");
  world.set_key("openai", kFailuresKey);
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  EXPECT_EQ(report["api_keys"][1]["state"], "valid") << report["api_keys"][1]["error_message"];
}

}  // namespace
}  // namespace devops_monitor::testing
