// The status page renderer over hand-built values: escaping, no key material, thresholds,
// bars, empty and old histories, the two link styles. The real browser test is
// tests/browser/status_page_browser.py.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"
#include "page/line_chart.hpp"
#include "page/page_sources.hpp"
#include "page/page_text.hpp"
#include "page/status_page.hpp"
#include "page/uptime_bar.hpp"
#include "serve/page_endpoint.hpp"
#include "store/report_files.hpp"
#include "support/process.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::page {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const SystemTime kNow = SystemTime{} + std::chrono::seconds(1796117600);  // 2026-12-01 09:33:20 UTC

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

history::Sample page_test_sample(SystemTime time, KeyState openai = KeyState::valid) {
  history::Sample s;
  s.time = time;
  s.cpu_percent = 42.5;
  s.memory_percent = 61;
  s.disks = {{.path = "/", .percent = 70.2}};
  s.keys = {{.id = "openai", .provider = "OpenAI", .state = openai, .latency_ms = 120}};
  return s;
}

Report page_test_report() {
  Report r;
  r.timestamp = "2026-12-01T09:00:00+00:00";
  r.status = Status::warning;
  r.host = "build-box";
  ApiKeyStatus key;
  key.id = "openai";
  key.provider = "OpenAI";
  key.state = KeyState::valid;
  key.key_present = true;
  r.api_keys = {key};
  r.issues_found = {"CPU usage is high: 85%"};
  r.recommendations = {"Look at the busiest processes"};
  r.system_health.disks = {{.path = "/", .percent = 70.2}};
  return r;
}

StatusPageInput page_input_of(const std::vector<history::Sample>& samples,
                              std::optional<Report> latest, bool live) {
  StatusPageInput input;
  input.latest = std::move(latest);
  input.samples = samples;
  input.now = kNow;
  input.live = live;
  input.version = "0.1.0";
  input.badge_svg =
      render_badge(input.latest ? input.latest->status : Status::unknown, BadgeFormat::svg);
  if (live) {
    input.ranges = {RangeView{.range = PageRange::week}};
  } else {
    for (const PageRange range : kPageRanges) input.ranges.push_back(RangeView{.range = range});
  }
  return input;
}

TEST(PageText, EscapesForTextAndAttributes) {
  EXPECT_EQ(html_escape(R"(<a href="x" onclick='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  // Control characters and broken UTF-8 never reach the page.
  EXPECT_EQ(html_escape("a\x1b[31mb\xff"), "a[31mb\xEF\xBF\xBD");
}

TEST(PageText, FormatsTimesInUtc) {
  EXPECT_EQ(format_utc(kNow), "2026-12-01 09:33 UTC");
  EXPECT_EQ(format_iso_utc(kNow), "2026-12-01T09:33:20Z");
  EXPECT_EQ(format_age(std::chrono::seconds(3 * 3600 + 120)), "3 h 2 min");
}

TEST(StatusPage, OutsideTextStaysText) {
  std::vector<history::Sample> samples{page_test_sample(kNow - hours(1))};
  samples[0].keys[0].provider = "<script>alert('name')</script>";
  samples[0].keys[0].id = "evil\"><img src=x onerror=alert(1)>";
  Report report = page_test_report();
  report.api_keys[0].provider = "<script>alert('name')</script>";
  report.api_keys[0].id = samples[0].keys[0].id;
  report.issues_found = {"<script>alert('issue')</script>"};
  report.recommendations = {"<b onmouseover=alert(1)>advice</b>"};
  report.host = "host\"'<>";
  const std::string page = render_status_page(page_input_of(samples, report, false));
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<b "), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&#39;issue&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&#39;name&#39;)"), std::string::npos);
  EXPECT_NE(page.find("host&quot;&#39;&lt;&gt;"), std::string::npos);
}

TEST(StatusPage, ShowsNoKeyAndNoFingerprint) {
  const std::string canary = testing::generated_keys()[0].key;
  const std::string fingerprint = "c0ffee12";
  Report report = page_test_report();
  report.api_keys[0].key_fingerprint = fingerprint;
  report.api_keys[0].error_message = "rejected " + canary;
  std::vector<history::Sample> samples{page_test_sample(kNow - hours(2))};
  const std::string page = render_status_page(page_input_of(samples, report, false));
  EXPECT_EQ(page.find(canary), std::string::npos);
  EXPECT_EQ(page.find(canary.substr(0, 12)), std::string::npos);
  EXPECT_EQ(page.find(fingerprint), std::string::npos);
}

