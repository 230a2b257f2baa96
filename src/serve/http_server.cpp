// serve's embedded HTTP(S) server on GNU libmicrohttpd (Debian's libmicrohttpd12, through
// microhttpd.h only). libmicrohttpd parses the requests, bounds each connection's memory and
// idle time, and speaks TLS with GnuTLS; around it, this file adds the rules of serving: GET
// and HEAD only, header rules and a header count, basic auth before anything else is done for
// a request, the connection slots and request deadline (connection_watch.hpp), and the
// headers of every answer. Why libmicrohttpd: docs/design.md.
#include "serve/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serve/auth_checks.hpp"
#include "serve/basic_auth.hpp"
#include "serve/connection_watch.hpp"
#include "serve/listen_socket.hpp"
#include "serve/request_checks.hpp"
#include "serve/server_libraries.hpp"
#include "serve/tls_material.hpp"

namespace devops_monitor::serve {

namespace {

/// One request, from its request line to its end: made by on_request_line, deleted by
/// on_request_done.
struct ServeRequest {
  std::string target;    // as sent: the path and the query, still percent-encoded
  bool arrived = false;  // its line and headers are in and were checked
  std::atomic<AuthVerdict> auth{AuthVerdict::unchecked};
};

/// The client's address as text ("127.0.0.1", "::1"), an IPv4 client of an IPv6 socket
/// written as IPv4: the key of the per-client connection cap.
std::string client_address(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address != nullptr && address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
  } else if (address != nullptr && address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof text);
    } else {
      inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    }
  }
  return text[0] != '\0' ? std::string(text) : std::string("unknown");
}

/// The watch's handle of a connection, kept by libmicrohttpd as its socket context.
ConnectionWatch::Connection* watched(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      microhttpd().get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info != nullptr ? static_cast<ConnectionWatch::Connection*>(info->socket_context)
                         : nullptr;
}

/// What the request's headers look like, for the rules of request_checks.hpp, plus one that
/// needs libmicrohttpd: a folded line. libmicrohttpd 0.9.75 keeps each header's name and value
/// where they were received, in the request's own bytes (from the method on, `header_size` of
/// them), but gives a folded line's name (the continuation joined onto it) a copy of its own
/// elsewhere; so a name outside those bytes is a folded line. Nothing is read there: only the
/// addresses libmicrohttpd hands out are compared.
struct ReceivedHeaders {
  std::vector<HeaderField> fields;
  bool folded = false;
  std::uintptr_t begin = 0;
  std::uintptr_t end = 0;
};

MHD_Result collect_header(void* cls, MHD_ValueKind /*kind*/, const char* name,
                          std::size_t name_size, const char* value, std::size_t value_size) {
  auto& received = *static_cast<ReceivedHeaders*>(cls);
  const auto inside = [&](const char* text) {
    const auto at = reinterpret_cast<std::uintptr_t>(text);
    return at >= received.begin && at < received.end;
  };
  if (!inside(name) || !inside(value)) received.folded = true;
  received.fields.push_back({{name, name_size}, {value, value_size}});
  return MHD_YES;
}

/// Why the request's headers are refused (400); nullopt when they pass.
std::optional<std::string_view> refused_headers(MHD_Connection* connection, const char* method) {
  ReceivedHeaders received;
  const MHD_ConnectionInfo* size =
      microhttpd().get_connection_info(connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
  received.begin = reinterpret_cast<std::uintptr_t>(method);
  received.end = received.begin + (size != nullptr ? size->header_size : 0);
  microhttpd().get_connection_values_n(connection, MHD_HEADER_KIND, &collect_header, &received);
  if (received.folded) return "a folded header line";
  return refused_header_reason(received.fields);
}

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
  MHD_Response* response =
      microhttpd().create_response(body->size(), body->data(), free_body, body);
  if (response == nullptr) {
    delete body;
    return nullptr;
  }
  microhttpd().add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                   answer.content_type.c_str());
  microhttpd().add_response_header(response, "X-Content-Type-Options", "nosniff");
  // A header libmicrohttpd refuses (a line break in the value) is left out, never sent broken.
  for (const auto& [name, value] : answer.headers) {
    microhttpd().add_response_header(response, name.c_str(), value.c_str());
  }
  return response;
}

