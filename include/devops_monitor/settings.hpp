// Everything a check needs to know, after flags, config file and defaults are merged.
// load_settings() (devops_monitor/config.hpp) builds it the way the command line does.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/provider.hpp"

namespace devops_monitor {

/// A metric is healthy below `warning`, warning from `warning` to `critical` inclusive,
/// critical above `critical`.
struct Thresholds {
  double warning = 80.0;
  double critical = 90.0;
};

struct ThresholdSet {
  Thresholds cpu;
  Thresholds memory;
  Thresholds disk;
};

// Accepted ranges, the same for flags and config file.
inline constexpr Milliseconds kMinCpuWindow{100};  // shorter windows measure noise
inline constexpr Milliseconds kMaxCpuWindow{10 * 60 * 1000};
inline constexpr Milliseconds kMinTimeout{100};
inline constexpr Milliseconds kMaxTimeout{5 * 60 * 1000};
inline constexpr Milliseconds kMinMountTimeout{100};
inline constexpr Milliseconds kMaxMountTimeout{5 * 60 * 1000};
inline constexpr Milliseconds kMinDeadline{1000};
inline constexpr Milliseconds kMaxDeadline{60 * 60 * 1000};
/// Without a set deadline a check may take cpu_window + timeout + this margin, saving included.
inline constexpr Milliseconds kDeadlineMargin{5000};

/// Where a webhook notifier posts the transitions of a check (docs/configuration.md).
enum class WebhookFormat { json, slack };

struct WebhookSettings {
  /// https, or http to a loopback host. May carry a secret (Slack's do): never shown.
  std::string url;
  WebhookFormat format = WebhookFormat::json;
  Milliseconds timeout{10000};  // the whole delivery, its one retry included
};

inline constexpr Milliseconds kMinActionTimeout{1000};
inline constexpr Milliseconds kMaxActionTimeout{60 * 60 * 1000};

/// Commands run when the overall status changes, as argv (no shell). Empty: nothing is run.
struct ActionSettings {
  std::vector<std::string> on_warning;
  std::vector<std::string> on_critical;
  std::vector<std::string> on_recovery;
  /// How long an action may run before it is stopped (SIGTERM, then SIGKILL).
  Milliseconds timeout{30000};
  /// Variables of the daemon's environment an action gets besides PATH, HOME, LANG and the
  /// event's DEVOPS_MONITOR_* ones: nothing else is passed, so no secret is by accident.
  std::vector<std::string> pass_env{};
};

inline constexpr Milliseconds kMinWatchInterval{1000};
inline constexpr Milliseconds kMaxWatchInterval{7 * 24 * 60 * 60 * 1000};
inline constexpr Milliseconds kMinWebhookTimeout{100};
inline constexpr Milliseconds kMaxWebhookTimeout{60 * 1000};
/// serve's key rounds: 1s is for tests and demos (each round costs one request per provider).
inline constexpr Milliseconds kMinKeyInterval{1000};
inline constexpr Milliseconds kMaxKeyInterval{7 * 24 * 60 * 60 * 1000};
/// The daemons' rolling CPU average (serve, watch, the dashboard).
inline constexpr Milliseconds kMinCpuAverage{1000};
inline constexpr Milliseconds kMaxCpuAverage{60 * 60 * 1000};
/// How many consecutive checks must agree before watch announces a change.
inline constexpr int kMinWatchConfirm = 1;
inline constexpr int kMaxWatchConfirm = 100;

/// A default-constructed Settings is the built-in defaults and nothing else: the six built-in
/// providers, thresholds 80/90, a 1s CPU window, a 10s timeout per provider, disk /, /proc,
/// reports saved in ./monitoring_reports, and keys read from the process environment only.
/// It reads no config file and no .env file (not even ./.env). For the command line's
/// behaviour (the config file, then ./.env) start from load_settings() instead.
struct Settings {
  std::filesystem::path report_dir = "monitoring_reports";
  bool save_report = true;
  Milliseconds cpu_window{1000};  // the old script's cpu_percent(interval=1)
  /// serve, watch and the dashboard judge CPU on its average over this span of their
  /// one-second samples, not on one sample; `check` keeps cpu_window.
  Milliseconds cpu_average{60 * 1000};
  Milliseconds timeout{10000};  // per provider, retry included
  /// How long a disk's statfs may take before the disk is reported as not answering (a stuck
  /// NFS or FUSE mount); node_exporter's --collector.filesystem.mount-timeout default.
  Milliseconds mount_timeout{5000};
  /// The most a whole check may take, saving included; unset: cpu_window + timeout +
  /// kDeadlineMargin. Must exceed cpu_window by at least a second.
  std::optional<Milliseconds> deadline;
  std::vector<std::filesystem::path> disks{"/"};
  std::filesystem::path procfs = "/proc";
  std::string ca_bundle;  // empty: the system CA store
  /// .env file to read keys from; the process environment wins over it. Unset: none, keys
  /// come from the environment alone (load_settings sets ./.env when it exists).
  std::optional<std::filesystem::path> env_file;
  /// Whether env_file was named (--env-file, the config's env_file, or set by the application)
  /// rather than found: load_settings's ./.env, which a checkout nobody reviewed may have
  /// planted, is read only as a regular file (no symlink), expands ${VAR} from its own earlier
  /// lines only, and when it cannot be read costs a warning, not the check.
  bool env_file_named = true;
  ThresholdSet thresholds;
  std::vector<Provider> providers = builtin_providers();
  int retention_days = 90;  // reports older than this are pruned ("clean up after 90 days")
  int rotation_days = 90;   // keys older than this get a rotation reminder ("rotate quarterly")
  // For `watch` and notifications: only a trusted config file sets these (they decide where
  // data goes and what runs).
  Milliseconds watch_interval{60 * 60 * 1000};
  /// A component changes state for watch's webhooks and actions only after this many
  /// consecutive checks agree (1: at once).
  int watch_confirm = 2;
  /// GET after every completed check (a dead man's switch); empty: none. Its path and query
  /// usually carry a token: only its host is ever shown.
  std::string heartbeat_url;
  std::vector<WebhookSettings> webhooks;
  ActionSettings actions;
  /// For `serve`: how often the key checks run (never per scrape: each costs provider requests).
  Milliseconds key_interval{5 * 60 * 1000};

  /// The deadline in effect.
  [[nodiscard]] Milliseconds effective_deadline() const {
    return deadline.value_or(cpu_window + timeout + kDeadlineMargin);
  }
};

}  // namespace devops_monitor
