// Command-line parsing: flags into a plain struct, nothing else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor::cli {

enum class Command { check, badge, prune, providers, help, version, notify_github };

struct CliOptions {
  Command command = Command::check;
  std::string help_text;  // for Command::help
  bool json = false;
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
  // ---- notify github (issue 7) --------------------------------------------------------------
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
  // ---- end notify github --------------------------------------------------------------------
};

/// Parses argv. Errors name the offending flag.
Result<CliOptions> parse_command_line(int argc, const char* const* argv);

}  // namespace devops_monitor::cli
