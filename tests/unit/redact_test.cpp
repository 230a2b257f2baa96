#include "util/redact.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace devops_monitor {
namespace {

constexpr const char* kRedactCanary = "CANARY-0123456789abcdefghijKLMNOPQRST";

TEST(Redact, RemovesTheWholeKey) {
  const std::string out =
      redact_secret(std::string("bad key ") + kRedactCanary + " given", kRedactCanary);
  EXPECT_EQ(out, "bad key [REDACTED] given");
}

TEST(Redact, RemovesMaskedAndPartialEchoes) {
  // OpenAI style: prefix, stars, last four.
  const std::string masked = "Incorrect API key provided: CANARY-0****************QRST. See docs.";
  const std::string out = redact_secret(masked, kRedactCanary);
  EXPECT_EQ(out.find("CANARY"), std::string::npos) << out;
  EXPECT_EQ(out.find("QRST"), std::string::npos) << out;
  EXPECT_NE(out.find("Incorrect API key provided: [REDACTED]"), std::string::npos) << out;
  // OpenRouter label style: a truncated copy.
  EXPECT_EQ(redact_secret("label CANARY-012...QRST", kRedactCanary).find("CANARY"),
            std::string::npos);
  // A middle piece of the key.
  EXPECT_EQ(redact_secret("id 6789abcdef here", kRedactCanary).find("6789abcdef"),
            std::string::npos);
}

TEST(Redact, KeepsJsonParseable) {
  const std::string body =
      std::string(R"({"data":{"label":")") + kRedactCanary + R"(","usage":1}})";
  const std::string out = redact_secret(body, kRedactCanary);
  const auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc["data"]["label"], "[REDACTED]");
  EXPECT_EQ(doc["data"]["usage"], 1);
}

TEST(Redact, LeavesOrdinaryWordsAlone) {
  const std::string text = "You exceeded your current quota, please check your plan.";
  EXPECT_EQ(redact_secret(text, kRedactCanary), text);
}

TEST(Redact, KeyWithSeparatorCharactersIsStillRemoved) {
  const std::string key = "abc/def+ghi=jkl mno";
  EXPECT_EQ(redact_secret("x abc/def+ghi=jkl mno y", key), "x [REDACTED] y");
}

// Canaries of every length class: 4 (the floor), 6, 8, 11 (below the old 12-character limit
// for partial matching) and 12+.
const std::vector<std::string>& short_and_long_canaries() {
  static const std::vector<std::string> canaries = {"Zq8X", "Zq8Xw3", "Zq8Xw3Vr", "Zq8Xw3Vr7Ty",
                                                    "Zq8Xw3Vr7Ty6Ui5Op4"};
  return canaries;
}

TEST(Redact, ShortKeysLoseWholeMaskedAndTruncatedEchoes) {
  for (const std::string& key : short_and_long_canaries()) {
    const std::string head = key.substr(0, 2);
    const std::string tail = key.substr(key.size() - 2);
    for (const std::string& echo : {key, head + "***" + tail, head + "****************" + tail,
                                    "***" + tail, head + "..." + tail, head + "\u2026" + tail,
                                    key.substr(0, 3) + "...", "..." + key.substr(1)}) {
      const std::string text = "Incorrect API key provided: " + echo + ". See the docs.";
      const std::string out = redact_secret(text, key);
      EXPECT_EQ(out.rfind("Incorrect API key provided: [REDACTED]", 0), 0u) << out;
      EXPECT_TRUE(out.ends_with(" See the docs.")) << out;
      EXPECT_EQ(out.find(head), std::string::npos) << "key " << key << " echoed as " << echo;
      EXPECT_EQ(out.find(tail), std::string::npos) << "key " << key << " echoed as " << echo;
    }
  }
}

TEST(Redact, ShortKeysLosePartialEchoes) {
  // Most of the key, with its start or its end cut off: a 6-character key's 4-character
  // pieces, an 8-character key's 6-character pieces.
  for (const std::string& key : short_and_long_canaries()) {
    if (key.size() < 6) continue;
    for (const std::string& part : {key.substr(0, key.size() - 1), key.substr(1),
                                    "prefix-" + key.substr(1, key.size() - 2)}) {
      const std::string out = redact_secret("key id " + part + " rejected", key);
      EXPECT_EQ(out, "key id [REDACTED] rejected") << "key " << key << " part " << part;
    }
  }
}

TEST(Redact, ShortKeysLeaveOrdinaryWordsAlone) {
  const std::string text =
      "You exceeded your current quota... please check your plan and billing details, wait "
      "for the winter or enter a Zq code. ID 8X-9 is not 3V.";
  for (const std::string& key : short_and_long_canaries()) {
    EXPECT_EQ(redact_secret(text, key), text) << key;
  }
  // Dictionary-like short keys do not take ordinary words with them either.
  EXPECT_EQ(redact_secret("the winter hunters", "hunter7"), "the winter hunters");
  EXPECT_EQ(redact_secret("key hunter7 and hunte... rejected", "hunter7"),
            "key [REDACTED] and [REDACTED] rejected");
}

TEST(Redact, KeyThatOverlapsTheMarkerDoesNotComeBack) {
  // Replacing "ED]x" by "[REDACTED]" in "ED]xx" would spell it again: "[REDACTED]x".
  for (const std::string& key :
       std::vector<std::string>{"ED]x", "DACT", "x[REDACTED]y", "]abc[", "D]<R"}) {
    for (const std::string& text : std::vector<std::string>{
             key + "x", "E" + key, key + key, "[" + key + "]", "x" + key + "y", "ED]" + key}) {
      EXPECT_EQ(redact_secret(text, key).find(key), std::string::npos)
          << "key " << key << " text " << text << " -> " << redact_secret(text, key);
    }
  }
}

/// `text` with every character written as a JSON \u escape.
std::string json_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));
    out += buffer;
  }
  return out;
}

