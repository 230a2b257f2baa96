// The exporter behind `devops-monitor serve`: /metrics, /healthz and /report over HTTP(S).
//
//   auto server = devops_monitor::MetricsServer::start(settings, {.listen = "127.0.0.1:9877"},
//                                                      [](std::string_view line) { log(line); });
//   if (!server) { /* server.error().message() names the address, file or path */ }
//   ... (*server)->port() ...
//   (*server)->stop();
//
// A background sampler measures CPU (over each 1 s tick), memory, load and disks; key checks
// run at start and then every settings.key_interval, never per scrape. A scrape renders the
// latest sample with the cached key results and never waits for a measurement. Each key
// round's report is kept like a check's (unless settings.save_report is false); a round that
// fails counts in devops_monitor_check_errors_total and keeps the previous key results.
//
// The library never prints: log lines (one line each, outside text already made printable)
// go to the callback, from the server's threads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

struct ServeOptions {
  /// HOST:PORT: "127.0.0.1:9877", "[::1]:9877", "0.0.0.0:9877"; port 0 asks the kernel.
  std::string listen = "127.0.0.1:9877";
  /// node_exporter's web config file (TLS, basic auth); unset: plain HTTP, no auth.
  std::optional<std::filesystem::path> web_config;
};

class MetricsServer {
 public:
  using Log = std::function<void(std::string_view line)>;

  /// Checks the settings, takes the first system sample (failing, naming the file or path,
  /// where a check would fail), binds the address and starts serving; the first key round
  /// starts at once in the background.
  static Result<std::unique_ptr<MetricsServer>> start(Settings settings, ServeOptions options,
                                                      Log log);

  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  ~MetricsServer();

  /// Stops serving, sampling and any key round in flight (its requests are abandoned);
  /// returns within about a second. Idempotent.
  void stop();

  /// The bound port (the kernel's choice when port 0 was asked).
  [[nodiscard]] int port() const;
  /// The listening host as given (without brackets), and whether it is loopback only.
  [[nodiscard]] const std::string& host() const;
  [[nodiscard]] bool loopback() const;
  /// Whether it serves HTTPS, and how many users basic auth knows (0: no basic auth), as the
  /// web config says.
  [[nodiscard]] bool tls() const;
  [[nodiscard]] std::size_t basic_auth_users() const;

  struct Impl;

 private:
  explicit MetricsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace devops_monitor