TEST(StatusPage, DrawsTheThresholdsOfTheReport) {
  Report report = page_test_report();
  report.system_health.thresholds.cpu = {70, 85};
  report.system_health.thresholds.disk = {75.5, 95};
  std::vector<history::Sample> samples{page_test_sample(kNow - hours(3)),
                                       page_test_sample(kNow - hours(2))};
  const std::string page = render_status_page(page_input_of(samples, report, true));
  EXPECT_NE(page.find(">warning 70%<"), std::string::npos);
  EXPECT_NE(page.find(">critical 85%<"), std::string::npos);
  EXPECT_NE(page.find(">warning 75.5%<"), std::string::npos);
  EXPECT_NE(page.find(">critical 95%<"), std::string::npos);
  // CPU, memory and one disk, each with a warning and a critical line.
  EXPECT_EQ(count_of(page, R"(<g class="threshold warning">)"), 3u);
  EXPECT_EQ(count_of(page, R"(<g class="threshold critical">)"), 3u);
  EXPECT_NE(page.find(R"(data-resource="disk /")"), std::string::npos);
}

TEST(StatusPage, DrawsAtMostNinetyBarsPerProvider) {
  std::vector<history::Sample> samples;
  for (int i = 200; i > 0; --i) {
    samples.push_back(
        page_test_sample(kNow - hours(i), i % 10 ? KeyState::valid : KeyState::unknown));
  }
  const std::string page = render_status_page(page_input_of(samples, page_test_report(), true));
  EXPECT_EQ(count_of(page, R"(<rect class="bar )"), 90u);
  EXPECT_EQ(count_of(page, R"(tabindex="0")"), 90u);
  EXPECT_EQ(count_of(page, R"(<rect class="slot")"), 0u);
  EXPECT_NE(page.find("Up in 81 of 90 checks (90.0%) in its last 90 reports."), std::string::npos);
  // The tooltip names time, state and latency.
  EXPECT_NE(page.find("<title>2026-12-01 08:33 UTC — up (valid), 120 ms</title>"),
            std::string::npos);
}

TEST(StatusPage, RendersWithNoReportAndNoHistory) {
  const std::string page = render_status_page(page_input_of({}, std::nullopt, false));
  EXPECT_NE(page.find("No report yet"), std::string::npos);
  EXPECT_NE(page.find("? Unknown"), std::string::npos);
  EXPECT_NE(page.find("No provider in the reports."), std::string::npos);
  // Four ranges, each with CPU and memory charts saying there is nothing to draw.
  EXPECT_EQ(count_of(page, "no data in this range"), 8u);
  EXPECT_TRUE(page.ends_with("</html>\n"));
}

TEST(StatusPage, AProviderWithNoChecksStillHasItsRow) {
  Report report = page_test_report();
  ApiKeyStatus moonshot;
  moonshot.id = "moonshot";
  moonshot.provider = "Moonshot";
  moonshot.state = KeyState::missing;
  report.api_keys.push_back(moonshot);
  std::vector<history::Sample> samples{page_test_sample(kNow - hours(1))};
  const std::string page = render_status_page(page_input_of(samples, report, true));
  EXPECT_NE(page.find(R"(data-provider="moonshot")"), std::string::npos);
  EXPECT_NE(page.find("No checks in the history."), std::string::npos);
  EXPECT_NE(page.find("no key (missing)"), std::string::npos);
  EXPECT_EQ(count_of(page, R"(<rect class="slot")"), 89u + 90u);
}

TEST(StatusPage, OldFormatSamplesDrawWithoutLatency) {
  // The old tool's reports: ids derived from names, no latency, one "/" disk, default
  // thresholds, and no latest report of the new kind.
  std::vector<history::Sample> samples;
  for (int i = 48; i > 0; --i) {
    history::Sample s = page_test_sample(kNow - hours(i));
    s.keys = {{.id = "anthropic",
               .provider = "Anthropic",
               .state = KeyState::invalid,
               .latency_ms = std::nullopt}};
    samples.push_back(s);
  }
  const std::string page = render_status_page(page_input_of(samples, std::nullopt, false));
  EXPECT_NE(page.find(R"(data-provider="anthropic")"), std::string::npos);
  EXPECT_NE(page.find("No latency measured in this range: Anthropic."), std::string::npos);
  EXPECT_NE(page.find(">warning 80%<"), std::string::npos);
  EXPECT_NE(page.find(">critical 90%<"), std::string::npos);
  EXPECT_EQ(count_of(page, R"(<rect class="bar s-down")"), 48u);
}

TEST(StatusPage, AFileHasEveryRangeAndAServedPageOne) {
  std::vector<history::Sample> samples{page_test_sample(kNow - hours(1))};
  const std::string file = render_status_page(page_input_of(samples, page_test_report(), false));
  for (const char* range : {"24h", "7d", "30d", "90d"}) {
    EXPECT_NE(file.find(std::string(R"(href="#range-)") + range + "\""), std::string::npos);
    EXPECT_NE(file.find(std::string(R"(id="range-)") + range + "\""), std::string::npos);
  }
  EXPECT_EQ(count_of(file, R"(class="range default")"), 1u);
  EXPECT_EQ(file.find("http-equiv=\"refresh\""), std::string::npos);
  const std::string served = render_status_page(page_input_of(samples, page_test_report(), true));
  EXPECT_NE(served.find(R"(href="/?range=30d")"), std::string::npos);
  EXPECT_EQ(count_of(served, R"(<section class="range)"), 1u);
  EXPECT_NE(served.find(R"(<meta http-equiv="refresh" content="60">)"), std::string::npos);
  // No script and nothing fetched from elsewhere.
  EXPECT_EQ(served.find("<script"), std::string::npos);
  EXPECT_EQ(served.find("https://"), std::string::npos);
}

/// A timestamped report `hours_ago` before kNow in `dir`, naming its host.
void write_page_test_report(const std::filesystem::path& dir, int hours_ago, std::string host) {
  Report report = page_test_report();
  report.host = std::move(host);
  report.timestamp = format_iso_utc(kNow - hours(hours_ago));
  testing::write_text(dir / report_file_name(kNow - hours(hours_ago), 0), to_json(report));
}

TEST(PageSources, TheNewestReportStandsInForAMissingLatestReport) {
  const testing::TempDir dir;
  write_page_test_report(dir.path(), 3, "older");
  write_page_test_report(dir.path(), 2, "newest-whole");
  // The newest file is cut short (being written): the one before it stands in.
  testing::write_text(dir / report_file_name(kNow - hours(1), 0), R"({"timestamp": "2026-)");
  const Result<PageSources> sources = load_page_sources(dir.path(), kNow);
  ASSERT_TRUE(sources.ok()) << sources.error().message();
  ASSERT_TRUE(sources->latest.has_value());
  EXPECT_EQ(sources->latest->host, "newest-whole");
  const std::string page =
      render_status_page(page_input_of(sources->samples, sources->latest, false));
  EXPECT_EQ(page.find("No report yet"), std::string::npos);
  EXPECT_NE(page.find("Last checked <time datetime=\"2026-12-01T07:33:20Z\">"), std::string::npos);

  // latest_report.json, when it reads, is the newest report.
  Report latest = page_test_report();
  latest.host = "latest";
  testing::write_text(dir / std::string(kLatestReportName), to_json(latest));
  EXPECT_EQ(load_page_sources(dir.path(), kNow)->latest->host, "latest");
}

TEST(PageSources, NoReportAtAllIsNoLatestReport) {
  const testing::TempDir dir;
  testing::write_text(dir / report_file_name(kNow - hours(1), 0), "not json");
  const Result<PageSources> sources = load_page_sources(dir.path(), kNow);
  ASSERT_TRUE(sources.ok()) << sources.error().message();
  EXPECT_FALSE(sources->latest.has_value());
}

TEST(LineChart, ThinsLongSeriesAndBreaksAtGaps) {
  LineChart chart{.id = "t", .title = "t", .since = kNow - hours(90 * 24), .until = kNow};
  for (int i = 90 * 24; i > 0; --i) chart.points.push_back({kNow - hours(i), 10.0 + i % 7});
  std::string svg = render_line_chart(chart);
  const std::size_t drawn = count_of(svg, "L") + count_of(svg, "M");
  EXPECT_LE(drawn, static_cast<std::size_t>(kMaxChartPoints) + 2);
  EXPECT_GE(drawn, static_cast<std::size_t>(kMaxChartPoints) - 2);
  EXPECT_NE(svg.find(R"(role="img")"), std::string::npos);
  EXPECT_NE(svg.find(R"(aria-labelledby="t-t t-d")"), std::string::npos);

  LineChart gappy{.id = "g", .title = "g", .since = kNow - hours(24), .until = kNow};
  for (int i = 20; i > 14; --i) gappy.points.push_back({kNow - hours(i), 5});
  for (int i = 5; i > 0; --i) gappy.points.push_back({kNow - hours(i), 5});
  svg = render_line_chart(gappy);
  const auto path = svg.substr(svg.find(R"(class="series")"));
  EXPECT_EQ(count_of(path.substr(0, path.find("/>")), "M"), 2u);
}

TEST(LineChart, ThePlotTakesTheWholeWidthRightOfItsLabels) {
  // Chromium's layout of these is checked by tests/browser/status_page_browser.py; here, the
  // geometry in the SVG's own units (480 wide).
  LineChart chart{.id = "w", .title = "w", .unit = " ms", .since = kNow - hours(24), .until = kNow};
  for (int i = 24; i >= 0; --i) chart.points.push_back({kNow - hours(i), i == 3 ? 10000.0 : 90.0});
  const std::string svg = render_line_chart(chart);
  // The widest label, "20000 ms", ends 4 units left of the plot, which starts at x 71.
  EXPECT_NE(svg.find(R"(<line x1="71.0" y1="12.0" x2="476.0" y2="12.0"/>)"
                     R"(<text class="tick" x="67.0" y="16.0" text-anchor="end">20000 ms</text>)"),
            std::string::npos);
  // The newest point, at the end of the range, is at the plot's right end.
  const std::string path = svg.substr(svg.find(R"(class="series")"));
  EXPECT_NE(path.find(R"(L476.0 141.4"/>)"), std::string::npos) << path.substr(0, 400);
}

TEST(LineChart, NiceCeilings) {
  EXPECT_EQ(nice_ceiling(0), 1);
  EXPECT_EQ(nice_ceiling(130), 200);
  EXPECT_EQ(nice_ceiling(480), 500);
  EXPECT_EQ(nice_ceiling(501), 1000);
}

}  // namespace
}  // namespace devops_monitor::page

namespace devops_monitor::serve {
namespace {

TEST(PageEndpoint, TakesTheRangeFromTheQuery) {
  EXPECT_EQ(page_range_of_query(""), PageRange::week);
  EXPECT_EQ(page_range_of_query("range=24h"), PageRange::day);
  EXPECT_EQ(page_range_of_query("x=1&range=90d"), PageRange::quarter);
  EXPECT_EQ(page_range_of_query("range=30d&range=7d"), PageRange::week);
  EXPECT_EQ(page_range_of_query("range=1y"), std::nullopt);
  EXPECT_EQ(page_range_of_query("range="), std::nullopt);
  EXPECT_EQ(bad_range_answer().status, 400);
}

TEST(PageEndpoint, SendsThePageWithAPolicyThatRunsNothing) {
  const HttpAnswer answer = page_answer("<!DOCTYPE html>");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "text/html; charset=utf-8");
  std::map<std::string, std::string> headers(answer.headers.begin(), answer.headers.end());
  EXPECT_EQ(headers.count("X-Content-Type-Options"), 0u) << "the server adds it to every answer";
  EXPECT_TRUE(headers["Content-Security-Policy"].starts_with("default-src 'none'; "));
  EXPECT_EQ(headers["Content-Security-Policy"].find("script-src"), std::string::npos);
}

}  // namespace
}  // namespace devops_monitor::serve
