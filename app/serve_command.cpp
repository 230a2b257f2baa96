// devops-monitor serve: the exporter with signals at its edge. The library does the serving;
// this file takes the signals (app/daemon.hpp) and prints the log lines.
#include <chrono>
#include <string>

#include "cli.hpp"
#include "daemon.hpp"
#include "devops_monitor/serve.hpp"

namespace devops_monitor::cli {
namespace {

/// "127.0.0.1:9877", "[::1]:9877".
std::string host_port(const MetricsServer& server) {
  const std::string& host = server.host();
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return shown + ":" + std::to_string(server.port());
}

}  // namespace

int run_serve(const CliOptions& options, const Settings& settings) {
  // Before any thread starts: threads inherit the mask, so only wait_for_signal sees them.
  block_daemon_signals();

  ServeOptions serve;
  serve.listen = options.serve.listen;
  if (options.serve.web_config) serve.web_config = *options.serve.web_config;
  Result<std::unique_ptr<MetricsServer>> server =
      MetricsServer::start(settings, serve, [](std::string_view line) { log_line(line); });
  if (!server) {
    log_line(server.error().message());
    return 3;
  }
  const std::string where = host_port(**server);
  if ((*server)->loopback()) {
    log_line("listening on " + where);
  } else {
    log_line("listening on " + where + " (beyond loopback: protect it with --web-config)");
  }
  for (;;) {
    const DaemonSignal signal = wait_for_signal(std::chrono::hours(1));
    if (signal == DaemonSignal::stop) break;
    if (signal == DaemonSignal::reload) {
      log_line("SIGHUP: serve does not reload its configuration; restart it to apply changes");
    }
  }
  log_line("stopping");
  (*server)->stop();
  return 0;
}

}  // namespace devops_monitor::cli
