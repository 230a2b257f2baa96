// The HTTP client layer in this process, over real HTTP to fake servers on 127.0.0.1:
// methods, bodies, response headers, secrets and deadlines, whoever the caller is.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "devops_monitor/monitor.hpp"
#include "http/http_client.hpp"
#include "support/fake_provider.hpp"
#include "support/fake_proxy.hpp"
#include "support/faults.hpp"
#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::steady_clock;

const std::string kLayerKey = "CANARY-layer-key-not-real-9a8b7c6d";
const std::string kToken = "CANARY-layer-token-not-real-1f2e3d4c";

/// Sets an environment variable of this test process for the scope (ctest runs each test in a
/// process of its own; the guard keeps a whole-binary run clean too).
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// OpenAI (Bearer auth) with its check going to `endpoint`, as a library user may set it.
Provider provider_at(const std::string& endpoint) {
  for (Provider p : builtin_providers()) {
    if (p.id != "openai") continue;
    p.test_endpoint = endpoint;
    return p;
  }
  throw std::logic_error("no built-in openai provider");
}

/// What a library user gets for `provider` with the canary key.
ApiKeyStatus library_check(const Provider& provider, Milliseconds timeout = Milliseconds(3000)) {
  Settings settings;
  settings.timeout = timeout;
  const Monitor monitor(settings, {{provider.env_var, kLayerKey}});
  const Result<ApiKeyStatus> status = monitor.check_api_key_status(provider.env_var, provider);
  EXPECT_TRUE(status.ok());
  return status.ok() ? *status : ApiKeyStatus{};
}

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
                           .body = R"({"error":"slow down )" + kLayerKey + R"("})",
                           .headers = {{"Retry-After", "7"},
                                       {"X-RateLimit-Remaining", "0"},
                                       {"X-Echo", "token=" + kToken}}});
  const HttpOutcome out =
      perform_request({.url = server.url("/v1/models"),
                       .headers = {{"Authorization", "Bearer " + kLayerKey}, {"X-Token", kToken}},
                       .secrets = {kLayerKey, kToken}},
                      {});
  EXPECT_EQ(out.http_status, 429);
  EXPECT_EQ(out.header("retry-after"), "7");
  EXPECT_EQ(out.header("x-ratelimit-remaining"), "0");
  EXPECT_EQ(out.header("x-echo"), "token=[REDACTED]");
  EXPECT_EQ(out.header("Retry-After"), std::nullopt) << "names are looked up in lowercase";
  EXPECT_EQ(out.body.find(kLayerKey), std::string::npos) << out.body;
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
  EXPECT_LT(elapsed, std::chrono::milliseconds(5000)) << "the 20s timeouts were not clipped";
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

// --- The URL rules, for every caller -----------------------------------------------------

TEST(HttpLayer, LibraryEndpointWithoutASchemeIsHttpsNotAGuessAtHttp) {
  // Before: libcurl guessed http:// and the key went to this plain-http server in clear.
  FakeProviderServer plain;
  plain.on("/v1/models", {.status = 200, .body = "{}"});
  const std::string endpoint = "127.0.0.1:" + std::to_string(plain.port()) + "/v1/models";
  const ApiKeyStatus status = library_check(provider_at(endpoint));
  EXPECT_EQ(status.state, KeyState::unknown) << status.error_message;
  EXPECT_NE(status.error_message.find("TLS failure with 127.0.0.1"), std::string::npos)
      << status.error_message;
  EXPECT_EQ(plain.requests().size(), 0u) << "the plain-http server got a request";
}

