// `devops-monitor serve`: the exporter with signals at its edge. The library does the serving;
// this file takes the signals (app/daemon.hpp) and prints the log lines.
#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "command.hpp"
#include "daemon.hpp"
#include "devops_monitor/serve.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kServeFooter =
    "Endpoints: /metrics (Prometheus text format 0.0.4), /healthz (200 \"ok\" once the first\n"
    "key round has judged the keys, 503 before), /report (the latest key round's report JSON\n"
    "as the status page shows it: no key fingerprints, env var names or provider errors; 503\n"
    "before the first), / and /?range=24h|7d|30d|90d (the HTML status page, as `report --html`\n"
    "writes it), anything else 404; GET and HEAD (a body, or headers of a doubtful form, 400).\n"
    "Each request's line and headers must arrive within 10s; 64 connections, 32 per address,\n"
    "the longest waiting for a request ending to make room. Range is ignored.\n"
    "CPU, memory, load and disks are sampled every second in the background, so a scrape\n"
    "never waits. Key checks run at start and then every --key-interval (never per scrape);\n"
    "each round writes a report (unless --no-save) and prunes per --retention-days. Until the\n"
    "first round, /metrics has the system series but no key series and no overall status. A\n"
    "failed round is logged and counted in devops_monitor_check_errors_total; never fatal.\n"
    "Logs one line per event on stderr, first \"listening on HOST:PORT (TLS off, basic auth\n"
    "off)\" (port 0 asks the kernel; the line names the port it chose). SIGTERM or SIGINT:\n"
    "stops within a second, exit 0. SIGHUP: logged and ignored (serve does not reload).\n"
    "Exit status: 0 stopped by a signal, 3 could not start (bad flag or config, address in\n"
    "use, unreadable procfs, a web config that is refused: docs/web-config.md).\n"
    "Examples:\n"
    "  devops-monitor serve\n"
    "  devops-monitor serve --listen :9877 --web-config /etc/devops-monitor/web.yml\n"
    "  devops-monitor serve --listen 127.0.0.1:0 --no-save --key-interval 30s";

struct ServeFlags {
  SettingsFlags settings;
  std::optional<std::string> listen;
  std::optional<std::string> web_config;
  std::optional<std::string> key_interval;
};

/// "127.0.0.1:9877", "[::1]:9877", ":9877 (every address)".
std::string host_port(const MetricsServer& server) {
  const std::string& host = server.host();
  const std::string port = std::to_string(server.port());
  if (host.empty()) return ":" + port + " (every address)";
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return shown + ":" + port;
}

/// "TLS on, basic auth on (2 users)", and a reminder when neither protects an address beyond
/// loopback.
std::string protection(const MetricsServer& server) {
  const std::size_t users = server.basic_auth_users();
  std::string text = server.tls() ? "TLS on" : "TLS off";
  text += users == 0
              ? ", basic auth off"
              : ", basic auth on (" + std::to_string(users) + (users == 1 ? " user)" : " users)");
  if (!server.loopback() && (!server.tls() || users == 0)) {
    text += "; beyond loopback: protect it with --web-config";
  }
  return text;
}

using StartedServer = Result<std::unique_ptr<MetricsServer>>;

/// The settings, the web config, the report directory's history, the first system reading and
/// the listening socket: everything serve does before it answers.
StartedServer start_server(const ServeFlags& flags) {
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return settings.error();
  if (flags.key_interval) {
    Result<Milliseconds> interval =
        duration_flag(*flags.key_interval, "--key-interval", kMinKeyInterval, kMaxKeyInterval);
    if (!interval) return interval.error();
    settings->key_interval = *interval;
  }
  ServeOptions serve;
  if (flags.listen) serve.listen = *flags.listen;
  if (flags.web_config) serve.web_config = *flags.web_config;
  return MetricsServer::start(std::move(*settings), serve,
                              [](std::string_view line) { log_line(line); });
}

int run_serve(const ServeFlags& flags) {
  // Before any thread starts: threads inherit the mask, so only wait_for_signal sees them.
  block_daemon_signals();
  StartedServer server =
      start_answering_signals<StartedServer>([&flags] { return start_server(flags); });
  if (!server) return fail(server.error());
  log_line("listening on " + host_port(**server) + " (" + protection(**server) + ")");
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

}  // namespace

Command serve_command() {
  return {"serve",
          "Run as a Prometheus exporter: /metrics, /healthz, /report and the status page /",
          [](CLI::App& app) -> Run {
            auto flags = std::make_shared<ServeFlags>();
            app.footer(kServeFooter);
            value_flag(app, "--listen", flags->listen, "ADDR",
                       "HOST:PORT to listen on; [::1]:PORT for IPv6, :PORT for every address; "
                       "beyond loopback only when named",
                       "127.0.0.1:9877");
            value_flag(app, "--web-config", flags->web_config, "FILE",
                       "node_exporter's web config file: TLS (tls_server_config) and basic auth "
                       "(basic_auth_users, bcrypt of cost 10 or more)",
                       "none: plain HTTP, no auth");
            value_flag(app, "--key-interval", flags->key_interval, "DURATION",
                       "Time between key check rounds (1s to 7d)",
                       "[serve] key_interval of the config, else 5m");
            add_settings_flags(app, flags->settings,
                               kConfigFlag | kEnvFileFlag | kTimeoutFlag | kReportDirFlag |
                                   kNoSaveFlag | kRetentionFlag | kSystemFlags);
            return [flags] { return run_serve(*flags); };
          }};
}

}  // namespace devops_monitor::cli
