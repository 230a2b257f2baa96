// The history of reports: what `history`, the status page and the dashboard read from the
// report directory. Loading is the only I/O (through the report store's listing); summarising
// is a pure function over plain samples, tested with values. docs/history.md has the rules
// (availability, the gap rule, the forecast) and the --json shape.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {
// The same alias as util/time_format.hpp's (a repeated alias of one type is allowed).
using SystemTime = std::chrono::system_clock::time_point;
}  // namespace devops_monitor

namespace devops_monitor::history {

/// One key's verdict in one report.
struct KeySample {
  std::string id;        // provider id ("openai"); derived from the display name in old reports
  std::string provider;  // display name, as in the report
  KeyState state = KeyState::missing;  // derived from key_present/key_valid in old reports
  std::optional<std::int64_t> latency_ms;
  /// What the key may still spend, where the provider reported it (the report's
  /// credit_remaining): the forecast's figure.
  std::optional<double> credit_remaining{};
};

struct DiskSample {
  std::string path;
  double percent = 0.0;
  std::uint64_t total_bytes = 0;  // 0 when the report does not say (old reports)
  std::uint64_t used_bytes = 0;
};

/// What the history keeps of one report file: a few numbers, not the whole Report.
struct Sample {
  SystemTime time{};  // the report's own timestamp, else the time in its file name
  Status status = Status::healthy;
  double cpu_percent = 0.0;
  double memory_percent = 0.0;
  std::vector<DiskSample> disks;  // old reports: one "/" disk from disk_percent
  std::vector<KeySample> keys;
  ThresholdSet thresholds;  // the report's own; defaults for old reports
};

/// The samples of a directory, oldest first, and one warning per file that was skipped
/// (unreadable, truncated, not a report): "skipped FILE: why".
struct LoadedHistory {
  std::vector<Sample> samples;
  std::vector<std::string> warnings;
};

/// Every report in `dir` whose time is at or after `since`, ours and the old tool's format.
/// Fails only when the directory itself cannot be listed; a bad file is a warning.
Result<LoadedHistory> load_history(const std::filesystem::path& dir, SystemTime since);

/// The sample one report makes (used by load_history, and by serve and watch for the report
/// they just made, so a fresh report never waits for a re-read of the directory).
Sample sample_of(const Report& report, SystemTime time);

struct LatencyStats {
  std::int64_t p50_ms = 0;
  std::int64_t p95_ms = 0;
  std::int64_t max_ms = 0;
  int measured = 0;  // checks that had a latency
};

struct StateChange {
  SystemTime time{};
  KeyState from = KeyState::missing;
  KeyState to = KeyState::missing;
};

struct ProviderSummary {
  std::string id;
  std::string provider;
  int checks = 0;
  int usable_checks = 0;      // checks where the key could serve (valid)
  double availability = 0.0;  // usable_checks / checks, 0..1
  std::map<KeyState, std::chrono::seconds> time_in_state;
  std::optional<LatencyStats> latency;  // absent when no check measured one
  std::optional<StateChange> last_change;
};

struct ResourceSummary {
  std::string name;  // "cpu", "memory", "disk /", "disk /home"
  double min = 0.0;  // percent
  double avg = 0.0;
  double max = 0.0;
  std::chrono::seconds above_warning{0};
  std::chrono::seconds above_critical{0};
  // Disks only: when the linear trend reaches 100%, if it rises and the fit says so.
  std::optional<SystemTime> full_at;
  // Added: disks only, the fitted trend in percentage points per day when the fit is
  // meaningful (docs/history.md), whatever its sign.
  std::optional<double> percent_per_day;
  int samples = 0;  // added: how many reports had this figure
};

struct StatusChange {
  SystemTime time{};
  Status from = Status::healthy;
  Status to = Status::healthy;
};

struct HistorySummary {
  SystemTime since{};
  SystemTime until{};
  int reports = 0;
  std::vector<ProviderSummary> providers;  // in the order of the newest report
  std::vector<ResourceSummary> resources;  // cpu, memory, then each disk
  std::map<Status, std::chrono::seconds> time_in_status;
  std::vector<StatusChange> transitions;  // overall status changes, oldest first
  // Added: what runs out, in seconds from `until`, by the fit serve exports as
  // devops_monitor_disk_full_eta_seconds and devops_monitor_credit_exhausted_eta_seconds
  // (docs/history.md, "Forecasts"): the last 7 days of the range. Only those a fit gave.
  std::map<std::string, double> disk_full_in_seconds;         // by disk path
  std::map<std::string, double> credit_exhausted_in_seconds;  // by provider id
};

/// Pure: statistics over `samples` (oldest first) between `since` and `now`. A sample's state
/// lasts until the next sample, but never across a gap longer than the rule documented in
/// docs/history.md, so a machine that was off does not count as "healthy all night".
HistorySummary summarize(const std::vector<Sample>& samples, SystemTime since, SystemTime now);

// ---- Added beside the seam: the rules summarize() uses, and what `history` prints. ----------

/// "Usable": the key could serve a request (valid). rate_limited and quota_exhausted
/// authenticated but cannot serve, unknown could not tell: none of them is available.
bool usable(KeyState state);

/// Whether a key state counts as a check: the key was present and the provider was asked
/// (not missing, not unsupported).
bool counts_as_check(KeyState state);

/// The longest a sample's state is taken to last: twice the median interval between the
/// samples (1h when there are fewer than two). Past it, the time is "no data".
std::chrono::seconds gap_limit(const std::vector<Sample>& samples);

/// How far back a history may reach (--since, parsed with parse_duration_between).
inline constexpr Milliseconds kMinHistoryRange{60 * 1000};
inline constexpr Milliseconds kMaxHistoryRange{3650LL * 24 * 60 * 60 * 1000};

struct HistoryRenderOptions {
  bool sparklines = false;  // a TTY: one sparkline per series (block characters)
  bool color = false;       // ANSI colours on the key sparklines (a TTY without NO_COLOR)
  std::chrono::seconds utc_offset{0};  // times are shown in this offset
  std::string range;                   // "7d", as the user wrote it, for the header
};

/// The human form: sections Overall, Keys, System. Text from the files goes through
/// printable(); no error messages are shown (reports hold them; the history does not need
/// them). Without sparklines the output has no escape codes and is plain ASCII-ish text.
std::string render_history_human(const HistorySummary& summary, const std::vector<Sample>& samples,
                                 const HistoryRenderOptions& options);

/// The --json form (docs/history.md): a stable shape, fields only ever added.
std::string render_history_json(const HistorySummary& summary, std::size_t skipped_files);

/// The local time zone's offset from UTC at `time` (for HistoryRenderOptions::utc_offset).
std::chrono::seconds local_offset_at(SystemTime time);

}  // namespace devops_monitor::history
