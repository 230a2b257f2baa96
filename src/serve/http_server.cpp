// serve's embedded HTTP(S) server: cpp-httplib (vendored header-only 0.11.4, see
// third_party/cpp-httplib/README.md) for parsing and writing HTTP, with our own rules around
// it: a connection limit enforced at accept, a byte budget per request, GET and HEAD only,
// basic auth, TLS from the web config, and a stop() that does not wait for stalled clients.
//
// This file is compiled outside the unity batches (CMakeLists.txt): the CPPHTTPLIB_* limits
// below and the renamed namespace must reach no other source.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_REQUEST_URI_MAX_LENGTH 2048
#define CPPHTTPLIB_HEADER_MAX_LENGTH 4096
#define CPPHTTPLIB_LISTEN_BACKLOG 64
#define CPPHTTPLIB_TCP_NODELAY true
// The test fakes link Debian's compiled cpp-httplib; this copy's inline functions get their own
// names so that the linker never mixes the two.
#define httplib devops_monitor_httplib
#include <cpp-httplib/httplib.h>

#include "serve/http_server.hpp"

#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "serve/basic_auth.hpp"

namespace devops_monitor::serve {

namespace {

// Set while the accepting thread runs a connection the pool had no room for: the server then
// closes it at once instead of serving it (TaskQueue::enqueue cannot refuse a task).
thread_local bool t_reject_connection = false;
// Set by the request handler when the connection must not be reused after this answer (a
// request with a body we did not read, a refused method).
thread_local bool t_close_after_answer = false;

/// Threads created on demand up to `max`, one per open connection; when all are taken, the
/// accepting thread itself runs the task with t_reject_connection set.
class ConnectionPool final : public httplib::TaskQueue {
 public:
  explicit ConnectionPool(std::size_t max) : max_(max == 0 ? 1 : max) {}
  ~ConnectionPool() override { shutdown(); }

  void enqueue(std::function<void()> task) override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (busy_ + jobs_.size() < max_) {
        jobs_.push_back(std::move(task));
        if (jobs_.size() > idle_ && threads_.size() < max_) {
          threads_.emplace_back([this] { work(); });
        }
        lock.unlock();
        wake_.notify_one();
        return;
      }
    }
    t_reject_connection = true;
    task();
    t_reject_connection = false;
  }

  void shutdown() override {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (shutting_down_) return;
      shutting_down_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

 private:
  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ++idle_;
      wake_.wait(lock, [this] { return !jobs_.empty() || shutting_down_; });
      --idle_;
      if (jobs_.empty()) return;  // shutting down with nothing left to do
      std::function<void()> task = std::move(jobs_.front());
      jobs_.pop_front();
      ++busy_;
      lock.unlock();
      task();
      task = nullptr;
      lock.lock();
      --busy_;
    }
  }

  const std::size_t max_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  std::size_t busy_ = 0;
  bool shutting_down_ = false;
};

/// The stream of one request, cut off after `budget` bytes read: the request line and headers
/// of a GET are small, and cpp-httplib would otherwise grow a line buffer for as long as a
/// client sends bytes without a newline.
class BoundedStream final : public httplib::Stream {
 public:
  BoundedStream(httplib::Stream& inner, std::size_t budget) : inner_(inner), left_(budget) {}

  bool is_readable() const override { return inner_.is_readable(); }
  bool is_writable() const override { return inner_.is_writable(); }
  ssize_t read(char* ptr, size_t size) override {
    if (left_ == 0) {
      exhausted_ = true;
      return -1;
    }
    const ssize_t n = inner_.read(ptr, std::min(size, left_));
    if (n > 0) left_ -= static_cast<std::size_t>(n);
    return n;
  }
  ssize_t write(const char* ptr, size_t size) override { return inner_.write(ptr, size); }
  // No handler reads the peer's or our own address, and cpp-httplib asks for them on every
  // request: getpeername plus getnameinfo, whose inet_ntop formats with sprintf, the deepest
  // frames of a connection thread (they made each thread's stack 4 resident pages instead
  // of 3: 128 kB more under wrk -c 32). Left empty.
  void get_remote_ip_and_port(std::string& /*ip*/, int& /*port*/) const override {}
  void get_local_ip_and_port(std::string& /*ip*/, int& /*port*/) const override {}
  socket_t socket() const override { return inner_.socket(); }

