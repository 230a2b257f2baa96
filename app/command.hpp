// A command of the tool: its name, a one-line summary, its own flags and what it runs. Each
// command lives in a file of its own (app/<name>_command.cpp) and declares everything it
// accepts; main only finds the command and parses its flags. Adding a command is one file and
// one line in all_commands().
#pragma once

#include <functional>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace devops_monitor::cli {

/// What a command does once its flags are parsed; returns the exit status.
using Run = std::function<int()>;

struct Command {
  std::string_view name;     // "check"
  std::string_view summary;  // one line, for `devops-monitor --help`
  /// Declares the command's flags, help footer and subcommands on its own `app`, and returns
  /// its run, which reads the flags once parsed.
  Run (*declare)(CLI::App& app);
};

Command check_command();
Command providers_command();
Command badge_command();
Command prune_command();
Command history_command();
Command report_command();
Command serve_command();
Command watch_command();
Command dashboard_command();
Command scan_command();
Command notify_command();
Command silence_command();

/// Every command, in the order `devops-monitor --help` lists them; check first (the default).
const std::vector<Command>& all_commands();

}  // namespace devops_monitor::cli
