// The transport rules every request obeys, checked before anything is sent. Pure: they look
// at the request and its parsed URL only.
#pragma once

#include "devops_monitor/error.hpp"
#include "http/http_client.hpp"
#include "http/url.hpp"

namespace devops_monitor {

/// The method is one the layer speaks (GET, HEAD, POST, PUT, PATCH, DELETE), GET and HEAD
/// carry no body, and every header is a token name with a value free of line breaks and NUL
/// (a key read with a stray newline would otherwise start a header of its own).
/// Failing requests are TransportFailure::invalid_request.
Result<void> check_request_shape(const HttpRequest& request);

/// The request's URL, normalised, when it parses, is http or https, and names no user or
/// password. Messages never quote the URL. Failing URLs are TransportFailure::invalid_request.
Result<Url> check_url(const std::string& url);

/// Plain http goes only to loopback hosts, secret or not: anything on the way could read or
/// change it. Failing requests are TransportFailure::refused_insecure.
Result<void> check_plain_http(const Url& url);

}  // namespace devops_monitor
