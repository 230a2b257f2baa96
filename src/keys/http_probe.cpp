#include "keys/http_probe.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "keys/redact.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

using Clock = std::chrono::steady_clock;

// A retry is only worth it with this much of the budget left after the pause.
constexpr Milliseconds kRetryPause{200};
constexpr Milliseconds kMinRetryBudget{300};

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

struct UrlParts {
  std::string scheme;
  std::string host;
};

UrlParts parse_url(const std::string& url) {
  std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl_url());
  UrlParts parts;
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return parts;
  }
  auto get = [&](CURLUPart part) {
    char* value = nullptr;
    std::string text;
    if (curl_url_get(handle.get(), part, &value, 0) == CURLUE_OK && value != nullptr) text = value;
    curl_free(value);
    return text;
  };
  parts.scheme = get(CURLUPART_SCHEME);
  parts.host = get(CURLUPART_HOST);
  return parts;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};

/// One request's state across its attempts.
struct Transfer {
  const ProbeRequest* request = nullptr;
  HttpOutcome outcome;
  Clock::time_point deadline;
  Clock::time_point next_attempt;  // when the (next) attempt may start
  bool running = false;
  bool done = false;
  // State of the attempt in flight.
  std::unique_ptr<CURL, EasyDeleter> easy;
  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  std::string body;
  bool truncated = false;
  std::size_t max_body = 0;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = transfer->max_body - std::min(transfer->max_body, transfer->body.size());
  transfer->body.append(data, std::min(bytes, room));
  if (bytes > room) {
    transfer->truncated = true;
    return 0;  // stop reading: the rest of an oversized answer is never needed
  }
  return bytes;
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

bool is_transient(const HttpOutcome& outcome) {
  if (outcome.failure == TransportFailure::connect ||
      outcome.failure == TransportFailure::interrupted) {
    return true;
  }
  return outcome.failure == TransportFailure::none && outcome.http_status &&
         is_transient_status(*outcome.http_status);
}

Milliseconds remaining(const Transfer& t, Clock::time_point now) {
  return std::chrono::duration_cast<Milliseconds>(t.deadline - now);
}

/// Prepares a fresh easy handle for the next attempt of `t`.
bool start_attempt(Transfer& t, CURLM* multi, const HttpOptions& options, Clock::time_point now) {
  t.easy.reset(curl_easy_init());
  if (!t.easy) return false;
  t.body.clear();
  t.truncated = false;
  t.error_buffer.fill('\0');
  t.max_body = options.max_body_bytes;

  curl_slist* list = nullptr;
  for (const auto& [name, value] : t.request->headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  list = curl_slist_append(list, "Accept: application/json");
  t.header_list.reset(list);

  CURL* e = t.easy.get();
  const long budget = std::max<long>(1, static_cast<long>(remaining(t, now).count()));
  curl_easy_setopt(e, CURLOPT_URL, t.request->url.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, budget);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, budget);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_bundle.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_bundle.c_str());
  if (!options.user_agent.empty())
    curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
  // Plain http only ever goes to loopback: never hand such a request (and its key) to a proxy.
  if (parse_url(t.request->url).scheme == "http") curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error_buffer.data());
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);

  t.outcome.attempts += 1;
  t.running = true;
  return curl_multi_add_handle(multi, e) == CURLM_OK;
}

std::string describe_failure(const Transfer& t, CURLcode code) {
  // For a refused or unreachable connection the system's words are the clearest.
  long os_errno = 0;
  curl_easy_getinfo(t.easy.get(), CURLINFO_OS_ERRNO, &os_errno);
  if (code == CURLE_COULDNT_CONNECT && os_errno != 0) return errno_text(static_cast<int>(os_errno));
  std::string detail = t.error_buffer[0] != '\0' ? t.error_buffer.data() : curl_easy_strerror(code);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  return detail;
}

