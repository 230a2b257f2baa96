// The status rules over plain values: thresholds, key verdicts, overall status, advice.
#include "assess/assess.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace devops_monitor {
namespace {

bool contains(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

ApiKeyStatus key(const std::string& id, KeyState state, bool present = true) {
  ApiKeyStatus k;
  k.id = id;
  k.provider = id + "-name";
  k.env_var = id + "_KEY";
  k.state = state;
  k.key_present = present;
  return k;
}

// ---- thresholds --------------------------------------------------------------------------

TEST(Thresholds, EachBoundaryFallsOnTheDocumentedSide) {
  const Thresholds t{.warning = 80, .critical = 90};
  EXPECT_EQ(metric_status(0.0, t), Status::healthy);
  EXPECT_EQ(metric_status(79.9, t), Status::healthy);
  EXPECT_EQ(metric_status(80.0, t), Status::warning);  // 80 to 90 inclusive: warning
  EXPECT_EQ(metric_status(85.0, t), Status::warning);
  EXPECT_EQ(metric_status(90.0, t), Status::warning);
  EXPECT_EQ(metric_status(90.1, t), Status::critical);  // above 90: critical
  EXPECT_EQ(metric_status(100.0, t), Status::critical);
}

TEST(Thresholds, CustomThresholdsMoveTheBoundaries) {
  const Thresholds t{.warning = 70, .critical = 85};
  EXPECT_EQ(metric_status(69.9, t), Status::healthy);
  EXPECT_EQ(metric_status(70.0, t), Status::warning);
  EXPECT_EQ(metric_status(85.0, t), Status::warning);
  EXPECT_EQ(metric_status(85.1, t), Status::critical);
}

SystemSample sample(double cpu, double memory_used_percent, std::vector<double> disk_percents) {
  SystemSample s;
  s.cpu_percent = cpu;
  s.memory.total_bytes = 1000;
  s.memory.available_bytes = static_cast<std::uint64_t>(1000 - memory_used_percent * 10);
  int i = 0;
  for (double p : disk_percents) {
    // used / (used + available) = p%
    DiskSample d{.path = "/disk" + std::to_string(i++),
                 .total_bytes = 2000,
                 .used_bytes = static_cast<std::uint64_t>(p * 10),
                 .available_bytes = static_cast<std::uint64_t>(1000 - p * 10)};
    s.disks.push_back(d);
  }
  return s;
}

TEST(SystemHealth, WorstMetricSetsTheStatus) {
  const ThresholdSet t;
  EXPECT_EQ(assess_system(sample(10, 20, {30}), t, "").status, Status::healthy);
  EXPECT_EQ(assess_system(sample(85, 20, {30}), t, "").status, Status::warning);
  EXPECT_EQ(assess_system(sample(10, 95, {30}), t, "").status, Status::critical);
  EXPECT_EQ(assess_system(sample(85, 20, {30, 95}), t, "").status, Status::critical);
}

TEST(SystemHealth, DiskPercentIsTheFullestDiskAndEachDiskHasItsStatus) {
  const SystemHealth h = assess_system(sample(10, 20, {30, 85, 50}), ThresholdSet{}, "");
  EXPECT_DOUBLE_EQ(h.disk_percent, 85.0);
  ASSERT_EQ(h.disks.size(), 3u);
  EXPECT_EQ(h.disks[0].status, Status::healthy);
  EXPECT_EQ(h.disks[1].status, Status::warning);
  EXPECT_EQ(h.disk_status, Status::warning);
}

TEST(SystemHealth, PerMetricThresholds) {
  ThresholdSet t;
  t.cpu = {.warning = 50, .critical = 60};
  const SystemHealth h = assess_system(sample(55, 55, {55}), t, "");
  EXPECT_EQ(h.cpu_status, Status::warning);
  EXPECT_EQ(h.memory_status, Status::healthy);
  EXPECT_EQ(h.disk_status, Status::healthy);
}

// ---- API keys ----------------------------------------------------------------------------

TEST(ApiStatus, NoKeyPresentIsAWarning) {
  EXPECT_EQ(
      api_keys_status({key("a", KeyState::missing, false), key("b", KeyState::missing, false)}),
      Status::warning);
  EXPECT_EQ(api_keys_status({}), Status::warning);
}

TEST(ApiStatus, EveryPresentKeyUnusableIsCritical) {
  EXPECT_EQ(api_keys_status({key("a", KeyState::invalid), key("b", KeyState::quota_exhausted),
                             key("c", KeyState::missing, false)}),
            Status::critical);
}

TEST(ApiStatus, AnyBadOrUnverifiableKeyIsAWarning) {
  EXPECT_EQ(api_keys_status({key("a", KeyState::valid), key("b", KeyState::invalid)}),
            Status::warning);
  EXPECT_EQ(api_keys_status({key("a", KeyState::valid), key("b", KeyState::unknown)}),
            Status::warning);
  EXPECT_EQ(api_keys_status({key("a", KeyState::valid), key("b", KeyState::quota_exhausted)}),
            Status::warning);
  EXPECT_EQ(api_keys_status({key("a", KeyState::unknown)}), Status::warning);
}

TEST(ApiStatus, HealthyNeedsAUsableKey) {
  EXPECT_EQ(api_keys_status({key("a", KeyState::valid), key("b", KeyState::missing, false)}),
            Status::healthy);
  EXPECT_EQ(api_keys_status({key("a", KeyState::rate_limited)}), Status::healthy);
  EXPECT_EQ(api_keys_status({key("a", KeyState::unsupported)}), Status::warning);
}

TEST(Fallback, ServingProvidersFirstThenUnverifiedNeverBadOnes) {
  const std::vector<ApiKeyStatus> keys = {
      key("together", KeyState::unknown),    key("openai", KeyState::invalid),
      key("anthropic", KeyState::valid),     key("openrouter", KeyState::quota_exhausted),
      key("google", KeyState::rate_limited), key("moonshot", KeyState::missing, false),
      key("custom", KeyState::unsupported)};
  EXPECT_EQ(fallback_order(keys),
            (std::vector<std::string>{"anthropic", "google", "together", "custom"}));
}

TEST(ApiStatus, RestrictedKeyIsUnusableAndLeftOutOfTheFallbackOrder) {
  EXPECT_EQ(api_keys_status({key("a", KeyState::restricted)}), Status::critical);
  EXPECT_EQ(api_keys_status({key("a", KeyState::valid), key("b", KeyState::restricted)}),
            Status::warning);
  EXPECT_EQ(fallback_order({key("a", KeyState::restricted), key("b", KeyState::valid)}),
            (std::vector<std::string>{"b"}));
}

TEST(Assess, RestrictedVerdictKeepsKeyValidAndNamesTheCause) {
  KeyProbe probe{.provider = builtin_providers()[1]};  // openai
  probe.key_present = true;
  HttpOutcome out;
  out.attempts = 1;
  out.http_status = 403;
  out.body =
      R"({"error":{"code":"unsupported_country_region_territory",)"
      R"("message":"Country, region, or territory not supported","type":"request_forbidden"}})";
  probe.outcome = out;
  const ApiKeyStatus status = assess_key(probe, std::chrono::seconds(0));
  EXPECT_EQ(status.state, KeyState::restricted);
  EXPECT_EQ(status.key_valid, std::optional<bool>(true));
  EXPECT_EQ(status.restriction, std::optional<std::string>("region"));
}

// ---- advice ------------------------------------------------------------------------------

TEST(Advice, RestrictedKeyGetsItsOwnIssueAndARemedyPerCause) {
  const SystemHealth healthy = assess_system(sample(10, 10, {10}), ThresholdSet{}, "");
  ApiKeyStatus region = key("openai", KeyState::restricted);
  region.restriction = "region";
  ApiKeyStatus scope = key("anthropic", KeyState::restricted);
  scope.restriction = "missing_scope:api.model.read";
  ApiKeyStatus blocked = key("google", KeyState::restricted);
  blocked.restriction = "API_KEY_IP_ADDRESS_BLOCKED";
  const Advice advice = advise({region, scope, blocked, key("moonshot", KeyState::valid)}, healthy);
  EXPECT_TRUE(contains(advice.issues,
                       "openai-name API key is valid but not allowed this use: "
                       "the provider refuses requests from this region"));
  EXPECT_TRUE(contains(advice.recommendations, "Call openai-name from a supported region"));
  EXPECT_TRUE(
      contains(advice.recommendations, "Grant scope api.model.read to the anthropic-name key"));
  EXPECT_TRUE(
      contains(advice.recommendations, "Allow this API, IP address or app in the google-name"));
  EXPECT_FALSE(contains(advice.issues, "is invalid"));
}

TEST(Advice, NoKeysUsesTheOldPhraseAndOnlyThenRecommendsAddingKeys) {
  const SystemHealth healthy = assess_system(sample(10, 10, {10}), ThresholdSet{}, "");
  const Advice none = advise({key("a", KeyState::missing, false)}, healthy);
  EXPECT_TRUE(contains(none.issues, "No API keys configured"));
  EXPECT_TRUE(contains(none.recommendations, "Add at least one API key"));
  EXPECT_TRUE(contains(none.recommendations, "a_KEY"));

  const Advice some =
      advise({key("a", KeyState::valid), key("b", KeyState::missing, false)}, healthy);
  EXPECT_FALSE(contains(some.recommendations, "Add at least one API key"));
}

TEST(Advice, InvalidQuotaUnknownEachNamedByProvider) {
  const SystemHealth healthy = assess_system(sample(10, 10, {10}), ThresholdSet{}, "");
  ApiKeyStatus unknown = key("u", KeyState::unknown);
  unknown.error_message = "Could not verify the key: no answer from api.u.test within 10s";
  const Advice a =
      advise({key("v", KeyState::valid), key("w", KeyState::valid), key("i", KeyState::invalid),
              key("q", KeyState::quota_exhausted), unknown},
             healthy);
  EXPECT_TRUE(contains(a.issues, "i-name API key is invalid"));
  EXPECT_TRUE(contains(a.issues, "q-name API key has no quota or credit left"));
  EXPECT_TRUE(contains(
      a.issues, "u-name API key could not be verified: no answer from api.u.test within 10s"));
  EXPECT_FALSE(contains(a.issues, "All configured API keys"));
  EXPECT_FALSE(contains(a.recommendations, "System is healthy"));
}

TEST(Advice, AllKeysBadSaysSo) {
  const SystemHealth healthy = assess_system(sample(10, 10, {10}), ThresholdSet{}, "");
  const Advice a =
      advise({key("i", KeyState::invalid), key("q", KeyState::quota_exhausted)}, healthy);
  EXPECT_TRUE(contains(a.issues, "All configured API keys are invalid or out of quota"));
}

TEST(Advice, OnlyOneUsableProviderAsksForABackup) {
  const SystemHealth healthy = assess_system(sample(10, 10, {10}), ThresholdSet{}, "");
  const Advice one =
      advise({key("v", KeyState::valid), key("i", KeyState::missing, false)}, healthy);
  EXPECT_TRUE(contains(one.recommendations,
                       "Only one usable provider (v-name) - configure a backup provider"));
  const Advice two = advise({key("v", KeyState::valid), key("w", KeyState::rate_limited)}, healthy);
  EXPECT_FALSE(contains(two.recommendations, "Only one usable provider"));
}

TEST(Advice, HighResourcesGiveFiguresAndTheOldCriticalPhrase) {
  const SystemHealth h = assess_system(sample(95.3, 85, {50}), ThresholdSet{}, "");
  const Advice a = advise({key("v", KeyState::valid), key("w", KeyState::valid)}, h);
  EXPECT_TRUE(
      contains(a.issues, "System resources critically high: CPU at 95.3% (critical above 90%)"));
  EXPECT_TRUE(contains(a.issues, "High memory usage: 85.0% (warning at 80%)"));
  EXPECT_TRUE(contains(a.recommendations, "High CPU usage (95.3%) - close unnecessary processes"));
  EXPECT_TRUE(contains(a.recommendations, "High memory usage (85.0%)"));
}

TEST(Advice, HealthyMachineWithWorkingKeys) {
  const SystemHealth h = assess_system(sample(10, 10, {10}), ThresholdSet{}, "");
  const Advice a = advise({key("v", KeyState::valid), key("w", KeyState::valid)}, h);
  EXPECT_TRUE(a.issues.empty());
  EXPECT_EQ(a.recommendations, std::vector<std::string>{"System is healthy - continue monitoring"});
}

// ---- the whole report --------------------------------------------------------------------

TEST(Assess, OverallStatusIsTheWorseOfKeysAndSystem) {
  Snapshot s;
  s.system = sample(85, 10, {10});  // warning
  KeyProbe probe{.provider = builtin_providers().front()};
  probe.key_present = true;
  HttpOutcome out;
  out.http_status = 401;
  out.attempts = 1;
  probe.outcome = out;
  s.keys = {probe};  // the only key is invalid: critical
  const Report r = assess(s, ThresholdSet{});
  EXPECT_EQ(r.system_health.status, Status::warning);
  EXPECT_EQ(r.status, Status::critical);
  ASSERT_EQ(r.api_keys.size(), 1u);
  EXPECT_EQ(r.api_keys[0].key_valid, std::optional<bool>(false));
  EXPECT_EQ(r.api_keys[0].http_status, std::optional<int>(401));
}

TEST(Assess, KeyValidFieldFollowsTheState) {
  auto valid_field = [](KeyState state, bool present) {
    KeyProbe probe{.provider = builtin_providers().front()};
    probe.key_present = present;
    if (present && state != KeyState::unsupported) {
      HttpOutcome out;
      out.attempts = 1;
      out.http_status = state == KeyState::valid             ? 200
                        : state == KeyState::invalid         ? 401
                        : state == KeyState::rate_limited    ? 429
                        : state == KeyState::quota_exhausted ? 402
                                                             : 503;
      probe.outcome = out;
    }
    return assess_key(probe, std::chrono::seconds(0)).key_valid;
  };
  EXPECT_EQ(valid_field(KeyState::valid, true), std::optional<bool>(true));
  EXPECT_EQ(valid_field(KeyState::rate_limited, true), std::optional<bool>(true));
  EXPECT_EQ(valid_field(KeyState::quota_exhausted, true), std::optional<bool>(true));
  EXPECT_EQ(valid_field(KeyState::invalid, true), std::optional<bool>(false));
  EXPECT_EQ(valid_field(KeyState::unknown, true), std::nullopt);
  EXPECT_EQ(valid_field(KeyState::missing, false), std::nullopt);
  EXPECT_EQ(valid_field(KeyState::unsupported, true), std::nullopt);
}

TEST(Assess, AuthNoneKeyIsUnverifiedNeverValid) {
  // auth = "none": the endpoint answers 200, but no key went with the request.
  Provider open = builtin_providers().front();
  open.auth = AuthKind::none;
  Provider checked = builtin_providers()[1];
  KeyProbe probe{.provider = open, .key_present = true};
  HttpOutcome out;
  out.http_status = 200;
  out.attempts = 1;
  out.host = "api.example";
  probe.outcome = out;
  Snapshot s;
  s.system = sample(10, 10, {10});
  s.keys = {probe};

  Report r = assess(s, ThresholdSet{});
  ASSERT_EQ(r.api_keys.size(), 1u);
  EXPECT_EQ(r.api_keys[0].state, KeyState::unsupported);
  EXPECT_EQ(r.api_keys[0].key_valid, std::nullopt);
  EXPECT_EQ(r.api_keys[0].error_message,
            "API key present but not verified: auth = none sends no key (api.example answered "
            "HTTP 200)");
  EXPECT_EQ(r.status, Status::warning) << "no key is known to work";
  EXPECT_TRUE(contains(r.recommendations, "Set auth for " + open.name));

  // Beside a verified key it comes after it in the fallback order, and the check is healthy
  // only thanks to the verified key.
  KeyProbe verified{.provider = checked, .key_present = true};
  verified.outcome = out;
  s.keys = {probe, verified};
  r = assess(s, ThresholdSet{});
  EXPECT_EQ(r.provider_fallback_order, (std::vector<std::string>{checked.id, open.id}));
  EXPECT_EQ(r.status, Status::healthy);
}

TEST(Assess, NamesFromConfigAreMadePrintableInTheReport) {
  Provider provider = builtin_providers().front();
  provider.name =
      "Evil\x1b[2J\xC2\x9B"
      "31mProvider";
  KeyProbe probe{.provider = provider, .key_present = false};
  const ApiKeyStatus k = assess_key(probe, std::chrono::seconds(0));
  EXPECT_EQ(k.provider, "Evil[2J31mProvider");
}

}  // namespace
}  // namespace devops_monitor