TEST(HttpLayer, LibraryEndpointWithoutASchemeNeverGoesToTheHttpProxyInClear) {
  // Before: "example.invalid/v1/models" became http://, and http_proxy got the request
  // with "Authorization: Bearer <key>" in clear text.
  FakeProxy proxy(kProxyAuthRequired);
  const ScopedEnv http_proxy("http_proxy", proxy.url());
  const ApiKeyStatus status =
      library_check(provider_at("example.invalid/v1/models"), Milliseconds(2000));
  EXPECT_EQ(status.state, KeyState::unknown) << status.error_message;
  EXPECT_EQ(proxy.received(), "") << "the http proxy saw the request";
  EXPECT_EQ(status.error_message.find(kLayerKey), std::string::npos);
}

TEST(HttpLayer, PlainHttpToAnotherHostIsRefusedEvenWithoutASecret) {
  FakeProxy proxy(kProxyAuthRequired);
  HttpOptions options;
  const ScopedEnv http_proxy("http_proxy", proxy.url());
  const HttpOutcome out = perform_request({.url = "http://api.example.test/v1/hook"}, options);
  EXPECT_EQ(out.failure, TransportFailure::refused_insecure);
  EXPECT_EQ(out.failure_detail,
            "refusing plain http to api.example.test: only loopback hosts are reached without "
            "TLS; use https");
  EXPECT_EQ(out.attempts, 0);
  EXPECT_EQ(proxy.connections(), 0);
}

TEST(HttpLayer, LoopbackWrittenOtherWaysIsStillLoopback) {
  FakeProviderServer server;
  server.on("/v1/models", {.status = 200, .body = "{}"});
  const std::string port = std::to_string(server.port());
  for (const std::string host : {"127.1", "LOCALHOST", "0x7f.0.0.1"}) {
    const HttpOutcome out =
        perform_request({.url = "http://" + host + ":" + port + "/v1/models"}, {});
    EXPECT_EQ(out.http_status, 200) << host << ": " << out.failure_detail;
  }
  const HttpOutcome dotted =
      perform_request({.url = "http://localhost.:" + port + "/v1/models"}, {});
  EXPECT_EQ(dotted.failure, TransportFailure::refused_insecure) << "DNS decides localhost.";
  EXPECT_EQ(server.request_count("/v1/models"), 3u);
}

TEST(HttpLayer, BadUrlsAreRefusedWithoutSendingOrQuotingThem) {
  FakeProviderServer server;
  server.on("/v1/models", {.status = 200, .body = "{}"});
  const std::string port = std::to_string(server.port());
  for (const std::string& url : {"http://user:" + kLayerKey + "@127.0.0.1:" + port + "/v1/models",
                                 "ftp://127.0.0.1:" + port + "/v1/models?key=" + kLayerKey,
                                 "https://exa mple.test/v1/models?key=" + kLayerKey}) {
    const HttpOutcome out = perform_request({.url = url, .secrets = {}}, {});
    EXPECT_EQ(out.failure, TransportFailure::invalid_request) << out.failure_detail;
    EXPECT_EQ(out.failure_detail.rfind("invalid URL: ", 0), 0u) << out.failure_detail;
    EXPECT_EQ(out.failure_detail.find("CANARY"), std::string::npos) << out.failure_detail;
  }
  EXPECT_EQ(server.requests().size(), 0u);
}

TEST(HttpLayer, HeadersThatWouldSmuggleALineAreRefused) {
  FakeProviderServer server;
  server.on("/v1/models", {.status = 200, .body = "{}"});
  const HttpOutcome out = perform_request(
      {.url = server.url("/v1/models"),
       .headers = {{"Authorization", "Bearer " + kLayerKey + "\r\nX-Injected: yes"}},
       .secrets = {kLayerKey}},
      {});
  EXPECT_EQ(out.failure, TransportFailure::invalid_request);
  EXPECT_EQ(server.requests().size(), 0u);
}

// --- Proxies -------------------------------------------------------------------------------