  [[nodiscard]] bool exhausted() const { return exhausted_; }

 private:
  httplib::Stream& inner_;
  std::size_t left_;
  bool exhausted_ = false;
};

int tls_protocol_version(const std::string& name, int otherwise) {
  if (name == "TLS10") return TLS1_VERSION;
  if (name == "TLS11") return TLS1_1_VERSION;
  if (name == "TLS12") return TLS1_2_VERSION;
  if (name == "TLS13") return TLS1_3_VERSION;
  return otherwise;
}

std::string openssl_error_text() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

/// The server side of TLS from the web config: certificate chain, key, protocol versions.
Result<SslCtxPtr> make_tls_context(const TlsFiles& tls) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return Error{"cannot set up TLS", openssl_error_text(), ""};
  SSL_CTX_set_options(
      ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(ctx.get(),
                                    tls_protocol_version(tls.min_version, TLS1_2_VERSION)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), tls_protocol_version(tls.max_version, 0)) != 1) {
    return Error{"cannot set up TLS", "min_version/max_version: " + openssl_error_text(), ""};
  }
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), tls.cert_file.c_str()) != 1) {
    return Error{"cannot load TLS certificate", openssl_error_text(), tls.cert_file.string()};
  }
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Error{"cannot load TLS private key", openssl_error_text(), tls.key_file.string()};
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    return Error{"TLS private key does not match the certificate", openssl_error_text(),
                 tls.key_file.string()};
  }
  return ctx;
}

/// cpp-httplib's Server with our connection handling: the limit, the byte budget, TLS, and
/// the open connections known so that stop() can cut them.
class ServeServer final : public httplib::Server {
 public:
  ServeServer(ServerLimits limits, SslCtxPtr tls) : limits_(limits), tls_(std::move(tls)) {}

  /// Stops accepting, then shuts down every open connection: a thread blocked reading a
  /// stalled client returns at once.
  void stop_all() {
    stop();
    const std::lock_guard<std::mutex> lock(connections_mutex_);
    stopping_ = true;
    for (const socket_t sock : connections_) ::shutdown(sock, SHUT_RDWR);
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    if (t_reject_connection || !track(sock)) {
      ::close(sock);
      return false;
    }
    const int on = 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    const auto one_request = [this](httplib::Stream& strm, bool close_connection,
                                    bool& connection_closed) {
      BoundedStream bounded(strm, limits_.max_request_bytes);
      t_close_after_answer = false;
      const bool ok = process_request(bounded, close_connection, connection_closed, nullptr);
      if (bounded.exhausted() || t_close_after_answer) connection_closed = true;
      return ok;
    };
    bool ok = false;
    if (tls_) {
      SSL* ssl = httplib::detail::ssl_new(
          sock, tls_.get(), tls_mutex_,
          [&](SSL* ssl_accepting) {
            return httplib::detail::ssl_connect_or_accept_nonblocking(
                sock, ssl_accepting, SSL_accept, read_timeout_sec_, read_timeout_usec_);
          },
          [](SSL*) { return true; });
      if (ssl != nullptr) {
        ok = httplib::detail::process_server_socket_ssl(
            svr_sock_, ssl, sock, keep_alive_max_count_, keep_alive_timeout_sec_, read_timeout_sec_,
            read_timeout_usec_, write_timeout_sec_, write_timeout_usec_, one_request);
        httplib::detail::ssl_delete(tls_mutex_, ssl, ok);
      }
    } else {
      ok = httplib::detail::process_server_socket(
          svr_sock_, sock, keep_alive_max_count_, keep_alive_timeout_sec_, read_timeout_sec_,
          read_timeout_usec_, write_timeout_sec_, write_timeout_usec_, one_request);
    }
    untrack(sock);
    httplib::detail::shutdown_socket(sock);
    httplib::detail::close_socket(sock);
    return ok;
  }

  bool track(socket_t sock) {
    const std::lock_guard<std::mutex> lock(connections_mutex_);
    if (stopping_) return false;
    connections_.insert(sock);
    return true;
  }
  void untrack(socket_t sock) {
    const std::lock_guard<std::mutex> lock(connections_mutex_);
    connections_.erase(sock);
  }

