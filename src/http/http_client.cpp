#include "http/http_client.hpp"

#include <algorithm>
#include <memory>
#include <thread>

#include "http/curl_library.hpp"
#include "http/proxy.hpp"
#include "http/transfer.hpp"
#include "http/transport_rules.hpp"
#include "http/url.hpp"

namespace devops_monitor {
namespace {

/// Every request ends unsent: libcurl cannot be loaded in this process.
std::vector<HttpOutcome> unsent(const std::vector<HttpRequest>& requests, const Error& error) {
  std::vector<HttpOutcome> outcomes(requests.size());
  for (HttpOutcome& outcome : outcomes) {
    outcome.failure = TransportFailure::other;
    outcome.failure_detail = error.message();
    outcome.finished_at = std::chrono::system_clock::now();
  }
  return outcomes;
}

struct CurlMultiDeleter {
  void operator()(CURLM* multi) const { curl().multi_cleanup(multi); }
};

bool is_idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD";
}

/// Ends `t` before anything is sent.
void refuse(Transfer& t, TransportFailure failure, const Error& error) {
  t.outcome.failure = failure;
  t.outcome.failure_detail = redact_for(*t.request, error.message());
  t.outcome.finished_at = std::chrono::system_clock::now();
  t.done = true;
}

/// Sets up a transfer's clock and policy, and checks the transport rules: a request that
/// breaks one is done at once, without a byte sent.
void plan(Transfer& t, SteadyClock::time_point start, const HttpOptions& options) {
  const HttpRequest& request = *t.request;
  t.started = start;
  t.deadline = start + request.timeout;
  if (options.deadline) t.deadline = std::min(t.deadline, *options.deadline);
  t.next_attempt = start;
  t.retry = request.retry_transient.value_or(is_idempotent(request.method));
  t.outcome.budget =
      std::max(Milliseconds(0), std::chrono::duration_cast<Milliseconds>(t.deadline - start));

  if (Result<void> shape = check_request_shape(request); !shape) {
    return refuse(t, TransportFailure::invalid_request, shape.error());
  }
  Result<Url> url = check_url(request.url);
  if (!url) return refuse(t, TransportFailure::invalid_request, url.error());
  t.outcome.host = redact_for(request, url->host);
  if (Result<void> plain = check_plain_http(*url); !plain) {
    return refuse(t, TransportFailure::refused_insecure, plain.error());
  }
  // libcurl gets the URL the rules approved, not the text it would parse (and guess at) again.
  t.url = url->text;
  const EnvLookup environment = options.environment ? options.environment : process_environment();
  Result<std::optional<Proxy>> proxy = choose_proxy(*url, environment);
  if (!proxy) return refuse(t, TransportFailure::proxy, proxy.error());
  t.proxy = std::move(*proxy);
  if (t.deadline <= start) {
    // The caller's overall deadline has passed: starting now would run past it.
    refuse(t, TransportFailure::timeout, Error{"no time left before the deadline", "", ""});
  }
}

// A running transfer this far past its deadline is ended by the loop itself: libcurl's own
// timeout should have fired, and the caller's deadline must hold even if it does not.
constexpr Milliseconds kOverdueGrace{250};

/// Starts the next attempt of `t` on `multi`. `t` is running only once libcurl has taken
/// the transfer: a handle it refused would never finish, and the loop would wait forever.
Result<void> start_attempt(Transfer& t, CURLM* multi, const HttpOptions& options,
                           SteadyClock::time_point now) {
  if (!multi)
    return Error{"cannot start the request", "libcurl could not create a multi handle", ""};
  if (Result<void> prepared = prepare_attempt(t, options, now); !prepared) return prepared;
  if (const CURLMcode code = curl().multi_add_handle(multi, t.easy.get()); code != CURLM_OK) {
    t.easy.reset();
    t.header_list.reset();
    return Error{"cannot start the request",
                 std::string("libcurl refused the transfer: ") + curl().multi_strerror(code), ""};
  }
  t.outcome.attempts += 1;
  t.running = true;
  return {};
}

/// Ends `t`, whose attempt could not start. A retry that cannot start leaves the answer
/// of the attempt before it, which is the last thing known.
void fail_to_start(Transfer& t, const Error& error) {
  if (t.outcome.attempts == 0) {
    t.outcome.failure = TransportFailure::other;
    t.outcome.failure_detail = redact_for(*t.request, error.message());
    t.outcome.finished_at = std::chrono::system_clock::now();
  }
  t.done = true;
}

/// Ends every attempt that has run past its deadline (see kOverdueGrace).
void end_overdue(std::vector<Transfer>& transfers, CURLM* multi, SteadyClock::time_point now) {
  for (Transfer& t : transfers) {
    if (!t.running || now < t.deadline + kOverdueGrace) continue;
    curl().multi_remove_handle(multi, t.easy.get());
    finish_attempt(t, CURLE_OPERATION_TIMEDOUT, now);
    t.done = true;
  }
}

/// Ends every attempt, running or still to come: the caller gave up (HttpOptions::cancel).
void end_all_cancelled(std::vector<Transfer>& transfers, CURLM* multi) {
  for (Transfer& t : transfers) {
    if (t.done) continue;
    if (t.running) {
      curl().multi_remove_handle(multi, t.easy.get());
      finish_attempt(t, CURLE_ABORTED_BY_CALLBACK, SteadyClock::now());
    } else {
      fail_to_start(t, Error{"cancelled", "the caller stopped waiting", ""});
    }
    t.done = true;
  }
}

void tell_waiting(const std::vector<Transfer>& transfers, const HttpOptions& options) {
  std::vector<std::size_t> unfinished;
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    if (!transfers[i].done) unfinished.push_back(i);
  }
  if (!unfinished.empty()) options.on_waiting(unfinished);
}

