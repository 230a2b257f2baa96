#include "http/transfer.hpp"

#include <algorithm>
#include <cctype>

#include "http/url.hpp"
#include "util/file_io.hpp"
#include "util/redact.hpp"

namespace devops_monitor {
namespace {

// A retry is only worth it with this much of the budget left after the pause.
constexpr Milliseconds kRetryPause{200};
constexpr Milliseconds kMinRetryBudget{300};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = t->max_body - std::min(t->max_body, t->body.size());
  t->body.append(data, std::min(bytes, room));
  if (bytes > room) {
    t->body_truncated = true;
    return 0;  // stop reading: the rest of an oversized answer is never needed
  }
  return bytes;
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->headers.add_line(std::string_view(data, size * count));
  return size * count;
}

bool has_header(const HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(), [&](const HttpHeader& h) {
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  });
}

curl_slist* header_list_for(const HttpRequest& request) {
  curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers) {
    list = curl().slist_append(list, (name + ": " + value).c_str());
  }
  if (!has_header(request, "Accept")) list = curl().slist_append(list, "Accept: application/json");
  if (!request.body.empty() && !has_header(request, "Content-Type")) {
    list = curl().slist_append(list, "Content-Type: application/json");
  }
  // No "Expect: 100-continue" round trip before a large body: it costs a second of waiting
  // on servers that ignore it.
  if (!has_header(request, "Expect")) list = curl().slist_append(list, "Expect:");
  return list;
}

void set_method(CURL* e, const HttpRequest& request) {
  const std::string& method = request.method;
  if (method == "GET") {
    curl().easy_setopt(e, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (method == "HEAD") {
    curl().easy_setopt(e, CURLOPT_NOBODY, 1L);
    return;
  }
  if (method != "POST") curl().easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.c_str());
  // POST, PUT and PATCH always send a body, if empty, so the request has a Content-Length.
  if (method != "DELETE" || !request.body.empty()) {
    curl().easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    curl().easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
  }
}

bool is_transient_status(long status) {
  return status == 502 || status == 503 || status == 504;
}

TransportFailure classify_curl_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportFailure::dns;
    case CURLE_COULDNT_CONNECT:
      return TransportFailure::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportFailure::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
      return TransportFailure::tls;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportFailure::interrupted;
    default:
      return TransportFailure::other;
  }
}

std::string describe_failure(const Transfer& t, CURLcode code) {
  // For a refused or unreachable connection the system's words are the clearest.
  long os_errno = 0;
  curl().easy_getinfo(t.easy.get(), CURLINFO_OS_ERRNO, &os_errno);
  if (code == CURLE_COULDNT_CONNECT && os_errno != 0) return errno_text(static_cast<int>(os_errno));
  std::string detail =
      t.error_buffer[0] != '\0' ? t.error_buffer.data() : curl().easy_strerror(code);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  return detail;
}

struct Failure {
  TransportFailure kind = TransportFailure::none;
  std::string detail;
  bool transient = false;  // worth one more attempt: nothing reached the server, or it broke
};

/// A failure that happened at the proxy, if this one did. libcurl only ever connects to the
/// proxy (the proxy connects to the server), so a connect error is the proxy's too.
std::optional<Failure> proxy_failure(const Transfer& t, CURLcode code) {
  const std::string& proxy = t.proxy->address;
  long connect_code = 0;
  curl().easy_getinfo(t.easy.get(), CURLINFO_HTTP_CONNECTCODE, &connect_code);
  if (connect_code != 0 && (connect_code < 200 || connect_code >= 300)) {
    // The last status line the header callback saw is the proxy's answer to CONNECT.
    std::string answer = "HTTP " + std::to_string(connect_code);
    if (!t.headers.reason().empty()) answer += " " + t.headers.reason();
    return Failure{TransportFailure::proxy,
                   "proxy " + proxy + " refused the tunnel to " + t.outcome.host + ": " + answer,
                   false};
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Failure{TransportFailure::proxy, "cannot resolve proxy " + proxy, false};
    case CURLE_COULDNT_CONNECT:
      return Failure{TransportFailure::proxy,
                     "cannot connect to proxy " + proxy + ": " + describe_failure(t, code), true};
    case CURLE_PROXY:
      return Failure{TransportFailure::proxy,
                     "proxy " + proxy + " failed: " + describe_failure(t, code), false};
    default:
      return std::nullopt;
  }
}

Failure read_failure(const Transfer& t, CURLcode code) {
  // An answer cut at the body cap is a complete answer for our purposes.
  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && t.body_truncated)) return {};
  if (t.proxy) {
    if (std::optional<Failure> failure = proxy_failure(t, code)) return *failure;
  }
  const TransportFailure kind = classify_curl_error(code);
  return {kind, describe_failure(t, code),
          kind == TransportFailure::connect || kind == TransportFailure::interrupted};
}

Milliseconds remaining(const Transfer& t, SteadyClock::time_point now) {
  return std::chrono::duration_cast<Milliseconds>(t.deadline - now);
}

}  // namespace

