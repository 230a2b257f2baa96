// What monitoring costs a provider, proved against stand-ins: every request a key check sends
// is a GET without a body to an endpoint the provider's table lists as free (model list, key
// information, balance), for every built-in provider and a custom one; serve counts them in
// devops_monitor_probe_requests_total, and scrapes never cause a probe.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "devops_monitor/provider.hpp"
#include "http/http_client.hpp"
#include "keys/free_probes.hpp"
#include "support/monitor_world.hpp"
#include "support/scan_keys.hpp"
#include "support/serve_process.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

const std::string kCustomId = "acme";
const std::string kCustomVariable = "ACME_API_KEY";

std::string path_of(const std::string& url) {
  const std::size_t host = url.find("://") + 3;
  const std::string path = url.substr(url.find('/', host));
  return path.substr(0, path.find_first_of("?#"));
}

/// A world where every built-in provider and a custom one (with a balance endpoint) have a
/// key, Anthropic's model list has two pages, and Moonshot its balance.
struct PricedWorld {
  PricedWorld() {
    std::mt19937 rng(4242);
    for (const std::string& id : builtin_ids()) {
      world.set_key(id, std::string("sk-") + "canary-" + random_chars(rng, kAlnum, 40));
    }
    world.env[kCustomVariable] = std::string("sk-") + "canary-" + random_chars(rng, kAlnum, 40);
    world.server.on_sequence(
        world.route("anthropic"),
        {{.body = R"({"data":[{"id":"claude-a","type":"model"}],"has_more":true,)"
                  R"("first_id":"claude-a","last_id":"claude-a"})"},
         {.body = R"({"data":[{"id":"claude-b","type":"model"}],"has_more":false,)"
                  R"("first_id":"claude-b","last_id":"claude-b"})"}});
    world.server.on(MonitorWorld::balance_route(),
                    {.body = R"({"code":0,"data":{"available_balance":12.5},"status":true})"});
    world.server.on("/acme/v1/balance",
                    {.body = R"({"code":0,"data":{"available_balance":3},"status":true})"});
    world.write_config("[providers." + kCustomId + "]\nenv_var = \"" + kCustomVariable +
                       "\"\ntest_endpoint = \"" + world.server.url("/acme/v1/models") +
                       "\"\nbalance_endpoint = \"" + world.server.url("/acme/v1/balance") + "\"\n");
  }

  /// Provider id -> the paths its table entry lists as free, as the config points them.
  [[nodiscard]] std::map<std::string, std::set<std::string>> free_paths() const {
    std::vector<Provider> providers = builtin_providers();
    for (Provider& p : providers) p.test_endpoint = world.server.url(world.route(p.id));
    providers.push_back({.id = kCustomId,
                         .env_var = kCustomVariable,
                         .test_endpoint = world.server.url("/acme/v1/models"),
                         .balance_endpoint = world.server.url("/acme/v1/balance")});
    std::map<std::string, std::set<std::string>> paths;
    for (const Provider& p : providers) {
      for (const FreeEndpoint& endpoint : free_endpoints(p))
        paths[p.id].insert(path_of(endpoint.url));
    }
    return paths;
  }

  /// Provider id -> requests the stand-ins saw for it (routes start with "/<id>/").
  [[nodiscard]] std::map<std::string, std::uint64_t> seen_per_provider() const {
    std::map<std::string, std::uint64_t> seen;
    for (const RecordedRequest& r : world.server.requests()) {
      seen[r.path.substr(1, r.path.find('/', 1) - 1)] += 1;
    }
    return seen;
  }

