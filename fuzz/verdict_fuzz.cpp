// judge_response(): any body, status and transport failure, for every dialect and auth kind,
// gives a verdict whose message is one printable line of bounded length and whose state
// keeps the rules no provider answer may break (docs/design.md).
// Input: dialect byte, auth byte, status (2 bytes, big-endian; 0 = no answer), failure
// byte, then the body. Without an answer the body stands in for curl's failure detail,
// with a 3xx its first line for the Location host.
#include "fuzz_support.hpp"
#include "keys/verdict.hpp"

using namespace devops_monitor;

namespace {

constexpr std::size_t kHeader = 5;
// Every piece of outside text (code, message, host, detail) is cut at ~160 bytes.
constexpr std::size_t kMaxMessage = 600;

Provider provider_for(std::uint8_t dialect, std::uint8_t auth) {
  Provider p{.id = "fuzz", .name = "Fuzz", .env_var = "FUZZ_API_KEY"};
  p.test_endpoint = "https://api.example.test/v1/models";
  p.dialect = static_cast<Dialect>(dialect % 4);
  p.auth = static_cast<AuthKind>(auth % 3);
  return p;
}

}  // namespace

FUZZ_TARGET(verdict) {
  if (size < kHeader) return 0;
  const Provider provider = provider_for(data[0], data[1]);
  const int status = (data[2] << 8) | data[3];
  const std::string body(fuzz::as_text(data + kHeader, size - kHeader));

  HttpOutcome out;
  out.host = "api.example.test";
  out.attempts = 1 + data[4] / 128;
  out.budget = Milliseconds(10000);
  if (status == 0) {
    out.failure = static_cast<TransportFailure>(1 + data[4] % 7);
    out.failure_detail = body;
  } else {
    out.http_status = status;
    out.body = body;
    if (status >= 300 && status < 400) out.redirect_host = body.substr(0, body.find('\n'));
  }

  const KeyVerdict v = judge_response(provider, out);
  FUZZ_CHECK(fuzz::is_printable_line(v.message), v.message);
  FUZZ_CHECK(!v.message.empty(), "empty message");
  FUZZ_CHECK(v.message.size() <= kMaxMessage, v.message);

  if (provider.auth == AuthKind::none) {
    // No key was sent: nothing is known about it.
    FUZZ_CHECK(v.state == KeyState::unsupported, v.message);
    return 0;
  }
  FUZZ_CHECK(v.state != KeyState::unsupported && v.state != KeyState::missing, v.message);
  // An outage is never a bad key, a bad key is never healthy.
  if (status == 0 || status >= 500 || (status >= 300 && status < 400)) {
    FUZZ_CHECK(v.state == KeyState::unknown, v.message);
  }
  if (status == 401) {
    FUZZ_CHECK(v.state == KeyState::invalid || v.state == KeyState::restricted, v.message);
  }
  if (status == 403) {
    FUZZ_CHECK(v.state == KeyState::invalid || v.state == KeyState::restricted ||
                   v.state == KeyState::quota_exhausted,
               v.message);
  }
  if (v.state == KeyState::restricted) {
    FUZZ_CHECK(status == 400 || status == 401 || status == 403, v.message);
  }
  if (status >= 200 && status < 300) {
    FUZZ_CHECK(v.state == KeyState::valid || v.state == KeyState::quota_exhausted, v.message);
  }
  if (v.state == KeyState::valid) FUZZ_CHECK(status >= 200 && status < 300, v.message);
  return 0;
}
