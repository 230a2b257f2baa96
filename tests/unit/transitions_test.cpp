#include "assess/transitions.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>
#include "support/fixtures.hpp"

namespace devops_monitor {
namespace {

/// A report whose overall and cpu status is `status`; everything else healthy, one valid key.
Report report_with_cpu(Status status) {
  Report report;
  report.status = status;
  report.system_health.status = status;
  report.system_health.cpu_status = status;
  report.api_keys.push_back(testing::openai_key_in_state(KeyState::valid));
  return report;
}

/// The transitions over a sequence of statuses, the first with no previous report.
std::vector<Transition> over_sequence(const std::vector<Status>& statuses) {
  std::vector<Transition> all;
  std::vector<Report> reports;
  for (Status status : statuses) reports.push_back(report_with_cpu(status));
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (Transition& t : transitions(i == 0 ? nullptr : &reports[i - 1], reports[i])) {
      if (t.component == "overall") all.push_back(std::move(t));
    }
  }
  return all;
}

constexpr Status H = Status::healthy;
constexpr Status W = Status::warning;
constexpr Status C = Status::critical;
constexpr Status U = Status::unknown;

TEST(Transitions, WarningThenCriticalThenRecoveryAreThreeEvents) {
  const std::vector<Transition> events = over_sequence({H, W, W, C, C, H});
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].from, H);
  EXPECT_EQ(events[0].to, W);
  EXPECT_EQ(events[0].to, Status::warning);
  EXPECT_EQ(events[1].from, W);
  EXPECT_EQ(events[1].to, C);
  EXPECT_EQ(events[1].to, Status::critical);
  EXPECT_EQ(events[2].from, C);
  EXPECT_EQ(events[2].to, H);
  EXPECT_EQ(events[2].to, Status::healthy);
}

TEST(Transitions, AStateThatHoldsSaysNothing) {
  EXPECT_TRUE(over_sequence({H, H, H}).empty());
  EXPECT_EQ(over_sequence({C, C, C, C}).size(), 1U);  // the first report only
}

TEST(Transitions, FlappingGivesOneEventPerChange) {
  const std::vector<Transition> events = over_sequence({H, W, H, W, H});
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[0].to, Status::warning);
  EXPECT_EQ(events[1].to, Status::healthy);
  EXPECT_EQ(events[2].to, Status::warning);
  EXPECT_EQ(events[3].to, Status::healthy);
}

TEST(Transitions, UnknownIsAStateOfItsOwn) {
  const std::vector<Transition> events = over_sequence({H, U, U, W, H});
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].to, Status::unknown);
  EXPECT_EQ(events[1].from, U);
  EXPECT_EQ(events[1].to, Status::warning);
  EXPECT_EQ(events[2].to, Status::healthy);
}

TEST(Transitions, CriticalDownToWarningIsAWarningNotARecovery) {
  const std::vector<Transition> events = over_sequence({H, C, W});
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1].from, C);
  EXPECT_EQ(events[1].to, Status::warning);
}

TEST(Transitions, FirstReportSpeaksOnlyOfWhatIsNotHealthy) {
  EXPECT_TRUE(transitions(nullptr, report_with_cpu(H)).empty());
  const std::vector<Transition> events = transitions(nullptr, report_with_cpu(C));
  ASSERT_EQ(events.size(), 2U);  // overall and cpu
  EXPECT_EQ(events[0].component, "overall");
  EXPECT_FALSE(events[0].from.has_value());
  EXPECT_EQ(events[1].component, "cpu");
  EXPECT_EQ(events[1].to, Status::critical);
}

TEST(Transitions, EveryChangedComponentOfOneCheckIsListed) {
  const Report before = report_with_cpu(H);
  Report after = report_with_cpu(C);
  after.system_health.memory_status = W;
  after.system_health.disk_status = U;
  after.api_keys[0].state = KeyState::invalid;
  std::vector<std::string> names;
  for (const Transition& t : transitions(&before, after)) names.push_back(t.component);
  EXPECT_EQ(names, (std::vector<std::string>{"overall", "cpu", "memory", "disk", "api_keys",
                                             "key:openai"}));
}

TEST(Transitions, ProviderKeysCountOnlyWhilePresent) {
  Report before = report_with_cpu(H);
  Report after = before;
  after.api_keys[0].state = KeyState::unknown;
  std::vector<Transition> events = transitions(&before, after);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().component, "key:openai");
  EXPECT_EQ(events.back().to, U);
  // Rate limited still serves: no event for the key.
  after.api_keys[0].state = KeyState::rate_limited;
  EXPECT_TRUE(transitions(&before, after).empty());
  // A key that went missing is api_keys' news (no key at all: warning), not the key's.
  after.api_keys[0] = testing::openai_key_in_state(KeyState::missing);
  events = transitions(&before, after);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].component, "api_keys");
  EXPECT_EQ(events[0].to, W);
}

TEST(Transitions, AnInsightWarningMakesAServingKeyWarnAndItsEndARecovery) {
  // Issue 9: a key that still answers but lacks a required model, runs low on credit or on
  // rate-limit headroom is a warning component of its own, beside api_keys.
  const auto flagged = [](void (*flag)(ApiKeyStatus&)) {
    ApiKeyStatus key = testing::openai_key_in_state(KeyState::valid);
    flag(key);
    return key;
  };
  for (void (*flag)(ApiKeyStatus&) : {+[](ApiKeyStatus& k) { k.missing_models = {"o3"}; },
                                      +[](ApiKeyStatus& k) { k.credit_low = true; },
                                      +[](ApiKeyStatus& k) { k.ratelimit_low = true; }}) {
    const ApiKeyStatus key = flagged(flag);
    EXPECT_EQ(key_component_status(key), W);
    const Report before = report_with_cpu(H);
    Report after = report_with_cpu(H);
    after.api_keys = {key};
    std::vector<std::string> changed;
    for (const Transition& t : transitions(&before, after)) changed.push_back(t.component);
    EXPECT_EQ(changed, (std::vector<std::string>{"api_keys", "key:openai"}))
        << "overall is the report's own (conclude() makes it warning in a real check)";
    std::vector<Transition> back = transitions(&after, before);
    ASSERT_EQ(back.size(), 2U);
    EXPECT_EQ(back[1].to, Status::healthy);
  }
  // A restricted key cannot serve: critical, like invalid.
  EXPECT_EQ(key_component_status(testing::openai_key_in_state(KeyState::restricted)), C);
  // The warnings of an unusable key do not soften it.
  ApiKeyStatus invalid = testing::openai_key_in_state(KeyState::invalid);
  invalid.credit_low = true;
  EXPECT_EQ(key_component_status(invalid), C);
}

TEST(Transitions, KindNames) {
  EXPECT_EQ(transition_word(Status::healthy), "recovery");
  EXPECT_EQ(transition_word(Status::critical), "critical");
  EXPECT_EQ(transition_word(Status::unknown), "unknown");
}

}  // namespace
}  // namespace devops_monitor
