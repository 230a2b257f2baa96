// Webhook delivery over real HTTP on 127.0.0.1: one call per check, the retry, the timeout,
// and the secrets that must never show.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "assess/transitions.hpp"
#include "devops_monitor/report_json.hpp"
#include "notify/notice.hpp"
#include "notify/webhook.hpp"
#include "support/fake_provider.hpp"
#include "support/fixtures.hpp"
#include "support/monitor_world.hpp"

namespace devops_monitor::notify {
namespace {

using testing::FakeProviderServer;
using testing::FakeResponse;

const std::string kHookSecret = "CANARY-hook-secret-9f8e7d";

Report hook_report(Status cpu, Status memory) {
  Report report;
  report.status = worse(cpu, memory);
  report.host = "build-3";
  report.timestamp = "2026-11-25T10:00:00+00:00";
  report.system_health.cpu_status = cpu;
  report.system_health.memory_status = memory;
  report.api_keys.push_back(testing::openai_key_in_state(KeyState::valid));
  report.issues_found = {"High CPU usage: 97.0%"};
  return report;
}

Notice changed_notice() {
  const Report before = hook_report(Status::healthy, Status::healthy);
  const Report after = hook_report(Status::critical, Status::warning);
  return notice_from(after, transitions(&before, after));
}

TEST(WebhookDelivery, OneCallPerCheckWithEveryChangedComponent) {
  FakeProviderServer server;
  server.on("/hook", FakeResponse{.status = 200, .body = "ok"});
  auto notifier = make_webhook_notifier({.url = server.url("/hook")}, "webhooks[0]");
  const Result<void> sent = notifier->send(changed_notice());
  ASSERT_TRUE(sent.ok()) << sent.error().message();
  ASSERT_EQ(server.request_count("/hook"), 1u);
  const testing::RecordedRequest request = server.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  const nlohmann::json body = nlohmann::json::parse(request.body);
  std::vector<std::string> components;
  for (const auto& change : body["changes"]) components.push_back(change["component"]);
  EXPECT_EQ(components, (std::vector<std::string>{"overall", "cpu", "memory"}));
  EXPECT_EQ(body["status"], "critical");
}

TEST(WebhookDelivery, SlackFormatPostsOneTextMessage) {
  FakeProviderServer server;
  server.on("/slack", FakeResponse{.status = 200, .body = "ok"});
  auto notifier = make_webhook_notifier(
      {.url = server.url("/slack"), .format = WebhookFormat::slack}, "webhooks[0]");
  ASSERT_TRUE(notifier->send(changed_notice()).ok());
  ASSERT_EQ(server.request_count("/slack"), 1u);
  const nlohmann::json body = nlohmann::json::parse(server.requests().at(0).body);
  const std::string text = body["text"];
  EXPECT_NE(text.find("cpu: healthy → critical"), std::string::npos) << text;
  EXPECT_NE(text.find("memory: healthy → warning"), std::string::npos) << text;
}

TEST(WebhookDelivery, A500IsRetriedOnceThenAnErrorWithoutTheSecret) {
  FakeProviderServer server;
  const std::string path = "/services/" + kHookSecret;
  server.on(path, FakeResponse{.status = 500, .body = "boom at " + path});
  auto notifier = make_webhook_notifier({.url = server.url(path)}, "webhooks[0]");
  const Result<void> sent = notifier->send(changed_notice());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(server.request_count(path), 2u);
  const std::string message = sent.error().message();
  EXPECT_NE(message.find("HTTP 500 after 2 attempts"), std::string::npos) << message;
  EXPECT_EQ(sent.error().where, "webhooks[0]");
  EXPECT_EQ(message.find(kHookSecret), std::string::npos) << message;
}

TEST(WebhookDelivery, EachConfiguredWebhookGetsItsOwnNotifierAndLabel) {
  FakeProviderServer server;
  server.on("/ok", FakeResponse{.status = 200, .body = "ok"});
  server.on("/broken", FakeResponse{.status = 400, .body = "invalid_payload"});
  Settings settings;
  settings.webhooks = {{.url = server.url("/ok")},
                       {.url = server.url("/broken"), .format = WebhookFormat::slack}};
  const auto notifiers = webhook_notifiers(settings);
  ASSERT_EQ(notifiers.size(), 2u);
  const Notice notice = changed_notice();
  EXPECT_TRUE(notifiers[0]->send(notice).ok());
  const Result<void> broken = notifiers[1]->send(notice);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().where, "webhooks[1]");
  EXPECT_EQ(server.request_count("/ok"), 1u);
  EXPECT_EQ(server.request_count("/broken"), 1u);
}

TEST(WebhookDelivery, A4xxIsNotRetried) {
  FakeProviderServer server;
  server.on("/hook", FakeResponse{.status = 404, .body = "no_team"});
  auto notifier = make_webhook_notifier({.url = server.url("/hook")}, "webhooks[1]");
  const Result<void> sent = notifier->send(changed_notice());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(server.request_count("/hook"), 1u);
  EXPECT_NE(sent.error().message().find("HTTP 404 after 1 attempt: no_team"), std::string::npos)
      << sent.error().message();
}

TEST(WebhookDelivery, AHangingReceiverIsBoundedByTheTimeout) {
  FakeProviderServer server;
  const std::string path = "/hang/" + kHookSecret;
  server.on(path, FakeResponse{.hang = true});
  auto notifier =
      make_webhook_notifier({.url = server.url(path), .timeout = Milliseconds(1000)}, "w");
  const auto start = std::chrono::steady_clock::now();
  const Result<void> sent = notifier->send(changed_notice());
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(sent.ok());
  EXPECT_LT(took, std::chrono::milliseconds(3000));
  EXPECT_EQ(sent.error().message().find(kHookSecret), std::string::npos) << sent.error().message();
  server.stop();
}

TEST(WebhookDelivery, AnUnreachableReceiverIsAnErrorWithoutTheSecret) {
  const std::string url =
      "http://127.0.0.1:" + std::to_string(testing::closed_port()) + "/x/" + kHookSecret;
  auto notifier = make_webhook_notifier({.url = url, .timeout = Milliseconds(2000)}, "w");
  const Result<void> sent = notifier->send(changed_notice());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message().find(kHookSecret), std::string::npos) << sent.error().message();
}

