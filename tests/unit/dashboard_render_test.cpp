// The dashboard's pure parts with values: the view built from a report and the providers, the
// full screen at 80x24 and smaller, the bars' threshold marks, truncation, outside text made
// printable, and the --simple summary.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "dashboard/dashboard_view.hpp"
#include "dashboard/screen_text.hpp"
#include "devops_monitor/dashboard.hpp"

namespace devops_monitor {
namespace {

using dashboard::columns;

std::string without_escapes(const std::string& text) {
  static const std::regex escape("\x1b\\[[0-9;?]*[A-Za-z]");
  return std::regex_replace(text, escape, "");
}

DashboardProvider provider_row(const std::string& id, const std::string& name, KeyState state,
                               std::optional<std::int64_t> latency) {
  DashboardProvider row{.id = id,
                        .name = name,
                        .checked = true,
                        .state = state,
                        .latency_ms = latency,
                        .message = "API key is valid",
                        .recent = {}};
  for (int i = 0; i < 40; ++i) row.recent.push_back({state, latency ? *latency + i * 10 : 0});
  if (state == KeyState::missing) row.message = "no key in the environment or .env";
  return row;
}

/// Six providers (one without a key), three disks (one unmeasurable) and a last error.
DashboardView full_view() {
  DashboardView view;
  view.host = "build-box";
  view.now = "2026-12-06 03:21:52";
  view.status = Status::warning;
  view.gauges = {
      {"CPU", 45.2, {80, 90}, Status::healthy, "2 CPUs"},
      {"Memory", 85.0, {80, 90}, Status::warning, "13.6 of 16.0 GiB"},
      {"Disk /", 50.0, {80, 90}, Status::healthy, "50.0 of 100.0 GiB"},
      {"Disk /var", 95.5, {70, 85}, Status::critical, "95.5 of 100.0 GiB"},
      {"Disk /mnt", std::nullopt, {80, 90}, Status::unknown, "statfs did not answer in 5s"},
  };
  view.load = {0.52, 0.40, 0.33};
  view.providers = {
      provider_row("together", "Together AI", KeyState::valid, 120),
      provider_row("openai", "OpenAI (GPT-4)", KeyState::valid, 230),
      provider_row("anthropic", "Anthropic (Claude)", KeyState::missing, std::nullopt),
      provider_row("openrouter", "OpenRouter", KeyState::invalid, 90),
      provider_row("google", "Google (Gemini)", KeyState::unknown, std::nullopt),
      provider_row("moonshot", "Moonshot AI", KeyState::rate_limited, 300),
  };
  view.key_interval = "1m";
  view.last_check = "03:21:40";
  view.next_check = "03:22:40";
  view.next_check_in_s = 48;
  view.last_error = "03:21:41 warning: .env line 3 is not NAME=value";
  return view;
}

void expect_exact_size(const std::vector<std::string>& lines, int width, int height) {
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(height)) << width << "x" << height;
  for (const std::string& line : lines) {
    EXPECT_EQ(columns(without_escapes(line)), static_cast<std::size_t>(width))
        << width << "x" << height << ": [" << line << "]";
  }
}

std::string screen_text_of(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += without_escapes(line) + "\n";
  return text;
}

TEST(DashboardScreen, At80x24EverythingFitsAndShows) {
  for (const ScreenStyle style : {ScreenStyle{false, false}, ScreenStyle{true, true}}) {
    const std::vector<std::string> lines = render_screen(full_view(), 80, 24, style);
    expect_exact_size(lines, 80, 24);
    const std::string text = screen_text_of(lines);
    for (const char* shown : {"build-box",
                              "WARNING",
                              "CPU",
                              "Memory",
                              "Disk /var",
                              "Disk /mnt",
                              "statfs did not",
                              "0.52 0.40 0.33",
                              "Together AI",
                              "OpenAI (GPT-4)",
                              "Anthropic (Clau",
                              "OpenRouter",
                              "Google (Gemini)",
                              "Moonshot AI",
                              "no key",
                              "invalid",
                              "rate limited",
                              "230ms",
                              "next 03:22:40 (in 48s)",
                              "Last error",
                              "q quit"}) {
      EXPECT_NE(text.find(shown), std::string::npos) << shown << "\n" << text;
    }
    EXPECT_EQ(text.find("more lines"), std::string::npos) << text;
  }
}

TEST(DashboardScreen, EveryEnabledProviderHasARowWithOrWithoutAKey) {
  dashboard::ViewInputs inputs;
  inputs.providers = builtin_providers();
  inputs.providers.push_back({.id = "local", .name = "Local model", .env_var = "LOCAL_KEY"});
  inputs.providers.push_back({.id = "off", .name = "Switched off", .enabled = false});
  // Before the first key round: every row is there, waiting.
  DashboardView before = dashboard::dashboard_view(inputs);
  ASSERT_EQ(before.providers.size(), 7u);
  for (const DashboardProvider& row : before.providers) EXPECT_FALSE(row.checked) << row.id;
  EXPECT_NE(screen_text_of(render_screen(before, 80, 24)).find("checking"), std::string::npos);

  // After it: a key for openai only; the others were judged missing.
  for (const Provider& provider : inputs.providers) {
    if (!provider.enabled) continue;
    ApiKeyStatus key;
    key.id = provider.id;
    key.provider = provider.name;
    key.state = provider.id == "openai" ? KeyState::valid : KeyState::missing;
    key.key_present = provider.id == "openai";
    if (key.key_present) key.latency_ms = 210;
    inputs.report.api_keys.push_back(key);
  }
  inputs.recent["openai"] = {{KeyState::valid, 200}, {KeyState::valid, 210}};
  const DashboardView after = dashboard::dashboard_view(inputs);
  ASSERT_EQ(after.providers.size(), 7u);
  EXPECT_EQ(after.providers.back().id, "local");
  const std::string text = screen_text_of(render_screen(after, 80, 24));
  for (const DashboardProvider& row : after.providers) {
    EXPECT_TRUE(row.checked) << row.id;
    EXPECT_NE(text.find(dashboard::cut(row.name, 16, true)), std::string::npos) << row.name;
  }
  EXPECT_EQ(text.find("Switched off"), std::string::npos);
  EXPECT_NE(text.find("210ms"), std::string::npos);
}

TEST(DashboardScreen, BarsMarkTheWarningAndCriticalThresholds) {
  DashboardView view;
  view.gauges = {{"CPU", 50.0, {80, 90}, Status::healthy, "2 CPUs"}};
  for (const int width : {40, 60, 80, 120}) {
    const std::vector<std::string> lines = render_screen(view, width, 24, {false, false});
    std::string bar;
    for (const std::string& line : lines) {
      if (line.rfind(" CPU", 0) == 0) bar = line.substr(line.find('[') + 1);
    }
    bar = bar.substr(0, bar.find(']'));
    ASSERT_GE(bar.size(), 10u) << width;
    const std::size_t cells = bar.size();
    EXPECT_EQ(bar[80 * cells / 100], '|') << width << " [" << bar << "]";
    EXPECT_EQ(bar[90 * cells / 100], '|') << width << " [" << bar << "]";
    EXPECT_EQ(std::count(bar.begin(), bar.end(), '|'), 2) << bar;
    EXPECT_EQ(static_cast<std::size_t>(std::count(bar.begin(), bar.end(), '#')), (cells + 1) / 2)
        << bar;
  }
  // A value above both thresholds fills the bar and still shows both marks.
  view.gauges[0].percent = 97.0;
  const std::string full = screen_text_of(render_screen(view, 80, 24, {false, false}));
  EXPECT_NE(full.find("#|#"), std::string::npos) << full;
  EXPECT_NE(full.find("warn 80 crit 90"), std::string::npos) << full;
}

TEST(DashboardScreen, LongNamesAreCutToTheirColumn) {
  DashboardView view = full_view();
  view.providers[0].name = std::string(200, 'N');
  view.gauges[2].name = "Disk /very/long/mount/point/of/the/machine";
  view.providers[1].message = std::string(300, 'm');
  view.host = std::string(150, 'h');
  for (const ScreenStyle style : {ScreenStyle{false, false}, ScreenStyle{false, true}}) {
    const std::vector<std::string> lines = render_screen(view, 80, 24, style);
    expect_exact_size(lines, 80, 24);
    const std::string text = screen_text_of(lines);
    EXPECT_NE(text.find(std::string(15, 'N') + (style.unicode ? "\u2026" : "~")), std::string::npos)
        << text;
    EXPECT_EQ(text.find(std::string(17, 'N')), std::string::npos) << text;
  }
}

TEST(DashboardScreen, OutsideTextCannotDriveTheTerminal) {
  DashboardView view = full_view();
  view.providers[0].name = "Evil\x1b[2J\x1b]0;owned\x07 AI";
  view.providers[0].message =
      "bad\x1b[31m key\r\nline\x9b"
      "2J";
  view.host = "host\x1b[H";
  view.gauges[4].detail = "stuck\x1b[?1049l";
  view.last_error = "oops\x07\x1b[K";
  const std::string screen = screen_text_of(render_screen(view, 80, 24, {false, true}));
  EXPECT_EQ(screen.find('\x1b'), std::string::npos) << screen;
  EXPECT_EQ(screen.find('\x07'), std::string::npos) << screen;
  EXPECT_EQ(screen.find('\r'), std::string::npos) << screen;
  EXPECT_NE(screen.find("Evil[2J]0;owned"), std::string::npos) << screen;
  // With colours on, the only escapes are our own SGR codes.
  for (const std::string& line : render_screen(view, 80, 24, {true, true})) {
    static const std::regex sgr("\x1b\\[[0-9;]*m");
    EXPECT_EQ(std::regex_replace(line, sgr, "").find('\x1b'), std::string::npos) << line;
  }
  const std::string simple = render_simple(view);
  EXPECT_EQ(simple.find('\x1b'), std::string::npos) << simple;
  EXPECT_EQ(simple.find('\x07'), std::string::npos) << simple;
}

TEST(DashboardScreen, SmallerTerminalsGetExactlyTheirSize) {
  const DashboardView view = full_view();
  for (const int width : {1, 10, 20, 30, 39, 40, 50, 59, 60, 69, 70, 79, 81, 132, 300}) {
    for (const int height : {1, 2, 3, 5, 10, 16, 24, 60}) {
      expect_exact_size(render_screen(view, width, height, {true, true}), width, height);
    }
  }
  EXPECT_TRUE(render_screen(view, 0, 24).empty());
  // Short: the spacing goes first, then lines, and the screen says so.
  const std::string short_screen = screen_text_of(render_screen(view, 80, 12, {false, false}));
  EXPECT_NE(short_screen.find("more lines"), std::string::npos) << short_screen;
  EXPECT_NE(short_screen.find("q quit"), std::string::npos) << short_screen;
  // Narrow: still every provider and its state.
  const std::string narrow = screen_text_of(render_screen(view, 40, 24, {false, false}));
  EXPECT_NE(narrow.find("no key"), std::string::npos) << narrow;
  EXPECT_NE(narrow.find("Moonshot AI"), std::string::npos) << narrow;
}

TEST(DashboardScreen, SparklinesShowTheLastChecks) {
  const std::vector<DashboardCheck> checks = {{KeyState::valid, 100},
                                              {KeyState::valid, 400},
                                              {KeyState::invalid, 50},
                                              {KeyState::unknown, std::nullopt},
                                              {KeyState::missing, std::nullopt},
                                              {KeyState::rate_limited, 200}};
  std::string ascii;
  for (const std::string& glyph : dashboard::sparkline(checks, 10, false)) ascii += glyph;
  EXPECT_EQ(ascii, ".#x? -");  // 100 and 200 ms of the slowest 400
  std::string blocks;
  for (const std::string& glyph : dashboard::sparkline(checks, 3, true)) blocks += glyph;
  EXPECT_EQ(blocks, "?\u00b7\u2588");  // the newest three; 200 ms is the slowest shown
}

TEST(DashboardSimple, IsPlainTextWithEveryRow) {
  const std::string text = render_simple(full_view());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  for (const char* shown : {"build-box", "warning", "CPU 45.2% healthy (warning 80%, critical 90%)",
                            "Disk /var 95.5% critical", "Disk /mnt - unknown", "Load 0.52",
                            "OpenAI (GPT-4): valid, 230ms", "Anthropic (Claude): no key",
                            "next 03:22:40 (in 48s)", "Last error"}) {
    EXPECT_NE(text.find(shown), std::string::npos) << shown << "\n" << text;
  }
  EXPECT_EQ(text.substr(text.size() - 2), "\n\n");
}

TEST(DashboardView, GaugesAndTimesFromTheReport) {
  dashboard::ViewInputs inputs;
  SystemHealth& system = inputs.report.system_health;
  system.cpu_percent = 12.5;
  system.cpu_count = 4;
  system.memory_percent = 40.0;
  system.memory_total_bytes = 16ULL << 30;
  system.memory_available_bytes = 12ULL << 30;
  system.disks = {{.path = "/",
                   .total_bytes = 100ULL << 30,
                   .used_bytes = 25ULL << 30,
                   .available_bytes = 75ULL << 30,
                   .percent = 25.0},
                  {.path = "/stuck", .status = Status::unknown, .error = "statfs timed out"}};
  system.thresholds.disk = {70, 85};
  inputs.report.host = "box";
  inputs.now = std::chrono::system_clock::time_point(std::chrono::seconds(1'780'000'000));
  inputs.last_round_started = inputs.now - std::chrono::seconds(12);
  inputs.next_round = inputs.now + std::chrono::milliseconds(47'200);
  inputs.key_interval = Milliseconds(60'000);
  const DashboardView view = dashboard::dashboard_view(inputs);
  ASSERT_EQ(view.gauges.size(), 4u);
  EXPECT_EQ(view.gauges[0].detail, "4 CPUs");
  EXPECT_EQ(view.gauges[1].detail, "4.0 of 16.0 GiB");
  EXPECT_EQ(view.gauges[2].name, "Disk /");
  EXPECT_EQ(view.gauges[2].thresholds.warning, 70);
  EXPECT_EQ(view.gauges[2].detail, "25.0 of 100.0 GiB");
  EXPECT_FALSE(view.gauges[3].percent.has_value());
  EXPECT_EQ(view.gauges[3].detail, "statfs timed out");
  EXPECT_EQ(view.now, "2026-05-28 20:26:40");
  EXPECT_EQ(view.last_check, "20:26:28");
  EXPECT_EQ(view.next_check, "20:27:27");
  EXPECT_EQ(view.next_check_in_s, 48);
  EXPECT_EQ(view.key_interval, "1m");
}

}  // namespace
}  // namespace devops_monitor
