// Each provider's documented answers, served over real HTTP on 127.0.0.1, reach the right
// verdict in the report; each provider gets its key the way its API expects.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

const nlohmann::json& key_entry(const nlohmann::json& report, const std::string& id) {
  for (const auto& k : report["api_keys"]) {
    if (k["id"] == id) return k;
  }
  static const nlohmann::json none;
  ADD_FAILURE() << "no api_keys entry for " << id;
  return none;
}

std::string key_for(const std::string& id) {
  return "CANARY-" + id + "-not-a-real-key-0a1b2c3d";
}

// One run per kind of answer: every provider that has such an answer gives it at once.
TEST(Providers, DocumentedAnswersOverHttpGetTheirVerdicts) {
  std::map<std::string, std::vector<ProviderCase>> by_fixture;
  // One provider can have the same body under two statuses (OpenAI's missing scope: 401, 403).
  for (const ProviderCase& c : provider_cases()) {
    by_fixture[c.fixture + " " + std::to_string(c.status)].push_back(c);
  }
  ASSERT_GE(by_fixture.size(), 6u);
  for (const auto& [fixture, group] : by_fixture) {
    SCOPED_TRACE(fixture);
    MonitorWorld world;
    for (const std::string& id : builtin_ids()) world.set_key(id, key_for(id));
    for (const ProviderCase& c : group) {
      world.answer(c.provider,
                   {.status = c.status, .body = provider_fixture(c.provider, c.fixture)});
    }
    const RunResult run = world.check({"--check", "--json"});
    const nlohmann::json report = stdout_json(run);
    for (const ProviderCase& c : group) {
      const auto& k = key_entry(report, c.provider);
      EXPECT_EQ(k["state"], c.expected_state)
          << c.provider << "/" << c.fixture << ": " << k["error_message"];
      EXPECT_EQ(k["http_status"], c.status) << c.provider;
    }
    EXPECT_EQ(run.err.find("CANARY"), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("CANARY"), std::string::npos);
  }
}

TEST(Providers, AllKeysValidIsHealthyWithEveryProviderInPriorityOrder) {
  MonitorWorld world({.cpu_percent = 10, .memory_percent = 30});
  for (const std::string& id : builtin_ids()) world.set_key(id, key_for(id));
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json report = stdout_json(run);
  EXPECT_EQ(report["status"], "healthy");
  EXPECT_EQ(report["provider_fallback_order"], nlohmann::json(builtin_ids()));
  for (const auto& k : report["api_keys"]) {
    EXPECT_EQ(k["state"], "valid");
    EXPECT_EQ(k["key_valid"], true);
    EXPECT_EQ(k["error_message"], "API key is valid");
    EXPECT_TRUE(k["latency_ms"].is_number());
    EXPECT_EQ(k["key_fingerprint"].get<std::string>().size(), 8u);
  }
  EXPECT_EQ(report["recommendations"], nlohmann::json({"System is healthy - continue monitoring"}));
}

TEST(Providers, EachProviderReceivesTheKeyTheWayItsApiExpectsAndNeverInTheUrl) {
  MonitorWorld world;
  for (const std::string& id : builtin_ids()) world.set_key(id, key_for(id));
  const RunResult run = world.check({"--check", "--json"});
  ASSERT_LE(run.exit_code, 2) << run.err;
  std::map<std::string, RecordedRequest> seen;
  for (const RecordedRequest& r : world.server.requests()) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target.find("CANARY"), std::string::npos) << "key in URL: " << r.target;
    if (r.path == MonitorWorld::balance_route()) continue;  // checked below
    seen[r.path.substr(1, r.path.find('/', 1) - 1)] = r;
  }
  ASSERT_EQ(seen.size(), 6u);
  auto header = [](const RecordedRequest& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
  };
  for (const char* id : {"together", "openai", "openrouter", "moonshot"}) {
    EXPECT_EQ(header(seen[id], "Authorization"), "Bearer " + key_for(id)) << id;
  }
  EXPECT_EQ(header(seen["anthropic"], "x-api-key"), key_for("anthropic"));
  EXPECT_EQ(header(seen["anthropic"], "anthropic-version"), "2023-06-01");
  EXPECT_EQ(header(seen["anthropic"], "Authorization"), "");
  EXPECT_EQ(header(seen["google"], "x-goog-api-key"), key_for("google"));
  EXPECT_EQ(header(seen["google"], "Authorization"), "");
  // One request per key and Moonshot's balance read, no second round (one page each).
  EXPECT_EQ(world.server.requests().size(), 7u);
  ASSERT_EQ(world.server.request_count(MonitorWorld::balance_route()), 1u);
  for (const RecordedRequest& r : world.server.requests()) {
    if (r.path == MonitorWorld::balance_route()) {
      EXPECT_EQ(header(r, "Authorization"), "Bearer " + key_for("moonshot"));
    }
  }
}