  const ServerLimits limits_;
  SslCtxPtr tls_;
  std::mutex tls_mutex_;
  std::mutex connections_mutex_;
  std::set<socket_t> connections_;
  bool stopping_ = false;
};

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<ServeServer> server;
  std::unique_ptr<BasicAuth> auth;
  PathHandler handler;
  ServerLimits limits;
  std::thread thread;
  int port = 0;
  std::once_flag stopped;

  void answer(const httplib::Request& request, httplib::Response& response) const {
    const bool has_body =
        request.has_header("Transfer-Encoding") ||
        (request.has_header("Content-Length") && request.get_header_value("Content-Length") != "0");
    if (has_body) t_close_after_answer = true;  // the body stays unread: no reuse
    // cpp-httplib adds four headers of its own (REMOTE_ADDR, ...).
    if (request.headers.size() > limits.max_header_count + 4) {
      response.status = 431;
      t_close_after_answer = true;
      return;
    }
    if (request.method != "GET" && request.method != "HEAD") {
      response.status = 405;
      response.set_header("Allow", "GET, HEAD");
      t_close_after_answer = true;
      return;
    }
    if (auth && !auth->allows(request.get_header_value("Authorization"))) {
      response.status = 401;
      response.set_header("WWW-Authenticate", "Basic realm=\"devops-monitor\"");
      return;
    }
    const std::string_view target = request.target;
    const std::size_t question = target.find('?');
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    HttpAnswer answer = handler(request.path, query);
    response.status = answer.status;
    for (const auto& [name, value] : answer.headers) response.set_header(name, value);
    response.set_content(std::move(answer.body), answer.content_type.c_str());
  }
};

Result<std::unique_ptr<HttpServer>> HttpServer::start(const ListenAddress& address,
                                                      const WebConfig& web, PathHandler handler,
                                                      ServerLimits limits) {
  mallopt(M_ARENA_MAX, 2);
  SslCtxPtr tls;
  if (web.tls) {
    Result<SslCtxPtr> made = make_tls_context(*web.tls);
    if (!made) return made.error();
    tls = std::move(made.value());
  }
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  impl->limits = limits;
  if (!web.basic_auth_users.empty()) impl->auth = std::make_unique<BasicAuth>(web.basic_auth_users);
  impl->server = std::make_unique<ServeServer>(limits, std::move(tls));
  ServeServer& server = *impl->server;
  server.new_task_queue = [max = limits.max_connections] { return new ConnectionPool(max); };
  server.set_keep_alive_max_count(std::max<std::size_t>(1, limits.keep_alive_max_requests));
  server.set_read_timeout(limits.read_timeout);
  server.set_write_timeout(limits.write_timeout);
  server.set_payload_max_length(limits.max_request_bytes);
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a second serve on
  // the same port would start fine and take half of the scrapes.
  server.set_socket_options([](socket_t sock) {
    const int on = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  });
  // After an answer to a malformed request, what is left in the connection cannot be trusted
  // to start the next request: close it.
  server.set_logger([](const httplib::Request&, const httplib::Response& response) {
    switch (response.status) {
      case 400:
      case 405:
      case 413:
      case 414:
      case 416:
      case 431:
        t_close_after_answer = true;
        break;
      default:
        break;
    }
  });
  Impl* raw = impl.get();
  server.set_pre_routing_handler(
      [raw](const httplib::Request& request, httplib::Response& response) {
        raw->answer(request, response);
        return httplib::Server::HandlerResponse::Handled;
      });

  errno = 0;
  const std::string where =
      (address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host) +
      ":" + std::to_string(address.port);
  // No host: every address, IPv4 too through the dual-stack IPv6 socket.
  const std::string bind_host = address.host.empty() ? "::" : address.host;
  if (address.port == 0) {
    impl->port = server.bind_to_any_port(bind_host);
  } else if (server.bind_to_port(bind_host, address.port)) {
    impl->port = address.port;
  }
  if (impl->port <= 0) {
    return Error{"cannot listen", errno != 0 ? std::strerror(errno) : "bind failed", where};
  }
  impl->thread = std::thread([&server] { server.listen_after_bind(); });
  // stop() only takes effect once the accept loop runs; until then connections queue.
  for (int i = 0; i < 5000 && !server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::stop() {
  if (!impl_) return;
  std::call_once(impl_->stopped, [this] {
    impl_->server->stop_all();
    if (impl_->thread.joinable()) impl_->thread.join();
  });
}

int HttpServer::port() const {
  return impl_->port;
}

}  // namespace devops_monitor::serve
