// At start-up: run a check; if critical, alert; otherwise use the first provider in the
// fallback order.   startup_check [CONFIG_FILE]
#include <devops_monitor/config.hpp>
#include <devops_monitor/monitor.hpp>

#include <cstdio>

namespace dm = devops_monitor;

int main(int argc, char** argv) {
  // What the command line reads: the named (or installed) config file, then ./.env.
  dm::SettingsSources sources;
  if (argc > 1) sources.config_file = argv[1];
  dm::Result<dm::Settings> loaded = dm::load_settings(sources);
  if (!loaded) {
    std::fprintf(stderr, "startup_check: %s\n", loaded.error().message().c_str());
    return 3;
  }
  dm::Settings settings = *loaded;
  settings.save_report = false;  // an application asks; the hourly job keeps the history
  settings.cpu_window = dm::Milliseconds(300);

  const dm::Monitor monitor(settings);
  const dm::Result<dm::Report> report = monitor.perform_health_check();
  if (!report) {
    std::fprintf(stderr, "startup_check: %s\n", report.error().message().c_str());
    return 3;
  }
  if (report->status == dm::Status::critical) {
    std::printf("ALERT: machine is critical\n");
    for (const std::string& issue : report->issues_found) std::printf("  %s\n", issue.c_str());
    return 2;
  }
  if (report->provider_fallback_order.empty()) {
    std::printf("no AI provider available\n");
    return 1;
  }
  std::printf("status: %s\n", std::string(dm::to_string(report->status)).c_str());
  std::printf("using provider: %s\n", report->provider_fallback_order.front().c_str());
  return 0;
}