TEST(Providers, MissingKeysMakeNoRequest) {
  MonitorWorld world;
  world.set_key("anthropic", key_for("anthropic"));
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  EXPECT_EQ(world.server.requests().size(), 1u);
  EXPECT_EQ(key_entry(report, "openai")["state"], "missing");
  EXPECT_EQ(key_entry(report, "openai")["key_present"], false);
  EXPECT_TRUE(key_entry(report, "openai")["key_valid"].is_null());
  EXPECT_EQ(key_entry(report, "anthropic")["state"], "valid");
  // One usable provider: asked to configure a backup.
  bool backup_advice = false;
  for (const auto& r : report["recommendations"]) {
    backup_advice |= r.get<std::string>().find("configure a backup provider") != std::string::npos;
  }
  EXPECT_TRUE(backup_advice);
}

TEST(Providers, ChecksRunConcurrently) {
  MonitorWorld world;
  for (const std::string& id : builtin_ids()) {
    world.set_key(id, key_for(id));
    world.answer(id, {.body = provider_fixture(id, "valid"), .delay = milliseconds(1000)});
  }
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // Seen from the stand-in, not a clock: with each answer held for a second, the requests were
  // being answered at the same moment (one after another would be 1). Not all seven are
  // required: the stand-in's listen backlog is 5, and on a loaded machine the kernel may delay
  // a connection by a second.
  EXPECT_GE(world.server.max_in_flight(), 4u) << "the checks did not overlap";
}

TEST(Providers, CustomProviderFromConfigIsChecked) {
  MonitorWorld world;
  world.server.on("/custom/v1/test", {.status = 401, .body = R"({"error":"bad key"})"});
  world.write_config(
      "[providers.custom]\nname = \"Custom Provider\"\nenv_var = \"CUSTOM_API_KEY\"\n"
      "test_endpoint = \"" +
      world.server.url("/custom/v1/test") +
      "\"\n"
      "auth = \"header:X-Custom-Key\"\nheaders = { X-Extra = \"yes\" }\n");
  world.env["CUSTOM_API_KEY"] = "CANARY-custom-not-a-real-key";
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  const auto& custom = key_entry(report, "custom");
  EXPECT_EQ(custom["provider"], "Custom Provider");
  EXPECT_EQ(custom["state"], "invalid");
  bool named = false;
  for (const auto& issue : report["issues_found"])
    named |= issue == "Custom Provider API key is invalid";
  EXPECT_TRUE(named) << report["issues_found"];
  const auto requests = world.server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.find("X-Custom-Key")->second, "CANARY-custom-not-a-real-key");
  EXPECT_EQ(requests[0].headers.find("X-Extra")->second, "yes");
}

TEST(Providers, DisabledProviderIsLeftOut) {
  MonitorWorld world;
  world.write_config("", {{"openai", "enabled = false"}});
  world.set_key("openai", key_for("openai"));
  const nlohmann::json report = stdout_json(world.check({"--check", "--json"}));
  for (const auto& k : report["api_keys"]) EXPECT_NE(k["id"], "openai");
  EXPECT_EQ(world.server.requests().size(), 0u);
}

}  // namespace
}  // namespace devops_monitor::testing