TEST(RedactBody, KeysSpelledWithJsonEscapesAreRedactedInTheDecodedStrings) {
  // PHP's json_encode writes "/" as "\/"; every piece of this key has a "/" in it.
  const std::string slashed = "ab/cd/ef/gh/ij/kl";
  const std::string body =
      R"({"error":{"message":"Key ab\/cd\/ef\/gh\/ij\/kl rejected","code":"invalid_api_key"}})";
  EXPECT_EQ(redact_secret(body, slashed), body) << "the bytes do not show the key";
  const std::string out = redact_body(body, slashed);
  const auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc["error"]["message"], "Key [REDACTED] rejected");
  EXPECT_EQ(doc["error"]["code"], "invalid_api_key");

  const std::string escaped = R"({"error":{"message":"bad key )" + json_escaped(kRedactCanary) +
                              R"(",")" + json_escaped(kRedactCanary) + R"(":1}})";
  const std::string clean = redact_body(escaped, kRedactCanary);
  EXPECT_EQ(nlohmann::json::parse(clean).dump().find("CANARY"), std::string::npos) << clean;
}

TEST(RedactBody, OtherBodiesAreOnlyRedactedAsText) {
  const std::string pretty = "{\n  \"data\": [ ],\n  \"object\": \"list\"\n}\n";
  EXPECT_EQ(redact_body(pretty, kRedactCanary), pretty);
  const std::string html = std::string("<b>key ") + kRedactCanary + "</b>";
  EXPECT_EQ(redact_body(html, kRedactCanary), redact_secret(html, kRedactCanary));
  EXPECT_EQ(redact_body("{\"a\":\"\\u0061bc\"}", "abc"), "{\"a\":\"\\u0061bc\"}")
      << "under 4 characters is not a key";
}

TEST(RedactBody, DeepBodiesNeitherOverflowTheStackNorKeepTheKey) {
  const std::size_t depth = 200000;
  const std::string deep = std::string(depth, '[') + "1" + std::string(depth, ']');
  EXPECT_EQ(redact_body(deep, kRedactCanary), deep);
  const std::string deep_with_key =
      std::string(100, '[') + "\"" + json_escaped(kRedactCanary) + "\"" + std::string(100, ']');
  EXPECT_EQ(redact_body(deep_with_key, kRedactCanary), "");
}

TEST(Fingerprint, IsShortStableAndNotTheKey) {
  const std::string a = key_fingerprint(kRedactCanary);
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(a, key_fingerprint(kRedactCanary));
  EXPECT_NE(a, key_fingerprint("sk-other"));
  // SHA-256("abc") begins ba7816bf.
  EXPECT_EQ(key_fingerprint("abc"), "ba7816bf");
}

}  // namespace
}  // namespace devops_monitor