/// Queues `answer` on the connection.
MHD_Result send_answer(MHD_Connection* connection, HttpAnswer answer) {
  MHD_Response* response = make_response(answer);
  if (response == nullptr) return MHD_NO;  // out of memory: libmicrohttpd closes the connection
  const MHD_Result queued =
      microhttpd().queue_response(connection, static_cast<unsigned int>(answer.status), response);
  microhttpd().destroy_response(response);
  return queued;
}

HttpAnswer empty_answer(int status) {
  HttpAnswer answer;
  answer.status = status;
  return answer;
}

/// An answer to a request refused for its form: the connection is closed after it, since what
/// such a client sends next cannot be trusted to start a request where it seems to.
HttpAnswer refusal(int status, std::string_view why) {
  HttpAnswer answer = empty_answer(status);
  if (!why.empty()) answer.body = std::string(why) + "\n";
  answer.headers.emplace_back(MHD_HTTP_HEADER_CONNECTION, "close");
  return answer;
}

}  // namespace

struct HttpServer::Impl {
  PathHandler handler;
  ServerLimits limits;
  std::unique_ptr<BasicAuth> auth;
  std::unique_ptr<AuthChecks> auth_checks;
  std::unique_ptr<ConnectionWatch> watch;
  MHD_Daemon* daemon = nullptr;
  int port = 0;
  std::once_flag stopped;

  [[nodiscard]] std::vector<MHD_OptionItem> options(int listen_fd, const TlsMaterial* tls);
  [[nodiscard]] std::optional<HttpAnswer> refused(MHD_Connection* connection,
                                                  const char* method) const;
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

// The slots are kept by the watch, not by MHD_OPTION_CONNECTION_LIMIT: at that limit
// libmicrohttpd stops accepting and leaves new clients waiting in the kernel's queue, while
// the watch makes room by ending slow connections, or refuses at once. Threads may each accept
// one more before seeing the others' connections: a limit can be passed by threads - 1 for a
// moment.
MHD_Result HttpServer::Impl::on_accept(void* cls, const sockaddr* address, socklen_t /*length*/) {
  const Impl& self = *static_cast<const Impl*>(cls);
  try {
    return self.watch->admit(client_address(address)) ? MHD_YES : MHD_NO;
  } catch (...) {
    return MHD_NO;
  }
}

void HttpServer::Impl::on_connection(void* cls, MHD_Connection* connection, void** socket_context,
                                     MHD_ConnectionNotificationCode code) {
  Impl& self = *static_cast<Impl*>(cls);
  if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    if (*socket_context != nullptr) {
      self.watch->closed(static_cast<ConnectionWatch::Connection*>(*socket_context));
    }
    return;
  }
  const MHD_ConnectionInfo* fd =
      microhttpd().get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  const MHD_ConnectionInfo* client =
      microhttpd().get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (fd == nullptr) return;
  try {
    *socket_context = self.watch->opened(
        fd->connect_fd, client_address(client != nullptr ? client->client_addr : nullptr));
  } catch (...) {
    ::shutdown(fd->connect_fd, SHUT_RDWR);  // unwatched, it could be held for ever: end it
  }
}

// The raw target is only seen here: the handler gets the path percent-decoded and the query
// parsed, and PathHandler takes the query as sent.
void* HttpServer::Impl::on_request_line(void* /*cls*/, const char* uri,
                                        MHD_Connection* /*connection*/) {
  try {
    auto request = std::make_unique<ServeRequest>();
    request->target = uri != nullptr ? uri : "";
    return request.release();
  } catch (...) {
    return nullptr;  // on_request closes the connection
  }
}

void HttpServer::Impl::on_request_done(void* cls, MHD_Connection* connection,
                                       void** request_context,
                                       MHD_RequestTerminationCode /*code*/) {
  Impl& self = *static_cast<Impl*>(cls);
  delete static_cast<ServeRequest*>(*request_context);
  *request_context = nullptr;
  if (ConnectionWatch::Connection* watched_connection = watched(connection)) {
    self.watch->request_done(watched_connection);
  }
}

