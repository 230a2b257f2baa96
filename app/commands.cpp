#include "command.hpp"

namespace devops_monitor::cli {

const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = {
      check_command(),     providers_command(), serve_command(),  watch_command(),
      dashboard_command(), history_command(),   report_command(), badge_command(),
      prune_command(),     scan_command(),      notify_command(), silence_command()};
  return commands;
}

}  // namespace devops_monitor::cli
