// One request on libcurl: its state across attempts, how an attempt is set up on an easy
// handle, and how a finished attempt is read back into the outcome. The scheduling of many
// transfers on one multi handle is http_client.cpp's job.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "devops_monitor/error.hpp"
#include "http/curl_library.hpp"
#include "http/http_client.hpp"
#include "http/proxy.hpp"
#include "http/response_headers.hpp"

namespace devops_monitor {

using SteadyClock = std::chrono::steady_clock;

struct CurlEasyDeleter {
  void operator()(CURL* easy) const { curl().easy_cleanup(easy); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl().slist_free_all(list); }
};

struct Transfer {
  Transfer(const HttpRequest& request, const HttpOptions& options)
      : request(&request), headers(options.max_headers, options.max_header_bytes) {}

  const HttpRequest* request;
  std::string url;             // the URL libcurl is given
  std::optional<Proxy> proxy;  // none: connect directly, whatever the environment says
  bool retry = false;          // a transient failure may be retried
  HttpOutcome outcome;
  SteadyClock::time_point started;
  SteadyClock::time_point deadline;
  SteadyClock::time_point next_attempt;  // when the (next) attempt may start
  bool running = false;
  bool done = false;

  // The attempt in flight.
  std::unique_ptr<CURL, CurlEasyDeleter> easy;
  std::unique_ptr<curl_slist, CurlSlistDeleter> header_list;
  std::string body;
  bool body_truncated = false;
  std::size_t max_body = 0;
  ResponseHeaders headers;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
};

/// Sets up the next attempt of `t` on a fresh easy handle (not yet added to a multi handle).
Result<void> prepare_attempt(Transfer& t, const HttpOptions& options, SteadyClock::time_point now);

/// Records the finished attempt of `t` in its outcome, releases the easy handle, and either
/// schedules a retry or marks the transfer done.
void finish_attempt(Transfer& t, CURLcode code, SteadyClock::time_point now);

/// Applies `text` -> redacted for every secret of the request.
std::string redact_for(const HttpRequest& request, std::string_view text);

}  // namespace devops_monitor
