// `devops-monitor dashboard` as a library: a live view of the key states and the machine.
//
//   auto dashboard = devops_monitor::Dashboard::start(settings, {.key_interval = 60s});
//   if (!dashboard) { /* dashboard.error().message() names the file or path */ }
//   for (;;) {
//     const auto lines = devops_monitor::render_screen((*dashboard)->view(), cols, rows, {});
//     ... draw them, wait a second or for a key ...
//   }
//   (*dashboard)->stop();
//
// A background sampler measures CPU, memory, load and disks every second (serve's sampler);
// the keys are checked on a thread of their own, at start and then every key_interval, so a
// slow provider never holds the view back. view() only copies what the threads last found.
// The dashboard keeps no reports: it is a viewer (`watch`, `serve` and the timer keep them);
// it reads the report directory once at start for the last checks' history.
//
// The view is plain data and the renderers are pure functions of it (and of the terminal
// size): the terminal itself (raw mode, escape codes, signals) belongs to the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {

/// CPU, memory or one disk: a value with its thresholds.
struct DashboardGauge {
  std::string name;               // "CPU", "Memory", "Disk /home"
  std::optional<double> percent;  // none: could not be measured (see detail)
  Thresholds thresholds;          // warning and critical, in percent
  Status status = Status::healthy;
  std::string detail;  // "2 CPUs", "6.4 of 16.0 GiB", or why it could not be measured
};

/// One past check of a key, for the sparkline.
struct DashboardCheck {
  KeyState state = KeyState::missing;
  std::optional<std::int64_t> latency_ms;
};

/// One configured provider's row: present whether or not it has a key.
struct DashboardProvider {
  std::string id;
  std::string name;
  bool checked = false;  // false until a key round has judged it
  KeyState state = KeyState::missing;
  std::optional<std::int64_t> latency_ms;
  std::string message;                 // the verdict in words ("API key is valid")
  std::vector<DashboardCheck> recent;  // the last checks, oldest first, this one included
};

struct DashboardView {
  std::string host;
  std::string now;                     // "2026-12-06 03:21:52", local time
  Status status = Status::healthy;     // the system's latest reading with the last key verdicts
  std::vector<DashboardGauge> gauges;  // CPU, memory, then each disk
  LoadAverage load;
  std::vector<DashboardProvider> providers;  // every enabled provider, by priority
  std::string key_interval;                  // "1m"
  bool checking = false;                     // a key round is running now
  std::optional<std::string> last_check;     // "03:21:52": when the last key round started
  std::optional<std::string> next_check;     // "03:22:52"
  std::optional<std::int64_t> next_check_in_s;
  std::optional<std::string> last_error;  // the latest problem, one line, with its time
  /// One line per maintenance silence active now: "maintenance until 2026-12-07 10:00:00:
  /// disk:/ - migrating / to NVMe" (the comment is outside text: renderers make it printable).
  std::vector<std::string> maintenance;
};

struct ScreenStyle {
  bool colour = false;  // SGR colours (green, yellow, red by status)
  bool unicode = true;  // block characters for bars and sparklines; ASCII otherwise
};

/// The full-screen view: exactly `height` lines, each exactly `width` columns wide (escape
/// codes take no column). 80x24 shows everything for six providers and three disks; a smaller
/// terminal drops the less important columns first, then lines (saying how many). Outside
/// text (names, messages, paths, host) goes through printable().
std::vector<std::string> render_screen(const DashboardView& view, int width, int height,
                                       ScreenStyle style = {});

/// The plain summary of `dashboard --simple`: a few lines of ASCII text ending in a blank
/// line, no escape codes.
std::string render_simple(const DashboardView& view);

struct DashboardOptions {
  Milliseconds key_interval{60000};  // between the starts of two key rounds
  std::size_t history_length = 60;   // checks kept per provider for the sparkline
};

class Dashboard {
 public:
  /// Checks the settings and takes the first system sample (failing, naming the file or path,
  /// where a check would fail); then the sampler and the first key round start in the
  /// background.
  static Result<std::unique_ptr<Dashboard>> start(Settings settings, DashboardOptions options);

  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;
  ~Dashboard();

  /// What the threads last found, as of now. Never waits for a measurement or a key check.
  [[nodiscard]] DashboardView view() const;

  /// Key rounds finished so far (successful or not): `--simple` prints after each.
  [[nodiscard]] std::uint64_t rounds_finished() const;

  /// Stops sampling and any key round in flight; returns within about a second. Idempotent.
  void stop();

  struct Impl;

 private:
  explicit Dashboard(std::unique_ptr<Impl> impl);
  [[nodiscard]] DashboardView current_view() const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace devops_monitor