  /// Every request the stand-ins recorded was a free probe: GET, no body, a listed path.
  void expect_only_free_probes() const {
    const auto allowed = free_paths();
    const std::vector<RecordedRequest> requests = world.server.requests();
    ASSERT_FALSE(requests.empty());
    for (const RecordedRequest& r : requests) {
      const std::string provider = r.path.substr(1, r.path.find('/', 1) - 1);
      EXPECT_EQ(r.method, "GET") << r.target;
      EXPECT_TRUE(r.body.empty()) << r.target;
      EXPECT_EQ(r.headers.count("Content-Length") + r.headers.count("Transfer-Encoding"), 0u)
          << r.target;
      ASSERT_TRUE(allowed.count(provider)) << "a request to no provider: " << r.target;
      EXPECT_TRUE(allowed.at(provider).count(r.path)) << "not a listed free endpoint: " << r.target;
    }
  }

  MonitorWorld world;
};

TEST(ProbeCost, ACheckOfEveryBuiltInAndACustomProviderSendsOnlyFreeGets) {
  PricedWorld priced;
  const RunResult run = priced.world.check({"check", "--json", "--no-save"});
  ASSERT_LE(run.exit_code, 2) << run.err;
  priced.expect_only_free_probes();
  // Each provider was asked (the custom one and Moonshot twice: check and balance; Anthropic
  // its two pages), so the assertion above covered every one of them.
  const auto seen = priced.seen_per_provider();
  for (const std::string& id : builtin_ids()) EXPECT_GE(seen.count(id), 1u) << id;
  EXPECT_EQ(seen.at("anthropic"), 2u);
  EXPECT_EQ(seen.at("moonshot"), 2u);
  EXPECT_EQ(seen.at(kCustomId), 2u);
}

/// The value of `devops_monitor_probe_requests_total{provider="id"}` per provider.
std::map<std::string, std::uint64_t> probe_counter(const std::string& metrics) {
  std::map<std::string, std::uint64_t> counts;
  const std::regex sample(
      R"re(\ndevops_monitor_probe_requests_total\{provider="([^"]+)"\} (\d+))re");
  for (auto it = std::sregex_iterator(metrics.begin(), metrics.end(), sample);
       it != std::sregex_iterator(); ++it) {
    counts[(*it)[1]] = std::stoull((*it)[2]);
  }
  return counts;
}

HttpOutcome get(int port, const std::string& path) {
  return perform_request({.method = "GET",
                          .url = "http://127.0.0.1:" + std::to_string(port) + path,
                          .timeout = milliseconds(5000)},
                         HttpOptions{});
}

// A minute of wall time, mostly asleep: ctest runs it beside the other tests.
TEST(ProbeCost, TenClientsScrapingEverySecondForAMinuteCauseNoProbeBeyondOneKeyRound) {
  PricedWorld priced;
  MonitorWorld& world = priced.world;
  RunOptions options = world.run_options(
      {"serve", "--listen", "127.0.0.1:0", "--key-interval", "5m", "--timeout", "5s"});
  options.timeout = milliseconds(110000);
  Process serve(monitor_binary(), options);
  std::string err;
  const int port = serve_port_after_first_round(serve, err);
  ASSERT_GT(port, 0) << err;
  const auto after_round = priced.seen_per_provider();

  constexpr int kClients = 10;
  constexpr int kScrapes = 60;  // one a second each
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      auto next = steady_clock::now();
      for (int i = 0; i < kScrapes; ++i) {
        if (get(port, "/metrics").http_status == 200) ++answered;
        next += milliseconds(1000);
        std::this_thread::sleep_until(next);
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(answered.load(), kClients * kScrapes);

  const std::string metrics = get(port, "/metrics").body;
  serve.kill(SIGTERM);
  const RunResult stopped = serve.wait();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;

  // One key round: the stand-ins saw nothing after it, and serve counted what they saw.
  const auto seen = priced.seen_per_provider();
  EXPECT_EQ(seen, after_round);
  EXPECT_EQ(probe_counter(metrics), seen) << metrics;
  EXPECT_EQ(timestamped_reports(world.report_dir).size(), 1u);
  priced.expect_only_free_probes();
}

}  // namespace
}  // namespace devops_monitor::testing