TEST(HttpLayer, NoProxyIsHonouredByTheLayer) {
  FakeProxy proxy(kProxyAuthRequired);
  HttpOptions options;
  options.environment =
      environment_from({{"https_proxy", proxy.url()}, {"no_proxy", ".example.invalid"}});
  const HttpOutcome out = perform_request(
      {.url = "https://api.example.invalid/v1/models", .timeout = std::chrono::seconds(2)},
      options);
  EXPECT_NE(out.failure, TransportFailure::none);
  EXPECT_NE(out.failure, TransportFailure::proxy) << out.failure_detail;
  EXPECT_EQ(proxy.connections(), 0);
}

TEST(HttpLayer, LoopbackHttpsIsNeverProxied) {
  FakeProxy proxy(kProxyAuthRequired);
  HttpOptions options;
  options.environment =
      environment_from({{"https_proxy", proxy.url()}, {"all_proxy", proxy.url()}});
  const std::string url = "https://127.0.0.1:" + std::to_string(closed_port()) + "/v1/models";
  const HttpOutcome out = perform_request({.url = url}, options);
  EXPECT_EQ(out.failure, TransportFailure::connect) << out.failure_detail;
  EXPECT_EQ(proxy.connections(), 0);
}

TEST(HttpLayer, AProxySettingThatDoesNotParseIsAProxyErrorAndNothingIsSent) {
  HttpOptions options;
  options.environment = environment_from({{"https_proxy", "http://exa mple.test:3128"}});
  const HttpOutcome out =
      perform_request({.url = "https://api.example.invalid/v1/models"}, options);
  EXPECT_EQ(out.failure, TransportFailure::proxy);
  EXPECT_EQ(out.failure_detail, "invalid proxy setting: bad hostname (https_proxy)");
  EXPECT_EQ(out.attempts, 0);
}

TEST(HttpLayer, ProxyThatRefusesTheTunnelIsAProxyErrorAndNeverSeesTheKey) {
  FakeProxy proxy(kProxyAuthRequired);
  MonitorWorld world;
  world.env["https_proxy"] = proxy.url();
  write_text(world.config_file,
             "[providers.openai]\ntest_endpoint = \"https://api.example.invalid/v1/models\"\n");
  world.set_key("openai", kLayerKey);
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const nlohmann::json report = stdout_json(run);
  const nlohmann::json& k = report["api_keys"][1];
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_TRUE(k["key_valid"].is_null());
  EXPECT_EQ(k["error_message"],
            "Could not verify the key: proxy 127.0.0.1:" + std::to_string(proxy.port()) +
                " refused the tunnel to api.example.invalid: HTTP 407 Proxy Authentication "
                "Required");
  // The proxy was asked for a tunnel and nothing else: the key travels inside TLS only.
  const std::string seen = proxy.received();
  EXPECT_EQ(seen.rfind("CONNECT api.example.invalid:443 HTTP/1.1\r\n", 0), 0u) << seen;
  EXPECT_EQ(proxy.connections(), 1) << "a refused tunnel is not retried";
  for (const std::string& piece :
       {kLayerKey, kLayerKey.substr(kLayerKey.size() / 2), kLayerKey.substr(0, 16)}) {
    EXPECT_EQ(seen.find(piece), std::string::npos) << seen;
    EXPECT_EQ(run.out.find(piece), std::string::npos);
    EXPECT_EQ(run.err.find(piece), std::string::npos);
    for (const auto& entry : std::filesystem::directory_iterator(world.report_dir)) {
      EXPECT_EQ(read_text(entry.path()).find(piece), std::string::npos) << entry.path();
    }
  }
}

TEST(HttpLayer, ProxyThatIsNotListeningIsAProxyError) {
  MonitorWorld world;
  const int port = closed_port();
  world.env["https_proxy"] = "http://127.0.0.1:" + std::to_string(port);
  write_text(world.config_file,
             "[providers.openai]\ntest_endpoint = \"https://api.example.invalid/v1/models\"\n");
  world.set_key("openai", kLayerKey);
  const nlohmann::json report = stdout_json(world.check({"--check", "--json"}));
  const nlohmann::json& k = report["api_keys"][1];
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_EQ(k["error_message"],
            "Could not verify the key: cannot connect to proxy 127.0.0.1:" + std::to_string(port) +
                ": Connection refused (after 2 attempts)");
}

