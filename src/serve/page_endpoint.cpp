#include "serve/page_endpoint.hpp"

namespace devops_monitor::serve {

std::optional<PageRange> page_range_of_query(std::string_view query) {
  std::optional<PageRange> range = PageRange::week;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.starts_with("range=")) range = parse_page_range(pair.substr(6));
  }
  return range;
}

HttpAnswer page_answer(std::string html) {
  HttpAnswer answer{200, "text/html; charset=utf-8", std::move(html)};
  answer.headers = {{"Content-Security-Policy", std::string(kPageContentSecurityPolicy)},
                    {"Referrer-Policy", "no-referrer"},
                    {"Cache-Control", "no-store"}};
  return answer;
}

HttpAnswer bad_range_answer() {
  return {400, "text/plain; charset=utf-8", "unknown range: use 24h, 7d, 30d or 90d\n"};
}

}  // namespace devops_monitor::serve
