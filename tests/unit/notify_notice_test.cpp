#include "notify/notice.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "notify/webhook.hpp"

namespace devops_monitor::notify {
namespace {

Report notice_report() {
  Report report;
  report.status = Status::critical;
  report.host = "build-3";
  report.timestamp = "2026-11-25T10:00:00+00:00";
  report.version = "1.2.3";
  report.issues_found = {"High CPU usage: 97.0%", "Bad\x1b[31m <b>&amp</b>"};
  report.recommendations = {"Check <!channel> processes"};
  return report;
}

std::vector<Transition> two_changes() {
  return {{.component = "cpu", .from = Status::healthy, .to = Status::critical},
          {.component = "key:openai", .from = std::nullopt, .to = Status::unknown}};
}

TEST(NoticePayload, JsonCarriesEveryChangeAndTheContext) {
  const Notice notice = notice_from(notice_report(), two_changes());
  const nlohmann::json body = nlohmann::json::parse(json_payload(notice));
  EXPECT_EQ(body["version"], kNoticeVersion);
  EXPECT_EQ(body["status"], "critical");
  EXPECT_EQ(body["host"], "build-3");
  EXPECT_EQ(body["time"], "2026-11-25T10:00:00+00:00");
  EXPECT_EQ(body["tool_version"], "1.2.3");
  ASSERT_EQ(body["changes"].size(), 2U);
  EXPECT_EQ(body["changes"][0]["component"], "cpu");
  EXPECT_EQ(body["changes"][0]["from"], "healthy");
  EXPECT_EQ(body["changes"][0]["to"], "critical");
  EXPECT_EQ(body["changes"][0]["kind"], "critical");
  EXPECT_TRUE(body["changes"][1]["from"].is_null());
  ASSERT_EQ(body["issues"].size(), 2U);
  // Outside text made printable: the escape sequence lost its ESC.
  EXPECT_EQ(body["issues"][1].get<std::string>().find('\x1b'), std::string::npos);
  EXPECT_EQ(body["recommendations"][0], "Check <!channel> processes");
}

TEST(NoticePayload, SlackIsOneReadableTextWithSlackEscaping) {
  const Notice notice = notice_from(notice_report(), two_changes());
  const nlohmann::json body = nlohmann::json::parse(slack_payload(notice));
  ASSERT_EQ(body.size(), 1U);
  const std::string text = body["text"];
  EXPECT_NE(text.find("*devops-monitor: CRITICAL* on build-3"), std::string::npos) << text;
  EXPECT_NE(text.find("• cpu: healthy → critical"), std::string::npos) << text;
  EXPECT_NE(text.find("• key:openai: (first check) → unknown"), std::string::npos) << text;
  EXPECT_NE(text.find("&lt;!channel&gt;"), std::string::npos) << text;
  EXPECT_NE(text.find("&lt;b&gt;&amp;amp&lt;/b&gt;"), std::string::npos) << text;
  EXPECT_EQ(text.find("<!channel>"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(NoticePayload, SlackEscapeOnlyTouchesTheThreeCharacters) {
  EXPECT_EQ(slack_escape("a<b>&c *d* _e_"), "a&lt;b&gt;&amp;c *d* _e_");
}

TEST(NoticePayload, WebhookRequestIsOnePostWithTheUrlAsSecret) {
  const Notice notice = notice_from(notice_report(), two_changes());
  const WebhookSettings hook{.url = "https://hooks.slack.com/services/T0/B0/SECRET",
                             .format = WebhookFormat::slack};
  const HttpRequest request = webhook_request(hook, notice);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.secrets, std::vector<std::string>{hook.url});
  EXPECT_EQ(request.timeout, Milliseconds(10000));
  EXPECT_EQ(request.retry_transient, true);
  EXPECT_EQ(request.body, slack_payload(notice));
  const WebhookSettings json_hook{.url = "https://example.com/hook"};
  EXPECT_EQ(webhook_request(json_hook, notice).body, json_payload(notice));
}

}  // namespace
}  // namespace devops_monitor::notify