// Called when the request's line and headers are in (the first call), then once it is
// complete (the last call, where an answer that keeps the connection must be queued: one
// queued at the first call ends it), and again after a suspension for basic auth ends. A
// request's form is checked at the first call, so one with a body is refused before its body
// is read: no body is ever read.
MHD_Result HttpServer::Impl::on_request(void* cls, MHD_Connection* connection, const char* url,
                                        const char* method, const char* /*version*/,
                                        const char* /*upload_data*/, std::size_t* upload_data_size,
                                        void** request_context) {
  Impl& self = *static_cast<Impl*>(cls);
  auto* request = static_cast<ServeRequest*>(*request_context);
  if (request == nullptr) return MHD_NO;
  try {
    if (!request->arrived) {
      request->arrived = true;
      if (ConnectionWatch::Connection* watched_connection = watched(connection)) {
        self.watch->request_arrived(watched_connection);
      }
      if (std::optional<HttpAnswer> refusal = self.refused(connection, method)) {
        return send_answer(connection, std::move(*refusal));
      }
      return MHD_YES;
    }
    if (*upload_data_size != 0) return MHD_NO;  // a body: refused above, never read
    return self.answer(connection, *request, url);
  } catch (...) {
    return MHD_NO;  // no exception crosses libmicrohttpd; it closes the connection
  }
}

/// A refusal for the request's form (method, header count, header rules); nullopt when it may
/// go on to authentication.
std::optional<HttpAnswer> HttpServer::Impl::refused(MHD_Connection* connection,
                                                    const char* method) const {
  const std::string_view verb = method != nullptr ? method : "";
  if (verb != MHD_HTTP_METHOD_GET && verb != MHD_HTTP_METHOD_HEAD) {
    HttpAnswer answer = refusal(MHD_HTTP_METHOD_NOT_ALLOWED, "");
    answer.headers.emplace_back(MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    return answer;
  }
  const int headers =
      microhttpd().get_connection_values(connection, MHD_HEADER_KIND, nullptr, nullptr);
  if (headers < 0 || static_cast<std::size_t>(headers) > limits.max_header_count) {
    return refusal(MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "");
  }
  if (std::optional<std::string_view> why = refused_headers(connection, method)) {
    return refusal(MHD_HTTP_BAD_REQUEST, "bad request: " + std::string(*why));
  }
  return std::nullopt;
}

/// allowed or denied; unchecked while a bcrypt decides (the connection is then suspended and
/// on_request is called again once the verdict is in).
AuthVerdict HttpServer::Impl::authenticate(MHD_Connection* connection, ServeRequest& request) {
  if (!auth) return AuthVerdict::allowed;
  const AuthVerdict known = request.auth.load();
  if (known != AuthVerdict::unchecked) return known;
  const char* header = microhttpd().lookup_connection_value(connection, MHD_HEADER_KIND,
                                                            MHD_HTTP_HEADER_AUTHORIZATION);
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
  if (Result<const ServerLibraries*> libraries = load_server_libraries(); !libraries) {
    return libraries.error();
  }
  std::optional<TlsMaterial> tls;
  if (web.tls) {
    Result<TlsMaterial> loaded = load_tls_material(*web.tls);
    if (!loaded) return loaded.error();
    tls = std::move(*loaded);
  }
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  impl->limits = limits;
  impl->watch = std::make_unique<ConnectionWatch>(ConnectionWatch::Limits{
      limits.max_connections, limits.max_connections_per_client, limits.request_deadline});
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
  impl->daemon = microhttpd().start_daemon(flags, 0, &Impl::on_accept, raw, &Impl::on_request, raw,
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
    microhttpd().stop_daemon(impl_->daemon);
    impl_->watch->stop();
  });
}

int HttpServer::port() const {
  return impl_->port;
}

}  // namespace devops_monitor::serve