// --- The real binary -----------------------------------------------------------------------

TEST(HttpLayer, KeylessPlainHttpCheckIsRefusedAndNeverReachesAProxy) {
  // Before: only requests with a key were held to https; this one went to http_proxy.
  MonitorWorld world;
  FakeProxy proxy(kProxyAuthRequired);
  world.env["http_proxy"] = proxy.url();
  write_text(world.config_file,
             "[providers.openai]\ntest_endpoint = \"http://api.example.test/v1/models\"\n"
             "auth = \"none\"\n");
  world.set_key("openai", kLayerKey);
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  const nlohmann::json& k = report["api_keys"][1];
  // auth = "none" never verifies a key; the message says why the endpoint was not even asked.
  EXPECT_EQ(k["state"], "unsupported");
  EXPECT_NE(k["error_message"].get<std::string>().find("refusing plain http to api.example.test"),
            std::string::npos)
      << k["error_message"];
  EXPECT_EQ(proxy.connections(), 0);
  EXPECT_EQ(run.out.find(kLayerKey), std::string::npos);
  EXPECT_EQ(run.err.find(kLayerKey), std::string::npos);
}

TEST(HttpLayer, TransferLibcurlRefusesEndsTheCheckWithAClearMessage) {
  // Before: the refused handle counted as running, and the check never ended.
  MonitorWorld world;
  const std::filesystem::path log = world.dir / "faults.log";
  world.env = with_faults(world.env, "curl_multi_add_handle:1:fail", log);
  world.run_timeout = std::chrono::seconds(20);
  world.set_key("openai", kLayerKey);
  world.set_key("google", "CANARY-google-key-not-real-0f1e2d3c");
  const RunResult run = world.check({"--check", "--json"});
  ASSERT_FALSE(run.timed_out) << "the check never ended";
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(fired_faults(log), (std::vector<std::string>{"curl_multi_add_handle #1"}));
  const nlohmann::json report = stdout_json(run);
  // Requests start in priority order: OpenAI's was the one refused; Google's went ahead.
  const nlohmann::json& openai = report["api_keys"][1];
  ASSERT_EQ(openai["id"], "openai");
  EXPECT_EQ(openai["state"], "unknown");
  EXPECT_EQ(openai["error_message"],
            "Could not verify the key: request to 127.0.0.1 failed: cannot start the request: "
            "libcurl refused the transfer: Out of memory");
  const nlohmann::json& google = report["api_keys"][4];
  ASSERT_EQ(google["id"], "google");
  EXPECT_EQ(google["state"], "valid") << google["error_message"];
  EXPECT_EQ(world.server.request_count(world.route("openai")), 0u);
}

TEST(HttpLayer, RetryLibcurlRefusesKeepsTheFirstAnswer) {
  MonitorWorld world;
  const std::filesystem::path log = world.dir / "faults.log";
  world.env = with_faults(world.env, "curl_multi_add_handle:2:fail", log);
  world.run_timeout = std::chrono::seconds(20);
  world.answer("openai", {.status = 503, .body = provider_fixture("openai", "overloaded")});
  world.set_key("openai", kLayerKey);
  const RunResult run = world.check({"--check", "--json"});
  ASSERT_FALSE(run.timed_out);
  EXPECT_EQ(fired_faults(log), (std::vector<std::string>{"curl_multi_add_handle #2"}));
  const nlohmann::json report = stdout_json(run);
  const nlohmann::json& k = report["api_keys"][1];
  EXPECT_EQ(k["state"], "unknown");
  EXPECT_EQ(k["http_status"], 503) << k["error_message"];
  EXPECT_EQ(world.server.request_count(world.route("openai")), 1u);
}

}  // namespace
}  // namespace devops_monitor::testing
