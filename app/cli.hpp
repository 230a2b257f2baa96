// Command-line parsing: flags into a plain struct, nothing else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor::cli {

enum class Command {
  check,
  badge,
  prune,
  providers,
  help,
  version,
  notify_github,
  scan,
  serve,
  watch,
  history,
  report,
  dashboard
};

/// The scan command's flags as given; run_scan turns them into the library's ScanOptions.
struct ScanOptions {
  std::vector<std::string> paths;            // none: "."
  std::optional<std::string> max_file_size;  // "512K", "10M", "1G" or bytes
  std::vector<std::string> excludes;         // fnmatch globs
  bool sarif = false;
  bool verify = false;
};
struct CliOptions;
/// The scan command; returns the exit status (0 clean, 1 found, 3 error).
int run_scan(const CliOptions& options, const Settings& settings);

struct CliOptions {
  Command command = Command::check;
  std::string help_text;  // for Command::help
  bool json = false;
  OutputFormat format = OutputFormat::human;  // check's output; --json is --format json
  std::optional<std::string> textfile_dir;    // check: also write DIR/devops_monitor.prom
  bool no_save = false;
  bool dry_run = false;
  bool ignore_gaps = false;
  std::string badge_format = "markdown";
  std::optional<std::string> config;
  std::optional<std::string> env_file;
  std::optional<std::string> report_dir;
  std::optional<std::string> procfs;
  std::optional<std::string> cpu_window;
  std::optional<std::string> timeout;
  std::optional<std::string> mount_timeout;
  std::optional<std::string> deadline;
  std::optional<int> retention_days;
  std::vector<std::string> disks;
  std::optional<std::string> interval;  // watch: overrides [watch] interval; dashboard's keys
  bool dashboard_simple = false;        // dashboard --simple
  /// `notify github` flags; the environment (GITHUB_*) is read by notify_command.cpp.
  struct NotifyOptions {
    std::optional<std::string> repo;
    std::optional<std::string> report;
    std::optional<std::string> scan;
    std::string min_status = "warning";
    std::optional<std::string> alert_key;
    bool dry_run = false;
  };
  NotifyOptions notify;
  ScanOptions scan;
  /// `serve` flags; --key-interval goes into Settings (settings_from_cli).
  struct ServeFlags {
    std::string listen = "127.0.0.1:9877";
    std::optional<std::string> web_config;
    std::optional<std::string> key_interval;
  };
  ServeFlags serve;
  std::string since = "7d";  // history: how far back
  /// `report` flags: the HTML status page written to a file.
  struct ReportFlags {
    std::optional<std::string> html;  // FILE
    std::string since = "7d";         // the range shown first: 24h, 7d, 30d, 90d
  };
  ReportFlags report;
};

/// The serve command: runs until SIGTERM or SIGINT; returns the exit status (0 stopped,
/// 3 could not start).
int run_serve(const CliOptions& options, const Settings& settings);

/// The history command; returns the exit status (0 shown, 3 could not run).
int run_history(const CliOptions& options, const Settings& settings);

/// Parses argv. Errors name the offending flag.
Result<CliOptions> parse_command_line(int argc, const char* const* argv);

}  // namespace devops_monitor::cli
