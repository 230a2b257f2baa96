// What serve parses of a request itself, past libmicrohttpd: the header rules
// (refused_header_reason), the Authorization header (parse_basic_authorization, decode_base64)
// and the status page's query (page_range_of_query). The input is a request head: its first
// line is the query, every other line "name:value" a header as libmicrohttpd hands it over
// (the name up to the first ':', the value after it without leading blanks). Checks: a refusal
// is one printable line of our own words (never a view of the input); headers that pass have token
// names, no control characters in values, no body and no repeated Content-Length; a decoded user
// has no
// ':' and base64 decodes only what it could encode.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "serve/basic_auth.hpp"
#include "serve/page_endpoint.hpp"
#include "serve/request_checks.hpp"

using namespace devops_monitor;

namespace {

std::vector<std::string_view> request_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

serve::HeaderField as_header(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {line, {}};
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  return {line.substr(0, colon), value};
}

bool lowercase_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

void check_passed_headers(const std::vector<serve::HeaderField>& headers) {
  int lengths = 0;
  for (const serve::HeaderField& header : headers) {
    FUZZ_CHECK(!header.name.empty(), "an empty name passed");
    for (const char c : header.name) FUZZ_CHECK(serve::is_token_char(c), std::string(header.name));
    for (const char c : header.value) {
      const auto byte = static_cast<unsigned char>(c);
      FUZZ_CHECK(byte == '\t' || (byte >= 0x20 && byte != 0x7F), std::string(header.value));
    }
    FUZZ_CHECK(!lowercase_equal(header.name, "transfer-encoding"), "a body passed");
    if (lowercase_equal(header.name, "content-length")) {
      ++lengths;
      FUZZ_CHECK(header.value.find_first_not_of('0') == std::string_view::npos, "a body passed");
    }
  }
  FUZZ_CHECK(lengths <= 1, "two Content-Lengths passed");
}

}  // namespace

FUZZ_TARGET(http_request) {
  const std::vector<std::string_view> lines = request_lines(fuzz::as_text(data, size));
  if (lines.empty()) return 0;
  (void)serve::page_range_of_query(lines.front());
  std::vector<serve::HeaderField> headers;
  for (std::size_t i = 1; i < lines.size(); ++i) headers.push_back(as_header(lines[i]));

  if (const auto why = serve::refused_header_reason(headers)) {
    FUZZ_CHECK(fuzz::is_printable_line(*why), std::string(*why));
    // Words of our own, never a view of what the client sent.
    const auto* at = reinterpret_cast<const std::uint8_t*>(why->data());
    FUZZ_CHECK(at < data || at >= data + size, std::string(*why));
  } else {
    check_passed_headers(headers);
  }

  for (const serve::HeaderField& header : headers) {
    if (const auto credentials = serve::parse_basic_authorization(header.value)) {
      FUZZ_CHECK(credentials->first.find(':') == std::string::npos, credentials->first);
    }
    if (const auto decoded = serve::decode_base64(header.value)) {
      FUZZ_CHECK(decoded->size() <= header.value.size() / 4 * 3, std::string(header.value));
      FUZZ_CHECK(header.value.size() % 4 == 0, std::string(header.value));
    }
  }
  return 0;
}