bool cancelled(const HttpOptions& options) {
  return options.cancel != nullptr && options.cancel->load();
}

/// Records every attempt curl reports as finished.
void collect_finished(CURLM* multi) {
  int queued = 0;
  while (CURLMsg* message = curl().multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl().easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
    const CURLcode code = message->data.result;
    curl().multi_remove_handle(multi, message->easy_handle);
    finish_attempt(*t, code, SteadyClock::now());
  }
}

}  // namespace

std::optional<std::string> HttpOutcome::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::vector<HttpOutcome> perform_requests(const std::vector<HttpRequest>& requests,
                                          const HttpOptions& options) {
  if (Result<const CurlLibrary*> library = load_curl(); !library) {
    return unsent(requests, library.error());
  }
  const auto start = SteadyClock::now();
  std::vector<Transfer> transfers;
  transfers.reserve(requests.size());
  for (const HttpRequest& request : requests) {
    plan(transfers.emplace_back(request, options), start, options);
  }

  std::unique_ptr<CURLM, CurlMultiDeleter> multi(curl().multi_init());
  while (true) {
    if (cancelled(options)) {
      end_all_cancelled(transfers, multi.get());
      break;
    }
    // Start every attempt that is due; note when the next scheduled retry is due.
    auto now = SteadyClock::now();
    bool any_running = false;
    std::optional<SteadyClock::time_point> next_retry;
    for (Transfer& t : transfers) {
      if (!t.done && !t.running && t.next_attempt <= now) {
        if (Result<void> started = start_attempt(t, multi.get(), options, now); !started) {
          fail_to_start(t, started.error());
        }
      }
      any_running = any_running || t.running;
      if (!t.done && !t.running)
        next_retry = std::min(next_retry.value_or(t.next_attempt), t.next_attempt);
    }
    if (!any_running && !next_retry) break;

    if (any_running) {
      int still_running = 0;
      curl().multi_perform(multi.get(), &still_running);
      collect_finished(multi.get());
      end_overdue(transfers, multi.get(), SteadyClock::now());
    }

    // Sleep until there is socket activity, curl's own timer fires, or a retry is due.
    now = SteadyClock::now();
    bool still_running = false;
    std::optional<Milliseconds> until_retry;
    for (const Transfer& t : transfers) {
      still_running = still_running || t.running;
      if (t.done || t.running) continue;
      const auto due =
          std::max(Milliseconds(0), std::chrono::duration_cast<Milliseconds>(t.next_attempt - now));
      until_retry = std::min(until_retry.value_or(due), due);
    }
    if (options.on_waiting) tell_waiting(transfers, options);
    if (still_running) {
      // A cancellable or watched call looks at its flag or tells its progress at least every
      // 100 ms.
      const Milliseconds longest(options.cancel != nullptr || options.on_waiting ? 100 : 1000);
      const Milliseconds wait = std::min(until_retry.value_or(longest), longest);
      curl().multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    } else if (until_retry) {
      std::this_thread::sleep_for(options.cancel != nullptr || options.on_waiting
                                      ? std::min(*until_retry, Milliseconds(100))
                                      : *until_retry);
    }
  }

  std::vector<HttpOutcome> outcomes;
  outcomes.reserve(transfers.size());
  for (Transfer& t : transfers) outcomes.push_back(std::move(t.outcome));
  return outcomes;
}

HttpOutcome perform_request(const HttpRequest& request, const HttpOptions& options) {
  return std::move(perform_requests({request}, options).front());
}

}  // namespace devops_monitor
