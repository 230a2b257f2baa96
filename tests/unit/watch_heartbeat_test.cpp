// The heartbeat's request and its judgement, over plain values: one GET that is never retried
// and treats the whole URL as a secret; a failure names the host, never the path.
#include "watch/heartbeat.hpp"

#include <gtest/gtest.h>

#include <string>

namespace devops_monitor::watch {
namespace {

const std::string kPingUrl = "https://hc-ping.example/3f6e1c2a-TOKEN-9b7d";

TEST(WatchHeartbeat, TheRequestIsOneGetWithTheUrlAsItsSecret) {
  const HttpRequest request = heartbeat_request(kPingUrl);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url, kPingUrl);
  EXPECT_TRUE(request.body.empty());
  EXPECT_EQ(request.retry_transient, false);
  EXPECT_EQ(request.secrets, std::vector<std::string>{kPingUrl});
  EXPECT_EQ(request.timeout, kHeartbeatTimeout);
}

TEST(WatchHeartbeat, A2xxIsFineAnythingElseIsOneLineNamingTheHost) {
  HttpOutcome outcome;
  outcome.http_status = 200;
  EXPECT_FALSE(heartbeat_problem(outcome, "hc-ping.example"));
  outcome.http_status = 500;
  EXPECT_EQ(heartbeat_problem(outcome, "hc-ping.example"),
            "heartbeat to hc-ping.example failed: HTTP 500");
  outcome.http_status.reset();
  outcome.failure = TransportFailure::connect;
  outcome.failure_detail = "connection refused";
  EXPECT_EQ(heartbeat_problem(outcome, "hc-ping.example"),
            "heartbeat to hc-ping.example failed: connection refused");
}

}  // namespace
}  // namespace devops_monitor::watch
