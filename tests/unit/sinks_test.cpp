// The nagios and prometheus renderers over plain values: the line and perfdata shape, label
// quoting and escaping, the key state set, statuses; and the render() seam.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/version.hpp"

namespace devops_monitor {
namespace {

constexpr const char* kSinkCanary = "sk-CANARY-sinks-0123456789abcdef";

Report sink_report() {
  Report report;
  report.timestamp = "2026-11-24T17:49:03.125+01:00";
  report.status = Status::warning;
  report.duration_ms = 1250;
  report.version = "0.1.0";
  SystemHealth& s = report.system_health;
  s.cpu_percent = 12.3;
  s.memory_percent = 45.0;
  s.disk_percent = 67.8;
  s.memory_status = Status::healthy;
  s.disk_status = Status::healthy;
  s.load_average = {0.5, 0.25, 1.75};
  s.thresholds.cpu = {70, 95};
  s.disks.resize(3);
  s.disks[0].path = "/";
  s.disks[0].percent = 67.8;
  s.disks[1].path = "/mnt/my \"disk\"\\x\nnew=line's";
  s.disks[1].percent = 10.0;
  s.disks[2].path = "/stuck";
  s.disks[2].status = Status::unknown;
  s.disks[2].error = "statfs did not answer";
  ApiKeyStatus openai;
  openai.provider = "OpenAI";
  openai.id = "openai";
  openai.state = KeyState::valid;
  openai.latency_ms = 250;
  openai.key_fingerprint = "deadbeef";
  ApiKeyStatus google;
  google.provider = "Google";
  google.id = "goo\"gle";
  google.state = KeyState::invalid;
  google.error_message = kSinkCanary;
  ApiKeyStatus moonshot;
  moonshot.provider = "Moonshot";
  moonshot.id = "moonshot";
  report.api_keys = {openai, google, moonshot};
  report.issues_found = {"Google API key is invalid", "a | pipe\x1b[2J"};
  return report;
}

std::vector<std::string> sink_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// name{labels} -> value, for the samples of an exposition.
std::map<std::string, std::string> sink_samples(const std::string& text) {
  std::map<std::string, std::string> samples;
  for (const std::string& line : sink_lines(text)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t space = line.rfind(' ');
    samples[line.substr(0, space)] = line.substr(space + 1);
  }
  return samples;
}

TEST(Nagios, OneLineWithStateSummaryAndPerfdataThenTheIssues) {
  const std::vector<std::string> lines = sink_lines(render_nagios(sink_report()));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "DEVOPS WARNING - cpu 12.3%, memory 45.0%, disk 67.8%, 1/3 keys usable, 2 issues | "
            "cpu=12.3%;70;95;0;100 memory=45.0%;80;90;0;100 'disk_/'=67.8%;80;90;0;100 "
            "'disk_/mnt/my \"disk\"\\x new_line''s'=10.0%;80;90;0;100 'disk_/stuck'=U "
            "load1=0.50;;;0; load5=0.25;;;0; load15=1.75;;;0; keys_usable=1;;;0;3");
  EXPECT_EQ(lines[1], "Google API key is invalid");
  EXPECT_EQ(lines[2], "a / pipe[2J") << "no '|' (perfdata) and no escapes in long text";
}

TEST(Nagios, EveryStatusHasItsPluginStateWord) {
  Report report = sink_report();
  const std::map<Status, std::string> words = {{Status::healthy, "DEVOPS OK - "},
                                               {Status::warning, "DEVOPS WARNING - "},
                                               {Status::critical, "DEVOPS CRITICAL - "},
                                               {Status::unknown, "DEVOPS UNKNOWN - "}};
  for (const auto& [status, prefix] : words) {
    report.status = status;
    EXPECT_EQ(render_nagios(report).rfind(prefix, 0), 0u) << prefix;
  }
}

TEST(Nagios, ACheckThatCouldNotRunIsOneUnknownLine) {
  EXPECT_EQ(render_nagios_failure("cannot read procfs | file\nnext"),
            "DEVOPS UNKNOWN - the check could not run: cannot read procfs / file next\n");
}

TEST(Nagios, PerfdataLabelsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(perfdata_label("cpu"), "cpu");
  EXPECT_EQ(perfdata_label("keys_usable"), "keys_usable");
  EXPECT_EQ(perfdata_label("disk_/"), "'disk_/'");
  EXPECT_EQ(perfdata_label("with space"), "'with space'");
  EXPECT_EQ(perfdata_label("it's"), "'it''s'");
  EXPECT_EQ(perfdata_label("a=b|c"), "a_b_c");
  EXPECT_EQ(perfdata_label(""), "''");
}

TEST(Nagios, NoKeyMaterialOrFingerprint) {
  const std::string out = render_nagios(sink_report());
  EXPECT_EQ(out.find(kSinkCanary), std::string::npos);
  EXPECT_EQ(out.find("deadbeef"), std::string::npos);
}

TEST(Prometheus, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("plain/path"), "plain/path");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_label_value("bell\x07 and \xff"), "bell and \xEF\xBF\xBD");
}

