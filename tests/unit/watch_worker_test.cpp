// The action environment (pure) and the background worker's queue: FIFO, bounded with the
// oldest dropped, stopping within its grace.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "watch/action_runner.hpp"
#include "watch/background_worker.hpp"

namespace devops_monitor::watch {
namespace {

bool watch_has_entry(const std::vector<std::string>& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

TEST(WatchActionEnvironment, DropsEveryProviderKeyVariableAndAddsTheStatus) {
  Settings settings;  // the six built-in providers
  Provider custom;
  custom.id = "custom";
  custom.env_var = "EXAMPLE_API_KEY";
  settings.providers.push_back(custom);
  const std::vector<std::string> inherited = {"PATH=/usr/bin:/bin",        "OPENAI_API_KEY=one",
                                              "ANTHROPIC_API_KEY=two",     "EXAMPLE_API_KEY=three",
                                              "DEVOPS_MONITOR_STATUS=old", "HOME=/root"};
  const std::vector<std::string> env = action_environment(
      inherited, settings, Status::critical, Status::critical, Status::warning, "/r/latest.json");
  for (const std::string& entry : env) {
    EXPECT_EQ(entry.find("_API_KEY="), std::string::npos) << entry;
  }
  EXPECT_TRUE(watch_has_entry(env, "PATH=/usr/bin:/bin"));
  EXPECT_TRUE(watch_has_entry(env, "HOME=/root"));
  EXPECT_TRUE(watch_has_entry(env, "DEVOPS_MONITOR_EVENT=critical"));
  EXPECT_TRUE(watch_has_entry(env, "DEVOPS_MONITOR_STATUS=critical"));
  EXPECT_TRUE(watch_has_entry(env, "DEVOPS_MONITOR_PREVIOUS_STATUS=warning"));
  EXPECT_TRUE(watch_has_entry(env, "DEVOPS_MONITOR_REPORT=/r/latest.json"));
  EXPECT_FALSE(watch_has_entry(env, "DEVOPS_MONITOR_STATUS=old"));
}

TEST(WatchActionEnvironment, OnlyPathHomeLangAndWhatPassEnvNames) {
  // Canaries built at run time: none of these may reach an action unless passed on purpose.
  const std::string token = "gh" + std::string("p_") + std::string(36, 'C');
  Settings settings;
  const std::vector<std::string> inherited = {"PATH=/usr/bin:/bin",
                                              "HOME=/var/lib/devops-monitor",
                                              "LANG=C.UTF-8",
                                              "GITHUB_TOKEN=" + token,
                                              "AWS_SECRET_ACCESS_KEY=aws-canary",
                                              "PAGER_TOKEN=pager-canary",
                                              "LD_PRELOAD=/tmp/evil.so",
                                              "TERM=xterm"};
  auto names = [](const std::vector<std::string>& env) {
    std::vector<std::string> out;
    for (const std::string& entry : env) out.push_back(entry.substr(0, entry.find('=')));
    return out;
  };
  const std::vector<std::string> minimal = {"PATH",
                                            "HOME",
                                            "LANG",
                                            "DEVOPS_MONITOR_EVENT",
                                            "DEVOPS_MONITOR_STATUS",
                                            "DEVOPS_MONITOR_PREVIOUS_STATUS",
                                            "DEVOPS_MONITOR_REPORT"};
  EXPECT_EQ(names(action_environment(inherited, settings, Status::critical, Status::critical,
                                     std::nullopt, "")),
            minimal);

  settings.actions.pass_env = {"PAGER_TOKEN", "GITHUB_TOKEN", "NOT_SET_ANYWHERE"};
  const std::vector<std::string> passed =
      action_environment(inherited, settings, Status::critical, Status::critical, std::nullopt, "");
  EXPECT_TRUE(watch_has_entry(passed, "PAGER_TOKEN=pager-canary"));
  EXPECT_TRUE(watch_has_entry(passed, "GITHUB_TOKEN=" + token));
  EXPECT_FALSE(watch_has_entry(passed, "AWS_SECRET_ACCESS_KEY=aws-canary"));
  EXPECT_EQ(passed.size(), minimal.size() + 2);
}

TEST(WatchActionEnvironment, AFirstUnsavedReportHasEmptyPreviousAndReport) {
  const std::vector<std::string> env =
      action_environment({}, Settings{}, Status::warning, Status::warning, std::nullopt, "");
  EXPECT_TRUE(watch_has_entry(env, "DEVOPS_MONITOR_PREVIOUS_STATUS="));
  EXPECT_TRUE(watch_has_entry(env, "DEVOPS_MONITOR_REPORT="));
}

/// Collects the worker's log lines.
struct WatchWorkerLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  LogSink sink() {
    return [this](std::string_view line) {
      const std::lock_guard<std::mutex> lock(mutex);
      lines.emplace_back(line);
    };
  }
};

TEST(WatchWorker, RunsJobsInOrder) {
  WatchWorkerLog log;
  std::vector<int> order;
  std::mutex mutex;
  BackgroundWorker worker(8, log.sink());
  for (int i = 0; i < 5; ++i) {
    worker.post("job", [&, i](const std::atomic<bool>&) {
      const std::lock_guard<std::mutex> lock(mutex);
      order.push_back(i);
    });
  }
  EXPECT_TRUE(worker.stop(std::chrono::seconds(5)));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(log.lines.empty());
}

TEST(WatchWorker, AFullQueueDropsTheOldestWithALogLine) {
  WatchWorkerLog log;
  std::vector<std::string> ran;
  std::mutex mutex;
  std::atomic<bool> release{false};
  std::atomic<bool> started{false};
  BackgroundWorker worker(2, log.sink());
  // The first job holds the thread, so the queue fills behind it.
  worker.post("blocker", [&](const std::atomic<bool>& cancel) {
    started = true;
    while (!release && !cancel) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  for (const char* name : {"a", "b", "c"}) {
    worker.post(name, [&, name](const std::atomic<bool>&) {
      const std::lock_guard<std::mutex> lock(mutex);
      ran.emplace_back(name);
    });
  }
  release = true;
  EXPECT_TRUE(worker.stop(std::chrono::seconds(5)));
  EXPECT_EQ(ran, (std::vector<std::string>{"b", "c"}));
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_NE(log.lines[0].find("a dropped"), std::string::npos) << log.lines[0];
}

TEST(WatchWorker, StopCancelsALongJobAfterTheGrace) {
  WatchWorkerLog log;
  BackgroundWorker worker(4, log.sink());
  worker.post("long", [](const std::atomic<bool>& cancel) {
    while (!cancel) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(worker.stop(std::chrono::milliseconds(200)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace devops_monitor::watch
