// The embedded HTTP(S) server behind `serve`: GET and HEAD on a few paths, nothing else.
// It owns the transport rules of serving (limits, timeouts, TLS, basic auth); what a path
// answers is the caller's PathHandler. libmicrohttpd stays inside src/serve.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor::serve {

/// What a path answers. HEAD gets the same status and headers without the body.
struct HttpAnswer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  /// More response headers (the status page's Content-Security-Policy), name and value.
  std::vector<std::pair<std::string, std::string>> headers{};
};

/// Called from the server's threads, concurrently: it must be thread-safe and quick (no
/// waiting on measurements). Paths it does not know answer 404 (its choice, not the server's).
/// `query` is the raw text after '?' ("range=7d"; empty without one), still percent-encoded.
using PathHandler = std::function<HttpAnswer(std::string_view path, std::string_view query)>;

/// "127.0.0.1:9877", "[::1]:9877", "0.0.0.0:9877", "localhost:9877", ":9877" (every address,
/// IPv4 and IPv6). Port 0 asks the kernel.
struct ListenAddress {
  std::string host;  // without brackets; empty: every address
  int port = 0;
  /// 127.0.0.0/8, ::1 or "localhost": reachable from this machine only.
  [[nodiscard]] bool loopback() const;
};

/// Errors name the flag value ("--listen: expected HOST:PORT, got '...'").
Result<ListenAddress> parse_listen_address(std::string_view text);

struct TlsFiles {
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
  /// "TLS10".."TLS13" as node_exporter spells them; empty: TLS12 (its default too).
  std::string min_version;
  std::string max_version;  // empty: TLS13
};

/// node_exporter's web configuration file (exporter-toolkit), the parts we support.
struct WebConfig {
  std::optional<TlsFiles> tls;                          // tls_server_config
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash
};

/// Reads and checks a web config file: YAML, unknown keys refused, relative paths taken from
/// the file's directory, every error one line naming file:line:column. The file decides who
/// may read the metrics, so it gets the config file's trust rules (src/config/file_trust.hpp).
/// The TLS files must be readable; they are loaded by HttpServer::start.
Result<WebConfig> load_web_config(const std::filesystem::path& file);

/// The parser alone, for tests and the fuzz target. `origin` names the text in errors.
Result<WebConfig> parse_web_config(std::string_view yaml, const std::string& origin,
                                   const std::filesystem::path& base_dir);

/// Bounds that keep one client from costing the others, each enforced by libmicrohttpd or
/// right beside it (http_server.cpp, connection_watch.hpp).
struct ServerLimits {
  /// Open connections. When all are taken, a new connection ends the one that has waited
  /// longest for its request (a slow sender, an idle keep-alive connection); when every one is
  /// busy being answered, the new connection is closed as soon as it is accepted.
  std::size_t max_connections = 64;
  /// Open connections from one source address (one client, or many behind NAT or a proxy).
  /// One more ends that address's own connection that has waited longest for its request,
  /// rather than being refused. Half the slots: wrk -c 32 from one address still fits.
  std::size_t max_connections_per_client = 32;
  /// Each request's line and headers must have arrived this long after the connection opened
  /// (its TLS handshake included) or after the previous answer, however steadily the bytes
  /// come: else the connection is closed. Before authentication, as that needs the headers.
  std::chrono::milliseconds request_deadline{10000};
  /// A connection that sends and receives nothing for this long is closed: a stalled client, a
  /// half-sent request, an idle keep-alive connection (MHD_OPTION_CONNECTION_TIMEOUT).
  std::chrono::seconds idle_timeout{5};
  /// The memory each connection has for its request (MHD_OPTION_CONNECTION_MEMORY_LIMIT):
  /// the request line and headers must fit in it with room for the answer's headers. Beyond:
  /// libmicrohttpd answers 414 or 431 and closes the connection. A GET needs a few hundred
  /// bytes; this bounds what a client can make the server hold.
  std::size_t max_request_bytes = 16 * 1024;
  std::size_t max_header_count = 64;  // beyond: 431 and the connection closed
  /// Threads serving connections, each with an epoll loop of its own
  /// (MHD_OPTION_THREAD_POOL_SIZE); a slow answer holds only the connections of its thread.
  std::size_t threads = 2;
};

/// All connections are served by `limits.threads` threads (no thread per connection), so
/// keep-alive clients (Prometheus, wrk -c 32) never wait for each other and a stalled client
/// costs only its connection's memory. Each request is answered as soon as its line and
/// headers are in, before anything else is done for it: requests other than GET and HEAD get
/// 405 with `Allow: GET, HEAD`, a request with a body or headers of a doubtful form (a space
/// before a colon, a folded line, a repeated Content-Length: request_checks.hpp) 400, too many
/// headers 431, each closing the connection; then, with basic_auth_users, a request without
/// the right credentials gets 401 before the handler runs (the bcrypt of a check runs on a
/// thread of its own, auth_checks.hpp). Every answer made here carries
/// `X-Content-Type-Options: nosniff`, none `Accept-Ranges`: Range is ignored (libmicrohttpd
/// has no Range support, and neither has serve), so every answer is the whole body.
/// libmicrohttpd's own answers to requests it cannot parse (400, 413, 414, 431, 505: a fixed
/// HTML sentence) come as it makes them.
class HttpServer {
 public:
  /// Binds `address` and serves on the server's own threads from return on. Fails naming the
  /// address when it cannot bind, and naming the file when the TLS files cannot be loaded.
  static Result<std::unique_ptr<HttpServer>> start(const ListenAddress& address,
                                                   const WebConfig& web, PathHandler handler,
                                                   ServerLimits limits = {});
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  /// Stops accepting and returns within about a second, also with stalled clients.
  ~HttpServer();
  void stop();
  /// The bound port (the kernel's choice when 0 was asked).
  [[nodiscard]] int port() const;

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace devops_monitor::serve