TEST(Prometheus, ValuesStatusesAndRatios) {
  const auto samples = sink_samples(render_prometheus(sink_report(), {}));
  EXPECT_EQ(samples.at("devops_monitor_status{component=\"overall\"}"), "1");
  EXPECT_EQ(samples.at("devops_monitor_status{component=\"cpu\"}"), "0");
  EXPECT_EQ(samples.at("devops_monitor_status{component=\"api_keys\"}"), "1")
      << "an invalid key beside a valid one is a warning";
  EXPECT_EQ(samples.at("devops_monitor_cpu_usage_ratio"), "0.123");
  EXPECT_EQ(samples.at("devops_monitor_memory_usage_ratio"), "0.45");
  EXPECT_EQ(samples.at("devops_monitor_disk_usage_ratio{path=\"/\"}"), "0.678");
  EXPECT_EQ(samples.at(
                "devops_monitor_disk_usage_ratio{path=\"/mnt/my \\\"disk\\\"\\\\x\\nnew=line's\"}"),
            "0.1");
  EXPECT_EQ(samples.count("devops_monitor_disk_usage_ratio{path=\"/stuck\"}"), 0u)
      << "an unmeasured disk has no number";
  EXPECT_EQ(samples.at("devops_monitor_load15"), "1.75");
  EXPECT_EQ(samples.at("devops_monitor_threshold_ratio{resource=\"cpu\",level=\"warning\"}"),
            "0.7");
  EXPECT_EQ(samples.at("devops_monitor_threshold_ratio{resource=\"cpu\",level=\"critical\"}"),
            "0.95");
  EXPECT_EQ(samples.at("devops_monitor_threshold_ratio{resource=\"disk\",level=\"critical\"}"),
            "0.9");
  EXPECT_EQ(samples.at("devops_monitor_api_key_check_duration_seconds{provider=\"openai\"}"),
            "0.25");
  EXPECT_EQ(samples.at("devops_monitor_check_duration_seconds"), "1.25");
  // 2026-11-24T17:49:03.125+01:00
  EXPECT_EQ(samples.at("devops_monitor_last_check_timestamp_seconds"), "1795538943.125");
  EXPECT_EQ(samples.at("devops_monitor_last_success_timestamp_seconds"), "1795538943.125");
  EXPECT_EQ(samples.at("devops_monitor_check_errors_total"), "0");
  EXPECT_EQ(samples.at("devops_monitor_build_info{version=\"" + std::string(kVersion) + "\"}"),
            "1");
}

TEST(Prometheus, KeyStatesAreACompleteStateSetPerProvider) {
  const auto samples = sink_samples(render_prometheus(sink_report(), {}));
  const std::vector<std::string> states = {"missing",         "valid",        "invalid",
                                           "quota_exhausted", "rate_limited", "unknown",
                                           "unsupported",     "restricted"};
  const std::map<std::string, std::string> current = {
      {"openai", "valid"}, {"goo\\\"gle", "invalid"}, {"moonshot", "missing"}};
  std::size_t series = 0;
  for (const auto& [provider, state_now] : current) {
    for (const std::string& state : states) {
      const std::string key =
          "devops_monitor_api_key_state{provider=\"" + provider + "\",state=\"" + state + "\"}";
      ASSERT_EQ(samples.count(key), 1u) << key;
      EXPECT_EQ(samples.at(key), state == state_now ? "1" : "0") << key;
      ++series;
    }
  }
  std::size_t all = 0;
  for (const auto& [name, value] : samples)
    all += name.rfind("devops_monitor_api_key_state{", 0) == 0;
  EXPECT_EQ(all, series);
}