std::string redact_for(const HttpRequest& request, std::string_view text) {
  return redact_secrets(text, request.secrets);
}

Result<void> prepare_attempt(Transfer& t, const HttpOptions& options, SteadyClock::time_point now) {
  t.easy.reset(curl().easy_init());
  if (!t.easy) return Error{"cannot start the request", "libcurl could not create a handle", ""};
  t.body.clear();
  t.body_truncated = false;
  t.headers.clear();
  t.error_buffer.fill('\0');
  t.max_body = options.max_body_bytes;
  t.header_list.reset(header_list_for(*t.request));

  CURL* e = t.easy.get();
  const long budget = std::max<long>(1, static_cast<long>(remaining(t, now).count()));
  curl().easy_setopt(e, CURLOPT_URL, t.url.c_str());
  set_method(e, *t.request);
  curl().easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list.get());
  curl().easy_setopt(e, CURLOPT_DEFAULT_PROTOCOL, "https");
  curl().easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl().easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl().easy_setopt(e, CURLOPT_TIMEOUT_MS, budget);
  curl().easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, budget);
  curl().easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl().easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl().easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_bundle.empty()) curl().easy_setopt(e, CURLOPT_CAINFO, options.ca_bundle.c_str());
  if (!options.user_agent.empty())
    curl().easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
  if (t.proxy) {
    // The layer chose this proxy (proxy.hpp) and already applied no_proxy; a tunnel means
    // the proxy relays TLS and sees only the host name.
    curl().easy_setopt(e, CURLOPT_PROXY, t.proxy->url.c_str());
    curl().easy_setopt(e, CURLOPT_NOPROXY, "");
    curl().easy_setopt(e, CURLOPT_HTTPPROXYTUNNEL, 1L);
  } else {
    // "" disables the proxy environment variables libcurl would otherwise read.
    curl().easy_setopt(e, CURLOPT_PROXY, "");
    curl().easy_setopt(e, CURLOPT_NOPROXY, "*");
  }
  curl().easy_setopt(e, CURLOPT_WRITEFUNCTION, collect_body);
  curl().easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl().easy_setopt(e, CURLOPT_HEADERFUNCTION, collect_header);
  curl().easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl().easy_setopt(e, CURLOPT_ERRORBUFFER, t.error_buffer.data());
  curl().easy_setopt(e, CURLOPT_PRIVATE, &t);
  return {};
}

void finish_attempt(Transfer& t, CURLcode code, SteadyClock::time_point now) {
  CURL* e = t.easy.get();
  const HttpRequest& request = *t.request;
  HttpOutcome& out = t.outcome;

  long status = 0;
  curl().easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t total_us = 0;
  curl().easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &total_us);
  out.latency = Milliseconds(total_us / 1000);

  const Failure failure = read_failure(t, code);
  out.failure = failure.kind;
  out.failure_detail = redact_for(request, failure.detail);
  out.http_status = (out.failure == TransportFailure::none && status > 0)
                        ? std::optional<int>(static_cast<int>(status))
                        : std::nullopt;
  if (out.failure == TransportFailure::timeout) {
    out.latency = std::chrono::duration_cast<Milliseconds>(now - t.started);
  }
  // Bodies are redacted as decoded JSON too: escapes ("sk\/abc") can spell a secret the
  // bytes do not show.
  out.body = redact_body_secrets(t.body, request.secrets);
  out.body_truncated = t.body_truncated;
  out.headers.clear();
  out.headers_truncated = false;
  if (out.http_status) {
    for (const auto& [name, value] : t.headers.headers()) {
      out.headers.emplace_back(name, redact_for(request, value));
    }
    out.headers_truncated = t.headers.truncated();
  }
  out.redirect_host.clear();
  if (status >= 300 && status < 400) {
    char* location = nullptr;
    curl().easy_getinfo(e, CURLINFO_REDIRECT_URL, &location);
    if (location != nullptr) out.redirect_host = redact_for(request, url_host(location));
  }
  char* effective = nullptr;
  curl().easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective);
  out.effective_host = effective != nullptr ? redact_for(request, url_host(effective)) : "";

  out.finished_at = std::chrono::system_clock::now();
  t.running = false;
  t.easy.reset();
  t.header_list.reset();
  t.headers.clear();
  t.body.clear();
  t.body.shrink_to_fit();

  const Milliseconds left = remaining(t, now);
  const std::vector<int>& extra = t.request->transient_statuses;
  const bool transient =
      failure.transient ||
      (out.http_status && (is_transient_status(*out.http_status) ||
                           std::find(extra.begin(), extra.end(), *out.http_status) != extra.end()));
  if (t.retry && transient && out.attempts < 2 && left >= kRetryPause + kMinRetryBudget) {
    t.next_attempt = now + kRetryPause;
  } else {
    t.done = true;
  }
}

}  // namespace devops_monitor
