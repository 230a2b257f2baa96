#include "devops_monitor/report_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/monitor_world.hpp"

namespace devops_monitor {
namespace {

Report sample_report() {
  Report r;
  r.timestamp = "2026-11-24T17:49:03.125+01:00";
  r.status = Status::warning;
  ApiKeyStatus k;
  k.provider = "OpenAI (GPT-4)";
  k.key_present = true;
  k.key_valid = false;
  k.error_message = "API key is invalid (HTTP 401)";
  k.last_checked = r.timestamp;
  k.id = "openai";
  k.env_var = "OPENAI_API_KEY";
  k.state = KeyState::invalid;
  k.http_status = 401;
  k.latency_ms = 212;
  k.key_fingerprint = "ba7816bf";
  r.api_keys.push_back(k);
  ApiKeyStatus missing;
  missing.provider = "Google Gemini";
  missing.id = "google";
  missing.env_var = "GOOGLE_API_KEY";
  missing.error_message = "API key not configured (GOOGLE_API_KEY is not set)";
  missing.last_checked = r.timestamp;
  r.api_keys.push_back(missing);
  r.system_health.cpu_percent = 45.2;
  r.system_health.memory_percent = 62.1;
  r.system_health.disk_percent = 54.8;
  r.system_health.timestamp = r.timestamp;
  r.system_health.disks.push_back({.path = "/",
                                   .total_bytes = 100,
                                   .used_bytes = 50,
                                   .available_bytes = 41,
                                   .percent = 54.9,
                                   .status = Status::healthy});
  r.system_health.load_average = {0.5, 0.25, 0.125};
  r.system_health.cpu_count = 2;
  r.system_health.cpu_window_ms = 1000;
  r.issues_found = {"OpenAI (GPT-4) API key is invalid"};
  r.recommendations = {"Verify or regenerate the OpenAI (GPT-4) API key and update OPENAI_API_KEY"};
  r.provider_fallback_order = {};
  r.host = "box";
  r.version = "0.1.0";
  r.duration_ms = 1003;
  return r;
}

TEST(ReportJson, OldFieldsComeFirstWithTheirOldNames) {
  const std::string text = to_json(sample_report());
  testing::keep_for_schema_validation(text);
  const auto doc = nlohmann::ordered_json::parse(text);
  std::vector<std::string> names;
  for (const auto& item : doc.items()) names.push_back(item.key());
  const std::vector<std::string> first(names.begin(), names.begin() + 5);
  EXPECT_EQ(first, (std::vector<std::string>{"timestamp", "api_keys", "system_health",
                                             "issues_found", "recommendations"}));
  const auto& key = doc["api_keys"][0];
  for (const char* field :
       {"provider", "key_present", "key_valid", "error_message", "last_checked"}) {
    EXPECT_TRUE(key.contains(field)) << field;
  }
  for (const char* field :
       {"cpu_percent", "memory_percent", "disk_percent", "timestamp", "status"}) {
    EXPECT_TRUE(doc["system_health"].contains(field)) << field;
  }
  EXPECT_TRUE(doc["api_keys"][1]["key_valid"].is_null());
  EXPECT_EQ(doc["system_health"]["load_average"]["5m"], 0.25);
  EXPECT_EQ(text.back(), '\n');
}

TEST(ReportJson, RoundTrips) {
  const Report original = sample_report();
  const Result<Report> parsed = parse_report(to_json(original), "memory");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(to_json(*parsed), to_json(original));
}

TEST(ReportJson, ReadsReportsOfTheOldTool) {
  const std::string old = R"json({
    "timestamp": "2024-01-01T00:00:00",
    "api_keys": [{"provider": "Together AI (Kimi K2)", "key_present": true, "key_valid": true,
                  "error_message": "API key is valid", "last_checked": "2024-01-01T00:00:00"}],
    "system_health": {"cpu_percent": 45.2, "memory_percent": 62.1, "disk_percent": 54.8,
                      "timestamp": "2024-01-01T00:00:00", "status": "critical"},
    "issues_found": [], "recommendations": ["System is healthy - continue monitoring"]})json";
  const Result<Report> r = parse_report(old, "old.json");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->status, Status::critical);  // falls back to system_health.status
  EXPECT_EQ(r->api_keys[0].state, KeyState::valid);
}

TEST(ReportJson, BrokenInputIsAnErrorNamingTheSource) {
  const Result<Report> truncated =
      parse_report(R"({"timestamp": "x", "api_keys": [)", "dir/latest.json");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().where, "dir/latest.json");
  const Result<Report> wrong = parse_report(R"({"api_keys": 5, "timestamp": 7})", "f.json");
  ASSERT_FALSE(wrong.ok());
  EXPECT_FALSE(parse_report("[1,2]", "f.json").ok());
}

TEST(ReportJson, InvalidUtf8IsReplacedNotFatal) {
  Report r = sample_report();
  r.api_keys[0].error_message = "bad \xff byte";
  const nlohmann::json doc = nlohmann::json::parse(to_json(r), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["api_keys"][0]["error_message"].get<std::string>().rfind("bad ", 0), 0u);
}

TEST(ReportJson, NumbersThatDoNotFitTheirFieldAreAnErrorNotUndefinedBehaviour) {
  // Found by fuzz/report_json_fuzz.cpp: get<std::int64_t>() of 1.5e300 is undefined.
  for (const std::string text :
       {R"({"duration_ms":1.5e300})", R"({"system_health":{"cpu_count":4294967296}})",
        R"({"api_keys":[{"http_status":1e10}]})", R"({"api_keys":[{"key_age_days":-3e9}]})",
        R"({"system_health":{"memory_total_bytes":-1}})",
        R"({"system_health":{"disks":[{"total_bytes":1e20}]}})"}) {
    const Result<Report> report = parse_report(text, "r.json");
    ASSERT_FALSE(report.ok()) << text;
    EXPECT_EQ(report.error().what, "cannot read report");
    EXPECT_NE(report.error().detail.find("out of range"), std::string::npos)
        << report.error().detail;
    EXPECT_EQ(report.error().where, "r.json");
  }
  // Integral floats, as other tools write them, still read.
  const Result<Report> report =
      parse_report(R"({"duration_ms":1000.0,"system_health":{"cpu_count":2.0}})", "r.json");
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->duration_ms, 1000);
  EXPECT_EQ(report->system_health.cpu_count, 2);
}

}  // namespace
}  // namespace devops_monitor
