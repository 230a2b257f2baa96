// The parsers of what provider answers tell beyond the verdict: the streamed model list reader, the
// rate-limit headers, retry-after, Google's RetryInfo and the balance body. Any input gives
// bounded, consistent facts and never crashes or hangs.
// Input: dialect byte, then the text. The text is read as a model list page, a balance body
// and (split at the first newline) as header values for every rate-limit header.
#include <cmath>
#include <set>

#include "fuzz_support.hpp"
#include "keys/credit.hpp"
#include "keys/model_list.hpp"
#include "keys/rate_limit.hpp"

using namespace devops_monitor;

FUZZ_TARGET(insight) {
  if (size < 1) return 0;
  Provider provider{.id = "fuzz", .name = "Fuzz", .env_var = "FUZZ_API_KEY"};
  provider.dialect = static_cast<Dialect>(data[0] % 4);
  provider.model_id_prefix = data[0] & 0x10 ? "models/" : "";
  const std::string text(fuzz::as_text(data + 1, size - 1));

  const std::set<std::string> required = {"gpt-4o", "gemini-2.5-pro", "a"};
  const ModelPage page = read_model_page(provider, text, required);
  if (!page.is_list) FUZZ_CHECK(page.count == 0 && page.found.empty() && !page.next, text);
  FUZZ_CHECK(page.found.size() <= required.size(), text);
  for (const std::string& id : page.found) FUZZ_CHECK(required.count(id) == 1, id);
  if (page.next) {
    FUZZ_CHECK(page.complete && page.next->size() <= 1024, *page.next);
    const std::string url =
        model_page_url(provider, "https://api.example.test/v1/models", page.next);
    FUZZ_CHECK(url.find_first_of(" \r\n#") == std::string::npos, url);
  }

  if (const auto balance = read_balance_body(text)) FUZZ_CHECK(std::isfinite(*balance), text);

  const std::string value = text.substr(0, text.find('\n'));
  HttpOutcome out;
  out.http_status = data[0] & 0x20 ? 429 : 200;
  out.body = text;
  for (const char* name :
       {"x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
        "x-ratelimit-reset-requests", "anthropic-ratelimit-requests-limit",
        "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset",
        "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"}) {
    out.headers.emplace_back(name, value);
  }
  const RateLimitInfo info = read_rate_limit(provider, out);
  if (info.limit || info.remaining) {
    FUZZ_CHECK(info.limit && info.remaining && *info.remaining <= *info.limit, value);
  }
  if (info.reset_seconds) FUZZ_CHECK(*info.reset_seconds >= 0, value);
  if (info.retry_after_seconds) FUZZ_CHECK(*info.retry_after_seconds >= 0, value);
  if (info.retry_after_at) FUZZ_CHECK(info.retry_after_at->size() == 20, *info.retry_after_at);
  if (const auto seconds = parse_go_duration(value)) {
    FUZZ_CHECK(std::isfinite(*seconds) && *seconds >= 0, value);
  }
  return 0;
}