TEST(WebhookDelivery, PlainHttpToAnotherHostIsRefusedWithoutTheSecret) {
  auto notifier =
      make_webhook_notifier({.url = "http://hooks.example.com/" + kHookSecret}, "webhooks[2]");
  const Result<void> sent = notifier->send(changed_notice());
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message().find(kHookSecret), std::string::npos) << sent.error().message();
  // Refused by the transport rules before any lookup, not failed by DNS: the name does not
  // exist, so only the refusal's own words prove the rule (the host is hidden with the URL,
  // which is the webhook's secret).
  EXPECT_NE(sent.error().message().find(
                "refusing plain http to [REDACTED]: only loopback hosts are reached without TLS"),
            std::string::npos)
      << sent.error().message();
}

TEST(WebhookDelivery, AKeyEchoedByAProviderNeverReachesThePayload) {
  const std::string key = "sk-CANARYwebhookkey0123456789abcdef";
  testing::MonitorWorld world;
  world.set_key("openai", key);
  world.answer("openai",
               {.status = 401,
                .body = R"({"error":{"message":"Incorrect API key provided: )" + key + R"("}})"});
  world.write_config();
  const testing::RunResult run = world.check({"--check", "--json"});
  Result<Report> report = parse_report(run.out, "stdout");
  ASSERT_TRUE(report.ok()) << report.error().message() << "\n" << run.out << run.err;
  const std::vector<Transition> changes = transitions(nullptr, *report);
  ASSERT_FALSE(changes.empty());

  FakeProviderServer receiver;
  receiver.on("/hook", FakeResponse{.status = 200, .body = "ok"});
  for (WebhookFormat format : {WebhookFormat::json, WebhookFormat::slack}) {
    auto notifier =
        make_webhook_notifier({.url = receiver.url("/hook"), .format = format}, "webhooks[0]");
    ASSERT_TRUE(notifier->send(notice_from(*report, changes)).ok());
  }
  ASSERT_EQ(receiver.request_count("/hook"), 2u);
  for (const testing::RecordedRequest& request : receiver.requests()) {
    EXPECT_EQ(request.body.find(key), std::string::npos) << request.body;
    EXPECT_EQ(request.body.find("CANARYwebhookkey"), std::string::npos) << request.body;
  }
}

}  // namespace
}  // namespace devops_monitor::notify
