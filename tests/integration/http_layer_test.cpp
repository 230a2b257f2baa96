// The HTTP client layer in this process, over real HTTP to fake servers on 127.0.0.1:
// methods, bodies, response headers, secrets and deadlines, whoever the caller is.
#include <gtest/gtest.h>

#include <set>

#include "http/http_client.hpp"
#include "support/fake_provider.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::steady_clock;

const std::string kKey = "CANARY-layer-key-not-real-9a8b7c6d";
const std::string kToken = "CANARY-layer-token-not-real-1f2e3d4c";

std::string header_of(const RecordedRequest& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

TEST(HttpLayer, PostSendsItsBodyAsJsonAndIsNotRetriedByDefault) {
  FakeProviderServer server;
  server.on_sequence("/hook", {{.status = 503, .body = "busy"}, {.status = 200, .body = "{}"}});
  const HttpOutcome out = perform_request(
      {.method = "POST", .url = server.url("/hook"), .body = R"({"text":"disk full"})"}, {});
  EXPECT_EQ(out.http_status, 503) << out.failure_detail;
  EXPECT_EQ(out.attempts, 1);
  const std::vector<RecordedRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u) << "a POST may have been acted on: it is not repeated";
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, R"({"text":"disk full"})");
  EXPECT_EQ(header_of(seen[0], "Content-Type"), "application/json");
}

TEST(HttpLayer, PostIsRetriedWhenTheCallerAllowsIt) {
  FakeProviderServer server;
  server.on_sequence("/hook", {{.status = 503, .body = "busy"}, {.status = 200, .body = "{}"}});
  const HttpOutcome out = perform_request(
      {.method = "POST", .url = server.url("/hook"), .body = "{}", .retry_transient = true}, {});
  EXPECT_EQ(out.http_status, 200) << out.failure_detail;
  EXPECT_EQ(out.attempts, 2);
  EXPECT_EQ(server.request_count("/hook"), 2u);
}

TEST(HttpLayer, GetIsRetriedByDefault) {
  FakeProviderServer server;
  server.on_sequence("/v1/models", {{.status = 502, .body = ""}, {.status = 200, .body = "{}"}});
  const HttpOutcome out = perform_request({.url = server.url("/v1/models")}, {});
  EXPECT_EQ(out.http_status, 200) << out.failure_detail;
  EXPECT_EQ(server.request_count("/v1/models"), 2u);
}

TEST(HttpLayer, EveryMethodArrivesAsSent) {
  FakeProviderServer server;
  server.on("/r", {.status = 200, .body = "{}"});
  std::vector<HttpRequest> requests;
  for (const char* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) {
    const bool has_body = std::string(method) != "GET" && std::string(method) != "HEAD";
    requests.push_back({.method = method,
                        .url = server.url("/r"),
                        .body = has_body ? R"({"state":"closed"})" : ""});
  }
  const std::vector<HttpOutcome> outcomes = perform_requests(requests, {});
  ASSERT_EQ(outcomes.size(), requests.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].http_status, 200) << requests[i].method << outcomes[i].failure_detail;
  }
  std::multiset<std::string> methods;
  for (const RecordedRequest& r : server.requests()) {
    methods.insert(r.method);
    if (r.method == "PATCH" || r.method == "PUT") {
      EXPECT_EQ(r.body, R"({"state":"closed"})");
    }
  }
  EXPECT_EQ(methods, (std::multiset<std::string>{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}));
}

TEST(HttpLayer, ResponseHeadersComeBackLowercasedAndRedacted) {
  FakeProviderServer server;
  server.on("/v1/models", {.status = 429,
                           .body = R"({"error":"slow down )" + kKey + R"("})",
                           .headers = {{"Retry-After", "7"},
                                       {"X-RateLimit-Remaining", "0"},
                                       {"X-Echo", "token=" + kToken}}});
  const HttpOutcome out =
      perform_request({.url = server.url("/v1/models"),
                       .headers = {{"Authorization", "Bearer " + kKey}, {"X-Token", kToken}},
                       .secrets = {kKey, kToken}},
                      {});
  EXPECT_EQ(out.http_status, 429);
  EXPECT_EQ(out.header("retry-after"), "7");
  EXPECT_EQ(out.header("x-ratelimit-remaining"), "0");
  EXPECT_EQ(out.header("x-echo"), "token=[REDACTED]");
  EXPECT_EQ(out.header("Retry-After"), std::nullopt) << "names are looked up in lowercase";
  EXPECT_EQ(out.body.find(kKey), std::string::npos) << out.body;
  EXPECT_EQ(out.effective_host, "127.0.0.1");
  for (const auto& [name, value] : out.headers) {
    EXPECT_EQ(value.find("CANARY"), std::string::npos) << name;
  }
}

TEST(HttpLayer, TheDeadlineClipsEveryRequest) {
  FakeProviderServer server;
  server.on("/slow", {.hang = true});
  const auto started = steady_clock::now();
  HttpOptions options;
  options.deadline = started + std::chrono::milliseconds(400);
  const std::vector<HttpOutcome> outcomes =
      perform_requests({{.url = server.url("/slow"), .timeout = std::chrono::seconds(20)},
                        {.url = server.url("/slow"), .timeout = std::chrono::seconds(20)}},
                       options);
  const auto elapsed = steady_clock::now() - started;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
  for (const HttpOutcome& out : outcomes) {
    EXPECT_EQ(out.failure, TransportFailure::timeout);
    EXPECT_LE(out.budget, std::chrono::milliseconds(400));
  }
}

TEST(HttpLayer, NothingIsSentOnceTheDeadlineHasPassed) {
  FakeProviderServer server;
  server.on("/v1/models", {.status = 200, .body = "{}"});
  HttpOptions options;
  options.deadline = steady_clock::now() - std::chrono::milliseconds(1);
  const HttpOutcome out = perform_request({.url = server.url("/v1/models")}, options);
  EXPECT_EQ(out.failure, TransportFailure::timeout);
  EXPECT_EQ(out.attempts, 0);
  EXPECT_EQ(server.requests().size(), 0u);
}

}  // namespace
}  // namespace devops_monitor::testing