/// Records the finished attempt of `t` in its outcome.
void finish_attempt(Transfer& t, CURLcode code, Clock::time_point now) {
  CURL* e = t.easy.get();
  const std::string& secret = t.request->secret;
  HttpOutcome& out = t.outcome;

  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t total_us = 0;
  curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &total_us);
  out.latency = Milliseconds(total_us / 1000);

  const bool capped = code == CURLE_WRITE_ERROR && t.truncated;
  out.failure = (code == CURLE_OK || capped) ? TransportFailure::none : classify_curl_error(code);
  out.failure_detail = out.failure == TransportFailure::none
                           ? std::string()
                           : redact_secret(describe_failure(t, code), secret);
  out.http_status = (out.failure == TransportFailure::none && status > 0)
                        ? std::optional<int>(static_cast<int>(status))
                        : std::nullopt;
  if (out.failure == TransportFailure::timeout) {
    out.latency = std::chrono::duration_cast<Milliseconds>(now - (t.deadline - t.request->timeout));
  }
  out.body = redact_secret(t.body, secret);
  out.body_truncated = t.truncated;
  out.redirect_host.clear();
  if (status >= 300 && status < 400) {
    char* location = nullptr;
    curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &location);
    if (location != nullptr) out.redirect_host = redact_secret(url_host(location), secret);
  }

  out.finished_at = std::chrono::system_clock::now();
  t.running = false;
  t.easy.reset();
  t.header_list.reset();
  t.body.clear();
  t.body.shrink_to_fit();

  const Milliseconds left = remaining(t, now);
  if (is_transient(out) && out.attempts < 2 && left >= kRetryPause + kMinRetryBudget) {
    t.next_attempt = now + kRetryPause;
  } else {
    t.done = true;
  }
}

/// Records every attempt curl reports as finished.
void collect_finished(CURLM* multi) {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
    const CURLcode code = message->data.result;
    curl_multi_remove_handle(multi, message->easy_handle);
    finish_attempt(*t, code, Clock::now());
  }
}

/// Refuses to put a key on the wire unencrypted unless it stays on this machine.
std::optional<HttpOutcome> refuse_insecure(const ProbeRequest& request) {
  const UrlParts parts = parse_url(request.url);
  if (parts.scheme != "http" || request.secret.empty() || is_loopback_host(parts.host)) {
    return std::nullopt;
  }
  HttpOutcome out;
  out.host = parts.host;
  out.budget = request.timeout;
  out.failure = TransportFailure::refused_insecure;
  out.failure_detail = "refusing to send the key over plain http to " + parts.host + " (use https)";
  out.finished_at = std::chrono::system_clock::now();
  return out;
}

}  // namespace

std::string url_host(const std::string& url) {
  return parse_url(url).host;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8 written as a dotted quad.
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

std::vector<HttpOutcome> run_probes(const std::vector<ProbeRequest>& requests,
                                    const HttpOptions& options) {
  ensure_curl_initialized();
  const auto start = Clock::now();
  std::vector<Transfer> transfers(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    Transfer& t = transfers[i];
    t.request = &requests[i];
    t.deadline = start + requests[i].timeout;
    t.next_attempt = start;
    t.outcome.host = url_host(requests[i].url);
    t.outcome.budget = requests[i].timeout;
    if (auto refused = refuse_insecure(requests[i])) {
      t.outcome = *refused;
      t.done = true;
    }
  }

  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  while (true) {
    // Start every attempt that is due; note when the next scheduled retry is due.
    auto now = Clock::now();
    bool any_running = false;
    std::optional<Clock::time_point> next_retry;
    for (Transfer& t : transfers) {
      if (!t.done && !t.running && t.next_attempt <= now &&
          !start_attempt(t, multi.get(), options, now)) {
        t.outcome.failure = TransportFailure::other;
        t.outcome.failure_detail = "cannot start an HTTP request";
        t.done = true;
      }
      any_running = any_running || t.running;
      if (!t.done && !t.running)
        next_retry = std::min(next_retry.value_or(t.next_attempt), t.next_attempt);
    }
    if (!any_running && !next_retry) break;

    if (any_running) {
      int still_running = 0;
      curl_multi_perform(multi.get(), &still_running);
      collect_finished(multi.get());
    }

    // Sleep until there is socket activity, curl's own timer fires, or a retry is due.
    now = Clock::now();
    bool still_running = false;
    std::optional<Milliseconds> until_retry;
    for (const Transfer& t : transfers) {
      still_running = still_running || t.running;
      if (t.done || t.running) continue;
      const auto due =
          std::max(Milliseconds(0), std::chrono::duration_cast<Milliseconds>(t.next_attempt - now));
      until_retry = std::min(until_retry.value_or(due), due);
    }
    if (still_running) {
      const Milliseconds wait =
          std::min(until_retry.value_or(Milliseconds(1000)), Milliseconds(1000));
      curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    } else if (until_retry) {
      std::this_thread::sleep_for(*until_retry);
    }
  }

  std::vector<HttpOutcome> outcomes;
  outcomes.reserve(transfers.size());
  for (Transfer& t : transfers) outcomes.push_back(std::move(t.outcome));
  return outcomes;
}

}  // namespace devops_monitor
