#include "util/redact.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace devops_monitor {
namespace {

constexpr const char* kCanary = "CANARY-0123456789abcdefghijKLMNOPQRST";

TEST(Redact, RemovesTheWholeKey) {
  const std::string out = redact_secret(std::string("bad key ") + kCanary + " given", kCanary);
  EXPECT_EQ(out, "bad key [REDACTED] given");
}

TEST(Redact, RemovesMaskedAndPartialEchoes) {
  // OpenAI style: prefix, stars, last four.
  const std::string masked = "Incorrect API key provided: CANARY-0****************QRST. See docs.";
  const std::string out = redact_secret(masked, kCanary);
  EXPECT_EQ(out.find("CANARY"), std::string::npos) << out;
  EXPECT_EQ(out.find("QRST"), std::string::npos) << out;
  EXPECT_NE(out.find("Incorrect API key provided: [REDACTED]"), std::string::npos) << out;
  // OpenRouter label style: a truncated copy.
  EXPECT_EQ(redact_secret("label CANARY-012...QRST", kCanary).find("CANARY"), std::string::npos);
  // A middle piece of the key.
  EXPECT_EQ(redact_secret("id 6789abcdef here", kCanary).find("6789abcdef"), std::string::npos);
}

TEST(Redact, KeepsJsonParseable) {
  const std::string body = std::string(R"({"data":{"label":")") + kCanary + R"(","usage":1}})";
  const std::string out = redact_secret(body, kCanary);
  const auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc["data"]["label"], "[REDACTED]");
  EXPECT_EQ(doc["data"]["usage"], 1);
}

TEST(Redact, LeavesOrdinaryWordsAlone) {
  const std::string text = "You exceeded your current quota, please check your plan.";
  EXPECT_EQ(redact_secret(text, kCanary), text);
}

TEST(Redact, KeyWithSeparatorCharactersIsStillRemoved) {
  const std::string key = "abc/def+ghi=jkl mno";
  EXPECT_EQ(redact_secret("x abc/def+ghi=jkl mno y", key), "x [REDACTED] y");
}

TEST(Fingerprint, IsShortStableAndNotTheKey) {
  const std::string a = key_fingerprint(kCanary);
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(a, key_fingerprint(kCanary));
  EXPECT_NE(a, key_fingerprint("sk-other"));
  // SHA-256("abc") begins ba7816bf.
  EXPECT_EQ(key_fingerprint("abc"), "ba7816bf");
}

}  // namespace
}  // namespace devops_monitor
