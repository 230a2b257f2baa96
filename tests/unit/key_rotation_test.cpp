#include "assess/key_rotation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include "support/fixtures.hpp"

namespace devops_monitor {
namespace {

Report report_with_key(const std::string& id, std::optional<std::string> fingerprint) {
  Report r;
  r.timestamp = format_rfc3339(testing::kFixedNow, std::chrono::seconds(0));
  ApiKeyStatus k;
  k.id = id;
  k.provider = "OpenAI (GPT-4)";
  k.key_present = fingerprint.has_value();
  k.key_fingerprint = std::move(fingerprint);
  r.api_keys.push_back(k);
  return r;
}

std::string days_ago(int days) {
  return format_rfc3339(testing::kFixedNow - std::chrono::hours(24 * days), std::chrono::hours(2));
}

TEST(KeyRotation, FirstSightingStartsTheClock) {
  Report r = report_with_key("openai", "aaaa1111");
  const KeyHistory next = apply_key_history(r, {}, testing::kFixedNow, 90);
  EXPECT_EQ(next.at("openai").fingerprint, "aaaa1111");
  EXPECT_EQ(next.at("openai").first_seen, r.timestamp);
  EXPECT_EQ(r.api_keys[0].key_age_days, 0);
  EXPECT_FALSE(r.api_keys[0].key_rotated);
  EXPECT_TRUE(r.notices.empty());
}

TEST(KeyRotation, ChangedFingerprintIsARotation) {
  Report r = report_with_key("openai", "bbbb2222");
  const KeyHistory history = {{"openai", {.fingerprint = "aaaa1111", .first_seen = days_ago(30)}}};
  const KeyHistory next = apply_key_history(r, history, testing::kFixedNow, 90);
  EXPECT_TRUE(r.api_keys[0].key_rotated);
  EXPECT_EQ(r.api_keys[0].key_age_days, 0);
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0], "OpenAI (GPT-4) key rotated (fingerprint bbbb2222, was aaaa1111)");
  EXPECT_EQ(next.at("openai").previous_fingerprint, "aaaa1111");
  EXPECT_EQ(next.at("openai").rotated_at, r.timestamp);
}

TEST(KeyRotation, SameKeyAgesAndIsRemindedAfterTheRotationPeriod) {
  const KeyHistory history = {{"openai", {.fingerprint = "aaaa1111", .first_seen = days_ago(91)}}};
  Report r = report_with_key("openai", "aaaa1111");
  apply_key_history(r, history, testing::kFixedNow, 90);
  EXPECT_EQ(r.api_keys[0].key_age_days, 91);
  EXPECT_EQ(r.api_keys[0].key_first_seen, days_ago(91));
  ASSERT_EQ(r.recommendations.size(), 1u);
  EXPECT_EQ(r.recommendations[0],
            "Rotate the OpenAI (GPT-4) API key: in use for 91 days (rotate every 90 days)");

  Report on_the_day = report_with_key("openai", "aaaa1111");
  apply_key_history(on_the_day,
                    {{"openai", {.fingerprint = "aaaa1111", .first_seen = days_ago(90)}}},
                    testing::kFixedNow, 90);
  EXPECT_TRUE(on_the_day.recommendations.empty()) << "90 days is not yet over 90";
}

TEST(KeyRotation, AbsentKeyKeepsItsRecord) {
  const KeyHistory history = {{"openai", {.fingerprint = "aaaa1111", .first_seen = days_ago(5)}}};
  Report r = report_with_key("openai", std::nullopt);
  const KeyHistory next = apply_key_history(r, history, testing::kFixedNow, 90);
  EXPECT_EQ(next.at("openai").fingerprint, "aaaa1111");
  EXPECT_FALSE(r.api_keys[0].key_age_days.has_value());
}

TEST(Rfc3339, ParsesWhatWeWrite) {
  for (auto offset :
       {std::chrono::seconds(0), std::chrono::seconds(3600), std::chrono::seconds(-19800)}) {
    const std::string text =
        format_rfc3339(testing::kFixedNow + std::chrono::milliseconds(125), offset);
    EXPECT_EQ(parse_rfc3339(text), testing::kFixedNow + std::chrono::milliseconds(125)) << text;
  }
  EXPECT_EQ(parse_rfc3339("2026-11-24T17:49:03Z"), testing::kFixedNow);
  EXPECT_FALSE(parse_rfc3339("2026-11-24 17:49:03").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00").has_value()) << "no offset: not RFC 3339";
}

}  // namespace
}  // namespace devops_monitor