TEST(Prometheus, EveryFamilyHasHelpAndTypeBeforeItsSamplesAndNoKeyMaterial) {
  const std::string text = render_prometheus(sink_report(), {.check_errors_total = 0});
  std::set<std::string> typed;
  for (const std::string& line : sink_lines(text)) {
    if (line.rfind("# TYPE ", 0) == 0) typed.insert(line.substr(7, line.find(' ', 7) - 7));
    if (line.empty() || line[0] == '#') continue;
    const std::string name = line.substr(0, line.find_first_of("{ "));
    EXPECT_EQ(typed.count(name), 1u) << "sample before its TYPE: " << line;
  }
  EXPECT_EQ(text.find(kSinkCanary), std::string::npos);
  EXPECT_EQ(text.find("deadbeef"), std::string::npos);
  EXPECT_EQ(text.find("OpenAI"), std::string::npos) << "provider ids, not display names";
  EXPECT_EQ(text.back(), '\n');
}

namespace {

/// Keys with what their answers told beyond the state, and keys that told nothing.
Report insight_sink_report() {
  Report report = sink_report();
  ApiKeyStatus& openai = report.api_keys[0];
  openai.ratelimit_limit = 5000;
  openai.ratelimit_remaining = 4980;
  openai.models_available = 41;
  openai.missing_models = {"o3"};
  openai.credit_status = "not_available";
  ApiKeyStatus openrouter;
  openrouter.id = "openrouter";
  openrouter.state = KeyState::valid;
  openrouter.credit_status = "reported";
  openrouter.credit_remaining = 12.4;
  openrouter.credit_unit = "USD";
  openrouter.credit_min = 20;
  openrouter.credit_low = true;
  openrouter.models_not_seen = {"openai/gpt-4o"};  // /key lists no models
  ApiKeyStatus anthropic;
  anthropic.id = "anthropic";
  anthropic.state = KeyState::valid;
  anthropic.ratelimit_limit = 50;  // remaining unreadable: neither is exported
  anthropic.ratelimit_unreadable = true;
  anthropic.models_available = 9;
  report.api_keys[2].credit_remaining = 3.5;  // moonshot, no min_credit configured
  report.api_keys[2].credit_unit = "CNY";
  report.api_keys.push_back(openrouter);
  report.api_keys.push_back(anthropic);
  return report;
}

}  // namespace

TEST(Prometheus, InsightSeriesOnlyWhereTheProviderReportedThem) {
  const auto samples = sink_samples(render_prometheus(insight_sink_report(), {}));
  const auto count_of = [&](const std::string& name) {
    std::size_t n = 0;
    for (const auto& [series, value] : samples) n += series.rfind(name + "{", 0) == 0;
    return n;
  };
  EXPECT_EQ(
      samples.at("devops_monitor_api_key_credit_remaining{provider=\"openrouter\",unit=\"USD\"}"),
      "12.4");
  EXPECT_EQ(samples.at("devops_monitor_api_key_credit_min{provider=\"openrouter\",unit=\"USD\"}"),
            "20");
  EXPECT_EQ(
      samples.at("devops_monitor_api_key_credit_remaining{provider=\"moonshot\",unit=\"CNY\"}"),
      "3.5");
  EXPECT_EQ(count_of("devops_monitor_api_key_credit_remaining"), 2u);
  EXPECT_EQ(count_of("devops_monitor_api_key_credit_min"), 1u) << "no min_credit, no series";
  EXPECT_EQ(samples.at("devops_monitor_api_key_ratelimit_remaining{provider=\"openai\","
                       "resource=\"requests\"}"),
            "4980");
  EXPECT_EQ(samples.at("devops_monitor_api_key_ratelimit_limit{provider=\"openai\","
                       "resource=\"requests\"}"),
            "5000");
  EXPECT_EQ(count_of("devops_monitor_api_key_ratelimit_remaining"), 1u)
      << "a half-read rate limit is not exported";
  EXPECT_EQ(count_of("devops_monitor_api_key_ratelimit_limit"), 1u);
  EXPECT_EQ(samples.at("devops_monitor_api_key_models_available{provider=\"openai\"}"), "41");
  EXPECT_EQ(samples.at("devops_monitor_api_key_models_missing{provider=\"openai\"}"), "1");
  EXPECT_EQ(samples.at("devops_monitor_api_key_models_available{provider=\"anthropic\"}"), "9");
  EXPECT_EQ(samples.at("devops_monitor_api_key_models_missing{provider=\"anthropic\"}"), "0")
      << "all there (or none required) is 0";
  EXPECT_EQ(count_of("devops_monitor_api_key_models_available"), 2u)
      << "no list read (OpenRouter, the invalid and the missing key): no series";
  EXPECT_EQ(count_of("devops_monitor_api_key_models_missing"), 2u);
}

