// Confirmation over plain values: a sequence of reports in, what is announced out.
#include "assess/confirmation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fixtures.hpp"

namespace devops_monitor {
namespace {

constexpr Status H = Status::healthy;
constexpr Status W = Status::warning;
constexpr Status C = Status::critical;

/// A report whose overall and memory status is `status`; everything else healthy, one key.
Report report_with_memory(Status status, KeyState key = KeyState::valid) {
  Report report;
  report.status = status;
  report.system_health.status = status;
  report.system_health.memory_status = status;
  report.api_keys.push_back(testing::openai_key_in_state(key));
  return report;
}

/// Runs the reports through confirm(), starting from `start`; every announcement per check.
std::vector<std::vector<Transition>> announced_over(const std::vector<Report>& reports,
                                                    int checks_needed,
                                                    ConfirmationState start = {}) {
  std::vector<std::vector<Transition>> out;
  ConfirmationState state = std::move(start);
  for (const Report& report : reports) {
    ConfirmationStep step = confirm(state, report, checks_needed);
    out.push_back(step.announced);
    state = std::move(step.state);
  }
  return out;
}

std::vector<Report> memory_sequence(const std::vector<Status>& statuses) {
  std::vector<Report> reports;
  for (Status status : statuses) reports.push_back(report_with_memory(status));
  return reports;
}

std::string names(const std::vector<Transition>& changes) {
  std::string out;
  for (const Transition& t : changes) out += (out.empty() ? "" : " ") + t.component;
  return out;
}

TEST(Confirmation, AFlapShorterThanNAnnouncesNothing) {
  // Healthy, one critical check, healthy again; then two criticals separated by a healthy.
  const auto announced = announced_over(memory_sequence({H, C, H, C, H, C, H}), 2);
  for (const auto& changes : announced) EXPECT_TRUE(changes.empty()) << names(changes);
}

TEST(Confirmation, NAgreeingChecksAnnounceOnceAndRecoveryLikewise) {
  const auto announced = announced_over(memory_sequence({H, C, C, C, C, H, H, H}), 2);
  ASSERT_EQ(announced.size(), 8u);
  EXPECT_TRUE(announced[1].empty()) << "one critical check is not yet a state";
  ASSERT_EQ(names(announced[2]), "overall memory");
  EXPECT_EQ(announced[2][0].from, H);
  EXPECT_EQ(announced[2][0].to, C);
  EXPECT_TRUE(announced[3].empty() && announced[4].empty()) << "a state that holds is quiet";
  EXPECT_TRUE(announced[5].empty()) << "one healthy check is not yet a recovery";
  ASSERT_EQ(names(announced[6]), "overall memory");
  EXPECT_EQ(announced[6][1].from, C);
  EXPECT_EQ(announced[6][1].to, H);
  EXPECT_TRUE(announced[7].empty());
}

TEST(Confirmation, AStreakMustAgreeOnTheStatus) {
  // Warning then critical: two bad checks, but not two of the same status.
  const auto announced = announced_over(memory_sequence({H, W, C, C}), 2);
  EXPECT_TRUE(announced[1].empty());
  EXPECT_TRUE(announced[2].empty()) << "critical's streak starts over at 1";
  ASSERT_EQ(names(announced[3]), "overall memory");
  EXPECT_EQ(announced[3][0].from, H) << "from what was announced, not from the unconfirmed warning";
  EXPECT_EQ(announced[3][0].to, C);
}

TEST(Confirmation, ABadStreakInterruptedByTheConfirmedStateStartsOver) {
  const auto announced = announced_over(memory_sequence({H, C, C, H, C, C, C}), 3);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_TRUE(announced[i].empty()) << i;
  EXPECT_EQ(names(announced[6]), "overall memory");
}

TEST(Confirmation, NOfOneIsTodaysTransitions) {
  const std::vector<Report> reports = memory_sequence({C, C, H, W, W, C, H, H});
  const auto announced = announced_over(reports, 1);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const std::vector<Transition> expected =
        transitions(i == 0 ? nullptr : &reports[i - 1], reports[i]);
    ASSERT_EQ(announced[i].size(), expected.size()) << i;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      EXPECT_EQ(announced[i][k].component, expected[k].component) << i;
      EXPECT_EQ(announced[i][k].from, expected[k].from) << i;
      EXPECT_EQ(announced[i][k].to, expected[k].to) << i;
    }
  }
}

TEST(Confirmation, AtStartUpWithoutAReportABadStateNeedsNChecksAndComesFromNothing) {
  const auto announced = announced_over(memory_sequence({C, C}), 2);
  EXPECT_TRUE(announced[0].empty());
  ASSERT_EQ(names(announced[1]), "overall memory");
  EXPECT_FALSE(announced[1][0].from.has_value()) << "never announced before: \"new\"";
  // Healthy from the start says nothing, whatever N.
  for (const auto& changes : announced_over(memory_sequence({H, H, H}), 2)) {
    EXPECT_TRUE(changes.empty());
  }
}

TEST(Confirmation, AtStartUpTheRecentReportsStatesCountAsConfirmed) {
  const Report previous = report_with_memory(C);
  const auto announced = announced_over(memory_sequence({C, H, H}), 2, confirmed_from(&previous));
  EXPECT_TRUE(announced[0].empty()) << "a restart does not repeat a state that holds";
  EXPECT_TRUE(announced[1].empty());
  ASSERT_EQ(names(announced[2]), "overall memory");
  EXPECT_EQ(announced[2][0].from, C);
}

TEST(Confirmation, EachKeyIsConfirmedOnItsOwn) {
  std::vector<Report> reports;
  reports.push_back(report_with_memory(H));
  reports.push_back(report_with_memory(C, KeyState::invalid));
  reports.push_back(report_with_memory(C, KeyState::invalid));
  const auto announced = announced_over(reports, 2);
  EXPECT_TRUE(announced[1].empty());
  EXPECT_EQ(names(announced[2]), "overall memory api_keys key:openai");
}

TEST(Confirmation, EachDiskIsConfirmedOnItsOwn) {
  auto with_disks = [](Status root, Status var) {
    Report report = report_with_memory(H);
    report.system_health.disks = {DiskHealth{.path = "/", .status = root},
                                  DiskHealth{.path = "/var", .status = var}};
    report.system_health.disk_status = worse(root, var);
    report.status = report.system_health.disk_status;
    return report;
  };
  // /var turns critical for good; / flaps once on the way.
  const auto announced =
      announced_over({with_disks(H, H), with_disks(W, C), with_disks(H, C), with_disks(H, C)}, 2);
  EXPECT_TRUE(announced[1].empty());
  EXPECT_EQ(names(announced[2]), "overall disk disk:/var");
  EXPECT_TRUE(announced[3].empty());
}

TEST(Confirmation, UnconfirmedComponentsAreDescribedForTheLog) {
  ConfirmationStep step = confirm({}, report_with_memory(C), 3);
  EXPECT_EQ(describe_unconfirmed(step.state, 3), "overall critical 1/3, memory critical 1/3");
  step = confirm(step.state, report_with_memory(C), 3);
  EXPECT_EQ(describe_unconfirmed(step.state, 3), "overall critical 2/3, memory critical 2/3");
  step = confirm(step.state, report_with_memory(C), 3);
  EXPECT_EQ(describe_unconfirmed(step.state, 3), "");
  EXPECT_EQ(step.announced.size(), 2u);
}

}  // namespace
}  // namespace devops_monitor
