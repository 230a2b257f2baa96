// serve's embedded HTTP(S) server on GNU libmicrohttpd (Debian's libmicrohttpd12, through
// microhttpd.h only). libmicrohttpd parses the requests, bounds each connection's memory and
// idle time, and speaks TLS with GnuTLS; around it, this file adds the rules of serving: GET
// and HEAD only, a header count, basic auth before the handler, a connection limit that
// refuses at once, and the headers of every answer. Why libmicrohttpd: docs/design.md.
#include "serve/http_server.hpp"

#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serve/auth_checks.hpp"
#include "serve/basic_auth.hpp"
#include "serve/tls_material.hpp"
#include "util/file_io.hpp"

namespace devops_monitor::serve {

namespace {

constexpr int kListenBacklog = 64;

/// "127.0.0.1:9877", "[::1]:9877", ":9877".
std::string shown_listen_address(const ListenAddress& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

/// A socket bound to `where` and listening, or errno.
int bind_and_listen(const addrinfo& where) {
  const int fd = ::socket(where.ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  // SO_REUSEADDR, so that a restart binds while the old connections linger in TIME_WAIT; not
  // SO_REUSEPORT, with which a second serve on the same port would start and take half the
  // scrapes.
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (where.ai_family == AF_INET6) {
    // IPv6 sockets take IPv4 connections too, whatever the system's default: "::" (every
    // address) then really is every address.
    const int off = 0;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (::bind(fd, where.ai_addr, where.ai_addrlen) != 0 || ::listen(fd, kListenBacklog) != 0) {
    const int error = errno;
    ::close(fd);
    return -error;
  }
  return fd;
}

/// The listening socket, opened here rather than by libmicrohttpd so that a failure says why
/// (errno) and where. The first address of the host that binds, as getaddrinfo orders them;
/// without a host, every address: IPv6's wildcard (which takes IPv4 too), else IPv4's on a
/// machine without IPv6.
Result<int> open_listen_socket(const ListenAddress& address) {
  const std::string where = shown_listen_address(address);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (address.host.empty()) {
    if (const int rc = ::getaddrinfo("::", port.c_str(), &hints, &found); rc == 0) {
      const int fd = bind_and_listen(*found);
      ::freeaddrinfo(found);
      if (fd >= 0) return fd;
    }
    found = nullptr;
  }
  const char* host = address.host.empty() ? "0.0.0.0" : address.host.c_str();
  if (const int rc = ::getaddrinfo(host, port.c_str(), &hints, &found); rc != 0) {
    return Error{"cannot listen", ::gai_strerror(rc), where};
  }
  int result = -EADDRNOTAVAIL;
  for (const addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    result = bind_and_listen(*candidate);
    if (result >= 0) break;
  }
  ::freeaddrinfo(found);
  if (result < 0) return Error{"cannot listen", errno_text(-result), where};
  return result;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

/// One request, from its request line to its end: made by on_request_line, deleted by
/// on_request_done.
struct ServeRequest {
  std::string target;  // as sent: the path and the query, still percent-encoded
  bool headers_checked = false;
  std::atomic<AuthVerdict> auth{AuthVerdict::unchecked};
};

/// The raw text after '?' of a request target; empty without one.
std::string_view query_of(std::string_view target) {
  const std::size_t question = target.find('?');
  return question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
}

void free_body(void* body) {
  delete static_cast<std::string*>(body);
}

/// `answer` as a libmicrohttpd response, with the headers every answer gets. The body is
/// moved, not copied: libmicrohttpd frees it with the response.
MHD_Response* make_response(HttpAnswer& answer) {
  auto* body = new std::string(std::move(answer.body));
  MHD_Response* response = MHD_create_response_from_buffer_with_free_callback_cls(
      body->size(), body->data(), free_body, body);
  if (response == nullptr) {
    delete body;
    return nullptr;
  }
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, answer.content_type.c_str());
  MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
  // A header libmicrohttpd refuses (a line break in the value) is left out, never sent broken.
  for (const auto& [name, value] : answer.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  return response;
}

/// Queues `answer` on the connection. Queued while the request's headers are being checked
/// (before its body), an answer also closes the connection after it: what a refused request
/// still sends cannot be trusted to start the next one.
MHD_Result send_answer(MHD_Connection* connection, HttpAnswer answer) {
  MHD_Response* response = make_response(answer);
  if (response == nullptr) return MHD_NO;  // out of memory: libmicrohttpd closes the connection
  const MHD_Result queued =
      MHD_queue_response(connection, static_cast<unsigned int>(answer.status), response);
  MHD_destroy_response(response);
  return queued;
}

HttpAnswer empty_answer(int status) {
  HttpAnswer answer;
  answer.status = status;
  return answer;
}

}  // namespace

struct HttpServer::Impl {
  PathHandler handler;
  ServerLimits limits;
  std::unique_ptr<BasicAuth> auth;
  std::unique_ptr<AuthChecks> auth_checks;
  std::atomic<std::size_t> open_connections{0};
  MHD_Daemon* daemon = nullptr;
  int port = 0;
  std::once_flag stopped;

  [[nodiscard]] std::vector<MHD_OptionItem> options(int listen_fd, const TlsMaterial* tls);
  MHD_Result check_headers(MHD_Connection* connection, std::string_view method) const;
  [[nodiscard]] AuthVerdict authenticate(MHD_Connection* connection, ServeRequest& request);
  MHD_Result answer(MHD_Connection* connection, ServeRequest& request, const char* path);

  static MHD_Result on_accept(void* cls, const sockaddr* address, socklen_t length);
  static void on_connection(void* cls, MHD_Connection* connection, void** socket_context,
                            MHD_ConnectionNotificationCode code);
  static void* on_request_line(void* cls, const char* uri, MHD_Connection* connection);
  static MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url,
                               const char* method, const char* version, const char* upload_data,
                               std::size_t* upload_data_size, void** request_context);
  static void on_request_done(void* cls, MHD_Connection* connection, void** request_context,
                              MHD_RequestTerminationCode code);
};

// The connection limit is kept here, not by MHD_OPTION_CONNECTION_LIMIT: at that limit
// libmicrohttpd stops accepting and leaves new clients waiting in the kernel's queue, while a
// client beyond ours should learn at once that it was refused. Threads may each accept one
// more before seeing the others' count: the limit can be passed by threads - 1 for a moment.
MHD_Result HttpServer::Impl::on_accept(void* cls, const sockaddr* /*address*/,
                                       socklen_t /*length*/) {
  const Impl& self = *static_cast<const Impl*>(cls);
  return self.open_connections.load() < self.limits.max_connections ? MHD_YES : MHD_NO;
}

void HttpServer::Impl::on_connection(void* cls, MHD_Connection* /*connection*/,
                                     void** /*socket_context*/,
                                     MHD_ConnectionNotificationCode code) {
  Impl& self = *static_cast<Impl*>(cls);
  if (code == MHD_CONNECTION_NOTIFY_STARTED) ++self.open_connections;
  if (code == MHD_CONNECTION_NOTIFY_CLOSED) --self.open_connections;
}

// The raw target is only seen here: the handler gets the path percent-decoded and the query
// parsed, and PathHandler takes the query as sent.
void* HttpServer::Impl::on_request_line(void* /*cls*/, const char* uri,
                                        MHD_Connection* /*connection*/) {
  try {
    auto request = std::make_unique<ServeRequest>();
    request->target = uri;
    return request.release();
  } catch (...) {
    return nullptr;  // on_request closes the connection
  }
}

void HttpServer::Impl::on_request_done(void* /*cls*/, MHD_Connection* /*connection*/,
                                       void** request_context,
                                       MHD_RequestTerminationCode /*code*/) {
  delete static_cast<ServeRequest*>(*request_context);
  *request_context = nullptr;
}

// Called when the request's headers are in (the first call), for each piece of a body, and
// once the request is complete (the last call, where a keep-alive answer must be queued).
MHD_Result HttpServer::Impl::on_request(void* cls, MHD_Connection* connection, const char* url,
                                        const char* method, const char* /*version*/,
                                        const char* /*upload_data*/, std::size_t* upload_data_size,
                                        void** request_context) {
  Impl& self = *static_cast<Impl*>(cls);
  auto* request = static_cast<ServeRequest*>(*request_context);
  if (request == nullptr) return MHD_NO;
  try {
    if (!request->headers_checked) {
      request->headers_checked = true;
      return self.check_headers(connection, method);
    }
    if (*upload_data_size != 0) {  // a body on a GET: read and dropped
      *upload_data_size = 0;
      return MHD_YES;
    }
    return self.answer(connection, *request, url);
  } catch (...) {
    return MHD_NO;  // no exception crosses libmicrohttpd; it closes the connection
  }
}

/// An answer queued here closes the connection after it (send_answer); MHD_YES with none
/// lets the request go on.
MHD_Result HttpServer::Impl::check_headers(MHD_Connection* connection,
                                           std::string_view method) const {
  if (method != MHD_HTTP_METHOD_GET && method != MHD_HTTP_METHOD_HEAD) {
    HttpAnswer refused = empty_answer(MHD_HTTP_METHOD_NOT_ALLOWED);
    refused.headers.emplace_back(MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    return send_answer(connection, std::move(refused));
  }
  const int headers = MHD_get_connection_values(connection, MHD_HEADER_KIND, nullptr, nullptr);
  if (headers < 0 || static_cast<std::size_t>(headers) > limits.max_header_count) {
    return send_answer(connection, empty_answer(MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE));
  }
  return MHD_YES;
}

/// allowed or denied; unchecked while a bcrypt decides (the connection is then suspended and
/// on_request is called again once the verdict is in).
AuthVerdict HttpServer::Impl::authenticate(MHD_Connection* connection, ServeRequest& request) {
  if (!auth) return AuthVerdict::allowed;
  const AuthVerdict known = request.auth.load();
  if (known != AuthVerdict::unchecked) return known;
  const char* header =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  const std::string_view authorization = header != nullptr ? header : "";
  switch (auth->quick_check(authorization)) {
    case BasicAuth::Quick::allowed:
      return AuthVerdict::allowed;
    case BasicAuth::Quick::refused:
      return AuthVerdict::denied;
    case BasicAuth::Quick::needs_bcrypt:
      break;
  }
  // Refused while stopping: nothing may be suspended once auth_checks has stopped.
  if (!auth_checks->check_later(connection, std::string(authorization), request.auth)) {
    return AuthVerdict::denied;
  }
  return AuthVerdict::unchecked;
}

MHD_Result HttpServer::Impl::answer(MHD_Connection* connection, ServeRequest& request,
                                    const char* path) {
  switch (authenticate(connection, request)) {
    case AuthVerdict::unchecked:
      return MHD_YES;
    case AuthVerdict::denied: {
      HttpAnswer refused = empty_answer(MHD_HTTP_UNAUTHORIZED);
      refused.headers.emplace_back(MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                   "Basic realm=\"devops-monitor\"");
      return send_answer(connection, std::move(refused));
    }
    case AuthVerdict::allowed:
      break;
  }
  return send_answer(connection, handler(path, query_of(request.target)));
}

/// libmicrohttpd's options for this server. Callbacks with a closure take the function in
/// `value` and the closure in `ptr_value` (microhttpd.h, MHD_OPTION_ARRAY).
std::vector<MHD_OptionItem> HttpServer::Impl::options(int listen_fd, const TlsMaterial* tls) {
  const auto number = [](std::size_t value) {
    return static_cast<intptr_t>(std::min<std::size_t>(value, UINT32_MAX));
  };
  std::vector<MHD_OptionItem> items{
      {MHD_OPTION_LISTEN_SOCKET, listen_fd, nullptr},
      {MHD_OPTION_THREAD_POOL_SIZE, number(std::max<std::size_t>(1, limits.threads)), nullptr},
      // Only a backstop: each thread gets a share of it, and on_accept counts for all of them.
      {MHD_OPTION_CONNECTION_LIMIT, number(limits.max_connections * (limits.threads + 1)), nullptr},
      {MHD_OPTION_CONNECTION_TIMEOUT, number(static_cast<std::size_t>(limits.idle_timeout.count())),
       nullptr},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, number(limits.max_request_bytes), nullptr},
      {MHD_OPTION_STRICT_FOR_CLIENT, 1, nullptr},
      {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&on_connection), this},
      {MHD_OPTION_URI_LOG_CALLBACK, reinterpret_cast<intptr_t>(&on_request_line), this},
      {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&on_request_done), this},
  };
  if (tls != nullptr) {
    items.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(tls->cert_pem.c_str())});
    items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(tls->key_pem.c_str())});
    items.push_back({MHD_OPTION_HTTPS_PRIORITIES, 0, const_cast<char*>(tls->priorities.c_str())});
  }
  items.push_back({MHD_OPTION_END, 0, nullptr});
  return items;
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const ListenAddress& address,
                                                      const WebConfig& web, PathHandler handler,
                                                      ServerLimits limits) {
  std::optional<TlsMaterial> tls;
  if (web.tls) {
    Result<TlsMaterial> loaded = load_tls_material(*web.tls);
    if (!loaded) return loaded.error();
    tls = std::move(*loaded);
  }
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  impl->limits = limits;
  unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD;
  if (!web.basic_auth_users.empty()) {
    impl->auth = std::make_unique<BasicAuth>(web.basic_auth_users);
    impl->auth_checks = std::make_unique<AuthChecks>(*impl->auth);
    flags |= MHD_ALLOW_SUSPEND_RESUME;
  }
  if (tls) flags |= MHD_USE_TLS;
  Result<int> listening = open_listen_socket(address);
  if (!listening) return listening.error();
  impl->port = bound_port(*listening);
  const std::vector<MHD_OptionItem> options = impl->options(*listening, tls ? &*tls : nullptr);
  Impl* raw = impl.get();
  impl->daemon = MHD_start_daemon(flags, 0, &Impl::on_accept, raw, &Impl::on_request, raw,
                                  MHD_OPTION_ARRAY, options.data(), MHD_OPTION_END);
  // From here on the key lives in GnuTLS's credentials only.
  if (tls) std::fill(tls->key_pem.begin(), tls->key_pem.end(), '\0');
  if (impl->daemon == nullptr) {
    // The socket is not closed here: libmicrohttpd closes it on some of its failure paths and
    // not on others, and closing a descriptor twice could close another thread's file. This
    // happens only when threads or memory run out.
    return Error{"cannot listen", "libmicrohttpd could not start its threads",
                 shown_listen_address(address)};
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
    // First the bcrypt thread, which resumes every connection it holds: libmicrohttpd aborts
    // the process when stopped with a connection still suspended.
    if (impl_->auth_checks) impl_->auth_checks->stop();
    // Closes every connection, stalled or not, and joins the server's threads.
    MHD_stop_daemon(impl_->daemon);
  });
}

int HttpServer::port() const {
  return impl_->port;
}

}  // namespace devops_monitor::serve