TEST(Prometheus, InsightFamiliesAreDeclaredEvenWithoutSamplesAndCarryNoKeyMaterial) {
  // The contract test (check_exposition.py) runs a check without keys: the families must be
  // there by their HELP and TYPE lines, each family's lines together.
  const std::string empty = render_prometheus(sink_report(), {});
  const std::string text = render_prometheus(insight_sink_report(), {});
  for (const char* family :
       {"devops_monitor_api_key_credit_remaining", "devops_monitor_api_key_credit_min",
        "devops_monitor_api_key_ratelimit_remaining", "devops_monitor_api_key_ratelimit_limit",
        "devops_monitor_api_key_models_available", "devops_monitor_api_key_models_missing"}) {
    EXPECT_NE(empty.find(std::string("# TYPE ") + family + " gauge\n"), std::string::npos)
        << family;
  }
  std::string previous;
  std::set<std::string> finished;
  for (const std::string& line : sink_lines(text)) {
    std::string name;
    if (line.rfind("# ", 0) == 0) {
      const std::size_t start = line.find(' ', 2) + 1;
      name = line.substr(start, line.find(' ', start) - start);
    } else {
      name = line.substr(0, line.find_first_of("{ "));
    }
    if (name != previous) {
      EXPECT_EQ(finished.count(name), 0u) << "family split: " << line;
      finished.insert(previous);
      previous = name;
    }
  }
  EXPECT_EQ(text.find(kSinkCanary), std::string::npos);
  EXPECT_EQ(text.find("deadbeef"), std::string::npos);
  EXPECT_EQ(text.find("o3"), std::string::npos) << "model names are not labels";
}

TEST(Prometheus, AFailedCheckExportsTheErrorAndNoSuccess) {
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1795542543));
  const auto samples = sink_samples(render_prometheus_failure(when, {.check_errors_total = 1}));
  EXPECT_EQ(samples.at("devops_monitor_check_errors_total"), "1");
  EXPECT_EQ(samples.at("devops_monitor_last_check_timestamp_seconds"), "1795542543");
  EXPECT_EQ(samples.count("devops_monitor_last_success_timestamp_seconds"), 0u);
  EXPECT_EQ(samples.count("devops_monitor_status{component=\"overall\"}"), 0u);
}

TEST(Sinks, RenderPicksTheRendererAndParsesFormatNames) {
  const Report report = sink_report();
  EXPECT_EQ(render(report, OutputFormat::json), to_json(report));
  EXPECT_EQ(render(report, OutputFormat::nagios), render_nagios(report));
  EXPECT_EQ(render(report, OutputFormat::prometheus, RenderOptions{}),
            render_prometheus(report, {}));
  EXPECT_EQ(render(report, OutputFormat::human), render_human(report, {}));
  EXPECT_EQ(parse_output_format("nagios"), OutputFormat::nagios);
  EXPECT_EQ(parse_output_format("prometheus"), OutputFormat::prometheus);
  EXPECT_EQ(parse_output_format("human"), OutputFormat::human);
  EXPECT_EQ(parse_output_format("json"), OutputFormat::json);
  EXPECT_EQ(parse_output_format("Nagios"), std::nullopt);
}

}  // namespace
}  // namespace devops_monitor
