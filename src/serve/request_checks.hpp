// The header rules serve adds to libmicrohttpd's parsing, as pure functions. libmicrohttpd
// 0.9.75 accepts a space before a header's colon (keeping it in the name, so "Content-Length :
// 40" is no Content-Length to it, while a proxy in front may read one), joins a folded line
// onto the header's name, and keeps every repeated header: each is a way for two parsers to
// read one request two ways. serve needs none of them, nor a request body, so all are refused
// with 400 before anything else is done for the request.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace devops_monitor::serve {

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

/// Why a request with these headers is refused (400), in words that repeat nothing the client
/// sent (they go back to it); nullopt when they pass:
/// - every name is an RFC 9110 token (no space, tab or separator: a space before the colon
///   and a folded line both leave one in the name as libmicrohttpd parses them);
/// - no value holds a control character other than tab;
/// - Host, Authorization, Content-Length and Transfer-Encoding appear at most once;
/// - no body: no Transfer-Encoding, and a Content-Length of 0 only.
std::optional<std::string_view> refused_header_reason(const std::vector<HeaderField>& headers);

/// RFC 9110 tchar: the characters of a header name.
bool is_token_char(char c);

}  // namespace devops_monitor::serve
